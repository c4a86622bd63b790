/* rules_fuse.c - folding and fusion rules: BatchNormalization and per-channel affine
   ops folded into the weights of the conv or matrix product before them, MatMul + Add
   as Gemm, zero Pads into the window's padding, and activations and residual Adds
   fused into the epilogue of FusedConv and FusedGemm (docs/rewrites.md). */
#include "rules.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* ---- epilogues: the attributes of FusedConv and FusedGemm ---- */

typedef struct {
	const char *act; /* ONNX activation op, NULL for none */
	float alpha, beta, min, max;
} Epi;

static void epi_get(Graph *g, int node, Epi *e)
{
	e->act = ir_attr_str(g, node, "activation", NULL);
	e->alpha = ir_attr_float(g, node, "act_alpha", 0);
	e->beta = ir_attr_float(g, node, "act_beta", 0);
	e->min = ir_attr_float(g, node, "act_min", -FLT_MAX);
	e->max = ir_attr_float(g, node, "act_max", FLT_MAX);
}

static void epi_set(Graph *g, int node, const Epi *e)
{
	if (e->act) {
		ir_attr_set_str(g, node, "activation", e->act);
		ir_attr_set_float(g, node, "act_alpha", e->alpha);
		ir_attr_set_float(g, node, "act_beta", e->beta);
	}
	if (e->min > -FLT_MAX)
		ir_attr_set_float(g, node, "act_min", e->min);
	if (e->max < FLT_MAX)
		ir_attr_set_float(g, node, "act_max", e->max);
}

/* the node computes exactly its conv or product: no epilogue, no residual */
static int plain(Graph *g, int node)
{
	Epi e;

	epi_get(g, node, &e);
	return !e.act && e.min <= -FLT_MAX && e.max >= FLT_MAX && ir_in(g, node, 3) < 0;
}

static OpKind fused_op(OpKind op)
{
	return op == OP_CONV || op == OP_FUSED_CONV ? OP_FUSED_CONV : OP_FUSED_GEMM;
}

/* p's replacement: its fused op with p's inputs (and the residual r when r >= 0),
   writing the root's output; p's attributes and epilogue come along */
static int refuse(Graph *g, const RwMatch *m, int p, int r, const Epi *e)
{
	int ins[4] = {-1, -1, -1, -1}, nin = g->n[p].nin, node;

	for (int k = 0; k < nin && k < 4; k++)
		ins[k] = g->n[p].in[k];
	if (r >= 0)
		ins[3] = r, nin = 4;
	rw_kill_match(g, m);
	node = rw_node(g, m, fused_op(g->n[p].op), ins, nin, rw_root_out(g, m), p);
	epi_set(g, node, e);
	return 0;
}

/* ---- activations and clamps into the producer ---- */

/* the activation node's attributes as an epilogue, on top of `e` */
static int act_of(Graph *g, int node, Epi *e)
{
	const OpKind op = g->n[node].op;

	if (op == OP_RELU) {
		e->min = e->min > 0 ? e->min : 0;
		return 0;
	}
	if (e->act || e->min > -FLT_MAX || e->max < FLT_MAX)
		return -1; /* the clamp comes after the activation, not before */
	e->act = op_info[op].name;
	e->alpha = e->beta = 0;
	switch (op) {
	case OP_LEAKY_RELU: e->alpha = ir_attr_float(g, node, "alpha", 0.01f); break;
	case OP_HARD_SIGMOID:
		e->alpha = ir_attr_float(g, node, "alpha", 0.2f);
		e->beta = ir_attr_float(g, node, "beta", 0.5f);
		break;
	case OP_SWISH: e->alpha = ir_attr_float(g, node, "alpha", 1.0f); break;
	case OP_ELU: e->alpha = ir_attr_float(g, node, "alpha", 1.0f); break;
	case OP_GELU:
		if (!strcmp(ir_attr_str(g, node, "approximate", "none"), "tanh"))
			e->act = "GeluTanh";
		break;
	default: break;
	}
	return 0;
}

