/* test_q8.c - the int8 kernels of o2m_q8.h against references written here, never the
   kernels' own code: TFLite's requantization in exact 64-bit steps, convolutions and
   the elementwise ops by naive loops over every index, pooling from explicit tap
   counts. Each also stays within one output step of the real-valued result (double
   arithmetic on the dequantized inputs) wherever nothing clamps; the tolerance is
   1 + 1e-5 steps: requantization rounds twice, each by at most half a step of its
   own unit, and the multiplier is off by at most 2^-31 relative (2^-25 for the packed
   per-channel words, a multiple of 64: under 5e-6 steps on outputs of 150 steps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "../../runtime-stub/o2m_kernels.h"

#define TOL (1.0 + 1e-5)

#include "q8ref.h"

/* the same with mult rounded to a multiple of 64 (the packed per-channel words), from m
   directly; the word (mult | (shift + 32)) into *word */
static void quantize_packed(double m, int32_t *mult, int32_t *shift, int32_t *word)
{
	int e;
	int64_t q;

	*mult = 0;
	*shift = 0;
	if (m > 0) {
		q = (int64_t)round(frexp(m, &e) * 33554432.0) * 64; /* m = q * 2^(e - 31) */
		if (q == (int64_t)1 << 31) {
			q /= 2;
			e++;
		}
		if (e >= -31) {
			*mult = (int32_t)(e > 30 ? INT32_MAX - 63 : q);
			*shift = e > 30 ? 30 : e;
		}
	}
	*word = (int32_t)((uint32_t)*mult + (uint32_t)(*shift + 32));
}

static double real_scale(int32_t mult, int32_t shift)
{
	return ldexp((double)mult, shift - 31);
}

static int in_range(double v, double want)
{
	return fabs(v - want) <= TOL;
}

/* ---- requantization ---- */

static void quantize_multiplier_is_tflites(void **state)
{
	int32_t m, s;

	(void)state;
	quantize_multiplier(1.0, &m, &s);
	assert_true(m == 1 << 30 && s == 1);
	quantize_multiplier(0.5, &m, &s);
	assert_true(m == 1 << 30 && s == 0);
	quantize_multiplier(1.0 - ldexp(1, -40), &m, &s); /* rounds up to 2^31: halved */
	assert_true(m == 1 << 30 && s == 1);
	quantize_multiplier(0.0, &m, &s);
	assert_true(m == 0 && s == 0);
	quantize_multiplier(ldexp(1, -40), &m, &s);
	assert_true(m == 0 && s == 0);
	reseed(1);
	for (int i = 0; i < 1000; i++) {
		double r = ldexp(rndu(0.5, 1.0), rnd(-30, 30));
		quantize_multiplier(r, &m, &s);
		assert_true(m >= 1 << 30);
		assert_true(fabs(real_scale(m, s) - r) <= r * ldexp(1, -31));
	}
}

/* the ties show the two roundings: the high product rounds half up, the shift half
   away from zero */
static void requant_rounds_as_tflite(void **state)
{
	(void)state;
	assert_int_equal(o2m_q8_requant(3, 1 << 30, 0), 2);    /* 1.5 */
	assert_int_equal(o2m_q8_requant(-3, 1 << 30, 0), -1);  /* -1.5, high product */
	assert_int_equal(o2m_q8_requant(3, 1 << 30, -1), 1);   /* 0.75 */
	assert_int_equal(o2m_q8_requant(-6, 1 << 30, -1), -2); /* -1.5, shift */
	assert_int_equal(o2m_q8_requant(-5, 1 << 30, -1), -1); /* -1.25 */
	assert_int_equal(o2m_q8_requant(1 << 29, 1 << 30, 1), 1 << 29); /* m = 1 */
	/* the left shift saturates before the multiply: x * 2 is out of range */
	assert_int_equal(o2m_q8_requant(INT32_MAX, 1 << 30, 1), 1 << 30);
	assert_int_equal(o2m_q8_requant(INT32_MIN, 1 << 30, 1), -(1 << 30));
	assert_int_equal(o2m_q8_requant(INT32_MIN, INT32_MAX, -31), -1);
}

/* the packed word's helpers: every shift and random multiples of 64 round trip */
static void packed_word_round_trips(void **state)
{
	int32_t m, s, word;

	(void)state;
	reseed(9);
	for (int shift = -32; shift <= 31; shift++)
		for (int i = 0; i < 200; i++) {
			int32_t mult = i == 0 ? 0 : i == 1 ? INT32_MAX - 63 : i == 2 ? 1 << 30 :
				       (int32_t)((0x40000000u + (rnd32() & 0x3fffffffu)) & ~63u);
			int32_t w = (int32_t)((uint32_t)mult | (uint32_t)(shift + 32));
			assert_int_equal(o2m_q8_rq_pack(mult, shift), w);
			assert_int_equal(o2m_q8_rq_mult(w), mult);
			assert_int_equal(o2m_q8_rq_shift(w), shift);
		}
	quantize_packed(1.0, &m, &s, &word);
	assert_true(m == 1 << 30 && s == 1 && word == ((1 << 30) | 33));
	quantize_packed(1.0 - ldexp(1, -27), &m, &s, &word); /* rounds up to 2^31: halved */
	assert_true(m == 1 << 30 && s == 1);
	quantize_packed(0.0, &m, &s, &word);
	assert_true(m == 0 && s == 0 && word == 32);
	for (int i = 0; i < 1000; i++) {
		double r = ldexp(rndu(0.5, 1.0), rnd(-30, 30));
		quantize_packed(r, &m, &s, &word);
		assert_true(m >= 1 << 30 && m % 64 == 0);
		assert_true(fabs(real_scale(m, s) - r) <= r * ldexp(1, -25));
	}
}

static int32_t random_x(void)
{
	switch (rnd(0, 5)) {
	case 0:
		return (int32_t)rnd32();
	case 1:
		return rnd(-300, 300);
	case 2:
		return INT32_MAX - rnd(0, 1000);
	case 3:
		return INT32_MIN + rnd(0, 1000);
	case 4:
		return (int32_t)(rnd32() >> rnd(0, 31)) * (rnd(0, 1) ? 1 : -1);
	default:
		return rnd(-70000, 70000) * 64; /* multiples of powers of two: ties */
	}
}

static void requant_matches_reference_and_real(void **state)
{
	int64_t exact = 0;

	(void)state;
	reseed(2);
	for (int i = 0; i < 100000; i++) {
		int32_t x = random_x(), shift = rnd(-31, 30), mult, got;
		int left = shift > 0 ? shift : 0;
		switch (rnd(0, 3)) {
		case 0:
			mult = 1 << 30;
			break;
		case 1:
			mult = INT32_MAX;
			break;
		default:
			mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
		}
		got = o2m_q8_requant(x, mult, shift);
		if (got != ref_requant(x, mult, shift))
			fail_msg("requant(%d, %d, %d) = %d, want %d", x, mult, shift, got,
				 ref_requant(x, mult, shift));
		/* x * 2^left inside int32: no saturation, then within one of x * m */
		if ((int64_t)x * ((int64_t)1 << left) >= INT32_MIN &&
		    (int64_t)x * ((int64_t)1 << left) <= INT32_MAX) {
			double want = (double)x * real_scale(mult, shift);
			if (!in_range(got, want))
				fail_msg("requant(%d, %d, %d) = %d, real %.3f", x, mult, shift, got,
					 want);
			exact++;
		}
	}
	assert_true(exact > 50000);
}

