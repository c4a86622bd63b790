/* o2m_conv_impl.h - the typed loops of the convolution kernels, written once:
   o2m_conv.c includes this file per element type with T (float or double), SFX(name)
   (name with the type suffix) and FLOOR defined, after its geometry helpers.
   Include it nowhere else. */

/* act_min/act_max at +-FLT_MAX mean "no bound": they widen to +-infinity so double
   results beyond the float range are not clipped */
static T SFX(bound)(float v)
{
	if (v <= -FLT_MAX)
		return (T)-HUGE_VAL;
	if (v >= FLT_MAX)
		return (T)HUGE_VAL;
	return (T)v;
}

static T SFX(clamp)(T v, T lo, T hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* the clamp when hi is +infinity: the same value */
static T SFX(clamp_lo)(T v, T lo)
{
	return v < lo ? lo : v;
}

/* The bounds of the clamp inside the loops: act_min and act_max, or none when a
   residual or an activation comes first (the epilogue clamps after them). -1 for an
   act o2m_act_apply does not take (an empty call checks it). */
static int SFX(ends)(const o2m_conv_params *p, const T *r, T *lo, T *hi)
{
	o2m_act_params a = {0, 0, 0, 0, 0, 0};
	const int later = p->act || r;

	a.act = p->act;
	*lo = later ? (T)-HUGE_VAL : SFX(bound)(p->act_min);
	*hi = later ? (T)HUGE_VAL : SFX(bound)(p->act_max);
	return SFX(o2m_act_apply)(&a, NULL, NULL) ? -1 : 0;
}

/* The epilogue over the n finished outputs from y[o] on (their sums plus the bias): the
   residual r[o...], the activation, the clamp. Without both the clamp ran inside the
   loops, which then stay as fast as a plain convolution's. */
static void SFX(epilogue)(const o2m_conv_params *p, const T *r, T *y, int32_t o, int32_t n)
{
	o2m_act_params a;
	int32_t i;

	if (!p->act && !r)
		return; /* clamped in the loops */
	for (i = 0; r && r != y && i < n; i++)
		y[o + i] += r[o + i];
	a.count = n;
	a.act = p->act;
	a.alpha = p->act_alpha;
	a.beta = p->act_beta;
	a.min = p->act_min;
	a.max = p->act_max;
	(void)SFX(o2m_act_apply)(&a, y + o, y + o);
}

/* ---- direct convolution: each output is a dot product over the valid taps ---- */

/* sum over cin channels of the valid taps t; x and w point at channel 0's first tap */
static T SFX(dot1)(const o2m_conv_params *p, const geo *g, const T *x, const T *w,
		   int32_t cin, const taps3 *t)
{
	T acc = 0;
	int32_t c, i, j, l;

	for (c = 0; c < cin; c++, x += g->in_plane, w += g->ksize) {
		const T *xd = x, *wd = w;
		for (i = 0; i < t->nd; i++, xd += g->xsd, wd += g->khw) {
			const T *xh = xd, *wh = wd;
			for (j = 0; j < t->nh; j++, xh += g->xsh, wh += p->k_w) {
				const T *xp = xh;
				for (l = 0; l < t->nw; l++, xp += p->dil_w)
					acc += *xp * wh[l];
			}
		}
	}
	return acc;
}

/* dot1 for 4 output channels whose filters are ws apart: each x load feeds 4 products */
static void SFX(dot4)(const o2m_conv_params *p, const geo *g, const T *x, const T *w,
		      int32_t ws, int32_t cin, const taps3 *t, T *acc)
{
	T a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	int32_t c, i, j, l;

	for (c = 0; c < cin; c++, x += g->in_plane, w += g->ksize) {
		const T *xd = x, *wd = w;
		for (i = 0; i < t->nd; i++, xd += g->xsd, wd += g->khw) {
			const T *xh = xd, *wh = wd;
			for (j = 0; j < t->nh; j++, xh += g->xsh, wh += p->k_w) {
				const T *xp = xh, *wp = wh;
				for (l = 0; l < t->nw; l++, xp += p->dil_w, wp++) {
					const T v = *xp;
					a0 += v * wp[0];
					a1 += v * wp[ws];
					a2 += v * wp[2 * ws];
					a3 += v * wp[3 * ws];
				}
			}
		}
	}
	acc[0] = a0;
	acc[1] = a1;
	acc[2] = a2;
	acc[3] = a3;
}

/* nb (1 or 4) consecutive output channels of one group over every output position:
   x is the group's first input channel, w the first channel's filter, y its plane */
static void SFX(conv_block)(const o2m_conv_params *p, const geo *g, const T *x, const T *w,
			    const T *b, T *y, int32_t nb, T lo, T hi)
{
	const int32_t cin = p->c_in / p->group, ws = cin * g->ksize;
	T bias[4] = {0, 0, 0, 0}, acc[4] = {0, 0, 0, 0};
	int32_t od, oh, ow, k, i = 0;
	taps3 t;

	for (k = 0; b && k < nb; k++)
		bias[k] = b[k];
	for (od = 0; od < p->out_d; od++) {
		taps_d(p, g, od, &t);
		for (oh = 0; oh < p->out_h; oh++) {
			taps_h(p, g, oh, &t);
			for (ow = 0; ow < p->out_w; ow++, i++) {
				taps_w(p, g, ow, &t);
				if (t.nd && t.nh && t.nw) {
					const T *xs = x + tap_offset(p, &t, od, oh, ow);
					const T *wf = w + filter_offset(p, &t);
					if (nb == 4)
						SFX(dot4)(p, g, xs, wf, ws, cin, &t, acc);
					else
						acc[0] = SFX(dot1)(p, g, xs, wf, cin, &t);
				} else { /* the window lies wholly in the padding */
					acc[0] = acc[1] = acc[2] = acc[3] = 0;
				}
				for (k = 0; k < nb; k++)
					y[k * g->out_plane + i] = SFX(clamp)(acc[k] + bias[k], lo, hi);
			}
		}
	}
}

int SFX(o2m_conv)(const o2m_conv_params *p, const T *x, const T *w, const T *b, const T *r,
		  T *y)
{
	geo g;
	int32_t n, gr, c, nb, cin, cout;
	T lo, hi;

	if (!x || !w || !y || conv_geo(p, &g) || SFX(ends)(p, r, &lo, &hi) || (r && r == y))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group;
	cout = p->c_out / p->group;
	for (n = 0; n < p->n; n++) {
		for (gr = 0; gr < p->group; gr++) {
			const T *xg = x + (n * p->c_in + gr * cin) * g.in_plane;
			for (c = 0; c < cout; c += nb) {
				int32_t co = gr * cout + c;
				nb = cout - c >= 4 ? 4 : 1;
				SFX(conv_block)(p, &g, xg, w + co * cin * g.ksize, b ? b + co : NULL,
						y + (n * p->c_out + co) * g.out_plane, nb, lo, hi);
			}
		}
		SFX(epilogue)(p, r, y, n * p->c_out * g.out_plane, p->c_out * g.out_plane);
	}
	return O2M_OK;
}

/* ---- depthwise: one input channel per filter; 3x3 rows inside the data unrolled ---- */

/* 3x3 windows of n consecutive interior outputs of one row; x is the first window's
   top-left tap. The nine weights stay in registers. */
static void SFX(dw3x3_row)(const o2m_conv_params *p, const T *x, const T *w, T bias, T *y,
			   int32_t n, T lo, T hi)
{
	const int32_t rs = p->dil_h * p->in_w, dw = p->dil_w, sw = p->stride_w;
	const T w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
	const T w6 = w[6], w7 = w[7], w8 = w[8];
	const T *r0 = x, *r1 = x + rs, *r2 = x + 2 * rs;
	int32_t i;

	for (i = 0; i < n; i++) {
		const int32_t o = i * sw;
		T acc = r0[o] * w0 + r0[o + dw] * w1 + r0[o + 2 * dw] * w2;
		acc += r1[o] * w3 + r1[o + dw] * w4 + r1[o + 2 * dw] * w5;
		acc += r2[o] * w6 + r2[o + dw] * w7 + r2[o + 2 * dw] * w8;
		y[i] = SFX(clamp)(acc + bias, lo, hi);
	}
}

/* outputs [from, to) of one row (t holds its d and h taps) through the general taps */
static void SFX(dw_span)(const o2m_conv_params *p, const geo *g, const T *x, const T *w,
			 T bias, T *row, taps3 *t, int32_t od, int32_t oh, int32_t from,
			 int32_t to, T lo, T hi)
{
	int32_t ow;

	for (ow = from; ow < to; ow++) {
		T acc = 0;
		taps_w(p, g, ow, t);
		if (t->nd && t->nh && t->nw)
			acc = SFX(dot1)(p, g, x + tap_offset(p, t, od, oh, ow),
					w + filter_offset(p, t), 1, t);
		row[ow] = SFX(clamp)(acc + bias, lo, hi);
	}
}

/* one output channel: x its input channel, w its filter, y its plane */
static void SFX(dw_plane)(const o2m_conv_params *p, const geo *g, const T *x, const T *w,
			  T bias, T *y, T lo, T hi)
{
	const int fast = p->k_d == 1 && p->k_h == 3 && p->k_w == 3 && g->wlo < g->whi;
	int32_t od, oh;
	taps3 t;

	for (od = 0; od < p->out_d; od++) {
		taps_d(p, g, od, &t);
		for (oh = 0; oh < p->out_h; oh++) {
			T *row = y + (od * p->out_h + oh) * p->out_w;
			taps_h(p, g, oh, &t);
			if (fast && t.nd == 1 && t.nh == 3) {
				int32_t d = od * p->stride_d - p->pad_d, h = oh * p->stride_h - p->pad_h;
				int32_t x0 = (d * p->in_h + h) * p->in_w + g->wlo * p->stride_w - p->pad_w;
				SFX(dw_span)(p, g, x, w, bias, row, &t, od, oh, 0, g->wlo, lo, hi);
				SFX(dw3x3_row)(p, x + x0, w, bias, row + g->wlo, g->whi - g->wlo, lo, hi);
				SFX(dw_span)(p, g, x, w, bias, row, &t, od, oh, g->whi, p->out_w, lo, hi);
			} else {
				SFX(dw_span)(p, g, x, w, bias, row, &t, od, oh, 0, p->out_w, lo, hi);
			}
		}
	}
}

int SFX(o2m_conv_dw)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
		     const T *r, T *y)
{
	geo g;
	int32_t n, ci, m, mult;
	T lo, hi;

	if (!x || !w || !y || p->group != p->c_in || conv_geo(p, &g) ||
	    SFX(ends)(p, r, &lo, &hi) || (r && r == y))
		return O2M_ERR_ARG;
	mult = p->c_out / p->c_in;
	for (n = 0; n < p->n; n++) {
		for (ci = 0; ci < p->c_in; ci++) {
			for (m = 0; m < mult; m++) {
				int32_t co = ci * mult + m;
				SFX(dw_plane)(p, &g, x + (n * p->c_in + ci) * g.in_plane, w + co * g.ksize,
					      b ? b[co] : 0, y + (n * p->c_out + co) * g.out_plane, lo,
					      hi);
			}
		}
		SFX(epilogue)(p, r, y, n * p->c_out * g.out_plane, p->c_out * g.out_plane);
	}
	return O2M_OK;
}

