/* o2m_q8_wide.c - int8 kernels with an int16 intermediate (o2m_q8w.h): a table from int8
   to int16, and average pooling of int16 into int8 with one rounding. */
#include "o2m_q8w.h"
#include "o2m_window.h"

int o2m_q8_lut_s16(const o2m_unary_params *p, const int8_t *x, const int16_t *table,
		   int16_t *y)
{
	if (!p || !x || !table || !y || p->count < 0)
		return O2M_ERR_ARG;
	for (int32_t i = 0; i < p->count; i++)
		y[i] = table[x[i] + 128];
	return O2M_OK;
}

/* clamp(off + round_half_away(sum / (count * 2^shift))); the zero point when count is 0 */
static int8_t wide_mean(const o2m_q8_pool_params *q, int64_t sum, int64_t count)
{
	int64_t d = count << q->shift, v;

	if (count == 0)
		v = 0;
	else
		v = sum >= 0 ? (sum + d / 2) / d : -((-sum + d / 2) / d);
	v += q->output_offset;
	return (int8_t)(v < q->act_min ? q->act_min : v > q->act_max ? q->act_max : v);
}

static int wide_ok(const o2m_q8_pool_params *q, const void *x, const void *y)
{
	const o2m_pool_params *p = &q->pool;

	return q && x && y && p->planes > 0 && p->in_d > 0 && p->in_h > 0 && p->in_w > 0 &&
	       p->out_d > 0 && p->out_h > 0 && p->out_w > 0 && p->k_d > 0 && p->k_h > 0 &&
	       p->k_w > 0 && p->stride_d > 0 && p->stride_h > 0 && p->stride_w > 0 &&
	       p->dil_d > 0 && p->dil_h > 0 && p->dil_w > 0 && q->shift >= 0 && q->shift <= 15 &&
	       q->act_min >= -128 && q->act_min <= q->act_max && q->act_max <= 127;
}

/* one output: the window whose first tap (pads included) is at (sd, sh, sw) */
static int8_t wide_one(const o2m_q8_pool_params *q, const int16_t *x, int32_t sd, int32_t sh,
		       int32_t sw)
{
	const o2m_pool_params *p = &q->pool;
	int32_t d0, nd, h0, nh, w0, nw;
	int64_t sum = 0, count;

	o2m_taps_1d(sd, p->k_d, p->dil_d, p->in_d, &d0, &nd);
	o2m_taps_1d(sh, p->k_h, p->dil_h, p->in_h, &h0, &nh);
	o2m_taps_1d(sw, p->k_w, p->dil_w, p->in_w, &w0, &nw);
	for (int32_t i = 0; i < nd; i++)
		for (int32_t j = 0; j < nh; j++) {
			const int16_t *r = x + ((sd + (d0 + i) * p->dil_d) * p->in_h + sh +
						(h0 + j) * p->dil_h) * p->in_w + sw + w0 * p->dil_w;
			for (int32_t l = 0; l < nw; l++)
				sum += r[l * p->dil_w];
		}
	count = (int64_t)nd * nh * nw;
	if (p->count_include_pad)
		count = o2m_pool_padded_count(p, sd, sh, sw);
	return wide_mean(q, sum, count);
}

int o2m_q8_avgpool_s16(const o2m_q8_pool_params *q, const int16_t *x, int8_t *y)
{
	const o2m_pool_params *p;

	if (!wide_ok(q, x, y))
		return O2M_ERR_ARG;
	p = &q->pool;
	for (int32_t c = 0; c < p->planes; c++, x += p->in_d * p->in_h * p->in_w)
		for (int32_t od = 0; od < p->out_d; od++)
			for (int32_t oh = 0; oh < p->out_h; oh++)
				for (int32_t ow = 0; ow < p->out_w; ow++)
					*y++ = wide_one(q, x, od * p->stride_d - p->pad_d,
							oh * p->stride_h - p->pad_h,
							ow * p->stride_w - p->pad_w);
	return O2M_OK;
}

int o2m_q8_gavgpool_s16(const o2m_q8_pool_params *q, const int16_t *x, int8_t *y)
{
	int32_t n;

	if (!wide_ok(q, x, y))
		return O2M_ERR_ARG;
	n = q->pool.in_d * q->pool.in_h * q->pool.in_w;
	for (int32_t c = 0; c < q->pool.planes; c++) {
		int64_t sum = 0;
		for (int32_t i = 0; i < n; i++)
			sum += *x++;
		y[c] = wide_mean(q, sum, n);
	}
	return O2M_OK;
}
