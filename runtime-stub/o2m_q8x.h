/* o2m_q8x.h - more integer-only int8 kernels in the arithmetic of o2m_q8.h (offsets,
   (mult, shift) multipliers with m = mult * 2^(shift - 31), clamps to [act_min,
   act_max]): MatMul of two activations.
   Every table, multiplier and shift is computed by the compiler; nothing here uses
   floating point. Activations are int8 in the ONNX layout (NCHW). */
#ifndef O2M_Q8X_H
#define O2M_Q8X_H

#include "o2m_q8.h"

/** MatMul of two int8 activations, batch dims broadcast as o2m_matmul_params says (A's
    and B's element strides per batch dim, 0 where one broadcasts; Y dense):
    y = clamp(output_offset + requant(sum_k (a + a_offset) * (b + b_offset), mult,
    shift)), m = a_scale * b_scale / y_scale. The sum is int32: k may be at most
    INT32_MAX / ((128 + |a_offset|) * (128 + |b_offset|)) (32767 for zero points -128). */
typedef struct {
	o2m_matmul_params mm;
	int32_t a_offset, b_offset; /* -a_zero_point, -b_zero_point */
	int32_t output_offset;      /* y_zero_point */
	int32_t mult, shift;
	int32_t act_min, act_max;
} o2m_q8_matmul_params;

/** MatMul of two activations. @return O2M_OK, or O2M_ERR_ARG for a bad geometry,
    offsets, clamp or k too large for the int32 sum. */
int o2m_q8_matmul_s8(const o2m_q8_matmul_params *p, const int8_t *a, const int8_t *b,
		     int8_t *y);

#endif
