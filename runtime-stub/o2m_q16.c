/* o2m_q16.c - the int16-activation kernels (o2m_q16.h): plain loops, portable C, in the
   integer arithmetic of TFLite's 16x8 reference kernels. */
#include "o2m_q16.h"
#include "o2m_window.h"

/* an offset added to an int16 value (minus a zero point) */
static int off_ok(int32_t off)
{
	return off >= -32768 && off <= 32768;
}

/* the output offset, and activation bounds inside int16 and in order */
static int out_ok(int32_t off, int32_t lo, int32_t hi)
{
	return off_ok(off) && lo >= INT16_MIN && lo <= hi && hi <= INT16_MAX;
}

/* a multiplier and shift of the int32 rescale (o2m_q8_requant) */
static int scale_ok(int32_t mult, int32_t shift)
{
	return mult >= 0 && shift >= -31 && shift <= 30;
}

/* n packed per-channel words o2m_q16_requant64 takes */
static int words_ok(const int32_t *rq, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (o2m_q8_rq_mult(rq[i]) < 0 || o2m_q8_rq_shift(rq[i]) < -31 ||
		    o2m_q8_rq_shift(rq[i]) > 7)
			return 0;
	return 1;
}

static int16_t out16(int32_t v, int32_t off, int32_t lo, int32_t hi)
{
	int64_t s = (int64_t)v + off;

	return (int16_t)(s < lo ? lo : s > hi ? hi : s);
}

/* ---- the convolution ---- */

static int pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

static int conv_ok(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
		   const int32_t *rq, const int16_t *y)
{
	const o2m_conv_params *p = &q->conv;

	return x && w && rq && y && p->n >= 0 && p->group > 0 && p->c_in > 0 && p->c_out > 0 &&
	       p->c_in % p->group == 0 && p->c_out % p->group == 0 &&
	       pos3(p->in_d, p->in_h, p->in_w) && pos3(p->out_d, p->out_h, p->out_w) &&
	       pos3(p->k_d, p->k_h, p->k_w) && pos3(p->stride_d, p->stride_h, p->stride_w) &&
	       pos3(p->dil_d, p->dil_h, p->dil_w) && off_ok(q->input_offset) &&
	       out_ok(q->output_offset, q->act_min, q->act_max) && words_ok(rq, p->c_out);
}

/* the sum over one output's window of (x + offset) * w, the taps outside the data
   skipped (they read as real zero); x the image's first channel of the group, w the
   filter */
static int64_t conv_window(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
			   int32_t sd, int32_t sh, int32_t sw)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t cin = p->c_in / p->group, plane = p->in_d * p->in_h * p->in_w;
	const int32_t ksize = p->k_d * p->k_h * p->k_w;
	int32_t d0, nd, h0, nh, w0, nw, c, i, j, l;
	int64_t acc = 0;

	o2m_taps_1d(sd, p->k_d, p->dil_d, p->in_d, &d0, &nd);
	o2m_taps_1d(sh, p->k_h, p->dil_h, p->in_h, &h0, &nh);
	o2m_taps_1d(sw, p->k_w, p->dil_w, p->in_w, &w0, &nw);
	for (c = 0; c < cin; c++, x += plane, w += ksize)
		for (i = d0; i < d0 + nd; i++)
			for (j = h0; j < h0 + nh; j++) {
				const int16_t *xr = x + ((sd + i * p->dil_d) * p->in_h + sh +
							 j * p->dil_h) * p->in_w + sw;
				const int8_t *wr = w + (i * p->k_h + j) * p->k_w;
				for (l = w0; l < w0 + nw; l++)
					acc += (int64_t)(xr[l * p->dil_w] + q->input_offset) * wr[l];
			}
	return acc;
}

int o2m_q16_conv_s16(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
		     const int64_t *bias, const int32_t *rq, int16_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t n, g, oc, od, oh, ow, cin, cout, plane, ksize;

	if (!conv_ok(q, x, w, rq, y))
		return O2M_ERR_ARG;
	cin = p->c_in / p->group, cout = p->c_out / p->group;
	plane = p->in_d * p->in_h * p->in_w;
	ksize = p->k_d * p->k_h * p->k_w;
	for (n = 0; n < p->n; n++)
		for (g = 0; g < p->group; g++)
			for (oc = g * cout; oc < (g + 1) * cout; oc++) {
				const int8_t *wf = w + (int64_t)oc * cin * ksize;
				const int16_t *xg = x + ((int64_t)n * p->c_in + (int64_t)g * cin) * plane;
				const int32_t r = o2m_q8_rq_mult(rq[oc]), s = o2m_q8_rq_shift(rq[oc]);
				for (od = 0; od < p->out_d; od++)
					for (oh = 0; oh < p->out_h; oh++)
						for (ow = 0; ow < p->out_w; ow++) {
							int64_t acc = conv_window(
								q, xg, wf, od * p->stride_d - p->pad_d,
								oh * p->stride_h - p->pad_h,
								ow * p->stride_w - p->pad_w);
							if (bias)
								acc += bias[oc];
							*y++ = out16(o2m_q16_requant64(acc, r, s),
								     q->output_offset, q->act_min,
								     q->act_max);
						}
			}
	return O2M_OK;
}