/* ---- depthwise over padded rows: every window is inside, no tap is checked ---- */

/* input row ih of channel xc as the padded row of wp elements: pad_w zeros, the row, then
   zeros; a row outside the data is all zeros */
static void SFX(pad_row)(const o2m_conv_params *p, const T *xc, int32_t ih, T *row, int32_t wp)
{
	int32_t i = 0, j, n = 0;

	if (ih >= 0 && ih < p->in_h) {
		n = wp - p->pad_w < p->in_w ? wp - p->pad_w : p->in_w;
		xc += ih * p->in_w;
		for (; i < p->pad_w; i++)
			row[i] = 0;
		for (j = 0; j < n; j++)
			row[i + j] = xc[j];
		i += n;
	}
	for (; i < wp; i++)
		row[i] = 0;
}

/* The padded rows output row oh reads, in rows[0 .. k_h): each input row is copied into
   its slot of the ring (nr rows of wp elements) once, when first read; tag[slot] is
   the input row a slot holds. */
static void SFX(ring_rows)(const o2m_conv_params *p, const T *xc, int32_t oh, T *ring,
			   int32_t nr, int32_t wp, int32_t *tag, const T **rows)
{
	int32_t h;

	for (h = 0; h < p->k_h; h++) {
		const int32_t ih = oh * p->stride_h - p->pad_h + h * p->dil_h;
		const int32_t slot = (ih + p->pad_h) % nr;
		T *row = ring + slot * wp;
		if (tag[slot] != ih) {
			SFX(pad_row)(p, xc, ih, row, wp);
			tag[slot] = ih;
		}
		rows[h] = row;
	}
}

