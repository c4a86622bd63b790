/* o2m_matmul.c - instantiates the matrix product kernels per element type. Integer
   types accumulate in uint64_t so overflow wraps instead of being undefined; float
   types accumulate in their own type (no software double on a single-precision FPU). */
#include "o2m_matmul.h"
#include "o2m_act.h"
#include "o2m_mla.h"

#include <float.h>
#include <math.h>

/* (suffix, element type, accumulator type) */
#define MM_TYPES_(X) \
	X(f32, float, float) X(f64, double, double) \
	X(s32, int32_t, uint64_t) X(s64, int64_t, uint64_t) \
	X(u32, uint32_t, uint64_t) X(u64, uint64_t, uint64_t)
#define EINSUM_TYPES_(X) MM_TYPES_(X) \
	X(s8, int8_t, uint64_t) X(s16, int16_t, uint64_t) \
	X(u8, uint8_t, uint64_t) X(u16, uint16_t, uint64_t)

static int batch_ok_(const o2m_matmul_params *p)
{
	int32_t d;

	if (p->batch_rank < 0 || p->batch_rank > O2M_MAX_RANK || p->m < 0 || p->n < 0 || p->k < 0)
		return 0;
	for (d = 0; d < p->batch_rank; d++)
		if (p->batch[d] < 0)
			return 0;
	return 1;
}

static int batch_empty_(const o2m_matmul_params *p)
{
	int32_t d;

	for (d = 0; d < p->batch_rank; d++)
		if (p->batch[d] == 0)
			return 1;
	return 0;
}

/* Runs PRODUCT(p, a, b, y) for each batch index, with the operands offset to it. */
#define BATCHED_(PRODUCT)                                                             \
	do {                                                                          \
		int32_t idx_[O2M_MAX_RANK] = {0}, oa_ = 0, ob_ = 0;                   \
		if (!batch_ok_(p))                                                    \
			return O2M_ERR_ARG;                                           \
		if (batch_empty_(p))                                                  \
			return O2M_OK;                                                \
		do {                                                                  \
			PRODUCT(p, a + oa_, b + ob_, y);                              \
			y += p->m * p->n;                                             \
		} while (o2m_step2(p->batch_rank - 1, p->batch, p->a_stride, p->b_stride, idx_, \
			       &oa_, &ob_));                                          \
		return O2M_OK;                                                        \
	} while (0)

