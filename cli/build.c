/* build.c - onnx2mcu build PROJECT.json: compiles every model of a project file, each
   with its options, and writes one depfile for them all. A model entry's keys are
   compile's option names without their dashes; each entry becomes a compile command
   line that cli_parse reads like any other, so the options are written down once.
   Paths in the file are relative to its folder (the build runs there). */
#include "cli.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *usage_build =
	"usage: onnx2mcu build PROJECT.json [--depfile FILE] [-q]\n"
	"\n"
	"Compiles every model the project file lists, in order, each as 'onnx2mcu compile'\n"
	"would with the options of its entry; a model that fails stops the build. The\n"
	"file holds {\"models\": [ENTRY, ...], \"depfile\": FILE}; an ENTRY has \"model\" (the\n"
	".onnx file) and compile's options named without dashes: \"o\": \"gen/kws\", \"n\":\n"
	"\"kws\", \"shared-runtime\": true (a flag: true or false), \"dim\": [\"batch=1\"] (an\n"
	"array repeats an option; a value is a string or a number). Paths are relative to\n"
	"the project file's folder.\n"
	"\n"
	"options:\n"
	"  --depfile FILE       write one Make rule per model, 'DIR/NAME.mk: MODEL ...',\n"
	"                       naming the files it was made from and the project file\n"
	"                       (overrides the file's \"depfile\", which is relative to it)\n"
	"  -q                   no summary line per model\n";

typedef struct {
	char **v;
	int n;
} Args;

static void args_add(Args *a, const char *s)
{
	a->v = realloc(a->v, sizeof *a->v * (size_t)(a->n + 2));
	IR_ASSERT(a->v);
	a->v[a->n++] = strdup(s);
	a->v[a->n] = NULL;
}

