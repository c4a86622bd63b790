/* o2m_quant.c - the quantization kernels. Rounding is half to even and saturation exact,
   without libm or the FPU rounding mode; integer products accumulate in 32 bits and wrap
   (unsigned arithmetic, so overflow is defined) as ONNX allows. */
#include "o2m_quant.h"
#include "o2m_qround.h"

/* v rounded to float16 (half 1) or bfloat16 (half 2) */
static float round_half(float v, int32_t half)
{
	if (half == 1)
		return o2m_f16_to_f32(o2m_f32_to_f16(v));
	if (half == 2)
		return o2m_bf16_to_f32(o2m_f32_to_bf16(v));
	return v;
}

/* x / scale at the precision p->half asks for: the float32 quotient rounded to 16 bits is
   the correctly rounded 16-bit quotient, as float32 has 24 >= 2 * 11 + 2 bits */
static float quotient(const o2m_qaxis_params *p, float x, float scale)
{
	if (!p->half)
		return x / scale;
	return round_half(round_half(x, p->half) / round_half(scale, p->half), p->half);
}

/* runs STMT for element n of x, whose scale and zero point are at index s; returns
   O2M_ERR_ARG from the kernel for a block size below 1 */
#define QAXIS_LOOP(p, STMT)                                                            \
	do {                                                                           \
		int32_t o_, a_, i_, n = 0;                                             \
		if ((p)->block < 1)                                                    \
			return O2M_ERR_ARG;                                            \
		for (o_ = 0; o_ < (p)->outer; o_++)                                    \
			for (a_ = 0; a_ < (p)->len; a_++) {                            \
				const int32_t s0_ = o_ * (p)->s_outer +                \
						    a_ / (p)->block * (p)->s_block;    \
				for (i_ = 0; i_ < (p)->inner; i_++, n++) {             \
					const int32_t s = s0_ + i_ * (p)->s_inner;     \
					STMT;                                          \
				}                                                      \
			}                                                              \
	} while (0)

/* the range of each quantized type */
#define QMIN_uint8_t 0
#define QMAX_uint8_t 255
#define QMIN_int8_t (-128)
#define QMAX_int8_t 127
#define QMIN_uint16_t 0
#define QMAX_uint16_t 65535
#define QMIN_int16_t (-32768)
#define QMAX_int16_t 32767
/* and by suffix, for the packed types held in 8-bit ones */
#define QMIN_u8 QMIN_uint8_t
#define QMAX_u8 QMAX_uint8_t
#define QMIN_s8 QMIN_int8_t
#define QMAX_s8 QMAX_int8_t
#define QMIN_u16 QMIN_uint16_t
#define QMAX_u16 QMAX_uint16_t
#define QMIN_s16 QMIN_int16_t
#define QMAX_s16 QMAX_int16_t
#define QMIN_u4 0
#define QMAX_u4 15
#define QMIN_s4 (-8)
#define QMAX_s4 7
#define QMIN_u2 0
#define QMAX_u2 3
#define QMIN_s2 (-2)
#define QMAX_s2 1

/* one scale and zero point, a float32 quotient (the input of a model quantized by
   onnxruntime): the same arithmetic without the per-element index */
