/* fold.c - walks the graph in topological order, infers each node's output shapes and
   evaluates it on the host when all its inputs are constant (whole constant subgraphs,
   such as Shape->Gather->Concat->Reshape chains, fold away). Ops without float16
   kernels are widened here: float16/bfloat16/float8 inputs are cast to float32 before
   the node and its outputs cast back after (with the node's saturate, QuantizeLinear's
   float8 rounding), so results round as ONNX specifies (a Sum or Mean of
   several halves first becomes a chain of two-input Sums, rounding after each). */
#include "passes.h"

#include <stdlib.h>

/* folding that grows data (Expand, Tile, ConstantOfShape) stops at this many bytes */
#define FOLD_MIN_BYTES 4096

/* the storage types that compute in float32 */
static int is_narrow(DType t) { return t == DT_F16 || t == DT_BF16 || dt_is_f8(t); }

static int needs_widening(Graph *g, int node)
{
	const Node *n = &g->n[node];

	if (op_info[n->op].flags & (OPF_ANYTYPE | OPF_FLOW))
		return 0;
	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && is_narrow(g->t[n->in[k]].dtype))
			return 1;
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0 && is_narrow(g->t[n->out[k]].dtype))
			return 1;
	return 0;
}

static int64_t out_bytes(Graph *g, int node)
{
	int64_t n = 0;

	for (int k = 0; k < g->n[node].nout; k++)
		if (g->n[node].out[k] >= 0)
			n += ir_nbytes(&g->t[g->n[node].out[k]]);
	return n;
}

static int foldable(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int64_t in_bytes = 0, out = out_bytes(g, node);

	if (op_info[n->op].flags & (OPF_NO_FOLD | OPF_FLOW))
		return 0;
	if (n->op == OP_DEQUANTIZE_LINEAR && !g->quantized)
		return 0; /* quantized weights stay integer for pass_quant */
	for (int k = 0; k < n->nin; k++) {
		if (n->in[k] < 0)
			continue;
		if (!ir_is_const(g, n->in[k]))
			return 0;
		in_bytes += ir_nbytes(&g->t[n->in[k]]);
	}
	if (out > ir_max_const_bytes - g->const_bytes)
		return 0; /* computed at run time instead: the model's constants, loaded and
			     folded, stay within the limit */
	return out <= FOLD_MIN_BYTES || out <= 2 * in_bytes;
}

static void kill(Graph *g, int node)
{
	Node *n = &g->n[node];
	n->dead = 1;
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0) {
			g->t[n->out[k]].producer = -1;
			g->t[n->out[k]].flags |= T_CONST;
		}
}

static void try_fold(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int all_const = 1;

	for (int k = 0; k < n->nout; k++)
		all_const &= n->out[k] < 0 || ir_is_const(g, n->out[k]);
	if (all_const) { /* the shape function computed the values (Shape, Constant, ...) */
		kill(g, node);
		return;
	}
	if (foldable(g, node) && ir_eval_node(g, node) == 0) {
		g->const_bytes += out_bytes(g, node);
		kill(g, node);
	}
}

static int cast_node(Graph *g, int from, int to, int opset, DType dt)
{
	const Node *ref = from >= 0 && g->t[from].producer >= 0 ? &g->n[g->t[from].producer] : NULL;
	int c = ir_node_new(g, OP_CAST, ref ? arena_printf(&g->arena, "%s/cast", ref->name)
					   : arena_printf(&g->arena, "%s/cast", g->t[from].name), 1, 1);

	g->n[c].opset = opset;
	g->n[c].in[0] = from;
	g->n[c].out[0] = to;
	g->t[to].producer = c;
	ir_attr_set_int(g, c, "to", dt_onnx(dt));
	return c;
}

static void infer_fold(Graph *g, int node)
{
	if (ir_infer_node(g, node) == 0)
		try_fold(g, node);
}

static void widen(Graph *g, int node)
{
	int opset = g->n[node].opset, nout = g->n[node].nout;
	int *casts = calloc((size_t)nout + 1, sizeof(int));

	IR_ASSERT(casts);
	for (int k = 0; k < g->n[node].nin; k++) {
		int t = g->n[node].in[k], w;
		if (t < 0 || !is_narrow(g->t[t].dtype))
			continue;
		w = ir_tensor_new(g, arena_printf(&g->arena, "%s_f32", g->t[t].name));
		infer_fold(g, cast_node(g, t, w, opset, DT_F32));
		g->n[node].in[k] = w;
	}
	for (int k = 0; k < nout; k++) {
		int t = g->n[node].out[k], w;
		casts[k] = -1;
		if (t < 0 || !is_narrow(g->t[t].dtype))
			continue;
		w = ir_tensor_new(g, arena_printf(&g->arena, "%s_f32", g->t[t].name));
		g->n[node].out[k] = w;
		g->t[w].producer = node;
		g->t[t].flags &= ~T_SHAPED;
		casts[k] = cast_node(g, w, t, opset, g->t[t].dtype);
		if (ir_attr(g, node, "saturate"))
			ir_attr_set_int(g, casts[k], "saturate", ir_attr_int(g, node, "saturate", 1));
	}
	infer_fold(g, node);
	for (int k = 0; k < nout; k++)
		if (casts[k] >= 0)
			infer_fold(g, casts[k]);
	free(casts);
}

