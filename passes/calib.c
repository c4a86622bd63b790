/* calib.c - post-training quantization of a float model: the graph is simplified as the
   pipeline would (BatchNormalization folded into Conv and Gemm, constants folded), run on
   the calibration samples by the host evaluator (ir/run.c) to learn the range of every
   float activation, and each activation gets a QuantizeLinear/DequantizeLinear pair with
   int8 parameters from its range. The quant pass then makes integer ops of the groups, as
   for a model quantized by another tool; it quantizes float weights itself, symmetric
   per output channel. */
#include "calib.h"
#include "rewrite.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BINS 2048

/* what is seen of one tensor: its range, then a histogram over it */
typedef struct {
	int seen;
	double lo, hi;
	double *hist; /* BINS counts over [lo, hi] (second sweep) */
	double total;
} Stat;

typedef struct {
	Stat *st;
	int sweep; /* 0: ranges, 1: histograms */
} Collect;

static int wanted(const Graph *g, int t)
{
	const Tensor *x = &g->t[t];
	return x->dtype == DT_F32 && !(x->flags & (T_CONST | T_SEQ | T_OPT)) && ir_numel(x) > 0;
}

static void collect(void *ctx, const Graph *g, int t, const void *data)
{
	Collect *c = ctx;
	Stat *s = &c->st[t];
	const float *v = data;
	int64_t n = ir_numel(&g->t[t]);

	if (!wanted(g, t))
		return;
	if (c->sweep == 0) {
		for (int64_t i = 0; i < n; i++) {
			if (!isfinite(v[i]))
				continue;
			if (!s->seen || v[i] < s->lo)
				s->lo = v[i];
			if (!s->seen || v[i] > s->hi)
				s->hi = v[i];
			s->seen = 1;
		}
		return;
	}
	if (!s->hist || !(s->hi > s->lo))
		return;
	for (int64_t i = 0; i < n; i++) {
		double f;
		int b;
		if (!isfinite(v[i]))
			continue;
		f = (v[i] - s->lo) / (s->hi - s->lo) * BINS;
		b = f < 0 ? 0 : f >= BINS ? BINS - 1 : (int)f;
		s->hist[b]++;
		s->total++;
	}
}

/* ---- choosing the range [lo, hi] a tensor is quantized over ---- */

static double bin_lo(const Stat *s, int b) { return s->lo + (s->hi - s->lo) * b / BINS; }

/* the bins [a, b) keep the given fraction of the mass, cut evenly off both tails */
static void percentile(const Stat *s, double pct, int *a, int *b)
{
	double cut = s->total * (1 - pct / 100) / 2, acc = 0;

	for (*a = 0; *a < BINS - 1 && acc + s->hist[*a] <= cut; (*a)++)
		acc += s->hist[*a];
	acc = 0;
	for (*b = BINS; *b > *a + 1 && acc + s->hist[*b - 1] <= cut; (*b)--)
		acc += s->hist[*b - 1];
}

/* expected squared error of quantizing the histogram to `levels` levels over [x0, x1] */
static double mse_of(const Stat *s, double x0, double x1, int levels)
{
	double step = (x1 - x0) / (levels - 1), err = 0, w = (s->hi - s->lo) / BINS;

	for (int b = 0; b < BINS; b++) {
		double c = bin_lo(s, b) + w / 2, e;
		if (!s->hist[b])
			continue;
		if (c < x0)
			e = x0 - c;
		else if (c > x1)
			e = c - x1;
		else
			e = step / sqrt(12.0); /* uniform rounding error */
		err += s->hist[b] * e * e;
	}
	return err;
}

/* KL divergence between the histogram clipped to bins [a, b) (the tails folded into the
   edge bins) and the same quantized to 256 levels */