static int float_out(Graph *g, int node)
{
	DType t = g->t[g->n[node].out[0]].dtype;
	return t == DT_F32 || t == DT_F64;
}

int guard_act_into(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p");
	Epi e;

	epi_get(g, p, &e);
	return float_out(g, p) && act_of(g, m->node[0], &e) == 0;
}

int build_act_into(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p");
	Epi e;

	epi_get(g, p, &e);
	act_of(g, m->node[0], &e);
	return refuse(g, m, p, -1, &e);
}

int guard_clip_into(Graph *g, const RwMatch *m)
{
	int lo = rw_t(m, "lo"), hi = rw_t(m, "hi");
	double v;

	Epi e;

	if (!float_out(g, rw_n(m, "p")) || (lo >= 0 && !rw_const_scalar(g, lo, &v)) ||
	    (hi >= 0 && !rw_const_scalar(g, hi, &v)))
		return 0;
	/* Clip with min > max gives max everywhere; a clamp would not: leave it alone */
	epi_get(g, rw_n(m, "p"), &e);
	if (lo >= 0 && rw_const_scalar(g, lo, &v) && v > e.min)
		e.min = (float)v;
	if (hi >= 0 && rw_const_scalar(g, hi, &v) && v < e.max)
		e.max = (float)v;
	return e.min <= e.max;
}

int build_clip_into(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p"), lo = rw_t(m, "lo"), hi = rw_t(m, "hi");
	double v;
	Epi e;

	epi_get(g, p, &e);
	if (lo >= 0 && rw_const_scalar(g, lo, &v) && v > e.min)
		e.min = (float)v;
	if (hi >= 0 && rw_const_scalar(g, hi, &v) && v < e.max)
		e.max = (float)v;
	return refuse(g, m, p, -1, &e);
}

/* ---- a residual Add into the conv that produces one of its operands ---- */

int guard_residual_conv(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), r = rw_t(m, "r"), y = g->n[c].out[0];

	return rw_float32(g, y) && plain(g, c) && ir_same_shape(g, r, y) &&
	       ir_same_shape(g, y, rw_root_out(g, m));
}

int build_residual_conv(Graph *g, const RwMatch *m)
{
	Epi e = {NULL, 0, 0, -FLT_MAX, FLT_MAX};
	return refuse(g, m, rw_n(m, "c"), rw_t(m, "r"), &e);
}

/* ---- an int8 residual Add into the QConv that produces one of its operands ----

   The QConv's requantized output goes straight into the Add (bit for bit the two ops),
   written over the residual when it dies there (docs/memory-planning.md): the
   convolution's output, which no tensor holds any more, keeps its scale, zero point
   and clamp in mid_* attributes. Not for depthwise convolutions nor on Helium, whose
   kernels take no residual. */
int guard_residual_qconv(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), r = rw_t(m, "r"), z = g->n[c].out[0], y = rw_root_out(g, m);
	const Tensor *x = &g->t[ir_in(g, c, 0)];
	int64_t group = ir_attr_int(g, c, "group", 1);

	return ir_in(g, c, 3) < 0 && g->t[z].dtype == DT_S8 && g->t[z].quant.n == 1 &&
	       g->t[r].dtype == DT_S8 && g->t[r].quant.n == 1 && g->t[y].dtype == DT_S8 &&
	       g->t[y].quant.n == 1 && ir_same_shape(g, r, z) && ir_same_shape(g, y, z) &&
	       x->rank >= 3 && !(group > 1 && group == x->dims[1]) &&
	       !(g->target && g->target->mve);
}

