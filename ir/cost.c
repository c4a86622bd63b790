/* cost.c - what a node and a kernel call cost: multiply-accumulates from the op table's
   MAC column, bytes moved, and estimated Cortex-M4 cycles (instructions, as the
   emulator counts them) from a per-kernel-family model calibrated against m4run
   (docs/rewrites.md, "The cost model"). inspect, the report and the rewrite search all
   read these numbers. */
#include "ir.h"

#include <string.h>

static int64_t out_numel(const Graph *g, int node)
{
	const Node *n = &g->n[node];
	return n->nout && n->out[0] >= 0 ? ir_numel(&g->t[n->out[0]]) : 0;
}

static const Tensor *input(const Graph *g, int node, int k)
{
	const Node *n = &g->n[node];
	return k < n->nin && n->in[k] >= 0 ? &g->t[n->in[k]] : NULL;
}

/* per output element, one filter's taps */
static int64_t filter_macs(const Graph *g, int node, const Tensor *w)
{
	return w && w->rank && w->dims[0] ? out_numel(g, node) * (ir_numel(w) / w->dims[0]) : 0;
}

int64_t cost_conv(const Graph *g, int node) { return filter_macs(g, node, input(g, node, 1)); }
int64_t cost_qconv(const Graph *g, int node) { return filter_macs(g, node, input(g, node, 3)); }

/* every input element meets one row of the weights */
int64_t cost_conv_transpose(const Graph *g, int node)
{
	const Tensor *x = input(g, node, 0), *w = input(g, node, 1);
	return x && w && w->rank && w->dims[0] ? ir_numel(x) * (ir_numel(w) / w->dims[0]) : 0;
}

int64_t cost_matmul(const Graph *g, int node)
{
	const Tensor *a = input(g, node, 0);
	return a ? out_numel(g, node) * (a->rank ? a->dims[a->rank - 1] : 1) : 0;
}

int64_t cost_gemm(const Graph *g, int node)
{
	const Tensor *a = input(g, node, 0);
	int64_t k;

	if (!a)
		return 0;
	k = a->rank ? a->dims[a->rank - 1] : 1;
	if (ir_attr_int(g, node, "transA", 0) && a->rank == 2)
		k = a->dims[0];
	return out_numel(g, node) * k;
}

/* every step multiplies the input by W and the hidden state by R */
int64_t cost_rnn(const Graph *g, int node)
{
	const Tensor *x = input(g, node, 0), *w = input(g, node, 1), *r = input(g, node, 2);
	int64_t steps = x && x->rank == 3 ? x->dims[0] * x->dims[1] : 0;
	return w && r ? steps * (ir_numel(w) + ir_numel(r)) : 0;
}

int64_t ir_node_macs(const Graph *g, int node)
{
	MacsFn f = op_info[g->n[node].op].macs;
	return f ? f(g, node) : 0;
}

int64_t ir_node_bytes(const Graph *g, int node)
{
	const Node *n = &g->n[node];
	int64_t b = 0;

	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && !ir_is_list(g, n->in[k]))
			b += ir_nbytes(&g->t[n->in[k]]);
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0 && !ir_is_list(g, n->out[k]))
			b += ir_nbytes(&g->t[n->out[k]]);
	return b;
}

/* Cortex-M4 instructions of a kernel family: per MAC, per element and per call. The
   elements are the output's for the families that count MACs, else the largest of the
   node's first input and its output (a pool or a reduction reads more than it writes).
   Fitted to `make bench-nodes` (gcc -O2, the emulated Cortex-M4) on ResNet-8,
   MobileNetV2-0.35, the transformer and the FC autoencoder; other families take the
   last row, an elementwise pass. */
static const struct {
	const char *family;
	double per_mac, per_elem, per_call;
	int macs; /* the family does the node's multiply-accumulates */
} model[] = {
	{"conv", 6.6, 55, 400, 1},
	{"conv_dw", 8.0, 0, 400, 1},
	{"conv_1x1", 3.13, 13.4, 300, 1},
	{"conv_transpose", 7.0, 20, 400, 1},
	{"gemm", 5.9, 12, 200, 1},
	{"matmul", 7.8, 4, 200, 1},
	{"matmul_bt", 6.1, 4, 200, 1},
	{"channel_affine", 0, 6, 60, 0},
	{"clip", 0, 16, 60, 0},
	{"copy", 0, 3, 60, 0},
	{"layer_norm", 0, 21, 100, 0},
	{"softmax", 0, 91, 100, 0},
	{"erf", 0, 45, 60, 0},
	{"gelu", 0, 50, 60, 0},
	{"gelu_tanh", 0, 45, 60, 0},
	{"sigmoid", 0, 40, 60, 0},
	{"tanh", 0, 40, 60, 0},
	{"exp", 0, 35, 60, 0},
	{"swish", 0, 45, 60, 0},
	{"avgpool", 0, 10, 100, 0},
	{"maxpool", 0, 10, 100, 0},
	{"reduce_mean", 0, 12, 100, 0},
	{NULL, 0, 8, 60, 0}, /* elementwise */
};

/* the family of a kernel: its name without "o2m_" and the type suffix */
static int family_row(int kernel)
{
	const char *name = kernel_table[kernel].name + 4, *end = strrchr(name, '_');
	size_t len = end ? (size_t)(end - name) : strlen(name);
	int i;

	if (!end || (strcmp(end, "_f32") && strcmp(end, "_f64") && end[1] != 's' && end[1] != 'u'))
		len = strlen(name); /* no type suffix (copy, fill) */
	for (i = 0; model[i].family; i++)
		if (strlen(model[i].family) == len && !strncmp(model[i].family, name, len))
			return i;
	return i;
}

/* per element of a fused epilogue: an activation, a clamp, a residual */
static double epilogue(const Graph *g, int node)
{
	double e = 0;

	if (ir_attr(g, node, "activation"))
		e += 40;
	if (ir_attr(g, node, "act_min") || ir_attr(g, node, "act_max"))
		e += 2;
	if (g->n[node].op == OP_FUSED_CONV && g->n[node].nin > 3 && g->n[node].in[3] >= 0)
		e += 3;
	return e;
}

IrCost ir_call_cost(const Graph *g, int node, int call)
{
	const Lowered *L = g->n[node].low;
	const KCall *c = &L->call[call];
	int row = family_row(c->kernel), first = 0;
	IrCost k = {0, 0, 0};
	int64_t elems = out_numel(g, node);
	const Tensor *x = input(g, node, 0);

	/* the node's MACs belong to its first call of a MAC-counting family */
	while (first < L->ncall && !model[family_row(L->call[first].kernel)].macs)
		first++;
	if (first == L->ncall)
		first = 0;
	if (call == first)
		k.macs = ir_node_macs(g, node);
	k.bytes = call == 0 ? ir_node_bytes(g, node) : 0;
	if (!model[row].macs && x && !ir_is_list(g, g->n[node].in[0]) && ir_numel(x) > elems)
		elems = ir_numel(x);
	k.cycles = (int64_t)(model[row].per_call + model[row].per_mac * (double)k.macs +
			     (model[row].per_elem + (call == first ? epilogue(g, node) : 0)) *
				     (double)elems);
	return k;
}

IrCost ir_node_cost(const Graph *g, int node)
{
	IrCost sum = {ir_node_macs(g, node), ir_node_bytes(g, node), 0};
	const Lowered *L = g->n[node].low;

	for (int c = 0; L && c < L->ncall; c++)
		sum.cycles += ir_call_cost(g, node, c).cycles;
	return sum;
}
