/* test_q16.c - the int16-activation kernels (runtime-stub/o2m_q16.h) against a naive
   reference written here (int64 sums, one rounding of the exact 128-bit product by the
   packed multiplier) and against the real values they stand for (within half a step
   and the multiplier's 2^-25), on random geometry, scales and zero points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../runtime-stub/o2m_q16.h"
#include "../../runtime-stub/o2m_q8x.h"
#include "q8ref.h"

__extension__ typedef __int128 i128;

/* x * mult / 2^(31 - shift) rounded once, ties away from zero, in 128 bits; |x| at
   most 2^47 */
static int32_t ref_requant64(int64_t x, int32_t mult, int32_t shift)
{
	const int64_t lim = (int64_t)1 << 47;
	i128 p, d = (i128)1 << (31 - shift), q;

	x = x > lim ? lim : x < -lim ? -lim : x;
	p = (i128)x * mult;
	q = p >= 0 ? (p + d / 2) / d : -((-p + d / 2) / d);
	return (int32_t)(q > INT32_MAX ? INT32_MAX : q < INT32_MIN ? INT32_MIN : q);
}

/* the packed word of o2m_q8.h (the multiplier rounded to a multiple of 64) */
static int32_t word16(double m, int32_t *mult, int32_t *shift)
{
	int e;
	int64_t q = (int64_t)llround(frexp(m, &e) * 2147483648.0 / 64) * 64;

	if (q == (int64_t)1 << 31)
		q /= 2, e++;
	*mult = (int32_t)q, *shift = e;
	return (int32_t)((uint32_t)q | (uint32_t)(e + 32));
}

static int16_t clamp16(int64_t v, int32_t lo, int32_t hi)
{
	return (int16_t)(v < lo ? lo : v > hi ? hi : v);
}

/* y within one step of the real result, unless y sits at a clamp */
static void near_real(int y, double real, int lo, int hi, const char *what, int i)
{
	if (y > lo && y < hi && fabs(y - real) > 1.0)
		fail_msg("%s: y[%d] = %d, real %.3f", what, i, y, real);
}

/* the same for the int64 rescale: half a step of rounding and up to 2^-25 of the result
   (zero point off) from the packed multiplier */
static void near_real25(int y, double real, int zy, int lo, int hi, const char *what, int i)
{
	if (y > lo && y < hi && fabs(y - real) > 0.5 + fabs(real - zy) / 33554432.0 + 1e-6)
		fail_msg("%s: y[%d] = %d, real %.3f", what, i, y, real);
}

/* ---- convolution ---- */

#define XMAX 4096
#define WMAX 2048
#define YMAX 4096

static int16_t cx[XMAX], cy[YMAX];
static int8_t cw[WMAX];
static int64_t cb[64];
static int32_t crq[64], cmult[64], cshift[64];
static double cws[64];

static int out_size(int in, int k, int s, int d, int pad)
{
	return (in + 2 * pad - (k - 1) * d - 1) / s + 1;
}

