/* test_q8x.c - the int8 kernels of o2m_q8x.h against references written here, never the
   kernels' own code: naive int64 loops over every index (a scatter for ConvTranspose,
   explicit multi-indices for MatMul's broadcasting), TFLite's requantization in exact
   64-bit steps, 128-bit arithmetic for the wide rescale. Each also stays within one
   output step of the real-valued result (double arithmetic on the dequantized inputs)
   wherever nothing clamps; the tolerance is 1 + 1e-6 steps as in test_q8.c, except
   where a test states its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "../../runtime-stub/o2m_kernels.h"

#define TOL (1.0 + 1e-6)

__extension__ typedef __int128 i128;

#include "q8ref.h"

static int in_range(double v, double want)
{
	return fabs(v - want) <= TOL;
}

/* ---- the wide rescale ---- */

/* v / 2^s rounded half away from zero, in 128 bits */
static int64_t ref_round_pow2(i128 v, int s)
{
	i128 d = (i128)1 << s, a = v < 0 ? -v : v, q = (a + d / 2) / d;

	return (int64_t)(v < 0 ? -q : q);
}

static void requant_wide_rounds_once(void **state)
{
	(void)state;
	reseed(1);
	for (int i = 0; i < 200000; i++) {
		int64_t x = (int64_t)(((uint64_t)rnd32() << 32 | rnd32()) >> rnd(17, 63));
		int32_t mult = i % 7 ? (int32_t)(0x40000000u + (rnd32() & 0x3fffffffu)) : 1 << 30;
		int32_t frac = rnd(0, 40), shift = rnd(-31, 30);
		if (31 + frac - shift < 17)
			shift = 14 + frac;
		if (i % 5 == 0)
			x = (x >> 20) << 20 | (int64_t)1 << 19; /* ties */
		if (rnd(0, 1))
			x = -x;
		int64_t got = o2m_q8_requant_wide(x, mult, shift, frac);
		int64_t want = ref_round_pow2((i128)x * mult, 31 + frac - shift);
		if (got != want)
			fail_msg("requant_wide(%lld, %d, %d, %d) = %lld, want %lld", (long long)x,
				 mult, shift, frac, (long long)got, (long long)want);
	}
	/* one exactly: 2.5 and -2.5 in Q30 round away from zero */
	assert_true(o2m_q8_requant_wide(5LL << 29, 1 << 30, 1, 30) == 3);
	assert_true(o2m_q8_requant_wide(-(5LL << 29), 1 << 30, 1, 30) == -3);
	assert_true(o2m_q8_requant_wide((5LL << 29) - 1, 1 << 30, 1, 30) == 2);
}

/* ---- MatMul ---- */

#define MMAX 6000

static int8_t ma[MMAX], mb[MMAX], my[MMAX];

/* a random broadcast case: batch dims of the output, each operand's dims (1 where it
   broadcasts, missing leading dims are 1 too), strides for the kernel */
typedef struct {
	int32_t rank, dims[4], ad[4], bd[4];
	int32_t za, zb, zy;
	double as, bs, ys;
} mmcase;

static int32_t count_of(const int32_t *d, int rank)
{
	int32_t c = 1;

	for (int i = 0; i < rank; i++)
		c *= d[i];
	return c;
}

static void random_matmul(o2m_q8_matmul_params *q, mmcase *c)
{
	o2m_matmul_params *p = &q->mm;

	memset(q, 0, sizeof *q);
	for (;;) {
		c->rank = rnd(0, 2); /* ranks 2-4 */
		p->m = rnd(1, 8);
		p->n = rnd(1, 8);
		p->k = rnd(1, rnd(0, 3) ? 20 : 200);
		for (int d = 0; d < c->rank; d++) {
			c->dims[d] = rnd(1, 3);
			c->ad[d] = rnd(0, 2) ? c->dims[d] : 1;
			c->bd[d] = rnd(0, 2) ? c->dims[d] : 1;
		}
		if (count_of(c->ad, c->rank) * p->m * p->k <= MMAX &&
		    count_of(c->bd, c->rank) * p->k * p->n <= MMAX &&
		    count_of(c->dims, c->rank) * p->m * p->n <= MMAX)
			break;
	}
	p->batch_rank = c->rank;
	for (int d = c->rank - 1, sa = p->m * p->k, sb = p->k * p->n; d >= 0; d--) {
		p->batch[d] = c->dims[d];
		p->a_stride[d] = c->ad[d] == 1 ? 0 : sa;
		p->b_stride[d] = c->bd[d] == 1 ? 0 : sb;
		sa *= c->ad[d];
		sb *= c->bd[d];
	}
	c->za = rnd(-128, 127);
	c->zb = rnd(-128, 127);
	c->zy = rnd(-20, 20);
	c->as = rndu(0.01, 0.1);
	c->bs = rndu(0.01, 0.1);
	c->ys = c->as * c->bs * sqrt((double)p->k) * rndu(100, 300);
	q->a_offset = -c->za;
	q->b_offset = -c->zb;
	q->output_offset = c->zy;
	q->act_min = rnd(0, 3) ? -128 : c->zy;
	q->act_max = rnd(0, 3) ? 127 : c->zy + 50;
	quantize_multiplier(c->as * c->bs / c->ys, &q->mult, &q->shift);
	for (int i = 0; i < MMAX; i++) {
		ma[i] = (int8_t)rnd(-128, 127);
		mb[i] = (int8_t)rnd(-128, 127);
	}
}

