/* ir.h - the graph IR of onnx2mcu: tensors and nodes held in arrays and referred to by
   integer id, the op table, shape inference, the verifier, the printer and the host
   evaluator. A Graph owns all its memory through one arena and is freed at once. */
#ifndef IR_H
#define IR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IR_MAX_RANK 8
#define IR_MAX_ARGS 12 /* pointer arguments of one kernel call */

/* ---- arena: bump allocator; everything of a graph lives in one ---- */
typedef struct ArenaBlock ArenaBlock;
typedef struct {
	ArenaBlock *head;
	size_t used; /* bytes handed out, for statistics */
} Arena;

void *arena_alloc(Arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...);
void *arena_memdup(Arena *a, const void *p, size_t n);
void arena_free(Arena *a);
/* makes room in the arena-held array arr (n used of cap) for one more element, doubling
   from first; the old copy stays in the arena until it is freed */
#define ARENA_GROW(ar, arr, n, cap, first)                                          \
	do {                                                                        \
		if ((n) == (cap)) {                                                 \
			int nc_ = (cap) ? 2 * (cap) : (first);                      \
			void *na_ = arena_alloc((ar), (size_t)nc_ * sizeof *(arr)); \
			if (n)                                                      \
				memcpy(na_, (arr), (size_t)(n) * sizeof *(arr));    \
			(arr) = na_;                                                \
			(cap) = nc_;                                                \
		}                                                                   \
	} while (0)

/* ---- element types ---- */
typedef enum {
#define DT(id, name, ctype, size, onnx, sfx) id,
#include "dtype.def"
#undef DT
	DT_COUNT
} DType;

const char *dt_name(DType t);      /* "float32" */
const char *dt_ctype(DType t);     /* "float" */
const char *dt_suffix(DType t);    /* "f32" */
int dt_size(DType t);              /* bytes per element */
int dt_onnx(DType t);              /* TensorProto.DataType code */
DType dt_from_onnx(int code);      /* DT_UNDEF if not representable */
int dt_is_float(DType t);          /* f16, bf16, f32, f64, float8 */
int dt_is_f8(DType t);             /* the float8 types and float4e2m1 (uint8_t bits) */
int dt_bits(DType t);              /* 4 or 2 for the packed types, else 0 */
int dt_is_int(DType t);            /* signed or unsigned integer, not bool */
int dt_is_signed(DType t);
double dt_get(DType t, const void *data, int64_t i);   /* element i as double */
int64_t dt_get_i64(DType t, const void *data, int64_t i);
void dt_set(DType t, void *data, int64_t i, double v); /* with C conversion rules */
void dt_set_i64(DType t, void *data, int64_t i, int64_t v); /* integers exactly */
float f16_to_f32(uint16_t h);
uint16_t f32_to_f16(float f);
float bf16_to_f32(uint16_t h);
uint16_t f32_to_bf16(float f);

typedef struct Graph Graph;

/* ---- quantization parameters, on every tensor ---- */
typedef struct {
	int n;          /* 0: none, 1: per-tensor, >1: per-axis (n == dims[axis]) */
	int axis;
	float *scale;
	int32_t *zero_point;
} Quant;

/* the facts (ir/quant.c): set from arrays of n; copied from another tensor; equal */
void ir_quant_set(Graph *g, int t, int n, int axis, const float *scale, const int32_t *zp);
void ir_quant_copy(Graph *g, int to, int from);
int ir_quant_same(const Quant *a, const Quant *b);
/* the range of an integer type the kernels quantize to (int8, uint8, int16, uint16) */
int32_t ir_qmin(DType t);
int32_t ir_qmax(DType t);
/* a positive real factor m as mult * 2^(shift - 31), mult in [2^30, 2^31) (0, 0 for m
   == 0 or too small), as TFLite's QuantizeMultiplier */
void ir_quant_multiplier(double m, int32_t *mult, int32_t *shift);
/* m as one packed word (o2m_q8.h): (mult & ~63) | (shift + 32), mult a multiple of 64
   rounded from m directly (0 | 32 for m == 0 or too small) */