static void requant_kernel(void **state)
{
	int8_t x[256], y[256];
	o2m_q8_requant_params p;

	(void)state;
	reseed(3);
	for (int i = 0; i < 256; i++)
		x[i] = (int8_t)(i - 128);
	for (int t = 0; t < 50; t++) {
		int32_t lo = rnd(-128, 0), hi = rnd(0, 127);
		p.count = 256;
		p.input_offset = rnd(-127, 128);
		p.output_offset = rnd(-128, 127);
		p.act_min = lo;
		p.act_max = hi;
		quantize_multiplier(rndu(0.01, 3.0), &p.mult, &p.shift);
		assert_int_equal(o2m_q8_requant_s8(&p, x, y), O2M_OK);
		for (int i = 0; i < 256; i++)
			assert_int_equal(y[i], ref_out((int64_t)p.output_offset +
							       ref_requant(x[i] + p.input_offset,
									   p.mult, p.shift),
						       lo, hi));
	}
	p.act_min = 5;
	p.act_max = 4;
	assert_int_equal(o2m_q8_requant_s8(&p, x, y), O2M_ERR_ARG);
	p.act_min = -128;
	p.act_max = 127;
	assert_int_equal(o2m_q8_requant_s8(&p, NULL, y), O2M_ERR_ARG);
	p.shift = 31;
	assert_int_equal(o2m_q8_requant_s8(&p, x, y), O2M_ERR_ARG);
}

static void lut_indexes_by_x_plus_128(void **state)
{
	int8_t x[256], table[256], y[256];
	o2m_unary_params p = {256, 0, 0, 0};

	(void)state;
	for (int i = 0; i < 256; i++) {
		x[i] = (int8_t)(127 - i);
		table[i] = (int8_t)((i * 37) % 256 - 128);
	}
	assert_int_equal(o2m_q8_lut_s8(&p, x, table, y), O2M_OK);
	for (int i = 0; i < 256; i++)
		assert_int_equal(y[i], table[255 - i]);
	assert_int_equal(o2m_q8_lut_s8(&p, x, NULL, y), O2M_ERR_ARG);
}

/* ---- convolution ---- */

#define XMAX 4096
#define WMAX 4096
#define CMAX 16

static int8_t cx[XMAX], cw[WMAX], cy[XMAX], cy2[XMAX], cref[XMAX];
static double cideal[XMAX];
static int32_t cbias[CMAX], cmult[CMAX], cshift[CMAX], crq[CMAX]; /* crq: packed */

/* the kernels' scratch: the bytes o2m_q8_conv_scratch_bytes gives, then a canary that
   check_conv finds untouched */
#define SCRMAX 8192
static int32_t cscr32[SCRMAX / 4 + 32]; /* 4-byte aligned */
#define cscr ((int16_t *)(void *)cscr32)
static int64_t cscr_used;

static int16_t *scr_bytes(int64_t bytes)
{
	cscr_used = bytes;
	assert_true(cscr_used > 0 && cscr_used <= SCRMAX && cscr_used % 2 == 0);
	memset(cscr32, 0x5a, sizeof cscr32);
	return cscr;
}

static int16_t *scr(const o2m_q8_conv_params *q, int dw, int k1x1)
{
	return scr_bytes(o2m_q8_conv_scratch_bytes(q, dw, k1x1));
}

/* the weights packed as int16 (o2m_q8_pack_*_w16), 4-byte aligned */
static int32_t cw16_32[2 * WMAX];
#define cw16 ((int16_t *)(void *)cw16_32)

static void scratch_kept(void)
{
	for (size_t i = (size_t)cscr_used / 2; i < sizeof cscr32 / 2; i++)
		if (cscr[i] != 0x5a5a)
			fail_msg("scratch written at %zu, beyond its %lld bytes", i * 2,
				 (long long)cscr_used);
}

/* the quantization of one case: zero points and scales */
typedef struct {
	int32_t zx, zy;
	double xs, ys, ws[CMAX];
} qcase;

/* position along one axis of tap t of output o, or -1 in the padding */
static int tap_at(int o, int stride, int pad, int t, int dil, int in)
{
	int p = o * stride - pad + t * dil;
	return p >= 0 && p < in ? p : -1;
}

/* the naive convolution: every tap of every output, padding skipped explicitly; the
   exact int64 sum through ref_requant into cref, the real result (in output steps,
   zero point added) from the dequantized values into cideal */
static void ref_conv(const o2m_q8_conv_params *q, const qcase *c)
{
	const o2m_conv_params *p = &q->conv;
	int cin = p->c_in / p->group, cout = p->c_out / p->group, at = 0;

	for (int n = 0; n < p->n; n++)
	for (int oc = 0; oc < p->c_out; oc++)
	for (int od = 0; od < p->out_d; od++)
	for (int oh = 0; oh < p->out_h; oh++)
	for (int ow = 0; ow < p->out_w; ow++, at++) {
		int64_t acc = cbias[oc];
		double real = cbias[oc] * c->xs * c->ws[oc];
		for (int ic = 0; ic < cin; ic++)
		for (int kd = 0; kd < p->k_d; kd++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int d = tap_at(od, p->stride_d, p->pad_d, kd, p->dil_d, p->in_d);
			int h = tap_at(oh, p->stride_h, p->pad_h, kh, p->dil_h, p->in_h);
			int w = tap_at(ow, p->stride_w, p->pad_w, kw, p->dil_w, p->in_w);
			int ch = oc / cout * cin + ic, xv, wv;
			if (d < 0 || h < 0 || w < 0)
				continue;
			xv = cx[(((n * p->c_in + ch) * p->in_d + d) * p->in_h + h) * p->in_w + w];
			wv = cw[(((oc * cin + ic) * p->k_d + kd) * p->k_h + kh) * p->k_w + kw];
			acc += (int64_t)(xv + q->input_offset) * wv;
			real += (xv - c->zx) * c->xs * (wv * c->ws[oc]);
		}
		assert_true(acc >= INT32_MIN && acc <= INT32_MAX);
		cref[at] = ref_out(q->output_offset + (int64_t)ref_requant((int32_t)acc, cmult[oc],
									  cshift[oc]),
				   q->act_min, q->act_max);
		cideal[at] = real / c->ys + c->zy;
	}
}

