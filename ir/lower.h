/* lower.h - what op implementations (ir/op_*.c) use to infer shapes and to lower a node
   to kernel calls: the runtime parameter structs and small builders. Internal to ir/. */
#ifndef IR_LOWER_H
#define IR_LOWER_H

#include "ir.h"

#include "../runtime-stub/o2m_kernels.h"

/* elements an op may compute while its shape is inferred (window functions,
   MelWeightMatrix): a few bytes of model must not make gigabytes (docs/limits.md) */
#define IR_MAX_EVAL (1 << 24)

/* arguments of a kernel call */
#define A_IN(k) ((Arg){ARG_IN, (k), 0})
#define A_OUT(k) ((Arg){ARG_OUT, (k), 0})
#define A_SCR(k) ((Arg){ARG_SCRATCH, (k), 0})
#define A_CST(k) ((Arg){ARG_CONST, (k), 0})
#define A_NONE ((Arg){ARG_NONE, 0, 0})
#define A_OFF(a, bytes) ((Arg){(a).kind, (a).index, (a).offset + (bytes)})

/* zeroed parameter struct in the graph arena */
#define LW_PARAMS(g, type) ((type *)arena_alloc(&(g)->arena, sizeof(type)))

/* appends a call of `kernel` (index into kernel_table) with nargs Arg values */
void lw_call(Graph *g, Lowered *L, int kernel, ParamType pt, const void *params, int nargs, ...);
int lw_const(Graph *g, Lowered *L, DType dt, int64_t count, const void *data);
int lw_scratch(Graph *g, Lowered *L, int64_t bytes);
/* kernel o2m_<family>_<dtype>, or an error naming the node and -1 */
int lw_kernel(Graph *g, int node, const char *family, DType dt);

typedef struct {
	int rank;
	int64_t dims[IR_MAX_RANK];
} Shape;
Shape lw_shape(const Tensor *t);
/* broadcast geometry of tensors ts[0..n) against the node's output 0 */
void lw_bcast(Graph *g, int node, const int *ts, int n, o2m_bcast_params *p);
void lw_bcast_shapes(Graph *g, int node, const Shape *in, int n, const Shape *out,
		     o2m_bcast_params *p);
/* fills p's box: drops dims of size 1 and merges dims contiguous in both src and dst;
   -1 when more than O2M_MAX_RANK dims remain. Offsets and elem_size are the caller's. */
int lw_copy_compress(o2m_copy_params *p, int rank, const int64_t *dims, const int64_t *ss,
		      const int64_t *ds);
/* one strided copy of a box from src to dst; strides and offsets in elements. A box with
   more than O2M_MAX_RANK dimensions left after merging (Tile has two per axis) becomes one
   copy per index of its outermost dimension. Returns 0 (offsets beyond int32 are
   reported as lw_i32 does); an int so that prepares can return it. */
int lw_copy(Graph *g, int node, Lowered *L, int esize, int rank, const int64_t *dims,
	    const int64_t *ss, const int64_t *ds, int64_t soff, int64_t doff, Arg src, Arg dst);
/* dst[0..count) = the one element value */
void lw_fill(Graph *g, int node, Lowered *L, int64_t count, int esize, Arg value, Arg dst);
/* output k = 0 (all bits clear is zero in every element type) */
void lw_zero(Graph *g, int node, Lowered *L, int k);
/* The epilogue of a FusedConv or FusedGemm node from its attributes: activation (an ONNX
   op name; absent for none) with act_alpha and act_beta (absent: that op's defaults),
   then a clamp to [act_min, act_max] (absent: -FLT_MAX, FLT_MAX). Other ops never carry
   one: none and no bounds. -1 with an error naming the node for an activation the
   kernels do not fuse or bounds that are NaN or reversed. */
int lw_act(Graph *g, int node, int32_t *act, float *alpha, float *beta, float *min, float *max);
/* the geometry of a Conv-like node (X, W inputs; ir/op_conv.c) and its kernel variant
   ("conv", "conv_dw", "conv_1x1"); of a pooling node's window. -1 after an error. */
int lw_conv_geom(Graph *g, int node, o2m_conv_params *p, const char **family);
void lw_conv_inplace(Lowered *L, const o2m_conv_params *p, const char *family);
/* the taps of one filter over its input channels (a group's), the length of its dot
   products */
static inline int64_t lw_conv_kt(const o2m_conv_params *p)
{
	return (int64_t)(p->c_in / p->group) * p->k_d * p->k_h * p->k_w;
}
int lw_pool_geom(Graph *g, int node, o2m_pool_params *p);
int lw_convt_geom(Graph *g, int node, o2m_conv_params *p); /* ConvTranspose (op_conv.c) */
/* MatMul's product and broadcast batch geometry (op_matmul.c) */
int lw_matmul_geom(Graph *g, int node, o2m_matmul_params *p);

/* row-major strides of dims, in elements */
void lw_strides(int rank, const int64_t *dims, int64_t *strides);
/* element count as the int32 kernels take, or an error */
int32_t lw_i32(Graph *g, int node, int64_t v);

/* shape-function helpers */
static inline Tensor *in_t(Graph *g, int node, int k) { return &g->t[g->n[node].in[k]]; }
static inline Tensor *out_t(Graph *g, int node, int k) { return &g->t[g->n[node].out[k]]; }
static inline int has_in(Graph *g, int node, int k) { return ir_in(g, node, k) >= 0; }
void set_out(Graph *g, int node, int k, DType dt, int rank, const int64_t *dims);
void set_out_like(Graph *g, int node, int k, int t); /* same dtype and dims as tensor t */

#endif