int32_t ir_quant_pack(double m);

/* ---- tensors ---- */
enum {
	T_CONST = 1 << 0,   /* data holds the values */
	T_INPUT = 1 << 1,   /* graph input, fed by the caller */
	T_OUTPUT = 1 << 2,  /* graph output, written for the caller */
	T_BOUND = 1 << 3,   /* graph input made constant by --bind */
	T_SHAPED = 1 << 4,  /* dtype and dims are known */
	T_SEQ = 1 << 5,     /* a sequence: the tensors elem[0..nelem), fixed at compile time */
	T_OPT = 1 << 6,     /* an optional: elem[0] is its value; nelem is 0 when empty */
	T_OUTER = 1 << 7,   /* a subgraph's stand-in for a value of the enclosing graph */
};

typedef struct {
	const char *name; /* ONNX value name */
	DType dtype;
	int rank;
	int64_t dims[IR_MAX_RANK];
	unsigned flags;
	void *data;       /* row-major values when T_CONST */
	Quant quant;
	int producer;     /* node id, or -1 */
	int *elem, nelem; /* T_SEQ, T_OPT: the values it holds (dtype is theirs) */
} Tensor;

/* ---- attributes, as the ONNX node carried them ---- */
typedef enum { A_INT, A_FLOAT, A_STRING, A_INTS, A_FLOATS, A_STRINGS, A_TENSOR, A_GRAPH } AttrKind;

typedef struct {
	const char *name;
	AttrKind kind;
	int64_t i;
	float f;
	const char *s;
	int n;              /* count for the list kinds */
	int64_t *ints;
	float *floats;
	const char **strs;
	int tensor;         /* tensor id for A_TENSOR */
	Graph *graph;       /* A_GRAPH: the subgraph; its outer[k] is the node's input i + k */
} Attr;

/* ---- the op table (ops.def) ---- */
typedef struct Lowered Lowered;

typedef enum {
#define OP(id, onnx, inmin, inmax, outmin, outmax, shape, prep, kern, flags, cin, macs) id,
#include "ops.def"
#undef OP
	OP_COUNT
} OpKind;

enum {
	OPF_SHAPE_FOLD = 1 << 0, /* output depends on input shapes only (Shape, Size) */
	OPF_NO_FOLD = 1 << 1,    /* never evaluated at compile time (random ops) */
	OPF_VARIADIC = 1 << 2,   /* any number of inputs >= inmin */
	OPF_ANYTYPE = 1 << 3,    /* works on any element type as bytes; float16 is not widened */
	OPF_FLOW = 1 << 4,       /* control flow, sequences, optionals: resolved at compile time
				    by passes/flow.c, never folded nor widened */
	OPF_INTERNAL = 1 << 5,   /* made by the rewrite pass only: op_find never returns it, so a
				    model file cannot name it */
	OPF_ELEMENTWISE = 1 << 6, /* each output element depends on the same element of each
				     (broadcast) input: a pointwise op */
	OPF_ACTIVATION = 1 << 7, /* a unary pointwise activation a fused epilogue can apply */
	OPF_QUANT = 1 << 8,      /* an integer op of a quantized graph (passes/quant.c): every
				    integer input and output carries its Tensor.quant */
};

typedef int (*ShapeFn)(Graph *g, int node);
typedef int (*PrepareFn)(Graph *g, int node, Lowered *L);
typedef int64_t (*MacsFn)(const Graph *g, int node);

#define OP_MANY 65536 /* in ops.def: no upper bound on the outputs */

typedef struct {
	const char *name;   /* ONNX op_type */
	int in_min, in_max, out_min, out_max;
	ShapeFn shape;      /* infers dtype and dims of the outputs */
	PrepareFn prepare;  /* lowers the node to kernel calls (compile time) */
	const char *kernel; /* kernel family name, e.g. "add" for o2m_add_<dtype> */
	unsigned flags;
	uint32_t const_in;  /* inputs that must be compile-time constants (bitmask) */
	MacsFn macs;        /* multiply-accumulates of one node (ir/cost.c), NULL for none */
} OpInfo;