/* one axis: sizes with at least one output; trailing pad pe only shapes the output */
static void random_axis(int32_t *in, int32_t *k, int32_t *s, int32_t *d, int32_t *pad,
			int32_t *out, int maxin)
{
	for (;;) {
		int pe = rnd(0, 2), span;
		*in = rnd(1, maxin);
		*k = rnd(1, 3);
		*s = rnd(1, 2);
		*d = rnd(1, 2);
		*pad = rnd(0, 2);
		span = *in + *pad + pe - *d * (*k - 1) - 1;
		if (span >= 0) {
			*out = span / *s + 1;
			return;
		}
	}
}

static void unit_axis(int32_t *in, int32_t *k, int32_t *s, int32_t *d, int32_t *pad,
		      int32_t *out)
{
	*in = *k = *s = *d = *out = 1;
	*pad = 0;
}

enum { GEN_CONV, GEN_DW, GEN_1X1, GEN_DW_WIDE };

/* a random geometry of `rank` spatial dims (1-3) and kind, its data and quantization */
static int random_conv(o2m_q8_conv_params *q, qcase *c, int rank, int kind)
{
	o2m_conv_params *p = &q->conv;
	int cin, ntaps, nx, nw;

	memset(q, 0, sizeof *q);
	p->n = rnd(1, 2);
	p->group = kind == GEN_CONV ? rnd(1, 2) : 1;
	cin = rnd(1, 3);
	p->c_in = cin * p->group;
	p->c_out = rnd(1, 3) * p->group;
	if (kind == GEN_DW || kind == GEN_DW_WIDE) {
		p->c_in = kind == GEN_DW ? rnd(1, 4) : 1;
		p->n = kind == GEN_DW ? p->n : 1;
		p->group = p->c_in;
		p->c_out = p->c_in * rnd(1, 2); /* depth multiplier 1 or 2 */
		cin = 1;
	}
	if (rank >= 3)
		random_axis(&p->in_d, &p->k_d, &p->stride_d, &p->dil_d, &p->pad_d, &p->out_d, 4);
	else
		unit_axis(&p->in_d, &p->k_d, &p->stride_d, &p->dil_d, &p->pad_d, &p->out_d);
	if (rank >= 2)
		random_axis(&p->in_h, &p->k_h, &p->stride_h, &p->dil_h, &p->pad_h, &p->out_h,
			    kind == GEN_DW_WIDE ? 45 : 6);
	else
		unit_axis(&p->in_h, &p->k_h, &p->stride_h, &p->dil_h, &p->pad_h, &p->out_h);
	random_axis(&p->in_w, &p->k_w, &p->stride_w, &p->dil_w, &p->pad_w, &p->out_w,
		    kind == GEN_DW_WIDE ? 45 : rank == 1 ? 12 : 6);
	if (kind == GEN_1X1) {
		unit_axis(&p->in_d, &p->k_d, &p->stride_d, &p->dil_d, &p->pad_d, &p->out_d);
		p->in_d = p->out_d = rnd(1, 2);
		p->k_h = p->k_w = p->stride_h = p->stride_w = p->dil_h = p->dil_w = 1;
		p->pad_h = p->pad_w = 0;
		p->out_h = p->in_h;
		p->out_w = p->in_w;
	}
	nx = p->n * p->c_in * p->in_d * p->in_h * p->in_w;
	nw = p->c_out * cin * p->k_d * p->k_h * p->k_w;
	assert_true(nx <= XMAX && nw <= WMAX && p->c_out <= CMAX);
	assert_true(p->n * p->c_out * p->out_d * p->out_h * p->out_w <= XMAX);
	ntaps = cin * p->k_d * p->k_h * p->k_w;

	c->zx = rnd(-128, 127);
	c->zy = rnd(-20, 20);
	c->xs = rndu(0.01, 0.1);
	c->ys = rndu(0.01, 0.1);
	q->input_offset = -c->zx;
	q->output_offset = c->zy;
	q->act_min = rnd(0, 3) ? -128 : c->zy; /* sometimes a Relu */
	q->act_max = 127;
	for (int i = 0; i < nx; i++)
		cx[i] = (int8_t)rnd(-128, 127);
	for (int i = 0; i < nw; i++)
		cw[i] = (int8_t)rnd(-127, 127);
	for (int oc = 0; oc < p->c_out; oc++) {
		/* outputs of a few tens of steps: mostly unclamped */
		double m = rndu(0.5, 1.5) / (sqrt((double)ntaps) * 150.0);
		if (oc == 1 && kind == GEN_CONV)
			m *= ldexp(1, rnd(0, 12)); /* sometimes >= 1: a left shift */
		c->ws[oc] = m * c->ys / c->xs;
		quantize_packed(m, &cmult[oc], &cshift[oc], &crq[oc]);
		cbias[oc] = rnd(-3000, 3000) * (int)sqrt((double)ntaps);
	}
	return p->n * p->c_out * p->out_d * p->out_h * p->out_w;
}

/* compares cy with the reference bit for bit and with the real result; returns the
   outputs checked against the real result */
static int check_conv(const o2m_q8_conv_params *q, int ny, const char *what)
{
	int real = 0;

	scratch_kept();
	for (int i = 0; i < ny; i++) {
		if (cy[i] != cref[i])
			fail_msg("%s: y[%d] = %d, want %d", what, i, cy[i], cref[i]);
		if (cy[i] > q->act_min && cy[i] < q->act_max) {
			if (!in_range(cy[i], cideal[i]))
				fail_msg("%s: y[%d] = %d, real %.3f", what, i, cy[i], cideal[i]);
			real++;
		}
	}
	return real;
}

static void conv_matches_naive_reference(void **state)
{
	o2m_q8_conv_params q;
	qcase c;
	int outputs = 0, real = 0;

	(void)state;
	reseed(4);
	for (int t = 0; t < 300; t++) {
		int rank = 1 + t % 3, ny = random_conv(&q, &c, rank, GEN_CONV);
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy),
				 O2M_OK);
		real += check_conv(&q, ny, "conv");
		outputs += ny;
	}
	assert_true(real > outputs / 2);
}

static void conv_variants_match_conv(void **state)
{
	o2m_q8_conv_params q;
	qcase c;

	(void)state;
	reseed(5);
	for (int t = 0; t < 300; t++) {
		int rank = 1 + t % 3, kind = t % 2 ? GEN_DW : GEN_1X1;
		int ny = random_conv(&q, &c, rank, kind), rc;
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy2),
				 O2M_OK);
		if (kind == GEN_DW)
			rc = o2m_q8_conv_dw_s8(&q, cx, cw, cbias, crq, scr(&q, 1, 0), cy);
		else
			rc = o2m_q8_conv_1x1_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 1), cy);
		assert_int_equal(rc, O2M_OK);
		assert_memory_equal(cy, cy2, (size_t)ny);
		check_conv(&q, ny, kind == GEN_DW ? "conv_dw" : "conv_1x1");
	}
}

/* the general and 1x1 convolutions on weights packed as int16, odd channel counts and
   taps not a multiple of 8 among them */
