/* main.c - the onnx2mcu command line. The pipeline reads top to bottom in compile():
   load (frontend) -> passes (flow ... lower, schedule, plan) -> emit (codegen).
   Exit codes: 0 success, 1 the model cannot be compiled (bad file, unsupported op,
   unpinned dim, unbound input), 2 bad command line, 3 I/O or tool failure,
   4 validate: outputs differ from the reference. */
#include "../codegen/codegen.h"
#include "../frontend/onnx.h"
#include "../passes/rewrite.h"
#include "cli.h"
#include "validate.h"

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
	"  build PROJECT.json          compile every model a project file lists, each with\n"
	"                              its options; one depfile for them all\n"
	"  ops                         list the supported operators\n"
	"  rules                       list the rewrite rules\n"
	"  mcus                        list the parts --mcu knows (core, SRAM, flash)\n"
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
	"                       passes: flow, fold, identity, dce, quant, rewrite, patch,\n"
	"                       lower, schedule, plan\n"
	"  --verify-each        run the IR verifier after every pass\n"
	"  -O0, -O1             -O0 turns graph rewriting off (the ONNX graph as it is,\n"
	"                       constants folded); -O1, the default, rewrites and fuses\n"
	"  --disable-rule NAME  do not apply the rewrite rule NAME (repeatable; the rules\n"
	"                       are listed in docs/rewrites.md)\n"
	"  -v                   print each rewrite applied and each graph the search\n"
	"                       costed on stderr\n"
	"  --search-budget N    graphs the rewrite search may cost (default 64; 0: greedy\n"
	"                       rewriting only)\n"
	"  --search-alpha A     keep graphs up to A times the best cost in the search, so it\n"
	"                       can pass through worse graphs (default 1.05)\n"
	"  --cost-ram W         the cost model's price of one arena byte, in cycles (1)\n"
	"  --cost-flash W       the price of one byte of weights, in cycles (0.05)\n"
	"  --quantize int8      quantize a float model from the --calib samples\n"
	"  --quantize a16w8     the same with int16 activations (int8 weights)\n"
	"  --calib PATH         calibration samples (repeatable): an ONNX test data folder\n"
	"                       (input_K.pb, or test_data_set_* folders), a TensorProto\n"
	"                       file or a .npy array holding any number of samples\n"
	"  --calib-method M     minmax (default), percentile[=P] (99.99), entropy or mse;\n"
	"                       TENSOR=M for one tensor (repeatable)\n"
	"  --a16w8 NODE         with --quantize int8: the node computes with int16\n"
	"                       activations, converted at its edges (repeatable)\n"
	"  --keep-float NODE    with --quantize: the node stays float, quantized and\n"
	"                       dequantized at its edges (repeatable)\n"
	"  --io MODE            a model quantized by --quantize takes and returns int8\n"
	"                       (default; scale and zero point in the header) or float\n"
	"  --qdq MODE           quantized models (QDQ, QLinear ops): int (default) runs\n"
	"                       integer kernels; float runs the float ops between\n"
	"                       QuantizeLinear and DequantizeLinear as the ONNX graph says\n"
	"  --max-constants N    bytes of constants a model may hold (suffix K, M or G;\n"
	"                       default 256M; see docs/limits.md)\n"
	"  --max-nodes N        nodes a model may have with its functions expanded\n"
	"                       (default 131072; twice that once loops are unrolled)\n"
	"  --target CORE        the core the code is for: host, cortex-m0plus, cortex-m3,\n"
	"                       cortex-m4, cortex-m7, cortex-m33 or cortex-m55 (default:\n"
	"                       portable C that is good on all of them); the code states it\n"
	"                       and stops (#error) a build for an Arm core without the\n"
	"                       instructions it uses; validate also runs on it (QEMU)\n"
	"  --scratch-limit BYTES\n"
	"                       the most scratch one kernel call may take in the arena\n"
	"                       (suffix K, M or G); kernels are picked by the cost model\n"
	"                       among those that fit (0: none that take scratch)\n"
	"  --patches N          run the first layers (to the first small output after the\n"
	"                       largest layer) in N bands of rows, recomputing the rows\n"
	"                       where bands meet: less RAM for more instructions; under\n"
	"                       --ram-limit the compiler picks N itself when the plan does\n"
	"                       not fit (1: never)\n"
	"  --schedule best|given\n"
	"                       the order kernels run in: the one with the lowest peak of\n"
	"                       live arena bytes (best, the default), or the order of the\n"
	"                       model's nodes after the rewrites (given)\n"
	"  --int8-layout fast|compact\n"
	"                       int8 weights on a Cortex-M target: packed for its kernels\n"
	"                       (fast, the default; conv and fully connected weights take\n"
	"                       twice the flash on M3-M33), or as the model has them;\n"
	"                       with a flash limit, compact is taken when fast does not fit\n";

