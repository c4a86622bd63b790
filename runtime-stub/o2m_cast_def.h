/* o2m_cast_def.h - how every cast is made (internal to o2m_cast_<from>.c): through a
   wide value, double for float sources and the integer itself otherwise, with one store
   rule per target type. DEF_CAST_FROM_(from) makes o2m_cast_<from>_<to> for every <to>.
   Float8 targets read the kernel's params p: saturate unless p->alpha, e8m0 rounding
   p->beta (o2m_cast.h). Float to the packed integer types (o2m_packed.h) truncates like float to
   int64, then wraps as integers do. */
#ifndef O2M_CAST_DEF_H
#define O2M_CAST_DEF_H

#include "o2m_cast.h"
#include "o2m_f8.h"
#include "o2m_packed.h"

#include <math.h>

/* Category of each source type: F (float-like, loaded as double), S (signed integer)
   or U (unsigned integer, bool). */
#define CAT_f32 F
#define CAT_f64 F
#define CAT_f16 F
#define CAT_bf16 F
#define CAT_f8e4m3fn F
#define CAT_f8e4m3fnuz F
#define CAT_f8e5m2 F
#define CAT_f8e5m2fnuz F
#define CAT_f8e8m0 F
#define CAT_f4e2m1 F
#define CAT_s2 S
#define CAT_s4 S
#define CAT_u2 U
#define CAT_u4 U
#define CAT_s8 S
#define CAT_s16 S
#define CAT_s32 S
#define CAT_s64 S
#define CAT_u8 U
#define CAT_u16 U
#define CAT_u32 U
#define CAT_u64 U
#define CAT_bool U

#define LOAD_f16(v) ((double)o2m_f16_to_f32(v))
#define LOAD_bf16(v) ((double)o2m_bf16_to_f32(v))
#define LOAD_f8e4m3fn(v) ((double)o2m_f8e4m3fn_to_f32(v))
#define LOAD_f8e4m3fnuz(v) ((double)o2m_f8e4m3fnuz_to_f32(v))
#define LOAD_f8e5m2(v) ((double)o2m_f8e5m2_to_f32(v))
#define LOAD_f8e5m2fnuz(v) ((double)o2m_f8e5m2fnuz_to_f32(v))
#define LOAD_f8e8m0(v) ((double)o2m_f8e8m0_to_f32(v))
#define LOAD_f4e2m1(v) ((double)o2m_f4e2m1_to_f32(v))
#define LOAD_f32(v) ((double)(v))
#define LOAD_f64(v) (v)

/* Saturating float to integer: NaN gives 0. */
#define SAT_(w, lo, hi, T) ((T)((w) != (w) ? 0 : (w) <= (lo) ? (lo) : (w) >= (hi) ? (hi) : (w)))

#define FROMF_f32(w) ((float)(w))
#define FROMF_f64(w) ((double)(w))
#define FROMF_f16(w) o2m_f64_to_f16(w)
#define FROMF_bf16(w) o2m_f64_to_bf16(w)
#define FROMF_f8e4m3fn(w) o2m_f64_to_f8e4m3fn(w, p->alpha == 0)
#define FROMF_f8e4m3fnuz(w) o2m_f64_to_f8e4m3fnuz(w, p->alpha == 0)
#define FROMF_f8e5m2(w) o2m_f64_to_f8e5m2(w, p->alpha == 0)
#define FROMF_f8e5m2fnuz(w) o2m_f64_to_f8e5m2fnuz(w, p->alpha == 0)
#define FROMF_f8e8m0(w) o2m_f64_to_e8m0(w, (int)p->beta, p->alpha == 0)
#define FROMF_f4e2m1(w) o2m_f64_to_f4e2m1(w)
#define FROMF_s4(w) FROMI_s4(FROMF_s64(w), 0)
#define FROMF_u4(w) FROMI_u4(FROMF_s64(w), 0)
#define FROMF_s2(w) FROMI_s2(FROMF_s64(w), 0)
#define FROMF_u2(w) FROMI_u2(FROMF_s64(w), 0)
#define FROMF_bool(w) ((uint8_t)((w) != 0))
#define FROMF_s8(w) SAT_(w, -128.0, 127.0, int8_t)
#define FROMF_s16(w) SAT_(w, -32768.0, 32767.0, int16_t)
#define FROMF_s32(w) SAT_(w, -2147483648.0, 2147483647.0, int32_t)
#define FROMF_s64(w) ((w) != (w) ? 0 : (w) <= -9223372036854775808.0 ? INT64_MIN : \
	(w) >= 9223372036854775808.0 ? INT64_MAX : (int64_t)(w))
