/* acts.h - shared by the kernel tests (test_conv.c, test_matmul.c): every activation the
   convolution and Gemm epilogue takes, with the unary kernels it must equal bit for bit.
   Include it after the runtime-stub headers. */
/* every activation the epilogue takes, with its unary kernels (none for NONE) */
static const struct {
	int32_t act;
	int (*f32)(const o2m_unary_params *, const float *, float *);
	int (*f64)(const o2m_unary_params *, const double *, double *);
} acts[] = {
	{O2M_ACT_NONE, NULL, NULL},
	{O2M_ACT_LEAKY_RELU, o2m_leaky_relu_f32, o2m_leaky_relu_f64},
	{O2M_ACT_SIGMOID, o2m_sigmoid_f32, o2m_sigmoid_f64},
	{O2M_ACT_TANH, o2m_tanh_f32, o2m_tanh_f64},
	{O2M_ACT_HARD_SIGMOID, o2m_hard_sigmoid_f32, o2m_hard_sigmoid_f64},
	{O2M_ACT_HARD_SWISH, o2m_hard_swish_f32, o2m_hard_swish_f64},
	{O2M_ACT_GELU, o2m_gelu_f32, o2m_gelu_f64},
	{O2M_ACT_GELU_TANH, o2m_gelu_tanh_f32, o2m_gelu_tanh_f64},
	{O2M_ACT_SWISH, o2m_swish_f32, o2m_swish_f64},
	{O2M_ACT_ELU, o2m_elu_f32, o2m_elu_f64},
};
#define NACTS ((int)(sizeof acts / sizeof acts[0]))
