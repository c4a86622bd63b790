/* params.c - field descriptors of the kernel parameter structs, so generated code can
   print them as designated initializers. One table per struct of ir/params.def;
   params_check (run by the unit tests) proves each table covers its struct. */
#include "codegen.h"

#include "../runtime-stub/o2m_kernels.h"

#include <math.h>
#include <string.h>

typedef enum { F_I32, F_F32 } FieldKind;
typedef struct {
	const char *name;
	size_t offset, size;
	FieldKind kind;
} Field;

#define I32(T, f) {#f, offsetof(T, f), sizeof(((T *)0)->f), F_I32}
#define F32(T, f) {#f, offsetof(T, f), sizeof(((T *)0)->f), F_F32}
#define END {NULL, 0, 0, F_I32}
/* the o2m_conv_params member m of a struct T (nested: .conv.n = 1 is a C99
   designator), and an o2m_q8_conv_params member's */
#define CONV_FIELDS(T, m)                                                                    \
	I32(T, m.n), I32(T, m.c_in), I32(T, m.c_out), I32(T, m.group), I32(T, m.in_d),        \
	I32(T, m.in_h), I32(T, m.in_w), I32(T, m.out_d), I32(T, m.out_h), I32(T, m.out_w),   \
	I32(T, m.k_d), I32(T, m.k_h), I32(T, m.k_w), I32(T, m.stride_d), I32(T, m.stride_h), \
	I32(T, m.stride_w), I32(T, m.dil_d), I32(T, m.dil_h), I32(T, m.dil_w),               \
	I32(T, m.pad_d), I32(T, m.pad_h), I32(T, m.pad_w), F32(T, m.act_min),                \
	F32(T, m.act_max), I32(T, m.act), F32(T, m.act_alpha), F32(T, m.act_beta)
#define Q8_CONV_FIELDS(T, m)                                                                 \
	CONV_FIELDS(T, m.conv), I32(T, m.input_offset), I32(T, m.output_offset),              \
	I32(T, m.act_min), I32(T, m.act_max), I32(T, m.raw)

static const Field fields_o2m_none_params[] = {I32(o2m_none_params, unused), END};
static const Field fields_o2m_copy_params[] = {
	I32(o2m_copy_params, rank), I32(o2m_copy_params, elem_size), I32(o2m_copy_params, dims),
	I32(o2m_copy_params, src_stride), I32(o2m_copy_params, dst_stride),
	I32(o2m_copy_params, src_offset), I32(o2m_copy_params, dst_offset), END};
static const Field fields_o2m_fill_params[] = {
	I32(o2m_fill_params, count), I32(o2m_fill_params, elem_size), END};
static const Field fields_o2m_bcast_params[] = {
	I32(o2m_bcast_params, rank), I32(o2m_bcast_params, count), I32(o2m_bcast_params, dims),
	I32(o2m_bcast_params, sa), I32(o2m_bcast_params, sb), I32(o2m_bcast_params, sc), END};
static const Field fields_o2m_unary_params[] = {
	I32(o2m_unary_params, count), F32(o2m_unary_params, alpha), F32(o2m_unary_params, beta),
	F32(o2m_unary_params, gamma), END};
static const Field fields_o2m_act_params[] = {
	I32(o2m_act_params, count), I32(o2m_act_params, act), F32(o2m_act_params, alpha),
	F32(o2m_act_params, beta), F32(o2m_act_params, min), F32(o2m_act_params, max), END};

