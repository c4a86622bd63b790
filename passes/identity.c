/* identity.c - removes nodes whose output is their input unchanged (Identity, Dropout at
   inference, a Cast to the same type, a Reshape to the same shape, ...): consumers read
   the input directly. Found through the lowering: an alias with the input's shape. */
#include "passes.h"

void pass_identity(Graph *g)
{
	for (int i = 0; i < g->nn; i++) {
		Node *n = &g->n[i];
		Lowered L;
		int x, y;
		if (n->dead || n->nin < 1 || n->in[0] < 0 || n->out[0] < 0)
			continue;
		x = n->in[0];
		y = n->out[0];
		if ((g->t[y].flags & T_OUTPUT) || !ir_same_shape(g, x, y))
			continue;
		if (ir_lower_node(g, i, &L) || L.alias != 0 || L.ncall)
			continue;
		for (int k = 1; k < n->nout; k++) /* other outputs (a Dropout mask) must be unused */
			if (n->out[k] >= 0 && (ir_consumers(g, n->out[k], NULL, 0) ||
					       (g->t[n->out[k]].flags & T_OUTPUT)))
				goto keep;
		ir_replace_uses(g, y, x);
		n->dead = 1;
		g->t[y].producer = -1;
keep:;
	}
	ir_toposort(g);
}