#define DEF_QUANTIZE_F32_(sfx, T, unused)                                                  \
	int o2m_quantize_f32_##sfx(const o2m_qaxis_params *p, const float *x, const float *scale, \
				   const T *zero_point, T *y)                                   \
	{                                                                                  \
		if (!p->half && !p->s_outer && !p->s_block && !p->s_inner && p->block >= 1) { \
			const o2m_qdiv d = o2m_qdiv_make(scale[0]);                        \
			const int32_t z0 = zero_point ? zero_point[0] : 0;                 \
			const int32_t count = p->outer * p->len * p->inner;                \
			int32_t i;                                                         \
			for (i = 0; i < count; i++)                                        \
				y[i] = (T)o2m_qdiv_sat(x[i], &d, z0, QMIN_##sfx, QMAX_##sfx); \
			return O2M_OK;                                                     \
		}                                                                          \
		QAXIS_LOOP(p, y[n] = (T)o2m_sat_f32(quotient(p, x[n], scale[s]),               \
						zero_point ? zero_point[s] : 0, QMIN_##sfx,  \
						QMAX_##sfx));                                \
		return O2M_OK;                                                             \
	}
O2M_TYPES_QUANT(DEF_QUANTIZE_F32_, 0)

/* int32 input: numpy divides int32 by float32 in double */
#define DEF_QUANTIZE_S32_(sfx, T, unused)                                                    \
	int o2m_quantize_s32_##sfx(const o2m_qaxis_params *p, const int32_t *x, const float *scale, \
				   const T *zero_point, T *y)                                     \
	{                                                                                    \
		QAXIS_LOOP(p, y[n] = (T)o2m_sat_f64((double)x[n] / (double)scale[s],             \
						zero_point ? zero_point[s] : 0, QMIN_##sfx,    \
						QMAX_##sfx));                                  \
		return O2M_OK;                                                               \
	}
O2M_TYPES_QUANT(DEF_QUANTIZE_S32_, 0)

int o2m_quantize_f32_f32(const o2m_qaxis_params *p, const float *x, const float *scale,
			 const float *zero_point, float *y)
{
	QAXIS_LOOP(p, y[n] = quotient(p, x[n], scale[s]) + (zero_point ? zero_point[s] : 0.0f));
	return O2M_OK;
}

/* the difference is exact in WT for integers; float8 operands (widened to float) subtract
   in float, as ONNX does */
#define DEF_DEQUANTIZE_(sfx, T, WT)                                                       \
	int o2m_dequantize_##sfx(const o2m_qaxis_params *p, const T *x, const float *scale,  \
				 const T *zero_point, float *y)                              \
	{                                                                                 \
		QAXIS_LOOP(p, y[n] = (float)((WT)x[n] - (WT)(zero_point ? zero_point[s] : 0)) * \
				     scale[s]);                                               \
		return O2M_OK;                                                            \
	}
DEF_DEQUANTIZE_(u8, uint8_t, int32_t)
DEF_DEQUANTIZE_(s8, int8_t, int32_t)
DEF_DEQUANTIZE_(u16, uint16_t, int32_t)
DEF_DEQUANTIZE_(s16, int16_t, int32_t)
DEF_DEQUANTIZE_(u4, uint8_t, int32_t)
DEF_DEQUANTIZE_(s4, int8_t, int32_t)
DEF_DEQUANTIZE_(u2, uint8_t, int32_t)
DEF_DEQUANTIZE_(s2, int8_t, int32_t)
DEF_DEQUANTIZE_(s32, int32_t, int64_t)
DEF_DEQUANTIZE_(f32, float, float)

int o2m_dynquant_f32_u8(const o2m_unary_params *p, const float *x, uint8_t *y, float *scale,
			uint8_t *zero_point)
{
	float lo = 0.0f, hi = 0.0f, s;
	int32_t i, z;

	for (i = 0; i < p->count; i++) {
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
	}
	/* the range always holds 0, so it is empty only when x is all zeros: scale 1 */
	s = hi == lo ? 1.0f : (hi - lo) / 255.0f;
	z = o2m_sat_f32(0.0f - lo / s, 0, 0, 255);
	for (i = 0; i < p->count; i++)
		y[i] = (uint8_t)o2m_sat_f32(x[i] / s, z, 0, 255);
	*scale = s;
	*zero_point = (uint8_t)z;
	return O2M_OK;
}

int o2m_qscale_f32(const o2m_bcast_params *p, const float *a, const float *b, const float *c,
		   float *y)
{
	O2M_BCAST3(p, y[i] = a[ia] * b[ib] / c[ic]);
	return O2M_OK;
}

/* ---- convolution ---- */

static int conv_bad(const o2m_conv_params *g)
{
	return g->group < 1 || g->c_in % g->group || g->c_out % g->group || g->stride_d < 1 ||
	       g->stride_h < 1 || g->stride_w < 1;
}

/* one output element before requantization: x points at the group's first input
   channel of the image, w at the output channel's filter; positions in the padding
   are skipped (they hold the zero point, which contributes 0) */
#define DEF_CONV_ACC_(sfx, TX, TW, unused)                                                 \
	static int32_t conv_acc_##TX##_##TW(const o2m_conv_params *g, const TX *x, int32_t xz, \
					   const TW *w, int32_t wz, int32_t od, int32_t oh,   \
					   int32_t ow)                                        \
	{                                                                                  \
		const int32_t cin = g->c_in / g->group, plane = g->in_d * g->in_h * g->in_w; \
		const int32_t d0 = od * g->stride_d - g->pad_d, h0 = oh * g->stride_h - g->pad_h; \
		const int32_t w0 = ow * g->stride_w - g->pad_w;                            \
		int32_t c, kd, kh, kw;                                                     \
		uint32_t acc = 0;                                                          \
		for (c = 0; c < cin; c++)                                                  \
			for (kd = 0; kd < g->k_d; kd++) {                                  \
				const int32_t id = d0 + kd * g->dil_d;                     \
				if (id < 0 || id >= g->in_d)                               \
					continue;                                          \
				for (kh = 0; kh < g->k_h; kh++) {                          \
					const int32_t ih = h0 + kh * g->dil_h;             \
					const TX *xr;                                      \
					const TW *wr;                                      \
					if (ih < 0 || ih >= g->in_h)                       \
						continue;                                  \
					xr = x + c * plane + (id * g->in_h + ih) * g->in_w; \
					wr = w + ((c * g->k_d + kd) * g->k_h + kh) * g->k_w; \
					for (kw = 0; kw < g->k_w; kw++) {                  \
						const int32_t iw = w0 + kw * g->dil_w;     \
						if (iw >= 0 && iw < g->in_w)               \
							acc += (uint32_t)((xr[iw] - xz) *  \
									  (wr[kw] - wz));  \
					}                                                  \
				}                                                          \
			}                                                                  \
		return (int32_t)acc;                                                       \
	}
O2M_QPAIRS_(DEF_CONV_ACC_, 0)

/* walks every output element: n, oc (with the offsets of its group's input and of its
   filter), od, oh, ow; `at` is the output index */
#define CONV_LOOP(g, STMT)                                                                \
	do {                                                                              \
		const int32_t cout_g_ = (g)->c_out / (g)->group, cin_g_ = (g)->c_in / (g)->group; \
		const int32_t plane_ = (g)->in_d * (g)->in_h * (g)->in_w;                 \
		const int32_t ksize_ = cin_g_ * (g)->k_d * (g)->k_h * (g)->k_w;           \
		int32_t n_, oc, od, oh, ow, at = 0;                                       \
		for (n_ = 0; n_ < (g)->n; n_++)                                           \
			for (oc = 0; oc < (g)->c_out; oc++) {                             \
				const int32_t xoff =                                      \
					(n_ * (g)->c_in + oc / cout_g_ * cin_g_) * plane_; \
				const int32_t woff = oc * ksize_;                         \
				for (od = 0; od < (g)->out_d; od++)                       \
					for (oh = 0; oh < (g)->out_h; oh++)               \
						for (ow = 0; ow < (g)->out_w; ow++, at++) { \
							STMT;                              \
						}                                          \
			}                                                                 \
	} while (0)

#define DEF_CONVINT_(sfx, TX, TW, unused)                                                   \
	int o2m_convint_##sfx(const o2m_qconv_params *p, const TX *x, const TX *x_zero_point,  \
			      const TW *w, const TW *w_zero_point, int32_t *y)                 \
	{                                                                                   \
		const o2m_conv_params *g = &p->conv;                                        \
		const int32_t xz = x_zero_point ? *x_zero_point : 0;                         \
		if (conv_bad(g))                                                            \
			return O2M_ERR_ARG;                                                 \
		CONV_LOOP(g, y[at] = conv_acc_##TX##_##TW(                                  \
				     g, x + xoff, xz, w + woff,                             \
				     w_zero_point ? w_zero_point[oc * p->wz_step] : 0, od, oh, ow)); \
		return O2M_OK;                                                              \
	}