static void conv_w16_matches_naive_reference(void **state)
{
	static int32_t rawbias[CMAX];
	o2m_q8_conv_params q;
	qcase c;
	int raw = 0;

	(void)state;
	reseed(9);
	for (int t = 0; t < 300; t++) {
		int rank = 1 + t % 3, k1 = t % 4 == 3, ny = random_conv(&q, &c, rank,
								     k1 ? GEN_1X1 : GEN_CONV);
		const o2m_conv_params *p = &q.conv;
		int64_t k = (int64_t)p->c_in / p->group * p->k_d * p->k_h * p->k_w;
		assert_true(o2m_q8_w16_conv_count(p->group, p->c_out / p->group, k) <= 4 * WMAX);
		o2m_q8_pack_conv_w16(cw, p->group, p->c_out / p->group, p->c_in / p->group,
				     p->k_d * p->k_h * p->k_w, cw16);
		if (t % 5 == 0) /* no bias: the reference's are zeros */
			memset(cbias, 0, sizeof cbias);
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_w16_s8(&q, cx, cw16, t % 5 ? cbias : NULL, crq,
						    scr_bytes(o2m_q8_conv_w16_scratch_bytes(&q, k1)),
						    cy), O2M_OK);
		check_conv(&q, ny, k1 ? "conv_w16 1x1" : "conv_w16");
		if ((p->c_in / p->group) % 2) { /* raw columns take pairs of channels */
			q.raw = 1;
			assert_int_equal(o2m_q8_conv_w16_s8(&q, cx, cw16, cbias, crq,
							    scr_bytes(o2m_q8_conv_w16_scratch_bytes(&q, k1)),
							    cy), O2M_ERR_ARG);
			continue;
		}
		/* and on raw columns: the offset folded into the bias, the padding at the
		   zero point */
		assert_true(o2m_q8_mve_bias(cw, cbias, p->c_out, k, q.input_offset, rawbias));
		q.raw = 1;
		memset(cy, 0x55, sizeof cy);
		assert_int_equal(o2m_q8_conv_w16_s8(&q, cx, cw16, rawbias, crq,
						    scr_bytes(o2m_q8_conv_w16_scratch_bytes(&q, k1)),
						    cy), O2M_OK);
		check_conv(&q, ny, k1 ? "conv_w16 1x1 raw" : "conv_w16 raw");
		raw++;
	}
	assert_true(raw > 50);
	q.raw = 1; /* the other kernels refuse raw columns */
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
}

/* the Helium layout (portable C here), its bias folded by o2m_q8_mve_bias; conv and
   fully connected against the naive reference */
static void conv_mve_matches_naive_reference(void **state)
{
	static int32_t mb[CMAX];
	o2m_q8_conv_params q;
	qcase c;
	int ran = 0;

	(void)state;
	reseed(10);
	for (int t = 0; t < 300; t++) {
		int rank = 1 + t % 3, ny = random_conv(&q, &c, rank, t % 4 == 3 ? GEN_1X1 : GEN_CONV);
		const o2m_conv_params *p = &q.conv;
		int64_t k = (int64_t)p->c_in / p->group * p->k_d * p->k_h * p->k_w;
		if (q.input_offset == -128) /* not the negated zero point of int8 data */
			continue;
		assert_true(o2m_q8_mve_count(p->group, p->c_out / p->group, k) <= 8 * WMAX);
		assert_int_equal(o2m_q8_mve_bias(cw, t % 5 ? cbias : NULL, p->c_out, k,
						 q.input_offset, mb), 1);
		o2m_q8_pack_mve(cw, p->group, p->c_out / p->group, k, (int8_t *)cw16_32);
		if (t % 5 == 0)
			memset(cbias, 0, sizeof cbias);
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_mve_s8(&q, cx, (int8_t *)cw16_32, mb, crq,
						    (int8_t *)scr_bytes(o2m_q8_conv_mve_scratch_bytes(&q)),
						    cy), O2M_OK);
		check_conv(&q, ny, "conv_mve");
		ran++;
	}
	assert_true(ran > 250);
}

/* The in-place contracts the lowering relies on (ir/op_conv.c lw_conv_inplace): the
   pointwise kernels of one group and one image (portable, int16 weights, Helium layout)
   and the depthwise one of one filter per channel whose output is no larger along any
   axis write over their input and give the bits of the call with separate buffers. */
static void conv_in_place_is_out_of_place(void **state)
{
	static int8_t z[XMAX];
	static int32_t mb[CMAX];
	o2m_q8_conv_params q;
	qcase c;
	int ran = 0;

	(void)state;
	reseed(11);
	for (int t = 0; t < 600; t++) {
		const int kind = t % 2 ? GEN_DW : GEN_1X1, rank = 1 + t / 2 % 3;
		const int ny = random_conv(&q, &c, rank, kind);
		const o2m_conv_params *p = &q.conv;
		const int nx = p->n * p->c_in * p->in_d * p->in_h * p->in_w;
		const int64_t k = (int64_t)p->c_in / p->group * p->k_d * p->k_h * p->k_w;
		if (p->n != 1 || (kind == GEN_DW && (p->c_out != p->c_in || p->out_d > p->in_d ||
						      p->out_h > p->in_h || p->out_w > p->in_w ||
						      p->dil_h != 1 || p->pad_h >= p->k_h)))
			continue;
		ran++;
#define OVER_(call_x, call_z)                                                          \
	do {                                                                            \
		assert_int_equal(call_x, O2M_OK);                                       \
		memset(z, 0x55, sizeof z);                                              \
		memcpy(z, cx, (size_t)nx);                                              \
		assert_int_equal(call_z, O2M_OK);                                       \
		assert_memory_equal(z, cy, (size_t)ny);                                 \
	} while (0)
		if (kind == GEN_DW) {
			OVER_(o2m_q8_conv_dw_s8(&q, cx, cw, cbias, crq, scr(&q, 1, 0), cy),
			      o2m_q8_conv_dw_s8(&q, z, cw, cbias, crq, scr(&q, 1, 0), z));
			continue;
		}
		OVER_(o2m_q8_conv_1x1_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 1), cy),
		      o2m_q8_conv_1x1_s8(&q, z, cw, cbias, crq, scr(&q, 0, 1), z));
		o2m_q8_pack_conv_w16(cw, 1, p->c_out, p->c_in, p->k_d * p->k_h * p->k_w, cw16);
		OVER_(o2m_q8_conv_w16_s8(&q, cx, cw16, cbias, crq,
					 scr_bytes(o2m_q8_conv_w16_scratch_bytes(&q, 1)), cy),
		      o2m_q8_conv_w16_s8(&q, z, cw16, cbias, crq,
					 scr_bytes(o2m_q8_conv_w16_scratch_bytes(&q, 1)), z));
		if (q.input_offset == -128)
			continue;
		assert_int_equal(o2m_q8_mve_bias(cw, cbias, p->c_out, k, q.input_offset, mb), 1);
		o2m_q8_pack_mve(cw, 1, p->c_out, k, (int8_t *)cw16_32);
		OVER_(o2m_q8_conv_mve_s8(&q, cx, (int8_t *)cw16_32, mb, crq,
					 (int8_t *)scr_bytes(o2m_q8_conv_mve_scratch_bytes(&q)), cy),
		      o2m_q8_conv_mve_s8(&q, z, (int8_t *)cw16_32, mb, crq,
					 (int8_t *)scr_bytes(o2m_q8_conv_mve_scratch_bytes(&q)), z));
