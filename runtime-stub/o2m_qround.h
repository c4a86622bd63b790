/* o2m_qround.h - QuantizeLinear's arithmetic for one value, shared by the quantization
   kernels (o2m_quant.c) and the int8 convolution that quantizes its float input as it
   reads it (o2m_q8_conv.c): round half to even, add the zero point, saturate; exact,
   without libm, in the default rounding mode (to nearest), which firmware and hosts
   keep. */
#ifndef O2M_QROUND_H
#define O2M_QROUND_H

#include <float.h>
#include <stdint.h>

/* round_half_even(v) + zp saturated to [lo, hi]; v is clamped first (so that it is small
   and the conversion to int32 stays in range), and a NaN saturates low. The rounding
   adds and subtracts 1.5 * 2^mantissa bits, which leaves v rounded to an integer, half
   to even, in the default rounding mode, where the type is evaluated in its own
   precision; under -ffast-math (which may fold the two away) or wider evaluation it
   takes the fraction apart instead. */
#if defined(__FAST_MATH__) || !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#define O2M_ROUND_(FT, v, magic, q)                                                    \
	do {                                                                           \
		FT d_;                                                                 \
		q = (int32_t)v; /* toward zero; v - q is exact */                      \
		d_ = v - (FT)q;                                                        \
		if (d_ > (FT)0.5 || (d_ == (FT)0.5 && q % 2 != 0))                     \
			q++;                                                           \
		else if (d_ < (FT)-0.5 || (d_ == (FT)-0.5 && q % 2 != 0))              \
			q--;                                                           \
	} while (0)
#else
#define O2M_ROUND_(FT, v, magic, q) (q = (int32_t)((v + (FT)(magic)) - (FT)(magic)))
#endif
#define O2M_DEF_SAT_(name, FT, magic)                                          \
	static inline int32_t name(FT v, int32_t zp, int32_t lo, int32_t hi)   \
	{                                                                      \
		const FT vlo = (FT)(lo - zp) - 1, vhi = (FT)(hi - zp) + 1;     \
		int32_t q;                                                     \
		if (!(v >= vlo))                                               \
			v = vlo;                                               \
		if (v > vhi)                                                   \
			v = vhi;                                               \
		O2M_ROUND_(FT, v, magic, q);                                   \
		q += zp;                                                       \
		return q < lo ? lo : q > hi ? hi : q;                          \
	}
O2M_DEF_SAT_(o2m_sat_f32, float, 12582912.0)
O2M_DEF_SAT_(o2m_sat_f64, double, 6755399441055744.0)
#undef O2M_DEF_SAT_

#endif
