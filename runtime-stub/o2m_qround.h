/* o2m_qround.h - QuantizeLinear's arithmetic for one value, shared by the quantization
   kernels (o2m_quant.c) and the int8 convolution that quantizes its float input as it
   reads it (o2m_q8_conv.c): round half to even, add the zero point, saturate; exact,
   without libm or the FPU rounding mode. */
#ifndef O2M_QROUND_H
#define O2M_QROUND_H

#include <stdint.h>

/* round_half_even(v) + zp saturated to [lo, hi]; v is clamped first so the conversion to
   int32 stays in range, and a NaN saturates low */
#define O2M_DEF_SAT_(name, FT)                                                 \
	static inline int32_t name(FT v, int32_t zp, int32_t lo, int32_t hi)   \
	{                                                                      \
		const FT vlo = (FT)(lo - zp) - 1, vhi = (FT)(hi - zp) + 1;     \
		int32_t q;                                                     \
		FT d;                                                          \
		if (!(v >= vlo))                                               \
			v = vlo;                                               \
		if (v > vhi)                                                   \
			v = vhi;                                               \
		q = (int32_t)v; /* toward zero; v - q is exact */              \
		d = v - (FT)q;                                                 \
		if (d > (FT)0.5 || (d == (FT)0.5 && q % 2 != 0))               \
			q++;                                                   \
		else if (d < (FT)-0.5 || (d == (FT)-0.5 && q % 2 != 0))        \
			q--;                                                   \
		q += zp;                                                       \
		return q < lo ? lo : q > hi ? hi : q;                          \
	}
O2M_DEF_SAT_(o2m_sat_f32, float)
O2M_DEF_SAT_(o2m_sat_f64, double)
#undef O2M_DEF_SAT_

#endif
