/* test_conv.c - the convolution and pooling kernels against naive references that
   follow the ONNX definitions tap by tap, on random geometries: every kernel variant
   (direct, depthwise with its 3x3 rows, pointwise, transposed) and every pool; and the
   fused activation epilogue, bit for bit the unfused unary kernels and Clip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "../../runtime-stub/o2m_kernels.h"
#include "acts.h"

#define BIG 20000

static uint32_t seed = 12345;

static int rnd(int lo, int hi) /* in [lo, hi] */
{
	seed = seed * 1103515245u + 12345u;
	return lo + (int)((seed >> 16) % (uint32_t)(hi - lo + 1));
}

static float rndf(void) { return (float)rnd(-1000, 1000) / 500.0f; }

static float x[BIG], w[BIG], b[64], y[BIG], ref[BIG];
static double col[BIG]; /* the scratch of the kernels that take one (double) */
static float colf[BIG]; /* and float */

/* the convolution through im2col panels with a scratch panel, as the other variants */
static int im2col_f32(const o2m_conv_params *p, const float *xs, const float *ws,
		      const float *bs, const float *r, float *ys)
{
	assert_true(p->c_in / p->group * p->k_d * p->k_h * p->k_w * 4 <= BIG);
	return o2m_conv_im2col_f32(p, xs, ws, bs, r, ys, colf);
}

static int dw_rows_f32(const o2m_conv_params *p, const float *xs, const float *ws,
		       const float *bs, const float *r, float *ys)
{
	return o2m_conv_dw_rows_f32(p, xs, ws, bs, r, ys, colf);
}

static int dw_rows_f64(const o2m_conv_params *p, const double *xs, const double *ws,
		       const double *bs, const double *r, double *ys)
{
	return o2m_conv_dw_rows_f64(p, xs, ws, bs, r, ys, col);
}

/* the filters as o2m_conv_gemm reads them (as ir/op_conv.c packs them) */
#define PACK4_(name, T)                                                                 \
static void name(const o2m_conv_params *p, const T *ws, T *pk)                          \
{                                                                                       \
	const int kt = p->c_in / p->group * p->k_d * p->k_h * p->k_w;                   \
	const int cout = p->c_out / p->group;                                           \
	int o = 0;                                                                      \
	for (int gr = 0; gr < p->group; gr++) {                                         \
		const T *wg = ws + gr * cout * kt;                                      \
		int co = 0;                                                             \
		for (; co + 4 <= cout; co += 4)                                         \
			for (int q = 0; q < kt; q++)                                    \
				for (int i = 0; i < 4; i++)                             \
					pk[o++] = wg[(co + i) * kt + q];                \
		for (int q = co * kt; q < cout * kt; q++)                               \
			pk[o++] = wg[q];                                                \
	}                                                                               \
}
PACK4_(pack4, float)
PACK4_(pack4d, double)

static int im2col_f64(const o2m_conv_params *p, const double *xs, const double *ws,
		      const double *bs, const double *r, double *ys);

/* conv_gemm on packed filters in double: the same bits as conv_im2col */
static int gemm_f64(const o2m_conv_params *p, const double *xs, const double *ws,
		    const double *bs, const double *r, double *ys)
{
	static double pk[BIG], want[BIG];
	const int n = p->n * p->c_out * p->out_d * p->out_h * p->out_w;
	int rc;

	pack4d(p, ws, pk);
	rc = o2m_conv_gemm_f64(p, xs, pk, bs, r, ys, col);
	assert_int_equal(im2col_f64(p, xs, ws, bs, r, want), rc);
	assert_memory_equal(ys, want, (size_t)n * sizeof *ys);
	return rc;
}

/* conv_gemm on packed filters: the same bits as conv_im2col */
static int gemm_f32(const o2m_conv_params *p, const float *xs, const float *ws,
		    const float *bs, const float *r, float *ys)
{
	static float pk[BIG], want[BIG];
	const int n = p->n * p->c_out * p->out_d * p->out_h * p->out_w;
	int rc;

	pack4(p, ws, pk);
	rc = o2m_conv_gemm_f32(p, xs, pk, bs, r, ys, colf);
	assert_int_equal(im2col_f32(p, xs, ws, bs, r, want), rc);
	assert_memory_equal(ys, want, (size_t)n * sizeof *ys);
	return rc;
}

static int im2col_f64(const o2m_conv_params *p, const double *xs, const double *ws,
		      const double *bs, const double *r, double *ys)
{
	return o2m_conv_im2col_f64(p, xs, ws, bs, r, ys, col);
}
static int64_t idx[BIG], ref_idx[BIG];

static void fill(float *a, int n)
{
	for (int i = 0; i < n; i++)
		a[i] = rndf();
}

static void close_enough(const float *got, const float *want, int n, const char *what)
{
	for (int i = 0; i < n; i++)
		if (!(fabsf(got[i] - want[i]) <= 1e-4f + 1e-4f * fabsf(want[i])) &&
		    !(got[i] != got[i] && want[i] != want[i]) && got[i] != want[i])
			fail_msg("%s: element %d is %g, want %g", what, i, (double)got[i],
				 (double)want[i]);
}

