/* o2m_q8.h - integer-only kernels for int8 quantized networks, with the arithmetic of the
   TFLite int8 specification (and CMSIS-NN's parameters): a real value r is stored as
   q = r / scale + zero_point; a kernel adds the input offset (-zero_point) to each input,
   accumulates in int32, rescales the accumulator by a fixed-point multiplier and shift
   computed at compile time (o2m_q8_requant), adds the output offset (the output's zero
   point) and clamps to [act_min, act_max], which folds Relu and Clip into the output
   range. Nothing here uses floating point. Activations are int8 in the ONNX layout
   (NCHW); weights int8 with zero point 0, biases int32 at scale input_scale * w_scale.

   The multiplier of a rescale by a real factor m is (mult, shift) with
   m = mult * 2^(shift - 31), mult in [2^30, 2^31) (0 for m == 0), shift in [-31, 30].
   Per-channel kernels (the convolutions, fully connected) read one packed int32 word per
   output channel: word = (mult & ~63) | (shift + 32), mult rounded by the compiler to a
   multiple of 64 (a relative error below 2^-25), so that mult = word & ~63 and
   shift = (word & 63) - 32 (o2m_q8_rq_mult, o2m_q8_rq_shift). */
#ifndef O2M_Q8_H
#define O2M_Q8_H

#include "o2m_bcast.h"
#include "o2m_geom.h"
#include "o2m_pool.h"
#include "o2m_unary.h"

/** x * m rounded as TFLite's MultiplyByQuantizedMultiplier: a saturating rounding doubling
    high multiply by mult (in [0, 2^31)) after a left shift of max(shift, 0), then a
    rounding (half away from zero) right shift by max(-shift, 0). The high multiply with
    gemmlowp's nudge is floor((a * mult + 2^30) / 2^31) for either sign: one 64-bit
    product, an add and a shift. */
static inline int32_t o2m_q8_requant(int32_t x, int32_t mult, int32_t shift)
{
	int32_t a = x, right = shift > 0 ? 0 : -shift, hi, mask, rem, thr;

	if (shift > 0) /* the left shift saturates as TFLite's does not need to */
		a = x > (INT32_MAX >> shift) ? INT32_MAX
		    : x < -(int32_t)(1u << (31 - shift)) ? INT32_MIN
		    : (int32_t)((uint32_t)x << shift);
	hi = (int32_t)(((int64_t)a * mult + ((int64_t)1 << 30)) >> 31);
	if (right == 0)
		return hi;
	if (right > 31)
		right = 31;
	mask = (int32_t)(((uint32_t)1 << right) - 1);
	rem = hi & mask;
	thr = (mask >> 1) + (hi < 0 ? 1 : 0);
	return (hi >> right) + (rem > thr ? 1 : 0);
}

/** The multiplier of a packed requantization word: its upper 26 bits. */
static inline int32_t o2m_q8_rq_mult(int32_t word)
{
	return (int32_t)((uint32_t)word & ~(uint32_t)63);
}

/** The shift of a packed requantization word: its low 6 bits less 32. */
static inline int32_t o2m_q8_rq_shift(int32_t word)
{
	return (word & 63) - 32;
}

/** The packed word of (mult, shift), shift in [-32, 31]; the low 6 bits of mult are
    dropped. */
static inline int32_t o2m_q8_rq_pack(int32_t mult, int32_t shift)
{
	return (int32_t)(((uint32_t)mult & ~(uint32_t)63) | (uint32_t)(shift + 32));
}

static inline int32_t o2m_q8_clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/** Convolution (general, depthwise and 1x1 share it): the geometry of o2m_conv_params
    (its act fields unused), y = clamp(output_offset + requant(sum (x + input_offset) * w +
    bias, requant[oc])), requant[oc] the packed word of channel oc. Padding reads as
    x = -input_offset (real zero). raw 1, which only o2m_q8_conv_w16_s8 and
    o2m_q8_conv_w16_res_s8 take (with an even channel count per group):
    the bias holds input_offset times the sum of the filter's weights (o2m_q8_mve_bias's),
    and the kernel sums x * w over the window with the padding at the zero point, the
    same value without adding the offset to every column entry. */
typedef struct {
	o2m_conv_params conv;
	int32_t input_offset;  /* -x_zero_point */
	int32_t output_offset; /* y_zero_point */
	int32_t act_min, act_max;
	int32_t raw; /* 0, or 1: the offset folded into the bias (w16 kernels) */
} o2m_q8_conv_params;