static const Field fields_o2m_conv_params[] = {
	I32(o2m_conv_params, n), I32(o2m_conv_params, c_in), I32(o2m_conv_params, c_out),
	I32(o2m_conv_params, group), I32(o2m_conv_params, in_d), I32(o2m_conv_params, in_h),
	I32(o2m_conv_params, in_w), I32(o2m_conv_params, out_d), I32(o2m_conv_params, out_h),
	I32(o2m_conv_params, out_w), I32(o2m_conv_params, k_d), I32(o2m_conv_params, k_h),
	I32(o2m_conv_params, k_w), I32(o2m_conv_params, stride_d), I32(o2m_conv_params, stride_h),
	I32(o2m_conv_params, stride_w), I32(o2m_conv_params, dil_d), I32(o2m_conv_params, dil_h),
	I32(o2m_conv_params, dil_w), I32(o2m_conv_params, pad_d), I32(o2m_conv_params, pad_h),
	I32(o2m_conv_params, pad_w), F32(o2m_conv_params, act_min), F32(o2m_conv_params, act_max),
	I32(o2m_conv_params, act), F32(o2m_conv_params, act_alpha), F32(o2m_conv_params, act_beta),
	END};
static const Field fields_o2m_matmul_params[] = {
	I32(o2m_matmul_params, m), I32(o2m_matmul_params, n), I32(o2m_matmul_params, k),
	I32(o2m_matmul_params, batch_rank), I32(o2m_matmul_params, batch),
	I32(o2m_matmul_params, a_stride), I32(o2m_matmul_params, b_stride), END};

/* reduce */
static const Field fields_o2m_reduce_params[] = {
	I32(o2m_reduce_params, count), I32(o2m_reduce_params, rank), I32(o2m_reduce_params, dims),
	I32(o2m_reduce_params, stride), I32(o2m_reduce_params, red_count),
	I32(o2m_reduce_params, red_rows), I32(o2m_reduce_params, red_rank),
	I32(o2m_reduce_params, red_dims), I32(o2m_reduce_params, red_stride), END};
static const Field fields_o2m_axis_params[] = {
	I32(o2m_axis_params, outer), I32(o2m_axis_params, n), I32(o2m_axis_params, inner),
	I32(o2m_axis_params, k), I32(o2m_axis_params, largest), I32(o2m_axis_params, last_index),
	I32(o2m_axis_params, exclusive), I32(o2m_axis_params, reverse), END};

/* conv */
static const Field fields_o2m_pool_params[] = {
	I32(o2m_pool_params, planes), I32(o2m_pool_params, in_d), I32(o2m_pool_params, in_h),
	I32(o2m_pool_params, in_w), I32(o2m_pool_params, out_d), I32(o2m_pool_params, out_h),
	I32(o2m_pool_params, out_w), I32(o2m_pool_params, k_d), I32(o2m_pool_params, k_h),
	I32(o2m_pool_params, k_w), I32(o2m_pool_params, stride_d), I32(o2m_pool_params, stride_h),
	I32(o2m_pool_params, stride_w), I32(o2m_pool_params, dil_d), I32(o2m_pool_params, dil_h),
	I32(o2m_pool_params, dil_w), I32(o2m_pool_params, pad_d), I32(o2m_pool_params, pad_h),
	I32(o2m_pool_params, pad_w), I32(o2m_pool_params, pad_end_d),
	I32(o2m_pool_params, pad_end_h), I32(o2m_pool_params, pad_end_w),
	I32(o2m_pool_params, count_include_pad), I32(o2m_pool_params, storage_order),
	I32(o2m_pool_params, p), END};
static const Field fields_o2m_unpool_params[] = {
	I32(o2m_unpool_params, count), I32(o2m_unpool_params, planes),
	I32(o2m_unpool_params, idx_d), I32(o2m_unpool_params, idx_h),
	I32(o2m_unpool_params, idx_w), I32(o2m_unpool_params, out_d),
	I32(o2m_unpool_params, out_h), I32(o2m_unpool_params, out_w), END};
static const Field fields_o2m_deform_params[] = {
	I32(o2m_deform_params, n), I32(o2m_deform_params, c_in), I32(o2m_deform_params, c_out),
	I32(o2m_deform_params, group), I32(o2m_deform_params, offset_group),
	I32(o2m_deform_params, in_h), I32(o2m_deform_params, in_w), I32(o2m_deform_params, out_h),
	I32(o2m_deform_params, out_w), I32(o2m_deform_params, k_h), I32(o2m_deform_params, k_w),
	I32(o2m_deform_params, stride_h), I32(o2m_deform_params, stride_w),
	I32(o2m_deform_params, dil_h), I32(o2m_deform_params, dil_w), I32(o2m_deform_params, pad_h),
	I32(o2m_deform_params, pad_w), END};

