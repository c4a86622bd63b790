/* quant.c - the quantization pass: a quantized model (QDQ: QuantizeLinear and
   DequantizeLinear around float ops; QOperator: QLinearConv, QLinearMatMul and
   onnxruntime's com.microsoft ops, which the frontend reads as QDQ groups) becomes a graph
   of integer ops whose tensors carry their scale and zero point in Tensor.quant.

   1. QLinearConv and QLinearMatMul with constant parameters are spelled out as their
      QDQ groups, so one path handles both formats.
   2. uint8 activations become int8 with the zero point moved by -128 (exact: the kernels
      are int8 only); uint8 weights with zero point 128 likewise.
   3. Every QuantizeLinear output, and every tensor a data-movement op makes of one,
      records its quantization. A float result read only by a Relu or data movement whose
      result is quantized is quantized the same way first (they commute with rounding).
   4. Each float op whose operands are dequantized and whose result is quantized again
      becomes its integer op (ir/op_qint.c): Conv, ConvTranspose, Gemm and MatMul (by
      constant weights or of two activations), Add, Mul, average pooling, ReduceMean,
      BatchNormalization (a depthwise 1x1 QConv), LayerNormalization, Softmax, linear
      Resize, Pad, Concat, the data-movement ops (run on int8 as they are), and any chain
      of elementwise functions of one tensor (a 256-entry table computed here with the
      float ops themselves). A Relu or Clip whose scale does not change folds into the
      clamp of the op before it. A function or LayerNormalization averaged with no
      quantization between keeps an int16 intermediate, so the average rounds once.
   5. QuantizeLinear of a DequantizeLinear rescales (or vanishes); DequantizeLinear of
      constants left over (weights of ops that stay float) fold.
   What cannot be converted stays float between its DequantizeLinear and QuantizeLinear:
   correct, and named by -v. */
#include "passes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_READERS 64

static int verbose(void) { return passes_options()->verbose; }

/* int16 activations (a16w8) are operands only while take_wide is set: for the converters of
   convert_wide and for step 5; every other converter sees int8 only */
static int take_wide;

static int producer_is(Graph *g, int t, OpKind op)
{
	return t >= 0 && g->t[t].producer >= 0 && g->n[g->t[t].producer].op == op ? g->t[t].producer
										    : -1;
}

static int readers(Graph *g, int t, int *nodes)
{
	int n = ir_consumers(g, t, nodes, MAX_READERS);
	return n > MAX_READERS || (g->t[t].flags & T_OUTPUT) ? -1 : n;
}

/* the quantization of a QuantizeLinear or DequantizeLinear node, for its quantized tensor
   qt: constant float32 scales (and zero points), per tensor or per axis, not blocked */
static int node_quant(Graph *g, int node, int qt, Quant *q)
{
	int s = ir_in(g, node, 1), z = ir_in(g, node, 2);
	const Tensor *x = &g->t[qt], *st;
	int64_t n, axis = ir_attr_int(g, node, "axis", 1);

	if (s < 0 || !ir_is_const(g, s) || (z >= 0 && !ir_is_const(g, z)) ||
	    ir_attr_int(g, node, "block_size", 0) || g->t[s].dtype != DT_F32)
		return -1;
	st = &g->t[s];
	n = ir_numel(st);
	if (axis < 0)
		axis += x->rank;
	if (n < 1 || (z >= 0 && ir_numel(&g->t[z]) != n) ||
	    (n > 1 && (st->rank != 1 || axis < 0 || axis >= x->rank || x->dims[axis] != n)))
		return -1;
	q->n = (int)n;
	q->axis = n > 1 ? (int)axis : 0;
	q->scale = arena_memdup(&g->arena, st->data, sizeof(float) * (size_t)n);
	q->zero_point = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)n);
	for (int64_t i = 0; i < n; i++) {
		q->zero_point[i] = z >= 0 ? (int32_t)dt_get_i64(g->t[z].dtype, g->t[z].data, i) : 0;
		if (!(q->scale[i] > 0) || !isfinite(q->scale[i]))
			return -1;
	}
	return 0;
}

/* a zero point constant of type dt for a Q or DQ node (input 2) */
static void set_zero_points(Graph *g, int node, DType dt, const Quant *q)
{
	int64_t n = q->n;
	void *data = arena_alloc(&g->arena, (size_t)(n * dt_size(dt)));
	int z;

	for (int64_t i = 0; i < n; i++)
		dt_set_i64(dt, data, i, q->zero_point[i]);
	z = ir_const_new(g, "", dt, n > 1 ? 1 : 0, &n, data);
	if (g->n[node].nin < 3) {
		int *in = arena_alloc(&g->arena, sizeof(int) * 3);
		memcpy(in, g->n[node].in, sizeof(int) * (size_t)g->n[node].nin);
		g->n[node].in = in;
		g->n[node].nin = 3;
	}
	g->n[node].in[2] = z;
}

/* ---- 1. QLinearConv and QLinearMatMul as QDQ groups ---- */

static int dq_node(Graph *g, int node, int x, int s, int z, int axis)
{
	int d = ir_node_new(g, OP_DEQUANTIZE_LINEAR,
			    arena_printf(&g->arena, "%s/dq%d", g->n[node].name, x), 3, 1);
	int y = ir_tensor_new(g, arena_printf(&g->arena, "%s/%s.f", g->n[node].name,
					      g->t[x].name));

	g->n[d].opset = g->n[node].opset;
	g->n[d].in[0] = x, g->n[d].in[1] = s, g->n[d].in[2] = z;
	g->n[d].out[0] = y;
	g->t[y].producer = d;
	ir_attr_set_int(g, d, "axis", axis);
	ir_infer_node(g, d);
	return y;
}

static int all_const(Graph *g, int node, const int *ks, int n)
{
	for (int i = 0; i < n; i++)
		if (ir_in(g, node, ks[i]) >= 0 && !ir_is_const(g, ir_in(g, node, ks[i])))
			return 0;
	return 1;
}

/* QLinearConv(x, xs, xz, w, ws, wz, ys, yz, B) and QLinearMatMul(a, as, az, b, bs, bz, ys,
   yz) become DequantizeLinear, Conv or MatMul, QuantizeLinear */
static void expand_qlinear(Graph *g, int node)
{
	static const int params[] = {1, 2, 4, 5, 6, 7, 8};
	Node *n = &g->n[node];
	int conv = n->op == OP_QLINEAR_CONV, x, w, b = -1, f, q, nin;
	int64_t waxis = conv ? 0 : 1;

	if (!all_const(g, node, params, 7) || (conv && ir_in(g, node, 3) >= 0 &&
					       !ir_is_const(g, n->in[3])))
		return;
	x = dq_node(g, node, n->in[0], n->in[1], n->in[2], 1);
	w = dq_node(g, node, g->n[node].in[3], g->n[node].in[4], g->n[node].in[5], (int)waxis);
	n = &g->n[node];
	if (conv && ir_in(g, node, 8) >= 0) {
		/* the bias scale x_scale * w_scale, per output channel like w_scale */
		const Tensor *xs = &g->t[n->in[1]], *ws = &g->t[n->in[4]];
		int64_t c = ir_numel(ws);
		float *s = arena_alloc(&g->arena, sizeof(float) * (size_t)c);
		for (int64_t i = 0; i < c; i++)
			s[i] = (float)(dt_get(xs->dtype, xs->data, 0) * dt_get(ws->dtype, ws->data, i));
		b = dq_node(g, node, n->in[8], ir_const_new(g, "", DT_F32, c > 1, &c, s), -1, 0);
		n = &g->n[node];
	}
	f = ir_tensor_new(g, arena_printf(&g->arena, "%s/float", n->name));
	q = ir_node_new(g, OP_QUANTIZE_LINEAR, arena_printf(&g->arena, "%s/q", n->name), 3, 1);
	n = &g->n[node];
	g->n[q].opset = n->opset;
	g->n[q].in[0] = f, g->n[q].in[1] = n->in[6], g->n[q].in[2] = n->in[7];
	g->n[q].out[0] = n->out[0];
	g->t[n->out[0]].producer = q;
	nin = b >= 0 ? 3 : 2;
	n->op = conv ? OP_CONV : OP_MATMUL;
	n->op_type = op_info[n->op].name;
	n->in = arena_alloc(&g->arena, sizeof(int) * 3);
	n->in[0] = x, n->in[1] = w, n->in[2] = b;
	n->nin = nin;
	n->out[0] = f;
	g->t[f].producer = node;
	ir_infer_node(g, node);
	ir_infer_node(g, q);
}

/* ---- 2. uint8 to int8 ---- */

/* ops that move or select elements (the largest or smallest of them too: dequantizing is
   increasing): they run on int8 as on real values, and commute with subtracting 128 */
static int moves_data(Graph *g, int node)
{
	switch (g->n[node].op) {
	case OP_MAX_POOL:
		return g->n[node].nout < 2 || g->n[node].out[1] < 0;
	case OP_REDUCE_MAX: case OP_REDUCE_MIN: case OP_GLOBAL_MAX_POOL:
		return 1;
	case OP_RESIZE:
		return !strcmp(ir_attr_str(g, node, "mode", "nearest"), "nearest");
	case OP_RESHAPE: case OP_FLATTEN: case OP_TRANSPOSE: case OP_SQUEEZE: case OP_UNSQUEEZE:
	case OP_IDENTITY: case OP_SLICE: case OP_DEPTH_TO_SPACE: case OP_SPACE_TO_DEPTH:
	case OP_TILE: case OP_EXPAND: case OP_GATHER:
		return 1;
	default:
		return 0;
	}
}

