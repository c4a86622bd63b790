/* op_quant.c - shape functions and prepares of the quantization ops: QuantizeLinear and
   DequantizeLinear (per tensor, per axis, blocked), DynamicQuantizeLinear, ConvInteger and
   MatMulInteger (int32 out), QLinearConv and QLinearMatMul (requantized). Their scales
   become one float multiplier array: a constant when the scales are known at compile
   time, otherwise a kernel call computes it at run time. */
#include "lower.h"

#include <float.h>
#include <string.h>

/* ---- helpers ---- */

static int is_q8(DType t) { return t == DT_U8 || t == DT_S8; }
static int is_half(DType t) { return t == DT_F16 || t == DT_BF16; }

static int is_scale(DType t) { return t == DT_F32 || is_half(t); }

static int64_t prod(const int64_t *d, int from, int to)
{
	int64_t n = 1;
	for (int i = from; i < to; i++)
		n *= d[i];
	return n;
}

/* a zero point must have its operand's element type */
static int check_zero_point(Graph *g, int node, int k, DType of)
{
	if (has_in(g, node, k) && in_t(g, node, k)->dtype != of) {
		ir_error(g, node, "zero point '%s' is %s, its operand %s", in_t(g, node, k)->name,
			 dt_name(in_t(g, node, k)->dtype), dt_name(of));
		return -1;
	}
	return 0;
}

/* a kernel o2m_<family>_<suffixes> picked by element types */
static int kernel_by_name(Graph *g, int node, const char *name)
{
	int k = kernel_lookup(name);
	if (k < 0)
		ir_error(g, node, "these element types are not supported (no kernel %s)", name);
	return k;
}

/* ---- QuantizeLinear, DequantizeLinear ---- */

/* the granularity of scale input 1 against x: per tensor (one value), per axis (a vector
   along `axis`) or blocked (x's rank, `block_size` elements per scale along `axis`) */
static int qaxis(Graph *g, int node, o2m_qaxis_params *p)
{
	Tensor *x = in_t(g, node, 0), *s = in_t(g, node, 1);
	int64_t bs = ir_attr_int(g, node, "block_size", 0), len, inner;
	int axis;

	memset(p, 0, sizeof *p);
	p->block = 1;
	if (has_in(g, node, 2) && ir_numel(in_t(g, node, 2)) != ir_numel(s)) {
		ir_error(g, node, "zero point and scale differ in shape");
		return -1;
	}
	if (ir_numel(s) == 1) {
		p->outer = p->len = 1;
		p->inner = lw_i32(g, node, ir_numel(x));
		return 0;
	}
	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 1), x->rank, &axis))
		return -1;
	len = x->dims[axis];
	inner = prod(x->dims, axis + 1, x->rank);
	p->outer = lw_i32(g, node, prod(x->dims, 0, axis));
	p->len = lw_i32(g, node, len);
	p->inner = lw_i32(g, node, inner);
	if (bs <= 0) {
		p->s_block = 1;
		if (s->rank == 1 && s->dims[0] == len)
			return 0;
		ir_error(g, node, "a per-axis scale needs %lld values (axis %d of x)", (long long)len,
			 axis);
		return -1;
	}
	for (int i = 0; i < x->rank && s->rank == x->rank; i++) {
		if (s->dims[i] != (i == axis ? (len + bs - 1) / bs : x->dims[i])) {
			ir_error(g, node, "blocked scale: dimension %d is %lld", i,
				 (long long)s->dims[i]);
			return -1;
		}
	}
	if (s->rank != x->rank) {
		ir_error(g, node, "a blocked scale needs the rank of x (%d)", x->rank);
		return -1;
	}
	p->block = lw_i32(g, node, bs);
	p->s_outer = lw_i32(g, node, s->dims[axis] * inner);
	p->s_block = lw_i32(g, node, inner);
	p->s_inner = 1;
	return 0;
}

static int is_quant_type(DType t)
{
	return is_q8(t) || t == DT_U16 || t == DT_S16 || (dt_bits(t) && dt_is_int(t));
}

/* Float8 operands are widened to float32 (passes/fold.c), the float8 rounding of a
   QuantizeLinear becoming a cast after it: a float8 type marks the node, which is then
   inferred again with float32 in its place. Whether t is a float8 type or stands for one. */
static int is_f8_operand(Graph *g, int node, DType t)
{
	if (dt_is_f8(t)) {
		ir_attr_set_int(g, node, "float8", 1);
		return 1;
	}
	return t == DT_F32 && ir_attr_int(g, node, "float8", 0);
}

