/* lower.c - lowers every live node to kernel calls once, for the planner and codegen.
   The lowering hangs on the node, so reordering nodes afterwards keeps it. */
#include "passes.h"

void pass_lower(Graph *g)
{
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		g->n[i].low = arena_alloc(&g->arena, sizeof(Lowered));
		ir_lower_node(g, i, g->n[i].low);
	}
	g->lowered = 1;
}
