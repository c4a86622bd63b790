/* rules_move.c - rules that move work rather than remove it: a Gemm read only through
   disjoint column Slices split into one Gemm per slice; a scalar Mul or Div folded into
   a Gemm's alpha and beta; and, for the search (passes/search.c), a scalar Mul or Div
   moved from the output of a MatMul, Transpose or reshaping op to its input, which may
   cost the same or more until it reaches something it folds into. */
#include "rules.h"

#include <string.h>

/* ---- a Gemm read only through column Slices: one Gemm per slice ---- */

typedef struct {
	int gemm, reshape;   /* the Gemm, and the Reshape between it and the slices (or -1) */
	int y;               /* the tensor the slices read */
	int n, slice[16];    /* the slices */
	int64_t a[16], b[16];/* their column ranges */
} SliceSet;

/* s, a Slice of y's last axis only, step 1: its range */
static int column_range(Graph *g, int s, int y, int64_t *a, int64_t *b)
{
	int64_t start[IR_MAX_RANK], step[IR_MAX_RANK], len[IR_MAX_RANK];
	const Tensor *t = &g->t[y];
	int errors = g->nerrors, last = t->rank - 1;

	if (g->n[s].op != OP_SLICE || g->n[s].in[0] != y || ir_slice_box(g, s, start, step, len)) {
		g->nerrors = errors;
		return -1;
	}
	for (int i = 0; i < last; i++)
		if (len[i] != t->dims[i])
			return -1;
	if (last < 0 || step[last] != 1 || len[last] < 1)
		return -1;
	*a = start[last];
	*b = start[last] + len[last];
	return 0;
}

static int gemm_splits(Graph *g, int gemm)
{
	const Node *n = &g->n[gemm];
	int w = ir_in(g, gemm, 1), c = ir_in(g, gemm, 2);

	if ((n->op != OP_GEMM && n->op != OP_FUSED_GEMM) || ir_in(g, gemm, 3) >= 0 ||
	    !rw_float32(g, w) || !ir_is_const(g, w) || g->t[w].rank != 2)
		return 0;
	if (c < 0)
		return 1;
	return ir_is_const(g, c) && rw_float32(g, c) &&
	       (ir_numel(&g->t[c]) == 1 || (g->t[c].rank >= 1 && g->t[c].dims[g->t[c].rank - 1] ==
					     ir_numel(&g->t[c])));
}

static int slice_set(Graph *g, const RwMatch *m, SliceSet *s)
{
	int y = rw_t(m, "y"), p = g->t[y].producer;

	memset(s, 0, sizeof *s);
	s->y = y;
	s->reshape = -1;
	if (p < 0 || (g->t[y].flags & T_OUTPUT))
		return 0;
	if (g->n[p].op == OP_RESHAPE) { /* [m, n] -> [..., n]: columns stay the last axis */
		int gy = g->n[p].in[0];
		if (g->use[gy] != 1 || (g->t[gy].flags & T_OUTPUT) || g->t[gy].producer < 0 ||
		    g->t[gy].rank != 2 || g->t[y].dims[g->t[y].rank - 1] != g->t[gy].dims[1])
			return 0;
		s->reshape = p;
		p = g->t[gy].producer;
	}
	s->gemm = p;
	if (!gemm_splits(g, p))
		return 0;
	for (int i = 0; i < g->nn; i++) { /* every reader of y is a disjoint column slice */
		const Node *n = &g->n[i];
		for (int k = 0; !n->dead && k < n->nin; k++) {
			if (n->in[k] != y)
				continue;
			if (k || s->n == 16 || column_range(g, i, y, &s->a[s->n], &s->b[s->n]))
				return 0;
			for (int j = 0; j < s->n; j++)
				if (s->a[s->n] < s->b[j] && s->a[j] < s->b[s->n])
					return 0;
			s->slice[s->n++] = i;
		}
	}
	return s->n > 0 && s->n == g->use[y];
}

int guard_slices_gemm(Graph *g, const RwMatch *m)
{
	SliceSet s;
	return slice_set(g, m, &s);
}

/* columns [a, b) of the Gemm's B (rows when transB) and C */
static void split_operands(Graph *g, int gemm, int64_t a, int64_t b, int *w2, int *c2)
{
	int w = ir_in(g, gemm, 1), c = ir_in(g, gemm, 2), tb = (int)ir_attr_int(g, gemm, "transB", 0);
	const Tensor *wt = &g->t[w];
	int64_t rows = wt->dims[0], cols = wt->dims[1], n = b - a, d[2];
	float *src = rw_floats(g, w), *v = arena_alloc(&g->arena, sizeof(float) * (size_t)(rows * cols + 1));

	if (tb) { /* [N, K]: rows a..b */
		memcpy(v, src + a * cols, sizeof(float) * (size_t)(n * cols));
		d[0] = n, d[1] = cols;
	} else {
		for (int64_t r = 0; r < rows; r++)
			memcpy(v + r * n, src + r * cols + a, sizeof(float) * (size_t)n);
		d[0] = rows, d[1] = n;
	}
	*w2 = rw_const(g, arena_printf(&g->arena, "%s/cols%lld", wt->name, (long long)a), DT_F32, 2, d, v);
	*c2 = c;
	if (c >= 0 && ir_numel(&g->t[c]) > 1)
		*c2 = rw_const(g, arena_printf(&g->arena, "%s/cols%lld", g->t[c].name, (long long)a),
			       DT_F32, 1, &n, rw_floats(g, c) + a);
}

