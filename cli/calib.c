/* calib.c - compile --quantize int8 --calib PATH...: reads the calibration samples (ONNX
   test data folders, TensorProto files, numpy .npy arrays) and hands them to
   passes/calib.c, which turns the float model into a quantized one. */
#include "cli.h"
#include "../passes/calib.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	Graph *g;
	int n, cap;            /* samples */
	unsigned char **data;  /* per sample: the inputs' bytes, one after another */
	const void **ptrs;     /* the pointers of the sample handed out last */
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

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(p = malloc((size_t)n + 1)) || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "onnx2mcu: %s: %s\n", path, errno ? strerror(errno) : "read error");
		free(p);
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int add_npy(Samples *s, const char *path)
{
	size_t len, at;
	unsigned char *p = slurp(path, &len);
	DType dt;
	int64_t count;
	int rc = -1;

	if (!p)
		return -1;
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
			cap = cap ? 2 * cap : 16;
			names = realloc(names, sizeof *names * (size_t)cap);
			IR_ASSERT(names);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
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
	Samples s = {0};
	int rc = 0;

	s.g = g;
	s.ptrs = calloc((size_t)g->ninputs + 1, sizeof *s.ptrs);
	IR_ASSERT(s.ptrs);
	for (int i = 0; i < g->ninputs; i++)
		if (!(g->t[g->inputs[i]].flags & T_SHAPED) || ir_numel(&g->t[g->inputs[i]]) < 0) {
			fprintf(stderr, "onnx2mcu: input '%s' has no static shape: pin it with --dim\n",
				g->t[g->inputs[i]].name);
			rc = -1;
		}
	for (int i = 0; i < o->ncalib && !rc; i++)
		rc = add_path(&s, o->calib[i]);
	if (!rc && !s.n) {
		fprintf(stderr, "onnx2mcu: --calib gave no samples\n");
		rc = -1;
	}
	if (!rc && calib_quantize(g, &o->passes, &o->calib_opt, sample, &s, s.n))
		rc = -1;
	if (!rc && !o->quiet)
		fprintf(stderr, "onnx2mcu: calibrated on %d sample%s\n", s.n, s.n == 1 ? "" : "s");
	for (int i = 0; i < s.n; i++)
		free(s.data[i]);
	free(s.data);
	free(s.ptrs);
	return rc;
}