/* a position along one axis, or -1 outside [0, in) */
static int at(int o, int s, int pad, int k, int d, int in)
{
	int p = o * s - pad + k * d;
	return p >= 0 && p < in ? p : -1;
}

/* ---- convolution ---- */

static void conv_ref(const o2m_conv_params *p, const float *bias)
{
	int cin = p->c_in / p->group, cout = p->c_out / p->group, i = 0;

	for (int n = 0; n < p->n; n++)
	for (int co = 0; co < p->c_out; co++)
	for (int od = 0; od < p->out_d; od++)
	for (int oh = 0; oh < p->out_h; oh++)
	for (int ow = 0; ow < p->out_w; ow++, i++) {
		double s = bias ? bias[co] : 0;
		for (int c = 0; c < cin; c++)
		for (int kd = 0; kd < p->k_d; kd++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int d = at(od, p->stride_d, p->pad_d, kd, p->dil_d, p->in_d);
			int h = at(oh, p->stride_h, p->pad_h, kh, p->dil_h, p->in_h);
			int ww = at(ow, p->stride_w, p->pad_w, kw, p->dil_w, p->in_w);
			int ci = co / cout * cin + c;
			if (d < 0 || h < 0 || ww < 0)
				continue;
			s += (double)x[(((n * p->c_in + ci) * p->in_d + d) * p->in_h + h) * p->in_w + ww] *
			     w[(((co * cin + c) * p->k_d + kd) * p->k_h + kh) * p->k_w + kw];
		}
		ref[i] = (float)s;
	}
}

/* random sizes of one axis with an output of at least 1 */
static void axis(int on, int32_t *in, int32_t *out, int32_t *k, int32_t *s, int32_t *d,
		 int32_t *pad, int dense)
{
	int pe;

	*in = *out = *k = *s = *d = 1;
	*pad = 0;
	if (!on)
		return;
	*k = rnd(1, 4);
	*s = dense ? 1 : rnd(1, 3);
	*d = dense ? 1 : rnd(1, 2);
	*pad = dense ? 0 : rnd(0, *k - 1);
	pe = dense ? 0 : rnd(0, *k - 1);
	*in = rnd((*k - 1) * *d + 1, 9);
	*out = (*in + *pad + pe - (*k - 1) * *d - 1) / *s + 1;
}

static o2m_conv_params conv_case(int rank, int variant)
{
	o2m_conv_params p;
	int cin;

	memset(&p, 0, sizeof p);
	p.n = rnd(1, 2);
	p.group = variant == 1 ? rnd(2, 4) : rnd(1, 2);
	cin = variant == 1 ? 1 : rnd(1, 3);
	p.c_in = p.group * cin;
	p.c_out = p.group * rnd(1, 6);
	axis(rank >= 3, &p.in_d, &p.out_d, &p.k_d, &p.stride_d, &p.dil_d, &p.pad_d, 0);
	axis(rank >= 2, &p.in_h, &p.out_h, &p.k_h, &p.stride_h, &p.dil_h, &p.pad_h, 0);
	axis(1, &p.in_w, &p.out_w, &p.k_w, &p.stride_w, &p.dil_w, &p.pad_w, 0);
	if (variant == 1 && rnd(0, 1)) { /* the unrolled 3x3 rows of the depthwise kernel */
		p.k_d = 1, p.k_h = p.k_w = 3;
		p.in_h = rnd(3, 9), p.in_w = rnd(3, 12);
		p.out_h = (p.in_h + 2 * p.pad_h - 2 * p.dil_h - 1) / p.stride_h + 1;
		p.out_w = (p.in_w + 2 * p.pad_w - 2 * p.dil_w - 1) / p.stride_w + 1;
		if (p.out_h < 1 || p.out_w < 1)
			p.pad_h = p.pad_w = 2, p.dil_h = p.dil_w = 1, p.out_h = p.in_h + 2,
			p.out_w = p.in_w + 2;
	}
	if (variant == 2) { /* pointwise */
		p.k_d = p.k_h = p.k_w = 1;
		p.stride_d = p.stride_h = p.stride_w = 1;
		p.pad_d = p.pad_h = p.pad_w = 0;
		p.out_d = p.in_d, p.out_h = p.in_h, p.out_w = p.in_w;
	}
	p.act_min = -3.4028235e38f;
	p.act_max = 3.4028235e38f;
	return p;
}