int build_slices_gemm(Graph *g, const RwMatch *m)
{
	SliceSet s;
	int gemm, ins[3];

	slice_set(g, m, &s);
	gemm = s.gemm;
	for (int i = 0; i < s.n; i++) {
		int node, out = g->n[s.slice[i]].out[0];
		ins[0] = ir_in(g, gemm, 0);
		split_operands(g, gemm, s.a[i], s.b[i], &ins[1], &ins[2]);
		rw_kill_node(g, s.slice[i]);
		node = rw_node(g, NULL, g->n[gemm].op, ins, 3, s.reshape < 0 ? out : -1, gemm);
		g->n[node].origin = g->n[s.slice[i]].origin; /* where its slice ran */
		g->n[node].name = arena_printf(&g->arena, "%s/cols%lld", g->n[gemm].name, (long long)s.a[i]);
		g->n[node].fused = arena_printf(&g->arena, "%s,%s", g->n[gemm].name, g->n[s.slice[i]].name);
		if (s.reshape >= 0) {
			int64_t r = g->t[out].rank;
			int in2[2];
			if (rw_infer(g, node))
				return -1; /* cannot happen: the shapes were checked */
			in2[0] = g->n[node].out[0];
			in2[1] = rw_const(g, "shape", DT_S64, 1, &r, g->t[out].dims);
			node = rw_node(g, NULL, OP_RESHAPE, in2, 2, out, -1);
			rw_reshape_exact(g, node);
			g->n[node].origin = g->n[s.slice[i]].origin;
			g->n[node].name = arena_printf(&g->arena, "%s/reshape", g->n[s.slice[i]].name);
		}
	}
	return 0;
}

/* ---- a scalar Mul or Div after a Gemm: its alpha and beta ---- */

static int scalar_k(Graph *g, const RwMatch *m, double *k)
{
	int d = m->node[0];
	double v;

	if (!rw_float32(g, rw_t(m, "k")) || !rw_const_scalar(g, rw_t(m, "k"), &v) ||
	    ir_numel(&g->t[rw_t(m, "k")]) != 1 || !ir_same_shape(g, rw_root_out(g, m), g->n[rw_n(m, "p")].out[0]))
		return 0;
	if (g->n[d].op == OP_DIV && v == 0)
		return 0;
	*k = g->n[d].op == OP_DIV ? 1.0 / v : v;
	return 1;
}

int guard_scale_gemm(Graph *g, const RwMatch *m)
{
	double k;
	int p = rw_n(m, "p");

	return scalar_k(g, m, &k) && !ir_attr(g, p, "activation") && !ir_attr(g, p, "act_min") &&
	       !ir_attr(g, p, "act_max") && ir_in(g, p, 3) < 0 && rw_float32(g, rw_root_out(g, m));
}

int build_scale_gemm(Graph *g, const RwMatch *m)
{
	int p = rw_n(m, "p"), node;
	double k;

	scalar_k(g, m, &k);
	rw_kill_match(g, m);
	node = rw_node(g, m, g->n[p].op, g->n[p].in, g->n[p].nin, rw_root_out(g, m), p);
	g->n[node].name = g->n[p].name; /* the Gemm, with the scalar folded in */
	ir_attr_set_float(g, node, "alpha", (float)(ir_attr_float(g, p, "alpha", 1.0f) * k));
	ir_attr_set_float(g, node, "beta", (float)(ir_attr_float(g, p, "beta", 1.0f) * k));
	return 0;
}

/* ---- moving a scalar Mul or Div to the input of the op before it (search moves) ---- */

int guard_scale_up(Graph *g, const RwMatch *m)
{
	double k;
	return scalar_k(g, m, &k) && rw_float32(g, rw_t(m, "x"));
}

/* d(p(x, rest...), k) -> p(d(x, k), rest...); x is p's input `which` */
static int scale_up(Graph *g, const RwMatch *m, int which)
{
	int d = m->node[0], p = rw_n(m, "p"), ins[2], node, x = g->n[p].in[which];
	int pin[IR_MAX_ARGS];

	ins[0] = x;
	ins[1] = rw_t(m, "k");
	for (int k = 0; k < g->n[p].nin && k < IR_MAX_ARGS; k++)
		pin[k] = g->n[p].in[k];
	rw_kill_match(g, m);
	node = rw_node(g, NULL, g->n[d].op, ins, 2, -1, -1);
	g->n[node].name = g->n[d].name; /* each op keeps its name and what it computes */
	g->n[node].fused = g->n[d].fused;
	g->n[node].origin = g->n[p].origin; /* it now runs before p */
	if (rw_infer(g, node))
		return -1;
	pin[which] = g->n[node].out[0];
	node = rw_node(g, m, g->n[p].op, pin, g->n[p].nin, rw_root_out(g, m), p);
	g->n[node].name = g->n[p].name;
	g->n[node].fused = g->n[p].fused;
	return 0;
}

int build_scale_up(Graph *g, const RwMatch *m) { return scale_up(g, m, 0); }

int guard_scale_up_b(Graph *g, const RwMatch *m)
{
	double k;
	return scalar_k(g, m, &k) && rw_float32(g, rw_t(m, "b")) && g->n[rw_n(m, "p")].op == OP_MATMUL;
}
int build_scale_up_b(Graph *g, const RwMatch *m) { return scale_up(g, m, 1); }