/* element offset in an operand of dims od (rows r x cols s per matrix) of batch index
   idx, broadcasting where od is 1 */
static int32_t bcast_at(const int32_t *od, int rank, const int32_t *idx, int32_t mat)
{
	int32_t at = 0;

	for (int d = 0; d < rank; d++)
		at = at * od[d] + (od[d] == 1 ? 0 : idx[d]);
	return at * mat;
}

/* returns the outputs checked against the real result */
static int check_matmul(const o2m_q8_matmul_params *q, const mmcase *c)
{
	const o2m_matmul_params *p = &q->mm;
	int32_t idx[4], nb = count_of(c->dims, c->rank), real = 0, at = 0;

	for (int b = 0; b < nb; b++) {
		for (int d = c->rank - 1, r = b; d >= 0; d--) {
			idx[d] = r % c->dims[d];
			r /= c->dims[d];
		}
		const int8_t *a = ma + bcast_at(c->ad, c->rank, idx, p->m * p->k);
		const int8_t *bb = mb + bcast_at(c->bd, c->rank, idx, p->k * p->n);
		for (int i = 0; i < p->m; i++)
		for (int j = 0; j < p->n; j++, at++) {
			int64_t acc = 0;
			double r = 0;
			for (int l = 0; l < p->k; l++) {
				acc += (int64_t)(a[i * p->k + l] - c->za) * (bb[l * p->n + j] - c->zb);
				r += (a[i * p->k + l] - c->za) * c->as * ((bb[l * p->n + j] - c->zb) * c->bs);
			}
			int8_t want = ref_out(c->zy + (int64_t)ref_requant((int32_t)acc, q->mult,
									 q->shift),
					      q->act_min, q->act_max);
			if (my[at] != want)
				fail_msg("matmul y[%d] = %d, want %d", at, my[at], want);
			if (my[at] > q->act_min && my[at] < q->act_max) {
				if (!in_range(my[at], r / c->ys + c->zy))
					fail_msg("matmul y[%d] = %d, real %.3f", at, my[at],
						 r / c->ys + c->zy);
				real++;
			}
		}
	}
	return real;
}

static void matmul_broadcasts_as_numpy(void **state)
{
	o2m_q8_matmul_params q;
	mmcase c;
	int real = 0;

	(void)state;
	reseed(2);
	for (int t = 0; t < 300; t++) {
		random_matmul(&q, &c);
		assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_OK);
		real += check_matmul(&q, &c);
	}
	assert_true(real > 5000);
}

static void matmul_edges_and_bad_arguments(void **state)
{
	o2m_q8_matmul_params q;
	mmcase c;

	(void)state;
	reseed(3);
	random_matmul(&q, &c);
	q.mm.k = 0; /* an empty sum: the output zero point */
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_OK);
	assert_int_equal(my[0], ref_out(c.zy, q.act_min, q.act_max));
	q.mm.batch_rank = 1;
	q.mm.batch[0] = 0; /* no output */
	my[0] = 99;
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_OK);
	assert_int_equal(my[0], 99);
	random_matmul(&q, &c);
	q.a_offset = q.b_offset = 128; /* 256 * 256 per product: k up to 32767 */
	q.mm.batch_rank = 0;
	q.mm.m = q.mm.n = 0;
	q.mm.k = 32767;
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_OK);
	q.mm.k = 32768;
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_ERR_ARG);
	random_matmul(&q, &c);
	assert_int_equal(o2m_q8_matmul_s8(&q, NULL, mb, my), O2M_ERR_ARG);
	q.act_min = 10;
	q.act_max = 9;
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_ERR_ARG);
	random_matmul(&q, &c);
	q.mm.batch_rank = O2M_MAX_RANK + 1;
	assert_int_equal(o2m_q8_matmul_s8(&q, ma, mb, my), O2M_ERR_ARG);
}

