/* graph.c - creating and editing graphs: tensors, nodes, graph inputs and outputs,
   attributes, consumers, topological order. Arrays grow inside the graph's arena. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

Graph *ir_graph_new(const char *path)
{
	Graph *g = calloc(1, sizeof *g);

	IR_ASSERT(g);
	g->path = path ? arena_strdup(&g->arena, path) : NULL;
	g->scratch_limit = -1;
	return g;
}

void ir_graph_free(Graph *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->nsub; i++)
		ir_graph_free(g->sub[i]);
	for (int i = 0; i < g->nkeep; i++)
		ir_graph_free(g->keep[i]);
	arena_free(&g->arena);
	free(g);
}

void ir_graph_keep(Graph *g, Graph *other)
{
	ARENA_GROW(&g->arena, g->keep, g->nkeep, g->capkeep, 16);
	g->keep[g->nkeep++] = other;
}

Graph *ir_subgraph_new(Graph *parent)
{
	Graph *s = ir_graph_new(parent->path);

	s->parent = parent;
	s->diag = parent->diag;
	s->target = parent->target;
	s->scratch_limit = parent->scratch_limit;
	ARENA_GROW(&parent->arena, parent->sub, parent->nsub, parent->capsub, 64);
	parent->sub[parent->nsub++] = s;
	return s;
}

int ir_outer_add(Graph *sub, const char *name)
{
	int t = ir_tensor_new(sub, name);

	ARENA_GROW(&sub->arena, sub->outer, sub->nouter, sub->capouter, 64);
	sub->outer[sub->nouter++] = t;
	sub->t[t].flags |= T_OUTER;
	return t;
}

int ir_tensor_new(Graph *g, const char *name)
{
	Tensor *t;

	ARENA_GROW(&g->arena, g->t, g->nt, g->capt, 64);
	t = &g->t[g->nt];
	memset(t, 0, sizeof *t);
	t->name = arena_strdup(&g->arena, name ? name : "");
	t->producer = -1;
	return g->nt++;
}

int ir_tensor_find(const Graph *g, const char *name)
{
	for (int i = g->nt - 1; i >= 0; i--)
		if (strcmp(g->t[i].name, name) == 0)
			return i;
	return -1;
}

void ir_set_shape(Graph *g, int id, DType dt, int rank, const int64_t *dims)
{
	Tensor *t = &g->t[id];

	IR_ASSERT(rank >= 0 && rank <= IR_MAX_RANK);
	t->dtype = dt;
	t->rank = rank;
	for (int i = 0; i < rank; i++)
		t->dims[i] = dims[i];
	t->flags |= T_SHAPED;
}

void ir_set_seq(Graph *g, int t, DType dt, const int *elem, int n)
{
	Tensor *x = &g->t[t];

	x->dtype = dt;
	x->rank = 0;
	x->flags = (x->flags & ~(unsigned)T_OPT) | T_SEQ | T_SHAPED;
	x->elem = arena_alloc(&g->arena, sizeof(int) * (size_t)(n + 1));
	if (n)
		memcpy(x->elem, elem, sizeof(int) * (size_t)n);
	x->nelem = n;
}

void ir_set_opt(Graph *g, int t, DType dt, int elem)
{
	ir_set_seq(g, t, dt, &elem, elem >= 0);
	g->t[t].flags = (g->t[t].flags & ~(unsigned)T_SEQ) | T_OPT;
}

int ir_is_list(const Graph *g, int t) { return t >= 0 && (g->t[t].flags & (T_SEQ | T_OPT)); }

int ir_const_new(Graph *g, const char *name, DType dt, int rank, const int64_t *dims,
		 const void *data)
{
	int id = ir_tensor_new(g, name);
	Tensor *t = &g->t[id];

	ir_set_shape(g, id, dt, rank, dims);
	t->flags |= T_CONST;
	t->data = arena_memdup(&g->arena, data, (size_t)ir_nbytes(t));
	return id;
}

int ir_node_new(Graph *g, OpKind op, const char *name, int nin, int nout)
{
	Node *n;

	ARENA_GROW(&g->arena, g->n, g->nn, g->capn, 64);
	n = &g->n[g->nn];
	memset(n, 0, sizeof *n);
	n->op = op;
	n->op_type = op < OP_COUNT ? op_info[op].name : "?";
	n->name = arena_strdup(&g->arena, name ? name : "");
	n->nin = nin;
	n->nout = nout;
	n->in = arena_alloc(&g->arena, sizeof(int) * (size_t)(nin ? nin : 1));
	n->out = arena_alloc(&g->arena, sizeof(int) * (size_t)(nout ? nout : 1));
	for (int i = 0; i < nin; i++)
		n->in[i] = -1;
	for (int i = 0; i < nout; i++)
		n->out[i] = -1;
	n->opset = 0;
	return g->nn++;
}

void ir_input_add(Graph *g, int t)
{
	ARENA_GROW(&g->arena, g->inputs, g->ninputs, g->capin, 64);
	g->inputs[g->ninputs++] = t;
	g->t[t].flags |= T_INPUT;
}

void ir_output_add(Graph *g, int t)
{
	ARENA_GROW(&g->arena, g->outputs, g->noutputs, g->capout, 64);
	g->outputs[g->noutputs++] = t;
	g->t[t].flags |= T_OUTPUT;
}

int64_t ir_numel(const Tensor *t)
{
	int64_t n = 1;
	for (int i = 0; i < t->rank; i++)
		n *= t->dims[i];
	return n;
}

int64_t ir_dims_numel(int rank, const int64_t *dims, int64_t max)
{
	int64_t n = 1;
	int empty = 0;

	for (int i = 0; i < rank; i++)
		if (dims[i] < 0 || dims[i] > max) /* even when empty: dims are added up */
			return -1;
	for (int i = 0; i < rank; i++) { /* even when empty: products of some dims are */
		empty |= dims[i] == 0;      /* taken (strides, [outer, n, inner] views) */
		if (dims[i] && n > max / dims[i])
			return -1;
		n *= dims[i] ? dims[i] : 1;
	}
	return empty ? 0 : n;
}

