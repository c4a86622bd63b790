/* test_q8w.c - the int16-intermediate kernels (o2m_q8w.h): average pooling of int16
   values at the output's scale / 2^shift, against a reference written here (int64
   sums, the count with and without padding) and against real arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "../../runtime-stub/o2m_q8w.h"
#include "../../runtime-stub/o2m_q8x.h"

static uint32_t seed = 12345;
static int32_t rnd(int32_t lo, int32_t hi) /* in [lo, hi] */
{
	seed = seed * 1103515245u + 12345u;
	return lo + (int32_t)((seed >> 8) % (uint32_t)(hi - lo + 1));
}

/* the mean of the taps of output (oh, ow) of plane c, rounded as the kernel documents */
static int8_t reference(const o2m_q8_pool_params *q, const int16_t *x, int c, int oh, int ow,
			double *real)
{
	const o2m_pool_params *p = &q->pool;
	int64_t sum = 0, count = 0, padded = 0, d, v;

	for (int i = 0; i < p->k_h; i++)
		for (int j = 0; j < p->k_w; j++) {
			int h = oh * p->stride_h - p->pad_h + i * p->dil_h;
			int w = ow * p->stride_w - p->pad_w + j * p->dil_w;
			if (h >= -p->pad_h && h < p->in_h + p->pad_end_h && w >= -p->pad_w &&
			    w < p->in_w + p->pad_end_w)
				padded++;
			if (h < 0 || h >= p->in_h || w < 0 || w >= p->in_w)
				continue;
			sum += x[(c * p->in_h + h) * p->in_w + w];
			count++;
		}
	if (p->count_include_pad)
		count = padded;
	*real = count ? (double)sum / (double)count / ldexp(1, q->shift) : 0;
	if (!count)
		return (int8_t)q->output_offset;
	d = count << q->shift;
	v = sum >= 0 ? (sum + d / 2) / d : -((-sum + d / 2) / d);
	v += q->output_offset;
	return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
}

static void avgpool_s16_matches_reference(void **state)
{
	(void)state;
	for (int iter = 0; iter < 300; iter++) {
		o2m_q8_pool_params q;
		o2m_pool_params *p = &q.pool;
		int16_t x[4 * 12 * 12];
		int8_t y[4 * 12 * 12];
		memset(&q, 0, sizeof q);
		p->planes = rnd(1, 4);
		p->in_d = p->out_d = p->k_d = p->stride_d = p->dil_d = 1;
		p->in_h = rnd(1, 12), p->in_w = rnd(1, 12);
		p->k_h = rnd(1, 3), p->k_w = rnd(1, 3);
		p->stride_h = rnd(1, 2), p->stride_w = rnd(1, 2);
		p->dil_h = rnd(1, 2), p->dil_w = rnd(1, 2);
		p->pad_h = rnd(0, p->k_h - 1), p->pad_w = rnd(0, p->k_w - 1);
		p->pad_end_h = rnd(0, p->k_h - 1), p->pad_end_w = rnd(0, p->k_w - 1);
		p->out_h = (p->in_h + p->pad_h + p->pad_end_h - (p->k_h - 1) * p->dil_h - 1) /
			   p->stride_h + 1;
		p->out_w = (p->in_w + p->pad_w + p->pad_end_w - (p->k_w - 1) * p->dil_w - 1) /
			   p->stride_w + 1;
		if (p->out_h < 1 || p->out_w < 1)
			continue;
		p->count_include_pad = rnd(0, 1);
		q.shift = rnd(0, 15);
		q.output_offset = rnd(-20, 20);
		q.act_min = -128, q.act_max = 127;
		for (int i = 0; i < p->planes * p->in_h * p->in_w; i++)
			x[i] = (int16_t)rnd(-32768, 32767);
		assert_int_equal(o2m_q8_avgpool_s16(&q, x, y), O2M_OK);
		for (int c = 0, e = 0; c < p->planes; c++)
			for (int oh = 0; oh < p->out_h; oh++)
				for (int ow = 0; ow < p->out_w; ow++, e++) {
					double real;
					int8_t want = reference(&q, x, c, oh, ow, &real);
					assert_int_equal(y[e], want);
					if (want > -128 && want < 127) /* one rounding: within half a step */
						assert_true(fabs(y[e] - q.output_offset - real) <= 0.5 + 1e-9);
				}
	}
}