int shape_quantize(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *s = in_t(g, node, 1);
	DType dt = has_in(g, node, 2) ? in_t(g, node, 2)->dtype
				      : dt_from_onnx((int)ir_attr_int(g, node, "output_dtype", 2));
	o2m_qaxis_params p;

	if (!is_quant_type(dt) && !is_f8_operand(g, node, dt)) {
		ir_error(g, node, "quantizing to %s is not supported", dt_name(dt));
		return -1;
	}
	if (dt_is_f8(dt)) /* the widened output, when no zero point gives the type */
		ir_attr_set_int(g, node, "output_dtype", dt_onnx(DT_F32));
	if (!is_scale(s->dtype)) {
		ir_error(g, node, "scale must be a float type, not %s", dt_name(s->dtype));
		return -1;
	}
	if (qaxis(g, node, &p))
		return -1;
	/* x / scale is computed in the scale's precision (numpy's, when x differs): decide
	   now, before float16 operands are widened to float32 (passes/fold.c) */
	if (!ir_attr(g, node, "precision"))
		ir_attr_set_int(g, node, "precision",
				dt_onnx(is_half(s->dtype) && x->dtype == s->dtype ? s->dtype : DT_F32));
	set_out(g, node, 0, dt, x->rank, x->dims);
	return 0;
}

int prep_quantize(Graph *g, int node, Lowered *L)
{
	DType xt = in_t(g, node, 0)->dtype, yt = out_t(g, node, 0)->dtype;
	DType prec = dt_from_onnx((int)ir_attr_int(g, node, "precision", 1));
	o2m_qaxis_params *p = LW_PARAMS(g, o2m_qaxis_params);
	char name[64];
	int k;

	snprintf(name, sizeof name, "o2m_quantize_%s_%s", dt_suffix(xt), dt_suffix(yt));
	k = kernel_by_name(g, node, name);
	if (k < 0 || qaxis(g, node, p))
		return -1;
	if (in_t(g, node, 1)->dtype != DT_F32) {
		ir_error(g, node, "scale type %s is not supported", dt_name(in_t(g, node, 1)->dtype));
		return -1;
	}
	p->half = prec == DT_F16 ? 1 : prec == DT_BF16 ? 2 : 0;
	lw_call(g, L, k, PT_QAXIS, p, 4, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_OUT(0));
	return 0;
}

int shape_dequantize(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *s = in_t(g, node, 1);
	DType dt = ir_attr(g, node, "output_dtype")
			   ? dt_from_onnx((int)ir_attr_int(g, node, "output_dtype", 1)) : s->dtype;
	o2m_qaxis_params p;

	if (!is_quant_type(x->dtype) && x->dtype != DT_S32 && !is_f8_operand(g, node, x->dtype)) {
		ir_error(g, node, "dequantizing %s is not supported", dt_name(x->dtype));
		return -1;
	}
	if (!is_scale(s->dtype) || !is_scale(dt)) {
		ir_error(g, node, "scale %s and output %s must be float types", dt_name(s->dtype),
			 dt_name(dt));
		return -1;
	}
	if (check_zero_point(g, node, 2, x->dtype) || qaxis(g, node, &p))
		return -1;
	/* the kernel computes float32 and a float16 output is widened (passes/fold.c):
	   the inference after widening must give float32 */
	if (is_half(dt))
		ir_attr_set_int(g, node, "output_dtype", dt_onnx(DT_F32));
	set_out(g, node, 0, dt, x->rank, x->dims);
	return 0;
}

int prep_dequantize(Graph *g, int node, Lowered *L)
{
	o2m_qaxis_params *p = LW_PARAMS(g, o2m_qaxis_params);
	int k = lw_kernel(g, node, op_info[OP_DEQUANTIZE_LINEAR].kernel, in_t(g, node, 0)->dtype);

	if (k < 0 || qaxis(g, node, p))
		return -1;
	if (in_t(g, node, 1)->dtype != DT_F32 || out_t(g, node, 0)->dtype != DT_F32) {
		ir_error(g, node, "scale and output must be float32 here");
		return -1;
	}
	lw_call(g, L, k, PT_QAXIS, p, 4, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_OUT(0));
	return 0;
}

/* ---- DynamicQuantizeLinear ---- */

int shape_dynquant(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);

	if (x->dtype != DT_F32 && !is_half(x->dtype)) {
		ir_error(g, node, "x must be float, not %s", dt_name(x->dtype));
		return -1;
	}
	set_out(g, node, 0, DT_U8, x->rank, x->dims);
	set_out(g, node, 1, x->dtype, 0, NULL);
	set_out(g, node, 2, DT_U8, 0, NULL);
	return 0;
}

/* output k, or a scratch buffer when the model leaves it unnamed */
static Arg out_or_scratch(Graph *g, int node, Lowered *L, int k, int64_t bytes)
{
	return k < g->n[node].nout && g->n[node].out[k] >= 0 ? A_OUT(k)
							      : A_SCR(lw_scratch(g, L, bytes));
}

int prep_dynquant(Graph *g, int node, Lowered *L)
{
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	int k = kernel_by_name(g, node, "o2m_dynquant_f32_u8");

	if (k < 0)
		return -1;
	p->count = lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	lw_call(g, L, k, PT_UNARY, p, 4, A_IN(0), A_OUT(0), out_or_scratch(g, node, L, 1, 4),
		out_or_scratch(g, node, L, 2, 1));
	return 0;
}

/* ---- integer products: the parameters convolutions and matrix products share ---- */

