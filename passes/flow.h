/* flow.h - shared by the files of the flow pass: flow.c (the walk, splicing subgraphs,
   graph outputs), flow_seq.c (If, sequences and optionals), flow_loop.c (Loop, Scan,
   SequenceMap). */
#ifndef PASSES_FLOW_H
#define PASSES_FLOW_H

#include "passes.h"

#define FLOW_MAX_NODES (2 * ir_max_nodes) /* unrolling stops with an error beyond this */
#define FLOW_MAX_TRIPS 4096      /* and beyond this many iterations of one loop */
#define FLOW_OPSET 18            /* of the nodes the pass makes: inputs, not attributes */

/* infers, folds, rewrites or expands one node, and whatever that adds */
void flow_visit(Graph *g, int node);

/* Copies subgraph `sub` of node `node` into the graph and visits the copies. Its inputs
   take the tensors actual[0..sub->ninputs), its enclosing values the node's inputs
   from `base` on; `tag` ends the copies' names. Returns the tensors of its outputs
   (malloc'd), or NULL after an error. */
int *flow_splice(Graph *g, int node, int base, const Graph *sub, const int *actual,
		 const char *tag);

/* a new node op(in[0..nin)) named "<node's name>/what" writing a new tensor, visited;
   returns its output */
int flow_op(Graph *g, int node, OpKind op, const char *what, int nin, const int *in);
/* the same with an "axis" attribute (Concat, Gather) */
int flow_op_axis(Graph *g, int node, OpKind op, const char *what, int nin, const int *in,
		 int64_t axis);
int flow_i64(Graph *g, int node, int n, const int64_t *v); /* int64 [n], or scalar for n < 0 */
/* makes `out` hold what `value` holds: the same list, or an Identity copy of a tensor */
void flow_bind(Graph *g, int node, int out, int value);
/* ts[0..n) stacked along a new axis (in reverse order when rev); -1 after an error */
int flow_stack(Graph *g, int node, const int *ts, int n, int axis, int rev);
/* the node is done: its outputs hold lists or constants, or other nodes produce them */
void flow_kill(Graph *g, int node);
/* the subgraph attribute `name`, with where its enclosing values start among the inputs */
const Graph *flow_body(Graph *g, int node, const char *name, int *base);
int flow_nformal(const Graph *g, int node); /* inputs before the implicit ones */
/* an input that must be a compile-time scalar: its value in *v, 0 on success */
int flow_scalar(Graph *g, int node, int k, const char *what, int64_t *v);

void flow_if(Graph *g, int node);
void flow_seq_at(Graph *g, int node);
void flow_get_element(Graph *g, int node);
void flow_concat_seq(Graph *g, int node);
void flow_split_seq(Graph *g, int node);
void flow_loop(Graph *g, int node);
void flow_scan(Graph *g, int node);
void flow_seq_map(Graph *g, int node);

#endif