/* i, k, j order: the row of Y accumulates a[i][kk] * (row kk of B). */
#define DEF_MATMUL_(sfx, T, A)                                                        \
	static void mm_##sfx##_(const o2m_matmul_params *p, const T *a, const T *b, T *y) \
	{                                                                             \
		const int32_t m = p->m, n = p->n, k = p->k;                           \
		int32_t i, j, kk;                                                     \
		for (i = 0; i < m; i++) {                                             \
			T *yr = y + i * n;                                            \
			for (j = 0; j < n; j++)                                       \
				yr[j] = 0;                                            \
			for (kk = 0; kk < k; kk++) {                                  \
				const A x = (A)a[i * k + kk];                         \
				const T *br = b + kk * n;                             \
				for (j = 0; j < n; j++)                               \
					yr[j] = (T)((A)yr[j] + x * (A)br[j]);         \
			}                                                             \
		}                                                                     \
	}                                                                             \
	int o2m_matmul_##sfx(const o2m_matmul_params *p, const T *a, const T *b, T *y) \
	{                                                                             \
		BATCHED_(mm_##sfx##_);                                                \
	}
MM_TYPES_(DEF_MATMUL_)

/* B transposed: each output element is a contiguous dot product. */
#define DEF_MATMUL_BT_(sfx, T, A)                                                     \
	static void mm_bt_##sfx##_(const o2m_matmul_params *p, const T *a, const T *b, T *y) \
	{                                                                             \
		const int32_t m = p->m, n = p->n, k = p->k;                           \
		int32_t i, j, kk;                                                     \
		for (i = 0; i < m; i++) {                                             \
			const T *ar = a + i * k;                                      \
			for (j = 0; j < n; j++) {                                     \
				const T *br = b + j * k;                              \
				A acc = 0;                                            \
				for (kk = 0; kk < k; kk++)                            \
					acc += (A)ar[kk] * (A)br[kk];                 \
				y[i * n + j] = (T)acc;                                \
			}                                                             \
		}                                                                     \
	}                                                                             \
	int o2m_matmul_bt_##sfx(const o2m_matmul_params *p, const T *a, const T *b, T *y) \
	{                                                                             \
		BATCHED_(mm_bt_##sfx##_);                                             \
	}
MM_TYPES_(DEF_MATMUL_BT_)

/* ---- Gemm ---- */

static int whole_(float v)
{
	return v > -2147483648.0f && v < 2147483648.0f && v == (float)(int32_t)v;
}

/* the integer result of a non-whole alpha or beta: truncated, saturated to int64 */
static int64_t trunc_i64_(double v)
{
	if (v != v)
		return 0;
	if (v >= 9.2233720368547758e18)
		return INT64_MAX;
	if (v <= -9.2233720368547758e18)
		return INT64_MIN;
	return (int64_t)v;
}

/* Y = alpha * acc + beta * C; C is NULL when left out. Integer types take whole alpha
   and beta as the integers ai, bi (wrapping), others through double. */
typedef struct {
	int whole;
	uint64_t ai, bi;
} gemm_int_;

#define GEMM_FIN_FLOAT_(T)                                                            \
	static T gemm_fin_##T##_(const o2m_gemm_params *p, const gemm_int_ *w, T acc,  \
				 const T *c)                                          \
	{                                                                             \
		(void)w;                                                              \
		return c ? (T)p->alpha * acc + (T)p->beta * *c : (T)p->alpha * acc;   \
	}
GEMM_FIN_FLOAT_(float)
GEMM_FIN_FLOAT_(double)

#define GEMM_FIN_INT_(T)                                                              \
	static T gemm_fin_##T##_(const o2m_gemm_params *p, const gemm_int_ *w, T acc,  \
				 const T *c)                                          \
	{                                                                             \
		if (w->whole)                                                         \
			return (T)((uint64_t)acc * w->ai + (c ? (uint64_t)*c * w->bi : 0)); \
		return (T)trunc_i64_((double)p->alpha * (double)acc +                 \
				     (c ? (double)p->beta * (double)*c : 0));         \
	}
GEMM_FIN_INT_(int32_t)
GEMM_FIN_INT_(int64_t)
GEMM_FIN_INT_(uint32_t)
GEMM_FIN_INT_(uint64_t)

/* The epilogue over Y's count elements: the activation and the clamp, for float types;
   integers take none. */
#define GEMM_END_FLOAT_(sfx, T)                                                       \
	static int gemm_end_##T##_(const o2m_gemm_params *p, T *y, int32_t count)      \
	{                                                                             \
		o2m_act_params e;                                                     \
		if (!p->act && p->act_min <= -FLT_MAX && p->act_max >= FLT_MAX)       \
			return O2M_OK;                                                \
		e.count = count;                                                      \
		e.act = p->act;                                                       \
		e.alpha = p->act_alpha;                                               \
		e.beta = p->act_beta;                                                 \
		e.min = p->act_min;                                                   \
		e.max = p->act_max;                                                   \
		return o2m_act_apply_##sfx(&e, y, y);                                 \
	}
GEMM_END_FLOAT_(f32, float)
GEMM_END_FLOAT_(f64, double)

/* the clamp-only epilogue (a fused Relu, Relu6 or Clip) in one tight pass, cheaper than
   the general epilogue; 1 when it was the whole epilogue. Bounds at +-FLT_MAX are none. */