static const char *usage_compile =
	"usage: onnx2mcu compile MODEL.onnx -o DIR [options]\n"
	"\n"
	"Writes DIR/NAME.h, DIR/NAME.c, DIR/NAME_weights.c and the runtime-stub files they\n"
	"need; the folder compiles on its own (cc -c DIR/*.c -IDIR). DIR is replaced as a\n"
	"whole, and only when it is new, empty, or was written by onnx2mcu; on error nothing\n"
	"is written.\n"
	"\n"
	"options:\n"
	"  -o DIR               output folder (required)\n"
	"  -n NAME              C prefix of every symbol (default: the model file name)\n"
	"  --shared-runtime     keep kernel names o2m_*, so several models can share one\n"
	"                       copy of the runtime (compile only one folder's o2m_*.c)\n"
	"  --arena MODE         static (default): the code owns its arena, NAME_run(...);\n"
	"                       extern: NAME_run_with(arena, ...) takes NAME_ARENA_SIZE\n"
	"                       bytes aligned to NAME_ARENA_ALIGN, so models run one after\n"
	"                       another can share one buffer (docs/memory-planning.md)\n"
	"  --io-in-arena        the inputs and outputs live in the arena too: NAME_run()\n"
	"                       takes no pointers, NAME_IN0 and NAME_OUT0 (NAME_IN0_AT(arena)\n"
	"                       with --arena extern) say where to write and read, and an\n"
	"                       input's bytes are reused once it has been read\n"
	"  -q                   no summary line (kernel calls, MACs, arena and weights bytes,\n"
	"                       estimated cycles, time taken) on stderr at the end\n"
	"  --depfile FILE       write a Make rule 'DIR/NAME.mk: MODEL ...' naming every file\n"
	"                       the output depends on: the model, its external data, the\n"
	"                       --bind files and onnx2mcu itself\n"
	"  --mcu NAME           the part the code is for: sets --ram-limit and\n"
	"                       --flash-limit to its SRAM and flash ('onnx2mcu mcus');\n"
	"                       validate runs the code on the part's core (--target)\n"
	"  --ram-limit BYTES    RAM the model may take: arena plus input and output buffers\n"
	"                       (suffix K, M or G); more is an error naming where it goes\n"
	"  --flash-limit BYTES  bytes of weights the model may take (code not counted)\n"
	"  --force              over a limit: a warning, and the code is written\n"
	"  --report FILE.json   write what was made: kernel calls, MACs, arena and weights\n"
	"                       bytes, rewrites applied, the search, and one entry per\n"
	"                       kernel call (docs/rewrites.md)\n"
	"  --report-html FILE.html\n"
	"                       write one self-contained page: totals, cycles and arena\n"
	"                       bytes per kernel call, the arena timeline and the layer\n"
	"                       table (docs/memory-planning.md)\n"
	"  --memory-plan FILE.json\n"
	"                       write the memory plan: every arena buffer with its name,\n"
	"                       root (buffers of one root are views or in-place partners),\n"
	"                       offset, size and first and last schedule step\n";

static const char *usage_inspect =
	"usage: onnx2mcu inspect MODEL.onnx [options]\n"
	"\n"
	"Prints inputs and outputs, the op histogram, parameter count, MACs and the arena\n"
	"size the compiler would plan.\n"
	"\n"
	"options:\n"
	"  --mcu NAME, --ram-limit BYTES, --flash-limit BYTES\n"
	"                       also say how much of the part's RAM and flash it takes\n"
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
	else if (!strcmp(cmd, "rules"))
		fputs(usage_rules, f);
	else if (!strcmp(cmd, "mcus"))
		fputs(usage_mcus, f);
	else if (!strcmp(cmd, "build"))
		fputs(usage_build, f);
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

/* which command takes which option: one row each, checked before any option is read;
   C_FLAG marks the options that take no value (for the project files of build.c) */
