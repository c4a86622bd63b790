/* o2m_exp.c - exponentials and the activations made of them: sqrt, exp, log, erf,
   softplus, softsign, for float and double (tanh and sigmoid are in o2m_act.c, which
   the convolution epilogue runs). */
#include "o2m_unary_def.h"

#define OPS_(sfx, T, F)                                                                 \
	DEF_(sfx, T, sqrt, F(sqrt)(v))                                                  \
	DEF_(sfx, T, exp, F(exp)(v))                                                    \
	DEF_(sfx, T, log, F(log)(v))                                                    \
	DEF_(sfx, T, erf, F(erf)(v))                                                    \
	DEF_(sfx, T, softplus, v > 20 ? v : F(log1p)(F(exp)(v)))                        \
	DEF_(sfx, T, softsign, v / (1 + F(fabs)(v)))
OPS_(f32, float, O2M_FF_)
OPS_(f64, double, O2M_FD_)
