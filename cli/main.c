/* main.c - the onnx2mcu command line. The pipeline reads top to bottom in compile():
   load (frontend) -> passes (fold, identity, dce, lower, plan) -> emit (codegen).
   Exit codes: 0 success, 1 the model cannot be compiled (bad file, unsupported op,
   unpinned dim, unbound input), 2 bad command line, 3 I/O or tool failure,
   4 validate: outputs differ from the reference. */
#include "../codegen/codegen.h"
#include "../frontend/onnx.h"
#include "../passes/passes.h"
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_main =
	"usage: onnx2mcu COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  compile MODEL.onnx -o DIR   generate standalone C for a model\n"
	"  inspect MODEL.onnx          inputs, outputs, ops, parameters, MACs, arena size\n"
	"  validate MODEL.onnx --data DIR\n"
	"                              compile, build and run on the host, compare outputs\n"
	"  ops                         list the supported operators\n"
	"  tensor FILE.pb              show a TensorProto file, or write it as raw bytes or\n"
	"                              a C array\n"
	"  help COMMAND                options of a command\n"
	"\n"
	"  --version                   print the version\n"
	"\n"
	"exit codes: 0 ok, 1 model error, 2 usage error, 3 I/O or tool error,\n"
	"            4 validate found a mismatch\n";

static const char *usage_common =
	"  --dim NAME=N         pin symbolic dimension NAME (dim_param) to N\n"
	"  --bind INPUT=FILE.pb give graph input INPUT a fixed value (a TensorProto file);\n"
	"                       needed for inputs that set shapes (Reshape shape, Slice\n"
	"                       starts, Pad pads, ...), and for an If condition or a Loop\n"
	"                       trip count that comes from an input; for a sequence or an\n"
	"                       optional input, a SequenceProto or OptionalProto file\n"
	"  --seq INPUT=N        a sequence input holds N tensors of its declared shape;\n"
	"  --seq 'INPUT=[2,3][4,3]'  or tensors of these shapes (validate takes the\n"
	"                       layout from the data set)\n"
	"  --empty INPUT        an optional input holds no value\n"
	"  --dump-after PASSES  print the IR after the named passes (comma list, or all);\n"
	"                       passes: flow, fold, identity, dce, lower, plan\n"
	"  --verify-each        run the IR verifier after every pass\n"
	"  --max-constants N    bytes of constants a model may hold (suffix K, M or G;\n"
	"                       default 256M; see docs/limits.md)\n";

static const char *usage_compile =
	"usage: onnx2mcu compile MODEL.onnx -o DIR [options]\n"
	"\n"
	"Writes DIR/NAME.h, DIR/NAME.c and the runtime-stub files they need; the folder\n"
	"compiles on its own (cc -c DIR/*.c -IDIR). DIR is replaced as a whole, and only\n"
	"when it is new, empty, or was written by onnx2mcu; on error nothing is written.\n"
	"\n"
	"options:\n"
	"  -o DIR               output folder (required)\n"
	"  -n NAME              C prefix of every symbol (default: the model file name)\n"
	"  --shared-runtime     keep kernel names o2m_*, so several models can share one\n"
	"                       copy of the runtime (compile only one folder's o2m_*.c)\n";

static const char *usage_inspect =
	"usage: onnx2mcu inspect MODEL.onnx [options]\n"
	"\n"
	"Prints inputs and outputs, the op histogram, parameter count, MACs and the arena\n"
	"size the compiler would plan.\n"
	"\n"
	"options:\n"
	"  --shape-inputs       only list the graph inputs that must be bound, one per line\n"
	"                       as 'K NAME', K being the input's position among the model's\n"
	"                       inputs (input_K.pb in ONNX test data)\n";

static void usage_of(const char *cmd, FILE *f)
{
	if (!strcmp(cmd, "compile"))
		fprintf(f, "%s%s", usage_compile, usage_common);
	else if (!strcmp(cmd, "inspect"))
		fprintf(f, "%s%s", usage_inspect, usage_common);
	else if (!strcmp(cmd, "validate"))
		fprintf(f, "%s%s", usage_validate, usage_common);
	else if (!strcmp(cmd, "tensor"))
		fputs(usage_tensor, f);
	else if (!strcmp(cmd, "ops"))
		fputs(usage_ops, f);
	else
		fputs(usage_main, f);
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "onnx2mcu: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see 'onnx2mcu help %s')\n", cmd);
	return EXIT_USAGE;
}

/* ---- options ---- */

static int parse_kv(const char *arg, char **k, char **v)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1])
		return -1;
	*k = strndup(arg, (size_t)(eq - arg));
	*v = strdup(eq + 1);
	return 0;
}

/* --seq NAME=N or --seq 'NAME=[2,3][4]': a sequence input's length, or its elements'
   shapes; 0 on success */
