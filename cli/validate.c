/* validate.c - `onnx2mcu validate`: compiles a model, builds the generated C with the
   host C compiler (or, with --target, for a Cortex-M core run under QEMU: target.c) and
   a generated driver, runs it on the inputs of ONNX test data sets and compares every
   output with the expected one. With --per-node the generated code
   reports each intermediate tensor, which is compared with the compiler's own host
   evaluation of the original graph and with reference intermediates, naming the first
   node whose output diverges. */
#include "../codegen/codegen.h"
#include "cli.h"
#include "validate.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *usage_validate =
	"usage: onnx2mcu validate MODEL.onnx --data DIR [options]\n"
	"\n"
	"DIR is an ONNX test data set (input_N.pb, output_N.pb) or a folder of\n"
	"test_data_set_* folders. Compiles the model, builds the generated C with the host\n"
	"compiler, runs it on each data set and compares the outputs: per output the max\n"
	"absolute and relative error, mean absolute error, cosine similarity and SQNR.\n"
	"An element passes when |got - ref| <= atol + rtol * |ref| (NaN matches NaN;\n"
	"integers, bools and float8 values must match exactly). Exit 0 on pass, 4 on\n"
	"mismatch.\n"
	"\n"
	"options:\n"
	"  --atol A             absolute tolerance (default 1e-4)\n"
	"  --rtol R             relative tolerance (default 1e-3)\n"
	"  --per-node           compare every intermediate tensor of the generated code with\n"
	"                       the host evaluation of the original graph; name the first\n"
	"                       node that diverges\n"
	"  --reference DIR      also compare intermediates with TensorProto files in DIR,\n"
	"                       named after ONNX tensors (NAME.pb)\n"
	"  -n NAME              C prefix for the generated code (default from the file name)\n"
	"  --cc CC              host C compiler (default: $CC or cc)\n"
	"  --cflags FLAGS       flags for it (default: -std=c99 -O1 -Wall -Wextra -Werror\n"
	"                       -pedantic)\n"
	"  --target CORE        run on the core instead of the host: built with\n"
	"                       arm-none-eabi-gcc (or --cc) into a bare-metal harness, run\n"
	"                       under qemu-system-arm (mps2 and mps3 boards), files through\n"
	"                       semihosting. CORE: cortex-m3, cortex-m4, cortex-m7, cortex-m33,\n"
	"                       cortex-m55. --cflags then replaces -std=c99 -O2 -Wall -Wextra\n"
	"                       -Werror -pedantic -ffunction-sections -fdata-sections (the\n"
	"                       core's -mcpu/-mfpu/-mfloat-abi stay); ONNX2MCU_TIMEOUT sets\n"
	"                       the seconds a data set may take (default 600)\n"
	"  --arena MODE         validate code made with compile --arena MODE (static or\n"
	"                       extern: the driver passes an aligned buffer to NAME_run_with)\n"
	"  --io-in-arena        validate code made with compile --io-in-arena (the driver\n"
	"                       writes the inputs into the arena and reads the outputs there)\n"
	"  --memory-plan FILE.json\n"
	"                       write the memory plan of the code validated (see compile)\n"
	"  --qemu PATH          the qemu-system-arm to run --target with\n"
	"  --mcu NAME           --target the part's core ('onnx2mcu mcus')\n"
	"  --ram-limit BYTES, --flash-limit BYTES\n"
	"                       build the code compile would for these limits (patches\n"
	"                       of the first layers, the compact int8 layout) and check it\n"
	"  --keep DIR           keep the generated code, driver and data in DIR\n"
	"  --code DIR           check the code in DIR (an earlier `compile` of this model\n"
	"                       with the same -n and options) instead of generating it;\n"
	"                       refused when its header's stamp names another model,\n"
	"                       other options or another onnx2mcu version\n";

#define DEFAULT_CFLAGS "-std=c99 -O1 -Wall -Wextra -Werror -pedantic"

