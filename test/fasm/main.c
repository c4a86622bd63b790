/* main.c - the float kernels with Arm FPU inline assembly (VMLA, VLDM) against their
   portable C, on random cases (fixed seed): o2m_* is the build for the core, ref_o2m_*
   the same sources built with -DO2M_NO_ASM and renamed (run.sh). Every output must match
   bit for bit; a checksum of every output's bits (the host build, portable only, must
   print the same one) and one verdict line. */
#include "o2m_kernels.h"
#include "o2m_mla.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

int ref_o2m_conv_gemm_f32(const o2m_conv_params *p, const float *x, const float *w,
			  const float *b, const float *r, float *y, float *col);
int ref_o2m_conv_im2col_f32(const o2m_conv_params *p, const float *x, const float *w,
			    const float *b, const float *r, float *y, float *col);
int ref_o2m_conv_dw_rows_f32(const o2m_conv_params *p, const float *x, const float *w,
			     const float *b, const float *r, float *y, float *ring);
int ref_o2m_conv_1x1_f32(const o2m_conv_params *p, const float *x, const float *w,
			 const float *b, const float *r, float *y);
int ref_o2m_gemm_pk_f32(const o2m_gemm_params *p, const float *a, const float *b,
			const float *c, float *y);

#define CASES 150 /* per kernel */
#define XMAX 6000
#define CMAX 40

static float x[XMAX], w[XMAX], pk[XMAX], bias[CMAX], res[XMAX], y[XMAX], yref[XMAX];
static float col[XMAX];
static uint32_t rng = 12345u, sum = 2166136261u;

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

static float rndf(void)
{
	return (float)rnd(-100000, 100000) / 37000.0f;
}

static void fill(float *a, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		a[i] = rndf();
}

/* compares the bits of y and yref over n outputs; folds y into the checksum */
static int same(const char *what, int k, int32_t n)
{
	uint32_t u, v;
	int32_t i;

	for (i = 0; i < n; i++) {
		memcpy(&u, &y[i], 4);
		sum = (sum ^ u) * 16777619u;
	}
	for (i = 0; i < n; i++) {
		memcpy(&u, &y[i], 4);
		memcpy(&v, &yref[i], 4);
		if (u != v) {
			printf("MISMATCH %s case %d: y[%ld] bits %08lx, portable %08lx\n", what, k,
			       (long)i, (unsigned long)u, (unsigned long)v);
			return 0;
		}
	}
	return 1;
}

