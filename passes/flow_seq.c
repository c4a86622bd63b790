/* flow_seq.c - If, and the ops that take tensors out of sequences and optionals:
   an If whose condition is a constant becomes its taken branch; SequenceAt,
   OptionalGetElement, ConcatFromSequence and SplitToSequence become Identity, Concat,
   Unsqueeze, Slice and Squeeze on the tensors of the list. */
#include "flow.h"

#include <stdlib.h>

void flow_if(Graph *g, int node)
{
	const Graph *sub;
	int64_t cond;
	int base, *res;

	if (flow_scalar(g, node, 0, "the condition of If", &cond))
		return;
	sub = flow_body(g, node, cond ? "then_branch" : "else_branch", &base);
	if (!sub)
		return;
	if (sub->noutputs != g->n[node].nout || sub->ninputs) {
		ir_error(g, node, "its %s branch has %d inputs and %d outputs, the node 0 and %d",
			 cond ? "then" : "else", sub->ninputs, sub->noutputs, g->n[node].nout);
		return;
	}
	res = flow_splice(g, node, base, sub, NULL, "");
	if (!res)
		return;
	for (int k = 0; k < g->n[node].nout; k++)
		if (g->n[node].out[k] >= 0 && res[k] >= 0)
			flow_bind(g, node, g->n[node].out[k], res[k]);
	free(res);
	flow_kill(g, node);
}

void flow_seq_at(Graph *g, int node)
{
	int pos;

	if (ir_seq_at(g, node, &pos))
		return;
	flow_bind(g, node, g->n[node].out[0], g->t[g->n[node].in[0]].elem[pos]);
	flow_kill(g, node);
}

/* an optional's value; a tensor or a sequence (opset 18) is its own */
void flow_get_element(Graph *g, int node)
{
	int x = g->n[node].in[0];

	if (g->t[x].flags & T_OPT) {
		if (!g->t[x].nelem) {
			ir_error(g, node, "takes the value of an empty optional ('%s')", g->t[x].name);
			return;
		}
		x = g->t[x].elem[0];
	}
	flow_bind(g, node, g->n[node].out[0], x);
	flow_kill(g, node);
}

static int need_seq(Graph *g, int node)
{
	if (g->t[g->n[node].in[0]].flags & T_SEQ)
		return 0;
	ir_error(g, node, "input 0 must be a sequence");
	return -1;
}

void flow_concat_seq(Graph *g, int node)
{
	const Tensor *s = &g->t[g->n[node].in[0]];
	int64_t axis = ir_attr_int(g, node, "axis", 0);
	int y;

	if (need_seq(g, node))
		return;
	if (ir_attr_int(g, node, "new_axis", 0)) {
		int rank = s->nelem ? g->t[s->elem[0]].rank : 0;
		y = flow_stack(g, node, s->elem, s->nelem, (int)(axis < 0 ? axis + rank + 1 : axis),
			       0);
	} else if (!s->nelem) {
		ir_error(g, node, "concatenates an empty sequence");
		return;
	} else {
		y = flow_op_axis(g, node, OP_CONCAT, "concat", s->nelem, s->elem, axis);
	}
	if (y >= 0) {
		flow_bind(g, node, g->n[node].out[0], y);
		flow_kill(g, node);
	}
}

/* a slice and perhaps a squeeze per piece: more than unrolling allows is an error */
static int too_many_pieces(Graph *g, int node, int64_t n)
{
	if (n <= FLOW_MAX_NODES / 2)
		return 0;
	ir_error(g, node, "splits into %lld pieces; at most %d expand", (long long)n,
		 FLOW_MAX_NODES / 2);
	return 1;
}

/* the lengths of the pieces of a dimension of size d; their count, -1 on error */
static int piece_sizes(Graph *g, int node, int64_t d, int64_t **len)
{
	int t = ir_in(g, node, 1), n;
	int64_t step = 1;

	if (t >= 0 && g->t[t].rank == 1) {
		int m = (int)ir_numel(&g->t[t]);
		*len = malloc(sizeof(int64_t) * ((size_t)m + 1));
		IR_ASSERT(*len);
		m = ir_const_ints(g, node, t, *len, m);
		if (too_many_pieces(g, node, m))
			return -1;
		for (int i = 0; i < m; i++)
			if ((*len)[i] < 0 || (*len)[i] > d) { /* before they are added up */
				ir_error(g, node, "a piece of %lld does not fit an axis of %lld",
					 (long long)(*len)[i], (long long)d);
				return -1;
			}
		return m;
	}
	if (t >= 0 && flow_scalar(g, node, 1, "the split of SplitToSequence", &step))
		return -1;
	if (step <= 0) {
		ir_error(g, node, "splits into pieces of %lld", (long long)step);
		return -1;
	}
	if (step > d)
		step = d ? d : 1; /* one piece, and no overflow */
	if (too_many_pieces(g, node, d ? (d - 1) / step + 1 : 0))
		return -1; /* before the count is an int and sizes a malloc */
	n = (int)(d ? (d - 1) / step + 1 : 0);
	*len = malloc(sizeof(int64_t) * ((size_t)n + 1));
	IR_ASSERT(*len);
	for (int i = 0; i < n; i++)
		(*len)[i] = i + 1 < n ? step : d - step * (n - 1);
	return n;
}

void flow_split_seq(Graph *g, int node)
{
	int x = g->n[node].in[0], rank = g->t[x].rank, axis, n, *e;
	int squeeze = ir_in(g, node, 1) < 0 && !ir_attr_int(g, node, "keepdims", 1);
	int64_t *len = NULL, at = 0, ax;

	if (ir_is_list(g, x) || ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), rank, &axis))
		return;
	ax = axis;
	n = piece_sizes(g, node, g->t[x].dims[axis], &len);
	if (n < 0) {
		free(len);
		return;
	}
	e = arena_alloc(&g->arena, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		int64_t end = at + len[i];
		int in[4] = {x, flow_i64(g, node, 1, &at), flow_i64(g, node, 1, &end),
			     flow_i64(g, node, 1, &ax)};
		e[i] = flow_op(g, node, OP_SLICE, "slice", 4, in);
		if (squeeze)
			e[i] = flow_op(g, node, OP_SQUEEZE, "squeeze", 2, (int[]){e[i], in[3]});
		at = end;
	}
	free(len);
	if (at != g->t[x].dims[axis])
		ir_error(g, node, "the split adds up to %lld, the axis has %lld", (long long)at,
			 (long long)g->t[x].dims[axis]);
	ir_set_seq(g, g->n[node].out[0], g->t[x].dtype, e, n);
	flow_kill(g, node);
}
