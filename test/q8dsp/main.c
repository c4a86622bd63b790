/* main.c - the int8 kernels with the Arm DSP paths against the portable C, on random
   cases (fixed seed): o2m_q8_* is the build for the core, ref_q8_* the same source built
   with -DO2M_NO_DSP and renamed (run.sh); the residual kernels against the convolution
   then the Add; the convolution of a float input quantized as it is read against
   QuantizeLinear's arithmetic then the portable convolution. Prints each mismatch with its case index, a
   checksum of every output (the host build of this file, portable only, must print the
   same one) and one verdict line. */
#include "o2m_q8.h"
#include "o2m_qround.h"

#include <stdio.h>
#include <string.h>

int ref_q8_conv_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		   const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y);
int ref_q8_conv_dw_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		      const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y);
int ref_q8_conv_1x1_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
		       const int32_t *bias, const int32_t *rq, int16_t *scratch, int8_t *y);
int ref_q8_add_s8(const o2m_q8_binary_params *p, const int8_t *a, const int8_t *b, int8_t *y);
int ref_q8_fc_s8(const o2m_q8_fc_params *p, const int8_t *x, const int8_t *w,
		 const int32_t *bias, const int32_t *rq, int8_t *y);

#define CASES 400 /* per kernel */
#define XMAX 8192
#define CMAX 64

static int8_t x[XMAX], w[XMAX], y[XMAX], yref[XMAX];
static int32_t scr32[2048]; /* the scratch, 4-byte aligned */
#define scr ((int16_t *)(void *)scr32)
static int32_t bias[CMAX], rq[CMAX]; /* packed requantization words */
static int32_t w16_32[12000]; /* weights packed as int16 (o2m_q8_pack_*_w16), 4-byte aligned */
#define w16 ((int16_t *)(void *)w16_32)
static uint32_t rng = 12345u, sum = 2166136261u;
static int w16_run; /* convolutions run on packed weights */

static uint32_t rnd32(void) /* xorshift32 */
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int32_t rnd(int32_t lo, int32_t hi) /* in [lo, hi] */
{
	return lo + (int32_t)(rnd32() % (uint32_t)(hi - lo + 1));
}

/* random data, scales that keep most outputs inside int8, offsets and a clamp */
static void fill(int32_t nx, int32_t nw, int32_t nc, int32_t taps, int32_t *in_off,
		 int32_t *out_off, int32_t *lo, int32_t *hi)
{
	int32_t i, m, bits = 0;

	while ((1 << bits) < taps)
		bits++;
	for (i = 0; i < nx; i++)
		x[i] = (int8_t)rnd(-128, 127);
	for (i = 0; i < nw; i++)
		w[i] = (int8_t)rnd(-127, 127);
	for (i = 0; i < nc; i++) {
		bias[i] = rnd(-40000, 40000);
		m = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
		/* now and then a factor >= 1/2 (shift >= 0, the kernels' slow path) */
		rq[i] = o2m_q8_rq_pack(m, rnd(0, 15) ? -rnd(8, 12) - bits / 2 : rnd(-1, 2));
	}
	*in_off = rnd(-128, 127);
	*out_off = rnd(-20, 20);
	*lo = rnd(0, 3) ? -128 : rnd(0, 1) ? 0 : *out_off; /* 0: a Relu at zero point 0 */
	*hi = rnd(0, 7) ? 127 : rnd(*lo, 127);
}

/* compares y with yref over n outputs; folds y into the checksum */
static int same(const char *what, int k, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		sum = (sum ^ (uint8_t)y[i]) * 16777619u;
	for (i = 0; i < n; i++)
		if (y[i] != yref[i]) {
			printf("MISMATCH %s case %d: y[%ld] = %d, portable %d\n", what, k, (long)i,
			       y[i], yref[i]);
			return 0;
		}
	return 1;
}

