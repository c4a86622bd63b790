/* o2m_pool.h - pooling over planes (N * C of them) of [D] [H] W data: max (with optional
   argmax indices), average, Lp, and MaxUnpool. Global pooling is one window over the
   whole plane. o2m_<op>_<type>(params, x, outputs...). */
#ifndef O2M_POOL_H
#define O2M_POOL_H

#include "o2m_common.h"
#include "o2m_window.h"

/** Pooling windows; 1D and 2D set the missing sizes, kernel, strides and dilations to 1
    and pads to 0. pad_* lead, pad_end_* trail: with count_include_pad, average pooling
    divides by the taps inside the padded extent [-pad, in + pad_end). storage_order 1
    makes MaxPool indices column-major. p is the LpPool norm. */
typedef struct {
	int32_t planes;
	int32_t in_d, in_h, in_w;
	int32_t out_d, out_h, out_w;
	int32_t k_d, k_h, k_w;
	int32_t stride_d, stride_h, stride_w;
	int32_t dil_d, dil_h, dil_w;
	int32_t pad_d, pad_h, pad_w;
	int32_t pad_end_d, pad_end_h, pad_end_w;
	int32_t count_include_pad;
	int32_t storage_order;
	int32_t p;
} o2m_pool_params;

/** MaxUnpool: x and its indices [planes, in spatial], `count` elements each; index i
    is flat into [planes, idx_d, idx_h, idx_w] (the shape MaxPool saw), and the element
    lands at the same coordinates in y [planes, out_d, out_h, out_w], or nowhere when
    they lie outside it. Everything else in y is 0. */
typedef struct {
	int32_t count;
	int32_t planes;
	int32_t idx_d, idx_h, idx_w;
	int32_t out_d, out_h, out_w;
} o2m_unpool_params;

/* MaxPool takes the float types and 8-bit integers (ONNX's), and int16 (the int16
   activations of a16w8) */
#define O2M_TYPES_MAXPOOL(X, ...) \
	O2M_TYPES_FLOAT(X, __VA_ARGS__) X(s8, int8_t, __VA_ARGS__) X(u8, uint8_t, __VA_ARGS__) \
	X(s16, int16_t, __VA_ARGS__)

#define O2M_DECL_POOL_(sfx, T, name) int o2m_##name##_##sfx(const o2m_pool_params *p, const T *x, T *y);
#define O2M_DECL_POOL_IDX_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_pool_params *p, const T *x, T *y, int64_t *idx);
#define O2M_DECL_UNPOOL_(sfx, T, name) \
	int o2m_##name##_##sfx(const o2m_unpool_params *p, const T *x, const int64_t *idx, T *y);

/** Maximum of each window's taps inside the data (NaN taps are skipped). */
O2M_TYPES_MAXPOOL(O2M_DECL_POOL_, maxpool)
/** maxpool, also writing the flat index into x of each maximum (the first one on ties):
    plane * in_size + (d * in_h + h) * in_w + w, or d + h * in_d + w * in_d * in_h with
    storage_order 1. */
O2M_TYPES_MAXPOOL(O2M_DECL_POOL_IDX_, maxpool_idx)
/** Mean of each window: over the taps inside the data, or with count_include_pad over
    those inside the padded extent (pads count as 0). */
O2M_TYPES_FLOAT(O2M_DECL_POOL_, avgpool)
/** (sum of |x|^p over each window's taps inside the data)^(1/p). */
O2M_TYPES_FLOAT(O2M_DECL_POOL_, lppool)
/** MaxUnpool (see o2m_unpool_params). @return O2M_ERR_INDEX for an index outside
    [planes, idx_d, idx_h, idx_w]. */
O2M_TYPES_FLOAT(O2M_DECL_UNPOOL_, maxunpool)

/** The divisor of an average window that counts its padding (count_include_pad): the
    taps of the window whose first tap is at (sd, sh, sw), pads included, that lie in the
    padded extent [-pad, in + pad_end) of each axis. */
static inline int32_t o2m_pool_padded_count(const o2m_pool_params *p, int32_t sd, int32_t sh,
					    int32_t sw)
{
	int32_t t0, nd, nh, nw;

	o2m_taps_1d(sd + p->pad_d, p->k_d, p->dil_d, p->in_d + p->pad_d + p->pad_end_d, &t0, &nd);
	o2m_taps_1d(sh + p->pad_h, p->k_h, p->dil_h, p->in_h + p->pad_h + p->pad_end_h, &t0, &nh);
	o2m_taps_1d(sw + p->pad_w, p->k_w, p->dil_w, p->in_w + p->pad_w + p->pad_end_w, &t0, &nw);
	return nd * nh * nw;
}

#endif