/* matmul */
static const Field fields_o2m_gemm_params[] = {
	I32(o2m_gemm_params, m), I32(o2m_gemm_params, n), I32(o2m_gemm_params, k),
	I32(o2m_gemm_params, a_sm), I32(o2m_gemm_params, a_sk), I32(o2m_gemm_params, b_sk),
	I32(o2m_gemm_params, b_sn), I32(o2m_gemm_params, c_sm), I32(o2m_gemm_params, c_sn),
	F32(o2m_gemm_params, alpha), F32(o2m_gemm_params, beta), F32(o2m_gemm_params, act_min),
	F32(o2m_gemm_params, act_max), I32(o2m_gemm_params, act), F32(o2m_gemm_params, act_alpha),
	F32(o2m_gemm_params, act_beta), END};
static const Field fields_o2m_einsum_params[] = {
	I32(o2m_einsum_params, out_rank), I32(o2m_einsum_params, sum_rank),
	I32(o2m_einsum_params, out_dims), I32(o2m_einsum_params, sum_dims),
	I32(o2m_einsum_params, a_out), I32(o2m_einsum_params, b_out),
	I32(o2m_einsum_params, a_sum), I32(o2m_einsum_params, b_sum), END};
static const Field fields_o2m_norm_params[] = {
	I32(o2m_norm_params, outer), I32(o2m_norm_params, channels),
	I32(o2m_norm_params, group_size), I32(o2m_norm_params, inner), I32(o2m_norm_params, flags),
	F32(o2m_norm_params, epsilon), F32(o2m_norm_params, momentum), END};
static const Field fields_o2m_mvn_params[] = {
	I32(o2m_mvn_params, keep_rank), I32(o2m_mvn_params, red_rank),
	I32(o2m_mvn_params, keep_dims), I32(o2m_mvn_params, keep_stride),
	I32(o2m_mvn_params, red_dims), I32(o2m_mvn_params, red_stride),
	I32(o2m_mvn_params, flags), F32(o2m_mvn_params, epsilon), END};
static const Field fields_o2m_lrn_params[] = {
	I32(o2m_lrn_params, n), I32(o2m_lrn_params, c), I32(o2m_lrn_params, inner),
	I32(o2m_lrn_params, size), F32(o2m_lrn_params, alpha), F32(o2m_lrn_params, beta),
	F32(o2m_lrn_params, bias), END};

/* index */
static const Field fields_o2m_gather_params[] = {
	I32(o2m_gather_params, outer), I32(o2m_gather_params, axis_dim),
	I32(o2m_gather_params, count), I32(o2m_gather_params, block),
	I32(o2m_gather_params, index_size), END};
static const Field fields_o2m_elements_params[] = {
	I32(o2m_elements_params, rank), I32(o2m_elements_params, axis),
	I32(o2m_elements_params, axis_dim), I32(o2m_elements_params, count),
	I32(o2m_elements_params, data_count), I32(o2m_elements_params, elem_size),
	I32(o2m_elements_params, index_size), I32(o2m_elements_params, reduction),
	I32(o2m_elements_params, dims), I32(o2m_elements_params, strides), END};
static const Field fields_o2m_nd_params[] = {
	I32(o2m_nd_params, batch), I32(o2m_nd_params, count), I32(o2m_nd_params, depth),
	I32(o2m_nd_params, block), I32(o2m_nd_params, batch_blocks),
	I32(o2m_nd_params, elem_size), I32(o2m_nd_params, index_size),
	I32(o2m_nd_params, reduction), I32(o2m_nd_params, dims), I32(o2m_nd_params, strides),
	END};
static const Field fields_o2m_tensor_scatter_params[] = {
	I32(o2m_tensor_scatter_params, batch), I32(o2m_tensor_scatter_params, prefix),
	I32(o2m_tensor_scatter_params, max_seq), I32(o2m_tensor_scatter_params, seq),
	I32(o2m_tensor_scatter_params, block), I32(o2m_tensor_scatter_params, circular),
	I32(o2m_tensor_scatter_params, index_size), END};