static void conv_variants(void **state)
{
	(void)state;
	for (int t = 0; t < 600; t++) {
		int variant = t % 3, rank = 1 + t / 3 % 3, nout;
		o2m_conv_params p = conv_case(rank, variant);
		int nx = p.n * p.c_in * p.in_d * p.in_h * p.in_w;
		int nw = p.c_out * (p.c_in / p.group) * p.k_d * p.k_h * p.k_w;
		const float *bias = rnd(0, 1) ? b : NULL;
		nout = p.n * p.c_out * p.out_d * p.out_h * p.out_w;
		assert_true(nx < BIG && nw < BIG && nout < BIG);
		fill(x, nx);
		fill(w, nw);
		fill(b, p.c_out);
		conv_ref(&p, bias);
		assert_int_equal(o2m_conv_f32(&p, x, w, bias, NULL, y), O2M_OK);
		close_enough(y, ref, nout, "conv");
		memset(y, 0, sizeof y);
		assert_int_equal(im2col_f32(&p, x, w, bias, NULL, y), O2M_OK);
		close_enough(y, ref, nout, "conv_im2col");
		assert_int_equal(gemm_f32(&p, x, w, bias, NULL, y), O2M_OK);
		if (variant == 1) {
			memset(y, 0, sizeof y);
			assert_int_equal(o2m_conv_dw_f32(&p, x, w, bias, NULL, y), O2M_OK);
			close_enough(y, ref, nout, "conv_dw");
			if (rank <= 2) {
				memset(y, 0, sizeof y);
				assert_int_equal(dw_rows_f32(&p, x, w, bias, NULL, y), O2M_OK);
				close_enough(y, ref, nout, "conv_dw_rows");
			}
		}
		if (variant == 2) {
			memset(y, 0, sizeof y);
			assert_int_equal(o2m_conv_1x1_f32(&p, x, w, bias, NULL, y), O2M_OK);
			close_enough(y, ref, nout, "conv_1x1");
		}
	}
}

/* depthwise over a padded plane (small channels), over rows read in place (wide rows:
   only the few outputs at the ends check their taps) and over the padded ring (tall
   narrow channels), any window, stride and dilation */
static void conv_dw_rows_wide_and_narrow(void **state)
{
	(void)state;
	for (int t = 0; t < 300; t++) {
		o2m_conv_params p;
		const float *bias = rnd(0, 1) ? b : NULL;
		int nx, nout;
		memset(&p, 0, sizeof p);
		p.n = 1;
		p.group = p.c_in = rnd(1, 3);
		p.c_out = p.c_in * rnd(1, 2);
		p.in_d = p.out_d = p.k_d = p.stride_d = p.dil_d = 1;
		p.k_h = rnd(0, 1) ? 3 : rnd(1, 5), p.k_w = rnd(0, 1) ? 3 : rnd(1, 5);
		p.stride_h = rnd(1, 2), p.stride_w = rnd(1, 2);
		p.dil_h = rnd(0, 3) ? 1 : 2, p.dil_w = rnd(0, 3) ? 1 : 2;
		p.pad_h = rnd(0, 2), p.pad_w = rnd(0, 2);
		p.in_h = t % 3 == 2 ? rnd(150, 300) : rnd(p.k_h * p.dil_h, p.k_h * p.dil_h + 5);
		if (t % 3 == 2)
			p.group = p.c_in = 1, p.c_out = rnd(1, 2);
		p.in_w = t % 3 == 1 ? rnd(40, 90) : rnd(p.k_w * p.dil_w, p.k_w * p.dil_w + 6);
		p.out_h = (p.in_h + 2 * p.pad_h - p.dil_h * (p.k_h - 1) - 1) / p.stride_h + 1;
		p.out_w = (p.in_w + 2 * p.pad_w - p.dil_w * (p.k_w - 1) - 1) / p.stride_w + 1;
		p.act_min = t % 3 ? -3.4028235e38f : 0;
		p.act_max = 3.4028235e38f;
		nx = p.c_in * p.in_h * p.in_w;
		nout = p.c_out * p.out_h * p.out_w;
		assert_true(nx < BIG && nout < BIG);
		fill(x, nx);
		fill(w, p.c_out * p.k_h * p.k_w);
		fill(b, p.c_out);
		conv_ref(&p, bias);
		for (int i = 0; i < nout; i++)
			ref[i] = ref[i] < p.act_min ? p.act_min : ref[i];
		memset(y, 0, sizeof y);
		assert_int_equal(dw_rows_f32(&p, x, w, bias, NULL, y), O2M_OK);
		close_enough(y, ref, nout, "conv_dw_rows");
	}
}

/* the activation bounds clamp every variant's output */
static void conv_clamps(void **state)
{
	o2m_conv_params p = conv_case(2, 2);

	(void)state;
	p.act_min = -0.5f;
	p.act_max = 0.25f;
	fill(x, p.n * p.c_in * p.in_h * p.in_w);
	fill(w, p.c_out * p.c_in / p.group);
	assert_int_equal(o2m_conv_1x1_f32(&p, x, w, NULL, NULL, y), O2M_OK);
	for (int i = 0; i < p.n * p.c_out * p.out_h * p.out_w; i++)
		assert_true(y[i] >= -0.5f && y[i] <= 0.25f);
}