/* the range of an 8-bit output */
static int32_t qmin(DType t) { return t == DT_S8 ? -128 : 0; }
static int32_t qmax(DType t) { return t == DT_S8 ? 127 : 255; }

/* input k, or nothing when it is absent or a constant of zeros (a zero point of 0) */
static Arg zero_point_arg(Graph *g, int node, int k)
{
	Tensor *z;

	if (!has_in(g, node, k))
		return A_NONE;
	z = in_t(g, node, k);
	if (!ir_is_const(g, ir_in(g, node, k)))
		return A_IN(k);
	for (int64_t i = 0; i < ir_numel(z); i++)
		if (dt_get_i64(z->dtype, z->data, i))
			return A_IN(k);
	return A_NONE;
}

/* inputs that must hold one value (per-tensor scales and zero points) */
static int check_scalar(Graph *g, int node, int k)
{
	if (has_in(g, node, k) && ir_numel(in_t(g, node, k)) != 1) {
		ir_error(g, node, "'%s' must be a single value (per tensor)", in_t(g, node, k)->name);
		return -1;
	}
	return 0;
}

/* the requantization multipliers a * b / c of scale inputs ks over shape `out`, the
   scales' shapes sh broadcasting against it */
static Arg multiplier(Graph *g, int node, Lowered *L, const int *ks, const Shape *sh,
		      const Shape *out)
{
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int64_t n = prod(out->dims, 0, out->rank);
	int known = 1;
	float *m;

	for (int i = 0; i < 3; i++) {
		if (in_t(g, node, ks[i])->dtype != DT_F32) {
			ir_error(g, node, "scale '%s' is %s; float32 expected",
				 in_t(g, node, ks[i])->name, dt_name(in_t(g, node, ks[i])->dtype));
			return A_NONE;
		}
		known &= ir_is_const(g, ir_in(g, node, ks[i]));
	}
	lw_bcast_shapes(g, node, sh, 3, out, p);
	if (!known) {
		int s = lw_scratch(g, L, n * 4);
		lw_call(g, L, kernel_lookup("o2m_qscale_f32"), PT_BCAST, p, 4, A_IN(ks[0]),
			A_IN(ks[1]), A_IN(ks[2]), A_SCR(s));
		return A_SCR(s);
	}
	m = arena_alloc(&g->arena, (size_t)n * sizeof *m);
	o2m_qscale_f32(p, in_t(g, node, ks[0])->data, in_t(g, node, ks[1])->data,
		       in_t(g, node, ks[2])->data, m);
	return A_CST(lw_const(g, L, DT_F32, n, m));
}

/* ---- ConvInteger, QLinearConv ---- */

/* attribute `name` with one value per spatial dim (count s), or def */
static int spatial_attr(Graph *g, int node, const char *name, int s, int64_t def, int64_t *v)
{
	int n = ir_attr_ints(g, node, name, v, s);

	if (n < 0) {
		for (int i = 0; i < s; i++)
			v[i] = def;
		return 0;
	}
	if (n != s) {
		ir_error(g, node, "%s has %d values for %d spatial dims", name, n, s);
		return -1;
	}
	for (int i = 0; i < s; i++)
		if (v[i] < def || v[i] > INT32_MAX) { /* bounded: window sizes multiply them */
			ir_error(g, node, "%s must be at least %lld and at most %d", name,
				 (long long)def, INT32_MAX);
			return -1;
		}
	return 0;
}

/* output size and leading pad of one spatial dim; pads holds [begin, end] */
static int conv_dim(Graph *g, int node, const char *ap, int64_t in, int64_t k, int64_t st,
		    int64_t dil, int64_t *pads, int64_t *out)
{
	int64_t eff = (k - 1) * dil + 1;

	if (!strcmp(ap, "SAME_UPPER") || !strcmp(ap, "SAME_LOWER")) {
		int64_t total;
		*out = (in + st - 1) / st;
		total = (*out - 1) * st + eff - in;
		total = total < 0 ? 0 : total;
		pads[0] = !strcmp(ap, "SAME_UPPER") ? total / 2 : total - total / 2;
		return 0;
	}
	if (!strcmp(ap, "VALID"))
		pads[0] = pads[1] = 0;
	else if (strcmp(ap, "NOTSET")) {
		ir_error(g, node, "auto_pad '%s' is not supported", ap);
		return -1;
	}
	if (in + pads[0] + pads[1] < eff) {
		ir_error(g, node, "the kernel (%lld with dilation) exceeds the padded input (%lld)",
			 (long long)eff, (long long)(in + pads[0] + pads[1]));
		return -1;
	}
	*out = (in + pads[0] + pads[1] - eff) / st + 1;
	return 0;
}

