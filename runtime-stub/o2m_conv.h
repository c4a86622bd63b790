/* o2m_conv.h - float convolutions over N C [D] [H] W data described by o2m_conv_params:
   a direct convolution, a depthwise one, a pointwise 1x1 one run as a matrix product,
   the transposed convolution, Col2Im and the deformable convolution.
   o2m_<op>_<type>(params, inputs..., y); the bias b (and DeformConv's mask) may be
   NULL. The convolutions run the epilogue of o2m_conv_params (an activation, then the
   clamp to [act_min, act_max]); the direct, depthwise and pointwise ones add a residual
   r before it. Col2Im and DeformConv have no epilogue. */
#ifndef O2M_CONV_H
#define O2M_CONV_H

#include "o2m_geom.h"
#include "o2m_window.h"

#define O2M_DECL_CONV_(sfx, T, name)                                                       \
	int o2m_##name##_##sfx(const o2m_conv_params *p, const T *x, const T *w, const T *b, \
			       const T *r, T *y);
#define O2M_DECL_CONVT_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_conv_params *p, const T *x, const T *w, const T *b, T *y);

/* The residual r of the first three is NULL or a tensor of y's shape that does not
   overlap y: y = clamp(f((sum + b) + r)). Each returns O2M_ERR_ARG for inconsistent
   geometry or an act o2m_act_apply does not take.
   In place (docs/memory-planning.md): conv_im2col and conv_gemm may be called with r ==
   y (each sum is added to the residual where it is written, in the same order) and, for
   a pointwise geometry of one group and one image, with x == y when y has room for the
   output (the columns of 4 positions are copied before their outputs are written);
   conv_dw_rows with x == y for one image of one filter per channel whose output planes
   are no taller and no wider than its input's, with unit dilation and a leading pad
   smaller than the filter down the rows (a channel's rows are copied, in order, before
   the outputs over them are written). Otherwise x, r and y do not overlap. */

/** Direct convolution, any group, stride, dilation and padding; weights
    [c_out, c_in / group, k_d, k_h, k_w]. */
O2M_TYPES_FLOAT(O2M_DECL_CONV_, conv)
/** Depthwise convolution: group == c_in, c_out a multiple of c_in (output channel co
    reads input channel co / (c_out / c_in)); weights [c_out, 1, k_d, k_h, k_w]. */
O2M_TYPES_FLOAT(O2M_DECL_CONV_, conv_dw)
/** Pointwise convolution: 1x1 kernel, stride 1, no padding, any group; per image and
    group a matrix product y[c_out/group, S] = w[c_out/group, c_in/group] x[c_in/group, S]. */
O2M_TYPES_FLOAT(O2M_DECL_CONV_, conv_1x1)
#define O2M_DECL_CONV_SCR_(sfx, T, name)                                                   \
	int o2m_##name##_##sfx(const o2m_conv_params *p, const T *x, const T *w, const T *b, \
			       const T *r, T *y, T *col);
/** Any convolution as matrix products: per image, group and run of 4 output positions
    a panel col (scratch of c_in / group * k_d * k_h * k_w * 4 elements: the im2col
    columns, or the input rows for a pointwise geometry) times the filters, 4 output
    channels at a time. */
O2M_TYPES_FLOAT(O2M_DECL_CONV_SCR_, conv_im2col)
/** Any convolution with filters packed at compile time: per group, each run of 4 output
    channels as [c_in / group * k_d * k_h * k_w][4] (filter element q of the 4 channels
    side by side), the channels left over (c_out / group % 4) as they are. Per image,
    group and run of 4 output positions a panel col (scratch of c_in / group * k_d * k_h *
    k_w * 4 elements: the im2col columns, or the input itself for a pointwise geometry)
    times the filters. The sums of conv_im2col, in the same order. */
O2M_TYPES_FLOAT(O2M_DECL_CONV_SCR_, conv_gemm)
/** Depthwise 2D convolution (as conv_dw, k_d 1, pads not negative) whose windows are
    read without checks. A small channel (o2m_dw_plane(p) elements padded, at most
    O2M_DW_PLANE_MAX) is copied into a zero-padded plane. Otherwise rows are read in place
    with a zero row (in_w elements) for those outside the data, and only the outputs
    whose windows stick out left or right check their taps; or, when such outputs are
    a large share of a row, each input row is copied once per channel with its zero
    padding into a ring of (k_h - 1) * dil_h + 1 rows of (out_w - 1) * stride_w + (k_w - 1)
    * dil_w + 1 elements. The scratch holds the largest of the three that may be used
    (o2m_dw_rows_scratch elements). (k_h - 1) * dil_h + 1 is at most O2M_DW_ROWS. Every
    way gives the same sums in the same order. */