#undef OVER_
	}
	assert_true(ran > 150);
}

/* depthwise on planes of one value (BatchNormalization after a fully connected layer,
   o2m_q8_conv_dw_s8's channel-after-channel path): the naive reference's bits, with
   channels of a factor >= 1/2, of a very small one and of a bias beyond 2^29 among them */
static void conv_dw_vector(void **state)
{
	o2m_q8_conv_params q;
	qcase c;
	int real = 0;

	(void)state;
	reseed(13);
	for (int t = 0; t < 300; t++) {
		o2m_conv_params *p = &q.conv;
		int ny;
		random_conv(&q, &c, 1 + t % 3, GEN_DW);
		p->in_d = p->in_h = p->in_w = p->out_d = p->out_h = p->out_w = 1;
		p->k_d = p->k_h = p->k_w = p->stride_d = p->stride_h = p->stride_w = 1;
		p->dil_d = p->dil_h = p->dil_w = 1;
		p->pad_d = p->pad_h = p->pad_w = 0;
		p->c_in = p->c_out = p->group = rnd(1, CMAX);
		ny = p->n * p->c_out;
		for (int i = 0; i < ny; i++)
			cx[i] = (int8_t)rnd(-128, 127);
		for (int oc = 0; oc < p->c_out; oc++) {
			double m = rndu(0.5, 1.5) / 150.0;
			int pick = rnd(0, 9);
			cw[oc] = (int8_t)rnd(-127, 127);
			cbias[oc] = rnd(-3000, 3000);
			if (pick == 0)
				m *= ldexp(1, rnd(7, 10)); /* >= 1/2: shift >= 0 */
			else if (pick == 1)
				m = ldexp(rndu(0.5, 1.0), -rnd(23, 30)); /* shift beyond 22 */
			else if (pick == 2)
				cbias[oc] = rnd(0, 1) ? (1 << 29) + rnd(0, 1000) : -(1 << 29) - 1000;
			c.ws[oc] = m * c.ys / c.xs;
			quantize_packed(m, &cmult[oc], &cshift[oc], &crq[oc]);
		}
		if (t % 7 == 0) /* no bias: the reference's are zeros */
			memset(cbias, 0, sizeof cbias);
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_dw_s8(&q, cx, cw, t % 7 ? cbias : NULL, crq,
						   scr(&q, 1, 0), cy), O2M_OK);
		real += check_conv(&q, ny, "conv_dw vector");
	}
	assert_true(real > 1000);
}

/* depthwise on planes wide and tall enough to go in several bands (o2m_q8_dw_band),
   their shared rows carried over: the naive reference's bits, also in place */
static void conv_dw_bands(void **state)
{
	static int8_t z[XMAX];
	o2m_q8_conv_params q;
	qcase c;
	int banded = 0;

	(void)state;
	reseed(12);
	for (int t = 0; t < 300; t++) {
		int ny = random_conv(&q, &c, 2, GEN_DW_WIDE);
		o2m_conv_params *p = &q.conv;
		const int nx = p->n * p->c_in * p->in_h * p->in_w;
		if (t % 2) { /* rows shared by bands, read after outputs over them are written */
			p->k_h = 3, p->dil_h = 1, p->pad_h = 1, p->stride_h = 1 + t / 2 % 2;
			p->out_h = (p->in_h - 1) / p->stride_h + 1;
			ny = p->c_out * p->out_h * p->out_w;
		}
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_conv_dw_s8(&q, cx, cw, cbias, crq, scr(&q, 1, 0), cy), O2M_OK);
		check_conv(&q, ny, "conv_dw in bands");
		banded += o2m_q8_dw_band(p) < p->out_h;
		if (p->n != 1 || p->c_out != p->c_in || p->out_h > p->in_h || p->out_w > p->in_w ||
		    p->dil_h != 1 || p->pad_h >= p->k_h)
			continue;
		memset(z, 0x55, sizeof z);
		memcpy(z, cx, (size_t)nx);
		assert_int_equal(o2m_q8_conv_dw_s8(&q, z, cw, cbias, crq, scr(&q, 1, 0), z), O2M_OK);
		assert_memory_equal(z, cy, (size_t)ny);
	}
	assert_true(banded > 50);
}

static void conv_bias_may_be_null(void **state)
{
	o2m_q8_conv_params q;
	qcase c;
	int ny;

	(void)state;
	reseed(6);
	ny = random_conv(&q, &c, 2, GEN_CONV);
	memset(cbias, 0, sizeof cbias);
	ref_conv(&q, &c);
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, NULL, crq, scr(&q, 0, 0), cy), O2M_OK);
	check_conv(&q, ny, "conv without bias");
}

static void conv_rejects_bad_arguments(void **state)
{
	o2m_q8_conv_params q;
	qcase c;

	(void)state;
	reseed(7);
	random_conv(&q, &c, 2, GEN_CONV);
	assert_int_equal(o2m_q8_conv_s8(&q, NULL, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, NULL, cy), O2M_ERR_ARG);
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, NULL, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	crq[0] = 63; /* shift 31 */
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	crq[0] = 0; /* shift -32 */
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	crq[0] = (int32_t)0x80000020u; /* a negative multiplier */
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	crq[0] = 32;
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_OK);
	q.conv.group = 2;
	q.conv.c_in = 3;
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	random_conv(&q, &c, 2, GEN_CONV);
	q.conv.out_h = 0;
	assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy), O2M_ERR_ARG);
	random_conv(&q, &c, 2, GEN_CONV);
	q.conv.k_w = 2; /* not 1x1 */
	assert_int_equal(o2m_q8_conv_1x1_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 1), cy),
			 O2M_ERR_ARG);
	random_conv(&q, &c, 2, GEN_DW);
	q.conv.group = 1; /* not depthwise */
	q.conv.c_out = 1;
	if (q.conv.c_in > 1)
		assert_int_equal(o2m_q8_conv_dw_s8(&q, cx, cw, cbias, crq, scr(&q, 1, 0), cy),
				 O2M_ERR_ARG);
}

/* fully connected: a naive reference, and the same numbers as a 1x1 convolution of a
   1x1 image with batch items as images */
