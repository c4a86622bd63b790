/* rules_compose.c - decomposed operations recognised as the one op they spell, as
   exporters write them: LayerNormalization (from ReduceMean, Sub, Pow, Sqrt, Div, and
   its affine Mul and Add), GELU (erf and tanh forms), SiLU, HardSwish, Softmax. */
#include "rules.h"

#include <math.h>
#include <string.h>

static int near(Graph *g, int t, double want, double tol)
{
	double v;
	return rw_const_scalar(g, t, &v) && fabs(v - want) <= tol * fabs(want);
}

/* a new single-input op on x writing the root's output */
static int unary(Graph *g, const RwMatch *m, OpKind op, int x, int opset)
{
	int node;

	rw_kill_match(g, m);
	node = rw_node(g, m, op, &x, 1, rw_root_out(g, m), -1);
	g->n[node].opset = opset;
	return node;
}

/* ---- LayerNormalization ---- */

/* a reduction over the trailing axes from *axis on, keeping dims */
static int trailing(Graph *g, int node, int *axis)
{
	int axes[IR_MAX_RANK], n = rw_reduce_axes(g, node, axes);
	int rank = g->t[g->n[node].in[0]].rank;

	if (n < 1 || !ir_attr_int(g, node, "keepdims", 1))
		return 0;
	for (int i = 0; i < n; i++)
		if (axes[i] != rank - n + i)
			return 0;
	*axis = rank - n;
	return 1;
}

int guard_layernorm(Graph *g, const RwMatch *m)
{
	int a, b;
	double eps;

	return rw_float32(g, rw_t(m, "x")) && trailing(g, rw_n(m, "m"), &a) &&
	       trailing(g, rw_n(m, "v"), &b) && a == b && rw_const_all(g, rw_t(m, "two"), 2.0) &&
	       rw_const_scalar(g, rw_t(m, "eps"), &eps) && eps >= 0;
}

int build_layernorm(Graph *g, const RwMatch *m)
{
	int x = rw_t(m, "x"), axis, ins[3], node;
	const Tensor *xt = &g->t[x];
	int64_t nd = 0, dims[IR_MAX_RANK], count = 1;
	double eps;
	float *one, *zero;

	trailing(g, rw_n(m, "m"), &axis);
	rw_const_scalar(g, rw_t(m, "eps"), &eps);
	for (int i = axis; i < xt->rank; i++)
		count *= dims[nd++] = xt->dims[i];
	one = arena_alloc(&g->arena, sizeof(float) * (size_t)(count + 1));
	zero = arena_alloc(&g->arena, sizeof(float) * (size_t)(count + 1));
	for (int64_t i = 0; i < count; i++)
		one[i] = 1.0f;
	ins[0] = x;
	ins[1] = rw_const(g, arena_printf(&g->arena, "%s/scale", xt->name), DT_F32, (int)nd, dims, one);
	ins[2] = rw_const(g, arena_printf(&g->arena, "%s/bias", xt->name), DT_F32, (int)nd, dims, zero);
	rw_kill_match(g, m);
	node = rw_node(g, m, OP_LAYER_NORM, ins, 3, rw_root_out(g, m), -1);
	g->n[node].opset = 17;
	ir_attr_set_int(g, node, "axis", axis);
	ir_attr_set_float(g, node, "epsilon", (float)eps);
	return 0;
}

/* k (a constant Mul or Add operand after the LayerNormalization l) as values over the
   normalised shape; NULL when k varies along an axis before l's axis */
