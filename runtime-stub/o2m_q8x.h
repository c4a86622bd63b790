/* o2m_q8x.h - more integer-only int8 kernels in the arithmetic of o2m_q8.h (offsets,
   (mult, shift) multipliers with m = mult * 2^(shift - 31), clamps to [act_min,
   act_max]): MatMul of two activations, Softmax, ConvTranspose, bilinear Resize and
   LayerNormalization.
   Every table, multiplier and shift is computed by the compiler; nothing here uses
   floating point. Activations are int8 in the ONNX layout (NCHW). */
#ifndef O2M_Q8X_H
#define O2M_Q8X_H

#include "o2m_q8.h"

/** x * mult * 2^(shift - 31 - frac) rounded once, half away from zero, for |x| < 2^47
    and 31 + frac - shift >= 17: the exact rescale of a wide accumulator carrying frac
    fraction bits, where o2m_q8_requant would need its input rounded to int32 first.
    The result is below 2^62 in magnitude. */
static inline int64_t o2m_q8_requant_wide(int64_t x, int32_t mult, int32_t shift, int32_t frac)
{
	const int32_t s = 31 + frac - shift; /* x * mult / 2^s */
	const uint64_t ax = x < 0 ? (uint64_t)-x : (uint64_t)x, m = (uint64_t)mult;
	const uint64_t a = (ax >> 16) * m, b = (ax & 0xffff) * m;
	const uint64_t q = a + (b >> 16); /* floor(ax * m / 2^16), below 2^63 */
	uint64_t r;

	if (s - 17 > 62)
		return 0; /* q < 2^63 <= 2^(s - 17): below half of the unit */
	/* the dropped low 16 bits of b cannot reach the half, a multiple of 2^16 */
	r = (q >> (s - 16)) + ((q >> (s - 17)) & 1);
	return x < 0 ? -(int64_t)r : (int64_t)r;
}

/** MatMul of two int8 activations, batch dims broadcast as o2m_matmul_params says (A's
    and B's element strides per batch dim, 0 where one broadcasts; Y dense):
    y = clamp(output_offset + requant(sum_k (a + a_offset) * (b + b_offset), mult,
    shift)), m = a_scale * b_scale / y_scale. The sum is int32: k may be at most
    INT32_MAX / ((128 + |a_offset|) * (128 + |b_offset|)) (32767 for zero points -128). */
typedef struct {
	o2m_matmul_params mm;
	int32_t a_offset, b_offset; /* -a_zero_point, -b_zero_point */
	int32_t output_offset;      /* y_zero_point */
	int32_t mult, shift;
	int32_t act_min, act_max;
} o2m_q8_matmul_params;

/** One of the 2^20 of o2m_q8_softmax_s8's exp_table: exp(0). */
#define O2M_Q8_EXP_ONE (1 << 20)

/** Softmax along the middle axis of x viewed as [outer, n, inner]. exp_table[d] =
    round(2^20 * exp(-d * x_scale)) for d = 0..255 (the compiler's), each in [0, 2^20],
    exp_table[0] > 0. Per row: mx = max x, e_i = exp_table[mx - x_i], s = sum e_i (int64),
    y_i = clamp(output_offset + round_half_away(e_i * inv_scale_q16 / (s * 2^16))).
    inv_scale_q16 = round(2^16 / y_scale), in [1, INT32_MAX]: y_scale from 2^-15 to
    2^17 (1/256, the usual, gives 2^24 exactly); its rounding moves y by at most 2^-17
    steps. Against the real softmax the result is off by at most 0.5 + (n + 1) * 2^-21 *
    (1 / y_scale) steps (the table's rounding): within one step for (n + 1) / y_scale <
    2^20, e.g. rows of 4000 at y_scale 1/256. s * 2^16 must fit int64: n < 2^27. */
typedef struct {
	int32_t outer, n, inner;
	int32_t output_offset;
	int32_t inv_scale_q16;
	int32_t act_min, act_max;
} o2m_q8_softmax_params;

/** Bilinear resize of [planes, in_h, in_w] to [planes, out_h, out_w]. Output row j
    reads input rows index_h[2j] and index_h[2j + 1] with Q15 weights weight_h[2j] and
    weight_h[2j + 1], each in [0, 32767] and the pair summing to 32768 (a weight of one
    is written as 16384 + 16384 on two equal indices); columns likewise from index_w
    and weight_w. acc = sum_{a,b} wh_a * ww_b * (x[ia][ib] + input_offset), a Q30 value
    in input steps (int64), y = clamp(output_offset + round_half_away(acc * m / 2^30))
    rounded once (o2m_q8_requant_wide), m = mult * 2^(shift - 31) = x_scale / y_scale:
    exact when the scales agree (mult 2^30, shift 1), otherwise within 0.5 + 2^-31
    relative steps of the real value for the tables' weights. */
