/* o2m_geom.h - geometry shared by several kernel families: convolution windows (float
   and quantized convolutions, pooling) and batched matrix products. */
#ifndef O2M_GEOM_H
#define O2M_GEOM_H

#include "o2m_common.h"

/** A 1-3D convolution over N C [D] [H] W data (1D and 2D set the missing sizes to 1,
    strides and dilations to 1, pads to 0). Weights are ONNX layout
    [c_out, c_in / group, k_d, k_h, k_w]. pad_* are the leading pads; trailing pads
    follow from the output size. The epilogue: each output, its sum plus the bias, plus
    the residual when the kernel takes one, goes through the activation act (an
    O2M_ACT_* of o2m_act.h, with its attributes act_alpha and act_beta; O2M_ACT_NONE
    for none), then is clamped to [act_min, act_max] (-FLT_MAX and FLT_MAX: no bound):
    y = clamp(f((sum + b) + r)), in that order, bit for bit the unfused kernels. */
typedef struct {
	int32_t n, c_in, c_out, group;
	int32_t in_d, in_h, in_w;
	int32_t out_d, out_h, out_w;
	int32_t k_d, k_h, k_w;
	int32_t stride_d, stride_h, stride_w;
	int32_t dil_d, dil_h, dil_w;
	int32_t pad_d, pad_h, pad_w;
	float act_min, act_max;
	int32_t act;
	float act_alpha, act_beta;
} o2m_conv_params;

/** Batched matrix product: for each batch index, C (m x n) = A (m x k) * B (k x n),
    all row-major. Batch dims broadcast: a_stride/b_stride give each operand's element
    stride per batch dim (0 where it broadcasts); C is dense over the batch dims. */
typedef struct {
	int32_t m, n, k;
	int32_t batch_rank;
	int32_t batch[O2M_MAX_RANK];
	int32_t a_stride[O2M_MAX_RANK];
	int32_t b_stride[O2M_MAX_RANK];
} o2m_matmul_params;

/** Advances the index vector idx over dims[0..last] (last fastest), moving the offsets
    *oa and *ob by the strides sa and sb; 0 once every index wrapped around. The batch
    walk of the matrix products. */
static inline int o2m_step2(int32_t last, const int32_t *dims, const int32_t *sa,
			    const int32_t *sb, int32_t *idx, int32_t *oa, int32_t *ob)
{
	int32_t d;

	for (d = last; d >= 0; d--) {
		*oa += sa[d];
		*ob += sb[d];
		if (++idx[d] < dims[d])
			return 1;
		*oa -= sa[d] * dims[d];
		*ob -= sb[d] * dims[d];
		idx[d] = 0;
	}
	return 0;
}

#endif
