/* test_rules.c - every rewrite rule proven equivalent: each rule has instances (small
   graphs of its left side, several shapes and attributes each) that are built, copied,
   rewritten with that rule alone, and evaluated on the host on random inputs before and
   after; outputs must agree within the rule's stated bound. A rule of rw_rules without
   an instance fails the test, and a deliberately wrong rule must be caught. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../passes/rewrite.h"

/* ---- building instances ---- */

static Graph *G;
static uint32_t seed = 2024;

static double rnd(double lo, double hi)
{
	seed = seed * 1103515245u + 12345u;
	return lo + (hi - lo) * (double)((seed >> 8) & 0xffffff) / (double)0xffffff;
}

static int input(const char *name, DType dt, int rank, const int64_t *dims)
{
	int t = ir_tensor_new(G, name);
	ir_set_shape(G, t, dt, rank, dims);
	ir_input_add(G, t);
	return t;
}

#define D(...) (const int64_t[]){__VA_ARGS__}
#define X(name, rank, ...) input(name, DT_F32, rank, D(__VA_ARGS__))

/* a random float32 constant in [lo, hi] */
static int crand(double lo, double hi, int rank, const int64_t *dims)
{
	int64_t n = ir_dims_numel(rank, dims, 1 << 20);
	float *v = calloc((size_t)n + 1, sizeof *v);
	int t;

	for (int64_t i = 0; i < n; i++)
		v[i] = (float)rnd(lo, hi);
	t = ir_const_new(G, "c", DT_F32, rank, dims, v);
	free(v);
	return t;
}
#define C(lo, hi, rank, ...) crand(lo, hi, rank, D(__VA_ARGS__))

static int cfill(DType dt, double v, int rank, const int64_t *dims)
{
	int64_t n = ir_dims_numel(rank, dims, 1 << 20);
	void *buf = calloc((size_t)n + 1, 8);
	int t;

	for (int64_t i = 0; i < n; i++)
		dt_set(dt, buf, i, v);
	t = ir_const_new(G, "k", dt, rank, dims, buf);
	free(buf);
	return t;
}
#define K(v) cfill(DT_F32, v, 0, NULL)

static int ints(int n, const int64_t *v)
{
	int64_t d = n;
	return ir_const_new(G, "i", DT_S64, 1, &d, v);
}
#define I(n, ...) ints(n, D(__VA_ARGS__))

/* a node of op on inputs (-1 absent); returns the node, its output is out(node) */
static int op(OpKind k, int nin, ...)
{
	va_list ap;
	int node = ir_node_new(G, k, NULL, nin, 1), t = ir_tensor_new(G, "y");

	G->n[node].name = arena_printf(&G->arena, "%s_%d", op_info[k].name, node);
	G->n[node].opset = 21;
	va_start(ap, nin);
	for (int i = 0; i < nin; i++)
		G->n[node].in[i] = va_arg(ap, int);
	va_end(ap);
	G->n[node].out[0] = t;
	G->t[t].producer = node;
	return node;
}
static int out(int node) { return G->n[node].out[0]; }
static void ai(int node, const char *name, int64_t v) { ir_attr_set_int(G, node, name, v); }
static void af(int node, const char *name, float v) { ir_attr_set_float(G, node, name, v); }
static void as(int node, const char *name, const char *v) { ir_attr_set_str(G, node, name, v); }
static void av(int node, const char *name, int n, const int64_t *v)
{
	ir_attr_set_ints(G, node, name, v, n);
}
/* the graph's result: y, read by a Neg so that no-op rules may forward past it */
static void result(int y)
{
	int n = op(OP_NEG, 1, y);
	ir_output_add(G, out(n));
}

/* ---- evaluating and comparing ---- */

static int infer_all(Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && fold_node(g, i))
			return -1;
	return g->nerrors ? -1 : 0;
}

static void feed(Graph *g, uint32_t s)
{
	uint32_t keep = seed;

	seed = s;
	for (int i = 0; i < g->ninputs; i++) {
		Tensor *t = &g->t[g->inputs[i]];
		int64_t n = ir_numel(t);
		t->data = arena_alloc(&g->arena, (size_t)ir_nbytes(t) + 8);
		for (int64_t k = 0; k < n; k++)
			dt_set(t->dtype, t->data, k, dt_is_float(t->dtype) ? rnd(-3, 3)
									 : (double)(int)rnd(-20, 20));
	}
	seed = keep;
}

static int run(Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && ir_eval_node(g, i))
			return -1;
	return 0;
}

/* worst excess of |a - b| over atol + rtol |b| on the outputs; -1 when they differ in
   shape or do not evaluate */