/** Fully connected: y[b][o] = clamp(output_offset + requant(sum_i (x[b][i] + input_offset)
    * w[o][i] + bias[o], requant[o])), w row-major [out][in], requant[o] packed. */
typedef struct {
	int32_t batch, in, out;
	int32_t input_offset, output_offset;
	int32_t act_min, act_max;
} o2m_q8_fc_params;

/** One rescale of every element: y = clamp(output_offset + requant(x + input_offset, mult,
    shift)); requantization between two scales, a Relu whose scale changes. */
typedef struct {
	int32_t count;
	int32_t input_offset, output_offset;
	int32_t mult, shift;
	int32_t act_min, act_max;
} o2m_q8_requant_params;

/** Add with broadcasting, as TFLite's int8 Add: each input is offset, shifted left by
    left_shift (20) and rescaled to the common scale 2 * max(a_scale, b_scale), the sum
    rescaled to the output. Mul: y = clamp(output_offset + requant((a + a_offset) *
    (b + b_offset), out_mult, out_shift)); the a and b multipliers are unused. */
typedef struct {
	o2m_bcast_params b;
	int32_t a_offset, b_offset, output_offset;
	int32_t left_shift;
	int32_t a_mult, a_shift, b_mult, b_shift;
	int32_t out_mult, out_shift;
	int32_t act_min, act_max;
} o2m_q8_binary_params;

/** Average pooling (pool geometry of o2m_pool_params; global pooling has the whole plane
    as window): sum = sum over the window of (x + input_offset), count the elements
    averaged (pad included when count_include_pad), y = clamp(output_offset +
    round_half_away(requant(sum * 256, mult, shift) / (count * 256))), mult and shift
    the factor x_scale / y_scale: with equal scales it is TFLite's rounded mean. */
typedef struct {
	o2m_pool_params pool;
	int32_t input_offset, output_offset;
	int32_t mult, shift;
	int32_t act_min, act_max;
} o2m_q8_pool_params;

/** Convolution, depthwise convolution (group == c_in, c_out a multiple of it) and 1x1
    convolution (no padding, unit stride and dilation, k 1x1x1, group 1); scratch holds
    the bytes o2m_q8_conv_scratch_bytes gives (4-byte aligned).
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
int o2m_q8_conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);
int o2m_q8_conv_dw_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		      const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);
int o2m_q8_conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);
/** The input positions one output axis covers: every tap of every output, from the
    first one (at -pad). */
static inline int64_t o2m_q8_span(int32_t out, int32_t k, int32_t stride, int32_t dil)
{
	return (int64_t)(out - 1) * stride + (int64_t)(k - 1) * dil + 1;
}

/** The paths of o2m_q8_conv_dw_s8 (the cost model reads them too): a per-channel scale
    (1x1x1 filters reading every input once, as BatchNormalization becomes), and, on
    cores with DSP, 2-D 3x3 filters on planes taller than wide (DS-CNN's 25 x 5), whose
    plane is padded transposed so that the rows run down the output's columns. */
static inline int o2m_q8_dw_scale(const o2m_conv_params *c)
{
	return c->k_d == 1 && c->k_h == 1 && c->k_w == 1 && !c->pad_d && !c->pad_h && !c->pad_w &&
	       c->out_d == c->in_d && c->out_h == c->in_h && c->out_w == c->in_w &&
	       (c->stride_d == 1 || c->in_d == 1) && (c->stride_h == 1 || c->in_h == 1) &&
	       (c->stride_w == 1 || c->in_w == 1);
}

static inline int o2m_q8_dw_tall(const o2m_conv_params *p)
{
	return p->k_d == 1 && p->out_d == 1 && p->k_h == 3 && p->k_w == 3 && p->stride_h == 1 &&
	       p->dil_h == 1 && p->out_h > p->out_w && p->out_h >= 2;
}

/** Output rows per band of o2m_q8_conv_dw_s8 on 2-D data: a channel is padded (as int16)
    and convolved a band of output rows at a time, the padded rows a band reads filling
    at most O2M_Q8_DW_BAND bytes (at least one output row a band); the rows two bands
    share are carried over, never read again. 3-D data goes in one band. */
#define O2M_Q8_DW_BAND 2048
static inline int32_t o2m_q8_dw_band(const o2m_conv_params *p)
{
	const int64_t rows = O2M_Q8_DW_BAND / (2 * o2m_q8_span(p->out_w, p->k_w, p->stride_w,
								   p->dil_w));
	int64_t band;

	if (p->k_d != 1 || p->out_d != 1 || p->in_d != 1 || p->stride_h < 1)
		return p->out_h;
	band = (rows - (int64_t)(p->k_h - 1) * p->dil_h - 1) / p->stride_h + 1;
	return band < 1 ? 1 : band > p->out_h ? p->out_h : (int32_t)band;
}

