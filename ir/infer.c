/* infer.c - shape and dtype inference of one node through its op's shape function,
   and the helpers shape functions share: broadcasting, axes, constant operands. */
#include "lower.h"

#include <string.h>

int ir_infer_node(Graph *g, int node)
{
	Node *n = &g->n[node];
	int errors = g->nerrors;

	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && !(g->t[n->in[k]].flags & T_SHAPED))
			return -1; /* an earlier error left this input unknown */
	for (int k = 0; k < n->nin; k++)
		if (ir_is_list(g, n->in[k]) && !(op_info[n->op].flags & OPF_FLOW)) {
			ir_error(g, node, "input %d ('%s') is %s; %s takes tensors", k,
				 g->t[n->in[k]].name, g->t[n->in[k]].flags & T_SEQ ? "a sequence"
				 : "an optional", op_info[n->op].name);
			return -1;
		}
	if (op_info[n->op].shape(g, node) || g->nerrors > errors)
		return -1;
	for (int k = 0; k < n->nout; k++) {
		Tensor *y = n->out[k] >= 0 ? &g->t[n->out[k]] : NULL;
		IR_ASSERT(!y || (y->flags & T_SHAPED));
		if (y && ir_dims_numel(y->rank, y->dims, INT32_MAX) < 0) {
			/* the kernels count in 32 bits, and larger counts overflow sizes; a
			   negative dimension comes from values (Expand, ConstantOfShape) */
			int i = 0, empty = 0;
			while (i < y->rank && y->dims[i] >= 0)
				empty |= y->dims[i++] == 0;
			if (i < y->rank)
				ir_error(g, node, "output '%s' would have dimension %d of size %lld",
					 y->name, i, (long long)y->dims[i]);
			else
				ir_error(g, node, "output '%s' would have more than %d elements%s",
					 y->name, INT32_MAX, !empty ? "" :
					 " (it is empty, but its other dimensions multiply to more)");
			y->flags &= ~T_SHAPED; /* its consumers are skipped */
			return -1;
		}
	}
	return 0;
}

int ir_broadcast(Graph *g, int node, const int *ts, int nts, int *rank, int64_t *dims)
{
	int r = 0;

	for (int k = 0; k < nts; k++)
		if (ts[k] >= 0 && g->t[ts[k]].rank > r)
			r = g->t[ts[k]].rank;
	for (int i = 0; i < r; i++)
		dims[i] = 1;
	for (int k = 0; k < nts; k++) {
		const Tensor *t;
		if (ts[k] < 0)
			continue;
		t = &g->t[ts[k]];
		for (int i = 0; i < t->rank; i++) {
			int64_t d = t->dims[i], *o = &dims[r - t->rank + i];
			if (d == *o || d == 1)
				continue;
			if (*o != 1) {
				ir_error(g, node, "shapes cannot broadcast: dimension %d is %lld in "
					 "'%s' but %lld elsewhere", i, (long long)d, t->name,
					 (long long)*o);
				return -1;
			}
			*o = d;
		}
	}
	*rank = r;
	return 0;
}

int ir_norm_axis(Graph *g, int node, int64_t axis, int rank, int *out)
{
	if (axis < -rank || axis >= (rank ? rank : 1)) {
		ir_error(g, node, "axis %lld is out of range for rank %d", (long long)axis, rank);
		return -1;
	}
	*out = (int)(axis < 0 ? axis + rank : axis);
	return 0;
}

int ir_need_const(Graph *g, int node, int k)
{
	int t = ir_in(g, node, k);
	const Tensor *x;

	if (t < 0 || ir_is_const(g, t))
		return 0;
	x = &g->t[t];
	if (x->flags & T_INPUT)
		ir_error(g, node, "input %d is graph input '%s', which sets a shape or a "
			 "compile-time parameter of this node; static memory needs its value: "
			 "bind it with --bind %s=FILE.pb", k, x->name, x->name);
	else
		ir_error(g, node, "input %d ('%s') must be known at compile time but is "
			 "computed from run-time data", k, x->name);
	return -1;
}

int ir_const_ints(Graph *g, int node, int t, int64_t *out, int max)
{
	const Tensor *x;
	int64_t n;

	if (t < 0)
		return 0;
	if (!ir_is_const(g, t)) {
		for (int k = 0; k < g->n[node].nin; k++)
			if (g->n[node].in[k] == t)
				return ir_need_const(g, node, k);
		ir_error(g, node, "'%s' must be a compile-time constant", g->t[t].name);
		return -1;
	}
	x = &g->t[t];
	n = ir_numel(x);
	if (n > max) {
		ir_error(g, node, "'%s' has %lld values, at most %d expected", x->name,
			 (long long)n, max);
		return -1;
	}
	for (int64_t i = 0; i < n; i++)
		out[i] = dt_get_i64(x->dtype, x->data, i);
	return (int)n;
}