static double compare(Graph *a, Graph *b, double atol, double rtol)
{
	double worst = 0;

	if (a->noutputs != b->noutputs)
		return -1;
	for (int i = 0; i < a->noutputs; i++) {
		const Tensor *x = &a->t[a->outputs[i]], *y = &b->t[b->outputs[i]];
		if (x->dtype != y->dtype || x->rank != y->rank ||
		    memcmp(x->dims, y->dims, sizeof(int64_t) * (size_t)x->rank) || !x->data || !y->data)
			return -1; /* the two graphs' outputs differ in type or shape */
		for (int64_t k = 0; k < ir_numel(x); k++) {
			double u = dt_get(x->dtype, x->data, k), v = dt_get(y->dtype, y->data, k);
			double ex = fabs(u - v) - (atol + rtol * fabs(v));
			if (u != v && !(ex <= 0))
				worst = ex > worst || ex != ex ? (ex != ex ? 1e30 : ex) : worst;
		}
	}
	return worst;
}

typedef void (*InstFn)(int variant);

typedef struct {
	const char *rule, *also; /* the rule under test, and one it needs to build its input */
	InstFn build;
	int variants;
	double atol, rtol;       /* the rule's bound: 0, 0 is bit-exact */
	int search;              /* a rule of rw_search_rules (applies at its one place) */
} Inst;

/* builds variant v, rewrites a copy with rules[r] (and `also`), evaluates both on three
   random inputs; the worst excess over the bound, or -1 (fired < 0: did not apply) */
static double check(const RwRule *rules, int nrules, int r, const Inst *in, int v, int *fired)
{
	unsigned char *on = calloc((size_t)nrules + 1, 1);
	int *counts = calloc((size_t)nrules + 1, sizeof(int));
	Graph *left, *right;
	double worst = 0;

	G = ir_graph_new("rule-test");
	in->build(v);
	assert_int_equal(infer_all(G), 0);
	left = G;
	right = ir_graph_clone(left);
	on[r] = 1;
	for (int k = 0; in->also && k < nrules; k++)
		on[k] |= !strcmp(rules[k].name, in->also);
	rw_run_rules(right, rules, nrules, on, counts, 0);
	*fired = counts[r];
	assert_int_equal(ir_verify(right, "rewrite"), 0);
	for (uint32_t s = 1; s <= 3 && worst >= 0; s++) {
		double w;
		feed(left, s * 7919u);
		feed(right, s * 7919u);
		if (run(left) || run(right)) {
			worst = -1;
			break;
		}
		w = compare(right, left, in->atol, in->rtol);
		worst = w < 0 ? -1 : w > worst ? w : worst;
	}
	ir_graph_free(left);
	ir_graph_free(right);
	free(on);
	free(counts);
	return worst;
}

/* ---- the instances ---- */

static const OpKind binop[] = {OP_ADD, OP_SUB, OP_MUL, OP_DIV};

static void i_forward(int v, int which, double k)
{
	int x = v == 2 ? input("x", DT_S32, 3, D(2, 3, 4)) : X("x", 3, 2, 3, 4);
	int c = cfill(v == 2 ? DT_S32 : DT_F32, k, v == 1 ? 3 : 1, v == 1 ? D(1, 1, 4) : D(4));
	result(out(v == 3 && which != 1 && which != 3 ? op(binop[which], 2, c, x)
						      : op(binop[which], 2, x, c)));
}
static void i_add_zero(int v) { i_forward(v, 0, 0); }
static void i_sub_zero(int v) { i_forward(v, 1, 0); }
static void i_mul_one(int v) { i_forward(v, 2, 1); }
static void i_div_one(int v) { i_forward(v, 3, 1); }

static void i_pad_noop(int v)
{
	int x = X("x", 4, 1, 2, 3, 4);
	if (v) /* pads over two axes only */
		result(out(op(OP_PAD, 4, x, I(4, 0, 0, 0, 0), -1, I(2, 1, 3))));
	else
		result(out(op(OP_PAD, 2, x, I(8, 0, 0, 0, 0, 0, 0, 0, 0))));
}

static void i_slice_noop(int v)
{
	int x = X("x", 3, 2, 3, 4);
	result(out(op(OP_SLICE, 4, x, I(1, 0), I(1, v ? 3 : 1000), I(1, v ? 1 : -1))));
}

static void i_transpose_noop(int v)
{
	int n = op(OP_TRANSPOSE, 1, v ? X("x", 2, 3, 4) : X("x", 3, 2, 3, 4));
	av(n, "perm", 3 - v, D(0, 1, 2));
	result(out(n));
}

static void i_transpose_pair(int v)
{
	static const int64_t pa[3][3] = {{1, 0, 2}, {2, 0, 1}, {0, 2, 1}};
	static const int64_t pb[3][3] = {{1, 0, 2}, {1, 2, 0}, {1, 0, 2}};
	int a = op(OP_TRANSPOSE, 1, X("x", 3, 2, 3, 4)), b;
	av(a, "perm", 3, pa[v]);
	b = op(OP_TRANSPOSE, 1, out(a));
	av(b, "perm", 3, pb[v]);
	result(out(b));
}

static void i_reshape_chain(int v)
{
	int x = X("x", 3, 2, 3, 4), a, b;
	if (v == 0) {
		a = op(OP_RESHAPE, 2, x, I(2, 6, 4));
		b = op(OP_UNSQUEEZE, 2, out(a), I(1, 0));
	} else if (v == 1) {
		a = op(OP_FLATTEN, 1, x);
		ai(a, "axis", 1);
		b = op(OP_RESHAPE, 2, out(a), I(3, 2, 3, 4)); /* back to x's shape */
	} else {
		a = op(OP_UNSQUEEZE, 2, x, I(1, 1));
		b = op(OP_SQUEEZE, 2, out(a), I(1, 1));
	}
	result(out(b));
}