extern const OpInfo op_info[OP_COUNT];
OpKind op_find(const char *onnx_name); /* OP_COUNT when unknown */

/* ---- nodes ---- */
typedef struct {
	OpKind op;
	const char *name;  /* ONNX node name, or "<op_type>_<index>" when the model gave none */
	const char *op_type;
	int opset;         /* default-domain opset version the node was written against */
	int nin, nout;
	int *in, *out;     /* tensor ids; -1 for an absent optional input */
	int nattr;
	Attr *attr;
	int nimplicit;     /* the last nimplicit inputs are values its subgraphs read */
	int dead;
	Lowered *low;      /* its kernel calls, set by pass_lower; travels with the node when
			      nodes are reordered */
	const char *fused; /* the ONNX nodes a rewrite merged into this one, comma-separated
			      ("" or NULL: the node itself) */
	int origin;        /* where the rewrite pass schedules it: the position of the node it
			      replaces (passes/rewrite.c) */
	int keep_float;    /* the quant pass leaves it a float op between its
			      DequantizeLinear and QuantizeLinear (--keep-float) */
} Node;

/* ---- lowering: a node as a list of kernel calls (filled by the op's prepare) ---- */
typedef enum { ARG_NONE, ARG_IN, ARG_OUT, ARG_SCRATCH, ARG_CONST } ArgKind;

typedef struct {
	ArgKind kind;
	int index;       /* which input, output, scratch buffer or prepared constant */
	int64_t offset;  /* bytes from the start of that buffer */
} Arg;

typedef struct {
	int kernel;         /* index into kernel_table */
	int ptype;          /* ParamType of params */
	const void *params;
	int nargs;
	Arg arg[IR_MAX_ARGS];
} KCall;

typedef struct {
	DType dtype;
	int64_t count;
	const void *data;
} PConst;

struct Lowered {
	int alias;         /* >= 0: output 0 is input `alias` with a new shape; no calls */
	int64_t *view_off; /* with alias: every output k is a view of input `alias`
			      starting view_off[k] bytes into it (Split, Slice); NULL:
			      output 0 only, at 0. Offsets are multiples of PLAN_ALIGN. */
	int64_t *into_off; /* a Concat whose inputs are contiguous parts of its output:
			      input k is bytes [into_off[k], ...) of it, so the planner may
			      have its producers write there (Plan.into); its copies then find
			      each part in place and do nothing. Multiples of PLAN_ALIGN;
			      NULL: not so. */
	int inplace;       /* >= 0: output 0 may overwrite input `inplace` */
	int grow;          /* with inplace: output 0 may also be larger than that input (its
			      buffer grows to hold it) */
	int ncall, ncst, nscratch;
	KCall *call;       /* arrays grow in the graph arena (see ir/lower.c) */
	PConst *cst;
	int64_t *scratch;  /* bytes */
	int capcall, capcst, capscratch;
};

/* the input (its index) output k of lowering L is a view of, with the byte offset it
   starts at; -1 when it is not a view */
int ir_lowered_view(const Lowered *L, int k, int64_t *offset);
/* the same as a tensor id, for output k of a lowered node (-1: not a view, or absent) */
int ir_view_of(const Graph *g, int node, int k, int64_t *offset);
int ir_tensor_view(const Graph *g, int t, int64_t *offset); /* the same, for tensor t */

/* ---- the runtime stub as the compiler sees it (ir/kernels.c, ir/params.def) ---- */
typedef int (*KernelThunk)(const void *params, void *const *args);
typedef struct {
	const char *name;  /* C function, e.g. "o2m_add_f32" */
	const char *file;  /* runtime-stub source without extension */
	int nargs;         /* pointer arguments after the params */
	KernelThunk run;   /* calls the kernel from an argument array */
} KernelInfo;