/* ---- Softmax ---- */

static void exp_table(double xs, int32_t *t)
{
	for (int d = 0; d < 256; d++)
		t[d] = (int32_t)floor(ldexp(exp(-d * xs), 20) + 0.5);
}

/* the integer reference of one row (elements s apart) and the real softmax; returns
   the outputs checked against the real result */
static int check_softmax_row(const o2m_q8_softmax_params *p, const int8_t *x, const int8_t *y,
			     int32_t s, const int32_t *t, double xs, double ys)
{
	int64_t sum = 0;
	double rsum = 0;
	int mx = -128, real = 0;

	for (int i = 0; i < p->n; i++)
		mx = x[i * s] > mx ? x[i * s] : mx;
	for (int i = 0; i < p->n; i++) {
		sum += t[mx - x[i * s]];
		rsum += exp((x[i * s] - mx) * xs);
	}
	for (int i = 0; i < p->n; i++) {
		i128 num = (i128)t[mx - x[i * s]] * p->inv_scale_q16, den = (i128)sum << 16;
		int64_t q = (int64_t)((2 * num + den) / (2 * den)); /* half up: num >= 0 */
		double want = exp((x[i * s] - mx) * xs) / rsum / ys + p->output_offset;
		if (y[i * s] != ref_out(p->output_offset + q, p->act_min, p->act_max))
			fail_msg("softmax y[%d] = %d, want %d", i, y[i * s],
				 ref_out(p->output_offset + q, p->act_min, p->act_max));
		if (y[i * s] > p->act_min && y[i * s] < p->act_max) {
			if (!in_range(y[i * s], want))
				fail_msg("softmax n %d y[%d] = %d, real %.4f", p->n, i, y[i * s], want);
			real++;
		}
	}
	return real;
}

static void softmax_is_within_one_step(void **state)
{
	static int8_t x[3 * 300 * 3], y[3 * 300 * 3];
	static const double yscales[] = {1.0 / 256, 1.0 / 255, 1.0 / 100, 1.0 / 300, 0.02, 0.3};
	int32_t t[256];
	int real = 0;

	(void)state;
	reseed(4);
	for (int c = 0; c < 400; c++) {
		o2m_q8_softmax_params p;
		double xs = ldexp(rndu(1, 2), rnd(-10, -1)), ys = yscales[c % 6];
		int lo = rnd(-128, 127), hi = rnd(lo, 127);
		p.outer = rnd(1, 3);
		p.n = c < 10 ? c + 1 : rnd(1, c % 4 ? 30 : 300);
		p.inner = rnd(1, 3);
		p.output_offset = c % 6 == 0 ? -128 : rnd(-128, 0);
		p.inv_scale_q16 = (int32_t)floor(65536 / ys + 0.5);
		p.act_min = -128;
		p.act_max = 127;
		exp_table(xs, t);
		for (int i = 0; i < p.outer * p.n * p.inner; i++)
			x[i] = (int8_t)rnd(lo, hi);
		assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_OK);
		for (int o = 0; o < p.outer; o++)
			for (int i = 0; i < p.inner; i++) {
				int at = o * p.n * p.inner + i;
				real += check_softmax_row(&p, x + at, y + at, p.inner, t, xs, ys);
			}
	}
	assert_true(real > 20000);
}

static void softmax_edges_and_bad_arguments(void **state)
{
	int8_t x[4] = {-128, 127, 127, 0}, y[4];
	o2m_q8_softmax_params p = {1, 4, 1, -128, 1 << 24, -128, 127};
	int32_t t[256];

	(void)state;
	exp_table(0.5, t);
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_OK);
	assert_int_equal(y[1], 0);  /* 0.5 of 256 steps */
	assert_int_equal(y[0], -128);
	x[0] = x[1] = x[2] = x[3] = 7;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(y[i], -64); /* 0.25 */
	p.n = 1;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_OK);
	assert_int_equal(y[0], 127); /* 1.0 is 256 steps: clamped */
	p.n = 0;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_OK);
	p.n = 4;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, NULL, y), O2M_ERR_ARG);
	p.inv_scale_q16 = 0;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_ERR_ARG);
	p.inv_scale_q16 = 1 << 24;
	t[0] = 0;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_ERR_ARG);
	t[0] = O2M_Q8_EXP_ONE;
	t[9] = O2M_Q8_EXP_ONE + 1;
	assert_int_equal(o2m_q8_softmax_s8(&p, x, t, y), O2M_ERR_ARG);
}