static void conv_case(int t)
{
	o2m_q8_conv_params q;
	o2m_conv_params *p = &q.conv;
	int cin, cout, ksize, n;
	double xs = rndu(1e-4, 1e-3), ys, zx = 0, zy = 0;

	memset(&q, 0, sizeof q);
	p->n = rnd(1, 2);
	p->group = rnd(0, 2) == 0 ? 1 : rnd(1, 3);
	cin = rnd(1, 3), cout = rnd(1, 3);
	if (t % 5 == 0) /* depthwise */
		cin = 1, cout = 1, p->group = rnd(2, 6);
	p->c_in = cin * p->group, p->c_out = cout * p->group;
	p->in_d = p->k_d = p->out_d = p->stride_d = p->dil_d = 1;
	do {
		p->in_h = rnd(1, 7), p->in_w = rnd(1, 14);
		p->k_h = rnd(1, 3), p->k_w = rnd(1, 3);
		p->stride_h = rnd(1, 2), p->stride_w = rnd(1, 2);
		p->dil_h = rnd(1, 2), p->dil_w = rnd(1, 2);
		p->pad_h = rnd(0, 2), p->pad_w = rnd(0, 2);
		p->out_h = out_size(p->in_h, p->k_h, p->stride_h, p->dil_h, p->pad_h);
		p->out_w = out_size(p->in_w, p->k_w, p->stride_w, p->dil_w, p->pad_w);
	} while (p->out_h < 1 || p->out_w < 1);
	ksize = p->k_h * p->k_w;
	assert_true(p->n * p->c_in * p->in_h * p->in_w <= XMAX && p->c_out * cin * ksize <= WMAX);
	if (t % 2) /* asymmetric, as onnxruntime's int16 */
		zx = rnd(-3000, 3000), zy = rnd(-3000, 3000);
	for (int i = 0; i < p->n * p->c_in * p->in_h * p->in_w; i++)
		cx[i] = (int16_t)rnd(-32768 + (zx > 0 ? (int)zx : 0), 32767 + (zx < 0 ? (int)zx : 0));
	for (int i = 0; i < p->c_out * cin * ksize; i++)
		cw[i] = (int8_t)rnd(-127, 127);
	/* the output scale: the largest real sum over 2.5 (the rest saturates) */
	ys = xs * 32768.0 * 127 * cin * ksize * 0.05 / 32767 / 2.5;
	for (int c = 0; c < p->c_out; c++) {
		cws[c] = rndu(0.02, 0.06);
		cb[c] = rnd(-100000, 100000);
		crq[c] = word16(xs * cws[c] / ys, &cmult[c], &cshift[c]);
	}
	q.input_offset = (int32_t)-zx;
	q.output_offset = (int32_t)zy;
	q.act_min = t % 3 ? -32768 : (int32_t)zy; /* a folded Relu on a third */
	q.act_max = 32767;
	assert_int_equal(o2m_q16_conv_s16(&q, cx, cw, t % 4 ? cb : NULL, crq, cy), O2M_OK);
	n = 0;
	for (int b = 0; b < p->n; b++)
	for (int oc = 0; oc < p->c_out; oc++)
	for (int oh = 0; oh < p->out_h; oh++)
	for (int ow = 0; ow < p->out_w; ow++, n++) {
		int64_t acc = t % 4 ? cb[oc] : 0;
		double real;
		for (int ic = 0; ic < cin; ic++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int h = oh * p->stride_h - p->pad_h + kh * p->dil_h;
			int w = ow * p->stride_w - p->pad_w + kw * p->dil_w;
			int ch = oc / cout * cin + ic;
			if (h < 0 || h >= p->in_h || w < 0 || w >= p->in_w)
				continue;
			acc += (int64_t)(cx[((b * p->c_in + ch) * p->in_h + h) * p->in_w + w] + q.input_offset) *
			       cw[((oc * cin + ic) * p->k_h + kh) * p->k_w + kw];
		}
		real = (double)acc * xs * cws[oc] / ys + zy;
		if (cy[n] != clamp16(zy + (int64_t)ref_requant64(acc, cmult[oc], cshift[oc]),
				     q.act_min, q.act_max))
			fail_msg("conv case %d: y[%d] = %d, want %d", t, n, cy[n],
				 clamp16(zy + (int64_t)ref_requant64(acc, cmult[oc], cshift[oc]),
					 q.act_min, q.act_max));
		near_real25(cy[n], real, (int)zy, q.act_min, q.act_max, "conv", n);
	}
}

static void conv_matches_reference_and_real(void **state)
{
	(void)state;
	reseed(16);
	for (int t = 0; t < 400; t++)
		conv_case(t);
}