/** The scratch of o2m_q8_conv_s8 (dw 0, k1x1 0), o2m_q8_conv_dw_s8 (dw 1) and
    o2m_q8_conv_1x1_s8 (k1x1 1), in bytes, 4-byte aligned: depthwise, the padded rows of
    one band of one input channel as int16 (o2m_q8_dw_band; the whole channel for the
    plane read transposed on cores with DSP); the others, a table of 8 bytes per
    output channel (its rescale, prepared once per call), then int16 columns of two
    windows (c_in / group * k_d * k_h * k_w values each, c_in for 1x1; twice that for
    the general convolution, whose windows are copied twice on cores with DSP). */
static inline int64_t o2m_q8_conv_scratch_bytes(const o2m_q8_conv_params *q, int dw, int k1x1)
{
	const o2m_conv_params *p = &q->conv;

	if (dw)
		return 2 * o2m_q8_span(p->out_d, p->k_d, p->stride_d, p->dil_d) *
		       o2m_q8_span(o2m_q8_dw_tall(p) ? p->out_h : o2m_q8_dw_band(p), p->k_h,
				   p->stride_h, p->dil_h) *
		       o2m_q8_span(p->out_w, p->k_w, p->stride_w, p->dil_w);
	if (k1x1)
		return (int64_t)8 * p->c_out + (int64_t)4 * p->c_in;
	return (int64_t)8 * p->c_out +
	       (int64_t)8 * (p->group > 0 ? p->c_in / p->group : 0) * p->k_d * p->k_h * p->k_w;
}

/** The taps (or inputs) of one filter padded with zeros to a multiple of 8: the unit of
    the kernels on int16 weights. */
static inline int64_t o2m_q8_k8(int64_t k)
{
	return (k + 7) & ~(int64_t)7;
}

/** The int16 values of a convolution's weights packed for o2m_q8_conv_w16_s8: per group,
    per pair of output channels (an odd last one paired with a zero filter), per pair of
    taps (k8 = o2m_q8_k8(k) of them, the ones past k zero): the pair of the first channel,
    then the pair of the second; [group][(cout + 1) / 2][k8 / 2][2][2]. The taps of a
    filter go in its order ([cin][k_d][k_h][k_w]) when cin (per group) is odd, else kernel
    position by kernel position with the channels fastest ([k_d][k_h][k_w][cin]), so that
    a pair holds two channels at one position. Every weight is stored doubled: the
    kernels carry their sums doubled (one SMMULR then rescales them exactly), which
    halves the int32 bound on a sum to |sum| < 2^30. */
static inline int64_t o2m_q8_w16_conv_count(int64_t group, int64_t cout, int64_t k)
{
	return group * ((cout + 1) & ~(int64_t)1) * o2m_q8_k8(k);
}

/** w [group][cout][cin][ksize] (int8, cout and cin per group, ksize the taps of one
    kernel position's window) packed as o2m_q8_w16_conv_count says. */
static inline void o2m_q8_pack_conv_w16(const int8_t *w, int64_t group, int64_t cout,
					int64_t cin, int64_t ksize, int16_t *out)
{
	const int64_t k = cin * ksize, k8 = o2m_q8_k8(k);
	int64_t gr, oc, t, f, e;

	for (gr = 0; gr < group; gr++, w += cout * k)
		for (oc = 0; oc < cout; oc += 2)
			for (t = 0; t < k8; t += 2)
				for (f = 0; f < 2; f++)
					for (e = t; e < t + 2; e++, out++) {
						int64_t src = cin % 2 ? e : e % cin * ksize + e / cin;
						*out = (int16_t)(oc + f < cout && e < k
								 ? 2 * w[(oc + f) * k + src] : 0);
					}
}

/** The int16 values of a fully connected layer's weights packed for o2m_q8_fc_w16_s8:
    per four rows (the last ones padded with zero rows), per four inputs (k8 of them,
    the ones past k zero), the four of each row; [(out + 3) / 4][k8 / 4][4][4]; doubled,
    as the convolution's. */
static inline int64_t o2m_q8_w16_fc_count(int64_t out, int64_t k)
{
	return ((out + 3) & ~(int64_t)3) * o2m_q8_k8(k);
}

