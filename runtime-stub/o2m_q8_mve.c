/* o2m_q8_mve.c - int8 convolution (general and 1x1, any group) and fully connected layers
   on weights packed for Helium (o2m_q8_pack_mve): the arithmetic of o2m_q8_conv_s8 and
   o2m_q8_fc_s8, bit for bit. On a core with MVE (Cortex-M55, -mcpu=cortex-m55) the dot
   products are VMLADAVA.S8 over 16 taps of raw int8 data: the input offset is folded into
   the bias by the compiler (o2m_q8_mve_bias: sum (x + off) w = sum x w + off sum w), and
   the padding holds the input's zero point, which adds nothing to the true sum.
   Elsewhere the same layout runs as portable C. The sums are rescaled as the other
   packed kernels' (o2m_q8_def.h, rq2: doubled, one SMMULR), so they are bounded by
   |sum| < 2^30. */
#include "o2m_q8_def.h"

#include <string.h>

/* acc[f] += filter f of a quad . column c, over k16 taps: w the quad ([k16 / 16][4][16]),
   c int8 (both may be unaligned) */
static void dot4(const int8_t *c, const int8_t *w, int32_t k16, int32_t acc[4])
{
#ifdef Q8_MVE
	int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], t;
	int8x16_t v;

	for (t = 0; t < k16; t += 16, c += 16, w += 64) {
		v = vld1q_s8(c);
		a0 = vmladavaq_s8(a0, v, vld1q_s8(w));
		a1 = vmladavaq_s8(a1, v, vld1q_s8(w + 16));
		a2 = vmladavaq_s8(a2, v, vld1q_s8(w + 32));
		a3 = vmladavaq_s8(a3, v, vld1q_s8(w + 48));
	}
	acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
#else
	int32_t t, i, v;

	for (t = 0; t < k16; t += 16, c += 16, w += 64)
		for (i = 0; i < 16; i++) {
			v = c[i];
			acc[0] += v * w[i];
			acc[1] += v * w[16 + i];
			acc[2] += v * w[32 + i];
			acc[3] += v * w[48 + i];
		}
#endif
}

/* acc[f] and acc[4 + f] = b[f] + filter f of a quad . column c0 and c1 (in assembly on
   Helium; a compiler without GNU assembly takes dot4 twice) */
static void dot4x2(const int8_t *c0, const int8_t *c1, const int8_t *w, int32_t k16,
		   const int32_t b[4], int32_t acc[8])
{
#if defined(Q8_MVE) && defined(__GNUC__)
	/* VMLADAVA accumulates into even registers: the eight sums take r0, r2, ..., r12 and
	   lr, the pointers and the count odd ones; the assembly saves what it takes (the
	   compiler hands over none of them, so that it builds at any optimization level) */
	struct {
		const int8_t *c0, *c1, *w;
		int32_t n;
		int32_t *acc;
		const int32_t *b;
	} blk = {c0, c1, w, k16 / 16, acc, b};
	register void *r0 __asm__("r0") = &blk;

	__asm__ volatile("push	{r1-r12, lr}\n\t"
			 "ldm	r0, {r1, r3, r5, r7, r9, r11}\n\t"
			 "ldrd	r0, r2, [r11]\n\t" /* the biases, at both columns */
			 "ldrd	r4, r6, [r11, #8]\n\t"
			 "mov	r8, r0\n\t"
			 "mov	r10, r2\n\t"
			 "mov	r12, r4\n\t"
			 "mov	lr, r6\n"
			 "1:\n\t"
			 "vldrb.8	q0, [r1], #16\n\t" /* column 0's 16 taps */
			 "vldrb.8	q1, [r3], #16\n\t" /* column 1's */
			 "vldrb.8	q2, [r5], #16\n\t" /* filter 0's */
			 "vmladava.s8	r0, q0, q2\n\t"
			 "vmladava.s8	r8, q1, q2\n\t"
			 "vldrb.8	q2, [r5], #16\n\t"
			 "vmladava.s8	r2, q0, q2\n\t"
			 "vmladava.s8	r10, q1, q2\n\t"
			 "vldrb.8	q2, [r5], #16\n\t"
			 "vmladava.s8	r4, q0, q2\n\t"
			 "vmladava.s8	r12, q1, q2\n\t"
			 "vldrb.8	q2, [r5], #16\n\t"
			 "vmladava.s8	r6, q0, q2\n\t"
			 "vmladava.s8	lr, q1, q2\n\t"
			 "subs	r7, r7, #1\n\t"
			 "bne	1b\n\t"
			 "strd	r0, r2, [r9]\n\t"
			 "strd	r4, r6, [r9, #8]\n\t"
			 "strd	r8, r10, [r9, #16]\n\t"
			 "str	r12, [r9, #24]\n\t"
			 "str	lr, [r9, #28]\n\t"
			 "pop	{r1-r12, lr}"
			 : "+r"(r0)
			 :
			 : "d0", "d1", "d2", "d3", "d4", "d5", "cc", "memory");
#else
	int32_t f;

	for (f = 0; f < 4; f++)
		acc[f] = acc[4 + f] = b[f];
	dot4(c0, w, k16, acc);
	dot4(c1, w, k16, acc + 4);
#endif
}