static void fc_matches_reference_and_real(void **state)
{
	o2m_q8_fc_params q;
	(void)state;
	reseed(17);
	for (int t = 0; t < 200; t++) {
		double xs = rndu(1e-4, 1e-3), ys;
		int zx = t % 2 ? rnd(-2000, 2000) : 0, zy = t % 2 ? rnd(-2000, 2000) : 0;
		q.batch = rnd(1, 3), q.in = rnd(1, 60), q.out = rnd(1, 30);
		for (int i = 0; i < q.batch * q.in; i++)
			cx[i] = (int16_t)rnd(-30000, 30000);
		for (int i = 0; i < q.out * q.in; i++)
			cw[i] = (int8_t)rnd(-127, 127);
		ys = xs * 30000.0 * 127 * q.in * 0.05 / 32767 / 2;
		for (int c = 0; c < q.out; c++) {
			cws[c] = rndu(0.02, 0.06);
			cb[c] = rnd(-1000000, 1000000);
			crq[c] = word16(xs * cws[c] / ys, &cmult[c], &cshift[c]);
		}
		q.input_offset = -zx, q.output_offset = zy;
		q.act_min = -32768, q.act_max = 32767;
		assert_int_equal(o2m_q16_fc_s16(&q, cx, cw, cb, crq, cy), O2M_OK);
		for (int b = 0; b < q.batch; b++)
			for (int o = 0; o < q.out; o++) {
				int64_t acc = cb[o];
				int16_t want;
				for (int i = 0; i < q.in; i++)
					acc += (int64_t)(cx[b * q.in + i] - zx) * cw[o * q.in + i];
				want = clamp16(zy + (int64_t)ref_requant64(acc, cmult[o], cshift[o]), -32768,
					       32767);
				assert_int_equal(cy[b * q.out + o], want);
				near_real25(cy[b * q.out + o], (double)acc * xs * cws[o] / ys + zy, zy,
					    -32768, 32767, "fc", b * q.out + o);
			}
	}
}

/* ---- Add and Mul: [r, c] and a [1, c] or [r, 1] operand ---- */

static void binary_case(int mul, int t)
{
	int16_t a[64], b[64], y[64];
	o2m_q8_binary_params q;
	int rows = rnd(1, 4), cols = rnd(1, 8), bcol = rnd(0, 1);
	int asym = t % 2, za = asym ? rnd(-8000, 8000) : 0, zb = asym ? rnd(-8000, 8000) : 0;
	int zy = asym ? rnd(-8000, 8000) : 0;
	double sa = rndu(1e-4, 1e-3), sb = sa * rndu(0.2, 5.0), sy;

	memset(&q, 0, sizeof q);
	q.b.rank = 2, q.b.count = rows * cols;
	q.b.dims[0] = rows, q.b.dims[1] = cols;
	q.b.sa[0] = cols, q.b.sa[1] = 1;
	q.b.sb[0] = bcol ? 0 : 1, q.b.sb[1] = bcol ? 1 : 0; /* b: [1, c] or [r, 1] */
	q.b.sc[0] = cols, q.b.sc[1] = 1;
	q.a_offset = -za, q.b_offset = -zb, q.output_offset = zy;
	q.act_min = -32768, q.act_max = 32767;
	for (int i = 0; i < 64; i++) {
		a[i] = (int16_t)rnd(-32768 + (za > 0 ? za : 0), 32767 + (za < 0 ? za : 0));
		b[i] = (int16_t)rnd(-32768 + (zb > 0 ? zb : 0), 32767 + (zb < 0 ? zb : 0));
	}
	if (mul) {
		sy = sa * sb * rndu(16384, 65536);
		quantize_multiplier(sa * sb / sy, &q.out_mult, &q.out_shift);
		assert_int_equal(o2m_q16_mul_s16(&q, a, b, y), O2M_OK);
	} else {
		double twice_max = 2 * (sa > sb ? sa : sb);
		sy = (sa + sb) * rndu(0.6, 2.0);
		q.left_shift = asym ? 14 : 15;
		quantize_multiplier(sa / twice_max, &q.a_mult, &q.a_shift);
		quantize_multiplier(sb / twice_max, &q.b_mult, &q.b_shift);
		quantize_multiplier(twice_max / ((1 << q.left_shift) * sy), &q.out_mult, &q.out_shift);
		assert_int_equal(o2m_q16_add_s16(&q, a, b, y), O2M_OK);
	}
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			int i = r * cols + c, av = a[i], bv = b[bcol ? c : r];
			double ra = (av - za) * sa, rb = (bv - zb) * sb;
			int64_t want;
			if (mul) {
				int64_t prod = (int64_t)(av - za) * (bv - zb);
				want = prod >= INT32_MIN && prod <= INT32_MAX
					? ref_requant((int32_t)prod, q.out_mult, q.out_shift)
					: ref_requant64(prod, q.out_mult, q.out_shift);
			} else {
				int32_t xa = ref_requant((av - za) * (1 << q.left_shift), q.a_mult, q.a_shift);
				int32_t xb = ref_requant((bv - zb) * (1 << q.left_shift), q.b_mult, q.b_shift);
				want = ref_requant(xa + xb, q.out_mult, q.out_shift);
			}
			assert_int_equal(y[i], clamp16(want + zy, -32768, 32767));
			near_real(y[i], (mul ? ra * rb : ra + rb) / sy + zy, -32768, 32767,
				  mul ? "mul" : "add", i);
		}
}

