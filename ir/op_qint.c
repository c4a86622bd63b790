/* op_qint.c - the integer ops of a quantized graph (made by passes/quant.c from QDQ
   groups and QLinear ops): shapes and prepares. Every scale and zero point comes from the
   tensors' Tensor.quant; the requantization multipliers and shifts are computed here, at
   compile time (one packed word per channel for the convolutions), and the kernels
   (runtime-stub/o2m_q8*.c) use no floating point. */
#include "lower.h"

#include <string.h>

static const Quant *q_of(Graph *g, int node, int k, int out)
{
	return &g->t[out ? g->n[node].out[k] : g->n[node].in[k]].quant;
}

/* input/output k is int8 with one scale and zero point */
static int q_tensor(Graph *g, int node, int k, int out)
{
	const Tensor *t = out ? out_t(g, node, k) : in_t(g, node, k);

	if (t->dtype == DT_S8 && t->quant.n == 1)
		return 0;
	ir_error(g, node, "%s %d ('%s') must be int8 with one scale and zero point", out ?
		 "output" : "input", k, t->name);
	return -1;
}

static double qscale(Graph *g, int node, int k, int out) { return q_of(g, node, k, out)->scale[0]; }
static int32_t qzero(Graph *g, int node, int k, int out) { return q_of(g, node, k, out)->zero_point[0]; }

/* the clamp of the output in its integer range: act_min and act_max attributes */
static void q_clamp(Graph *g, int node, int32_t *lo, int32_t *hi)
{
	*lo = (int32_t)ir_attr_int(g, node, "act_min", -128);
	*hi = (int32_t)ir_attr_int(g, node, "act_max", 127);
}

/* one packed requantization word per output channel (o2m_q8.h): x_scale * w_scale[c] /
   y_scale */
static int channel_multipliers(Graph *g, int node, Lowered *L, int64_t channels, int *ri)
{
	const Quant *w = q_of(g, node, 1, 0);
	double sx = qscale(g, node, 0, 0), sy = qscale(g, node, 0, 1);
	int32_t *r = arena_alloc(&g->arena, sizeof *r * (size_t)channels);

	if (in_t(g, node, 1)->dtype != DT_S8 || (w->n != 1 && w->n != channels) ||
	    (has_in(g, node, 2) && in_t(g, node, 2)->dtype != DT_S32)) {
		ir_error(g, node, "needs int8 weights quantized per tensor or per output channel "
			 "and an int32 bias");
		return -1;
	}
	for (int64_t c = 0; c < channels; c++) {
		if (w->zero_point[w->n > 1 ? c : 0]) {
			ir_error(g, node, "weights must have zero point 0");
			return -1;
		}
		r[c] = ir_quant_pack(sx * w->scale[w->n > 1 ? c : 0] / sy);
	}
	*ri = lw_const(g, L, DT_S32, channels, r);
	return 0;
}

/* ---- QConv: X, W, B? as Conv, int8 with an int32 bias ---- */

int prep_q8conv(Graph *g, int node, Lowered *L)
{
	o2m_q8_conv_params *p = LW_PARAMS(g, o2m_q8_conv_params);
	const char *family;
	int ri, k, scr;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1) ||
	    lw_conv_geom(g, node, &p->conv, &family) ||
	    channel_multipliers(g, node, L, p->conv.c_out, &ri))
		return -1;
	p->input_offset = -qzero(g, node, 0, 0);
	p->output_offset = qzero(g, node, 0, 1);
	q_clamp(g, node, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	if (!strcmp(family, "conv_1x1") && p->conv.group > 1) /* the 1x1 kernel is group 1 */
		family = p->conv.group == p->conv.c_in ? "conv_dw" : "conv";
	k = lw_kernel(g, node, arena_printf(&g->arena, "q8_%s", family), DT_S8);
	if (k < 0)
		return -1;
	scr = lw_scratch(g, L, o2m_q8_conv_scratch_bytes(p, !strcmp(family, "conv_dw"),
							  !strcmp(family, "conv_1x1")));
	lw_call(g, L, k, PT_Q8_CONV, p, 6, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_SCR(scr), A_OUT(0));
	return 0;
}

/* ---- QFullyConnected: X [..., K], W [N, K], B? [N] -> Y [..., N] ---- */

