/* flow.c - the flow pass: resolves control flow, sequences and optionals at compile
   time. It walks the nodes in order, inferring and folding each (fold_node), so that an
   If's condition or a Loop's trip count is a constant when the node is reached; those
   nodes are replaced by copies of their subgraphs, and sequences become lists of
   tensors. Graph outputs that are sequences or optionals become their tensors. */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

void flow_kill(Graph *g, int node)
{
	Node *n = &g->n[node];

	n->dead = 1;
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0 && g->t[n->out[k]].producer == node)
			g->t[n->out[k]].producer = -1;
}

const Graph *flow_body(Graph *g, int node, const char *name, int *base)
{
	const Attr *a = ir_attr(g, node, name);

	if (!a || a->kind != A_GRAPH || !a->graph) {
		ir_error(g, node, "has no subgraph '%s'", name);
		return NULL;
	}
	*base = (int)a->i;
	return a->graph;
}

int flow_nformal(const Graph *g, int node) { return g->n[node].nin - g->n[node].nimplicit; }

int flow_scalar(Graph *g, int node, int k, const char *what, int64_t *v)
{
	int t = ir_in(g, node, k);

	if (t < 0 || !ir_is_const(g, t) || ir_numel(&g->t[t]) != 1) {
		ir_error(g, node, "%s ('%s') must be a scalar known at compile time: the generated "
			 "code has no control flow", what, t >= 0 ? g->t[t].name : "");
		return -1;
	}
	*v = dt_get_i64(g->t[t].dtype, g->t[t].data, 0);
	return 0;
}

/* names end with the id of the tensor made, so each is unique (validate --per-node
   matches tensors by name) */
static int new_node(Graph *g, int node, OpKind op, const char *what, int nin, const int *in,
		    int out)
{
	const char *name = arena_printf(&g->arena, "%s/%s_%d", g->n[node].name, what,
					out < 0 ? g->nt : out);
	int id = ir_node_new(g, op, name, nin, 1);

	if (out < 0)
		out = ir_tensor_new(g, name);
	g->n[id].opset = FLOW_OPSET;
	memcpy(g->n[id].in, in, sizeof(int) * (size_t)nin);
	g->n[id].out[0] = out;
	g->t[out].producer = id;
	return id;
}

int flow_op_axis(Graph *g, int node, OpKind op, const char *what, int nin, const int *in,
		 int64_t axis)
{
	int id = new_node(g, node, op, what, nin, in, -1);

	ir_attr_set_int(g, id, "axis", axis);
	flow_visit(g, id);
	return g->n[id].out[0];
}

int flow_op(Graph *g, int node, OpKind op, const char *what, int nin, const int *in)
{
	int id = new_node(g, node, op, what, nin, in, -1);

	flow_visit(g, id);
	return g->n[id].out[0];
}

int flow_i64(Graph *g, int node, int n, const int64_t *v)
{
	int64_t d = n;

	return ir_const_new(g, arena_printf(&g->arena, "%s/const_%d", g->n[node].name, g->nt), DT_S64,
			    n < 0 ? 0 : 1, &d, v);
}

void flow_bind(Graph *g, int node, int out, int value)
{
	const Tensor *v = &g->t[value];

	if (ir_is_list(g, value)) {
		if (v->flags & T_SEQ)
			ir_set_seq(g, out, v->dtype, v->elem, v->nelem);
		else
			ir_set_opt(g, out, v->dtype, v->nelem ? v->elem[0] : -1);
		return;
	}
	flow_visit(g, new_node(g, node, OP_IDENTITY, g->t[out].name, 1, &value, out));
}

int flow_stack(Graph *g, int node, const int *ts, int n, int axis, int rev)
{
	int64_t ax = axis;
	int *u = malloc(sizeof(int) * (size_t)(n + 1)), y;

	IR_ASSERT(u);
	if (!n) {
		ir_error(g, node, "stacks no values: an empty result has no known shape");
		free(u);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int in[2] = {ts[rev ? n - 1 - i : i], flow_i64(g, node, 1, &ax)};
		u[i] = flow_op(g, node, OP_UNSQUEEZE, "unsqueeze", 2, in);
	}
	y = n == 1 ? u[0] : flow_op_axis(g, node, OP_CONCAT, "stack", n, u, ax);
	free(u);
	return y;
}

/* ---- copying a subgraph ---- */

typedef struct {
	Graph *g;
	const Graph *sub;
	int *map;            /* sub tensor -> graph tensor; -2 while not made */
	const char *prefix, *tag;
} Copy;

static int copy_tensor(Copy *c, int t)
{
	const Tensor *s;
	const char *name;

	if (t < 0)
		return -1;
	if (c->map[t] != -2)
		return c->map[t];
	s = &c->sub->t[t];
	name = arena_printf(&c->g->arena, "%s%s%s", c->prefix, s->name, c->tag);
	if (s->flags & T_CONST)
		c->map[t] = ir_const_new(c->g, name, s->dtype, s->rank, s->dims, s->data);
	else
		c->map[t] = ir_tensor_new(c->g, name);
	return c->map[t];
}

static int copy_node(Copy *c, int i)
{
	const Node *s = &c->sub->n[i];
	Graph *g = c->g;
	int id = ir_node_new(g, s->op, arena_printf(&g->arena, "%s%s", s->name, c->tag), s->nin,
			     s->nout);
	Node *n = &g->n[id];
	Attr *attr = arena_memdup(&g->arena, s->attr, sizeof(Attr) * (size_t)(s->nattr + 1));

	n->opset = s->opset;
	n->nattr = s->nattr;
	n->nimplicit = s->nimplicit;
	n->attr = attr;
	for (int k = 0; k < s->nattr; k++)
		if (attr[k].kind == A_TENSOR)
			attr[k].tensor = copy_tensor(c, attr[k].tensor);
	for (int k = 0; k < s->nin; k++)
		g->n[id].in[k] = copy_tensor(c, s->in[k]);
	for (int k = 0; k < s->nout; k++) {
		int t = copy_tensor(c, s->out[k]);
		g->n[id].out[k] = t;
		if (t >= 0)
			g->t[t].producer = id;
	}
	return id;
}

