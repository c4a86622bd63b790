/* o2m_q8_matmul.c - MatMul of two int8 activations with numpy batch broadcasting (the
   batch walk of o2m_matmul.c, o2m_step2): per batch index an int32 sum of the offset products
   along k, rescaled once to the output; the int16 twin (o2m_q16_matmul_s16) sums in
   int64. */
#include "o2m_q8_def.h"
#include "o2m_q16.h"
#include "o2m_q8x.h"

/* sizes, offsets and clamp; k small enough for the int32 sum; *empty for no output */
static int matmul_ok(const o2m_q8_matmul_params *q, int *empty)
{
	const o2m_matmul_params *p = &q->mm;
	int64_t most;
	int32_t d;

	if (p->batch_rank < 0 || p->batch_rank > O2M_MAX_RANK || p->m < 0 || p->n < 0 ||
	    p->k < 0 || !q8_offset_ok(q->a_offset) || !q8_offset_ok(q->b_offset) ||
	    !q8_scale_ok(q->mult, q->shift) || !q8_out_ok(q->output_offset, q->act_min, q->act_max))
		return 0;
	*empty = p->m == 0 || p->n == 0;
	for (d = 0; d < p->batch_rank; d++) {
		if (p->batch[d] < 0)
			return 0;
		*empty |= p->batch[d] == 0;
	}
	most = (128 + (int64_t)(q->a_offset < 0 ? -q->a_offset : q->a_offset)) *
	       (128 + (int64_t)(q->b_offset < 0 ? -q->b_offset : q->b_offset));
	return p->k <= INT32_MAX / most;
}

/* one m x n product (a row-major m x k, b k x n) and the batch walk, for int8 (int32
   sums, TFLite's rescale) and int16 activations (int64 sums, o2m_q16_requant64) */
#define MATMUL_(SFX, T, ACC, RQ, OUT)                                                    \
	static void one_##SFX(const o2m_q8_matmul_params *q, const T *a, const T *b, T *y) \
	{                                                                                \
		const int32_t m = q->mm.m, n = q->mm.n, k = q->mm.k;                     \
		int32_t i, j, l;                                                         \
		ACC acc;                                                                 \
		for (i = 0; i < m; i++, a += k) {                                        \
			for (j = 0; j < n; j++) {                                        \
				const T *bc = b + j;                                     \
				for (acc = 0, l = 0; l < k; l++, bc += n)                \
					acc += (ACC)(a[l] + q->a_offset) *               \
					       (*bc + q->b_offset);                      \
				*y++ = (T)OUT(RQ(acc, q->mult, q->shift), q->output_offset, \
					      q->act_min, q->act_max);                   \
			}                                                                \
		}                                                                        \
	}                                                                                \
	static void walk_##SFX(const o2m_q8_matmul_params *q, const T *a, const T *b, T *y) \
	{                                                                                \
		const o2m_matmul_params *p = &q->mm;                                     \
		int32_t idx[O2M_MAX_RANK] = {0}, oa = 0, ob = 0;                         \
		do {                                                                     \
			one_##SFX(q, a + oa, b + ob, y);                                 \
			y += p->m * p->n;                                                \
		} while (o2m_step2(p->batch_rank - 1, p->batch, p->a_stride, p->b_stride, \
				   idx, &oa, &ob));                                      \
	}

MATMUL_(s8, int8_t, int32_t, o2m_q8_requant, q8_out)
MATMUL_(s16, int16_t, int64_t, o2m_q16_requant64, o2m_q16_out)

int o2m_q8_matmul_s8(const o2m_q8_matmul_params *q, const int8_t *a, const int8_t *b, int8_t *y)
{
	int empty;

	if (!a || !b || !y || !matmul_ok(q, &empty))
		return O2M_ERR_ARG;
	if (!empty)
		walk_s8(q, a, b, y);
	return O2M_OK;
}

/* int16: offsets within +-32768, shift at most 7, k below 2^15 (the int64 sum stays
   below 2^47) */
int o2m_q16_matmul_s16(const o2m_q8_matmul_params *q, const int16_t *a, const int16_t *b,
		       int16_t *y)
{
	const o2m_matmul_params *p = &q->mm;
	int empty;
	int32_t d;

	if (!a || !b || !y || p->batch_rank < 0 || p->batch_rank > O2M_MAX_RANK || p->m < 0 ||
	    p->n < 0 || p->k < 0 || p->k >= (1 << 15) || q->a_offset < -32768 ||
	    q->a_offset > 32768 || q->b_offset < -32768 || q->b_offset > 32768 || q->mult < 0 ||
	    q->shift < -31 || q->shift > 7 || q->output_offset < -32768 ||
	    q->output_offset > 32768 || q->act_min < INT16_MIN || q->act_min > q->act_max ||
	    q->act_max > INT16_MAX)
		return O2M_ERR_ARG;
	empty = p->m == 0 || p->n == 0;
	for (d = 0; d < p->batch_rank; d++) {
		if (p->batch[d] < 0)
			return O2M_ERR_ARG;
		empty |= p->batch[d] == 0;
	}
	if (!empty)
		walk_s16(q, a, b, y);
	return O2M_OK;
}
