/* o2m_cast.h - element type conversion, o2m_cast_<from>_<to>(params, x, y) for every
   pair of types, float16 and bfloat16 as uint16_t bit patterns, the float8 types
   (o2m_f8.h) as uint8_t ones, the packed types (o2m_packed.h) one element per byte.
   Float to integer truncates toward zero and saturates; NaN
   becomes 0. Float8 targets round to nearest even and saturate unless alpha != 0
   (ONNX saturate=0); float8e8m0 rounds as beta says (O2M_E8M0_UP, _DOWN, _NEAREST).
   int4, uint4, int2 and uint2 targets wrap (floats truncated first), float4e2m1 ones
   round to nearest even and saturate. */
#ifndef O2M_CAST_H
#define O2M_CAST_H

#include "o2m_unary.h"

#define O2M_TYPES_F8(X, ...) \
	X(f8e4m3fn, uint8_t, __VA_ARGS__) X(f8e4m3fnuz, uint8_t, __VA_ARGS__) \
	X(f8e5m2, uint8_t, __VA_ARGS__) X(f8e5m2fnuz, uint8_t, __VA_ARGS__) \
	X(f8e8m0, uint8_t, __VA_ARGS__)
#define O2M_TYPES_PACKED(X, ...) \
	X(f4e2m1, uint8_t, __VA_ARGS__) X(u4, uint8_t, __VA_ARGS__) X(s4, int8_t, __VA_ARGS__) \
	X(u2, uint8_t, __VA_ARGS__) X(s2, int8_t, __VA_ARGS__)
#define O2M_TYPES_CAST(X, ...) O2M_TYPES_ALL(X, __VA_ARGS__) \
	X(f16, uint16_t, __VA_ARGS__) X(bf16, uint16_t, __VA_ARGS__) O2M_TYPES_F8(X, __VA_ARGS__) \
	O2M_TYPES_PACKED(X, __VA_ARGS__)
/* the same list spelled out again, for expanding inside O2M_TYPES_CAST */
#define O2M_TYPES_CAST2_(X, ...) \
	X(f32, float, __VA_ARGS__) X(f64, double, __VA_ARGS__) \
	X(s8, int8_t, __VA_ARGS__) X(s16, int16_t, __VA_ARGS__) \
	X(s32, int32_t, __VA_ARGS__) X(s64, int64_t, __VA_ARGS__) \
	X(u8, uint8_t, __VA_ARGS__) X(u16, uint16_t, __VA_ARGS__) \
	X(u32, uint32_t, __VA_ARGS__) X(u64, uint64_t, __VA_ARGS__) \
	X(bool, uint8_t, __VA_ARGS__) X(f16, uint16_t, __VA_ARGS__) X(bf16, uint16_t, __VA_ARGS__) \
	X(f8e4m3fn, uint8_t, __VA_ARGS__) X(f8e4m3fnuz, uint8_t, __VA_ARGS__) \
	X(f8e5m2, uint8_t, __VA_ARGS__) X(f8e5m2fnuz, uint8_t, __VA_ARGS__) \
	X(f8e8m0, uint8_t, __VA_ARGS__) \
	X(f4e2m1, uint8_t, __VA_ARGS__) X(u4, uint8_t, __VA_ARGS__) X(s4, int8_t, __VA_ARGS__) \
	X(u2, uint8_t, __VA_ARGS__) X(s2, int8_t, __VA_ARGS__)

#define O2M_DECL_CAST_(tsfx, TT, fsfx, FT) \
	int o2m_cast_##fsfx##_##tsfx(const o2m_unary_params *p, const FT *x, TT *y);
#define O2M_DECL_CAST_FROM_(fsfx, FT, unused) O2M_TYPES_CAST2_(O2M_DECL_CAST_, fsfx, FT)
/** y = (to)x for count elements. */
O2M_TYPES_CAST(O2M_DECL_CAST_FROM_, 0)

#endif