static double kl_of(const Stat *s, int a, int b)
{
	int n = b - a;
	double *p = calloc((size_t)n, sizeof *p), sp = 0, kl = 0;

	IR_ASSERT(p);
	for (int i = 0; i < BINS; i++)
		p[i < a ? 0 : i >= b ? n - 1 : i - a] += s->hist[i];
	for (int i = 0; i < n; i++)
		sp += p[i];
	for (int l = 0; l < 256; l++) {
		int from = (int)((int64_t)n * l / 256), to = (int)((int64_t)n * (l + 1) / 256);
		double sum = 0;
		int nz = 0;
		for (int i = from; i < to; i++)
			sum += p[i], nz += p[i] > 0;
		for (int i = from; i < to; i++)
			if (p[i] > 0)
				kl += p[i] / sp * log((p[i] / sp) / (sum / nz / sp));
	}
	free(p);
	return kl;
}

static void choose(const Stat *s, const CalibOptions *co, const char *name, double *lo,
		   double *hi)
{
	CalibOptions one = *co, *o = &one;
	int a = 0, b = BINS;

	for (int i = 0; i < co->nper_tensor; i++)
		if (!strcmp(co->per_tensor[i].tensor, name)) {
			one.method = co->per_tensor[i].method;
			one.percentile = co->per_tensor[i].percentile;
		}

	*lo = s->lo, *hi = s->hi;
	if (o->method == CAL_MINMAX || !s->hist || !(s->hi > s->lo) || s->total <= 0)
		return;
	if (o->method == CAL_PERCENTILE) {
		percentile(s, o->percentile, &a, &b);
	} else { /* shrink both ends toward the 0.01 % tails, best by MSE or by KL */
		double best = INFINITY;
		int a0, b0;
		percentile(s, 99.99, &a0, &b0);
		for (int k = 0; k <= 64; k++) {
			int ca = (int)((int64_t)a0 * k / 64), cb = BINS - (int)((int64_t)(BINS - b0) * k / 64);
			double e;
			if (cb - ca < 256)
				continue;
			e = o->method == CAL_MSE ? mse_of(s, bin_lo(s, ca), bin_lo(s, cb),
							  co->a16 ? 65536 : 256)
						 : kl_of(s, ca, cb);
			if (e < best)
				best = e, a = ca, b = cb;
		}
	}
	*lo = bin_lo(s, a), *hi = bin_lo(s, b);
}

static int needs_histograms(const CalibOptions *co)
{
	int any = co->method != CAL_MINMAX;

	for (int i = 0; i < co->nper_tensor; i++)
		any |= co->per_tensor[i].method != CAL_MINMAX;
	return any;
}

/* every --calib-method TENSOR=... names a float tensor of g; entropy (KL over 256
   levels) chooses 8-bit ranges only */
static int check_tensors(Graph *g, const CalibOptions *co)
{
	int entropy = co->method == CAL_ENTROPY;

	for (int i = 0; i < co->nper_tensor; i++)
		entropy |= co->per_tensor[i].method == CAL_ENTROPY;
	if (co->a16 && entropy)
		ir_error(g, -1, "--calib-method entropy chooses 8-bit ranges; with --quantize "
			 "a16w8 take minmax, percentile or mse");
	for (int i = 0; i < co->nper_tensor; i++)
		if (ir_tensor_find(g, co->per_tensor[i].tensor) < 0)
			ir_error(g, -1, "--calib-method: no tensor '%s'", co->per_tensor[i].tensor);
	return g->nerrors ? -1 : 0;
}

/* ---- the QuantizeLinear/DequantizeLinear pairs ---- */

/* int8: asymmetric over [lo, hi] widened to hold 0; int16 (a16): symmetric, zero point
   0, as TFLite's 16x8 */
static void quant_params(double lo, double hi, int a16, float *scale, int32_t *zp)
{
	double z, m;

	lo = lo < 0 ? lo : 0;
	hi = hi > 0 ? hi : 0;
	if (a16) {
		m = hi > -lo ? hi : -lo;
		*scale = m > 0 ? (float)(m / 32767) : 1.0f;
		*zp = 0;
		return;
	}
	*scale = hi > lo ? (float)((hi - lo) / 255) : 1.0f;
	z = rint(-128 - lo / *scale);
	*zp = (int32_t)(z < -128 ? -128 : z > 127 ? 127 : z);
}

/* The TFLite int8 specification fixes the output quantization of functions with a known
   range: Sigmoid and Softmax 1/256 with zero point -128 ([0, 1)), Tanh 1/128 with 0
   ([-1, 1)), LogSoftmax 16/256 with 127 ((-16, 0]); its 16x8 one Sigmoid, Softmax and
   Tanh 1/32768 with 0 */
