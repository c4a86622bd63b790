/* o2m_act.h - the activation epilogue of the convolution and gemm kernels. It runs the
   unary kernels of o2m_act.c themselves, so a fused activation is bit for bit the
   unfused one. */
#ifndef O2M_ACT_H
#define O2M_ACT_H

#include "o2m_common.h"

/** count elements through the activation act with its attributes alpha and beta, then
    clamped to [min, max]; -FLT_MAX and FLT_MAX mean no bound. act is O2M_ACT_NONE,
    LEAKY_RELU, SIGMOID, TANH, HARD_SIGMOID, HARD_SWISH, GELU, GELU_TANH, SWISH or ELU. */
typedef struct {
	int32_t count, act;
	float alpha, beta;
	float min, max;
} o2m_act_params;

#define O2M_DECL_ACT_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_act_params *p, const T *x, T *y);
/** y = min(max(f(x), min), max), elementwise; may run in place (y == x). The bounds are
    compared as v < min ? min : v > max ? max : v, so NaN goes through. O2M_ERR_ARG for
    any other act. */
O2M_TYPES_FLOAT(O2M_DECL_ACT_, act_apply)

#endif
