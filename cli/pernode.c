/* pernode.c - validate --per-node: reads the trace the generated code wrote (every
   intermediate tensor after its node), evaluates the original graph on the host with the
   same inputs, and names the first node whose output differs; optionally compares with
   reference intermediates exported by a framework (TensorProto files named after the
   ONNX tensors). */
#include "../passes/passes.h"
#include "validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int node;
	char *tensor;
	long long bytes; /* the driver writes 8 bytes, on a 32-bit target too */
	void *data;
} Record;

static Record *read_trace(const char *path, int *count)
{
	FILE *f = fopen(path, "rb");
	Record *r = NULL, *grown;
	int n = 0, len;

	while (f) {
		Record x;
		if (fread(&x.node, sizeof x.node, 1, f) != 1 || fread(&len, sizeof len, 1, f) != 1 ||
		    len < 0 || len > 4096)
			break;
		x.tensor = calloc(1, (size_t)len + 1);
		if (fread(x.tensor, 1, (size_t)len, f) != (size_t)len ||
		    fread(&x.bytes, sizeof x.bytes, 1, f) != 1 || x.bytes < 0) {
			free(x.tensor);
			break;
		}
		x.data = malloc((size_t)x.bytes + 1);
		if (fread(x.data, 1, (size_t)x.bytes, f) != (size_t)x.bytes) {
			free(x.tensor);
			free(x.data);
			break;
		}
		grown = realloc(r, sizeof *r * (size_t)(n + 1));
		if (!grown) {
			free(x.tensor);
			free(x.data);
			break;
		}
		r = grown;
		r[n++] = x;
	}
	if (f)
		fclose(f);
	*count = n;
	return r;
}

/* the original graph, evaluated on the host with the given run-time inputs */
static Graph *reference_run(const CliOptions *o, Graph *g, const OnnxTensor *inputs)
{
	Graph *r = onnx_load(o->model, &o->load);

	if (!r)
		return NULL;
	for (int i = 0; i < r->ninputs && i < g->ninputs; i++) {
		Tensor *t = &r->t[r->inputs[i]];
		if (ir_nbytes(t) != ir_dims_numel(inputs[i].rank, inputs[i].dims, INT64_MAX) *
				    dt_size(inputs[i].dtype)) {
			ir_graph_free(r); /* (data of another type than the model's input) */
			return NULL;
		}
		t->data = arena_memdup(&r->arena, inputs[i].data, (size_t)ir_nbytes(t));
	}
	pass_flow(r);
	pass_fold(r);
	for (int i = 0; !r->nerrors && i < r->nn; i++)
		if (!r->n[i].dead)
			ir_eval_node(r, i);
	return r;
}

static int compare_one(const CliOptions *o, Graph *g, const Record *rec, DType dt,
		       const void *ref, int64_t ref_bytes, const char *against)
{
	Metrics m;
	int64_t n = dt_size(dt) ? rec->bytes / dt_size(dt) : 0;

	if (ref_bytes != rec->bytes)
		return 0; /* not comparable (a rewritten tensor of another shape) */
	if (val_compare(dt, rec->data, ref, n, o->atol, o->rtol, &m) == 0)
		return 0;
	printf("  first divergence from %s: node '%s' (%s), tensor '%s'\n", against,
	       g->n[rec->node].name, g->n[rec->node].op_type, rec->tensor);
	printf("    %lld of %lld elements out of tolerance; max_abs %.3g max_rel %.3g cosine %.6f; "
	       "first at index %lld: got %.9g, expected %.9g\n", (long long)m.nbad, (long long)n,
	       m.max_abs, m.max_rel, m.cosine, (long long)m.first_bad,
	       dt_get(dt, rec->data, m.first_bad), dt_get(dt, ref, m.first_bad));
	return -1;
}

static void *reference_file(const char *dir, const char *tensor, DType *dt, int64_t *bytes)
{
	char path[4096], err[512], name[1024];
	OnnxTensor t;
	size_t i;
	void *data;

	for (i = 0; tensor[i] && i + 1 < sizeof name; i++)
		name[i] = tensor[i] == '/' ? '_' : tensor[i];
	name[i] = 0;
	snprintf(path, sizeof path, "%s/%s.pb", dir, name);
	if (onnx_tensor_read(path, &t, err, sizeof err))
		return NULL;
	*dt = t.dtype;
	*bytes = 1;
	for (int k = 0; k < t.rank; k++)
		*bytes *= t.dims[k];
	*bytes *= dt_size(t.dtype);
	data = t.data;
	t.data = NULL;
	onnx_tensor_free(&t);
	return data;
}