/* with zero offsets and a mask of ones a deformable convolution is a convolution */
static void deform_is_conv_at_zero_offset(void **state)
{
	static float off[BIG], mask[BIG];

	(void)state;
	for (int t = 0; t < 200; t++) {
		o2m_conv_params p = conv_case(2, t % 2);
		o2m_deform_params d = {p.n, p.c_in, p.c_out, p.group, 1, p.in_h, p.in_w, p.out_h,
				       p.out_w, p.k_h, p.k_w, p.stride_h, p.stride_w, p.dil_h, p.dil_w,
				       p.pad_h, p.pad_w};
		int taps = p.k_h * p.k_w, plane = p.out_h * p.out_w;
		int nout = p.n * p.c_out * plane;
		const float *bias = rnd(0, 1) ? b : NULL;
		if (p.c_in % 2 == 0 && rnd(0, 1))
			d.offset_group = 2;
		if (nout >= BIG || p.n * d.offset_group * taps * 2 * plane >= BIG)
			continue;
		fill(x, p.n * p.c_in * p.in_h * p.in_w);
		fill(w, p.c_out * (p.c_in / p.group) * taps);
		fill(b, p.c_out);
		memset(off, 0, sizeof off);
		for (int i = 0; i < BIG; i++)
			mask[i] = 1;
		conv_ref(&p, bias);
		assert_int_equal(o2m_deform_conv_f32(&d, x, w, off, bias, rnd(0, 1) ? mask : NULL, y),
				 O2M_OK);
		close_enough(y, ref, nout, "deform_conv");
	}
}

/* ---- transposed convolution ---- */

static void convt_ref(const o2m_conv_params *p, const float *bias)
{
	int cin = p->c_in / p->group, cout = p->c_out / p->group;
	int oplane = p->out_d * p->out_h * p->out_w;

	for (int n = 0; n < p->n; n++)
		for (int co = 0; co < p->c_out; co++)
			for (int i = 0; i < oplane; i++)
				ref[(n * p->c_out + co) * oplane + i] = bias ? bias[co] : 0;
	for (int n = 0; n < p->n; n++)
	for (int ci = 0; ci < p->c_in; ci++)
	for (int c = 0; c < cout; c++)
	for (int id = 0; id < p->in_d; id++)
	for (int ih = 0; ih < p->in_h; ih++)
	for (int iw = 0; iw < p->in_w; iw++)
	for (int kd = 0; kd < p->k_d; kd++)
	for (int kh = 0; kh < p->k_h; kh++)
	for (int kw = 0; kw < p->k_w; kw++) {
		int d = at(id, p->stride_d, p->pad_d, kd, p->dil_d, p->out_d);
		int h = at(ih, p->stride_h, p->pad_h, kh, p->dil_h, p->out_h);
		int ww = at(iw, p->stride_w, p->pad_w, kw, p->dil_w, p->out_w);
		int co = ci / cin * cout + c;
		if (d < 0 || h < 0 || ww < 0)
			continue;
		ref[(((n * p->c_out + co) * p->out_d + d) * p->out_h + h) * p->out_w + ww] +=
			x[(((n * p->c_in + ci) * p->in_d + id) * p->in_h + ih) * p->in_w + iw] *
			w[(((ci * cout + c) * p->k_d + kd) * p->k_h + kh) * p->k_w + kw];
	}
}

static void conv_transpose(void **state)
{
	(void)state;
	for (int t = 0; t < 300; t++) {
		o2m_conv_params p = conv_case(1 + t % 3, 0);
		const float *bias = rnd(0, 1) ? b : NULL;
		int nout;
		/* the output size is free: ONNX derives it from pads, output_shape or SAME */
		p.out_d = p.k_d > 1 || p.in_d > 1 ? rnd(1, 12) : 1;
		p.out_h = p.in_h > 1 || p.k_h > 1 ? rnd(1, 12) : 1;
		p.out_w = rnd(1, 12);
		p.pad_w = rnd(-1, 2);
		nout = p.n * p.c_out * p.out_d * p.out_h * p.out_w;
		if (nout >= BIG)
			continue;
		fill(x, p.n * p.c_in * p.in_d * p.in_h * p.in_w);
		fill(w, p.c_in * (p.c_out / p.group) * p.k_d * p.k_h * p.k_w);
		fill(b, p.c_out);
		convt_ref(&p, bias);
		assert_int_equal(o2m_conv_transpose_f32(&p, x, w, bias, y), O2M_OK);
		close_enough(y, ref, nout, "conv_transpose");
	}
}

/* ---- the activation epilogue ---- */

#define NOBOUND 3.4028235e38f

/* the unfused epilogue of act i over v in place: its unary kernel, then Clip (the
   bounds are left out at +-FLT_MAX) */
static void unfused(int i, float alpha, float beta, float lo, float hi, float *v, int n)
{
	o2m_unary_params u = {n, alpha, beta, 0};

	if (acts[i].f32)
		assert_int_equal(acts[i].f32(&u, v, v), O2M_OK);
	assert_int_equal(o2m_clip_f32(&u, v, lo > -NOBOUND ? &lo : NULL, hi < NOBOUND ? &hi : NULL,
				      v), O2M_OK);
}

static void unfused_f64(int i, float alpha, float beta, float lo, float hi, double *v, int n)
{
	o2m_unary_params u = {n, alpha, beta, 0};
	double l = lo, h = hi;

	if (acts[i].f64)
		assert_int_equal(acts[i].f64(&u, v, v), O2M_OK);
	assert_int_equal(o2m_clip_f64(&u, v, lo > -NOBOUND ? &l : NULL, hi < NOBOUND ? &h : NULL,
				      v), O2M_OK);
}