/* ---- ConvTranspose ---- */

#define TMAX 8192
#define CMAX 16

static int8_t tx[TMAX], tw[TMAX], ty[TMAX];
static int64_t tacc[TMAX];
static double treal[TMAX];
static int32_t tbias[CMAX], tmult[CMAX], tshift[CMAX], trq[CMAX];
static double tws[CMAX];

/* one axis: in, k, stride, dil, pad; output_padding and the trailing pad make the
   output size (ONNX: out = stride * (in - 1) + opad + (k - 1) * dil + 1 - pads) */
static void convt_axis(int32_t *in, int32_t *k, int32_t *s, int32_t *d, int32_t *pad,
		       int32_t *out, int maxin, int on)
{
	for (;;) {
		int opad, pe;
		*in = on ? rnd(1, maxin) : 1;
		*k = on ? rnd(1, 3) : 1;
		*s = on ? rnd(1, 3) : 1;
		*d = on ? rnd(1, 2) : 1;
		*pad = on ? rnd(0, 2) : 0;
		opad = rnd(0, (*s > *d ? *s : *d) - 1);
		pe = on ? rnd(0, 2) : 0;
		*out = *s * (*in - 1) + opad + (*k - 1) * *d + 1 - *pad - pe;
		if (*out >= 1 && (on || *out == 1))
			return;
	}
}

/* a random case of `rank` spatial dims; returns the output count */
static int random_convt(o2m_q8_conv_params *q, int rank, double *xs, double *ys, int32_t *zx,
			int32_t *zy)
{
	o2m_conv_params *p = &q->conv;
	int cin, cout, nx, nw, ny, taps;

	for (;;) {
		memset(q, 0, sizeof *q);
		p->n = rnd(1, 2);
		p->group = rnd(1, 2);
		cin = rnd(1, 3);
		cout = rnd(1, 3);
		p->c_in = cin * p->group;
		p->c_out = cout * p->group;
		convt_axis(&p->in_d, &p->k_d, &p->stride_d, &p->dil_d, &p->pad_d, &p->out_d, 3,
			   rank >= 3);
		convt_axis(&p->in_h, &p->k_h, &p->stride_h, &p->dil_h, &p->pad_h, &p->out_h, 5,
			   rank >= 2);
		convt_axis(&p->in_w, &p->k_w, &p->stride_w, &p->dil_w, &p->pad_w, &p->out_w,
			   rank == 1 ? 10 : 5, 1);
		nx = p->n * p->c_in * p->in_d * p->in_h * p->in_w;
		nw = p->c_in * cout * p->k_d * p->k_h * p->k_w;
		ny = p->n * p->c_out * p->out_d * p->out_h * p->out_w;
		if (nx <= TMAX && nw <= TMAX && ny <= TMAX)
			break;
	}
	*zx = rnd(-128, 127);
	*zy = rnd(-20, 20);
	*xs = rndu(0.01, 0.1);
	*ys = rndu(0.01, 0.1);
	q->input_offset = -*zx;
	q->output_offset = *zy;
	q->act_min = rnd(0, 3) ? -128 : *zy;
	q->act_max = 127;
	for (int i = 0; i < nx; i++)
		tx[i] = (int8_t)rnd(-128, 127);
	for (int i = 0; i < nw; i++)
		tw[i] = (int8_t)rnd(-127, 127);
	/* at most about cin * k / stride taps reach an output */
	taps = cin * p->k_d * p->k_h * p->k_w;
	for (int oc = 0; oc < p->c_out; oc++) {
		double m = rndu(0.5, 1.5) / (sqrt((double)taps) * 150.0);
		tws[oc] = m * *ys / *xs;
		quantize_multiplier(m, &tmult[oc], &tshift[oc]);
		tmult[oc] &= ~63; /* what one packed word holds (o2m_q8.h), still >= 2^30 */
		trq[oc] = o2m_q8_rq_pack(tmult[oc], tshift[oc]);
		tbias[oc] = rnd(-3000, 3000);
	}
	return ny;
}