static const Field fields_o2m_onehot_params[] = {
	I32(o2m_onehot_params, outer), I32(o2m_onehot_params, depth),
	I32(o2m_onehot_params, inner), I32(o2m_onehot_params, elem_size),
	I32(o2m_onehot_params, index_size), END};
static const Field fields_o2m_trilu_params[] = {
	I32(o2m_trilu_params, batch), I32(o2m_trilu_params, rows), I32(o2m_trilu_params, cols),
	I32(o2m_trilu_params, k), I32(o2m_trilu_params, upper), I32(o2m_trilu_params, elem_size),
	END};
static const Field fields_o2m_reverse_params[] = {
	I32(o2m_reverse_params, time), I32(o2m_reverse_params, batch),
	I32(o2m_reverse_params, block), I32(o2m_reverse_params, time_stride),
	I32(o2m_reverse_params, batch_stride), I32(o2m_reverse_params, index_size), END};

/* resize */
static const Field fields_o2m_resize_gather_params[] = {
	I32(o2m_resize_gather_params, outer), I32(o2m_resize_gather_params, in_stride),
	I32(o2m_resize_gather_params, rank), I32(o2m_resize_gather_params, dims),
	I32(o2m_resize_gather_params, start), I32(o2m_resize_gather_params, inner),
	I32(o2m_resize_gather_params, elem_size), END};
static const Field fields_o2m_resample_params[] = {
	I32(o2m_resample_params, outer), I32(o2m_resample_params, in_n),
	I32(o2m_resample_params, out_n), I32(o2m_resample_params, inner),
	I32(o2m_resample_params, taps), END};
static const Field fields_o2m_grid_sample_params[] = {
	I32(o2m_grid_sample_params, n), I32(o2m_grid_sample_params, c),
	I32(o2m_grid_sample_params, rank), I32(o2m_grid_sample_params, dims),
	I32(o2m_grid_sample_params, points), I32(o2m_grid_sample_params, mode),
	I32(o2m_grid_sample_params, padding), I32(o2m_grid_sample_params, align_corners), END};
static const Field fields_o2m_affine_grid_params[] = {
	I32(o2m_affine_grid_params, n), I32(o2m_affine_grid_params, rank),
	I32(o2m_affine_grid_params, dims), END};
static const Field fields_o2m_roi_align_params[] = {
	I32(o2m_roi_align_params, n), I32(o2m_roi_align_params, c), I32(o2m_roi_align_params, h),
	I32(o2m_roi_align_params, w), I32(o2m_roi_align_params, rois),
	I32(o2m_roi_align_params, out_h), I32(o2m_roi_align_params, out_w),
	I32(o2m_roi_align_params, sampling_ratio), F32(o2m_roi_align_params, spatial_scale),
	F32(o2m_roi_align_params, offset), END};

/* rnn */
static const Field fields_o2m_rnn_params[] = {
	I32(o2m_rnn_params, seq_length), I32(o2m_rnn_params, batch),
	I32(o2m_rnn_params, input_size), I32(o2m_rnn_params, hidden), I32(o2m_rnn_params, reverse),
	I32(o2m_rnn_params, x_step), I32(o2m_rnn_params, x_batch), I32(o2m_rnn_params, y_step),
	I32(o2m_rnn_params, y_batch), I32(o2m_rnn_params, s_batch), I32(o2m_rnn_params, act),
	F32(o2m_rnn_params, alpha), F32(o2m_rnn_params, beta), F32(o2m_rnn_params, clip),
	I32(o2m_rnn_params, input_forget), I32(o2m_rnn_params, linear_before_reset), END};

/* quant */
static const Field fields_o2m_qaxis_params[] = {
	I32(o2m_qaxis_params, outer), I32(o2m_qaxis_params, len), I32(o2m_qaxis_params, inner),
	I32(o2m_qaxis_params, block), I32(o2m_qaxis_params, s_outer),
	I32(o2m_qaxis_params, s_block), I32(o2m_qaxis_params, s_inner),
	I32(o2m_qaxis_params, half), END};