#define FROMF_u8(w) SAT_(w, 0.0, 255.0, uint8_t)
#define FROMF_u16(w) SAT_(w, 0.0, 65535.0, uint16_t)
#define FROMF_u32(w) SAT_(w, 0.0, 4294967295.0, uint32_t)
#define FROMF_u64(w) ((w) != (w) || (w) <= 0 ? 0 : \
	(w) >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)(w))

/* Integer magnitude to double rounding to odd: above 2^53 the bits lost in the
   conversion stick in the last kept one, so narrowing further rounds once. */
static inline double o2m_u64_to_f64_odd(uint64_t m)
{
	if (m >> 53)
		return (double)((m >> 11) | ((m & 0x7ffu) != 0)) * 2048.0;
	return (double)m;
}

/* integer to type, neg: whether v is negative (0 for unsigned sources). Integers wrap.
   bfloat16 keeps 8 bits, fewer than a float, so it is rounded once from the exact value:
   0x1010001 through float would round twice, to 2^24 instead of 2^24 + 2^17. Half
   needs no care: every integer a float does not hold exactly is beyond its range, nor
   float8 through double: only e8m0 reaches 2^53, and it keeps no mantissa. */
#define FROMI_f32(v, neg) ((float)(v))
#define FROMI_f64(v, neg) ((double)(v))
#define FROMI_f16(v, neg) o2m_f32_to_f16((float)(v))
#define FROMI_bf16(v, neg) o2m_f64_to_bf16((neg) ? -o2m_u64_to_f64_odd(0 - (uint64_t)(v)) : \
	o2m_u64_to_f64_odd((uint64_t)(v)))
#define FROMI_f8e4m3fn(v, neg) FROMF_f8e4m3fn((double)(v))
#define FROMI_f8e4m3fnuz(v, neg) FROMF_f8e4m3fnuz((double)(v))
#define FROMI_f8e5m2(v, neg) FROMF_f8e5m2((double)(v))
#define FROMI_f8e5m2fnuz(v, neg) FROMF_f8e5m2fnuz((double)(v))
#define FROMI_f8e8m0(v, neg) FROMF_f8e8m0((double)(v))
#define FROMI_f4e2m1(v, neg) FROMF_f4e2m1((double)(v))
#define FROMI_s4(v, neg) ((int8_t)o2m_wrap_bits((int64_t)(v), 4, 1))
#define FROMI_u4(v, neg) ((uint8_t)o2m_wrap_bits((int64_t)(v), 4, 0))
#define FROMI_s2(v, neg) ((int8_t)o2m_wrap_bits((int64_t)(v), 2, 1))
#define FROMI_u2(v, neg) ((uint8_t)o2m_wrap_bits((int64_t)(v), 2, 0))
#define FROMI_bool(v, neg) ((uint8_t)((v) != 0))
#define FROMI_s8(v, neg) ((int8_t)(v))
#define FROMI_s16(v, neg) ((int16_t)(v))
#define FROMI_s32(v, neg) ((int32_t)(v))
#define FROMI_s64(v, neg) ((int64_t)(v))
#define FROMI_u8(v, neg) ((uint8_t)(v))
#define FROMI_u16(v, neg) ((uint16_t)(v))
#define FROMI_u32(v, neg) ((uint32_t)(v))
#define FROMI_u64(v, neg) ((uint64_t)(v))

#define CONV_(cat, fsfx, tsfx, v) CONV2_(cat, fsfx, tsfx, v)
#define CONV2_(cat, fsfx, tsfx, v) CONV_##cat(fsfx, tsfx, v)
#define CONV_F(fsfx, tsfx, v) FROMF_##tsfx(LOAD_##fsfx(v))
#define CONV_S(fsfx, tsfx, v) FROMI_##tsfx(v, (v) < 0)
#define CONV_U(fsfx, tsfx, v) FROMI_##tsfx(v, 0)

#define DEF_CAST_(tsfx, TT, fsfx, FT)                                                   \
	int o2m_cast_##fsfx##_##tsfx(const o2m_unary_params *p, const FT *x, TT *y)     \
	{                                                                               \
		int32_t i;                                                              \
		for (i = 0; i < p->count; i++)                                          \
			y[i] = CONV_(CAT_##fsfx, fsfx, tsfx, x[i]);                     \
		return O2M_OK;                                                          \
	}

#define DEF_CAST_FROM_(fsfx, FT) O2M_TYPES_CAST2_(DEF_CAST_, fsfx, FT)

#endif