/* the naive scatter: every input element times every tap of every output channel of
   its group, added where it lands, in int64 and in double */
static void ref_convt(const o2m_q8_conv_params *q, double xs)
{
	const o2m_conv_params *p = &q->conv;
	const int cin = p->c_in / p->group, cout = p->c_out / p->group;
	const int plane = p->out_d * p->out_h * p->out_w;

	for (int n = 0; n < p->n; n++)
		for (int oc = 0; oc < p->c_out; oc++)
			for (int i = 0; i < plane; i++) {
				tacc[(n * p->c_out + oc) * plane + i] = tbias[oc];
				treal[(n * p->c_out + oc) * plane + i] = tbias[oc] * xs * tws[oc];
			}
	for (int n = 0; n < p->n; n++)
	for (int ic = 0; ic < p->c_in; ic++)
	for (int id = 0; id < p->in_d; id++)
	for (int ih = 0; ih < p->in_h; ih++)
	for (int iw = 0; iw < p->in_w; iw++) {
		int xv = tx[(((n * p->c_in + ic) * p->in_d + id) * p->in_h + ih) * p->in_w + iw];
		for (int c = 0; c < cout; c++)
		for (int kd = 0; kd < p->k_d; kd++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int od = id * p->stride_d - p->pad_d + kd * p->dil_d;
			int oh = ih * p->stride_h - p->pad_h + kh * p->dil_h;
			int ow = iw * p->stride_w - p->pad_w + kw * p->dil_w;
			int oc = ic / cin * cout + c, wv, at;
			if (od < 0 || od >= p->out_d || oh < 0 || oh >= p->out_h || ow < 0 ||
			    ow >= p->out_w)
				continue;
			wv = tw[(((ic * cout + c) * p->k_d + kd) * p->k_h + kh) * p->k_w + kw];
			at = (((n * p->c_out + oc) * p->out_d + od) * p->out_h + oh) * p->out_w + ow;
			tacc[at] += (int64_t)(xv + q->input_offset) * wv;
			treal[at] += (xv + q->input_offset) * xs * (wv * tws[oc]);
		}
	}
}

static void convt_matches_scatter_and_real(void **state)
{
	int outputs = 0, real = 0;

	(void)state;
	reseed(5);
	for (int t = 0; t < 400; t++) {
		o2m_q8_conv_params q;
		double xs, ys;
		int32_t zx, zy;
		int ny = random_convt(&q, 1 + t % 3, &xs, &ys, &zx, &zy);
		const int plane = q.conv.out_d * q.conv.out_h * q.conv.out_w;
		int nobias = t % 10 == 0;
		if (nobias)
			memset(tbias, 0, sizeof tbias);
		ref_convt(&q, xs);
		assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, nobias ? NULL : tbias, trq,
							  ty),
				 O2M_OK);
		for (int i = 0; i < ny; i++) {
			int oc = i / plane % q.conv.c_out;
			int8_t want;
			assert_true(tacc[i] >= INT32_MIN && tacc[i] <= INT32_MAX);
			want = ref_out(zy + (int64_t)ref_requant((int32_t)tacc[i], tmult[oc],
								 tshift[oc]),
				       q.act_min, q.act_max);
			if (ty[i] != want)
				fail_msg("convt case %d y[%d] = %d, want %d", t, i, ty[i], want);
			if (ty[i] > q.act_min && ty[i] < q.act_max) {
				if (!in_range(ty[i], treal[i] / ys + zy))
					fail_msg("convt y[%d] = %d, real %.3f", i, ty[i],
						 treal[i] / ys + zy);
				real++;
			}
		}
		outputs += ny;
	}
	assert_true(real > outputs / 2);
}

static void convt_rejects_bad_arguments(void **state)
{
	o2m_q8_conv_params q;
	double xs, ys;
	int32_t zx, zy;

	(void)state;
	reseed(6);
	random_convt(&q, 2, &xs, &ys, &zx, &zy);
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, tbias, trq, ty), O2M_OK);
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, NULL, tbias, trq, ty),
			 O2M_ERR_ARG);
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, tbias, NULL, ty),
			 O2M_ERR_ARG);
	q.conv.stride_h = 0;
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, tbias, trq, ty),
			 O2M_ERR_ARG);
	random_convt(&q, 2, &xs, &ys, &zx, &zy);
	q.conv.group = 2;
	q.conv.c_in = 3;
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, tbias, trq, ty),
			 O2M_ERR_ARG);
	random_convt(&q, 2, &xs, &ys, &zx, &zy);
	q.input_offset = 300;
	assert_int_equal(o2m_q8_conv_transpose_s8(&q, tx, tw, tbias, trq, ty),
			 O2M_ERR_ARG);
}