/* fills the geometry of a convolution of x (input xi) by w (input wi) and y's dims */
static int conv_geom(Graph *g, int node, int xi, int wi, o2m_conv_params *p, int64_t *ydims)
{
	Tensor *x = in_t(g, node, xi), *w = in_t(g, node, wi);
	int s = x->rank - 2;
	int64_t group = ir_attr_int(g, node, "group", 1), ks[3], st[3], dil[3], pads[6], out[3];
	const char *ap = ir_attr_str(g, node, "auto_pad", "NOTSET");
	int32_t *in_p = &p->in_d, *out_p = &p->out_d, *k_p = &p->k_d, *st_p = &p->stride_d;
	int32_t *dil_p = &p->dil_d, *pad_p = &p->pad_d;

	if (s < 1 || s > 3 || w->rank != x->rank) {
		ir_error(g, node, "x and w must have the same rank, 3 to 5");
		return -1;
	}
	if (group < 1 || group > INT32_MAX || x->dims[1] != w->dims[1] * group ||
	    w->dims[0] % group) {
		ir_error(g, node, "channels do not match: x has %lld, w %lld x group %lld",
			 (long long)x->dims[1], (long long)w->dims[1], (long long)group);
		return -1;
	}
	if (spatial_attr(g, node, "kernel_shape", s, 0, ks) ||
	    spatial_attr(g, node, "strides", s, 1, st) ||
	    spatial_attr(g, node, "dilations", s, 1, dil))
		return -1;
	memset(pads, 0, sizeof pads);
	if (ir_attr(g, node, "pads") && ir_attr_ints(g, node, "pads", pads, 6) != 2 * s) {
		ir_error(g, node, "pads needs %d values", 2 * s);
		return -1;
	}
	for (int i = 0; i < 2 * s; i++)
		if (pads[i] < 0 || pads[i] > INT32_MAX) {
			ir_error(g, node, "pads must be at least 0 and at most %d", INT32_MAX);
			return -1;
		}
	memset(p, 0, sizeof *p);
	p->n = lw_i32(g, node, x->dims[0]);
	p->c_in = lw_i32(g, node, x->dims[1]);
	p->c_out = lw_i32(g, node, w->dims[0]);
	p->group = (int32_t)group;
	for (int i = 0; i < 3; i++) /* 1-D and 2-D leave the leading dims at 1 */
		in_p[i] = out_p[i] = k_p[i] = st_p[i] = dil_p[i] = 1;
	ydims[0] = x->dims[0];
	ydims[1] = w->dims[0];
	for (int i = 0, j = 3 - s; i < s; i++, j++) {
		int64_t pp[2] = {pads[i], pads[s + i]};
		if (ir_attr(g, node, "kernel_shape") && ks[i] != w->dims[2 + i]) {
			ir_error(g, node, "kernel_shape disagrees with w");
			return -1;
		}
		if (st[i] < 1 || dil[i] < 1 ||
		    conv_dim(g, node, ap, x->dims[2 + i], w->dims[2 + i], st[i], dil[i], pp, &out[i]))
			return -1;
		ydims[2 + i] = out[i];
		in_p[j] = lw_i32(g, node, x->dims[2 + i]);
		out_p[j] = lw_i32(g, node, out[i]);
		k_p[j] = lw_i32(g, node, w->dims[2 + i]);
		st_p[j] = lw_i32(g, node, st[i]);
		dil_p[j] = lw_i32(g, node, dil[i]);
		pad_p[j] = lw_i32(g, node, pp[0]);
	}
	return 0;
}

/* the per-output-channel parameter at input k: one value, or one per channel */
static int check_per_channel(Graph *g, int node, int k, int64_t channels)
{
	int64_t n;

	if (!has_in(g, node, k))
		return 0;
	n = ir_numel(in_t(g, node, k));
	if (n != 1 && (n != channels || in_t(g, node, k)->rank != 1)) {
		ir_error(g, node, "'%s' needs 1 or %lld values (one per output channel)",
			 in_t(g, node, k)->name, (long long)channels);
		return -1;
	}
	return 0;
}

int shape_convint(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *w = in_t(g, node, 1);
	int64_t dims[IR_MAX_RANK];
	o2m_conv_params p;

	if (!is_q8(x->dtype) || !is_q8(w->dtype)) {
		ir_error(g, node, "x and w must be int8 or uint8");
		return -1;
	}
	if (check_zero_point(g, node, 2, x->dtype) || check_zero_point(g, node, 3, w->dtype) ||
	    check_scalar(g, node, 2) || conv_geom(g, node, 0, 1, &p, dims) ||
	    check_per_channel(g, node, 3, w->dims[0]))
		return -1;
	set_out(g, node, 0, DT_S32, x->rank, dims);
	return 0;
}

int prep_convint(Graph *g, int node, Lowered *L)
{
	o2m_qconv_params *p = LW_PARAMS(g, o2m_qconv_params);
	int64_t dims[IR_MAX_RANK];
	char name[64];
	Arg wz;
	int k;

	snprintf(name, sizeof name, "o2m_convint_%s%s", dt_suffix(in_t(g, node, 0)->dtype),
		 dt_suffix(in_t(g, node, 1)->dtype));
	k = kernel_by_name(g, node, name);
	if (k < 0 || conv_geom(g, node, 0, 1, &p->conv, dims))
		return -1;
	p->conv.act_min = -FLT_MAX;
	p->conv.act_max = FLT_MAX;
	wz = zero_point_arg(g, node, 3);
	p->wz_step = wz.kind != ARG_NONE && ir_numel(in_t(g, node, 3)) > 1;
	lw_call(g, L, k, PT_QCONV, p, 5, A_IN(0), zero_point_arg(g, node, 2), A_IN(1), wz,
		A_OUT(0));
	return 0;
}