static void add_mul_match_reference_and_real(void **state)
{
	(void)state;
	reseed(18);
	for (int t = 0; t < 400; t++) {
		binary_case(0, t);
		binary_case(1, t);
	}
}

/* ---- average pooling and the rescale ---- */

static void pools_are_the_mean(void **state)
{
	int16_t x[512], y[64];
	o2m_q8_pool_params q;
	o2m_pool_params *p = &q.pool;
	(void)state;
	reseed(19);
	for (int t = 0; t < 300; t++) {
		int same = t % 2, global = t % 3 == 0, zx = t % 4 < 2 ? 0 : rnd(-5000, 5000);
		double ratio = same ? 1.0 : rndu(0.3, 3.0);
		memset(&q, 0, sizeof q);
		p->planes = rnd(1, 3);
		p->in_d = p->out_d = p->k_d = p->stride_d = p->dil_d = 1;
		p->in_h = rnd(1, 6), p->in_w = rnd(1, 6);
		p->k_h = global ? p->in_h : rnd(1, p->in_h), p->k_w = global ? p->in_w : rnd(1, p->in_w);
		p->stride_h = p->stride_w = p->dil_h = p->dil_w = 1;
		p->out_h = p->in_h - p->k_h + 1, p->out_w = p->in_w - p->k_w + 1;
		q.input_offset = -zx, q.output_offset = same ? zx : 0;
		q.act_min = -32768, q.act_max = 32767;
		quantize_multiplier(ratio, &q.mult, &q.shift);
		for (int i = 0; i < p->planes * p->in_h * p->in_w; i++)
			x[i] = (int16_t)rnd(-32768 + (zx > 0 ? zx : 0), 32767 + (zx < 0 ? zx : 0)) /
			       (same ? 1 : 4);
		assert_int_equal(global ? o2m_q16_gavgpool_s16(&q, x, y) : o2m_q16_avgpool_s16(&q, x, y),
				 O2M_OK);
		for (int c = 0, n = 0; c < p->planes; c++)
			for (int oh = 0; oh < p->out_h; oh++)
				for (int ow = 0; ow < p->out_w; ow++, n++) {
					int64_t sum = 0, cnt = (int64_t)p->k_h * p->k_w;
					for (int i = 0; i < p->k_h; i++)
						for (int j = 0; j < p->k_w; j++)
							sum += x[(c * p->in_h + oh + i) * p->in_w + ow + j] - zx;
					if (same) /* TFLite's rounded mean, half away from zero */
						assert_int_equal(y[n], clamp16((sum > 0 ? sum + cnt / 2
										: sum - cnt / 2) / cnt + zx,
									       -32768, 32767));
					near_real(y[n], (double)sum / cnt * ratio + q.output_offset, -32768,
						  32767, "avgpool", n);
				}
	}
}

static void requant_is_within_a_step(void **state)
{
	int16_t x[256], y[256];
	o2m_q8_requant_params q;
	(void)state;
	reseed(20);
	for (int t = 0; t < 200; t++) {
		double m = rndu(0.05, 1.5);
		q.count = 256;
		q.input_offset = -rnd(-1000, 1000), q.output_offset = rnd(-1000, 1000);
		q.act_min = -32768, q.act_max = 32767;
		quantize_multiplier(m, &q.mult, &q.shift);
		for (int i = 0; i < 256; i++)
			x[i] = (int16_t)rnd(-20000, 20000);
		assert_int_equal(o2m_q16_requant_s16(&q, x, y), O2M_OK);
		for (int i = 0; i < 256; i++) {
			assert_int_equal(y[i], clamp16(ref_requant(x[i] + q.input_offset, q.mult, q.shift) +
							       (int64_t)q.output_offset, -32768, 32767));
			near_real(y[i], (x[i] + q.input_offset) * m + q.output_offset, -32768, 32767,
				  "requant", i);
		}
	}
}