/* ---- Resize ---- */

#define RMAX 40

static int32_t rih[2 * RMAX], riw[2 * RMAX];
static int16_t rwh[2 * RMAX], rww[2 * RMAX];

/* a pair for source position i0 + f (f in [0, 1)): a weight of one splits in halves */
static void pair(int32_t *idx, int16_t *wt, int32_t i0, double f, int32_t in)
{
	int32_t w1 = (int32_t)floor(f * 32768 + 0.5);

	if (w1 == 0 || w1 == 32768 || i0 + 1 >= in) {
		idx[0] = idx[1] = w1 == 32768 && i0 + 1 < in ? i0 + 1 : i0;
		wt[0] = wt[1] = 16384;
		return;
	}
	idx[0] = i0;
	idx[1] = i0 + 1;
	wt[0] = (int16_t)(32768 - w1);
	wt[1] = (int16_t)w1;
}

/* kind 0: random indices and weights; 1: align_corners; 2: half_pixel, edges clamped */
static void resize_table(int32_t *idx, int16_t *wt, int32_t out, int32_t in, int kind)
{
	for (int j = 0; j < out; j++) {
		double s;
		if (kind == 0) {
			idx[2 * j] = rnd(0, in - 1);
			idx[2 * j + 1] = rnd(0, in - 1);
			wt[2 * j] = (int16_t)rnd(1, 32767);
			wt[2 * j + 1] = (int16_t)(32768 - wt[2 * j]);
			continue;
		}
		if (kind == 1)
			s = out > 1 ? (double)j * (in - 1) / (out - 1) : 0;
		else
			s = (j + 0.5) * in / out - 0.5;
		s = s < 0 ? 0 : s > in - 1 ? in - 1 : s;
		pair(idx + 2 * j, wt + 2 * j, (int32_t)floor(s), s - floor(s), in);
	}
}

static void resize_is_exact_or_within_one_step(void **state)
{
	static int8_t x[3 * RMAX * RMAX], y[3 * RMAX * RMAX];
	int real = 0, exact = 0;

	(void)state;
	reseed(7);
	for (int t = 0; t < 300; t++) {
		o2m_q8_resize_params p;
		int kind = t % 3, equal = t % 2;
		int32_t zx = rnd(-128, 127), zy = equal ? zx : rnd(-30, 30);
		double xs = rndu(0.01, 0.1), ys = equal ? xs : xs * rndu(0.6, 3.0);
		p.planes = rnd(1, 3);
		p.in_h = rnd(1, 12);
		p.in_w = rnd(1, 12);
		p.out_h = rnd(1, RMAX);
		p.out_w = rnd(1, RMAX);
		p.input_offset = -zx;
		p.output_offset = zy;
		p.act_min = rnd(0, 3) ? -128 : rnd(-128, 0);
		p.act_max = rnd(0, 3) ? 127 : rnd(0, 127);
		quantize_multiplier(xs / ys, &p.mult, &p.shift);
		resize_table(rih, rwh, p.out_h, p.in_h, kind);
		resize_table(riw, rww, p.out_w, p.in_w, kind);
		for (int i = 0; i < p.planes * p.in_h * p.in_w; i++)
			x[i] = (int8_t)rnd(-128, 127);
		assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_OK);
		for (int c = 0, at = 0; c < p.planes; c++)
		for (int j = 0; j < p.out_h; j++)
		for (int k = 0; k < p.out_w; k++, at++) {
			const int8_t *xc = x + c * p.in_h * p.in_w;
			int64_t acc = 0;
			double r;
			int8_t want;
			for (int a = 0; a < 2; a++)
				for (int b = 0; b < 2; b++)
					acc += (int64_t)rwh[2 * j + a] * rww[2 * k + b] *
					       (xc[rih[2 * j + a] * p.in_w + riw[2 * k + b]] - zx);
			r = ldexp((double)acc, -30) * xs / ys + zy;
			want = ref_out(zy + ref_round_pow2((i128)acc * p.mult, 61 - p.shift),
				       p.act_min, p.act_max);
			if (y[at] != want)
				fail_msg("resize y[%d] = %d, want %d", at, y[at], want);
			if (equal) { /* the correctly rounded interpolation */
				assert_int_equal(y[at], ref_out(zy + ref_round_pow2(acc, 30),
								p.act_min, p.act_max));
				exact++;
			}
			if (y[at] > p.act_min && y[at] < p.act_max) {
				if (fabs(y[at] - r) > 0.5 + 1e-6)
					fail_msg("resize y[%d] = %d, real %.4f", at, y[at], r);
				real++;
			}
		}
	}
	assert_true(real > 50000 && exact > 50000);
}

