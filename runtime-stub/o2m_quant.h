/* o2m_quant.h - quantization kernels: QuantizeLinear and DequantizeLinear over per-tensor,
   per-axis and blocked scales, DynamicQuantizeLinear, and the 8-bit integer convolution and
   matrix product, with an int32 result (ConvInteger, MatMulInteger) or requantized through
   a float multiplier (QLinearConv, QLinearMatMul). Optional zero points are NULL. */
#ifndef O2M_QUANT_H
#define O2M_QUANT_H

#include "o2m_bcast.h"
#include "o2m_geom.h"
#include "o2m_unary.h"

/** x viewed as [outer, len, inner], len being the quantization axis. The scale and zero
    point of element (o, a, i) are at o * s_outer + (a / block) * s_block + i * s_inner:
    all strides 0 per tensor, s_block 1 per axis, the scale tensor's strides for blocked
    quantization. half (QuantizeLinear) rounds x / scale to float16 (1) or bfloat16 (2), the
    precision ONNX asks for; 0 divides in float32. */
typedef struct {
	int32_t outer, len, inner;
	int32_t block;
	int32_t s_outer, s_block, s_inner;
	int32_t half;
} o2m_qaxis_params;

/** Integer convolution: the shared geometry, and where the per-channel parameters step:
    w_zero_point[oc * wz_step] and multiplier[oc * mul_step] (0: one value for all output
    channels, 1: one each). Requantized outputs are clamped to [conv.act_min, conv.act_max],
    which the compiler sets to the output type's range; conv.act must be O2M_ACT_NONE. */
typedef struct {
	o2m_conv_params conv;
	int32_t wz_step;
	int32_t mul_step;
} o2m_qconv_params;

/** Integer matrix product: the shared geometry, and the element steps of the quantization
    parameters over rows r and columns c: a_zero_point[r * za_row],
    b_zero_point[c * zb_col], y_zero_point[r * zy_row + c * zy_col] and
    multiplier[r * mul_row + c * mul_col] (0 where a parameter does not vary). */
typedef struct {
	o2m_matmul_params mm;
	int32_t za_row, zb_col;
	int32_t zy_row, zy_col;
	int32_t mul_row, mul_col;
} o2m_qmatmul_params;

/* Quantized element types (the packed int4, uint4, int2 and uint2 one element per
   byte, o2m_packed.h), and 8-bit operand pairs and triples:
   X(suffix, x type, w type[, y type], ...). */
#define O2M_TYPES_QUANT(X, ...) \
	X(u8, uint8_t, __VA_ARGS__) X(s8, int8_t, __VA_ARGS__) \
	X(u16, uint16_t, __VA_ARGS__) X(s16, int16_t, __VA_ARGS__) \
	X(u4, uint8_t, __VA_ARGS__) X(s4, int8_t, __VA_ARGS__) \
	X(u2, uint8_t, __VA_ARGS__) X(s2, int8_t, __VA_ARGS__)
#define O2M_TYPES_DEQUANT(X, ...) O2M_TYPES_QUANT(X, __VA_ARGS__) X(s32, int32_t, __VA_ARGS__) \
	X(f32, float, __VA_ARGS__)
#define O2M_QPAIRS_(X, ...) \
	X(u8u8, uint8_t, uint8_t, __VA_ARGS__) X(u8s8, uint8_t, int8_t, __VA_ARGS__) \
	X(s8u8, int8_t, uint8_t, __VA_ARGS__) X(s8s8, int8_t, int8_t, __VA_ARGS__)
#define O2M_QTRIPLES_(X, ...) \
	X(u8u8_u8, uint8_t, uint8_t, uint8_t, __VA_ARGS__) \
	X(u8s8_u8, uint8_t, int8_t, uint8_t, __VA_ARGS__) \
	X(s8u8_u8, int8_t, uint8_t, uint8_t, __VA_ARGS__) \
	X(s8s8_u8, int8_t, int8_t, uint8_t, __VA_ARGS__) \
	X(u8u8_s8, uint8_t, uint8_t, int8_t, __VA_ARGS__) \
	X(u8s8_s8, uint8_t, int8_t, int8_t, __VA_ARGS__) \
	X(s8u8_s8, int8_t, uint8_t, int8_t, __VA_ARGS__) \
	X(s8s8_s8, int8_t, int8_t, int8_t, __VA_ARGS__)
/* the pairs and triples as type lists for o2m_kernels.def, which needs only the suffix */
#define O2M_QSUFFIX2_(sfx, TX, TW, X, ...) X(sfx, TX, __VA_ARGS__)
#define O2M_QSUFFIX3_(sfx, TX, TW, TY, X, ...) X(sfx, TX, __VA_ARGS__)
#define O2M_TYPES_QPAIR(X, ...) O2M_QPAIRS_(O2M_QSUFFIX2_, X, __VA_ARGS__)
#define O2M_TYPES_QTRIPLE(X, ...) O2M_QTRIPLES_(O2M_QSUFFIX3_, X, __VA_ARGS__)

/** QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point).
    o2m_quantize_f32_<y>: float input, float32 arithmetic;
    o2m_quantize_s32_<y>: int32 input, divided in double as ONNX does.
    @return O2M_OK, or O2M_ERR_ARG for a block size below 1. */
#define O2M_DECL_QUANTIZE_(sfx, T, XS, XT)                                                 \
	int o2m_quantize_##XS##_##sfx(const o2m_qaxis_params *p, const XT *x, const float *scale, \
				      const T *zero_point, T *y);
O2M_TYPES_QUANT(O2M_DECL_QUANTIZE_, f32, float)
O2M_TYPES_QUANT(O2M_DECL_QUANTIZE_, s32, int32_t)

/** QuantizeLinear to a float8 type before its rounding, which a cast after it does (the
    compiler widens float8 operands to float): y = x / scale + zero_point.
    @return O2M_OK, or O2M_ERR_ARG for a block size below 1. */
int o2m_quantize_f32_f32(const o2m_qaxis_params *p, const float *x, const float *scale,
			 const float *zero_point, float *y);

/** DequantizeLinear: y = (x - zero_point) * scale, the difference taken exactly
    (o2m_dequantize_f32: float8 x and zero point, widened to float).
    @return O2M_OK, or O2M_ERR_ARG for a block size below 1. */
#define O2M_DECL_DEQUANTIZE_(sfx, T, unused)                                             \
	int o2m_dequantize_##sfx(const o2m_qaxis_params *p, const T *x, const float *scale, \
				 const T *zero_point, float *y);
O2M_TYPES_DEQUANT(O2M_DECL_DEQUANTIZE_, 0)

/** DynamicQuantizeLinear of p->count floats to uint8: the range [min(x, 0), max(x, 0)]
    maps onto [0, 255]; writes y, the scale and the zero point. */
int o2m_dynquant_f32_u8(const o2m_unary_params *p, const float *x, uint8_t *y, float *scale,
			uint8_t *zero_point);

/** The requantization multipliers y = a * b / c (x_scale * w_scale / y_scale), broadcast
    as p describes; for scales known only at run time. */
int o2m_qscale_f32(const o2m_bcast_params *p, const float *a, const float *b, const float *c,
		   float *y);

/** ConvInteger: y = conv(x - x_zero_point, w - w_zero_point) in int32 (wrapping).
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
#define O2M_DECL_CONVINT_(sfx, TX, TW, unused)                                          \
	int o2m_convint_##sfx(const o2m_qconv_params *p, const TX *x, const TX *x_zero_point, \
			      const TW *w, const TW *w_zero_point, int32_t *y);
O2M_QPAIRS_(O2M_DECL_CONVINT_, 0)

/** QLinearConv: acc = conv(x - x_zero_point, w - w_zero_point) + bias (bias may be NULL),
    y = saturate(round_half_even(acc * multiplier) + y_zero_point), in float32.
    @return O2M_OK, or O2M_ERR_ARG for an inconsistent geometry. */
#define O2M_DECL_QCONV_(sfx, TX, TW, TY, unused)                                          \
	int o2m_qconv_##sfx(const o2m_qconv_params *p, const TX *x, const TX *x_zero_point,   \
			    const TW *w, const TW *w_zero_point, const int32_t *bias,          \
			    const float *multiplier, const TY *y_zero_point, TY *y);
O2M_QTRIPLES_(O2M_DECL_QCONV_, 0)

/** MatMulInteger: y = (a - a_zero_point) x (b - b_zero_point) in int32 (wrapping).
    @return O2M_OK, or O2M_ERR_ARG for a batch rank out of range. */
#define O2M_DECL_MATMULINT_(sfx, TA, TB, unused)                                             \
	int o2m_matmulint_##sfx(const o2m_qmatmul_params *p, const TA *a, const TA *a_zero_point, \
				const TB *b, const TB *b_zero_point, int32_t *y);
O2M_QPAIRS_(O2M_DECL_MATMULINT_, 0)

/** QLinearMatMul: acc = (a - a_zero_point) x (b - b_zero_point),
    y = saturate(round_half_even(acc * multiplier) + y_zero_point), in float32.
    @return O2M_OK, or O2M_ERR_ARG for a batch rank out of range. */
#define O2M_DECL_QMATMUL_(sfx, TA, TB, TY, unused)                                            \
	int o2m_qmatmul_##sfx(const o2m_qmatmul_params *p, const TA *a, const TA *a_zero_point,   \
			      const TB *b, const TB *b_zero_point, const float *multiplier,       \
			      const TY *y_zero_point, TY *y);
O2M_QTRIPLES_(O2M_DECL_QMATMUL_, 0)

#endif