/* int8 to int16 (a scale 100 to 128 times finer: any int8 value fits) and back */
static void widen_and_narrow(void **state)
{
	int8_t b[256], b2[256];
	int16_t w[256];
	o2m_q8_requant_params up, down;
	(void)state;
	reseed(21);
	for (int t = 0; t < 100; t++) {
		double s8 = rndu(0.001, 0.1), s16 = s8 / rndu(100, 128); /* 255 steps fit */
		int z8 = rnd(-128, 127);
		up.count = down.count = 256;
		up.input_offset = -z8, up.output_offset = 0;
		up.act_min = -32768, up.act_max = 32767;
		quantize_multiplier(s8 / s16, &up.mult, &up.shift);
		down.input_offset = 0, down.output_offset = z8;
		down.act_min = -128, down.act_max = 127;
		quantize_multiplier(s16 / s8, &down.mult, &down.shift);
		for (int i = 0; i < 256; i++)
			b[i] = (int8_t)(i - 128);
		assert_int_equal(o2m_q16_widen_s8(&up, b, w), O2M_OK);
		assert_int_equal(o2m_q16_narrow_s16(&down, w, b2), O2M_OK);
		for (int i = 0; i < 256; i++) {
			assert_int_equal(w[i], clamp16(ref_requant(b[i] - z8, up.mult, up.shift), -32768,
						       32767));
			near_real(w[i], (b[i] - z8) * s8 / s16, -32768, 32767, "widen", i);
			assert_int_equal(b2[i], b[i]); /* the round trip is exact */
		}
		down.act_max = 200; /* beyond int8 */
		assert_int_equal(o2m_q16_narrow_s16(&down, w, b2), O2M_ERR_ARG);
	}
}

/* the rescale on random and extreme sums, multipliers and shifts, ties included */
static void requant64_is_exact(void **state)
{
	(void)state;
	reseed(22);
	for (int t = 0; t < 200000; t++) {
		int32_t mult = t % 7 ? (int32_t)(rnd32() >> 1) : (int32_t)(1u << 30) + 64 * rnd(0, 3);
		int32_t shift = rnd(-31, 7);
		int64_t x = ((int64_t)rnd32() << 16 ^ rnd32()) >> rnd(0, 40);
		if (t % 5 == 0) /* an exact tie: x * mult = (2k + 1) 2^(30 - shift) */
			mult = 1 << 30, x = (2 * (int64_t)rnd(-1000000, 1000000) + 1) << (shift > 0 ? 0 : -shift);
		if (t % 11 == 0)
			x = t % 2 ? ((int64_t)1 << 47) : -((int64_t)1 << 47);
		if (o2m_q16_requant64(x, mult, shift) != ref_requant64(x, mult, shift))
			fail_msg("requant64(%lld, %d, %d) = %d, want %d", (long long)x, mult, shift,
				 o2m_q16_requant64(x, mult, shift), ref_requant64(x, mult, shift));
	}
}

/* the interpolated table: its formula, and tanh within half a step of rounding and the
   interpolation's error h^2/8 max|f''| (h = 1/64 here: 0.77 of a step; the compiler
   takes a table only where every input comes within one step) */
static void lut_interpolates(void **state)
{
	static int16_t x[65536], y[65536];
	int32_t tab[513];
	o2m_unary_params p;
	const double sx = 4.0 / 32768, sy = 1.0 / 32768;
	(void)state;
	for (int j = 0; j < 513; j++)
		tab[j] = (int32_t)nearbyint(tanh((-32768 + 128 * j) * sx) / sy * 256);
	for (int i = 0; i < 65536; i++)
		x[i] = (int16_t)(i - 32768);
	p.count = 65536;
	assert_int_equal(o2m_q16_lut_s16(&p, x, tab, y), O2M_OK);
	for (int i = 0; i < 65536; i++) {
		int u = x[i] + 32768, j = u >> 7, r = u & 127;
		int64_t want = ((int64_t)tab[j] * (128 - r) + (int64_t)tab[j + 1] * r + (1 << 14)) >> 15;
		assert_int_equal(y[i], clamp16(want, -32768, 32767));
		if (fabs(y[i] - tanh(x[i] * sx) / sy) > 0.5 + 0.77 + 1.0 / 256)
			fail_msg("lut: tanh(%d) = %d, real %.2f", x[i], y[i], tanh(x[i] * sx) / sy);
	}
	assert_int_equal(o2m_q16_lut_s16(&p, x, NULL, y), O2M_ERR_ARG);
}