int shape_q8fc(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *w = in_t(g, node, 1);
	int64_t dims[IR_MAX_RANK];

	if (x->rank < 1 || w->rank != 2 || x->dims[x->rank - 1] != w->dims[1] ||
	    (has_in(g, node, 2) && (in_t(g, node, 2)->rank != 1 ||
				    in_t(g, node, 2)->dims[0] != w->dims[0]))) {
		ir_error(g, node, "takes X [..., K], W [N, K] and B [N]");
		return -1;
	}
	memcpy(dims, x->dims, sizeof *dims * (size_t)x->rank);
	dims[x->rank - 1] = w->dims[0];
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

int prep_q8fc(Graph *g, int node, Lowered *L)
{
	o2m_q8_fc_params *p = LW_PARAMS(g, o2m_q8_fc_params);
	Tensor *x = in_t(g, node, 0), *w = in_t(g, node, 1);
	int ri, k;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1) ||
	    channel_multipliers(g, node, L, w->dims[0], &ri))
		return -1;
	p->in = lw_i32(g, node, w->dims[1]);
	p->out = lw_i32(g, node, w->dims[0]);
	p->batch = lw_i32(g, node, w->dims[1] ? ir_numel(x) / w->dims[1] : 0);
	p->input_offset = -qzero(g, node, 0, 0);
	p->output_offset = qzero(g, node, 0, 1);
	q_clamp(g, node, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q8_fc", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_FC, p, 5, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_OUT(0));
	return 0;
}

/* ---- QAdd, QMul: broadcasting, TFLite's int8 arithmetic ---- */

int prep_q8binary(Graph *g, int node, Lowered *L)
{
	o2m_q8_binary_params *p = LW_PARAMS(g, o2m_q8_binary_params);
	const Node *n = &g->n[node];
	double sa, sb, sy;
	int k;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 1, 0) || q_tensor(g, node, 0, 1))
		return -1;
	sa = qscale(g, node, 0, 0), sb = qscale(g, node, 1, 0), sy = qscale(g, node, 0, 1);
	lw_bcast(g, node, n->in, 2, &p->b);
	p->a_offset = -qzero(g, node, 0, 0);
	p->b_offset = -qzero(g, node, 1, 0);
	p->output_offset = qzero(g, node, 0, 1);
	q_clamp(g, node, &p->act_min, &p->act_max);
	if (n->op == OP_QADD) {
		double twice_max = 2 * (sa > sb ? sa : sb);
		p->left_shift = 20;
		ir_quant_multiplier(sa / twice_max, &p->a_mult, &p->a_shift);
		ir_quant_multiplier(sb / twice_max, &p->b_mult, &p->b_shift);
		ir_quant_multiplier(twice_max / ((double)(1 << 20) * sy), &p->out_mult,
				    &p->out_shift);
	} else {
		ir_quant_multiplier(sa * sb / sy, &p->out_mult, &p->out_shift);
	}
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	k = lw_kernel(g, node, n->op == OP_QADD ? "q8_add" : "q8_mul", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_BINARY, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* ---- QAveragePool, QGlobalAveragePool ---- */

int prep_q8pool(Graph *g, int node, Lowered *L)
{
	o2m_q8_pool_params *p = LW_PARAMS(g, o2m_q8_pool_params);
	Tensor *x = in_t(g, node, 0);
	int global = g->n[node].op == OP_QGLOBAL_AVERAGE_POOL, k;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1))
		return -1;
	if (global) {
		int64_t size = 1;
		for (int i = 2; i < x->rank; i++)
			size *= x->dims[i];
		p->pool.planes = lw_i32(g, node, x->dims[0] * x->dims[1]);
		p->pool.in_d = p->pool.in_h = p->pool.out_d = p->pool.out_h = p->pool.out_w = 1;
		p->pool.k_d = p->pool.k_h = 1;
		p->pool.in_w = p->pool.k_w = lw_i32(g, node, size);
		p->pool.stride_d = p->pool.stride_h = p->pool.stride_w = 1;
		p->pool.dil_d = p->pool.dil_h = p->pool.dil_w = 1;
	} else if (lw_pool_geom(g, node, &p->pool)) {
		return -1;
	}
	p->input_offset = -qzero(g, node, 0, 0);
	p->output_offset = qzero(g, node, 0, 1);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	q_clamp(g, node, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, global ? "q8_gavgpool" : "q8_avgpool", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_POOL, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* ---- QRequantize: X -> Y, another scale and zero point ---- */

int prep_q8requant(Graph *g, int node, Lowered *L)
{
	o2m_q8_requant_params *p = LW_PARAMS(g, o2m_q8_requant_params);
	int k;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1))
		return -1;
	p->count = lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	p->input_offset = -qzero(g, node, 0, 0);
	p->output_offset = qzero(g, node, 0, 1);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	q_clamp(g, node, &p->act_min, &p->act_max);
	if (!p->count || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q8_requant", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_REQUANT, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* ---- QLookup: X, T [256] -> Y = T[X + 128] ---- */

int shape_q8lut(Graph *g, int node)
{
	Tensor *t = in_t(g, node, 1);

	if (t->dtype != DT_S8 || ir_numel(t) != 256 || !ir_is_const(g, g->n[node].in[1])) {
		ir_error(g, node, "the table (input 1) must be 256 int8 constants");
		return -1;
	}
	set_out_like(g, node, 0, g->n[node].in[0]);
	return 0;
}

int prep_q8lut(Graph *g, int node, Lowered *L)
{
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	int k;

	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1))
		return -1;
	p->count = lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	if (!p->count || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q8_lut", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_UNARY, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}