int build_residual_qconv(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), add = m->node[0], z = g->n[c].out[0], ins[4], node;
	const float scale = g->t[z].quant.scale[0];
	const int64_t zero = g->t[z].quant.zero_point[0];
	const int64_t mid_lo = ir_attr_int(g, c, "act_min", -128);
	const int64_t mid_hi = ir_attr_int(g, c, "act_max", 127);
	const int64_t lo = ir_attr_int(g, add, "act_min", -128);
	const int64_t hi = ir_attr_int(g, add, "act_max", 127);

	for (int k = 0; k < 3; k++)
		ins[k] = ir_in(g, c, k);
	ins[3] = rw_t(m, "r");
	rw_kill_match(g, m);
	node = rw_node(g, m, OP_QCONV, ins, 4, rw_root_out(g, m), c);
	ir_attr_set_float(g, node, "mid_scale", scale);
	ir_attr_set_int(g, node, "mid_zero_point", zero);
	ir_attr_set_int(g, node, "mid_act_min", mid_lo);
	ir_attr_set_int(g, node, "mid_act_max", mid_hi);
	ir_attr_set_int(g, node, "act_min", lo);
	ir_attr_set_int(g, node, "act_max", hi);
	return 0;
}

/* A QConv of a QuantizeLinear of a float tensor (the float input of a model quantized
   by onnxruntime) reads the float tensor and quantizes the rows its windows cover as it
   goes (o2m_q8_conv_fq_s8), so the quantized input never exists whole. A 2-D convolution
   without a residual, per-tensor int8 quantization in float32 (not a float16 quotient).
   The fused kernel is the portable convolution's (with its DSP paths): at a Cortex-M
   target, whose packed kernels are faster (on the emulated M4: MobileNetV1 +2.8%
   instructions, ResNet-8 +3.6%, DS-CNN +10%, whose first layer is large; on the M55
   +15%), the rule leaves the pair to them unless --int8-layout compact. */
int guard_quantize_qconv(Graph *g, const RwMatch *m)
{
	int c = m->node[0], q = rw_n(m, "q"), x = rw_t(m, "x"), y = g->n[q].out[0];
	const Tensor *w = &g->t[ir_in(g, c, 1)];

	return g->t[x].dtype == DT_F32 && g->t[x].rank == 4 && w->rank == 4 &&
	       g->t[y].dtype == DT_S8 && g->t[y].quant.n == 1 && ir_in(g, c, 0) == y &&
	       ir_in(g, c, 3) < 0 && ir_attr_int(g, q, "precision", 1) == 1 &&
	       !ir_int8_packed(g);
}

int build_quantize_qconv(Graph *g, const RwMatch *m)
{
	int c = m->node[0], y = g->n[rw_n(m, "q")].out[0], ins[3], node;
	const float scale = g->t[y].quant.scale[0];
	const int64_t zero = g->t[y].quant.zero_point[0];

	ins[0] = rw_t(m, "x");
	ins[1] = ir_in(g, c, 1);
	ins[2] = ir_in(g, c, 2);
	rw_kill_match(g, m);
	node = rw_node(g, m, OP_QCONV, ins, 3, rw_root_out(g, m), c);
	ir_attr_set_float(g, node, "in_scale", scale);
	ir_attr_set_int(g, node, "in_zero_point", zero);
	return 0;
}

/* ---- BatchNormalization into the weights ---- */

/* per channel: k = scale / sqrt(var + eps), and shift = bias - mean * k; NULL unless
   the four inputs are float32 constants of c values */
static int bn_coeffs(Graph *g, const RwMatch *m, int64_t c, double **k, double **sh)
{
	int node = m->node[0];
	float *s = rw_floats(g, rw_t(m, "s")), *o = rw_floats(g, rw_t(m, "o"));
	float *mu = rw_floats(g, rw_t(m, "mean")), *v = rw_floats(g, rw_t(m, "var"));
	double eps = ir_attr_float(g, node, "epsilon", 1e-5f);

	if (!s || !o || !mu || !v)
		return -1;
	for (int i = 0; i < 4; i++)
		if (ir_numel(&g->t[g->n[node].in[1 + i]]) != c)
			return -1;
	*k = arena_alloc(&g->arena, sizeof(double) * (size_t)(c + 1));
	*sh = arena_alloc(&g->arena, sizeof(double) * (size_t)(c + 1));
	for (int64_t i = 0; i < c; i++) {
		(*k)[i] = s[i] / sqrt((double)v[i] + eps);
		(*sh)[i] = o[i] - mu[i] * (*k)[i];
	}
	return 0;
}

