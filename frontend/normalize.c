/* normalize.c - brings every node to the latest form of its op, so the rest of the
   compiler sees one version: attributes that later opsets turned into inputs (Clip, Pad,
   Reshape, Slice, Split, Squeeze, Unsqueeze, Reduce*, TopK) become constant inputs, and
   the broadcast of elementwise ops before opset 7 becomes numpy's. Semantic differences
   that remain (Softmax axis before opset 13, ...) are read from node->opset by the op
   itself. */
#include "internal.h"

#include <float.h>
#include <string.h>

/* sets input k of a node, growing its input list */
static void set_input(Graph *g, int node, int k, int t)
{
	Node *n = &g->n[node];

	if (k >= n->nin) {
		int *in = arena_alloc(&g->arena, sizeof(int) * (size_t)(k + 1));
		for (int i = 0; i <= k; i++)
			in[i] = i < n->nin ? n->in[i] : -1;
		n->in = in;
		n->nin = k + 1;
	}
	n->in[k] = t;
}

static void drop_attr(Graph *g, int node, const char *name)
{
	Node *n = &g->n[node];
	for (int i = 0; i < n->nattr; i++) {
		if (!strcmp(n->attr[i].name, name)) {
			n->attr[i] = n->attr[--n->nattr];
			return;
		}
	}
}

/* moves an ints attribute to constant int64 input k; returns 1 when moved */
static int ints_to_input(Graph *g, int node, const char *name, int k)
{
	const Attr *a = ir_attr(g, node, name);
	int64_t n;

	if (!a || (a->kind != A_INTS && a->kind != A_INT))
		return 0;
	n = a->kind == A_INTS ? a->n : 1;
	set_input(g, node, k, ir_const_new(g, "", DT_S64, 1, &n, a->kind == A_INTS ? a->ints : &a->i));
	drop_attr(g, node, name);
	return 1;
}

/* Clip before opset 11: min and max attributes, float32 whatever x is (prep_clip
   converts them) */
static void clip_attrs(Graph *g, int node)
{
	float vlo = ir_attr_float(g, node, "min", -FLT_MAX);
	float vhi = ir_attr_float(g, node, "max", FLT_MAX);

	set_input(g, node, 1, ir_const_new(g, "", DT_F32, 0, NULL, &vlo));
	set_input(g, node, 2, ir_const_new(g, "", DT_F32, 0, NULL, &vhi));
	drop_attr(g, node, "min");
	drop_attr(g, node, "max");
}

/* Pad before opset 11: pads (or paddings) and value attributes */
static void pad_attrs(Graph *g, int node)
{
	if (!ints_to_input(g, node, "pads", 1))
		ints_to_input(g, node, "paddings", 1);
	/* the value is converted to x's element type by prep_pad once types are known */
}

static const char *const cast_names[] = {
	[1] = "FLOAT", [2] = "UINT8", [3] = "INT8", [4] = "UINT16", [5] = "INT16",
	[6] = "INT32", [7] = "INT64", [9] = "BOOL", [10] = "FLOAT16", [11] = "DOUBLE",
	[12] = "UINT32", [13] = "UINT64", [16] = "BFLOAT16",
};

/* Cast before opset 6 names the type as a string */
static void cast_to_string(Graph *g, int node)
{
	const Attr *a = ir_attr(g, node, "to");

	if (!a || a->kind != A_STRING)
		return;
	for (int i = 0; i < (int)(sizeof cast_names / sizeof *cast_names); i++) {
		if (cast_names[i] && !strcmp(cast_names[i], a->s)) {
			ir_attr_set_int(g, node, "to", i);
			return;
		}
	}
	ir_error(g, node, "cast to '%s' is not supported", a->s);
}

/* a node added by a rewrite: op on inputs in[0..nin), one new output, which it returns */
static int add_op(Graph *g, OpKind op, int opset, const char *name, int nin, const int *in)
{
	int id = ir_node_new(g, op, name, nin, 1), y = ir_tensor_new(g, name);

	for (int k = 0; k < nin; k++)
		g->n[id].in[k] = in[k];
	g->n[id].out[0] = y;
	g->n[id].opset = opset;
	g->t[y].producer = id;
	return y;
}