#define GEMM_CLAMP_FLOAT_(T)                                                          \
	static int gemm_clamp_##T##_(const o2m_gemm_params *p, T *y, int32_t count)    \
	{                                                                             \
		const T lo = p->act_min <= -FLT_MAX ? (T)-HUGE_VAL : (T)p->act_min;   \
		const T hi = p->act_max >= FLT_MAX ? (T)HUGE_VAL : (T)p->act_max;     \
		int32_t i;                                                            \
		if (p->act || (p->act_min <= -FLT_MAX && p->act_max >= FLT_MAX))      \
			return 0;                                                     \
		if (p->act_max >= FLT_MAX) /* Relu: a lower bound alone */            \
			for (i = 0; i < count; i++)                                   \
				y[i] = y[i] < lo ? lo : y[i];                         \
		else                                                                  \
			for (i = 0; i < count; i++)                                   \
				y[i] = y[i] < lo ? lo : y[i] > hi ? hi : y[i];        \
		return 1;                                                             \
	}
GEMM_CLAMP_FLOAT_(float)
GEMM_CLAMP_FLOAT_(double)
#define GEMM_CLAMP_INT_(T)                                                            \
	static int gemm_clamp_##T##_(const o2m_gemm_params *p, T *y, int32_t count)    \
	{                                                                             \
		(void)p, (void)y, (void)count;                                        \
		return 0;                                                             \
	}
GEMM_CLAMP_INT_(int32_t)
GEMM_CLAMP_INT_(int64_t)
GEMM_CLAMP_INT_(uint32_t)
GEMM_CLAMP_INT_(uint64_t)

#define GEMM_END_INT_(T)                                                              \
	static int gemm_end_##T##_(const o2m_gemm_params *p, T *y, int32_t count)      \
	{                                                                             \
		(void)y;                                                              \
		(void)count;                                                          \
		return p->act ? O2M_ERR_ARG : O2M_OK;                                 \
	}
GEMM_END_INT_(int32_t)
GEMM_END_INT_(int64_t)
GEMM_END_INT_(uint32_t)
GEMM_END_INT_(uint64_t)

static gemm_int_ gemm_int_of_(const o2m_gemm_params *p)
{
	gemm_int_ w = {0, 0, 0};

	w.whole = whole_(p->alpha) && whole_(p->beta);
	if (w.whole) {
		w.ai = (uint64_t)(int64_t)(int32_t)p->alpha;
		w.bi = (uint64_t)(int64_t)(int32_t)p->beta;
	}
	return w;
}

/* Dot products when op(B) runs contiguously along k (transB, or a repacked constant);
   otherwise rows of op(B) are added into the row of Y (i, k, j order), which also
   leaves a and b untouched when k is 0. The epilogue runs over the finished Y. */
