/* o2m_q8_conv.c - int8 convolutions (general, depthwise, 1x1) and fully connected layers
   in the integer arithmetic of TFLite's per-channel int8 kernels: an int32 sum of
   (x + input_offset) * w over the taps (padding is real zero and adds nothing), plus the
   bias, rescaled per output channel. The general and 1x1 convolutions copy the windows
   of two output positions into int16 columns of x + input_offset (0 in the padding) and
   multiply them by two filters at a time; the depthwise one copies each input channel
   into a padded int16 plane, so that no window needs a bounds check. As in TFLite the
   int32 sum must not overflow, which 8-bit data allows for about 2^31 / (255 * 127) =
   66000 taps. */
#include "o2m_q8_def.h"
#include "o2m_qround.h"

#include <string.h>

/* ---- prepared rescales ---- */

/* one output channel's rescale (q8_rq less the shared output step), 8 bytes: the
   channel table sits at the start of the scratch, made once per call. rsh < 0 stands
   for a shift -1 - rsh >= 0, which takes o2m_q8_requant. The rounding constant of
   x >= 0 (q8_rq's phi:plo) follows from rsh: its high word is rsh ? 2^(rsh - 1) : 0,
   its low word rsh ? 2^30 : 3 * 2^30. */
typedef struct {
	int32_t mult, rsh;
} rq_ch;

static void rq_table(const int32_t *rq, int32_t n, rq_ch *tab)
{
	int32_t i;
	q8_rq r;

	for (i = 0; i < n; i++) {
		r = q8_rq_make(rq[i], 0, 0, 0);
		tab[i].mult = r.mult;
		tab[i].rsh = r.fast ? r.rsh : -1 - r.shift;
	}
}

/* a channel of shift >= 0 (rsh < 0): TFLite's two roundings, away from the hot path */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int32_t rq_slow(const out_step *o, const rq_ch *e, int32_t x)
{
	return q8_out(o2m_q8_requant(x, e->mult, -1 - e->rsh), o->off, o->lo, o->hi);
}

/* the scratch of the general and 1x1 convolutions: the table of c_out rescales, then
   the columns */
static int16_t *rq_scratch(const o2m_q8_conv_params *q, const int32_t *rq, int16_t *scratch,
			   rq_ch **tab)
{
	*tab = (rq_ch *)(void *)scratch;
	rq_table(rq, q->conv.c_out, *tab);
	return (int16_t *)(void *)(*tab + q->conv.c_out);
}

/* ---- two columns times two filters ---- */

/* The two columns of n values: portable, c0 then c1; with DSP, the first n4 = n & ~3
   values of both interleaved four by four, (a, c, b, d) of each four of c0 then of c1
   (the halves that __sxtb16 of a weight word and of it rotated by 8 give), then the
   rest of c0, then the rest of c1. */

#ifdef Q8_DSP
static inline int32_t q8_load16x2(const int16_t *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}
#endif

/* mm2x2's loop in assembly takes 12 registers, more than GCC finds without optimization */
#if defined(Q8_DSP) && defined(__GNUC__) && defined(__OPTIMIZE__)
#define Q8_MM2X2_ASM 1
#endif

/* a[0..4) += {w0 . c0, w0 . c1, w1 . c0, w1 . c1} over n values, c the columns */
static inline void mm2x2(const int16_t *c, const int8_t *w0, const int8_t *w1, int32_t n,
			 int32_t a[4])
{
	int32_t k = 0, x0, x1, a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	const int16_t *c0 = c, *c1 = c + n;
#ifdef Q8_DSP
	int32_t v;
#ifndef Q8_MM2X2_ASM
	int32_t w0e, w0o, w1e, w1o;
#endif

#ifdef Q8_MM2X2_ASM
	if (n >= 4) { /* 19 instructions for 16 products: c0's words loaded twice, 12 registers */
		const int16_t *const end = c + 8 * (n >> 2);
		int32_t p0, p1, e;

		__asm__("1:\n\t"
			"ldrd	%[x0], %[x1], [%[c]]\n\t"
			"ldr	%[v], [%[w0]], #4\n\t"
			"sxtb16	%[e], %[v]\n\t"
			"sxtb16	%[v], %[v], ror #8\n\t"
			"smlad	%[a0], %[x0], %[e], %[a0]\n\t"
			"smlad	%[a0], %[x1], %[v], %[a0]\n\t"
			"ldrd	%[x0], %[x1], [%[c], #8]\n\t"
			"smlad	%[a1], %[x0], %[e], %[a1]\n\t"
			"smlad	%[a1], %[x1], %[v], %[a1]\n\t"
			"ldr	%[v], [%[w1]], #4\n\t"
			"sxtb16	%[e], %[v]\n\t"
			"sxtb16	%[v], %[v], ror #8\n\t"
			"smlad	%[a3], %[x0], %[e], %[a3]\n\t"
			"smlad	%[a3], %[x1], %[v], %[a3]\n\t"
			"ldrd	%[x0], %[x1], [%[c]], #16\n\t"
			"smlad	%[a2], %[x0], %[e], %[a2]\n\t"
			"smlad	%[a2], %[x1], %[v], %[a2]\n\t"
			"cmp	%[c], %[end]\n\t"
			"bne	1b"
			: [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [c] "+r"(c),
			  [w0] "+r"(w0), [w1] "+r"(w1), [x0] "=&r"(p0), [x1] "=&r"(p1),
			  [e] "=&r"(e), [v] "=&r"(v)
			: [end] "r"(end)
			: "cc", "memory");
	}
#else
	for (k = n >> 2; k > 0; k--, c += 8) {
		v = q8_load4(w0);
		w0 += 4;
		w0e = __sxtb16(v);
		w0o = q8_sxtb16_ror8(v);
		v = q8_load4(w1);
		w1 += 4;
		w1e = __sxtb16(v);
		w1o = q8_sxtb16_ror8(v);
		v = q8_load16x2(c);
		a0 = __smlad(v, w0e, a0);
		a2 = __smlad(v, w1e, a2);
		v = q8_load16x2(c + 2);
		a0 = __smlad(v, w0o, a0);
		a2 = __smlad(v, w1o, a2);
		v = q8_load16x2(c + 4);
		a1 = __smlad(v, w0e, a1);
		a3 = __smlad(v, w1e, a3);
		v = q8_load16x2(c + 6);
		a1 = __smlad(v, w0o, a1);
		a3 = __smlad(v, w1o, a3);
	}
#endif
	n &= 3;
	c0 = c;
	c1 = c + n;
#endif
	for (; k < n; k++) {
		x0 = c0[k];
		x1 = c1[k];
		a0 += x0 * w0[k];
		a1 += x1 * w0[k];
		a2 += x0 * w1[k];
		a3 += x1 * w1[k];
	}
	a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
}

#define OC_CHUNK 16 /* output channels whose sums wait on the stack */

/* the sums of m channels at two positions, s[2i] and s[2i + 1] for channel i (an odd
   last channel is taken twice, into s[2m] and s[2m + 1] too): the columns c of n
   values, w the first filter, b its bias, bs the step between biases (0: all b[0]) */
static void cols_sums(const int16_t *c, int32_t n, const int8_t *w, const int32_t *b,
		      int32_t bs, int32_t m, int32_t *s)
{
	int32_t i, d, a[4];

	for (i = 0; i < m; i += 2, w += 2 * n, b += 2 * bs, s += 4) {
		d = i + 1 < m; /* 0: the last channel, alone */
		a[0] = a[1] = b[0];
		a[2] = a[3] = b[d * bs];
		mm2x2(c, w, w + d * n, n, a);
		s[0] = a[0], s[1] = a[1], s[2] = a[2], s[3] = a[3];
	}
}

/* the outputs of cols_sums at positions j0 and j1 of m planes from y on, clamp_k kind */
static inline void cols_rq_k(const out_step *o, const rq_ch *e, const int32_t *s, int32_t m,
			     int32_t plane, int32_t j0, int32_t j1, int8_t *y, int kind)
{
	const int32_t off = o->off, lo = o->lo, hi = o->hi;
	int32_t i, k, x, v[2];
	int64_t t0, t;

	for (i = 0; i < m; i++, e++, s += 2, y += plane) {
		if (e->rsh < 0) {
			v[0] = rq_slow(o, e, s[0]);
			v[1] = rq_slow(o, e, s[1]);
		} else {
			t0 = (int64_t)((uint64_t)(e->rsh ? 1u << (e->rsh - 1) : 0u) << 32 |
				       (e->rsh ? 0x40000000u : 0xc0000000u));
			for (k = 0; k < 2; k++) {
				x = s[k];
				t = t0 + (int64_t)x * e->mult + (int32_t)((uint32_t)x & 0x80000000u);
				v[k] = clamp_k(((int32_t)(t >> 32) >> e->rsh) + off, lo, hi, kind);
			}
		}
		y[j0] = (int8_t)v[0];
		y[j1] = (int8_t)v[1];
	}
}

static void cols_rq(const out_step *o, const rq_ch *e, const int32_t *s, int32_t m,
		    int32_t plane, int32_t j0, int32_t j1, int8_t *y)
{
	switch (clamp_kind(o->lo, o->hi)) {
	case 1: cols_rq_k(o, e, s, m, plane, j0, j1, y, 1); break;
	case 2: cols_rq_k(o, e, s, m, plane, j0, j1, y, 2); break;
	default: cols_rq_k(o, e, s, m, plane, j0, j1, y, 0);
	}
}

/* outputs of channels [oc0, oc0 + cout) at positions j0 and j1 (j1 may be j0) from the
   columns c of n values: w the first filter, b its bias (NULL: none), tab its rescale,
   y the plane of oc0; OC_CHUNK channels at a time, the sums first, then the outputs */
static void cols_out(const o2m_q8_conv_params *q, int32_t cout, int32_t plane,
		     const int16_t *c, int32_t n, const int8_t *w, const int32_t *b,
		     const rq_ch *tab, int32_t j0, int32_t j1, int8_t *y)
{
	static const int32_t zero[1];
	const out_step o = {q->output_offset, q->act_min, q->act_max};
	const int32_t bs = b ? 1 : 0;
	int32_t oc, m, s[2 * OC_CHUNK + 2];

	if (!b)
		b = zero;
	for (oc = 0; oc < cout; oc += m) {
		m = cout - oc < OC_CHUNK ? cout - oc : OC_CHUNK;
		cols_sums(c, n, w + oc * n, b + oc * bs, bs, m, s);
		cols_rq(&o, tab + oc, s, m, plane, j0, j1, y + oc * plane);
	}
}

/* ---- the residual Add of o2m_q8_conv_res_s8 and o2m_q8_conv_w16_res_s8 ---- */

/* The Add's rescales, the residual and where the convolution's outputs of the positions
   in flight wait (channel oc's at t[oc * tn + i]) */
typedef struct {
	add_rq a;
	add_lut l;       /* with a table of the rescaled inputs (lut) */
	int lut;
	const int8_t *r;
	int8_t *t;
	int32_t tn;
} q8_res;

/* the residual kernels' parameters checked and their Add prepared (on the table lut
   when not NULL): t at `at` bytes of the scratch */
static int res_prep(const o2m_q8_conv_res_params *p, const int32_t *lut, const int8_t *r,
		    int16_t *scratch, int64_t at, int32_t tn, q8_res *rs)
{
	if (!r || !scratch || !q8_add_ok(&p->add))
		return 0;
	rs->a = add_prep(&p->add);
	rs->lut = lut != NULL;
	if (lut)
		rs->l = add_lut_prep(&p->add, lut);
	rs->r = r;
	rs->t = (int8_t *)(void *)scratch + at;
	rs->tn = tn;
	return 1;
}

/* y at positions j .. j + n - 1 of cout channels (plane apart) from the outputs in rs->t
   and the residual r there; y may be r, each element read before it is written */
/* res_out on tables whose sums need no saturation (add_lut's small): the table pointers,
   rescale and clamp in locals, clamp_k kind */
static inline void res_out_small(const q8_res *rs, int32_t cout, int32_t plane, int32_t j,
				 int32_t n, const int8_t *r, int8_t *y, int kind)
{
	const int32_t *ta = rs->l.ta, *tb = rs->l.tb;
	const int32_t mult = rs->l.o.mult, c = rs->l.c, sh = rs->l.r, lo = rs->l.o.lo;
	const int32_t hi = rs->l.o.hi, tn = rs->tn;
	const int8_t *t = rs->t;
	int32_t oc, i, h;

	r += j, y += j;
	for (oc = 0; oc < cout; oc++, r += plane, y += plane, t += tn)
		for (i = 0; i < n; i++) {
			h = rq2_round(q8_smmulr(2 * (ta[t[i]] + tb[r[i]]), mult), c, sh);
			y[i] = (int8_t)clamp_k(h, lo, hi, kind);
		}
}

static void res_out(const q8_res *rs, int32_t cout, int32_t plane, int32_t j, int32_t n,
		    const int8_t *r, int8_t *y)
{
	const int8_t *t = rs->t;
	int32_t oc, i;

	if (rs->lut && rs->l.small) {
		switch (clamp_kind(rs->l.o.lo, rs->l.o.hi)) {
		case 1: res_out_small(rs, cout, plane, j, n, r, y, 1); break;
		case 2: res_out_small(rs, cout, plane, j, n, r, y, 2); break;
		default: res_out_small(rs, cout, plane, j, n, r, y, 0);
		}
		return;
	}
	if (rs->lut) {
		const add_lut l = rs->l;
		for (oc = 0; oc < cout; oc++, r += plane, y += plane, t += rs->tn)
			for (i = 0; i < n; i++)
				y[j + i] = add_lut1(&l, t[i], r[j + i]);
		return;
	}
	for (oc = 0; oc < cout; oc++, r += plane, y += plane, t += rs->tn)
		for (i = 0; i < n; i++)
			y[j + i] = add1(&rs->a, t[i], r[j + i]);
}

/* ---- general convolution ---- */

/* the column of output position j: the window's taps in filter order, x + off, 0 in the
   padding; x is the group's first input channel */
static void im2col(const o2m_q8_conv_params *q, const q8_geo *g, const int8_t *x, int32_t j,
		   int16_t *col)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t off = q->input_offset, kw = p->k_w, dw = p->dil_w, in_w = p->in_w;
	const uint32_t in_d = (uint32_t)p->in_d, in_h = (uint32_t)p->in_h;
	int32_t c, i, jj, l, d, h, i2, d0, h0, w0, inside;

	q8_corner(p, j, &d0, &h0, &w0);
	inside = w0 >= 0 && w0 + (kw - 1) * dw < in_w;

	if (inside && kw == 3 && p->k_h == 3 && p->k_d == 1 && (uint32_t)d0 < in_d && h0 >= 0 &&
	    h0 + 2 * p->dil_h < (int32_t)in_h) { /* a 3 x 3 window inside the input */
		const int32_t rs = p->dil_h * in_w, r2 = 2 * rs, d2 = 2 * dw;
		const int8_t *xr = x + (d0 * p->in_h + h0) * in_w + w0;
		for (c = 0; c < g->cin; c++, xr += g->in_plane, col += 9) {
			col[0] = (int16_t)(xr[0] + off);
			col[1] = (int16_t)(xr[dw] + off);
			col[2] = (int16_t)(xr[d2] + off);
			col[3] = (int16_t)(xr[rs] + off);
			col[4] = (int16_t)(xr[rs + dw] + off);
			col[5] = (int16_t)(xr[rs + d2] + off);
			col[6] = (int16_t)(xr[r2] + off);
			col[7] = (int16_t)(xr[r2 + dw] + off);
			col[8] = (int16_t)(xr[r2 + d2] + off);
		}
		return;
	}
	for (c = 0; c < g->cin; c++, x += g->in_plane)
		for (i = 0, d = d0; i < p->k_d; i++, d += p->dil_d)
			for (jj = 0, h = h0; jj < p->k_h; jj++, h += p->dil_h, col += kw) {
				const int8_t *xr;
				if ((uint32_t)d >= in_d || (uint32_t)h >= in_h) {
					for (l = 0; l < kw; l++)
						col[l] = 0;
					continue;
				}
				xr = x + (d * p->in_h + h) * in_w; /* the row; w0 may be < 0 */
				if (inside) {
					xr += w0;
					for (l = 0; l < kw; l++)
						col[l] = (int16_t)(xr[l * dw] + off);
				} else {
					for (l = 0, i2 = w0; l < kw; l++, i2 += dw)
						col[l] = (uint32_t)i2 < (uint32_t)in_w
							 ? (int16_t)(xr[i2] + off) : 0;
				}
			}
}

