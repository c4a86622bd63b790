/* o2m_q8_def.h - what the int8 kernels share (internal to the o2m_q8*.c files): the
   argument checks and the output step, offset plus clamp to int8. The checks bound
   every intermediate: with |offset| <= 255, |x + offset| <= 383, so the products, the
   shifted Add inputs and the pooling sums they allow stay inside int32. Q8_DSP selects
   the paths for the Arm DSP extension (SMLAD and friends), bit-identical to the portable
   C; -DO2M_NO_DSP keeps the portable C on a core that has the extension. */
#ifndef O2M_Q8_DEF_H
#define O2M_Q8_DEF_H

#include "o2m_q8.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(O2M_NO_DSP)
#define Q8_DSP 1
#include <arm_acle.h>
#include <string.h>

/* four bytes from any address (one LDR: the cores with DSP allow unaligned loads) */
static inline int32_t q8_load4(const int8_t *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* two bytes from any address, zero-extended */
static inline uint32_t q8_load2(const int8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* v rotated right by 8: with __sxtb16, bytes 1 and 3 as int16x2 */
static inline int32_t q8_ror8(int32_t v)
{
	uint32_t u = (uint32_t)v;

	return (int32_t)((u >> 8) | (u << 24));
}

/* bytes 1 and 3 of v as int16x2: one SXTB16 with its rotation */
static inline int32_t q8_sxtb16_ror8(int32_t v)
{
#if defined(__GNUC__)
	int32_t r;

	__asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
	return r;
#else
	return __sxtb16(q8_ror8(v));
#endif
}

/* (lo's bottom half, hi's bottom half): PKHBT */
static inline int32_t q8_pkhbt(int32_t lo, int32_t hi)
{
#if defined(__GNUC__)
	int32_t r;

	__asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
	return r;
#else
	return (int32_t)(((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16));
#endif
}

/* (lo's top half, hi's top half): PKHTB */
static inline int32_t q8_pkhtb(int32_t lo, int32_t hi)
{
#if defined(__GNUC__)
	int32_t r;

	__asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo));
	return r;
#else
	return (int32_t)(((uint32_t)lo >> 16) | ((uint32_t)hi & 0xffff0000u));
#endif
}

#endif

/* two int16 values as one int16x2, lo in the bottom half */
static inline int32_t q8_pack16(int32_t lo, int32_t hi)
{
	return (int32_t)(((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16));
}

/* Q8_MVE: the paths for Helium (MVE integer: Cortex-M55); -DO2M_NO_MVE keeps them out */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1) && !defined(O2M_NO_MVE)
#define Q8_MVE 1
#include <arm_mve.h>
#endif

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

/* n packed per-channel words */
static inline int q8_scales_ok(const int32_t *rq, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (!q8_scale_ok(o2m_q8_rq_mult(rq[i]), o2m_q8_rq_shift(rq[i])))
			return 0;
	return 1;
}

/* a + b with int32 wrap-around: sums regrouped (an offset folded into a bias) give the
   same bits as the plain sum whenever that one does not overflow */
static inline int32_t q8_wadd(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* y = clamp(off + v, lo, hi) as int8; the sum is taken in 64 bits, so a saturated v
   clamps instead of overflowing */
static inline int8_t q8_out(int32_t v, int32_t off, int32_t lo, int32_t hi)
{
	int64_t s = (int64_t)v + off;

	return (int8_t)(s < lo ? lo : s > hi ? hi : s);
}

/* one channel's requantization and output step, prepared once per channel: with a right
   shift r >= 1 (every factor below 1), TFLite's two roundings are one, floor((x * mult
   + 2^30 + 2^(30 + r) - [x < 0] 2^31) / 2^(31 + r)): the nudge, then half of the
   shift's unit less 1 below zero (ties away from zero), all in one 64-bit sum whose high
   word is shifted by r - 1. [x < 0] stands for [high product < 0]: they differ only
   when that product is 0, never a tie. Other factors take o2m_q8_requant. */
typedef struct {
	int32_t mult, shift; /* shift: o2m_q8_requant's, when !fast */
	int32_t rsh;         /* r - 1 */
	int32_t plo, phi;    /* 2^30 + 2^(30 + r) as two words (x >= 0) */
	int32_t nlo, nhi;    /* the same less 2^31 (x < 0) */
	int32_t off, lo, hi; /* the output offset and clamp */
	int fast;
} q8_rq;

/* the q8_rq of (mult, shift); no 64-bit shifts */
static inline q8_rq q8_rq_of(int32_t mult, int32_t shift, int32_t off, int32_t lo, int32_t hi)
{
	q8_rq r;
	int32_t right;

	r.mult = mult;
	r.shift = shift;
	r.fast = r.shift < 0;
	right = r.fast ? -r.shift : 1;
	r.rsh = right - 1;
	r.plo = (int32_t)(right == 1 ? 0xc0000000u : 0x40000000u);
	r.phi = right >= 2 ? (int32_t)(1u << (right - 2)) : 0;
	r.nlo = (int32_t)((uint32_t)r.plo + 0x80000000u);
	r.nhi = right == 1 ? 0 : r.phi - 1; /* the low word borrows but for r == 1 */
	r.off = off;
	r.lo = lo;
	r.hi = hi;
	return r;
}

/* the q8_rq of a packed word */
static inline q8_rq q8_rq_make(int32_t word, int32_t off, int32_t lo, int32_t hi)
{
	return q8_rq_of(o2m_q8_rq_mult(word), o2m_q8_rq_shift(word), off, lo, hi);
}

/* o2m_q8_requant(x, r->mult, r->shift), without the output step */
static inline int32_t q8_rq_val(const q8_rq *r, int32_t x)
{
	int64_t t;

	if (!r->fast)
		return o2m_q8_requant(x, r->mult, r->shift);
	t = x < 0 ? (int64_t)((uint64_t)(uint32_t)r->nhi << 32 | (uint32_t)r->nlo)
		  : (int64_t)((uint64_t)(uint32_t)r->phi << 32 | (uint32_t)r->plo);
	return (int32_t)(((int64_t)x * r->mult + t) >> 32) >> r->rsh;
}

/* the output of one int32 sum: requantized, offset, clamped */
static inline int8_t q8_rq_out(const q8_rq *r, int32_t x)
{
	int64_t t;
	int32_t v;

	if (!r->fast)
		return q8_out(o2m_q8_requant(x, r->mult, r->shift), r->off, r->lo, r->hi);
	t = x < 0 ? (int64_t)((uint64_t)(uint32_t)r->nhi << 32 | (uint32_t)r->nlo)
		  : (int64_t)((uint64_t)(uint32_t)r->phi << 32 | (uint32_t)r->plo);
	v = (int32_t)(((int64_t)x * r->mult + t) >> 32);
	v = (v >> r->rsh) + r->off; /* |v| <= 2^30 */
	return (int8_t)(v < r->lo ? r->lo : v > r->hi ? r->hi : v);
}

/* ---- Add (o2m_q8_add_s8, and the convolutions' residual): the three rescales,
   prepared once per call ---- */
typedef struct {
	q8_rq a, b, o;
	int32_t a_off, b_off, scale; /* scale: 1 << left_shift */
} add_rq;

/* Add's own parameters (not its broadcast geometry) in the ranges the kernels take:
   left_shift <= 20 keeps 383 << left_shift inside int32 (TFLite uses 20 for int8) */
static inline int q8_add_ok(const o2m_q8_binary_params *q)
{
	return q8_offset_ok(q->a_offset) && q8_offset_ok(q->b_offset) &&
	       q->left_shift >= 0 && q->left_shift <= 20 && q8_scale_ok(q->a_mult, q->a_shift) &&
	       q8_scale_ok(q->b_mult, q->b_shift) && q8_scale_ok(q->out_mult, q->out_shift) &&
	       q8_out_ok(q->output_offset, q->act_min, q->act_max);
}

static inline add_rq add_prep(const o2m_q8_binary_params *q)
{
	add_rq r;

	r.a = q8_rq_of(q->a_mult, q->a_shift, 0, 0, 0);
	r.b = q8_rq_of(q->b_mult, q->b_shift, 0, 0, 0);
	r.o = q8_rq_of(q->out_mult, q->out_shift, q->output_offset, q->act_min, q->act_max);
	r.a_off = q->a_offset;
	r.b_off = q->b_offset;
	r.scale = 1 << q->left_shift;
	return r;
}

/* the output of Add from its inputs' rescaled values: the sum (saturated, which
   TFLite's shifts never need) rescaled to the output */
static inline int8_t add_out(const q8_rq *o, int32_t sa, int32_t sb)
{
#ifdef Q8_DSP
	return q8_rq_out(o, __qadd(sa, sb)); /* QADD saturates */
#else
	int64_t s = (int64_t)sa + sb;

	return q8_rq_out(o, (int32_t)(s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : s));
#endif
}

/* one element of Add: each input offset, shifted left and rescaled to the common scale */
static inline int8_t add1(const add_rq *r, int32_t a, int32_t b)
{
	return add_out(&r->o, q8_rq_val(&r->a, (a + r->a_off) * r->scale),
		       q8_rq_val(&r->b, (b + r->b_off) * r->scale));
}

/* ---- the geometry of a convolution ---- */

/* geometry of one call, derived from the params once */
typedef struct {
	int32_t cin, cout;           /* channels of one group */
	int32_t in_plane, out_plane; /* elements of one channel */
	int32_t ksize;               /* taps of one filter */
} q8_geo;

static inline int q8_pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

/* the checks every int8 convolution shares (o2m_q8_conv.c, o2m_q8_mve.c); fills g */
static inline int q8_conv_geo_raw(const o2m_q8_conv_params *q, const int8_t *x,
				  const int8_t *w, const int32_t *rq, const void *scratch,
				  const int8_t *y, q8_geo *g)
{
	const o2m_conv_params *p = &q->conv;

	if (!x || !w || !rq || !scratch || !y || p->n < 1 || p->c_in < 1 || p->c_out < 1 ||
	    (q->raw != 0 && q->raw != 1) ||
	    p->group < 1 || p->c_in % p->group || p->c_out % p->group ||
	    !q8_pos3(p->in_d, p->in_h, p->in_w) || !q8_pos3(p->out_d, p->out_h, p->out_w) ||
	    !q8_pos3(p->k_d, p->k_h, p->k_w) || !q8_pos3(p->stride_d, p->stride_h, p->stride_w) ||
	    !q8_pos3(p->dil_d, p->dil_h, p->dil_w) || p->pad_d < 0 || p->pad_h < 0 || p->pad_w < 0)
		return 0;
	if (!q8_offset_ok(q->input_offset) ||
	    !q8_out_ok(q->output_offset, q->act_min, q->act_max) ||
	    !q8_scales_ok(rq, p->c_out))
		return 0;
	g->cin = p->c_in / p->group;
	g->cout = p->c_out / p->group;
	g->in_plane = p->in_d * p->in_h * p->in_w;
	g->out_plane = p->out_d * p->out_h * p->out_w;
	g->ksize = p->k_d * p->k_h * p->k_w;
	return 1;
}

/* q8_conv_geo_raw for the kernels that do not take raw columns (o2m_q8_conv_params.raw) */
static inline int q8_conv_geo(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
			      const int32_t *rq, const void *scratch, const int8_t *y,
			      q8_geo *g)
{
	return !q->raw && q8_conv_geo_raw(q, x, w, rq, scratch, y, g);
}

/* the first tap (d0, h0, w0) of output position j's window, at -pad along each axis */
static inline void q8_corner(const o2m_conv_params *p, int32_t j, int32_t *d0, int32_t *h0,
			     int32_t *w0)
{
	*d0 = j / (p->out_w * p->out_h) * p->stride_d - p->pad_d;
	*h0 = j / p->out_w % p->out_h * p->stride_h - p->pad_h;
	*w0 = j % p->out_w * p->stride_w - p->pad_w;
}

/* ---- the output step and the rescale of doubled sums (o2m_q8_conv.c, o2m_q8_mve.c) ---- */

/* the output offset and clamp, copied out of the params (int8 stores alias them) */
typedef struct {
	int32_t off, lo, hi;
} out_step;

/* v clamped to [lo, hi]; kind 1 is [0, 127] (USAT), kind 2 [-128, 127] (SSAT) on cores
   with DSP, where a constant kind makes the clamp one instruction (GCC's ACLE __ssat
   trips -Wsign-conversion, hence the assembly) */
static inline int32_t clamp_k(int32_t v, int32_t lo, int32_t hi, int kind)
{
#if defined(Q8_DSP) && defined(__GNUC__)
	int32_t r;

	if (kind == 1) {
		__asm__("usat %0, #7, %1" : "=r"(r) : "r"(v));
		return r;
	}
	if (kind == 2) {
		__asm__("ssat %0, #8, %1" : "=r"(r) : "r"(v));
		return r;
	}
#elif defined(Q8_DSP)
	if (kind == 1)
		return (int32_t)__usat(v, 7);
	if (kind == 2)
		return __ssat(v, 8);
#else
	(void)kind;
#endif
	v = v < lo ? lo : v;
	return v > hi ? hi : v;
}

/* the clamp_k kind of [lo, hi] */
static inline int clamp_kind(int32_t lo, int32_t hi)
{
	return hi != 127 ? 0 : lo == 0 ? 1 : lo == -128 ? 2 : 0;
}

/* The w16 kernels carry every sum doubled (their weights are packed doubled), so that
   TFLite's first rounding, floor((x * mult + 2^30) / 2^31), is one SMMULR of 2x:
   floor((2x * mult + 2^31) / 2^32). Its second, a right shift by r rounding half away
   from zero, is floor((h + 2^(r - 1) - [h < 0]) / 2^r), and the output offset joins the
   constant as off * 2^r: y = clamp((h + c - [h < 0]) >> r), c = 2^(r - 1) + off * 2^r.
   With |x| < 2^30 (the doubled sum fits int32), |h| < 2^30, and r <= 22 keeps
   |c| < 2^30: no step overflows. Other channels (a factor of 1/2 or more, or r > 22)
   take o2m_q8_requant. */
typedef struct {
	int32_t mult; /* r == 0: the channel's packed word */
	int32_t c, r;
} rq2;

#define RQ2_MAX_R 22

static inline void rq2_table(const int32_t *rq, int32_t n, int32_t off, rq2 *tab)
{
	int32_t i, shift;

	for (i = 0; i < n; i++) {
		shift = o2m_q8_rq_shift(rq[i]);
		if (shift < 0 && -shift <= RQ2_MAX_R) {
			tab[i].mult = o2m_q8_rq_mult(rq[i]);
			tab[i].r = -shift;
			tab[i].c = (int32_t)(1u << (-shift - 1)) + off * (int32_t)(1u << -shift);
		} else {
			tab[i].mult = rq[i];
			tab[i].c = tab[i].r = 0;
		}
	}
}

/* floor((a * b + 2^31) / 2^32): SMMULR */
static inline int32_t q8_smmulr(int32_t a, int32_t b)
{
#if defined(Q8_DSP) && defined(__GNUC__)
	int32_t r;

	__asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return r;
#else
	return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32);
#endif
}

/* the second rounding and the offset of a fast channel: (h + c - [h < 0]) >> r */
static inline int32_t rq2_round(int32_t h, int32_t c, int32_t r)
{
	return (h + c - (h < 0)) >> r;
}

/* the output of the sum v rescaled by the packed word (o2m_q8_requant), away from the
   hot path */
#if defined(__GNUC__)
__attribute__((cold))
#endif
static inline int32_t q8_word_out(const out_step *o, int32_t word, int32_t v)
{
	return q8_out(o2m_q8_requant(v, o2m_q8_rq_mult(word), o2m_q8_rq_shift(word)), o->off,
		      o->lo, o->hi);
}

/* a channel of rq2_table's r == 0: the doubled sum a2 halved */
static inline int32_t rq2_slow(const out_step *o, int32_t word, int32_t a2)
{
	return q8_word_out(o, word, a2 / 2);
}

/* the output of the doubled sum a2, rescaled by e (clamp_k kind) */
static inline int8_t rq2_one(const out_step *o, const rq2 *e, int32_t a2, int kind)
{
	int32_t h;

	if (!e->r)
		return (int8_t)rq2_slow(o, e->mult, a2);
	h = q8_smmulr(a2, e->mult);
	return (int8_t)clamp_k(rq2_round(h, e->c, e->r), o->lo, o->hi, kind);
}

/* rq2_one(o, &rq2_of(word, o->off), a2, kind) without the rq2 made first (the offset
   added after the shift: (v + off 2^r) >> r is (v >> r) + off), for a word used once */
static inline int8_t rq2_word(const out_step *o, int32_t word, int32_t a2, int kind)
{
	const int32_t r = 32 - (word & 63); /* -shift */
	int32_t h;

	if (r < 1 || r > RQ2_MAX_R)
		return (int8_t)rq2_slow(o, word, a2);
	h = q8_smmulr(a2, o2m_q8_rq_mult(word));
	return (int8_t)clamp_k(((h + (int32_t)(1u << (r - 1)) - (h < 0)) >> r) + o->off, o->lo,
			       o->hi, kind);
}

/* the rq2 of one channel (rq2_table's) */
static inline rq2 rq2_of(int32_t word, int32_t off)
{
	rq2 e;

	rq2_table(&word, 1, off, &e);
	return e;
}

/* ---- Add on a table of each input's rescaled value (o2m_q8_add_tables): the
   output's rescale prepared once per call, as o2m_q8_add_lut_s8's ---- */
typedef struct {
	const int32_t *ta, *tb; /* indexed by the int8 value */
	q8_rq o;
	int small;              /* every table value below 2^29: the rq2 rescale (DSP) */
	int32_t c, r;           /* its rounding constant and shift */
} add_lut;

/* whether every sum of one value of each table is below 2^30 in magnitude: each below
   2^29 */
static inline int q8_add_small(const int32_t *t)
{
	int32_t i;

	for (i = 0; i < 512; i++)
		if (t[i] <= -(1 << 29) || t[i] >= (1 << 29))
			return 0;
	return 1;
}

static inline add_lut add_lut_prep(const o2m_q8_binary_params *q, const int32_t *t)
{
	add_lut l;

	l.ta = t + 128;
	l.tb = t + 384;
	l.o = q8_rq_of(q->out_mult, q->out_shift, q->output_offset, q->act_min, q->act_max);
	l.r = -q->out_shift;
	l.small = l.o.fast && l.r >= 1 && l.r <= RQ2_MAX_R && q8_add_small(t);
	l.c = l.small ? (int32_t)(1u << (l.r - 1)) + l.o.off * (int32_t)(1u << l.r) : 0;
	return l;
}

/* one element: the two rescaled values' sum (saturated), rescaled to the output; the
   bits of add1 */
static inline int8_t add_lut1(const add_lut *l, int32_t a, int32_t b)
{
	int32_t h;
#ifndef Q8_DSP
	int64_t s;
#endif

	if (l->small) { /* doubled below 2^31: one SMMULR, no saturation to do */
		h = rq2_round(q8_smmulr(2 * (l->ta[a] + l->tb[b]), l->o.mult), l->c, l->r);
		return (int8_t)(h < l->o.lo ? l->o.lo : h > l->o.hi ? l->o.hi : h);
	}
#ifdef Q8_DSP
	h = __qadd(l->ta[a], l->tb[b]);
#else
	s = (int64_t)l->ta[a] + l->tb[b];
	h = (int32_t)(s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : s);
#endif
	return q8_rq_out(&l->o, h);
}

#endif