/* The loops of dw3x3_rows with the clamp CL (of the sum plus the bias): nrows rows of
   n outputs; two outputs a step at stride 1, sharing their loads. */
#define DW3X3_ROWS_(CL)                                                                    \
	for (k = 0; k < nrows; k++, r0 += rs, r1 += rs, r2 += rs, y += ys) {             \
		const T *a = r0, *b = r1, *c = r2;                                        \
		int32_t i = 0;                                                            \
		if (sw == 1)                                                              \
			for (; i + 2 <= n; i += 2, a += 2, b += 2, c += 2) {              \
				const T a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];       \
				const T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];       \
				T u = 0, v = 0;                                           \
				MAC(u, a0, w0); MAC(v, a1, w0); MAC(u, a1, w1);           \
				MAC(v, a2, w1); MAC(u, a2, w2); MAC(v, a3, w2);           \
				MAC(u, b0, w3); MAC(v, b1, w3); MAC(u, b1, w4);           \
				MAC(v, b2, w4); MAC(u, b2, w5); MAC(v, b3, w5);           \
				{                                                         \
					const T c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3]; \
					MAC(u, c0, w6); MAC(v, c1, w6); MAC(u, c1, w7);   \
					MAC(v, c2, w7); MAC(u, c2, w8); MAC(v, c3, w8);   \
				}                                                         \
				y[i] = CL(u + bias);                                      \
				y[i + 1] = CL(v + bias);                                  \
			}                                                                 \
		for (; i < n; i++, a += sw, b += sw, c += sw) {                           \
			T u = 0;                                                          \
			MAC(u, a[0], w0); MAC(u, a[1], w1); MAC(u, a[2], w2);             \
			MAC(u, b[0], w3); MAC(u, b[1], w4); MAC(u, b[2], w5);             \
			MAC(u, c[0], w6); MAC(u, c[1], w7); MAC(u, c[2], w8);             \
			y[i] = CL(u + bias);                                              \
		}                                                                         \
	}
#define CLAMP_BOTH_(v) SFX(clamp)(v, lo, hi)
#define CLAMP_LO_(v) SFX(clamp_lo)(v, lo)
#define CLAMP_NONE_(v) (v)

/* nrows rows of n outputs of 3x3 windows with dilation 1: rows r0, r1, r2 start at the
   first row's first window, the next row's rs further; y's rows are ys apart. The nine
   weights stay in registers; the clamp checks only the bounds there are. */
static void SFX(dw3x3_rows)(const T *r0, const T *r1, const T *r2, int32_t rs, int32_t sw,
			    const T *w, T bias, T *y, int32_t ys, int32_t nrows, int32_t n, T lo,
			    T hi)
{
	const T w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
	const T w6 = w[6], w7 = w[7], w8 = w[8];
	int32_t k;

	if (hi < (T)HUGE_VAL)
		DW3X3_ROWS_(CLAMP_BOTH_)
	else if (lo > (T)-HUGE_VAL)
		DW3X3_ROWS_(CLAMP_LO_)
	else
		DW3X3_ROWS_(CLAMP_NONE_)
}
#undef DW3X3_ROWS_
#undef CLAMP_BOTH_
#undef CLAMP_LO_
#undef CLAMP_NONE_

/* n outputs of any window: rows[kh] starts at the first window's row kh */
static void SFX(dw_span_any)(const o2m_conv_params *p, const T *const *rows, const T *w,
			     T bias, T *y, int32_t n, T lo, T hi)
{
	int32_t i, h, l;

	for (i = 0; i < n; i++) {
		const int32_t o = i * p->stride_w;
		T u = 0;
		for (h = 0; h < p->k_h; h++)
			for (l = 0; l < p->k_w; l++)
				MAC(u, rows[h][o + l * p->dil_w], w[h * p->k_w + l]);
		y[i] = SFX(clamp)(u + bias, lo, hi);
	}
}

/* outputs [from, to) of a row over unpadded rows (in_w elements each): taps outside read
   0, as the padded rows would give them */
static void SFX(dw_edge)(const o2m_conv_params *p, const T *const *rows, const T *w, T bias,
			 T *y, int32_t from, int32_t to, T lo, T hi)
{
	int32_t ow, h, l;

	for (ow = from; ow < to; ow++) {
		const int32_t w0 = ow * p->stride_w - p->pad_w;
		T u = 0;
		for (h = 0; h < p->k_h; h++)
			for (l = 0; l < p->k_w; l++) {
				const int32_t iw = w0 + l * p->dil_w;
				const T v = iw >= 0 && iw < p->in_w ? rows[h][iw] : 0;
				MAC(u, v, w[h * p->k_w + l]);
			}
		y[ow] = SFX(clamp)(u + bias, lo, hi);
	}
}

/* channel xc into the interior of the zero-padded plane (its padding stays zero) */
static void SFX(dw_fill_plane)(const o2m_conv_params *p, const T *xc, T *plane, int32_t hp,
			       int32_t wp)
{
	const int32_t n = wp - p->pad_w < p->in_w ? wp - p->pad_w : p->in_w;
	int32_t ih, i;

	for (ih = 0; ih < p->in_h && ih + p->pad_h < hp; ih++, xc += p->in_w) {
		T *row = plane + (ih + p->pad_h) * wp + p->pad_w;
		for (i = 0; i < n; i++)
			row[i] = xc[i];
	}
}

/* one channel: x its input channel, w its filter, y its plane; scr the plane, the zero
   row or the ring of the mode */
