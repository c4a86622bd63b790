/* output.c - writes the generated folder atomically: everything goes into a fresh
   sibling folder first, which then replaces the target. A folder is only replaced when
   it is empty or was written by onnx2mcu (it holds the .onnx2mcu marker). Missing parent
   folders are made, as mkdir -p would (build systems name output folders that do not
   exist yet). Files whose content did not change keep their timestamps. */
#include "codegen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".onnx2mcu"

static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	int rc = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (unlink(path))
			rc = -1; /* we only ever write plain files */
	}
	closedir(d);
	return rmdir(dir) || rc ? -1 : 0;
}

/* 1 when dir may be replaced: absent, empty, or ours; -1 (errno set) when it cannot
   be looked at */
static int replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	int entries = 0;

	if (!d)
		return errno == ENOENT ? 1 : -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			entries++;
	closedir(d);
	snprintf(path, sizeof path, "%s/%s", dir, MARKER);
	return entries == 0 || access(path, F_OK) == 0;
}

/* makes the folders above the last component of dir[0..n) that do not exist */
static void make_parents(const char *dir, size_t n)
{
	char path[4096];

	if (n >= sizeof path)
		return;
	memcpy(path, dir, n);
	path[n] = 0;
	for (size_t i = 1; i < n; i++)
		if (path[i] == '/' && path[i - 1] != '/') {
			path[i] = 0;
			mkdir(path, 0755); /* EEXIST and real failures alike: mkdtemp reports */
			path[i] = '/';
		}
}

/* 1 when files a and b hold the same bytes */
static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	char ba[8192], bb[8192];
	size_t na, nb;
	int same = fa && fb;

	while (same) {
		na = fread(ba, 1, sizeof ba, fa);
		nb = fread(bb, 1, sizeof bb, fb);
		same = na == nb && !memcmp(ba, bb, na);
		if (!na || na < sizeof ba)
			break;
	}
	same = same && feof(fa) && feof(fb);
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* A file of the new folder whose content did not change keeps the old one's times, so
   build systems do not recompile it. The marker and NAME.mk (the target of the Make
   recipe and of --depfile) always get new times: they record that the compile ran.
   Only the new folder is touched, so the old one stays whole until the swap. */
static void keep_times(const char *tmp, const char *dir, const char *name)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	char mk[300], a[4400], b[4400];
	struct stat st;

	if (!d)
		return;
	snprintf(mk, sizeof mk, "%s.mk", name);
	while ((de = readdir(d)) != NULL) {
		struct timespec times[2];
		if (de->d_name[0] == '.' || !strcmp(de->d_name, mk))
			continue;
		snprintf(a, sizeof a, "%s/%s", tmp, de->d_name);
		snprintf(b, sizeof b, "%s/%s", dir, de->d_name);
		if (stat(b, &st) || !S_ISREG(st.st_mode) || !same_file(a, b))
			continue;
		times[0] = st.st_atim;
		times[1] = st.st_mtim;
		utimensat(AT_FDCWD, a, times, 0); /* failing only costs a rebuild */
	}
	closedir(d);
}

int codegen_write(Graph *g, const char *dir, const EmitOptions *opt)
{
	char tmp[4096], old[4096], marker[4096];
	size_t n = strlen(dir);
	FILE *f;
	struct stat st;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	switch (replaceable(dir)) {
	case 0:
		fprintf(stderr, "onnx2mcu: %s exists and was not written by onnx2mcu; refusing to "
			"replace it (use an empty or new folder)\n", dir);
		return -1;
	case -1:
		fprintf(stderr, "onnx2mcu: cannot write the output folder %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	make_parents(dir, n);
	snprintf(tmp, sizeof tmp, "%.*s.o2m-new-XXXXXX", (int)n, dir);
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "onnx2mcu: cannot create a folder next to %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(marker, sizeof marker, "%s/%s", tmp, MARKER);
	f = fopen(marker, "w");
	if (!f || fprintf(f, "written by onnx2mcu; the folder is replaced on each compile\n") < 0 ||
	    fclose(f) || codegen_emit(g, tmp, opt)) {
		remove_tree(tmp);
		return -1;
	}
	chmod(tmp, 0755);
	keep_times(tmp, dir, opt->name);
	snprintf(old, sizeof old, "%.*s.o2m-old-%ld", (int)n, dir, (long)getpid());
	if (stat(dir, &st) == 0 && rename(dir, old)) {
		fprintf(stderr, "onnx2mcu: cannot replace %s: %s\n", dir, strerror(errno));
		remove_tree(tmp);
		return -1;
	}
	if (rename(tmp, dir)) {
		fprintf(stderr, "onnx2mcu: cannot move the output to %s: %s\n", dir, strerror(errno));
		rename(old, dir);
		remove_tree(tmp);
		return -1;
	}
	if (stat(old, &st) == 0)
		remove_tree(old);
	return 0;
}
