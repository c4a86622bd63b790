/* contrib.c - the quantized operators of onnxruntime's com.microsoft domain, which its
   quantize_static writes in QOperator form (QLinearAdd, QGemm, ...), read as what they
   compute in standard ONNX: DequantizeLinear of each quantized operand, the float op,
   QuantizeLinear of the result. The quantization pass (passes/quant.c) then turns the
   group into one integer op, as it does for a QDQ model. */
#include "internal.h"

#include <string.h>

/* Input positions of a contrib op: the float op's operands are quantized triples (value,
   scale, zero point) starting at the listed positions; out is where the output's scale
   and zero point start (-1: a float output). */
struct Contrib {
	const char *name;
	OpKind op;
	int nq;       /* quantized operands; -1: variadic triples after the output's pair */
	int q[2];
	int out;
	int bias;     /* QGemm: position of the int32 bias C */
};

static const Contrib contribs[] = {
	{"QLinearAdd", OP_ADD, 2, {0, 3}, 6, -1},
	{"QLinearMul", OP_MUL, 2, {0, 3}, 6, -1},
	{"QLinearSigmoid", OP_SIGMOID, 1, {0}, 3, -1},
	{"QLinearLeakyRelu", OP_LEAKY_RELU, 1, {0}, 3, -1},
	{"QLinearSoftmax", OP_SOFTMAX, 1, {0}, 3, -1},
	{"QLinearGlobalAveragePool", OP_GLOBAL_AVERAGE_POOL, 1, {0}, 3, -1},
	{"QLinearAveragePool", OP_AVERAGE_POOL, 1, {0}, 3, -1},
	{"QLinearConcat", OP_CONCAT, -1, {2}, 0, -1},
	{"QGemm", OP_GEMM, 2, {0, 3}, 7, 6},
	{"QuantizeLinear", OP_QUANTIZE_LINEAR, 0, {0}, -1, -1},
	{"DequantizeLinear", OP_DEQUANTIZE_LINEAR, 0, {0}, -1, -1},
};

const Contrib *contrib_find(const char *domain, const char *op_type)
{
	if (strcmp(domain, "com.microsoft"))
		return NULL;
	for (size_t i = 0; i < sizeof contribs / sizeof contribs[0]; i++)
		if (!strcmp(contribs[i].name, op_type))
			return &contribs[i];
	return NULL;
}

OpKind contrib_op(const Contrib *c) { return c->op; }

/* a DequantizeLinear of (x, scale, zero point) along axis; its float output */
static int dequantize(Graph *g, int node, int x, int scale, int zp, int axis)
{
	const char *name = g->n[node].name;
	int d = ir_node_new(g, OP_DEQUANTIZE_LINEAR, arena_printf(&g->arena, "%s/dq%d", name, x),
			    3, 1);
	int y = ir_tensor_new(g, arena_printf(&g->arena, "%s/%s.f", name, g->t[x].name));

	g->n[d].opset = g->n[node].opset;
	g->n[d].in[0] = x, g->n[d].in[1] = scale, g->n[d].in[2] = zp;
	g->n[d].out[0] = y;
	g->t[y].producer = d;
	if (axis >= 0)
		ir_attr_set_int(g, d, "axis", axis);
	return y;
}

/* QGemm's bias C: int32 at scale a_scale * b_scale (a Mul the fold pass evaluates) */
static int gemm_bias(Graph *g, int node, int c, int a_scale, int b_scale)
{
	const char *name = g->n[node].name;
	int m = ir_node_new(g, OP_MUL, arena_printf(&g->arena, "%s/bias_scale", name), 2, 1);
	int s = ir_tensor_new(g, arena_printf(&g->arena, "%s/bias_scale", name));

	g->n[m].opset = g->n[node].opset;
	g->n[m].in[0] = a_scale, g->n[m].in[1] = b_scale;
	g->n[m].out[0] = s;
	g->t[s].producer = m;
	return dequantize(g, node, c, s, -1, 0);
}

/* the float op's inputs: each quantized operand dequantized */
static int float_inputs(Graph *g, int node, const Contrib *c, int *in, int *nin)
{
	const Node *n = &g->n[node];
	int first = c->nq < 0 ? c->q[0] : 0, count = c->nq < 0 ? (n->nin - first) / 3 : c->nq;
	int trans_b = (int)ir_attr_int(g, node, "transB", 0);

	if (c->nq < 0 && ((n->nin - first) % 3 || count < 1)) {
		ir_error(g, node, "takes Y's scale and zero point, then triples of X, scale and "
			 "zero point; it has %d inputs", n->nin);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		int k = c->nq < 0 ? first + 3 * i : c->q[i];
		int axis = c->op == OP_GEMM && i == 1 ? !trans_b : -1;
		if (ir_in(g, node, k) < 0 || ir_in(g, node, k + 1) < 0) {
			ir_error(g, node, "quantized operand %d needs a value and a scale", i);
			return -1;
		}
		in[i] = dequantize(g, node, n->in[k], n->in[k + 1], ir_in(g, node, k + 2), axis);
	}
	*nin = count;
	if (c->bias >= 0 && ir_in(g, node, c->bias) >= 0)
		in[(*nin)++] = gemm_bias(g, node, n->in[c->bias], n->in[1], n->in[4]);
	return 0;
}

/* the node becomes its float op; a QuantizeLinear after it writes the quantized output */
int contrib_expand(Graph *g, int node, const Contrib *c)
{
	int in[64], nin, y, f, q, ys, yz;
	Node *n = &g->n[node];

	if (c->nq == 0)
		return 0; /* QuantizeLinear, DequantizeLinear: the standard ops */
	if (ir_attr_int(g, node, "channels_last", 0)) {
		ir_error(g, node, "channels_last is not supported");
		return -1;
	}
	if (c->nq < 0 && (n->nin - c->q[0]) / 3 > 64) {
		ir_error(g, node, "has more than 64 operands");
		return -1;
	}
	if (n->nout != 1 || n->out[0] < 0) {
		ir_error(g, node, "must have one output");
		return -1;
	}
	if (float_inputs(g, node, c, in, &nin))
		return -1;
	n = &g->n[node]; /* the array may have moved */
	ys = ir_in(g, node, c->out), yz = ir_in(g, node, c->out + 1);
	y = n->out[0];
	n->in = arena_memdup(&g->arena, in, sizeof(int) * (size_t)nin);
	n->nin = nin;
	if (c->op == OP_SOFTMAX) /* the opset whose Softmax semantics the node asks for */
		n->opset = (int)ir_attr_int(g, node, "opset", n->opset);
	if (ys < 0) /* QGemm without y_scale: a float output */
		return 0;
	f = ir_tensor_new(g, arena_printf(&g->arena, "%s/float", n->name));
	n->out[0] = f;
	g->t[f].producer = node;
	q = ir_node_new(g, OP_QUANTIZE_LINEAR, arena_printf(&g->arena, "%s/q", g->n[node].name),
			yz >= 0 ? 3 : 2, 1);
	g->n[q].opset = g->n[node].opset;
	g->n[q].in[0] = f, g->n[q].in[1] = ys;
	if (yz >= 0)
		g->n[q].in[2] = yz;
	g->n[q].out[0] = y;
	g->t[y].producer = q;
	return 0;
}