/* collects the uint8 tensors reachable from t through data movement into set; 0 when
   every reader of them is a DequantizeLinear or data movement */
static int u8_group(Graph *g, int t, unsigned char *set)
{
	int nodes[MAX_READERS], n = readers(g, t, nodes);

	if (n < 0 || set[t] == 2)
		return -1;
	set[t] = 1;
	for (int i = 0; i < n; i++) {
		const Node *r = &g->n[nodes[i]];
		if (r->op == OP_DEQUANTIZE_LINEAR && r->in[0] == t)
			continue;
		if ((!moves_data(g, nodes[i]) && r->op != OP_RESIZE) || r->in[0] != t || r->nout != 1 ||
		    g->t[r->out[0]].dtype != DT_U8 || u8_group(g, r->out[0], set))
			return -1;
	}
	return 0;
}

static void retype(Graph *g, int t)
{
	int nodes[MAX_READERS], n = readers(g, t, nodes);
	Quant q;

	g->t[t].dtype = DT_S8;
	for (int i = 0; i < n; i++)
		if (g->n[nodes[i]].op == OP_DEQUANTIZE_LINEAR && node_quant(g, nodes[i], t, &q) == 0) {
			for (int k = 0; k < q.n; k++)
				q.zero_point[k] -= 128;
			set_zero_points(g, nodes[i], DT_S8, &q);
		}
}

static void to_s8_from(Graph *g, int node)
{
	unsigned char *set;
	int y = g->n[node].out[0], nt = g->nt;
	Quant q;

	if (g->t[y].dtype != DT_U8 || node_quant(g, node, y, &q))
		return;
	set = calloc((size_t)nt, 1);
	IR_ASSERT(set);
	if (u8_group(g, y, set) == 0) {
		for (int k = 0; k < q.n; k++)
			q.zero_point[k] -= 128;
		set_zero_points(g, node, DT_S8, &q);
		for (int t = 0; t < nt; t++) /* (the zero points are new tensors past nt) */
			if (set[t] == 1)
				retype(g, t);
	}
	free(set);
}

/* uint8 weights read only by DequantizeLinear with zero point 128 */
static void weights_to_s8(Graph *g, int node)
{
	int x = g->n[node].in[0], nodes[MAX_READERS], n;
	Tensor *t = &g->t[x];
	Quant q;
	int8_t *d;

	if (t->dtype != DT_U8 || !ir_is_const(g, x) || node_quant(g, node, x, &q))
		return;
	for (int k = 0; k < q.n; k++)
		if (q.zero_point[k] != 128)
			return;
	n = readers(g, x, nodes);
	for (int i = 0; i < n; i++)
		if (nodes[i] != node)
			return; /* shared: leave it */
	d = arena_alloc(&g->arena, (size_t)ir_numel(t));
	for (int64_t i = 0; i < ir_numel(t); i++)
		d[i] = (int8_t)(((const uint8_t *)t->data)[i] - 128);
	g->n[node].in[0] = x = ir_const_new(g, t->name, DT_S8, t->rank, t->dims, d);
	for (int k = 0; k < q.n; k++)
		q.zero_point[k] = 0;
	set_zero_points(g, node, DT_S8, &q);
}

/* ---- 3. the facts ---- */

static void record(Graph *g, int node)
{
	const Node *n = &g->n[node];
	Quant q;

	if (n->op == OP_QUANTIZE_LINEAR && node_quant(g, node, n->out[0], &q) == 0)
		g->t[n->out[0]].quant = q;
	else if (n->op == OP_DEQUANTIZE_LINEAR && ir_is_const(g, n->in[0]) &&
		 node_quant(g, node, n->in[0], &q) == 0 && !g->t[n->in[0]].quant.n)
		g->t[n->in[0]].quant = q;
	else if ((moves_data(g, node) || n->op == OP_RESIZE) && n->nout == 1 &&
		 g->t[n->in[0]].quant.n == 1 && g->t[n->out[0]].dtype == g->t[n->in[0]].dtype)
		ir_quant_copy(g, n->out[0], n->in[0]);
}

/* ---- 4. integer ops ---- */

/* an operand: the int8 (or int16) tensor a DequantizeLinear reads (whose facts it agrees
   with) */
static int operand(Graph *g, int t, const Quant **q)
{
	int d = producer_is(g, t, OP_DEQUANTIZE_LINEAR), x;
	Quant dq;

	if (d < 0)
		return -1;
	x = g->n[d].in[0];
	if ((g->t[x].dtype != DT_S8 && (g->t[x].dtype != DT_S16 || !take_wide)) ||
	    node_quant(g, d, x, &dq) ||
	    !g->t[x].quant.n ||
	    !ir_quant_same(&dq, &g->t[x].quant))
		return -1;
	*q = &g->t[x].quant;
	return x;
}

/* an activation operand: one scale and zero point */
static int activation(Graph *g, int t, const Quant **q)
{
	int x = operand(g, t, q);
	return x >= 0 && (*q)->n == 1 ? x : -1;
}

/* the int8 (or int16) tensor that every reader of float t quantizes it to (all QuantizeLinear with
   the same facts; the others are replaced by the first) */
static int result_of(Graph *g, int t, const Quant **q, int commit)
{
	int nodes[MAX_READERS], n = readers(g, t, nodes), y = -1;

	if (n < 1)
		return -1;
	for (int i = 0; i < n; i++) {
		int o = g->n[nodes[i]].out[0];
		if (g->n[nodes[i]].op != OP_QUANTIZE_LINEAR ||
		    (g->t[o].dtype != DT_S8 && g->t[o].dtype != DT_S16) || g->t[o].quant.n != 1 ||
		    (y >= 0 && (g->t[o].dtype != g->t[y].dtype ||
				!ir_quant_same(&g->t[o].quant, &g->t[y].quant))))
			return -1;
		if (y < 0)
			y = o;
	}
	*q = &g->t[y].quant;
	if (!commit)
		return y;
	for (int i = 0; i < n; i++) {
		int o = g->n[nodes[i]].out[0];
		if (o != y)
			ir_replace_value(g, o, y);
		g->n[nodes[i]].dead = 1;
	}
	g->t[y].producer = -1;
	return y;
}

static int result(Graph *g, int t, const Quant **q) { return result_of(g, t, q, 1); }

/* the same, when the result is of type dt (the operands', int8 or int16) */
static int result_typed(Graph *g, int t, const Quant **q, DType dt)
{
	int y = result_of(g, t, q, 0);
	return y < 0 || g->t[y].dtype != dt ? -1 : result(g, t, q);
}

/* a new node of op with inputs in[0..nin) writing y; the float node it replaces is gone */
static int emit(Graph *g, int node, OpKind op, const int *in, int nin, int y)
{
	const char *name = g->n[node].name;
	int id = ir_node_new(g, op, name, nin, 1);
	Node *n = &g->n[id];

	memcpy(n->in, in, sizeof(int) * (size_t)nin);
	n->out[0] = y;
	n->opset = g->n[node].opset;
	n->nattr = g->n[node].nattr;
	n->attr = g->n[node].attr;
	n->fused = g->n[node].fused;
	g->t[y].producer = id;
	g->n[node].dead = 1;
	for (int k = 0; k < g->n[node].nout; k++)
		if (g->n[node].out[k] >= 0 && g->t[g->n[node].out[k]].producer == node)
			g->t[g->n[node].out[k]].producer = -1;
	return id;
}

/* a tensor of type dt (int8 or int16) like t with facts q, for an intermediate result */
static int quantized_like(Graph *g, int t, const Quant *q, DType dt)
{
	int y = ir_tensor_new(g, arena_printf(&g->arena, "%s.q", g->t[t].name));

	ir_set_shape(g, y, dt, g->t[t].rank, g->t[t].dims);
	ir_quant_set(g, y, q->n, q->axis, q->scale, q->zero_point);
	return y;
}

static int requantize(Graph *g, int node, int x, int y)
{
	int id = ir_node_new(g, OP_QREQUANTIZE, arena_printf(&g->arena, "%s/requant",
							     g->n[node].name), 1, 1);
	g->n[id].in[0] = x;
	g->n[id].out[0] = y;
	g->t[y].producer = id;
	return id;
}

/* float values of a constant, or of a DequantizeLinear of one; NULL otherwise */
static const float *const_floats(Graph *g, int t, int64_t *n, int64_t max)
{
	int d = producer_is(g, t, OP_DEQUANTIZE_LINEAR);
	float *v;

	if (t < 0)
		return NULL;
	if (d >= 0 && ir_is_const(g, g->n[d].in[0]) && ir_numel(&g->t[t]) <= max &&
	    fold_node(g, d) == 0 && ir_is_const(g, t))
		d = -1; /* folded: now a constant */
	if (!ir_is_const(g, t) || g->t[t].dtype != DT_F32)
		return NULL;
	*n = ir_numel(&g->t[t]);
	v = g->t[t].data;
	return v;
}

/* ---- weights and biases ---- */

typedef struct {
	int w;          /* int8 weights, [C, ...] */
	int64_t c;      /* output channels */
	float *scale;   /* per channel */
} Weights;

/* int8 constant weights from a DequantizeLinear (zero point 0, per tensor or along axis)
   or from float constants (quantized here, symmetric per channel along axis) */