static float *over_norm(Graph *g, const RwMatch *m, int64_t *count)
{
	int l = rw_n(m, "l"), k = rw_t(m, "k"), y = g->n[l].out[0];
	const Tensor *kt = &g->t[k], *yt = &g->t[y];
	int64_t axis = ir_attr_int(g, l, "axis", -1), strides[IR_MAX_RANK], s = 1;
	float *kv = rw_floats(g, k), *v;

	axis = axis < 0 ? axis + yt->rank : axis;
	if (!kv || !rw_float32(g, k) || kt->rank > yt->rank || axis < 0 || axis >= yt->rank ||
	    !ir_same_shape(g, y, rw_root_out(g, m)))
		return NULL;
	for (int i = kt->rank - 1; i >= 0; i--) { /* k's strides, 0 where it broadcasts */
		int j = yt->rank - kt->rank + i;
		if (j < axis && kt->dims[i] != 1)
			return NULL;
		strides[i] = kt->dims[i] == 1 ? 0 : s;
		s *= kt->dims[i];
	}
	*count = 1;
	for (int i = (int)axis; i < yt->rank; i++)
		*count *= yt->dims[i];
	v = arena_alloc(&g->arena, sizeof(float) * (size_t)(*count + 1));
	for (int64_t f = 0; f < *count; f++) {
		int64_t rest = f, off = 0;
		for (int j = yt->rank - 1; j >= axis; j--) {
			int64_t idx = rest % yt->dims[j], i = j - (yt->rank - kt->rank);
			rest /= yt->dims[j];
			if (i >= 0)
				off += idx * strides[i];
		}
		v[f] = kv[off];
	}
	return v;
}

/* l's scale and bias are one value per normalised element */
static int affine_flat(Graph *g, const RwMatch *m)
{
	int l = rw_n(m, "l"), sc = rw_t(m, "g"), b = rw_t(m, "b");
	int64_t count;

	if (!over_norm(g, m, &count) || !rw_float32(g, sc) || ir_numel(&g->t[sc]) != count)
		return 0;
	return g->n[l].op == OP_LAYER_NORM &&
	       (b < 0 || (rw_float32(g, b) && ir_numel(&g->t[b]) == count));
}

int guard_layernorm_scale(Graph *g, const RwMatch *m) { return affine_flat(g, m); }
int guard_layernorm_shift(Graph *g, const RwMatch *m) { return affine_flat(g, m); }

/* LN then y * k: scale' = scale k, bias' = bias k; LN then y + k: bias' = bias + k */
static int affine_into(Graph *g, const RwMatch *m, int mul)
{
	int l = rw_n(m, "l"), sc = rw_t(m, "g"), b = rw_t(m, "b"), ins[3], node;
	int64_t count;
	float *k = over_norm(g, m, &count), *s = rw_floats(g, sc);
	float *bv = arena_alloc(&g->arena, sizeof(float) * (size_t)(count + 1));
	float *src = b >= 0 ? rw_floats(g, b) : NULL;

	for (int64_t i = 0; i < count; i++) {
		float x = src ? src[i] : 0.0f;
		bv[i] = mul ? x * k[i] : x + k[i];
		if (mul)
			s[i] *= k[i];
	}
	ins[0] = rw_t(m, "x");
	ins[1] = mul ? rw_const(g, arena_printf(&g->arena, "%s/scaled", g->t[sc].name), DT_F32,
				g->t[sc].rank, g->t[sc].dims, s) : sc;
	ins[2] = rw_const(g, arena_printf(&g->arena, "%s/shifted", g->t[sc].name), DT_F32,
			  g->t[sc].rank, g->t[sc].dims, bv);
	rw_kill_match(g, m);
	node = rw_node(g, m, OP_LAYER_NORM, ins, 3, rw_root_out(g, m), l);
	g->n[node].opset = g->n[l].opset;
	return 0;
}

int build_layernorm_scale(Graph *g, const RwMatch *m) { return affine_into(g, m, 1); }
int build_layernorm_shift(Graph *g, const RwMatch *m) { return affine_into(g, m, 0); }

/* ---- GELU: 0.5 x (1 + erf(x / sqrt 2)), 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) ---- */