static void resize_rejects_bad_tables(void **state)
{
	int8_t x[4] = {1, 2, 3, 4}, y[4];
	o2m_q8_resize_params p = {1, 2, 2, 2, 2, 0, 0, 1 << 30, 1, -128, 127};

	(void)state;
	resize_table(rih, rwh, 2, 2, 1);
	resize_table(riw, rww, 2, 2, 1);
	assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_OK);
	assert_memory_equal(x, y, 4); /* align_corners 2 -> 2 is the identity */
	riw[3] = 2;
	assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_ERR_ARG);
	riw[3] = 1;
	rwh[0] = 100;
	assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_ERR_ARG);
	rwh[0] = 16384;
	rwh[1] = 16384;
	assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_OK);
	assert_int_equal(o2m_q8_resize_s8(&p, x, NULL, rwh, riw, rww, y), O2M_ERR_ARG);
	p.shift = 31;
	assert_int_equal(o2m_q8_resize_s8(&p, x, rih, rwh, riw, rww, y), O2M_ERR_ARG);
}

/* ---- LayerNormalization ---- */

#define NMAX 65535

static int8_t nx[NMAX], ny[NMAX];
static int16_t ngamma[NMAX];
static int32_t nbeta[NMAX];

/* a case's scales; the real epsilon, gamma and beta are those the tables hold exactly,
   so the check sees the kernel's error alone */
typedef struct {
	double xs, ys;
	int32_t zx;
} ncase;

static void random_norm(o2m_q8_norm_params *p, ncase *c, int32_t n, int spread)
{
	double eps = rnd(0, 1) ? 1e-5 : rndu(1e-4, 0.1), gmax = rndu(0.1, 3.0), most = 0;

	p->outer = rnd(1, 3);
	p->n = n;
	c->zx = rnd(-128, 127);
	c->xs = rndu(0.005, 0.2);
	c->ys = rndu(0.02, 0.08) * gmax;
	p->input_offset = -c->zx;
	p->output_offset = rnd(-20, 20);
	p->act_min = rnd(0, 5) ? -128 : rnd(-128, 0);
	p->act_max = rnd(0, 5) ? 127 : rnd(0, 127);
	p->eps_q16 = (int32_t)fmax(1, floor(eps / (c->xs * c->xs) * 65536 + 0.5));
	static double g[NMAX];
	for (int i = 0; i < n; i++) {
		g[i] = rndu(-gmax, gmax);
		most = fmax(most, fabs(g[i]) / c->ys);
	}
	for (p->gamma_shift = 0; p->gamma_shift < 24 &&
	     most * ldexp(1, p->gamma_shift + 1) <= 32767; p->gamma_shift++)
		;
	for (int i = 0; i < n; i++) {
		ngamma[i] = (int16_t)floor(g[i] / c->ys * ldexp(1, p->gamma_shift) + 0.5);
		nbeta[i] = (int32_t)floor(rndu(-1, 1) / c->ys * 65536 + 0.5);
	}
	for (int i = 0; i < p->outer * n; i++) {
		int mid = rnd(-128, 127);
		nx[i] = (int8_t)(spread ? rnd(-128, 127) : (rnd(0, 9) ? mid : rnd(-128, 127)));
	}
}

