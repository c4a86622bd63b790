/* eval.c - evaluates one node on the host with the runtime-stub kernels, exactly as the
   generated code will run it. Inputs are read from tensor data (constants, or values
   the caller put there); outputs get fresh data in the graph arena. */
#include "ir.h"

#include <string.h>

static void *arg_ptr(const Lowered *L, const IrBufs *b, Arg a)
{
	unsigned char *base = NULL;

	switch (a.kind) {
	case ARG_NONE: return NULL;
	case ARG_IN: base = b->in[a.index]; break;
	case ARG_OUT: base = b->out[a.index]; break;
	case ARG_SCRATCH: base = b->scratch[a.index]; break;
	case ARG_CONST: base = (unsigned char *)(uintptr_t)L->cst[a.index].data; break;
	}
	return base ? base + a.offset : NULL;
}

int ir_call_all(Graph *g, int node, const Lowered *L, const IrBufs *b)
{
	for (int c = 0; c < L->ncall; c++) {
		const KCall *call = &L->call[c];
		void *args[IR_MAX_ARGS];
		int rc;
		for (int a = 0; a < call->nargs; a++)
			args[a] = arg_ptr(L, b, call->arg[a]);
		rc = kernel_table[call->kernel].run(call->params, args);
		if (rc) {
			ir_error(g, node, "kernel %s failed with status %d",
				 kernel_table[call->kernel].name, rc);
			return -1;
		}
	}
	return 0;
}

int ir_eval_node(Graph *g, int node)
{
	Node *n = &g->n[node];
	Lowered L;
	void **scratch;

	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && !g->t[n->in[k]].data)
			return -1;
	if (ir_lower_node(g, node, &L))
		return -1;
	for (int k = 0; k < n->nout; k++) {
		Tensor *t;
		if (n->out[k] < 0)
			continue;
		t = &g->t[n->out[k]];
		t->data = arena_alloc(&g->arena, (size_t)ir_nbytes(t) + 1);
	}
	for (int k = 0; k < n->nout; k++) { /* views, as copies */
		int64_t off;
		if (n->out[k] >= 0 && ir_lowered_view(&L, k, &off) >= 0)
			memcpy(g->t[n->out[k]].data, (const char *)g->t[n->in[L.alias]].data + off,
			       (size_t)ir_nbytes(&g->t[n->out[k]]));
	}
	scratch = arena_alloc(&g->arena, sizeof(void *) * (size_t)(L.nscratch + 1));
	for (int s = 0; s < L.nscratch; s++)
		scratch[s] = arena_alloc(&g->arena, (size_t)L.scratch[s] + 1);
	{
		void **in = arena_alloc(&g->arena, sizeof(void *) * (size_t)(n->nin + 1));
		void **out = arena_alloc(&g->arena, sizeof(void *) * (size_t)(n->nout + 1));
		IrBufs b;
		for (int k = 0; k < n->nin; k++)
			in[k] = n->in[k] >= 0 ? g->t[n->in[k]].data : NULL;
		for (int k = 0; k < n->nout; k++)
			out[k] = n->out[k] >= 0 ? g->t[n->out[k]].data : NULL;
		b.in = in, b.out = out, b.scratch = scratch;
		return ir_call_all(g, node, &L, &b);
	}
}
