/* dtype.c - facts about element types (from dtype.def) and reading/writing elements of
   any type through double or int64, used by folding, printing and comparisons. */
#include "ir.h"

#include "../runtime-stub/o2m_f8.h"
#include "../runtime-stub/o2m_packed.h"

#include <math.h>

static const struct {
	const char *name, *ctype, *sfx;
	int size, onnx;
} dt_info[DT_COUNT] = {
#define DT(id, name, ctype, size, onnx, sfx) [id] = {name, #ctype, #sfx, size, onnx},
#include "dtype.def"
#undef DT
};

const char *dt_name(DType t) { return dt_info[t].name; }
const char *dt_ctype(DType t) { return dt_info[t].ctype; }
const char *dt_suffix(DType t) { return dt_info[t].sfx; }
int dt_size(DType t) { return dt_info[t].size; }
int dt_onnx(DType t) { return dt_info[t].onnx; }

DType dt_from_onnx(int code)
{
	for (int t = 1; t < DT_COUNT; t++)
		if (dt_info[t].onnx == code)
			return (DType)t;
	return DT_UNDEF;
}

int dt_is_f8(DType t) { return t >= DT_F8E4M3FN && t <= DT_F4E2M1; }
int dt_bits(DType t)
{
	return t == DT_F4E2M1 || t == DT_U4 || t == DT_S4 ? 4 : t == DT_U2 || t == DT_S2 ? 2 : 0;
}
int dt_is_float(DType t)
{
	return t == DT_F32 || t == DT_F64 || t == DT_F16 || t == DT_BF16 || dt_is_f8(t);
}
int dt_is_signed(DType t)
{
	return t == DT_S2 || t == DT_S4 || t == DT_S8 || t == DT_S16 || t == DT_S32 ||
	       t == DT_S64 || dt_is_float(t);
}
int dt_is_int(DType t) { return !dt_is_float(t) && t != DT_BOOL && t != DT_UNDEF; }

float f16_to_f32(uint16_t h) { return o2m_f16_to_f32(h); }
uint16_t f32_to_f16(float f) { return o2m_f32_to_f16(f); }
float bf16_to_f32(uint16_t h) { return o2m_bf16_to_f32(h); }
uint16_t f32_to_bf16(float f) { return o2m_f32_to_bf16(f); }

double dt_get(DType t, const void *d, int64_t i)
{
	switch (t) {
	case DT_F32: return ((const float *)d)[i];
	case DT_F64: return ((const double *)d)[i];
	case DT_F16: return f16_to_f32(((const uint16_t *)d)[i]);
	case DT_BF16: return bf16_to_f32(((const uint16_t *)d)[i]);
	case DT_F8E4M3FN: return o2m_f8e4m3fn_to_f32(((const uint8_t *)d)[i]);
	case DT_F8E4M3FNUZ: return o2m_f8e4m3fnuz_to_f32(((const uint8_t *)d)[i]);
	case DT_F8E5M2: return o2m_f8e5m2_to_f32(((const uint8_t *)d)[i]);
	case DT_F8E5M2FNUZ: return o2m_f8e5m2fnuz_to_f32(((const uint8_t *)d)[i]);
	case DT_F8E8M0: return o2m_f8e8m0_to_f32(((const uint8_t *)d)[i]);
	case DT_F4E2M1: return o2m_f4e2m1_to_f32(((const uint8_t *)d)[i]);
	case DT_S64: return (double)((const int64_t *)d)[i];
	case DT_U64: return (double)((const uint64_t *)d)[i];
	default: return (double)dt_get_i64(t, d, i);
	}
}

/* v as an integer, saturated: a double out of int64_t's range (an attribute of -FLT_MAX
   for an integer tensor) would be undefined behaviour to convert; NaN gives 0 */
static int64_t to_i64(double v)
{
	if (!(v == v))
		return 0;
	if (v >= 9223372036854775807.0)
		return INT64_MAX;
	if (v <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)v;
}