#ifdef Q8_DSP
/* t0 and t1, plain columns of n values, as the columns c: each four values
   (a, b, c, d) become (a, c, b, d), PKHBT and PKHTB of their two words */
static void cols_pack(const int16_t *t0, const int16_t *t1, int32_t n, int16_t *c)
{
	const int32_t n4 = n & ~3, r = n - n4;
	int32_t k, lo, hi, v[4];

	for (k = 0; k < n4; k += 4, c += 8) {
		memcpy(&lo, t0 + k, 4);
		memcpy(&hi, t0 + k + 2, 4);
		v[0] = (int32_t)(((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16));
		v[1] = (int32_t)(((uint32_t)hi & 0xffff0000u) | ((uint32_t)lo >> 16));
		memcpy(&lo, t1 + k, 4);
		memcpy(&hi, t1 + k + 2, 4);
		v[2] = (int32_t)(((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16));
		v[3] = (int32_t)(((uint32_t)hi & 0xffff0000u) | ((uint32_t)lo >> 16));
		memcpy(c, v, sizeof v);
	}
	for (k = 0; k < r; k++) {
		c[k] = t0[n4 + k];
		c[r + k] = t1[n4 + k];
	}
}
#endif

/* o2m_q8_conv_s8, and with rs the residual Add */
static int conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y,
		   const q8_res *rs)
{
	const o2m_conv_params *c = &p->conv;
	int16_t *cols, *t;
	int32_t n, gr, j, j1, k;
	rq_ch *tab;
	q8_geo g;

	if (!q8_conv_geo(p, x, w, rq, scratch, y, &g))
		return O2M_ERR_ARG;
	k = g.cin * g.ksize;
	cols = rq_scratch(p, rq, scratch, &tab);
#ifdef Q8_DSP
	t = cols + 2 * k; /* the plain columns, packed into cols */
#else
	t = cols;
#endif
	for (n = 0; n < c->n; n++)
		for (gr = 0; gr < c->group; gr++) {
			const int8_t *xg = x + (n * c->c_in + gr * g.cin) * g.in_plane;
			const int32_t oc = gr * g.cout;
			for (j = 0; j < g.out_plane; j += 2) {
				j1 = j + 1 < g.out_plane ? j + 1 : j;
				im2col(p, &g, xg, j, t);
				im2col(p, &g, xg, j1, t + k);
#ifdef Q8_DSP
				cols_pack(t, t + k, k, cols);
#endif
				if (!rs) {
					cols_out(p, g.cout, g.out_plane, cols, k, w + oc * k,
						 bias ? bias + oc : NULL, tab + oc, j, j1,
						 y + (n * c->c_out + oc) * g.out_plane);
					continue;
				}
				cols_out(p, g.cout, 2, cols, k, w + oc * k, bias ? bias + oc : NULL,
					 tab + oc, 0, j1 - j, rs->t);
				res_out(rs, g.cout, g.out_plane, j, j1 - j + 1,
					rs->r + (n * c->c_out + oc) * g.out_plane,
					y + (n * c->c_out + oc) * g.out_plane);
			}
		}
	return O2M_OK;
}

int o2m_q8_conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	return conv_s8(p, x, w, bias, rq, scratch, y, NULL);
}

/* ---- a float input quantized as it is read ---- */

/* input rows [from, to) of image row h0 + r (r from `from`), every channel, quantized
   into rows r of the band (c_in planes of rows x in_w); rows outside the image hold the
   zero point, which reads as x + input_offset = 0 as padding does */
static void fq_rows(const o2m_q8_conv_fq_params *p, const float *x, int32_t h0, int32_t from,
		    int32_t to, int32_t rows, int8_t *band)
{
	const o2m_conv_params *c = &p->conv.conv;
	const int32_t in_w = c->in_w, plane = c->in_h * in_w;
	const o2m_qdiv d = o2m_qdiv_make(p->in_scale);
	int32_t ch, r, i;

	for (ch = 0; ch < c->c_in; ch++)
		for (r = from; r < to; r++) {
			int8_t *b = band + (ch * rows + r) * in_w;
			const int32_t h = h0 + r;
			const float *xr = x + ch * plane + h * in_w;
			if (h < 0 || h >= c->in_h) {
				memset(b, (int8_t)p->in_zero, (size_t)in_w);
				continue;
			}
			for (i = 0; i < in_w; i++)
				b[i] = (int8_t)o2m_qdiv_sat(xr[i], &d, p->in_zero, -128, 127);
		}
}

int o2m_q8_conv_fq_s8(const o2m_q8_conv_fq_params *p, const float *x, const int8_t *w,
		      const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	const o2m_conv_params *c = &p->conv.conv;
	const int32_t rows = (int32_t)o2m_q8_fq_rows(c), s = c->stride_h;
	o2m_q8_conv_params band_p = p->conv; /* one output row over the band's rows */
	q8_geo g, bg;
	int16_t *cols, *t;
	int8_t *band;
	int32_t n, oy, ox, gr, k, h0, keep, j, j1;
	rq_ch *tab;

	if (!x || !q8_conv_geo(&p->conv, (const int8_t *)(const void *)x, w, rq, scratch, y, &g) ||
	    c->k_d != 1 || c->in_d != 1 || c->out_d != 1 || p->in_zero < -128 || p->in_zero > 127 ||
	    p->conv.input_offset != -p->in_zero || !(p->in_scale > 0.0f))
		return O2M_ERR_ARG;
	k = g.cin * g.ksize;
	cols = rq_scratch(&p->conv, rq, scratch, &tab);
#ifdef Q8_DSP
	t = cols + 2 * k; /* the plain columns, packed into cols */
#else
	t = cols;
#endif
	band = (int8_t *)(cols + 4 * k); /* after o2m_q8_conv_s8's scratch */
	band_p.conv.in_h = rows;
	band_p.conv.out_h = 1;
	band_p.conv.pad_h = 0;
	bg = g;
	bg.in_plane = rows * c->in_w;
	bg.out_plane = c->out_w;
	for (n = 0; n < c->n; n++, x += c->c_in * g.in_plane, y += c->c_out * g.out_plane) {
		keep = 0; /* rows of the band still holding the next output row's first rows */
		for (oy = 0; oy < c->out_h; oy++) {
			h0 = oy * s - c->pad_h;
			if (oy && keep > 0) { /* slide: the last `keep` rows move up */
				for (gr = 0; gr < c->c_in; gr++)
					memmove(band + gr * rows * c->in_w,
						band + (gr * rows + rows - keep) * c->in_w,
						(size_t)(keep * c->in_w));
			}
			fq_rows(p, x, h0, oy ? keep : 0, rows, rows, band);
			keep = rows - s > 0 ? rows - s : 0;
			for (gr = 0; gr < c->group; gr++) {
				const int8_t *xg = band + gr * g.cin * bg.in_plane;
				const int32_t oc = gr * g.cout;
				for (ox = 0; ox < c->out_w; ox += 2) {
					const int32_t ox1 = ox + 1 < c->out_w ? ox + 1 : ox;
					j = oy * c->out_w + ox;
					j1 = oy * c->out_w + ox1;
					im2col(&band_p, &bg, xg, ox, t);
					im2col(&band_p, &bg, xg, ox1, t + k);
#ifdef Q8_DSP
					cols_pack(t, t + k, k, cols);
#endif
					cols_out(&p->conv, g.cout, g.out_plane, cols, k, w + oc * k,
						 bias ? bias + oc : NULL, tab + oc, j, j1,
						 y + oc * g.out_plane);
				}
			}
		}
	}
	return O2M_OK;
}

/* ---- 1x1 convolution ---- */

static int is_1x1(const o2m_conv_params *p)
{
	return p->group == 1 && p->k_d == 1 && p->k_h == 1 && p->k_w == 1 &&
	       p->stride_d == 1 && p->stride_h == 1 && p->stride_w == 1 && p->dil_d == 1 &&
	       p->dil_h == 1 && p->dil_w == 1 && !p->pad_d && !p->pad_h && !p->pad_w &&
	       p->out_d == p->in_d && p->out_h == p->in_h && p->out_w == p->in_w;
}

/* the columns of positions j and j1 of x [cin x hw] + off */
static void cols_1x1(const int8_t *x, int32_t cin, int32_t hw, int32_t off, int32_t j,
		     int32_t j1, int16_t *c)
{
	int32_t i = 0;
#ifdef Q8_DSP
	const int32_t op = q8_pack16(off, off);
	const int8_t *x0, *x1;
	int32_t v[4];

	for (; i + 4 <= cin; i += 4, c += 8) { /* (a, c, b, d) of each four */
		x0 = x + i * hw + j;
		x1 = x + i * hw + j1;
		v[0] = __sadd16(q8_pack16(x0[0], x0[2 * hw]), op);
		v[1] = __sadd16(q8_pack16(x0[hw], x0[3 * hw]), op);
		v[2] = __sadd16(q8_pack16(x1[0], x1[2 * hw]), op);
		v[3] = __sadd16(q8_pack16(x1[hw], x1[3 * hw]), op);
		memcpy(c, v, sizeof v);
	}
	for (; i < cin; i++) {
		c[i - (cin & ~3)] = (int16_t)(x[i * hw + j] + off);
		c[i - (cin & ~3) + (cin & 3)] = (int16_t)(x[i * hw + j1] + off);
	}
#else
	for (; i < cin; i++) {
		c[i] = (int16_t)(x[i * hw + j] + off);
		c[cin + i] = (int16_t)(x[i * hw + j1] + off);
	}
#endif
}