enum { C_COMPILE = 1, C_INSPECT = 2, C_VALIDATE = 4, C_MODEL = 7, C_FLAG = 8 };
static const struct {
	const char *name;
	int cmds;
} option_table[] = {
	{"-o", C_COMPILE},              {"-n", C_COMPILE | C_VALIDATE},
	{"--shared-runtime", C_COMPILE | C_FLAG}, {"--report", C_COMPILE},
	{"-q", C_COMPILE | C_FLAG},     {"--depfile", C_COMPILE},
	{"--report-html", C_COMPILE},   {"--memory-plan", C_COMPILE | C_VALIDATE},
	{"--dim", C_MODEL},             {"--bind", C_MODEL},
	{"--seq", C_MODEL},             {"--empty", C_MODEL},
	{"--dump-after", C_MODEL},      {"--verify-each", C_MODEL | C_FLAG},
	{"-O0", C_MODEL | C_FLAG},      {"-O1", C_MODEL | C_FLAG},
	{"--disable-rule", C_MODEL},    {"-v", C_MODEL | C_FLAG},
	{"--search-budget", C_MODEL},   {"--search-alpha", C_MODEL},
	{"--cost-ram", C_MODEL},        {"--cost-flash", C_MODEL},
	{"--max-constants", C_MODEL},   {"--max-nodes", C_MODEL},   {"--qdq", C_MODEL},
	{"--quantize", C_MODEL},        {"--calib", C_MODEL},
	{"--calib-method", C_MODEL},    {"--io", C_MODEL},
	{"--keep-float", C_MODEL},       {"--a16w8", C_MODEL},
	{"--mcu", C_MODEL},
	{"--ram-limit", C_COMPILE | C_INSPECT | C_VALIDATE},
	{"--flash-limit", C_COMPILE | C_INSPECT | C_VALIDATE},
	{"--force", C_COMPILE | C_FLAG},
	{"--shape-inputs", C_INSPECT | C_FLAG},
	{"--data", C_VALIDATE},         {"--atol", C_VALIDATE},
	{"--rtol", C_VALIDATE},         {"--per-node", C_VALIDATE | C_FLAG},
	{"--reference", C_VALIDATE},    {"--cc", C_VALIDATE},
	{"--cflags", C_VALIDATE},       {"--keep", C_VALIDATE},
	{"--code", C_VALIDATE},         {"--target", C_MODEL},
	{"--scratch-limit", C_MODEL},   {"--int8-layout", C_MODEL},
	{"--patches", C_MODEL},         {"--schedule", C_MODEL},
	{"--qemu", C_VALIDATE},         {"--arena", C_COMPILE | C_VALIDATE},
	{"--io-in-arena", C_COMPILE | C_VALIDATE | C_FLAG},
	{"-h", C_MODEL | C_FLAG},       {"--help", C_MODEL | C_FLAG},
};

static int command_bit(const char *cmd)
{
	return !strcmp(cmd, "compile") ? C_COMPILE : !strcmp(cmd, "inspect") ? C_INSPECT
	       : C_VALIDATE;
}

int cli_option_takes(const char *cmd, const char *opt)
{
	for (size_t i = 0; i < sizeof option_table / sizeof *option_table; i++)
		if (!strcmp(option_table[i].name, opt))
			return !(option_table[i].cmds & command_bit(cmd)) ? -2
			     : !(option_table[i].cmds & C_FLAG);
	return -1;
}