extern const KernelInfo kernel_table[];
extern const int kernel_count;
int kernel_lookup(const char *name);           /* -1 if absent */
int kernel_find(const char *family, DType dt); /* o2m_<family>_<suffix>, -1 if absent */
const char *kernel_header(const char *file);  /* header (no .h) declaring file's kernels */

typedef enum {
#define PT(id, type) id,
#include "params.def"
#undef PT
	PT_COUNT
} ParamType;

/* ---- the memory plan (passes/plan.c): where each tensor lives at run time ---- */
typedef enum { ST_NONE, ST_ARENA, ST_INPUT, ST_OUTPUT, ST_CONST } StorageKind;

typedef struct {
	StorageKind kind;
	int index;       /* graph input/output number, or tensor id of a constant */
	int64_t offset;  /* bytes into the arena, input or output */
	int buffer;      /* ST_ARENA: the planner's buffer; tensors of one buffer are views of
			    each other or in-place partners, any others never share live bytes */
} Storage;

/* every arena offset and the arena size are multiples of this; the static arena, a
   union with int64_t and double, is as aligned as they are (8 on Arm EABI and 64-bit
   hosts); an --arena extern one must start at a multiple */
#define PLAN_ALIGN 8

typedef struct {
	Storage *tensor;   /* per tensor id */
	Storage **scratch; /* per node, one per scratch buffer of its lowering */
	int64_t arena_size;
	int64_t naive_size; /* sum of all arena buffers, for comparison */
	int64_t live_peak;  /* the most bytes live at one node: no arena can be smaller */
	int64_t layer_bound; /* the layer-wise bound: the most bytes of one node's inputs and
				outputs (graph inputs, outputs and constants excluded), which
				kernels that write over their input go below */
	int64_t *out_offset; /* io_in_arena: per graph output, where the caller reads it (a
				constant output is copied there at the end) */
	unsigned char *into; /* per node: a Concat whose inputs their producers write into
				its output (Lowered.into_off) */
} Plan;

/* ---- the schedule (passes/schedule.c): what chose the order the kernels run in ---- */
typedef struct {
	const char *order;  /* kept: "given" (the order the passes left), "greedy", "exact" */
	const char *found;  /* which search found the order of the lowest peak */
	int optimal;        /* the search proved no order has a lower peak */
	int64_t given_peak; /* live arena bytes at the peak, as the schedule models them: */
	int64_t peak;       /* of the given order and of the order found */
} Sched;

/* ---- graph inputs and outputs as ONNX declares them ---- */
typedef enum { V_TENSOR, V_SEQ, V_OPT } ValueKind;

/* An ONNX graph input or output and the run-time arguments that carry it: a tensor is
   one, a sequence one per element, an optional its value's (none when it is empty).
   Sequence lengths and whether an optional holds a value are fixed at compile time. */
typedef struct {
	const char *name;
	ValueKind kind;
	ValueKind elem;   /* V_OPT: V_TENSOR or V_SEQ */
	int present;      /* V_OPT: holds a value */
	int first, count; /* g->inputs (or g->outputs) [first, first + count); count -1 while
			     a sequence input's length is unknown */
	int drank;        /* a tensor output's declared rank, -1 when not declared, and */
	int64_t *ddims;   /* its declared dims (-1 for a symbolic one) */
} IoValue;

/* ---- the core the code is made for (ir/target.c; --target) ---- */
typedef struct {
	const char *name;   /* the --target value */
	int dsp;            /* the Arm DSP extension (SMLAD, SXTB16) */
	int fpu;            /* 0 none, 1 single precision, 2 double precision */
	int mve;            /* Helium */
	const char *needs;  /* the build flags it takes, for the #error of a mismatch */
} IrTarget;
const IrTarget *ir_target_find(const char *name); /* NULL if unknown */
/* the int8 kernels trade flash for speed: a Cortex-M target (--target), not the portable
   default nor --int8-layout compact (ir/target.c) */
int ir_int8_packed(const Graph *g);
const char *ir_target_names(void);                /* "host cortex-m0plus ..." */