/* a new node op(a, b) -> y after `ref`, folded on the spot */
static void add_binary(Graph *g, int ref, OpKind op, int a, int b, int y, int k)
{
	int c = ir_node_new(g, op, arena_printf(&g->arena, "%s/%s%d", g->n[ref].name,
						op == OP_SUM ? "sum" : "div", k), 2, 1);

	g->n[c].opset = g->n[ref].opset;
	g->n[c].in[0] = a;
	g->n[c].in[1] = b;
	g->n[c].out[0] = y;
	g->t[y].producer = c;
	fold_node(g, c);
}

/* Sum and Mean of float16 or bfloat16 round after every addition (the numpy reference
   and onnxruntime add in the narrow type; 1000 + 0.3 - 1000 is 0.5 there, 0.3 in one
   float32 sum): such a node becomes Sum(Sum(a, b), c)..., and Mean a Div of that by
   the count. Returns 1 when the node was replaced. */
static int split_half_sum(Graph *g, int node)
{
	OpKind op = g->n[node].op;
	int nin = g->n[node].nin, y = g->n[node].out[0], acc = g->n[node].in[0];
	int *in = arena_memdup(&g->arena, g->n[node].in, sizeof(int) * (size_t)nin);
	DType dt = g->t[y].dtype;

	if (!(op == OP_SUM && nin > 2) && !(op == OP_MEAN && nin > 1))
		return 0;
	g->n[node].dead = 1;
	for (int k = 1; k < nin; k++) {
		int t = y;
		if (k < nin - 1 || op == OP_MEAN)
			t = ir_tensor_new(g, arena_printf(&g->arena, "%s_sum%d", g->t[y].name, k));
		add_binary(g, node, OP_SUM, acc, in[k], t, k);
		acc = t;
	}
	if (op == OP_MEAN) {
		unsigned char v[8];
		dt_set(dt, v, 0, nin);
		add_binary(g, node, OP_DIV, acc, ir_const_new(g, "", dt, 0, NULL, v), y, nin);
	}
	return 1;
}

int fold_node(Graph *g, int node)
{
	if (g->n[node].dead || ir_infer_node(g, node))
		return -1;
	if (needs_widening(g, node)) {
		if (!split_half_sum(g, node))
			widen(g, node);
	} else {
		try_fold(g, node);
	}
	return 0;
}

/* nodes are in topological order; nodes added on the way are handled on the spot */
static void print_dims(FILE *f, int rank, const int64_t *dims)
{
	fputc('[', f);
	for (int k = 0; k < rank; k++)
		fprintf(f, k ? ", %lld" : "%lld", (long long)dims[k]);
	fputc(']', f);
}

/* a declared output shape other than the inferred one is a warning: the model's
   declaration is wrong, or the compiler is */
static void check_declared(Graph *g)
{
	FILE *f = g->diag ? g->diag : stderr;

	for (int i = 0; i < g->noutvals; i++) {
		const IoValue *ov = &g->outvals[i];
		const Tensor *t;
		int same;
		if (ov->kind != V_TENSOR || ov->drank < 0 || ov->count != 1)
			continue;
		t = &g->t[g->outputs[ov->first]];
		if (!(t->flags & T_SHAPED))
			continue;
		same = t->rank == ov->drank;
		for (int k = 0; same && k < t->rank; k++)
			same = ov->ddims[k] < 0 || ov->ddims[k] == t->dims[k];
		if (same)
			continue;
		fprintf(f, "%s: warning: output '%s' is declared ", g->path, ov->name);
		print_dims(f, ov->drank, ov->ddims);
		fprintf(f, " but has the shape ");
		print_dims(f, t->rank, t->dims);
		fputc('\n', f);
	}
}

void pass_fold(Graph *g)
{
	int n0 = g->nn;

	for (int i = 0; i < n0; i++)
		fold_node(g, i);
	ir_toposort(g);
	if (!g->nerrors)
		check_declared(g);
}