/* a Conv of 6 filters over x [1, 4, 8, 8]: v picks bias, groups, stride, kernel */
static int conv(int x, int v)
{
	int group = v == 2 ? 2 : v == 3 ? 4 : 1, k = v == 4 ? 1 : 3, cout = v == 3 ? 4 : 6;
	int w = crand(-1, 1, 4, D(cout, 4 / group, k, k));
	int n = op(OP_CONV, 3, x, w, v == 1 ? -1 : C(-1, 1, 1, cout));
	ai(n, "group", group);
	av(n, "kernel_shape", 2, D(k, k));
	av(n, "pads", 4, k == 3 ? D(1, 1, 1, 1) : D(0, 0, 0, 0));
	av(n, "strides", 2, v == 5 ? D(2, 2) : D(1, 1));
	return n;
}
static int cout_of(int v) { return v == 3 ? 4 : 6; }

static int bn(int y, int c)
{
	int n = op(OP_BATCH_NORM, 5, y, C(0.5, 2, 1, c), C(-1, 1, 1, c), C(-1, 1, 1, c),
		   C(0.2, 2, 1, c));
	af(n, "epsilon", 1e-3f);
	return n;
}

static void i_bn_conv(int v) { result(out(bn(out(conv(X("x", 4, 1, 4, 8, 8), v)), cout_of(v)))); }

static void i_bn_convt(int v)
{
	int group = v ? 2 : 1, n = op(OP_CONV_TRANSPOSE, 3, X("x", 4, 1, 4, 5, 5),
				      C(-1, 1, 4, 4, 3, 3, 3), v == 2 ? -1 : C(-1, 1, 1, 3 * group));
	ai(n, "group", group);
	av(n, "strides", 2, D(2, 2));
	result(out(bn(out(n), 3 * group)));
}

static void i_bn_gemm(int v)
{
	int n = op(OP_GEMM, 3, X("a", 2, 3, 5), v == 1 ? C(-1, 1, 2, 6, 5) : C(-1, 1, 2, 5, 6),
		   v == 2 ? -1 : v == 1 ? C(-1, 1, 2, 1, 6) : C(-1, 1, 1, 6));
	if (v == 1) {
		ai(n, "transB", 1);
		af(n, "alpha", 0.5f);
		af(n, "beta", 2.0f);
	}
	result(out(bn(out(n), 6)));
}

static void i_bn_matmul(int v)
{
	(void)v;
	result(out(bn(out(op(OP_MATMUL, 2, X("a", 2, 3, 5), C(-1, 1, 2, 5, 6))), 6)));
}

static void i_affine_conv(int v, OpKind k)
{
	int c = out(conv(X("x", 4, 1, 4, 8, 8), v % 2));
	int p = v < 2 ? C(0.5, 2, 3, 6, 1, 1) : v < 4 ? C(0.5, 2, 4, 1, 6, 1, 1) : C(0.5, 2, 1, 1);
	result(out(v % 3 == 2 ? op(k, 2, p, c) : op(k, 2, c, p)));
}
static void i_scale_conv(int v) { i_affine_conv(v, OP_MUL); }
static void i_shift_conv(int v) { i_affine_conv(v, OP_ADD); }

static void i_matmul_add(int v)
{
	int a = v == 1 ? X("a", 2, 3, 5) : X("a", 3, 2, 3, 5);
	int mm = op(OP_MATMUL, 2, a, C(-1, 1, 2, 5, 4));
	int b = v == 2 ? C(-1, 1, 2, 1, 4) : v == 3 ? C(-1, 1, 1, 1) : C(-1, 1, 1, 4);
	result(out(v == 2 ? op(OP_ADD, 2, b, out(mm)) : op(OP_ADD, 2, out(mm), b)));
}

static int act(int x, int a);

static void i_bias_gemm(int v)
{
	int gm = op(OP_GEMM, 3, X("a", 2, 3, 5), C(-1, 1, 2, 5, 6), v == 1 ? -1 : C(-1, 1, 2, 1, 6));
	int k = v == 2 ? C(-1, 1, 1, 1) : C(-1, 1, 1, 6);
	af(gm, "beta", 1.5f);
	result(out(v == 2 ? op(OP_ADD, 2, k, out(gm)) : op(OP_ADD, 2, out(gm), k)));
}

/* an activation after a MatMul by a constant: 2-D, and 3-D (reshaped around a Gemm) */
static void i_act_matmul(int v)
{
	int a = v % 2 ? X("a", 3, 2, 3, 5) : X("a", 2, 3, 5);
	result(out(act(out(op(OP_MATMUL, 2, a, C(-1, 1, 2, 5, 4))), v / 2)));
}

