/* o2m_q8_norm.c - int8 LayerNormalization over the last n elements of each row, integer
   only: with v = x + input_offset, d_i = n * v_i - sum v (n times v_i minus the mean) and
   U = n * sum v^2 - (sum v)^2 scaled by 2^16 plus eps_q16 * n^2 (n^2 * 2^16 * (var + eps),
   exact), the normalized value is z_i = d_i * 2^8 / sqrt(U). 1 / sqrt(U) comes from
   Newton's iteration on the leading 32 bits of U. */
#include "o2m_q8_def.h"
#include "o2m_q8x.h"

/* 1 / sqrt(x) in Q30 for x in [1, 4) given in Q30: Newton's y' = y (3 - x y^2) / 2 from
   a linear guess (within 20%), five steps past the Q30 precision */
static uint64_t inv_sqrt_q30(uint64_t x)
{
	uint64_t y = (((uint64_t)6 << 30) - x) / 5; /* 1.2 - x / 5 */
	int i;

	for (i = 0; i < 5; i++) {
		uint64_t y2 = (y * y) >> 30, t = (x * y2) >> 30;
		y = (y * (((uint64_t)3 << 30) - t)) >> 31;
	}
	return y;
}

/* 1 / sqrt(u), u >= 1, as y * 2^-(60 + *e): u = m * 4^e with m in [2^60, 2^62) */
static uint64_t inv_sqrt(uint64_t u, int32_t *e)
{
	*e = 0;
	if (u >= (uint64_t)1 << 62) {
		u >>= 2;
		*e = 1;
	}
	while (u < (uint64_t)1 << 60) {
		u <<= 2;
		(*e)--;
	}
	return inv_sqrt_q30(u >> 30);
}

/* output_offset + round_half_away((z * gamma + beta * 2^(4 + gs)) / 2^(20 + gs)), z in
   Q20, clamped to [act_min, act_max] */
static int32_t norm_out(const o2m_q8_norm_params *p, int64_t z, int32_t gamma, int32_t beta)
{
	const int32_t s = 20 + p->gamma_shift;
	int64_t a = z * gamma + (int64_t)beta * ((int64_t)1 << (4 + p->gamma_shift));
	int64_t h = (int64_t)1 << (s - 1);

	a = a >= 0 ? (a + h) >> s : -((-a + h) >> s);
	a += p->output_offset;
	return (int32_t)(a < p->act_min ? p->act_min : a > p->act_max ? p->act_max : a);
}

/* one row into y8 (int8) or y16 (int16), whichever is not NULL */
static void norm_row(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
		     const int32_t *beta, int8_t *y8, int16_t *y16)
{
	const int64_t n = p->n;
	int64_t sum = 0, sq = 0, v, d, z;
	uint64_t u, r;
	int32_t i, e, out;

	for (i = 0; i < p->n; i++) {
		v = x[i] + p->input_offset;
		sum += v;
		sq += v * v;
	}
	u = ((uint64_t)(n * sq - sum * sum) << 16) + (uint64_t)p->eps_q16 * (uint64_t)(n * n);
	r = inv_sqrt(u, &e); /* z = d * 2^8 * r * 2^-(60 + e): in Q20, d * r / 2^(32 + e) */
	for (i = 0; i < p->n; i++) {
		d = n * (x[i] + p->input_offset) - sum;
		z = d * (int64_t)r;
		z = z >= 0 ? (z + ((int64_t)1 << (31 + e))) >> (32 + e)
			   : -((-z + ((int64_t)1 << (31 + e))) >> (32 + e));
		out = norm_out(p, z, gamma[i], beta ? beta[i] : 0);
		if (y8)
			y8[i] = (int8_t)out;
		else
			y16[i] = (int16_t)out;
	}
}

static int norm_ok(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
		   const void *y)
{
	return x && gamma && y && p->outer >= 0 && p->n >= 1 && p->n <= 65535 &&
	       p->eps_q16 >= 1 && p->gamma_shift >= 0 && p->gamma_shift <= 24 &&
	       q8_offset_ok(p->input_offset);
}

int o2m_q8_layer_norm_s8(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
			 const int32_t *beta, int8_t *y)
{
	int32_t o;

	if (!norm_ok(p, x, gamma, y) || !q8_out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (o = 0; o < p->outer; o++, x += p->n, y += p->n)
		norm_row(p, x, gamma, beta, y, NULL);
	return O2M_OK;
}

/* one row of int16 values: as norm_row without the 2^16 on U (n * sum v^2 - (sum v)^2
   takes up to 2^56 for n <= 4096), eps_q16 * n^2 / 2^16 added rounded, so z = d * 2^20 /
   sqrt(U) = d * r / 2^(40 + e) */
static void norm_row16(const o2m_q8_norm_params *p, const int16_t *x, const int16_t *gamma,
		       const int32_t *beta, int16_t *y)
{
	const int64_t n = p->n;
	int64_t sum = 0, sq = 0, v, d, z;
	uint64_t u, r;
	int32_t i, e;

	for (i = 0; i < p->n; i++) {
		v = x[i] + p->input_offset;
		sum += v;
		sq += v * v;
	}
	u = (uint64_t)(n * sq - sum * sum) +
	    (((uint64_t)p->eps_q16 * (uint64_t)(n * n) + 32768) >> 16);
	r = inv_sqrt(u ? u : 1, &e);
	for (i = 0; i < p->n; i++) {
		d = n * (x[i] + p->input_offset) - sum;
		z = d * (int64_t)r;
		z = z >= 0 ? (z + ((int64_t)1 << (39 + e))) >> (40 + e)
			   : -((-z + ((int64_t)1 << (39 + e))) >> (40 + e));
		y[i] = (int16_t)norm_out(p, z, gamma[i], beta ? beta[i] : 0);
	}
}

int o2m_q16_layer_norm_s16(const o2m_q8_norm_params *p, const int16_t *x, const int16_t *gamma,
			   const int32_t *beta, int16_t *y)
{
	int32_t o;

	if (!x || !gamma || !y || p->outer < 0 || p->n < 1 || p->n > 4096 || p->eps_q16 < 1 ||
	    p->gamma_shift < 0 || p->gamma_shift > 24 || p->input_offset < -32768 ||
	    p->input_offset > 32768 || p->output_offset < -32768 || p->output_offset > 32767 ||
	    p->act_min < -32768 || p->act_min > p->act_max || p->act_max > 32767)
		return O2M_ERR_ARG;
	for (o = 0; o < p->outer; o++, x += p->n, y += p->n)
		norm_row16(p, x, gamma, beta, y);
	return O2M_OK;
}

int o2m_q8_layer_norm_s16(const o2m_q8_norm_params *p, const int8_t *x, const int16_t *gamma,
			  const int32_t *beta, int16_t *y)
{
	int32_t o;

	if (!norm_ok(p, x, gamma, y) || p->output_offset < -32768 || p->output_offset > 32767 ||
	    p->act_min < -32768 || p->act_min > p->act_max || p->act_max > 32767)
		return O2M_ERR_ARG;
	for (o = 0; o < p->outer; o++, x += p->n, y += p->n)
		norm_row(p, x, gamma, beta, NULL, y);
	return O2M_OK;
}