/* per batch item, y [c_out x hw] = w [c_out x c_in] * (x [c_in x hw] + off): the
   columns are x's, two positions at a time */
/* o2m_q8_conv_1x1_s8, and with rs the residual Add */
static int conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y,
		       const q8_res *rs)
{
	const o2m_conv_params *c = &p->conv;
	const int32_t cin = c->c_in, off = p->input_offset;
	const int8_t *r = rs ? rs->r : NULL;
	int16_t *cols;
	int32_t n, j, j1;
	rq_ch *tab;
	q8_geo g;

	if (!q8_conv_geo(p, x, w, rq, scratch, y, &g) || !is_1x1(c))
		return O2M_ERR_ARG;
	cols = rq_scratch(p, rq, scratch, &tab);
	for (n = 0; n < c->n; n++, x += cin * g.in_plane, y += c->c_out * g.out_plane,
	    r += rs ? c->c_out * g.out_plane : 0)
		for (j = 0; j < g.out_plane; j += 2) {
			j1 = j + 1 < g.out_plane ? j + 1 : j;
			cols_1x1(x, cin, g.in_plane, off, j, j1, cols);
			if (!rs) {
				cols_out(p, c->c_out, g.out_plane, cols, cin, w, bias, tab, j, j1, y);
				continue;
			}
			cols_out(p, c->c_out, 2, cols, cin, w, bias, tab, 0, j1 - j, rs->t);
			res_out(rs, c->c_out, g.out_plane, j, j1 - j + 1, r, y);
		}
	return O2M_OK;
}

int o2m_q8_conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	return conv_1x1_s8(p, x, w, bias, rq, scratch, y, NULL);
}

int o2m_q8_conv_res_s8(const o2m_q8_conv_res_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, const int8_t *r, int16_t *scratch,
		       int8_t *y)
{
	const int k1 = is_1x1(&p->conv.conv);
	q8_res rs;

	if (!res_prep(p, NULL, r, scratch, o2m_q8_conv_scratch_bytes(&p->conv, 0, k1), 2, &rs))
		return O2M_ERR_ARG;
	return k1 ? conv_1x1_s8(&p->conv, x, w, bias, rq, scratch, y, &rs)
		  : conv_s8(&p->conv, x, w, bias, rq, scratch, y, &rs);
}

/* ---- depthwise convolution ---- */

/* o[i] = x[i] + off, i < n (int16; with DSP four at a time: SXTB16, SADD16, PKH) */
static void copy_off(const int8_t *x, int32_t n, int32_t off, int16_t *o)
{
#ifdef Q8_DSP
	const int32_t op = q8_pack16(off, off);
	int32_t u, a, b, v0, v1;

	for (; n >= 4; n -= 4, x += 4, o += 4) {
		u = q8_load4(x);
		a = __sadd16(__sxtb16(u), op);       /* (x0, x2) */
		b = __sadd16(q8_sxtb16_ror8(u), op); /* (x1, x3) */
		v0 = q8_pkhbt(a, b);
		v1 = q8_pkhtb(a, b);
		memcpy(o, &v0, 4);
		memcpy(o + 2, &v1, 4);
	}
#endif
	for (; n > 0; n--)
		*o++ = (int16_t)(*x++ + off);
}

/* n zeros at o: the one or two of a row's padding without a call */
static inline void zero16(int16_t *o, int32_t n)
{
	if (n > 2)
		memset(o, 0, sizeof *o * (size_t)n);
	else if (n > 0)
		o[0] = o[n - 1] = 0;
}

/* the input channel x as the padded plane pl (e_d x e_h x e_w int16, starting at
   -pad along each axis, its rows from padded row j0 on): x + off inside, 0 outside */
static void pad_plane(const o2m_conv_params *p, const int8_t *x, int32_t off, int32_t e_d,
		      int32_t j0, int32_t e_h, int32_t e_w, int16_t *pl)
{
	const int32_t lead = p->pad_w < e_w ? p->pad_w : e_w; /* zeros before a row's data */
	const int32_t run = p->in_w < e_w - lead ? p->in_w : e_w - lead;
	int32_t i, j, d, h;

	for (i = 0; i < e_d; i++) {
		d = i - p->pad_d;
		for (j = 0; j < e_h; j++, pl += e_w) {
			h = j0 + j - p->pad_h;
			if ((uint32_t)d >= (uint32_t)p->in_d || (uint32_t)h >= (uint32_t)p->in_h) {
				memset(pl, 0, sizeof *pl * (size_t)e_w);
				continue;
			}
			zero16(pl, lead);
			copy_off(x + (d * p->in_h + h) * p->in_w, run, off, pl + lead);
			zero16(pl + lead + run, e_w - lead - run);
		}
	}
}

/* the sum of one window of the padded plane: pl at its first tap */
static int32_t dw_window(const o2m_conv_params *p, const int16_t *pl, int32_t e_h,
			 int32_t e_w, const int8_t *w)
{
	int32_t acc = 0, i, j, l;

	for (i = 0; i < p->k_d; i++)
		for (j = 0; j < p->k_h; j++, w += p->k_w) {
			const int16_t *r = pl + (i * p->dil_d * e_h + j * p->dil_h) * e_w;
			for (l = 0; l < p->k_w; l++)
				acc += r[l * p->dil_w] * w[l];
		}
	return acc;
}

/* a bias the doubled sums of a 3x3 depthwise filter keep inside int32 */
static int dw_bias_ok(int32_t b)
{
	return b > -(1 << 29) && b < (1 << 29);
}

/* the portable fused row: n outputs of a 3x3 filter at stride sw along the row (unit
   dilation), the nine weights doubled (w9), the doubled sum rescaled as rq2_one's (e a
   fast channel), one product per statement so that each is one MLA */
static inline void dw3_c_k(const int16_t *r, int32_t rs, int32_t sw, const int32_t w9[9],
			   int32_t bias2, const rq2 *e, const out_step *o, int32_t n, int8_t *y,
			   int32_t ys, int kind)
{
	const int32_t w0 = w9[0], w1 = w9[1], w2 = w9[2], w3 = w9[3], w4 = w9[4], w5 = w9[5];
	const int32_t w6 = w9[6], w7 = w9[7], w8 = w9[8];
	const int32_t mult = e->mult, cst = e->c, sh = e->r, lo = o->lo, hi = o->hi;
	const int16_t *r1 = r + rs, *r2 = r + 2 * rs;
	int32_t i, s0, h;

	for (i = 0; i < n; i++, r += sw, r1 += sw, r2 += sw) {
		s0 = bias2;
		s0 += r[0] * w0;
		s0 += r[1] * w1;
		s0 += r[2] * w2;
		s0 += r1[0] * w3;
		s0 += r1[1] * w4;
		s0 += r1[2] * w5;
		s0 += r2[0] * w6;
		s0 += r2[1] * w7;
		s0 += r2[2] * w8;
		h = q8_smmulr(s0, mult);
		y[i * ys] = (int8_t)clamp_k(rq2_round(h, cst, sh), lo, hi, kind);
	}
}

#ifdef Q8_DSP
/* One output row of a 3x3 filter on the padded plane (r the first filter row's start,
   rs the step between filter rows), the sums carried doubled from bias2 and rescaled as
   rq2_one's (e a fast channel) into y[i * ys], clamp_k kind. wp: the 9 weights doubled,
   packed by dw_pack3x3. Unit stride: two outputs at a time, the words (x0, x1) and
   (x1, x2) meeting (w0, w1) in SMLADs and x2, x3 meeting w2 as the halves of (x2, x3);
   an odd last output is made with the one before it again (n >= 2). */
static inline void dw3_s1_k(const int16_t *r, int32_t rs, const int32_t *wp, int32_t bias2,
			    const rq2 *e, const out_step *o, int32_t n, int8_t *y, int32_t ys,
			    int kind)
{
	const int32_t a01 = wp[0], a2 = wp[1], b01 = wp[2], b2 = wp[3], c01 = wp[4], c2 = wp[5];
	const int32_t mult = e->mult, cst = e->c, sh = e->r, lo = o->lo, hi = o->hi;
	const int16_t *r1 = r + rs, *r2 = r + 2 * rs;
	int32_t i = 0, s0, s1, v, h;

	for (;;) {
		for (; i + 2 <= n; i += 2) {
			v = q8_load16x2(r + i + 2);
			s0 = __smlabb(v, a2, __smlad(q8_load16x2(r + i), a01, bias2));
			s1 = __smlatb(v, a2, __smlad(q8_load16x2(r + i + 1), a01, bias2));
			v = q8_load16x2(r1 + i + 2);
			s0 = __smlabb(v, b2, __smlad(q8_load16x2(r1 + i), b01, s0));
			s1 = __smlatb(v, b2, __smlad(q8_load16x2(r1 + i + 1), b01, s1));
			v = q8_load16x2(r2 + i + 2);
			s0 = __smlabb(v, c2, __smlad(q8_load16x2(r2 + i), c01, s0));
			s1 = __smlatb(v, c2, __smlad(q8_load16x2(r2 + i + 1), c01, s1));
			h = q8_smmulr(s0, mult);
			y[i * ys] = (int8_t)clamp_k(rq2_round(h, cst, sh), lo, hi, kind);
			h = q8_smmulr(s1, mult);
			y[(i + 1) * ys] = (int8_t)clamp_k(rq2_round(h, cst, sh), lo, hi, kind);
		}
		if (i == n)
			return;
		i = n - 2; /* the odd last one */
	}
}

/* the same at stride 2 (n >= 1): output i reads x[2i], x[2i + 1], x[2i + 2]; the word
   (x[2i + 2], x[2i + 3]) gives output i its last tap and output i + 1 its first two.
   The last output reads its last tap alone (the word would pass the row's end). */
static inline void dw3_s2_k(const int16_t *r, int32_t rs, const int32_t *wp, int32_t bias2,
			    const rq2 *e, const out_step *o, int32_t n, int8_t *y, int32_t ys,
			    int kind)
{
	const int32_t a01 = wp[0], a2 = wp[1], b01 = wp[2], b2 = wp[3], c01 = wp[4], c2 = wp[5];
	const int32_t mult = e->mult, cst = e->c, sh = e->r, lo = o->lo, hi = o->hi;
	const int16_t *r1 = r + rs, *r2 = r + 2 * rs;
	int32_t i, s0, u, v, w, u1, v1, w1, h;

	u = q8_load16x2(r);
	v = q8_load16x2(r1);
	w = q8_load16x2(r2);
	for (i = 0; i + 1 < n; i++, u = u1, v = v1, w = w1) {
		u1 = q8_load16x2(r + 2 * i + 2);
		v1 = q8_load16x2(r1 + 2 * i + 2);
		w1 = q8_load16x2(r2 + 2 * i + 2);
		s0 = __smlabb(u1, a2, __smlad(u, a01, bias2));
		s0 = __smlabb(v1, b2, __smlad(v, b01, s0));
		s0 = __smlabb(w1, c2, __smlad(w, c01, s0));
		h = q8_smmulr(s0, mult);
		y[i * ys] = (int8_t)clamp_k(rq2_round(h, cst, sh), lo, hi, kind);
	}
	s0 = __smlabb(r[2 * i + 2], a2, __smlad(u, a01, bias2));
	s0 = __smlabb(r1[2 * i + 2], b2, __smlad(v, b01, s0));
	s0 = __smlabb(r2[2 * i + 2], c2, __smlad(w, c01, s0));
	h = q8_smmulr(s0, mult);
	y[i * ys] = (int8_t)clamp_k(rq2_round(h, cst, sh), lo, hi, kind);
}

#ifdef Q8_MVE
/* four outputs of a 3x3 row at stride sw (q their first tap, rows rs apart, xo the lanes'
   offsets when sw > 1): each tap one widening load (a gather at strides above 1) and one
   VMLA by its doubled weight; loads under the predicate in (NULL: none) */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32x4_t dw3_mve4(const int16_t *q, int32_t rs, int32_t sw, uint32x4_t xo,
				 const int32_t *w9, int32_t bias2, const mve_pred16_t *in)
{
	const int32_t w0 = w9[0], w1 = w9[1], w2 = w9[2], w3 = w9[3], w4 = w9[4];
	const int32_t w5 = w9[5], w6 = w9[6], w7 = w9[7], w8 = w9[8];
	int32x4_t s = vdupq_n_s32(bias2);

#define DW3_LD(x)                                                                      \
	(sw == 1 ? (in ? vldrhq_z_s32(x, *in) : vldrhq_s32(x))                         \
		 : (in ? vldrhq_gather_shifted_offset_z_s32(x, xo, *in)                \
		       : vldrhq_gather_shifted_offset_s32(x, xo)))
	s = vmlaq_n_s32(s, DW3_LD(q), w0);
	s = vmlaq_n_s32(s, DW3_LD(q + 1), w1);
	s = vmlaq_n_s32(s, DW3_LD(q + 2), w2);
	q += rs;
	s = vmlaq_n_s32(s, DW3_LD(q), w3);
	s = vmlaq_n_s32(s, DW3_LD(q + 1), w4);
	s = vmlaq_n_s32(s, DW3_LD(q + 2), w5);
	q += rs;
	s = vmlaq_n_s32(s, DW3_LD(q), w6);
	s = vmlaq_n_s32(s, DW3_LD(q + 1), w7);
	s = vmlaq_n_s32(s, DW3_LD(q + 2), w8);
#undef DW3_LD
	return s;
}

