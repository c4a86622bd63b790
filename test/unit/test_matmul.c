/* test_matmul.c - unit tests of the matrix product and normalization kernels: the
   variants of one product agree bit for bit, integer products wrap, Gemm's activation
   epilogue is bit for bit the unfused kernels, the lowering folds a batch against one B
   into rows, and the edge cases the node tests leave out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "../../ir/lower.h"
#include "acts.h"

static float frand(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (float)(*s >> 8) / (float)(1u << 24) - 0.5f;
}

/* A [2,1,3,4] x B [5,4,2]: the plain kernel and the one on B^T give the same bits */
static void matmul_bt_matches_plain(void **state)
{
	o2m_matmul_params p = {.m = 3, .n = 2, .k = 4, .batch_rank = 2, .batch = {2, 5},
			       .a_stride = {12, 0}, .b_stride = {0, 8}};
	float a[24], b[40], bt[40], y1[60], y2[60];
	uint32_t s = 1;

	(void)state;
	for (int i = 0; i < 24; i++)
		a[i] = frand(&s);
	for (int i = 0; i < 40; i++)
		b[i] = frand(&s);
	for (int m = 0; m < 5; m++) /* each 4 x 2 matrix transposed */
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 2; j++)
				bt[m * 8 + j * 4 + i] = b[m * 8 + i * 2 + j];
	assert_int_equal(o2m_matmul_f32(&p, a, b, y1), O2M_OK);
	assert_int_equal(o2m_matmul_bt_f32(&p, a, bt, y2), O2M_OK);
	assert_memory_equal(y1, y2, sizeof y1);
	/* y[1][3] row 2 = A[1] row 2 . B[3] */
	{
		float want = 0;
		for (int k = 0; k < 4; k++)
			want += a[12 + 2 * 4 + k] * b[3 * 8 + k * 2 + 1];
		assert_true(y1[(1 * 5 + 3) * 6 + 2 * 2 + 1] == want);
	}
}

static void matmul_int_wraps(void **state)
{
	o2m_matmul_params p = {.m = 1, .n = 1, .k = 2};
	int32_t a[2] = {INT32_MAX, 2}, b[2] = {2, 1}, y;

	(void)state;
	assert_int_equal(o2m_matmul_s32(&p, a, b, &y), O2M_OK);
	assert_int_equal(y, (int32_t)((uint32_t)INT32_MAX * 2u + 2u));
}

/* Gemm with B as is (i, k, j loop) and as B^T (dot products) */
static void gemm_loop_orders_agree(void **state)
{
	o2m_gemm_params p = {.m = 3, .n = 4, .k = 5, .a_sm = 1, .a_sk = 3, .b_sk = 4, .b_sn = 1,
			     .c_sm = 0, .c_sn = 1, .alpha = 0.5f, .beta = 2.0f,
			     .act_min = -FLT_MAX, .act_max = FLT_MAX};
	o2m_gemm_params q = p;
	float a[15], b[20], bt[20], c[4], y1[12], y2[12];
	uint32_t s = 7;

	(void)state;
	for (int i = 0; i < 15; i++)
		a[i] = frand(&s);
	for (int i = 0; i < 20; i++)
		b[i] = frand(&s);
	for (int i = 0; i < 4; i++)
		c[i] = frand(&s);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 4; j++)
			bt[j * 5 + i] = b[i * 4 + j];
	q.b_sk = 1;
	q.b_sn = 5;
	assert_int_equal(o2m_gemm_f32(&p, a, b, c, y1), O2M_OK);
	assert_int_equal(o2m_gemm_f32(&q, a, bt, c, y2), O2M_OK);
	assert_memory_equal(y1, y2, sizeof y1);
	p.beta = 0; /* beta 0 leaves C out, even an infinite one */
	c[0] = INFINITY;
	assert_int_equal(o2m_gemm_f32(&p, a, b, c, y1), O2M_OK);
	assert_true(isfinite(y1[0]));
}


/* Gemm on a B packed in panels of 8 columns (o2m_gemm_pk) against the plain Gemm, bit for
   bit: every shape of a full panel and a tail, C broadcast or left out, an epilogue;
   float and double */