/* QLinearConv inputs */
enum { QC_X, QC_XS, QC_XZ, QC_W, QC_WS, QC_WZ, QC_YS, QC_YZ, QC_B };

static DType qconv_out_type(Graph *g, int node)
{
	return has_in(g, node, QC_YZ) ? in_t(g, node, QC_YZ)->dtype : in_t(g, node, QC_X)->dtype;
}

int shape_qconv(Graph *g, int node)
{
	Tensor *x = in_t(g, node, QC_X), *w = in_t(g, node, QC_W);
	DType yt = qconv_out_type(g, node);
	int64_t dims[IR_MAX_RANK];
	o2m_conv_params p;

	if (!is_q8(x->dtype) || !is_q8(w->dtype) || !is_q8(yt)) {
		ir_error(g, node, "x, w and y must be int8 or uint8");
		return -1;
	}
	if (check_zero_point(g, node, QC_XZ, x->dtype) || check_zero_point(g, node, QC_WZ, w->dtype) ||
	    conv_geom(g, node, QC_X, QC_W, &p, dims))
		return -1;
	if (check_scalar(g, node, QC_XS) || check_scalar(g, node, QC_XZ) ||
	    check_scalar(g, node, QC_YS) || check_scalar(g, node, QC_YZ) ||
	    check_per_channel(g, node, QC_WS, w->dims[0]) ||
	    check_per_channel(g, node, QC_WZ, w->dims[0]))
		return -1;
	if (has_in(g, node, QC_B) && (in_t(g, node, QC_B)->dtype != DT_S32 ||
				      ir_numel(in_t(g, node, QC_B)) != w->dims[0])) {
		ir_error(g, node, "bias must be int32, one per output channel");
		return -1;
	}
	set_out(g, node, 0, yt, x->rank, dims);
	return 0;
}

int prep_qconv(Graph *g, int node, Lowered *L)
{
	static const int ks[3] = {QC_XS, QC_WS, QC_YS};
	o2m_qconv_params *p = LW_PARAMS(g, o2m_qconv_params);
	DType yt = out_t(g, node, 0)->dtype;
	int64_t dims[IR_MAX_RANK], nm = ir_numel(in_t(g, node, QC_WS));
	Shape sh[3] = {{0, {0}}, {1, {nm}}, {0, {0}}}, out = {1, {nm}};
	char name[64];
	Arg m, wz;
	int k;

	snprintf(name, sizeof name, "o2m_qconv_%s%s_%s", dt_suffix(in_t(g, node, QC_X)->dtype),
		 dt_suffix(in_t(g, node, QC_W)->dtype), dt_suffix(yt));
	k = kernel_by_name(g, node, name);
	if (k < 0 || conv_geom(g, node, QC_X, QC_W, &p->conv, dims))
		return -1;
	p->conv.act_min = (float)qmin(yt);
	p->conv.act_max = (float)qmax(yt);
	wz = zero_point_arg(g, node, QC_WZ);
	p->wz_step = wz.kind != ARG_NONE && ir_numel(in_t(g, node, QC_WZ)) > 1;
	p->mul_step = nm > 1;
	m = multiplier(g, node, L, ks, sh, &out);
	if (m.kind == ARG_NONE)
		return -1;
	lw_call(g, L, k, PT_QCONV, p, 8, A_IN(QC_X), zero_point_arg(g, node, QC_XZ), A_IN(QC_W),
		wz, has_in(g, node, QC_B) ? A_IN(QC_B) : A_NONE, m,
		zero_point_arg(g, node, QC_YZ), A_OUT(0));
	return 0;
}

/* ---- MatMulInteger, QLinearMatMul ---- */

/* a product seen as full = [batch..., M, N]: a [..., M, K] (a vector [K] is one row) times
   b [..., K, N] (a vector is one column); y drops the dims of vector operands. as and bs
   are a's and b's element strides over full's batch dims, 0 where they broadcast. */
typedef struct {
	Shape y, full;
	int64_t as[IR_MAX_RANK], bs[IR_MAX_RANK];
} MatGeom;

/* broadcasts the batch dims of a and b (matrices) into mg */
static int mm_batch(Graph *g, int node, const Shape *a, const Shape *b, MatGeom *mg)
{
	int r = mg->full.rank;
	int64_t sa = a->dims[a->rank - 2] * a->dims[a->rank - 1];
	int64_t sb = b->dims[b->rank - 2] * b->dims[b->rank - 1];

	for (int i = r - 3; i >= 0; i--) {
		int ja = i - (r - a->rank), jb = i - (r - b->rank);
		int64_t da = ja >= 0 ? a->dims[ja] : 1, db = jb >= 0 ? b->dims[jb] : 1;
		if (da != db && da != 1 && db != 1) {
			ir_error(g, node, "batch dimensions %lld and %lld do not broadcast",
				 (long long)da, (long long)db);
			return -1;
		}
		mg->full.dims[i] = da == 1 ? db : da;
		mg->as[i] = da == 1 ? 0 : sa;
		mg->bs[i] = db == 1 ? 0 : sb;
		sa *= da;
		sb *= db;
	}
	return 0;
}