/* random epilogue bounds: none, one or both */
static void bounds(float *lo, float *hi)
{
	int k = rnd(0, 3);

	*lo = k & 1 ? rndf() - 0.5f : -NOBOUND;
	*hi = k & 2 ? *lo + 1.5f : NOBOUND;
	if (!(k & 1) && (k & 2))
		*hi = rndf();
}

/* o2m_act_apply is each unary kernel then Clip, bit for bit, out of place and in place,
   float and double; special values go through as the unary kernels take them */
static void act_apply_is_unary_then_clip(void **state)
{
	static const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e30f, -1e30f,
					 88.5f, -88.5f, 1e-40f, 3.0f, -3.0f};
	static double xd[BIG], yd[BIG], refd[BIG];
	const int n = 1000;

	(void)state;
	for (int t = 0; t < 4 * NACTS; t++) {
		int i = t % NACTS;
		o2m_act_params a = {n, acts[i].act, rndf(), rndf(), 0, 0};
		bounds(&a.min, &a.max);
		for (int k = 0; k < n; k++)
			x[k] = k < 12 ? special[k] : rndf() * 10;
		for (int k = 0; k < n; k++)
			xd[k] = x[k] * (1 + 1e-9);
		memcpy(ref, x, n * sizeof *x);
		unfused(i, a.alpha, a.beta, a.min, a.max, ref, n);
		assert_int_equal(o2m_act_apply_f32(&a, x, y), O2M_OK);
		assert_memory_equal(y, ref, n * sizeof *y);
		assert_int_equal(o2m_act_apply_f32(&a, x, x), O2M_OK);
		assert_memory_equal(x, ref, n * sizeof *x);
		memcpy(refd, xd, n * sizeof *xd);
		unfused_f64(i, a.alpha, a.beta, a.min, a.max, refd, n);
		assert_int_equal(o2m_act_apply_f64(&a, xd, yd), O2M_OK);
		assert_memory_equal(yd, refd, n * sizeof *yd);
	}
	{
		o2m_act_params a = {1, O2M_ACT_RELU, 0, 0, -NOBOUND, NOBOUND};
		assert_int_equal(o2m_act_apply_f32(&a, x, y), O2M_ERR_ARG);
		a.act = O2M_ACT_COUNT;
		assert_int_equal(o2m_act_apply_f32(&a, x, y), O2M_ERR_ARG);
	}
}

/* a variant's kernel: 0 direct, 1 depthwise, 2 pointwise, 3 and 4 depthwise 3x3 with
   stride 1 and 2 (the unrolled rows), 5 direct through im2col, 6 and 7 depthwise 3x3
   over padded rows with stride 1 and 2, 8 direct or pointwise on packed filters */
typedef int (*conv_f32_fn)(const o2m_conv_params *, const float *, const float *,
			   const float *, const float *, float *);
typedef int (*conv_f64_fn)(const o2m_conv_params *, const double *, const double *,
			   const double *, const double *, double *);
static const conv_f32_fn conv_f32s[] = {o2m_conv_f32, o2m_conv_dw_f32, o2m_conv_1x1_f32,
					o2m_conv_dw_f32, o2m_conv_dw_f32, im2col_f32,
					dw_rows_f32, dw_rows_f32, gemm_f32};
static const conv_f64_fn conv_f64s[] = {o2m_conv_f64, o2m_conv_dw_f64, o2m_conv_1x1_f64,
					o2m_conv_dw_f64, o2m_conv_dw_f64, im2col_f64,
					dw_rows_f64, dw_rows_f64, gemm_f64};

static o2m_conv_params epilogue_case(int variant)
{
	o2m_conv_params p = conv_case(1 + rnd(0, 2), variant < 3 ? variant : variant == 5 ? 0 : variant == 8 ? rnd(0, 1) * 2 : 1);

	if (variant == 3 || variant == 4 || variant == 6 || variant == 7) { /* 3x3, pads 1: border columns and an unrolled interior */
		p = conv_case(2, 1);
		p.k_d = 1, p.k_h = p.k_w = 3;
		p.stride_h = p.stride_w = variant % 3 == 0 ? 1 : 2;
		p.dil_h = p.dil_w = 1;
		p.pad_h = p.pad_w = 1;
		p.in_h = rnd(3, 9), p.in_w = rnd(3, 12);
		p.out_h = (p.in_h - 1) / p.stride_h + 1;
		p.out_w = (p.in_w - 1) / p.stride_w + 1;
	}
	return p;
}

/* each conv variant with each activation, a residual or none and random bounds: bit for
   bit the plain kernel, then the residual added, the unary kernel and Clip; float and
   double. The plain kernel runs with no activation and no bounds. */