static void i_pad_conv(int v)
{
	int x = X("x", 4, 1, 3, 6, 6), p, n;
	if (v == 1)
		p = op(OP_PAD, 4, x, I(4, 1, 1, 0, 2), -1, I(2, 2, 3));
	else
		p = op(OP_PAD, 3, x, I(8, 0, 0, 1, 2, 0, 0, 2, 1), v == 2 ? K(0) : -1);
	n = op(OP_CONV, 3, out(p), C(-1, 1, 4, 4, 3, 3, 3), C(-1, 1, 1, 4));
	if (v == 2)
		as(n, "auto_pad", "VALID");
	else
		av(n, "pads", 4, D(1, 0, 1, 1));
	result(out(n));
}

static void i_pad_avgpool(int v)
{
	int p = op(OP_PAD, 2, X("x", 4, 1, 3, 6, 6), I(8, 0, 0, 1, 1, 0, 0, 1, 2));
	int n = op(OP_AVERAGE_POOL, 1, out(p));
	av(n, "kernel_shape", 2, D(3, 3));
	av(n, "strides", 2, v == 1 ? D(2, 2) : D(1, 1));
	if (v == 2) {
		ai(n, "count_include_pad", 1);
		av(n, "pads", 4, D(1, 1, 0, 1));
	}
	result(out(n));
}

/* a producer: Conv (even v) or Gemm (odd v) */
static int producer(int v)
{
	if (v % 2 == 0)
		return conv(X("x", 4, 1, 4, 8, 8), (v / 2) % 6);
	return op(OP_GEMM, 3, X("a", 2, 3, 5), C(-1, 1, 2, 5, 6), C(-1, 1, 1, 6));
}

static const OpKind acts[] = {OP_RELU, OP_LEAKY_RELU, OP_SIGMOID, OP_TANH, OP_HARD_SIGMOID,
			      OP_HARD_SWISH, OP_GELU, OP_GELU, OP_SWISH, OP_ELU};
#define NACTS (int)(sizeof acts / sizeof acts[0])

static int act(int x, int a)
{
	int n = op(acts[a], 1, x);
	if (acts[a] == OP_LEAKY_RELU)
		af(n, "alpha", 0.1f);
	if (acts[a] == OP_GELU && a == 7)
		as(n, "approximate", "tanh");
	if (acts[a] == OP_SWISH)
		af(n, "alpha", 1.5f);
	if (acts[a] == OP_HARD_SIGMOID)
		af(n, "alpha", 0.3f), af(n, "beta", 0.4f);
	return n;
}

/* every activation on a Conv and on a Gemm; then a Relu on top of an activation */
static void i_act_into(int v)
{
	if (v < 2 * NACTS) {
		result(out(act(out(producer(v)), v / 2)));
		return;
	}
	result(out(act(out(act(out(producer(v)), 3)), 0))); /* Tanh then Relu */
}

static void i_clip_into(int v)
{
	int p = out(producer(v)), lo = v == 1 ? -1 : K(0), hi = v == 1 ? K(0.5) : K(6);
	if (v == 2) /* after a Relu (act-into-producer runs first) */
		p = out(op(OP_RELU, 1, p)), lo = K(-1);
	result(out(op(OP_CLIP, 3, p, lo, hi)));
}

static void i_residual(int v)
{
	int c = out(conv(X("x", 4, 1, 4, 8, 8), v % 6)), r;
	int co = cout_of(v % 6), side = v % 6 == 5 ? 4 : 8;
	r = input("r", DT_F32, 4, D(1, co, side, side));
	c = out(v % 2 ? op(OP_ADD, 2, r, c) : op(OP_ADD, 2, c, r));
	result(v >= 6 ? out(op(OP_RELU, 1, c)) : c);
}

/* an int8 tensor's one scale and zero point */
static int qfact(int t, float scale, int32_t zp)
{
	ir_quant_set(G, t, 1, 0, &scale, &zp);
	return t;
}

/* a random integer constant of type dt in [lo, hi] */
static int cints(DType dt, int lo, int hi, int rank, const int64_t *dims)
{
	int64_t n = ir_dims_numel(rank, dims, 1 << 20);
	void *buf = calloc((size_t)n + 1, 8);
	int t;

	for (int64_t i = 0; i < n; i++)
		dt_set(dt, buf, i, (double)(int)rnd(lo, hi + 0.999));
	t = ir_const_new(G, "q", dt, rank, dims, buf);
	free(buf);
	return t;
}

/* QAdd(QConv(x, w, b), r) in int8: 3x3 (v < 4) or 1x1, weights per channel (v odd) or
   per tensor, the residual first or second (v & 2), a Relu clamp on the QConv or the
   QAdd (v >= 4 and v % 3) */