/* Softmax against the real one, within 0.6 steps, on rows of random widths and ranges */
static void softmax_within_a_step(void **state)
{
	static int16_t x[4096], y[4096];
	int32_t tab[257];
	o2m_q16_softmax_params p;
	(void)state;
	reseed(23);
	for (int i = 0; i <= 256; i++)
		tab[i] = (int32_t)lround(ldexp(exp2(-i / 256.0), 30));
	for (int t = 0; t < 300; t++) {
		const double sx = rndu(1.0, 40.0) / 32768, sy = t % 3 ? 1.0 / 32768 : 1.0 / 20000;
		p.outer = rnd(1, 3), p.n = rnd(1, 40), p.inner = rnd(1, 3);
		p.exp_k = (int32_t)lround(ldexp(sx / log(2.0), 30));
		p.inv_scale_q8 = (int32_t)lround(ldexp(1.0 / sy, 8));
		p.output_offset = t % 2 ? 0 : -16384;
		p.act_min = -32768, p.act_max = 32767;
		for (int i = 0; i < p.outer * p.n * p.inner; i++)
			x[i] = (int16_t)rnd(-32768, 32767);
		assert_int_equal(o2m_q16_softmax_s16(&p, x, tab, y), O2M_OK);
		for (int o = 0; o < p.outer; o++)
			for (int j = 0; j < p.inner; j++) {
				const int base = o * p.n * p.inner + j;
				double mx = -1e300, sum = 0;
				for (int i = 0; i < p.n; i++)
					mx = fmax(mx, x[base + i * p.inner] * sx);
				for (int i = 0; i < p.n; i++)
					sum += exp(x[base + i * p.inner] * sx - mx);
				for (int i = 0; i < p.n; i++) {
					const int at = base + i * p.inner;
					double real = exp(x[at] * sx - mx) / sum / sy + p.output_offset;
					if (y[at] < 32767 && fabs(y[at] - real) > 0.6)
						fail_msg("softmax: y[%d] = %d, real %.3f", at, y[at], real);
				}
			}
	}
	tab[0] = 0;
	assert_int_equal(o2m_q16_softmax_s16(&p, x, tab, y), O2M_ERR_ARG);
}

/* MatMul of two int16 activations, batched with a broadcast operand */
static void matmul_within_half_a_step(void **state)
{
	int16_t a[2 * 5 * 9], b[9 * 7], y[2 * 5 * 7];
	o2m_q8_matmul_params q;
	(void)state;
	reseed(24);
	for (int t = 0; t < 200; t++) {
		const double sa = rndu(1e-4, 1e-3), sb = rndu(1e-4, 1e-3);
		const int za = t % 2 ? rnd(-3000, 3000) : 0, zb = t % 2 ? rnd(-3000, 3000) : 0;
		const int zy = t % 2 ? rnd(-3000, 3000) : 0;
		const int m = rnd(1, 5), n = rnd(1, 7), k = rnd(1, 9);
		double sy;
		memset(&q, 0, sizeof q);
		q.mm.m = m, q.mm.n = n, q.mm.k = k, q.mm.batch_rank = 1, q.mm.batch[0] = 2;
		q.mm.a_stride[0] = m * k, q.mm.b_stride[0] = 0; /* b broadcasts */
		q.a_offset = -za, q.b_offset = -zb, q.output_offset = zy;
		q.act_min = -32768, q.act_max = 32767;
		for (int i = 0; i < 2 * m * k; i++)
			a[i] = (int16_t)rnd(-30000, 30000);
		for (int i = 0; i < k * n; i++)
			b[i] = (int16_t)rnd(-30000, 30000);
		sy = sa * sb * 30000.0 * 30000.0 * k / 32767 / 3;
		quantize_multiplier(sa * sb / sy, &q.mult, &q.shift);
		assert_int_equal(o2m_q16_matmul_s16(&q, a, b, y), O2M_OK);
		for (int bt = 0; bt < 2; bt++)
			for (int i = 0; i < m; i++)
				for (int j = 0; j < n; j++) {
					int64_t acc = 0;
					for (int l = 0; l < k; l++)
						acc += (int64_t)(a[bt * m * k + i * k + l] - za) *
						       (b[l * n + j] - zb);
					assert_int_equal(y[(bt * m + i) * n + j],
							 clamp16(ref_requant64(acc, q.mult, q.shift) +
								 (int64_t)zy, -32768, 32767));
					near_real25(y[(bt * m + i) * n + j], acc * sa * sb / sy + zy, zy,
						    -32768, 32767, "matmul", i);
				}
	}
}