/* ---- the graph ---- */
struct Graph {
	Arena arena;
	const char *path;    /* model file, for messages */
	Tensor *t;
	int nt, capt;
	Node *n;
	int nn, capn;
	int *inputs, ninputs, capin;  /* runtime inputs in ONNX order */
	const char **declared;        /* every non-initializer input of the model, bound or */
	int ndeclared;                /* not, in ONNX order: how test data files line up */
	IoValue *invals;              /* per declared input (count 0 when bound) */
	int *outputs, noutputs, capout;
	IoValue *outvals;             /* per ONNX output */
	int noutvals;
	Graph *parent;                /* a subgraph: the graph of the node that holds it */
	int *outer, nouter, capouter; /* a subgraph: its tensors that are enclosing values */
	Graph **sub;                  /* subgraphs of node attributes, freed with the graph */
	int nsub, capsub;
	int lowered;         /* pass_lower has run: every live node has its low */
	int quantized;       /* pass_quant has run: DequantizeLinear of constants may fold */
	int *use, capuse;    /* per tensor: readers (node inputs, graph outputs), from ir_uses */
	Plan *plan;          /* set by pass_plan */
	const IrTarget *target; /* what prepares make code for (pass_lower): NULL, portable */
	int64_t scratch_limit;  /* the most scratch bytes one kernel call may take; -1 none */
	int int8_compact;       /* int8 weights kept as the model has them (no packed
				   layouts of the target) */
	int io_in_arena;        /* graph inputs and outputs live in the arena (pass_plan) */
	int patch_bands;        /* bands pass_patch splits the first layers into; 0 none */
	int patched;            /* the bands it made (0: none) */
	const char *patch_note; /* what it did, or why it did nothing (the CLI says it) */
	Sched sched;            /* set by pass_schedule */
	int64_t const_bytes;    /* of the constants loaded and folded so far: at most
				   ir_max_const_bytes */
	Graph **keep;        /* graphs whose memory this one's constants may point into, */
	int nkeep, capkeep;  /* freed with it (ir_graph_keep) */
	int nerrors;
	FILE *diag;          /* where errors go; stderr by default */
};

Graph *ir_graph_new(const char *path);
void ir_graph_free(Graph *g);
Graph *ir_subgraph_new(Graph *parent); /* owned by parent; reports errors as parent */
int ir_outer_add(Graph *sub, const char *name); /* a tensor standing for an enclosing value */
int ir_tensor_new(Graph *g, const char *name);  /* returns the id */
int ir_tensor_find(const Graph *g, const char *name); /* -1 if absent */
int ir_const_new(Graph *g, const char *name, DType dt, int rank, const int64_t *dims,
		 const void *data);                     /* copies data */
int ir_node_new(Graph *g, OpKind op, const char *name, int nin, int nout);
void ir_input_add(Graph *g, int t);
void ir_output_add(Graph *g, int t);
void ir_set_shape(Graph *g, int t, DType dt, int rank, const int64_t *dims);
/* makes t a sequence of the n tensors elem (or an optional of elem, -1 for empty) */
void ir_set_seq(Graph *g, int t, DType dt, const int *elem, int n);
void ir_set_opt(Graph *g, int t, DType dt, int elem);
int ir_is_list(const Graph *g, int t);         /* t >= 0 and a sequence or optional */
int64_t ir_numel(const Tensor *t);
/* its quantization parameters fit it: none, or an integer type with positive finite
   scales, zero points in the type's range, one per tensor or one per index of axis */
int ir_quant_ok(const Tensor *t);
/* an activation of a quantized graph: int8 or int16 with one scale and zero point */
int ir_quant_act(const Tensor *x);
/* element i of such a tensor's data as a real value, and a real value quantized to it
   (round half to even, saturated) */
double ir_dequant1(const Tensor *x, const void *data, int64_t i);
void ir_quantize1(const Tensor *x, double v, void *data, int64_t i);
/* element count of a shape, or -1 if a dim is negative or the count exceeds max, or
   the product of its dims other than 0 does (an empty [0, 2^31-1, 2^31-1] is refused:
   strides and partial products of its dims would overflow) */