static void i_residual_q(int v)
{
	const int k = v < 4 ? 3 : 1, co = 4;
	const float sw[4] = {0.02f, 0.03f, 0.015f, 0.025f};
	const int32_t zw[4] = {0, 0, 0, 0};
	int x = qfact(input("x", DT_S8, 4, D(1, 3, 6, 6)), 0.05f, 3);
	int w = qfact(cints(DT_S8, -100, 100, 4, D(co, 3, k, k)), 0.02f, 0);
	int b = qfact(cints(DT_S32, -300, 300, 1, D(co)), 0.05f * 0.02f, 0);
	int r = qfact(input("r", DT_S8, 4, D(1, co, 6, 6)), 0.07f, 5);
	int c = op(OP_QCONV, 3, x, w, b), a;

	if (v % 2) {
		float s[4];
		for (int i = 0; i < co; i++)
			s[i] = sw[i] * 0.05f;
		ir_quant_set(G, w, co, 0, sw, zw);
		ir_quant_set(G, b, co, 0, s, zw);
	}
	if (k == 3)
		av(c, "pads", 4, D(1, 1, 1, 1));
	qfact(out(c), 0.1f, -2);
	a = v & 2 ? op(OP_QADD, 2, r, out(c)) : op(OP_QADD, 2, out(c), r);
	qfact(out(a), 0.12f, -1);
	if (v >= 4 && v % 3)
		ai(v == 4 ? c : a, "act_min", v == 4 ? -2 : -1);
	result(out(a));
}

/* QConv(QuantizeLinear(x)) of a float x: 3x3 pad 1; stride 2 padded at the end only;
   dilation 2; 1x1; two groups; 2x2 of stride 3 (rows between windows unread); two
   images; a scale that saturates (v 7); weights per channel for odd v, a Relu clamp for
   v % 3 == 2 */
static void i_quantize_q(int v)
{
	static const struct {
		int n, c, h, w, k, s, dil, group, pad0, pad1;
	} geo[8] = {
		{1, 3, 7, 6, 3, 1, 1, 1, 1, 1}, {1, 3, 9, 8, 3, 2, 1, 1, 0, 1},
		{1, 2, 8, 7, 3, 1, 2, 1, 2, 2}, {1, 4, 5, 5, 1, 1, 1, 1, 0, 0},
		{1, 4, 6, 5, 3, 1, 1, 2, 1, 1}, {1, 3, 8, 8, 2, 3, 1, 1, 0, 0},
		{2, 3, 6, 6, 3, 1, 1, 1, 1, 1}, {1, 3, 6, 7, 3, 1, 1, 1, 1, 1},
	};
	const float sw[4] = {0.02f, 0.03f, 0.015f, 0.025f}, sx = v == 7 ? 0.01f : 0.05f;
	const int32_t zw[4] = {0, 0, 0, 0}, zx = v == 7 ? -7 : 11;
	const int co = 4, ci = geo[v].c / geo[v].group, k = geo[v].k;
	int x = input("x", DT_F32, 4, D(geo[v].n, geo[v].c, geo[v].h, geo[v].w));
	int zp = cfill(DT_S8, zx, 0, NULL);
	int q = op(OP_QUANTIZE_LINEAR, 3, x, K(sx), zp);
	int w = qfact(cints(DT_S8, -100, 100, 4, D(co, ci, k, k)), 0.02f, 0);
	int b = qfact(cints(DT_S32, -300, 300, 1, D(co)), sx * 0.02f, 0);
	int c;

	qfact(out(q), sx, zx);
	c = op(OP_QCONV, 3, out(q), w, b);
	if (v % 2) {
		float s[4];
		for (int i = 0; i < co; i++)
			s[i] = sw[i] * sx;
		ir_quant_set(G, w, co, 0, sw, zw);
		ir_quant_set(G, b, co, 0, s, zw);
	}
	av(c, "pads", 4, D(geo[v].pad0, geo[v].pad0, geo[v].pad1, geo[v].pad1));
	av(c, "strides", 2, D(geo[v].s, geo[v].s));
	av(c, "dilations", 2, D(geo[v].dil, geo[v].dil));
	ai(c, "group", geo[v].group);
	qfact(out(c), 0.1f, -2);
	if (v % 3 == 2)
		ai(c, "act_min", -2);
	result(out(c));
}

/* (x - mean) / sqrt(var + eps) over the last (v 1: two last) axes */
static int layernorm(int x, int v)
{
	int axes = v == 1 ? I(2, -2, -1) : I(1, -1);
	int m = op(OP_REDUCE_MEAN, 2, x, axes), d = op(OP_SUB, 2, x, out(m));
	int p = op(OP_POW, 2, out(d), K(2)), var = op(OP_REDUCE_MEAN, 2, out(p), axes);
	int e = op(OP_ADD, 2, out(var), K(1e-5));
	return op(OP_DIV, 2, out(d), out(op(OP_SQRT, 1, out(e))));
}

static void i_layernorm(int v) { result(out(layernorm(X("x", 3, 2, 3, 8), v))); }

static int ln(int v)
{
	int n = op(OP_LAYER_NORM, 3, X("x", 3, 2, 3, 8), C(0.5, 2, 1, 8), v == 2 ? -1 : C(-1, 1, 1, 8));
	ai(n, "axis", -1);
	return n;
}
static void i_ln_scale(int v)
{
	result(out(op(OP_MUL, 2, out(ln(v)), v == 1 ? C(0.5, 2, 3, 1, 1, 8) : C(0.5, 2, 1, 8))));
}
static void i_ln_shift(int v)
{
	result(out(op(OP_ADD, 2, v == 1 ? C(-1, 1, 2, 1, 8) : C(-1, 1, 1, 8), out(ln(v)))));
}

