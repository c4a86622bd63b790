/* o2m_f8.h - the ONNX float8 element types as uint8_t bit patterns: to float (exact) and
   from double (round to nearest even, or the e8m0 round mode, with the ONNX saturate
   rule). e4m3fn: bias 7, no infinity, NaN S.1111.111; e4m3fnuz: bias 8; e5m2: bias 15,
   IEEE-like; e5m2fnuz: bias 16; fnuz types: no -0, the one NaN is 0x80; e8m0: 2^(v-127),
   no sign, no zero, NaN 0xff. */
#ifndef O2M_F8_H
#define O2M_F8_H

#include "o2m_common.h"

#include <math.h>

/* how a format spends its top codes: IEEE (e5m2: infinities and NaNs), FN (only S.1..1
   is NaN) or FNUZ (only 0x80 is NaN, there is no -0) */
enum { O2M_F8_IEEE, O2M_F8_FN, O2M_F8_FNUZ };

/** e8m0 rounding (Cast round_mode): up (away from zero), down, nearest (ties up). */
enum { O2M_E8M0_UP, O2M_E8M0_DOWN, O2M_E8M0_NEAREST };

static inline float o2m_f32_from_bits(uint32_t u)
{
	union { uint32_t u; float f; } v;
	v.u = u;
	return v.f;
}

/** Float8 bit pattern of mb mantissa bits and exponent bias to float, exactly. */
static inline float o2m_f8_to_f32(uint8_t v, int mb, int bias, int kind)
{
	uint32_t sign = (uint32_t)(v & 0x80u) << 24, m = v & ((1u << mb) - 1u);
	int32_t e = (v & 0x7f) >> mb, top = 0x7f >> mb;

	if ((kind == O2M_F8_FNUZ && v == 0x80) || (kind == O2M_F8_FN && (v & 0x7f) == 0x7f) ||
	    (kind == O2M_F8_IEEE && e == top && m))
		return o2m_f32_from_bits(0x7fc00000u);
	if (kind == O2M_F8_IEEE && e == top)
		return o2m_f32_from_bits(sign | 0x7f800000u);
	if (!e && !m)
		return o2m_f32_from_bits(sign);
	if (!e) { /* subnormal: normal in float once the leading one is found */
		e = 1;
		while (!(m >> mb)) {
			m <<= 1;
			e--;
		}
		m &= (1u << mb) - 1u;
	}
	return o2m_f32_from_bits(sign | (uint32_t)(e - bias + 127) << 23 | m << (23 - mb));
}

/* |w| rounded to nearest even as a magnitude code: codes are monotonic in the value,
   so a carry out of the mantissa lands on the next exponent by itself */
static inline int32_t o2m_f8_code(double a, int mb, int bias)
{
	int x, lo = 1 - bias; /* the smallest normal exponent */
	double q, n;

	if (a == 0)
		return 0;
	(void)frexp(a, &x);
	x = x - 1 < lo ? lo : x - 1;
	if (x > 64)
		return 0x7fff; /* beyond every format */
	q = ldexp(a, mb - x); /* the units of the last mantissa bit */
	n = floor(q);
	if (q - n > 0.5 || (q - n == 0.5 && fmod(n, 2.0) != 0))
		n += 1;
	return (int32_t)((x - lo) << mb) + (int32_t)n;
}

/** Double to float8 of mb mantissa bits and bias, rounding to nearest even. Out of
    range (and infinity) saturates to the largest finite value when sat, else gives
    infinity (IEEE) or NaN. */
static inline uint8_t o2m_f64_to_f8(double w, int mb, int bias, int kind, int sat)
{
	const int32_t max = kind == O2M_F8_IEEE ? (0x7f >> mb << mb) - 1
			    : kind == O2M_F8_FN ? 0x7e : 0x7f; /* the largest finite code */
	const uint8_t nan = kind == O2M_F8_FNUZ ? 0x80 : 0x7f;
	uint8_t s = signbit(w) ? 0x80 : 0;
	int32_t c;

	if (w != w)
		return nan;
	c = isinf(w) ? 0x7fff : o2m_f8_code(fabs(w), mb, bias);
	if (c > max) {
		if (sat)
			return (uint8_t)(s | max);
		if (kind == O2M_F8_IEEE)
			return (uint8_t)(s | (max + 1)); /* infinity */
		return (uint8_t)(nan | (kind == O2M_F8_FN ? s : 0));
	}
	if (!c && kind == O2M_F8_FNUZ)
		return 0;
	return (uint8_t)(s | c);
}

/** float8e8m0 to float: 2^(v - 127), 0xff NaN. */
static inline float o2m_e8m0_to_f32(uint8_t v)
{
	if (v == 0xff)
		return o2m_f32_from_bits(0x7fc00000u);
	return o2m_f32_from_bits(v ? (uint32_t)v << 23 : 0x400000u);
}

/** Double to float8e8m0: the power of two of |w| rounded by mode (up: any fraction
    raises the exponent; nearest: from 1.5 on); below 2^-127 gives 2^-127, beyond 2^127
    (and infinity) 0xfe when sat, else NaN. */
static inline uint8_t o2m_f64_to_e8m0(double w, int mode, int sat)
{
	double f;
	int x;

	if (w != w)
		return 0xff;
	if (isinf(w))
		return sat ? 0xfe : 0xff;
	if (w == 0)
		return 0;
	f = 2 * frexp(fabs(w), &x) - 1; /* |w| = (1 + f) 2^(x - 1) */
	x += 126 + ((mode == O2M_E8M0_UP && f > 0) || (mode == O2M_E8M0_NEAREST && f >= 0.5));
	if (x > 0xfe)
		return sat ? 0xfe : 0xff;
	return (uint8_t)(x < 0 ? 0 : x);
}

/* o2m_<type>_to_f32 and o2m_f64_to_<type>(w, sat) for the four sign-exponent-mantissa
   types, named as their kernel suffixes */
#define O2M_F8_TYPE_(sfx, mb, bias, kind)                                    \
	static inline float o2m_##sfx##_to_f32(uint8_t v)                    \
	{                                                                    \
		return o2m_f8_to_f32(v, mb, bias, kind);                     \
	}                                                                    \
	static inline uint8_t o2m_f64_to_##sfx(double w, int sat)            \
	{                                                                    \
		return o2m_f64_to_f8(w, mb, bias, kind, sat);                \
	}
O2M_F8_TYPE_(f8e4m3fn, 3, 7, O2M_F8_FN)
O2M_F8_TYPE_(f8e4m3fnuz, 3, 8, O2M_F8_FNUZ)
O2M_F8_TYPE_(f8e5m2, 2, 15, O2M_F8_IEEE)
O2M_F8_TYPE_(f8e5m2fnuz, 2, 16, O2M_F8_FNUZ)
static inline float o2m_f8e8m0_to_f32(uint8_t v) { return o2m_e8m0_to_f32(v); }

#endif