#define O2M_DW_PLANE_MAX 1024

/** elements of the zero-padded plane of one channel */
static inline int32_t o2m_dw_plane(const o2m_conv_params *p)
{
	return ((p->out_h - 1) * p->stride_h + (p->k_h - 1) * p->dil_h + 1) *
	       ((p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1);
}

/** How o2m_conv_dw_rows reads a channel's rows: O2M_DW_PLANE, the whole channel copied
    into a zero-padded plane (small planes); O2M_DW_IN_PLACE, in place with a zero row for
    those outside the data, the outputs whose windows stick out left or right checking
    their taps (wide rows); O2M_DW_RING, each input row copied once, with its padding,
    into a ring (when the checked outputs would be a large share of a row). */
enum { O2M_DW_PLANE, O2M_DW_IN_PLACE, O2M_DW_RING };

static inline int o2m_dw_rows_mode(const o2m_conv_params *p)
{
	int32_t lo, hi, edges;

	if (o2m_dw_plane(p) <= O2M_DW_PLANE_MAX)
		return O2M_DW_PLANE;
	o2m_interior(p->out_w, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &lo, &hi);
	edges = p->out_w - (hi - lo);
	return 3 * p->in_w + 25 >= edges * (8 * p->k_h * p->k_w) ? O2M_DW_IN_PLACE : O2M_DW_RING;
}

/** elements of o2m_conv_dw_rows' scratch */
static inline int32_t o2m_dw_rows_scratch(const o2m_conv_params *p)
{
	const int32_t ring = ((p->k_h - 1) * p->dil_h + 1) *
			     ((p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1);
	const int32_t plane = o2m_dw_plane(p);
	int32_t n = ring > p->in_w ? ring : p->in_w;

	return plane <= O2M_DW_PLANE_MAX && plane > n ? plane : n;
}
#define O2M_DW_ROWS 16
O2M_TYPES_FLOAT(O2M_DECL_CONV_SCR_, conv_dw_rows)
/** Transposed convolution: x [n, c_in, in...], weights [c_in, c_out / group, k...],
    y [n, c_out, out...]; input position i and tap t add to output position
    i * stride - pad + t * dil along each axis (pad_* are the leading pads). */
O2M_TYPES_FLOAT(O2M_DECL_CONVT_, conv_transpose)

#define O2M_DECL_COL2IM_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_conv_params *p, const T *x, T *y);
/** Col2Im: x [n, c_in * k_d * k_h * k_w, in_d * in_h * in_w] (in_* count the blocks per
    axis) summed into the image y [n, c_in, out_d, out_h, out_w]; block position i and
    tap t land at i * stride - pad + t * dil. c_out, group and act_* are unused. */
O2M_TYPES_FLOAT(O2M_DECL_COL2IM_, col2im)

/** A 2D deformable convolution: the convolution of o2m_conv_params (without depth),
    each tap sampled at its position moved by a learned offset. Input channels fall into
    offset_group groups that share offsets and mask. */
typedef struct {
	int32_t n, c_in, c_out, group, offset_group;
	int32_t in_h, in_w, out_h, out_w, k_h, k_w;
	int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
} o2m_deform_params;

#define O2M_DECL_DEFORM_(sfx, T, name)                                                      \
	int o2m_##name##_##sfx(const o2m_deform_params *p, const T *x, const T *w,           \
			       const T *offset, const T *b, const T *mask, T *y);
/** DeformConv: x [n, c_in, in_h, in_w], w [c_out, c_in / group, k_h, k_w], offset
    [n, offset_group, k_h, k_w, 2 (dh, dw), out_h, out_w], optional mask
    [n, offset_group, k_h, k_w, out_h, out_w] scaling each sample, optional bias. Tap
    (i, j) of output (oh, ow) reads x bilinearly at (oh * stride_h - pad_h + i * dil_h + dh,
    ow * stride_w - pad_w + j * dil_w + dw); outside the data it reads 0. */
O2M_TYPES_FLOAT(O2M_DECL_DEFORM_, deform_conv)

#endif