static void conv_epilogue_is_unfused(void **state)
{
	static float r[BIG];
	static double xd[BIG], wd[BIG], bd[64], rd[BIG], yd[BIG], refd[BIG];

	(void)state;
	for (int t = 0; t < 30 * 9 * NACTS; t++) {
		const int variant = t % 9, i = t / 9 % NACTS, with_r = t / 9 / NACTS % 2;
		o2m_conv_params p = epilogue_case(variant), q = p;
		const float *bias = rnd(0, 1) ? b : NULL;
		int nx = p.n * p.c_in * p.in_d * p.in_h * p.in_w;
		int nw = p.c_out * (p.c_in / p.group) * p.k_d * p.k_h * p.k_w;
		int n = p.n * p.c_out * p.out_d * p.out_h * p.out_w;
		assert_true(nx < BIG && nw < BIG && n < BIG);
		p.act = acts[i].act;
		p.act_alpha = rndf();
		p.act_beta = rndf();
		bounds(&p.act_min, &p.act_max);
		fill(x, nx);
		fill(w, nw);
		fill(b, p.c_out);
		fill(r, n);
		assert_int_equal(conv_f32s[variant](&q, x, w, bias, NULL, ref), O2M_OK);
		for (int k = 0; with_r && k < n; k++)
			ref[k] += r[k];
		unfused(i, p.act_alpha, p.act_beta, p.act_min, p.act_max, ref, n);
		assert_int_equal(conv_f32s[variant](&p, x, w, bias, with_r ? r : NULL, y), O2M_OK);
		assert_memory_equal(y, ref, n * sizeof *y);
		if (t % 3)
			continue;
		for (int k = 0; k < nx; k++)
			xd[k] = x[k] * (1 + 1e-9);
		for (int k = 0; k < nw; k++)
			wd[k] = w[k];
		for (int k = 0; k < p.c_out; k++)
			bd[k] = b[k];
		for (int k = 0; k < n; k++)
			rd[k] = r[k];
		assert_int_equal(conv_f64s[variant](&q, xd, wd, bias ? bd : NULL, NULL, refd), O2M_OK);
		for (int k = 0; with_r && k < n; k++)
			refd[k] += rd[k];
		unfused_f64(i, p.act_alpha, p.act_beta, p.act_min, p.act_max, refd, n);
		assert_int_equal(conv_f64s[variant](&p, xd, wd, bias ? bd : NULL, with_r ? rd : NULL,
						    yd), O2M_OK);
		assert_memory_equal(yd, refd, n * sizeof *yd);
	}
}

/* The in-place contracts of o2m_conv.h: a call with its output over an input gives the
   bits of the call with separate buffers. Over the residual (the panels, any geometry,
   activation and bounds); a pointwise convolution of one group over its input, with
   fewer or more output channels; depthwise rows over their input in each of their three
   ways (plane, rows in place, ring), at strides 1 and 2. */
static void in_place_is_out_of_place(void **state)
{
	static float z[BIG], r[BIG], pk[BIG];

	(void)state;
	for (int t = 0; t < 900; t++) {
		const int kind = t % 3;
		o2m_conv_params p;
		const float *bias = rnd(0, 1) ? b : NULL;
		int nx, nout;
		if (kind == 0) { /* over the residual: im2col and gemm */
			p = epilogue_case(rnd(0, 1) ? 5 : 8);
			p.act = acts[rnd(0, NACTS - 1)].act;
			p.act_alpha = rndf();
			p.act_beta = rndf();
			bounds(&p.act_min, &p.act_max);
		} else if (kind == 1) { /* pointwise over x */
			p = conv_case(1 + rnd(0, 2), 2);
			p.n = p.group = 1;
			p.c_in = rnd(1, 9), p.c_out = rnd(1, 9);
		} else { /* depthwise rows over x: plane, rows in place, ring */
			memset(&p, 0, sizeof p);
			p.n = 1;
			p.group = p.c_in = p.c_out = rnd(1, 3);
			p.in_d = p.out_d = p.k_d = p.stride_d = p.dil_d = 1;
			p.k_h = rnd(0, 1) ? 3 : rnd(1, 5), p.k_w = rnd(0, 1) ? 3 : rnd(1, 5);
			p.stride_h = rnd(1, 2), p.stride_w = rnd(1, 2);
			p.dil_h = 1, p.dil_w = rnd(0, 3) ? 1 : 2;
			p.pad_h = rnd(0, p.k_h - 1), p.pad_w = rnd(0, (p.k_w - 1) * p.dil_w);
			p.in_h = t % 9 == 2 ? rnd(150, 300) : rnd(p.k_h * p.dil_h, p.k_h * p.dil_h + 5);
			p.in_w = t % 9 == 5 ? rnd(40, 90) : rnd(p.k_w * p.dil_w, p.k_w * p.dil_w + 6);
			if (t % 9 == 2)
				p.group = p.c_in = p.c_out = 1;
			p.out_h = (p.in_h + 2 * p.pad_h - p.dil_h * (p.k_h - 1) - 1) / p.stride_h + 1;
			p.out_w = (p.in_w + 2 * p.pad_w - p.dil_w * (p.k_w - 1) - 1) / p.stride_w + 1;
			if (p.out_h > p.in_h || p.out_w > p.in_w)
				p.pad_h = p.pad_w = 0, p.out_h = (p.in_h - p.dil_h * (p.k_h - 1) - 1) / p.stride_h + 1,
				p.out_w = (p.in_w - p.dil_w * (p.k_w - 1) - 1) / p.stride_w + 1;
			p.act_min = rnd(0, 1) ? -3.4028235e38f : 0;
			p.act_max = 3.4028235e38f;
		}
		nx = p.n * p.c_in * p.in_d * p.in_h * p.in_w;
		nout = p.n * p.c_out * p.out_d * p.out_h * p.out_w;
		assert_true(nx < BIG && nout < BIG);
		fill(x, nx);
		fill(w, p.c_out * (p.c_in / p.group) * p.k_d * p.k_h * p.k_w);
		fill(b, p.c_out);
		fill(r, nout);
		pack4(&p, w, pk);
		if (kind == 0) {
			assert_int_equal(o2m_conv_im2col_f32(&p, x, w, bias, r, y, colf), O2M_OK);
			memcpy(z, r, sizeof *z * (size_t)nout);
			assert_int_equal(o2m_conv_im2col_f32(&p, x, w, bias, z, z, colf), O2M_OK);
			assert_memory_equal(z, y, sizeof *z * (size_t)nout);
			memcpy(z, r, sizeof *z * (size_t)nout);
			assert_int_equal(o2m_conv_gemm_f32(&p, x, pk, bias, z, z, colf), O2M_OK);
			assert_memory_equal(z, y, sizeof *z * (size_t)nout);
			continue;
		}
		memset(z, 0x7f, sizeof z); /* beyond the input: garbage the output covers */
		memcpy(z, x, sizeof *z * (size_t)nx);
		if (kind == 1) {
			assert_int_equal(o2m_conv_gemm_f32(&p, x, pk, bias, NULL, y, colf), O2M_OK);
			assert_int_equal(o2m_conv_gemm_f32(&p, z, pk, bias, NULL, z, colf), O2M_OK);
			assert_memory_equal(z, y, sizeof *z * (size_t)nout);
			memcpy(z, x, sizeof *z * (size_t)nx);
			assert_int_equal(o2m_conv_im2col_f32(&p, z, w, bias, NULL, z, colf), O2M_OK);
			assert_memory_equal(z, y, sizeof *z * (size_t)nout);
			continue;
		}
		assert_int_equal(dw_rows_f32(&p, x, w, bias, NULL, y), O2M_OK);
		assert_int_equal(dw_rows_f32(&p, z, w, bias, NULL, z), O2M_OK);
		assert_memory_equal(z, y, sizeof *z * (size_t)nout);
	}
}