/** w [out][k] (int8) packed as o2m_q8_w16_fc_count says. */
static inline void o2m_q8_pack_fc_w16(const int8_t *w, int64_t out, int64_t k, int16_t *o)
{
	const int64_t k8 = o2m_q8_k8(k);
	int64_t r, t, i, j;

	for (r = 0; r < out; r += 4)
		for (t = 0; t < k8; t += 4)
			for (i = 0; i < 4; i++)
				for (j = 0; j < 4; j++, o++)
					*o = (int16_t)(r + i < out && t + j < k
						       ? 2 * w[(r + i) * k + t + j] : 0);
}

/** Convolution (general or 1x1, any group) on weights packed by o2m_q8_pack_conv_w16:
    the arithmetic of o2m_q8_conv_s8, bit for bit. Four output positions at a time are
    copied as int16 columns (x + input_offset, interleaved by pairs of taps) and meet two
    filters at a time: on cores with DSP, 16 products in 11 instructions (SMLAD, LDRD).
    scratch holds o2m_q8_conv_w16_scratch_bytes (4-byte aligned), w is 4-byte aligned.
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
int o2m_q8_conv_w16_s8(const o2m_q8_conv_params *p, const int8_t *x, const int16_t *w,
		       const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);

/** The scratch of o2m_q8_conv_w16_s8: a table of 12 bytes per output channel, then four
    columns of k8 int16 interleaved, then (but for a 1x1 convolution) four plain ones. */
static inline int64_t o2m_q8_conv_w16_scratch_bytes(const o2m_q8_conv_params *q, int k1x1)
{
	const o2m_conv_params *p = &q->conv;
	const int64_t k8 = o2m_q8_k8((int64_t)(p->group > 0 ? p->c_in / p->group : 0) * p->k_d *
				     p->k_h * p->k_w);

	return (int64_t)12 * p->c_out + (k1x1 ? 8 : 16) * k8;
}

/** A 2-D convolution of a float input x quantized as it is read, bit for bit
    QuantizeLinear(x, in_scale, in_zero) (int8) and then o2m_q8_conv_s8 (conv.input_offset
    is -in_zero), without the quantized input in memory: the rows one output row's windows
    cover ((k_h - 1) * dil_h + 1 of them, every input channel) are kept quantized in the
    scratch, each input row quantized once as the output rows go down (rows between
    windows, when the stride is longer, never). Any group count; conv.k_d and conv.in_d 1.
    Scratch: o2m_q8_conv_fq_scratch_bytes (4-byte aligned). */
typedef struct {
	o2m_q8_conv_params conv;
	float in_scale;
	int32_t in_zero;
} o2m_q8_conv_fq_params;

int o2m_q8_conv_fq_s8(const o2m_q8_conv_fq_params *p, const float *x, const int8_t *w,
		      const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);

/** the rows of input kept: the window's extent along the rows */
static inline int64_t o2m_q8_fq_rows(const o2m_conv_params *p)
{
	return (int64_t)(p->k_h - 1) * p->dil_h + 1;
}

/** the scratch of o2m_q8_conv_fq_s8: o2m_q8_conv_s8's, then the quantized rows */
static inline int64_t o2m_q8_conv_fq_scratch_bytes(const o2m_q8_conv_fq_params *q)
{
	const o2m_conv_params *p = &q->conv.conv;

	return o2m_q8_conv_scratch_bytes(&q->conv, 0, 0) +
	       (int64_t)p->c_in * o2m_q8_fq_rows(p) * p->in_w;
}

/** A convolution and the int8 Add of a residual r (y's shape) after it, in one pass: each
    output of the convolution (quantized by conv: output_offset, act_min, act_max) goes
    straight into TFLite's Add with the residual's element (add: a the convolution's
    output, b the residual, their offsets, multipliers and shifts, the output's offset
    and clamp; its broadcast geometry unused). Bit for bit the two kernels one after the
    other, without the convolution's output in memory. y may be r: every residual
    element is read before the output over it is written. */
typedef struct {
	o2m_q8_conv_params conv;
	o2m_q8_binary_params add;
} o2m_q8_conv_res_params;

/** o2m_q8_conv_s8 (or o2m_q8_conv_1x1_s8 for a 1x1 geometry of one group) with the
    residual Add; scratch of o2m_q8_conv_res_scratch_bytes. */
int o2m_q8_conv_res_s8(const o2m_q8_conv_res_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *requant, const int8_t *r,
		       int16_t *scratch, int8_t *y);