static void gemm_packed_is_plain(void **state)
{
	enum { MAXM = 3, MAXN = 21, MAXK = 9 };
	static float a[MAXM * MAXK], b[MAXK * MAXN], pk[MAXK * MAXN], c[MAXN], y[MAXM * MAXN],
		ref[MAXM * MAXN];
	static double ad[MAXM * MAXK], bd[MAXK * MAXN], pkd[MAXK * MAXN], cd[MAXN],
		yd[MAXM * MAXN], refd[MAXM * MAXN];
	uint32_t s = 5;

	(void)state;
	for (int t = 0; t < 200; t++) {
		const int m = 1 + t % MAXM, n = 8 + t / 3 % (MAXN - 7), k = 1 + t / 7 % MAXK;
		const int n8 = n / 8 * 8, withc = t % 2;
		o2m_gemm_params p = {.m = m, .n = n, .k = k, .a_sm = k, .a_sk = 1, .b_sk = n,
				     .b_sn = 1, .c_sm = 0, .c_sn = 1, .alpha = t % 4 ? 1 : 0.5f,
				     .beta = 1, .act_min = t % 5 ? -FLT_MAX : 0,
				     .act_max = FLT_MAX};
		int o = 0;
		for (int i = 0; i < m * k; i++)
			ad[i] = a[i] = frand(&s);
		for (int i = 0; i < k * n; i++)
			bd[i] = b[i] = frand(&s);
		for (int i = 0; i < n; i++)
			cd[i] = c[i] = frand(&s);
		for (int j0 = 0; j0 < n8; j0 += 8)
			for (int q = 0; q < k; q++)
				for (int j = j0; j < j0 + 8; j++, o++)
					pkd[o] = pk[o] = b[q * n + j];
		for (int j = n8; j < n; j++)
			for (int q = 0; q < k; q++, o++)
				pkd[o] = pk[o] = b[q * n + j];
		assert_int_equal(o2m_gemm_f32(&p, a, b, withc ? c : NULL, ref), O2M_OK);
		assert_int_equal(o2m_gemm_pk_f32(&p, a, pk, withc ? c : NULL, y), O2M_OK);
		assert_memory_equal(y, ref, (size_t)(m * n) * sizeof *y);
		assert_int_equal(o2m_gemm_f64(&p, ad, bd, withc ? cd : NULL, refd), O2M_OK);
		assert_int_equal(o2m_gemm_pk_f64(&p, ad, pkd, withc ? cd : NULL, yd), O2M_OK);
		assert_memory_equal(yd, refd, (size_t)(m * n) * sizeof *yd);
	}
}

/* Gemm with each activation and bounds (none, a lower one, both), in both loop orders,
   float and double: bit for bit the plain Gemm, the unary kernel and Clip */
static void gemm_epilogue_is_unfused(void **state)
{
	enum { M = 5, N = 7, K = 6 };
	float a[M * K], b[K * N], c[N], y[M * N], ref[M * N];
	double ad[M * K], bd[K * N], cd[N], yd[M * N], refd[M * N];
	uint32_t s = 11;

	(void)state;
	for (int i = 0; i < M * K; i++)
		ad[i] = a[i] = frand(&s) * 8;
	for (int i = 0; i < K * N; i++)
		bd[i] = b[i] = frand(&s) * 8;
	for (int i = 0; i < N; i++)
		cd[i] = c[i] = frand(&s) * 8;
	for (int t = 0; t < 6 * NACTS; t++) {
		const int i = t % NACTS, dots = t / NACTS % 2, nb = t / NACTS / 2;
		o2m_gemm_params q = {.m = M, .n = N, .k = K, .a_sm = K, .a_sk = 1,
				     .b_sk = dots ? 1 : N, .b_sn = dots ? K : 1, .c_sm = 0,
				     .c_sn = 1, .alpha = 0.75f, .beta = 1.5f,
				     .act_min = -FLT_MAX, .act_max = FLT_MAX};
		o2m_gemm_params p = q;
		o2m_unary_params u = {M * N, frand(&s) * 4, frand(&s) + 0.5f, 0};
		float lo = nb ? -0.25f : -FLT_MAX, hi = nb == 2 ? 0.5f : FLT_MAX;
		double lod = lo, hid = hi;
		p.act = acts[i].act;
		p.act_alpha = u.alpha;
		p.act_beta = u.beta;
		p.act_min = lo;
		p.act_max = hi;
		/* dots: b read as B transposed, through the dot-product loop */
		assert_int_equal(o2m_gemm_f32(&q, a, b, c, ref), O2M_OK);
		if (acts[i].f32)
			assert_int_equal(acts[i].f32(&u, ref, ref), O2M_OK);
		assert_int_equal(o2m_clip_f32(&u, ref, nb ? &lo : NULL, nb == 2 ? &hi : NULL, ref),
				 O2M_OK);
		assert_int_equal(o2m_gemm_f32(&p, a, b, c, y), O2M_OK);
		assert_memory_equal(y, ref, sizeof y);
		assert_int_equal(o2m_gemm_f64(&q, ad, bd, cd, refd), O2M_OK);
		if (acts[i].f64)
			assert_int_equal(acts[i].f64(&u, refd, refd), O2M_OK);
		assert_int_equal(o2m_clip_f64(&u, refd, nb ? &lod : NULL, nb == 2 ? &hid : NULL,
					      refd), O2M_OK);
		assert_int_equal(o2m_gemm_f64(&p, ad, bd, cd, yd), O2M_OK);
		assert_memory_equal(yd, refd, sizeof yd);
	}
	{ /* integers take no activation */
		o2m_gemm_params p = {.m = 1, .n = 1, .k = 1, .a_sm = 1, .a_sk = 1, .b_sk = 1,
				     .b_sn = 1, .alpha = 1, .act = O2M_ACT_SIGMOID};
		int32_t x = 3, z;
		assert_int_equal(o2m_gemm_s32(&p, &x, &x, NULL, &z), O2M_ERR_ARG);
		p.act = O2M_ACT_SOFTPLUS;
		assert_int_equal(o2m_gemm_f32(&p, a, b, NULL, y), O2M_ERR_ARG);
	}
}

