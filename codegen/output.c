/* output.c - writes the generated folder atomically: everything goes into a fresh
   sibling folder first, which then replaces the target. A folder is only replaced when
   it is empty or was written by onnx2mcu (it holds the .onnx2mcu marker). Missing parent
   folders are made, as mkdir -p would (build systems name output folders that do not
   exist yet). */
#include "codegen.h"

#include <dirent.h>
#include <errno.h>
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