int *flow_splice(Graph *g, int node, int base, const Graph *sub, const int *actual,
		 const char *tag)
{
	Copy c = {g, sub, malloc(sizeof(int) * (size_t)(sub->nt + 1)), NULL, tag};
	int *out = malloc(sizeof(int) * (size_t)(sub->noutputs + 1)), errors = g->nerrors;

	IR_ASSERT(c.map && out);
	c.prefix = arena_printf(&g->arena, "%s/", g->n[node].name);
	for (int t = 0; t < sub->nt; t++)
		c.map[t] = -2;
	for (int i = 0; i < sub->ninputs; i++)
		c.map[sub->inputs[i]] = actual[i];
	for (int k = 0; k < sub->nouter; k++)
		c.map[sub->outer[k]] = g->n[node].in[base + k];
	for (int i = 0; i < sub->nn && g->nerrors == errors; i++) {
		if (sub->n[i].dead)
			continue;
		if (g->nn >= FLOW_MAX_NODES) {
			ir_error(g, node, "expands to more than %d nodes", FLOW_MAX_NODES);
			break;
		}
		flow_visit(g, copy_node(&c, i));
	}
	for (int i = 0; i < sub->noutputs; i++)
		out[i] = copy_tensor(&c, sub->outputs[i]);
	free(c.map);
	if (g->nerrors != errors) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- the walk ---- */

/* an input left unknown: a sequence input without a layout, or an earlier error */
static int inputs_known(Graph *g, int node)
{
	const Node *n = &g->n[node];

	for (int k = 0; k < n->nin; k++) {
		const Tensor *t = n->in[k] >= 0 ? &g->t[n->in[k]] : NULL;
		if (!t || (t->flags & T_SHAPED))
			continue;
		if ((t->flags & (T_SEQ | T_OPT)) && t->producer < 0)
			ir_error(g, node, "input '%s' is a sequence or an optional whose length is "
				 "not known: give it with --seq (see docs/cli.md)", t->name);
		return 0;
	}
	return 1;
}

static int is_list_identity(Graph *g, int node)
{
	return g->n[node].op == OP_IDENTITY && ir_is_list(g, ir_in(g, node, 0));
}

void flow_visit(Graph *g, int node)
{
	OpKind op = g->n[node].op;

	if (g->n[node].dead || !inputs_known(g, node))
		return;
	switch (op) {
	case OP_IF: flow_if(g, node); return;
	case OP_LOOP: flow_loop(g, node); return;
	case OP_SCAN: flow_scan(g, node); return;
	case OP_SEQUENCE_MAP: flow_seq_map(g, node); return;
	case OP_SEQUENCE_AT: flow_seq_at(g, node); return;
	case OP_OPTIONAL_GET_ELEMENT: flow_get_element(g, node); return;
	case OP_CONCAT_FROM_SEQUENCE: flow_concat_seq(g, node); return;
	case OP_SPLIT_TO_SEQUENCE: flow_split_seq(g, node); return;
	default: break;
	}
	if (is_list_identity(g, node)) {
		flow_bind(g, node, g->n[node].out[0], g->n[node].in[0]);
		flow_kill(g, node);
		return;
	}
	if (fold_node(g, node) == 0 && (op_info[op].flags & OPF_FLOW))
		flow_kill(g, node);
}

/* ---- graph outputs ---- */

/* the tensors of output `name` (a list, or a tensor); a tensor made for the output alone
   is named after it: "ys[0]" */
static void add_elems(Graph *g, int t, const char *name)
{
	Tensor *x = &g->t[t];

	if (!ir_is_list(g, t)) {
		if (x->producer >= 0 && !(x->flags & (T_OUTPUT | T_INPUT | T_CONST)))
			x->name = name;
		ir_output_add(g, t);
		return;
	}
	x->flags &= ~(unsigned)T_OUTPUT;
	for (int i = 0; i < x->nelem; i++)
		add_elems(g, x->elem[i], x->flags & T_SEQ ? arena_printf(&g->arena, "%s[%d]", name, i)
							  : name);
}

/* a sequence or optional output is its tensors, each an argument of its own */
static void flow_outputs(Graph *g)
{
	int *outs = g->outputs, n = g->noutputs;

	if (n != g->noutvals)
		return; /* an earlier error */
	g->outputs = NULL;
	g->noutputs = g->capout = 0;
	for (int i = 0; i < n; i++) {
		IoValue *ov = &g->outvals[i];
		const Tensor *x = &g->t[outs[i]];
		if (!(x->flags & T_SHAPED))
			ir_error(g, -1, "output '%s' is a sequence or an optional whose length is not "
				 "known: give it with --seq (see docs/cli.md)", ov->name);
		ov->first = g->noutputs;
		if (ir_is_list(g, outs[i]) && (x->flags & T_OPT))
			ov->present = x->nelem > 0;
		add_elems(g, outs[i], g->t[outs[i]].name);
		ov->count = g->noutputs - ov->first;
	}
}

void pass_flow(Graph *g)
{
	int n0 = g->nn;

	for (int i = 0; i < n0; i++)
		flow_visit(g, i);
	if (!g->nerrors)
		flow_outputs(g);
	ir_toposort(g);
}
