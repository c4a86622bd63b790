/* o2m_unary.h - elementwise unary kernels: math functions and activations,
   o2m_<op>_<type>(params, x, y), plus Clip, Where and the predicates with bool output.
   Each kernel may run in place (y == x). */
#ifndef O2M_UNARY_H
#define O2M_UNARY_H

#include "o2m_act.h"
#include "o2m_bcast.h"

/** count elements; alpha, beta, gamma carry the ONNX attributes of the op. */
typedef struct {
	int32_t count;
	float alpha;
	float beta;
	float gamma;
} o2m_unary_params;

#define O2M_DECL_UNARY_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_unary_params *p, const T *x, T *y);
#define O2M_DECL_PRED_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_unary_params *p, const T *x, uint8_t *y);

/** Math and activations over float and double. Attributes: leaky_relu, elu, celu,
    thresholded_relu: alpha; selu: alpha, gamma; hard_sigmoid: alpha, beta;
    shrink: lambd = alpha, bias = beta; swish: alpha. */
#define O2M_UNARY_FLOAT_OPS_(X) \
	X(reciprocal) X(floor) X(ceil) X(round) X(sqrt) X(exp) X(log) X(sin) X(cos) \
	X(tan) X(asin) X(acos) X(atan) X(sinh) X(cosh) X(asinh) X(acosh) X(atanh) X(erf) \
	X(tanh) X(sigmoid) X(leaky_relu) X(elu) X(selu) X(celu) X(gelu) X(gelu_tanh) \
	X(hard_sigmoid) X(hard_swish) X(softplus) X(softsign) X(mish) \
	X(thresholded_relu) X(shrink) X(swish)
#define O2M_DECL_UNARY_FLOAT_(name) O2M_TYPES_FLOAT(O2M_DECL_UNARY_, name)
O2M_UNARY_FLOAT_OPS_(O2M_DECL_UNARY_FLOAT_)

/** abs, neg, sign and relu over every numeric type. */
O2M_TYPES_NUMERIC(O2M_DECL_UNARY_, abs)
O2M_TYPES_NUMERIC(O2M_DECL_UNARY_, neg)
O2M_TYPES_NUMERIC(O2M_DECL_UNARY_, sign)
O2M_TYPES_NUMERIC(O2M_DECL_UNARY_, relu)
/** Bitwise not of integers, logical not of bools. */
O2M_TYPES_INT(O2M_DECL_UNARY_, bitnot)
O2M_TYPES_BOOL(O2M_DECL_UNARY_, not)
/** isnan; isinf (alpha != 0: detect +inf, beta != 0: detect -inf). */
O2M_TYPES_FLOAT(O2M_DECL_PRED_, isnan)
O2M_TYPES_FLOAT(O2M_DECL_PRED_, isinf)

/** Clip: y = min(max(x, *lo), *hi); lo or hi may be NULL for no bound. */
#define O2M_DECL_CLIP_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_unary_params *p, const T *x, const T *lo, const T *hi, T *y);
O2M_TYPES_NUMERIC(O2M_DECL_CLIP_, clip)

/** Where: y = cond ? a : b with broadcasting (sa: cond, sb: a, sc: b); typed by size. */
#define O2M_DECL_WHERE_(sfx, T, name)                                              \
	int o2m_##name##_##sfx(const o2m_bcast_params *p, const uint8_t *cond, const T *a, \
			       const T *b, T *y);
O2M_TYPES_UINT(O2M_DECL_WHERE_, where)

#endif
