/* o2m_basic.c - cheap elementwise ops: abs, neg, sign, relu, bitnot, not, floor, ceil,
   round (half to even), reciprocal, isnan, isinf. */
#include "o2m_unary_def.h"

O2M_TYPES_FLOAT(DEF_, abs, v < 0 ? -v : v)
O2M_TYPES_SINT(DEF_, abs, v < 0 ? 0 - (uint64_t)v : (uint64_t)v)
O2M_TYPES_UINT(DEF_, abs, v)
O2M_TYPES_FLOAT(DEF_, neg, -v)
O2M_TYPES_INT(DEF_, neg, 0 - (uint64_t)v)
O2M_TYPES_FLOAT(DEF_, sign, v > 0 ? 1 : v < 0 ? -1 : v) /* NaN stays NaN */
O2M_TYPES_SINT(DEF_, sign, v > 0 ? 1 : v < 0 ? -1 : 0)
O2M_TYPES_UINT(DEF_, sign, v > 0)
O2M_TYPES_FLOAT(DEF_, relu, v < 0 ? 0 : v) /* NaN stays NaN, as in ONNX */
O2M_TYPES_SINT(DEF_, relu, v > 0 ? v : 0)
O2M_TYPES_UINT(DEF_, relu, v)
O2M_TYPES_INT(DEF_, bitnot, ~(uint64_t)v)
O2M_TYPES_BOOL(DEF_, not, !v)

#define OPS_(sfx, T, F)                          \
	DEF_(sfx, T, floor, F(floor)(v))         \
	DEF_(sfx, T, ceil, F(ceil)(v))           \
	DEF_(sfx, T, round, F(rint)(v))          \
	DEF_(sfx, T, reciprocal, 1 / v)
OPS_(f32, float, O2M_FF_)
OPS_(f64, double, O2M_FD_)

O2M_TYPES_FLOAT(DEF_PRED_, isnan, v != v)
O2M_TYPES_FLOAT(DEF_PRED_, isinf, isinf(v) && ((v > 0 && p->alpha != 0) || (v < 0 && p->beta != 0)))