/* the row on Helium: four outputs per turn in 32-bit lanes (dw3_mve4), the doubled sums
   rescaled as rq2_one's (VRMULH is SMMULR), stored as bytes ys apart */
static void dw3_mve(const int16_t *r, int32_t rs, int32_t sw, const int32_t *w9, int32_t bias2,
		    const rq2 *e, const out_step *o, int32_t n, int8_t *y, int32_t ys,
		    int32_t rows, int32_t rstep, int32_t ystep)
{
	const int32x4_t m = vdupq_n_s32(e->mult), c = vdupq_n_s32(e->c), nr = vdupq_n_s32(-e->r);
	const int32x4_t lo = vdupq_n_s32(o->lo), hi = vdupq_n_s32(o->hi);
	const uint32x4_t yo = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)ys);
	const uint32x4_t xo = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)sw);
	int32_t i, k;
	mve_pred16_t in;
	int32x4_t s, h;

	for (k = 0; k < rows; k++, r += rstep, y += ystep)
	for (i = 0; i < n; i += 4) {
		in = vctp32q((uint32_t)(n - i));
		/* each case its own call, so that the loads are known at compile time; the
		   last turn reads only its lanes (the plane's last row ends there) */
		if (i + 4 <= n)
			s = sw == 1 ? dw3_mve4(r + i, rs, 1, xo, w9, bias2, NULL)
				    : dw3_mve4(r + i * sw, rs, 2, xo, w9, bias2, NULL);
		else
			s = sw == 1 ? dw3_mve4(r + i, rs, 1, xo, w9, bias2, &in)
				    : dw3_mve4(r + i * sw, rs, 2, xo, w9, bias2, &in);
		h = vrmulhq_s32(s, m);
		h = vshlq_s32(vaddq_s32(vaddq_s32(h, c), vshrq_n_s32(h, 31)), nr);
		h = vminq_s32(vmaxq_s32(h, lo), hi);
		if (ys == 1)
			vstrbq_p_s32(y + i, h, in);
		else
			vstrbq_scatter_offset_p_s32(y + i * ys, yo, h, in);
	}
}
#endif

/* rows of outputs (the first at r and y, the next rstep and ystep further): each
   dw3_s1_k or dw3_s2_k (stride sw), or dw3_c_k at other strides, with a constant clamp
   kind; wp from dw_pack3x3 (dw3_mve on Helium) */
static void dw3_row(const int16_t *r, int32_t rs, int32_t sw, const int32_t wp[15],
		    int32_t bias2, const rq2 *e, const out_step *o, int32_t n, int8_t *y,
		    int32_t ys, int32_t rows, int32_t rstep, int32_t ystep)
{
#ifdef Q8_MVE
	dw3_mve(r, rs, sw, wp + 6, bias2, e, o, n, y, ys, rows, rstep, ystep);
#else
	int32_t k;

	for (k = 0; k < rows; k++, r += rstep, y += ystep) {
		if (sw > 2 || (sw == 1 && n < 2)) {
			dw3_c_k(r, rs, sw, wp + 6, bias2, e, o, n, y, ys, 0);
			continue;
		}
		switch (clamp_kind(o->lo, o->hi) * 2 + (sw == 2)) {
		case 2: dw3_s1_k(r, rs, wp, bias2, e, o, n, y, ys, 1); break;
		case 3: dw3_s2_k(r, rs, wp, bias2, e, o, n, y, ys, 1); break;
		case 4: dw3_s1_k(r, rs, wp, bias2, e, o, n, y, ys, 2); break;
		case 5: dw3_s2_k(r, rs, wp, bias2, e, o, n, y, ys, 2); break;
		case 1: dw3_s2_k(r, rs, wp, bias2, e, o, n, y, ys, 0); break;
		default: dw3_s1_k(r, rs, wp, bias2, e, o, n, y, ys, 0);
		}
	}
#endif
}

#else
static void dw3_row(const int16_t *r, int32_t rs, int32_t sw, const int32_t wp[15],
		    int32_t bias2, const rq2 *e, const out_step *o, int32_t n, int8_t *y,
		    int32_t ys, int32_t rows, int32_t rstep, int32_t ystep)
{
	int32_t k;

	for (k = 0; k < rows; k++, r += rstep, y += ystep)
		switch (clamp_kind(o->lo, o->hi)) {
		case 1: dw3_c_k(r, rs, sw, wp + 6, bias2, e, o, n, y, ys, 1); break;
		case 2: dw3_c_k(r, rs, sw, wp + 6, bias2, e, o, n, y, ys, 2); break;
		default: dw3_c_k(r, rs, sw, wp + 6, bias2, e, o, n, y, ys, 0);
		}
}
#endif

/* the 3x3 weights doubled for dw3_row: (w0, w1), w2 of each filter row as SMLAD takes
   them, then the nine one by one */
static void dw_pack3x3(const int8_t *w, int32_t wp[15])
{
	int32_t i;

	wp[0] = q8_pack16(2 * w[0], 2 * w[1]), wp[1] = 2 * w[2];
	wp[2] = q8_pack16(2 * w[3], 2 * w[4]), wp[3] = 2 * w[5];
	wp[4] = q8_pack16(2 * w[6], 2 * w[7]), wp[5] = 2 * w[8];
	for (i = 0; i < 9; i++)
		wp[6 + i] = 2 * w[i];
}

#ifdef Q8_DSP
/* pad_plane transposed (2-D): e_w rows of e_h, pl[w][h] */
static void pad_plane_t(const o2m_conv_params *p, const int8_t *x, int32_t off, int32_t e_h,
			int32_t e_w, int16_t *pl)
{
	const uint32_t in_h = (uint32_t)p->in_h;
	const int8_t *xc;
	int32_t l, j, h, w;

	if (p->pad_w >= 0 && p->pad_h >= 0 && p->in_w + p->pad_w <= e_w &&
	    p->in_h + p->pad_h <= e_h) { /* the usual plane: zeros, then the input row by row */
		const int32_t op = q8_pack16(off, off), in_w = p->in_w;
		memset(pl, 0, sizeof *pl * (size_t)(e_h * e_w));
		for (h = 0, xc = x; h < (int32_t)in_h; h++, xc += in_w) {
			int16_t *o = pl + p->pad_w * e_h + p->pad_h + h; /* column w: o + w e_h */
			for (w = 0; w + 4 <= in_w; w += 4, o += 4 * e_h) { /* four at a time */
				const int32_t v = q8_load4(xc + w);
				const int32_t a = __sadd16(__sxtb16(v), op);       /* x0, x2 */
				const int32_t b = __sadd16(q8_sxtb16_ror8(v), op); /* x1, x3 */
				o[0] = (int16_t)a;
				o[e_h] = (int16_t)b;
				o[2 * e_h] = (int16_t)(a >> 16);
				o[3 * e_h] = (int16_t)(b >> 16);
			}
			for (; w < in_w; w++, o += e_h)
				*o = (int16_t)(xc[w] + off);
		}
		return;
	}
	for (l = 0; l < e_w; l++, pl += e_h) {
		w = l - p->pad_w;
		if ((uint32_t)w >= (uint32_t)p->in_w) {
			for (j = 0; j < e_h; j++)
				pl[j] = 0;
			continue;
		}
		for (j = 0; j < p->pad_h && j < e_h; j++) /* rows above: 0 */
			pl[j] = 0;
		for (xc = x + w, h = 0; j < e_h && h < (int32_t)in_h; j++, h++, xc += p->in_w)
			pl[j] = (int16_t)(*xc + off);
		for (; j < e_h; j++)
			pl[j] = 0;
	}
}

/* the outputs of one channel from its transposed plane, any rescale */
static void dw_cols(const o2m_conv_params *p, const int16_t *pl, int32_t e_h,
		    const int8_t *wt, int32_t bias, const q8_rq *r, int8_t *y)
{
	int32_t ox, oy, i, j, acc;

	for (ox = 0; ox < p->out_w; ox++)
		for (oy = 0; oy < p->out_h; oy++) {
			acc = bias;
			for (i = 0; i < 3; i++)
				for (j = 0; j < 3; j++)
					acc += pl[(ox * p->stride_w + i * p->dil_w) * e_h + oy + j] *
					       wt[i * 3 + j];
			y[oy * p->out_w + ox] = q8_rq_out(r, acc);
		}
}

/* the depthwise convolution of dw_tall geometries */
static void dw_tall_all(const o2m_q8_conv_params *p, const q8_geo *g, const int8_t *x,
			const int8_t *w, const int32_t *bias, const int32_t *rq, int16_t *pl,
			int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	const int32_t e_h = c->out_h + 2, e_w = (int32_t)o2m_q8_span(c->out_w, 3, c->stride_w,
								       c->dil_w);
	const out_step os = {p->output_offset, p->act_min, p->act_max};
	int32_t n, ic, m, oc, i, b;
	int32_t wp[15];
	int8_t wt[9];
	q8_rq r;
	rq2 e;

	for (n = 0; n < c->n; n++)
		for (ic = 0; ic < c->c_in; ic++) {
			pad_plane_t(c, x + (n * c->c_in + ic) * g->in_plane, p->input_offset, e_h,
				    e_w, pl);
			for (m = 0; m < g->cout; m++) {
				int8_t *yo = y + (n * c->c_out + (oc = ic * g->cout + m)) * g->out_plane;
				for (i = 0; i < 9; i++)
					wt[i] = w[oc * 9 + i % 3 * 3 + i / 3];
				dw_pack3x3(wt, wp);
				b = bias ? bias[oc] : 0;
				e = rq2_of(rq[oc], p->output_offset);
				if (!e.r || !dw_bias_ok(b)) {
					r = q8_rq_make(rq[oc], p->output_offset, p->act_min, p->act_max);
					dw_cols(c, pl, e_h, wt, b, &r, yo);
					continue;
				}
				dw3_row(pl, c->dil_w * e_h, 1, wp, 2 * b, &e, &os, c->out_h, yo, c->out_w,
					c->out_w, c->stride_w * e_h, 1);
			}
		}
}
#endif

/* one output row of a 3x3 filter (any stride and dilation along w), the 9 weights in
   registers: the sums, then the outputs */
static void dw_row3x3_c(const int16_t *r, int32_t rs, int32_t sw, int32_t dw, const int8_t *w,
			int32_t bias, const q8_rq *rq, int32_t n, int8_t *y)
{
	const int32_t w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
	const int32_t w6 = w[6], w7 = w[7], w8 = w[8], d2 = 2 * dw;
	const int16_t *r1 = r + rs, *r2 = r + 2 * rs;
	int32_t o;

	for (o = 0; o < n; o++, r += sw, r1 += sw, r2 += sw)
		y[o] = q8_rq_out(rq, bias + r[0] * w0 + r[dw] * w1 + r[d2] * w2 + r1[0] * w3 +
					     r1[dw] * w4 + r1[d2] * w5 + r2[0] * w6 + r2[dw] * w7 +
					     r2[d2] * w8);
}

/* one output channel from its input channel's padded plane: word its packed rescale,
   o the output step */
static void dw_plane(const o2m_conv_params *p, const int16_t *pl, int32_t e_h, int32_t e_w,
		     const int8_t *w, int32_t bias, int32_t word, const out_step *o, int8_t *y)
{
	const int32_t sd = p->stride_d * e_h * e_w, sh = p->stride_h * e_w;
	int32_t od, oh, ow;
	const q8_rq rq = q8_rq_make(word, o->off, o->lo, o->hi);
	const q8_rq *r = &rq;
	const rq2 e = rq2_of(word, o->off);
	const int fast = p->k_d == 1 && p->k_h == 3 && p->k_w == 3 && p->dil_w == 1 && e.r &&
			 dw_bias_ok(bias);
	int32_t wp[15];

	dw_pack3x3(w, wp);

	for (od = 0; od < p->out_d; od++)
		for (oh = 0; oh < p->out_h; oh++, y += p->out_w) {
			const int16_t *row = pl + od * sd + oh * sh;
			if (fast) { /* the plane's rows at once */
				dw3_row(row, p->dil_h * e_w, p->stride_w, wp, 2 * bias, &e, o,
					p->out_w, y, 1, p->out_h, sh, p->out_w);
				y += p->out_h * p->out_w; /* break skips the loop's own step */
				break;
			}
			if (p->k_d == 1 && p->k_h == 3 && p->k_w == 3) {
				dw_row3x3_c(row, p->dil_h * e_w, p->stride_w, p->dil_w, w, bias, r,
					    p->out_w, y);
				continue;
			}
			for (ow = 0; ow < p->out_w; ow++)
				y[ow] = q8_rq_out(r, bias + dw_window(p, row + ow * p->stride_w,
								      e_h, e_w, w));
		}
}

