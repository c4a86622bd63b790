/* o2m_common.h - what every onnx2mcu kernel shares: status codes, limits, the element
   type lists that instantiate typed kernels, and small inline helpers. Kernels never
   allocate, never print and return O2M_OK or an error code. */
#ifndef O2M_COMMON_H
#define O2M_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Maps kernel symbols to model-prefixed names so several generated models link into one
   program; the compiler writes one next to the kernels it copies. */
#include "o2m_names.h"

#define O2M_MAX_RANK 8

/** For kernels that need no parameters. */
typedef struct {
	int32_t unused;
} o2m_none_params;

enum {
	O2M_OK = 0,
	O2M_ERR_ARG = 1,   /* a NULL pointer or inconsistent parameter */
	O2M_ERR_INDEX = 2, /* an index read at run time is out of range */
};

/** Activation functions, by ONNX op name; alpha and beta are the op's attributes. The
    recurrent layers (o2m_rnn.h) and the convolution and gemm epilogue (o2m_act.h) each
    take the ones their header lists. */
enum {
	O2M_ACT_NONE = 0,         /* the identity */
	O2M_ACT_RELU,             /* Relu: max(0, x) */
	O2M_ACT_TANH,             /* Tanh */
	O2M_ACT_SIGMOID,          /* Sigmoid: 1 / (1 + e^-x) */
	O2M_ACT_AFFINE,           /* Affine: alpha * x + beta */
	O2M_ACT_LEAKY_RELU,       /* LeakyRelu: x >= 0 ? x : alpha * x */
	O2M_ACT_THRESHOLDED_RELU, /* ThresholdedRelu: x > alpha ? x : 0 */
	O2M_ACT_SCALED_TANH,      /* ScaledTanh: alpha * tanh(beta * x) */
	O2M_ACT_HARD_SIGMOID,     /* HardSigmoid: min(max(alpha * x + beta, 0), 1) */
	O2M_ACT_ELU,              /* Elu: x >= 0 ? x : alpha * (e^x - 1) */
	O2M_ACT_SOFTSIGN,         /* Softsign: x / (1 + |x|) */
	O2M_ACT_SOFTPLUS,         /* Softplus: log(1 + e^x) */
	O2M_ACT_HARD_SWISH,       /* HardSwish: x * min(max(x / 6 + 1 / 2, 0), 1) */
	O2M_ACT_GELU,             /* Gelu, the exact form: x / 2 * (1 + erf(x / sqrt(2))) */
	O2M_ACT_GELU_TANH,        /* Gelu with approximate = "tanh" */
	O2M_ACT_SWISH,            /* Swish: x * sigmoid(alpha * x) */
	O2M_ACT_COUNT
};

/* Element type lists: X(suffix, C type, ...) expands once per type. */
#define O2M_TYPES_FLOAT(X, ...) \
	X(f32, float, __VA_ARGS__) X(f64, double, __VA_ARGS__)
#define O2M_TYPES_SINT(X, ...) \
	X(s8, int8_t, __VA_ARGS__) X(s16, int16_t, __VA_ARGS__) \
	X(s32, int32_t, __VA_ARGS__) X(s64, int64_t, __VA_ARGS__)
#define O2M_TYPES_UINT(X, ...) \
	X(u8, uint8_t, __VA_ARGS__) X(u16, uint16_t, __VA_ARGS__) \
	X(u32, uint32_t, __VA_ARGS__) X(u64, uint64_t, __VA_ARGS__)
#define O2M_TYPES_INT(X, ...) O2M_TYPES_SINT(X, __VA_ARGS__) O2M_TYPES_UINT(X, __VA_ARGS__)
#define O2M_TYPES_SIGNED(X, ...) O2M_TYPES_FLOAT(X, __VA_ARGS__) O2M_TYPES_SINT(X, __VA_ARGS__)
#define O2M_TYPES_NUMERIC(X, ...) O2M_TYPES_FLOAT(X, __VA_ARGS__) O2M_TYPES_INT(X, __VA_ARGS__)
#define O2M_TYPES_ALL(X, ...) O2M_TYPES_NUMERIC(X, __VA_ARGS__) X(bool, uint8_t, __VA_ARGS__)
#define O2M_TYPES_BOOL(X, ...) X(bool, uint8_t, __VA_ARGS__)