int64_t ir_nbytes(const Tensor *t) { return ir_numel(t) * dt_size(t->dtype); }

int ir_is_const(const Graph *g, int t) { return t >= 0 && (g->t[t].flags & T_CONST); }

int ir_same_shape(const Graph *g, int a, int b)
{
	const Tensor *x = &g->t[a], *y = &g->t[b];

	if (x->rank != y->rank || x->dtype != y->dtype)
		return 0;
	for (int i = 0; i < x->rank; i++)
		if (x->dims[i] != y->dims[i])
			return 0;
	return 1;
}

int ir_consumers(const Graph *g, int t, int *nodes, int max)
{
	int count = 0;

	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		if (n->dead)
			continue;
		for (int k = 0; k < n->nin; k++) {
			if (n->in[k] == t) {
				if (count < max)
					nodes[count] = i;
				count++;
				break;
			}
		}
	}
	return count;
}

int ir_replace_uses(Graph *g, int from, int to)
{
	int count = 0;

	for (int i = 0; i < g->nn; i++)
		for (int k = 0; k < g->n[i].nin; k++)
			if (g->n[i].in[k] == from)
				g->n[i].in[k] = to, count++;
	return count;
}

void ir_replace_value(Graph *g, int from, int to)
{
	int n = ir_replace_uses(g, from, to);

	for (int i = 0; i < g->noutputs; i++) {
		if (g->outputs[i] != from)
			continue;
		g->outputs[i] = to;
		g->t[to].flags |= T_OUTPUT;
		g->t[to].name = g->t[from].name;
		g->t[from].flags &= ~(unsigned)T_OUTPUT;
		g->t[from].name = arena_printf(&g->arena, "%s.replaced", g->t[from].name);
		n++;
	}
	if (g->use) {
		g->use[to] += n;
		g->use[from] -= n;
	}
}