/* 1-D int64 ones, as many as A has dims from `start` on: ConstantOfShape(Shape(Shape(A,
   start))), folded at compile time */
static int trailing_ones(Graph *g, int node, int a, int64_t start)
{
	const char *nm = g->n[node].name;
	int64_t one = 1, len = 1;
	int opset = g->n[node].opset, t, c;
	Attr v = {.name = "value", .kind = A_TENSOR};

	t = add_op(g, OP_SHAPE, opset, arena_printf(&g->arena, "%s/tail", nm), 1, &a);
	ir_attr_set_int(g, g->t[t].producer, "start", start);
	t = add_op(g, OP_SHAPE, opset, arena_printf(&g->arena, "%s/tail_rank", nm), 1, &t);
	t = add_op(g, OP_CONSTANT_OF_SHAPE, opset, arena_printf(&g->arena, "%s/ones", nm), 1, &t);
	c = g->t[t].producer;
	v.tensor = ir_const_new(g, "", DT_S64, 1, &len, &one);
	g->n[c].attr = arena_memdup(&g->arena, &v, sizeof v);
	g->n[c].nattr = 1;
	return t;
}

/* Before opset 7, broadcast=1 with an axis aligns B's dims with A's from that axis on,
   where numpy aligns them at the end: B is reshaped to get a 1 for each dim of A after
   its own. Needs B's shape now; the rest folds at compile time. */
static void legacy_broadcast(Graph *g, int node)
{
	const Attr *axis = ir_attr(g, node, "axis");
	int a = ir_in(g, node, 0), b = ir_in(g, node, 1), in[2];
	const char *nm = g->n[node].name;
	int opset = g->n[node].opset;
	int64_t rb;

	if (ir_attr_int(g, node, "broadcast", 0) && axis && a >= 0 && b >= 0) {
		if (axis->kind != A_INT || axis->i < 0 || axis->i > IR_MAX_RANK ||
		    !(g->t[b].flags & T_SHAPED)) {
			ir_error(g, node, "broadcast=1 with an axis (opset < 7) needs an axis >= 0 "
				 "and a second input of known shape (an initializer or input)");
			return;
		}
		rb = g->t[b].rank;
		in[0] = ir_const_new(g, "", DT_S64, 1, &rb, g->t[b].dims);
		in[1] = trailing_ones(g, node, a, axis->i + rb);
		in[1] = add_op(g, OP_CONCAT, opset, arena_printf(&g->arena, "%s/bshape", nm), 2, in);
		ir_attr_set_int(g, g->t[in[1]].producer, "axis", 0);
		in[0] = b;
		set_input(g, node, 1, add_op(g, OP_RESHAPE, opset,
					     arena_printf(&g->arena, "%s/b", nm), 2, in));
	}
	drop_attr(g, node, "broadcast");
	drop_attr(g, node, "axis");
}

/* BatchNormalization before opset 14: training when the statistics outputs are asked
   for (and, before opset 7, is_test is 0), as training_mode says since */
static void batch_norm_mode(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int stats = 0;

	for (int k = 1; k < n->nout; k++)
		stats |= n->out[k] >= 0;
	if (n->opset < 7 && ir_attr_int(g, node, "is_test", 0))
		stats = 0;
	ir_attr_set_int(g, node, "training_mode", stats);
}

/* MeanVarianceNormalization-1: across_channels picks the axes */
static void mvn_attrs(Graph *g, int node)
{
	static const int64_t per_channel[] = {0, 2, 3}, across[] = {0, 1, 2, 3};

	if (ir_attr_int(g, node, "across_channels", 0))
		ir_attr_set_ints(g, node, "axes", across, 4);
	else
		ir_attr_set_ints(g, node, "axes", per_channel, 3);
}