/* bilinear resize with equal scales: the correctly rounded interpolation */
static void resize_rounds_once(void **state)
{
	int16_t x[2 * 3 * 4], y[2 * 6 * 8];
	int32_t ih[12], iw[16];
	int16_t wh[12], ww[16];
	o2m_q8_resize_params p;
	(void)state;
	reseed(25);
	memset(&p, 0, sizeof p);
	p.planes = 2, p.in_h = 3, p.in_w = 4, p.out_h = 6, p.out_w = 8;
	p.input_offset = -1000, p.output_offset = 1000;
	p.act_min = -32768, p.act_max = 32767;
	quantize_multiplier(1.0, &p.mult, &p.shift);
	for (int j = 0; j < 6; j++) { /* half-pixel: source (j + 0.5) / 2 - 0.5 */
		double sj = fmax(0, (j + 0.5) / 2 - 0.5);
		int i0 = (int)sj, i1 = i0 + 1 < 3 ? i0 + 1 : 2;
		long w1 = lround((sj - i0) * 32768);
		ih[2 * j] = i0, ih[2 * j + 1] = w1 ? i1 : i0; /* one source: half on each, */
		wh[2 * j + 1] = (int16_t)(w1 ? w1 : 16384);  /* as the compiler writes it */
		wh[2 * j] = (int16_t)(w1 ? 32768 - w1 : 16384);
	}
	for (int k = 0; k < 8; k++) {
		double sk = fmax(0, (k + 0.5) / 2 - 0.5);
		int i0 = (int)sk, i1 = i0 + 1 < 4 ? i0 + 1 : 3;
		long w1 = lround((sk - i0) * 32768);
		iw[2 * k] = i0, iw[2 * k + 1] = w1 ? i1 : i0;
		ww[2 * k + 1] = (int16_t)(w1 ? w1 : 16384);
		ww[2 * k] = (int16_t)(w1 ? 32768 - w1 : 16384);
	}
	for (int t = 0; t < 50; t++) {
		for (int i = 0; i < 24; i++)
			x[i] = (int16_t)rnd(-31000, 31000);
		assert_int_equal(o2m_q16_resize_s16(&p, x, ih, wh, iw, ww, y), O2M_OK);
		for (int c = 0; c < 2; c++)
			for (int j = 0; j < 6; j++)
				for (int k = 0; k < 8; k++) {
					const int16_t *xp = x + c * 12;
					double v = 0;
					for (int a = 0; a < 2; a++)
						for (int b = 0; b < 2; b++)
							v += wh[2 * j + a] / 32768.0 * ww[2 * k + b] / 32768.0 *
							     (xp[ih[2 * j + a] * 4 + iw[2 * k + b]] - 1000);
					assert_true(fabs(y[(c * 6 + j) * 8 + k] - (v + 1000)) <= 0.5 + 1e-9);
				}
	}
}