void ir_uses(Graph *g)
{
	g->capuse = g->capt + 1;
	g->use = arena_alloc(&g->arena, sizeof(int) * (size_t)g->capuse);
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0)
				g->use[g->n[i].in[k]]++;
	for (int i = 0; i < g->noutputs; i++)
		g->use[g->outputs[i]]++;
}

void ir_uses_fit(Graph *g)
{
	int *u;

	if (!g->use || g->nt <= g->capuse)
		return;
	u = arena_alloc(&g->arena, sizeof(int) * (size_t)(2 * g->nt));
	memcpy(u, g->use, sizeof(int) * (size_t)g->capuse);
	g->use = u;
	g->capuse = 2 * g->nt;
}

void ir_reorder(Graph *g, const int *order, int n)
{
	Node *nn = arena_alloc(&g->arena, sizeof *nn * (size_t)(g->capn ? g->capn : 1));

	for (int i = 0; i < n; i++)
		nn[i] = g->n[order[i]];
	g->n = nn;
	g->nn = n;
	for (int t = 0; t < g->nt; t++)
		g->t[t].producer = -1;
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; k < g->n[i].nout; k++)
			if (g->n[i].out[k] >= 0)
				g->t[g->n[i].out[k]].producer = i;
}

/* Kahn's algorithm over live nodes, stable: ready nodes run in their current order. */
void ir_toposort(Graph *g)
{
	int *order = calloc((size_t)g->nn + 1, sizeof(int));
	int *done = calloc((size_t)g->nt + 1, sizeof(int));
	int *placed = calloc((size_t)g->nn + 1, sizeof(int));
	int nlive = 0, norder = 0, progress = 1;

	IR_ASSERT(order && done && placed);
	for (int t = 0; t < g->nt; t++)
		done[t] = g->t[t].producer < 0 || g->n[g->t[t].producer].dead;
	for (int i = 0; i < g->nn; i++)
		nlive += !g->n[i].dead;
	while (norder < nlive && progress) {
		progress = 0;
		for (int i = 0; i < g->nn; i++) {
			Node *n = &g->n[i];
			int ready = !n->dead && !placed[i];
			for (int k = 0; ready && k < n->nin; k++)
				ready = n->in[k] < 0 || done[n->in[k]];
			if (!ready)
				continue;
			placed[i] = 1;
			order[norder++] = i;
			for (int k = 0; k < n->nout; k++)
				if (n->out[k] >= 0)
					done[n->out[k]] = 1;
			progress = 1;
		}
	}
	if (norder < nlive)
		ir_error(g, -1, "the graph has a cycle");
	/* keep unplaced (cyclic) nodes at the end so nothing is lost */
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && !placed[i])
			order[norder++] = i;
	ir_reorder(g, order, norder);
	free(order);
	free(done);
	free(placed);
}

/* ---- attributes ---- */

const Attr *ir_attr(const Graph *g, int node, const char *name)
{
	const Node *n = &g->n[node];
	for (int i = 0; i < n->nattr; i++)
		if (strcmp(n->attr[i].name, name) == 0)
			return &n->attr[i];
	return NULL;
}

/* The accessors below say which kinds they read: an attribute the model gave as another
   kind (a string axis, a float where an integer goes) is an error naming the node, once,
   and reads as absent. */