static int mm_geom(Graph *g, int node, int ai, int bi, MatGeom *mg)
{
	Shape a = lw_shape(in_t(g, node, ai)), b = lw_shape(in_t(g, node, bi));
	int a_vec = a.rank == 1, b_vec = b.rank == 1, r;

	if (a.rank < 1 || b.rank < 1) {
		ir_error(g, node, "matrix product of a scalar");
		return -1;
	}
	if (a_vec) {
		a.dims[1] = a.dims[0];
		a.dims[0] = 1;
		a.rank = 2;
	}
	if (b_vec) {
		b.dims[1] = 1;
		b.rank = 2;
	}
	if (a.dims[a.rank - 1] != b.dims[b.rank - 2]) {
		ir_error(g, node, "inner dimensions differ: %lld and %lld",
			 (long long)a.dims[a.rank - 1], (long long)b.dims[b.rank - 2]);
		return -1;
	}
	memset(mg, 0, sizeof *mg);
	r = mg->full.rank = a.rank > b.rank ? a.rank : b.rank;
	mg->full.dims[r - 2] = a.dims[a.rank - 2];
	mg->full.dims[r - 1] = b.dims[b.rank - 1];
	if (mm_batch(g, node, &a, &b, mg))
		return -1;
	mg->y = mg->full;
	mg->y.rank = r - a_vec - b_vec;
	if (a_vec)
		mg->y.dims[r - 2] = mg->full.dims[r - 1];
	return 0;
}

/* the geometry struct: y's batch dims of size 1 dropped */
static void mm_params(Graph *g, int node, const MatGeom *mg, Tensor *a, o2m_matmul_params *p)
{
	int r = mg->full.rank;

	p->m = lw_i32(g, node, mg->full.dims[r - 2]);
	p->n = lw_i32(g, node, mg->full.dims[r - 1]);
	p->k = lw_i32(g, node, a->dims[a->rank - 1]);
	for (int i = 0; i < r - 2; i++) {
		if (mg->full.dims[i] == 1)
			continue;
		p->batch[p->batch_rank] = lw_i32(g, node, mg->full.dims[i]);
		p->a_stride[p->batch_rank] = lw_i32(g, node, mg->as[i]);
		p->b_stride[p->batch_rank] = lw_i32(g, node, mg->bs[i]);
		p->batch_rank++;
	}
}

/* how a quantization parameter may vary: per row of a, per column of b, or over y */
enum { P_ROW, P_COL, P_ANY };

/* parameter input k as a shape broadcasting against full; one value is rank 0, and a
   vector of a's per-row values stands for [M, 1] */
static int mm_param(Graph *g, int node, int k, int role, const Shape *full, Shape *s)
{
	Tensor *t = in_t(g, node, k);
	int r = full->rank, bad = 0;

	*s = lw_shape(t);
	if (ir_numel(t) == 1) {
		s->rank = 0;
		return 0;
	}
	if (role == P_ROW && t->rank == 1) {
		s->rank = 2;
		s->dims[1] = 1;
	}
	bad = s->rank > r;
	for (int i = 0; i < s->rank && !bad; i++) {
		int64_t d = s->dims[i];
		bad = d != 1 && d != full->dims[r - s->rank + i];
	}
	if (!bad && role == P_ROW)
		bad = s->dims[s->rank - 1] != 1;
	if (!bad && role == P_COL && s->rank >= 2)
		bad = s->dims[s->rank - 2] != 1;
	if (bad)
		ir_error(g, node, "'%s' does not fit: quantization parameters are per tensor, per "
			 "row of a or per column of b", t->name);
	return bad ? -1 : 0;
}

/* element strides of s over full's dims, 0 where s broadcasts */
static void param_strides(const Shape *s, const Shape *full, int64_t *st)
{
	int64_t acc = 1;

	for (int i = full->rank - 1; i >= 0; i--) {
		int j = i - (full->rank - s->rank);
		int64_t d = j >= 0 ? s->dims[j] : 1;
		st[i] = d == 1 ? 0 : acc;
		acc *= d;
	}
}

/* checks the parameters at inputs ks, roles ro (n of them; absent ones skipped) */
static int mm_check_params(Graph *g, int node, const MatGeom *mg, const int *ks, const int *ro,
			   int n)
{
	Shape s;

	for (int i = 0; i < n; i++)
		if (has_in(g, node, ks[i]) && mm_param(g, node, ks[i], ro[i], &mg->full, &s))
			return -1;
	return 0;
}

/* the arguments of a product's kernel call: arg i has element size esz[i] and element
   strides st[i] over full's dims. a, b and y are args 0, 2 and the last; the others are
   quantization parameters. */