/* a BatchNormalization in inference: one output used, over axis 1 */
static int bn_ok(Graph *g, const RwMatch *m, int producer)
{
	int y = g->n[producer].out[0];

	return rw_float32(g, y) && rw_float32(g, rw_t(m, "w")) &&
	       !ir_attr_int(g, m->node[0], "training_mode", 0) && g->t[y].rank >= 2 &&
	       (rw_t(m, "b") < 0 || rw_float32(g, rw_t(m, "b")));
}

/* weights w scaled: element i belongs to channel chan(i) */
static int scaled_weights(Graph *g, int w, const double *k, int64_t inner, int64_t cper,
			  int64_t cin_per, int64_t cout_per)
{
	const Tensor *t = &g->t[w];
	int64_t n = ir_numel(t);
	float *v = rw_floats(g, w);

	for (int64_t i = 0; i < n; i++) {
		int64_t row = i / inner, ch;
		if (cin_per) /* ConvTranspose: rows are [c_in][c_out / group] */
			ch = (row / cout_per) / cin_per * cout_per + row % cout_per;
		else
			ch = row / cper;
		v[i] = (float)(v[i] * k[ch]);
	}
	return rw_const(g, arena_printf(&g->arena, "%s/folded", t->name), DT_F32, t->rank, t->dims, v);
}

/* bias b (absent: zeros) of c channels, times mul when given, plus add */
static int folded_bias(Graph *g, int b, int64_t c, const double *mul, const double *add,
		       const char *name)
{
	float *src = b >= 0 ? rw_floats(g, b) : NULL;
	float *v = arena_alloc(&g->arena, sizeof(float) * (size_t)(c + 1));

	for (int64_t i = 0; i < c; i++) {
		double x = src ? src[i] : 0;
		v[i] = (float)(x * (mul ? mul[i] : 1) + (add ? add[i] : 0));
	}
	return rw_const(g, arena_printf(&g->arena, "%s/bias", name), DT_F32, 1, &c, v);
}

int guard_bn_conv(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c");
	return bn_ok(g, m, c) && plain(g, c);
}

/* conv then BN: w' = w k, b' = b k + shift */
int build_bn_conv(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), w = rw_t(m, "w"), ins[4];
	int64_t cout = g->t[w].dims[0], inner = ir_numel(&g->t[w]) / (cout ? cout : 1);
	double *k, *sh;

	if (!cout || bn_coeffs(g, m, cout, &k, &sh))
		return -1;
	ins[0] = rw_t(m, "x");
	ins[1] = scaled_weights(g, w, k, inner, 1, 0, 0);
	ins[2] = folded_bias(g, rw_t(m, "b"), cout, k, sh, g->n[c].name);
	rw_kill_match(g, m);
	rw_node(g, m, g->n[c].op, ins, 3, rw_root_out(g, m), c);
	return 0;
}

int guard_bn_convt(Graph *g, const RwMatch *m) { return bn_ok(g, m, rw_n(m, "c")); }

/* ConvTranspose weights are [c_in, c_out / group, k...] */
int build_bn_convt(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), w = rw_t(m, "w"), ins[3];
	const Tensor *wt = &g->t[w];
	int64_t group = ir_attr_int(g, c, "group", 1), per = wt->dims[1];
	int64_t cout = per * group, inner = wt->dims[0] && per ? ir_numel(wt) / (wt->dims[0] * per) : 0;
	double *k, *sh;

	if (!inner || group < 1 || wt->dims[0] % group || bn_coeffs(g, m, cout, &k, &sh))
		return -1;
	ins[0] = rw_t(m, "x");
	ins[1] = scaled_weights(g, w, k, inner, 1, wt->dims[0] / group, per);
	ins[2] = folded_bias(g, rw_t(m, "b"), cout, k, sh, g->n[c].name);
	rw_kill_match(g, m);
	rw_node(g, m, OP_CONV_TRANSPOSE, ins, 3, rw_root_out(g, m), c);
	return 0;
}