/* returns the outputs checked against the real result; worst, the largest error */
static int check_norm(const o2m_q8_norm_params *p, const ncase *c, const int16_t *gamma,
		      const int32_t *beta, double *worst)
{
	int real = 0;

	for (int o = 0; o < p->outer; o++) {
		const int8_t *x = nx + o * p->n, *y = ny + o * p->n;
		double mean = 0, var = 0, eps = p->eps_q16 / 65536.0 * c->xs * c->xs;
		for (int i = 0; i < p->n; i++)
			mean += (x[i] - c->zx) * c->xs;
		mean /= p->n;
		for (int i = 0; i < p->n; i++)
			var += ((x[i] - c->zx) * c->xs - mean) * ((x[i] - c->zx) * c->xs - mean);
		var /= p->n;
		for (int i = 0; i < p->n; i++) {
			double g = ldexp(gamma[i], -p->gamma_shift) * c->ys;
			double b = beta ? beta[i] / 65536.0 * c->ys : 0;
			double z = ((x[i] - c->zx) * c->xs - mean) / sqrt(var + eps);
			double want = (z * g + b) / c->ys + p->output_offset;
			if (y[i] > p->act_min && y[i] < p->act_max) {
				*worst = fmax(*worst, fabs(y[i] - want));
				if (fabs(y[i] - want) > 0.5 + 1e-4)
					fail_msg("layer_norm n %d y[%d] = %d, real %.5f", p->n, i,
						 y[i], want);
				real++;
			} else if (y[i] != ref_out((int64_t)floor(want + 0.5), p->act_min,
						   p->act_max) && fabs(y[i] - want) > 0.5 + 1e-4) {
				fail_msg("layer_norm n %d y[%d] = %d clamped, real %.5f", p->n, i,
					 y[i], want);
			}
		}
	}
	return real;
}

static void layer_norm_is_within_half_a_step(void **state)
{
	int real = 0;
	double worst = 0;

	(void)state;
	reseed(8);
	for (int t = 0; t < 400; t++) {
		o2m_q8_norm_params p;
		ncase c;
		int32_t n = t < 300 ? rnd(1, 300) : t < 398 ? rnd(300, 4096) : NMAX / 3;
		random_norm(&p, &c, n, t % 2);
		assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, t % 7 ? nbeta : NULL, ny),
				 O2M_OK);
		real += check_norm(&p, &c, ngamma, t % 7 ? nbeta : NULL, &worst);
	}
	print_message("layer_norm: %d outputs, worst %.6f steps\n", real, worst);
	assert_true(real > 100000);
}

/* the extremes of the 64-bit sums: the longest row at the largest variance, tiny and
   large epsilons; a constant row gives beta */
static void layer_norm_extremes(void **state)
{
	o2m_q8_norm_params p;
	ncase c;
	double worst = 0;

	(void)state;
	reseed(9);
	random_norm(&p, &c, NMAX, 1);
	p.outer = 1;
	for (int i = 0; i < NMAX; i++)
		nx[i] = (int8_t)(i % 2 ? 127 : -128);
	p.input_offset = 128;
	c.zx = -128;
	p.eps_q16 = INT32_MAX;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, nbeta, ny), O2M_OK);
	check_norm(&p, &c, ngamma, nbeta, &worst);
	p.eps_q16 = 1;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, nbeta, ny), O2M_OK);
	check_norm(&p, &c, ngamma, nbeta, &worst);
	random_norm(&p, &c, 50, 0);
	p.eps_q16 = 1;
	p.act_min = -128;
	p.act_max = 127;
	memset(nx, 5, 50 * 3);
	nbeta[0] = -(3 << 15); /* ties: -1.5 and 1.5 round away from zero */
	nbeta[1] = 3 << 15;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, nbeta, ny), O2M_OK);
	for (int i = 0; i < 50 * p.outer; i++)
		assert_int_equal(ny[i], ref_out(p.output_offset + div_pow2_away(nbeta[i % 50], 16),
						-128, 127));
	p.n = 1;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, NULL, ny), O2M_OK);
	assert_int_equal(ny[0], ref_out(p.output_offset, -128, 127));
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, NULL, NULL, ny), O2M_ERR_ARG);
	p.eps_q16 = 0;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, NULL, ny), O2M_ERR_ARG);
	p.eps_q16 = 1;
	p.n = NMAX + 1;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, NULL, ny), O2M_ERR_ARG);
	p.n = 4;
	p.gamma_shift = 25;
	assert_int_equal(o2m_q8_layer_norm_s8(&p, nx, ngamma, NULL, ny), O2M_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requant_wide_rounds_once),
		cmocka_unit_test(matmul_broadcasts_as_numpy),
		cmocka_unit_test(matmul_edges_and_bad_arguments),
		cmocka_unit_test(softmax_is_within_one_step),
		cmocka_unit_test(softmax_edges_and_bad_arguments),
		cmocka_unit_test(convt_matches_scatter_and_real),
		cmocka_unit_test(convt_rejects_bad_arguments),
		cmocka_unit_test(resize_is_exact_or_within_one_step),
		cmocka_unit_test(resize_rejects_bad_tables),
		cmocka_unit_test(layer_norm_is_within_half_a_step),
		cmocka_unit_test(layer_norm_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
