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

/* Sums of x * w go into int32 in runs of at most 256 products (|x| <= 2^15, |w| <= 127:
   each below 2^22), then into the int64 accumulator; the input offset is added as
   offset * (the sum of the weights met), so the inner loops are plain multiply-adds. */
#define RUN 256

/* the sum over one output's window of (x + offset) * w, the taps outside the data
   skipped (they read as real zero); x the image's first channel of the group, w the
   filter */
static int64_t conv_window(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
			   int32_t sd, int32_t sh, int32_t sw)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t cin = p->c_in / p->group, plane = p->in_d * p->in_h * p->in_w;
	const int32_t ksize = p->k_d * p->k_h * p->k_w, dw = p->dil_w;
	int32_t d0, nd, h0, nh, w0, nw, c, i, j, l, run = 0, s = 0, ws = 0;
	int64_t acc = 0, wsum = 0;

	o2m_taps_1d(sd, p->k_d, p->dil_d, p->in_d, &d0, &nd);
	o2m_taps_1d(sh, p->k_h, p->dil_h, p->in_h, &h0, &nh);
	o2m_taps_1d(sw, p->k_w, p->dil_w, p->in_w, &w0, &nw);
	for (c = 0; c < cin; c++, x += plane, w += ksize)
		for (i = d0; i < d0 + nd; i++)
			for (j = h0; j < h0 + nh; j++) {
				const int16_t *xr = x + ((sd + i * p->dil_d) * p->in_h + sh +
							 j * p->dil_h) * p->in_w + sw + w0 * dw;
				const int8_t *wr = w + (i * p->k_h + j) * p->k_w + w0;
				if (run + nw > RUN) {
					acc += s, wsum += ws;
					s = ws = run = 0;
				}
				for (l = 0; l < nw; l++, xr += dw) {
					s += *xr * wr[l];
					ws += wr[l];
				}
				run += nw;
			}
	return acc + s + (wsum + ws) * q->input_offset;
}

/* the offsets in x of a window's taps from its first (at most 64: the windows of up to
   8 x 8 taps take the interior path below), -1 when there are more */
static int32_t tap_offsets(const o2m_conv_params *p, int32_t *off)
{
	int32_t n = 0, i, j, l;

	if ((int64_t)p->k_d * p->k_h * p->k_w > 64)
		return -1;
	for (i = 0; i < p->k_d; i++)
		for (j = 0; j < p->k_h; j++)
			for (l = 0; l < p->k_w; l++)
				off[n++] = (i * p->dil_d * p->in_h + j * p->dil_h) * p->in_w +
					   l * p->dil_w;
	return n;
}

/* the sum of x * w over a window wholly inside the data: ksize taps at off[] in each
   of cin planes, in int32 runs of at most RUN products */
static int64_t interior_window(const int16_t *x, const int8_t *w, const int32_t *off,
			       int32_t ksize, int32_t cin, int32_t plane)
{
	int64_t acc = 0;
	int32_t s = 0, run = 0, c, t;

	for (c = 0; c < cin; c++, x += plane, w += ksize) {
		if (run + ksize > RUN) {
			acc += s;
			s = run = 0;
		}
		for (t = 0; t < ksize; t++)
			s += x[off[t]] * w[t];
		run += ksize;
	}
	return acc + s;
}

/* the same for four windows `step` apart along the row: each weight loaded once */
static void interior_window4(const int16_t *x, const int8_t *w, const int32_t *off,
			     int32_t ksize, int32_t cin, int32_t plane, int32_t step, int64_t *acc)
{
	int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, run = 0, c, t;

	for (c = 0; c < cin; c++, x += plane, w += ksize) {
		if (run + ksize > RUN) {
			acc[0] += s0, acc[1] += s1, acc[2] += s2, acc[3] += s3;
			s0 = s1 = s2 = s3 = run = 0;
		}
		for (t = 0; t < ksize; t++) {
			const int16_t *xp = x + off[t];
			const int32_t wv = w[t];
			s0 += xp[0] * wv;
			s1 += xp[step] * wv;
			s2 += xp[2 * step] * wv;
			s3 += xp[3 * step] * wv;
		}
		run += ksize;
	}
	acc[0] += s0, acc[1] += s1, acc[2] += s2, acc[3] += s3;
}

