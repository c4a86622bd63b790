/* o2m_reduce.h - reductions (Reduce*) over any set of axes, and the ops that work along
   one axis: ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, CumSum/CumProd and TopK. The
   compiler folds the shapes into the geometry below; kernels only loop. */
#ifndef O2M_REDUCE_H
#define O2M_REDUCE_H

#include "o2m_common.h"

/* The element types ONNX gives the arithmetic reductions and the scans ... */
#define O2M_TYPES_REDUCE(X, ...) O2M_TYPES_FLOAT(X, __VA_ARGS__) \
	X(s32, int32_t, __VA_ARGS__) X(s64, int64_t, __VA_ARGS__) \
	X(u32, uint32_t, __VA_ARGS__) X(u64, uint64_t, __VA_ARGS__)
/* ... and ReduceMax, ReduceMin, which also take int8, uint8 and bool (False < True), and
   int16 (the int16 activations of a16w8). */
#define O2M_TYPES_MINMAX(X, ...) O2M_TYPES_REDUCE(X, __VA_ARGS__) \
	X(s8, int8_t, __VA_ARGS__) X(u8, uint8_t, __VA_ARGS__) X(bool, uint8_t, __VA_ARGS__) \
	X(s16, int16_t, __VA_ARGS__)

/** Geometry of a reduction. Output element i (the output is dense) reduces the inner box
    that starts at input offset base(i); base walks the outer box (the kept dims) with
    `stride`, and the inner box (the reduced dims) is walked with `red_stride`, its last
    dim innermost. Sizes and strides count elements; boxes have merged dims. */
typedef struct {
	int32_t count;                     /* output elements */
	int32_t rank;                      /* outer box */
	int32_t dims[O2M_MAX_RANK];
	int32_t stride[O2M_MAX_RANK];
	int32_t red_count;                 /* input elements reduced into each output */
	int32_t red_rows;                  /* red_count / red_dims[red_rank - 1] */
	int32_t red_rank;                  /* inner box */
	int32_t red_dims[O2M_MAX_RANK];
	int32_t red_stride[O2M_MAX_RANK];
} o2m_reduce_params;

/** Geometry of an op along one axis: the input is viewed as [outer, n, inner] and the op
    runs on each of the outer * inner lines of n elements, `inner` apart. */
typedef struct {
	int32_t outer;
	int32_t n;
	int32_t inner;
	int32_t k;          /* TopK: elements kept; its outputs are [outer, k, inner] */
	int32_t largest;    /* TopK: 1 keeps the largest, 0 the smallest */
	int32_t last_index; /* ArgMax, ArgMin: 1 picks the last of equal extremes */
	int32_t exclusive;  /* CumSum, CumProd: 1 leaves the element itself out */
	int32_t reverse;    /* CumSum, CumProd: 1 runs from the end of the line */
} o2m_axis_params;

#define O2M_DECL_REDUCE_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_reduce_params *p, const T *x, T *y);
#define O2M_DECL_AXIS_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, T *y);
#define O2M_DECL_ARG_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, int64_t *y);
#define O2M_DECL_TOPK_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, T *values, int64_t *indices);

/** y = sum, mean, product, sum of |x|, sqrt(sum of x^2), sum of x^2, log(sum),
    log(sum(exp)) of each inner box. An empty box gives the identity of the reduction:
    0, NaN (integer mean: 0), 1, 0, 0, 0, -inf, -inf. Integer sums and products wrap;
    integer results computed through double (l2, log_sum, log_sum_exp) saturate. */
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_sum)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_mean)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_prod)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_l1)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_l2)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_sum_square)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_log_sum)
O2M_TYPES_REDUCE(O2M_DECL_REDUCE_, reduce_log_sum_exp)
/** y = max, min of each inner box; NaN propagates. An empty box gives the lowest
    (max) or highest (min) value of the type: -inf/+inf for floats. */
O2M_TYPES_MINMAX(O2M_DECL_REDUCE_, reduce_max)
O2M_TYPES_MINMAX(O2M_DECL_REDUCE_, reduce_min)

/** y[o, i] = index along the line of its largest (argmax) or smallest (argmin) element,
    the first one unless last_index; NaN counts as the extreme, as in numpy.
    @return O2M_ERR_ARG for empty lines (n == 0). */
O2M_TYPES_NUMERIC(O2M_DECL_ARG_, argmax)
O2M_TYPES_NUMERIC(O2M_DECL_ARG_, argmin)

/** Softmax: y = exp(x - max) / sum(exp(x - max)) along each line; log_softmax:
    y = x - max - log(sum(exp(x - max))); hardmax: 1 at the first largest element, 0
    elsewhere. May run in place (y == x). */
O2M_TYPES_FLOAT(O2M_DECL_AXIS_, softmax)
O2M_TYPES_FLOAT(O2M_DECL_AXIS_, log_softmax)
O2M_TYPES_FLOAT(O2M_DECL_AXIS_, hardmax)

/** Running sum or product along each line, honouring exclusive and reverse; integers
    wrap. May run in place (y == x). */
O2M_TYPES_REDUCE(O2M_DECL_AXIS_, cumsum)
O2M_TYPES_REDUCE(O2M_DECL_AXIS_, cumprod)

/** The k largest (or smallest) elements of each line, sorted best first, equal values by
    lower index; NaN ranks above every number, as in numpy's sort. indices doubles as the
    work heap, so it must be given; values may be NULL when only the indices are wanted.
    @return O2M_ERR_ARG unless 0 <= k <= n. */
O2M_TYPES_NUMERIC(O2M_DECL_TOPK_, topk)

#endif
