/* o2m_q8_softmax.c - int8 Softmax along the middle axis of [outer, n, inner]: the
   exponentials come from the compiler's table of exp(-d * x_scale) in Q20, indexed
   by the distance to the row's maximum (so the largest is exactly one and the sum
   cannot vanish), and each output is one rounded int64 division. */
#include "o2m_q8_def.h"
#include "o2m_q8x.h"

static int table_ok(const int32_t *t)
{
	int32_t d;

	if (t[0] <= 0)
		return 0;
	for (d = 0; d < 256; d++)
		if (t[d] < 0 || t[d] > O2M_Q8_EXP_ONE)
			return 0;
	return 1;
}

/* one row of n elements s apart */
static void softmax_row(const o2m_q8_softmax_params *p, const int8_t *x, int32_t s,
			const int32_t *t, int8_t *y)
{
	int64_t sum = 0, den, v;
	int32_t i, mx = INT8_MIN;

	for (i = 0; i < p->n; i++)
		mx = x[i * s] > mx ? x[i * s] : mx;
	for (i = 0; i < p->n; i++)
		sum += t[mx - x[i * s]];
	if (sum <= 0) /* n == 0: the maximum's entry alone is 2^16 */
		return;
	den = sum * 65536; /* e * inv / 2^16 / sum, one division */
	for (i = 0; i < p->n; i++) {
		v = ((int64_t)t[mx - x[i * s]] * p->inv_scale_q16 + den / 2) / den;
		y[i * s] = q8_out((int32_t)v, p->output_offset, p->act_min, p->act_max);
	}
}

int o2m_q8_softmax_s8(const o2m_q8_softmax_params *p, const int8_t *x, const int32_t *exp_table,
		      int8_t *y)
{
	int32_t o, i;

	if (!x || !exp_table || !y || p->outer < 0 || p->n < 0 || p->inner < 0 ||
	    p->n >= (1 << 27) || p->inv_scale_q16 < 1 || !table_ok(exp_table) ||
	    !q8_out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (o = 0; o < p->outer; o++, x += p->n * p->inner, y += p->n * p->inner)
		for (i = 0; i < p->inner; i++)
			softmax_row(p, x + i, p->inner, exp_table, y + i);
	return O2M_OK;
}