void onnx_normalize(Graph *g, int node)
{
	Node *n = &g->n[node];
	int v = n->opset;

	switch (n->op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_POW: case OP_AND: case OP_OR:
	case OP_XOR: case OP_EQUAL: case OP_GREATER: case OP_LESS:
		if (v < 7)
			legacy_broadcast(g, node);
		break;
	case OP_CLIP:
		if (v < 11)
			clip_attrs(g, node);
		break;
	case OP_PAD:
		if (v < 11)
			pad_attrs(g, node);
		break;
	case OP_SLICE:
		if (v < 10) {
			ints_to_input(g, node, "starts", 1);
			ints_to_input(g, node, "ends", 2);
			ints_to_input(g, node, "axes", 3);
		}
		break;
	case OP_SPLIT:
		if (v < 13)
			ints_to_input(g, node, "split", 1);
		break;
	case OP_SQUEEZE:
	case OP_UNSQUEEZE:
		if (v < 13)
			ints_to_input(g, node, "axes", 1);
		break;
	case OP_CAST:
		cast_to_string(g, node);
		break;
	case OP_RESHAPE:
		if (v < 5)
			ints_to_input(g, node, "shape", 1);
		break;
	case OP_TILE:
		if (v < 6)
			ir_error(g, node, "Tile before opset 6 (tiles and axis inputs) is not "
				 "supported");
		break;
	case OP_CONCAT: /* axis became required in opset 4; before, it defaulted to 1 */
		if (v < 4 && !ir_attr(g, node, "axis"))
			ir_attr_set_int(g, node, "axis", 1);
		break;
	/* reduce */
	case OP_REDUCE_SUM:
		if (v < 13)
			ints_to_input(g, node, "axes", 1);
		break;
	case OP_REDUCE_MEAN:
	case OP_REDUCE_MAX:
	case OP_REDUCE_MIN:
	case OP_REDUCE_PROD:
	case OP_REDUCE_L1:
	case OP_REDUCE_L2:
	case OP_REDUCE_SUM_SQUARE:
	case OP_REDUCE_LOG_SUM:
	case OP_REDUCE_LOG_SUM_EXP:
		if (v < 18)
			ints_to_input(g, node, "axes", 1);
		break;
	case OP_TOPK:
		if (v < 10)
			ints_to_input(g, node, "k", 1);
		break;

	/* conv */
	case OP_LP_POOL:
	case OP_GLOBAL_LP_POOL: { /* p is a float before opset 2, an int after */
		const Attr *a = ir_attr(g, node, "p");
		if (v >= 2 || !a || a->kind != A_FLOAT)
			break;
		if (a->f >= 1 && a->f <= 1024 && a->f == (float)(int)a->f)
			ir_attr_set_int(g, node, "p", (int64_t)a->f);
		else
			ir_error(g, node, "p = %g: only integer norms are supported", (double)a->f);
		break;
	}

	/* matmul */
	case OP_BATCH_NORM:
		if (v < 14)
			batch_norm_mode(g, node);
		break;
	case OP_MVN:
		if (v < 9)
			mvn_attrs(g, node);
		break;

	/* index */

	/* resize */
	case OP_UPSAMPLE:
	case OP_RESIZE:
		/* Upsample (scales an attribute before opset 9, input 1 from then on) and
		   Resize-10 (X, scales) become Resize (X, roi, scales). Their coordinate rules
		   (asymmetric; nearest rounds down when enlarging, up when shrinking) follow
		   from the node's opset, which ir/op_resize.c reads. */
		if (n->op == OP_UPSAMPLE || v < 11) {
			const Attr *a = ir_attr(g, node, "scales");
			int scales = n->nin > 1 ? n->in[1] : -1;
			if (a && a->kind == A_FLOATS) {
				int64_t len = a->n;
				scales = ir_const_new(g, "", DT_F32, 1, &len, a->floats);
				drop_attr(g, node, "scales");
			}
			set_input(g, node, 2, scales);
			n->in[1] = -1;
			n->op = OP_RESIZE;
		}
		break;

	/* rnn */

	/* quant */

	/* extra */
	case OP_DFT:
		if (v < 20) { /* the axis attribute (default 1) became input 2 */
			int64_t axis = ir_attr_int(g, node, "axis", 1);
			set_input(g, node, 2, ir_const_new(g, "", DT_S64, 0, NULL, &axis));
			drop_attr(g, node, "axis");
		}
		break;

	default:
		break;
	}
}