static void SFX(dw_channel)(const o2m_conv_params *p, const geo *g, const T *xc, const T *w,
			    T bias, T *y, T *scr, int mode, T lo, T hi)
{
	const int32_t nr = (p->k_h - 1) * p->dil_h + 1;
	const int32_t wp = (p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1;
	const int32_t hp = (p->out_h - 1) * p->stride_h + nr;
	const int fast = p->k_h == 3 && p->k_w == 3 && p->dil_w == 1;
	const T *rows[O2M_DW_ROWS], *from[O2M_DW_ROWS];
	int32_t tag[O2M_DW_ROWS], oh, h, n = p->out_w, first = 0;

	for (h = 0; h < nr; h++)
		tag[h] = INT32_MIN;
	if (mode == O2M_DW_PLANE)
		SFX(dw_fill_plane)(p, xc, scr, hp, wp);
	if (mode == O2M_DW_PLANE && fast) { /* every row in one call */
		SFX(dw3x3_rows)(scr, scr + p->dil_h * wp, scr + 2 * p->dil_h * wp, p->stride_h * wp,
				p->stride_w, w, bias, y, p->out_w, p->out_h, p->out_w, lo, hi);
		return;
	}
	for (oh = 0; oh < p->out_h; oh++, y += p->out_w) {
		if (mode == O2M_DW_PLANE) {
			for (h = 0; h < p->k_h; h++)
				from[h] = scr + (oh * p->stride_h + h * p->dil_h) * wp;
		} else if (mode == O2M_DW_IN_PLACE) {
			for (h = 0; h < p->k_h; h++) {
				const int32_t ih = oh * p->stride_h - p->pad_h + h * p->dil_h;
				rows[h] = ih >= 0 && ih < p->in_h ? xc + ih * p->in_w : scr;
				from[h] = rows[h] + g->wlo * p->stride_w - p->pad_w;
			}
			first = g->wlo;
			n = g->whi - g->wlo;
			SFX(dw_edge)(p, rows, w, bias, y, 0, first, lo, hi);
			SFX(dw_edge)(p, rows, w, bias, y, first + n, p->out_w, lo, hi);
		} else {
			SFX(ring_rows)(p, xc, oh, scr, nr, wp, tag, from);
		}
		if (fast)
			SFX(dw3x3_rows)(from[0], from[1], from[2], 0, p->stride_w, w, bias, y + first, 0,
					1, n, lo, hi);
		else
			SFX(dw_span_any)(p, from, w, bias, y + first, n, lo, hi);
	}
}

int SFX(o2m_conv_dw_rows)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
			  const T *r, T *y, T *scr)
{
	geo g;
	int32_t n, c, i, mult, zeros = 0;
	int mode;
	T lo, hi;

	if (!x || !w || !y || !scr || p->group != p->c_in || p->k_d != 1 || p->in_d != 1 ||
	    p->out_d != 1 || p->pad_h < 0 || p->pad_w < 0 ||
	    (p->k_h - 1) * p->dil_h + 1 > O2M_DW_ROWS || conv_geo(p, &g) ||
	    SFX(ends)(p, r, &lo, &hi))
		return O2M_ERR_ARG;
	if (r && r == y)
		return O2M_ERR_ARG;
	mult = p->c_out / p->c_in;
	mode = o2m_dw_rows_mode(p);
	if (mode == O2M_DW_IN_PLACE && x == y)
		mode = O2M_DW_RING; /* in place: each row copied before it is written over */
	if (mode == O2M_DW_PLANE)
		zeros = o2m_dw_plane(p);
	else if (mode == O2M_DW_IN_PLACE)
		zeros = p->in_w;
	for (i = 0; i < zeros; i++)
		scr[i] = 0;
	for (n = 0; n < p->n; n++) {
		for (c = 0; c < p->c_out; c++)
			SFX(dw_channel)(p, &g, x + (n * p->c_in + c / mult) * g.in_plane, w + c * g.ksize,
					b ? b[c] : 0, y + (n * p->c_out + c) * g.out_plane, scr, mode, lo,
					hi);
		SFX(epilogue)(p, r, y, n * p->c_out * g.out_plane, p->c_out * g.out_plane);
	}
	return O2M_OK;
}

/* ---- register-blocked products: the inner loops of the pointwise convolution and
   of the convolution through im2col ---- */

/* c[i * 4 + j] = sum over q < k of a[i * as + q] * b[q * bs + j], for 4 rows of a
   (each read contiguously) and 4 columns of b; k >= 1. Each loaded element feeds 4
   products and the 16 sums stay in registers. */
static void SFX(mk4x4)(int32_t k, const T *a, int32_t as, const T *b, int32_t bs, T *c)
{
	const T *a0 = a, *a1 = a + as, *a2 = a1 + as, *a3 = a2 + as;
	T c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
	T c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;

	do {
		const T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
		const T x0 = *a0++, x1 = *a1++, x2 = *a2++, x3 = *a3++;
		b += bs;
		MAC(c00, x0, b0); MAC(c01, x0, b1); MAC(c02, x0, b2); MAC(c03, x0, b3);
		MAC(c10, x1, b0); MAC(c11, x1, b1); MAC(c12, x1, b2); MAC(c13, x1, b3);
		MAC(c20, x2, b0); MAC(c21, x2, b1); MAC(c22, x2, b2); MAC(c23, x2, b3);
		MAC(c30, x3, b0); MAC(c31, x3, b1); MAC(c32, x3, b2); MAC(c33, x3, b3);
	} while (--k);
	c[0] = c00, c[1] = c01, c[2] = c02, c[3] = c03;
	c[4] = c10, c[5] = c11, c[6] = c12, c[7] = c13;
	c[8] = c20, c[9] = c21, c[10] = c22, c[11] = c23;
	c[12] = c30, c[13] = c31, c[14] = c32, c[15] = c33;
}

/* mk4x4 for one row of a: c[0..3] */
static void SFX(mk1x4)(int32_t k, const T *a, const T *b, int32_t bs, T *c)
{
	T c0 = 0, c1 = 0, c2 = 0, c3 = 0;

	do {
		const T x0 = *a++;
		MAC(c0, x0, b[0]); MAC(c1, x0, b[1]); MAC(c2, x0, b[2]); MAC(c3, x0, b[3]);
		b += bs;
	} while (--k);
	c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3;
}

/* mk4x4 for one column of b: c[0], c[4], c[8], c[12] */
static void SFX(mk4x1)(int32_t k, const T *a, int32_t as, const T *b, int32_t bs, T *c)
{
	const T *a0 = a, *a1 = a + as, *a2 = a1 + as, *a3 = a2 + as;
	T c0 = 0, c1 = 0, c2 = 0, c3 = 0;

	do {
		const T v = *b;
		b += bs;
		MAC(c0, *a0++, v); MAC(c1, *a1++, v); MAC(c2, *a2++, v); MAC(c3, *a3++, v);
	} while (--k);
	c[0] = c0, c[4] = c1, c[8] = c2, c[12] = c3;
}

