/* op_qint.c - the integer ops of a quantized graph (made by passes/quant.c from QDQ
   groups and QLinear ops): shapes and prepares. Every scale and zero point comes from the
   tensors' Tensor.quant; the requantization multipliers and shifts are computed here, at
   compile time (one packed word per channel for the convolutions), and the kernels
   (runtime-stub/o2m_q8*.c) use no floating point. */
#include "lower.h"

#include <math.h>
#include <string.h>

/* A QConv of a float input quantizes it as it reads it (rules_fuse.c quantize-into-qconv):
   the facts of that int8 input, which no tensor holds, are its in_scale and
   in_zero_point attributes */
static int q_float_in(Graph *g, int node)
{
	return g->n[node].op == OP_QCONV && in_t(g, node, 0)->dtype == DT_F32;
}

static const Quant *q_of(Graph *g, int node, int k, int out)
{
	if (!out && !k && q_float_in(g, node)) {
		Quant *q = arena_alloc(&g->arena, sizeof *q);
		q->n = 1;
		q->scale = arena_alloc(&g->arena, sizeof *q->scale);
		q->zero_point = arena_alloc(&g->arena, sizeof *q->zero_point);
		q->scale[0] = ir_attr_float(g, node, "in_scale", 0);
		q->zero_point[0] = (int32_t)ir_attr_int(g, node, "in_zero_point", 0);
		return q;
	}
	return &g->t[out ? g->n[node].out[k] : g->n[node].in[k]].quant;
}

/* input/output k is int8 with one scale and zero point */
static int q_tensor(Graph *g, int node, int k, int out)
{
	const Tensor *t = out ? out_t(g, node, k) : in_t(g, node, k);

	if ((t->dtype == DT_S8 && t->quant.n == 1) || (!out && !k && q_float_in(g, node)))
		return 0;
	ir_error(g, node, "%s %d ('%s') must be int8 with one scale and zero point", out ?
		 "output" : "input", k, t->name);
	return -1;
}

/* the same, or int16 (an intermediate of o2m_q8w.h) */
static int q_tensor_wide(Graph *g, int node, int k, int out)
{
	const Tensor *t = out ? out_t(g, node, k) : in_t(g, node, k);

	if (t->dtype == DT_S16 && t->quant.n == 1)
		return 0;
	return q_tensor(g, node, k, out);
}

static double qscale(Graph *g, int node, int k, int out) { return q_of(g, node, k, out)->scale[0]; }
static int32_t qzero(Graph *g, int node, int k, int out) { return q_of(g, node, k, out)->zero_point[0]; }

/* what every kernel takes of its output: the offset (the zero point) and the clamp in
   its integer range (act_min and act_max attributes, by default the type's range) */
static void q_out(Graph *g, int node, int32_t *off, int32_t *lo, int32_t *hi)
{
	DType t = out_t(g, node, 0)->dtype;

	*off = qzero(g, node, 0, 1);
	*lo = (int32_t)ir_attr_int(g, node, "act_min", ir_qmin(t));
	*hi = (int32_t)ir_attr_int(g, node, "act_max", ir_qmax(t));
}

/* A QConv with a residual (input 3; passes/rules_fuse.c residual-into-qconv) adds it to
   the convolution's output before writing: the convolution's own output, which no
   tensor holds, has its scale, zero point and clamp in the node's mid_* attributes. */
static int q_residual(Graph *g, int node)
{
	return g->n[node].op == OP_QCONV && has_in(g, node, 3);
}

/* the scale of what the kernel's requantization produces: the output's, or the
   convolution's before its residual Add */
static double q_conv_scale(Graph *g, int node)
{
	return q_residual(g, node) ? ir_attr_float(g, node, "mid_scale", 0)
				   : qscale(g, node, 0, 1);
}

/* one packed requantization word per output channel (o2m_q8.h): x_scale * w_scale[c] /
   y_scale, the weights' per-channel facts along axis */