/* whether the window at (sd, sh, sw) lies wholly inside the data */
static int inside(const o2m_conv_params *p, int32_t sd, int32_t sh, int32_t sw)
{
	return sd >= 0 && sh >= 0 && sw >= 0 && sd + (p->k_d - 1) * p->dil_d < p->in_d &&
	       sh + (p->k_h - 1) * p->dil_h < p->in_h && sw + (p->k_w - 1) * p->dil_w < p->in_w;
}

int o2m_q16_conv_s16(const o2m_q8_conv_params *q, const int16_t *x, const int8_t *w,
		     const int64_t *bias, const int32_t *rq, int16_t *y)
{
	const o2m_conv_params *p = &q->conv;
	int32_t n, g, oc, od, oh, ow, cin, cout, plane, ksize, off[64], ntaps, i;

	if (!conv_ok(q, x, w, rq, y) || p->k_w > RUN)
		return O2M_ERR_ARG;
	cin = p->c_in / p->group, cout = p->c_out / p->group;
	plane = p->in_d * p->in_h * p->in_w;
	ksize = p->k_d * p->k_h * p->k_w;
	ntaps = tap_offsets(p, off);
	for (n = 0; n < p->n; n++)
		for (g = 0; g < p->group; g++)
			for (oc = g * cout; oc < (g + 1) * cout; oc++) {
				const int8_t *wf = w + (int64_t)oc * cin * ksize;
				const int16_t *xg = x + ((int64_t)n * p->c_in + (int64_t)g * cin) * plane;
				const int32_t r = o2m_q8_rq_mult(rq[oc]), s = o2m_q8_rq_shift(rq[oc]);
				int64_t b = bias ? bias[oc] : 0, bw = 0; /* bw: b + offset * sum w */
				for (i = 0; i < cin * ksize; i++)
					bw += wf[i];
				bw = b + bw * q->input_offset;
				for (od = 0; od < p->out_d; od++)
					for (oh = 0; oh < p->out_h; oh++)
						for (ow = 0; ow < p->out_w;) {
							const int32_t sd = od * p->stride_d - p->pad_d;
							const int32_t sh = oh * p->stride_h - p->pad_h;
							const int32_t sw = ow * p->stride_w - p->pad_w;
							const int32_t st = p->stride_w;
							int64_t acc[4];
							int k, m = 1;
							if (ntaps > 0 && ow + 3 < p->out_w &&
							    inside(p, sd, sh, sw) &&
							    inside(p, sd, sh, sw + 3 * st)) {
								acc[0] = acc[1] = acc[2] = acc[3] = bw;
								interior_window4(
									xg + (sd * p->in_h + sh) * p->in_w + sw,
									wf, off, ntaps, cin, plane, st, acc);
								m = 4;
							} else {
								acc[0] = ntaps > 0 && inside(p, sd, sh, sw)
									? bw + interior_window(
										  xg + (sd * p->in_h + sh) * p->in_w + sw,
										  wf, off, ntaps, cin, plane)
									: b + conv_window(q, xg, wf, sd, sh, sw);
							}
							for (k = 0; k < m; k++)
								*y++ = o2m_q16_out(o2m_q16_requant64(acc[k], r, s),
									     q->output_offset, q->act_min,
									     q->act_max);
							ow += m;
						}
			}
	return O2M_OK;
}

/* ---- fully connected ---- */