int guard_gelu_erf(Graph *g, const RwMatch *m)
{
	int s = rw_n(m, "s");
	double want = g->n[s].op == OP_DIV ? sqrt(2.0) : sqrt(0.5);

	return rw_float32(g, rw_t(m, "x")) && rw_const_all(g, rw_t(m, "one"), 1.0) &&
	       rw_const_all(g, rw_t(m, "half"), 0.5) && near(g, rw_t(m, "c"), want, 1e-5) &&
	       ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m));
}

int build_gelu_erf(Graph *g, const RwMatch *m)
{
	unary(g, m, OP_GELU, rw_t(m, "x"), 20);
	return 0;
}

int guard_gelu_tanh(Graph *g, const RwMatch *m)
{
	return rw_float32(g, rw_t(m, "x")) && rw_const_all(g, rw_t(m, "one"), 1.0) &&
	       rw_const_all(g, rw_t(m, "half"), 0.5) && rw_const_all(g, rw_t(m, "three"), 3.0) &&
	       near(g, rw_t(m, "k"), 0.044715, 1e-5) &&
	       near(g, rw_t(m, "s"), sqrt(2.0 / 3.14159265358979323846), 1e-5) &&
	       ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m));
}

int build_gelu_tanh(Graph *g, const RwMatch *m)
{
	int node = unary(g, m, OP_GELU, rw_t(m, "x"), 20);
	ir_attr_set_str(g, node, "approximate", "tanh");
	return 0;
}

/* ---- SiLU x sigmoid(x); HardSwish x hardsigmoid(x) and x clip(x + 3, 0, 6) / 6 ---- */

int guard_silu(Graph *g, const RwMatch *m)
{
	return rw_float32(g, rw_t(m, "x")) && ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m));
}

int build_silu(Graph *g, const RwMatch *m)
{
	int node = unary(g, m, OP_SWISH, rw_t(m, "x"), 24);
	ir_attr_set_float(g, node, "alpha", 1.0f);
	return 0;
}

int guard_hardswish_hs(Graph *g, const RwMatch *m)
{
	int h = rw_n(m, "h");
	return guard_silu(g, m) && fabs(ir_attr_float(g, h, "alpha", 0.2f) - 1.0 / 6) < 1e-6 &&
	       ir_attr_float(g, h, "beta", 0.5f) == 0.5f;
}

int build_hardswish_hs(Graph *g, const RwMatch *m)
{
	unary(g, m, OP_HARD_SWISH, rw_t(m, "x"), 14);
	return 0;
}

int guard_hardswish_clip(Graph *g, const RwMatch *m)
{
	return guard_silu(g, m) && rw_const_all(g, rw_t(m, "three"), 3.0) &&
	       rw_const_all(g, rw_t(m, "lo"), 0.0) && rw_const_all(g, rw_t(m, "hi"), 6.0) &&
	       rw_const_all(g, rw_t(m, "six"), 6.0);
}

int build_hardswish_clip(Graph *g, const RwMatch *m) { return build_hardswish_hs(g, m); }

/* ---- Softmax: exp(x) / sum(exp(x)), and with the maximum subtracted first ---- */

static int one_axis(Graph *g, int node, int *axis)
{
	int axes[IR_MAX_RANK];
	return node >= 0 && rw_reduce_axes(g, node, axes) == 1 &&
	       ir_attr_int(g, node, "keepdims", 1) && (*axis = axes[0], 1);
}

int guard_softmax(Graph *g, const RwMatch *m)
{
	int a, b, mx = rw_n(m, "mx");

	return rw_float32(g, rw_t(m, "x")) && one_axis(g, rw_n(m, "sum"), &a) &&
	       (mx < 0 || (one_axis(g, mx, &b) && a == b)) &&
	       ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m));
}

int build_softmax(Graph *g, const RwMatch *m)
{
	int axis = -1, node;

	one_axis(g, rw_n(m, "sum"), &axis);
	node = unary(g, m, OP_SOFTMAX, rw_t(m, "x"), 13);
	ir_attr_set_int(g, node, "axis", axis);
	return 0;
}