static void args_free(Args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

/* the model entry i of file, for messages: "kws.json: models[1] (vad.onnx)" */
static void entry_error(const char *file, int i, const cJSON *m, const char *fmt, const char *key)
{
	const cJSON *model = cJSON_GetObjectItemCaseSensitive(m, "model");

	fprintf(stderr, "onnx2mcu: %s: models[%d]", file, i);
	if (cJSON_IsString(model))
		fprintf(stderr, " (%s)", model->valuestring);
	fputs(": ", stderr);
	fprintf(stderr, fmt, key);
	fputc('\n', stderr);
}

/* one value of key as a command-line word; -1 when it is neither string nor number */
static int value_word(const cJSON *v, char *buf, size_t len)
{
	if (cJSON_IsString(v))
		snprintf(buf, len, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(buf, len, "%.15g", v->valuedouble);
	else
		return -1;
	return 0;
}

/* key k of a model entry onto the compile command line; 0, or -1 (said why) */
static int key_args(const char *file, int i, const cJSON *m, const cJSON *k, Args *a)
{
	char opt[128], word[4096];
	int takes;
	const cJSON *v;

	snprintf(opt, sizeof opt, "-%s", k->string);
	takes = cli_option_takes("compile", opt);
	if (takes == -1) {
		snprintf(opt, sizeof opt, "--%s", k->string);
		takes = cli_option_takes("compile", opt);
	}
	if (takes == -1 || !k->string[0]) {
		entry_error(file, i, m, "unknown key '%s' (see 'onnx2mcu help compile')", k->string);
		return -1;
	}
	if (takes == -2 || !strcmp(k->string, "h") || !strcmp(k->string, "help")) {
		entry_error(file, i, m, "'%s' is not an option of compile", k->string);
		return -1;
	}
	if (takes == 0) {
		if (!cJSON_IsBool(k)) {
			entry_error(file, i, m, "key '%s' takes true or false", k->string);
			return -1;
		}
		if (cJSON_IsTrue(k))
			args_add(a, opt);
		return 0;
	}
	for (v = cJSON_IsArray(k) ? k->child : k; v; v = cJSON_IsArray(k) ? v->next : NULL) {
		if (value_word(v, word, sizeof word)) {
			entry_error(file, i, m, "key '%s' takes a string or a number, or an array "
				    "of them", k->string);
			return -1;
		}
		args_add(a, opt);
		args_add(a, word);
	}
	return 0;
}

/* the compile command line of model entry i; 0, or -1 (said why) */
static int entry_args(const char *file, int i, const cJSON *m, Args *a)
{
	const cJSON *model = cJSON_GetObjectItemCaseSensitive(m, "model"), *k;

	if (!cJSON_IsObject(m)) {
		fprintf(stderr, "onnx2mcu: %s: models[%d] is not an object\n", file, i);
		return -1;
	}
	if (!cJSON_IsString(model)) {
		entry_error(file, i, m, "%s", model ? "\"model\" is not a string"
						    : "no \"model\" (the .onnx file)");
		return -1;
	}
	args_add(a, model->valuestring);
	cJSON_ArrayForEach(k, m)
		if (strcmp(k->string, "model") && key_args(file, i, m, k, a))
			return -1;
	return 0;
}

/* the project file parsed: its model entries' command lines, and its "depfile" */
typedef struct {
	cJSON *json;
	Args *models;
	int nmodels;
	const char *depfile;
} Project;

static int project_read(const char *file, Project *p)
{
	char *text = cli_slurp(file, NULL);
	const cJSON *models, *k;
	int i = 0;

	if (!text) {
		fprintf(stderr, "onnx2mcu: cannot read %s\n", file);
		return EXIT_IO;
	}
	p->json = cJSON_Parse(text);
	if (!p->json) {
		const char *at = cJSON_GetErrorPtr();
		fprintf(stderr, "onnx2mcu: %s: not valid JSON (at byte %ld)\n", file,
			at ? (long)(at - text) : 0L);
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (!cJSON_IsObject(p->json)) {
		fprintf(stderr, "onnx2mcu: %s: wants an object {\"models\": [...]}\n", file);
		return EXIT_USAGE;
	}
	cJSON_ArrayForEach(k, p->json) {
		if (!strcmp(k->string, "depfile") && cJSON_IsString(k)) {
			p->depfile = k->valuestring;
		} else if (!strcmp(k->string, "depfile")) {
			fprintf(stderr, "onnx2mcu: %s: key 'depfile' takes a string\n", file);
			return EXIT_USAGE;
		} else if (strcmp(k->string, "models")) {
			fprintf(stderr, "onnx2mcu: %s: unknown key '%s' (the keys are \"models\" and "
				"\"depfile\")\n", file, k->string);
			return EXIT_USAGE;
		}
	}
	models = cJSON_GetObjectItemCaseSensitive(p->json, "models");
	if (!cJSON_IsArray(models) || !cJSON_GetArraySize(models)) {
		fprintf(stderr, "onnx2mcu: %s: \"models\" wants an array of model entries\n", file);
		return EXIT_USAGE;
	}
	p->nmodels = cJSON_GetArraySize(models);
	p->models = calloc((size_t)p->nmodels, sizeof *p->models);
	IR_ASSERT(p->models);
	cJSON_ArrayForEach(k, models) {
		if (entry_args(file, i, k, &p->models[i]))
			return EXIT_USAGE;
		i++;
	}
	return 0;
}

static void project_free(Project *p)
{
	for (int i = 0; i < p->nmodels; i++)
		args_free(&p->models[i]);
	free(p->models);
	cJSON_Delete(p->json);
}

/* compiles model entry i in the project folder; its depfile rule into deps */
static int build_model(const Project *p, int i, int quiet, const char *prefix,
		       const char *file, FILE *deps)
{
	int64_t max_const = ir_max_const_bytes; /* --max-constants and --max-nodes hold */
	int max_nodes = ir_max_nodes;            /* for one model */
	CliOptions o;
	char target[4400];
	int rc = cli_parse("compile", p->models[i].n, p->models[i].v, &o);

	if (!rc) {
		o.quiet |= quiet;
		rc = cli_compile(&o);
	}
	if (!rc) {
		snprintf(target, sizeof target, "%s/%s.mk", o.out,
			 o.name ? o.name : cli_default_name(o.model));
		cli_depfile_rule(deps, prefix, target, &o, file);
	}
	cli_free(&o);
	ir_max_const_bytes = max_const;
	ir_max_nodes = max_nodes;
	return rc;
}

/* the folder of path with its slash ("models/"), or "" */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
}

int cli_build_project(int argc, char **argv)
{
	const char *file = NULL, *depfile = NULL;
	Project p = {0};
	char *prefix, *deptext = NULL, *dep = NULL;
	size_t deplen = 0;
	int quiet = 0, rc, i, cwd;
	FILE *deps;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_build, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-q")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--depfile")) {
			if (++i == argc)
				return cli_usage_error("build", "option %s needs a value", "--depfile");
			depfile = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("build", "unknown option '%s'", argv[i]);
		} else if (file) {
			return cli_usage_error("build", "unexpected argument '%s'", argv[i]);
		} else {
			file = argv[i];
		}
	}
	if (!file)
		return cli_usage_error("build", "%s", "build needs a project file");
	rc = project_read(file, &p);
	prefix = folder_of(file);
	if (!rc && !depfile && p.depfile) {
		dep = malloc(strlen(prefix) + strlen(p.depfile) + 1);
		IR_ASSERT(dep);
		sprintf(dep, "%s%s", p.depfile[0] == '/' ? "" : prefix, p.depfile);
		depfile = dep;
	}
	cwd = open(".", O_RDONLY | O_DIRECTORY);
	deps = open_memstream(&deptext, &deplen);
	IR_ASSERT(deps && cwd >= 0);
	if (!rc && *prefix && chdir(prefix)) {
		fprintf(stderr, "onnx2mcu: cannot enter %s\n", prefix);
		rc = EXIT_IO;
	}
	for (i = 0; !rc && i < p.nmodels; i++) {
		rc = build_model(&p, i, quiet, prefix, file, deps);
		if (rc)
			fprintf(stderr, "onnx2mcu: build %s stopped: models[%d] (%s) failed\n", file,
				i, p.models[i].v[0]);
	}
	IR_ASSERT(!fchdir(cwd) && !fclose(deps));
	close(cwd);
	if (!rc && depfile)
		rc = cli_depfile_save(depfile, deptext, deplen) ? EXIT_IO : 0;
	if (!rc && !quiet)
		fprintf(stderr, "onnx2mcu: build %s: %d model%s compiled\n", file, p.nmodels,
			p.nmodels == 1 ? "" : "s");
	free(deptext);
	free(dep);
	free(prefix);
	project_free(&p);
	return rc;
}