/* C of a Gemm as one value per column when it broadcasts along the rows */
static int per_column(Graph *g, int cc, int64_t n)
{
	const Tensor *t = &g->t[cc];
	return cc < 0 || (rw_float32(g, cc) &&
			  ((t->rank == 1 && (t->dims[0] == n || t->dims[0] == 1)) ||
			   (t->rank == 2 && t->dims[0] == 1 && (t->dims[1] == n || t->dims[1] == 1)) ||
			   t->rank == 0));
}

int guard_bn_gemm(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), y = g->n[c].out[0];
	return bn_ok(g, m, c) && plain(g, c) && g->t[y].rank == 2 &&
	       per_column(g, rw_t(m, "b"), g->t[y].dims[1]);
}

/* Y = alpha A op(B) + beta C, then BN over the columns: op(B)'s columns scale by k,
   C' = (beta C - mean) k + bias with beta' = 1 */
int build_bn_gemm(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), w = rw_t(m, "w"), cc = rw_t(m, "b"), ins[3], node;
	int64_t n = g->t[g->n[c].out[0]].dims[1], rows = g->t[w].dims[0], cols = g->t[w].dims[1];
	int transb = (int)ir_attr_int(g, c, "transB", 0);
	double beta = ir_attr_float(g, c, "beta", 1.0f), *k, *sh, *cv;
	float *src = cc >= 0 ? rw_floats(g, cc) : NULL;

	if (bn_coeffs(g, m, n, &k, &sh))
		return -1;
	cv = arena_alloc(&g->arena, sizeof(double) * (size_t)(n + 1));
	for (int64_t j = 0; j < n; j++)
		cv[j] = (src ? beta * src[ir_numel(&g->t[cc]) == 1 ? 0 : j] : 0) * k[j] + sh[j];
	ins[0] = rw_t(m, "x");
	if (transb) { /* B is [n, K]: a row per output column */
		ins[1] = scaled_weights(g, w, k, cols, 1, 0, 0);
	} else { /* B is [K, n]: element i belongs to column i % n */
		float *v = rw_floats(g, w);
		for (int64_t i = 0; i < rows * cols; i++)
			v[i] = (float)(v[i] * k[i % cols]);
		ins[1] = rw_const(g, arena_printf(&g->arena, "%s/folded", g->t[w].name), DT_F32, 2,
				  g->t[w].dims, v);
	}
	ins[2] = folded_bias(g, -1, n, NULL, cv, g->n[c].name);
	rw_kill_match(g, m);
	node = rw_node(g, m, g->n[c].op == OP_MATMUL ? OP_GEMM : g->n[c].op, ins, 3,
		       rw_root_out(g, m), g->n[c].op == OP_MATMUL ? -1 : c);
	ir_attr_set_float(g, node, "beta", 1.0f);
	return 0;
}

int guard_bn_matmul(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c");
	return bn_ok(g, m, c) && g->t[rw_t(m, "x")].rank == 2 && g->t[rw_t(m, "w")].rank == 2;
}
int build_bn_matmul(Graph *g, const RwMatch *m) { return build_bn_gemm(g, m); }

/* ---- a per-channel Mul or Add after a conv, into its weights and bias ---- */

/* k varies along axis 1 of y only: its values per channel (one value: all the same) */
static double *per_channel(Graph *g, int k, int y)
{
	const Tensor *t = &g->t[k], *o = &g->t[y];
	int64_t c = o->dims[1];
	float *v = rw_floats(g, k);
	double *out;
	int axis1 = t->rank - (o->rank - 1); /* k's dim that lines up with axis 1 */

	if (!v || t->rank > o->rank || (ir_numel(t) != 1 && ir_numel(t) != c))
		return NULL;
	for (int i = 0; i < t->rank; i++)
		if (i != axis1 && t->dims[i] != 1)
			return NULL;
	out = arena_alloc(&g->arena, sizeof(double) * (size_t)(c + 1));
	for (int64_t i = 0; i < c; i++)
		out[i] = v[ir_numel(t) == 1 ? 0 : i];
	return out;
}

static int affine_ok(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), y = g->n[c].out[0];
	return rw_float32(g, y) && plain(g, c) && ir_same_shape(g, y, rw_root_out(g, m)) &&
	       rw_float32(g, rw_t(m, "k")) && per_channel(g, rw_t(m, "k"), y);
}