/* one sum: mk4x4 for one row and one column */
static T SFX(mk1x1)(int32_t k, const T *a, const T *b, int32_t bs)
{
	T c0 = 0;

	do {
		MAC(c0, *a++, *b);
		b += bs;
	} while (--k);
	return c0;
}

/* rows x cols (at most 4 x 4) of a block's sums c (rows 4 apart) into y (rows ys
   apart), each row plus its bias and clamped to [lo, hi] */
static void SFX(put)(const T *c, int32_t rows, int32_t cols, const T *bias, T *y, int32_t ys,
		     T lo, T hi)
{
	int32_t i, j;

	for (i = 0; i < rows; i++, c += 4, y += ys) {
		const T bi = bias ? bias[i] : 0;
		for (j = 0; j < cols; j++)
			y[j] = SFX(clamp)(c[j] + bi, lo, hi);
	}
}

/* put over the residual y holds: each sum plus its bias, plus y's value (the order of the
   epilogue's addition; no clamp, the epilogue's activation follows) */
static void SFX(put_over)(const T *c, int32_t rows, int32_t cols, const T *bias, T *y,
			  int32_t ys)
{
	int32_t i, j;

	for (i = 0; i < rows; i++, c += 4, y += ys) {
		const T bi = bias ? bias[i] : 0;
		for (j = 0; j < cols; j++)
			y[j] = (c[j] + bi) + y[j];
	}
}

/* put, or put_over when over */
static void SFX(put_either)(const T *c, int32_t rows, int32_t cols, const T *bias, T *y,
			    int32_t ys, int over, T lo, T hi)
{
	if (over)
		SFX(put_over)(c, rows, cols, bias, y, ys);
	else
		SFX(put)(c, rows, cols, bias, y, ys, lo, hi);
}

/* c[m, n] = a[m, k] b[k, n] + bias[m], clamped to [lo, hi]; b's rows are bs apart
   (n <= bs), c's n. Blocks of 4 x 4, then the odd rows and columns. */
static void SFX(gemm)(int32_t m, int32_t n, int32_t k, const T *a, const T *b, int32_t bs,
		      const T *bias, T *c, T lo, T hi)
{
	T acc[16];
	int32_t i, j;

	for (j = 0; j + 4 <= n; j += 4) {
		for (i = 0; i + 4 <= m; i += 4) {
			SFX(mk4x4)(k, a + i * k, k, b + j, bs, acc);
			SFX(put)(acc, 4, 4, bias ? bias + i : NULL, c + i * n + j, n, lo, hi);
		}
		for (; i < m; i++) {
			SFX(mk1x4)(k, a + i * k, b + j, bs, acc);
			SFX(put)(acc, 1, 4, bias ? bias + i : NULL, c + i * n + j, n, lo, hi);
		}
	}
	for (; j < n; j++) {
		for (i = 0; i + 4 <= m; i += 4) {
			SFX(mk4x1)(k, a + i * k, k, b + j, bs, acc);
			SFX(put)(acc, 4, 1, bias ? bias + i : NULL, c + i * n + j, n, lo, hi);
		}
		for (; i < m; i++) {
			acc[0] = SFX(mk1x1)(k, a + i * k, b + j, bs);
			SFX(put)(acc, 1, 1, bias ? bias + i : NULL, c + i * n + j, n, lo, hi);
		}
	}
}

/* ---- pointwise: a matrix product per image and group ---- */

int SFX(o2m_conv_1x1)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
		      const T *r, T *y)
{
	geo g;
	int32_t n, gr, cin, cout;
	T lo, hi;

	if (!x || !w || !y || conv_geo(p, &g) || g.in_plane != g.out_plane ||
	    SFX(ends)(p, r, &lo, &hi) || (r && r == y))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group;
	cout = p->c_out / p->group;
	for (n = 0; n < p->n; n++) {
		for (gr = 0; gr < p->group; gr++)
			SFX(gemm)(cout, g.in_plane, cin, w + gr * cout * cin,
				  x + (n * p->c_in + gr * cin) * g.in_plane, g.in_plane,
				  b ? b + gr * cout : NULL,
				  y + (n * p->c_out + gr * cout) * g.out_plane, lo, hi);
		SFX(epilogue)(p, r, y, n * p->c_out * g.out_plane, p->c_out * g.out_plane);
	}
	return O2M_OK;
}

/* ---- any convolution as products: im2col panels of 4 output positions ---- */

/* four elements, copied as one (LDM and STM on Arm) */
typedef struct {
	T v[4];
} SFX(quad);

/* The panel columns of 4 output positions in one row starting at (od, oh, ow): for each
   filter row (channel, d, h) a row check, then per tap the 4 inputs, one copy when they
   are adjacent and inside the data */
static void SFX(panel_row)(const o2m_conv_params *p, const geo *g, const T *x, int32_t cin,
			   int32_t od, int32_t oh, int32_t ow, T *cj)
{
	const int32_t d0 = od * p->stride_d - p->pad_d, h0 = oh * p->stride_h - p->pad_h;
	const int32_t w0 = ow * p->stride_w - p->pad_w, sw = p->stride_w, kw = p->k_w;
	const int32_t dw = p->dil_w;
	/* every tap of the 4 windows inside the row, and adjacent */
	const int inside = w0 >= 0 && w0 + (kw - 1) * dw + 3 * sw < p->in_w;
	const int quads = inside && sw == 1;
	int32_t c, i, h, l, j;

	for (c = 0; c < cin; c++, x += g->in_plane)
		for (i = 0; i < p->k_d; i++)
			for (h = 0; h < p->k_h; h++) {
				const int32_t id = d0 + i * p->dil_d, ih = h0 + h * p->dil_h;
				const T *xr = x + (id * p->in_h + ih) * p->in_w + w0;
				if (id < 0 || id >= p->in_d || ih < 0 || ih >= p->in_h) {
					for (l = 0; l < 4 * kw; l++)
						cj[l] = 0;
					cj += 4 * kw;
				} else if (quads) {
					for (l = 0; l < kw; l++, cj += 4, xr += dw)
						*(SFX(quad) *)cj = *(const SFX(quad) *)xr;
				} else if (inside) {
					for (l = 0; l < kw; l++, cj += 4, xr += dw) {
						cj[0] = xr[0], cj[1] = xr[sw];
						cj[2] = xr[2 * sw], cj[3] = xr[3 * sw];
					}
				} else {
					for (l = 0; l < kw; l++, cj += 4)
						for (j = 0; j < 4; j++) {
							const int32_t iw = w0 + l * dw + j * sw;
							cj[j] = iw >= 0 && iw < p->in_w ? xr[iw - w0] : 0;
						}
				}
			}
}