static void fixed_range(const Graph *g, int t, int a16, float *scale, int32_t *zp)
{
	int p = g->t[t].producer;

	if (p < 0)
		return;
	switch (g->n[p].op) {
	case OP_SIGMOID: case OP_SOFTMAX:
		*scale = a16 ? 1.0f / 32768 : 1.0f / 256, *zp = a16 ? 0 : -128;
		break;
	case OP_TANH:
		*scale = a16 ? 1.0f / 32768 : 1.0f / 128, *zp = 0;
		break;
	case OP_LOG_SOFTMAX:
		if (!a16)
			*scale = 16.0f / 256, *zp = 127;
		break;
	default:
		break;
	}
}

/* the zero point constant of a Q or DQ node: int8, or int16 (a16) */
static int zero_point(Graph *g, const char *name, DType dt, int32_t zp)
{
	void *d = arena_alloc(&g->arena, (size_t)dt_size(dt));

	dt_set_i64(dt, d, 0, zp);
	return ir_const_new(g, arena_printf(&g->arena, "%s_zero_point", name), dt, 0, NULL, d);
}

/* DequantizeLinear(QuantizeLinear(t)), its tensors and nodes named after name; the
   dequantized tensor */
static int qdq_of(Graph *g, int t, const char *name, float scale, int32_t zp, DType et)
{
	int s = ir_const_new(g, arena_printf(&g->arena, "%s_scale", name), DT_F32, 0, NULL, &scale);
	int z = zero_point(g, name, et, zp);
	int qt = ir_tensor_new(g, arena_printf(&g->arena, "%s_quantized", name));
	int dt = ir_tensor_new(g, arena_printf(&g->arena, "%s_dequantized", name));
	int q = ir_node_new(g, OP_QUANTIZE_LINEAR, arena_printf(&g->arena, "%s_QuantizeLinear", name),
			    3, 1);
	int d = ir_node_new(g, OP_DEQUANTIZE_LINEAR,
			    arena_printf(&g->arena, "%s_DequantizeLinear", name), 3, 1);

	g->n[q].in[0] = t, g->n[q].in[1] = s, g->n[q].in[2] = z, g->n[q].out[0] = qt;
	g->n[d].in[0] = qt, g->n[d].in[1] = s, g->n[d].in[2] = z, g->n[d].out[0] = dt;
	g->t[qt].producer = q, g->t[dt].producer = d;
	ir_infer_node(g, q);
	ir_infer_node(g, d);
	return dt;
}

/* t becomes DequantizeLinear(QuantizeLinear(t)) for every reader and graph output */
static int insert_pair(Graph *g, int t, float scale, int32_t zp, DType et)
{
	int dt = qdq_of(g, t, g->t[t].name, scale, zp, et), q = g->t[g->n[g->t[dt].producer].in[0]].producer;

	ir_replace_value(g, t, dt);
	g->n[q].in[0] = t;
	return dt;
}

/* a float graph input t becomes an int8 (int16) one (same name) read through a
   DequantizeLinear */
static int int8_input(Graph *g, int k, float scale, int32_t zp, DType et)
{
	int t = g->inputs[k], qt = ir_tensor_new(g, g->t[t].name), dt, d, s, z;

	ir_set_shape(g, qt, et, g->t[t].rank, g->t[t].dims);
	ir_quant_set(g, qt, 1, 0, &scale, &zp);
	s = ir_const_new(g, arena_printf(&g->arena, "%s_scale", g->t[t].name), DT_F32, 0, NULL, &scale);
	z = zero_point(g, g->t[t].name, et, zp);
	dt = ir_tensor_new(g, arena_printf(&g->arena, "%s_dequantized", g->t[t].name));
	d = ir_node_new(g, OP_DEQUANTIZE_LINEAR,
			arena_printf(&g->arena, "%s_DequantizeLinear", g->t[t].name), 3, 1);
	g->n[d].in[0] = qt, g->n[d].in[1] = s, g->n[d].in[2] = z, g->n[d].out[0] = dt;
	g->t[dt].producer = d;
	ir_infer_node(g, d);
	ir_replace_uses(g, t, dt);
	g->inputs[k] = qt;
	g->t[qt].flags |= T_INPUT;
	g->t[t].flags &= ~(unsigned)T_INPUT;
	return dt;
}