static const Field fields_o2m_qconv_params[] = {
	CONV_FIELDS(o2m_qconv_params, conv), I32(o2m_qconv_params, wz_step),
	I32(o2m_qconv_params, mul_step), END};
static const Field fields_o2m_qmatmul_params[] = {
	I32(o2m_qmatmul_params, mm.m), I32(o2m_qmatmul_params, mm.n),
	I32(o2m_qmatmul_params, mm.k), I32(o2m_qmatmul_params, mm.batch_rank),
	I32(o2m_qmatmul_params, mm.batch), I32(o2m_qmatmul_params, mm.a_stride),
	I32(o2m_qmatmul_params, mm.b_stride), I32(o2m_qmatmul_params, za_row),
	I32(o2m_qmatmul_params, zb_col), I32(o2m_qmatmul_params, zy_row),
	I32(o2m_qmatmul_params, zy_col), I32(o2m_qmatmul_params, mul_row),
	I32(o2m_qmatmul_params, mul_col), END};

/* q8 */
#define QC_(f) I32(o2m_q8_conv_params, f)
static const Field fields_o2m_q8_conv_params[] = {
	CONV_FIELDS(o2m_q8_conv_params, conv), QC_(input_offset), QC_(output_offset),
	QC_(act_min), QC_(act_max), QC_(raw), END};
#undef QC_
static const Field fields_o2m_q8_conv_fq_params[] = {
	Q8_CONV_FIELDS(o2m_q8_conv_fq_params, conv), F32(o2m_q8_conv_fq_params, in_scale),
	I32(o2m_q8_conv_fq_params, in_zero), END};
#define QF_(f) I32(o2m_q8_fc_params, f)
static const Field fields_o2m_q8_fc_params[] = {
	QF_(batch), QF_(in), QF_(out), QF_(input_offset), QF_(output_offset), QF_(act_min),
	QF_(act_max), END};
#undef QF_
#define QR_(f) I32(o2m_q8_requant_params, f)
static const Field fields_o2m_q8_requant_params[] = {
	QR_(count), QR_(input_offset), QR_(output_offset), QR_(mult), QR_(shift),
	QR_(act_min), QR_(act_max), END};
#undef QR_
#define QB_(f) I32(o2m_q8_binary_params, f)
static const Field fields_o2m_q8_binary_params[] = {
	QB_(b.rank), QB_(b.count), QB_(b.dims), QB_(b.sa), QB_(b.sb), QB_(b.sc),
	QB_(a_offset), QB_(b_offset), QB_(output_offset), QB_(left_shift), QB_(a_mult),
	QB_(a_shift), QB_(b_mult), QB_(b_shift), QB_(out_mult), QB_(out_shift),
	QB_(act_min), QB_(act_max), END};
#undef QB_
#define QS_(f) I32(o2m_q8_conv_res_params, f)
static const Field fields_o2m_q8_conv_res_params[] = {
	Q8_CONV_FIELDS(o2m_q8_conv_res_params, conv), QS_(add.b.rank), QS_(add.b.count),
	QS_(add.b.dims), QS_(add.b.sa), QS_(add.b.sb), QS_(add.b.sc), QS_(add.a_offset),
	QS_(add.b_offset), QS_(add.output_offset), QS_(add.left_shift), QS_(add.a_mult),
	QS_(add.a_shift), QS_(add.b_mult), QS_(add.b_shift), QS_(add.out_mult),
	QS_(add.out_shift), QS_(add.act_min), QS_(add.act_max), END};