/* The im2col panel of output positions pos .. pos + np - 1 (np <= 4, all in one image
   and group; x is the group's first input channel): col[t * 4 + j] is tap t (in filter
   order: channel, then d, h, w) of position pos + j. Taps in the padding and the
   columns from np on are 0. */
static void SFX(panel)(const o2m_conv_params *p, const geo *g, const T *x, int32_t cin,
		       int32_t pos, int32_t np, T *col)
{
	const int32_t kt = cin * g->ksize, dw = p->dil_w, kw = p->k_w;
	int32_t j, c, i, h, l;

	if (np == 4 && pos % p->out_w + 4 <= p->out_w) { /* four in one row */
		SFX(panel_row)(p, g, x, cin, pos / p->out_w / p->out_h, pos / p->out_w % p->out_h,
			       pos % p->out_w, col);
		return;
	}
	for (j = 0; j < 4; j++) {
		T *cj = col + j;
		int32_t ow, oh, od, d0, h0, w0;
		if (j >= np) {
			for (l = 0; l < kt; l++, cj += 4)
				*cj = 0;
			continue;
		}
		ow = (pos + j) % p->out_w;
		oh = (pos + j) / p->out_w % p->out_h;
		od = (pos + j) / p->out_w / p->out_h;
		d0 = od * p->stride_d - p->pad_d;
		h0 = oh * p->stride_h - p->pad_h;
		w0 = ow * p->stride_w - p->pad_w;
		if (od >= g->dlo && od < g->dhi && oh >= g->hlo && oh < g->hhi && ow >= g->wlo &&
		    ow < g->whi) {
			const T *xc = x + (d0 * p->in_h + h0) * p->in_w + w0;
			for (c = 0; c < cin; c++, xc += g->in_plane)
				for (i = 0; i < p->k_d; i++)
					for (h = 0; h < p->k_h; h++) {
						const T *xr = xc + i * g->xsd + h * g->xsh;
						for (l = 0; l < kw; l++, cj += 4, xr += dw)
							*cj = *xr;
					}
			continue;
		}
		for (c = 0; c < cin; c++)
			for (i = 0; i < p->k_d; i++)
				for (h = 0; h < p->k_h; h++)
					for (l = 0; l < kw; l++, cj += 4) {
						const int32_t id = d0 + i * p->dil_d, ih = h0 + h * p->dil_h;
						const int32_t iw = w0 + l * dw;
						*cj = id >= 0 && id < p->in_d && ih >= 0 && ih < p->in_h &&
							      iw >= 0 && iw < p->in_w
							      ? x[c * g->in_plane + (id * p->in_h + ih) * p->in_w + iw]
							      : 0;
					}
	}
}

/* ---- any convolution as products with filters packed at compile time ---- */

/* c[i * 4 + j] = sum over q < k of a[q * 4 + i] * b[q * 4 + j]: 4 filters packed as
   [k][4] and a panel [k][4]; the sums of mk4x4 in the same order. On an Arm FPU each
   step is two VLDMs and 16 VMLAs. */
static void SFX(mk4x4p)(int32_t k, const T *a, const T *b, const T *bias, T *y, int32_t ys,
			int32_t np, int over, T lo, T hi)
{
	T c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
	T c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;

	do {
#if VLDM_F32
		/* GCC keeps these in s0-s7 for the asm statements that name them */
		register float x0 __asm__("s0"), x1 __asm__("s1"), x2 __asm__("s2"),
			x3 __asm__("s3"), b0 __asm__("s4"), b1 __asm__("s5"), b2 __asm__("s6"),
			b3 __asm__("s7");
		__asm__("vldmia %[a]!, {s0-s3}"
			: [a] "+r"(a), "=t"(x0), "=t"(x1), "=t"(x2), "=t"(x3)
			: "m"(*(const T(*)[4])a));
		__asm__("vldmia %[b]!, {s4-s7}"
			: [b] "+r"(b), "=t"(b0), "=t"(b1), "=t"(b2), "=t"(b3)
			: "m"(*(const T(*)[4])b));
		MAC(c00, x0, b0); MAC(c01, x0, b1); MAC(c02, x0, b2); MAC(c03, x0, b3);
		MAC(c10, x1, b0); MAC(c11, x1, b1); MAC(c12, x1, b2); MAC(c13, x1, b3);
		MAC(c20, x2, b0); MAC(c21, x2, b1); MAC(c22, x2, b2); MAC(c23, x2, b3);
		MAC(c30, x3, b0); MAC(c31, x3, b1); MAC(c32, x3, b2); MAC(c33, x3, b3);
#else
		const T x0 = a[0], x1 = a[1], x2 = a[2], x3 = a[3];
		const T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
		a += 4, b += 4;
		MAC(c00, x0, b0); MAC(c01, x0, b1); MAC(c02, x0, b2); MAC(c03, x0, b3);
		MAC(c10, x1, b0); MAC(c11, x1, b1); MAC(c12, x1, b2); MAC(c13, x1, b3);
		MAC(c20, x2, b0); MAC(c21, x2, b1); MAC(c22, x2, b2); MAC(c23, x2, b3);
		MAC(c30, x3, b0); MAC(c31, x3, b1); MAC(c32, x3, b2); MAC(c33, x3, b3);
#endif
	} while (--k);
	if (np == 4 && !over) { /* from the registers: plus the bias, clamped to the bounds */
		const T b0 = bias ? bias[0] : 0, b1 = bias ? bias[1] : 0;
		const T b2 = bias ? bias[2] : 0, b3 = bias ? bias[3] : 0;
#define PUT4X4_(CL)                                                                         \
	do {                                                                                \
		y[0] = CL(c00 + b0), y[1] = CL(c01 + b0), y[2] = CL(c02 + b0);             \
		y[3] = CL(c03 + b0), y += ys;                                               \
		y[0] = CL(c10 + b1), y[1] = CL(c11 + b1), y[2] = CL(c12 + b1);             \
		y[3] = CL(c13 + b1), y += ys;                                               \
		y[0] = CL(c20 + b2), y[1] = CL(c21 + b2), y[2] = CL(c22 + b2);             \
		y[3] = CL(c23 + b2), y += ys;                                               \
		y[0] = CL(c30 + b3), y[1] = CL(c31 + b3), y[2] = CL(c32 + b3);             \
		y[3] = CL(c33 + b3);                                                        \
	} while (0)
#define CLAMP_BOTH_(v) SFX(clamp)(v, lo, hi)
#define CLAMP_LO_(v) SFX(clamp_lo)(v, lo)
#define CLAMP_NONE_(v) (v)
		if (hi < (T)HUGE_VAL)
			PUT4X4_(CLAMP_BOTH_);
		else if (lo > (T)-HUGE_VAL)
			PUT4X4_(CLAMP_LO_);
		else
			PUT4X4_(CLAMP_NONE_);
#undef PUT4X4_
#undef CLAMP_BOTH_
#undef CLAMP_LO_
#undef CLAMP_NONE_
	} else {
		T c[16];
		c[0] = c00, c[1] = c01, c[2] = c02, c[3] = c03;
		c[4] = c10, c[5] = c11, c[6] = c12, c[7] = c13;
		c[8] = c20, c[9] = c21, c[10] = c22, c[11] = c23;
		c[12] = c30, c[13] = c31, c[14] = c32, c[15] = c33;
		SFX(put_either)(c, 4, np, bias, y, ys, over, lo, hi);
	}
}

