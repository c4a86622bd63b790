/* rules_canon.c - canonicalising rules: operations that do nothing (x + 0, x * 1, an
   all-zero Pad, a full Slice, an identity Transpose) are forwarded to their input, and
   chains of transposes and of reshaping ops become one op. */
#include "rules.h"

#include <string.h>

int rw_float32(const Graph *g, int t) { return t >= 0 && g->t[t].dtype == DT_F32; }

/* the root's output is replaced by `to`; gives up when the output is a graph output
   that cannot be renamed onto `to` (an input, a constant or another output) */
int rw_forward(Graph *g, const RwMatch *m, int to)
{
	int out = rw_root_out(g, m);

	if ((g->t[out].flags & T_OUTPUT) &&
	    (g->t[to].flags & (T_INPUT | T_CONST | T_OUTPUT) || g->t[to].producer < 0))
		return -1;
	rw_kill_match(g, m);
	ir_replace_value(g, out, to);
	return 0;
}

/* ---- x + 0, x - 0; x * 1, x / 1 ---- */

int guard_forward_zero(Graph *g, const RwMatch *m)
{
	int x = rw_t(m, "x");
	return rw_const_all(g, rw_t(m, "k"), 0.0) && ir_same_shape(g, x, rw_root_out(g, m));
}
int build_forward_zero(Graph *g, const RwMatch *m) { return rw_forward(g, m, rw_t(m, "x")); }

int guard_forward_one(Graph *g, const RwMatch *m)
{
	int x = rw_t(m, "x");
	return rw_const_all(g, rw_t(m, "k"), 1.0) && ir_same_shape(g, x, rw_root_out(g, m));
}
int build_forward_one(Graph *g, const RwMatch *m) { return rw_forward(g, m, rw_t(m, "x")); }

/* ---- Pad of zeros, Slice of everything, Transpose in order ---- */

int guard_pad_noop(Graph *g, const RwMatch *m)
{
	int64_t pads[2 * IR_MAX_RANK];
	int n = ir_const_ints(g, m->node[0], rw_t(m, "pads"), pads, 2 * IR_MAX_RANK);

	if (n < 0 || !ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m)))
		return 0;
	for (int i = 0; i < n; i++)
		if (pads[i])
			return 0;
	return 1;
}
int build_pad_noop(Graph *g, const RwMatch *m) { return rw_forward(g, m, rw_t(m, "x")); }

int guard_slice_noop(Graph *g, const RwMatch *m)
{
	int steps = ir_in(g, m->node[0], 4);
	int64_t st[IR_MAX_RANK];
	int n = steps >= 0 ? ir_const_ints(g, m->node[0], steps, st, IR_MAX_RANK) : 0;

	if (n < 0 || !ir_same_shape(g, rw_t(m, "x"), rw_root_out(g, m)))
		return 0;
	for (int i = 0; i < n; i++)
		if (st[i] != 1)
			return 0;
	return 1;
}
int build_slice_noop(Graph *g, const RwMatch *m) { return rw_forward(g, m, rw_t(m, "x")); }

/* the permutation of a Transpose node (reversed axes by default) */
static int perm_of(Graph *g, int node, int rank, int64_t *perm)
{
	int n = ir_attr_ints(g, node, "perm", perm, IR_MAX_RANK);

	if (n < 0)
		for (n = 0; n < rank; n++)
			perm[n] = rank - 1 - n;
	return n == rank ? 0 : -1;
}

static int is_identity(const int64_t *perm, int rank)
{
	for (int i = 0; i < rank; i++)
		if (perm[i] != i)
			return 0;
	return 1;
}

int guard_transpose_noop(Graph *g, const RwMatch *m)
{
	int64_t perm[IR_MAX_RANK];
	int rank = g->t[rw_t(m, "x")].rank;
	return !perm_of(g, m->node[0], rank, perm) && is_identity(perm, rank);
}
int build_transpose_noop(Graph *g, const RwMatch *m) { return rw_forward(g, m, rw_t(m, "x")); }

int guard_transpose_pair(Graph *g, const RwMatch *m)
{
	int64_t pa[IR_MAX_RANK], pb[IR_MAX_RANK];
	int rank = g->t[rw_t(m, "x")].rank;
	return !perm_of(g, rw_n(m, "a"), rank, pa) && !perm_of(g, rw_n(m, "b"), rank, pb);
}

/* y = T_b(T_a(x)) reads x's axis pa[pb[j]] as its axis j */
int build_transpose_pair(Graph *g, const RwMatch *m)
{
	int64_t pa[IR_MAX_RANK], pb[IR_MAX_RANK], pc[IR_MAX_RANK];
	int x = rw_t(m, "x"), rank = g->t[x].rank, node;

	perm_of(g, rw_n(m, "a"), rank, pa);
	perm_of(g, rw_n(m, "b"), rank, pb);
	for (int j = 0; j < rank; j++)
		pc[j] = pa[pb[j]];
	if (is_identity(pc, rank))
		return rw_forward(g, m, x);
	rw_kill_match(g, m);
	node = rw_node(g, m, OP_TRANSPOSE, &x, 1, rw_root_out(g, m), -1);
	ir_attr_set_ints(g, node, "perm", pc, rank);
	return 0;
}

/* ---- Reshape, Flatten, Squeeze, Unsqueeze of one of them: one Reshape ---- */

int guard_reshape_chain(Graph *g, const RwMatch *m)
{
	(void)g, (void)m;
	return 1;
}

int build_reshape_chain(Graph *g, const RwMatch *m)
{
	int x = rw_t(m, "x"), out = rw_root_out(g, m), in[2];
	const Tensor *y = &g->t[out];
	int64_t rank = y->rank;

	if (ir_same_shape(g, x, out))
		return rw_forward(g, m, x);
	rw_kill_match(g, m);
	in[0] = x;
	in[1] = rw_const(g, arena_printf(&g->arena, "%s/shape", y->name), DT_S64, 1, &rank,
			 y->dims);
	rw_reshape_exact(g, rw_node(g, m, OP_RESHAPE, in, 2, out, -1));
	return 0;
}

/* a Reshape the rules make takes its shape literally: a 0 is a 0, not "keep the input's" */
void rw_reshape_exact(Graph *g, int node)
{
	ir_attr_set_int(g, node, "allowzero", 1);
	if (g->n[node].opset < 14)
		g->n[node].opset = 14;
}

int rw_reduce_axes(Graph *g, int node, int *axes)
{
	int64_t a[IR_MAX_RANK];
	int rank = g->t[g->n[node].in[0]].rank, n = 0, mark[IR_MAX_RANK] = {0};
	int k = ir_in(g, node, 1), c = k >= 0 ? ir_const_ints(g, node, k, a, IR_MAX_RANK) : 0;

	if (c < 0 || (c == 0 && ir_attr_int(g, node, "noop_with_empty_axes", 0)))
		return -1;
	for (int i = 0; i < c; i++) {
		int64_t v = a[i] < 0 ? a[i] + rank : a[i];
		if (v < 0 || v >= rank)
			return -1;
		mark[v] = 1;
	}
	for (int i = 0; i < rank; i++)
		if (mark[i] || c == 0)
			axes[n++] = i;
	return n;
}