/** o2m_q8_conv_w16_s8 with the residual Add, its inputs' rescales read from the table
    lut of o2m_q8_add_tables (as o2m_q8_add_lut_s8); scratch of
    o2m_q8_conv_w16_res_scratch_bytes. */
int o2m_q8_conv_w16_res_s8(const o2m_q8_conv_res_params *p, const int8_t *x, const int16_t *w,
			   const int32_t *bias, const int32_t *requant, const int32_t *lut,
			   const int8_t *r, int16_t *scratch, int8_t *y);

/** the scratch of the residual kernels: their convolution's, then the outputs of the
    positions in flight (two, or four for w16) of every channel */
static inline int64_t o2m_q8_conv_res_scratch_bytes(const o2m_q8_conv_res_params *q)
{
	const int64_t a = o2m_q8_conv_scratch_bytes(&q->conv, 0, 0);
	const int64_t b = o2m_q8_conv_scratch_bytes(&q->conv, 0, 1);

	return (a > b ? a : b) + 2 * (int64_t)q->conv.conv.c_out;
}

static inline int64_t o2m_q8_conv_w16_res_scratch_bytes(const o2m_q8_conv_res_params *q)
{
	return o2m_q8_conv_w16_scratch_bytes(&q->conv, 0) + 4 * (int64_t)q->conv.conv.c_out;
}

/** Fully connected on weights packed by o2m_q8_pack_fc_w16: the arithmetic of
    o2m_q8_fc_s8, bit for bit. Each input row is copied once as int16 (x + input_offset,
    into scratch: o2m_q8_fc_w16_scratch_bytes, 4-byte aligned) and meets four weight rows
    at a time: on cores with DSP, 16 products in 13 instructions. w is 4-byte aligned.
    @return O2M_OK, or O2M_ERR_ARG for bad sizes, offsets, clamp or scales. */
int o2m_q8_fc_w16_s8(const o2m_q8_fc_params *p, const int8_t *x, const int16_t *w,
		     const int32_t *bias, const int32_t *requant, int16_t *scratch, int8_t *y);

static inline int64_t o2m_q8_fc_w16_scratch_bytes(const o2m_q8_fc_params *p)
{
	return 2 * o2m_q8_k8(p->in);
}

/** The taps of one filter padded with zeros to a multiple of 16: the unit of the Helium
    kernels. */
static inline int64_t o2m_q8_k16(int64_t k)
{
	return (k + 15) & ~(int64_t)15;
}

/** The int8 weights of o2m_q8_conv_mve_s8 and o2m_q8_fc_mve_s8: per group, per four output
    channels (the last ones padded with zero filters), per 16 taps (k16 = o2m_q8_k16(k),
    the ones past k zero), the 16 of each channel; [group][(cout + 3) / 4][k16 / 16][4][16].
    The taps of a filter keep its order. */
static inline int64_t o2m_q8_mve_count(int64_t group, int64_t cout, int64_t k)
{
	return group * ((cout + 3) & ~(int64_t)3) * o2m_q8_k16(k);
}

/** w [group][cout][k] packed as o2m_q8_mve_count says. */
static inline void o2m_q8_pack_mve(const int8_t *w, int64_t group, int64_t cout, int64_t k,
				   int8_t *out)
{
	const int64_t k16 = o2m_q8_k16(k);
	int64_t gr, oc, t, f, i;

	for (gr = 0; gr < group; gr++, w += cout * k)
		for (oc = 0; oc < cout; oc += 4)
			for (t = 0; t < k16; t += 16)
				for (f = 0; f < 4; f++)
					for (i = t; i < t + 16; i++)
						*out++ = (int8_t)(oc + f < cout && i < k
								  ? w[(oc + f) * k + i] : 0);
}

/** The bias the Helium kernels take: out[c] = bias[c] + input_offset * (the sum of filter
    c's k weights), bias NULL for none. @return 1, or 0 when one leaves [-2^29, 2^29) (the
    kernels rescale doubled sums). */
static inline int o2m_q8_mve_bias(const int8_t *w, const int32_t *bias, int64_t channels,
				  int64_t k, int32_t input_offset, int32_t *out)
{
	int64_t c, i, s, b;

	for (c = 0; c < channels; c++, w += k) {
		for (i = 0, s = 0; i < k; i++)
			s += w[i];
		b = (bias ? bias[c] : 0) + input_offset * s;
		if (b < -((int64_t)1 << 29) || b >= ((int64_t)1 << 29))
			return 0;
		out[c] = (int32_t)b;
	}
	return 1;
}