/* one axis of a window: in, kernel, stride, dilation, pad, and the output size */
static void axis(int32_t maxin, int32_t *in, int32_t *k, int32_t *s, int32_t *d, int32_t *pad,
		 int32_t *out)
{
	int32_t span;

	do {
		*in = rnd(1, maxin);
		*k = rnd(0, 2) ? 3 : rnd(1, 5);
		*s = rnd(0, 2) ? 1 : 2;
		*d = rnd(0, 4) ? 1 : 2;
		*pad = rnd(0, 2);
		span = *in + 2 * *pad - *d * (*k - 1) - 1;
	} while (span < 0);
	*out = span / *s + 1;
}

/* the convolution q on weights packed as int16 (general and 1x1) against yref, the
   portable int8 kernel's outputs; k the taps of one filter */
static int32_t mbias[CMAX]; /* the Helium kernels' bias (o2m_q8_mve_bias) */
static int mve_run; /* convolutions and fully connected layers run on them */
static int raw_run; /* w16 convolutions run on raw columns */

/* the w16 convolution q (weights in w16) on raw columns (o2m_q8_conv_params.raw, the
   offset folded into the bias) against yref, where its channels go by pairs */
static int raw_case(const char *what, int kase, const o2m_q8_conv_params *q, const int32_t *b,
		    int32_t k, int32_t ny)
{
	o2m_q8_conv_params r = *q;
	int rc;

	if ((q->conv.c_in / q->conv.group) % 2 ||
	    !o2m_q8_mve_bias(w, b, q->conv.c_out, k, q->input_offset, mbias))
		return 1; /* not run (main counts the ones run) */
	raw_run++;
	r.raw = 1;
	memset(y, 0, sizeof y);
	rc = o2m_q8_conv_w16_s8(&r, x, w16, mbias, rq, scr, y);
	if (rc != O2M_OK) {
		printf("MISMATCH %s raw case %d: status %d\n", what, kase, rc);
		return 0;
	}
	return same(what, kase, ny);
}

static int w16_case(const char *what, int kase, const o2m_q8_conv_params *q, const int32_t *b,
		    int32_t k, int32_t ny)
{
	const o2m_conv_params *p = &q->conv;
	int rc;

	if (o2m_q8_w16_conv_count(p->group, p->c_out / p->group, k) > 24000 ||
	    o2m_q8_conv_w16_scratch_bytes(q, 0) > (int64_t)sizeof scr32)
		return 1; /* too big for the buffers: not run (main counts the ones run) */
	w16_run++;
	o2m_q8_pack_conv_w16(w, p->group, p->c_out / p->group, p->c_in / p->group,
			     p->k_d * p->k_h * p->k_w, w16);
	memset(y, 0, sizeof y);
	rc = o2m_q8_conv_w16_s8(q, x, w16, b, rq, scr, y);
	if (rc != O2M_OK) {
		printf("MISMATCH %s case %d: status %d\n", what, kase, rc);
		return 0;
	}
	return same(what, kase, ny) && raw_case(what, kase, q, b, k, ny);
}

/* the convolution q on Helium's layout against yref; k the taps of one filter */
static int mve_case(const char *what, int kase, const o2m_q8_conv_params *q, const int32_t *b,
		    int32_t k, int32_t ny)
{
	const o2m_conv_params *p = &q->conv;
	int rc;

	if (o2m_q8_mve_count(p->group, p->c_out / p->group, k) > 48000 ||
	    o2m_q8_conv_mve_scratch_bytes(q) > (int64_t)sizeof scr32 ||
	    q->input_offset == -128 || /* not the negated zero point of int8 data */
	    !o2m_q8_mve_bias(w, b, p->c_out, k, q->input_offset, mbias))
		return 1; /* not run (main counts the ones run) */
	mve_run++;
	o2m_q8_pack_mve(w, p->group, p->c_out / p->group, k, (int8_t *)w16_32);
	memset(y, 0, sizeof y);
	rc = o2m_q8_conv_mve_s8(q, x, (int8_t *)w16_32, mbias, rq, (int8_t *)scr32, y);
	if (rc != O2M_OK) {
		printf("MISMATCH %s case %d: status %d\n", what, kase, rc);
		return 0;
	}
	return same(what, kase, ny);
}