/* the column of the window whose first tap is (d0, h0, w0): raw int8 taps in filter
   order, the input's zero point zp in the padding, zeros from k to k16 */
static void mve_col(const o2m_conv_params *p, int32_t cin, int32_t in_plane, const int8_t *x,
		    int32_t d0, int32_t h0, int32_t w0, int8_t zp, int32_t k, int32_t k16,
		    int8_t *col)
{
	int32_t c, i, a, b, d, h, w;
	int8_t *o = col;

	for (c = 0; c < cin; c++, x += in_plane)
		for (i = 0, d = d0; i < p->k_d; i++, d += p->dil_d)
			for (a = 0, h = h0; a < p->k_h; a++, h += p->dil_h) {
				const int8_t *xr = x + (d * p->in_h + h) * p->in_w;
				const int row = (uint32_t)d < (uint32_t)p->in_d &&
						(uint32_t)h < (uint32_t)p->in_h;
				for (b = 0, w = w0; b < p->k_w; b++, w += p->dil_w)
					*o++ = row && (uint32_t)w < (uint32_t)p->in_w ? xr[w] : zp;
			}
	memset(col + k, 0, (size_t)(k16 - k));
}

/* the taps of a filter as offsets from its window's first tap, and (dh, dw) their rows
   and columns from it (zeros from k to k16): @return 0 when an offset into the group's
   input does not fit 16 bits */
static int mve_offsets(const o2m_conv_params *p, int32_t cin, int32_t in_plane, int32_t k16,
		       uint16_t *offs, int16_t *dh, int16_t *dw)
{
	int32_t c, i, a, b, t = 0;

	if ((int64_t)cin * in_plane > 65536)
		return 0;
	for (c = 0; c < cin; c++)
		for (i = 0; i < p->k_d; i++)
			for (a = 0; a < p->k_h; a++)
				for (b = 0; b < p->k_w; b++, t++) {
					offs[t] = (uint16_t)(c * in_plane + (i * p->dil_d * p->in_h +
									     a * p->dil_h) * p->in_w +
							     b * p->dil_w);
					dh[t] = (int16_t)(a * p->dil_h);
					dw[t] = (int16_t)(b * p->dil_w);
				}
	for (; t < k16; t++)
		offs[t] = 0, dh[t] = dw[t] = 0;
	return 1;
}

#ifdef Q8_MVE
/* the column of a 2-D window (first tap at (h0, w0)) that crosses the border: the
   taps inside gathered as mve_col_in's, eight at a time under a predicate that compares
   each tap's row and column with the input's, the others the zero point zp */