#undef QS_
#define QP_(f) I32(o2m_q8_pool_params, f)
static const Field fields_o2m_q8_pool_params[] = {
	QP_(pool.planes), QP_(pool.in_d), QP_(pool.in_h), QP_(pool.in_w), QP_(pool.out_d),
	QP_(pool.out_h), QP_(pool.out_w), QP_(pool.k_d), QP_(pool.k_h), QP_(pool.k_w),
	QP_(pool.stride_d), QP_(pool.stride_h), QP_(pool.stride_w), QP_(pool.dil_d),
	QP_(pool.dil_h), QP_(pool.dil_w), QP_(pool.pad_d), QP_(pool.pad_h), QP_(pool.pad_w),
	QP_(pool.pad_end_d), QP_(pool.pad_end_h), QP_(pool.pad_end_w),
	QP_(pool.count_include_pad), QP_(pool.storage_order), QP_(pool.p),
	QP_(input_offset), QP_(output_offset), QP_(mult), QP_(shift), QP_(act_min),
	QP_(act_max), END};
#undef QP_

/* q8x */
#define QM_(f) I32(o2m_q8_matmul_params, f)
static const Field fields_o2m_q8_matmul_params[] = {
	QM_(mm.m), QM_(mm.n), QM_(mm.k), QM_(mm.batch_rank), QM_(mm.batch), QM_(mm.a_stride),
	QM_(mm.b_stride), QM_(a_offset), QM_(b_offset), QM_(output_offset), QM_(mult),
	QM_(shift), QM_(act_min), QM_(act_max), END};
#undef QM_
#define QS_(f) I32(o2m_q8_softmax_params, f)
static const Field fields_o2m_q8_softmax_params[] = {
	QS_(outer), QS_(n), QS_(inner), QS_(output_offset), QS_(inv_scale_q16), QS_(act_min),
	QS_(act_max), END};
#undef QS_
#define QS_(f) I32(o2m_q16_softmax_params, f)
static const Field fields_o2m_q16_softmax_params[] = {
	QS_(outer), QS_(n), QS_(inner), QS_(exp_k), QS_(output_offset), QS_(inv_scale_q8),
	QS_(act_min), QS_(act_max), END};
#undef QS_
#define QZ_(f) I32(o2m_q8_resize_params, f)
static const Field fields_o2m_q8_resize_params[] = {
	QZ_(planes), QZ_(in_h), QZ_(in_w), QZ_(out_h), QZ_(out_w), QZ_(input_offset),
	QZ_(output_offset), QZ_(mult), QZ_(shift), QZ_(act_min), QZ_(act_max), END};
#undef QZ_
#define QN_(f) I32(o2m_q8_norm_params, f)
static const Field fields_o2m_q8_norm_params[] = {
	QN_(outer), QN_(n), QN_(input_offset), QN_(output_offset), QN_(eps_q16),
	QN_(gamma_shift), QN_(act_min), QN_(act_max), END};
#undef QN_

/* extra */
#define A_(f) I32(o2m_attention_params, f)
static const Field fields_o2m_attention_params[] = {
	A_(batch), A_(q_heads), A_(kv_heads), A_(q_len), A_(kv_len), A_(past_len),
	A_(head_size), A_(v_head_size), A_(q_stride), A_(k_stride), A_(v_stride), A_(y_stride),
	A_(mask_kind), A_(mask_stride), A_(mask_len), A_(causal), A_(qk_mode),
	F32(o2m_attention_params, scale), F32(o2m_attention_params, softcap), END};
#undef A_
#define LA_(f) I32(o2m_linear_attention_params, f)
static const Field fields_o2m_linear_attention_params[] = {
	LA_(batch), LA_(seq), LA_(q_heads), LA_(kv_heads), LA_(key_size), LA_(value_size),
	LA_(gating), LA_(decay_per_key), LA_(delta), LA_(beta_per_head),
	F32(o2m_linear_attention_params, scale), END};
#undef LA_
static const Field fields_o2m_loss_params[] = {
	I32(o2m_loss_params, n), I32(o2m_loss_params, c), I32(o2m_loss_params, d),
	I32(o2m_loss_params, target_size), I32(o2m_loss_params, reduction),
	I32(o2m_loss_params, has_ignore), I32(o2m_loss_params, ignore_index),
	I32(o2m_loss_params, log_softmax), END};