int64_t ir_dims_numel(int rank, const int64_t *dims, int64_t max);
int64_t ir_nbytes(const Tensor *t);
int ir_is_const(const Graph *g, int t);        /* t >= 0 and T_CONST */
int ir_same_shape(const Graph *g, int a, int b); /* same dtype, rank and dims */
int ir_consumers(const Graph *g, int t, int *nodes, int max); /* count, fills up to max */
void ir_toposort(Graph *g);                   /* also drops dead nodes */
/* the nodes become order[0..n) (ids into the old array; the rest are dropped), with
   every tensor's producer renumbered */
void ir_reorder(Graph *g, const int *order, int n);
/* rewires every node input that reads `from` to read `to`; returns the count. Graph
   outputs are not touched: see ir_replace_value. */
int ir_replace_uses(Graph *g, int from, int to);
/* makes `to` take the place of `from` everywhere: node inputs and graph outputs (`to`
   then carries the output's name, so the generated interface keeps it) */
void ir_replace_value(Graph *g, int from, int to);
/* the use index: g->use[t] counts node inputs reading t plus graph outputs naming it;
   rebuilt in one sweep, kept up to date by ir_replace_value */
void ir_uses(Graph *g);
void ir_uses_fit(Graph *g); /* grows the index after new tensors (their counts 0) */
/* a copy in its own arena whose constants share g's data (ir/clone.c): it must not
   outlive g unless g is kept with it; subgraphs are not copied (the rewrite pass runs
   after pass_flow has removed them) */
Graph *ir_graph_clone(const Graph *g);
void ir_graph_keep(Graph *g, Graph *other); /* other is freed with g, not before */

/* node inputs; -1 when absent */
static inline int ir_in(const Graph *g, int node, int k)
{
	const Node *n = &g->n[node];
	return k < n->nin ? n->in[k] : -1;
}
static inline Tensor *ir_t(Graph *g, int id) { return &g->t[id]; }

/* attributes */
const Attr *ir_attr(const Graph *g, int node, const char *name);
int64_t ir_attr_int(const Graph *g, int node, const char *name, int64_t def);
float ir_attr_float(const Graph *g, int node, const char *name, float def);
const char *ir_attr_str(const Graph *g, int node, const char *name, const char *def);
int ir_attr_ints(const Graph *g, int node, const char *name, int64_t *out, int max); /* -1 absent */
int ir_attr_floats(const Graph *g, int node, const char *name, float *out, int max);
void ir_attr_set_int(Graph *g, int node, const char *name, int64_t v);
void ir_attr_set_ints(Graph *g, int node, const char *name, const int64_t *v, int n);
void ir_attr_set_float(Graph *g, int node, const char *name, float v);
void ir_attr_set_str(Graph *g, int node, const char *name, const char *s);

/* ---- what it costs (ir/cost.c) ---- */
typedef struct {
	int64_t macs;   /* multiply-accumulates */
	int64_t bytes;  /* bytes of the tensors read and written */
	int64_t cycles; /* estimated Cortex-M4 instructions */
} IrCost;
int64_t ir_node_macs(const Graph *g, int node);
int64_t ir_node_bytes(const Graph *g, int node);
/* after pass_lower: the cost of each of a node's calls, cost[low->ncall] */
void ir_call_costs(const Graph *g, int node, IrCost *cost);
/* the terms of the cost model (ir/cost.c) of one kernel call: t[IR_COST_TERMS] and the
   name of its family's row; the index of that row */
enum { CT_CALL, CT_MAC, CT_OUT, CT_IN, IR_COST_TERMS = 9 };
int ir_call_terms(const Graph *g, int node, int call, double *t, const char **family);
/* the estimate of a convolution kernel family on conv params (an o2m_conv_params *),
   for the prepares that pick a variant */