static void mve_col_edge(const o2m_conv_params *p, const int8_t *x, int32_t h0, int32_t w0,
			 const uint16_t *offs, const int16_t *dh, const int16_t *dw, int8_t zp,
			 int32_t k16, int8_t *col)
{
	const uint16_t shift = (uint16_t)(h0 * p->in_w + w0); /* modulo 2^16, as the lanes */
	const int16x8_t z = vdupq_n_s16(zp);
	int32_t t;
	mve_pred16_t in;
	int16x8_t hv, wv;

	for (t = 0; t < k16; t += 8) {
		hv = vaddq_n_s16(vld1q_s16(dh + t), (int16_t)h0);
		wv = vaddq_n_s16(vld1q_s16(dw + t), (int16_t)w0);
		in = vcmpgeq_n_s16(hv, 0);
		in = vcmpltq_m_n_s16(hv, (int16_t)p->in_h, in);
		in = vcmpgeq_m_n_s16(wv, 0, in);
		in = vcmpltq_m_n_s16(wv, (int16_t)p->in_w, in);
		vstrbq_s16(col + t,
			   vpselq_s16(vldrbq_gather_offset_z_s16(
					      x, vaddq_n_u16(vld1q_u16(offs + t), shift), in),
				      z, in));
	}
}
#endif

/* whether every tap of the window whose first tap is (d0, h0, w0) is inside the input */
static int mve_inside(const o2m_conv_params *p, int32_t d0, int32_t h0, int32_t w0)
{
	return d0 >= 0 && d0 + (p->k_d - 1) * p->dil_d < p->in_d && h0 >= 0 &&
	       h0 + (p->k_h - 1) * p->dil_h < p->in_h && w0 >= 0 &&
	       w0 + (p->k_w - 1) * p->dil_w < p->in_w;
}

/* the column of that window, inside the input: the taps gathered at offs from its first
   tap xw, eight at a time on Helium (VLDRB gather, narrowing VSTRB) */
static void mve_col_in(const int8_t *xw, const uint16_t *offs, int32_t k16, int8_t *col)
{
	int32_t t;

#ifdef Q8_MVE
	for (t = 0; t < k16; t += 8)
		vstrbq_s16(col + t, vldrbq_gather_offset_s16(xw, vld1q_u16(offs + t)));
#else
	for (t = 0; t < k16; t++)
		col[t] = xw[offs[t]];
#endif
}

/* the outputs of a quad's sums acc[0..n) (n <= 4 channels) at position j of planes y,
   plane apart; tab the quad's channels */
static inline void mve_out_k(const out_step *o, const rq2 *e, const int32_t *acc, int32_t n,
			     int8_t *y, int32_t plane, int kind)
{
	const out_step st = *o;
	int32_t f, v[4];

	for (f = 0; f < n; f++)
		v[f] = rq2_one(&st, e + f, 2 * acc[f], kind);
	for (f = 0; f < n; f++, y += plane)
		*y = (int8_t)v[f];
}

static void mve_out(const out_step *o, const rq2 *e, const int32_t *acc, int32_t n,
		    int8_t *y, int32_t plane)
{
	switch (clamp_kind(o->lo, o->hi)) {
	case 1: mve_out_k(o, e, acc, n, y, plane, 1); break;
	case 2: mve_out_k(o, e, acc, n, y, plane, 2); break;
	default: mve_out_k(o, e, acc, n, y, plane, 0);
	}
}

#ifdef Q8_MVE
/* the rescales of four channels side by side (rq2's fields of channels 4i..4i + 3, the
   shift negated), for one VQRDMULH, VADD, VSHL per four outputs */
typedef struct {
	int32_t m[4], c[4], nr[4];
} rq4;

/* the rq4 of each four of n channels (the last ones padded with zeros); @return 0 when
   one channel is not fast (rq2 r == 0) */
static int rq4_table(const rq2 *e, int32_t n, rq4 *q)
{
	int32_t i;

	for (i = 0; i < ((n + 3) & ~3); i++) {
		q[i / 4].m[i % 4] = i < n ? e[i].mult : 0;
		q[i / 4].c[i % 4] = i < n ? e[i].c : 0;
		q[i / 4].nr[i % 4] = i < n ? -e[i].r : 0;
		if (i < n && !e[i].r)
			return 0;
	}
	return 1;
}

