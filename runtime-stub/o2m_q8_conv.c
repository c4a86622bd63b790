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
		    const int32_t *mult, const int32_t *shift, const int8_t *y, geo *g)
{
	const o2m_conv_params *p = &q->conv;

	if (!x || !w || !mult || !shift || !y || p->n < 1 || p->c_in < 1 || p->c_out < 1 ||
	    p->group < 1 || p->c_in % p->group || p->c_out % p->group ||
	    !pos3(p->in_d, p->in_h, p->in_w) || !pos3(p->out_d, p->out_h, p->out_w) ||
	    !pos3(p->k_d, p->k_h, p->k_w) || !pos3(p->stride_d, p->stride_h, p->stride_w) ||
	    !pos3(p->dil_d, p->dil_h, p->dil_w) || p->pad_d < 0 || p->pad_h < 0 || p->pad_w < 0)
		return 0;
	if (!q8_offset_ok(q->input_offset) ||
	    !q8_out_ok(q->output_offset, q->act_min, q->act_max) ||
	    !q8_scales_ok(mult, shift, p->c_out))
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

/* one output channel over every output position: x is its group's first input
   channel, w its filter, y its plane */
static void conv_plane(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		       const int8_t *w, int32_t bias, int32_t mult, int32_t shift, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t od, oh, ow, acc;
	taps3 t;

	for (od = 0; od < p->out_d; od++) {
		o2m_taps_1d(od * p->stride_d - p->pad_d, p->k_d, p->dil_d, p->in_d, &t.d0, &t.nd);
		for (oh = 0; oh < p->out_h; oh++) {
			o2m_taps_1d(oh * p->stride_h - p->pad_h, p->k_h, p->dil_h, p->in_h, &t.h0,
				    &t.nh);
			for (ow = 0; ow < p->out_w; ow++) {
				acc = window_sum(q, g, x, w, od, oh, ow, &t) + bias;
				*y++ = q8_out(o2m_q8_requant(acc, mult, shift), q->output_offset,
					      q->act_min, q->act_max);
			}
		}
	}
}

/* every output channel of every batch item */
static void conv_run(const o2m_q8_conv_params *q, const geo *g, const int8_t *x,
		     const int8_t *w, const int32_t *bias, const int32_t *mult,
		     const int32_t *shift, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t n, oc;

	for (n = 0; n < p->n; n++) {
		for (oc = 0; oc < p->c_out; oc++) {
			const int8_t *xg = x + (n * p->c_in + oc / g->cout * g->cin) * g->in_plane;
			conv_plane(q, g, xg, w + oc * g->cin * g->ksize, bias ? bias[oc] : 0,
				   mult[oc], shift[oc], y + (n * p->c_out + oc) * g->out_plane);
		}
	}
}

int o2m_q8_conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *mult, const int32_t *shift, int8_t *y)
{
	geo g;

	if (!conv_geo(p, x, w, mult, shift, y, &g))
		return O2M_ERR_ARG;
	conv_run(p, &g, x, w, bias, mult, shift, y);
	return O2M_OK;
}

/* one input channel per group: the window loop runs over a single channel */
int o2m_q8_conv_dw_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		      const int32_t *bias, const int32_t *mult, const int32_t *shift, int8_t *y)
{
	geo g;

	if (!conv_geo(p, x, w, mult, shift, y, &g) || p->conv.group != p->conv.c_in)
		return O2M_ERR_ARG;
	conv_run(p, &g, x, w, bias, mult, shift, y);
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

/* per batch item, y [c_out x hw] = w [c_out x c_in] * x [c_in x hw] */
int o2m_q8_conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *mult, const int32_t *shift, int8_t *y)
{
	const o2m_conv_params *c = &p->conv;
	int32_t n, oc, s, acc;
	geo g;

	if (!conv_geo(p, x, w, mult, shift, y, &g) || !is_1x1(c))
		return O2M_ERR_ARG;
	for (n = 0; n < c->n; n++, x += c->c_in * g.in_plane) {
		for (oc = 0; oc < c->c_out; oc++) {
			for (s = 0; s < g.in_plane; s++) {
				acc = dot_s8(x + s, g.in_plane, w + oc * c->c_in, c->c_in,
					     p->input_offset) + (bias ? bias[oc] : 0);
				*y++ = q8_out(o2m_q8_requant(acc, mult[oc], shift[oc]),
					      p->output_offset, p->act_min, p->act_max);
			}
		}
	}
	return O2M_OK;
}

int o2m_q8_fc_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		 const int32_t *bias, const int32_t *mult, const int32_t *shift, int8_t *y)
{
	int32_t b, o, acc;

	if (!x || !w || !mult || !shift || !y || p->batch < 1 || p->in < 1 || p->out < 1 ||
	    !q8_offset_ok(p->input_offset) ||
	    !q8_out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !q8_scales_ok(mult, shift, p->out))
		return O2M_ERR_ARG;
	for (b = 0; b < p->batch; b++, x += p->in) {
		for (o = 0; o < p->out; o++) {
			acc = dot_s8(x, 1, w + o * p->in, p->in, p->input_offset) +
			      (bias ? bias[o] : 0);
			*y++ = q8_out(o2m_q8_requant(acc, mult[o], shift[o]), p->output_offset,
				      p->act_min, p->act_max);
		}
	}
	return O2M_OK;
}