/* a float graph output t becomes an int8 (int16) one: its QuantizeLinear's result */
static void int8_output(Graph *g, int k, float scale, int32_t zp, DType et)
{
	int t = g->outputs[k], s, z, qt, q;

	s = ir_const_new(g, arena_printf(&g->arena, "%s_scale", g->t[t].name), DT_F32, 0, NULL, &scale);
	z = zero_point(g, g->t[t].name, et, zp);
	qt = ir_tensor_new(g, g->t[t].name);
	q = ir_node_new(g, OP_QUANTIZE_LINEAR,
			arena_printf(&g->arena, "%s_QuantizeLinear", g->t[t].name), 3, 1);
	g->n[q].in[0] = t, g->n[q].in[1] = s, g->n[q].in[2] = z, g->n[q].out[0] = qt;
	g->t[qt].producer = q;
	ir_infer_node(g, q);
	for (int i = 0; i < g->noutputs; i++)
		if (g->outputs[i] == t)
			g->outputs[i] = qt;
	g->t[qt].flags |= T_OUTPUT;
	g->t[t].flags &= ~(unsigned)T_OUTPUT;
}

/* the simplifications quantization wants first: BatchNormalization folded into the op
   before it, but no fused epilogues (the quant pass converts ONNX ops) */
static int simplify(Graph *g, const PassOptions *popt)
{
	static const char *const fusing[] = {"act-into-producer", "act-into-matmul",
					     "clip-into-producer", "residual-into-conv"};
	PassOptions o = *popt;
	unsigned char *on = malloc((size_t)rw_nrules + 1);
	int rc;

	IR_ASSERT(on);
	for (int r = 0; r < rw_nrules; r++)
		on[r] = !popt->enabled || popt->enabled[r];
	for (size_t i = 0; i < sizeof fusing / sizeof fusing[0]; i++)
		if (rw_rule_find(fusing[i]) >= 0)
			on[rw_rule_find(fusing[i])] = 0;
	o.enabled = on;
	o.search_budget = 0;
	o.dump_after = NULL;
	o.rule_counts = NULL;
	o.search = NULL;
	rc = passes_run_until(g, &o, "rewrite");
	free(on);
	return rc;
}

/* t is read only by a Relu or data movement (not a graph output): it is quantized as
   their result is (the quant pass closes the chain), so a Relu folds into the clamp of
   the op before it and pooling keeps one scale, as TFLite's converter does */
static int takes_next(const Graph *g, int t)
{
	int nodes[2];
	const Node *r;

	if ((g->t[t].flags & (T_OUTPUT | T_INPUT)) || ir_consumers(g, t, nodes, 2) != 1)
		return 0;
	r = &g->n[nodes[0]];
	if (r->in[0] != t || r->nout != 1 || g->t[r->out[0]].dtype != DT_F32)
		return 0;
	switch (r->op) {
	case OP_RELU: case OP_MAX_POOL: case OP_RESHAPE: case OP_FLATTEN: case OP_SQUEEZE:
	case OP_UNSQUEEZE: case OP_TRANSPOSE: case OP_REDUCE_MAX: case OP_REDUCE_MIN:
	case OP_GLOBAL_MAX_POOL:
		return 1;
	default:
		return 0;
	}
}

/* the node is named name, or a rewrite merged a node of that name into it */
static int has_name(const Node *n, const char *name)
{
	size_t len = strlen(name);

	if (!strcmp(n->name, name))
		return 1;
	for (const char *p = n->fused; p && (p = strstr(p, name)) != NULL; p += len)
		if ((p == n->fused || p[-1] == ',') && (p[len] == 0 || p[len] == ','))
			return 1;
	return 0;
}

/* mark[i] = 1 for each node named by names (--keep-float, --a16w8); an error for a name
   no node has */