static int weights(Graph *g, int t, int axis, Weights *W)
{
	const Quant *q;
	int x = operand(g, t, &q);
	const Tensor *wt = &g->t[t];
	int64_t n;

	if (axis >= wt->rank)
		return -1;
	W->c = wt->dims[axis];
	W->scale = arena_alloc(&g->arena, sizeof(float) * (size_t)W->c);
	if (x >= 0 && ir_is_const(g, x)) {
		if (g->t[x].dtype != DT_S8 || (q->n != 1 && (q->n != W->c || q->axis != axis)))
			return -1;
		for (int64_t c = 0; c < W->c; c++) {
			if (q->zero_point[q->n > 1 ? c : 0])
				return -1;
			W->scale[c] = q->scale[q->n > 1 ? c : 0];
		}
		W->w = x;
		return 0;
	}
	if (!const_floats(g, t, &n, INT64_MAX))
		return -1;
	{ /* symmetric per channel: max |w| maps to 127 */
		int64_t inner = 1, outer = 1;
		const float *f = g->t[t].data;
		int8_t *d = arena_alloc(&g->arena, (size_t)n);
		for (int i = axis + 1; i < wt->rank; i++)
			inner *= wt->dims[i];
		for (int i = 0; i < axis; i++)
			outer *= wt->dims[i];
		for (int64_t c = 0; c < W->c; c++) {
			float m = 0;
			for (int64_t o = 0; o < outer; o++)
				for (int64_t i = 0; i < inner; i++)
					m = fmaxf(m, fabsf(f[(o * W->c + c) * inner + i]));
			W->scale[c] = m > 0 ? m / 127 : 1;
			for (int64_t o = 0; o < outer; o++)
				for (int64_t i = 0; i < inner; i++) {
					int64_t k = (o * W->c + c) * inner + i;
					d[k] = (int8_t)lrintf(f[k] / W->scale[c]);
				}
		}
		W->w = ir_const_new(g, arena_printf(&g->arena, "%s.q", wt->name), DT_S8, wt->rank,
				 wt->dims, d);
	}
	return 0;
}

static void weights_fact(Graph *g, const Weights *W, int axis)
{
	int32_t *z = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)W->c);
	ir_quant_set(g, W->w, (int)W->c, W->c > 1 ? axis : 0, W->scale, z);
	if (W->c == 1)
		g->t[W->w].quant.axis = 0;
}

/* the bias at scale x_scale * w_scale[c], int32 (int64 for int16 activations: TFLite's
   16x8, up to 2^40): from a float constant b (c values or one, times beta), or none (-2
   for "none", -1 when it cannot be) */
static int bias(Graph *g, int t, double sx, const Weights *W, double beta, DType xdt)
{
	const int wide = xdt == DT_S16;
	const double lim = wide ? 1099511627776.0 : 2147483647.0;
	int64_t n;
	const float *b;
	void *d;

	if (t < 0)
		return -2;
	b = const_floats(g, t, &n, INT64_MAX);
	if (!b || (n != W->c && n != 1))
		return -1;
	d = arena_alloc(&g->arena, (wide ? sizeof(int64_t) : sizeof(int32_t)) * (size_t)W->c);
	for (int64_t c = 0; c < W->c; c++) {
		double v = rint(beta * b[n > 1 ? c : 0] / (sx * W->scale[c]));
		if (fabs(v) > lim)
			return -1;
		dt_set_i64(wide ? DT_S64 : DT_S32, d, c, (int64_t)v);
	}
	return ir_const_new(g, "", wide ? DT_S64 : DT_S32, 1, &W->c, d);
}

/* gives a node made by emit() its own attribute array (it shares the float node's),
   before attributes are set on it */
static void own_attrs(Graph *g, int node)
{
	if (g->n[node].nattr)
		g->n[node].attr = arena_memdup(&g->arena, g->n[node].attr,
					       sizeof(Attr) * (size_t)g->n[node].nattr);
}

/* ---- converters: each returns 0 when it replaced the node ---- */

