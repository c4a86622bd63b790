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

/* QuantizeLinear of one float32 value x by a positive scale s: round_half_even(x / s)
   (the quotient rounded to float32 first) + zp saturated to [lo, hi], for 8- and 16-bit
   types. Where floating point is software (cores without an FPU) and the core divides
   integers, the same bits come from integer arithmetic: the 24-bit significands
   divided 7 bits at a time (four UDIVs), the quotient rounded half to even to 24 bits
   (the remainder as sticky bit), then to an integer. Elsewhere, or for a scale that is
   not a normal float, the float division. O2M_QDIV_INT forces the integer path (the
   unit tests compare it with the float one on the host). */
typedef struct {
	float s;
	uint32_t m;  /* s's significand with its leading bit, [2^23, 2^24) */
	int32_t e;   /* its biased exponent; 0 when s is not a positive normal float */
} o2m_qdiv;

static inline o2m_qdiv o2m_qdiv_make(float s)
{
	o2m_qdiv d;
	union { float f; uint32_t u; } b;

	b.f = s;
	d.s = s;
	d.e = (int32_t)((b.u >> 23) & 0xffu);
	d.m = (b.u & 0x7fffffu) | 0x800000u;
	if ((b.u >> 31) || d.e == 0 || d.e == 255)
		d.e = 0;
	return d;
}

#if (defined(__SOFTFP__) && defined(__ARM_FEATURE_IDIV)) || defined(O2M_QDIV_INT)
#if defined(__GNUC__)
__attribute__((always_inline)) /* in the loop of its caller: no call per value */
#endif
static inline int32_t o2m_qdiv_sat(float x, const o2m_qdiv *d, int32_t zp, int32_t lo, int32_t hi)
{
	union { float f; uint32_t u; } b;
	uint32_t mx, r, q, m24, g, half, n;
	int32_t ex, e, v;
	int neg, i;

	if (!d->e)
		return o2m_sat_f32(x / d->s, zp, lo, hi);
	b.f = x;
	neg = (int)(b.u >> 31);
	ex = (int32_t)((b.u >> 23) & 0xffu);
	mx = b.u & 0x7fffffu;
	if (ex == 255) /* a NaN saturates low, an infinity by its sign */
		return mx || neg ? lo : hi;
	if (ex == 0 && !mx) { /* zero */
		ex = -1000;
	} else if (ex == 0) { /* subnormal: normalised */
		for (ex = 1; !(mx & 0x800000u); ex--)
			mx <<= 1;
	} else {
		mx |= 0x800000u;
	}
	e = ex - d->e; /* x / s = (mx / m) 2^e, mx / m in (1/2, 2) */
	if (e >= 24) { /* 2^23 and more: beyond every clamp */
		v = neg ? -(1 << 24) : (1 << 24);
	} else if (e <= -2) { /* below one half, so is its float: 0 */
		v = 0;
	} else {
		q = mx >= d->m;
		r = mx - (q ? d->m : 0u);
		for (i = 0; i < 4; i++) { /* 28 bits after the point; r < m < 2^24 */
			const uint32_t t = (r << 7) / d->m;
			r = (r << 7) - t * d->m;
			q = (q << 7) | t;
		}
		n = q >> 28 ? 5u : 4u; /* the bits below the 24 significant ones */
		m24 = q >> n;
		g = q & ((1u << n) - 1u);
		half = 1u << (n - 1u);
		if (g > half || (g == half && (r || (m24 & 1u))))
			m24++; /* the float32 quotient: m24 2^(e - 28 + n), e - 28 + n <= 0 */
		n = (uint32_t)(28 - (int32_t)n - e); /* 0 .. 25: bits below the point */
		if (!n) {
			v = (int32_t)m24;
		} else {
			v = (int32_t)(m24 >> n);
			g = m24 & ((1u << n) - 1u);
			half = 1u << (n - 1u);
			if (g > half || (g == half && ((uint32_t)v & 1u)))
				v++;
		}
		if (neg)
			v = -v;
	}
	v += zp;
	return v < lo ? lo : v > hi ? hi : v;
}
#else
static inline int32_t o2m_qdiv_sat(float x, const o2m_qdiv *d, int32_t zp, int32_t lo, int32_t hi)
{
	return o2m_sat_f32(x / d->s, zp, lo, hi);
}
#endif

#endif
