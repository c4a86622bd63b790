/* ir_build.h - building small graphs in the unit tests: a node with new output tensors,
   its output, and a node found by name. */
#ifndef TEST_IR_BUILD_H
#define TEST_IR_BUILD_H

#include <string.h>

#include "../../ir/ir.h"

/* a node of op over in[0..nin) (-1: left out) with nout new outputs named after it */
static inline int tb_node(Graph *g, OpKind op, const char *name, const int *in, int nin, int nout)
{
	int n = ir_node_new(g, op, name, nin, nout);

	for (int k = 0; k < nin; k++)
		g->n[n].in[k] = in[k];
	for (int k = 0; k < nout; k++)
		g->n[n].out[k] = ir_tensor_new(g, name);
	return n;
}

/* the output of a new one-output node (the node array may move: read it after the call) */
static inline int tb_out(Graph *g, OpKind op, const char *name, const int *in, int nin)
{
	int n = tb_node(g, op, name, in, nin, 1);

	return g->n[n].out[0];
}

/* the node named name in the graph's order now, or -1 */
static inline int tb_at(const Graph *g, const char *name)
{
	for (int i = 0; i < g->nn; i++)
		if (!strcmp(g->n[i].name, name))
			return i;
	return -1;
}

#endif