#define DEF_GEMM_(sfx, T, A)                                                          \
	static int gemm_##sfx##_(const o2m_gemm_params *p, const T *a, const T *b,     \
				 const T *c, T *y)                                    \
	{                                                                             \
		int32_t i, j, kk;                                                     \
		const int32_t m = p->m, n = p->n, k = p->k;                           \
		const gemm_int_ w = gemm_int_of_(p);                                  \
		if (p->beta == 0)                                                     \
			c = 0;                                                        \
		if (p->a_sk == 1 && p->b_sk == 1 && k > 0) { /* both rows contiguous */ \
			for (i = 0; i < m; i++) {                                     \
				const T *ar = a + i * p->a_sm;                        \
				for (j = 0; j < n; j++) {                             \
					const T *br = b + j * p->b_sn;                \
					A acc = 0;                                    \
					for (kk = 0; kk < k; kk++)                    \
						acc += (A)ar[kk] * (A)br[kk];         \
					y[i * n + j] = gemm_fin_##T##_(p, &w, (T)acc, \
						c ? c + i * p->c_sm + j * p->c_sn : 0); \
				}                                                     \
			}                                                             \
			return gemm_clamp_##T##_(p, y, m * n);                        \
		}                                                                     \
		if ((p->b_sk == 1 || n == 1) && k > 0) {                              \
			for (i = 0; i < m; i++)                                       \
				for (j = 0; j < n; j++) {                             \
					const T *pa = a + i * p->a_sm, *pb = b + j * p->b_sn; \
					A acc = 0;                                    \
					for (kk = 0; kk < k; kk++, pa += p->a_sk, pb += p->b_sk) \
						acc += (A)*pa * (A)*pb;               \
					y[i * n + j] = gemm_fin_##T##_(p, &w, (T)acc, \
						c ? c + i * p->c_sm + j * p->c_sn : 0); \
				}                                                     \
			return 0;                                                     \
		}                                                                     \
		for (i = 0; i < m; i++) {                                             \
			T *yr = y + i * n;                                            \
			for (j = 0; j < n; j++)                                       \
				yr[j] = 0;                                            \
			for (kk = 0; kk < k; kk++) {                                  \
				const A x = (A)a[i * p->a_sm + kk * p->a_sk];         \
				const T *br = b + kk * p->b_sk;                       \
				for (j = 0; j < n; j++)                               \
					yr[j] = (T)((A)yr[j] + x * (A)br[j * p->b_sn]); \
			}                                                             \
			for (j = 0; j < n; j++)                                       \
				yr[j] = gemm_fin_##T##_(p, &w, yr[j],                 \
					c ? c + i * p->c_sm + j * p->c_sn : 0);       \
		}                                                                     \
		return 0;                                                             \
	}                                                                             \
	int o2m_gemm_##sfx(const o2m_gemm_params *p, const T *a, const T *b, const T *c, T *y) \
	{                                                                             \
		if (gemm_##sfx##_(p, a, b, c, y)) /* the clamp is done */             \
			return O2M_OK;                                                \
		return gemm_end_##T##_(p, y, p->m * p->n);                            \
	}
MM_TYPES_(DEF_GEMM_)

/* ---- Gemm with a constant B packed in panels of 8 columns ---- */

/* c[t] = sum over q < k of x[q] * w[q * 8 + t], t < 8, in order of q; k >= 1. On an Arm
   FPU one VLDM loads a step's 8 weights (the same sums, bit for bit). */
static void pk8_f32_(int32_t k, const float *x, const float *w, float *c)
{
	float c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;

	do {
		const float v = *x++;
#ifdef O2M_ARM_VFP
		__asm__("vldmia %[w]!, {s24-s31}\n\t"
			"vmla.f32 %[c0], %[v], s24\n\tvmla.f32 %[c1], %[v], s25\n\t"
			"vmla.f32 %[c2], %[v], s26\n\tvmla.f32 %[c3], %[v], s27\n\t"
			"vmla.f32 %[c4], %[v], s28\n\tvmla.f32 %[c5], %[v], s29\n\t"
			"vmla.f32 %[c6], %[v], s30\n\tvmla.f32 %[c7], %[v], s31"
			: [w] "+r"(w), [c0] "+t"(c0), [c1] "+t"(c1), [c2] "+t"(c2), [c3] "+t"(c3),
			  [c4] "+t"(c4), [c5] "+t"(c5), [c6] "+t"(c6), [c7] "+t"(c7)
			: [v] "t"(v), "m"(*(const float(*)[8])w)
			: "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31");
#else
		c0 += v * w[0], c1 += v * w[1], c2 += v * w[2], c3 += v * w[3];
		c4 += v * w[4], c5 += v * w[5], c6 += v * w[6], c7 += v * w[7];
		w += 8;
#endif
	} while (--k);
	c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3, c[4] = c4, c[5] = c5, c[6] = c6, c[7] = c7;
}

static void pk8_f64_(int32_t k, const double *x, const double *w, double *c)
{
	double c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;

	do {
		const double v = *x++;
		c0 += v * w[0], c1 += v * w[1], c2 += v * w[2], c3 += v * w[3];
		c4 += v * w[4], c5 += v * w[5], c6 += v * w[6], c7 += v * w[7];
		w += 8;
	} while (--k);
	c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3, c[4] = c4, c[5] = c5, c[6] = c6, c[7] = c7;
}

/* The panels: column j < n8 = n / 8 * 8 of op(B) is b[(j / 8) * k * 8 + q * 8 + j % 8];
   the columns from n8 on follow as rows of k (B^T). Each output is the same sum in the
   same order as gemm's. */
#define DEF_GEMM_PK_(sfx, T, A)                                                       \
	int o2m_gemm_pk_##sfx(const o2m_gemm_params *p, const T *a, const T *b, const T *c, \
			      T *y)                                                   \
	{                                                                             \
		const int32_t m = p->m, n = p->n, k = p->k, n8 = n / 8 * 8;           \
		const gemm_int_ w = gemm_int_of_(p);                                  \
		int32_t i, j, t, q;                                                   \
		T acc[8];                                                             \
		if (k < 1 || !a || !b)                                                \
			return O2M_ERR_ARG;                                           \
		if (p->beta == 0)                                                     \
			c = 0;                                                        \
		for (i = 0; i < m; i++) {                                             \
			const T *ar = a + i * p->a_sm;                                \
			T *yr = y + i * n;                                            \
			for (j = 0; j < n8; j += 8) {                                 \
				pk8_##sfx##_(k, ar, b + j * k, acc);                  \
				for (t = 0; t < 8; t++)                               \
					yr[j + t] = gemm_fin_##T##_(p, &w, acc[t],    \
						c ? c + i * p->c_sm + (j + t) * p->c_sn : 0); \
			}                                                             \
			for (; j < n; j++) {                                          \
				const T *br = b + j * k;                              \
				A s = 0;                                              \
				for (q = 0; q < k; q++)                               \
					s += ar[q] * br[q];                           \
				yr[j] = gemm_fin_##T##_(p, &w, s,                     \
					c ? c + i * p->c_sm + j * p->c_sn : 0);       \
			}                                                             \
		}                                                                     \
		if (gemm_clamp_##T##_(p, y, m * n))                                   \
			return O2M_OK;                                                \
		return gemm_end_##T##_(p, y, m * n);                                  \
	}