/** Convolution (general or 1x1, any group) on weights packed by o2m_q8_pack_mve and the
    bias of o2m_q8_mve_bias (not NULL): the arithmetic of o2m_q8_conv_s8, bit for bit,
    with |sum| < 2^30. Two output positions at a time are copied as raw int8 columns (the
    input's zero point in the padding) and meet four filters at a time: on a core with
    Helium one VMLADAVA.S8 per filter and column per 16 taps. scratch holds
    o2m_q8_conv_mve_scratch_bytes. @return O2M_OK, or O2M_ERR_ARG for an inconsistent
    geometry. */
int o2m_q8_conv_mve_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *requant, int8_t *scratch, int8_t *y);

/** The scratch of o2m_q8_conv_mve_s8: a table of 12 bytes per output channel, the taps'
    offsets, rows and columns in a window (3 x k16 of 2 bytes), two columns of k16 bytes,
    then the rescales again four channels side by side (48 bytes per four, each group's
    padded). */
static inline int64_t o2m_q8_conv_mve_scratch_bytes(const o2m_q8_conv_params *q)
{
	const o2m_conv_params *p = &q->conv;
	const int64_t cout = p->group > 0 ? p->c_out / p->group : 0;

	return (int64_t)12 * p->c_out + (int64_t)48 * p->group * ((cout + 3) / 4) +
	       8 * o2m_q8_k16((int64_t)(p->group > 0 ? p->c_in / p->group : 0) * p->k_d *
			      p->k_h * p->k_w);
}

/** Fully connected on weights packed by o2m_q8_pack_mve (one group) and the bias of
    o2m_q8_mve_bias: the arithmetic of o2m_q8_fc_s8, bit for bit; scratch holds k16 bytes
    (o2m_q8_fc_mve_scratch_bytes). */
int o2m_q8_fc_mve_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		     const int32_t *bias, const int32_t *requant, int8_t *scratch, int8_t *y);

static inline int64_t o2m_q8_fc_mve_scratch_bytes(const o2m_q8_fc_params *p)
{
	return o2m_q8_k16(p->in);
}

/** Fully connected (Gemm, MatMul by a constant); bias may be NULL. */
int o2m_q8_fc_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		 const int32_t *bias, const int32_t *requant, int8_t *y);
int o2m_q8_requant_s8(const o2m_q8_requant_params *p, const int8_t *x, int8_t *y);
/** A table of 256 outputs indexed by x + 128: any function of one int8 value (Sigmoid,
    Tanh, LeakyRelu, HardSwish, Gelu, ..., computed by the compiler). */
int o2m_q8_lut_s8(const o2m_unary_params *p, const int8_t *x, const int8_t *table, int8_t *y);
int o2m_q8_add_s8(const o2m_q8_binary_params *p, const int8_t *a, const int8_t *b, int8_t *y);
/** Add as o2m_q8_add_s8, bit for bit, each input's rescaled value read from a table
    (t: 256 values for a, indexed by a + 128, then 256 for b) that o2m_q8_add_tables
    makes from the same parameters: the compiler makes it once, the kernel keeps only
    the output's rescale per element. */
int o2m_q8_add_lut_s8(const o2m_q8_binary_params *p, const int8_t *a, const int8_t *b,
		      const int32_t *t, int8_t *y);
/** The 512 values of o2m_q8_add_lut_s8's table: o2m_q8_add_s8's rescale of each input
    value, (v + offset) << left_shift by that input's multiplier. The parameters must be
    ones o2m_q8_add_s8 accepts (left_shift in [0, 20], shifts in [-31, 30]). */
static inline void o2m_q8_add_tables(const o2m_q8_binary_params *p, int32_t *t)
{
	int32_t v;

	for (v = -128; v < 128; v++) {
		t[v + 128] = o2m_q8_requant((v + p->a_offset) * (1 << p->left_shift), p->a_mult,
					    p->a_shift);
		t[v + 384] = o2m_q8_requant((v + p->b_offset) * (1 << p->left_shift), p->b_mult,
					    p->b_shift);
	}
}
int o2m_q8_mul_s8(const o2m_q8_binary_params *p, const int8_t *a, const int8_t *b, int8_t *y);
int o2m_q8_avgpool_s8(const o2m_q8_pool_params *p, const int8_t *x, int8_t *y);
int o2m_q8_gavgpool_s8(const o2m_q8_pool_params *p, const int8_t *x, int8_t *y);

#endif