int guard_scale_conv(Graph *g, const RwMatch *m) { return affine_ok(g, m); }
int guard_shift_conv(Graph *g, const RwMatch *m) { return affine_ok(g, m); }

static int affine_build(Graph *g, const RwMatch *m, int scale)
{
	int c = rw_n(m, "c"), w = rw_t(m, "w"), ins[3];
	int64_t cout = g->t[w].dims[0], inner = ir_numel(&g->t[w]) / (cout ? cout : 1);
	double *k = per_channel(g, rw_t(m, "k"), g->n[c].out[0]);

	ins[0] = rw_t(m, "x");
	ins[1] = scale ? scaled_weights(g, w, k, inner, 1, 0, 0) : w;
	ins[2] = folded_bias(g, rw_t(m, "b"), cout, scale ? k : NULL, scale ? NULL : k,
			     g->n[c].name);
	rw_kill_match(g, m);
	rw_node(g, m, g->n[c].op, ins, 3, rw_root_out(g, m), c);
	return 0;
}

int build_scale_conv(Graph *g, const RwMatch *m) { return affine_build(g, m, 1); }
int build_shift_conv(Graph *g, const RwMatch *m) { return affine_build(g, m, 0); }

/* ---- MatMul by a constant matrix plus a bias row: Gemm ---- */

int guard_matmul_add(Graph *g, const RwMatch *m)
{
	int a = rw_t(m, "a"), w = rw_t(m, "w"), bias = rw_t(m, "bias");
	int y = g->n[rw_n(m, "mm")].out[0];
	const Tensor *bt = &g->t[bias];
	int64_t n = g->t[w].rank == 2 ? g->t[w].dims[1] : -1;

	if (!rw_float32(g, a) || !rw_float32(g, w) || !rw_float32(g, bias) || g->t[w].rank != 2 ||
	    g->t[a].rank < 2 || !ir_same_shape(g, y, rw_root_out(g, m)))
		return 0;
	for (int i = 0; i + 1 < bt->rank; i++)
		if (bt->dims[i] != 1)
			return 0;
	return bt->rank == 0 || bt->dims[bt->rank - 1] == n || bt->dims[bt->rank - 1] == 1;
}

/* a reshape of t to rank dims, a new tensor unless out >= 0 */
static int reshaped(Graph *g, const RwMatch *m, int t, int rank, const int64_t *dims, int out)
{
	int64_t r = rank;
	int in[2], node;

	in[0] = t;
	in[1] = rw_const(g, arena_printf(&g->arena, "%s/shape", g->t[t].name), DT_S64, 1, &r, dims);
	node = rw_node(g, m, OP_RESHAPE, in, 2, out, -1);
	rw_reshape_exact(g, node);
	if (out < 0 && rw_infer(g, node))
		return -1;
	return g->n[node].out[0];
}

int build_matmul_add(Graph *g, const RwMatch *m)
{
	int a = rw_t(m, "a"), out = rw_root_out(g, m), ins[3], node;
	const Tensor *at = &g->t[a];
	int64_t n = g->t[rw_t(m, "w")].dims[1], k = at->dims[at->rank - 1];
	int64_t rows = k ? ir_numel(at) / k : 0, d2[2] = {rows, k};
	float *b = rw_floats(g, rw_t(m, "bias")), *bv = arena_alloc(&g->arena, sizeof(float) * (size_t)(n + 1));
	int64_t nb = ir_numel(&g->t[rw_t(m, "bias")]);

	for (int64_t j = 0; j < n; j++)
		bv[j] = b[nb == 1 ? 0 : j];
	rw_kill_match(g, m);
	ins[0] = at->rank == 2 ? a : reshaped(g, m, a, 2, d2, -1);
	ins[1] = rw_t(m, "w");
	ins[2] = rw_const(g, arena_printf(&g->arena, "%s/bias", g->n[m->node[0]].name), DT_F32, 1, &n, bv);
	if (ins[0] < 0)
		return -1;
	if (at->rank == 2) {
		rw_node(g, m, OP_GEMM, ins, 3, out, -1);
		return 0;
	}
	node = rw_node(g, m, OP_GEMM, ins, 3, -1, -1);
	if (rw_infer(g, node))
		return -1;
	return reshaped(g, m, g->n[node].out[0], g->t[out].rank, g->t[out].dims, out) < 0 ? -1 : 0;
}