static int parse_seq(const char *arg, SeqLayout *s)
{
	char *k, *v, *p, *end;
	int bad = 0;

	if (parse_kv(arg, &k, &v))
		return -1;
	s->input = k;
	s->count = -1;
	if (v[0] != '[') {
		long n = strtol(v, &end, 10);
		bad = *end || end == v || n < 0 || n > 65536;
		s->count = (int)n;
		free(v);
		return bad ? -1 : 0;
	}
	for (p = v; *p; p++)
		s->nshape += *p == '[';
	s->rank = calloc((size_t)s->nshape + 1, sizeof *s->rank);
	s->dims = calloc((size_t)s->nshape + 1, sizeof *s->dims);
	p = v;
	for (int i = 0; i < s->nshape && !bad; i++) {
		bad = *p++ != '[';
		while (!bad && *p != ']' && s->rank[i] < IR_MAX_RANK) {
			long long d = strtoll(p, &end, 10);
			bad = end == p || d < 0;
			s->dims[i][s->rank[i]++] = d;
			p = *end == ',' ? end + 1 : end;
		}
		bad = bad || *p++ != ']';
	}
	bad = bad || *p;
	free(v);
	return bad ? -1 : 0;
}

/* "512M": bytes, with a K, M or G suffix (powers of 1024); 0 on success */
static int parse_bytes(const char *arg, int64_t *out)
{
	char *end;
	long long v = strtoll(arg, &end, 10);
	int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;

	if (end == arg || v < 0 || (shift && end[1]) || (!shift && *end) || v > (INT64_MAX >> 31))
		return -1;
	*out = (int64_t)v << shift;
	return 0;
}

int cli_parse(const char *cmd, int argc, char **argv, CliOptions *o)
{
	memset(o, 0, sizeof *o);
	o->dims = calloc((size_t)argc + 1, sizeof *o->dims);
	o->binds = calloc((size_t)argc + 1, sizeof *o->binds);
	o->layouts = calloc((size_t)argc + 1, sizeof *o->layouts);
	o->atol = 1e-4;
	o->rtol = 1e-3;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_ARG()                                                                  \
	do {                                                                        \
		if (!next)                                                          \
			return cli_usage_error(cmd, "option %s needs a value", a); \
		i++;                                                                \
	} while (0)
		if (!strcmp(a, "-o")) {
			NEED_ARG();
			o->out = next;
		} else if (!strcmp(a, "-n")) {
			NEED_ARG();
			o->name = next;
		} else if (!strcmp(a, "--dim")) {
			char *k, *v, *end;
			NEED_ARG();
			if (parse_kv(next, &k, &v))
				return cli_usage_error(cmd, "--dim wants NAME=N, not '%s'", next);
			o->dims[o->ndims].name = k;
			o->dims[o->ndims].value = strtoll(v, &end, 10);
			o->ndims++;
			if (*end || o->dims[o->ndims - 1].value < 0) {
				cli_usage_error(cmd, "--dim value '%s' is not a size", v);
				free(v);
				return EXIT_USAGE;
			}
			free(v);
		} else if (!strcmp(a, "--bind")) {
			char *k, *v;
			NEED_ARG();
			if (parse_kv(next, &k, &v))
				return cli_usage_error(cmd, "--bind wants INPUT=FILE.pb, not '%s'", next);
			o->binds[o->nbinds].input = k;
			o->binds[o->nbinds].path = v;
			o->nbinds++;
		} else if (!strcmp(a, "--seq")) {
			NEED_ARG();
			if (parse_seq(next, &o->layouts[o->nlayouts++]))
				return cli_usage_error(cmd, "--seq wants INPUT=N or INPUT=[d,d][d], not "
						       "'%s'", next);
		} else if (!strcmp(a, "--empty")) {
			NEED_ARG();
			o->layouts[o->nlayouts].input = strdup(next);
			o->layouts[o->nlayouts++].empty = 1;
		} else if (!strcmp(a, "--dump-after")) {
			NEED_ARG();
			o->passes.dump_after = next;
		} else if (!strcmp(a, "--verify-each")) {
			o->passes.verify_each = 1;
		} else if (!strcmp(a, "--max-constants")) {
			NEED_ARG();
			if (parse_bytes(next, &ir_max_const_bytes))
				return cli_usage_error(cmd, "--max-constants wants a size such as "
						       "512M, not '%s'", next);
		} else if (!strcmp(a, "--shared-runtime")) {
			o->shared_runtime = 1;
		} else if (!strcmp(a, "--shape-inputs")) {
			o->shape_inputs = 1;
		} else if (!strcmp(a, "--data")) {
			NEED_ARG();
			o->data = next;
		} else if (!strcmp(a, "--atol") || !strcmp(a, "--rtol")) {
			char *end;
			double v;
			NEED_ARG();
			v = strtod(next, &end);
			if (*end || v < 0)
				return cli_usage_error(cmd, "tolerance '%s' is not a number >= 0", next);
			*(a[2] == 'a' ? &o->atol : &o->rtol) = v;
		} else if (!strcmp(a, "--per-node")) {
			o->per_node = 1;
		} else if (!strcmp(a, "--reference")) {
			NEED_ARG();
			o->reference = next;
		} else if (!strcmp(a, "--cc")) {
			NEED_ARG();
			o->cc = next;
		} else if (!strcmp(a, "--cflags")) {
			NEED_ARG();
			o->cflags = next;
		} else if (!strcmp(a, "--keep")) {
			NEED_ARG();
			o->keep = next;
		} else if (!strcmp(a, "--code")) {
			NEED_ARG();
			o->code = next;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage_of(cmd, stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error(cmd, "unknown option '%s'", a);
		} else if (!o->model) {
			o->model = a;
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", a);
		}
#undef NEED_ARG
	}
	if (!o->model)
		return cli_usage_error(cmd, "%s needs a model file", cmd);
	o->load.dims = o->dims;
	o->load.ndims = o->ndims;
	o->load.binds = o->binds;
	o->load.nbinds = o->nbinds;
	o->load.layouts = o->layouts;
	o->load.nlayouts = o->nlayouts;
	return 0;
}

