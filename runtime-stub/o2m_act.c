/* o2m_act.c - activations with attributes (alpha A, beta B, gamma G): leaky_relu,
   sigmoid, tanh, elu, selu, celu, gelu (erf and tanh forms), hard_sigmoid, hard_swish,
   mish, thresholded_relu, shrink (lambd A, bias B), swish; float and double. NaN goes
   through as the ONNX formulas take it (fmin and fmax would drop it). And
   o2m_act_apply, the epilogue of the convolution and gemm kernels, which runs these very
   kernels: a fused activation is bit for bit the unfused one. */
#include "o2m_act.h"
#include "o2m_unary_def.h"

#include <float.h>

#define OPS_(sfx, T, F)                                                                     \
	DEF_(sfx, T, leaky_relu, v < 0 ? A * v : v)                                         \
	DEF_(sfx, T, sigmoid, v >= 0 ? 1 / (1 + F(exp)(-v)) : F(exp)(v) / (1 + F(exp)(v)))   \
	DEF_(sfx, T, tanh, F(tanh)(v))                                                      \
	DEF_(sfx, T, elu, v < 0 ? A * (F(exp)(v) - 1) : v)                                  \
	DEF_(sfx, T, selu, v <= 0 ? G * (A * F(exp)(v) - A) : G * v)                        \
	DEF_(sfx, T, celu, v < 0 ? A * (F(exp)(v / A) - 1) : v)                              \
	DEF_(sfx, T, gelu, (T_)0.5 * v * (1 + F(erf)(v * (T_)0.70710678118654752440)))        \
	DEF_(sfx, T, gelu_tanh, (T_)0.5 * v *                                                \
		(1 + F(tanh)((T_)0.79788456080286535588 * (v + (T_)0.044715 * v * v * v))))  \
	DEF_(sfx, T, hard_sigmoid, A * v + B < 0 ? 0 : A * v + B > 1 ? 1 : A * v + B)         \
	DEF_(sfx, T, hard_swish, v * F(fmax)(0, F(fmin)(1, v / 6 + (T_)0.5)))                 \
	DEF_(sfx, T, mish, v * F(tanh)(v > 20 ? v : F(log1p)(F(exp)(v))))                    \
	DEF_(sfx, T, thresholded_relu, v > A ? v : 0)                                        \
	DEF_(sfx, T, shrink, v < -A ? v + B : v > A ? v - B : 0)                             \
	DEF_(sfx, T, swish, v / (1 + F(exp)(-A * v)))
#define T_ float
OPS_(f32, float, O2M_FF_)
#undef T_
#define T_ double
OPS_(f64, double, O2M_FD_)
#undef T_

/* O2M_ACTS has bit k set for each activation k a model's epilogues apply: the compiler
   defines it in the o2m_names.h it writes, so the other cases compile out, and with
   them (under --gc-sections) their kernels and libm functions. Undefined: all. */
#ifndef O2M_ACTS
#define O2M_ACTS 0xffffffffu
#endif

/* the unary kernel of each activation the epilogue takes */
#define ACTS_(X, sfx)                                                                       \
	X(O2M_ACT_LEAKY_RELU, leaky_relu, sfx) X(O2M_ACT_SIGMOID, sigmoid, sfx)             \
	X(O2M_ACT_TANH, tanh, sfx) X(O2M_ACT_HARD_SIGMOID, hard_sigmoid, sfx)               \
	X(O2M_ACT_HARD_SWISH, hard_swish, sfx) X(O2M_ACT_GELU, gelu, sfx)                   \
	X(O2M_ACT_GELU_TANH, gelu_tanh, sfx) X(O2M_ACT_SWISH, swish, sfx)                   \
	X(O2M_ACT_ELU, elu, sfx)
#define CASE_(kind, name, sfx)                                                              \
	case kind:                                                                          \
		if (!(O2M_ACTS >> kind & 1u))                                               \
			return O2M_ERR_ARG;                                                 \
		o2m_##name##_##sfx(&u, x, y);                                               \
		break;

/* +-FLT_MAX widen to +-infinity, so double results beyond the float range stay */
#define DEF_APPLY_(sfx, T, unused)                                                          \
	int o2m_act_apply_##sfx(const o2m_act_params *p, const T *x, T *y)                  \
	{                                                                                   \
		o2m_unary_params u = {0, 0, 0, 0};                                          \
		int32_t i;                                                                  \
		T lo, hi;                                                                   \
		u.count = p->count;                                                         \
		u.alpha = p->alpha;                                                         \
		u.beta = p->beta;                                                           \
		switch (p->act) {                                                           \
		case O2M_ACT_NONE:                                                          \
			for (i = 0; x != y && i < p->count; i++)                            \
				y[i] = x[i];                                                \
			break;                                                              \
			ACTS_(CASE_, sfx)                                                   \
		default:                                                                    \
			return O2M_ERR_ARG;                                                 \
		}                                                                           \
		if (p->min <= -FLT_MAX && p->max >= FLT_MAX)                                \
			return O2M_OK;                                                      \
		lo = p->min <= -FLT_MAX ? (T)-HUGE_VAL : (T)p->min;                         \
		hi = p->max >= FLT_MAX ? (T)HUGE_VAL : (T)p->max;                           \
		for (i = 0; i < p->count; i++)                                              \
			y[i] = y[i] < lo ? lo : y[i] > hi ? hi : y[i];                      \
		return O2M_OK;                                                              \
	}
O2M_TYPES_FLOAT(DEF_APPLY_, unused)