/* the erf GELU, x / sqrt 2 (even v) or x * (1 / sqrt 2) (odd v) */
static int erf_arm(int x, int v)
{
	int s = v % 2 ? op(OP_MUL, 2, x, K(0.70710678118654752)) : op(OP_DIV, 2, x, K(1.4142135381698608));
	return op(OP_ADD, 2, out(op(OP_ERF, 1, out(s))), K(1));
}
static void i_gelu_erf(int v)
{
	int x = X("x", 2, 4, 16);
	result(out(op(OP_MUL, 2, out(op(OP_MUL, 2, x, out(erf_arm(x, v)))), K(0.5))));
}
static void i_gelu_erf_half(int v)
{
	int x = X("x", 2, 4, 16);
	result(out(op(OP_MUL, 2, out(op(OP_MUL, 2, x, K(0.5))), out(erf_arm(x, v)))));
}

static int tanh_arm(int x)
{
	int cube = op(OP_MUL, 2, out(op(OP_POW, 2, x, K(3))), K(0.044715));
	int in = op(OP_MUL, 2, out(op(OP_ADD, 2, x, out(cube))), K(0.7978845608028654));
	return op(OP_ADD, 2, out(op(OP_TANH, 1, out(in))), K(1));
}
static void i_gelu_tanh(int v)
{
	int x = X("x", 2, 4, 16);
	(void)v;
	result(out(op(OP_MUL, 2, out(op(OP_MUL, 2, x, out(tanh_arm(x)))), K(0.5))));
}
static void i_gelu_tanh_half(int v)
{
	int x = X("x", 2, 4, 16);
	(void)v;
	result(out(op(OP_MUL, 2, out(op(OP_MUL, 2, K(0.5), x)), out(tanh_arm(x)))));
}

static void i_silu(int v)
{
	int x = X("x", 2, 4, 16);
	result(out(v ? op(OP_MUL, 2, out(op(OP_SIGMOID, 1, x)), x) : op(OP_MUL, 2, x, out(op(OP_SIGMOID, 1, x)))));
}

static void i_hardswish(int v)
{
	int x = X("x", 2, 4, 16), h = op(OP_HARD_SIGMOID, 1, x);
	af(h, "alpha", 1.0f / 6);
	af(h, "beta", 0.5f);
	result(out(v ? op(OP_MUL, 2, out(h), x) : op(OP_MUL, 2, x, out(h))));
}

static void i_hardswish_clip(int v)
{
	int x = X("x", 2, 4, 16);
	int c = op(OP_CLIP, 3, out(op(OP_ADD, 2, x, K(3))), K(0), K(6));
	(void)v;
	result(out(op(OP_DIV, 2, out(op(OP_MUL, 2, x, out(c))), K(6))));
}

static void i_softmax(int v, int stable)
{
	int x = X("x", 3, 2, 5, 7), e, axes = I(1, v ? 1 : -1), s;
	if (stable) {
		int mx = op(OP_REDUCE_MAX, 2, x, axes);
		x = out(op(OP_SUB, 2, x, out(mx)));
	}
	e = op(OP_EXP, 1, x);
	s = op(OP_REDUCE_SUM, 2, out(e), axes);
	result(out(op(OP_DIV, 2, out(e), out(s))));
}
static void i_softmax_plain(int v) { i_softmax(v, 0); }
static void i_softmax_stable(int v) { i_softmax(v, 1); }

/* Gemm(a, W, C) read through column slices; v 1 with a Reshape between, v 2 one slice */
static void i_slices_gemm(int v)
{
	int gm = op(OP_GEMM, 3, X("a", 2, 4, 5), v == 1 ? C(-1, 1, 2, 6, 5) : C(-1, 1, 2, 5, 6),
		    C(-1, 1, 1, 6)), y = out(gm);
	if (v == 1) {
		ai(gm, "transB", 1);
		y = out(op(OP_RESHAPE, 2, y, I(3, 1, 4, 6)));
	}
	result(out(op(OP_SLICE, 4, y, I(1, v == 2 ? 1 : 0), I(1, v == 2 ? 3 : 2), I(1, -1))));
	if (v != 2)
		result(out(op(OP_SLICE, 4, y, I(1, 3), I(1, 6), I(1, -1))));
}

static void i_scale_gemm(int v)
{
	int gm = op(OP_GEMM, 3, X("a", 2, 4, 5), C(-1, 1, 2, 5, 6), v == 2 ? -1 : C(-1, 1, 1, 6));
	af(gm, "beta", 0.5f);
	result(out(v == 1 ? op(OP_MUL, 2, K(2.5), out(gm)) : op(OP_DIV, 2, out(gm), K(4))));
}

