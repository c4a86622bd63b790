/* run.c - whole-graph evaluation on the host: a lowered graph run again and again with the
   runtime-stub kernels (the generated code's), every buffer allocated once, so memory does
   not grow with the number of runs. A callback sees each tensor as it is written:
   calibration collects ranges with it. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

struct IrRun {
	Graph *g;
	void **buf;      /* per tensor: its values (constants: their data) */
	void ***scratch; /* per node: its scratch buffers */
	void *mem;       /* one block for all of them */
};

static size_t round16(int64_t n) { return ((size_t)n + 15) & ~(size_t)15; }

/* bytes of all buffers, or fills them from p when p is not NULL */
static size_t layout(IrRun *r, unsigned char *p)
{
	Graph *g = r->g;
	size_t at = 0;

	for (int t = 0; t < g->nt; t++) {
		if (ir_is_const(g, t) || (g->t[t].flags & (T_SEQ | T_OPT)))
			continue;
		if (p)
			r->buf[t] = p + at;
		at += round16(ir_nbytes(&g->t[t]) + 1);
	}
	for (int i = 0; i < g->nn; i++) {
		const Lowered *L = g->n[i].low;
		if (g->n[i].dead || !L)
			continue;
		for (int s = 0; s < L->nscratch; s++) {
			if (p)
				r->scratch[i][s] = p + at;
			at += round16(L->scratch[s] + 1);
		}
	}
	return at;
}

IrRun *ir_run_new(Graph *g)
{
	IrRun *r;

	if (!g->lowered)
		return NULL;
	r = calloc(1, sizeof *r);
	IR_ASSERT(r);
	r->g = g;
	r->buf = calloc((size_t)g->nt + 1, sizeof(void *));
	r->scratch = calloc((size_t)g->nn + 1, sizeof(void **));
	IR_ASSERT(r->buf && r->scratch);
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && g->n[i].low && g->n[i].low->nscratch) {
			r->scratch[i] = calloc((size_t)g->n[i].low->nscratch, sizeof(void *));
			IR_ASSERT(r->scratch[i]);
		}
	r->mem = calloc(layout(r, NULL) + 16, 1);
	IR_ASSERT(r->mem);
	layout(r, r->mem);
	for (int t = 0; t < g->nt; t++)
		if (ir_is_const(g, t))
			r->buf[t] = g->t[t].data;
	return r;
}

void ir_run_free(IrRun *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->g->nn; i++)
		free(r->scratch[i]);
	free(r->scratch);
	free(r->buf);
	free(r->mem);
	free(r);
}

const void *ir_run_data(const IrRun *r, int t) { return r->buf[t]; }

static int run_node(IrRun *r, int node)
{
	Graph *g = r->g;
	const Node *n = &g->n[node];
	const Lowered *L = n->low;
	void *in[IR_MAX_ARGS + 1], *out[IR_MAX_ARGS + 1];
	IrBufs b;

	if (n->nin > IR_MAX_ARGS || n->nout > IR_MAX_ARGS) {
		ir_error(g, node, "has more operands than the host evaluator takes");
		return -1;
	}
	for (int k = 0; k < n->nin; k++)
		in[k] = n->in[k] >= 0 ? r->buf[n->in[k]] : NULL;
	for (int k = 0; k < n->nout; k++)
		out[k] = n->out[k] >= 0 ? r->buf[n->out[k]] : NULL;
	for (int k = 0; k < n->nout; k++) { /* views: the host keeps a copy */
		int64_t off;
		if (ir_view_of(g, node, k, &off) >= 0)
			memcpy(out[k], (const char *)in[L->alias] + off, (size_t)ir_nbytes(&g->t[n->out[k]]));
	}
	b.in = in, b.out = out, b.scratch = r->scratch[node];
	return ir_call_all(g, node, L, &b);
}

int ir_run(IrRun *r, const void *const *inputs, IrTensorFn fn, void *ctx)
{
	Graph *g = r->g;

	for (int i = 0; i < g->ninputs; i++) {
		int t = g->inputs[i];
		memcpy(r->buf[t], inputs[i], (size_t)ir_nbytes(&g->t[t]));
		if (fn)
			fn(ctx, g, t, r->buf[t]);
	}
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		if (n->dead)
			continue;
		if (!n->low || run_node(r, i))
			return -1;
		for (int k = 0; fn && k < n->nout; k++)
			if (n->out[k] >= 0)
				fn(ctx, g, n->out[k], r->buf[n->out[k]]);
	}
	return 0;
}
