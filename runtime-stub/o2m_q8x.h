/* o2m_q8x.h - more integer-only int8 kernels in the arithmetic of o2m_q8.h (offsets,
   (mult, shift) multipliers with m = mult * 2^(shift - 31), clamps to [act_min,
   act_max]): MatMul of two activations, Softmax and ConvTranspose.
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

/** One of the 2^20 of o2m_q8_softmax_s8's exp_table: exp(0). */
#define O2M_Q8_EXP_ONE (1 << 20)

/** Softmax along the middle axis of x viewed as [outer, n, inner]. exp_table[d] =
    round(2^20 * exp(-d * x_scale)) for d = 0..255 (the compiler's), each in [0, 2^20],
    exp_table[0] > 0. Per row: mx = max x, e_i = exp_table[mx - x_i], s = sum e_i (int64),
    y_i = clamp(output_offset + round_half_away(e_i * inv_scale_q16 / (s * 2^16))).
    inv_scale_q16 = round(2^16 / y_scale), in [1, INT32_MAX]: y_scale from 2^-15 to
    2^17 (1/256, the usual, gives 2^24 exactly); its rounding moves y by at most 2^-17
    steps. Against the real softmax the result is off by at most 0.5 + (n + 1) * 2^-21 *
    (1 / y_scale) steps (the table's rounding): within one step for (n + 1) / y_scale <
    2^20, e.g. rows of 4000 at y_scale 1/256. s * 2^16 must fit int64: n < 2^27. */
typedef struct {
	int32_t outer, n, inner;
	int32_t output_offset;
	int32_t inv_scale_q16;
	int32_t act_min, act_max;
} o2m_q8_softmax_params;

/** MatMul of two activations. @return O2M_OK, or O2M_ERR_ARG for a bad geometry,
    offsets, clamp or k too large for the int32 sum. */
int o2m_q8_matmul_s8(const o2m_q8_matmul_params *p, const int8_t *a, const int8_t *b,
		     int8_t *y);
/** Softmax. @return O2M_OK, or O2M_ERR_ARG for bad sizes, scale, table or clamp. */
int o2m_q8_softmax_s8(const o2m_q8_softmax_params *p, const int8_t *x, const int32_t *exp_table,
		      int8_t *y);
/** ConvTranspose (ONNX): x [n, c_in, in...], w [c_in, c_out / group, k...], y [n, c_out,
    out...]; input position i and tap t reach output i * stride - pad + t * dil along
    each axis (the geometry of o2m_conv_transpose, its act fields unused; output_padding
    and trailing pads are in the output size). Computed as a gather, each output the
    int32 sum of its taps plus bias[oc] (may be NULL), rescaled by mult[oc], shift[oc]:
    y = clamp(output_offset + requant(sum (x + input_offset) * w + bias)).
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
int o2m_q8_conv_transpose_s8(const o2m_q8_conv_params *p, const int8_t *x, const int8_t *w,
			     const int32_t *bias, const int32_t *mult, const int32_t *shift,
			     int8_t *y);

#endif