int64_t dt_get_i64(DType t, const void *d, int64_t i)
{
	switch (t) {
	case DT_U8: case DT_BOOL: case DT_U4: case DT_U2: return ((const uint8_t *)d)[i];
	case DT_S8: case DT_S4: case DT_S2: return ((const int8_t *)d)[i];
	case DT_U16: return ((const uint16_t *)d)[i];
	case DT_S16: return ((const int16_t *)d)[i];
	case DT_U32: return ((const uint32_t *)d)[i];
	case DT_S32: return ((const int32_t *)d)[i];
	case DT_S64: return ((const int64_t *)d)[i];
	case DT_U64: return (int64_t)((const uint64_t *)d)[i];
	default: return to_i64(dt_get(t, d, i));
	}
}

/* integers stored exactly (wrapping to the type), floats through double */
void dt_set_i64(DType t, void *d, int64_t i, int64_t v)
{
	switch (t) {
	case DT_U8: case DT_S8: ((uint8_t *)d)[i] = (uint8_t)v; break;
	case DT_U16: case DT_S16: ((uint16_t *)d)[i] = (uint16_t)v; break;
	case DT_U32: case DT_S32: ((uint32_t *)d)[i] = (uint32_t)v; break;
	case DT_U64: case DT_S64: ((uint64_t *)d)[i] = (uint64_t)v; break;
	default: dt_set(t, d, i, (double)v); break;
	}
}

void dt_set(DType t, void *d, int64_t i, double v)
{
	switch (t) {
	case DT_F32: ((float *)d)[i] = (float)v; break;
	case DT_F64: ((double *)d)[i] = v; break;
	case DT_F16: ((uint16_t *)d)[i] = o2m_f64_to_f16(v); break;
	case DT_BF16: ((uint16_t *)d)[i] = o2m_f64_to_bf16(v); break;
	case DT_F8E4M3FN: ((uint8_t *)d)[i] = o2m_f64_to_f8e4m3fn(v, 1); break;
	case DT_F8E4M3FNUZ: ((uint8_t *)d)[i] = o2m_f64_to_f8e4m3fnuz(v, 1); break;
	case DT_F8E5M2: ((uint8_t *)d)[i] = o2m_f64_to_f8e5m2(v, 1); break;
	case DT_F8E5M2FNUZ: ((uint8_t *)d)[i] = o2m_f64_to_f8e5m2fnuz(v, 1); break;
	case DT_F8E8M0: ((uint8_t *)d)[i] = o2m_f64_to_e8m0(v, O2M_E8M0_UP, 1); break;
	case DT_F4E2M1: ((uint8_t *)d)[i] = o2m_f64_to_f4e2m1(v); break;
	case DT_U4: case DT_S4: case DT_U2: case DT_S2: /* wrapped like the other integers */
		((int8_t *)d)[i] = (int8_t)o2m_wrap_bits(to_i64(v), dt_bits(t), dt_is_signed(t));
		break;
	case DT_BOOL: ((uint8_t *)d)[i] = v != 0; break;
	case DT_U8: ((uint8_t *)d)[i] = (uint8_t)to_i64(v); break;
	case DT_S8: ((int8_t *)d)[i] = (int8_t)to_i64(v); break;
	case DT_U16: ((uint16_t *)d)[i] = (uint16_t)to_i64(v); break;
	case DT_S16: ((int16_t *)d)[i] = (int16_t)to_i64(v); break;
	case DT_U32: ((uint32_t *)d)[i] = (uint32_t)to_i64(v); break;
	case DT_S32: ((int32_t *)d)[i] = (int32_t)to_i64(v); break;
	case DT_S64: ((int64_t *)d)[i] = to_i64(v); break;
	case DT_U64: ((uint64_t *)d)[i] = v >= 18446744073709551615.0 ? UINT64_MAX
					     : v >= 0 ? (uint64_t)v : (uint64_t)to_i64(v); break;
	default: IR_ASSERT(!"dt_set of undefined type");
	}
}