static void gavgpool_s16_and_lut(void **state)
{
	o2m_q8_pool_params q;
	int16_t x[3 * 50], tab[256], t[4];
	int8_t y[3], in[4] = {-128, -1, 0, 127};
	o2m_unary_params u = {4, 0, 0, 0};

	(void)state;
	memset(&q, 0, sizeof q);
	q.pool.planes = 3, q.pool.in_d = q.pool.in_h = 1, q.pool.in_w = 50;
	q.pool.out_d = q.pool.out_h = q.pool.out_w = 1;
	q.pool.k_d = q.pool.k_h = 1, q.pool.k_w = 50;
	q.pool.stride_d = q.pool.stride_h = q.pool.stride_w = 1;
	q.pool.dil_d = q.pool.dil_h = q.pool.dil_w = 1;
	q.shift = 8, q.output_offset = -3, q.act_min = -128, q.act_max = 127;
	for (int i = 0; i < 150; i++)
		x[i] = (int16_t)(i < 50 ? 256 * 5 : i < 100 ? -256 * 5 - 128 : 300 * (i % 2));
	assert_int_equal(o2m_q8_gavgpool_s16(&q, x, y), O2M_OK);
	assert_int_equal(y[0], 5 - 3);      /* exactly 5 steps */
	assert_int_equal(y[1], -6 - 3);     /* -5.5: half away from zero */
	assert_int_equal(y[2], 1 - 3);      /* 150 / 256 = 0.59 */
	for (int i = 0; i < 256; i++)
		tab[i] = (int16_t)(100 * (i - 128));
	assert_int_equal(o2m_q8_lut_s16(&u, in, tab, t), O2M_OK);
	assert_int_equal(t[0], -12800);
	assert_int_equal(t[1], -100);
	assert_int_equal(t[3], 12700);
	q.shift = 16; /* out of range */
	assert_int_equal(o2m_q8_gavgpool_s16(&q, x, y), O2M_ERR_ARG);
}

/* LayerNormalization into int16: within half a step (plus the fixed point's own error)
   of the double-precision result, in steps of the int16 scale */
static void layer_norm_s16_matches_real(void **state)
{
	static int8_t x[4 * 300];
	static int16_t y[4 * 300], gq[300];
	static int32_t bq[300];
	static double gr[300], br[300];

	(void)state;
	for (int iter = 0; iter < 200; iter++) {
		o2m_q8_norm_params p;
		int n = rnd(2, 300), outer = rnd(1, 4), shift = 0;
		double s16 = 1.0 / 4096 * rnd(1, 8), eps = 1e-5, sx = 0.02, gmax = 0;
		p.outer = outer, p.n = n;
		p.input_offset = rnd(-20, 20), p.output_offset = 0;
		p.eps_q16 = (int32_t)lround(ldexp(eps / (sx * sx), 16));
		p.act_min = -32768, p.act_max = 32767;
		for (int i = 0; i < n; i++) {
			gr[i] = rnd(-2000, 2000) / 1000.0, br[i] = rnd(-1000, 1000) / 1000.0;
			gmax = fmax(gmax, fabs(gr[i] / s16));
		}
		while (shift < 24 && gmax * ldexp(1, shift + 1) <= 32767)
			shift++;
		p.gamma_shift = shift;
		for (int i = 0; i < n; i++) {
			gq[i] = (int16_t)lrint(ldexp(gr[i] / s16, shift));
			bq[i] = (int32_t)lrint(ldexp(br[i] / s16, 16));
		}
		for (int i = 0; i < outer * n; i++)
			x[i] = (int8_t)rnd(-128, 127);
		assert_int_equal(o2m_q8_layer_norm_s16(&p, x, gq, bq, y), O2M_OK);
		for (int o = 0; o < outer; o++) {
			double mean = 0, var = 0;
			for (int i = 0; i < n; i++)
				mean += x[o * n + i] + p.input_offset;
			mean /= n;
			for (int i = 0; i < n; i++) {
				double d = x[o * n + i] + p.input_offset - mean;
				var += d * d;
			}
			var /= n;
			for (int i = 0; i < n; i++) {
				double z = (x[o * n + i] + p.input_offset - mean) /
					   sqrt(var + eps / (sx * sx));
				/* the formats' own rounding: gamma to 2^-shift steps, beta to 2^-16 */
				double want = z * gq[i] / ldexp(1, shift) + bq[i] / 65536.0;
				/* z is carried in Q20: its error times gamma (o2m_q8x.h's bound) */
				double bound = 0.5 + ldexp(1 + fabs(z), -20) * fabs((double)gq[i]) /
							     ldexp(1, shift) + 1e-6;
				if (fabs(want) < 32000)
					assert_true(fabs(y[o * n + i] - want) <= bound);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(avgpool_s16_matches_reference),
		cmocka_unit_test(gavgpool_s16_and_lut),
		cmocka_unit_test(layer_norm_s16_matches_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