/* ConvTranspose takes the activation and bounds too (it has no residual); an act the
   epilogue does not take is an error */
static void conv_transpose_epilogue(void **state)
{
	(void)state;
	for (int t = 0; t < 20 * NACTS; t++) {
		const int i = t % NACTS;
		o2m_conv_params p = conv_case(1 + t % 3, 0), q;
		int n;
		p.out_w = rnd(1, 12);
		p.pad_w = rnd(-1, 2);
		n = p.n * p.c_out * p.out_d * p.out_h * p.out_w;
		q = p;
		p.act = acts[i].act;
		p.act_alpha = rndf();
		p.act_beta = rndf();
		bounds(&p.act_min, &p.act_max);
		fill(x, p.n * p.c_in * p.in_d * p.in_h * p.in_w);
		fill(w, p.c_in * (p.c_out / p.group) * p.k_d * p.k_h * p.k_w);
		fill(b, p.c_out);
		assert_int_equal(o2m_conv_transpose_f32(&q, x, w, b, ref), O2M_OK);
		unfused(i, p.act_alpha, p.act_beta, p.act_min, p.act_max, ref, n);
		assert_int_equal(o2m_conv_transpose_f32(&p, x, w, b, y), O2M_OK);
		assert_memory_equal(y, ref, n * sizeof *y);
	}
	{
		o2m_conv_params p = conv_case(2, 0);
		p.act = O2M_ACT_SOFTPLUS;
		assert_int_equal(o2m_conv_f32(&p, x, w, NULL, NULL, y), O2M_ERR_ARG);
		assert_int_equal(o2m_conv_transpose_f32(&p, x, w, NULL, y), O2M_ERR_ARG);
	}
}

/* ---- pooling ---- */

