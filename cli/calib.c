/* calib.c - compile --quantize int8 --calib PATH...: reads the calibration samples (ONNX
   test data folders, TensorProto files, numpy .npy arrays) and hands them to
   passes/calib.c, which turns the float model into a quantized one. */
#include "cli.h"
#include "../passes/calib.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const cli_calib_methods[4] = {"minmax", "percentile", "entropy", "mse"};

typedef struct {
	Graph *g;
	Graph *flt;            /* the float graph, lowered */
	int n, cap;            /* samples */
	unsigned char **data;  /* per sample: the inputs' bytes, one after another */
	const void **ptrs;     /* the pointers of the sample handed out last */
	FileList *read;        /* gets every file read, for --depfile */
} Samples;

static int64_t input_bytes(const Graph *g, int k) { return ir_nbytes(&g->t[g->inputs[k]]); }

static unsigned char *new_sample(Samples *s)
{
	int64_t total = 0;

	for (int k = 0; k < s->g->ninputs; k++)
		total += input_bytes(s->g, k);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->data = realloc(s->data, sizeof *s->data * (size_t)s->cap);
		IR_ASSERT(s->data);
	}
	s->data[s->n] = malloc((size_t)total + 1);
	IR_ASSERT(s->data[s->n]);
	return s->data[s->n++];
}

static int64_t offset_of(const Graph *g, int k)
{
	int64_t at = 0;
	for (int i = 0; i < k; i++)
		at += input_bytes(g, i);
	return at;
}

/* values of input k for as many samples as they hold (count a multiple of the input's) */
static int add_values(Samples *s, int k, DType dt, int64_t count, const void *data,
		      const char *path, int first)
{
	const Tensor *in = &s->g->t[s->g->inputs[k]];
	int64_t per = ir_numel(in), bytes = input_bytes(s->g, k);

	if (dt != in->dtype || per <= 0 || count % per || !count || (!first && count != per)) {
		fprintf(stderr, "onnx2mcu: %s: %lld %s values do not make samples of input '%s' "
			"(%s, %lld values)\n", path, (long long)count, dt_name(dt), in->name,
			dt_name(in->dtype), (long long)per);
		return -1;
	}
	for (int64_t i = 0; i < count / per; i++) {
		unsigned char *d = k == 0 && first ? new_sample(s) : s->data[s->n - 1];
		memcpy(d + offset_of(s->g, k), (const unsigned char *)data + i * bytes, (size_t)bytes);
	}
	return 0;
}

/* ---- numpy .npy: little-endian float32/float64/int8/uint8, C order ---- */

static int npy_header(const unsigned char *p, size_t len, const char *path, DType *dt,
		      int64_t *count, size_t *data_at)
{
	size_t hlen, at;
	char head[1024];
	const char *d, *sh;

	if (len < 12 || memcmp(p, "\x93NUMPY", 6)) {
		fprintf(stderr, "onnx2mcu: %s: not a .npy file\n", path);
		return -1;
	}
	hlen = p[6] == 1 ? (size_t)(p[8] | p[9] << 8) : (size_t)(p[8] | p[9] << 8 | p[10] << 16);
	at = p[6] == 1 ? 10 : 12;
	if (at + hlen > len || hlen >= sizeof head) {
		fprintf(stderr, "onnx2mcu: %s: truncated .npy header\n", path);
		return -1;
	}
	memcpy(head, p + at, hlen);
	head[hlen] = 0;
	d = strstr(head, "'descr':");
	sh = strstr(head, "'shape':");
	if (!d || !sh || strstr(head, "'fortran_order': True")) {
		fprintf(stderr, "onnx2mcu: %s: needs a C-order array with descr and shape\n", path);
		return -1;
	}
	d = strchr(d + 8, '\'');
	*dt = !d ? DT_UNDEF : !strncmp(d, "'<f4'", 5) ? DT_F32 : !strncmp(d, "'<f8'", 5) ? DT_F64
	    : !strncmp(d, "'<f2'", 5) ? DT_F16
	    : !strncmp(d, "'|i1'", 5) ? DT_S8 : !strncmp(d, "'|u1'", 5) ? DT_U8 : DT_UNDEF;
	if (*dt == DT_UNDEF) {
		fprintf(stderr, "onnx2mcu: %s: element type not read (float16, float32, "
			"float64, int8 and uint8 are)\n", path);
		return -1;
	}
	*count = 1;
	for (sh = strchr(sh, '('); sh && *sh && *sh != ')'; sh++)
		if (*sh >= '0' && *sh <= '9') {
			char *end;
			long long v = strtoll(sh, &end, 10);
			if (v < 0 || (v && *count > INT64_MAX / v)) {
				fprintf(stderr, "onnx2mcu: %s: shape too large\n", path);
				return -1;
			}
			*count *= v;
			sh = end - 1;
		}
	*data_at = at + hlen;
	if (*count > (int64_t)((len - *data_at) / (size_t)dt_size(*dt))) {
		fprintf(stderr, "onnx2mcu: %s: holds fewer values than its shape says\n", path);
		return -1;
	}
	return 0;
}

