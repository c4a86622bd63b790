/* o2m_q8_pool.c - int8 average pooling, windowed and global: the int32 sum of
   (x + input_offset) over the taps inside the data, rescaled with 8 fraction bits and
   divided by the tap count rounding half away from zero, which is TFLite's rounded mean
   when the input and output scales agree. A window whose sum * 256 could overflow
   int32 once o2m_q8_requant shifts it left by max(shift, 0) is rejected with
   O2M_ERR_ARG: more than 2^31 / (2^max(shift, 0) * 256 * (128 + |input_offset|)) taps,
   which with equal scales (shift 1) still allows 16383 for any int8 zero point, a
   128 x 128 plane. A window that lies wholly in the padding, counting no taps, gives
   the output zero point. */
#include "o2m_q8_def.h"
#include "o2m_window.h"

static int pos3(int32_t a, int32_t b, int32_t c)
{
	return a > 0 && b > 0 && c > 0;
}

/* whether sum * 256, shifted left by max(shift, 0), fits int32 for any n taps of
   x + off (o2m_q8_requant would saturate it) */
static int window_fits(int64_t n, int32_t off, int32_t shift)
{
	const int64_t most = 128 + (off < 0 ? -(int64_t)off : off);
	const int64_t unit = most * 256 * ((int64_t)1 << (shift > 0 ? shift : 0));

	return n >= 0 && n <= INT32_MAX / unit;
}

/* the checks both kernels share; n the most taps a window has */
static int pool_ok(const o2m_q8_pool_params *q, const int8_t *x, const int8_t *y, int64_t n)
{
	const o2m_pool_params *p = &q->pool;

	return x && y && p->planes > 0 && pos3(p->in_d, p->in_h, p->in_w) &&
	       q8_offset_ok(q->input_offset) && q8_scale_ok(q->mult, q->shift) &&
	       q8_out_ok(q->output_offset, q->act_min, q->act_max) &&
	       window_fits(n, q->input_offset, q->shift);
}

/* clamp(output_offset + round_half_away(requant(sum * 256) / (count * 256))) */
static int8_t mean_out(const o2m_q8_pool_params *q, int32_t sum, int32_t count)
{
	int64_t v, d = (int64_t)count * 256;

	if (count == 0)
		return q8_out(0, q->output_offset, q->act_min, q->act_max);
	v = o2m_q8_requant(sum * 256, q->mult, q->shift);
	v = v >= 0 ? (v + d / 2) / d : (v - d / 2) / d;
	return q8_out((int32_t)v, q->output_offset, q->act_min, q->act_max);
}

/* the sum of x + off over a window's valid taps: nd x nh x nw from x, the first */
static int32_t window_sum(const o2m_pool_params *p, const int8_t *x, int32_t nd, int32_t nh,
			  int32_t nw, int32_t off)
{
	const int32_t sd = p->dil_d * p->in_h * p->in_w, sh = p->dil_h * p->in_w;
	int32_t sum = 0, i, j, l;

	for (i = 0; i < nd; i++, x += sd) {
		const int8_t *xh = x;
		for (j = 0; j < nh; j++, xh += sh)
			for (l = 0; l < nw; l++)
				sum += xh[l * p->dil_w] + off;
	}
	return sum;
}

/* the largest tap count of a window, or -1 for a bad window geometry */
static int64_t pool_taps(const o2m_pool_params *p)
{
	int64_t n;

	if (!pos3(p->out_d, p->out_h, p->out_w) || !pos3(p->k_d, p->k_h, p->k_w) ||
	    !pos3(p->stride_d, p->stride_h, p->stride_w) || !pos3(p->dil_d, p->dil_h, p->dil_w) ||
	    p->pad_d < 0 || p->pad_h < 0 || p->pad_w < 0 || p->pad_end_d < 0 ||
	    p->pad_end_h < 0 || p->pad_end_w < 0)
		return -1;
	n = (int64_t)p->k_d * p->k_h;
	return n > INT32_MAX ? n : n * p->k_w;
}

/* one output: the window at (sd, sh, sw) (its first tap's position, pads included) */
static int8_t pool_one(const o2m_q8_pool_params *q, const int8_t *x, int32_t sd, int32_t sh,
		       int32_t sw)
{
	const o2m_pool_params *p = &q->pool;
	int32_t d0, nd, h0, nh, w0, nw, sum = 0, count;

	o2m_taps_1d(sd, p->k_d, p->dil_d, p->in_d, &d0, &nd);
	o2m_taps_1d(sh, p->k_h, p->dil_h, p->in_h, &h0, &nh);
	o2m_taps_1d(sw, p->k_w, p->dil_w, p->in_w, &w0, &nw);
	if (nd && nh && nw) {
		x += ((sd + d0 * p->dil_d) * p->in_h + sh + h0 * p->dil_h) * p->in_w + sw +
		     w0 * p->dil_w;
		sum = window_sum(p, x, nd, nh, nw, q->input_offset);
	}
	count = nd * nh * nw;
	if (p->count_include_pad)
		count = o2m_pool_padded_count(p, sd, sh, sw);
	return mean_out(q, sum, count);
}

int o2m_q8_avgpool_s8(const o2m_q8_pool_params *q, const int8_t *x, int8_t *y)
{
	const o2m_pool_params *p = &q->pool;
	int32_t c, od, oh, ow;

	if (!pool_ok(q, x, y, pool_taps(p)))
		return O2M_ERR_ARG;
	for (c = 0; c < p->planes; c++, x += p->in_d * p->in_h * p->in_w)
		for (od = 0; od < p->out_d; od++)
			for (oh = 0; oh < p->out_h; oh++)
				for (ow = 0; ow < p->out_w; ow++)
					*y++ = pool_one(q, x, od * p->stride_d - p->pad_d,
							oh * p->stride_h - p->pad_h,
							ow * p->stride_w - p->pad_w);
	return O2M_OK;
}

int o2m_q8_gavgpool_s8(const o2m_q8_pool_params *q, const int8_t *x, int8_t *y)
{
	const o2m_pool_params *p = &q->pool;
	const int64_t n = (int64_t)p->in_d * p->in_h * p->in_w;
	int32_t c, i, sum;

	if (!pool_ok(q, x, y, n))
		return O2M_ERR_ARG;
	for (c = 0; c < p->planes; c++) {
		for (sum = 0, i = 0; i < (int32_t)n; i++)
			sum += *x++ + q->input_offset;
		y[c] = mean_out(q, sum, (int32_t)n);
	}
	return O2M_OK;
}