static const Field fields_o2m_rotary_params[] = {
	I32(o2m_rotary_params, batch), I32(o2m_rotary_params, heads), I32(o2m_rotary_params, seq),
	I32(o2m_rotary_params, head_size), I32(o2m_rotary_params, rotary_dim),
	I32(o2m_rotary_params, interleaved), I32(o2m_rotary_params, stride),
	I32(o2m_rotary_params, cache_rows), END};
static const Field fields_o2m_dft_params[] = {
	I32(o2m_dft_params, outer), I32(o2m_dft_params, inner), I32(o2m_dft_params, n_in),
	I32(o2m_dft_params, length), I32(o2m_dft_params, n_out), I32(o2m_dft_params, in_complex),
	I32(o2m_dft_params, out_complex), I32(o2m_dft_params, inverse),
	I32(o2m_dft_params, hermitian), I32(o2m_dft_params, fft), I32(o2m_dft_params, x_stride), I32(o2m_dft_params, y_stride),
	END};
static const Field fields_o2m_det_params[] = {
	I32(o2m_det_params, count), I32(o2m_det_params, n), END};

static const struct {
	const char *name;
	size_t size;
	const Field *fields;
} param_types[PT_COUNT] = {
#define PT(id, type) [id] = {#type, sizeof(type), fields_##type},
#include "../ir/params.def"
#undef PT
};

const char *params_type_name(ParamType pt) { return param_types[pt].name; }
size_t params_size(ParamType pt) { return param_types[pt].size; }

static int print_float(FILE *f, float v)
{
	char buf[48];

	if (v != v) {
		fputs("NAN", f);
		return 1;
	}
	if (v == (float)INFINITY || v == -(float)INFINITY) {
		fputs(v > 0 ? "INFINITY" : "-INFINITY", f);
		return 1;
	}
	snprintf(buf, sizeof buf, "%.9g", (double)v);
	fputs(buf, f);
	if (!strpbrk(buf, ".e"))
		fputs(".0", f);
	fputc('f', f);
	return 0;
}

int params_print(FILE *f, ParamType pt, const void *p)
{
	const unsigned char *base = p;
	int first = 1, math = 0;

	fputc('{', f);
	for (const Field *fd = param_types[pt].fields; fd->name; fd++) {
		int n = (int)(fd->size / 4), last = -1;
		for (int i = 0; i < n; i++) {
			uint32_t bits;
			memcpy(&bits, base + fd->offset + 4 * (size_t)i, 4);
			if (bits)
				last = i;
		}
		if (last < 0)
			continue; /* zero fields are left to the initializer */
		fprintf(f, "%s.%s = ", first ? "" : ", ", fd->name);
		first = 0;
		if (n > 1)
			fputc('{', f);
		for (int i = 0; i <= (n > 1 ? last : 0); i++) {
			const unsigned char *at = base + fd->offset + 4 * (size_t)i;
			if (i)
				fputs(", ", f);
			if (fd->kind == F_F32) {
				float v;
				memcpy(&v, at, 4);
				math |= print_float(f, v);
			} else {
				int32_t v;
				memcpy(&v, at, 4);
				if (v == INT32_MIN)
					fputs("INT32_MIN", f);
				else
					fprintf(f, "%d", v);
			}
		}
		if (n > 1)
			fputc('}', f);
	}
	fputs(first ? "0}" : "}", f);
	return math;
}

int params_check(void)
{
	int bad = 0;

	for (int t = 0; t < PT_COUNT; t++) {
		size_t at = 0;
		for (const Field *fd = param_types[t].fields; fd->name; fd++) {
			if (fd->offset != at || fd->size % 4) {
				fprintf(stderr, "%s.%s: descriptor does not follow the struct\n",
					param_types[t].name, fd->name);
				bad++;
			}
			at = fd->offset + fd->size;
		}
		if (at != param_types[t].size) {
			fprintf(stderr, "%s: descriptor covers %zu of %zu bytes\n", param_types[t].name,
				at, param_types[t].size);
			bad++;
		}
	}
	return bad ? -1 : 0;
}