static int add_npy(Samples *s, const char *path)
{
	size_t len, at;
	unsigned char *p = (unsigned char *)cli_slurp(path, &len);
	DType dt;
	int64_t count;
	int rc = -1;

	onnx_files_add(s->read, path);
	if (!p) {
		fprintf(stderr, "onnx2mcu: %s: %s\n", path, errno ? strerror(errno) : "read error");
		return -1;
	}
	if (npy_header(p, len, path, &dt, &count, &at) == 0) {
		const void *v = p + at;
		float *f = NULL;
		if (dt == DT_F64 || dt == DT_F16) { /* made the model's float32 */
			f = malloc(sizeof *f * (size_t)(count ? count : 1));
			IR_ASSERT(f);
			for (int64_t i = 0; i < count; i++)
				f[i] = (float)dt_get(dt, p + at, i);
			v = f, dt = DT_F32;
		}
		rc = add_values(s, 0, dt, count, v, path, 1);
		free(f);
	}
	free(p);
	return rc;
}

/* ---- TensorProto files and test data folders ---- */

static int add_pb(Samples *s, int k, const char *path, int first)
{
	char err[256];
	OnnxTensor t;
	int rc;

	onnx_files_add(s->read, path);
	if (onnx_tensor_read(path, &t, err, sizeof err)) {
		fprintf(stderr, "onnx2mcu: %s: %s\n", path, err);
		return -1;
	}
	rc = add_values(s, k, t.dtype, ir_dims_numel(t.rank, t.dims, INT64_MAX), t.data, path,
			first);
	onnx_tensor_free(&t);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* one data set: input_K.pb for every input (one sample each when there are several) */
static int add_set(Samples *s, const char *dir)
{
	int n0 = s->n;

	for (int k = 0; k < s->g->ninputs; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/input_%d.pb", dir, k);
		if (add_pb(s, k, path, k == 0))
			return -1;
		if (k == 0 && s->g->ninputs > 1 && s->n != n0 + 1) {
			fprintf(stderr, "onnx2mcu: %s: one sample per data set for a model of "
				"several inputs\n", dir);
			return -1;
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(Samples *s, const char *dir)
{
	char path[4096], **names = NULL;
	int n = 0, cap = 0, rc = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof path, "%s/input_0.pb", dir);
	if (access(path, R_OK) == 0)
		return add_set(s, dir);
	if (!(d = opendir(dir))) {
		fprintf(stderr, "onnx2mcu: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "test_data_set_", 14))
			continue;
		if (n == cap) {
			char **more;
			cap = cap ? 2 * cap : 16;
			more = realloc(names, sizeof *names * (size_t)cap);
			IR_ASSERT(more);
			names = more;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, (size_t)n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!rc && add_set(s, path))
			rc = -1;
		free(names[i]);
	}
	free(names);
	if (!n && !rc) {
		fprintf(stderr, "onnx2mcu: %s: no input_0.pb and no test_data_set_* folder\n", dir);
		rc = -1;
	}
	return rc;
}

static int add_path(Samples *s, const char *path)
{
	size_t n = strlen(path);

	if (is_dir(path))
		return add_dir(s, path);
	if (s->g->ninputs != 1) {
		fprintf(stderr, "onnx2mcu: %s: the model has %d inputs: give calibration data as "
			"test data folders (input_K.pb)\n", path, s->g->ninputs);
		return -1;
	}
	if (n > 4 && !strcmp(path + n - 4, ".npy"))
		return add_npy(s, path);
	return add_pb(s, 0, path, 1);
}

static const void *const *sample(void *ctx, int i)
{
	Samples *s = ctx;

	for (int k = 0; k < s->g->ninputs; k++)
		s->ptrs[k] = s->data[i] + offset_of(s->g, k);
	return s->ptrs;
}

int cli_calibrate(Graph *g, CliOptions *o)
{
	Samples *s = calloc(1, sizeof *s);
	int rc = 0;

	IR_ASSERT(s);
	s->g = g;
	s->read = &o->files;
	s->ptrs = calloc((size_t)g->ninputs + 1, sizeof *s->ptrs);
	IR_ASSERT(s->ptrs);
	o->calib_state = s;
	for (int i = 0; i < g->ninputs; i++)
		if (!(g->t[g->inputs[i]].flags & T_SHAPED) || ir_numel(&g->t[g->inputs[i]]) < 0) {
			fprintf(stderr, "onnx2mcu: input '%s' has no static shape: pin it with --dim\n",
				g->t[g->inputs[i]].name);
			rc = -1;
		}
	for (int i = 0; i < o->ncalib && !rc; i++)
		rc = add_path(s, o->calib[i]);
	if (!rc && !s->n) {
		fprintf(stderr, "onnx2mcu: --calib gave no samples\n");
		rc = -1;
	}
	if (!rc && calib_quantize(g, &o->passes, &o->calib_opt, sample, s, s->n, &s->flt))
		rc = -1;
	if (!rc && !o->quiet) {
		cli_progress_end();
		fprintf(stderr, "onnx2mcu: calibrated on %d sample%s\n", s->n, s->n == 1 ? "" : "s");
	}
	return rc;
}

void cli_calib_free(CliOptions *o)
{
	Samples *s = o->calib_state;

	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		free(s->data[i]);
	free(s->data);
	free(s->ptrs);
	ir_graph_free(s->flt);
	free(s);
	o->calib_state = NULL;
}

/* ---- per-layer SQNR ---- */

typedef struct {
	int t, ref;          /* int8 tensor of q, float tensor of the float graph */
	double signal, noise;
} Pair;

const char *cli_float_name(const char *name, char *buf, size_t len)
{
	static const char *const suffix[] = {"_quantized", ".q"};
	size_t n = strlen(name);

	for (int i = 0; i < 2; i++) {
		size_t k = strlen(suffix[i]);
		if (n > k && n - k < len && !strcmp(name + n - k, suffix[i])) {
			memcpy(buf, name, n - k);
			buf[n - k] = 0;
			return buf;
		}
	}
	return name;
}

/* the float tensor of f that int8 tensor t of q stands for, -1 when none */
static int float_twin(const Graph *f, const Graph *q, int t)
{
	char buf[1024];
	int r = ir_tensor_find(f, cli_float_name(q->t[t].name, buf, sizeof buf));

	return r >= 0 && f->t[r].dtype == DT_F32 && ir_numel(&f->t[r]) == ir_numel(&q->t[t]) ? r : -1;
}

/* the input values q takes for a float sample (use[k]): quantized into buf[k] when q's
   input is int8 (int16), the sample's own values when it is float (--io float) */
static void q_inputs(const Graph *q, const void *const *in, void **buf, const void **use)
{
	for (int k = 0; k < q->ninputs; k++) {
		const Tensor *x = &q->t[q->inputs[k]];
		use[k] = in[k];
		if (!ir_quant_act(x))
			continue;
		for (int64_t i = 0; i < ir_numel(x); i++)
			ir_quantize1(x, ((const float *)in[k])[i], buf[k], i);
		use[k] = buf[k];
	}
}

int cli_quant_report(Graph *q, CliOptions *o)
{
	Samples *s = o->calib_state;
	IrRun *rf, *rq;
	Pair *p;
	void **qin;
	const void **use;
	int np = 0, rc = 0;

	if (!s || !s->flt || q->ninputs != s->g->ninputs)
		return 0;
	p = calloc((size_t)q->nt + (size_t)q->ninputs + 1, sizeof *p);
	qin = calloc((size_t)q->ninputs + 1, sizeof *qin);
	use = calloc((size_t)q->ninputs + 1, sizeof *use);
	IR_ASSERT(p && qin && use);
	for (int k = 0; k < q->ninputs; k++) {
		qin[k] = malloc((size_t)ir_nbytes(&q->t[q->inputs[k]]) + 1);
		IR_ASSERT(qin[k]);
	}
	for (int i = -1; i < q->nn; i++) /* the inputs, then each node's outputs in order */
		for (int k = 0; k < (i < 0 ? q->ninputs : q->n[i].dead ? 0 : q->n[i].nout); k++) {
			int t = i < 0 ? q->inputs[k] : q->n[i].out[k];
			if (t >= 0 && ir_quant_act(&q->t[t]) &&
			    (p[np].ref = float_twin(s->flt, q, t)) >= 0)
				p[np++].t = t;
		}
	rf = ir_run_new(s->flt);
	rq = ir_run_new(q);
	for (int i = 0; i < s->n && rf && rq && !rc; i++) {
		const void *const *in = sample(s, i);
		q_inputs(q, in, qin, use);
		if (ir_run(rf, in, NULL, NULL) || ir_run(rq, use, NULL, NULL)) {
			rc = -1;
			break;
		}
		for (int j = 0; j < np; j++) {
			const Tensor *x = &q->t[p[j].t];
			const void *v = ir_run_data(rq, p[j].t);
			const float *r = ir_run_data(rf, p[j].ref);
			for (int64_t e = 0; e < ir_numel(x); e++) {
				double d = ir_dequant1(x, v, e);
				p[j].signal += (double)r[e] * r[e];
				p[j].noise += (d - r[e]) * (d - r[e]);
			}
		}
	}
	o->qlayers = calloc((size_t)np + 1, sizeof *o->qlayers);
	IR_ASSERT(o->qlayers);
	for (int j = 0; j < np && !rc; j++) {
		QuantLayer *l = &o->qlayers[o->nqlayers++];
		int prod = q->t[p[j].t].producer;
		l->tensor = strdup(s->flt->t[p[j].ref].name);
		l->node = strdup(prod >= 0 ? q->n[prod].name : "(input)");
		l->op = strdup(prod >= 0 ? q->n[prod].op_type : "");
		l->sqnr_db = p[j].noise > 0 ? 10 * log10(p[j].signal / p[j].noise) : INFINITY;
	}
	o->qsamples = s->n;
	for (int k = 0; k < q->ninputs; k++)
		free(qin[k]);
	free(qin);
	free(use);
	free(p);
	ir_run_free(rf);
	ir_run_free(rq);
	return rc;
}
