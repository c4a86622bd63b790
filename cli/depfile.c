/* depfile.c - compile --depfile FILE: a Make rule naming every file the output was made
   from (the model, its external data, the --bind and --calib files and the compiler
   itself), for build systems to compile again when one changes. Written whole or not at
   all. */
#include "cli.h"

#include <unistd.h>

/* a path as Make reads it: spaces and '#' escaped, '$' doubled */
static void put_path(FILE *f, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '#')
			fputc('\\', f);
		else if (*p == '$')
			fputc('$', f);
		fputc(*p, f);
	}
}

static void put_dep(FILE *f, const char *p)
{
	fputs(" \\\n  ", f);
	put_path(f, p);
}

int cli_depfile_write(const char *path, const char *target, const CliOptions *o)
{
	char tmp[4200], self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	FILE *f = cli_out_open(path, tmp, sizeof tmp);

	if (!f)
		return -1;
	put_path(f, target);
	fputc(':', f);
	put_dep(f, o->model);
	for (int i = 0; i < o->files.n; i++)
		put_dep(f, o->files.path[i]);
	for (int i = 0; i < o->nbinds; i++)
		put_dep(f, o->binds[i].path);
	for (int i = 0; i < o->ncalib; i++) /* a calibration folder stands for its files */
		put_dep(f, o->calib[i]);
	if (n > 0) {
		self[n] = 0;
		put_dep(f, self);
	}
	fputc('\n', f);
	return cli_out_close(f, tmp, path);
}
