/* q8ref.h - shared by the int8 kernel tests (test_q8.c, test_q8x.c): seeded random
   numbers, TFLite's QuantizeMultiplier and its requantization, written here so that no
   expected value comes from the code under test. */
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

/* ---- the reference requantization ---- */

/* floor(v / d) for d > 0 */
static int64_t floor_div(int64_t v, int64_t d)
{
	return v >= 0 ? v / d : -((-v + d - 1) / d);
}

/* v / 2^r rounded half away from zero */
static int64_t div_pow2_away(int64_t v, int r)
{
	int64_t d = (int64_t)1 << r, half = d / 2;

	return v >= 0 ? (v + half) / d : -((-v + half) / d);
}

/* TFLite's MultiplyByQuantizedMultiplier: x * 2^left (saturated, as o2m_q8.h says),
   the doubling high product x * mult / 2^31 rounded half up (gemmlowp's nudge:
   (ab + 2^30) / 2^31 for ab >= 0, (ab + 1 - 2^30) / 2^31 truncated otherwise, which is
   floor((ab + 2^30) / 2^31) either way), then / 2^right rounded half away from zero */
static int32_t ref_requant(int32_t x, int32_t mult, int32_t shift)
{
	int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
	int64_t a = (int64_t)x * ((int64_t)1 << left);

	if (a > INT32_MAX)
		a = INT32_MAX;
	if (a < INT32_MIN)
		a = INT32_MIN;
	a = floor_div(a * mult + ((int64_t)1 << 30), (int64_t)1 << 31);
	return (int32_t)div_pow2_away(a, right);
}

static int8_t ref_out(int64_t v, int32_t lo, int32_t hi)
{
	return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

#endif