/* a depthwise convolution of 1x1x1 filters reading every input once (no padding, unit
   strides): each output the sum of one product and the bias */
/* dw_scale on planes of one value (BatchNormalization after a fully connected layer):
   channel after channel; clamp_k kind */
static inline void dw_scale1(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
			     const int32_t *bias, const int32_t *rq, int8_t *y, int kind)
{
	static const int32_t zero = 0;
	const out_step os = {p->output_offset, p->act_min, p->act_max};
	const int32_t off = p->input_offset, cn = p->conv.c_out, bs = bias ? 1 : 0;
	const int32_t *bp;
	int32_t n, oc, b, v;

	for (n = 0; n < p->conv.n; n++, x += cn, y += cn)
		for (oc = 0, bp = bias ? bias : &zero; oc < cn; oc++, bp += bs) {
			b = *bp;
			v = b + (x[oc] + off) * w[oc];
			/* doubled sums: |2 (b + 383 * 128)| < 2^31 */
			y[oc] = dw_bias_ok(b) ? rq2_word(&os, rq[oc], 2 * v, kind)
					      : (int8_t)q8_word_out(&os, rq[oc], v);
		}
}

/* dw_scale1 for each clamp kind, a function of its own (inlined into o2m_q8_conv_dw_s8,
   its loop would share that one's registers) */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void dw_scale1_all(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
			  const int32_t *bias, const int32_t *rq, int8_t *y)
{
	switch (clamp_kind(p->act_min, p->act_max)) {
	case 1: dw_scale1(p, x, w, bias, rq, y, 1); break;
	case 2: dw_scale1(p, x, w, bias, rq, y, 2); break;
	default: dw_scale1(p, x, w, bias, rq, y, 0);
	}
}

static void dw_scale(const o2m_q8_conv_params *p, const q8_geo *g, const int8_t *x,
		     const int8_t *w, const int32_t *bias, const int32_t *rq, int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	const out_step os = {p->output_offset, p->act_min, p->act_max};
	const int32_t off = p->input_offset, mult = g->cout;
	int32_t n, oc, j, b, wv;
	q8_rq r;
	rq2 e;

	if (g->out_plane == 1 && mult == 1) {
		dw_scale1_all(p, x, w, bias, rq, y);
		return;
	}
	for (n = 0; n < c->n; n++)
		for (oc = 0; oc < c->c_out; oc++, y += g->out_plane) {
			const int8_t *xc = x + (n * c->c_in + oc / mult) * g->in_plane;
			b = bias ? bias[oc] : 0;
			wv = w[oc];
			e = rq2_of(rq[oc], os.off);
			if (e.r && dw_bias_ok(b)) { /* doubled sums: |2 (b + 383 * 128)| < 2^31 */
				for (j = 0; j < g->out_plane; j++)
					y[j] = rq2_one(&os, &e, 2 * (b + (xc[j] + off) * wv), 0);
				continue;
			}
			r = q8_rq_make(rq[oc], p->output_offset, p->act_min, p->act_max);
			for (j = 0; j < g->out_plane; j++)
				y[j] = q8_rq_out(&r, b + (xc[j] + off) * wv);
		}
}

/* Input channel ic (xc) into its c_out / c_in output channels of y, band by band
   (o2m_q8_dw_band output rows): the padded rows a band reads into pl, those the band
   before read too moved up from where they were, then each output channel's rows of
   the band. Every input row is read once, before any output over it is written. */
static void dw_bands(const o2m_q8_conv_params *p, const q8_geo *g, const int8_t *xc, int32_t ic,
		     int32_t band, int32_t e_d, int32_t e_h, int32_t e_w, const int8_t *w,
		     const int32_t *bias, const int32_t *rq, int16_t *pl, int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	const out_step os = {p->output_offset, p->act_min, p->act_max};
	o2m_conv_params bp = *c;
	int32_t b0, m, oc, first = 0, rows, kept, end = 0, before;

	for (b0 = 0; b0 < c->out_h; b0 += band) {
		bp.out_h = c->out_h - b0 < band ? c->out_h - b0 : band;
		before = first;
		first = band < c->out_h ? b0 * c->stride_h : 0;
		rows = band < c->out_h ? (int32_t)o2m_q8_span(bp.out_h, c->k_h, c->stride_h, c->dil_h)
				       : e_h;
		kept = end > first ? end - first : 0; /* rows the band before padded too */
		if (kept)
			memmove(pl, pl + (first - before) * e_w,
				sizeof *pl * (size_t)(kept * e_w));
		pad_plane(c, xc, p->input_offset, e_d, first + kept, rows - kept, e_w,
			  pl + kept * e_w);
		end = first + rows;
		for (m = 0; m < g->cout; m++) {
			oc = ic * g->cout + m;
			dw_plane(&bp, pl, rows, e_w, w + oc * g->ksize, bias ? bias[oc] : 0, rq[oc],
				 &os, y + oc * g->out_plane + b0 * c->out_w);
		}
	}
}

/* one input channel per group: each is padded once, band by band, then feeds its
   c_out / c_in output channels */
int o2m_q8_conv_dw_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		      const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	int32_t n, ic, e_d, e_h, e_w, band;
	q8_geo g;

	if (!q8_conv_geo(p, x, w, rq, scratch, y, &g) || c->group != c->c_in)
		return O2M_ERR_ARG;
	e_d = (int32_t)o2m_q8_span(c->out_d, c->k_d, c->stride_d, c->dil_d);
	e_h = (int32_t)o2m_q8_span(c->out_h, c->k_h, c->stride_h, c->dil_h);
	e_w = (int32_t)o2m_q8_span(c->out_w, c->k_w, c->stride_w, c->dil_w);
#ifdef Q8_DSP
	if (o2m_q8_dw_tall(c)) {
		dw_tall_all(p, &g, x, w, bias, rq, scratch, y);
		return O2M_OK;
	}
#endif
	if (o2m_q8_dw_scale(c)) {
		dw_scale(p, &g, x, w, bias, rq, y); /* a per-channel scale: BatchNormalization */
		return O2M_OK;
	}
	band = o2m_q8_dw_band(c);
	for (n = 0; n < c->n; n++)
		for (ic = 0; ic < c->c_in; ic++)
			dw_bands(p, &g, x + (n * c->c_in + ic) * g.in_plane, ic, band, e_d, e_h, e_w,
				 w, bias, rq, scratch, y + n * c->c_out * g.out_plane);
	return O2M_OK;
}

/* ---- fully connected ---- */

/* sum over i < n of (x[i] + off) * w[i] */
static int32_t dot_s8(const int8_t *x, const int8_t *w, int32_t n, int32_t off)
{
	int32_t acc = 0, i;

	for (i = 0; i < n; i++)
		acc += (x[i] + off) * w[i];
	return acc;
}

#ifdef Q8_DSP
/* dot_s8, x and w four at a time: (x + off) is exact in int16 (|x + off| <= 383), added
   to both halves at once by SADD16 */
static int32_t fc_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t off)
{
	const int32_t op = q8_pack16(off, off);
	int32_t acc = 0, i, v, u;

	for (i = 0; i + 4 <= n; i += 4) {
		v = q8_load4(x + i);
		u = q8_load4(w + i);
		acc = __smlad(__sadd16(__sxtb16(v), op), __sxtb16(u), acc);
		acc = __smlad(__sadd16(__sxtb16(q8_ror8(v)), op), __sxtb16(q8_ror8(u)), acc);
	}
	return acc + dot_s8(x + i, w + i, n - i, off);
}
#else
static int32_t fc_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t off)
{
	return dot_s8(x, w, n, off);
}
#endif

int o2m_q8_fc_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		 const int32_t *bias, const int32_t *rq, int8_t *y)
{
	int32_t b, o, acc;
	q8_rq r;

	if (!x || !w || !rq || !y || p->batch < 1 || p->in < 1 || p->out < 1 ||
	    !q8_offset_ok(p->input_offset) ||
	    !q8_out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !q8_scales_ok(rq, p->out))
		return O2M_ERR_ARG;
	for (b = 0; b < p->batch; b++, x += p->in) {
		for (o = 0; o < p->out; o++) {
			acc = fc_dot(x, w + o * p->in, p->in, p->input_offset) +
			      (bias ? bias[o] : 0);
			r = q8_rq_make(rq[o], p->output_offset, p->act_min, p->act_max);
			*y++ = q8_rq_out(&r, acc);
		}
	}
	return O2M_OK;
}

/* ---- int16 weights packed at compile time (o2m_q8_pack_conv_w16, _fc_w16) ---- */

#if defined(Q8_DSP) && defined(__GNUC__) && defined(__thumb2__) && !defined(O2M_NO_ASM)
#define Q8_ASM 1 /* the inner loops below in Thumb-2 assembly */
#endif

/* acc[i] += row i of four . x over k8 inputs (a multiple of 8): w the four rows packed
   ([k8 / 4][4][4]), x int16; both 4-byte aligned */
static void mm4x1(const int16_t *x, const int16_t *w, int32_t k8, int32_t acc[4])
{
#ifdef Q8_ASM
	register const int16_t *r0 __asm__("r0") = x;
	register const int16_t *r1 __asm__("r1") = w;
	register const int16_t *r2 __asm__("r2") = x + k8;
	register int32_t *r3 __asm__("r3") = acc;

	__asm__ volatile("push	{r3-r11}\n\t"
			 "ldm	r3, {r4-r7}\n"
			 "1:\n\t"
			 ".rept	2\n\t"
			 "ldrd	r8, r9, [r0], #8\n\t"       /* four inputs */
			 "ldm	r1!, {r3, r10, r11, r12}\n\t" /* rows 0 and 1's four */
			 "smlad	r4, r8, r3, r4\n\t"
			 "smlad	r4, r9, r10, r4\n\t"
			 "smlad	r5, r8, r11, r5\n\t"
			 "smlad	r5, r9, r12, r5\n\t"
			 "ldm	r1!, {r3, r10, r11, r12}\n\t" /* rows 2 and 3's */
			 "smlad	r6, r8, r3, r6\n\t"
			 "smlad	r6, r9, r10, r6\n\t"
			 "smlad	r7, r8, r11, r7\n\t"
			 "smlad	r7, r9, r12, r7\n\t"
			 ".endr\n\t"
			 "cmp	r0, r2\n\t"
			 "bne	1b\n\t"
			 "ldr	r3, [sp]\n\t"
			 "stm	r3, {r4-r7}\n\t"
			 "pop	{r3-r11}"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "r12", "cc", "memory");
#else
	int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], t, v;

	for (t = 0; t < k8; t += 4, x += 4, w += 16) { /* one product per statement: an MLA */
		v = x[0];
		a0 += v * w[0];
		a1 += v * w[4];
		a2 += v * w[8];
		a3 += v * w[12];
		v = x[1];
		a0 += v * w[1];
		a1 += v * w[5];
		a2 += v * w[9];
		a3 += v * w[13];
		v = x[2];
		a0 += v * w[2];
		a1 += v * w[6];
		a2 += v * w[10];
		a3 += v * w[14];
		v = x[3];
		a0 += v * w[3];
		a1 += v * w[7];
		a2 += v * w[11];
		a3 += v * w[15];
	}
	acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
#endif
}

/* the four plain columns t ([4][k8]) interleaved by pairs of taps into c ([k8 / 2][4][2]) */
static void cols4_interleave(const int16_t *t, int32_t k8, int16_t *c)
{
	int32_t kp, v[4];

	for (kp = 0; kp < k8; kp += 2, c += 8) {
		memcpy(&v[0], t + kp, 4);
		memcpy(&v[1], t + k8 + kp, 4);
		memcpy(&v[2], t + 2 * k8 + kp, 4);
		memcpy(&v[3], t + 3 * k8 + kp, 4);
		memcpy(c, v, sizeof v);
	}
}

/* the columns of the four positions j..j + 3 of one output row, interleaved as
   cols4_interleave's (taps k..k8 zero): tap t of position i at c[t / 2 * 8 + 2 * i +
   t % 2], written tap by tap without a copy in between */