static void fc_matches_reference_and_conv(void **state)
{
	(void)state;
	reseed(8);
	for (int t = 0; t < 100; t++) {
		o2m_q8_conv_params q;
		o2m_q8_fc_params f;
		qcase c;
		int ny;
		random_conv(&q, &c, 1, GEN_1X1);
		q.conv.in_d = q.conv.in_h = q.conv.in_w = 1;
		q.conv.out_d = q.conv.out_h = q.conv.out_w = 1;
		q.conv.c_in = rnd(1, 40);
		q.conv.c_out = rnd(1, CMAX);
		q.conv.n = rnd(1, 3);
		for (int i = 0; i < q.conv.n * q.conv.c_in; i++)
			cx[i] = (int8_t)rnd(-128, 127);
		for (int i = 0; i < q.conv.c_out * q.conv.c_in; i++)
			cw[i] = (int8_t)rnd(-127, 127);
		for (int oc = 0; oc < q.conv.c_out; oc++) {
			double m = rndu(0.5, 1.5) / (sqrt((double)q.conv.c_in) * 150.0);
			c.ws[oc] = m * c.ys / c.xs;
			quantize_packed(m, &cmult[oc], &cshift[oc], &crq[oc]);
			cbias[oc] = rnd(-20000, 20000);
		}
		ny = q.conv.n * q.conv.c_out;
		f.batch = q.conv.n;
		f.in = q.conv.c_in;
		f.out = q.conv.c_out;
		f.input_offset = q.input_offset;
		f.output_offset = q.output_offset;
		f.act_min = q.act_min;
		f.act_max = q.act_max;
		ref_conv(&q, &c);
		assert_int_equal(o2m_q8_fc_s8(&f, cx, cw, cbias, crq, cy), O2M_OK);
		check_conv(&q, ny, "fc");
		assert_int_equal(o2m_q8_conv_s8(&q, cx, cw, cbias, crq, scr(&q, 0, 0), cy2),
				 O2M_OK);
		assert_memory_equal(cy, cy2, (size_t)ny);
		o2m_q8_pack_fc_w16(cw, f.out, f.in, cw16);
		memset(cy2, 0, sizeof cy2);
		assert_int_equal(o2m_q8_fc_w16_s8(&f, cx, cw16, cbias, crq,
						  scr_bytes(o2m_q8_fc_w16_scratch_bytes(&f)), cy2),
				 O2M_OK);
		scratch_kept();
		assert_memory_equal(cy, cy2, (size_t)ny);
		f.in = 0;
		assert_int_equal(o2m_q8_fc_s8(&f, cx, cw, cbias, crq, cy), O2M_ERR_ARG);
		assert_int_equal(o2m_q8_fc_w16_s8(&f, cx, cw16, cbias, crq, cscr, cy), O2M_ERR_ARG);
		f.in = q.conv.c_in;
		if (f.input_offset != -128) { /* the Helium layout, its bias folded */
			static int32_t mb[CMAX];
			assert_int_equal(o2m_q8_mve_bias(cw, cbias, f.out, f.in, f.input_offset, mb), 1);
			o2m_q8_pack_mve(cw, 1, f.out, f.in, (int8_t *)cw16_32);
			memset(cy2, 0, sizeof cy2);
			assert_int_equal(o2m_q8_fc_mve_s8(&f, cx, (int8_t *)cw16_32, mb, crq,
							  (int8_t *)scr_bytes(o2m_q8_fc_mve_scratch_bytes(&f)),
							  cy2), O2M_OK);
			scratch_kept();
			assert_memory_equal(cy, cy2, (size_t)ny);
		}
	}
}

/* ---- Add and Mul ---- */

#define BMAX 256

typedef struct {
	int rank;
	int out[4], a[4], b[4]; /* shapes, 1 where an operand broadcasts */
	int32_t za, zb, zy;
	double sa, sb, sy;
} bcase;

/* the kernel's geometry: dense strides of each operand, 0 along its broadcast dims */
static int bcast_params(const bcase *c, o2m_bcast_params *p)
{
	int32_t step_a = 1, step_b = 1;

	memset(p, 0, sizeof *p);
	p->rank = c->rank;
	p->count = 1;
	for (int k = c->rank - 1; k >= 0; k--) {
		p->dims[k] = c->out[k];
		p->sa[k] = c->a[k] == 1 ? 0 : step_a;
		p->sb[k] = c->b[k] == 1 ? 0 : step_b;
		step_a *= c->a[k];
		step_b *= c->b[k];
		p->count *= c->out[k];
	}
	return p->count;
}

/* the flat offset in an operand of shape s of output element i (numpy broadcasting,
   by unravelling i) */
static int operand_at(const bcase *c, const int *s, int i)
{
	int at = 0, step = 1;

	for (int k = c->rank - 1; k >= 0; k--) {
		int coord = i % c->out[k];
		i /= c->out[k];
		at += (s[k] == 1 ? 0 : coord) * step;
		step *= s[k];
	}
	return at;
}

static void random_bcase(bcase *c, int same)
{
	c->rank = rnd(1, 4);
	for (int k = 0; k < c->rank; k++) {
		int r = same ? 0 : rnd(0, 3);
		c->out[k] = rnd(1, 4);
		c->a[k] = r == 1 ? 1 : c->out[k];
		c->b[k] = r == 2 ? 1 : c->out[k];
	}
	c->za = rnd(-128, 127);
	c->zb = rnd(-128, 127);
	c->zy = rnd(-128, 127);
	c->sa = rndu(0.005, 0.1);
	c->sb = c->sa * rndu(0.1, 10.0);
}

/* TFLite's int8 Add, step by step as its reference kernel: real multipliers from the
   scales, left_shift 20 */
static void add_params(const bcase *c, o2m_q8_binary_params *q)
{
	const double twice_max = 2 * (c->sa > c->sb ? c->sa : c->sb);

	bcast_params(c, &q->b);
	q->a_offset = -c->za;
	q->b_offset = -c->zb;
	q->output_offset = c->zy;
	q->left_shift = 20;
	quantize_multiplier(c->sa / twice_max, &q->a_mult, &q->a_shift);
	quantize_multiplier(c->sb / twice_max, &q->b_mult, &q->b_shift);
	quantize_multiplier(twice_max / ((1 << 20) * c->sy), &q->out_mult, &q->out_shift);
	q->act_min = -128;
	q->act_max = 127;
}

static int8_t ref_add(const o2m_q8_binary_params *q, int a, int b)
{
	int32_t sa = ref_requant((a + q->a_offset) * (1 << 20), q->a_mult, q->a_shift);
	int32_t sb = ref_requant((b + q->b_offset) * (1 << 20), q->b_mult, q->b_shift);

	return ref_out(q->output_offset + (int64_t)ref_requant(sa + sb, q->out_mult, q->out_shift),
		       q->act_min, q->act_max);
}

static int8_t ref_mul(const o2m_q8_binary_params *q, int a, int b)
{
	int32_t prod = (a + q->a_offset) * (b + q->b_offset);

	return ref_out(q->output_offset + (int64_t)ref_requant(prod, q->out_mult, q->out_shift),
		       q->act_min, q->act_max);
}

