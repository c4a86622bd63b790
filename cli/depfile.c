/* depfile.c - compile --depfile FILE: a Make rule naming every file the output was made
   from (the model, its external data, the --bind files, every calibration file read
   (o->files holds them with the external data) and the compiler itself), for build
   systems to compile again when one changes. Written whole or not at all. */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>

/* a path as Make reads it: spaces and '#' escaped, '$' doubled; a relative path after
   prefix (the folder it is relative to, as seen from where make runs; NULL for none) */
static void put_path(FILE *f, const char *prefix, const char *p)
{
	if (prefix && p[0] != '/')
		put_path(f, NULL, prefix);
	for (; *p; p++) {
		if (*p == ' ' || *p == '#')
			fputc('\\', f);
		else if (*p == '$')
			fputc('$', f);
		fputc(*p, f);
	}
}

static void put_dep(FILE *f, const char *prefix, const char *p)
{
	fputs(" \\\n  ", f);
	put_path(f, prefix, p);
}

void cli_depfile_rule(FILE *f, const char *prefix, const char *target, const CliOptions *o,
		      const char *extra)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	put_path(f, prefix, target);
	fputc(':', f);
	put_dep(f, prefix, o->model);
	for (int i = 0; i < o->files.n; i++)
		put_dep(f, prefix, o->files.path[i]);
	for (int i = 0; i < o->nbinds; i++)
		put_dep(f, prefix, o->binds[i].path);
	if (extra)
		put_dep(f, NULL, extra);
	if (n > 0) {
		self[n] = 0;
		put_dep(f, NULL, self);
	}
	fputc('\n', f);
}

int cli_depfile_save(const char *path, const char *text, size_t len)
{
	char tmp[4200];
	FILE *f = cli_out_open(path, tmp, sizeof tmp);

	if (!f)
		return -1;
	fwrite(text, 1, len, f);
	return cli_out_close(f, tmp, path);
}

int cli_depfile_write(const char *path, const char *target, const CliOptions *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	IR_ASSERT(f);
	cli_depfile_rule(f, NULL, target, o, NULL);
	IR_ASSERT(!fclose(f));
	rc = cli_depfile_save(path, text, len);
	free(text);
	return rc;
}
