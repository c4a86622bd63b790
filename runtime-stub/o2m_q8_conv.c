/* o2m_q8_conv.c - int8 convolutions (general, depthwise, 1x1) and fully connected layers
   in the integer arithmetic of TFLite's per-channel int8 kernels: an int32 sum of
   (x + input_offset) * w over the taps inside the data (padding is real zero and adds
   nothing), plus the bias, rescaled per output channel. As in TFLite the int32 sum must
   not overflow, which 8-bit data allows for about 2^31 / (255 * 127) = 66000 taps. */
#include "o2m_q8_def.h"
#include "o2m_window.h"

/* geometry of one call, derived from the params once */
typedef struct {
	int32_t cin, cout;           /* channels of one group */
	int32_t in_plane, out_plane; /* elements of one channel */
	int32_t ksize, khw;          /* taps of one filter, of one filter slice along d */
	int32_t xsd, xsh;            /* x step between taps along d and along h */
} geo;

/* the valid taps of one output position: first tap and count per axis */
typedef struct {
	int32_t d0, nd, h0, nh, w0, nw;
} taps3;

static int pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

/* the checks every convolution shares; fills g */
static int conv_geo(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
		    const int32_t *rq, const int8_t *y, geo *g)
{
	const o2m_conv_params *p = &q->conv;

	if (!x || !w || !rq || !y || p->n < 1 || p->c_in < 1 || p->c_out < 1 ||
	    p->group < 1 || p->c_in % p->group || p->c_out % p->group ||
	    !pos3(p->in_d, p->in_h, p->in_w) || !pos3(p->out_d, p->out_h, p->out_w) ||
	    !pos3(p->k_d, p->k_h, p->k_w) || !pos3(p->stride_d, p->stride_h, p->stride_w) ||
	    !pos3(p->dil_d, p->dil_h, p->dil_w) || p->pad_d < 0 || p->pad_h < 0 || p->pad_w < 0)
		return 0;
	if (!q8_offset_ok(q->input_offset) ||
	    !q8_out_ok(q->output_offset, q->act_min, q->act_max) ||
	    !q8_scales_ok(rq, p->c_out))
		return 0;
	g->cin = p->c_in / p->group;
	g->cout = p->c_out / p->group;
	g->in_plane = p->in_d * p->in_h * p->in_w;
	g->out_plane = p->out_d * p->out_h * p->out_w;
	g->khw = p->k_h * p->k_w;
	g->ksize = p->k_d * g->khw;
	g->xsd = p->dil_d * p->in_h * p->in_w;
	g->xsh = p->dil_h * p->in_w;
	return 1;
}

/* sum over the group's channels of (x + off) * w over the valid taps t; x and w point
   at channel 0's first valid tap */
static int32_t window_dot(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
			  const int8_t *w, const taps3 *t)
{
	const int32_t off = q->input_offset, dil = q->conv.dil_w, kw = q->conv.k_w;
	int32_t acc = 0, c, i, j, l;

	for (c = 0; c < g->cin; c++, x += g->in_plane, w += g->ksize) {
		const int8_t *xd = x, *wd = w;
		for (i = 0; i < t->nd; i++, xd += g->xsd, wd += g->khw) {
			const int8_t *xh = xd, *wh = wd;
			for (j = 0; j < t->nh; j++, xh += g->xsh, wh += kw)
				for (l = 0; l < t->nw; l++)
					acc += (xh[l * dil] + off) * wh[l];
		}
	}
	return acc;
}

/* the sum of the window at (od, oh, ow), whose taps along d and h are in t already */
static int32_t window_sum(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
			  const int8_t *w, int32_t od, int32_t oh, int32_t ow, taps3 *t)
{
	const o2m_conv_params *p = &q->conv;
	int32_t d, h, s;

	s = ow * p->stride_w - p->pad_w;
	o2m_taps_1d(s, p->k_w, p->dil_w, p->in_w, &t->w0, &t->nw);
	if (!t->nd || !t->nh || !t->nw)
		return 0; /* the window lies wholly in the padding */
	d = od * p->stride_d - p->pad_d + t->d0 * p->dil_d;
	h = oh * p->stride_h - p->pad_h + t->h0 * p->dil_h;
	x += (d * p->in_h + h) * p->in_w + s + t->w0 * p->dil_w;
	w += (t->d0 * p->k_h + t->h0) * p->k_w + t->w0;
	return window_dot(q, g, x, w, t);
}