static void binary_case(int mul, int same)
{
	int8_t a[BMAX], b[BMAX], y[BMAX];
	o2m_q8_binary_params q;
	bcase c;
	int n;

	random_bcase(&c, same);
	if (mul)
		c.sy = c.sa * c.sb * rndu(60, 300);
	else
		c.sy = (c.sa + c.sb) * rndu(0.5, 2.0);
	add_params(&c, &q);
	if (mul) {
		q.a_mult = q.a_shift = q.b_mult = q.b_shift = 0; /* unused */
		quantize_multiplier(c.sa * c.sb / c.sy, &q.out_mult, &q.out_shift);
	}
	n = q.b.count;
	for (int i = 0; i < BMAX; i++) {
		a[i] = (int8_t)rnd(-128, 127);
		b[i] = (int8_t)rnd(-128, 127);
	}
	if (mul)
		assert_int_equal(o2m_q8_mul_s8(&q, a, b, y), O2M_OK);
	else
		assert_int_equal(o2m_q8_add_s8(&q, a, b, y), O2M_OK);
	for (int i = 0; i < n; i++) {
		int av = a[operand_at(&c, c.a, i)], bv = b[operand_at(&c, c.b, i)];
		int8_t want = mul ? ref_mul(&q, av, bv) : ref_add(&q, av, bv);
		double ra = (av - c.za) * c.sa, rb = (bv - c.zb) * c.sb;
		double real = (mul ? ra * rb : ra + rb) / c.sy + c.zy;
		if (y[i] != want)
			fail_msg("%s: y[%d] = %d, want %d", mul ? "mul" : "add", i, y[i], want);
		if (y[i] > -128 && y[i] < 127 && !in_range(y[i], real))
			fail_msg("%s: y[%d] = %d, real %.3f", mul ? "mul" : "add", i, y[i], real);
	}
	if (!mul) { /* the table variant: the same bits */
		int32_t t[512];
		int8_t y2[BMAX];
		o2m_q8_add_tables(&q, t);
		assert_int_equal(o2m_q8_add_lut_s8(&q, a, b, t, y2), O2M_OK);
		assert_memory_equal(y, y2, (size_t)n);
		assert_int_equal(o2m_q8_add_lut_s8(&q, a, b, NULL, y2), O2M_ERR_ARG);
	}
}

static void add_mul_match_tflite_and_real(void **state)
{
	(void)state;
	reseed(9);
	for (int t = 0; t < 400; t++)
		binary_case(t % 2, t % 4 < 2);
}

static void add_rejects_bad_arguments(void **state)
{
	int8_t a[4] = {0}, y[4];
	o2m_q8_binary_params q;
	bcase c;

	(void)state;
	reseed(10);
	random_bcase(&c, 1);
	c.sy = 0.1;
	add_params(&c, &q);
	assert_int_equal(o2m_q8_add_s8(&q, a, NULL, y), O2M_ERR_ARG);
	q.left_shift = 24;
	assert_int_equal(o2m_q8_add_s8(&q, a, a, y), O2M_ERR_ARG);
	q.left_shift = 20;
	q.b.rank = 0;
	assert_int_equal(o2m_q8_mul_s8(&q, a, a, y), O2M_ERR_ARG);
}

/* ---- average pooling ---- */

static int32_t pq_sum[XMAX], pq_count[XMAX];

/* per window of the naive pooling: the sum of x - zx over its taps inside the data,
   and its count (taps inside [-pad, in + pad_end) with count_include_pad) */
static int ref_pool(const o2m_q8_pool_params *q, const int8_t *x, int32_t zx)
{
	const o2m_pool_params *p = &q->pool;
	int at = 0, in_plane = p->in_d * p->in_h * p->in_w;

	for (int c = 0; c < p->planes; c++)
	for (int od = 0; od < p->out_d; od++)
	for (int oh = 0; oh < p->out_h; oh++)
	for (int ow = 0; ow < p->out_w; ow++, at++) {
		int32_t sum = 0, inside = 0, padded = 0;
		for (int kd = 0; kd < p->k_d; kd++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int d = od * p->stride_d - p->pad_d + kd * p->dil_d;
			int h = oh * p->stride_h - p->pad_h + kh * p->dil_h;
			int w = ow * p->stride_w - p->pad_w + kw * p->dil_w;
			if (d >= -p->pad_d && d < p->in_d + p->pad_end_d && h >= -p->pad_h &&
			    h < p->in_h + p->pad_end_h && w >= -p->pad_w && w < p->in_w + p->pad_end_w)
				padded++;
			if (d < 0 || d >= p->in_d || h < 0 || h >= p->in_h || w < 0 || w >= p->in_w)
				continue;
			sum += x[c * in_plane + (d * p->in_h + h) * p->in_w + w] - zx;
			inside++;
		}
		pq_sum[at] = sum;
		pq_count[at] = p->count_include_pad ? padded : inside;
	}
	return at;
}

/* TFLite's rounded mean: (sum +- count / 2) / count */
static int32_t tflite_mean(int32_t sum, int32_t count)
{
	return (sum > 0 ? sum + count / 2 : sum - count / 2) / count;
}

