/* o2m_q8_convt.c - int8 ConvTranspose as a gather: each output sums the taps that
   reach it (input i and tap t reach i * stride - pad + t * dil), so it is rescaled once
   and needs no scratch. Along one axis the taps reaching an output form an arithmetic
   progression (t * dil = o + pad mod stride), found once per output row or column. The
   int32 sum has the bound of o2m_q8_conv_s8. The int16-activation twin
   (o2m_q16_conv_transpose_s16) sums in int64 and rescales by o2m_q16_requant64. */
#include "o2m_q8_def.h"
#include "o2m_q16.h"
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

static int pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

/* the geometry, the pointers and the packed words; the offsets and clamp are checked by
   each kernel for its type */
static int convt_ok(const o2m_q8_conv_params *q, const void *x, const int8_t *w,
		    const int32_t *requant, const void *y)
{
	const o2m_conv_params *p = &q->conv;

	return x && w && requant && y && p->n >= 1 && p->c_in >= 1 && p->c_out >= 1 &&
	       p->group >= 1 && !(p->c_in % p->group) && !(p->c_out % p->group) &&
	       pos3(p->in_d, p->in_h, p->in_w) && pos3(p->out_d, p->out_h, p->out_w) &&
	       pos3(p->k_d, p->k_h, p->k_w) && pos3(p->stride_d, p->stride_h, p->stride_w) &&
	       pos3(p->dil_d, p->dil_h, p->dil_w) && p->pad_d >= 0 && p->pad_h >= 0 &&
	       p->pad_w >= 0 && q8_scales_ok(requant, p->c_out);
}

/* The gather, one output plane and the kernel, for int8 (int32 sums, TFLite's rescale)
   and int16 activations (int64 sums and bias, o2m_q16_requant64): CONVT_(SFX, T, ACC,
   RQ, OUT) defines gather_SFX, plane_SFX and o2m_SFX_conv_transpose_SFX2 through the
   caller's names. */