/* off * (the sum of the filter), for windows with every tap inside: there the sum of
   (x + off) * w is the sum of x * w plus this */
static int32_t filter_fold(const geo *g, const int8_t *w, int32_t off)
{
	int32_t s = 0, i, n = g->cin * g->ksize;

	for (i = 0; i < n; i++)
		s += w[i];
	return (int32_t)((uint32_t)s * (uint32_t)off);
}

/* sum of x * w over the k_w taps of one filter row, 1 apart in w and dil apart in x */
static int32_t row_dot(const int8_t *x, int32_t dil, const int8_t *w, int32_t kw)
{
	int32_t acc = 0, l;

	for (l = 0; l < kw; l++)
		acc += x[l * dil] * w[l];
	return acc;
}

/* sum of x * w (no offset) over the rows t->nd x t->nh of a window whose taps along w
   all lie inside: x and w at the first of those rows */
static int32_t full_dot1(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
			 const int8_t *w, const taps3 *t)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t wskip = (p->k_h - t->nh) * p->k_w, cskip = g->ksize - t->nd * p->k_h * p->k_w;
	int32_t acc = 0, c, i, j;

	for (c = 0; c < g->cin; c++, x += g->in_plane, w += cskip)
		for (i = 0; i < t->nd; i++, w += wskip)
			for (j = 0; j < t->nh; j++, w += p->k_w)
				acc += row_dot(x + i * g->xsd + j * g->xsh, p->dil_w, w, p->k_w);
	return acc;
}

/* off * the sum of the filter over the rows of t (all of them: filter_fold) */
static int32_t rows_fold(const o2m_q8_conv_params *q, const geo *g, const int8_t *w,
			 const taps3 *t)
{
	const o2m_conv_params *p = &q->conv;
	int32_t s = 0, c, i, j, l;

	for (c = 0; c < g->cin; c++, w += g->ksize)
		for (i = 0; i < t->nd; i++)
			for (j = 0; j < t->nh; j++)
				for (l = 0; l < p->k_w; l++)
					s += w[((t->d0 + i) * p->k_h + t->h0 + j) * p->k_w + l];
	return (int32_t)((uint32_t)s * (uint32_t)q->input_offset);
}

/* the sums of a block of two or four outputs, kept in registers */
typedef struct {
	int32_t a0, a1, a2, a3;
} acc4;

/* one 3-tap filter row for n (2 or 4) outputs s apart: a.k += sum of x[k * s + t] * w[t] */
static inline void row4_k3_c(const int8_t *x, int32_t s, const int8_t *w, int n, acc4 *a)
{
	const int32_t w0 = w[0], w1 = w[1], w2 = w[2];

	a->a0 += x[0] * w0 + x[1] * w1 + x[2] * w2;
	x += s;
	a->a1 += x[0] * w0 + x[1] * w1 + x[2] * w2;
	if (n == 2)
		return;
	x += s;
	a->a2 += x[0] * w0 + x[1] * w1 + x[2] * w2;
	x += s;
	a->a3 += x[0] * w0 + x[1] * w1 + x[2] * w2;
}

#ifdef Q8_DSP
/* row4_k3_c for outputs 1 apart, x[0..5]: the pairs (x[t], x[t + 2]) of the word at x
   (outputs 0 and 1) and at x + 2 (outputs 2 and 3) meet (w[0], w[2]) in one SMLAD, the
   middle tap takes one SMLAxy */
