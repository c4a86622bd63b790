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

static void *arg(IrRun *r, int node, Arg a)
{
	const Node *n = &r->g->n[node];
	unsigned char *base = NULL;

	switch (a.kind) {
	case ARG_NONE: return NULL;
	case ARG_IN: base = n->in[a.index] >= 0 ? r->buf[n->in[a.index]] : NULL; break;
	case ARG_OUT: base = r->buf[n->out[a.index]]; break;
	case ARG_SCRATCH: base = r->scratch[node][a.index]; break;
	case ARG_CONST: base = (unsigned char *)(uintptr_t)n->low->cst[a.index].data; break;
	}
	return base ? base + a.offset : NULL;
}

static int run_node(IrRun *r, int node)
{
	Graph *g = r->g;
	const Node *n = &g->n[node];
	const Lowered *L = n->low;

	if (L->alias >= 0)
		memcpy(r->buf[n->out[0]], r->buf[n->in[L->alias]],
		       (size_t)ir_nbytes(&g->t[n->out[0]]));
	for (int c = 0; c < L->ncall; c++) {
		const KCall *call = &L->call[c];
		void *args[IR_MAX_ARGS];
		int rc;
		for (int a = 0; a < call->nargs; a++)
			args[a] = arg(r, node, call->arg[a]);
		rc = kernel_table[call->kernel].run(call->params, args);
		if (rc) {
			ir_error(g, node, "kernel %s failed with status %d",
				 kernel_table[call->kernel].name, rc);
			return -1;
		}
	}
	return 0;
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