int o2m_q16_fc_s16(const o2m_q8_fc_params *p, const int16_t *x, const int8_t *w,
		   const int64_t *bias, const int32_t *rq, int16_t *y)
{
	int32_t b, o, i, e;

	if (!x || !w || !rq || !y || p->batch < 0 || p->in < 0 || p->out < 0 ||
	    !off_ok(p->input_offset) || !out_ok(p->output_offset, p->act_min, p->act_max) ||
	    !words_ok(rq, p->out))
		return O2M_ERR_ARG;
	for (b = 0; b < p->batch; b++, x += p->in)
		for (o = 0; o < p->out; o++) {
			const int8_t *wr = w + (int64_t)o * p->in;
			int64_t acc = bias ? bias[o] : 0, wsum = 0;
			for (i = 0; i < p->in; i = e) {
				int32_t s = 0, ws = 0;
				e = p->in - i > RUN ? i + RUN : p->in;
				for (; i < e; i++) {
					s += x[i] * wr[i];
					ws += wr[i];
				}
				acc += s, wsum += ws;
			}
			*y++ = o2m_q16_out(o2m_q16_requant64(acc + wsum * p->input_offset,
						       o2m_q8_rq_mult(rq[o]), o2m_q8_rq_shift(rq[o])),
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

	return o2m_q16_out(o2m_q8_requant(sa + sb, q->out_mult, q->out_shift), q->output_offset,
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
	return o2m_q16_out(v, q->output_offset, q->act_min, q->act_max);
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
		return o2m_q16_out(0, q->output_offset, q->act_min, q->act_max);
	v = o2m_q16_requant64(sum * 256, q->mult, q->shift);
	v = v >= 0 ? (v + d / 2) / d : (v - d / 2) / d;
	return o2m_q16_out((int32_t)v, q->output_offset, q->act_min, q->act_max);
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

/* ---- Softmax ---- */

/* exp(-d x_scale) in Q30 for 0 <= d < 2^16: 2^-(d k / 2^30), k = x_scale / ln 2 in
   Q30 */
static int64_t exp_q30(int64_t d, int32_t k, const int32_t *t)
{
	const int64_t u = d * k; /* < 2^47 */
	const int64_t n = u >> 30;
	const int32_t f = (int32_t)(u & 0x3fffffff), i = f >> 22, lo = f & 0x3fffff;
	int64_t v;

	if (n >= 31)
		return 0;
	v = t[i] + (((int64_t)(t[i + 1] - t[i]) * lo + (1 << 21)) >> 22);
	return v >> n;
}

int o2m_q16_softmax_s16(const o2m_q16_softmax_params *p, const int16_t *x,
			const int32_t *exp2_table, int16_t *y)
{
	int32_t o, j, i;

	if (!x || !exp2_table || !y || p->outer < 0 || p->n < 0 || p->inner < 0 ||
	    p->n >= (1 << 24) || p->exp_k < 0 || p->inv_scale_q8 < 1 ||
	    p->inv_scale_q8 > (1 << 24) || exp2_table[0] != (1 << 30) ||
	    !out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (o = 0; o < p->outer; o++, x += p->n * p->inner, y += p->n * p->inner)
		for (j = 0; j < p->inner; j++) {
			const int16_t *xr = x + j;
			int16_t *yr = y + j;
			int64_t sum = 0, den;
			int32_t mx = INT16_MIN;
			for (i = 0; i < p->n; i++)
				mx = xr[i * p->inner] > mx ? xr[i * p->inner] : mx;
			for (i = 0; i < p->n; i++)
				sum += exp_q30(mx - xr[i * p->inner], p->exp_k, exp2_table);
			if (sum <= 0)
				continue;
			den = sum << 8;
			for (i = 0; i < p->n; i++) {
				int64_t e = exp_q30(mx - xr[i * p->inner], p->exp_k, exp2_table);
				int64_t v = (e * p->inv_scale_q8 + den / 2) / den;
				yr[i * p->inner] = o2m_q16_out((int32_t)v, p->output_offset, p->act_min,
							 p->act_max);
			}
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
		y[i] = o2m_q16_out(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
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
		y[i] = o2m_q16_out(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
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
		y[i] = (int8_t)o2m_q16_out(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
				     p->output_offset, p->act_min, p->act_max);
	return O2M_OK;
}