static inline void row4_k3_s1(const int8_t *x, const int8_t *w, int n, acc4 *a)
{
	const int32_t wp = q8_pack16(w[0], w[2]), w1 = w[1];
	int32_t v = q8_load4(x), e = __sxtb16(v), o = __sxtb16(q8_ror8(v));

	a->a0 = __smlabb(o, w1, __smlad(e, wp, a->a0));
	a->a1 = __smlatb(e, w1, __smlad(o, wp, a->a1));
	if (n == 2)
		return;
	v = q8_load4(x + 2);
	e = __sxtb16(v);
	o = __sxtb16(q8_ror8(v));
	a->a2 = __smlabb(o, w1, __smlad(e, wp, a->a2));
	a->a3 = __smlatb(e, w1, __smlad(o, wp, a->a3));
}
#else
static inline void row4_k3_s1(const int8_t *x, const int8_t *w, int n, acc4 *a)
{
	row4_k3_c(x, 1, w, n, a);
}
#endif

/* one filter row of kw taps dil apart for n outputs s apart */
static inline void row4_c(const int8_t *x, int32_t s, int32_t dil, const int8_t *w,
			  int32_t kw, int n, acc4 *a)
{
	int32_t l, v;

	for (l = 0; l < kw; l++, x += dil) {
		v = w[l];
		a->a0 += x[0] * v;
		a->a1 += x[s] * v;
		if (n == 2)
			continue;
		a->a2 += x[2 * s] * v;
		a->a3 += x[3 * s] * v;
	}
}

enum { ROW_K3_S1, ROW_K3, ROW_ANY }; /* the row loop of full4_rows */

/* one filter row for n outputs s apart, by kind: the 3-tap rows (dil 1) unrolled */
static inline void row4(const o2m_q8_conv_params *q, int kind, int n, const int8_t *x,
			int32_t s, const int8_t *w, acc4 *a)
{
	if (kind == ROW_K3_S1)
		row4_k3_s1(x, w, n, a);
	else if (kind == ROW_K3)
		row4_k3_c(x, s, w, n, a);
	else
		row4_c(x, s, q->conv.dil_w, w, q->conv.k_w, n, a);
}

/* full_dot1 for n (2 or 4) outputs s apart along w: x at the first tap of output 0; kind
   and n are constants at each call, so that each gets its own loop */
static inline acc4 full4_rows(const o2m_q8_conv_params *q, const geo *g, int kind, int n,
			      const int8_t *x, const int8_t *w, int32_t s, const taps3 *t)
{
	const int32_t cin = g->cin, plane = g->in_plane, nd = t->nd, nh = t->nh, kw = q->conv.k_w;
	const int32_t xsd = g->xsd, xsh = g->xsh, wskip = (q->conv.k_h - nh) * kw;
	const int32_t cskip = g->ksize - nd * q->conv.k_h * kw;
	acc4 a = {0, 0, 0, 0};
	int32_t c, i, j;

	if (nd == 1 && wskip == 0) { /* 2-D, whole columns: one loop less */
		for (c = 0; c < cin; c++, x += plane, w += cskip) {
			const int8_t *xr = x;
			for (j = 0; j < nh; j++, xr += xsh, w += kw)
				row4(q, kind, n, xr, s, w, &a);
		}
		return a;
	}
	for (c = 0; c < cin; c++, x += plane, w += cskip)
		for (i = 0; i < nd; i++, w += wskip) {
			const int8_t *xr = x + i * xsd;
			for (j = 0; j < nh; j++, xr += xsh, w += kw)
				row4(q, kind, n, xr, s, w, &a);
		}
	return a;
}

static acc4 full4(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		  const int8_t *w, int32_t s, const taps3 *t)
{
	if (q->conv.k_w == 3 && q->conv.dil_w == 1)
		return s == 1 ? full4_rows(q, g, ROW_K3_S1, 4, x, w, 1, t)
			      : full4_rows(q, g, ROW_K3, 4, x, w, s, t);
	return full4_rows(q, g, ROW_ANY, 4, x, w, s, t);
}

/* full4 for two outputs (a2 and a3 unset) */
static acc4 full2(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		  const int8_t *w, int32_t s, const taps3 *t)
{
	if (q->conv.k_w == 3 && q->conv.dil_w == 1)
		return s == 1 ? full4_rows(q, g, ROW_K3_S1, 2, x, w, 1, t)
			      : full4_rows(q, g, ROW_K3, 2, x, w, s, t);
	return full4_rows(q, g, ROW_ANY, 2, x, w, s, t);
}

/* one output: the requantized sum, clamped */
static int8_t conv_out(const q8_rq *r, int32_t acc)
{
	return q8_rq_out(r, acc);
}

