/* o2m_matmul.h - matrix products: batched MatMul with broadcasting (B as given, or B
   transposed at compile time when it is a constant), Gemm with transposes, alpha, beta
   and a broadcast C, and Einsum as strided sums of products of one or two operands.
   Integer products wrap around; float products accumulate in the element type. */
#ifndef O2M_MATMUL_H
#define O2M_MATMUL_H

#include "o2m_geom.h"

/* The element types of MatMul and Gemm. */
#define O2M_TYPES_MATMUL(X, ...) O2M_TYPES_FLOAT(X, __VA_ARGS__) \
	X(s32, int32_t, __VA_ARGS__) X(s64, int64_t, __VA_ARGS__) \
	X(u32, uint32_t, __VA_ARGS__) X(u64, uint64_t, __VA_ARGS__)

/** Y (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C. The strides say where
    element (i, j) of op(A), op(B) and C lives: a[i * a_sm + j * a_sk] and so on, so a
    transpose is a swap of strides; C's strides are 0 along the dims it broadcasts. Y is
    dense. c == NULL (or beta == 0) leaves C out. The epilogue, float types only: Y goes
    through the activation act (as in o2m_conv_params: an O2M_ACT_* that o2m_act_apply
    takes, with act_alpha and act_beta), then is clamped to [act_min, act_max]
    (-FLT_MAX and FLT_MAX: no bound), bit for bit the unfused kernels. Integer types
    take no activation and ignore the bounds. */
typedef struct {
	int32_t m, n, k;
	int32_t a_sm, a_sk;
	int32_t b_sk, b_sn;
	int32_t c_sm, c_sn;
	float alpha, beta;
	float act_min, act_max;
	int32_t act;
	float act_alpha, act_beta;
} o2m_gemm_params;

/** Einsum of one or two operands: for each output element, in row-major order over
    out_dims, y = sum over the sum_dims box of a[ia] * b[ib] (a[ia] alone when b is
    NULL). The offsets ia, ib step by a_out/b_out along the output dims and by
    a_sum/b_sum along the summed dims; a label repeated in an operand (a diagonal) has
    the sum of its strides, a broadcast one stride 0. out_rank and sum_rank are at
    least 1 (a single dim of size 1 when there is nothing to loop). */
typedef struct {
	int32_t out_rank, sum_rank;
	int32_t out_dims[O2M_MAX_RANK];
	int32_t sum_dims[O2M_MAX_RANK];
	int32_t a_out[O2M_MAX_RANK];
	int32_t b_out[O2M_MAX_RANK];
	int32_t a_sum[O2M_MAX_RANK];
	int32_t b_sum[O2M_MAX_RANK];
} o2m_einsum_params;

#define O2M_DECL_MATMUL_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_matmul_params *p, const T *a, const T *b, T *y);
/** Batched Y = A * B with A (m x k) and B (k x n) row-major per batch index; the loop
    runs i, k, j so B and Y stream row by row. */
O2M_TYPES_MATMUL(O2M_DECL_MATMUL_, matmul)
/** The same product with B given transposed (n x k per batch index, a repacked
    constant): each output element is one contiguous dot product. */
O2M_TYPES_MATMUL(O2M_DECL_MATMUL_, matmul_bt)

#define O2M_DECL_GEMM_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_gemm_params *p, const T *a, const T *b, const T *c, T *y);
/** Gemm; integer types apply alpha and beta exactly when they are whole numbers, and
    through double with truncation otherwise. O2M_ERR_ARG for an act the type does not
    take (any but O2M_ACT_NONE for integers). */
O2M_TYPES_MATMUL(O2M_DECL_GEMM_, gemm)

#define O2M_DECL_EINSUM_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_einsum_params *p, const T *a, const T *b, T *y);
/** One Einsum contraction step; b may be NULL. */
O2M_TYPES_NUMERIC(O2M_DECL_EINSUM_, einsum)

/** Gemm whose op(B) (k x n, k >= 1) was packed at compile time: panels of 8 columns,
    column j < n8 = n / 8 * 8 at b[(j / 8) * k * 8 + q * 8 + j % 8] (q the row), then the
    columns from n8 on as rows of k. A must have contiguous rows (a_sk 1); b_sk and
    b_sn are unused. Same sums in the same order as o2m_gemm. */
O2M_TYPES_FLOAT(O2M_DECL_GEMM_, gemm_pk)

#endif