/* trace of a 3 x 3 matrix: one summed dim with stride 4, nothing kept */
static void einsum_trace(void **state)
{
	o2m_einsum_params p = {.out_rank = 1, .sum_rank = 1, .out_dims = {1}, .sum_dims = {3},
			       .a_sum = {4}};
	int64_t x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, y = 0;

	(void)state;
	assert_int_equal(o2m_einsum_s64(&p, x, NULL, &y), O2M_OK);
	assert_int_equal(y, 15);
	p.sum_dims[0] = 0; /* an empty sum is 0 */
	assert_int_equal(o2m_einsum_s64(&p, x, NULL, &y), O2M_OK);
	assert_int_equal(y, 0);
}

static void lp_norm_of_zero_is_zero(void **state)
{
	o2m_norm_params p = {.outer = 1, .channels = 2, .group_size = 1, .inner = 2, .flags = 2};
	float x[4] = {0, 3, 0, 4}, y[4];

	(void)state;
	assert_int_equal(o2m_lp_norm_f32(&p, x, y), O2M_OK);
	assert_true(y[0] == 0 && y[2] == 0);
	assert_true(fabsf(y[1] - 0.6f) < 1e-6f && fabsf(y[3] - 0.8f) < 1e-6f);
}

/* one group over all channels is a layer norm of each batch row */
static void group_norm_one_group_is_layer_norm(void **state)
{
	o2m_norm_params gp = {.outer = 2, .channels = 3, .group_size = 3, .inner = 4,
			      .epsilon = 1e-5f};
	o2m_norm_params lp = {.outer = 2, .channels = 1, .group_size = 1, .inner = 12,
			      .epsilon = 1e-5f};
	float x[24], y1[24], y2[24];
	uint32_t s = 3;

	(void)state;
	for (int i = 0; i < 24; i++)
		x[i] = frand(&s);
	assert_int_equal(o2m_group_norm_f32(&gp, x, NULL, NULL, y1), O2M_OK);
	assert_int_equal(o2m_layer_norm_f32(&lp, x, NULL, NULL, y2, NULL, NULL), O2M_OK);
	assert_memory_equal(y1, y2, sizeof y1);
}

/* MatMul [2,3,4] x constant [4,5]: the batch becomes rows, B is stored transposed */
static void matmul_lowering_folds_batch(void **state)
{
	Graph *g = ir_graph_new("unit");
	int64_t da[] = {2, 3, 4}, db[] = {4, 5};
	float bdata[20] = {0};
	int n = ir_node_new(g, OP_MATMUL, "mm", 2, 1), a = ir_tensor_new(g, "a");
	Lowered L;
	const o2m_matmul_params *p;

	(void)state;
	ir_set_shape(g, a, DT_F32, 3, da);
	g->t[a].flags |= T_INPUT;
	g->n[n].in[0] = a;
	g->n[n].in[1] = ir_const_new(g, "b", DT_F32, 2, db, bdata);
	g->n[n].out[0] = ir_tensor_new(g, "y");
	assert_int_equal(ir_infer_node(g, n), 0);
	assert_int_equal(ir_lower_node(g, n, &L), 0);
	assert_int_equal(L.ncall, 1);
	assert_string_equal(kernel_table[L.call[0].kernel].name, "o2m_matmul_bt_f32");
	assert_int_equal(L.call[0].arg[1].kind, ARG_CONST);
	p = L.call[0].params;
	assert_int_equal(p->m, 6);
	assert_int_equal(p->batch_rank, 0);
	ir_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matmul_bt_matches_plain),
		cmocka_unit_test(matmul_int_wraps),
		cmocka_unit_test(gemm_loop_orders_agree),
		cmocka_unit_test(gemm_packed_is_plain),
		cmocka_unit_test(gemm_epilogue_is_unfused),
		cmocka_unit_test(einsum_trace),
		cmocka_unit_test(lp_norm_of_zero_is_zero),
		cmocka_unit_test(group_norm_one_group_is_layer_norm),
		cmocka_unit_test(matmul_lowering_folds_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