/* outputs y[0..n) (n 2 or 4) from their sums without offset */
static void out4(const q8_rq *r, acc4 a, int n, int32_t fold, int8_t *y)
{
	y[0] = conv_out(r, q8_wadd(a.a0, fold));
	y[1] = conv_out(r, q8_wadd(a.a1, fold));
	if (n == 2)
		return;
	y[2] = conv_out(r, q8_wadd(a.a2, fold));
	y[3] = conv_out(r, q8_wadd(a.a3, fold));
}

/* the output row (od, oh) of one channel, its taps along d and h in t: positions in
   [lo, hi) along w have every tap along w inside; they take the sum of x * w over the
   rows of t plus fold (bias + off * the sum of the filter over those rows), four (or
   two) at a time, the last block overlapping the one before; the rest sum (x + off) * w
   over the taps inside */
static void conv_row(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		     const int8_t *w, int32_t od, int32_t oh, taps3 *t, int32_t lo, int32_t hi,
		     int32_t bias, int32_t fold, const q8_rq *r, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t s = p->stride_w;
	const int8_t *xr, *wr;
	int32_t ow, at;

	for (ow = 0; ow < p->out_w; ow++)
		if (ow < lo || ow >= hi || !t->nd || !t->nh)
			y[ow] = conv_out(r, window_sum(q, g, x, w, od, oh, ow, t) + bias);
	if (lo >= hi || !t->nd || !t->nh)
		return;
	if (t->nd != p->k_d || t->nh != p->k_h)
		fold = q8_wadd(bias, rows_fold(q, g, w, t));
	at = ((od * p->stride_d - p->pad_d + t->d0 * p->dil_d) * p->in_h + oh * p->stride_h -
	      p->pad_h + t->h0 * p->dil_h) * p->in_w - p->pad_w; /* first row, ow = 0 */
	xr = x + (at + lo * s); /* the first tap inside */
	wr = w + (t->d0 * p->k_h + t->h0) * p->k_w;
	if (hi - lo >= 4) {
		for (ow = lo; ow + 4 <= hi; ow += 4, xr += 4 * s)
			out4(r, full4(q, g, xr, wr, s, t), 4, fold, y + ow);
		if (ow < hi) /* the last four again */
			out4(r, full4(q, g, x + (at + (hi - 4) * s), wr, s, t), 4, fold,
			     y + hi - 4);
	} else if (hi - lo >= 2) {
		out4(r, full2(q, g, xr, wr, s, t), 2, fold, y + lo);
		if (hi - lo == 3)
			out4(r, full2(q, g, xr + s, wr, s, t), 2, fold, y + lo + 1);
	} else
		y[lo] = conv_out(r, q8_wadd(full_dot1(q, g, xr, wr, t), fold));
}

/* one output channel over every output position: x is its group's first input
   channel, w its filter, rq its packed requantization, y its plane */
static void conv_plane(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		       const int8_t *w, int32_t bias, int32_t rq, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	const q8_rq r = q8_rq_make(rq, q->output_offset, q->act_min, q->act_max);
	const int32_t fold = q8_wadd(bias, filter_fold(g, w, q->input_offset));
	int32_t od, oh, lo, hi;
	taps3 t;

	o2m_interior(p->out_w, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &lo, &hi);
	for (od = 0; od < p->out_d; od++) {
		o2m_taps_1d(od * p->stride_d - p->pad_d, p->k_d, p->dil_d, p->in_d, &t.d0, &t.nd);
		for (oh = 0; oh < p->out_h; oh++, y += p->out_w) {
			o2m_taps_1d(oh * p->stride_h - p->pad_h, p->k_h, p->dil_h, p->in_h, &t.h0,
				    &t.nh);
			conv_row(q, g, x, w, od, oh, &t, lo, hi, bias, fold, &r, y);
		}
	}
}

/* every output channel of every batch item */
static void conv_run(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		     const int8_t *w, const int32_t *bias, const int32_t *rq, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t n, oc;

	for (n = 0; n < p->n; n++) {
		for (oc = 0; oc < p->c_out; oc++) {
			const int8_t *xg = x + (n * p->c_in + oc / g->cout * g->cin) * g->in_plane;
			conv_plane(q, g, xg, w + oc * g->cin * g->ksize, bias ? bias[oc] : 0,
				   rq[oc], y + (n * p->c_out + oc) * g->out_plane);
		}
	}
}