O2M_QPAIRS_(DEF_CONVINT_, 0)

#define DEF_QCONV_(sfx, TX, TW, TY, unused)                                                   \
	int o2m_qconv_##sfx(const o2m_qconv_params *p, const TX *x, const TX *x_zero_point,     \
			    const TW *w, const TW *w_zero_point, const int32_t *bias,            \
			    const float *multiplier, const TY *y_zero_point, TY *y)              \
	{                                                                                     \
		const o2m_conv_params *g = &p->conv;                                          \
		const int32_t xz = x_zero_point ? *x_zero_point : 0;                           \
		const int32_t yz = y_zero_point ? *y_zero_point : 0;                           \
		const int32_t lo = (int32_t)g->act_min, hi = (int32_t)g->act_max;             \
		if (conv_bad(g))                                                              \
			return O2M_ERR_ARG;                                                   \
		CONV_LOOP(g, {                                                                \
			uint32_t acc = (uint32_t)conv_acc_##TX##_##TW(                        \
				g, x + xoff, xz, w + woff,                                    \
				w_zero_point ? w_zero_point[oc * p->wz_step] : 0, od, oh, ow); \
			acc += bias ? (uint32_t)bias[oc] : 0u;                                \
			y[at] = (TY)o2m_sat_f32((float)(int32_t)acc * multiplier[oc * p->mul_step], \
					    yz, lo, hi);                                      \
		});                                                                           \
		return O2M_OK;                                                                \
	}
