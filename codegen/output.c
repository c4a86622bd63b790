/* output.c - writes the generated folder atomically: everything goes into a fresh
   sibling folder first, which then replaces the target. A folder is only replaced when
   it is empty or was written by onnx2mcu (it holds the .onnx2mcu marker). Missing parent
   folders are made, as mkdir -p would (build systems name output folders that do not
   exist yet). Files whose content did not change keep their timestamps. A signal that
   ends the compile (SIGINT, SIGTERM, SIGHUP, an abort) removes the new folder first; a
   write past a file-size limit fails instead of killing. */
#define _XOPEN_SOURCE 700 /* sigaction, unlinkat */
#include "codegen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".onnx2mcu"

/* ---- the new folder while it is written, for the signal handler ---- */

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT};
#define NSIGNALS (int)(sizeof cleanup_signals / sizeof *cleanup_signals)
static char pending_dir[4096];          /* the new folder, "" when none */
static char pending_own[4][256];        /* NAME.h, NAME.c, NAME.mk, NAME.cmake */
static char pending_weights[256];       /* NAME_weights (then .c, or K.c) */
static volatile sig_atomic_t pending_fd = -1;
static struct sigaction saved[NSIGNALS];

/* removes NAME_weights.c, NAME_weights1.c, ...: written in that order, so up to the
   first one missing (the name made by hand: snprintf is not async-signal-safe) */
static void remove_weights(int fd)
{
	char name[300];
	size_t n = strlen(pending_weights);

	memcpy(name, pending_weights, n);
	for (unsigned k = 0; k < 100000; k++) {
		char digits[8];
		size_t nd = 0, at = n;
		for (unsigned v = k; k && v; v /= 10)
			digits[nd++] = (char)('0' + v % 10);
		while (nd)
			name[at++] = digits[--nd];
		memcpy(name + at, ".c", 3);
		if (unlinkat(fd, name, 0) && k)
			return;
	}
}

/* removes what codegen can have written into the new folder: the names are known, so
   this needs no directory listing (only async-signal-safe calls) */
static void remove_pending(void)
{
	int fd = pending_fd;

	if (fd < 0)
		return;
	pending_fd = -1;
	for (int i = 0; i < runtime_nfiles; i++)
		unlinkat(fd, runtime_files[i].name, 0);
	for (int i = 0; i < 4; i++)
		unlinkat(fd, pending_own[i], 0);
	remove_weights(fd);
	unlinkat(fd, "o2m_names.h", 0);
	unlinkat(fd, MARKER, 0);
	close(fd);
	rmdir(pending_dir);
}

static void on_signal(int sig)
{
	remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void watch(const char *tmp, const char *name)
{
	static const char *const ext[4] = {"h", "c", "mk", "cmake"};
	struct sigaction sa;

	snprintf(pending_dir, sizeof pending_dir, "%s", tmp);
	for (int i = 0; i < 4; i++)
		snprintf(pending_own[i], sizeof pending_own[i], "%s.%s", name, ext[i]);
	snprintf(pending_weights, sizeof pending_weights, "%s_weights", name);
	pending_fd = open(tmp, O_RDONLY | O_DIRECTORY);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NSIGNALS; i++) {
		sigaction(cleanup_signals[i], &sa, &saved[i]);
		if (saved[i].sa_handler == SIG_IGN) /* as for a background job's SIGINT */
			sigaction(cleanup_signals[i], &saved[i], NULL);
	}
	signal(SIGXFSZ, SIG_IGN); /* a write past ulimit -f fails with EFBIG, and is reported */
}

static void unwatch(void)
{
	int fd = pending_fd;

	if (fd < 0 && !pending_dir[0])
		return;
	pending_fd = -1;
	pending_dir[0] = 0;
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < NSIGNALS; i++)
		sigaction(cleanup_signals[i], &saved[i], NULL);
}

/* ---- folders ---- */

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

/* 1 when dir may be replaced: absent, empty, or ours with no folder in it (we write
   none: one is the user's, named in sub); -1 (errno set) when it cannot be looked at */
static int replaceable(const char *dir, char *sub, size_t sublen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	struct stat st;
	int entries = 0;

	if (!d)
		return errno == ENOENT ? 1 : -1;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		entries++;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (!*sub && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(sub, sublen, "%s", path);
	}
	closedir(d);
	snprintf(path, sizeof path, "%s/%s", dir, MARKER);
	return entries == 0 || (access(path, F_OK) == 0 && !*sub);
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

/* the marker and the generated files into the new folder tmp; removed on failure */
static int write_folder(Graph *g, const char *tmp, const EmitOptions *opt)
{
	char marker[4096];
	FILE *f;

	snprintf(marker, sizeof marker, "%s/%s", tmp, MARKER);
	f = fopen(marker, "w");
	if (f && fprintf(f, "written by onnx2mcu; the folder is replaced on each compile\n") >= 0 &&
	    !fclose(f) && !codegen_emit(g, tmp, opt))
		return 0;
	remove_tree(tmp);
	return -1;
}

/* the new folder tmp takes the place of dir[0..n), with the signals that remove it
   held back: the old folder is moved aside and removed once the new one is in place */
static int swap_in(const char *tmp, const char *dir, size_t n)
{
	char old[4096];
	sigset_t set, was;
	struct stat st;
	int rc = -1;

	sigemptyset(&set);
	for (int i = 0; i < NSIGNALS; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, &was);
	chmod(tmp, 0755);
	snprintf(old, sizeof old, "%.*s.o2m-old-%ld", (int)n, dir, (long)getpid());
	if (stat(dir, &st) == 0 && rename(dir, old)) {
		fprintf(stderr, "onnx2mcu: cannot replace %s: %s\n", dir, strerror(errno));
		remove_tree(tmp);
	} else if (rename(tmp, dir)) {
		fprintf(stderr, "onnx2mcu: cannot move the output to %s: %s\n", dir, strerror(errno));
		rename(old, dir);
		remove_tree(tmp);
	} else {
		rc = 0;
		if (stat(old, &st) == 0)
			remove_tree(old);
	}
	unwatch(); /* nothing left to remove: a held signal now only ends the compile */
	sigprocmask(SIG_SETMASK, &was, NULL);
	return rc;
}

int codegen_write(Graph *g, const char *dir, const EmitOptions *opt)
{
	char tmp[4096], sub[4096] = "";
	size_t n = strlen(dir);
	int rc;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	switch (replaceable(dir, sub, sizeof sub)) {
	case 0:
		if (*sub)
			fprintf(stderr, "onnx2mcu: %s holds the folder %s, which onnx2mcu did not "
				"write; refusing to replace it (move it out first)\n", dir, sub);
		else
			fprintf(stderr, "onnx2mcu: %s exists and was not written by onnx2mcu; "
				"refusing to replace it (use an empty or new folder)\n", dir);
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
	watch(tmp, opt->name);
	rc = write_folder(g, tmp, opt);
	if (!rc)
		keep_times(tmp, dir, opt->name);
	rc = rc || swap_in(tmp, dir, n);
	unwatch();
	return rc ? -1 : 0;
}
