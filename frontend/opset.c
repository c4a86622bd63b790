/* opset.c - what the versions of the default domain say about a node: the opset each op
   first appeared in (an older node cannot be valid ONNX) and the attributes it must
   carry. From the ONNX operator changelog; ops of opset 1 are not listed. */
#include "internal.h"

#include <string.h>

static const struct {
	const char *op;
	int since;
} since_table[] = {
	{"Mod", 10}, {"BitShift", 11}, {"LessOrEqual", 12}, {"GreaterOrEqual", 12},
	{"Where", 9}, {"CastLike", 15}, {"Sign", 9}, {"IsNaN", 9}, {"IsInf", 10},
	{"Round", 11}, {"Sin", 7}, {"Cos", 7}, {"Tan", 7}, {"Asin", 7}, {"Acos", 7},
	{"Atan", 7}, {"Sinh", 9}, {"Cosh", 9}, {"Asinh", 9}, {"Acosh", 9}, {"Atanh", 9},
	{"Erf", 9}, {"Celu", 12}, {"HardSwish", 14}, {"ThresholdedRelu", 10}, {"Shrink", 9},
	{"Expand", 8}, {"ConstantOfShape", 9}, {"Range", 11}, {"CumSum", 11},
	{"MaxUnpool", 9}, {"Einsum", 12}, {"LayerNormalization", 17},
	{"MeanVarianceNormalization", 9}, {"GatherElements", 11}, {"GatherND", 11},
	{"ScatterElements", 11}, {"Scatter", 9}, {"ScatterND", 11}, {"OneHot", 9},
	{"Trilu", 14}, {"EyeLike", 9}, {"Compress", 9}, {"ReverseSequence", 10},
	{"NonZero", 9}, {"Unique", 11}, {"Resize", 10}, {"GridSample", 16}, {"RoiAlign", 10},
	{"QuantizeLinear", 10}, {"DequantizeLinear", 10}, {"DynamicQuantizeLinear", 11},
	{"ConvInteger", 10}, {"QLinearConv", 10}, {"MatMulInteger", 10},
	{"QLinearMatMul", 10}, {"HannWindow", 17}, {"HammingWindow", 17},
	{"BlackmanWindow", 17}, {"MelWeightMatrix", 17}, {"DFT", 17}, {"STFT", 17},
	{"Det", 11}, {"NegativeLogLikelihoodLoss", 12}, {"SoftmaxCrossEntropyLoss", 12},
	{"Scan", 8}, {"SequenceMap", 17}, {"SequenceConstruct", 11}, {"SequenceEmpty", 11},
	{"SequenceInsert", 11}, {"SequenceErase", 11}, {"SequenceAt", 11},
	{"SequenceLength", 11}, {"SplitToSequence", 11}, {"ConcatFromSequence", 11},
	{"Optional", 15}, {"OptionalHasElement", 15}, {"OptionalGetElement", 15},
	{"BitwiseAnd", 18}, {"BitwiseOr", 18}, {"BitwiseXor", 18}, {"BitwiseNot", 18},
	{"Mish", 18}, {"Col2Im", 18}, {"GroupNormalization", 18}, {"CenterCropPad", 18},
	{"DeformConv", 19}, {"Gelu", 20}, {"AffineGrid", 20}, {"RMSNormalization", 23},
	{"Attention", 23}, {"RotaryEmbedding", 23}, {"Swish", 24}, {"TensorScatter", 24},
	{"CumProd", 26}, {"BitCast", 26}, {"LinearAttention", 27},
	{"CausalConvWithState", 27}, {"SwiGLU", 28},
};

/* attributes without which a node is not valid, from the opset given on */
static const struct {
	const char *op;
	int since;
	const char *attr;
} required[] = {
	{"Concat", 4, "axis"}, {"ConcatFromSequence", 1, "axis"}, {"Cast", 1, "to"},
	{"BitShift", 1, "direction"}, {"DepthToSpace", 1, "blocksize"},
	{"SpaceToDepth", 1, "blocksize"}, {"Einsum", 1, "equation"}, {"LRN", 1, "size"},
	{"MaxPool", 1, "kernel_shape"}, {"AveragePool", 1, "kernel_shape"},
	{"LpPool", 1, "kernel_shape"}, {"MaxUnpool", 1, "kernel_shape"},
	{"GroupNormalization", 1, "num_groups"}, {"If", 1, "then_branch"},
	{"If", 1, "else_branch"}, {"Loop", 1, "body"}, {"Scan", 1, "body"},
	{"Scan", 1, "num_scan_inputs"}, {"SequenceMap", 1, "body"},
};

static int since_of(OpKind op)
{
	static int since[OP_COUNT];
	static int filled;

	if (!filled) {
		for (int i = 0; i < OP_COUNT; i++)
			since[i] = 1;
		for (size_t i = 0; i < sizeof since_table / sizeof *since_table; i++) {
			OpKind k = op_find(since_table[i].op);
			if (k != OP_COUNT)
				since[k] = since_table[i].since;
		}
		filled = 1;
	}
	return since[op];
}

void onnx_check_node(Graph *g, int node)
{
	const Node *n = &g->n[node];
	const Attr *a;

	if (n->opset < since_of(n->op))
		ir_error(g, node, "%s appears in opset %d; the node is in opset %d", n->op_type,
			 since_of(n->op), n->opset);
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (n->opset < required[i].since || strcmp(op_info[n->op].name, required[i].op))
			continue;
		a = ir_attr(g, node, required[i].attr);
		if (!a || (a->kind == A_GRAPH && !a->graph))
			ir_error(g, node, "the attribute '%s' is required", required[i].attr);
	}
}