int o2m_q8_conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *rq, int8_t *y)
{
	geo g;

	if (!conv_geo(p, x, w, rq, y, &g))
		return O2M_ERR_ARG;
	conv_run(p, &g, x, w, bias, rq, y);
	return O2M_OK;
}

/* one input channel per group: the window loop runs over a single channel */
int o2m_q8_conv_dw_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		      const int32_t *bias, const int32_t *rq, int8_t *y)
{
	geo g;

	if (!conv_geo(p, x, w, rq, y, &g) || p->conv.group != p->conv.c_in)
		return O2M_ERR_ARG;
	conv_run(p, &g, x, w, bias, rq, y);
	return O2M_OK;
}

/* sum over i < n of (x[i * xs] + off) * w[i] */
static int32_t dot_s8(const int8_t *x, int32_t xs, const int8_t *w, int32_t n, int32_t off)
{
	int32_t acc = 0, i;

	for (i = 0; i < n; i++)
		acc += (x[i * xs] + off) * w[i];
	return acc;
}

static int is_1x1(const o2m_conv_params *p)
{
	return p->group == 1 && p->k_d == 1 && p->k_h == 1 && p->k_w == 1 &&
	       p->stride_d == 1 && p->stride_h == 1 && p->stride_w == 1 && p->dil_d == 1 &&
	       p->dil_h == 1 && p->dil_w == 1 && !p->pad_d && !p->pad_h && !p->pad_w &&
	       p->out_d == p->in_d && p->out_h == p->in_h && p->out_w == p->in_w;
}

/* off * (the sum of n weights) */
static int32_t row_fold(const int8_t *w, int32_t n, int32_t off)
{
	int32_t s = 0, i;

	for (i = 0; i < n; i++)
		s += w[i];
	return (int32_t)((uint32_t)s * (uint32_t)off);
}

/* the 2x2 block of a matrix product: outputs s and s + 1 (x[i * xs], x[i * xs + 1]) of
   the rows w0 and w1, over channels i in [i0, n): a = {w0 s, w0 s+1, w1 s, w1 s+1} */
static void mm2x2_c(const int8_t *x, int32_t xs, const int8_t *w0, const int8_t *w1,
		    int32_t i0, int32_t n, int32_t a[4])
{
	int32_t i, x0, x1;

	for (i = i0; i < n; i++) {
		x0 = x[i * xs];
		x1 = x[i * xs + 1];
		a[0] += x0 * w0[i];
		a[1] += x1 * w0[i];
		a[2] += x0 * w1[i];
		a[3] += x1 * w1[i];
	}
}

#ifdef Q8_DSP
/* mm2x2_c over the channels in fours: the two outputs of channels i and i + 2 (i + 1 and
   i + 3) as int16x2 words meet the pairs (w[i], w[i + 2]) ((w[i + 1], w[i + 3])) of one
   word of each row in SMLADs; returns the channels done */
static int32_t mm2x2_dsp(const int8_t *x, int32_t xs, const int8_t *w0, const int8_t *w1,
			 int32_t n, int32_t a[4])
{
	int32_t i, v02, v13, x0e, x1e, x0o, x1o, we, wo;

	for (i = 0; i + 4 <= n; i += 4, x += 4 * xs) {
		v02 = (int32_t)(q8_load2(x) | q8_load2(x + 2 * xs) << 16);
		v13 = (int32_t)(q8_load2(x + xs) | q8_load2(x + 3 * xs) << 16);
		x0e = __sxtb16(v02); /* output s: channels i, i + 2 */
		x1e = __sxtb16(q8_ror8(v02));
		x0o = __sxtb16(v13); /* channels i + 1, i + 3 */
		x1o = __sxtb16(q8_ror8(v13));
		we = q8_load4(w0 + i);
		wo = __sxtb16(q8_ror8(we));
		we = __sxtb16(we);
		a[0] = __smlad(x0o, wo, __smlad(x0e, we, a[0]));
		a[1] = __smlad(x1o, wo, __smlad(x1e, we, a[1]));
		we = q8_load4(w1 + i);
		wo = __sxtb16(q8_ror8(we));
		we = __sxtb16(we);
		a[2] = __smlad(x0o, wo, __smlad(x0e, we, a[2]));
		a[3] = __smlad(x1o, wo, __smlad(x1e, we, a[3]));
	}
	return i;
}
#endif

