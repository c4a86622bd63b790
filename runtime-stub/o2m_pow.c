/* o2m_pow.c - y = a ^ b, with broadcasting: floats through powf/pow, integers exactly
   by repeated squaring, wrapping like the other integer ops. */
#include "o2m_binary_def.h"

/* A negative exponent truncates the real power: 1 stays 1, -1 keeps the sign of its
   parity, every other base gives 0 (a zero base too: 0^-n divides by zero, which is 0
   here as in Div). */
static uint64_t ipow_(int64_t x, int64_t z)
{
	uint64_t r = 1, b = (uint64_t)x;

	if (z < 0)
		return x == 1 ? 1u : x == -1 ? (z % 2 ? UINT64_MAX : 1u) : 0u;
	for (; z > 0; z /= 2, b *= b)
		if (z % 2)
			r *= b;
	return r;
}

DEF_(f32, float, pow, powf(x, z))
DEF_(f64, double, pow, pow(x, z))
DEF_(s32, int32_t, pow, ipow_(x, z))
DEF_(s64, int64_t, pow, ipow_(x, z))