static int mark_nodes(Graph *g, const char **names, int n, const char *option,
		      unsigned char *mark)
{
	for (int k = 0; k < n; k++) {
		int found = 0;
		for (int i = 0; i < g->nn; i++)
			if (!g->n[i].dead && has_name(&g->n[i], names[k]))
				mark[i] = found = 1;
		if (!found) {
			const char **all = malloc(sizeof *all * (size_t)(g->nn + 1));
			int near;
			IR_ASSERT(all);
			for (int i = 0; i < g->nn; i++)
				all[i] = g->n[i].name;
			near = ir_nearest(names[k], all, g->nn);
			ir_error(g, -1, "%s: no node '%s'%s%s%s", option, names[k],
				 near >= 0 ? " (did you mean '" : "", near >= 0 ? all[near] : "",
				 near >= 0 ? "'?)" : "");
			free(all);
		}
	}
	return g->nerrors ? -1 : 0;
}

/* --keep-float: the named nodes stay float */
static int keep_float(Graph *g, const CalibOptions *co)
{
	unsigned char *mark = calloc((size_t)g->nn + 1, 1);
	int rc;

	IR_ASSERT(mark);
	rc = mark_nodes(g, co->keep_float, co->nkeep_float, "--keep-float", mark);
	for (int i = 0; i < g->nn; i++)
		if (mark[i])
			g->n[i].keep_float = 1;
	free(mark);
	return rc;
}

/* ---- --a16w8 NODE: int16 activations for chosen nodes of an int8 model ---- */

/* the nodes named by --a16w8, and after each the Relu or data movement that takes its
   result's quantization (takes_next), so the pair stays one int16 op */
static unsigned char *a16_marks(Graph *g, const CalibOptions *co)
{
	unsigned char *mark = calloc((size_t)g->nn + 1, 1);

	IR_ASSERT(mark);
	if (mark_nodes(g, co->a16_nodes, co->na16_nodes, "--a16w8", mark)) {
		free(mark);
		return NULL;
	}
	for (int i = 0; i < g->nn; i++) {
		int t = mark[i] && g->n[i].nout == 1 ? g->n[i].out[0] : -1, r;
		while (t >= 0 && takes_next(g, t) && ir_consumers(g, t, &r, 1) == 1) {
			mark[r] = 1;
			t = g->n[r].out[0];
		}
	}
	return mark;
}

/* the type node i computes in: int16 with --quantize a16w8 or when --a16w8 names it */
static DType node_type(const CalibOptions *co, const unsigned char *mark, int nmark, int i)
{
	return co->a16 || (i >= 0 && i < nmark && mark[i]) ? DT_S16 : DT_S8;
}

/* the type of activation t: its producer's; a graph input's, int16 when every reader
   computes in int16 */
static DType act_type(Graph *g, const CalibOptions *co, const unsigned char *mark, int nmark,
		      int t)
{
	int nodes[64], n;

	if (co->a16 || g->t[t].producer >= 0)
		return node_type(co, mark, nmark, g->t[t].producer);
	n = ir_consumers(g, t, nodes, 64);
	for (int i = 0; i < n && i < 64; i++)
		if (node_type(co, mark, nmark, nodes[i]) != DT_S16)
			return DT_S8;
	return n > 0 && n <= 64 ? DT_S16 : DT_S8;
}

/* the readers of dequantized dt (type et, range [lo, hi]) that compute in the other
   type read it quantized again in theirs: DequantizeLinear(QuantizeLinear(dt)), which
   the quant pass makes one QRequantize from int8 to int16 or back */
static void retype_readers(Graph *g, int t, int dt, double lo, double hi, DType et,
			   const CalibOptions *co, const unsigned char *mark, int nmark)
{
	int nodes[64], n = ir_consumers(g, dt, nodes, 64), other = -1;
	const DType ot = et == DT_S16 ? DT_S8 : DT_S16;

	for (int i = 0; i < n && i < 64; i++) {
		float scale;
		int32_t zp;
		if (node_type(co, mark, nmark, nodes[i]) == et ||
		    g->n[nodes[i]].op == OP_QUANTIZE_LINEAR)
			continue;
		if (other < 0) {
			quant_params(lo, hi, ot == DT_S16, &scale, &zp);
			fixed_range(g, t, ot == DT_S16, &scale, &zp);
			other = qdq_of(g, dt, arena_printf(&g->arena, "%s_%s", g->t[t].name,
							   ot == DT_S16 ? "int16" : "int8"),
				       scale, zp, ot);
		}
		for (int k = 0; k < g->n[nodes[i]].nin; k++)
			if (g->n[nodes[i]].in[k] == dt)
				g->n[nodes[i]].in[k] = other;
	}
}