/** IEEE half (bit pattern) to float. */
static inline float o2m_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
	union { uint32_t u; float f; } v;
	if (exp == 0x1f) {
		v.u = sign | 0x7f800000u | (man << 13);
	} else if (exp != 0) {
		v.u = sign | ((exp + 112u) << 23) | (man << 13);
	} else if (man == 0) {
		v.u = sign;
	} else { /* subnormal: value = man * 2^-24 */
		v.f = (float)man * 5.9604644775390625e-8f;
		v.u |= sign;
	}
	return v.f;
}

/** Float to IEEE half bit pattern, rounding to nearest even. */
static inline uint16_t o2m_f32_to_f16(float f)
{
	union { uint32_t u; float f; } v;
	uint32_t sign, exp, man, half;
	v.f = f;
	sign = (v.u >> 16) & 0x8000u;
	exp = (v.u >> 23) & 0xffu;
	man = v.u & 0x7fffffu;
	if (exp == 0xff) /* inf or nan (keep nan quiet) */
		return (uint16_t)(sign | 0x7c00u | (man ? 0x200u | (man >> 13) : 0));
	if (exp > 142) /* >= 65536 after rounding: overflow */
		return (uint16_t)(sign | 0x7c00u);
	if (exp < 113) { /* subnormal half or zero */
		uint32_t shift, m, rem, halfway;
		if (exp < 102)
			return (uint16_t)sign;
		m = man | 0x800000u;
		shift = 126 - exp;
		half = m >> shift;
		rem = m & ((1u << shift) - 1);
		halfway = 1u << (shift - 1);
		if (rem > halfway || (rem == halfway && (half & 1u)))
			half++;
		return (uint16_t)(sign | half);
	}
	half = ((exp - 112) << 10) | (man >> 13);
	if ((man & 0x1fffu) > 0x1000u || ((man & 0x1fffu) == 0x1000u && (half & 1u)))
		half++; /* may carry into the exponent, which is right */
	return (uint16_t)(sign | half);
}

/** Double to float rounding to odd (toward zero, then the last bit set if anything was
    lost). Rounding that again to nearest even in a format at least two bits narrower
    (half, bfloat16) gives the correctly rounded result; rounding to nearest twice does
    not (1 + 2^-11 + 2^-40 would become 1.0 in half instead of 1 + 2^-10). */
static inline float o2m_f64_to_f32_odd(double w)
{
	union { uint32_t u; float f; } v;
	v.f = (float)w;
	if ((double)v.f == w || v.f != v.f || v.f - v.f != 0)
		return v.f; /* exact, NaN or infinite */
	if ((v.f > w) == (w > 0))
		v.u -= 1; /* rounded away from zero: one step back toward it */
	v.u |= 1;
	return v.f;
}

/** bfloat16 bit pattern to float. */
static inline float o2m_bf16_to_f32(uint16_t h)
{
	union { uint32_t u; float f; } v;
	v.u = (uint32_t)h << 16;
	return v.f;
}

/** Float to bfloat16, rounding to nearest even. */
static inline uint16_t o2m_f32_to_bf16(float f)
{
	union { uint32_t u; float f; } v;
	v.f = f;
	if ((v.u & 0x7f800000u) == 0x7f800000u && (v.u & 0x7fffffu))
		return (uint16_t)((v.u >> 16) | 0x40u);
	return (uint16_t)((v.u + 0x7fffu + ((v.u >> 16) & 1u)) >> 16);
}

/** Double to IEEE half bit pattern, rounding to nearest even once. */
static inline uint16_t o2m_f64_to_f16(double w) { return o2m_f32_to_f16(o2m_f64_to_f32_odd(w)); }

/** Double to bfloat16, rounding to nearest even once. */
static inline uint16_t o2m_f64_to_bf16(double w) { return o2m_f32_to_bf16(o2m_f64_to_f32_odd(w)); }

#endif