typedef struct {
	int32_t planes, in_h, in_w, out_h, out_w;
	int32_t input_offset, output_offset;
	int32_t mult, shift;
	int32_t act_min, act_max;
} o2m_q8_resize_params;

/** LayerNormalization over the last n elements of each of outer rows, integer only.
    With v = x + input_offset (a row's mean and variance of v exact in int64):
    z_i = (v_i - mean) / sqrt(var + eps) in Q20 (1 / sqrt by Newton's iteration, about
    2^-28 relative), y_i = clamp(output_offset + round_half_away(z_i * gamma[i] /
    2^gamma_shift + beta[i] / 2^16)). The compiler's formats:
      eps_q16    = round(epsilon / x_scale^2 * 2^16), at least 1 (below 2^31: epsilon /
                   x_scale^2 < 32768);
      gamma[i]   = round(gamma_real[i] / y_scale * 2^gamma_shift), int16, gamma_shift in
                   [0, 24] the largest that keeps every |gamma[i]| <= 32767;
      beta[i]    = round(beta_real[i] / y_scale * 2^16) (beta may be NULL: zero).
    For the values these tables hold, y is within 0.5 + 2^-20 * (1 + |z_i|) * |gamma[i]|
    / 2^gamma_shift steps of the real result (the Q20 rounding of z and the inverse
    square root); the tables' own rounding adds |z_i| * 2^-(gamma_shift + 1) + 2^-17
    steps. n is at most 65535 (then n^2 * 2^16 * (var + eps) fits 64 bits). */
typedef struct {
	int32_t outer, n;
	int32_t input_offset, output_offset;
	int32_t eps_q16;
	int32_t gamma_shift;
	int32_t act_min, act_max;
} o2m_q8_norm_params;

/** MatMul of two activations. @return O2M_OK, or O2M_ERR_ARG for a bad geometry,
    offsets, clamp or k too large for the int32 sum. */
int o2m_q8_matmul_s8(const o2m_q8_matmul_params *p, const int8_t *a, const int8_t *b,
		     int8_t *y);
/** The same with int16 activations (a16w8: o2m_q16.h): int64 sums rescaled by
    o2m_q16_requant64 (shift at most 7), k below 2^15. */
int o2m_q16_matmul_s16(const o2m_q8_matmul_params *p, const int16_t *a, const int16_t *b,
		       int16_t *y);
/** Softmax. @return O2M_OK, or O2M_ERR_ARG for bad sizes, scale, table or clamp. */
int o2m_q8_softmax_s8(const o2m_q8_softmax_params *p, const int8_t *x, const int32_t *exp_table,
		      int8_t *y);
/** ConvTranspose (ONNX): x [n, c_in, in...], w [c_in, c_out / group, k...], y [n, c_out,
    out...]; input position i and tap t reach output i * stride - pad + t * dil along
    each axis (the geometry of o2m_conv_transpose, its act fields unused; output_padding
    and trailing pads are in the output size). Computed as a gather, each output the
    int32 sum of its taps plus bias[oc] (may be NULL), rescaled by the packed word requant[oc] (o2m_q8.h):
    y = clamp(output_offset + requant(sum (x + input_offset) * w + bias)).
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
int o2m_q8_conv_transpose_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
			     const int32_t *bias, const int32_t *requant, int8_t *y);
/** The same with int16 activations (a16w8: o2m_q16.h), an int64 bias and shifts up to
    7: int64 sums rescaled by o2m_q16_requant64. */
int o2m_q16_conv_transpose_s16(const o2m_q8_conv_params *p, const int16_t *x, const int8_t *w,
			       const int64_t *bias, const int32_t *requant, int16_t *y);
/** Bilinear resize. @return O2M_OK, or O2M_ERR_ARG for bad sizes, an index out of range
    or a weight pair not summing to 32768. */
int o2m_q8_resize_s8(const o2m_q8_resize_params *p, const int8_t *x, const int32_t *index_h,
		     const int16_t *weight_h, const int32_t *index_w, const int16_t *weight_w,
		     int8_t *y);
/** The same with int16 activations (a16w8), the column sums in int64. */
int o2m_q16_resize_s16(const o2m_q8_resize_params *p, const int16_t *x, const int32_t *index_h,
		       const int16_t *weight_h, const int32_t *index_w, const int16_t *weight_w,
		       int16_t *y);

/** LayerNormalization. @return O2M_OK, or O2M_ERR_ARG for bad sizes, offsets, eps_q16,
    gamma_shift or clamp. */
int o2m_q16_layer_norm_s16(const o2m_q8_norm_params *p, const int16_t *x, const int16_t *gamma,
			   const int32_t *beta, int16_t *y);
int o2m_q8_layer_norm_s8(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
			 const int32_t *beta, int8_t *y);
/** The same with an int16 output (an intermediate averaged next, o2m_q8w.h): the output
    offset and clamp in int16's range. */
int o2m_q8_layer_norm_s16(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
			  const int32_t *beta, int16_t *y);

#endif
