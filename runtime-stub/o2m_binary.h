/* o2m_binary.h - elementwise binary arithmetic with broadcasting, one kernel per op and
   element type: o2m_<op>_<type>(params, a, b, y). Where ONNX leaves integer results
   undefined they are defined here, without trapping: arithmetic wraps around (so
   INT_MIN / -1 is INT_MIN), division and remainder by zero give 0, INT_MIN % -1 is 0. */
#ifndef O2M_BINARY_H
#define O2M_BINARY_H

#include "o2m_bcast.h"

#define O2M_DECL_BINARY_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_bcast_params *p, const T *a, const T *b, T *y);

/** y = a + b, a - b, a * b, a / b (integer division truncates). */
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, add)
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, sub)
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, mul)
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, div)
/** Integer remainder with the sign of the divisor (ONNX Mod, fmod=0). */
O2M_TYPES_INT(O2M_DECL_BINARY_, mod)
/** Remainder with the sign of the dividend (C fmod / %; ONNX Mod, fmod=1). */
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, fmod)
/** Elementwise minimum and maximum; a NaN operand gives NaN. */
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, min)
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, max)
/** y = a ^ b; integers exactly, wrapping; a negative integer exponent truncates the
    real power (0 unless the base is 1 or -1). */
O2M_TYPES_FLOAT(O2M_DECL_BINARY_, pow)
O2M_DECL_BINARY_(s32, int32_t, pow)
O2M_DECL_BINARY_(s64, int64_t, pow)
/** y = a < 0 ? a * b : a (PRelu with slope b). */
O2M_TYPES_NUMERIC(O2M_DECL_BINARY_, prelu)
/** Bitwise and, or, xor. */
O2M_TYPES_INT(O2M_DECL_BINARY_, bitand)
O2M_TYPES_INT(O2M_DECL_BINARY_, bitor)
O2M_TYPES_INT(O2M_DECL_BINARY_, bitxor)
/** Logical shifts; a shift of the type's width or more gives 0. */
O2M_TYPES_UINT(O2M_DECL_BINARY_, shl)
O2M_TYPES_UINT(O2M_DECL_BINARY_, shr)

#endif