static int status(const char *what, int k, int rc, int rr)
{
	if (rc == O2M_OK && rr == O2M_OK)
		return 1;
	printf("MISMATCH %s case %d: status %d, portable %d\n", what, k, rc, rr);
	return 0;
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

/* filters [group][cout][kt] as o2m_conv_gemm reads them (ir/op_conv.c packs them so) */
static void pack4(const o2m_conv_params *p)
{
	const int32_t kt = p->c_in / p->group * p->k_h * p->k_w, cout = p->c_out / p->group;
	int32_t gr, co, q, i, o = 0;

	for (gr = 0; gr < p->group; gr++) {
		const float *wg = w + gr * cout * kt;
		for (co = 0; co + 4 <= cout; co += 4)
			for (q = 0; q < kt; q++)
				for (i = 0; i < 4; i++)
					pk[o++] = wg[(co + i) * kt + q];
		for (q = co * kt; q < cout * kt; q++)
			pk[o++] = wg[q];
	}
}

/* a 2-D convolution: kind 0 direct, 1 pointwise, 2 depthwise (small channels: a padded
   plane), 3 depthwise on wide rows (read in place), 4 depthwise on tall narrow channels
   (a ring of padded rows); an epilogue now and then */
static int conv_case(int k, int kind)
{
	o2m_conv_params p;
	int32_t cin, nx, nw, ny, kt;
	const float *b, *r;
	int ok = 1;

	memset(&p, 0, sizeof p);
	do {
		p.n = rnd(1, 2);
		p.in_d = p.out_d = p.k_d = p.stride_d = p.dil_d = 1;
		axis(kind == 4 ? 300 : 14, &p.in_h, &p.k_h, &p.stride_h, &p.dil_h, &p.pad_h,
		     &p.out_h);
		axis(kind == 3 ? 90 : kind == 4 ? 8 : 18, &p.in_w, &p.k_w, &p.stride_w, &p.dil_w, &p.pad_w,
		     &p.out_w);
		if (kind == 1) {
			p.k_h = p.k_w = p.stride_h = p.stride_w = p.dil_h = p.dil_w = 1;
			p.pad_h = p.pad_w = 0;
			p.out_h = p.in_h, p.out_w = p.in_w;
		}
		p.group = kind >= 2 ? rnd(1, kind >= 3 ? 2 : 12) : rnd(0, 3) ? 1 : 2;
		cin = kind >= 2 ? 1 : rnd(1, 6);
		p.c_in = p.group * cin;
		p.c_out = kind >= 2 ? p.c_in * rnd(1, 2) : p.group * rnd(1, 9);
		nx = p.n * p.c_in * p.in_h * p.in_w;
		nw = p.c_out * cin * p.k_h * p.k_w;
		ny = p.n * p.c_out * p.out_h * p.out_w;
		kt = cin * p.k_h * p.k_w;
	} while (nx > XMAX || nw > XMAX || ny > XMAX || kt * 4 > XMAX ||
		 p.k_h * p.dil_h > O2M_DW_ROWS || p.c_out > CMAX);
	p.act_min = rnd(0, 2) ? -FLT_MAX : 0;
	p.act_max = rnd(0, 3) ? FLT_MAX : 6;
	p.act = rnd(0, 4) ? O2M_ACT_NONE : O2M_ACT_LEAKY_RELU; /* no libm: its last bits vary */
	p.act_alpha = 0.1f;
	fill(x, nx);
	fill(w, nw);
	fill(bias, p.c_out);
	fill(res, ny);
	b = rnd(0, 5) ? bias : NULL;
	r = rnd(0, 4) ? NULL : res;
	if (kind >= 2) {
		ok &= status("dw_rows", k, o2m_conv_dw_rows_f32(&p, x, w, b, r, y, col),
			     ref_o2m_conv_dw_rows_f32(&p, x, w, b, r, yref, col));
		return ok && same("dw_rows", k, ny);
	}
	pack4(&p);
	ok &= status("gemm", k, o2m_conv_gemm_f32(&p, x, pk, b, r, y, col),
		     ref_o2m_conv_gemm_f32(&p, x, pk, b, r, yref, col));
	ok = ok && same("gemm", k, ny);
	ok &= status("im2col", k, o2m_conv_im2col_f32(&p, x, w, b, r, y, col),
		     ref_o2m_conv_im2col_f32(&p, x, w, b, r, yref, col));
	ok = ok && same("im2col", k, ny);
	if (kind == 1) {
		ok &= status("1x1", k, o2m_conv_1x1_f32(&p, x, w, b, r, y),
			     ref_o2m_conv_1x1_f32(&p, x, w, b, r, yref));
		ok = ok && same("1x1", k, ny);
	}
	return ok;
}

/* Gemm on B packed in panels of 8 (the packing does not matter to the comparison) */
static int gemm_case(int k)
{
	o2m_gemm_params p;
	const float *c;

	memset(&p, 0, sizeof p);
	do {
		p.m = rnd(1, 4), p.n = rnd(8, 40), p.k = rnd(1, 120);
	} while (p.m * p.k > XMAX || p.n * p.k > XMAX || p.m * p.n > XMAX);
	p.a_sm = p.k, p.a_sk = 1, p.b_sk = 1, p.b_sn = p.k, p.c_sm = 0, p.c_sn = 1;
	p.alpha = rnd(0, 3) ? 1.0f : 0.5f;
	p.beta = 1.0f;
	p.act_min = rnd(0, 1) ? -FLT_MAX : 0;
	p.act_max = FLT_MAX;
	fill(x, p.m * p.k);
	fill(w, p.n * p.k);
	fill(bias, p.n);
	c = rnd(0, 3) ? bias : NULL;
	return status("gemm_pk", k, o2m_gemm_pk_f32(&p, x, w, c, y),
		      ref_o2m_gemm_pk_f32(&p, x, w, c, yref)) &&
	       same("gemm_pk", k, p.m * p.n);
}

int main(void)
{
	int k, pass = 0, fail = 0;

	for (k = 0; k < CASES; k++) {
		conv_case(k, 0) ? pass++ : fail++;
		conv_case(k, 1) ? pass++ : fail++;
		conv_case(k, 2) ? pass++ : fail++;
		conv_case(k, 3) ? pass++ : fail++;
		conv_case(k, 4) ? pass++ : fail++;
		gemm_case(k) ? pass++ : fail++;
	}
#if defined(O2M_ARM_VFP)
	printf("asm: yes\n");
#else
	printf("asm: no\n");
#endif
	printf("checksum %08lx\n", (unsigned long)sum);
	printf("fasm: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
