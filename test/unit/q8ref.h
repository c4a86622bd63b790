/* q8ref.h - shared by the int8 kernel tests (test_q8.c, test_q8x.c): seeded random
   numbers and TFLite's QuantizeMultiplier, written here so that no expected value comes
   from the code under test. */
#ifndef Q8REF_H
#define Q8REF_H

#include <math.h>
#include <stdint.h>

/* ---- seeded random numbers (xorshift64*) ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static void reseed(uint64_t s) { rng = s * 0x9e3779b97f4a7c15u + 1; }

static uint32_t rnd32(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1du) >> 32);
}

static int rnd(int lo, int hi) /* in [lo, hi] */
{
	return lo + (int)(rnd32() % (uint32_t)(hi - lo + 1));
}

static double rndu(double lo, double hi)
{
	return lo + (hi - lo) * (rnd32() / 4294967296.0);
}

/* ---- TFLite's QuantizeMultiplier, the compiler's job, here to make test scales ---- */

static void quantize_multiplier(double m, int32_t *mult, int32_t *shift)
{
	int e;
	int64_t q;

	if (m == 0) {
		*mult = 0;
		*shift = 0;
		return;
	}
	q = (int64_t)round(frexp(m, &e) * 2147483648.0); /* m = q * 2^(e - 31) */
	if (q == (int64_t)1 << 31) {
		q /= 2;
		e++;
	}
	if (e < -31) {
		q = 0;
		e = 0;
	}
	if (e > 30) {
		q = INT32_MAX;
		e = 30;
	}
	*mult = (int32_t)q;
	*shift = e;
}

#endif