/* the panel of a pointwise convolution: col[c * 4 + j] = x[c * plane + pos + j] for
   j < np, 0 beyond */
static void SFX(panel_1x1)(const T *x, int32_t cin, int32_t plane, int32_t pos, int32_t np,
			   T *col)
{
	int32_t c, j;

	x += pos;
	if (np == 4) {
		for (c = 0; c < cin; c++, x += plane, col += 4)
			*(SFX(quad) *)col = *(const SFX(quad) *)x;
		return;
	}
	for (c = 0; c < cin; c++, x += plane, col += 4)
		for (j = 0; j < 4; j++)
			col[j] = j < np ? x[j] : 0;
}

/* The products over panels of conv_gemm (packed: the filters packed by 4) and
   conv_im2col (the filters as they are) */
static int SFX(conv_panels)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
			    const T *r, T *y, T *col, int packed)
{
	geo g;
	int32_t n, gr, co, pos, cin, cout, kt;
	int pointwise;
	T lo, hi, acc[16];
	const int over = r && r == y; /* written over the residual: each sum added to it */

	if (!x || !w || !y || !col || conv_geo(p, &g) || SFX(ends)(p, r, &lo, &hi))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group;
	cout = p->c_out / p->group;
	kt = cin * g.ksize;
	pointwise = g.ksize == 1 && g.in_plane == g.out_plane && p->stride_d == 1 &&
		    p->stride_h == 1 && p->stride_w == 1 && !p->pad_d && !p->pad_h && !p->pad_w;
	for (n = 0; n < p->n; n++) {
		for (gr = 0; gr < p->group; gr++) {
			const T *xg = x + (n * p->c_in + gr * cin) * g.in_plane;
			const T *wg = w + gr * cout * kt, *bg = b ? b + gr * cout : NULL;
			T *yg = y + (n * p->c_out + gr * cout) * g.out_plane;
			for (pos = 0; pos < g.out_plane; pos += 4) {
				const int32_t np = g.out_plane - pos < 4 ? g.out_plane - pos : 4;
				if (pointwise)
					SFX(panel_1x1)(xg, cin, g.in_plane, pos, np, col);
				else
					SFX(panel)(p, &g, xg, cin, pos, np, col);
				for (co = 0; co + 4 <= cout; co += 4) {
					T *yb = yg + co * g.out_plane + pos;
					if (packed) {
						SFX(mk4x4p)(kt, wg + co * kt, col, bg ? bg + co : NULL, yb,
							    g.out_plane, np, over, lo, hi);
						continue;
					}
					SFX(mk4x4)(kt, wg + co * kt, kt, col, 4, acc);
					SFX(put_either)(acc, 4, np, bg ? bg + co : NULL, yb, g.out_plane,
							over, lo, hi);
				}
				for (; co < cout; co++) { /* the rows left over, unpacked either way */
					SFX(mk1x4)(kt, wg + co * kt, col, 4, acc);
					SFX(put_either)(acc, 1, np, bg ? bg + co : NULL,
							yg + co * g.out_plane + pos, g.out_plane, over, lo,
							hi);
				}
			}
		}
		SFX(epilogue)(p, r, y, n * p->c_out * g.out_plane, p->c_out * g.out_plane);
	}
	return O2M_OK;
}

int SFX(o2m_conv_gemm)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
		       const T *r, T *y, T *col)
{
	return SFX(conv_panels)(p, x, w, b, r, y, col, 1);
}

int SFX(o2m_conv_im2col)(const o2m_conv_params *p, const T *x, const T *w, const T *b,
			 const T *r, T *y, T *col)
{
	return SFX(conv_panels)(p, x, w, b, r, y, col, 0);
}

/* ---- transposed convolution and Col2Im: each tap scatters a whole input plane ---- */

/* y[o] += a * x[i] for the input positions i whose output o = i * stride - pad + t * dil
   (tap t = (kd, kh, kw)) lies inside y; the valid i form one box */
static void SFX(scatter)(const o2m_conv_params *p, const T *x, T a, T *y, int32_t kd,
			 int32_t kh, int32_t kw)
{
	const int32_t sd = kd * p->dil_d - p->pad_d, sh = kh * p->dil_h - p->pad_h;
	const int32_t sw = kw * p->dil_w - p->pad_w, st = p->stride_w;
	int32_t d0, nd, h0, nh, w0, nw, i, j, l;

	o2m_taps_1d(sd, p->in_d, p->stride_d, p->out_d, &d0, &nd);
	o2m_taps_1d(sh, p->in_h, p->stride_h, p->out_h, &h0, &nh);
	o2m_taps_1d(sw, p->in_w, st, p->out_w, &w0, &nw);
	if (!nd || !nh || !nw)
		return;
	for (i = d0; i < d0 + nd; i++) {
		for (j = h0; j < h0 + nh; j++) {
			const T *xr = x + (i * p->in_h + j) * p->in_w + w0;
			T *yr = y + ((sd + i * p->stride_d) * p->out_h + sh + j * p->stride_h) * p->out_w +
				sw + w0 * st;
			for (l = 0; l < nw; l++)
				yr[l * st] += a * xr[l];
		}
	}
}