static int conv(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Quant *qx, *qy;
	int x = activation(g, n->in[0], &qx), y, b, in[3];
	Weights W;

	if (x < 0 || weights(g, n->in[1], 0, &W) || g->t[W.w].rank != g->t[x].rank)
		return -1;
	b = bias(g, ir_in(g, node, 2), qx->scale[0], &W, 1, g->t[x].dtype);
	if (b == -1 || (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	weights_fact(g, &W, 0);
	in[0] = x, in[1] = W.w, in[2] = b;
	emit(g, node, OP_QCONV, in, b >= 0 ? 3 : 2, y);
	return 0;
}

/* W [N, K] from a [K, N] (or, transposed, [N, K]) weight */
static int fc_weights(Graph *g, int t, int trans, double alpha, Weights *W)
{
	const Tensor *wt;
	int8_t *d;
	const int8_t *s;
	int64_t dims[2];

	if (g->t[t].rank != 2 || weights(g, t, trans ? 0 : 1, W))
		return -1;
	for (int64_t c = 0; c < W->c; c++)
		W->scale[c] = (float)(W->scale[c] * alpha);
	if (trans)
		return 0;
	wt = &g->t[W->w];
	s = wt->data;
	dims[0] = wt->dims[1], dims[1] = wt->dims[0];
	d = arena_alloc(&g->arena, (size_t)ir_numel(wt));
	for (int64_t k = 0; k < dims[1]; k++)
		for (int64_t j = 0; j < dims[0]; j++)
			d[j * dims[1] + k] = s[k * dims[0] + j];
	W->w = ir_const_new(g, arena_printf(&g->arena, "%s.t", wt->name), DT_S8, 2, dims, d);
	return 0;
}

/* Gemm (transA 0, alpha > 0, a bias of one value per column) and MatMul by a constant */
static int fully_connected(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int gemm = n->op == OP_GEMM, y, b = -2, in[3];
	double alpha = gemm ? ir_attr_float(g, node, "alpha", 1) : 1;
	const Quant *qx, *qy;
	int x = activation(g, n->in[0], &qx);
	Weights W;

	if (x < 0 || (gemm && (ir_attr_int(g, node, "transA", 0) || !(alpha > 0))) ||
	    (!gemm && g->t[x].rank < 2) ||
	    fc_weights(g, n->in[1], gemm && ir_attr_int(g, node, "transB", 0), alpha, &W))
		return -1;
	if (gemm && ir_in(g, node, 2) >= 0) {
		const Tensor *c = &g->t[n->in[2]];
		if (c->rank > 1 && ir_numel(c) != c->dims[c->rank - 1])
			return -1; /* varies over rows */
		b = bias(g, n->in[2], qx->scale[0], &W, ir_attr_float(g, node, "beta", 1),
			 g->t[x].dtype);
	}
	if (b == -1 || (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	weights_fact(g, &W, 0);
	in[0] = x, in[1] = W.w, in[2] = b;
	emit(g, node, OP_QFULLY_CONNECTED, in, b >= 0 ? 3 : 2, y);
	return 0;
}

/* Add and Mul of two quantized operands (activations or constants, one scale each) */
static int binary(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Quant *qa, *qb, *qy;
	int in[2], y;

	in[0] = activation(g, n->in[0], &qa);
	in[1] = activation(g, n->in[1], &qb);
	if (in[0] < 0 || in[1] < 0 || (y = result_of(g, n->out[0], &qy, 0)) < 0 ||
	    g->t[in[0]].dtype != g->t[y].dtype || g->t[in[1]].dtype != g->t[y].dtype)
		return -1;
	y = result(g, n->out[0], &qy);
	emit(g, node, n->op == OP_ADD ? OP_QADD : OP_QMUL, in, 2, y);
	return 0;
}

static int pool(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Quant *qx, *qy;
	int x = activation(g, n->in[0], &qx), y;

	if (x < 0 || (y = result_of(g, n->out[0], &qy, 0)) < 0 || g->t[x].dtype != g->t[y].dtype)
		return -1;
	y = result(g, n->out[0], &qy);
	emit(g, node, n->op == OP_AVERAGE_POOL ? OP_QAVERAGE_POOL : OP_QGLOBAL_AVERAGE_POOL, &x, 1,
	     y);
	return 0;
}

/* data movement runs on int8; a rescale after it when the result's facts differ */
static int move(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Quant *qx, *qy;
	int x = activation(g, n->in[0], &qx), y, id, t, in[IR_MAX_ARGS];

	if (x < 0 || n->nout != 1 || n->nin > IR_MAX_ARGS ||
	    (y = result_of(g, n->out[0], &qy, 0)) < 0 || g->t[x].dtype != g->t[y].dtype)
		return -1;
	y = result(g, n->out[0], &qy);
	memcpy(in, g->n[node].in, sizeof(int) * (size_t)g->n[node].nin);
	in[0] = x;
	t = ir_quant_same(qx, qy) ? y : quantized_like(g, y, qx, g->t[y].dtype);
	id = emit(g, node, g->n[node].op, in, g->n[node].nin, t);
	ir_infer_node(g, id);
	if (t != y)
		requantize(g, node, t, y);
	return 0;
}

/* Split: the parts on int8 (int16), each rescaled after it when its facts differ */
static int split(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), id, nout = g->n[node].nout, t[64];

	if (x < 0 || nout > 64)
		return -1;
	for (int k = 0; k < nout; k++) {
		int y = g->n[node].out[k];
		if (y >= 0 && ((y = result_of(g, y, &qy, 0)) < 0 || g->t[y].dtype != g->t[x].dtype))
			return -1;
	}
	id = ir_node_new(g, OP_SPLIT, g->n[node].name, g->n[node].nin, nout);
	memcpy(g->n[id].in, g->n[node].in, sizeof(int) * (size_t)g->n[node].nin);
	g->n[id].in[0] = x;
	g->n[id].opset = g->n[node].opset;
	g->n[id].nattr = g->n[node].nattr;
	g->n[id].attr = g->n[node].attr;
	g->n[id].fused = g->n[node].fused;
	for (int k = 0; k < nout; k++) {
		int f = g->n[node].out[k], y;
		t[k] = -1;
		if (f < 0)
			continue;
		y = result(g, f, &qy);
		g->t[f].producer = -1;
		t[k] = ir_quant_same(qx, qy) ? y : quantized_like(g, y, qx, g->t[y].dtype);
		g->n[id].out[k] = t[k];
		g->t[t[k]].producer = id;
		if (t[k] != y)
			requantize(g, node, t[k], y);
	}
	for (int k = 0; k < nout; k++)
		g->n[id].out[k] = t[k];
	g->n[node].dead = 1;
	return 0;
}

/* Pad: on int8, a constant padding value quantized (zero becomes the zero point) */
static int pad(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y, id, t, in[4], v = ir_in(g, node, 2);
	int64_t cnt = 1;
	const float *val = NULL;
	float zero = 0;
	double r;
	DType dt;
	void *qv;

	if (x < 0 || g->n[node].nin > 4 || (v >= 0 && (!(val = const_floats(g, v, &cnt, 1)) ||
						       cnt != 1)) ||
	    (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0 || g->t[x].dtype != g->t[y].dtype)
		return -1;
	dt = g->t[x].dtype;
	r = nearbyint((double)(val ? *val : zero) / qx->scale[0]) + qx->zero_point[0];
	r = r < ir_qmin(dt) ? ir_qmin(dt) : r > ir_qmax(dt) ? ir_qmax(dt) : r;
	y = result(g, g->n[node].out[0], &qy);
	for (int k = 0; k < 4; k++)
		in[k] = ir_in(g, node, k);
	in[0] = x;
	qv = arena_alloc(&g->arena, (size_t)dt_size(dt));
	dt_set_i64(dt, qv, 0, (int64_t)r);
	in[2] = ir_const_new(g, "", dt, 0, NULL, qv);
	t = ir_quant_same(qx, qy) ? y : quantized_like(g, y, qx, g->t[y].dtype);
	id = emit(g, node, OP_PAD, in, 4, t);
	ir_infer_node(g, id);
	if (t != y)
		requantize(g, node, t, y);
	return 0;
}

/* Concat: operands rescaled to the result's facts where they differ */
static int concat(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Quant *qx, *qy;
	int in[64], y, nin = n->nin;

	if (nin > 64)
		return -1;
	if ((y = result_of(g, g->n[node].out[0], &qy, 0)) < 0)
		return -1;
	for (int k = 0; k < nin; k++)
		if ((in[k] = activation(g, g->n[node].in[k], &qx)) < 0 ||
		    g->t[in[k]].dtype != g->t[y].dtype)
			return -1;
	y = result(g, g->n[node].out[0], &qy);
	for (int k = 0; k < nin; k++)
		if (!ir_quant_same(&g->t[in[k]].quant, qy)) {
			int t = quantized_like(g, in[k], qy, g->t[y].dtype);
			requantize(g, node, in[k], t);
			in[k] = t;
		}
	emit(g, node, OP_CONCAT, in, nin, y);
	return 0;
}

/* BatchNormalization of a quantized tensor (rank >= 3): a depthwise 1x1 QConv whose
   weights are the per-channel factors quantized symmetrically (each +-127) */
/* a Reshape of int8 x to dims (facts q), made for node */
static int reshape_to(Graph *g, int node, int x, int rank, const int64_t *dims, const Quant *q)
{
	int64_t r = rank;
	int shape = ir_const_new(g, "", DT_S64, 1, &r, dims);
	int y = ir_tensor_new(g, arena_printf(&g->arena, "%s.r%d", g->t[x].name, rank));
	int id = ir_node_new(g, OP_RESHAPE, arena_printf(&g->arena, "%s/reshape%d",
							   g->n[node].name, rank), 2, 1);

	ir_set_shape(g, y, g->t[x].dtype, rank, dims);
	ir_quant_set(g, y, q->n, q->axis, q->scale, q->zero_point);
	g->n[id].in[0] = x, g->n[id].in[1] = shape, g->n[id].out[0] = y;
	g->n[id].opset = g->n[node].opset;
	g->t[y].producer = id;
	return y;
}

/* BatchNormalization of a quantized tensor: a depthwise 1x1 QConv whose weights are the
   per-channel factors quantized symmetrically (each +-127); a [N, C] tensor is seen as
   [N, C, 1] for it */
static int batchnorm(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const float *p[4];
	int64_t cnt[4], dims[IR_MAX_RANK], c;
	double eps = ir_attr_float(g, node, "epsilon", 1e-5f);
	const Quant *qx, *qy;
	int x = activation(g, n->in[0], &qx), y, in[3], rank, wrank, id;
	float *wf, *bf;
	Weights W;

	if (x < 0 || (rank = g->t[x].rank) < 2 || n->nout != 1 ||
	    ir_attr_int(g, node, "training_mode", 0))
		return -1;
	c = g->t[x].dims[1];
	wrank = rank < 3 ? 3 : rank;
	for (int k = 0; k < 4; k++)
		if (!(p[k] = const_floats(g, g->n[node].in[k + 1], &cnt[k], INT64_MAX)) ||
		    cnt[k] != c)
			return -1;
	wf = arena_alloc(&g->arena, sizeof(float) * (size_t)c);
	bf = arena_alloc(&g->arena, sizeof(float) * (size_t)c);
	for (int64_t i = 0; i < c; i++) {
		wf[i] = (float)(p[0][i] / sqrt((double)p[3][i] + eps));
		bf[i] = (float)(p[1][i] - (double)p[2][i] * wf[i]);
	}
	dims[0] = c;
	for (int i = 1; i < wrank; i++)
		dims[i] = 1;
	in[1] = ir_const_new(g, "", DT_F32, wrank, dims, wf);
	in[2] = ir_const_new(g, "", DT_F32, 1, dims, bf);
	if (weights(g, in[1], 0, &W) ||
	    (in[2] = bias(g, in[2], qx->scale[0], &W, 1, g->t[x].dtype)) < 0 ||
	    (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	weights_fact(g, &W, 0);
	in[0] = x, in[1] = W.w;
	if (rank == 2) { /* [N, C] -> [N, C, 1] -> QConv -> [N, C] */
		int64_t d3[3] = {g->t[x].dims[0], c, 1};
		int t3 = quantized_like(g, y, qy, g->t[x].dtype);
		in[0] = reshape_to(g, node, x, 3, d3, qx);
		ir_set_shape(g, t3, g->t[x].dtype, 3, d3);
		id = emit(g, node, OP_QCONV, in, 3, t3);
		g->n[id].nattr = 0, g->n[id].attr = NULL;
		ir_attr_set_int(g, id, "group", c);
		int64_t two = 2;
		id = ir_node_new(g, OP_RESHAPE, arena_printf(&g->arena, "%s/reshape2",
								   g->n[id].name), 2, 1);
		g->n[id].in[0] = t3;
		g->n[id].in[1] = ir_const_new(g, "", DT_S64, 1, &two, g->t[y].dims);
		g->n[id].out[0] = y;
		g->t[y].producer = id;
		return 0;
	}
	id = emit(g, node, OP_QCONV, in, 3, y);
	g->n[id].nattr = 0, g->n[id].attr = NULL;
	ir_attr_set_int(g, id, "group", c);
	return 0;
}

/* ---- elementwise functions of one tensor: a table ---- */

#define MAX_CHAIN 8

/* the one input of an elementwise float op that is not a constant scalar, or -1 */
static int function_operand(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int64_t cnt;
	int xin = -1;

	if (!(op_info[n->op].flags & OPF_ELEMENTWISE) || n->nout != 1 ||
	    g->t[n->out[0]].dtype != DT_F32)
		return -1;
	for (int k = 0; k < g->n[node].nin; k++) {
		int t = g->n[node].in[k];
		if (t < 0 || (const_floats(g, t, &cnt, 1) && cnt == 1))
			continue;
		if (xin >= 0)
			return -1;
		xin = k;
	}
	return xin;
}

/* The elementwise ops from a dequantized tensor to node, first to last (chain[n - 1] is
   node), each read only by the next: one function of one int8 value. Their count, 0
   when there is none; *x the int8 tensor the first one reads. */
static int function_chain(Graph *g, int node, int *chain, int *xin, int *x, const Quant **qx)
{
	int n = 0, nodes[MAX_READERS];

	for (int m = node; n < MAX_CHAIN; n++) {
		int k = function_operand(g, m), t, p;
		if (k < 0)
			return 0;
		chain[n] = m, xin[n] = k;
		t = g->n[m].in[k];
		if ((*x = activation(g, t, qx)) >= 0) {
			for (int i = 0; i <= n / 2; i++) { /* reversed: first to last */
				int c = chain[i], j = xin[i];
				chain[i] = chain[n - i], xin[i] = xin[n - i];
				chain[n - i] = c, xin[n - i] = j;
			}
			return n + 1;
		}
		p = g->t[t].producer;
		if (p < 0 || readers(g, t, nodes) != 1)
			return 0;
		m = p;
	}
	return 0;
}

/* values v[nv] through one float op (input xin), computed by the op itself */
static int apply(Graph *g, int node, int xin, float *v, int64_t nv)
{
	int64_t dims[1] = {nv};
	int id = ir_node_new(g, g->n[node].op, g->n[node].name, g->n[node].nin, 1), ok;

	memcpy(g->n[id].in, g->n[node].in, sizeof(int) * (size_t)g->n[node].nin);
	g->n[id].in[xin] = ir_const_new(g, "", DT_F32, 1, dims, v);
	g->n[id].out[0] = ir_tensor_new(g, "");
	g->n[id].opset = g->n[node].opset;
	g->n[id].nattr = g->n[node].nattr;
	g->n[id].attr = g->n[node].attr;
	g->t[g->n[id].out[0]].producer = id;
	ok = ir_infer_node(g, id) == 0 && ir_eval_node(g, id) == 0 &&
	     g->t[g->n[id].out[0]].dtype == DT_F32 && ir_numel(&g->t[g->n[id].out[0]]) == nv;
	if (ok)
		memcpy(v, g->t[g->n[id].out[0]].data, sizeof(float) * (size_t)nv);
	g->n[id].dead = 1;
	g->t[g->n[id].out[0]].producer = -1;
	return ok ? 0 : -1;
}

/* f(dequantize(i)) for i = -128..127, f the chain of float ops evaluated by the ops
   themselves (the float model's own rounding) */
static int chain_values(Graph *g, const int *chain, const int *xin, int n, const Quant *qx,
			float *v)
{
	for (int i = 0; i < 256; i++)
		v[i] = (float)((i - 128) - qx->zero_point[0]) * qx->scale[0];
	for (int c = 0; c < n; c++)
		if (apply(g, chain[c], xin[c], v, 256))
			return -1;
	return 0;
}

/* the table of the chain's values quantized to qy */
static int table(Graph *g, const int *chain, const int *xin, int n, const Quant *qx,
		 const Quant *qy, int8_t *tab)
{
	float v[256];

	if (chain_values(g, chain, xin, n, qx, v))
		return -1;
	for (int i = 0; i < 256; i++) {
		float r = rintf(v[i] / qy->scale[0]) + (float)qy->zero_point[0];
		tab[i] = (int8_t)(r < -128 ? -128 : r > 127 ? 127 : r);
	}
	return 0;
}

/* the table is clamp(i, lo, hi) */
static int is_clamp(const int8_t *tab, int *lo, int *hi)
{
	*lo = tab[0], *hi = tab[255];
	for (int i = 0; i < 256; i++) {
		int v = i - 128;
		if (tab[i] != (v < *lo ? *lo : v > *hi ? *hi : v))
			return 0;
	}
	return 1;
}

/* folds a clamp into the op that makes x, when nothing else reads x */
static int fold_clamp(Graph *g, int x, int lo, int hi)
{
	int p = g->t[x].producer, nodes[MAX_READERS], d;
	int64_t amin, amax;

	if (p < 0 || !(op_info[g->n[p].op].flags & OPF_QUANT) || g->n[p].op == OP_QLOOKUP ||
	    readers(g, x, nodes) != 1 || (d = nodes[0], g->n[d].op != OP_DEQUANTIZE_LINEAR) ||
	    readers(g, g->n[d].out[0], nodes) != 1)
		return -1;
	amin = ir_attr_int(g, p, "act_min", ir_qmin(g->t[x].dtype));
	amax = ir_attr_int(g, p, "act_max", ir_qmax(g->t[x].dtype));
	lo = lo > amin ? lo : (int)amin;
	hi = hi < amax ? hi : (int)amax;
	own_attrs(g, p);
	ir_attr_set_int(g, p, "act_min", lo);
	ir_attr_set_int(g, p, "act_max", hi);
	return p;
}

static int elementwise(Graph *g, int node)
{
	int chain[MAX_CHAIN], xin[MAX_CHAIN], n, x = -1, y, lo, hi, tab_t, in[2];
	const Quant *qx = NULL, *qy;
	int8_t tab[256];
	int64_t dims[1] = {256};

	n = function_chain(g, node, chain, xin, &x, &qx);
	if (!n || result_of(g, g->n[node].out[0], &qy, 0) < 0 ||
	    table(g, chain, xin, n, qx, qy, tab))
		return -1;
	y = result(g, g->n[node].out[0], &qy);
	for (int c = 0; c < n - 1; c++) /* the ops before node are in the table too */
		g->n[chain[c]].dead = 1;
	if (n == 1 && ir_quant_same(qx, qy) && is_clamp(tab, &lo, &hi) &&
	    fold_clamp(g, x, lo, hi) >= 0) {
		ir_replace_value(g, y, x); /* the op before writes the clamped result, */
		g->t[x].name = g->t[y].name; /* which is what y was */
		g->n[node].dead = 1;
		return 0;
	}
	tab_t = ir_const_new(g, "", DT_S8, 1, dims, tab);
	ir_quant_copy(g, tab_t, y);
	in[0] = x, in[1] = tab_t;
	emit(g, node, OP_QLOOKUP, in, 2, y);
	return 0;
}

/* An average of a function of a quantized tensor, with no quantization between them
   (Tanh then AveragePool): the function's values as int16 at the average's scale /
   2^k, the finest that holds them, so the average rounds once as the float model does
   (o2m_q8w.h) */
static int pool_of_function(Graph *g, int node)
{
	int t = g->n[node].in[0], p = g->t[t].producer, nodes[MAX_READERS];
	int chain[MAX_CHAIN], xin[MAX_CHAIN], n, x, y, k, t16, tab_t, in[2];
	const Quant *qx, *qy;
	float v[256], big = 0, s16;
	int16_t tab[256];
	int64_t dims[1] = {256};
	int32_t zero = 0;

	if (p < 0 || readers(g, t, nodes) != 1 ||
	    !(n = function_chain(g, p, chain, xin, &x, &qx)) ||
	    result_of(g, g->n[node].out[0], &qy, 0) < 0 || chain_values(g, chain, xin, n, qx, v))
		return -1;
	for (int i = 0; i < 256; i++)
		big = fmaxf(big, fabsf(v[i]));
	for (k = 15; k > 0 && big / ldexpf(qy->scale[0], -k) > 32767; k--)
		;
	s16 = ldexpf(qy->scale[0], -k);
	if (big / s16 > 32767)
		return -1;
	for (int i = 0; i < 256; i++)
		tab[i] = (int16_t)lrintf(v[i] / s16);
	y = result(g, g->n[node].out[0], &qy);
	t16 = ir_tensor_new(g, arena_printf(&g->arena, "%s.q16", g->t[t].name));
	ir_set_shape(g, t16, DT_S16, g->t[t].rank, g->t[t].dims);
	ir_quant_set(g, t16, 1, 0, &s16, &zero);
	tab_t = ir_const_new(g, "", DT_S16, 1, dims, tab);
	ir_quant_copy(g, tab_t, t16);
	for (int c = 0; c < n - 1; c++)
		g->n[chain[c]].dead = 1;
	in[0] = x, in[1] = tab_t;
	emit(g, p, OP_QLOOKUP, in, 2, t16);
	emit(g, node, g->n[node].op == OP_AVERAGE_POOL ? OP_QAVERAGE_POOL : OP_QGLOBAL_AVERAGE_POOL,
	     &t16, 1, y);
	return 0;
}

/* Relu(DequantizeLinear(x)) whose result is not quantized is DequantizeLinear of x
   clamped at its zero point: the clamp folds into the op that makes x */
static int relu_before(Graph *g, int node)
{
	const Quant *qx;
	int t = g->n[node].in[0], x = activation(g, t, &qx);

	if (x < 0 || fold_clamp(g, x, qx->zero_point[0], ir_qmax(g->t[x].dtype)) < 0)
		return -1;
	ir_replace_value(g, g->n[node].out[0], t);
	g->n[node].dead = 1;
	return 0;
}

/* MatMul of two quantized activations (one scale each) */
static int matmul_act(Graph *g, int node)
{
	const Quant *qa, *qb, *qy;
	int in[2], y;

	in[0] = activation(g, g->n[node].in[0], &qa);
	in[1] = activation(g, g->n[node].in[1], &qb);
	if (in[0] < 0 || in[1] < 0 || g->t[in[1]].dtype != g->t[in[0]].dtype ||
	    (y = result_typed(g, g->n[node].out[0], &qy, g->t[in[0]].dtype)) < 0)
		return -1;
	emit(g, node, OP_QMATMUL, in, 2, y);
	return 0;
}

static int softmax(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y;

	if (x < 0 || (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	emit(g, node, OP_QSOFTMAX, &x, 1, y);
	return 0;
}

/* a LayerNormalization's constant gamma and beta (NULL when absent), cn values each */
typedef struct {
	const float *gamma, *beta;
	int64_t cn;
	double gmax, bmax; /* their largest magnitudes */
} LnWeights;

static int ln_read(Graph *g, int node, LnWeights *w)
{
	int64_t cb = 0;

	memset(w, 0, sizeof *w);
	if (g->n[node].nout != 1 ||
	    !(w->gamma = const_floats(g, g->n[node].in[1], &w->cn, INT64_MAX)) ||
	    (ir_in(g, node, 2) >= 0 &&
	     (!(w->beta = const_floats(g, g->n[node].in[2], &cb, INT64_MAX)) || cb != w->cn)))
		return -1;
	for (int64_t i = 0; i < w->cn; i++) {
		w->gmax = fmax(w->gmax, fabs(w->gamma[i]));
		w->bmax = w->beta ? fmax(w->bmax, fabs(w->beta[i])) : 0;
	}
	return 0;
}

/* whether the kernels take the row of x (quantized by qx): at most 65535 values from
   int8 (o2m_q8_layer_norm_s8, _s16), 4096 from int16 (o2m_q16_layer_norm_s16), and
   epsilon / x_scale^2 below 2^15 (eps_q16 an int32); else the node stays float */
static int ln_fits(Graph *g, int node, const LnWeights *w, const Quant *qx, DType dt)
{
	const double eps = ir_attr_float(g, node, "epsilon", 1e-5f);

	return w->cn <= (dt == DT_S16 ? 4096 : 65535) &&
	       ldexp(eps / ((double)qx->scale[0] * qx->scale[0]), 16) <= INT32_MAX;
}

/* gamma as int16 with a shift and beta as int32, both in steps of the output scale sy
   (the formats of o2m_q8_layer_norm_s8): the constants *gi, *bi (-1 without beta); -1
   when they do not fit */
static int ln_consts(Graph *g, const LnWeights *w, double sy, int *gi, int *bi, int *shift)
{
	double gmax = w->gmax / sy;
	int64_t cn = w->cn;
	int16_t *gq;
	int32_t *bq;
	float gs;
	int32_t zero = 0;

	for (*shift = 24; *shift > 0 && gmax * ldexp(1, *shift) > 32767; (*shift)--)
		; /* the most bits that fit */
	if (gmax * ldexp(1, *shift) > 32767 || w->bmax / sy > 32767)
		return -1;
	gq = arena_alloc(&g->arena, sizeof *gq * (size_t)(cn + 1));
	bq = arena_alloc(&g->arena, sizeof *bq * (size_t)(cn + 1));
	for (int64_t i = 0; i < cn; i++) {
		gq[i] = (int16_t)lrint(ldexp(w->gamma[i] / sy, *shift));
		bq[i] = w->beta ? (int32_t)rint(ldexp(w->beta[i] / sy, 16)) : 0;
	}
	*gi = ir_const_new(g, "", DT_S16, 1, &cn, gq);
	gs = (float)ldexp(sy, -*shift); /* gamma's values are in steps of sy / 2^shift */
	ir_quant_set(g, *gi, 1, 0, &gs, &zero);
	*bi = w->beta ? ir_const_new(g, "", DT_S32, 1, &cn, bq) : -1;
	return 0;
}

/* the QLayerNormalization of node reading x, writing y */
static int ln_emit(Graph *g, int node, int x, int gi, int bi, int shift, int y, int wide)
{
	int in[3] = {x, gi, bi}, id = emit(g, node, OP_QLAYER_NORM, in, bi >= 0 ? 3 : 2, y);

	own_attrs(g, id);
	ir_attr_set_int(g, id, "gamma_shift", shift);
	if (wide)
		ir_attr_set_int(g, id, "wide", 1);
	return id;
}

static int layer_norm(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y, gi, bi, shift;
	LnWeights w;

	if (x < 0 || (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0 ||
	    g->t[y].dtype != g->t[x].dtype || ln_read(g, node, &w))
		return -1;
	if (!ln_fits(g, node, &w, qx, g->t[x].dtype) ||
	    ln_consts(g, &w, qy->scale[0], &gi, &bi, &shift))
		return -1;
	y = result(g, g->n[node].out[0], &qy);
	ln_emit(g, node, x, gi, bi, shift, y, 0);
	return 0;
}

/* A LayerNormalization read only by an average with no quantization between (a
   transformer's last norm before its mean over tokens): int16 at the average's scale /
   2^k (o2m_q8w.h), k the finest that holds its outputs. Its int16 result, or -1. */
static int ln_wide(Graph *g, int t, const Quant *qy, const Quant **q16)
{
	int p = g->t[t].producer, nodes[MAX_READERS], x, k, gi, bi, shift, t16;
	const Quant *qx;
	LnWeights w;
	double big;
	float s16;
	int32_t zero = 0;

	if (p < 0 || g->n[p].op != OP_LAYER_NORM || g->n[p].keep_float ||
	    readers(g, t, nodes) != 1 || (x = activation(g, g->n[p].in[0], &qx)) < 0 ||
	    ln_read(g, p, &w) || !ln_fits(g, p, &w, qx, g->t[x].dtype))
		return -1;
	/* the largest output, in steps of qy: a normalized value is below sqrt(n) */
	big = (w.gmax * sqrt((double)w.cn) + w.bmax) / qy->scale[0];
	for (k = 15; k > 0 && big * ldexp(1, k) > 32000; k--)
		;
	s16 = ldexpf(qy->scale[0], -k);
	if (big * ldexp(1, k) > 32000 || ln_consts(g, &w, s16, &gi, &bi, &shift))
		return -1;
	t16 = ir_tensor_new(g, arena_printf(&g->arena, "%s.q16", g->t[t].name));
	ir_set_shape(g, t16, DT_S16, g->t[t].rank, g->t[t].dims);
	ir_quant_set(g, t16, 1, 0, &s16, &zero);
	ln_emit(g, p, x, gi, bi, shift, t16, 1);
	*q16 = &g->t[t16].quant;
	return t16;
}

/* ConvTranspose of one group: weights per output channel along W's axis 1 */
static int conv_transpose(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y, b, in[3];
	Weights W;

	if (x < 0 || ir_attr_int(g, node, "group", 1) != 1 || weights(g, g->n[node].in[1], 1, &W))
		return -1;
	b = bias(g, ir_in(g, node, 2), qx->scale[0], &W, 1, g->t[x].dtype);
	if (b == -1 || (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	weights_fact(g, &W, 1);
	in[0] = x, in[1] = W.w, in[2] = b;
	emit(g, node, OP_QCONV_TRANSPOSE, in, b >= 0 ? 3 : 2, y);
	return 0;
}

/* a Resize QResize can run on x: linear, of the last two axes of [N, C, H, W], at
   most two taps per position */
static int resizable(Graph *g, int node, int x)
{
	const Tensor *t = &g->t[g->n[node].out[0]];
	const int32_t *ti;
	const double *tw;
	int taps;

	return g->n[node].nin <= 4 && g->t[x].rank == 4 && t->dims[0] == g->t[x].dims[0] &&
	       t->dims[1] == g->t[x].dims[1] && !ir_resize_taps(g, node, 2, &taps, &ti, &tw) &&
	       taps <= 2 && !ir_resize_taps(g, node, 3, &taps, &ti, &tw) && taps <= 2;
}

/* QResize of x (the Resize's other inputs kept) writing y */
static void emit_resize(Graph *g, int node, int x, int y)
{
	int in[4], n = g->n[node].nin;

	for (int k = 0; k < n; k++)
		in[k] = g->n[node].in[k];
	in[0] = x;
	emit(g, node, OP_QRESIZE, in, n, y);
}

/* linear Resize of a dequantized tensor */
static int resize(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y;

	if (x < 0 || !resizable(g, node, x) ||
	    (y = result_typed(g, g->n[node].out[0], &qy, g->t[x].dtype)) < 0)
		return -1;
	emit_resize(g, node, x, y);
	return 0;
}

/* a linear Resize a QOperator model runs on a quantized tensor itself: a QResize of
   the same quantization */
static int resize_direct(Graph *g, int node)
{
	int x = g->n[node].in[0], y = g->n[node].out[0];

	if (g->t[x].dtype != DT_S8 || g->t[x].quant.n != 1 || !resizable(g, node, x))
		return -1;
	g->t[y].producer = -1;
	emit_resize(g, node, x, y);
	ir_quant_copy(g, y, x);
	return 0;
}

/* ReduceMean: the reduced axes moved last (a Transpose), the tensor seen as
   [1, kept, reduced] (Reshapes) and averaged by a QGlobalAveragePool */
static int reduce_mean(Graph *g, int node)
{
	const Quant *qx = NULL, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y, rank, nax, perm_t, id, t, red[IR_MAX_RANK];
	int64_t axes[IR_MAX_RANK], perm[IR_MAX_RANK], kept = 1, inner = 1, d3[3], dt[IR_MAX_RANK];
	int nred = 0;
	DType et;

	if (ir_attr_int(g, node, "noop_with_empty_axes", 0))
		return -1;
	rank = g->t[g->n[node].in[0]].rank;
	nax = ir_in(g, node, 1) >= 0 ? ir_const_ints(g, node, g->n[node].in[1], axes, IR_MAX_RANK) : 0;
	if (nax < 0 || rank < 1 || (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0)
		return -1;
	if (x < 0 && (take_wide || (x = ln_wide(g, g->n[node].in[0], qy, &qx)) < 0))
		return -1;
	et = g->t[x].dtype;
	if (take_wide && (et != DT_S16 || g->t[y].dtype != DT_S16)) /* int16 in and out */
		return -1;
	for (int i = 0; i < rank; i++)
		red[i] = nax == 0; /* no axes: all of them */
	for (int i = 0; i < nax; i++) {
		int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
		if (a < 0 || a >= rank)
			return -1;
		red[a] = 1;
	}
	for (int pass = 0; pass < 2; pass++) /* kept axes first, then the reduced ones */
		for (int i = 0; i < rank; i++)
			if (red[i] == pass) {
				perm[nred++] = i;
				*(pass ? &inner : &kept) *= g->t[x].dims[i];
			}
	y = result(g, g->n[node].out[0], &qy);
	for (int i = 0; i < rank; i++)
		dt[i] = g->t[x].dims[perm[i]];
	t = ir_tensor_new(g, arena_printf(&g->arena, "%s.t", g->t[x].name));
	ir_set_shape(g, t, et, rank, dt);
	ir_quant_copy(g, t, x);
	id = ir_node_new(g, OP_TRANSPOSE, arena_printf(&g->arena, "%s/transpose", g->n[node].name),
			 1, 1);
	g->n[id].in[0] = x, g->n[id].out[0] = t;
	g->n[id].opset = g->n[node].opset;
	g->t[t].producer = id;
	ir_attr_set_ints(g, id, "perm", perm, rank);
	d3[0] = 1, d3[1] = kept, d3[2] = inner;
	t = reshape_to(g, node, t, 3, d3, qx);
	d3[2] = 1;
	perm_t = quantized_like(g, y, qy, g->t[y].dtype);
	ir_set_shape(g, perm_t, g->t[y].dtype, 3, d3);
	id = emit(g, node, OP_QGLOBAL_AVERAGE_POOL, &t, 1, perm_t);
	g->n[id].nattr = 0, g->n[id].attr = NULL;
	id = ir_node_new(g, OP_RESHAPE, arena_printf(&g->arena, "%s/reshape", g->n[id].name), 2, 1);
	{
		int64_t r = g->t[y].rank;
		g->n[id].in[0] = perm_t;
		g->n[id].in[1] = ir_const_new(g, "", DT_S64, 1, &r, g->t[y].dims);
	}
	g->n[id].out[0] = y;
	g->t[y].producer = id;
	return 0;
}

/* ---- int16 activations ---- */

/* A chain of elementwise functions of an int16 tensor (Sigmoid, Tanh, HardSwish, Erf,
   ...): QLookup on TFLite's int16 table, 513 values at every 128th input (the chain's
   float ops evaluated there, quantized to the result), linearly interpolated between
   (o2m_q16_lut_s16) */
/* The table of o2m_q16_lut_s16 for the chain from x (facts qx) to a result of facts qy:
   the chain's float ops evaluated at every 128th input, in output steps times 256. 0
   when, checked on all 65536 inputs against the chain's own values rounded, every
   interpolated output is within one step; -1 otherwise (a kink between two samples:
   LeakyRelu with its zero point off a sample, HardSwish), or when the ops fail. */
static int wide_table(Graph *g, const int *chain, const int *xin, int n, const Quant *qx,
		      const Quant *qy, int32_t *tab)
{
	float *v = malloc(sizeof *v * 65536);
	int rc = 0;

	IR_ASSERT(v);
	for (int i = 0; i < 65536; i++)
		v[i] = (float)((i - 32768) - qx->zero_point[0]) * qx->scale[0];
	for (int c = 0; c < n && !rc; c++)
		rc = apply(g, chain[c], xin[c], v, 65536);
	for (int j = 0; j < 513 && !rc; j++) { /* the last sample, at 32768, extrapolated */
		double f = j < 512 ? v[128 * j] : 2.0 * v[65535] - v[65534];
		double t = nearbyint((f / qy->scale[0] + qy->zero_point[0]) * 256);
		tab[j] = (int32_t)(t < -8388608 ? -8388608 : t > 8388607 ? 8388607 : t);
	}
	for (int i = 0; i < 65536 && !rc; i++) {
		const int32_t j = i >> 7, r = i & 127;
		int32_t got = (tab[j] * (128 - r) + tab[j + 1] * r + (1 << 14)) >> 15;
		double want = nearbyint(v[i] / qy->scale[0]) + qy->zero_point[0];
		got = got < -32768 ? -32768 : got > 32767 ? 32767 : got;
		want = want < -32768 ? -32768 : want > 32767 ? 32767 : want;
		if (fabs(got - want) > 1)
			rc = -1;
	}
	free(v);
	return rc;
}

/* QLookup of int16 x by table tab into y, made for node and the chain before it (dead) */
static void emit_wide_table(Graph *g, int node, const int *chain, int n, int x,
			    const int32_t *tab, int y)
{
	int64_t dims[1] = {513};
	int in[2];

	for (int c = 0; c < n - 1; c++) /* the ops before node are in the table too */
		g->n[chain[c]].dead = 1;
	in[0] = x, in[1] = ir_const_new(g, "", DT_S32, 1, dims, tab);
	emit(g, node, OP_QLOOKUP, in, 2, y);
}

static int lookup_wide(Graph *g, int node)
{
	int chain[MAX_CHAIN], xin[MAX_CHAIN], n, x = -1, y;
	const Quant *qx = NULL, *qy;
	int32_t tab[513];

	n = function_chain(g, node, chain, xin, &x, &qx);
	if (!n || g->t[x].dtype != DT_S16 || (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0 ||
	    g->t[y].dtype != DT_S16 || wide_table(g, chain, xin, n, qx, qy, tab))
		return -1;
	y = result(g, g->n[node].out[0], &qy);
	emit_wide_table(g, node, chain, n, x, tab, y);
	return 0;
}

/* An average of a function of an int16 tensor with no quantization between (Tanh then
   AveragePool): the function's values as int16 over their whole range (zero point 0,
   the finest scale that holds them all: the average's own scale may clip values its
   mean never reaches), then the int16 average of those, rescaled once */
static int pool_of_function_wide(Graph *g, int node)
{
	int t = g->n[node].in[0], p = g->t[t].producer, nodes[MAX_READERS];
	int chain[MAX_CHAIN], xin[MAX_CHAIN], n, x, y, t16;
	const Quant *qx, *qy;
	float v[513], big = 0, s16;
	int32_t zero = 0, tab[513];
	Quant q16;

	if (p < 0 || readers(g, t, nodes) != 1 ||
	    !(n = function_chain(g, p, chain, xin, &x, &qx)) || g->t[x].dtype != DT_S16 ||
	    (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0 || g->t[y].dtype != DT_S16)
		return -1;
	for (int j = 0; j < 513; j++) /* the function's largest magnitude, at the samples */
		v[j] = (float)((-32768 + 128 * j) - qx->zero_point[0]) * qx->scale[0];
	for (int c = 0; c < n; c++)
		if (apply(g, chain[c], xin[c], v, 513))
			return -1;
	for (int j = 0; j < 513; j++)
		big = fmaxf(big, fabsf(v[j]));
	s16 = big > 0 && isfinite(big) ? big / 32000 : qy->scale[0];
	q16.n = 1, q16.axis = 0, q16.scale = &s16, q16.zero_point = &zero;
	if (s16 / qy->scale[0] >= 128 || /* the average's rescale stays below 128 */
	    wide_table(g, chain, xin, n, qx, &q16, tab))
		return -1;
	y = result(g, g->n[node].out[0], &qy);
	t16 = ir_tensor_new(g, arena_printf(&g->arena, "%s.q16", g->t[t].name));
	ir_set_shape(g, t16, DT_S16, g->t[t].rank, g->t[t].dims);
	ir_quant_set(g, t16, 1, 0, &s16, &zero);
	emit_wide_table(g, p, chain, n, x, tab, t16);
	emit(g, node, g->n[node].op == OP_AVERAGE_POOL ? OP_QAVERAGE_POOL : OP_QGLOBAL_AVERAGE_POOL,
	     &t16, 1, y);
	return 0;
}

/* Relu or Clip (constant bounds) of an int16 tensor: folded into the clamp of the op
   that makes it when the facts agree and nothing else reads it, else a QRequantize
   with the clamp */
static int clamp_wide(Graph *g, int node)
{
	const Quant *qx, *qy;
	int x = activation(g, g->n[node].in[0], &qx), y, id, k;
	double b[2] = {-HUGE_VAL, HUGE_VAL};
	int32_t q[2];
	DType dt;

	if (x < 0 || (y = result_of(g, g->n[node].out[0], &qy, 0)) < 0 ||
	    g->t[x].dtype != g->t[y].dtype)
		return -1;
	dt = g->t[y].dtype;
	if (g->n[node].op == OP_RELU) {
		b[0] = 0;
	} else if (g->n[node].opset < 11) {
		b[0] = ir_attr_float(g, node, "min", -HUGE_VALF);
		b[1] = ir_attr_float(g, node, "max", HUGE_VALF);
	} else {
		for (k = 0; k < 2; k++) {
			int64_t cnt;
			const float *v;
			if (ir_in(g, node, k + 1) < 0)
				continue;
			if (!(v = const_floats(g, g->n[node].in[k + 1], &cnt, 1)) || cnt != 1)
				return -1;
			b[k] = *v;
		}
	}
	for (k = 0; k < 2; k++) { /* each bound quantized as the result is */
		double r = nearbyint(b[k] / qy->scale[0]) + qy->zero_point[0];
		q[k] = (int32_t)(r < ir_qmin(dt) ? ir_qmin(dt) : r > ir_qmax(dt) ? ir_qmax(dt) : r);
	}
	y = result(g, g->n[node].out[0], &qy);
	if (ir_quant_same(qx, qy) && fold_clamp(g, x, q[0], q[1]) >= 0) {
		ir_replace_value(g, y, x); /* the op before writes the clamped result, */
		g->t[x].name = g->t[y].name; /* which is what y was */
		g->n[node].dead = 1;
		return 0;
	}
	g->n[node].dead = 1;
	id = requantize(g, node, x, y);
	ir_attr_set_int(g, id, "act_min", q[0]);
	ir_attr_set_int(g, id, "act_max", q[1]);
	return 0;
}

/* whether the node reads a dequantized int16 activation or its result is quantized to
   int16 */
static int touches_wide(Graph *g, int node)
{
	int nodes[MAX_READERS], n;

	for (int k = 0; k < g->n[node].nin; k++) {
		int d = producer_is(g, g->n[node].in[k], OP_DEQUANTIZE_LINEAR);
		if (d >= 0 && g->t[g->n[d].in[0]].dtype == DT_S16)
			return 1;
	}
	for (int k = 0; k < g->n[node].nout; k++) {
		if (g->n[node].out[k] < 0)
			continue;
		n = ir_consumers(g, g->n[node].out[k], nodes, MAX_READERS);
		for (int i = 0; i < n && i < MAX_READERS; i++)
			if (g->n[nodes[i]].op == OP_QUANTIZE_LINEAR &&
			    g->t[g->n[nodes[i]].out[0]].dtype == DT_S16)
				return 1;
	}
	return 0;
}

/* the ops the int16 kernels (o2m_q16.h) run; the others stay float */
static int convert_wide(Graph *g, int node)
{
	int rc;

	take_wide = 1;
	switch (g->n[node].op) {
	case OP_CONV:
		rc = conv(g, node);
		break;
	case OP_GEMM:
		rc = fully_connected(g, node);
		break;
	case OP_MATMUL:
		rc = fully_connected(g, node) && matmul_act(g, node) ? -1 : 0;
		break;
	case OP_ADD: case OP_MUL:
		rc = binary(g, node) && lookup_wide(g, node) ? -1 : 0;
		break;
	case OP_AVERAGE_POOL: case OP_GLOBAL_AVERAGE_POOL:
		rc = pool(g, node) && pool_of_function_wide(g, node) ? -1 : 0;
		break;
	case OP_CONCAT:
		rc = concat(g, node);
		break;
	case OP_PAD:
		rc = pad(g, node);
		break;
	case OP_SPLIT:
		rc = split(g, node);
		break;
	case OP_BATCH_NORM:
		rc = batchnorm(g, node);
		break;
	case OP_RELU: case OP_CLIP:
		rc = clamp_wide(g, node);
		break;
	case OP_REDUCE_MEAN:
		rc = reduce_mean(g, node);
		break;
	case OP_CONV_TRANSPOSE:
		rc = conv_transpose(g, node);
		break;
	case OP_SOFTMAX:
		rc = softmax(g, node);
		break;
	case OP_RESIZE:
		rc = moves_data(g, node) ? move(g, node) : resize(g, node);
		break;
	case OP_LAYER_NORM:
		rc = layer_norm(g, node);
		break;
	default:
		rc = moves_data(g, node) ? move(g, node) : lookup_wide(g, node);
		break;
	}
	take_wide = 0;
	return rc;
}

static int convert(Graph *g, int node)
{
	switch (g->n[node].op) {
	case OP_CONV:
		return conv(g, node);
	case OP_GEMM:
		return fully_connected(g, node);
	case OP_MATMUL:
		return fully_connected(g, node) && matmul_act(g, node) ? -1 : 0;
	case OP_SOFTMAX:
		return softmax(g, node);
	case OP_LAYER_NORM:
		return layer_norm(g, node);
	case OP_CONV_TRANSPOSE:
		return conv_transpose(g, node);
	case OP_REDUCE_MEAN:
		return reduce_mean(g, node);
	case OP_ADD:
	case OP_MUL:
		return elementwise(g, node) && binary(g, node) ? -1 : 0;
	case OP_AVERAGE_POOL:
	case OP_GLOBAL_AVERAGE_POOL:
		return pool(g, node) && pool_of_function(g, node) ? -1 : 0;
	case OP_CONCAT:
		return concat(g, node);
	case OP_PAD:
		return pad(g, node);
	case OP_SPLIT:
		return split(g, node);
	case OP_BATCH_NORM:
		return batchnorm(g, node);
	case OP_RELU:
		return elementwise(g, node) && relu_before(g, node) ? -1 : 0;
	case OP_RESIZE:
		return moves_data(g, node) ? move(g, node) : resize(g, node);
	default:
		return moves_data(g, node) ? move(g, node) : elementwise(g, node);
	}
}

/* a float node that reads a dequantized tensor */
static int reads_dequantized(Graph *g, int node)
{
	for (int k = 0; k < g->n[node].nin; k++)
		if (producer_is(g, g->n[node].in[k], OP_DEQUANTIZE_LINEAR) >= 0)
			return 1;
	return 0;
}

/* ---- 4a. float chains: N -> M -> QuantizeLinear ---- */

/* ops of one operand that commute with quantization: rounding before them gives what
   rounding after them does */
static int single_operand(Graph *g, int node)
{
	return moves_data(g, node) || g->n[node].op == OP_RELU;
}

/* When such an op M reads the float result of N (read by nothing else) and M's result
   is quantized, N's result is quantized with the same facts first, as every tensor of a
   TFLite model is; walked backwards, so chains of them get a QuantizeLinear between each
   two. (Ops that do not commute, an AveragePool after a Tanh, would round once more than
   the model asks: they stay float.) */
static void close_chain(Graph *g, int m)
{
	int t = g->n[m].in[0], nodes[MAX_READERS], q, d, qt, dt, p, y;
	const Quant *qy;

	if (!single_operand(g, m) || t < 0 || (p = g->t[t].producer) < 0 ||
	    g->n[p].op == OP_DEQUANTIZE_LINEAR || g->t[t].dtype != DT_F32 ||
	    readers(g, t, nodes) != 1 || (y = result_of(g, g->n[m].out[0], &qy, 0)) < 0 ||
	    ir_consumers(g, g->n[m].out[0], nodes, MAX_READERS) < 1)
		return;
	q = nodes[0]; /* a QuantizeLinear of M's result: its scale and zero point */
	qt = quantized_like(g, t, qy, g->t[y].dtype);
	d = ir_node_new(g, OP_QUANTIZE_LINEAR, arena_printf(&g->arena, "%s/q", g->n[p].name), 3, 1);
	memcpy(g->n[d].in, g->n[q].in, sizeof(int) * 3);
	g->n[d].nin = g->n[q].nin;
	g->n[d].in[0] = t;
	g->n[d].out[0] = qt;
	g->n[d].opset = g->n[q].opset;
	g->t[qt].producer = d;
	dt = ir_tensor_new(g, arena_printf(&g->arena, "%s.dq", g->t[t].name));
	q = ir_node_new(g, OP_DEQUANTIZE_LINEAR, arena_printf(&g->arena, "%s/dq", g->n[p].name), 3,
			1);
	g->n[q].in[0] = qt, g->n[q].in[1] = g->n[d].in[1], g->n[q].in[2] = g->n[d].in[2];
	g->n[q].nin = g->n[d].nin;
	g->n[q].out[0] = dt;
	g->n[q].opset = g->n[d].opset;
	g->t[dt].producer = q;
	ir_infer_node(g, q);
	g->n[m].in[0] = dt;
}

/* ---- 5. what is left of the QDQ pairs ---- */

/* QuantizeLinear(DequantizeLinear(x)): x itself, or x rescaled */
static void cancel(Graph *g, int node)
{
	int d = producer_is(g, g->n[node].in[0], OP_DEQUANTIZE_LINEAR), x, y = g->n[node].out[0];
	const Quant *qx;

	if (d < 0 || (x = activation(g, g->n[node].in[0], &qx)) < 0 ||
	    (g->t[y].dtype != DT_S8 && g->t[y].dtype != DT_S16) || g->t[y].quant.n != 1 ||
	    ir_is_const(g, x))
		return;
	g->n[node].dead = 1;
	g->t[y].producer = -1;
	if (g->t[y].dtype == g->t[x].dtype && ir_quant_same(qx, &g->t[y].quant))
		ir_replace_value(g, y, x);
	else if (g->t[y].dtype == g->t[x].dtype)
		requantize(g, node, x, y);
	else /* int8 to int16 or back (--a16w8 NODE) */
		ir_attr_set_int(g, requantize(g, node, x, y), "to", dt_onnx(g->t[y].dtype));
}

static void fold_dequantized(Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && g->n[i].op == OP_DEQUANTIZE_LINEAR &&
		    ir_is_const(g, g->n[i].in[0]))
			fold_node(g, i);
}

static int has_quantize(const Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && g->n[i].op == OP_QUANTIZE_LINEAR)
			return 1;
	return 0;
}

void pass_quant(Graph *g)
{
	int nn = g->nn;

	g->quantized = 1;
	if (passes_options()->qdq_float) {
		fold_dequantized(g);
		return;
	}
	for (int i = 0; i < nn; i++)
		if (!g->n[i].dead && (g->n[i].op == OP_QLINEAR_CONV || g->n[i].op == OP_QLINEAR_MATMUL))
			expand_qlinear(g, i);
	if (!has_quantize(g)) { /* a float model: nothing to do (and no quadratic scans) */
		fold_dequantized(g);
		return;
	}
	ir_toposort(g);
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].op == OP_QUANTIZE_LINEAR)
			to_s8_from(g, i);
		else if (g->n[i].op == OP_DEQUANTIZE_LINEAR)
			weights_to_s8(g, i);
	}
	for (int i = 0; i < g->nn; i++)
		record(g, i);
	for (int i = g->nn - 1; i >= 0; i--)
		if (!g->n[i].dead && g->n[i].op != OP_QUANTIZE_LINEAR)
			close_chain(g, i);
	ir_toposort(g);
	nn = g->nn;
	for (int i = 0; i < nn; i++) {
		OpKind op = g->n[i].op;
		if (!g->n[i].dead && op == OP_RESIZE && !g->n[i].keep_float &&
		    resize_direct(g, i) == 0)
			continue;
		if (g->n[i].dead || op == OP_QUANTIZE_LINEAR || op == OP_DEQUANTIZE_LINEAR ||
		    (op_info[op].flags & OPF_QUANT) || g->n[i].keep_float ||
		    (!reads_dequantized(g, i) && !(op_info[op].flags & OPF_ELEMENTWISE) &&
		     op != OP_AVERAGE_POOL && op != OP_GLOBAL_AVERAGE_POOL && op != OP_REDUCE_MEAN))
			continue;
		if ((touches_wide(g, i) ? convert_wide(g, i) : convert(g, i)) && verbose())
			ir_note(g, i, "stays float: its operands or its result are not quantized "
				"as an integer op needs");
	}
	take_wide = 1; /* QuantizeLinear(DequantizeLinear(x)) of int16 x too */
	for (int i = 0; i < nn; i++)
		if (!g->n[i].dead && g->n[i].op == OP_QUANTIZE_LINEAR)
			cancel(g, i);
	take_wide = 0;
	fold_dequantized(g);
	ir_toposort(g); /* the new nodes were appended: pass_dce walks a schedule */
	pass_dce(g);
}