static void random_pool(o2m_q8_pool_params *q, int rank)
{
	o2m_pool_params *p = &q->pool;
	int32_t in_ext, pe;

	memset(q, 0, sizeof *q);
	p->planes = rnd(1, 3);
	p->in_d = p->out_d = p->k_d = p->stride_d = p->dil_d = 1;
	p->in_h = p->out_h = p->k_h = p->stride_h = p->dil_h = 1;
	if (rank >= 3)
		random_axis(&p->in_d, &p->k_d, &p->stride_d, &p->dil_d, &p->pad_d, &p->out_d, 4);
	if (rank >= 2)
		random_axis(&p->in_h, &p->k_h, &p->stride_h, &p->dil_h, &p->pad_h, &p->out_h, 6);
	random_axis(&p->in_w, &p->k_w, &p->stride_w, &p->dil_w, &p->pad_w, &p->out_w, 8);
	/* trailing pads consistent with each output size (what ONNX pads would give) */
	in_ext = (p->out_d - 1) * p->stride_d + (p->k_d - 1) * p->dil_d + 1;
	pe = in_ext - p->in_d - p->pad_d;
	p->pad_end_d = pe > 0 ? pe : 0;
	in_ext = (p->out_h - 1) * p->stride_h + (p->k_h - 1) * p->dil_h + 1;
	pe = in_ext - p->in_h - p->pad_h;
	p->pad_end_h = pe > 0 ? pe : 0;
	in_ext = (p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1;
	pe = in_ext - p->in_w - p->pad_w;
	p->pad_end_w = pe > 0 ? pe - rnd(0, pe) : 0; /* sometimes ceil mode: fewer pads */
	p->count_include_pad = rnd(0, 1);
	q->act_min = -128;
	q->act_max = 127;
}

static void avgpool_equal_scales_is_tflites_mean(void **state)
{
	int8_t x[XMAX], y[XMAX];

	(void)state;
	reseed(11);
	for (int t = 0; t < 300; t++) {
		o2m_q8_pool_params q;
		int32_t zx, n;
		random_pool(&q, 1 + t % 3);
		zx = t % 5 ? rnd(-128, 127) : 0;
		q.input_offset = -zx;
		q.output_offset = zx;
		q.mult = 1 << 30; /* m = 1 */
		q.shift = 1;
		for (int i = 0; i < q.pool.planes * q.pool.in_d * q.pool.in_h * q.pool.in_w; i++)
			x[i] = (int8_t)rnd(-128, 127);
		n = ref_pool(&q, x, zx);
		assert_int_equal(o2m_q8_avgpool_s8(&q, x, y), O2M_OK);
		for (int i = 0; i < n; i++) {
			int32_t want = pq_count[i] ? zx + tflite_mean(pq_sum[i], pq_count[i]) : zx;
			assert_int_equal(y[i], ref_out(want, -128, 127));
		}
	}
}

static void avgpool_rescales_within_one_step(void **state)
{
	int8_t x[XMAX], y[XMAX];
	int real = 0;

	(void)state;
	reseed(12);
	for (int t = 0; t < 300; t++) {
		o2m_q8_pool_params q;
		int32_t zx = rnd(-128, 127), zy = rnd(-128, 127), n;
		double xs = rndu(0.01, 0.1), ys = xs * rndu(0.3, 3.0);
		random_pool(&q, 1 + t % 3);
		q.input_offset = -zx;
		q.output_offset = zy;
		quantize_multiplier(xs / ys, &q.mult, &q.shift);
		for (int i = 0; i < q.pool.planes * q.pool.in_d * q.pool.in_h * q.pool.in_w; i++)
			x[i] = (int8_t)rnd(-128, 127);
		n = ref_pool(&q, x, zx);
		assert_int_equal(o2m_q8_avgpool_s8(&q, x, y), O2M_OK);
		for (int i = 0; i < n; i++) {
			double mean = pq_count[i] ? xs * pq_sum[i] / pq_count[i] : 0;
			if (y[i] > -128 && y[i] < 127) {
				if (!in_range(y[i], mean / ys + zy))
					fail_msg("avgpool y[%d] = %d, real %.3f", i, y[i],
						 mean / ys + zy);
				real++;
			}
		}
	}
	assert_true(real > 1000);
}

static void gavgpool_is_the_plane_mean(void **state)
{
	static int8_t x[16 * 3 * 40 * 40], y[16];

	(void)state;
	reseed(13);
	for (int t = 0; t < 100; t++) {
		o2m_q8_pool_params q;
		int32_t zx = rnd(-128, 127), plane;
		int equal = t % 2;
		double xs = rndu(0.01, 0.1), ys = equal ? xs : xs * rndu(0.3, 3.0);
		memset(&q, 0, sizeof q);
		q.pool.planes = rnd(1, 16);
		q.pool.in_d = t % 3 ? 1 : rnd(1, 3);
		q.pool.in_h = rnd(1, t < 10 ? 40 : 9);
		q.pool.in_w = rnd(1, t < 10 ? 40 : 9);
		q.pool.out_d = q.pool.out_h = q.pool.out_w = 1;
		q.input_offset = -zx;
		q.output_offset = equal ? zx : rnd(-128, 127);
		q.act_min = -128;
		q.act_max = 127;
		quantize_multiplier(xs / ys, &q.mult, &q.shift);
		plane = q.pool.in_d * q.pool.in_h * q.pool.in_w;
		for (int i = 0; i < q.pool.planes * plane; i++)
			x[i] = (int8_t)rnd(-128, 127);
		assert_int_equal(o2m_q8_gavgpool_s8(&q, x, y), O2M_OK);
		for (int c = 0; c < q.pool.planes; c++) {
			int32_t sum = 0;
			for (int i = 0; i < plane; i++)
				sum += x[c * plane + i] - zx;
			if (equal)
				assert_int_equal(y[c], ref_out(zx + tflite_mean(sum, plane), -128, 127));
			else if (y[c] > -128 && y[c] < 127 &&
				 !in_range(y[c], xs * sum / plane / ys + q.output_offset))
				fail_msg("gavgpool y[%d] = %d, real %.3f", c, y[c],
					 xs * sum / plane / ys + q.output_offset);
		}
	}
}

/* sum * 256 * 2 (m = 1 is mult 2^30, shift 1) over a 129 x 129 plane could overflow
   int32 */
static void pools_reject_windows_too_large(void **state)
{
	int8_t x[1] = {0}, y[1];
	o2m_q8_pool_params q;

	(void)state;
	memset(&q, 0, sizeof q);
	q.pool.planes = 1;
	q.pool.in_d = q.pool.out_d = q.pool.out_h = q.pool.out_w = 1;
	q.pool.in_h = q.pool.in_w = 129;
	q.mult = 1 << 30;
	q.shift = 1;
	q.act_min = -128;
	q.act_max = 127;
	q.input_offset = 127;
	assert_int_equal(o2m_q8_gavgpool_s8(&q, x, y), O2M_ERR_ARG);
	q.pool.in_h = q.pool.in_w = 1;
	q.pool.k_d = 1;
	q.pool.k_h = q.pool.k_w = 129;
	q.pool.stride_d = q.pool.stride_h = q.pool.stride_w = 1;
	q.pool.dil_d = q.pool.dil_h = q.pool.dil_w = 1;
	q.pool.pad_h = q.pool.pad_w = 128;
	assert_int_equal(o2m_q8_avgpool_s8(&q, x, y), O2M_ERR_ARG);
	q.pool.k_h = q.pool.k_w = 100;
	q.pool.pad_h = q.pool.pad_w = 99;
	assert_int_equal(o2m_q8_avgpool_s8(&q, x, y), O2M_OK);
	assert_int_equal(o2m_q8_avgpool_s8(&q, NULL, y), O2M_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quantize_multiplier_is_tflites),
		cmocka_unit_test(packed_word_round_trips),
		cmocka_unit_test(requant_rounds_as_tflite),
		cmocka_unit_test(requant_matches_reference_and_real),
		cmocka_unit_test(requant_kernel),
		cmocka_unit_test(lut_indexes_by_x_plus_128),
		cmocka_unit_test(conv_matches_naive_reference),
		cmocka_unit_test(conv_variants_match_conv),
		cmocka_unit_test(conv_w16_matches_naive_reference),
		cmocka_unit_test(conv_mve_matches_naive_reference),
		cmocka_unit_test(conv_in_place_is_out_of_place),
		cmocka_unit_test(conv_dw_bands),
		cmocka_unit_test(conv_dw_vector),
		cmocka_unit_test(conv_bias_may_be_null),
		cmocka_unit_test(conv_rejects_bad_arguments),
		cmocka_unit_test(fc_matches_reference_and_conv),
		cmocka_unit_test(add_mul_match_tflite_and_real),
		cmocka_unit_test(add_rejects_bad_arguments),
		cmocka_unit_test(avgpool_equal_scales_is_tflites_mean),
		cmocka_unit_test(avgpool_rescales_within_one_step),
		cmocka_unit_test(gavgpool_is_the_plane_mean),
		cmocka_unit_test(pools_reject_windows_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
