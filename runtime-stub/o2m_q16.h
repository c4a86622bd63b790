/* o2m_q16.h - integer-only kernels for int16 activations and int8 weights (a16w8:
   `--quantize a16w8`, and QDQ models whose activations are int16), with the arithmetic
   of TFLite's 16x8 reference kernels. They take the parameter structs of the int8
   kernels (o2m_q8.h); what differs:

   - activations are int16, offsets (-zero_point) in [-32768, 32768], clamps inside
     int16. TFLite's 16x8 has zero point 0; a non-zero one is taken too (onnxruntime
     quantizes int16 activations asymmetrically by default);
   - the convolution and fully connected layer accumulate in int64 with an int64 bias
     and rescale by one rounding: o2m_q16_requant64 (TFLite's int64
     MultiplyByQuantizedMultiplier, whose multiplier is reduced to 15 bits). Their
     per-channel words are (reduced multiplier << 16) | (shift + 32): o2m_q16_rq_mult,
     o2m_q16_rq_shift; the compiler makes them from the real factor (ir_quant_pack16);
   - Add shifts its offset inputs left by 15 (TFLite's int16 Add) when both offsets are
     0, else by 14, so that (x + offset) << left_shift stays inside int32;
   - Mul rescales the int32 product as the int8 Mul does when it fits int32 (always
     with zero points 0), else the int64 product by o2m_q16_requant64;
   - average pooling sums in int64.

   Empty tensors are allowed and do nothing; bad parameters give O2M_ERR_ARG. */
#ifndef O2M_Q16_H
#define O2M_Q16_H

#include "o2m_q8.h"

/** The reduced multiplier of a per-channel word: its upper 16 bits. */
static inline int32_t o2m_q16_rq_mult(int32_t word)
{
	return (int32_t)((uint32_t)word >> 16);
}

/** The shift of a per-channel word: its low 6 bits less 32. */
static inline int32_t o2m_q16_rq_shift(int32_t word)
{
	return (word & 63) - 32;
}

/** x * m rounded once, half up, as TFLite's MultiplyByQuantizedMultiplier of an int64:
    (x * r + 2^(14 - shift)) >> (15 - shift), r the multiplier reduced to 15 bits
    (o2m_q16_rq_mult), shift in [-31, 7]; x is saturated to [-2^47, 2^47) first (the
    range TFLite assumes) and the result to int32. */
static inline int32_t o2m_q16_requant64(int64_t x, int32_t r, int32_t shift)
{
	const int32_t total = 15 - shift;
	const int64_t lim = (int64_t)1 << 47;
	int64_t v;

	x = x < -lim ? -lim : x >= lim ? lim - 1 : x;
	v = (x * r + ((int64_t)1 << (total - 1))) >> total;
	return (int32_t)(v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v);
}

/** Convolution (general: groups, dilations, pads, 1 to 3 spatial axes), as
    o2m_q8_conv_s8 with int16 x and y, an int64 bias and per-channel words of
    o2m_q16_rq_mult and o2m_q16_rq_shift. Padding reads as real zero. */
int o2m_q16_conv_s16(const o2m_q8_conv_params *p, const int16_t *x, const int8_t *w,
		     const int64_t *bias, const int32_t *requant, int16_t *y);

/** Fully connected, as o2m_q8_fc_s8 with int16 x and y, an int64 bias and the
    per-channel words above. */
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

/** One rescale of every element, as o2m_q8_requant_s8 on int16; from int8 to int16
    (widen, where an int16 layer of an int8 model reads an int8 tensor) and back
    (narrow), the clamp in the output's type. */
int o2m_q16_requant_s16(const o2m_q8_requant_params *p, const int16_t *x, int16_t *y);
int o2m_q16_widen_s8(const o2m_q8_requant_params *p, const int8_t *x, int16_t *y);
int o2m_q16_narrow_s16(const o2m_q8_requant_params *p, const int16_t *x, int8_t *y);

#endif