/* ---- a constant Pad of zeros into the padding of the conv or average pool after it ---- */

/* pads of a Pad node by axis: begin[i], end[i] over x's rank; -1 unless a zero-valued
   constant pad that leaves N and C alone */
static int pad_amounts(Graph *g, const RwMatch *m, int64_t *begin, int64_t *end)
{
	int p = rw_n(m, "p"), rank = g->t[rw_t(m, "x")].rank, v = rw_t(m, "val");
	int64_t pads[2 * IR_MAX_RANK], axes[IR_MAX_RANK];
	int n = ir_const_ints(g, p, rw_t(m, "pads"), pads, 2 * IR_MAX_RANK), na = rank;

	if (n < 0 || strcmp(ir_attr_str(g, p, "mode", "constant"), "constant") ||
	    (v >= 0 && !rw_const_all(g, v, 0.0)))
		return -1;
	if (rw_t(m, "axes") >= 0)
		na = ir_const_ints(g, p, rw_t(m, "axes"), axes, IR_MAX_RANK);
	else
		for (int i = 0; i < rank; i++)
			axes[i] = i;
	if (na < 0 || n != 2 * na)
		return -1;
	memset(begin, 0, sizeof(int64_t) * IR_MAX_RANK);
	memset(end, 0, sizeof(int64_t) * IR_MAX_RANK);
	for (int i = 0; i < na; i++) {
		int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
		if (a < 0 || a >= rank || pads[i] < 0 || pads[na + i] < 0)
			return -1;
		begin[a] = pads[i];
		end[a] = pads[na + i];
	}
	return begin[0] || end[0] || begin[1] || end[1] ? -1 : 0;
}

/* the window node's pads plus the Pad's; -1 when auto_pad is SAME_* */
static int merged_pads(Graph *g, int node, int rank, const int64_t *b, const int64_t *e,
		       int64_t *pads)
{
	const char *ap = ir_attr_str(g, node, "auto_pad", "NOTSET");
	int n = rank - 2;

	if (strcmp(ap, "NOTSET") && strcmp(ap, "VALID") && ap[0])
		return -1;
	if (!strcmp(ap, "VALID") || ir_attr_ints(g, node, "pads", pads, 2 * IR_MAX_RANK) != 2 * n)
		memset(pads, 0, sizeof(int64_t) * 2 * (size_t)n);
	for (int i = 0; i < n; i++) {
		pads[i] += b[2 + i];
		pads[n + i] += e[2 + i];
	}
	return 0;
}

static int pad_into(Graph *g, const RwMatch *m, int check_only)
{
	int w = m->node[0], rank = g->t[rw_t(m, "x")].rank, ins[4], nin = g->n[w].nin, node;
	int64_t b[IR_MAX_RANK], e[IR_MAX_RANK], pads[2 * IR_MAX_RANK];

	if (pad_amounts(g, m, b, e) || merged_pads(g, w, rank, b, e, pads))
		return -1;
	if (g->n[w].op == OP_AVERAGE_POOL) { /* the Pad's zeros are counted in the average */
		int64_t old[2 * IR_MAX_RANK];
		int had = ir_attr_ints(g, w, "pads", old, 2 * IR_MAX_RANK), any = 0;
		for (int i = 0; i < had; i++)
			any |= old[i] != 0;
		if (ir_attr_int(g, w, "ceil_mode", 0) ||
		    (any && !ir_attr_int(g, w, "count_include_pad", 0)))
			return -1;
	}
	if (check_only)
		return 0;
	for (int k = 0; k < nin && k < 4; k++)
		ins[k] = g->n[w].in[k];
	ins[0] = rw_t(m, "x");
	rw_kill_match(g, m);
	node = rw_node(g, m, g->n[w].op, ins, nin, g->n[w].out[0], w);
	ir_attr_set_ints(g, node, "pads", pads, 2 * (rank - 2));
	ir_attr_set_str(g, node, "auto_pad", "NOTSET");
	if (g->n[node].op == OP_AVERAGE_POOL)
		ir_attr_set_int(g, node, "count_include_pad", 1);
	return 0;
}