static int8_t res[XMAX]; /* a residual */
static int32_t lut[512]; /* the Add's table (o2m_q8_add_tables) */
static int res_run; /* residual kernels run */

/* The residual kernels against the convolution (yref, the portable kernel's outputs)
   then the portable Add: portable, and on int16 weights written over the residual. */
static int res_case(const char *what, int kase, const o2m_q8_conv_params *q, const int32_t *b,
		    int32_t k, int32_t ny)
{
	const o2m_conv_params *p = &q->conv;
	o2m_q8_conv_res_params rp;
	o2m_q8_binary_params *a = &rp.add;
	int32_t i, rc;

	memset(&rp, 0, sizeof rp);
	rp.conv = *q;
	a->b.rank = 1;
	a->b.count = a->b.dims[0] = ny;
	a->b.sa[0] = a->b.sb[0] = a->b.sc[0] = 1;
	a->a_offset = -q->output_offset;
	a->b_offset = rnd(-128, 127);
	a->output_offset = rnd(-20, 20);
	a->left_shift = 20;
	a->a_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	a->b_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	a->out_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	a->a_shift = -rnd(0, 3);
	a->b_shift = -rnd(0, 3);
	a->out_shift = -rnd(15, 21);
	a->act_min = rnd(0, 3) ? -128 : a->output_offset;
	a->act_max = 127;
	for (i = 0; i < ny; i++)
		res[i] = (int8_t)rnd(-128, 127);
	if (o2m_q8_conv_res_scratch_bytes(&rp) > (int64_t)sizeof scr32 ||
	    o2m_q8_conv_w16_res_scratch_bytes(&rp) > (int64_t)sizeof scr32 ||
	    o2m_q8_w16_conv_count(p->group, p->c_out / p->group, k) > 24000)
		return 1; /* not run (main counts the ones run) */
	res_run++;
	if (ref_q8_add_s8(a, yref, res, y) != O2M_OK) {
		printf("MISMATCH %s case %d: the Add failed\n", what, kase);
		return 0;
	}
	memcpy(yref, y, (size_t)ny);
	memset(y, 0, sizeof y);
	rc = o2m_q8_conv_res_s8(&rp, x, w, b, rq, res, scr, y);
	if (rc != O2M_OK || !same(what, kase, ny)) {
		printf("MISMATCH %s case %d: status %d\n", what, kase, rc);
		return 0;
	}
	o2m_q8_pack_conv_w16(w, p->group, p->c_out / p->group, p->c_in / p->group,
			     p->k_d * p->k_h * p->k_w, w16);
	o2m_q8_add_tables(a, lut);
	memcpy(y, res, (size_t)ny);
	rc = o2m_q8_conv_w16_res_s8(&rp, x, w16, b, rq, lut, y, scr, y);
	if (rc != O2M_OK) {
		printf("MISMATCH %s w16 in place case %d: status %d\n", what, kase, rc);
		return 0;
	}
	if (!same(what, kase, ny))
		return 0;
	if ((p->c_in / p->group) % 2 || !o2m_q8_mve_bias(w, b, p->c_out, k, q->input_offset, mbias))
		return 1;
	rp.conv.raw = 1; /* and on raw columns */
	memcpy(y, res, (size_t)ny);
	rc = o2m_q8_conv_w16_res_s8(&rp, x, w16, mbias, rq, lut, y, scr, y);
	if (rc != O2M_OK) {
		printf("MISMATCH %s w16 raw case %d: status %d\n", what, kase, rc);
		return 0;
	}
	return same(what, kase, ny);
}

static float xf[XMAX]; /* a float input */
static int fq_run;     /* convolutions of it run */

/* o2m_q8_conv_fq_s8 on a float input against QuantizeLinear's rounding (o2m_sat_f32, as
   o2m_quantize_f32_s8) and the portable convolution; scales that saturate some values */