static void cols4_row(const o2m_q8_conv_params *q, const q8_geo *g, const int8_t *x, int32_t j,
		      int32_t k8, int16_t *c)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t off = q->input_offset, kw = p->k_w, dw = p->dil_w, sw = p->stride_w;
	const int32_t in_w = p->in_w, s2 = 2 * sw, s3 = 3 * sw;
	int32_t ch, i, jj, l, d, h, w, t = 0, f, d0, h0, w0, inside;
	int16_t *o;

	q8_corner(p, j, &d0, &h0, &w0);
	inside = w0 >= 0 && w0 + s3 + (kw - 1) * dw < in_w;

	for (ch = 0; ch < g->cin; ch++, x += g->in_plane)
		for (i = 0, d = d0; i < p->k_d; i++, d += p->dil_d)
			for (jj = 0, h = h0; jj < p->k_h; jj++, h += p->dil_h) {
				const int8_t *xr = x + (d * p->in_h + h) * in_w;
				if ((uint32_t)d >= (uint32_t)p->in_d || (uint32_t)h >= (uint32_t)p->in_h) {
					for (l = 0; l < kw; l++, t++) {
						o = c + (t >> 1) * 8 + (t & 1);
						o[0] = o[2] = o[4] = o[6] = 0;
					}
				} else if (inside) {
					for (l = 0, xr += w0; l < kw; l++, t++, xr += dw) {
						o = c + (t >> 1) * 8 + (t & 1);
						o[0] = (int16_t)(xr[0] + off);
						o[2] = (int16_t)(xr[sw] + off);
						o[4] = (int16_t)(xr[s2] + off);
						o[6] = (int16_t)(xr[s3] + off);
					}
				} else {
					for (l = 0; l < kw; l++, t++) {
						o = c + (t >> 1) * 8 + (t & 1);
						for (f = 0, w = w0 + l * dw; f < 4; f++, w += sw)
							o[2 * f] = (uint32_t)w < (uint32_t)in_w
								   ? (int16_t)(xr[w] + off) : 0;
					}
				}
			}
	for (; t < k8; t++) {
		o = c + (t >> 1) * 8 + (t & 1);
		o[0] = o[2] = o[4] = o[6] = 0;
	}
}

#ifdef Q8_DSP
/* the 16 bytes q8_put4 writes, as one memory operand of its assembly */
typedef struct {
	int32_t w[4];
} q8_words4;

/* four words at c (4-byte aligned), straight from registers: two STRDs (GCC makes four
   STRs of the memcpys) */
static inline void q8_put4(int16_t *c, int32_t v0, int32_t v1, int32_t v2, int32_t v3)
{
#ifdef Q8_ASM
	__asm__("strd	%1, %2, [%5]\n\tstrd	%3, %4, [%5, #8]"
		: "=m"(*(q8_words4 *)(void *)c)
		: "r"(v0), "r"(v1), "r"(v2), "r"(v3), "r"(c));
#else
#if defined(__GNUC__)
	c = __builtin_assume_aligned(c, 4);
#endif
	memcpy(c, &v0, 4);
	memcpy(c + 2, &v1, 4);
	memcpy(c + 4, &v2, 4);
	memcpy(c + 6, &v3, 4);
#endif
}
#endif

/* n pairs of channels (2m, 2m + 1) of four positions at x, x + sw, x + 2 sw, x + 3 sw
   (x + off; add 0: off is 0), the channels plane apart, into c as (position 0's pair,
   1's, 2's, 3's) */
#if defined(__GNUC__)
__attribute__((always_inline)) /* one copy of the loops per constant add */
#endif
static inline void pairs4_add(const int8_t *x, int32_t plane, int32_t sw, int32_t n,
			      int32_t off, int16_t *c, int add)
{
	int32_t m, f;
#ifdef Q8_DSP
	const int32_t op = q8_pack16(off, off);
	const int16_t *const end = c + 8 * n; /* the loops count by it: one compare a turn */
	int32_t a, b, e, h;

	if (sw == 1) /* a word of four bytes per channel: SXTB16 of it and of it >> 8 */
		for (; c < end; x += 2 * plane, c += 8) {
			int32_t u0 = q8_load4(x), u1 = q8_load4(x + plane);
			a = __sxtb16(u0);       /* (x0[0], x0[2]) */
			b = q8_sxtb16_ror8(u0); /* (x0[1], x0[3]) */
			e = __sxtb16(u1);       /* (x1[0], x1[2]) */
			h = q8_sxtb16_ror8(u1); /* (x1[1], x1[3]) */
			if (add)
				a = __sadd16(a, op), b = __sadd16(b, op), e = __sadd16(e, op),
				h = __sadd16(h, op);
			q8_put4(c, q8_pkhbt(a, e), q8_pkhbt(b, h), q8_pkhtb(a, e), q8_pkhtb(b, h));
		}
	else if (sw == 2) /* two words per channel: SXTB16 of each */
		for (; c < end; x += 2 * plane, c += 8) {
			a = __sxtb16(q8_load4(x));             /* (x0[0], x0[2]) */
			b = __sxtb16(q8_load4(x + 4));         /* (x0[4], x0[6]) */
			e = __sxtb16(q8_load4(x + plane));     /* (x1[0], x1[2]) */
			h = __sxtb16(q8_load4(x + plane + 4)); /* (x1[4], x1[6]) */
			if (add)
				a = __sadd16(a, op), b = __sadd16(b, op), e = __sadd16(e, op),
				h = __sadd16(h, op);
			q8_put4(c, q8_pkhbt(a, e), q8_pkhtb(a, e), q8_pkhbt(b, h), q8_pkhtb(b, h));
		}
	else
#else
	(void)add;
#endif
		for (m = 0; m < n; m++, x += 2 * plane, c += 8)
			for (f = 0; f < 4; f++) {
				c[2 * f] = (int16_t)(x[f * sw] + off);
				c[2 * f + 1] = (int16_t)(x[plane + f * sw] + off);
			}
}

/* n pairs of channels of four positions (pairs4_add), the offset's SADD16s left out when
   it is 0 (the raw columns of o2m_q8_conv_params.raw) */
static void pairs4(const int8_t *x, int32_t plane, int32_t sw, int32_t n, int32_t off,
		   int16_t *c)
{
	if (off)
		pairs4_add(x, plane, sw, n, off, c, 1);
	else
		pairs4_add(x, plane, sw, n, 0, c, 0);
}

#ifdef Q8_DSP
/* pairs4_edge's loop: the words shifted left (left 1) or right by sh bits, the positions
   outside masked by k; add 1: the offset op added (its padding 0), 0: raw values and the
   padding's pairs z */
#if defined(__GNUC__)
__attribute__((always_inline)) /* one copy per constant add and left */
#endif
static inline void edge_pairs(const int8_t *xr, int32_t plane, int32_t n, uint32_t sh,
			      const int32_t k[4], const int32_t z[4], int32_t op, int16_t *c,
			      int add, int left)
{
	const int16_t *const end = c + 8 * n;
	int32_t a, b, e, h, w0, w1, w2, w3;

	for (; c < end; xr += 2 * plane, c += 8) {
		const uint32_t v0 = (uint32_t)q8_load4(xr), v1 = (uint32_t)q8_load4(xr + plane);
		const int32_t u0 = (int32_t)(left ? v0 << sh : v0 >> sh);
		const int32_t u1 = (int32_t)(left ? v1 << sh : v1 >> sh);
		a = __sxtb16(u0), b = q8_sxtb16_ror8(u0), e = __sxtb16(u1), h = q8_sxtb16_ror8(u1);
		if (add)
			a = __sadd16(a, op), b = __sadd16(b, op), e = __sadd16(e, op),
			h = __sadd16(h, op);
		w0 = q8_pkhbt(a, e) & k[0], w1 = q8_pkhbt(b, h) & k[1];
		w2 = q8_pkhtb(a, e) & k[2], w3 = q8_pkhtb(b, h) & k[3];
		if (!add)
			w0 |= z[0], w1 |= z[1], w2 |= z[2], w3 |= z[3];
		q8_put4(c, w0, w1, w2, w3);
	}
}

/* pairs4 at stride 1 for a tap whose positions w..w + 3 of the row xr (in_w >= 4 wide)
   lie partly before or after it: the row's first or last four bytes per channel, shifted
   into place, and pad at the positions outside (off and pad not both nonzero) */
static void pairs4_edge(const int8_t *xr, int32_t w, int32_t in_w, int32_t plane, int32_t n,
			int32_t off, int32_t pad, int16_t *c)
{
	const int32_t op = q8_pack16(off, off), s = w < 0 ? 0 : in_w - 4;
	int32_t f, k[4], z[4];

	for (f = 0; f < 4; f++) {
		k[f] = w + f >= 0 && w + f < in_w ? -1 : 0;
		z[f] = k[f] ? 0 : q8_pack16(pad, pad); /* the padding's pair */
	}
	xr += s;
	if (w < 0 && off)
		edge_pairs(xr, plane, n, 8u * (uint32_t)-w, k, z, op, c, 1, 1);
	else if (w < 0)
		edge_pairs(xr, plane, n, 8u * (uint32_t)-w, k, z, op, c, 0, 1);
	else if (off)
		edge_pairs(xr, plane, n, 8u * (uint32_t)(w - s), k, z, op, c, 1, 0);
	else
		edge_pairs(xr, plane, n, 8u * (uint32_t)(w - s), k, z, op, c, 0, 0);
}
#endif

/* the 1x1 columns of positions j[0..3] of x [cin x hw] + off, interleaved as
   cols4_interleave's, zero past cin */
static void cols4_1x1(const int8_t *x, int32_t cin, int32_t k8, int32_t hw, int32_t off,
		      const int32_t j[4], int16_t *c)
{
	int32_t i = 0, f;

	if (j[3] == j[0] + 3) { /* four positions side by side */
		pairs4(x + j[0], hw, 1, cin >> 1, off, c);
		i = cin & ~1;
		c += 4 * i;
	}
	for (; i < k8; i += 2, c += 8)
		for (f = 0; f < 4; f++) {
			c[2 * f] = (int16_t)(i < cin ? x[i * hw + j[f]] + off : 0);
			c[2 * f + 1] = (int16_t)(i + 1 < cin ? x[(i + 1) * hw + j[f]] + off : 0);
		}
}

/* n (a multiple of 8) int16 at c (4-byte aligned) set to pad: zero by memset, the zero
   point of raw columns by words */
static void fill_pad(int16_t *c, int32_t n, int32_t pad)
{
	int32_t i;
#ifdef Q8_DSP
	const int32_t v = q8_pack16(pad, pad);
#endif

	if (!pad) {
		memset(c, 0, sizeof *c * (size_t)n);
		return;
	}
#ifdef Q8_DSP
	for (i = 0; i < n; i += 8)
		q8_put4(c + i, v, v, v, v);
#else
	for (i = 0; i < n; i++)
		c[i] = (int16_t)pad;
#endif
}

/* n pairs of channels (plane apart) of one position xp into o, o + 8, ...: x + off, or
   pad where xp is NULL (the padding) */
static void pairs1(const int8_t *xp, int32_t plane, int32_t n, int32_t off, int32_t pad,
		   int16_t *o)
{
	int32_t m;

	if (!xp) {
		for (m = 0; m < n; m++, o += 8)
			o[0] = o[1] = (int16_t)pad;
		return;
	}
	for (m = 0; m < n; m++, o += 8, xp += 2 * plane) {
		o[0] = (int16_t)(xp[0] + off);
		o[1] = (int16_t)(xp[plane] + off);
	}
}

/* one tap of cols4_pairs for four positions of one input row xr (w, w + sw, w + 2 sw,
   w + 3 sw): whole words where all four are inside, the padding where none is, else
   shifted words (stride 1) or value by value */
static void pairs4_tap(const int8_t *xr, int32_t w, int32_t sw, int32_t in_w, int32_t plane,
		       int32_t n, int32_t off, int32_t pad, int16_t *c)
{
	int32_t f;

	if (w >= 0 && w + 3 * sw < in_w) {
		pairs4(xr + w, plane, sw, n, off, c);
		return;
	}
	if (w + 3 * sw < 0 || w >= in_w) {
		fill_pad(c, 8 * n, pad);
		return;
	}
#ifdef Q8_DSP
	if (sw == 1 && in_w >= 4) {
		pairs4_edge(xr, w, in_w, plane, n, off, pad, c);
		return;
	}
#endif
	for (f = 0; f < 4; f++, w += sw)
		pairs1(w >= 0 && w < in_w ? xr + w : NULL, plane, n, off, pad, c + 2 * f);
}

/* the columns of positions j[0..3] with an even number of input channels, their taps in
   the order o2m_q8_pack_conv_w16 gives them: kernel position by kernel position, the
   channels by pairs (x + off, pad in the padding: 0, or for raw columns off 0 and pad
   the input's zero point), taps k..k8 zero */
