/* o2m_q16.h - integer-only kernels for int16 activations and int8 weights (a16w8:
   `--quantize a16w8`, and QDQ models whose activations are int16), with the arithmetic
   of TFLite's 16x8 reference kernels but for a finer rescale. They take the parameter structs of the int8
   kernels (o2m_q8.h); what differs:

   - activations are int16, offsets (-zero_point) in [-32768, 32768], clamps inside
     int16. TFLite's 16x8 has zero point 0; a non-zero one is taken too (onnxruntime
     quantizes int16 activations asymmetrically by default);
   - the convolution and fully connected layer accumulate in int64 with an int64 bias
     (as TFLite's 16x8) and rescale by one rounding, o2m_q16_requant64, with the packed
     per-channel words of o2m_q8.h (a multiplier of 25 significant bits). TFLite's
     int64 MultiplyByQuantizedMultiplier reduces its multiplier to 15 bits, up to 2^-15
     of the result: 1.5 steps at full scale, 2.5 with onnxruntime's asymmetric int16;
     this one stays within 0.5 + 2^-9 steps of the real value;
   - Add shifts its offset inputs left by 15 (TFLite's int16 Add) when both offsets are
     0, else by 14, so that (x + offset) << left_shift stays inside int32;
   - Mul rescales the int32 product as the int8 Mul does when it fits int32 (always
     with zero points 0), else the int64 product by o2m_q16_requant64;
   - average pooling sums in int64 and rescales by o2m_q16_requant64.

   Empty tensors are allowed and do nothing; bad parameters give O2M_ERR_ARG. */
#ifndef O2M_Q16_H
#define O2M_Q16_H

#include "o2m_q8.h"

/** The int16 output step: v plus the output offset, clamped to [lo, hi]. */
static inline int16_t o2m_q16_out(int32_t v, int32_t off, int32_t lo, int32_t hi)
{
	int64_t s = (int64_t)v + off;

	return (int16_t)(s < lo ? lo : s > hi ? hi : s);
}

/** x * mult / 2^(31 - shift) rounded once, ties away from zero, for mult in [0, 2^31)
    and shift in [-31, 7] (a factor below 128): the 78-bit product in two int64 halves
    (|x| saturated to 2^47 first, the range TFLite's int64 rescale assumes), the
    result saturated to int32. */
static inline int32_t o2m_q16_requant64(int64_t x, int32_t mult, int32_t shift)
{
	const int s = 31 - shift; /* 24 .. 62 */
	const uint64_t lim = (uint64_t)1 << 47, top = (uint64_t)INT32_MAX + (x < 0 ? 1 : 0);
	uint64_t a = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x, q, lo;

	a = a > lim ? lim : a;
	lo = (a & 0xffffff) * (uint64_t)mult;       /* < 2^55 */
	q = (a >> 24) * (uint64_t)mult + (lo >> 24); /* the product / 2^24, < 2^55 */
	lo &= 0xffffff;                              /* and its remainder */
	if (s == 24)
		q += (lo + ((uint64_t)1 << 23)) >> 24;
	else /* the remainder, below 2^24, cannot carry the half at bit s - 1 >= 24 */
		q = (q + ((uint64_t)1 << (s - 25))) >> (s - 24);
	q = q > top ? top : q;
	return x < 0 ? (int32_t)(0 - (int64_t)q) : (int32_t)q;
}

/** Convolution (general: groups, dilations, pads, 1 to 3 spatial axes), as
    o2m_q8_conv_s8 with int16 x and y, an int64 bias, the packed words of o2m_q8.h
    (shifts up to 7) and o2m_q16_requant64. Padding reads as real zero. */
int o2m_q16_conv_s16(const o2m_q8_conv_params *p, const int16_t *x, const int8_t *w,
		     const int64_t *bias, const int32_t *requant, int16_t *y);

/** Fully connected, as o2m_q8_fc_s8 with int16 x and y, an int64 bias and the packed
    words, as the convolution. */
int o2m_q16_fc_s16(const o2m_q8_fc_params *p, const int16_t *x, const int8_t *w,
		   const int64_t *bias, const int32_t *requant, int16_t *y);

/** Add and Mul with broadcasting (the parameters of o2m_q8_add_s8 and o2m_q8_mul_s8;
    Add's left_shift 15, or 14 with a non-zero offset). */
int o2m_q16_add_s16(const o2m_q8_binary_params *p, const int16_t *a, const int16_t *b,
		    int16_t *y);
int o2m_q16_mul_s16(const o2m_q8_binary_params *p, const int16_t *a, const int16_t *b,
		    int16_t *y);

/** Average pooling, windowed and global, as o2m_q8_avgpool_s8 (sum * 256 rescaled by
    mult and shift, here through o2m_q16_requant64, divided by count * 256 rounding half
    away from zero: with equal scales, TFLite's rounded int16 mean). */
int o2m_q16_avgpool_s16(const o2m_q8_pool_params *p, const int16_t *x, int16_t *y);
int o2m_q16_gavgpool_s16(const o2m_q8_pool_params *p, const int16_t *x, int16_t *y);

/** A function of one int16 value by an interpolated table, TFLite's layout of 513
    samples at x = -32768 + 128 j (the last at 32768) but each with 8 more bits:
    table[j] = the function's value in output steps (zero point added) times 256, in
    [-2^23, 2^23). y = clamp((table[i] (128 - r) + table[i + 1] r + 2^14) >> 15) with
    i = (x + 32768) >> 7, r = (x + 32768) & 127: half a step of rounding, and the
    interpolation's error (the compiler checks every input against the function and
    takes the table only where it stays within one step). */
int o2m_q16_lut_s16(const o2m_unary_params *p, const int16_t *x, const int32_t *table,
		    int16_t *y);

/** Softmax along the middle axis of [outer, n, inner] of int16 values: per row, mx =
    max x, e_i = exp(-(mx - x_i) x_scale) in Q30 as 2^-(n + f): (mx - x_i) * exp_k
    (x_scale / ln 2 in Q30) split into the integer n and the fraction f, 2^-f from
    exp2_table (2^(-k/256) in Q30 for k = 0..256, interpolated over f's low 22 bits),
    shifted right by n; s = sum e_i (int64); y_i = clamp(output_offset +
    round_half_up(e_i * inv_scale_q8 / (s * 2^8))), inv_scale_q8 = round(2^8 / y_scale).
    The exponentials are within 1.5e-6 of their value relative to the largest (exactly
    one: exp_k's rounding and the interpolation), so y is within 0.5 + 2e-6 / y_scale
    steps of the real softmax (0.57 at the usual 1/32768). n < 2^24. */
typedef struct {
	int32_t outer, n, inner;
	int32_t exp_k;
	int32_t output_offset;
	int32_t inv_scale_q8;
	int32_t act_min, act_max;
} o2m_q16_softmax_params;

int o2m_q16_softmax_s16(const o2m_q16_softmax_params *p, const int16_t *x,
			const int32_t *exp2_table, int16_t *y);

/** One rescale of every element, as o2m_q8_requant_s8 on int16; from int8 to int16
    (widen, where an int16 layer of an int8 model reads an int8 tensor) and back
    (narrow), the clamp in the output's type. */
int o2m_q16_requant_s16(const o2m_q8_requant_params *p, const int16_t *x, int16_t *y);
int o2m_q16_widen_s8(const o2m_q8_requant_params *p, const int8_t *x, int16_t *y);
int o2m_q16_narrow_s16(const o2m_q8_requant_params *p, const int16_t *x, int8_t *y);

#endif