void cli_free(CliOptions *o)
{
	for (int i = 0; i < o->ndims; i++)
		free((char *)o->dims[i].name);
	for (int i = 0; i < o->nbinds; i++) {
		free((char *)o->binds[i].input);
		free((char *)o->binds[i].path);
	}
	for (int i = 0; i < o->nlayouts; i++) {
		free((char *)o->layouts[i].input);
		free(o->layouts[i].rank);
		free(o->layouts[i].dims);
	}
	free(o->dims);
	free(o->binds);
	free(o->layouts);
}

/* the model file name as a C identifier: "models/kws-v2.onnx" -> "kws_v2" */
const char *cli_default_name(const char *model)
{
	static char buf[64];
	const char *base = strrchr(model, '/') ? strrchr(model, '/') + 1 : model;
	size_t n = 0;

	for (; *base && *base != '.' && n + 1 < sizeof buf; base++)
		buf[n++] = isalnum((unsigned char)*base) ? (char)tolower((unsigned char)*base) : '_';
	buf[n] = 0;
	if (!n || isdigit((unsigned char)buf[0]))
		return "model";
	return buf;
}

const char *cli_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- commands ---- */

/* load -> passes: the whole compiler up to code generation */
Graph *cli_build(CliOptions *o)
{
	Graph *g = onnx_load(o->model, &o->load);

	if (!g)
		return NULL;
	if (passes_run(g, &o->passes)) {
		ir_graph_free(g);
		return NULL;
	}
	return g;
}

static int compile(CliOptions *o)
{
	EmitOptions eo = {0};
	Graph *g;
	int rc;

	if (!o->out)
		return cli_usage_error("compile", "%s", "compile needs -o DIR");
	eo.name = o->name ? o->name : cli_default_name(o->model);
	eo.model = cli_basename(o->model);
	eo.shared_runtime = o->shared_runtime;
	if (!codegen_is_ident(eo.name))
		return cli_usage_error("compile", "-n '%s' is not a C identifier", eo.name);
	g = cli_build(o);
	if (!g)
		return EXIT_MODEL;
	rc = codegen_write(g, o->out, &eo) ? EXIT_IO : 0;
	ir_graph_free(g);
	return rc;
}

int main(int argc, char **argv)
{
	CliOptions o;
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int rc;

	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(usage_main, cmd ? stdout : stderr);
		return cmd ? 0 : EXIT_USAGE;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("onnx2mcu %s\n", O2M_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		usage_of(argc > 2 ? argv[2] : "", stdout);
		return 0;
	}
	if (!strcmp(cmd, "tensor"))
		return cli_tensor(argc - 2, argv + 2);
	if (!strcmp(cmd, "ops"))
		return cli_ops(argc - 2, argv + 2);
	if (strcmp(cmd, "compile") && strcmp(cmd, "inspect") && strcmp(cmd, "validate")) {
		fprintf(stderr, "onnx2mcu: unknown command '%s'\n\n%s", cmd, usage_main);
		return EXIT_USAGE;
	}
	rc = cli_parse(cmd, argc - 2, argv + 2, &o);
	if (!rc)
		rc = !strcmp(cmd, "compile") ? compile(&o)
		   : !strcmp(cmd, "inspect") ? cli_inspect(&o) : cli_validate(&o);
	cli_free(&o);
	return rc;
}