static const Attr *attr_typed(const Graph *g, int node, const char *name, AttrKind want,
			      AttrKind also)
{
	static const char *const what[] = {"an integer", "a float", "a string", "integers", "floats",
					   "strings", "a tensor", "a graph"};
	static const Graph *last_g;
	static const Attr *last_a;
	const Attr *a = ir_attr(g, node, name);
	int ok = !a || a->kind == want || a->kind == also;

	if (ok && a && a->kind == A_FLOAT && want == A_INT) /* read as an integer */
		ok = a->f == a->f && a->f > -9.2e18f && a->f < 9.2e18f;
	if (ok)
		return a;
	if ((last_g != g || last_a != a) && a->kind == A_FLOAT)
		ir_error((Graph *)g, node, "attribute '%s' is the float %g, not %s", name,
			 (double)a->f, what[want]);
	else if (last_g != g || last_a != a)
		ir_error((Graph *)g, node, "attribute '%s' is %s, not %s", name, what[a->kind],
			 what[want]);
	last_g = g;
	last_a = a;
	return NULL;
}

int64_t ir_attr_int(const Graph *g, int node, const char *name, int64_t def)
{
	const Attr *a = attr_typed(g, node, name, A_INT, A_FLOAT);
	if (!a)
		return def;
	if (a->kind == A_FLOAT)
		return (int64_t)a->f;
	return a->kind == A_INT ? a->i : def;
}

float ir_attr_float(const Graph *g, int node, const char *name, float def)
{
	const Attr *a = attr_typed(g, node, name, A_FLOAT, A_INT);
	if (!a)
		return def;
	if (a->kind == A_INT)
		return (float)a->i;
	return a->kind == A_FLOAT ? a->f : def;
}

const char *ir_attr_str(const Graph *g, int node, const char *name, const char *def)
{
	const Attr *a = attr_typed(g, node, name, A_STRING, A_STRING);
	return a && a->kind == A_STRING ? a->s : def;
}

int ir_attr_ints(const Graph *g, int node, const char *name, int64_t *out, int max)
{
	const Attr *a = attr_typed(g, node, name, A_INTS, A_INT);
	if (!a)
		return -1;
	if (a->kind == A_INT) {
		if (max > 0)
			out[0] = a->i;
		return 1;
	}
	if (a->kind != A_INTS)
		return -1;
	for (int i = 0; i < a->n && i < max; i++)
		out[i] = a->ints[i];
	return a->n;
}

int ir_attr_floats(const Graph *g, int node, const char *name, float *out, int max)
{
	const Attr *a = attr_typed(g, node, name, A_FLOATS, A_FLOAT);
	if (!a)
		return -1;
	if (a->kind == A_FLOAT) {
		if (max > 0)
			out[0] = a->f;
		return 1;
	}
	if (a->kind != A_FLOATS)
		return -1;
	for (int i = 0; i < a->n && i < max; i++)
		out[i] = a->floats[i];
	return a->n;
}

static Attr *attr_slot(Graph *g, int node, const char *name)
{
	Node *n = &g->n[node];
	Attr *na;

	for (int i = 0; i < n->nattr; i++)
		if (strcmp(n->attr[i].name, name) == 0)
			return &n->attr[i];
	na = arena_alloc(&g->arena, sizeof *na * (size_t)(n->nattr + 1));
	if (n->nattr)
		memcpy(na, n->attr, sizeof *na * (size_t)n->nattr);
	n->attr = na;
	na[n->nattr].name = arena_strdup(&g->arena, name);
	return &na[n->nattr++];
}

void ir_attr_set_int(Graph *g, int node, const char *name, int64_t v)
{
	Attr *a = attr_slot(g, node, name);
	a->kind = A_INT;
	a->i = v;
}

void ir_attr_set_ints(Graph *g, int node, const char *name, const int64_t *v, int n)
{
	Attr *a = attr_slot(g, node, name);
	a->kind = A_INTS;
	a->n = n;
	a->ints = arena_memdup(&g->arena, v, sizeof *v * (size_t)n);
}

void ir_attr_set_float(Graph *g, int node, const char *name, float v)
{
	Attr *a = attr_slot(g, node, name);
	a->kind = A_FLOAT;
	a->f = v;
}

void ir_attr_set_str(Graph *g, int node, const char *name, const char *s)
{
	Attr *a = attr_slot(g, node, name);
	a->kind = A_STRING;
	a->s = arena_strdup(&g->arena, s);
}