/* the outputs of four channels' sums acc (the first n of them) at y, y + plane, ...:
   VQRDMULH is TFLite's first rounding, exactly (a SMMULR of 2 acc) */
static inline void mve_out4(const rq4 *q, const int32_t *acc, int32_t n, int8_t *y,
			    uint32x4_t yoffs, int32x4_t lo, int32x4_t hi)
{
	int32x4_t h = vqrdmulhq_s32(vld1q_s32(acc), vld1q_s32(q->m));
	int32x4_t t = vaddq_s32(vaddq_s32(h, vld1q_s32(q->c)), vshrq_n_s32(h, 31));

	t = vminq_s32(vmaxq_s32(vshlq_s32(t, vld1q_s32(q->nr)), lo), hi);
	vstrbq_scatter_offset_p_s32(y, yoffs, t, vctp32q((uint32_t)n));
}
#endif

int o2m_q8_conv_mve_s8(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, int8_t *scratch, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	const out_step o = {q->output_offset, q->act_min, q->act_max};
	const int8_t zp = (int8_t)-q->input_offset;
	int32_t cin, cout, k, k16, plane, in_plane, n, gr, oc, j, f, m, d0, h0, w0, acc[8], bpad[4];
	q8_geo g;
	int8_t *c0, *c1;
	uint16_t *offs;
	int16_t *dh, *dw;
	rq2 *tab;
	int gather, edge;
#ifdef Q8_MVE
	rq4 *q4;
	int vec;
	uint32x4_t yoffs;
	int32x4_t vlo, vhi;
#endif

	if (!bias || !q8_conv_geo(q, x, w, rq, scratch, y, &g) ||
	    q->input_offset < -127 || q->input_offset > 128) /* the zero point is int8 */
		return O2M_ERR_ARG;
	cin = g.cin, cout = g.cout, plane = g.out_plane, in_plane = g.in_plane;
	k = cin * g.ksize;
	k16 = (int32_t)o2m_q8_k16(k);
	tab = (rq2 *)(void *)scratch;
	rq2_table(rq, p->c_out, o.off, tab);
	offs = (uint16_t *)(void *)(tab + p->c_out);
	dh = (int16_t *)(void *)(offs + k16);
	dw = dh + k16;
	c0 = (int8_t *)(dw + k16);
	c1 = c0 + k16;
	gather = mve_offsets(p, cin, in_plane, k16, offs, dh, dw);
	/* 2-D windows crossing the border gather too, under a predicate; their coordinates
	   stay in 16 bits */
	edge = gather && p->k_d == 1 && p->in_d == 1 && p->out_d == 1 && p->in_h < 16384 &&
	       p->in_w < 16384 && p->pad_h < 16384 && p->pad_w < 16384 &&
	       (int64_t)p->out_h * p->stride_h < 16384 && (int64_t)p->out_w * p->stride_w < 16384;
	(void)edge; /* without Helium, mve_col */
#ifdef Q8_MVE
	/* the rescales as rq4 (each group's channels from a multiple of 4) after the columns */
	q4 = (rq4 *)(void *)(c1 + k16);
	vec = cout % 4 == 0 || p->group == 1;
	for (gr = 0; vec && gr < p->group; gr++)
		vec = rq4_table(tab + gr * cout, cout, q4 + gr * cout / 4);
	yoffs = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)plane);
	vlo = vdupq_n_s32(o.lo);
	vhi = vdupq_n_s32(o.hi);