typedef struct {
	int nargs;
	Arg arg[7];
	int esz[7];
	int64_t st[7][IR_MAX_RANK];
} MatCall;

static void mm_call(Graph *g, Lowered *L, int k, const o2m_qmatmul_params *p, const Arg *a,
		    int nargs)
{
	if (nargs == 5)
		lw_call(g, L, k, PT_QMATMUL, p, 5, a[0], a[1], a[2], a[3], a[4]);
	else
		lw_call(g, L, k, PT_QMATMUL, p, 7, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
}

/* whether a quantization parameter (an arg other than a, b and y) varies over the batch */
static int params_vary_over_batch(const MatCall *c, int r)
{
	for (int i = 1; i < c->nargs - 1; i++) {
		if (i == 2 || c->arg[i].kind == ARG_NONE)
			continue;
		for (int d = 0; d < r - 2; d++)
			if (c->st[i][d])
				return 1;
	}
	return 0;
}

/* one call for the whole product, or one per batch index when a parameter varies over
   the batch: the kernels step parameters over rows and columns only */
static void mm_emit(Graph *g, Lowered *L, int k, const o2m_qmatmul_params *p,
		    const MatGeom *mg, const MatCall *c)
{
	int r = mg->full.rank;
	int64_t nb = prod(mg->full.dims, 0, r - 2);

	if (!params_vary_over_batch(c, r)) {
		mm_call(g, L, k, p, c->arg, c->nargs);
		return;
	}
	for (int64_t bi = 0; bi < nb; bi++) {
		o2m_qmatmul_params *q = LW_PARAMS(g, o2m_qmatmul_params);
		int64_t off[7] = {0}, rest = bi;
		Arg a[7];
		for (int d = r - 3; d >= 0; d--) {
			int64_t idx = rest % mg->full.dims[d];
			rest /= mg->full.dims[d];
			for (int i = 0; i < c->nargs; i++)
				off[i] += idx * c->st[i][d];
		}
		for (int i = 0; i < c->nargs; i++)
			a[i] = c->arg[i].kind == ARG_NONE ? c->arg[i]
							  : A_OFF(c->arg[i], off[i] * c->esz[i]);
		*q = *p;
		q->mm = (o2m_matmul_params){.m = p->mm.m, .n = p->mm.n, .k = p->mm.k};
		mm_call(g, L, k, q, a, c->nargs);
	}
}

/* fills arg i of c: input k (a parameter as a shape against full) */
static void mm_arg(Graph *g, int node, const MatGeom *mg, MatCall *c, int i, Arg a, const Shape *s)
{
	c->arg[i] = a;
	c->esz[i] = a.kind == ARG_IN ? dt_size(in_t(g, node, a.index)->dtype) : 4;
	param_strides(s, &mg->full, c->st[i]);
}

/* a zero point's argument, its shape, and its steps over rows and columns */
static void mm_zero_point(Graph *g, int node, const MatGeom *mg, MatCall *c, int i, int k,
			  int role, int32_t *row, int32_t *col)
{
	Shape s = {0, {0}};
	int r = mg->full.rank;

	if (has_in(g, node, k))
		mm_param(g, node, k, role, &mg->full, &s);
	mm_arg(g, node, mg, c, i, zero_point_arg(g, node, k), &s);
	if (row)
		*row = (int32_t)c->st[i][r - 2];
	if (col)
		*col = (int32_t)c->st[i][r - 1];
}

/* the operands a, b and y as args 0, 2 and the last */
static void mm_operands(Graph *g, int node, const MatGeom *mg, MatCall *c, int ka, int kb)
{
	int r = mg->full.rank, y = c->nargs - 1;

	c->arg[0] = A_IN(ka);
	c->arg[2] = A_IN(kb);
	c->arg[y] = A_OUT(0);
	c->esz[0] = dt_size(in_t(g, node, ka)->dtype);
	c->esz[2] = dt_size(in_t(g, node, kb)->dtype);
	c->esz[y] = dt_size(out_t(g, node, 0)->dtype);
	memcpy(c->st[0], mg->as, sizeof mg->as);
	memcpy(c->st[2], mg->bs, sizeof mg->bs);
	lw_strides(r, mg->full.dims, c->st[y]);
}

int shape_matmulint(Graph *g, int node)
{
	static const int ks[2] = {2, 3}, ro[2] = {P_ROW, P_COL};
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1);
	MatGeom mg;

	if (!is_q8(a->dtype) || !is_q8(b->dtype)) {
		ir_error(g, node, "A and B must be int8 or uint8");
		return -1;
	}
	if (check_zero_point(g, node, 2, a->dtype) || check_zero_point(g, node, 3, b->dtype) ||
	    mm_geom(g, node, 0, 1, &mg) || mm_check_params(g, node, &mg, ks, ro, 2))
		return -1;
	set_out(g, node, 0, DT_S32, mg.y.rank, mg.y.dims);
	return 0;
}