/* ---- fully connected ---- */

int o2m_q16_fc_s16(const o2m_q8_fc_params *p, const int16_t *x, const int8_t *w,
		   const int64_t *bias, const int32_t *rq, int16_t *y)
{
	int32_t b, o, i;

	if (!x || !w || !rq || !y || p->batch < 0 || p->in < 0 || p->out < 0 ||
	    !off_ok(p->input_offset) || !out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !words_ok(rq, p->out))
		return O2M_ERR_ARG;
	for (b = 0; b < p->batch; b++, x += p->in)
		for (o = 0; o < p->out; o++) {
			const int8_t *wr = w + (int64_t)o * p->in;
			int64_t acc = bias ? bias[o] : 0;
			for (i = 0; i < p->in; i++)
				acc += (int64_t)(x[i] + p->input_offset) * wr[i];
			*y++ = out16(o2m_q16_requant64(acc, o2m_q8_rq_mult(rq[o]),
						       o2m_q8_rq_shift(rq[o])),
				     p->output_offset, p->act_min, p->act_max);
		}
	return O2M_OK;
}

/* ---- Add and Mul ---- */

static int binary_ok(const o2m_q8_binary_params *q, const int16_t *a, const int16_t *b,
		     const int16_t *y)
{
	return a && b && y && q->b.rank >= 1 && q->b.rank <= O2M_MAX_RANK && q->b.count >= 0 &&
	       off_ok(q->a_offset) && off_ok(q->b_offset) && scale_ok(q->out_mult, q->out_shift) &&
	       out_ok(q->output_offset, q->act_min, q->act_max);
}

/* TFLite's Add: each offset input shifted left, rescaled to the common scale, the sum
   rescaled to the output */
static int16_t add1(const o2m_q8_binary_params *q, int32_t a, int32_t b)
{
	const int32_t sa = o2m_q8_requant((a + q->a_offset) * (1 << q->left_shift), q->a_mult,
					  q->a_shift);
	const int32_t sb = o2m_q8_requant((b + q->b_offset) * (1 << q->left_shift), q->b_mult,
					  q->b_shift);

	return out16(o2m_q8_requant(sa + sb, q->out_mult, q->out_shift), q->output_offset,
		     q->act_min, q->act_max);
}

int o2m_q16_add_s16(const o2m_q8_binary_params *q, const int16_t *a, const int16_t *b,
		    int16_t *y)
{
	const o2m_bcast_params *p = &q->b;

	/* |x + offset| <= 65535: shifted by 14 it stays inside int32, by 15 only without
	   an offset (|x| <= 32768); each rescale is by at most 1/2, so the sum fits too */
	if (!binary_ok(q, a, b, y) || q->left_shift < 0 ||
	    q->left_shift > (q->a_offset || q->b_offset ? 14 : 15) ||
	    !scale_ok(q->a_mult, q->a_shift) || q->a_shift > 0 ||
	    !scale_ok(q->b_mult, q->b_shift) || q->b_shift > 0)
		return O2M_ERR_ARG;
	O2M_BCAST2(p, y[i] = add1(q, a[ia], b[ib]));
	return O2M_OK;
}

/* the product of the offset inputs rescaled: as the int8 Mul in int32 when it fits,
   else the int64 product rounded once */
static int16_t mul1(const o2m_q8_binary_params *q, int32_t a, int32_t b)
{
	const int64_t prod = (int64_t)(a + q->a_offset) * (b + q->b_offset);
	int32_t v;

	if (prod >= INT32_MIN && prod <= INT32_MAX)
		v = o2m_q8_requant((int32_t)prod, q->out_mult, q->out_shift);
	else
		v = o2m_q16_requant64(prod, q->out_mult, q->out_shift);
	return out16(v, q->output_offset, q->act_min, q->act_max);
}

int o2m_q16_mul_s16(const o2m_q8_binary_params *q, const int16_t *a, const int16_t *b,
		    int16_t *y)
{
	const o2m_bcast_params *p = &q->b;

	if (!binary_ok(q, a, b, y) || q->out_shift > 7)
		return O2M_ERR_ARG;
	O2M_BCAST2(p, y[i] = mul1(q, a[ia], b[ib]));
	return O2M_OK;
}

/* ---- average pooling ---- */

static int pool_ok(const o2m_q8_pool_params *q, const int16_t *x, const int16_t *y)
{
	const o2m_pool_params *p = &q->pool;

	return x && y && p->planes >= 0 && pos3(p->in_d, p->in_h, p->in_w) &&
	       off_ok(q->input_offset) && scale_ok(q->mult, q->shift) && q->shift <= 7 &&
	       out_ok(q->output_offset, q->act_min, q->act_max);
}