static int io_index(const int *list, int n, int t)
{
	for (int i = 0; i < n; i++)
		if (list[i] == t)
			return i;
	return -1;
}

int calib_quantize(Graph *g, const PassOptions *popt, const CalibOptions *co, CalibSample next,
		   void *ctx, int nsamples, Graph **float_out)
{
	Graph *c;
	IrRun *run;
	Collect col;
	unsigned char *mark;
	int nt, nmark, rc = 0, *src;

	if (simplify(g, popt) || keep_float(g, co) || check_tensors(g, co) ||
	    !(mark = a16_marks(g, co)))
		return -1;
	nmark = g->nn;
	c = ir_graph_clone(g);
	pass_lower(c);
	if (c->nerrors || !(run = ir_run_new(c))) {
		ir_graph_free(c);
		free(mark);
		return -1;
	}
	nt = g->nt;
	col.st = calloc((size_t)nt + 1, sizeof *col.st);
	IR_ASSERT(col.st);
	for (col.sweep = 0; col.sweep < (needs_histograms(co) ? 2 : 1) && !rc; col.sweep++) {
		if (col.sweep == 1)
			for (int t = 0; t < nt; t++)
				if (col.st[t].seen && col.st[t].hi > col.st[t].lo) {
					col.st[t].hist = calloc(BINS, sizeof(double));
					IR_ASSERT(col.st[t].hist);
				}
		for (int i = 0; i < nsamples && !rc; i++) {
			if (popt->progress)
				popt->progress("calibrating", (col.sweep * nsamples + i) /
						    (double)(nsamples * (needs_histograms(co) ? 2 : 1)));
			if (ir_run(run, next(ctx, i), collect, &col)) {
				ir_error(g, -1, "calibration sample %d: the float model failed", i);
				rc = -1;
			}
		}
	}
	/* the parts of a Split take the range of what it splits, as TFLite's converter
	   gives them its scale: the Split runs on int8 without rescaling */
	src = malloc(sizeof *src * ((size_t)nt + 1));
	IR_ASSERT(src);
	for (int t = 0; t < nt; t++) {
		int p = g->t[t].producer;
		src[t] = p >= 0 && g->n[p].op == OP_SPLIT && col.st[g->n[p].in[0]].seen ? g->n[p].in[0]
										   : t;
	}
	for (int t = 0; t < nt && !rc; t++) {
		double lo, hi;
		float scale;
		int32_t zp;
		DType et;
		int dt = -1;
		if (!col.st[t].seen || !wanted(g, t) || takes_next(g, t))
			continue;
		et = act_type(g, co, mark, nmark, t);
		choose(&col.st[src[t]], co, g->t[src[t]].name, &lo, &hi);
		quant_params(lo, hi, et == DT_S16, &scale, &zp);
		fixed_range(g, t, et == DT_S16, &scale, &zp);
		if (!co->io_float && io_index(g->inputs, g->ninputs, t) >= 0)
			dt = int8_input(g, io_index(g->inputs, g->ninputs, t), scale, zp, et);
		else if (!co->io_float && io_index(g->outputs, g->noutputs, t) >= 0)
			int8_output(g, io_index(g->outputs, g->noutputs, t), scale, zp, et);
		else
			dt = insert_pair(g, t, scale, zp, et);
		if (dt >= 0 && !co->a16 && co->na16_nodes)
			retype_readers(g, t, dt, lo, hi, et, co, mark, nmark);
	}
	free(src);
	free(mark);
	for (int t = 0; t < nt; t++)
		free(col.st[t].hist);
	free(col.st);
	ir_run_free(run);
	if (float_out && !rc) {
		*float_out = c; /* it shares g's constants: freed before g */
	} else {
		ir_graph_free(c);
	}
	ir_toposort(g);
	return rc;
}