int prep_matmulint(Graph *g, int node, Lowered *L)
{
	o2m_qmatmul_params *p = LW_PARAMS(g, o2m_qmatmul_params);
	MatCall *c = arena_alloc(&g->arena, sizeof *c);
	MatGeom mg;
	char name[64];
	int k;

	snprintf(name, sizeof name, "o2m_matmulint_%s%s", dt_suffix(in_t(g, node, 0)->dtype),
		 dt_suffix(in_t(g, node, 1)->dtype));
	k = kernel_by_name(g, node, name);
	if (k < 0 || mm_geom(g, node, 0, 1, &mg))
		return -1;
	mm_params(g, node, &mg, in_t(g, node, 0), &p->mm);
	c->nargs = 5;
	mm_operands(g, node, &mg, c, 0, 1);
	mm_zero_point(g, node, &mg, c, 1, 2, P_ROW, &p->za_row, NULL);
	mm_zero_point(g, node, &mg, c, 3, 3, P_COL, NULL, &p->zb_col);
	mm_emit(g, L, k, p, &mg, c);
	return 0;
}

/* QLinearMatMul inputs */
enum { QM_A, QM_AS, QM_AZ, QM_B, QM_BS, QM_BZ, QM_YS, QM_YZ };

static DType qmatmul_out_type(Graph *g, int node)
{
	return has_in(g, node, QM_YZ) ? in_t(g, node, QM_YZ)->dtype : in_t(g, node, QM_A)->dtype;
}

int shape_qmatmul(Graph *g, int node)
{
	static const int ks[6] = {QM_AS, QM_AZ, QM_BS, QM_BZ, QM_YS, QM_YZ};
	static const int ro[6] = {P_ROW, P_ROW, P_COL, P_COL, P_ANY, P_ANY};
	Tensor *a = in_t(g, node, QM_A), *b = in_t(g, node, QM_B);
	DType yt = qmatmul_out_type(g, node);
	MatGeom mg;

	if (!is_q8(a->dtype) || !is_q8(b->dtype) || !is_q8(yt)) {
		ir_error(g, node, "a, b and y must be int8 or uint8");
		return -1;
	}
	if (check_zero_point(g, node, QM_AZ, a->dtype) || check_zero_point(g, node, QM_BZ, b->dtype) ||
	    mm_geom(g, node, QM_A, QM_B, &mg) || mm_check_params(g, node, &mg, ks, ro, 6))
		return -1;
	set_out(g, node, 0, yt, mg.y.rank, mg.y.dims);
	return 0;
}

/* the multiplier a_scale * b_scale / y_scale over the dims where a scale varies */
static Arg mm_multiplier(Graph *g, int node, Lowered *L, const MatGeom *mg, Shape *ms)
{
	static const int ks[3] = {QM_AS, QM_BS, QM_YS}, ro[3] = {P_ROW, P_COL, P_ANY};
	Shape sh[3];
	int r = mg->full.rank;

	ms->rank = r;
	for (int d = 0; d < r; d++)
		ms->dims[d] = 1;
	for (int i = 0; i < 3; i++) {
		mm_param(g, node, ks[i], ro[i], &mg->full, &sh[i]);
		for (int j = 0; j < sh[i].rank; j++)
			if (sh[i].dims[j] != 1)
				ms->dims[r - sh[i].rank + j] = sh[i].dims[j];
	}
	return multiplier(g, node, L, ks, sh, ms);
}

int prep_qmatmul(Graph *g, int node, Lowered *L)
{
	o2m_qmatmul_params *p = LW_PARAMS(g, o2m_qmatmul_params);
	MatCall *c = arena_alloc(&g->arena, sizeof *c);
	MatGeom mg;
	Shape ms;
	char name[64];
	int k, r;

	snprintf(name, sizeof name, "o2m_qmatmul_%s%s_%s", dt_suffix(in_t(g, node, QM_A)->dtype),
		 dt_suffix(in_t(g, node, QM_B)->dtype), dt_suffix(out_t(g, node, 0)->dtype));
	k = kernel_by_name(g, node, name);
	if (k < 0 || mm_geom(g, node, QM_A, QM_B, &mg))
		return -1;
	r = mg.full.rank;
	mm_params(g, node, &mg, in_t(g, node, QM_A), &p->mm);
	c->nargs = 7;
	mm_operands(g, node, &mg, c, QM_A, QM_B);
	mm_zero_point(g, node, &mg, c, 1, QM_AZ, P_ROW, &p->za_row, NULL);
	mm_zero_point(g, node, &mg, c, 3, QM_BZ, P_COL, NULL, &p->zb_col);
	mm_zero_point(g, node, &mg, c, 5, QM_YZ, P_ANY, &p->zy_row, &p->zy_col);
	mm_arg(g, node, &mg, c, 4, mm_multiplier(g, node, L, &mg, &ms), &ms);
	if (c->arg[4].kind == ARG_NONE)
		return -1;
	p->mul_row = (int32_t)c->st[4][r - 2];
	p->mul_col = (int32_t)c->st[4][r - 1];
	mm_emit(g, L, k, p, &mg, c);
	return 0;
}