/* LayerNormalization of int16 rows against the real one, within a step */
static void layer_norm_within_a_step(void **state)
{
	int16_t x[3 * 64], y[3 * 64], gq[64];
	int32_t bq[64];
	o2m_q8_norm_params p;
	(void)state;
	reseed(26);
	for (int t = 0; t < 200; t++) {
		const double sx = rndu(1e-4, 1e-3), sy = 6.0 / 32767, eps = 1e-5;
		const int zx = t % 2 ? rnd(-5000, 5000) : 0, shift = 10;
		memset(&p, 0, sizeof p);
		p.outer = rnd(1, 3), p.n = rnd(2, 64);
		p.input_offset = -zx, p.output_offset = t % 2 ? rnd(-100, 100) : 0;
		p.act_min = -32768, p.act_max = 32767;
		p.eps_q16 = (int32_t)lrint(ldexp(eps / (sx * sx), 16));
		p.gamma_shift = shift;
		for (int i = 0; i < p.n; i++) {
			double gr = rndu(0.5, 1.5), br = rndu(-0.5, 0.5);
			gq[i] = (int16_t)lrint(ldexp(gr / sy, shift) / 1024); /* gamma / sy in Q(shift - 10) */
			bq[i] = (int32_t)lrint(ldexp(br / sy, 16));
		}
		p.gamma_shift = shift - 10;
		for (int i = 0; i < p.outer * p.n; i++)
			x[i] = (int16_t)rnd(-20000, 20000);
		assert_int_equal(o2m_q16_layer_norm_s16(&p, x, gq, bq, y), O2M_OK);
		for (int o = 0; o < p.outer; o++) {
			double mean = 0, var = 0;
			for (int i = 0; i < p.n; i++)
				mean += (x[o * p.n + i] - zx) * sx / p.n;
			for (int i = 0; i < p.n; i++) {
				double d = (x[o * p.n + i] - zx) * sx - mean;
				var += d * d / p.n;
			}
			for (int i = 0; i < p.n; i++) {
				double g = ldexp(gq[i], -p.gamma_shift), b = ldexp(bq[i], -16);
				double real = ((x[o * p.n + i] - zx) * sx - mean) / sqrt(var + eps) * g + b +
					      p.output_offset;
				if (fabs(y[o * p.n + i] - real) > 1)
					fail_msg("layer_norm: y[%d] = %d, real %.3f", i, y[o * p.n + i], real);
			}
		}
	}
}

static void kernels_reject_bad_arguments(void **state)
{
	o2m_q8_fc_params f = {1, 1, 1, 0, 0, -32768, 32767};
	o2m_q8_requant_params r = {1, 0, 0, 1 << 30, 1, -32768, 32767};
	int16_t x[1] = {0}, y[1];
	int8_t w[1] = {1};
	int32_t rq[1];
	int32_t mult, shift;
	(void)state;
	rq[0] = word16(0.5, &mult, &shift);
	assert_int_equal(o2m_q16_fc_s16(&f, x, w, NULL, rq, y), O2M_OK);
	f.input_offset = 40000; /* beyond an int16 zero point */
	assert_int_equal(o2m_q16_fc_s16(&f, x, w, NULL, rq, y), O2M_ERR_ARG);
	f.input_offset = 0, f.act_min = 1, f.act_max = 0;
	assert_int_equal(o2m_q16_fc_s16(&f, x, w, NULL, rq, y), O2M_ERR_ARG);
	f.act_min = -32768, f.act_max = 40000;
	assert_int_equal(o2m_q16_fc_s16(&f, x, w, NULL, rq, y), O2M_ERR_ARG);
	f.act_max = 32767;
	rq[0] = (1 << 30) | (8 + 32); /* shift 8: beyond TFLite's int64 rescale */
	assert_int_equal(o2m_q16_fc_s16(&f, x, w, NULL, rq, y), O2M_ERR_ARG);
	assert_int_equal(o2m_q16_fc_s16(&f, NULL, w, NULL, rq, y), O2M_ERR_ARG);
	assert_int_equal(o2m_q16_requant_s16(&r, x, y), O2M_OK);
	r.output_offset = -40000;
	assert_int_equal(o2m_q16_requant_s16(&r, x, y), O2M_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conv_matches_reference_and_real),
		cmocka_unit_test(fc_matches_reference_and_real),
		cmocka_unit_test(add_mul_match_reference_and_real),
		cmocka_unit_test(pools_are_the_mean),
		cmocka_unit_test(requant_is_within_a_step),
		cmocka_unit_test(widen_and_narrow),
		cmocka_unit_test(requant64_is_exact),
		cmocka_unit_test(lut_interpolates),
		cmocka_unit_test(softmax_within_a_step),
		cmocka_unit_test(matmul_within_half_a_step),
		cmocka_unit_test(resize_rounds_once),
		cmocka_unit_test(layer_norm_within_a_step),
		cmocka_unit_test(kernels_reject_bad_arguments),
	};
	(void)ref_out; /* q8ref.h's int8 clamp: the int16 one is clamp16 */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
