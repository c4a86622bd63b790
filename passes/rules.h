/* rules.h - guards and builders of the rewrite rules (rules_*.c), listed as data in
   rules.c. Internal to passes/. */
#ifndef RULES_H
#define RULES_H

#include "rewrite.h"

#define RULE_FN(name)                                  \
	int guard_##name(Graph *g, const RwMatch *m); \
	int build_##name(Graph *g, const RwMatch *m);

/* rules_canon.c: no-ops and chains */
RULE_FN(forward_zero)
RULE_FN(forward_one)
RULE_FN(pad_noop)
RULE_FN(slice_noop)
RULE_FN(transpose_noop)
RULE_FN(transpose_pair)
RULE_FN(reshape_chain)
/* rules_fuse.c: folding and epilogues */
RULE_FN(bn_conv)
RULE_FN(bn_convt)
RULE_FN(bn_gemm)
RULE_FN(bn_matmul)
RULE_FN(scale_conv)
RULE_FN(shift_conv)
RULE_FN(matmul_add)
RULE_FN(act_into)
RULE_FN(clip_into)
RULE_FN(residual_conv)
RULE_FN(residual_qconv)
RULE_FN(quantize_qconv)
RULE_FN(bias_gemm)
RULE_FN(act_matmul)
RULE_FN(pad_conv)
RULE_FN(pad_avgpool)
/* rules_compose.c: decomposed ops recognised */
RULE_FN(layernorm)
RULE_FN(layernorm_scale)
RULE_FN(layernorm_shift)
RULE_FN(gelu_erf)
RULE_FN(gelu_tanh)
RULE_FN(silu)
RULE_FN(hardswish_hs)
RULE_FN(hardswish_clip)
RULE_FN(softmax)

/* rules_move.c: splitting and moving */
RULE_FN(slices_gemm)
RULE_FN(scale_gemm)
RULE_FN(scale_up)
RULE_FN(scale_up_b)

/* shared by the rule files */
int rw_forward(Graph *g, const RwMatch *m, int to); /* the root's output becomes `to` */
int rw_float32(const Graph *g, int t);              /* t is float32 */
void rw_reshape_exact(Graph *g, int node);          /* allowzero: a 0 in the shape is 0 */
/* the axes a reduction node reduces (normalised, sorted); count, -1 when unknown */
int rw_reduce_axes(Graph *g, int node, int *axes);

#endif