/* a scalar Div (even v) or Mul (odd v) after a MatMul, a Transpose, a Reshape */
static void i_scale_up(OpKind kind, int v)
{
	int x = X("x", 3, 2, 3, 4), p;
	if (kind == OP_MATMUL) {
		p = op(OP_MATMUL, 2, x, X("b", 2, 4, 5));
	} else if (kind == OP_TRANSPOSE) {
		p = op(OP_TRANSPOSE, 1, x);
		av(p, "perm", 3, D(1, 2, 0));
	} else {
		p = op(OP_RESHAPE, 2, x, I(2, 6, 4));
	}
	result(out(v % 2 ? op(OP_MUL, 2, K(0.25), out(p)) : op(OP_DIV, 2, out(p), K(8))));
}
static void i_scale_up_mm(int v) { i_scale_up(OP_MATMUL, v); }
static void i_scale_up_tr(int v) { i_scale_up(OP_TRANSPOSE, v); }
static void i_scale_up_rs(int v) { i_scale_up(OP_RESHAPE, v); }

#define EXACT 0, 0
#define FOLDED 1e-5, 1e-4 /* constants folded in double, rounded to float once */
#define ROUNDED 1e-5, 1e-5 /* another order of float operations */

static const Inst insts[] = {
	{"add-zero", NULL, i_add_zero, 4, EXACT},
	{"sub-zero", NULL, i_sub_zero, 4, EXACT},
	{"mul-one", NULL, i_mul_one, 4, EXACT},
	{"div-one", NULL, i_div_one, 4, EXACT},
	{"pad-noop", NULL, i_pad_noop, 2, EXACT},
	{"slice-noop", NULL, i_slice_noop, 2, EXACT},
	{"transpose-noop", NULL, i_transpose_noop, 2, EXACT},
	{"transpose-pair", NULL, i_transpose_pair, 3, EXACT},
	{"reshape-chain", NULL, i_reshape_chain, 3, EXACT},
	{"bn-into-conv", NULL, i_bn_conv, 6, FOLDED},
	{"bn-into-convtranspose", NULL, i_bn_convt, 3, FOLDED},
	{"bn-into-gemm", NULL, i_bn_gemm, 3, FOLDED},
	{"bn-into-matmul", NULL, i_bn_matmul, 1, FOLDED},
	{"scale-into-conv", NULL, i_scale_conv, 6, FOLDED},
	{"shift-into-conv", NULL, i_shift_conv, 6, FOLDED},
	{"matmul-add-to-gemm", NULL, i_matmul_add, 4, ROUNDED},
	{"bias-into-gemm", NULL, i_bias_gemm, 3, ROUNDED},
	{"act-into-matmul", NULL, i_act_matmul, 2 * NACTS, ROUNDED},
	{"pad-into-conv", NULL, i_pad_conv, 3, EXACT},
	{"pad-into-avgpool", NULL, i_pad_avgpool, 3, EXACT},
	{"act-into-producer", NULL, i_act_into, 2 * NACTS + 2, EXACT},
	{"clip-into-producer", "act-into-producer", i_clip_into, 3, EXACT},
	{"residual-into-conv", "act-into-producer", i_residual, 12, EXACT},
	{"residual-into-qconv", NULL, i_residual_q, 6, EXACT},
	{"quantize-into-qconv", NULL, i_quantize_q, 8, EXACT},
	{"layernorm", NULL, i_layernorm, 2, ROUNDED},
	{"layernorm-scale", NULL, i_ln_scale, 3, FOLDED},
	{"layernorm-shift", NULL, i_ln_shift, 3, FOLDED},
	{"gelu-erf", NULL, i_gelu_erf, 2, ROUNDED},
	{"gelu-erf-half-first", NULL, i_gelu_erf_half, 2, ROUNDED},
	{"gelu-tanh", NULL, i_gelu_tanh, 1, ROUNDED},
	{"gelu-tanh-half-first", NULL, i_gelu_tanh_half, 1, ROUNDED},
	{"silu", NULL, i_silu, 2, ROUNDED},
	{"hardswish", NULL, i_hardswish, 2, ROUNDED},
	{"hardswish-clip", NULL, i_hardswish_clip, 1, ROUNDED},
	{"softmax", NULL, i_softmax_plain, 2, ROUNDED},
	{"softmax-stable", NULL, i_softmax_stable, 2, ROUNDED},
	{"split-gemm-by-slices", NULL, i_slices_gemm, 3, EXACT},
	{"scale-into-gemm", NULL, i_scale_gemm, 3, ROUNDED},
	{"scale-up-matmul-a", NULL, i_scale_up_mm, 2, ROUNDED, 1},
	{"scale-up-matmul-b", NULL, i_scale_up_mm, 2, ROUNDED, 1},
	{"scale-up-transpose", NULL, i_scale_up_tr, 2, ROUNDED, 1},
	{"scale-up-reshape", NULL, i_scale_up_rs, 2, ROUNDED, 1},
};
#define NINSTS (int)(sizeof insts / sizeof insts[0])