/* ---- files ---- */

static int write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(p, 1, n, f) == n ? 0 : -1;
	if (f && fclose(f))
		rc = -1;
	return rc;
}

void *val_read_bytes(const char *path, size_t want)
{
	FILE *f = fopen(path, "rb");
	void *p = calloc(1, want + 8);
	size_t got;

	if (!f || !p) {
		if (f)
			fclose(f);
		free(p);
		return NULL;
	}
	got = fread(p, 1, want, f);
	fclose(f);
	if (got != want) {
		free(p);
		return NULL;
	}
	return p;
}

static int has_prefix_file(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d)) != NULL)
		found = !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the data set folders: DIR itself, or its test_data_set_* children, sorted */
static int data_sets(const char *dir, char ***out)
{
	DIR *d;
	struct dirent *de;
	char **sets = NULL;
	int n = 0;

	if (has_prefix_file(dir, "input_") || has_prefix_file(dir, "output_")) {
		sets = malloc(sizeof *sets);
		sets[n++] = strdup(dir);
		*out = sets;
		return n;
	}
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "test_data_set_", 14))
			continue;
		sets = realloc(sets, sizeof *sets * (size_t)(n + 1));
		sets[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		sprintf(sets[n++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(sets, (size_t)n, sizeof *sets, cmp_str);
	*out = sets;
	return n;
}

static void free_sets(char **sets, int n)
{
	for (int i = 0; i < n; i++)
		free(sets[i]);
	free(sets);
}

/* ---- the driver ---- */

static void write_driver(Graph *g, const char *path, const char *name, int arena_extern)
{
	FILE *f = fopen(path, "w");
	char up[128];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof up; i++)
		up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
	up[i] = 0;
	fprintf(f, "/* validation driver: reads DIR/in_N.bin, runs, writes DIR/out_N.bin */\n"
		   "#include \"%s.h\"\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n",
		name);
	for (int k = 0; k < g->ninputs; k++)
		fprintf(f, "static %s in%d[%s_IN%d_SIZE + 1];\n", dt_ctype(g->t[g->inputs[k]].dtype), k,
			up, k);
	for (int k = 0; k < g->noutputs; k++)
		fprintf(f, "static %s out%d[%s_OUT%d_SIZE + 1];\n", dt_ctype(g->t[g->outputs[k]].dtype),
			k, up, k);
	if (arena_extern) /* the caller's arena: as big and as aligned as the header asks */
		fprintf(f, "typedef char arena_align_check[%s_ARENA_ALIGN <= 8 ? 1 : -1];\n"
			   "static union {\n\tunsigned char bytes[%s_ARENA_SIZE + 1];\n"
			   "\tint64_t align_;\n\tdouble align_d_;\n} arena;\n", up, up);
	fprintf(f, "\nstatic FILE *open_in(const char *dir, const char *what, int k, const char *mode)\n"
		   "{\n\tchar path[4096];\n\tsprintf(path, \"%%s/%%s_%%d.bin\", dir, what, k);\n"
		   "\treturn fopen(path, mode);\n}\n\n"
		   "#ifdef %s_TRACE_HOOK\nstatic FILE *trace;\n"
		   "void %s_trace(int node, const char *tensor, const void *data, long bytes)\n{\n"
		   "\tint len = (int)strlen(tensor);\n"
		   "\tlong long n = bytes; /* 8 bytes on the host and on a 32-bit target */\n"
		   "\tfwrite(&node, sizeof node, 1, trace);\n\tfwrite(&len, sizeof len, 1, trace);\n"
		   "\tfwrite(tensor, 1, (size_t)len, trace);\n\tfwrite(&n, sizeof n, 1, trace);\n"
		   "\tfwrite(data, 1, (size_t)bytes, trace);\n}\n#endif\n\n",
		up, name);
	fprintf(f, "static int drive(const char *dir)\n{\n\tFILE *f;\n\tint rc;\n");
	for (int k = 0; k < g->ninputs; k++)
		fprintf(f, "\tf = open_in(dir, \"in\", %d, \"rb\");\n"
			   "\tif (!f || fread(in%d, 1, %s_IN%d_BYTES, f) != %s_IN%d_BYTES)\n\t\treturn 8;\n"
			   "\tfclose(f);\n", k, k, up, k, up, k);
	fprintf(f, "#ifdef %s_TRACE_HOOK\n\tf = open_in(dir, \"trace\", 0, \"wb\");\n"
		   "\ttrace = f;\n#endif\n", up);
	for (int k = 0; g->io_in_arena && k < g->ninputs; k++) /* into the arena */
		if (ir_numel(&g->t[g->inputs[k]]))
			fprintf(f, arena_extern ? "\tmemcpy(%s_IN%d_AT(arena.bytes), in%d, %s_IN%d_BYTES);\n"
				: "\tmemcpy(%s_IN%d, in%d, %s_IN%d_BYTES);\n", up, k, k, up, k);
	fprintf(f, arena_extern ? "\trc = %s_run_with(arena.bytes" : "\trc = %s_run(", name);
	for (int k = 0; k < g->ninputs && !g->io_in_arena; k++)
		fprintf(f, "%sin%d", k || arena_extern ? ", " : "", k);
	for (int k = 0; k < g->noutputs && !g->io_in_arena; k++)
		fprintf(f, "%sout%d", k || g->ninputs || arena_extern ? ", " : "", k);
	fprintf(f, ");\n#ifdef %s_TRACE_HOOK\n\tfclose(trace);\n#endif\n"
		   "\tif (rc) {\n\t\tfprintf(stderr, \"%s_run returned %%d\\n\", rc);\n\t\treturn 10;\n\t}\n",
		up, name);
	for (int k = 0; g->io_in_arena && k < g->noutputs; k++) /* out of the arena */
		if (ir_numel(&g->t[g->outputs[k]]))
			fprintf(f, arena_extern ? "\tmemcpy(out%d, %s_OUT%d_AT(arena.bytes), %s_OUT%d_BYTES);\n"
				: "\tmemcpy(out%d, %s_OUT%d, %s_OUT%d_BYTES);\n", k, up, k, up, k);
	for (int k = 0; k < g->noutputs; k++)
		fprintf(f, "\tf = open_in(dir, \"out\", %d, \"wb\");\n"
			   "\tif (!f || fwrite(out%d, 1, %s_OUT%d_BYTES, f) != %s_OUT%d_BYTES)\n\t\treturn 7;\n"
			   "\tfclose(f);\n", k, k, up, k, up, k);
	/* on a target (--target) the files are in QEMU's folder, through semihosting */
	fprintf(f, "\treturn 0;\n}\n\n#ifdef O2M_TARGET\nint main(void)\n{\n\treturn drive(\".\");\n}\n"
		   "#else\nint main(int argc, char **argv)\n{\n\treturn argc < 2 ? 9 : drive(argv[1]);\n}\n"
		   "#endif\n");
	fclose(f);
}

/* ---- inputs of one data set ---- */

/* where the tensors of declared input k go: g->inputs[first, first + count); count 0
   for a bound input */
static IoValue input_value(Graph *g, const char *name, int k)
{
	IoValue v = {0};

	for (int i = 0; i < g->ndeclared; i++)
		if (name && *name && !strcmp(g->declared[i], name))
			k = i;
	if (k < g->ndeclared && g->invals)
		v = g->invals[k];
	if (v.kind == V_TENSOR) { /* a tensor input: wherever it is among the run-time ones */
		v.count = 0;
		for (int i = 0; k < g->ndeclared && i < g->ninputs; i++)
			if (!strcmp(g->t[g->inputs[i]].name, g->declared[k]))
				v.first = i, v.count = 1;
	}
	return v;
}

/* an int8 (int16) input or output of a model quantized with --quantize (an integer
   interface) whose data is float: quantized going in, dequantized coming out */
static int quantized_io(const Tensor *x, const OnnxTensor *t)
{
	return ir_quant_act(x) && t->dtype == DT_F32;
}

static int fits(const Tensor *x, const OnnxTensor *t)
{
	int64_t n = 1;
	for (int i = 0; i < t->rank; i++)
		n *= t->dims[i];
	return (t->dtype == x->dtype || quantized_io(x, t)) && n == ir_numel(x);
}

/* float values as the integer tensor x holds them: round half even, saturate */
static void quantize_values(const Tensor *x, const float *v, void *q)
{
	for (int64_t i = 0; i < ir_numel(x); i++)
		ir_quantize1(x, v[i], q, i);
}

/* the tensors of a value file, one per run-time input of the value */
static int write_value(Graph *g, const char *path, const IoValue *iv, const OnnxValue *v,
		       const char *work, OnnxTensor *vals)
{
	char out[4096];

	if (v->n != iv->count) {
		fprintf(stderr, "onnx2mcu: %s holds %d tensors, input '%s' was compiled for %d\n",
			path, v->n, iv->name, iv->count);
		return -1;
	}
	for (int j = 0; j < v->n; j++) {
		int i = iv->first + j;
		if (!fits(&g->t[g->inputs[i]], &v->t[j])) {
			fprintf(stderr, "onnx2mcu: %s does not fit input '%s' (%s, %lld elements)\n",
				path, g->t[g->inputs[i]].name, dt_name(g->t[g->inputs[i]].dtype),
				(long long)ir_numel(&g->t[g->inputs[i]]));
			return -1;
		}
		snprintf(out, sizeof out, "%s/in_%d.bin", work, i);
		if (quantized_io(&g->t[g->inputs[i]], &v->t[j])) {
			void *q = malloc((size_t)ir_nbytes(&g->t[g->inputs[i]]) + 1);
			int rc;
			IR_ASSERT(q);
			quantize_values(&g->t[g->inputs[i]], v->t[j].data, q);
			rc = write_bytes(out, q, (size_t)ir_nbytes(&g->t[g->inputs[i]]));
			free(q);
			if (rc)
				return -1;
		} else if (write_bytes(out, v->t[j].data, (size_t)ir_nbytes(&g->t[g->inputs[i]]))) {
			return -1;
		}
		onnx_tensor_free(&vals[i]);
		vals[i] = v->t[j];
		memset(&v->t[j], 0, sizeof v->t[j]);
	}
	return 0;
}

/* writes in_N.bin for each runtime input; fills vals[] with the inputs for --per-node */
static int prepare_inputs(Graph *g, const char *set, const char *work, OnnxTensor *vals)
{
	char path[4096], err[512];
	int have = 0;

	for (int k = 0;; k++) {
		OnnxTensor t;
		OnnxValue v;
		IoValue iv;
		snprintf(path, sizeof path, "%s/input_%d.pb", set, k);
		if (access(path, F_OK))
			break;
		iv = input_value(g, NULL, k);
		if (iv.kind == V_TENSOR) { /* a name in the file may say which input it is */
			if (onnx_tensor_read(path, &t, err, sizeof err)) {
				fprintf(stderr, "onnx2mcu: %s\n", err);
				return -1;
			}
			iv = input_value(g, t.name, k);
			onnx_tensor_free(&t);
		}
		if (!iv.count)
			continue; /* a bound input, or an empty one */
		if (onnx_value_read(path, iv.kind, &v, err, sizeof err)) {
			fprintf(stderr, "onnx2mcu: %s\n", err);
			return -1;
		}
		if (write_value(g, path, &iv, &v, work, vals)) {
			onnx_value_free(&v);
			return -1;
		}
		onnx_value_free(&v);
		have += iv.count;
	}
	if (have < g->ninputs) {
		fprintf(stderr, "onnx2mcu: %s has %d of the %d run-time inputs\n", set, have, g->ninputs);
		return -1;
	}
	return 0;
}

/* ---- comparison ---- */

int val_compare(DType dt, const void *got, const void *ref, int64_t n, double atol, double rtol,
		Metrics *m)
{
	double dot = 0, gg = 0, rr = 0, ee = 0, sum_abs = 0;
	int exact = !dt_is_float(dt);

	memset(m, 0, sizeof *m);
	m->first_bad = -1;
	if (dt_is_f8(dt)) /* a float8 result is one rounding of a value: it matches or not */
		atol = rtol = 0;
	for (int64_t i = 0; i < n; i++) {
		double a = dt_get(dt, got, i), b = dt_get(dt, ref, i), d;
		int ok;
		if (exact) {
			ok = dt_get_i64(dt, got, i) == dt_get_i64(dt, ref, i);
			d = fabs(a - b);
		} else if (isnan(a) || isnan(b)) {
			ok = isnan(a) && isnan(b);
			d = ok ? 0 : INFINITY;
		} else if (isinf(b) || isinf(a)) {
			ok = a == b;
			d = ok ? 0 : INFINITY;
		} else {
			d = fabs(a - b);
			ok = d <= atol + rtol * fabs(b);
		}
		if (!ok) {
			if (m->first_bad < 0)
				m->first_bad = i;
			m->nbad++;
		}
		if (d > m->max_abs)
			m->max_abs = d;
		if (fabs(b) > 0 && d / fabs(b) > m->max_rel)
			m->max_rel = d / fabs(b);
		if (isfinite(a) && isfinite(b)) {
			sum_abs += d;
			dot += a * b;
			gg += a * a;
			rr += b * b;
			ee += (a - b) * (a - b);
		}
	}
	m->mean_abs = n ? sum_abs / (double)n : 0;
	m->cosine = gg > 0 && rr > 0 ? dot / (sqrt(gg) * sqrt(rr)) : (gg == rr ? 1.0 : 0.0);
	m->sqnr_db = ee > 0 ? 10 * log10(rr / ee) : INFINITY;
	return m->nbad ? -1 : 0;
}

/* run-time output k against the reference tensor ref; 0 when they match */
static int compare_one(Graph *g, int k, const OnnxTensor *ref, const char *work,
		       const CliOptions *o)
{
	const Tensor *y = &g->t[g->outputs[k]];
	char path[4096];
	Metrics m;
	void *got;

	printf("  output %d '%s' %s: ", k, y->name, dt_name(y->dtype));
	if (!fits(y, ref)) {
		printf("reference has %s with a different element count: FAIL\n", dt_name(ref->dtype));
		return -1;
	}
	snprintf(path, sizeof path, "%s/out_%d.bin", work, k);
	got = val_read_bytes(path, (size_t)ir_nbytes(y));
	if (!got) {
		printf("no output: FAIL\n");
		return -1;
	}
	if (quantized_io(y, ref)) { /* compared as the real values the integer output holds */
		float *f = malloc(sizeof *f * (size_t)(ir_numel(y) + 1));
		IR_ASSERT(f);
		for (int64_t i = 0; i < ir_numel(y); i++)
			f[i] = (float)ir_dequant1(y, got, i);
		free(got);
		got = f;
		printf("(%s, dequantized) ", y->dtype == DT_S16 ? "int16" : "int8");
	}
	val_compare(ref->dtype, got, ref->data, ir_numel(y), o->atol, o->rtol, &m);
	printf("max_abs %.3g max_rel %.3g mean_abs %.3g cosine %.6f sqnr %.1f dB  %s\n",
	       m.max_abs, m.max_rel, m.mean_abs, m.cosine, m.sqnr_db, m.nbad ? "FAIL" : "ok");
	if (m.nbad)
		printf("    %lld of %lld elements out of tolerance; first at index %lld: got %.9g, "
		       "expected %.9g\n", (long long)m.nbad, (long long)ir_numel(y),
		       (long long)m.first_bad, dt_get(ref->dtype, got, m.first_bad),
		       dt_get(y->dtype, ref->data, m.first_bad));
	free(got);
	return m.nbad ? -1 : 0;
}

/* per ONNX output: a tensor, or the tensors of a sequence or an optional */
static int compare_outputs(Graph *g, const char *set, const char *work, const CliOptions *o)
{
	char path[4096], err[512];
	int bad = 0;

	for (int k = 0; k < g->noutvals; k++) {
		const IoValue *ov = &g->outvals[k];
		OnnxValue ref;
		snprintf(path, sizeof path, "%s/output_%d.pb", set, k);
		if (onnx_value_read(path, ov->kind, &ref, err, sizeof err)) {
			fprintf(stderr, "onnx2mcu: %s\n", err);
			return -1;
		}
		if (ref.n != ov->count) {
			printf("  output '%s': the reference holds %d tensors, the code %d: FAIL\n",
			       ov->name, ref.n, ov->count);
			bad++;
		}
		for (int j = 0; j < ref.n && j < ov->count; j++)
			bad += compare_one(g, ov->first + j, &ref.t[j], work, o) != 0;
		onnx_value_free(&ref);
	}
	return bad ? -1 : 0;
}

static int run_cmd(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + (rc & 127);
}

/* --code: the generated folder to check, instead of generating one */
static int copy_code(const char *from, const char *to)
{
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "cp '%s'/*.c '%s'/*.h '%s'/", from, from, to);
	if (run_cmd(cmd)) {
		fprintf(stderr, "onnx2mcu: cannot copy the generated code from %s\n", from);
		return -1;
	}
	return 0;
}