int guard_pad_conv(Graph *g, const RwMatch *m) { return pad_into(g, m, 1) == 0; }
int build_pad_conv(Graph *g, const RwMatch *m) { return pad_into(g, m, 0); }
int guard_pad_avgpool(Graph *g, const RwMatch *m) { return pad_into(g, m, 1) == 0; }
int build_pad_avgpool(Graph *g, const RwMatch *m) { return pad_into(g, m, 0); }

/* ---- a bias row added after a Gemm: into its C ---- */

int guard_bias_gemm(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p"), y = g->n[p].out[0], k = rw_t(m, "k");
	int64_t n = g->t[y].dims[1];

	return rw_float32(g, y) && plain(g, p) && rw_float32(g, k) && per_column(g, k, n) &&
	       per_column(g, rw_t(m, "c"), n) && ir_same_shape(g, y, rw_root_out(g, m));
}

/* Y = alpha A B + beta C, plus k: C' = beta C + k, beta' = 1 */
int build_bias_gemm(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p"), cc = rw_t(m, "c"), k = rw_t(m, "k"), ins[3], node;
	int64_t n = g->t[g->n[p].out[0]].dims[1];
	double beta = ir_attr_float(g, p, "beta", 1.0f), *cv = arena_alloc(&g->arena, sizeof(double) * (size_t)(n + 1));
	float *src = cc >= 0 ? rw_floats(g, cc) : NULL, *kv = rw_floats(g, k);

	for (int64_t j = 0; j < n; j++)
		cv[j] = (src ? beta * src[ir_numel(&g->t[cc]) == 1 ? 0 : j] : 0) +
			kv[ir_numel(&g->t[k]) == 1 ? 0 : j];
	ins[0] = rw_t(m, "a");
	ins[1] = rw_t(m, "w");
	ins[2] = folded_bias(g, -1, n, NULL, cv, g->n[p].name);
	rw_kill_match(g, m);
	node = rw_node(g, m, g->n[p].op, ins, 3, rw_root_out(g, m), p);
	ir_attr_set_float(g, node, "beta", 1.0f);
	return 0;
}

/* ---- an activation after a MatMul by a constant matrix: a FusedGemm ---- */

int guard_act_matmul(Graph *g, const RwMatch *m)
{
	int a = rw_t(m, "a"), w = rw_t(m, "w");
	Epi e = {NULL, 0, 0, -FLT_MAX, FLT_MAX};

	return rw_float32(g, a) && rw_float32(g, w) && g->t[w].rank == 2 && g->t[a].rank >= 2 &&
	       act_of(g, m->node[0], &e) == 0;
}

int build_act_matmul(Graph *g, const RwMatch *m)
{
	int a = rw_t(m, "a"), out = rw_root_out(g, m), ins[2], node;
	const Tensor *at = &g->t[a];
	int64_t k = at->dims[at->rank - 1], d2[2] = {k ? ir_numel(at) / k : 0, k};
	Epi e = {NULL, 0, 0, -FLT_MAX, FLT_MAX};

	act_of(g, m->node[0], &e);
	rw_kill_match(g, m);
	ins[0] = at->rank == 2 ? a : reshaped(g, m, a, 2, d2, -1);
	ins[1] = rw_t(m, "w");
	if (ins[0] < 0)
		return -1;
	node = rw_node(g, m, OP_FUSED_GEMM, ins, 2, at->rank == 2 ? out : -1, -1);
	epi_set(g, node, &e);
	if (at->rank == 2)
		return 0;
	if (rw_infer(g, node))
		return -1;
	return reshaped(g, m, g->n[node].out[0], g->t[out].rank, g->t[out].dims, out) < 0 ? -1 : 0;
}