/* kind 0 max, 1 avg, 2 avg counting pads, 3 lp */
static void pool_ref(const o2m_pool_params *p, int kind)
{
	int i = 0, iplane = p->in_d * p->in_h * p->in_w;

	for (int c = 0; c < p->planes; c++)
	for (int od = 0; od < p->out_d; od++)
	for (int oh = 0; oh < p->out_h; oh++)
	for (int ow = 0; ow < p->out_w; ow++, i++) {
		double s = kind ? 0 : -INFINITY;
		int cnt = 0, padded = 0, best = -1;
		for (int kd = 0; kd < p->k_d; kd++)
		for (int kh = 0; kh < p->k_h; kh++)
		for (int kw = 0; kw < p->k_w; kw++) {
			int d = at(od, p->stride_d, p->pad_d, kd, p->dil_d, p->in_d);
			int h = at(oh, p->stride_h, p->pad_h, kh, p->dil_h, p->in_h);
			int ww = at(ow, p->stride_w, p->pad_w, kw, p->dil_w, p->in_w);
			padded += at(od, p->stride_d, 0, kd, p->dil_d, p->in_d + p->pad_d + p->pad_end_d) >= 0 &&
				  at(oh, p->stride_h, 0, kh, p->dil_h, p->in_h + p->pad_h + p->pad_end_h) >= 0 &&
				  at(ow, p->stride_w, 0, kw, p->dil_w, p->in_w + p->pad_w + p->pad_end_w) >= 0;
			if (d < 0 || h < 0 || ww < 0)
				continue;
			{
				int off = (d * p->in_h + h) * p->in_w + ww;
				double v = x[c * iplane + off];
				cnt++;
				if (kind == 0 && v > s) {
					s = v;
					best = p->storage_order ? d + p->in_d * (h + p->in_h * ww) : off;
				}
				if (kind == 1 || kind == 2)
					s += v;
				if (kind == 3)
					s += pow(fabs(v), p->p);
			}
		}
		ref[i] = (float)(kind == 0 ? s : kind == 1 ? s / cnt : kind == 2 ? s / padded :
				 pow(s, 1.0 / p->p));
		ref_idx[i] = (int64_t)c * iplane + best;
	}
}

static void pools(void **state)
{
	(void)state;
	for (int t = 0; t < 800; t++) {
		o2m_conv_params q = conv_case(1 + t % 3, 0);
		o2m_pool_params p;
		int kind = t / 3 % 4, nout;
		memset(&p, 0, sizeof p);
		p.planes = rnd(1, 3);
		p.in_d = q.in_d, p.in_h = q.in_h, p.in_w = q.in_w;
		p.k_d = q.k_d, p.k_h = q.k_h, p.k_w = q.k_w;
		p.stride_d = q.stride_d, p.stride_h = q.stride_h, p.stride_w = q.stride_w;
		p.dil_d = q.dil_d, p.dil_h = q.dil_h, p.dil_w = q.dil_w;
		p.pad_d = q.pad_d, p.pad_h = q.pad_h, p.pad_w = q.pad_w;
		p.pad_end_d = q.k_d > 1 ? rnd(0, q.k_d - 1) : 0;
		p.pad_end_h = q.k_h > 1 ? rnd(0, q.k_h - 1) : 0;
		p.pad_end_w = q.k_w > 1 ? rnd(0, q.k_w - 1) : 0;
		/* ceil mode: one more window that may run past the end padding */
		p.out_d = (p.in_d + p.pad_d + p.pad_end_d - (p.k_d - 1) * p.dil_d - 1) / p.stride_d + 1 + rnd(0, 1);
		p.out_h = (p.in_h + p.pad_h + p.pad_end_h - (p.k_h - 1) * p.dil_h - 1) / p.stride_h + 1 + rnd(0, 1);
		p.out_w = (p.in_w + p.pad_w + p.pad_end_w - (p.k_w - 1) * p.dil_w - 1) / p.stride_w + 1 + rnd(0, 1);
		if ((p.out_w - 1) * p.stride_w >= p.in_w + p.pad_w)
			p.out_w--;
		if ((p.out_h - 1) * p.stride_h >= p.in_h + p.pad_h)
			p.out_h--;
		if ((p.out_d - 1) * p.stride_d >= p.in_d + p.pad_d)
			p.out_d--;
		p.count_include_pad = kind == 2;
		p.storage_order = rnd(0, 1);
		p.p = rnd(1, 3);
		nout = p.planes * p.out_d * p.out_h * p.out_w;
		fill(x, p.planes * p.in_d * p.in_h * p.in_w);
		pool_ref(&p, kind);
		if (kind == 0) {
			assert_int_equal(o2m_maxpool_f32(&p, x, y), O2M_OK);
			close_enough(y, ref, nout, "maxpool");
			assert_int_equal(o2m_maxpool_idx_f32(&p, x, y, idx), O2M_OK);
			close_enough(y, ref, nout, "maxpool_idx");
			for (int i = 0; i < nout; i++)
				if (ref[i] > -INFINITY)
					assert_int_equal(idx[i], ref_idx[i]);
		} else if (kind == 3) {
			assert_int_equal(o2m_lppool_f32(&p, x, y), O2M_OK);
			close_enough(y, ref, nout, "lppool");
		} else {
			assert_int_equal(o2m_avgpool_f32(&p, x, y), O2M_OK);
			close_enough(y, ref, nout, "avgpool");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conv_variants),
		cmocka_unit_test(conv_dw_rows_wide_and_narrow),
		cmocka_unit_test(conv_clamps),
		cmocka_unit_test(deform_is_conv_at_zero_offset),
		cmocka_unit_test(conv_transpose),
		cmocka_unit_test(act_apply_is_unary_then_clip),
		cmocka_unit_test(conv_epilogue_is_unfused),
		cmocka_unit_test(in_place_is_out_of_place),
		cmocka_unit_test(conv_transpose_epilogue),
		cmocka_unit_test(pools),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
