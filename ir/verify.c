/* verify.c - checks the invariants every pass must keep: ids in range, one producer
   per tensor, topological order, shapes and dtypes known, constants carry data. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...)                                                 \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "verify after %s: ", after);     \
			fprintf(stderr, __VA_ARGS__);                    \
			fputc('\n', stderr);                             \
			bad++;                                           \
		}                                                        \
	} while (0)

/* a node a rewrite made: its shape function, run again, gives the shapes its outputs
   carry (the builder wired existing tensors to it) */
static int shapes_agree(Graph *g, int node)
{
	const Node *n = &g->n[node];
	Tensor keep[4];
	int nk = n->nout < 4 ? n->nout : 4, same = 1, errors = g->nerrors;

	for (int k = 0; k < nk; k++)
		if (n->out[k] >= 0)
			keep[k] = g->t[n->out[k]];
	if (op_info[n->op].shape(g, node) || g->nerrors > errors)
		same = 0;
	g->nerrors = errors;
	for (int k = 0; k < nk; k++) {
		Tensor *t = n->out[k] >= 0 ? &g->t[n->out[k]] : NULL;
		if (!t)
			continue;
		same &= t->dtype == keep[k].dtype && t->rank == keep[k].rank &&
			!memcmp(t->dims, keep[k].dims, sizeof(int64_t) * (size_t)t->rank);
		*t = keep[k];
	}
	return same;
}

int ir_verify(Graph *g, const char *after)
{
	int bad = 0;
	int *defined = calloc((size_t)g->nt + 1, sizeof(int));

	IR_ASSERT(defined);
	for (int t = 0; t < g->nt; t++) {
		const Tensor *x = &g->t[t];
		defined[t] = x->producer < 0;
		CHECK(x->producer < g->nn, "tensor %d '%s' has producer %d out of range", t,
		      x->name, x->producer);
		CHECK(!(x->flags & T_CONST) || x->data, "constant '%s' has no data", x->name);
		CHECK(x->rank >= 0 && x->rank <= IR_MAX_RANK, "tensor '%s' has rank %d",
		      x->name, x->rank);
		CHECK(ir_quant_ok(x), "tensor '%s' (%s) has quantization parameters that do not "
		      "fit it", x->name, dt_name(x->dtype));
	}
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		if (n->dead)
			continue;
		CHECK(n->op < OP_COUNT, "node %d has op %d", i, (int)n->op);
		CHECK(!n->fused || n->op >= OP_COUNT || (op_info[n->op].flags & OPF_FLOW) ||
		      shapes_agree(g, i), "node '%s' (%s, made by a rewrite): its outputs' shapes "
		      "are not what its shape function infers", n->name, n->op_type);
		for (int k = 0; k < n->nin; k++) {
			int t = n->in[k];
			if (t < 0)
				continue;
			CHECK(t >= g->nt || !(op_info[n->op].flags & OPF_QUANT) ||
			      !dt_is_int(g->t[t].dtype) || g->t[t].quant.n || g->t[t].dtype == DT_S32 ||
		      g->t[t].dtype == DT_S64, /* biases: int32, int64 for int16 activations */
			      "node '%s' (%s) input '%s' has no quantization parameters", n->name,
			      n->op_type, g->t[t].name);
			CHECK(t < g->nt, "node '%s' input %d is tensor %d out of range", n->name, k, t);
			if (t < g->nt) {
				CHECK(defined[t], "node '%s' reads '%s' before it is produced",
				      n->name, g->t[t].name);
				CHECK(g->t[t].flags & T_SHAPED, "node '%s' input '%s' has no shape",
				      n->name, g->t[t].name);
			}
		}
		for (int k = 0; k < n->nout; k++) {
			int t = n->out[k];
			if (t < 0)
				continue;
			CHECK(t < g->nt && g->t[t].producer == i, "node '%s' output %d: producer "
			      "link broken", n->name, k);
			if (t < g->nt) {
				defined[t] = 1;
				CHECK(g->t[t].flags & T_SHAPED, "node '%s' output '%s' has no shape",
				      n->name, g->t[t].name);
				CHECK(!(g->t[t].flags & T_INPUT), "node '%s' writes graph input '%s'",
				      n->name, g->t[t].name);
			}
		}
	}
	for (int i = 0; i < g->noutputs; i++) {
		int t = g->outputs[i];
		CHECK(t >= 0 && t < g->nt && (g->t[t].flags & T_SHAPED),
		      "graph output %d has no shape", i);
	}
	for (int i = 0; i < g->ninputs; i++)
		CHECK(g->t[g->inputs[i]].flags & T_INPUT, "graph input %d lost its flag", i);
	free(defined);
	return bad ? -1 : 0;
}
