/* o2m_q8_convt.c - int8 ConvTranspose as a gather: each output sums the taps that
   reach it (input i and tap t reach i * stride - pad + t * dil), so it is rescaled once
   and needs no scratch. Along one axis the taps reaching an output form an arithmetic
   progression (t * dil = o + pad mod stride), found once per output row or column. The
   int32 sum has the bound of o2m_q8_conv_s8. */
#include "o2m_q8_def.h"
#include "o2m_q8x.h"

/* the taps along one axis reaching one output: the first tap t0 and its input i0,
   count nt, tap step ts and input step di (negative: a later tap reads earlier) */
typedef struct {
	int32_t t0, i0, nt, ts, di;
} axis;

static int32_t gcd(int32_t a, int32_t b)
{
	while (b) {
		int32_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* taps t in [0, k) with o + pad - t * dil = i * stride, 0 <= i < in */
static void axis_taps(int32_t o, int32_t pad, int32_t k, int32_t dil, int32_t stride, int32_t in,
		      axis *a)
{
	const int32_t r = o + pad, g = gcd(dil, stride);
	int32_t t = 0, e;

	a->ts = stride / g;
	a->di = -(dil / g);
	a->nt = 0;
	while (t < k && t < a->ts && (r - t * dil) % stride)
		t++; /* the first solution, if any, is below stride / g */
	if (t >= k || t >= a->ts)
		return;
	while (t < k && r - t * dil >= in * stride)
		t += a->ts; /* past the input's end */
	for (e = t; e < k && r - e * dil >= 0; e += a->ts)
		a->nt++;
	a->t0 = t;
	a->i0 = (r - t * dil) / stride;
}

/* the sum for one output position of channel c of a group: the group's cin input
   channels (x their first, plane in_plane) and their filters (w the first, cout * ksize
   apart) */
static int32_t gather(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
		      int32_t cin, int32_t in_plane, int32_t wstep, const axis *ad,
		      const axis *ah, const axis *aw)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t off = q->input_offset;
	int32_t acc = 0, c, i, j, l;

	for (c = 0; c < cin; c++, x += in_plane, w += wstep)
		for (i = 0; i < ad->nt; i++) {
			const int32_t xd = (ad->i0 + i * ad->di) * p->in_h;
			const int32_t wd = (ad->t0 + i * ad->ts) * p->k_h;
			for (j = 0; j < ah->nt; j++) {
				const int8_t *xr = x + (xd + ah->i0 + j * ah->di) * p->in_w + aw->i0;
				const int8_t *wr = w + (wd + ah->t0 + j * ah->ts) * p->k_w + aw->t0;
				for (l = 0; l < aw->nt; l++)
					acc += (xr[l * aw->di] + off) * wr[l * aw->ts];
			}
		}
	return acc;
}

static int pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

static int convt_ok(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
		    const int32_t *requant, const int8_t *y)
{
	const o2m_conv_params *p = &q->conv;

	return x && w && requant && y && p->n >= 1 && p->c_in >= 1 && p->c_out >= 1 &&
	       p->group >= 1 && !(p->c_in % p->group) && !(p->c_out % p->group) &&
	       pos3(p->in_d, p->in_h, p->in_w) && pos3(p->out_d, p->out_h, p->out_w) &&
	       pos3(p->k_d, p->k_h, p->k_w) && pos3(p->stride_d, p->stride_h, p->stride_w) &&
	       pos3(p->dil_d, p->dil_h, p->dil_w) && p->pad_d >= 0 && p->pad_h >= 0 &&
	       p->pad_w >= 0 && q8_offset_ok(q->input_offset) &&
	       q8_out_ok(q->output_offset, q->act_min, q->act_max) &&
	       q8_scales_ok(requant, p->c_out);
}

/* one output plane: x the group's first input channel, w the filter slice of this
   output channel in the first of them */
static void convt_plane(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
			int32_t bias, int32_t mult, int32_t shift, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t cin = p->c_in / p->group, cout = p->c_out / p->group;
	const int32_t in_plane = p->in_d * p->in_h * p->in_w, ks = p->k_d * p->k_h * p->k_w;
	int32_t od, oh, ow, acc;
	axis ad, ah, aw;

	for (od = 0; od < p->out_d; od++) {
		axis_taps(od, p->pad_d, p->k_d, p->dil_d, p->stride_d, p->in_d, &ad);
		for (oh = 0; oh < p->out_h; oh++) {
			axis_taps(oh, p->pad_h, p->k_h, p->dil_h, p->stride_h, p->in_h, &ah);
			for (ow = 0; ow < p->out_w; ow++) {
				axis_taps(ow, p->pad_w, p->k_w, p->dil_w, p->stride_w, p->in_w, &aw);
				acc = bias;
				if (ad.nt && ah.nt && aw.nt)
					acc += gather(q, x, w, cin, in_plane, cout * ks, &ad, &ah, &aw);
				*y++ = q8_out(o2m_q8_requant(acc, mult, shift), q->output_offset,
					      q->act_min, q->act_max);
			}
		}
	}
}

int o2m_q8_conv_transpose_s8(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
			     const int32_t *bias, const int32_t *requant, int8_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t n, oc, cin, cout, ks, in_plane, out_plane;

	if (!convt_ok(q, x, w, requant, y))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group;
	cout = p->c_out / p->group;
	ks = p->k_d * p->k_h * p->k_w;
	in_plane = p->in_d * p->in_h * p->in_w;
	out_plane = p->out_d * p->out_h * p->out_w;
	for (n = 0; n < p->n; n++)
		for (oc = 0; oc < p->c_out; oc++) {
			const int32_t gr = oc / cout, c = oc - gr * cout;
			convt_plane(q, x + (n * p->c_in + gr * cin) * in_plane,
				    w + (gr * cin * cout + c) * ks, bias ? bias[oc] : 0,
				    o2m_q8_rq_mult(requant[oc]), o2m_q8_rq_shift(requant[oc]),
				    y + (n * p->c_out + oc) * out_plane);
		}
	return O2M_OK;
}
