/* o2m_q8_resize.c - int8 bilinear Resize from the compiler's per-axis tables of two
   source indices and two Q15 weights per output row and column: the Q30 sum is exact
   in int64 and rescaled with a single rounding, so equal scales give the correctly
   rounded interpolation; the int16 twin (o2m_q16_resize_s16) the same on int16. */
#include "o2m_q8_def.h"
#include "o2m_q8x.h"

/* out pairs of indices in [0, in) and weights in [0, 32767] summing to 32768 */
static int table_ok(const int32_t *idx, const int16_t *wt, int32_t out, int32_t in)
{
	int32_t j;

	for (j = 0; j < 2 * out; j += 2)
		if (idx[j] < 0 || idx[j] >= in || idx[j + 1] < 0 || idx[j + 1] >= in ||
		    wt[j] < 0 || wt[j + 1] < 0 || wt[j] + wt[j + 1] != 32768)
			return 0;
	return 1;
}

/* the tables, pointers and sizes; the offsets, clamp and scale are checked by each
   kernel for its type */
static int resize_ok(const o2m_q8_resize_params *p, const void *x, const int32_t *ih,
		     const int16_t *wh, const int32_t *iw, const int16_t *ww, const void *y)
{
	return x && ih && wh && iw && ww && y && p->planes >= 0 && p->in_h > 0 &&
	       p->in_w > 0 && p->out_h >= 0 && p->out_w >= 0 && q8_scale_ok(p->mult, p->shift) &&
	       table_ok(ih, wh, p->out_h, p->in_h) && table_ok(iw, ww, p->out_w, p->in_w);
}

/* y = clamp(output_offset + acc * m / 2^30), acc a Q30 value in input steps */
static int64_t resize_val(const o2m_q8_resize_params *p, int64_t acc)
{
	int64_t v = o2m_q8_requant_wide(acc, p->mult, p->shift, 30) + p->output_offset;

	return v < p->act_min ? p->act_min : v > p->act_max ? p->act_max : v;
}

/* one output row from input rows r0 and r1 (weights h0, h1; the offset's share is off *
   2^30 since both weight pairs sum to 2^15), and the planes, for int8 (the column sums
   in int32) and int16 (in int64: each Q15 product takes 31 bits) */
#define RESIZE_(SFX, T, ACC)                                                              \
	static void row_##SFX(const o2m_q8_resize_params *p, const T *r0, const T *r1,      \
			      int32_t h0, int32_t h1, const int32_t *iw, const int16_t *ww,  \
			      T *y)                                                          \
	{                                                                                 \
		const int64_t base = (int64_t)p->input_offset << 30;                      \
		int32_t k;                                                                \
		ACC a, b;                                                                 \
		for (k = 0; k < p->out_w; k++, iw += 2, ww += 2) {                        \
			a = (ACC)ww[0] * r0[iw[0]] + (ACC)ww[1] * r0[iw[1]];              \
			b = (ACC)ww[0] * r1[iw[0]] + (ACC)ww[1] * r1[iw[1]];              \
			y[k] = (T)resize_val(p, base + (int64_t)h0 * a + (int64_t)h1 * b); \
		}                                                                         \
	}                                                                                 \
	static void planes_##SFX(const o2m_q8_resize_params *p, const T *x,                 \
				 const int32_t *index_h, const int16_t *weight_h,           \
				 const int32_t *index_w, const int16_t *weight_w, T *y)     \
	{                                                                                 \
		int32_t c, j;                                                             \
		for (c = 0; c < p->planes; c++, x += p->in_h * p->in_w)                   \
			for (j = 0; j < p->out_h; j++, y += p->out_w)                     \
				row_##SFX(p, x + index_h[2 * j] * p->in_w,                \
					  x + index_h[2 * j + 1] * p->in_w, weight_h[2 * j], \
					  weight_h[2 * j + 1], index_w, weight_w, y);     \
	}

RESIZE_(s8, int8_t, int32_t)
RESIZE_(s16, int16_t, int64_t)

int o2m_q8_resize_s8(const o2m_q8_resize_params *p, const int8_t *x, const int32_t *index_h,
		     const int16_t *weight_h, const int32_t *index_w, const int16_t *weight_w,
		     int8_t *y)
{
	if (!resize_ok(p, x, index_h, weight_h, index_w, weight_w, y) ||
	    !q8_offset_ok(p->input_offset) || !q8_out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	planes_s8(p, x, index_h, weight_h, index_w, weight_w, y);
	return O2M_OK;
}

int o2m_q16_resize_s16(const o2m_q8_resize_params *p, const int16_t *x, const int32_t *index_h,
		       const int16_t *weight_h, const int32_t *index_w, const int16_t *weight_w,
		       int16_t *y)
{
	if (!resize_ok(p, x, index_h, weight_h, index_w, weight_w, y) ||
	    p->input_offset < -32768 || p->input_offset > 32768 || p->output_offset < -32768 ||
	    p->output_offset > 32768 || p->act_min < INT16_MIN || p->act_min > p->act_max ||
	    p->act_max > INT16_MAX)
		return O2M_ERR_ARG;
	planes_s16(p, x, index_h, weight_h, index_w, weight_w, y);
	return O2M_OK;
}