O2M_QTRIPLES_(DEF_QCONV_, 0)

/* ---- matrix product ---- */

/* element offsets of a and b in batch `bi` (row-major over the batch dims of y) */
static void batch_offsets(const o2m_matmul_params *g, int32_t bi, int32_t *oa, int32_t *ob)
{
	int32_t k;

	*oa = 0;
	*ob = 0;
	for (k = g->batch_rank - 1; k >= 0; k--) {
		const int32_t i = bi % g->batch[k];
		bi /= g->batch[k];
		*oa += i * g->a_stride[k];
		*ob += i * g->b_stride[k];
	}
}

static int32_t batch_count(const o2m_matmul_params *g)
{
	int32_t k, nb = 1;

	if (g->batch_rank < 0 || g->batch_rank > O2M_MAX_RANK)
		return -1;
	for (k = 0; k < g->batch_rank; k++)
		nb *= g->batch[k];
	return nb;
}

/* one row of a (k elements) against one column of b (stride n) */
#define DEF_DOT_(sfx, TA, TB, unused)                                                       \
	static int32_t dot_##TA##_##TB(const TA *a, int32_t za, const TB *b, int32_t zb,      \
				       int32_t k, int32_t n)                                  \
	{                                                                                   \
		int32_t t;                                                                  \
		uint32_t acc = 0;                                                           \
		for (t = 0; t < k; t++)                                                     \
			acc += (uint32_t)((a[t] - za) * (b[t * n] - zb));                   \
		return (int32_t)acc;                                                        \
	}
O2M_QPAIRS_(DEF_DOT_, 0)

/* runs STMT for every output element y[at] at row r, column c, with a's row at a + ra
   and b's column at b + cb */
#define MATMUL_LOOP(g, STMT)                                                              \
	do {                                                                              \
		const int32_t nb_ = batch_count(g);                                       \
		int32_t bi_, r, c, oa_, ob_, at = 0;                                      \
		if (nb_ < 0)                                                              \
			return O2M_ERR_ARG;                                               \
		for (bi_ = 0; bi_ < nb_; bi_++) {                                         \
			batch_offsets(g, bi_, &oa_, &ob_);                                \
			for (r = 0; r < (g)->m; r++)                                      \
				for (c = 0; c < (g)->n; c++, at++) {                      \
					const int32_t ra = oa_ + r * (g)->k, cb = ob_ + c; \
					STMT;                                             \
				}                                                         \
		}                                                                         \
	} while (0)

#define DEF_MATMULINT_(sfx, TA, TB, unused)                                                  \
	int o2m_matmulint_##sfx(const o2m_qmatmul_params *p, const TA *a, const TA *a_zero_point, \
				const TB *b, const TB *b_zero_point, int32_t *y)                  \
	{                                                                                    \
		const o2m_matmul_params *g = &p->mm;                                         \
		MATMUL_LOOP(g, y[at] = dot_##TA##_##TB(                                      \
				       a + ra, a_zero_point ? a_zero_point[r * p->za_row] : 0, \
				       b + cb, b_zero_point ? b_zero_point[c * p->zb_col] : 0, \
				       g->k, g->n));                                         \
		return O2M_OK;                                                               \
	}
O2M_QPAIRS_(DEF_MATMULINT_, 0)

#define DEF_QMATMUL_(sfx, TA, TB, TY, unused)                                                 \
	int o2m_qmatmul_##sfx(const o2m_qmatmul_params *p, const TA *a, const TA *a_zero_point,  \
			      const TB *b, const TB *b_zero_point, const float *multiplier,      \
			      const TY *y_zero_point, TY *y)                                     \
	{                                                                                     \
		const o2m_matmul_params *g = &p->mm;                                          \
		MATMUL_LOOP(g, {                                                              \
			const int32_t acc = dot_##TA##_##TB(                                  \
				a + ra, a_zero_point ? a_zero_point[r * p->za_row] : 0, b + cb, \
				b_zero_point ? b_zero_point[c * p->zb_col] : 0, g->k, g->n);  \
			y[at] = (TY)o2m_sat_f32(                                                  \
				(float)acc * multiplier[r * p->mul_row + c * p->mul_col],     \
				y_zero_point ? y_zero_point[r * p->zy_row + c * p->zy_col] : 0, \
				QMIN_##TY, QMAX_##TY);                                        \
		});                                                                           \
		return O2M_OK;                                                                \
	}
O2M_QTRIPLES_(DEF_QMATMUL_, 0)