#define CONVT_(SFX, T, ACC, RQ, OUT)                                                      \
	/* the sum for one output position of a channel of a group: the group's cin       \
	   input channels (x their first, plane in_plane) and their filters (w the first, \
	   cout * ksize apart) */                                                         \
	static ACC gather_##SFX(const o2m_q8_conv_params *q, const T *x, const int8_t *w,   \
				int32_t cin, int32_t in_plane, int32_t wstep,               \
				const axis *ad, const axis *ah, const axis *aw)             \
	{                                                                                 \
		const o2m_conv_params *p = &q->conv;                                      \
		const int32_t off = q->input_offset;                                      \
		ACC acc = 0;                                                              \
		int32_t c, i, j, l;                                                       \
		for (c = 0; c < cin; c++, x += in_plane, w += wstep)                      \
			for (i = 0; i < ad->nt; i++) {                                    \
				const int32_t xd = (ad->i0 + i * ad->di) * p->in_h;       \
				const int32_t wd = (ad->t0 + i * ad->ts) * p->k_h;        \
				for (j = 0; j < ah->nt; j++) {                            \
					const T *xr = x + (xd + ah->i0 + j * ah->di) *    \
							      p->in_w + aw->i0;           \
					const int8_t *wr = w + (wd + ah->t0 + j * ah->ts) * \
								   p->k_w + aw->t0;         \
					for (l = 0; l < aw->nt; l++)                      \
						acc += (ACC)(xr[l * aw->di] + off) *      \
						       wr[l * aw->ts];                    \
				}                                                         \
			}                                                                 \
		return acc;                                                               \
	}                                                                                 \
	/* one output plane: x the group's first input channel, w the filter slice of    \
	   this output channel in the first of them */                                    \
	static void plane_##SFX(const o2m_q8_conv_params *q, const T *x, const int8_t *w,   \
				ACC bias, int32_t word, T *y)                               \
	{                                                                                 \
		const o2m_conv_params *p = &q->conv;                                      \
		const int32_t cin = p->c_in / p->group, cout = p->c_out / p->group;       \
		const int32_t in_plane = p->in_d * p->in_h * p->in_w;                     \
		const int32_t ks = p->k_d * p->k_h * p->k_w;                              \
		int32_t od, oh, ow;                                                       \
		ACC acc;                                                                  \
		axis ad, ah, aw;                                                          \
		for (od = 0; od < p->out_d; od++) {                                       \
			axis_taps(od, p->pad_d, p->k_d, p->dil_d, p->stride_d, p->in_d, &ad); \
			for (oh = 0; oh < p->out_h; oh++) {                               \
				axis_taps(oh, p->pad_h, p->k_h, p->dil_h, p->stride_h,    \
					  p->in_h, &ah);                                  \
				for (ow = 0; ow < p->out_w; ow++) {                       \
					axis_taps(ow, p->pad_w, p->k_w, p->dil_w,         \
						  p->stride_w, p->in_w, &aw);             \
					acc = bias;                                       \
					if (ad.nt && ah.nt && aw.nt)                      \
						acc += gather_##SFX(q, x, w, cin, in_plane, \
								    cout * ks, &ad, &ah, \
								    &aw);                 \
					*y++ = (T)OUT(RQ(acc, word), q->output_offset,    \
						      q->act_min, q->act_max);            \
				}                                                         \
			}                                                                 \
		}                                                                         \
	}                                                                                 \
	static void convt_##SFX(const o2m_q8_conv_params *q, const T *x, const int8_t *w,   \
				const ACC *bias, const int32_t *requant, T *y)              \
	{                                                                                 \
		const o2m_conv_params *p = &q->conv;                                      \
		const int32_t cin = p->c_in / p->group, cout = p->c_out / p->group;       \
		const int32_t ks = p->k_d * p->k_h * p->k_w;                              \
		const int32_t in_plane = p->in_d * p->in_h * p->in_w;                     \
		const int32_t out_plane = p->out_d * p->out_h * p->out_w;                 \
		int32_t n, oc;                                                            \
		for (n = 0; n < p->n; n++)                                                \
			for (oc = 0; oc < p->c_out; oc++) {                               \
				const int32_t gr = oc / cout, c = oc - gr * cout;         \
				plane_##SFX(q, x + (n * p->c_in + gr * cin) * in_plane,   \
					    w + (gr * cin * cout + c) * ks,               \
					    bias ? bias[oc] : 0, requant[oc],             \
					    y + (n * p->c_out + oc) * out_plane);         \
			}                                                                 \
	}

#define RQ8_(acc, word) o2m_q8_requant(acc, o2m_q8_rq_mult(word), o2m_q8_rq_shift(word))
#define RQ16_(acc, word) o2m_q16_requant64(acc, o2m_q8_rq_mult(word), o2m_q8_rq_shift(word))
CONVT_(s8, int8_t, int32_t, RQ8_, q8_out)
CONVT_(s16, int16_t, int64_t, RQ16_, o2m_q16_out)

int o2m_q8_conv_transpose_s8(const o2m_q8_conv_params *q, const int8_t *x, const int8_t *w,
			     const int32_t *bias, const int32_t *requant, int8_t *y)
{
	if (!convt_ok(q, x, w, requant, y) || !q8_offset_ok(q->input_offset) ||
	    !q8_out_ok(q->output_offset, q->act_min, q->act_max))
		return O2M_ERR_ARG;
	convt_s8(q, x, w, bias, requant, y);
	return O2M_OK;
}

int o2m_q16_conv_transpose_s16(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
			       const int64_t *bias, const int32_t *requant, int16_t *y)
{
	int32_t c;

	if (!convt_ok(q, x, w, requant, y) || q->input_offset < -32768 ||
	    q->input_offset > 32768 || q->output_offset < -32768 || q->output_offset > 32768 ||
	    q->act_min < INT16_MIN || q->act_min > q->act_max || q->act_max > INT16_MAX)
		return O2M_ERR_ARG;
	for (c = 0; c < q->conv.c_out; c++)
		if (o2m_q8_rq_shift(requant[c]) > 7)
			return O2M_ERR_ARG;
	convt_s16(q, x, w, bias, requant, y);
	return O2M_OK;
}
