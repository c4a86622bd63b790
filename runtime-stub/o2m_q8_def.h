/* o2m_q8_def.h - what the int8 kernels share (internal to the o2m_q8*.c files): the
   argument checks and the output step, offset plus clamp to int8. The checks bound
   every intermediate: with |offset| <= 255, |x + offset| <= 383, so the products, the
   shifted Add inputs and the pooling sums they allow stay inside int32. */
#ifndef O2M_Q8_DEF_H
#define O2M_Q8_DEF_H

#include "o2m_q8.h"

/* zero points of int8 data are in [-128, 127]; anything within this is safe */
#define Q8_OFFSET_MAX 255

static inline int q8_offset_ok(int32_t off)
{
	return off >= -Q8_OFFSET_MAX && off <= Q8_OFFSET_MAX;
}

/* the output offset, and activation bounds inside int8 and in order */
static inline int q8_out_ok(int32_t off, int32_t lo, int32_t hi)
{
	return q8_offset_ok(off) && lo >= INT8_MIN && lo <= hi && hi <= INT8_MAX;
}

/* a multiplier and shift o2m_q8_requant takes: its left shift must stay below 31 */
static inline int q8_scale_ok(int32_t mult, int32_t shift)
{
	return mult >= 0 && shift >= -31 && shift <= 30;
}

/* n per-channel multipliers and shifts */
static inline int q8_scales_ok(const int32_t *mult, const int32_t *shift, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (!q8_scale_ok(mult[i], shift[i]))
			return 0;
	return 1;
}

/* y = clamp(off + v, lo, hi) as int8; the sum is taken in 64 bits, so a saturated v
   clamps instead of overflowing */
static inline int8_t q8_out(int32_t v, int32_t off, int32_t lo, int32_t hi)
{
	int64_t s = (int64_t)v + off;

	return (int8_t)(s < lo ? lo : s > hi ? hi : s);
}

#endif