static int fq_case(const char *what, int kase, const o2m_q8_conv_params *q, const int32_t *b,
		   int32_t nx, int32_t ny)
{
	o2m_q8_conv_fq_params fp;
	int32_t i, rc, rr;

	memset(&fp, 0, sizeof fp);
	fp.conv = *q;
	fp.in_zero = -q->input_offset;
	fp.in_scale = 0.01f + (float)rnd(0, 1000) * 1e-4f;
	if (fp.in_zero < -128 || fp.in_zero > 127 ||
	    o2m_q8_conv_fq_scratch_bytes(&fp) > (int64_t)sizeof scr32)
		return 1; /* not run (main counts the ones run) */
	fq_run++;
	for (i = 0; i < nx; i++) {
		xf[i] = (float)rnd(-20000, 20000) * 1e-3f;
		x[i] = (int8_t)o2m_sat_f32(xf[i] / fp.in_scale, fp.in_zero, -128, 127);
	}
	rr = ref_q8_conv_s8(q, x, w, b, rq, scr, yref);
	memset(y, 0, sizeof y);
	rc = o2m_q8_conv_fq_s8(&fp, xf, w, b, rq, scr, y);
	if (rc != O2M_OK || rr != O2M_OK) {
		printf("MISMATCH %s case %d: status %d, portable %d\n", what, kase, rc, rr);
		return 0;
	}
	return same(what, kase, ny);
}

/* general (dw 0) or depthwise (dw 1) convolution, 2-D */
static int conv_case(int k, int dw)
{
	o2m_q8_conv_params q;
	o2m_conv_params *p = &q.conv;
	int32_t cin, nx, nw, ny, rc, rr;
	const int32_t *b;

	memset(&q, 0, sizeof q);
	p->n = rnd(1, 2);
	p->in_d = p->out_d = p->k_d = p->stride_d = p->dil_d = 1;
	axis(16, &p->in_h, &p->k_h, &p->stride_h, &p->dil_h, &p->pad_h, &p->out_h);
	axis(20, &p->in_w, &p->k_w, &p->stride_w, &p->dil_w, &p->pad_w, &p->out_w);
	if (dw && k % 3 == 0) { /* a tall plane, 3x3 (DS-CNN's 25 x 5) */
		p->in_h = p->out_h = rnd(6, 30);
		p->in_w = rnd(1, 6);
		p->k_h = p->k_w = 3;
		p->stride_h = p->dil_h = 1;
		p->pad_h = 1;
		p->pad_w = rnd(0, 1);
		p->out_w = (p->in_w + 2 * p->pad_w - p->dil_w * 2 - 1) / p->stride_w + 1;
		if (p->out_w < 1)
			p->pad_w = 1, p->dil_w = 1,
			p->out_w = (p->in_w - 1) / p->stride_w + 1;
	}
	if (dw && k % 5 == 1) { /* BatchNormalization after a fully connected layer */
		p->in_h = p->in_w = p->out_h = p->out_w = p->k_h = p->k_w = 1;
		p->stride_h = p->stride_w = p->dil_h = p->dil_w = 1;
		p->pad_h = p->pad_w = 0;
	}
	if (dw) {
		p->c_in = p->group = p->in_h * p->in_w == 1 ? rnd(1, 64) : rnd(1, 8);
		p->c_out = p->c_in * (p->c_in > 8 ? 1 : rnd(1, 2));
		cin = 1;
	} else {
		p->group = rnd(0, 5) ? 1 : 2;
		cin = rnd(1, 12);
		p->c_in = cin * p->group;
		p->c_out = rnd(1, 8) * p->group;
	}
	nx = p->n * p->c_in * p->in_h * p->in_w;
	nw = p->c_out * cin * p->k_h * p->k_w;
	ny = p->n * p->c_out * p->out_h * p->out_w;
	if (nx > XMAX || nw > XMAX || ny > XMAX)
		return conv_case(k, dw);
	fill(nx, nw, p->c_out, cin * p->k_h * p->k_w, &q.input_offset, &q.output_offset,
	     &q.act_min, &q.act_max);
	b = rnd(0, 9) ? bias : NULL;
	if (dw && rnd(0, 3) == 0)
		bias[rnd(0, p->c_out - 1)] = rnd(0, 1) ? 1 << 29 : -(1 << 29) - 40000; /* slow path */
	if (dw) {
		rc = o2m_q8_conv_dw_s8(&q, x, w, b, rq, scr, y);
		rr = ref_q8_conv_dw_s8(&q, x, w, b, rq, scr, yref);
	} else {
		rc = o2m_q8_conv_s8(&q, x, w, b, rq, scr, y);
		rr = ref_q8_conv_s8(&q, x, w, b, rq, scr, yref);
	}
	if (rc != O2M_OK || rr != O2M_OK) {
		printf("MISMATCH %s case %d: status %d, portable %d\n", dw ? "dw" : "conv", k, rc, rr);
		return 0;
	}
	if (!same(dw ? "dw" : "conv", k, ny))
		return 0;
	return dw || (w16_case("conv_w16", k, &q, b, cin * p->k_h * p->k_w, ny) &&
		      mve_case("conv_mve", k, &q, b, cin * p->k_h * p->k_w, ny) &&
		      res_case("conv_res", k, &q, b, cin * p->k_h * p->k_w, ny) &&
		      fq_case("conv_fq", k, &q, b, nx, ny));
}