/* a 2x2 block of y = w x: outputs s, s + 1 of rows w0, w1 (n channels xs apart) */
static void mm2x2(const int8_t *x, int32_t xs, const int8_t *w0, const int8_t *w1, int32_t n,
		  int32_t a[4])
{
	int32_t i0 = 0;

	a[0] = a[1] = a[2] = a[3] = 0;
#ifdef Q8_DSP
	i0 = mm2x2_dsp(x, xs, w0, w1, n, a);
#endif
	mm2x2_c(x, xs, w0, w1, i0, n, a);
}

/* output channels oc and oc + 1 (the last one again when oc + 1 == c_out) of one batch
   item, over the plane: the off * sum(w) of each row folded into its bias */
static void conv_1x1_pair(const o2m_q8_conv_params *p, const geo *g, const int8_t *x,
			  const int8_t *w, const int32_t *bias, const int32_t *rq, int32_t oc,
			  int8_t *y)
{
	const int32_t cin = p->conv.c_in, n = g->in_plane;
	const int32_t o1 = oc + 1 < p->conv.c_out ? oc + 1 : oc;
	const int8_t *w0 = w + oc * cin, *w1 = w + o1 * cin;
	const int32_t f0 = q8_wadd(bias ? bias[oc] : 0, row_fold(w0, cin, p->input_offset));
	const int32_t f1 = q8_wadd(bias ? bias[o1] : 0, row_fold(w1, cin, p->input_offset));
	const q8_rq r0 = q8_rq_make(rq[oc], p->output_offset, p->act_min, p->act_max);
	const q8_rq r1 = q8_rq_make(rq[o1], p->output_offset, p->act_min, p->act_max);
	int8_t *y0 = y + oc * n, *y1 = y + o1 * n;
	int32_t s, at, a[4];

	if (n == 1) { /* no pair of positions */
		y0[0] = conv_out(&r0, q8_wadd(dot_s8(x, 1, w0, cin, 0), f0));
		y1[0] = conv_out(&r1, q8_wadd(dot_s8(x, 1, w1, cin, 0), f1));
		return;
	}
	for (s = 0; s < n; s += 2) {
		at = s + 1 < n ? s : n - 2; /* an odd last position: the block that ends there */
		mm2x2(x + at, n, w0, w1, cin, a);
		y0[at] = conv_out(&r0, q8_wadd(a[0], f0));
		y0[at + 1] = conv_out(&r0, q8_wadd(a[1], f0));
		y1[at] = conv_out(&r1, q8_wadd(a[2], f1));
		y1[at + 1] = conv_out(&r1, q8_wadd(a[3], f1));
	}
}

/* per batch item, y [c_out x hw] = w [c_out x c_in] * x [c_in x hw], in 2x2 blocks */
int o2m_q8_conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	int32_t n, oc;
	geo g;

	if (!conv_geo(p, x, w, rq, y, &g) || !is_1x1(c))
		return O2M_ERR_ARG;
	for (n = 0; n < c->n; n++, x += c->c_in * g.in_plane, y += c->c_out * g.out_plane)
		for (oc = 0; oc < c->c_out; oc += 2)
			conv_1x1_pair(p, &g, x, w, bias, rq, oc, y);
	return O2M_OK;
}

#ifdef Q8_DSP
/* sum over i < n of (x[i] + off) * w[i], x and w four at a time: (x + off) is exact in
   int16 (|x + off| <= 383), added to both halves at once by SADD16 */
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
	return acc + dot_s8(x + i, 1, w + i, n - i, off);
}
#else
static int32_t fc_dot(const int8_t *x, const int8_t *w, int32_t n, int32_t off)
{
	return dot_s8(x, 1, w, n, off);
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