int SFX(o2m_conv_transpose)(const o2m_conv_params *p, const T *x, const T *w, const T *b, T *y)
{
	geo g;
	int32_t n, co, ci, k, i, cin, cout;
	T lo, hi;

	if (!x || !w || !y || conv_geo(p, &g) || SFX(ends)(p, NULL, &lo, &hi))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group;
	cout = p->c_out / p->group;
	for (n = 0; n < p->n; n++) {
		for (co = 0; co < p->c_out; co++) {
			const int32_t gr = co / cout, c = co - gr * cout;
			T *yc = y + (n * p->c_out + co) * g.out_plane;
			for (i = 0; i < g.out_plane; i++)
				yc[i] = b ? b[co] : 0;
			for (ci = gr * cin; ci < (gr + 1) * cin; ci++) {
				const T *xc = x + (n * p->c_in + ci) * g.in_plane;
				const T *wc = w + (ci * cout + c) * g.ksize;
				for (k = 0; k < g.ksize; k++)
					SFX(scatter)(p, xc, wc[k], yc, k / g.khw, k / p->k_w % p->k_h,
						     k % p->k_w);
			}
			for (i = 0; i < g.out_plane; i++)
				yc[i] = SFX(clamp)(yc[i], lo, hi);
			SFX(epilogue)(p, NULL, y, (n * p->c_out + co) * g.out_plane, g.out_plane);
		}
	}
	return O2M_OK;
}

int SFX(o2m_col2im)(const o2m_conv_params *p, const T *x, T *y)
{
	geo g;
	int32_t n, c, k, i, blocks;

	if (!x || !y || conv_geo(p, &g))
		return O2M_ERR_ARG;
	blocks = g.in_plane;
	for (n = 0; n < p->n; n++) {
		for (c = 0; c < p->c_in; c++) {
			T *yc = y + (n * p->c_in + c) * g.out_plane;
			const T *xc = x + (n * p->c_in + c) * g.ksize * blocks;
			for (i = 0; i < g.out_plane; i++)
				yc[i] = 0;
			for (k = 0; k < g.ksize; k++)
				SFX(scatter)(p, xc + k * blocks, 1, yc, k / g.khw, k / p->k_w % p->k_h,
					     k % p->k_w);
		}
	}
	return O2M_OK;
}

/* ---- deformable convolution: each sample is computed once and feeds every output
   channel of its group ---- */

/* x (one channel, h by w) at a real position, bilinear; pixels outside read 0 */
static T SFX(bilinear)(const T *x, int32_t h, int32_t w, T ph, T pw)
{
	T fh, fw, lh, lw, v = 0;
	int32_t h0, w0;

	if (!(ph > -1 && ph < (T)h && pw > -1 && pw < (T)w))
		return 0; /* all four neighbours are outside (or a NaN offset) */
	fh = FLOOR(ph);
	fw = FLOOR(pw);
	h0 = (int32_t)fh;
	w0 = (int32_t)fw;
	lh = ph - fh;
	lw = pw - fw;
	if (h0 >= 0 && w0 >= 0)
		v += (1 - lh) * (1 - lw) * x[h0 * w + w0];
	if (h0 >= 0 && w0 + 1 < w)
		v += (1 - lh) * lw * x[h0 * w + w0 + 1];
	if (h0 + 1 < h && w0 >= 0)
		v += lh * (1 - lw) * x[(h0 + 1) * w + w0];
	if (h0 + 1 < h && w0 + 1 < w)
		v += lh * lw * x[(h0 + 1) * w + w0 + 1];
	return v;
}

/* adds input channel ci's contribution to the outputs of its group for one image;
   off and m point at the image's offset and mask (m may be NULL) */
static void SFX(deform_channel)(const o2m_deform_params *p, const T *x, const T *w,
				const T *off, const T *m, T *y, int32_t ci)
{
	const int32_t plane = p->out_h * p->out_w, ksize = p->k_h * p->k_w;
	const int32_t cin = p->c_in / p->group, cout = p->c_out / p->group, gr = ci / cin;
	const int32_t og = ci / (p->c_in / p->offset_group);
	const T *xc = x + ci * p->in_h * p->in_w;
	int32_t oh, ow, k, co;

	off += og * ksize * 2 * plane;
	if (m)
		m += og * ksize * plane;
	for (k = 0; k < ksize; k++) {
		const int32_t i = k / p->k_w, j = k - i * p->k_w;
		const T *wk = w + (gr * cout * cin + ci - gr * cin) * ksize + k;
		for (oh = 0; oh < p->out_h; oh++) {
			for (ow = 0; ow < p->out_w; ow++) {
				const int32_t o = oh * p->out_w + ow;
				T ph = (T)(oh * p->stride_h - p->pad_h + i * p->dil_h) + off[2 * k * plane + o];
				T pw = (T)(ow * p->stride_w - p->pad_w + j * p->dil_w) +
				       off[(2 * k + 1) * plane + o];
				T v = SFX(bilinear)(xc, p->in_h, p->in_w, ph, pw);
				if (m)
					v *= m[k * plane + o];
				for (co = 0; co < cout; co++)
					y[(gr * cout + co) * plane + o] += wk[co * cin * ksize] * v;
			}
		}
	}
}

int SFX(o2m_deform_conv)(const o2m_deform_params *p, const T *x, const T *w, const T *offset,
			 const T *b, const T *mask, T *y)
{
	int32_t n, c, i, plane, ksize;

	if (!x || !w || !offset || !y || p->group < 1 || p->offset_group < 1 ||
	    p->c_in % p->group || p->c_out % p->group || p->c_in % p->offset_group)
		return O2M_ERR_ARG;
	plane = p->out_h * p->out_w;
	ksize = p->k_h * p->k_w;
	for (n = 0; n < p->n; n++) {
		T *yn = y + n * p->c_out * plane;
		for (c = 0; c < p->c_out; c++)
			for (i = 0; i < plane; i++)
				yn[c * plane + i] = b ? b[c] : 0;
		for (c = 0; c < p->c_in; c++)
			SFX(deform_channel)(p, x + n * p->c_in * p->in_h * p->in_w, w,
					    offset + n * p->offset_group * ksize * 2 * plane,
					    mask ? mask + n * p->offset_group * ksize * plane : NULL, yn, c);
	}
	return O2M_OK;
}