static int conv_1x1_case(int k)
{
	o2m_q8_conv_params q;
	o2m_conv_params *p = &q.conv;
	int32_t nx, nw, ny, rc, rr;

	memset(&q, 0, sizeof q);
	p->n = rnd(1, 2);
	p->group = 1;
	p->c_in = rnd(0, 1) ? 4 * rnd(1, 16) : rnd(1, 40);
	p->c_out = rnd(1, 12);
	p->in_d = p->out_d = p->k_d = p->k_h = p->k_w = 1;
	p->stride_d = p->stride_h = p->stride_w = p->dil_d = p->dil_h = p->dil_w = 1;
	p->in_h = p->out_h = rnd(1, 8);
	p->in_w = p->out_w = rnd(1, 9);
	nx = p->n * p->c_in * p->in_h * p->in_w;
	nw = p->c_out * p->c_in;
	ny = p->n * p->c_out * p->in_h * p->in_w;
	if (nx > XMAX || ny > XMAX)
		return conv_1x1_case(k);
	fill(nx, nw, p->c_out, p->c_in, &q.input_offset, &q.output_offset, &q.act_min,
	     &q.act_max);
	rc = o2m_q8_conv_1x1_s8(&q, x, w, bias, rq, scr, y);
	rr = ref_q8_conv_1x1_s8(&q, x, w, bias, rq, scr, yref);
	if (rc != O2M_OK || rr != O2M_OK) {
		printf("MISMATCH 1x1 case %d: status %d, portable %d\n", k, rc, rr);
		return 0;
	}
	return same("1x1", k, ny) && w16_case("1x1_w16", k, &q, bias, p->c_in, ny) &&
	       mve_case("1x1_mve", k, &q, bias, p->c_in, ny) &&
	       res_case("1x1_res", k, &q, bias, p->c_in, ny);
}