/* the reference tensor of r an int8 tensor of g stands for: the same name (an int8 or
   uint8 tensor of a quantized model, an input or output of one quantized by --quantize),
   or the float tensor it quantizes */
static int int8_twin(Graph *r, const char *name)
{
	char buf[1024];
	int t = ir_tensor_find(r, name);

	return t >= 0 ? t : ir_tensor_find(r, cli_float_name(name, buf, sizeof buf));
}

#define MIN_SQNR_DB 25.0 /* an int8 tensor further from its reference loses accuracy */

/* an int8 tensor x (record rec) against its reference: real values compared by SQNR; 1
   when it loses accuracy (reported), 0 when fine, -1 when not comparable */
static int compare_int8(Graph *g, const Tensor *x, const Record *rec, const Tensor *ref)
{
	int64_t n = ir_numel(x);
	double sig = 0, err = 0, sqnr;
	int steps = 0;

	if (rec->bytes != ir_nbytes(x) || ir_numel(ref) != n || !ref->data ||
	    (ref->dtype != DT_F32 && ref->dtype != DT_U8 && ref->dtype != DT_S8 &&
	     ref->dtype != DT_S16) || (ref->dtype != DT_F32 && dt_size(ref->dtype) != dt_size(x->dtype)))
		return -1;
	for (int64_t i = 0; i < n; i++) {
		int q = (int)dt_get_i64(x->dtype, rec->data, i);
		double got = ir_dequant1(x, rec->data, i), want;
		if (ref->dtype == DT_F32) {
			want = ((const float *)ref->data)[i];
		} else { /* the same quantization; uint8 stored 128 higher */
			int r = (int)dt_get_i64(ref->dtype, ref->data, i) - (ref->dtype == DT_U8 ? 128 : 0);
			want = (r - x->quant.zero_point[0]) * (double)x->quant.scale[0];
			steps = abs(r - q) > steps ? abs(r - q) : steps;
		}
		sig += want * want;
		err += (got - want) * (got - want);
	}
	sqnr = err > 0 ? 10 * log10(sig / err) : INFINITY;
	if (sqnr >= MIN_SQNR_DB)
		return 0;
	printf("  first int8 layer that loses accuracy: node '%s' (%s), tensor '%s': sqnr %.1f "
	       "dB < %.0f dB against %s", g->n[rec->node].name, g->n[rec->node].op_type,
	       rec->tensor, sqnr, MIN_SQNR_DB, ref->dtype == DT_F32 ? "float" : "the model's");
	if (ref->dtype != DT_F32)
		printf(" (at most %d steps apart)", steps);
	printf("\n");
	return 1;
}

int val_per_node(const CliOptions *o, Graph *g, const OnnxTensor *inputs, const char *work)
{
	char path[4096];
	int n, compared = 0, bad = 0, ref_bad = 0, files = 0;
	Record *rec;
	Graph *r;

	snprintf(path, sizeof path, "%s/trace_0.bin", work);
	rec = read_trace(path, &n);
	r = reference_run(o, g, inputs);
	if (!r) {
		printf("  per-node: the host evaluation of the original graph failed\n");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int t = ir_tensor_find(r, rec[i].tensor), x = ir_tensor_find(g, rec[i].tensor);
		if (x >= 0 && ir_quant_act(&g->t[x])) {
			int tw = int8_twin(r, rec[i].tensor);
			int c = tw >= 0 && !bad ? compare_int8(g, &g->t[x], &rec[i], &r->t[tw]) : -1;
			compared += c >= 0;
			bad |= c > 0;
			continue;
		}
		if (!bad && t >= 0 && r->t[t].data) {
			compared++;
			bad = compare_one(o, g, &rec[i], r->t[t].dtype, r->t[t].data,
					  ir_nbytes(&r->t[t]), "the host evaluation of the original graph");
		}
		if (o->reference && !ref_bad) {
			DType dt;
			int64_t bytes;
			void *data = reference_file(o->reference, rec[i].tensor, &dt, &bytes);
			if (data) {
				files++;
				ref_bad = compare_one(o, g, &rec[i], dt, data, bytes, o->reference);
				free(data);
			}
		}
	}
	printf("  per-node: %d intermediate tensors traced, %d compared with the host evaluation%s",
	       n, compared, bad ? "" : ", all within tolerance");
	if (o->reference)
		printf("; %d compared with %s%s", files, o->reference, ref_bad ? "" : ", all within tolerance");
	printf("\n");
	for (int i = 0; i < n; i++) {
		free(rec[i].tensor);
		free(rec[i].data);
	}
	free(rec);
	ir_graph_free(r);
	return bad || ref_bad ? -1 : 0;
}
