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

/* Cortex-M4 instructions of a kernel family: per MAC, per output element (elementwise
   work, epilogues, copies: bytes / 4), and per call. Measured with `make bench-nodes`
   on the zoo (see docs/rewrites.md); families not listed use the default row. */
static const struct {
	const char *family;
	double per_mac, per_elem, per_call;
} model[] = {
	{"conv", 4.3, 4.0, 400},
	{"conv_dw", 6.0, 6.0, 400},
	{"conv_1x1", 3.9, 4.0, 300},
	{"conv_transpose", 6.0, 4.0, 400},
	{"gemm", 5.2, 6.0, 200},
	{"matmul", 5.0, 4.0, 200},
	{"matmul_bt", 4.5, 4.0, 200},
	{NULL, 0, 12.0, 150}, /* elementwise, reductions, copies */
};

/* the family of a kernel: its name without "o2m_" and the type suffix */
static int family_row(int kernel)
{
	const char *name = kernel_table[kernel].name + 4, *end = strrchr(name, '_');
	size_t len = end ? (size_t)(end - name) : strlen(name);
	int i;

	for (i = 0; model[i].family; i++)
		if (strlen(model[i].family) == len && !strncmp(model[i].family, name, len))
			return i;
	return i;
}

IrCost ir_call_cost(const Graph *g, int node, int call)
{
	const Lowered *L = g->n[node].low;
	const KCall *c = &L->call[call];
	int row = family_row(c->kernel), first = 0;
	IrCost k = {0, 0, 0};
	int64_t elems = out_numel(g, node);

	/* the node's MACs belong to its first call of a MAC-counted family */
	while (first < L->ncall && !model[family_row(L->call[first].kernel)].family)
		first++;
	if (first == L->ncall)
		first = 0;
	if (call == first)
		k.macs = ir_node_macs(g, node);
	k.bytes = call == 0 ? ir_node_bytes(g, node) : 0;
	k.cycles = (int64_t)(model[row].per_call + model[row].per_mac * (double)k.macs +
			     model[row].per_elem * (double)(model[row].family ? elems
							      : (k.bytes ? k.bytes : elems * 4) / 4));
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