#endif
	for (n = 0; n < p->n; n++)
		for (gr = 0; gr < p->group; gr++) {
			const int8_t *xg = x + ((int64_t)n * p->c_in + gr * cin) * in_plane;
			const int8_t *wg = w + (int64_t)gr * ((cout + 3) & ~3) * k16;
			const int32_t *bg = bias + gr * cout;
			const rq2 *tg = tab + gr * cout;
			int8_t *yg = y + ((int64_t)n * p->c_out + gr * cout) * plane;
			for (j = 0; j < plane; j += 2) {
				const int two = j + 1 < plane;
				for (f = 0; f < 1 + two; f++) {
					int8_t *c = f ? c1 : c0;
					q8_corner(p, j + f, &d0, &h0, &w0);
					if (gather && mve_inside(p, d0, h0, w0))
						mve_col_in(xg + (d0 * p->in_h + h0) * p->in_w + w0, offs,
							   k16, c);
#ifdef Q8_MVE
					else if (edge)
						mve_col_edge(p, xg, h0, w0, offs, dh, dw, zp, k16, c);
#endif
					else
						mve_col(p, cin, in_plane, xg, d0, h0, w0, zp, k, k16, c);
				}
#ifdef Q8_MVE
				if (vec && two && cout % 4 == 0) { /* whole quads, both positions */
					const int8_t *wq = wg;
					const rq4 *qq = q4 + gr * cout / 4;
					int8_t *yo = yg + j;
					for (oc = 0; oc < cout;
					     oc += 4, wq += 4 * k16, qq++, yo += 4 * plane) {
						dot4x2(c0, c1, wq, k16, bg + oc, acc);
						mve_out4(qq, acc, 4, yo, yoffs, vlo, vhi);
						mve_out4(qq, acc + 4, 4, yo + 1, yoffs, vlo, vhi);
					}
					continue;
				}
#endif
				for (oc = 0; oc < cout; oc += 4) {
					const int32_t *b4 = bg + oc;
					m = cout - oc < 4 ? cout - oc : 4;
					if (m < 4) { /* the last quad's biases padded */
						for (f = 0; f < 4; f++)
							bpad[f] = f < m ? bg[oc + f] : 0;
						b4 = bpad;
					}
					if (two) {
						dot4x2(c0, c1, wg + oc * k16, k16, b4, acc);
					} else {
						for (f = 0; f < 4; f++)
							acc[f] = b4[f];
						dot4(c0, wg + oc * k16, k16, acc);
					}
#ifdef Q8_MVE
					if (vec) {
						mve_out4(q4 + (gr * cout + oc) / 4, acc, m,
							 yg + oc * plane + j, yoffs, vlo, vhi);
						if (two)
							mve_out4(q4 + (gr * cout + oc) / 4, acc + 4, m,
								 yg + oc * plane + j + 1, yoffs, vlo,
								 vhi);
						continue;
					}
#endif
					mve_out(&o, tg + oc, acc, m, yg + oc * plane + j, plane);
					if (two)
						mve_out(&o, tg + oc, acc + 4, m, yg + oc * plane + j + 1,
							plane);
				}
			}
		}
	return O2M_OK;
}

int o2m_q8_fc_mve_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		     const int32_t *bias, const int32_t *rq, int8_t *scratch, int8_t *y)
{
	const out_step o = {p->output_offset, p->act_min, p->act_max};
	int32_t k16, b, oc, f, m, acc[4];
	rq2 e[4];

	if (!x || !w || !bias || !rq || !scratch || !y || p->batch < 1 || p->in < 1 ||
	    p->out < 1 || !q8_offset_ok(p->input_offset) || p->input_offset < -127 ||
	    p->input_offset > 128 || !q8_out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !q8_scales_ok(rq, p->out))
		return O2M_ERR_ARG;
	k16 = (int32_t)o2m_q8_k16(p->in);
	memset(scratch + p->in, 0, (size_t)(k16 - p->in));
	for (b = 0; b < p->batch; b++, x += p->in, y += p->out) {
		memcpy(scratch, x, (size_t)p->in); /* the row, its tail zero */
		for (oc = 0; oc < p->out; oc += 4) {
			m = p->out - oc < 4 ? p->out - oc : 4;
			for (f = 0; f < 4; f++) {
				acc[f] = f < m ? bias[oc + f] : 0;
				if (f < m)
					e[f] = rq2_of(rq[oc + f], o.off);
			}
			dot4(scratch, w + (int64_t)oc * k16, k16, acc);
			mve_out(&o, e, acc, m, y + oc, 1);
		}
	}
	return O2M_OK;
}