/* 0 when a is an option cmd takes, or not an option at all */
static int option_check(const char *cmd, const char *a)
{
	char msg[256];

	if (a[0] != '-' || !a[1])
		return 0;
	for (size_t i = 0; i < sizeof option_table / sizeof *option_table; i++) {
		if (strcmp(option_table[i].name, a))
			continue;
		if (option_table[i].cmds & command_bit(cmd))
			return 0;
		snprintf(msg, sizeof msg, "option '%s' does not apply to %s", a, cmd);
		return cli_usage_error(cmd, "%s", msg);
	}
	return cli_usage_error(cmd, "unknown option '%s'", a);
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

/* --mcu of a part the table does not have: a usage error with the closest name */
static int mcu_unknown(const char *cmd, const char *name)
{
	const char **names = malloc(sizeof(char *) * (size_t)cli_nmcus);
	char msg[256];
	int k;

	IR_ASSERT(names);
	for (int i = 0; i < cli_nmcus; i++)
		names[i] = cli_mcus_table[i].name;
	k = ir_nearest(name, names, cli_nmcus);
	snprintf(msg, sizeof msg, "--mcu: no part '%s'%s%s%s (see 'onnx2mcu mcus')", name,
		 k >= 0 ? "; did you mean '" : "", k >= 0 ? names[k] : "", k >= 0 ? "'?" : "");
	free(names);
	return cli_usage_error(cmd, "%s", msg);
}

/* METHOD or TENSOR=METHOD of --calib-method; 0, or -1 when it does not parse */
static int calib_method_arg(CalibOptions *co, const char *arg)
{
	const char *const *names = cli_calib_methods;
	const char *eq = strchr(arg, '='), *m = arg;
	CalMethod method = CAL_MINMAX;
	double pct = 99.99;
	size_t n;
	int found = -1;

	for (int i = 0; i < 4; i++)
		if (!strncmp(arg, names[i], strlen(names[i])) &&
		    (!arg[strlen(names[i])] || arg[strlen(names[i])] == '='))
			found = i;
	if (found < 0 && eq) /* TENSOR=METHOD */
		m = eq + 1;
	for (int i = 0; i < 4; i++) {
		n = strlen(names[i]);
		if (strncmp(m, names[i], n) || (m[n] && m[n] != '='))
			continue;
		method = (CalMethod)i;
		if (m[n] == '=') {
			char *end;
			if (method != CAL_PERCENTILE)
				return -1;
			pct = strtod(m + n + 1, &end);
			if (*end || end == m + n + 1 || !(pct > 50 && pct <= 100))
				return -1;
		}
		if (m == arg) {
			co->method = method;
			co->percentile = pct;
		} else {
			co->per_tensor = realloc(co->per_tensor, sizeof *co->per_tensor *
								 (size_t)(co->nper_tensor + 1));
			IR_ASSERT(co->per_tensor);
			co->per_tensor[co->nper_tensor].tensor = strndup(arg, (size_t)(eq - arg));
			co->per_tensor[co->nper_tensor].method = method;
			co->per_tensor[co->nper_tensor++].percentile = pct;
		}
		return 0;
	}
	return -1;
}

/* the quantization options make sense together or not at all */
static int quant_options_ok(const CliOptions *o)
{
	const char *lone = o->ncalib ? "--calib" : o->calib_opt.nkeep_float ? "--keep-float"
			 : o->calib_opt.na16_nodes ? "--a16w8"
			 : o->calib_opt.nper_tensor ? "--calib-method" : NULL;

	if (o->quantize && !o->ncalib) {
		fprintf(stderr, "onnx2mcu: --quantize int8 needs calibration samples (--calib PATH)\n");
		return -1;
	}
	if (!o->quantize && lone) {
		fprintf(stderr, "onnx2mcu: %s goes with --quantize int8\n", lone);
		return -1;
	}
	return 0;
}

int cli_parse(const char *cmd, int argc, char **argv, CliOptions *o)
{
	memset(o, 0, sizeof *o);
	o->passes = (PassOptions)PASS_DEFAULTS;
	o->dims = calloc((size_t)argc + 1, sizeof *o->dims);
	o->binds = calloc((size_t)argc + 1, sizeof *o->binds);
	o->layouts = calloc((size_t)argc + 1, sizeof *o->layouts);
	o->atol = 1e-4;
	o->rtol = 1e-3;
	o->rule_on = malloc((size_t)rw_nrules + 1);
	memset(o->rule_on, 1, (size_t)rw_nrules + 1);
	o->passes.enabled = o->rule_on;
	o->rule_counts = calloc((size_t)rw_nrules + 1, sizeof(int));
	o->passes.rule_counts = o->rule_counts;
	o->passes.search = &o->search;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (option_check(cmd, a))
			return EXIT_USAGE;
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
			if (*end || o->dims[o->ndims - 1].value < 1) {
				cli_usage_error(cmd, "--dim value '%s' is not a size (1 or more)", v);
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
			snprintf(o->seq_text + strlen(o->seq_text), sizeof o->seq_text -
				 strlen(o->seq_text), " --seq %s", next);
			if (parse_seq(next, &o->layouts[o->nlayouts++]))
				return cli_usage_error(cmd, "--seq wants INPUT=N or INPUT=[d,d][d], not "
						       "'%s'", next);
		} else if (!strcmp(a, "--empty")) {
			NEED_ARG();
			snprintf(o->seq_text + strlen(o->seq_text), sizeof o->seq_text -
				 strlen(o->seq_text), " --empty %s", next);
			o->layouts[o->nlayouts].input = strdup(next);
			o->layouts[o->nlayouts++].empty = 1;
		} else if (!strcmp(a, "--dump-after")) {
			NEED_ARG();
			o->passes.dump_after = next;
		} else if (!strcmp(a, "--verify-each")) {
			o->passes.verify_each = 1;
		} else if (!strcmp(a, "-O0") || !strcmp(a, "-O1")) {
			o->passes.level = a[2] - '0';
		} else if (!strcmp(a, "--disable-rule")) {
			int r;
			NEED_ARG();
			r = rw_rule_find(next);
			if (r < 0)
				return cli_usage_error(cmd, "--disable-rule: no rule '%s' (see "
						       "docs/rewrites.md)", next);
			o->rule_on[r] = 0;
		} else if (!strcmp(a, "--search-budget")) {
			char *end;
			long v;
			NEED_ARG();
			v = strtol(next, &end, 10);
			if (*end || end == next || v < 0 || v > 1000000)
				return cli_usage_error(cmd, "--search-budget '%s' is not a count", next);
			o->passes.search_budget = (int)v;
		} else if (!strcmp(a, "--search-alpha") || !strcmp(a, "--cost-ram") ||
			   !strcmp(a, "--cost-flash")) {
			char *end;
			double v;
			NEED_ARG();
			v = strtod(next, &end);
			if (*end || end == next || !(v >= 0 && v < 1e9) ||
			    (a[2] == 's' && v < 1))
				return cli_usage_error(cmd, "'%s' is not a weight here (alpha >= 1, "
						       "costs >= 0)", next);
			*(a[2] == 's' ? &o->passes.search_alpha : a[7] == 'r' ? &o->passes.cost_ram
									: &o->passes.cost_flash) = v;
		} else if (!strcmp(a, "--quantize")) {
			NEED_ARG();
			if (strcmp(next, "int8") && strcmp(next, "a16w8"))
				return cli_usage_error(cmd, "--quantize takes int8 or a16w8, not '%s'",
						       next);
			o->quantize = 1;
			o->calib_opt.a16 = !strcmp(next, "a16w8");
		} else if (!strcmp(a, "--calib")) {
			NEED_ARG();
			o->calib = realloc(o->calib, sizeof *o->calib * (size_t)(o->ncalib + 1));
			IR_ASSERT(o->calib);
			o->calib[o->ncalib++] = next;
		} else if (!strcmp(a, "--calib-method")) {
			NEED_ARG();
			if (calib_method_arg(&o->calib_opt, next))
				return cli_usage_error(cmd, "--calib-method takes minmax, percentile[=P] "
						       "(50 < P <= 100), entropy or mse, or "
						       "TENSOR=METHOD, not '%s'", next);
		} else if (!strcmp(a, "--keep-float")) {
			NEED_ARG();
			o->calib_opt.keep_float = realloc(o->calib_opt.keep_float,
							  sizeof(char *) * (size_t)(o->calib_opt.nkeep_float + 1));
			IR_ASSERT(o->calib_opt.keep_float);
			o->calib_opt.keep_float[o->calib_opt.nkeep_float++] = next;
		} else if (!strcmp(a, "--a16w8")) {
			NEED_ARG();
			o->calib_opt.a16_nodes = realloc(o->calib_opt.a16_nodes,
							 sizeof(char *) * (size_t)(o->calib_opt.na16_nodes + 1));
			IR_ASSERT(o->calib_opt.a16_nodes);
			o->calib_opt.a16_nodes[o->calib_opt.na16_nodes++] = next;
		} else if (!strcmp(a, "--io")) {
			NEED_ARG();
			if (strcmp(next, "int8") && strcmp(next, "float"))
				return cli_usage_error(cmd, "--io takes int8 or float, not '%s'", next);
			o->calib_opt.io_float = !strcmp(next, "float");
		} else if (!strcmp(a, "--qdq")) {
			NEED_ARG();
			if (strcmp(next, "int") && strcmp(next, "float"))
				return cli_usage_error(cmd, "--qdq takes int or float, not '%s'", next);
			o->passes.qdq_float = !strcmp(next, "float");
		} else if (!strcmp(a, "--report")) {
			NEED_ARG();
			o->report = next;
		} else if (!strcmp(a, "--report-html")) {
			NEED_ARG();
			o->report_html = next;
		} else if (!strcmp(a, "--io-in-arena")) {
			o->passes.io_in_arena = 1;
		} else if (!strcmp(a, "--arena")) {
			NEED_ARG();
			if (strcmp(next, "static") && strcmp(next, "extern"))
				return cli_usage_error(cmd, "--arena takes static or extern, not '%s'", next);
			o->arena_extern = !strcmp(next, "extern");
		} else if (!strcmp(a, "--memory-plan")) {
			NEED_ARG();
			o->memory_plan = next;
		} else if (!strcmp(a, "--depfile")) {
			NEED_ARG();
			o->depfile = next;
		} else if (!strcmp(a, "-q")) {
			o->quiet = 1;
		} else if (!strcmp(a, "-v")) {
			o->passes.verbose = 1;
		} else if (!strcmp(a, "--max-constants")) {
			NEED_ARG();
			if (parse_bytes(next, &ir_max_const_bytes))
				return cli_usage_error(cmd, "--max-constants wants a size such as "
						       "512M, not '%s'", next);
		} else if (!strcmp(a, "--max-nodes")) {
			int64_t v;
			NEED_ARG();
			if (parse_bytes(next, &v) || v < 1 || v > (1 << 26))
				return cli_usage_error(cmd, "--max-nodes wants a count from 1 to "
						       "67108864 (suffix K or M), not '%s'", next);
			ir_max_nodes = (int)v;
		} else if (!strcmp(a, "--mcu")) {
			NEED_ARG();
			o->mcu = cli_mcu_find(next);
			if (!o->mcu)
				return mcu_unknown(cmd, next);
		} else if (!strcmp(a, "--ram-limit") || !strcmp(a, "--flash-limit")) {
			int64_t v;
			NEED_ARG();
			if (parse_bytes(next, &v) || v < 1)
				return cli_usage_error(cmd, "a limit wants a size such as 256K, not "
						       "'%s'", next);
			*(a[2] == 'r' ? &o->ram_limit : &o->flash_limit) = v;
		} else if (!strcmp(a, "--force")) {
			o->force = 1;
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
		} else if (!strcmp(a, "--target")) {
			NEED_ARG();
			o->passes.target = ir_target_find(next);
			if (!o->passes.target) {
				char msg[300];
				snprintf(msg, sizeof msg, "unknown --target '%.64s'; one of: %s", next,
					 ir_target_names());
				return cli_usage_error(cmd, "%s", msg);
			}
			/* validate runs the code on the core (target.c); host: here */
			o->target = strcmp(next, "host") ? next : NULL;
		} else if (!strcmp(a, "--scratch-limit")) {
			NEED_ARG();
			if (parse_bytes(next, &o->passes.scratch_limit) || o->passes.scratch_limit < 0)
				return cli_usage_error(cmd, "--scratch-limit wants a size such as 16K, "
						       "not '%s'", next);
		} else if (!strcmp(a, "--patches")) {
			char *end;
			long v;
			NEED_ARG();
			v = strtol(next, &end, 10);
			if (*end || end == next || v < 1 || v > 64)
				return cli_usage_error(cmd, "--patches wants a count of bands from 1 to "
						       "64, not '%.64s'", next);
			o->passes.patch_bands = v > 1 ? (int)v : 0;
			o->patches_set = 1;
		} else if (!strcmp(a, "--schedule")) {
			NEED_ARG();
			if (strcmp(next, "best") && strcmp(next, "given"))
				return cli_usage_error(cmd, "--schedule is best or given, not '%.64s'",
						       next);
			o->passes.schedule = !strcmp(next, "best");
		} else if (!strcmp(a, "--int8-layout")) {
			NEED_ARG();
			if (strcmp(next, "fast") && strcmp(next, "compact"))
				return cli_usage_error(cmd, "--int8-layout is fast or compact, not "
						       "'%.64s'", next);
			o->passes.int8_compact = !strcmp(next, "compact");
		} else if (!strcmp(a, "--qemu")) {
			NEED_ARG();
			o->qemu = next;
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
	if (quant_options_ok(o))
		return EXIT_USAGE;
	if (o->mcu && command_bit(cmd) == C_VALIDATE && !o->target) { /* its core, emulated */
		ValTarget t;
		if (val_target(o->mcu->core, &t))
			return cli_usage_error(cmd, "--mcu: validate cannot emulate %s's core; give "
					       "--target CORE (see 'onnx2mcu help validate')",
					       o->mcu->name);
		o->target = o->mcu->core;
	}
	if (o->mcu && !o->passes.target) /* the part's core, when onnx2mcu knows it */
		o->passes.target = ir_target_find(o->mcu->core);
	if (o->mcu && !o->ram_limit)
		o->ram_limit = o->mcu->sram;
	if (o->mcu && !o->flash_limit)
		o->flash_limit = o->mcu->flash;
	o->load.dims = o->dims;
	o->load.ndims = o->ndims;
	o->load.binds = o->binds;
	o->load.nbinds = o->nbinds;
	o->load.layouts = o->layouts;
	o->load.nlayouts = o->nlayouts;
	o->load.read = &o->files;
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
	free(o->rule_on);
	free(o->rule_counts);
	free(o->binds);
	free(o->layouts);
	onnx_files_free(&o->files);
	free(o->calib);
	for (int i = 0; i < o->calib_opt.nper_tensor; i++)
		free((char *)o->calib_opt.per_tensor[i].tensor);
	free(o->calib_opt.per_tensor);
	free(o->calib_opt.keep_float);
	free(o->calib_opt.a16_nodes);
	for (int i = 0; i < o->nqlayers; i++) {
		free((char *)o->qlayers[i].tensor);
		free((char *)o->qlayers[i].node);
		free((char *)o->qlayers[i].op);
	}
	free(o->qlayers);
	cli_calib_free(o);
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

char *cli_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL, *more;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap * 2 + 8192;
			more = realloc(text, cap);
			IR_ASSERT(more);
			text = more;
		}
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	text[n] = 0;
	if (ferror(f)) {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (len)
		*len = n;
	return text;
}

const char *cli_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- commands ---- */

int cli_passes(Graph *g, CliOptions *o)
{
	int rc = (o->quantize && cli_calibrate(g, o)) || passes_run(g, &o->passes) ||
		 (o->quantize && cli_quant_report(g, o));

	cli_calib_free(o);
	return rc ? -1 : 0;
}

/* g again with --int8-layout compact when its weights are over the flash limit and the
   target's packed int8 layouts made them bigger than the model's: the limit is a fit,
   speed is not worth a build that does not fit. NULL when the second build fails. */
static Graph *fit_int8(Graph *g, CliOptions *o)
{
	int64_t ram, io, flash, flash2;
	Graph *c;

	if (!o->flash_limit || o->passes.int8_compact || !o->passes.target)
		return g;
	cli_fit_bytes(g, &ram, &io, &flash);
	if (flash <= o->flash_limit)
		return g;
	o->passes.int8_compact = 1;
	c = onnx_load(o->model, &o->load);
	if (!c || cli_passes(c, o)) {
		ir_graph_free(c);
		ir_graph_free(g);
		return NULL;
	}
	cli_fit_bytes(c, &ram, &io, &flash2);
	if (flash2 >= flash) { /* nothing packed: the first build stands */
		o->passes.int8_compact = 0;
		ir_graph_free(c);
		return g;
	}
	ir_note(c, -1, "int8 weights as the model has them (--int8-layout compact): %s's "
		"packed layouts take %lld bytes, over the flash limit", o->passes.target->name,
		(long long)flash);
	ir_graph_free(g);
	return c;
}

/* Under --ram-limit (without --patches), when the plan does not fit: the first layers in
   bands (passes/patch.c), the fewest of 2, 3, 4, 6, 8, 12, 16 and 24 that fit, with a note
   of what they cost (estimated cycles; docs/memory-planning.md). The first build stands
   when none fits or patching changes nothing. NULL when a build fails. */
static Graph *fit_patches(Graph *g, CliOptions *o)
{
	static const int tries[] = {2, 3, 4, 6, 8, 12, 16, 24};
	int64_t ram, io, flash, ram2 = 0;
	ReportTotals before, after;

	if (!o->ram_limit || o->patches_set)
		return g;
	cli_fit_bytes(g, &ram, &io, &flash);
	if (ram <= o->ram_limit)
		return g;
	cli_totals(g, &before);
	for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
		Graph *c;
		o->passes.patch_bands = tries[i];
		c = onnx_load(o->model, &o->load);
		if (!c || cli_passes(c, o)) {
			ir_graph_free(c);
			ir_graph_free(g);
			return NULL;
		}
		if (!c->patched) { /* nothing to split: the first build stands */
			ir_graph_free(c);
			break;
		}
		cli_fit_bytes(c, &ram2, &io, &flash);
		if (ram2 < ram && (ram2 <= o->ram_limit || i + 1 == sizeof tries / sizeof *tries)) {
			cli_totals(c, &after);
			o->unpatched_ram = ram;
			o->unpatched_cycles = before.cycles;
			ir_note(c, -1, "%s", c->patch_note);
			ir_note(c, -1, "--ram-limit: %d patches: RAM %lld bytes instead of %lld, for "
				"%.1f%% more estimated cycles (%.0f instead of %.0f)", c->patched,
				(long long)ram2, (long long)ram,
				100.0 * (double)(after.cycles - before.cycles) / (double)(before.cycles > 0 ? before.cycles : 1),
				(double)after.cycles, (double)before.cycles);
			ir_graph_free(g);
			return c;
		}
		ir_graph_free(c);
	}
	o->passes.patch_bands = 0;
	return g;
}

/* load -> passes: the whole compiler up to code generation */
Graph *cli_build(CliOptions *o)
{
	Graph *g;

	if (o->passes.progress)
		o->passes.progress("loading", -1);
	g = onnx_load(o->model, &o->load);

	if (!g)
		return NULL;
	for (int i = 0; i < g->nn; i++)
		o->nodes_in += !g->n[i].dead;
	if (cli_passes(g, o)) {
		ir_graph_free(g);
		return NULL;
	}
	g = fit_int8(g, o);
	if (g && o->passes.patch_bands && g->patch_note) /* --patches N */
		ir_note(g, -1, "%s", g->patch_note);
	return g ? fit_patches(g, o) : NULL;
}

/* one line on stderr saying what compile made (-q: none) */
static void summary(Graph *g, const CliOptions *o, double seconds)
{
	ReportTotals t;
	char fit[160];

	if (o->quiet)
		return;
	cli_totals(g, &t);
	cli_fit_text(g, o, fit, sizeof fit);
	fprintf(stderr, "onnx2mcu: %s: %d kernel call%s, %lld MACs, arena %lld bytes, weights "
		"%lld bytes, ~%lld cycles (estimated, Cortex-M4), %.2f s%s\n", o->out, t.kernels,
		t.kernels == 1 ? "" : "s", (long long)t.macs, (long long)t.arena,
		(long long)t.weights, (long long)t.cycles, seconds, fit);
	for (int i = 0; o->passes.verbose && i < o->nqlayers; i++)
		fprintf(stderr, "  sqnr %6.1f dB  %-18s %s -> %s\n", o->qlayers[i].sqnr_db,
			o->qlayers[i].op, o->qlayers[i].node, o->qlayers[i].tensor);
	if (o->nqlayers) {
		const QuantLayer *w = &o->qlayers[0];
		for (int i = 1; i < o->nqlayers; i++)
			if (o->qlayers[i].sqnr_db < w->sqnr_db)
				w = &o->qlayers[i];
		fprintf(stderr, "onnx2mcu: %s against float on %d calibration sample%s: lowest "
			"SQNR %.1f dB at '%s' (%s), last %.1f dB\n",
			o->calib_opt.a16 ? "a16w8" : "int8", o->qsamples,
			o->qsamples == 1 ? "" : "s", w->sqnr_db, w->node, w->op,
			o->qlayers[o->nqlayers - 1].sqnr_db);
	}
}

int cli_compile(CliOptions *o)
{
	EmitOptions eo = {0};
	CliStamp stamp;
	double start = cli_now();
	Graph *g;
	int rc;

	if (!o->out)
		return cli_usage_error("compile", "%s", "compile needs -o DIR");
	eo.name = o->name ? o->name : cli_default_name(o->model);
	eo.model = cli_basename(o->model);
	eo.shared_runtime = o->shared_runtime;
	eo.arena_extern = o->arena_extern;
	eo.progress = cli_progress;
	if (!codegen_is_ident(eo.name))
		return cli_usage_error("compile", "-n '%s' is not a C identifier", eo.name);
	cli_progress_start(o->quiet);
	o->passes.progress = cli_progress;
	g = cli_build(o);
	cli_progress_end();
	if (!g)
		return EXIT_MODEL;
	if (cli_fit_check(g, o)) {
		ir_graph_free(g);
		return EXIT_MODEL;
	}
	if (cli_stamp(o, eo.name, &stamp)) {
		ir_graph_free(g);
		return EXIT_IO;
	}
	eo.model_sha256 = stamp.sha256;
	eo.options = stamp.options;
	rc = codegen_write(g, o->out, &eo) ? EXIT_IO : 0;
	cli_progress_end();
	if (!rc && o->memory_plan && cli_memory_plan_write(g, o->memory_plan))
		rc = EXIT_IO;
	if (!rc && o->report && cli_report_write(g, o, o->report))
		rc = EXIT_IO;
	if (!rc && o->report_html && cli_html_write(g, o, &stamp, eo.name, o->report_html))
		rc = EXIT_IO;
	if (!rc && o->depfile) {
		char target[4400];
		snprintf(target, sizeof target, "%s/%s.mk", o->out, eo.name);
		rc = cli_depfile_write(o->depfile, target, o) ? EXIT_IO : 0;
	}
	if (!rc)
		summary(g, o, cli_now() - start);
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
		const char *of = argc > 2 ? argv[2] : "";
		char key[64];
		snprintf(key, sizeof key, " %.60s ", of);
		if (*of && !strstr(" compile inspect validate tensor ops rules mcus build help ", key)) {
			fprintf(stderr, "onnx2mcu: no command '%s' (see 'onnx2mcu help')\n", of);
			return EXIT_USAGE;
		}
		usage_of(of, stdout);
		return 0;
	}
	if (!strcmp(cmd, "tensor"))
		return cli_tensor(argc - 2, argv + 2);
	if (!strcmp(cmd, "ops"))
		return cli_ops(argc - 2, argv + 2);
	if (!strcmp(cmd, "rules"))
		return cli_rules(argc - 2, argv + 2);
	if (!strcmp(cmd, "mcus"))
		return cli_mcus(argc - 2, argv + 2);
	if (!strcmp(cmd, "build"))
		return cli_build_project(argc - 2, argv + 2);
	if (strcmp(cmd, "compile") && strcmp(cmd, "inspect") && strcmp(cmd, "validate")) {
		fprintf(stderr, "onnx2mcu: unknown command '%s'\n\n%s", cmd, usage_main);
		return EXIT_USAGE;
	}
	rc = cli_parse(cmd, argc - 2, argv + 2, &o);
	if (!rc)
		rc = !strcmp(cmd, "compile") ? cli_compile(&o)
		   : !strcmp(cmd, "inspect") ? cli_inspect(&o) : cli_validate(&o);
	cli_free(&o);
	return rc;
}
