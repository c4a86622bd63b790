/* clone.c - a copy of a graph into an arena of its own, for the rewrite search and the
   rule tests: tensors, nodes with their attributes, the interface. Constant data is
   shared, not copied (it never changes once set: rewrites make new constants), so a
   clone must not outlive the graph it came from unless that graph is kept alive with it
   (ir_graph_keep). Lowerings and plans are not copied (a clone is of a graph before
   pass_lower); subgraph attributes keep pointing at the original's subgraphs. */
#include "ir.h"

#include <string.h>

#define DUP(a, p, n) ((p) ? arena_memdup((a), (p), sizeof *(p) * (size_t)(n)) : NULL)

static const char *dup_str(Arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

static void clone_tensor(Arena *a, Tensor *t)
{
	t->name = dup_str(a, t->name);
	t->quant.scale = DUP(a, t->quant.scale, t->quant.n);
	t->quant.zero_point = DUP(a, t->quant.zero_point, t->quant.n);
	t->elem = DUP(a, t->elem, t->nelem + 1);
}

static void clone_attr(Arena *a, Attr *x)
{
	x->name = dup_str(a, x->name);
	x->s = dup_str(a, x->s);
	x->ints = DUP(a, x->ints, x->n);
	x->floats = DUP(a, x->floats, x->n);
	if (x->strs) {
		const char **s = arena_alloc(a, sizeof *s * (size_t)(x->n + 1));
		for (int i = 0; i < x->n; i++)
			s[i] = dup_str(a, x->strs[i]);
		x->strs = s;
	}
}

static void clone_node(Arena *a, Node *n)
{
	n->name = dup_str(a, n->name);
	n->op_type = dup_str(a, n->op_type);
	n->fused = dup_str(a, n->fused);
	n->in = DUP(a, n->in, n->nin ? n->nin : 1);
	n->out = DUP(a, n->out, n->nout ? n->nout : 1);
	n->attr = DUP(a, n->attr, n->nattr);
	for (int i = 0; i < n->nattr; i++)
		clone_attr(a, &n->attr[i]);
	n->low = NULL;
}

Graph *ir_graph_clone(const Graph *g)
{
	Graph *c = ir_graph_new(g->path);
	Arena *a = &c->arena;

	c->diag = g->diag;
	c->t = DUP(a, g->t, g->capt), c->nt = g->nt, c->capt = g->capt;
	for (int i = 0; i < c->nt; i++)
		clone_tensor(a, &c->t[i]);
	c->n = DUP(a, g->n, g->capn), c->nn = g->nn, c->capn = g->capn;
	for (int i = 0; i < c->nn; i++)
		clone_node(a, &c->n[i]);
	c->inputs = DUP(a, g->inputs, g->capin), c->ninputs = g->ninputs, c->capin = g->capin;
	c->outputs = DUP(a, g->outputs, g->capout), c->noutputs = g->noutputs;
	c->capout = g->capout;
	c->declared = DUP(a, g->declared, g->ndeclared), c->ndeclared = g->ndeclared;
	for (int i = 0; i < c->ndeclared; i++)
		c->declared[i] = dup_str(a, c->declared[i]);
	c->invals = DUP(a, g->invals, g->ndeclared);
	c->outvals = DUP(a, g->outvals, g->noutvals), c->noutvals = g->noutvals;
	for (int i = 0; c->invals && i < c->ndeclared; i++)
		c->invals[i].name = dup_str(a, c->invals[i].name);
	for (int i = 0; c->outvals && i < c->noutvals; i++)
		c->outvals[i].name = dup_str(a, c->outvals[i].name);
	c->parent = g->parent;
	c->quantized = g->quantized;
	c->target = g->target;
	c->scratch_limit = g->scratch_limit;
	c->patch_bands = g->patch_bands;
	c->patched = g->patched;
	c->patch_note = g->patch_note;
	c->sched = g->sched;
	c->int8_compact = g->int8_compact;
	c->io_in_arena = g->io_in_arena;
	c->const_bytes = g->const_bytes;
	c->outer = DUP(a, g->outer, g->capouter), c->nouter = g->nouter;
	c->capouter = g->capouter;
	return c;
}
