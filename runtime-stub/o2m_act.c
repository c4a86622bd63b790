/* o2m_act.c - activations with attributes (alpha A, beta B, gamma G): leaky_relu, elu,
   selu, celu, gelu (erf and tanh forms), hard_sigmoid, hard_swish, mish,
   thresholded_relu, shrink (lambd A, bias B), swish; float and double. NaN goes through
   as the ONNX formulas take it (fmin and fmax would drop it). */
#include "o2m_unary_def.h"

#define OPS_(sfx, T, F)                                                                     \
	DEF_(sfx, T, leaky_relu, v < 0 ? A * v : v)                                         \
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