/* every instance of every rule; reports them all before failing */
static void every_rule_is_equivalent(void **state)
{
	int bad = 0;

	(void)state;
	for (int i = 0; i < NINSTS; i++) {
		const RwRule *table = insts[i].search ? rw_search_rules : rw_rules;
		int n = insts[i].search ? rw_nsearch_rules : rw_nrules, r = -1;
		for (int k = 0; k < n; k++)
			if (!strcmp(table[k].name, insts[i].rule))
				r = k;
		if (r < 0)
			fail_msg("instance for unknown rule %s", insts[i].rule);
		for (int v = 0; v < insts[i].variants; v++) {
			int fired;
			double w = check(table, n, r, &insts[i], v, &fired);
			if (!fired)
				print_error("rule %s did not apply to its instance %d\n", insts[i].rule, v);
			else if (w != 0)
				print_error("rule %s, instance %d: %s (worst excess %g over %g + %g|ref|)\n",
					    insts[i].rule, v, w < 0 ? "does not evaluate" : "changes the result",
					    w, insts[i].atol, insts[i].rtol);
			bad += !fired || w != 0;
		}
	}
	if (bad)
		fail_msg("%d rule instances failed", bad);
}

static void every_rule_has_a_test(void **state)
{
	(void)state;
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < (s ? rw_nsearch_rules : rw_nrules); r++) {
			const char *name = (s ? rw_search_rules : rw_rules)[r].name;
			int found = 0;
			for (int i = 0; i < NINSTS; i++)
				found |= !strcmp(insts[i].rule, name) && insts[i].search == s;
			if (!found)
				fail_msg("rule %s has no equivalence test in test_rules.c", name);
		}
}

/* ---- wrong rules the test must catch ---- */

static int guard_any(Graph *g, const RwMatch *m)
{
	(void)g, (void)m;
	return 1;
}

/* "Relu is a clamp to [0, 6]": wrong for values above 6 */
static int build_relu6(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p"), node;

	rw_kill_match(g, m);
	node = rw_node(g, m, OP_FUSED_CONV, g->n[p].in, g->n[p].nin, g->n[m->node[0]].out[0], p);
	ir_attr_set_float(g, node, "act_min", 0);
	ir_attr_set_float(g, node, "act_max", 6);
	return 0;
}

/* "BatchNormalization only scales": forgets mean and bias */
static int build_bn_scale_only(Graph *g, const RwMatch *m)
{
	int c = rw_n(m, "c"), ins[3];
	const Tensor *w = &g->t[rw_t(m, "w")];
	float *wv = rw_floats(g, rw_t(m, "w")), *s = rw_floats(g, rw_t(m, "s"));
	int64_t per = ir_numel(w) / w->dims[0];

	for (int64_t i = 0; i < ir_numel(w); i++)
		wv[i] *= s[i / per];
	ins[0] = rw_t(m, "x");
	ins[1] = rw_const(g, "w", DT_F32, w->rank, w->dims, wv);
	ins[2] = rw_t(m, "b");
	rw_kill_match(g, m);
	rw_node(g, m, OP_CONV, ins, 3, g->n[m->node[0]].out[0], c);
	return 0;
}

static const RwRule wrong[] = {
	{"relu-as-relu6", "Relu(Conv#p(...))", guard_any, build_relu6, ""},
	{"bn-scale-only", "BatchNormalization(Conv#c($x, $w:c, $b?:c), $s:c, $o:c, $mean:c, $var:c)",
	 guard_any, build_bn_scale_only, ""},
};

static void wrong_rules_are_caught(void **state)
{
	const Inst relu = {"relu-as-relu6", NULL, i_act_into, 1, EXACT};
	const Inst bnc = {"bn-scale-only", NULL, i_bn_conv, 1, FOLDED};
	int fired;

	(void)state;
	assert_true(check(wrong, 2, 0, &relu, 0, &fired) > 0);
	assert_int_equal(fired, 1);
	assert_true(check(wrong, 2, 1, &bnc, 0, &fired) > 0);
	assert_int_equal(fired, 1);
}

/* ---- the rule language ---- */

static void patterns_parse(void **state)
{
	RwPattern p;
	char err[128];

	(void)state;
	for (int r = 0; r < rw_nrules; r++)
		if (rw_parse(rw_rules[r].pattern, &p, err, sizeof err))
			fail_msg("rule %s: %s", rw_rules[r].name, err);
	assert_int_equal(rw_parse("Add($x, Mul#m($x, $k:c?))", &p, err, sizeof err), 0);
	assert_int_equal(p.nnode, 2);
	assert_int_equal(p.nvar, 2);
	assert_true(p.var[1].is_const && p.var[1].optional);
	assert_int_not_equal(rw_parse("$x", &p, err, sizeof err), 0);
	assert_int_not_equal(rw_parse("Frob($x)", &p, err, sizeof err), 0);
	assert_int_not_equal(rw_parse("Add($x, #nope)", &p, err, sizeof err), 0);
	assert_int_not_equal(rw_parse("Add($x", &p, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(patterns_parse),
		cmocka_unit_test(every_rule_has_a_test),
		cmocka_unit_test(every_rule_is_equivalent),
		cmocka_unit_test(wrong_rules_are_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