/* ---- the command ---- */

static void remove_work(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (run_cmd(cmd))
		fprintf(stderr, "onnx2mcu: could not remove %s\n", dir);
}

int cli_validate(CliOptions *o)
{
	EmitOptions eo = {0};
	CliStamp stamp;
	char work[4096], path[4096], cmd[16384];
	const char *cc = o->cc ? o->cc : getenv("CC") ? getenv("CC") : "cc";
	ValTarget tg, *target = o->target && !val_target(o->target, &tg) ? &tg : NULL;
	char **sets = NULL;
	int nsets, failed = 0, rc = 0;
	OnnxTensor *vals;
	Graph *g;

	if (!o->data)
		return cli_usage_error("validate", "%s", "validate needs --data DIR");
	if (o->target && !target)
		return val_target_unknown(o->target);
	if (o->qemu && !target)
		return cli_usage_error("validate", "%s", "--qemu needs --target");
	if (target && val_target_tools(o))
		return EXIT_IO;
	nsets = data_sets(o->data, &sets);
	if (nsets <= 0) {
		fprintf(stderr, "onnx2mcu: %s holds no test data (input_N.pb / test_data_set_*)\n",
			o->data);
		return EXIT_USAGE;
	}
	eo.name = o->name ? o->name : cli_default_name(o->model);
	eo.model = cli_basename(o->model);
	eo.arena_extern = o->arena_extern;
	if (!codegen_is_ident(eo.name)) {
		free_sets(sets, nsets);
		return cli_usage_error("validate", "-n '%s' is not a C identifier", eo.name);
	}
	o->load.layout_dir = sets[0]; /* sequence and optional inputs: the first data set's */
	g = cli_build(o);
	if (!g) {
		free_sets(sets, nsets);
		return EXIT_MODEL;
	}
	if (o->memory_plan && cli_memory_plan_write(g, o->memory_plan)) {
		ir_graph_free(g);
		free_sets(sets, nsets);
		return EXIT_IO;
	}
	if (o->keep) {
		snprintf(work, sizeof work, "%s", o->keep);
		mkdir(work, 0755);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(work, sizeof work, "%s/onnx2mcu-validate-XXXXXX", tmp ? tmp : "/tmp");
		if (!mkdtemp(work)) {
			fprintf(stderr, "onnx2mcu: cannot create a work folder: %s\n", strerror(errno));
			free_sets(sets, nsets);
			ir_graph_free(g);
			return EXIT_IO;
		}
	}
	snprintf(path, sizeof path, "%s/gen", work);
	mkdir(path, 0755);
	if (o->code) { /* code made from this model with these options, or none */
		rc = cli_stamp(o, eo.name, &stamp) ? EXIT_IO
		     : cli_stamp_check(o->code, eo.name, &stamp);
		if (rc)
			goto done;
	}
	if (o->code ? copy_code(o->code, path) : codegen_emit(g, path, &eo)) {
		rc = EXIT_IO;
		goto done;
	}
	snprintf(path, sizeof path, "%s/driver.c", work);
	write_driver(g, path, eo.name, o->arena_extern);
	{
		char up[128], trace[160];
		size_t i;
		for (i = 0; eo.name[i] && i + 1 < sizeof up; i++)
			up[i] = (char)(eo.name[i] >= 'a' && eo.name[i] <= 'z' ? eo.name[i] - 32 : eo.name[i]);
		up[i] = 0;
		snprintf(trace, sizeof trace, "%s%s_TRACE_HOOK", o->per_node ? "-D" : "-U", up);
		if (target) {
			rc = val_target_build_cmd(target, o, work, trace, cmd, sizeof cmd) ? EXIT_IO : 0;
			if (rc)
				goto done;
		} else {
			snprintf(cmd, sizeof cmd, "%s %s %s -I'%s/gen' '%s'/gen/*.c '%s/driver.c' "
				 "-o '%s/run' -lm", cc, o->cflags ? o->cflags : DEFAULT_CFLAGS, trace,
				 work, work, work, work);
		}
	}
	if (run_cmd(cmd)) {
		fprintf(stderr, "onnx2mcu: the generated code did not build:\n  %s\n", cmd);
		rc = EXIT_IO;
		goto done;
	}
	vals = calloc((size_t)g->ninputs + 1, sizeof *vals);
	for (int s = 0; s < nsets && !rc; s++) {
		char set_work[4200];
		int r;
		snprintf(set_work, sizeof set_work, "%s/set_%d", work, s);
		mkdir(set_work, 0755);
		printf("data set %s%s%s:\n", sets[s], target ? " on " : "", target ? target->core : "");
		if (prepare_inputs(g, sets[s], set_work, vals)) {
			rc = EXIT_MODEL;
			break;
		}
		if (target) {
			r = val_target_run(target, o, work, set_work);
			if (r < 0) {
				rc = EXIT_IO;
				break;
			}
		} else {
			snprintf(cmd, sizeof cmd, "'%s/run' '%s'", work, set_work);
			r = run_cmd(cmd);
		}
		if (r) {
			printf("  the generated code failed (driver exit %d%s)\n", r,
			       target && r == 99 ? ": a fault on the target" : "");
			failed++;
			continue;
		}
		if (compare_outputs(g, sets[s], set_work, o))
			failed++;
		if (o->per_node && val_per_node(o, g, vals, set_work))
			failed++;
	}
	for (int i = 0; i < g->ninputs; i++)
		onnx_tensor_free(&vals[i]);
	free(vals);
	if (!rc) {
		printf("verdict: %s (%d data set%s, atol %g, rtol %g)\n", failed ? "FAIL" : "PASS", nsets,
		       nsets > 1 ? "s" : "", o->atol, o->rtol);
		rc = failed ? EXIT_MISMATCH : 0;
	}
done:
	if (!o->keep)
		remove_work(work);
	free_sets(sets, nsets);
	ir_graph_free(g);
	return rc;
}