double ir_conv_cycles(const char *family, const void *p);
IrCost ir_node_cost(const Graph *g, int node);           /* cycles 0 before pass_lower */
/* the MAC column of ops.def */
int64_t cost_conv(const Graph *g, int node);
int64_t cost_qconv(const Graph *g, int node);
int64_t cost_conv_transpose(const Graph *g, int node);
int64_t cost_matmul(const Graph *g, int node);
int64_t cost_gemm(const Graph *g, int node);
int64_t cost_rnn(const Graph *g, int node);

/* ---- diagnostics: bad input names the file and node; broken invariants abort ---- */
/* FILE: node 'NAME' (OpType): error: ... (node -1: FILE: error: ...), as gcc does;
   errors are counted in g->nerrors, warnings and notes are not */
void ir_error(Graph *g, int node, const char *fmt, ...);
void ir_warning(Graph *g, int node, const char *fmt, ...);
void ir_note(Graph *g, int node, const char *fmt, ...);
/* called before each diagnostic is printed when set (the CLI erases its progress line) */
extern void (*ir_before_diag)(void);
void ir_die(const char *file, int line, const char *what);
/* the name among names closest to s (edit distance at most a third of its length, and
   at least 1), s itself when present; -1 when none is close */
int ir_nearest(const char *s, const char *const *names, int n);
/* bytes of constants one model may hold, loaded and folded (--max-constants) */
extern int64_t ir_max_const_bytes;
/* nodes of a model with its functions expanded; twice this once control flow is
   unrolled (--max-nodes) */
extern int ir_max_nodes;
#define IR_ASSERT(c) ((c) ? (void)0 : ir_die(__FILE__, __LINE__, #c))

/* ---- stages of ir/ ---- */
int ir_infer_node(Graph *g, int node);  /* shape inference of one node; 0 ok */
int ir_eval_node(Graph *g, int node);   /* evaluates a node with constant inputs on the host */
int ir_verify(Graph *g, const char *after);   /* 0 ok; errors describe the broken invariant */
void ir_print(Graph *g, FILE *f);
int ir_lower_node(Graph *g, int node, Lowered *L); /* runs the op's prepare */

/* runs the kernel calls of a node's lowering with its buffers: input, output and scratch
   pointers by index (ir/eval.c); 0, or -1 after an error naming the node */
typedef struct {
	void *const *in, *const *out, *const *scratch;
} IrBufs;
int ir_call_all(Graph *g, int node, const Lowered *L, const IrBufs *b);

/* whole-graph evaluation on the host (ir/run.c): a lowered graph (pass_lower has run)
   run any number of times with the runtime-stub kernels; its buffers are allocated once.
   ir_run takes one pointer per g->inputs and calls fn, when not NULL, for each graph input
   and each tensor a node writes, in schedule order. */
typedef struct IrRun IrRun;
typedef void (*IrTensorFn)(void *ctx, const Graph *g, int t, const void *data);
IrRun *ir_run_new(Graph *g); /* NULL when g is not lowered */
int ir_run(IrRun *r, const void *const *inputs, IrTensorFn fn, void *ctx); /* 0, or -1 */
const void *ir_run_data(const IrRun *r, int t); /* t's values after a run */
void ir_run_free(IrRun *r);

/* helpers for shape functions (ir/shape.c) */
int ir_broadcast(Graph *g, int node, const int *ts, int nts, int *rank, int64_t *dims);
int ir_norm_axis(Graph *g, int node, int64_t axis, int rank, int *out);
int ir_const_ints(Graph *g, int node, int t, int64_t *out, int max); /* count, -1 on error */
int ir_need_const(Graph *g, int node, int k);  /* errors unless input k is constant */
int ir_seq_at(Graph *g, int node, int *pos);   /* SequenceAt's position (ir/op_flow.c) */
/* a linear Resize's source positions and weights along one axis, taps per output
   position (ir/op_resize.c); -1 for another mode, antialias or tf_crop_and_resize */
int ir_resize_taps(Graph *g, int node, int axis, int *taps, const int32_t **index,
		   const double **weight);
/* what a Slice node takes, per axis of its input: start, step and length (op_shape.c) */
int ir_slice_box(Graph *g, int node, int64_t *start, int64_t *step, int64_t *len);

#endif