DEF_GEMM_PK_(f32, float, float)
DEF_GEMM_PK_(f64, double, double)

/* ---- Einsum ---- */

static int einsum_ok_(const o2m_einsum_params *p, int *empty_out, int *empty_sum)
{
	int32_t d;

	if (p->out_rank < 1 || p->out_rank > O2M_MAX_RANK || p->sum_rank < 1 ||
	    p->sum_rank > O2M_MAX_RANK)
		return 0;
	*empty_out = *empty_sum = 0;
	for (d = 0; d < p->out_rank; d++)
		*empty_out |= p->out_dims[d] <= 0;
	for (d = 0; d < p->sum_rank; d++)
		*empty_sum |= p->sum_dims[d] <= 0;
	return 1;
}

/* The innermost summed dim runs as a tight loop; the outer ones step index vectors. */
#define DEF_EINSUM_(sfx, T, A)                                                        \
	int o2m_einsum_##sfx(const o2m_einsum_params *p, const T *a, const T *b, T *y) \
	{                                                                             \
		int32_t oi[O2M_MAX_RANK] = {0}, si[O2M_MAX_RANK] = {0};               \
		int32_t oa = 0, ob = 0, i = 0, j;                                     \
		const int32_t ls = p->sum_rank - 1;                                   \
		int empty_out, empty_sum;                                             \
		if (!einsum_ok_(p, &empty_out, &empty_sum))                           \
			return O2M_ERR_ARG;                                           \
		if (empty_out)                                                        \
			return O2M_OK;                                                \
		do {                                                                  \
			const int32_t n = p->sum_dims[ls], da = p->a_sum[ls], db = p->b_sum[ls]; \
			int32_t sa = oa, sb = ob;                                     \
			A acc = 0;                                                    \
			if (!empty_sum)                                               \
				do {                                                  \
					if (b)                                        \
						for (j = 0; j < n; j++)               \
							acc += (A)a[sa + j * da] * (A)b[sb + j * db]; \
					else                                          \
						for (j = 0; j < n; j++)               \
							acc += (A)a[sa + j * da];     \
				} while (o2m_step2(ls - 1, p->sum_dims, p->a_sum, p->b_sum, si, &sa, &sb)); \
			y[i++] = (T)acc;                                              \
		} while (o2m_step2(p->out_rank - 1, p->out_dims, p->a_out, p->b_out, oi, &oa, &ob)); \
		return O2M_OK;                                                        \
	}
EINSUM_TYPES_(DEF_EINSUM_)