static void cols4_pairs(const o2m_q8_conv_params *q, const q8_geo *g, const int8_t *x,
			const int32_t j[4], int32_t k8, int32_t off, int32_t pad, int16_t *c)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t sw = p->stride_w, n = g->cin >> 1, in_w = p->in_w, plane = g->in_plane;
	const int32_t in_hw = p->in_h * in_w;
	/* four positions side by side in one output row */
	const int row = j[3] == j[0] + 3 && j[0] % p->out_w + 3 < p->out_w;
	int32_t i, a, b, l, f, d, h, w, d0, h0, w0;
	int16_t *const c0 = c;

	q8_corner(p, j[0], &d0, &h0, &w0);
	if (row && d0 >= 0 &&
	    d0 + (p->k_d - 1) * p->dil_d < p->in_d && h0 >= 0 &&
	    h0 + (p->k_h - 1) * p->dil_h < p->in_h && w0 >= 0 &&
	    w0 + 3 * sw + (p->k_w - 1) * p->dil_w < in_w) { /* every window inside */
		const int8_t *xd = x + (d0 * p->in_h + h0) * in_w + w0, *xh, *xw;
		for (i = 0; i < p->k_d; i++, xd += p->dil_d * in_hw)
			for (a = 0, xh = xd; a < p->k_h; a++, xh += p->dil_h * in_w)
				for (b = 0, xw = xh; b < p->k_w; b++, xw += p->dil_w, c += 8 * n)
					pairs4(xw, plane, sw, n, off, c);
	} else if (row) { /* one input row per kernel row, checked once */
		for (i = 0, d = d0; i < p->k_d; i++, d += p->dil_d)
			for (a = 0, h = h0; a < p->k_h; a++, h += p->dil_h) {
				if ((uint32_t)d >= (uint32_t)p->in_d || (uint32_t)h >= (uint32_t)p->in_h) {
					fill_pad(c, 8 * n * p->k_w, pad);
					c += 8 * n * p->k_w;
					continue;
				}
				for (b = 0, w = w0; b < p->k_w; b++, w += p->dil_w, c += 8 * n)
					pairs4_tap(x + (d * p->in_h + h) * in_w, w, sw, in_w, plane, n,
						   off, pad, c);
			}
	} else {
		int32_t df[4], hf[4], wf[4]; /* each position's window corner */
		for (f = 0; f < 4; f++)
			q8_corner(p, j[f], &df[f], &hf[f], &wf[f]);
		for (i = 0; i < p->k_d; i++)
			for (a = 0; a < p->k_h; a++)
				for (b = 0; b < p->k_w; b++, c += 8 * n)
					for (f = 0; f < 4; f++) {
						d = df[f] + i * p->dil_d;
						h = hf[f] + a * p->dil_h;
						w = wf[f] + b * p->dil_w;
						pairs1((uint32_t)d < (uint32_t)p->in_d &&
							       (uint32_t)h < (uint32_t)p->in_h &&
							       (uint32_t)w < (uint32_t)in_w
							       ? x + (d * p->in_h + h) * in_w + w
							       : NULL,
						       plane, n, off, pad, c + 2 * f);
					}
	}
	for (l = (int32_t)(c - c0) / 4; l < k8; l++) /* l: taps so far */
		c0[l / 2 * 8 + l % 2] = c0[l / 2 * 8 + 2 + l % 2] = c0[l / 2 * 8 + 4 + l % 2] =
			c0[l / 2 * 8 + 6 + l % 2] = 0;
}

/* the outputs of the doubled sums a[0..3] of one channel (rescale e) at y[j0..j3]: every
   value in a local before the first store (an int8 store may alias anything the
   compiler would otherwise load again); clamp_k kind */
static inline void out4(const out_step *o, const rq2 *e, const int32_t *a, int8_t *y,
			int32_t j0, int32_t j1, int32_t j2, int32_t j3, int kind)
{
	const int32_t mult = e->mult, c = e->c, r = e->r, lo = o->lo, hi = o->hi;
	int32_t v[4], i, h;

	if (!r) {
		for (i = 0; i < 4; i++)
			v[i] = rq2_slow(o, mult, a[i]);
	} else {
		for (i = 0; i < 4; i++) {
			h = q8_smmulr(a[i], mult);
			v[i] = clamp_k(rq2_round(h, c, r), lo, hi, kind);
		}
	}
	y[j0] = (int8_t)v[0];
	y[j1] = (int8_t)v[1];
	y[j2] = (int8_t)v[2];
	y[j3] = (int8_t)v[3];
}

/* one block of two filters times four columns: the biases in, the sums or the outputs
   out (the layout the assembly below reads: keep the offsets) */
typedef struct {
	int32_t b0, b1;  /* the two channels' doubled biases */
	const rq2 *e;    /* their rescales (the blocks that store outputs) */
	int8_t *y;       /* channel 0's output at the first of the four positions */
	int32_t plane;   /* channel 1's is plane further */
	int32_t lo;      /* act_min */
	int32_t acc[8];  /* the sums (mm2x4_sums): 4f + i for filter f, column i */
	/* mm2x4_run only: the biases of the pairs to come, their count, the columns and
	   the next pair's weights */
	const int32_t *bias;
	int32_t pairs;
	const int16_t *c, *w;
} mm_blk;

#ifdef Q8_ASM
/* The loop takes all 14 registers (the end pointer waits on the stack, the block's
   address above it): r4-r7 the sums of filter 0 at the four columns, r8-r11 of filter 1;
   per pair of taps, one LDRD of both filters' pair and two of the columns, 8 SMLADs. */
#define MM2X4_PAIR                                                                        \
	"ldrd	r2, r3, [r1], #8\n\t"   /* the two filters' pair of taps */                 \
	"ldrd	r12, lr, [r0], #8\n\t"  /* columns 0 and 1 */                               \
	"smlad	r4, r12, r2, r4\n\t"                                                        \
	"smlad	r5, lr, r2, r5\n\t"                                                         \
	"smlad	r8, r12, r3, r8\n\t"                                                        \
	"smlad	r9, lr, r3, r9\n\t"                                                         \
	"ldrd	r12, lr, [r0], #8\n\t"  /* columns 2 and 3 */                               \
	"smlad	r6, r12, r2, r6\n\t"                                                        \
	"smlad	r7, lr, r2, r7\n\t"                                                         \
	"smlad	r10, r12, r3, r10\n\t"                                                      \
	"smlad	r11, lr, r3, r11\n\t"
/* four pairs written out, not .rept: GCC sizes an asm statement by its lines, and the
   literal pools after a larger one than it thinks fall out of reach */
#define MM2X4_STEP MM2X4_PAIR MM2X4_PAIR MM2X4_PAIR MM2X4_PAIR

/* sixteen pairs of taps per turn, entered at the step that leaves a whole number of
   turns: r12 the bytes of columns (64 per four pairs, a multiple of 64), its bits 7
   and 6 the count of four pairs modulo 4 (LSLS #25 puts them in C and N) */
#define MM2X4_TURNS                                                                       \
	"lsls	r12, r12, #25\n\t"                                                          \
	"bcc	6f\n\t"                                                                     \
	"bmi	2f\n\t" /* 3 modulo 4: three steps before the first turn's end */          \
	"b	3f\n"                                                                        \
	"6:\n\t"                                                                           \
	"bmi	4f\n"                                                                        \
	"1:\n\t" MM2X4_STEP "2:\n\t" MM2X4_STEP "3:\n\t" MM2X4_STEP "4:\n\t" MM2X4_STEP   \
	"ldr	r12, [sp]\n\t"                                                              \
	"cmp	r0, r12\n\t"                                                                \
	"bne	1b\n\t"

#define MM2X4_LOOP                                                                        \
	"sub	r12, r2, r0\n\t"                                                            \
	"push	{r2-r11, lr}\n\t"                                                           \
	"ldrd	r4, r8, [r3]\n\t" /* the biases */                                          \
	"mov	r5, r4\n\tmov	r6, r4\n\tmov	r7, r4\n\t"                                   \
	"mov	r9, r8\n\tmov	r10, r8\n\tmov	r11, r8\n\t" MM2X4_TURNS                     \
	"ldr	r3, [sp, #4]\n\t"

/* the output of sum register A into byte I of lr: r0 the multiplier, r1 the constant,
   r2 the shift (rq2), r12 free, r3 act_min; CLAMP to int8 */
#define MM2X4_RQ(A, I, CLAMP)                                                             \
	"smmulr	" A ", " A ", r0\n\t"                                                       \
	"add	r12, r1, " A "\n\t"                                                         \
	"add	" A ", r12, " A ", asr #31\n\t"                                             \
	"asr	" A ", " A ", r2\n\t" CLAMP(A) "strb	" A ", [lr, #" I "]\n\t"
#define MM2X4_U7(A) "usat	" A ", #7, " A "\n\t"
#define MM2X4_S8(A) "ssat	" A ", #8, " A "\n\t"
#define MM2X4_LO(A) "ssat	" A ", #8, " A "\n\tcmp	" A ", r3\n\tit	lt\n\tmovlt	" A ", r3\n\t"

/* both channels' outputs at four positions side by side */
#define MM2X4_OUT(CLAMP)                                                                  \
	"ldr	r2, [r3, #8]\n\t"                                                           \
	"ldr	lr, [r3, #12]\n\t"                                                          \
	"ldm	r2, {r0, r1, r2}\n\t"                                                       \
	"ldr	r3, [r3, #20]\n\t" MM2X4_RQ("r4", "0", CLAMP) MM2X4_RQ("r5", "1", CLAMP)    \
	MM2X4_RQ("r6", "2", CLAMP) MM2X4_RQ("r7", "3", CLAMP)                               \
	"ldr	r3, [sp, #4]\n\t"                                                           \
	"ldr	r2, [r3, #8]\n\t"                                                           \
	"ldr	r12, [r3, #16]\n\t"                                                         \
	"add	lr, lr, r12\n\t"                                                            \
	"add	r2, r2, #12\n\t"                                                            \
	"ldm	r2, {r0, r1, r2}\n\t"                                                       \
	"ldr	r3, [r3, #20]\n\t" MM2X4_RQ("r8", "0", CLAMP) MM2X4_RQ("r9", "1", CLAMP)    \
	MM2X4_RQ("r10", "2", CLAMP) MM2X4_RQ("r11", "3", CLAMP)

/* mm2x4_run: the pairs of filters one after another in one call, each block's biases
   (doubled) from blk->bias, its columns from blk->c, its weights where the pair before
   ended; after a pair's outputs, e two rescales on and y two planes on */
#define MM2X4_RUN(CLAMP)                                                                  \
	"push	{r2-r11, lr}\n"                                                             \
	"7:\n\t"                                                                           \
	"ldr	r3, [sp, #4]\n\t"                                                           \
	"ldr	r12, [r3, #56]\n\t"                                                         \
	"ldrd	r4, r8, [r12], #8\n\t" /* the pair's biases */                            \
	"str	r12, [r3, #56]\n\t"                                                         \
	"lsl	r4, r4, #1\n\tlsl	r8, r8, #1\n\t"                                         \
	"ldrd	r0, r1, [r3, #64]\n\t" /* the columns, the pair's weights */              \
	"mov	r5, r4\n\tmov	r6, r4\n\tmov	r7, r4\n\t"                                   \
	"mov	r9, r8\n\tmov	r10, r8\n\tmov	r11, r8\n\t"                                 \
	"ldr	r12, [sp]\n\t"                                                              \
	"sub	r12, r12, r0\n\t" MM2X4_TURNS                                                \
	"ldr	r3, [sp, #4]\n\t"                                                           \
	"str	r1, [r3, #68]\n\t" MM2X4_OUT(CLAMP)                                          \
	"ldr	r3, [sp, #4]\n\t"                                                           \
	"ldr	r12, [r3, #16]\n\t"                                                         \
	"add	lr, lr, r12\n\t"                                                            \
	"str	lr, [r3, #12]\n\t" /* y: the next pair's first plane */                   \
	"ldr	r2, [r3, #8]\n\t"                                                           \
	"add	r2, r2, #24\n\t"                                                            \
	"str	r2, [r3, #8]\n\t" /* e: its rescales */                                   \
	"ldr	r12, [r3, #60]\n\t"                                                         \
	"subs	r12, r12, #1\n\t"                                                           \
	"str	r12, [r3, #60]\n\t"                                                         \
	"bne	7b\n\t"

/* fixed registers for the assembly; the ones the compiler does not hand over are saved
   and restored by it */
#define MM2X4_ASM(TAIL)                                                                   \
	register const int16_t *r0 __asm__("r0") = c;                                      \
	register const int16_t *r1 __asm__("r1") = w;                                      \
	register const int16_t *r2 __asm__("r2") = c + 4 * k8;                             \
	register mm_blk *r3 __asm__("r3") = blk;                                           \
	__asm__ volatile(MM2X4_LOOP TAIL "pop	{r2-r11, lr}"                               \
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                           \
			 :                                                                  \
			 : "r12", "cc", "memory")