static int channel_multipliers_axis(Graph *g, int node, Lowered *L, int64_t channels, int axis,
				    int *ri)
{
	const Quant *w = q_of(g, node, 1, 0);
	double sx = qscale(g, node, 0, 0), sy = q_conv_scale(g, node);
	int32_t *r = arena_alloc(&g->arena, sizeof *r * (size_t)channels);

	if (in_t(g, node, 1)->dtype != DT_S8 || (w->n != 1 && (w->n != channels || w->axis != axis)) ||
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

static int channel_multipliers(Graph *g, int node, Lowered *L, int64_t channels, int *ri)
{
	return channel_multipliers_axis(g, node, L, channels, 0, ri);
}

/* ---- QConv: X, W, B? as Conv, int8 with an int32 bias ---- */

/* the bias of the Helium kernels (o2m_q8_mve_bias) for channels filters of k weights w;
   -1 when it does not fit their bound (the caller takes another kernel) */
static int q8_mve_bias(Graph *g, int node, Lowered *L, const int8_t *w, int64_t channels,
		       int64_t k, int32_t input_offset)
{
	const int32_t *b = has_in(g, node, 2) ? in_t(g, node, 2)->data : NULL;
	int32_t *out = arena_alloc(&g->arena, sizeof *out * (size_t)channels);

	if ((has_in(g, node, 2) && !b) ||
	    !o2m_q8_mve_bias(w, b, channels, k, input_offset, out))
		return -1;
	return lw_const(g, L, DT_S32, channels, out);
}

/* a convolution on Helium's kernel (weights packed by o2m_q8_pack_mve, the input offset
   in the bias); -1 when it does not take it */
static int q8_conv_mve(Graph *g, int node, Lowered *L, o2m_q8_conv_params *p, int ri)
{
	const int8_t *w = in_t(g, node, 1)->data;
	int64_t cout = p->conv.c_out / p->conv.group, k = lw_conv_kt(&p->conv);
	int64_t count = o2m_q8_mve_count(p->conv.group, cout, k);
	int8_t *pk;
	int bi, kn;

	bi = q8_mve_bias(g, node, L, w, p->conv.c_out, k, p->input_offset);
	if (bi < 0)
		return -1;
	pk = arena_alloc(&g->arena, (size_t)count);
	o2m_q8_pack_mve(w, p->conv.group, cout, k, pk);
	kn = lw_kernel(g, node, "q8_conv_mve", DT_S8);
	if (kn < 0)
		return -1;
	lw_call(g, L, kn, PT_Q8_CONV, p, 6, A_IN(0), A_CST(lw_const(g, L, DT_S8, count, pk)),
		A_CST(bi), A_CST(ri), A_SCR(lw_scratch(g, L, o2m_q8_conv_mve_scratch_bytes(p))),
		A_OUT(0));
	return 0;
}

/* When the int8 kernels trade flash for speed (ir_int8_packed: a Cortex-M target, not
   --int8-layout compact, which the CLI also takes when the packed layouts do not fit the
   flash limit), the convolutions and fully connected layers read constant weights
   packed at compile time: int16 for the SMLAD assembly (o2m_q8_pack_conv_w16, _fc_w16;
   twice the flash), or on Helium int8 in blocks of 4 x 16 taps with the input offset in
   the bias (o2m_q8_pack_mve); and a large Add reads its inputs' rescales from a 2 KB
   table. */
static int q8_w16(Graph *g, int node)
{
	return ir_int8_packed(g) && ir_is_const(g, ir_in(g, node, 1)) && in_t(g, node, 1)->data;
}

/* the packed kernels' scratch fits --scratch-limit (above it: the portable kernels, which
   take no more) */
static int q8_fits(Graph *g, int64_t scratch)
{
	return g->scratch_limit < 0 || scratch <= g->scratch_limit;
}

/* the QConv's weights packed as int16 for the kernels of o2m_q8_conv_w16_s8: a prepared
   constant */
static int q8_w16_weights(Graph *g, int node, Lowered *L, const o2m_q8_conv_params *p)
{
	int64_t cout = p->conv.c_out / p->conv.group, kt = lw_conv_kt(&p->conv);
	int64_t count = o2m_q8_w16_conv_count(p->conv.group, cout, kt);
	int16_t *pk = arena_alloc(&g->arena, sizeof *pk * (size_t)count);

	o2m_q8_pack_conv_w16(in_t(g, node, 1)->data, p->conv.group, cout,
			     p->conv.c_in / p->conv.group,
			     (int64_t)p->conv.k_d * p->conv.k_h * p->conv.k_w, pk);
	return lw_const(g, L, DT_S16, count, pk);
}

/* the bias argument of the w16 kernels: with the input offset folded in and p->raw set
   (o2m_q8_conv_params.raw: raw columns, no offset added to each) when the columns go by
   pairs of channels and the sums fit o2m_q8_mve_bias's bound; else the node's own */
static Arg q8_w16_bias(Graph *g, int node, Lowered *L, o2m_q8_conv_params *p)
{
	const o2m_conv_params *c = &p->conv;
	int bi;

	p->raw = 0;
	if ((c->c_in / c->group) % 2 == 0 && p->input_offset &&
	    (bi = q8_mve_bias(g, node, L, in_t(g, node, 1)->data, c->c_out, lw_conv_kt(c),
			      p->input_offset)) >= 0) {
		p->raw = 1;
		return A_CST(bi);
	}
	return has_in(g, node, 2) ? A_IN(2) : A_NONE;
}

/* The convolution with its residual Add (TFLite's, the convolution's output as a, the
   residual as b): on the kernels of int16 weights at a Cortex-M target, else on the
   portable ones; written over the residual when it dies here. */
static int q8conv_residual(Graph *g, int node, Lowered *L, const o2m_q8_conv_params *p,
			   const char *family, int ri)
{
	o2m_q8_conv_res_params *rp = LW_PARAMS(g, o2m_q8_conv_res_params);
	o2m_q8_binary_params *a = &rp->add;
	const double sa = q_conv_scale(g, node), sb = qscale(g, node, 3, 0);
	const double sy = qscale(g, node, 0, 1), twice_max = 2 * (sa > sb ? sa : sb);
	int k;

	if (q_tensor(g, node, 3, 0) || !ir_same_shape(g, ir_in(g, node, 3), g->n[node].out[0]) ||
	    !strcmp(family, "conv_dw") || (q8_w16(g, node) && g->target->mve)) {
		ir_error(g, node, "has a residual its kernels do not take");
		return -1;
	}
	rp->conv = *p;
	a->b.rank = 1;
	a->b.count = a->b.dims[0] = (int32_t)ir_numel(out_t(g, node, 0));
	a->b.sa[0] = a->b.sb[0] = a->b.sc[0] = 1;
	a->a_offset = -(int32_t)ir_attr_int(g, node, "mid_zero_point", 0);
	a->b_offset = -qzero(g, node, 3, 0);
	q_out(g, node, &a->output_offset, &a->act_min, &a->act_max);
	a->left_shift = 20;
	ir_quant_multiplier(sa / twice_max, &a->a_mult, &a->a_shift);
	ir_quant_multiplier(sb / twice_max, &a->b_mult, &a->b_shift);
	ir_quant_multiplier(twice_max / ((double)(1 << 20) * sy), &a->out_mult, &a->out_shift);
	L->inplace = 3;
	L->grow = 0;
	if (q8_w16(g, node) && q8_fits(g, o2m_q8_conv_w16_res_scratch_bytes(rp))) {
		int32_t *t = arena_alloc(&g->arena, sizeof *t * 512);
		Arg b = q8_w16_bias(g, node, L, &rp->conv);
		o2m_q8_add_tables(a, t); /* the Add's input rescales, as q8_add_lut's */
		k = lw_kernel(g, node, "q8_conv_w16_res", DT_S8);
		if (k < 0)
			return -1;
		lw_call(g, L, k, PT_Q8_CONV_RES, rp, 8, A_IN(0),
			A_CST(q8_w16_weights(g, node, L, p)), b, A_CST(ri), A_CST(lw_const(g, L, DT_S32, 512, t)), A_IN(3),
			A_SCR(lw_scratch(g, L, o2m_q8_conv_w16_res_scratch_bytes(rp))), A_OUT(0));
		return 0;
	}
	k = lw_kernel(g, node, "q8_conv_res", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_CONV_RES, rp, 7, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_IN(3), A_SCR(lw_scratch(g, L, o2m_q8_conv_res_scratch_bytes(rp))),
		A_OUT(0));
	return 0;
}

/* The convolution of a float input, quantized as it is read (o2m_q8_conv_fq_s8): a
   2-D one without a residual; the input's scale must give a finite, positive float */
static int q8conv_float_in(Graph *g, int node, Lowered *L, const o2m_q8_conv_params *p, int ri)
{
	o2m_q8_conv_fq_params *fp = LW_PARAMS(g, o2m_q8_conv_fq_params);
	int k;

	fp->conv = *p;
	fp->in_scale = ir_attr_float(g, node, "in_scale", 0);
	fp->in_zero = (int32_t)ir_attr_int(g, node, "in_zero_point", 0);
	if (q_residual(g, node) || p->conv.k_d != 1 || p->conv.in_d != 1 ||
	    !(fp->in_scale > 0.0f) || !isfinite(fp->in_scale) || fp->in_zero < -128 ||
	    fp->in_zero > 127) {
		ir_error(g, node, "quantizes a float input its kernel does not take (a 2-D "
			 "convolution without a residual, a positive scale, an int8 zero point)");
		return -1;
	}
	k = lw_kernel(g, node, "q8_conv_fq", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_CONV_FQ, fp, 6, A_IN(0), A_IN(1),
		has_in(g, node, 2) ? A_IN(2) : A_NONE, A_CST(ri),
		A_SCR(lw_scratch(g, L, o2m_q8_conv_fq_scratch_bytes(fp))), A_OUT(0));
	return 0;
}

/* ---- int16 activations, int8 weights (a16w8; runtime-stub/o2m_q16.h) ---- */

/* input/output k is int16 with one scale and zero point */
static int q16_tensor(Graph *g, int node, int k, int out)
{
	const Tensor *t = out ? out_t(g, node, k) : in_t(g, node, k);

	if (t->dtype == DT_S16 && t->quant.n == 1)
		return 0;
	ir_error(g, node, "%s %d ('%s') must be int16 with one scale and zero point, as "
		 "input 0 is", out ? "output" : "input", k, t->name);
	return -1;
}

/* int8 weights (zero point 0, per tensor or per output channel along axis), an int64
   bias, and one packed word per channel: x_scale * w_scale[c] / y_scale, below 128 */
static int q16_channel_words_axis(Graph *g, int node, Lowered *L, int64_t channels, int axis,
				  int *ri)
{
	const Quant *w = q_of(g, node, 1, 0);
	double sx = qscale(g, node, 0, 0), sy = qscale(g, node, 0, 1);
	int32_t *r = arena_alloc(&g->arena, sizeof *r * (size_t)channels);

	if (in_t(g, node, 1)->dtype != DT_S8 || (w->n != 1 && (w->n != channels || w->axis != axis)) ||
	    (has_in(g, node, 2) && in_t(g, node, 2)->dtype != DT_S64)) {
		ir_error(g, node, "with int16 activations needs int8 weights quantized per tensor "
			 "or per output channel and an int64 bias");
		return -1;
	}
	for (int64_t c = 0; c < channels; c++) {
		double m = sx * w->scale[w->n > 1 ? c : 0] / sy;
		if (w->zero_point[w->n > 1 ? c : 0] || m >= 128) {
			ir_error(g, node, "weights must have zero point 0 and x_scale * w_scale / "
				 "y_scale stay below 128");
			return -1;
		}
		r[c] = ir_quant_pack(m);
	}
	*ri = lw_const(g, L, DT_S32, channels, r);
	return 0;
}

static int q16_channel_words(Graph *g, int node, Lowered *L, int64_t channels, int *ri)
{
	return q16_channel_words_axis(g, node, L, channels, 0, ri);
}

static int prep_q16conv(Graph *g, int node, Lowered *L)
{
	o2m_q8_conv_params *p = LW_PARAMS(g, o2m_q8_conv_params);
	const char *family;
	int ri, k;

	if (q16_tensor(g, node, 0, 1) || lw_conv_geom(g, node, &p->conv, &family) ||
	    q16_channel_words(g, node, L, p->conv.c_out, &ri))
		return -1;
	if (q_residual(g, node)) {
		ir_error(g, node, "has a residual its kernels do not take");
		return -1;
	}
	p->input_offset = -qzero(g, node, 0, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	k = lw_kernel(g, node, "q16_conv", DT_S16);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_CONV, p, 5, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_OUT(0));
	return 0;
}

static int prep_q16fc(Graph *g, int node, Lowered *L)
{
	o2m_q8_fc_params *p = LW_PARAMS(g, o2m_q8_fc_params);
	Tensor *x = in_t(g, node, 0), *w = in_t(g, node, 1);
	int ri, k;

	if (q16_tensor(g, node, 0, 1) || q16_channel_words(g, node, L, w->dims[0], &ri))
		return -1;
	p->in = lw_i32(g, node, w->dims[1]);
	p->out = lw_i32(g, node, w->dims[0]);
	p->batch = lw_i32(g, node, w->dims[1] ? ir_numel(x) / w->dims[1] : 0);
	p->input_offset = -qzero(g, node, 0, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q16_fc", DT_S16);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_FC, p, 5, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_OUT(0));
	return 0;
}

/* Add as TFLite's int16 Add (left shift 15; 14 with a non-zero zero point), Mul */
static int prep_q16binary(Graph *g, int node, Lowered *L)
{
	o2m_q8_binary_params *p = LW_PARAMS(g, o2m_q8_binary_params);
	const Node *n = &g->n[node];
	double sa, sb, sy;
	int k;

	if (q16_tensor(g, node, 1, 0) || q16_tensor(g, node, 0, 1))
		return -1;
	sa = qscale(g, node, 0, 0), sb = qscale(g, node, 1, 0), sy = qscale(g, node, 0, 1);
	lw_bcast(g, node, n->in, 2, &p->b);
	p->a_offset = -qzero(g, node, 0, 0);
	p->b_offset = -qzero(g, node, 1, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (n->op == OP_QADD) {
		double twice_max = 2 * (sa > sb ? sa : sb);
		p->left_shift = p->a_offset || p->b_offset ? 14 : 15;
		ir_quant_multiplier(sa / twice_max, &p->a_mult, &p->a_shift);
		ir_quant_multiplier(sb / twice_max, &p->b_mult, &p->b_shift);
		ir_quant_multiplier(twice_max / (ldexp(1, p->left_shift) * sy), &p->out_mult,
				    &p->out_shift);
	} else if (sa * sb / sy >= 128) {
		ir_error(g, node, "a_scale * b_scale / y_scale must stay below 128");
		return -1;
	} else {
		ir_quant_multiplier(sa * sb / sy, &p->out_mult, &p->out_shift);
	}
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	k = lw_kernel(g, node, n->op == OP_QADD ? "q16_add" : "q16_mul", DT_S16);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_BINARY, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* the int16 average of the pooling geometry p already holds */
static int prep_q16pool(Graph *g, int node, Lowered *L, o2m_q8_pool_params *p)
{
	int k;

	if (q16_tensor(g, node, 0, 1))
		return -1;
	if (qscale(g, node, 0, 0) / qscale(g, node, 0, 1) >= 128) {
		ir_error(g, node, "x_scale / y_scale must stay below 128");
		return -1;
	}
	p->input_offset = -qzero(g, node, 0, 0);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, g->n[node].op == OP_QGLOBAL_AVERAGE_POOL ? "q16_gavgpool"
									 : "q16_avgpool", DT_S16);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_POOL, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

int prep_q8conv(Graph *g, int node, Lowered *L)
{
	o2m_q8_conv_params *p = LW_PARAMS(g, o2m_q8_conv_params);
	const char *family;
	int ri, k, scr;

	if (in_t(g, node, 0)->dtype == DT_S16)
		return prep_q16conv(g, node, L);
	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1) ||
	    lw_conv_geom(g, node, &p->conv, &family) ||
	    channel_multipliers(g, node, L, p->conv.c_out, &ri))
		return -1;
	p->input_offset = -qzero(g, node, 0, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (q_residual(g, node)) { /* the convolution's own output, before the Add */
		p->output_offset = (int32_t)ir_attr_int(g, node, "mid_zero_point", 0);
		p->act_min = (int32_t)ir_attr_int(g, node, "mid_act_min", -128);
		p->act_max = (int32_t)ir_attr_int(g, node, "mid_act_max", 127);
	}
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	if (q_float_in(g, node))
		return q8conv_float_in(g, node, L, p, ri);
	if (!strcmp(family, "conv_1x1") && p->conv.group > 1) /* the 1x1 kernel is group 1 */
		family = p->conv.group == p->conv.c_in ? "conv_dw" : "conv";
	if (q_residual(g, node))
		return q8conv_residual(g, node, L, p, family, ri);
	/* every int8 convolution kernel copies the columns of the positions it computes, or
	   the plane of the channel, before writing them */
	lw_conv_inplace(L, &p->conv, family);
	if (strcmp(family, "conv_dw") && q8_w16(g, node) && g->target->mve &&
	    q8_fits(g, o2m_q8_conv_mve_scratch_bytes(p)) && !q8_conv_mve(g, node, L, p, ri))
		return 0;
	if (strcmp(family, "conv_dw") && q8_w16(g, node) &&
	    q8_fits(g, o2m_q8_conv_w16_scratch_bytes(p, !strcmp(family, "conv_1x1")))) {
		k = lw_kernel(g, node, "q8_conv_w16", DT_S8);
		if (k < 0)
			return -1;
		scr = lw_scratch(g, L, o2m_q8_conv_w16_scratch_bytes(p, !strcmp(family, "conv_1x1")));
		lw_call(g, L, k, PT_Q8_CONV, p, 6, A_IN(0), A_CST(q8_w16_weights(g, node, L, p)),
			q8_w16_bias(g, node, L, p), A_CST(ri),
			A_SCR(scr), A_OUT(0));
		return 0;
	}
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

	if (x->dtype == DT_S16)
		return prep_q16fc(g, node, L);
	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1) ||
	    channel_multipliers(g, node, L, w->dims[0], &ri))
		return -1;
	p->in = lw_i32(g, node, w->dims[1]);
	p->out = lw_i32(g, node, w->dims[0]);
	p->batch = lw_i32(g, node, w->dims[1] ? ir_numel(x) / w->dims[1] : 0);
	p->input_offset = -qzero(g, node, 0, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	if (q8_w16(g, node) && g->target->mve && q8_fits(g, o2m_q8_fc_mve_scratch_bytes(p))) {
		int bi = q8_mve_bias(g, node, L, w->data, p->out, p->in, p->input_offset);
		if (bi >= 0) {
			int64_t count = o2m_q8_mve_count(1, p->out, p->in);
			int8_t *pk = arena_alloc(&g->arena, (size_t)count);
			o2m_q8_pack_mve(w->data, 1, p->out, p->in, pk);
			k = lw_kernel(g, node, "q8_fc_mve", DT_S8);
			if (k < 0)
				return -1;
			lw_call(g, L, k, PT_Q8_FC, p, 6, A_IN(0),
				A_CST(lw_const(g, L, DT_S8, count, pk)), A_CST(bi), A_CST(ri),
				A_SCR(lw_scratch(g, L, o2m_q8_fc_mve_scratch_bytes(p))), A_OUT(0));
			return 0;
		}
	}
	if (q8_w16(g, node) && q8_fits(g, o2m_q8_fc_w16_scratch_bytes(p))) {
		int64_t count = o2m_q8_w16_fc_count(p->out, p->in);
		int16_t *pk = arena_alloc(&g->arena, sizeof *pk * (size_t)count);
		o2m_q8_pack_fc_w16(w->data, p->out, p->in, pk);
		k = lw_kernel(g, node, "q8_fc_w16", DT_S8);
		if (k < 0)
			return -1;
		lw_call(g, L, k, PT_Q8_FC, p, 6, A_IN(0), A_CST(lw_const(g, L, DT_S16, count, pk)),
			has_in(g, node, 2) ? A_IN(2) : A_NONE, A_CST(ri),
			A_SCR(lw_scratch(g, L, o2m_q8_fc_w16_scratch_bytes(p))), A_OUT(0));
		return 0;
	}
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

	if (in_t(g, node, 0)->dtype == DT_S16)
		return prep_q16binary(g, node, L);
	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 1, 0) || q_tensor(g, node, 0, 1))
		return -1;
	sa = qscale(g, node, 0, 0), sb = qscale(g, node, 1, 0), sy = qscale(g, node, 0, 1);
	lw_bcast(g, node, n->in, 2, &p->b);
	p->a_offset = -qzero(g, node, 0, 0);
	p->b_offset = -qzero(g, node, 1, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
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
	if (n->op == OP_QADD && ir_int8_packed(g) && ir_numel(out_t(g, node, 0)) >= 1024) {
		int32_t *t = arena_alloc(&g->arena, sizeof *t * 512);
		o2m_q8_add_tables(p, t); /* left_shift 20, shifts from ir_quant_multiplier */
		k = lw_kernel(g, node, "q8_add_lut", DT_S8);
		if (k < 0)
			return -1;
		lw_call(g, L, k, PT_Q8_BINARY, p, 4, A_IN(0), A_IN(1),
			A_CST(lw_const(g, L, DT_S32, 512, t)), A_OUT(0));
		return 0;
	}
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

	if (q_tensor_wide(g, node, 0, 0) ||
	    (out_t(g, node, 0)->dtype != DT_S16 && q_tensor(g, node, 0, 1)))
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
	if (out_t(g, node, 0)->dtype == DT_S16) /* int16 activations, not an intermediate */
		return prep_q16pool(g, node, L, p);
	p->input_offset = -qzero(g, node, 0, 0);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	if (x->dtype == DT_S16) { /* the input's scale: the output's / 2^shift, zero point 0 */
		double r = qscale(g, node, 0, 1) / qscale(g, node, 0, 0);
		int e = (int)lround(log2(r));
		if (ldexp(1, e) != r || e < 0 || e > 15 || qzero(g, node, 0, 0)) {
			ir_error(g, node, "an int16 input must have the output's scale / 2^k and "
				 "zero point 0");
			return -1;
		}
		p->input_offset = 0, p->mult = 0, p->shift = e;
	}
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, global ? "q8_gavgpool" : "q8_avgpool", x->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_POOL, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* ---- QRequantize: X -> Y, another scale and zero point ---- */

/* Y has X's shape, and its type: attribute `to` (an ONNX type number: int8 or int16,
   from int8 to int16 or back where an int16 layer meets int8 ones), else X's */
int shape_q8requant(Graph *g, int node)
{
	const Tensor *x = in_t(g, node, 0);
	int64_t to = ir_attr_int(g, node, "to", 0);
	DType dt = to ? dt_from_onnx((int)to) : x->dtype;

	if (dt != DT_S8 && dt != DT_S16) {
		ir_error(g, node, "converts to int8 or int16 only");
		return -1;
	}
	set_out(g, node, 0, dt, x->rank, x->dims);
	return 0;
}

int prep_q8requant(Graph *g, int node, Lowered *L)
{
	o2m_q8_requant_params *p = LW_PARAMS(g, o2m_q8_requant_params);
	const DType xt = in_t(g, node, 0)->dtype, yt = out_t(g, node, 0)->dtype;
	/* int8 or int16 in and out: the kernel by the pair */
	const char *family = xt == DT_S16 ? (yt == DT_S16 ? "q16_requant" : "q16_narrow")
					  : (yt == DT_S16 ? "q16_widen" : "q8_requant");
	int k;

	if ((xt == DT_S16 ? q16_tensor(g, node, 0, 0) : q_tensor(g, node, 0, 0)) ||
	    (yt == DT_S16 ? q16_tensor(g, node, 0, 1) : q_tensor(g, node, 0, 1)))
		return -1;
	p->count = lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	p->input_offset = -qzero(g, node, 0, 0);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!p->count || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, family, xt);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_REQUANT, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* ---- QLookup: X, T [256] -> Y = T[X + 128] ---- */

int shape_q8lut(Graph *g, int node)
{
	Tensor *t = in_t(g, node, 1);

	if (in_t(g, node, 0)->dtype == DT_S16) { /* int16 input: an interpolated table */
		if (t->dtype != DT_S32 || ir_numel(t) != 513 || !ir_is_const(g, g->n[node].in[1])) {
			ir_error(g, node, "the table (input 1) of an int16 input must be 513 int32 "
				 "constants");
			return -1;
		}
		set_out(g, node, 0, DT_S16, in_t(g, node, 0)->rank, in_t(g, node, 0)->dims);
		return 0;
	} else if ((t->dtype != DT_S8 && t->dtype != DT_S16) || ir_numel(t) != 256 ||
		   !ir_is_const(g, g->n[node].in[1])) {
		ir_error(g, node, "the table (input 1) must be 256 int8 or int16 constants");
		return -1;
	}
	set_out(g, node, 0, t->dtype, in_t(g, node, 0)->rank, in_t(g, node, 0)->dims);
	return 0;
}

int prep_q8lut(Graph *g, int node, Lowered *L)
{
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	const int wide = in_t(g, node, 0)->dtype == DT_S16;
	int k;

	if (wide ? q16_tensor(g, node, 0, 0) || q16_tensor(g, node, 0, 1)
		 : q_tensor(g, node, 0, 0) || q_tensor_wide(g, node, 0, 1))
		return -1;
	p->count = lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	if (!p->count || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, wide ? "q16_lut" : "q8_lut", out_t(g, node, 0)->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_UNARY, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* ---- QConvTranspose: X, W [C_in, C_out, k...], B? ---- */

int prep_q8conv_transpose(Graph *g, int node, Lowered *L)
{
	o2m_q8_conv_params *p = LW_PARAMS(g, o2m_q8_conv_params);
	const int wide = in_t(g, node, 0)->dtype == DT_S16;
	int ri, k;

	if ((wide ? q16_tensor(g, node, 0, 1) : q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1)) ||
	    lw_convt_geom(g, node, &p->conv))
		return -1;
	if (p->conv.group != 1) {
		ir_error(g, node, "an int8 ConvTranspose must have one group");
		return -1;
	}
	/* the per-channel facts of W are along its axis 1, the output channels */
	if (wide ? q16_channel_words_axis(g, node, L, p->conv.c_out, 1, &ri)
		 : channel_multipliers_axis(g, node, L, p->conv.c_out, 1, &ri))
		return -1;
	p->input_offset = -qzero(g, node, 0, 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	k = lw_kernel(g, node, wide ? "q16_conv_transpose" : "q8_conv_transpose",
		       wide ? DT_S16 : DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_CONV, p, 5, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_CST(ri), A_OUT(0));
	return 0;
}

/* ---- QMatMul: two int8 activations, numpy broadcasting ---- */

int prep_q8matmul(Graph *g, int node, Lowered *L)
{
	o2m_q8_matmul_params *p = LW_PARAMS(g, o2m_q8_matmul_params);
	const int wide = in_t(g, node, 0)->dtype == DT_S16;
	int k;

	if ((wide ? q16_tensor(g, node, 1, 0) || q16_tensor(g, node, 0, 1)
		  : q_tensor(g, node, 0, 0) || q_tensor(g, node, 1, 0) || q_tensor(g, node, 0, 1)) ||
	    lw_matmul_geom(g, node, &p->mm))
		return -1;
	p->a_offset = -qzero(g, node, 0, 0);
	p->b_offset = -qzero(g, node, 1, 0);
	ir_quant_multiplier(qscale(g, node, 0, 0) * qscale(g, node, 1, 0) / qscale(g, node, 0, 1),
			    &p->mult, &p->shift);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	if (wide && qscale(g, node, 0, 0) * qscale(g, node, 1, 0) / qscale(g, node, 0, 1) >= 128) {
		ir_error(g, node, "a_scale * b_scale / y_scale must stay below 128");
		return -1;
	}
	k = lw_kernel(g, node, wide ? "q16_matmul" : "q8_matmul", wide ? DT_S16 : DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_MATMUL, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* ---- QSoftmax: X -> Y along axis (opset < 13: the axes from axis on, flattened) ---- */

/* the softmax of int16 values (o2m_q16_softmax_s16): exp by 2^-x, a 257-entry table */
static int prep_q16softmax(Graph *g, int node, Lowered *L)
{
	o2m_q16_softmax_params *p = LW_PARAMS(g, o2m_q16_softmax_params);
	const Tensor *x = in_t(g, node, 0);
	int64_t axis = ir_attr_int(g, node, "axis", g->n[node].opset < 13 ? 1 : -1), outer = 1,
		n = 1, inner = 1;
	int32_t *tab = arena_alloc(&g->arena, sizeof(int32_t) * 257);
	double kq, inv;
	int k;

	if (q16_tensor(g, node, 0, 0) || q16_tensor(g, node, 0, 1))
		return -1;
	if (axis < 0)
		axis += x->rank;
	if (axis < 0 || axis >= (x->rank ? x->rank : 1)) {
		ir_error(g, node, "axis %lld is out of range", (long long)axis);
		return -1;
	}
	for (int i = 0; i < x->rank; i++)
		*(i < axis ? &outer : i == axis || g->n[node].opset < 13 ? &n : &inner) *= x->dims[i];
	for (int i = 0; i <= 256; i++) /* 2^(-i/256) in Q30 */
		tab[i] = (int32_t)lround(ldexp(exp2(-i / 256.0), 30));
	kq = ldexp(qscale(g, node, 0, 0) / log(2.0), 30);
	inv = ldexp(1.0 / qscale(g, node, 0, 1), 8);
	if (!(kq < INT32_MAX) || !(inv >= 1 && inv <= 1 << 24)) {
		ir_error(g, node, "the input scale %g or the output scale %g is out of the int16 "
			 "Softmax's range", qscale(g, node, 0, 0), qscale(g, node, 0, 1));
		return -1;
	}
	p->outer = lw_i32(g, node, outer);
	p->n = lw_i32(g, node, n);
	p->inner = lw_i32(g, node, inner);
	p->exp_k = (int32_t)lround(kq);
	p->inv_scale_q8 = (int32_t)lround(inv);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q16_softmax", DT_S16);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q16_SOFTMAX, p, 3, A_IN(0), A_CST(lw_const(g, L, DT_S32, 257, tab)),
		A_OUT(0));
	return 0;
}

int prep_q8softmax(Graph *g, int node, Lowered *L)
{
	o2m_q8_softmax_params *p = LW_PARAMS(g, o2m_q8_softmax_params);
	const Tensor *x = in_t(g, node, 0);
	int64_t axis = ir_attr_int(g, node, "axis", g->n[node].opset < 13 ? 1 : -1), outer = 1,
		n = 1, inner = 1;
	int32_t *tab = arena_alloc(&g->arena, sizeof(int32_t) * 256);
	double sx, inv;
	int k;

	if (x->dtype == DT_S16)
		return prep_q16softmax(g, node, L);
	if (q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1))
		return -1;
	if (axis < 0)
		axis += x->rank;
	if (axis < 0 || axis >= (x->rank ? x->rank : 1)) {
		ir_error(g, node, "axis %lld is out of range", (long long)axis);
		return -1;
	}
	for (int i = 0; i < x->rank; i++)
		*(i < axis ? &outer : i == axis || g->n[node].opset < 13 ? &n : &inner) *= x->dims[i];
	sx = qscale(g, node, 0, 0);
	for (int d = 0; d < 256; d++) /* exp(-d x_scale) in Q20, d the distance to the max */
		tab[d] = (int32_t)lround(ldexp(exp(-d * sx), 20));
	inv = ldexp(1.0 / qscale(g, node, 0, 1), 16);
	if (!(inv >= 1 && inv <= INT32_MAX)) {
		ir_error(g, node, "the output scale %g is out of the int8 Softmax's range",
			 qscale(g, node, 0, 1));
		return -1;
	}
	p->outer = lw_i32(g, node, outer);
	p->n = lw_i32(g, node, n);
	p->inner = lw_i32(g, node, inner);
	p->inv_scale_q16 = (int32_t)lround(inv);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, "q8_softmax", DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_SOFTMAX, p, 3, A_IN(0), A_CST(lw_const(g, L, DT_S32, 256, tab)),
		A_OUT(0));
	return 0;
}

/* ---- QLayerNormalization: X, gamma (int16, 2^gamma_shift / y_scale), beta? (int32,
   2^16 / y_scale) over the axes from axis on ---- */

/* int8 in, int8 out (int16 with the wide attribute: an intermediate, o2m_q8w.h) */
int shape_q8layer_norm(Graph *g, int node)
{
	const Tensor *x = in_t(g, node, 0);

	set_out(g, node, 0, ir_attr_int(g, node, "wide", 0) ? DT_S16 : x->dtype, x->rank, x->dims);
	return 0;
}

int prep_q8layer_norm(Graph *g, int node, Lowered *L)
{
	o2m_q8_norm_params *p = LW_PARAMS(g, o2m_q8_norm_params);
	const Tensor *x = in_t(g, node, 0);
	int64_t axis = ir_attr_int(g, node, "axis", -1), outer = 1, n = 1;
	double sx, eps = ir_attr_float(g, node, "epsilon", 1e-5f), e;
	const int wide = x->dtype == DT_S16; /* int16 activations (a16w8) */
	int k;

	if (wide ? q16_tensor(g, node, 0, 0) || q16_tensor(g, node, 0, 1)
		 : q_tensor(g, node, 0, 0) || q_tensor_wide(g, node, 0, 1))
		return -1;
	if (axis < 0)
		axis += x->rank;
	for (int i = 0; i < x->rank; i++)
		*(i < axis ? &outer : &n) *= x->dims[i];
	if (axis < 0 || axis >= x->rank || ir_numel(in_t(g, node, 1)) != n ||
	    in_t(g, node, 1)->dtype != DT_S16 ||
	    (has_in(g, node, 2) && (ir_numel(in_t(g, node, 2)) != n ||
				    in_t(g, node, 2)->dtype != DT_S32))) {
		ir_error(g, node, "needs an axis in range, int16 gamma and int32 beta of %lld values",
			 (long long)n);
		return -1;
	}
	sx = qscale(g, node, 0, 0);
	e = rint(ldexp(eps / (sx * sx), 16));
	p->outer = lw_i32(g, node, outer);
	p->n = lw_i32(g, node, n);
	p->input_offset = -qzero(g, node, 0, 0);
	p->eps_q16 = (int32_t)(e < 1 ? 1 : e > INT32_MAX ? INT32_MAX : e); /* > refused below */
	p->gamma_shift = (int32_t)ir_attr_int(g, node, "gamma_shift", 0);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(out_t(g, node, 0)) || g->nerrors)
		return g->nerrors ? -1 : 0;
	if (n > (wide ? 4096 : 65535) || e > INT32_MAX) { /* the kernels' (passes/quant.c
							      leaves such a norm float) */
		ir_error(g, node, "an %s LayerNormalization takes at most %d values and "
			 "epsilon / x_scale^2 below 2^15", wide ? "int16" : "int8",
			 wide ? 4096 : 65535);
		return -1;
	}
	k = lw_kernel(g, node, wide ? "q16_layer_norm" : "q8_layer_norm", out_t(g, node, 0)->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_NORM, p, 4, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_OUT(0));
	return 0;
}

/* ---- QResize: bilinear over the last two axes of X [N, C, H, W] ---- */

/* Q15 pairs (two per output position) from a linear Resize's taps along one axis */
static int resize_table(Graph *g, int node, int axis, int32_t *idx, int16_t *w, int64_t out)
{
	const int32_t *ti;
	const double *tw;
	int taps;

	if (ir_resize_taps(g, node, axis, &taps, &ti, &tw) || taps > 2)
		return -1;
	for (int64_t j = 0; j < out; j++) {
		int32_t i0 = ti[j * taps], i1 = taps > 1 ? ti[j * taps + 1] : i0;
		long w0 = lround(32768 * tw[j * taps]);
		if (taps == 1 || w0 >= 32768 || w0 <= 0) { /* one source: half on each */
			int32_t at = taps == 1 || w0 >= 32768 ? i0 : i1;
			idx[2 * j] = idx[2 * j + 1] = at;
			w[2 * j] = w[2 * j + 1] = 16384;
			continue;
		}
		idx[2 * j] = i0, idx[2 * j + 1] = i1;
		w[2 * j] = (int16_t)w0, w[2 * j + 1] = (int16_t)(32768 - w0);
	}
	return 0;
}

int prep_q8resize(Graph *g, int node, Lowered *L)
{
	o2m_q8_resize_params *p = LW_PARAMS(g, o2m_q8_resize_params);
	const Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	const int wide = x->dtype == DT_S16;
	int32_t *ih, *iw;
	int16_t *wh, *ww;
	int k;

	if (wide ? q16_tensor(g, node, 0, 0) || q16_tensor(g, node, 0, 1)
		 : q_tensor(g, node, 0, 0) || q_tensor(g, node, 0, 1))
		return -1;
	if (x->rank != 4 || y->dims[0] != x->dims[0] || y->dims[1] != x->dims[1]) {
		ir_error(g, node, "an int8 Resize scales the last two axes of [N, C, H, W]");
		return -1;
	}
	ih = arena_alloc(&g->arena, sizeof *ih * (size_t)(2 * y->dims[2] + 1));
	iw = arena_alloc(&g->arena, sizeof *iw * (size_t)(2 * y->dims[3] + 1));
	wh = arena_alloc(&g->arena, sizeof *wh * (size_t)(2 * y->dims[2] + 1));
	ww = arena_alloc(&g->arena, sizeof *ww * (size_t)(2 * y->dims[3] + 1));
	if (resize_table(g, node, 2, ih, wh, y->dims[2]) ||
	    resize_table(g, node, 3, iw, ww, y->dims[3])) {
		ir_error(g, node, "an int8 Resize is linear, without antialias or crop, with at most "
			 "two taps");
		return -1;
	}
	p->planes = lw_i32(g, node, x->dims[0] * x->dims[1]);
	p->in_h = lw_i32(g, node, x->dims[2]), p->in_w = lw_i32(g, node, x->dims[3]);
	p->out_h = lw_i32(g, node, y->dims[2]), p->out_w = lw_i32(g, node, y->dims[3]);
	p->input_offset = -qzero(g, node, 0, 0);
	ir_quant_multiplier(qscale(g, node, 0, 0) / qscale(g, node, 0, 1), &p->mult, &p->shift);
	q_out(g, node, &p->output_offset, &p->act_min, &p->act_max);
	if (!ir_numel(y) || g->nerrors)
		return g->nerrors ? -1 : 0;
	k = lw_kernel(g, node, wide ? "q16_resize" : "q8_resize", wide ? DT_S16 : DT_S8);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_Q8_RESIZE, p, 6, A_IN(0),
		A_CST(lw_const(g, L, DT_S32, 2 * y->dims[2], ih)),
		A_CST(lw_const(g, L, DT_S16, 2 * y->dims[2], wh)),
		A_CST(lw_const(g, L, DT_S32, 2 * y->dims[3], iw)),
		A_CST(lw_const(g, L, DT_S16, 2 * y->dims[3], ww)), A_OUT(0));
	return 0;
}
