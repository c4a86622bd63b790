/* op_flow.c - control flow, sequences and optionals. A sequence or an optional is a
   list of tensors known at compile time (Tensor.elem); the shape functions here compute
   those lists. If, Loop, Scan and SequenceMap, and the ops that read a tensor out of a
   list (SequenceAt, ConcatFromSequence, SplitToSequence, OptionalGetElement), are
   rewritten into plain tensor ops by passes/flow.c before shapes are inferred: none of
   these ops has a kernel. */
#include "lower.h"

/* rewritten by passes/flow.c; reaching shape inference means it was not */
int shape_flow(Graph *g, int node)
{
	ir_error(g, node, "was not expanded before shape inference");
	return -1;
}

int prep_flow(Graph *g, int node, Lowered *L)
{
	(void)L;
	ir_error(g, node, "is resolved at compile time and has no kernel");
	return -1;
}

static int need_seq(Graph *g, int node, int k)
{
	int t = ir_in(g, node, k);

	if (t >= 0 && (g->t[t].flags & T_SEQ))
		return 0;
	ir_error(g, node, "input %d must be a sequence", k);
	return -1;
}

static int need_tensor(Graph *g, int node, int k)
{
	if (!ir_is_list(g, ir_in(g, node, k)))
		return 0;
	ir_error(g, node, "input %d must be a tensor, not a sequence or an optional", k);
	return -1;
}

/* position input k (a compile-time scalar) in [lo, hi] once negatives count from n;
   def when the input is absent */
static int position(Graph *g, int node, int k, int n, int lo, int hi, int def, int *pos)
{
	int64_t v;

	*pos = def;
	if (!has_in(g, node, k))
		return 0;
	if (ir_numel(in_t(g, node, k)) != 1) {
		ir_error(g, node, "the position must be a scalar");
		return -1;
	}
	if (ir_const_ints(g, node, ir_in(g, node, k), &v, 1) != 1)
		return -1;
	if (v < 0)
		v += n;
	if (v < lo || v > hi) {
		ir_error(g, node, "position %lld is out of range for a sequence of %d",
			 (long long)(v < lo ? v - n : v), n);
		return -1;
	}
	*pos = (int)v;
	return 0;
}

int shape_seq_construct(Graph *g, int node)
{
	const Node *n = &g->n[node];

	for (int k = 0; k < n->nin; k++) {
		if (need_tensor(g, node, k))
			return -1;
		if (g->t[n->in[k]].dtype != g->t[n->in[0]].dtype) {
			ir_error(g, node, "the tensors of a sequence must have one element type");
			return -1;
		}
	}
	ir_set_seq(g, n->out[0], g->t[n->in[0]].dtype, n->in, n->nin);
	return 0;
}

int shape_seq_empty(Graph *g, int node)
{
	int64_t code = ir_attr_int(g, node, "dtype", 1);
	DType dt = dt_from_onnx((int)code);

	if (dt == DT_UNDEF) {
		ir_error(g, node, "element type %lld is not supported", (long long)code);
		return -1;
	}
	ir_set_seq(g, g->n[node].out[0], dt, NULL, 0);
	return 0;
}

int shape_seq_insert(Graph *g, int node)
{
	Tensor *s = in_t(g, node, 0);
	int t = ir_in(g, node, 1), n, pos, *e;

	if (need_seq(g, node, 0) || need_tensor(g, node, 1))
		return -1;
	n = s->nelem;
	if (position(g, node, 2, n, 0, n, n, &pos))
		return -1;
	if (n && g->t[t].dtype != s->dtype) {
		ir_error(g, node, "inserts %s into a sequence of %s", dt_name(g->t[t].dtype),
			 dt_name(s->dtype));
		return -1;
	}
	e = arena_alloc(&g->arena, sizeof(int) * (size_t)(n + 1));
	for (int i = 0, j = 0; i <= n; i++)
		e[i] = i == pos ? t : s->elem[j++];
	ir_set_seq(g, g->n[node].out[0], g->t[t].dtype, e, n + 1);
	return 0;
}

int shape_seq_erase(Graph *g, int node)
{
	Tensor *s = in_t(g, node, 0);
	int n, pos, *e;

	if (need_seq(g, node, 0))
		return -1;
	n = s->nelem;
	if (!n) {
		ir_error(g, node, "erases from an empty sequence");
		return -1;
	}
	if (position(g, node, 1, n, 0, n - 1, n - 1, &pos))
		return -1;
	e = arena_alloc(&g->arena, sizeof(int) * (size_t)n);
	for (int i = 0, j = 0; i < n; i++)
		if (i != pos)
			e[j++] = s->elem[i];
	ir_set_seq(g, g->n[node].out[0], s->dtype, e, n - 1);
	return 0;
}

int shape_seq_length(Graph *g, int node)
{
	int64_t n;
	Tensor *y;

	if (need_seq(g, node, 0))
		return -1;
	n = in_t(g, node, 0)->nelem;
	set_out(g, node, 0, DT_S64, 0, NULL);
	y = out_t(g, node, 0);
	y->data = arena_memdup(&g->arena, &n, sizeof n);
	y->flags |= T_CONST;
	return 0;
}

/* the position of a SequenceAt, for passes/flow.c */
int ir_seq_at(Graph *g, int node, int *pos)
{
	if (need_seq(g, node, 0))
		return -1;
	return position(g, node, 1, in_t(g, node, 0)->nelem, 0, in_t(g, node, 0)->nelem - 1, -1,
			pos);
}

int shape_optional(Graph *g, int node)
{
	int x = ir_in(g, node, 0);

	if (x >= 0 && (g->t[x].flags & T_OPT)) {
		ir_error(g, node, "an optional of an optional is not supported");
		return -1;
	}
	ir_set_opt(g, g->n[node].out[0], x >= 0 ? g->t[x].dtype : DT_UNDEF, x);
	return 0;
}

/* an absent input or an empty optional has none; a tensor or a sequence has one */
int shape_opt_has(Graph *g, int node)
{
	int x = ir_in(g, node, 0);
	uint8_t has = x >= 0 && (!(g->t[x].flags & T_OPT) || g->t[x].nelem > 0);
	Tensor *y;

	set_out(g, node, 0, DT_BOOL, 0, NULL);
	y = out_t(g, node, 0);
	y->data = arena_memdup(&g->arena, &has, 1);
	y->flags |= T_CONST;
	return 0;
}