/* the block's outputs, clamped to [0, 127], [-128, 127] or [lo, 127] */
static void mm2x4_u7(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_ASM(MM2X4_OUT(MM2X4_U7));
}

static void mm2x4_s8(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_ASM(MM2X4_OUT(MM2X4_S8));
}

static void mm2x4_lo(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_ASM(MM2X4_OUT(MM2X4_LO));
}

/* blk->pairs blocks of two filters (their outputs, as mm2x4_u7's and so on): c the
   columns, w the first pair's weights, k8 their taps */
#define MM2X4_RUN_ASM(CLAMP)                                                              \
	register const int16_t *r2 __asm__("r2") = c + 4 * k8;                             \
	register mm_blk *r3 __asm__("r3") = blk;                                           \
	blk->c = c;                                                                         \
	blk->w = w;                                                                         \
	__asm__ volatile(MM2X4_RUN(CLAMP) "pop	{r2-r11, lr}"                               \
			 : "+r"(r2), "+r"(r3)                                               \
			 :                                                                  \
			 : "r0", "r1", "r12", "cc", "memory")

static void mm2x4_run_u7(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_RUN_ASM(MM2X4_U7);
}

static void mm2x4_run_s8(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_RUN_ASM(MM2X4_S8);
}

static void mm2x4_run_lo(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
	MM2X4_RUN_ASM(MM2X4_LO);
}
#endif

/* blk->acc[4f + i] = bias f + filter f of a pair . column i, over k8 taps (a multiple of
   8): c the four columns interleaved by pairs of taps ([k8 / 2][4][2]), w the pair's
   packed filters ([k8 / 2][2][2]); both 4-byte aligned */
static void mm2x4_sums(const int16_t *c, const int16_t *w, int32_t k8, mm_blk *blk)
{
#ifdef Q8_ASM
	MM2X4_ASM("add	r3, r3, #24\n\tstm	r3, {r4-r11}\n\t");
#else
	/* the eight sums at once, a tap at a time: its two weights, then each column's
	   value meets both (six loads per eight products, a multiply-accumulate each; the
	   sums, two weights, a value and the pointers fill a Cortex-M3's registers) */
	int32_t a0 = blk->b0, a1 = a0, a2 = a0, a3 = a0;
	int32_t b0 = blk->b1, b1 = b0, b2 = b0, b3 = b0, wa, wb, v;
	const int16_t *end = c + 4 * k8;

	for (; c < end; c += 8, w += 4) {
		wa = w[0], wb = w[2]; /* tap t of the two filters */
		v = c[0], a0 += v * wa, b0 += v * wb;
		v = c[2], a1 += v * wa, b1 += v * wb;
		v = c[4], a2 += v * wa, b2 += v * wb;
		v = c[6], a3 += v * wa, b3 += v * wb;
		wa = w[1], wb = w[3]; /* tap t + 1 */
		v = c[1], a0 += v * wa, b0 += v * wb;
		v = c[3], a1 += v * wa, b1 += v * wb;
		v = c[5], a2 += v * wa, b2 += v * wb;
		v = c[7], a3 += v * wa, b3 += v * wb;
	}
	blk->acc[0] = a0, blk->acc[1] = a1, blk->acc[2] = a2, blk->acc[3] = a3;
	blk->acc[4] = b0, blk->acc[5] = b1, blk->acc[6] = b2, blk->acc[7] = b3;
#endif
}

/* the cout outputs of a group at positions j[0..3] from the columns c: w the group's
   packed filters, b its biases (NULL: none), e their rescales, y the plane of its first
   channel; clamp_k kind */
static inline void pairs4_k(const out_step *o, const int16_t *c, int32_t k8, const int16_t *w,
			    const int32_t *b, const rq2 *e, int32_t cout, int32_t plane,
			    const int32_t j[4], int8_t *y, int kind, int all_r)
{
	const int32_t j0 = j[0], j1 = j[1], j2 = j[2], j3 = j[3];
	const out_step st = *o;
	int32_t oc = 0;
	mm_blk blk;
#ifdef Q8_ASM
	const int run = j3 == j0 + 3 && (kind || st.hi == 127);

	blk.plane = plane;
	blk.lo = st.lo;
	if (run && all_r && b && cout >= 2) { /* every pair in one call */
		blk.e = e;
		blk.y = y + j0;
		blk.bias = b;
		blk.pairs = cout / 2;
		if (kind == 1)
			mm2x4_run_u7(c, w, k8, &blk);
		else if (kind == 2)
			mm2x4_run_s8(c, w, k8, &blk);
		else
			mm2x4_run_lo(c, w, k8, &blk);
		oc = cout & ~1;
		w += oc * k8, y += oc * plane, e += oc;
	}
#else
	(void)all_r;
#endif
	for (; oc < cout; oc += 2, w += 2 * k8, y += 2 * plane, e += 2) {
		blk.b0 = b ? 2 * b[oc] : 0;
		blk.b1 = b && oc + 1 < cout ? 2 * b[oc + 1] : 0;
#ifdef Q8_ASM
		if (run && oc + 1 < cout && e[0].r && e[1].r) { /* the outputs in assembly */
			blk.e = e;
			blk.y = y + j0;
			if (kind == 1)
				mm2x4_u7(c, w, k8, &blk);
			else if (kind == 2)
				mm2x4_s8(c, w, k8, &blk);
			else
				mm2x4_lo(c, w, k8, &blk);
			continue;
		}
#endif
		mm2x4_sums(c, w, k8, &blk);
		out4(&st, e, blk.acc, y, j0, j1, j2, j3, kind);
		if (oc + 1 < cout)
			out4(&st, e + 1, blk.acc + 4, y + plane, j0, j1, j2, j3, kind);
	}
}

/* o2m_q8_conv_w16_s8, and with rs the residual Add (the outputs of four positions go
   through rs->t) */
static int conv_w16_s8(const o2m_q8_conv_params *p, const int8_t *x, const int16_t *w,
		       const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y,
		       const q8_res *rs)
{
	static const int32_t jt[4] = {0, 1, 2, 3};
	const o2m_conv_params *c = &p->conv;
	const out_step o = {p->output_offset, p->act_min, p->act_max};
	int16_t *cols, *t;
	int32_t n, gr, j, i, k, k8, jj[4], plane;
	const int32_t *jo;
	int8_t *yo;
	int k1, kind, all_r = 1;
	rq2 *tab;
	q8_geo g;
	/* the columns' offset and padding: x + input_offset and 0, or raw x and the zero point */
	const int32_t off = p->raw ? 0 : p->input_offset, pad = p->raw ? -p->input_offset : 0;

	if (!q8_conv_geo_raw(p, x, (const int8_t *)(const void *)w, rq, scratch, y, &g))
		return O2M_ERR_ARG;
	k = g.cin * g.ksize;
	k8 = (int32_t)o2m_q8_k8(k);
	k1 = is_1x1(c);
	if (p->raw && g.cin % 2)
		return O2M_ERR_ARG; /* raw columns: pairs of channels only */
	kind = clamp_kind(o.lo, o.hi);
	tab = (rq2 *)(void *)scratch;
	rq2_table(rq, c->c_out, o.off, tab);
	for (i = 0; i < c->c_out; i++) /* every channel's rescale an SMMULR and a shift */
		all_r &= tab[i].r != 0;
	cols = (int16_t *)(void *)(tab + c->c_out);
	t = cols + 4 * k8; /* the plain columns, their tails zero */
	if (!k1)
		for (i = 0; i < 4; i++)
			memset(t + i * k8 + k, 0, sizeof *t * (size_t)(k8 - k));
	for (n = 0; n < c->n; n++)
		for (gr = 0; gr < c->group; gr++) {
			const int8_t *xg = x + (n * c->c_in + gr * g.cin) * g.in_plane;
			const int32_t oc = gr * g.cout;
			const int16_t *wg = w + oc / g.cout * ((g.cout + 1) & ~1) * k8;
			int8_t *yg = y + (n * c->c_out + oc) * g.out_plane;
			for (j = 0; j < g.out_plane; j += 4) {
				for (i = 0; i < 4; i++)
					jj[i] = j + i < g.out_plane ? j + i : g.out_plane - 1;
				if (k1) {
					cols4_1x1(xg, g.cin, k8, g.in_plane, off, jj, cols);
				} else if (g.cin % 2 == 0) {
					cols4_pairs(p, &g, xg, jj, k8, off, pad, cols);
				} else if (j % c->out_w + 3 < c->out_w) { /* one output row */
					cols4_row(p, &g, xg, j, k8, cols);
				} else {
					for (i = 0; i < 4; i++)
						im2col(p, &g, xg, jj[i], t + i * k8);
					cols4_interleave(t, k8, cols);
				}
				yo = rs ? rs->t : yg, plane = rs ? 4 : g.out_plane, jo = rs ? jt : jj;
				switch (kind) {
				case 1: pairs4_k(&o, cols, k8, wg, bias ? bias + oc : NULL, tab + oc,
						 g.cout, plane, jo, yo, 1, all_r); break;
				case 2: pairs4_k(&o, cols, k8, wg, bias ? bias + oc : NULL, tab + oc,
						 g.cout, plane, jo, yo, 2, all_r); break;
				default: pairs4_k(&o, cols, k8, wg, bias ? bias + oc : NULL, tab + oc,
						  g.cout, plane, jo, yo, 0, all_r);
				}
				if (rs)
					res_out(rs, g.cout, g.out_plane, j,
						g.out_plane - j < 4 ? g.out_plane - j : 4,
						rs->r + (n * c->c_out + oc) * g.out_plane, yg);
			}
		}
	return O2M_OK;
}

int o2m_q8_conv_w16_s8(const o2m_q8_conv_params *p, const int8_t *x, const int16_t *w,
		       const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	return conv_w16_s8(p, x, w, bias, rq, scratch, y, NULL);
}

int o2m_q8_conv_w16_res_s8(const o2m_q8_conv_res_params *p, const int8_t *x, const int16_t *w,
			   const int32_t *bias, const int32_t *rq, const int32_t *lut,
			   const int8_t *r, int16_t *scratch, int8_t *y)
{
	q8_res rs;

	if (!lut || !res_prep(p, lut, r, scratch, o2m_q8_conv_w16_scratch_bytes(&p->conv, 0), 4, &rs))
		return O2M_ERR_ARG;
	return conv_w16_s8(&p->conv, x, w, bias, rq, scratch, y, &rs);
}

/* the rows of fc_w16 for one input (its int16 copy xs), four at a time; clamp_k kind */
static inline void fc_rows(const o2m_q8_fc_params *p, const int16_t *xs, const int16_t *w,
			   int32_t k8, const int32_t *bias, const int32_t *rq, int8_t *y, int kind)
{
	const out_step st = {p->output_offset, p->act_min, p->act_max};
	int32_t o, i, a[4];

	for (o = 0; o < p->out; o += 4, w += 4 * k8) {
		if (bias && o + 4 <= p->out) /* a whole quad: no test per row */
			a[0] = 2 * bias[o], a[1] = 2 * bias[o + 1], a[2] = 2 * bias[o + 2],
			a[3] = 2 * bias[o + 3];
		else
			for (i = 0; i < 4; i++)
				a[i] = bias && o + i < p->out ? 2 * bias[o + i] : 0;
		mm4x1(xs, w, k8, a);
		if (o + 4 <= p->out) {
			y[o] = rq2_word(&st, rq[o], a[0], kind);
			y[o + 1] = rq2_word(&st, rq[o + 1], a[1], kind);
			y[o + 2] = rq2_word(&st, rq[o + 2], a[2], kind);
			y[o + 3] = rq2_word(&st, rq[o + 3], a[3], kind);
		} else {
			for (i = 0; o + i < p->out; i++)
				y[o + i] = rq2_word(&st, rq[o + i], a[i], kind);
		}
	}
}

int o2m_q8_fc_w16_s8(const o2m_q8_fc_params *p, const int8_t *x, const int16_t *w,
		     const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y)
{
	int32_t b, k8;

	if (!x || !w || !rq || !scratch || !y || p->batch < 1 || p->in < 1 || p->out < 1 ||
	    !q8_offset_ok(p->input_offset) ||
	    !q8_out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !q8_scales_ok(rq, p->out))
		return O2M_ERR_ARG;
	k8 = (int32_t)o2m_q8_k8(p->in);
	memset(scratch + p->in, 0, sizeof *scratch * (size_t)(k8 - p->in));
	for (b = 0; b < p->batch; b++, x += p->in, y += p->out) {
		copy_off(x, p->in, p->input_offset, scratch);
		switch (clamp_kind(p->act_min, p->act_max)) {
		case 1: fc_rows(p, scratch, w, k8, bias, rq, y, 1); break;
		case 2: fc_rows(p, scratch, w, k8, bias, rq, y, 2); break;
		default: fc_rows(p, scratch, w, k8, bias, rq, y, 0);
		}
	}
	return O2M_OK;
}