static int fc_case(int k)
{
	o2m_q8_fc_params q;
	int32_t rc, rr;
	const int32_t *b;

	q.batch = rnd(1, 3);
	q.in = rnd(0, 1) ? 4 * rnd(1, 100) : rnd(1, 400);
	q.out = rnd(1, 16);
	if (q.batch * q.in > XMAX || q.out * q.in > XMAX)
		return fc_case(k);
	fill(q.batch * q.in, q.out * q.in, q.out, q.in, &q.input_offset, &q.output_offset,
	     &q.act_min, &q.act_max);
	b = rnd(0, 9) ? bias : NULL;
	rc = o2m_q8_fc_s8(&q, x, w, b, rq, y);
	rr = ref_q8_fc_s8(&q, x, w, b, rq, yref);
	if (rc != O2M_OK || rr != O2M_OK) {
		printf("MISMATCH fc case %d: status %d, portable %d\n", k, rc, rr);
		return 0;
	}
	if (!same("fc", k, q.batch * q.out))
		return 0;
	o2m_q8_pack_fc_w16(w, q.out, q.in, w16);
	memset(y, 0, sizeof y);
	rc = o2m_q8_fc_w16_s8(&q, x, w16, b, rq, scr, y);
	if (rc != O2M_OK) {
		printf("MISMATCH fc_w16 case %d: status %d\n", k, rc);
		return 0;
	}
	if (!same("fc_w16", k, q.batch * q.out))
		return 0;
	if (q.input_offset == -128 || !o2m_q8_mve_bias(w, b, q.out, q.in, q.input_offset, mbias))
		return 1;
	mve_run++;
	o2m_q8_pack_mve(w, 1, q.out, q.in, (int8_t *)w16_32);
	memset(y, 0, sizeof y);
	rc = o2m_q8_fc_mve_s8(&q, x, (int8_t *)w16_32, mbias, rq, (int8_t *)scr32, y);
	if (rc != O2M_OK) {
		printf("MISMATCH fc_mve case %d: status %d\n", k, rc);
		return 0;
	}
	return same("fc_mve", k, q.batch * q.out);
}

/* Add on a table (o2m_q8_add_lut_s8) against the portable Add, dense */
static int add_case(int k)
{
	o2m_q8_binary_params q;
	static int32_t t[512];
	int32_t n = rnd(1, 2000), rc, rr, i;

	memset(&q, 0, sizeof q);
	q.b.rank = 1;
	q.b.count = q.b.dims[0] = n;
	q.b.sa[0] = q.b.sb[0] = 1;
	q.a_offset = rnd(-128, 127);
	q.b_offset = rnd(-128, 127);
	q.output_offset = rnd(-20, 20);
	q.left_shift = 20;
	q.a_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	q.b_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	q.out_mult = (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu));
	q.a_shift = -rnd(0, 3);
	q.b_shift = -rnd(0, 3);
	q.out_shift = -rnd(15, 21);
	q.act_min = rnd(0, 3) ? -128 : q.output_offset;
	q.act_max = 127;
	for (i = 0; i < n; i++) {
		x[i] = (int8_t)rnd(-128, 127);
		w[i] = (int8_t)rnd(-128, 127);
	}
	o2m_q8_add_tables(&q, t);
	rc = o2m_q8_add_lut_s8(&q, x, w, t, y);
	rr = ref_q8_add_s8(&q, x, w, yref);
	if (rc != O2M_OK || rr != O2M_OK) {
		printf("MISMATCH add case %d: status %d, portable %d\n", k, rc, rr);
		return 0;
	}
	return same("add_lut", k, n);
}

int main(void)
{
	int k, pass = 0, fail = 0;

	for (k = 0; k < CASES; k++) {
		conv_case(k, 0) ? pass++ : fail++;
		conv_case(k, 1) ? pass++ : fail++;
		conv_1x1_case(k) ? pass++ : fail++;
		fc_case(k) ? pass++ : fail++;
		add_case(k) ? pass++ : fail++;
	}
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
	printf("dsp: yes\n");
#else
	printf("dsp: no\n");
#endif
	printf("w16 convolutions: %d (raw columns %d), Helium layers: %d, residual kernels: %d, "
	       "float inputs: %d\n", w16_run, raw_run, mve_run, res_run, fq_run);
	if (raw_run < CASES / 2) /* of 2 * CASES w16 */
		fail++;
	if (fq_run < CASES / 2) /* of CASES */
		fail++;
	if (res_run < CASES) /* of 2 * CASES */
		fail++;
	if (mve_run < CASES) /* of 3 * CASES */
		fail++;
	if (w16_run < CASES) /* of 2 * CASES: most must fit the buffers */
		fail++;
	printf("checksum %08lx\n", (unsigned long)sum);
	printf("q8dsp: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