/* clamp(output_offset + round_half_away(requant64(sum * 256) / (count * 256))) */
static int16_t mean16(const o2m_q8_pool_params *q, int64_t sum, int32_t count)
{
	int64_t v, d = (int64_t)count * 256;

	if (count == 0)
		return out16(0, q->output_offset, q->act_min, q->act_max);
	v = o2m_q16_requant64(sum * 256, q->mult, q->shift);
	v = v >= 0 ? (v + d / 2) / d : (v - d / 2) / d;
	return out16((int32_t)v, q->output_offset, q->act_min, q->act_max);
}

int o2m_q16_avgpool_s16(const o2m_q8_pool_params *q, const int16_t *x, int16_t *y)
{
	const o2m_pool_params *p = &q->pool;
	const int32_t plane = p->in_d * p->in_h * p->in_w;
	int32_t c, od, oh, ow, d0, nd, h0, nh, w0, nw, i, j, l, count;

	if (!pool_ok(q, x, y) || !pos3(p->out_d, p->out_h, p->out_w) ||
	    !pos3(p->k_d, p->k_h, p->k_w) || !pos3(p->stride_d, p->stride_h, p->stride_w) ||
	    !pos3(p->dil_d, p->dil_h, p->dil_w) || (int64_t)p->k_d * p->k_h * p->k_w > (1 << 24))
		return O2M_ERR_ARG;
	for (c = 0; c < p->planes; c++, x += plane)
		for (od = 0; od < p->out_d; od++)
			for (oh = 0; oh < p->out_h; oh++)
				for (ow = 0; ow < p->out_w; ow++) {
					const int32_t sd = od * p->stride_d - p->pad_d;
					const int32_t sh = oh * p->stride_h - p->pad_h;
					const int32_t sw = ow * p->stride_w - p->pad_w;
					int64_t sum = 0;
					o2m_taps_1d(sd, p->k_d, p->dil_d, p->in_d, &d0, &nd);
					o2m_taps_1d(sh, p->k_h, p->dil_h, p->in_h, &h0, &nh);
					o2m_taps_1d(sw, p->k_w, p->dil_w, p->in_w, &w0, &nw);
					for (i = d0; i < d0 + nd; i++)
						for (j = h0; j < h0 + nh; j++)
							for (l = w0; l < w0 + nw; l++)
								sum += x[((sd + i * p->dil_d) * p->in_h +
									  sh + j * p->dil_h) * p->in_w +
									 sw + l * p->dil_w] +
								       q->input_offset;
					count = nd * nh * nw;
					if (p->count_include_pad)
						count = o2m_pool_padded_count(p, sd, sh, sw);
					*y++ = mean16(q, sum, count);
				}
	return O2M_OK;
}

int o2m_q16_gavgpool_s16(const o2m_q8_pool_params *q, const int16_t *x, int16_t *y)
{
	const o2m_pool_params *p = &q->pool;
	const int64_t n = (int64_t)p->in_d * p->in_h * p->in_w;
	int32_t c, i;

	if (!pool_ok(q, x, y) || n > (1 << 24))
		return O2M_ERR_ARG;
	for (c = 0; c < p->planes; c++) {
		int64_t sum = 0;
		for (i = 0; i < (int32_t)n; i++)
			sum += *x++ + q->input_offset;
		y[c] = mean16(q, sum, (int32_t)n);
	}
	return O2M_OK;
}

/* ---- a function by table ---- */

int o2m_q16_lut_s16(const o2m_unary_params *p, const int16_t *x, const int32_t *table,
		    int16_t *y)
{
	int32_t i;

	if (!x || !table || !y || p->count < 0)
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++) {
		const int32_t u = x[i] + 32768, j = u >> 7, r = u & 127;
		const int32_t v = (table[j] * (128 - r) + table[j + 1] * r + (1 << 14)) >> 15;
		y[i] = (int16_t)(v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : v);
	}
	return O2M_OK;
}

/* ---- a rescale ---- */

int o2m_q16_requant_s16(const o2m_q8_requant_params *p, const int16_t *x, int16_t *y)
{
	int32_t i;

	if (!x || !y || p->count < 0 || !off_ok(p->input_offset) || !scale_ok(p->mult, p->shift) ||
	    !out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++)
		y[i] = out16(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
			     p->output_offset, p->act_min, p->act_max);
	return O2M_OK;
}

int o2m_q16_widen_s8(const o2m_q8_requant_params *p, const int8_t *x, int16_t *y)
{
	int32_t i;

	if (!x || !y || p->count < 0 || p->input_offset < -128 || p->input_offset > 128 ||
	    !scale_ok(p->mult, p->shift) || !out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++)
		y[i] = out16(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
			     p->output_offset, p->act_min, p->act_max);
	return O2M_OK;
}

int o2m_q16_narrow_s16(const o2m_q8_requant_params *p, const int16_t *x, int8_t *y)
{
	int32_t i;

	if (!x || !y || p->count < 0 || !off_ok(p->input_offset) || !scale_ok(p->mult, p->shift) ||
	    p->output_offset < -128 || p->output_offset > 127 || p->act_min < INT8_MIN ||
	    p->act_min > p->act_max || p->act_max > INT8_MAX)
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++)
		y[i] = (int8_t)out16(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
				     p->output_offset, p->act_min, p->act_max);
	return O2M_OK;
}
