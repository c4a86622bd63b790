/* rewrite.c - the rewrite engine: parses the rules' patterns once, matches them at every
   live node with one matcher, runs guards and builders to a fixpoint, and keeps the use
   index current. The rule language (docs/rewrites.md):
     expr := OP['|'OP...]['#'name]'(' [expr {',' expr}] [',' '...'] ')'
           | '#'name         the output of a node matched earlier in the pattern
           | '$'name[':c']['?']  a tensor; ':c' a constant, '?' may be absent
           | '_'             any tensor or none
   A variable named twice matches one tensor. Inner nodes must have no use outside the
   match and must not be graph outputs. Add, Mul, Max and Min match in either order. */
#include "rewrite.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the parser ---- */

typedef struct {
	const char *s;
	RwPattern *p;
	char *err;
	size_t errlen;
} Parser;

static void skip_ws(Parser *ps)
{
	while (isspace((unsigned char)*ps->s))
		ps->s++;
}

static int fail(Parser *ps, const char *what)
{
	if (!ps->err[0])
		snprintf(ps->err, ps->errlen, "%s at '%.20s'", what, ps->s);
	return -1;
}

static int ident(Parser *ps, char *out, size_t len)
{
	size_t n = 0;

	while (isalnum((unsigned char)*ps->s) || *ps->s == '_') {
		if (n + 1 >= len)
			return -1;
		out[n++] = *ps->s++;
	}
	out[n] = 0;
	return n ? 0 : -1;
}

static int find_node(const RwPattern *p, const char *name)
{
	for (int i = 0; i < p->nnode; i++)
		if (p->node[i].name[0] && !strcmp(p->node[i].name, name))
			return i;
	return -1;
}

static int var_slot(Parser *ps, const char *name, int is_const, int optional)
{
	RwPattern *p = ps->p;

	for (int i = 0; name[0] && i < p->nvar; i++)
		if (!strcmp(p->var[i].name, name))
			return i;
	if (p->nvar == RW_MAXV)
		return fail(ps, "too many variables");
	snprintf(p->var[p->nvar].name, sizeof p->var[0].name, "%s", name);
	p->var[p->nvar].is_const = is_const;
	p->var[p->nvar].optional = optional;
	return p->nvar++;
}

static int parse_expr(Parser *ps, int *operand);

static int parse_var(Parser *ps, int *operand)
{
	char name[16] = "";
	int is_const = 0, optional = 0, v;

	if (*ps->s == '_') {
		ps->s++;
		optional = 1;
	} else {
		ps->s++;
		if (ident(ps, name, sizeof name))
			return fail(ps, "a variable name");
		for (;;) { /* ':c' and '?' in either order */
			if (!strncmp(ps->s, ":c", 2))
				is_const = 1, ps->s += 2;
			else if (*ps->s == '?')
				optional = 1, ps->s++;
			else
				break;
		}
	}
	v = var_slot(ps, name, is_const, optional);
	if (v < 0)
		return -1;
	*operand = -1 - v;
	return 0;
}

static int parse_ops(Parser *ps, RwNode *n)
{
	char name[48];

	do {
		OpKind op;
		if (*ps->s == '|')
			ps->s++;
		if (ident(ps, name, sizeof name))
			return fail(ps, "an op name");
		for (op = 0; op < OP_COUNT && strcmp(op_info[op].name, name); op++)
			;
		if (op == OP_COUNT)
			return fail(ps, "an unknown op");
		if (n->nops == (int)(sizeof n->ops / sizeof n->ops[0]))
			return fail(ps, "too many alternatives");
		n->ops[n->nops++] = op;
	} while (*ps->s == '|');
	return 0;
}

static int parse_node(Parser *ps, int *operand)
{
	RwPattern *p = ps->p;
	int me = p->nnode;
	RwNode *n;

	if (p->nnode == RW_MAXN)
		return fail(ps, "too many nodes");
	n = &p->node[p->nnode++];
	memset(n, 0, sizeof *n);
	if (parse_ops(ps, n))
		return -1;
	if (*ps->s == '#' && (ps->s++, ident(ps, n->name, sizeof n->name)))
		return fail(ps, "a node name");
	skip_ws(ps);
	if (*ps->s++ != '(')
		return fail(ps, "'('");
	for (skip_ws(ps); *ps->s != ')'; skip_ws(ps)) {
		int k;
		if (!strncmp(ps->s, "...", 3)) {
			ps->s += 3;
			p->node[me].rest = 1;
			skip_ws(ps);
			if (*ps->s != ')')
				return fail(ps, "')' after '...'");
			break;
		}
		if (p->node[me].nin == RW_MAXIN)
			return fail(ps, "too many operands");
		if (parse_expr(ps, &k))
			return -1;
		n = &p->node[me];
		n->in[n->nin++] = k;
		skip_ws(ps);
		if (*ps->s == ',')
			ps->s++;
		else if (*ps->s != ')')
			return fail(ps, "',' or ')'");
	}
	ps->s++;
	*operand = me;
	return 0;
}

static int parse_expr(Parser *ps, int *operand)
{
	char name[16];

	skip_ws(ps);
	if (*ps->s == '$' || *ps->s == '_')
		return parse_var(ps, operand);
	if (*ps->s == '#') {
		ps->s++;
		if (ident(ps, name, sizeof name) || (*operand = find_node(ps->p, name)) < 0)
			return fail(ps, "a node named earlier");
		return 0;
	}
	return parse_node(ps, operand);
}

int rw_parse(const char *text, RwPattern *p, char *err, size_t errlen)
{
	Parser ps = {text, p, err, errlen};
	int root;

	memset(p, 0, sizeof *p);
	err[0] = 0;
	skip_ws(&ps);
	if (*ps.s == '$' || *ps.s == '_' || *ps.s == '#')
		return fail(&ps, "a pattern must start with an op");
	if (parse_expr(&ps, &root))
		return -1;
	skip_ws(&ps);
	if (*ps.s)
		return fail(&ps, "the end of the pattern");
	return 0;
}

/* ---- the matcher ---- */

static int commutes(OpKind op)
{
	return op == OP_ADD || op == OP_MUL || op == OP_MAX || op == OP_MIN || op == OP_QADD ||
	       op == OP_QMUL;
}

static int match_node(Graph *g, RwMatch *m, int pi, int node);

/* operand k of pattern node pi against tensor t */
static int match_operand(Graph *g, RwMatch *m, int operand, int t)
{
	const RwPattern *p = m->pat;

	if (operand < 0) {
		int v = -1 - operand;
		const RwVar *var = &p->var[v];
		if (t < 0)
			return var->optional && (m->var[v] == -2 || m->var[v] == -1) &&
			       (m->var[v] = -1, 1);
		if (var->is_const && !ir_is_const(g, t))
			return 0;
		if (!var->name[0])
			return 1;
		if (m->var[v] != -2)
			return m->var[v] == t;
		m->var[v] = t;
		return 1;
	}
	if (t < 0)
		return 0;
	if (m->node[operand] >= 0) { /* a reference to a node matched already */
		const Node *n = &g->n[m->node[operand]];
		return n->nout > 0 && n->out[0] == t;
	}
	if (g->t[t].producer < 0 || g->n[g->t[t].producer].dead || g->n[g->t[t].producer].out[0] != t)
		return 0;
	return match_node(g, m, operand, g->t[t].producer);
}

static int match_inputs(Graph *g, RwMatch *m, int pi, int node, int swap)
{
	const RwNode *pn = &m->pat->node[pi];
	const Node *n = &g->n[node];

	for (int k = pn->nin; k < n->nin && !pn->rest; k++)
		if (n->in[k] >= 0)
			return 0;
	for (int k = 0; k < pn->nin; k++) {
		int src = swap && k < 2 ? 1 - k : k;
		if (!match_operand(g, m, pn->in[k], ir_in(g, node, src)))
			return 0;
	}
	return 1;
}

/* an inner node read more often than the pattern reads it, or a graph output: it has
   uses outside the match (checked early so that the other operand order is tried) */
static int outside_uses(Graph *g, const RwPattern *p, int pi, int node)
{
	int refs = 0, t = g->n[node].out[0];

	for (int i = 0; i < p->nnode; i++)
		for (int k = 0; k < p->node[i].nin; k++)
			refs += p->node[i].in[k] == pi;
	return t < 0 || (g->t[t].flags & T_OUTPUT) || g->use[t] > refs;
}

static int match_node(Graph *g, RwMatch *m, int pi, int node)
{
	const RwNode *pn = &m->pat->node[pi];
	const Node *n = &g->n[node];
	RwMatch save;
	int ok = 0;

	if (n->dead)
		return 0;
	for (int i = 0; i < pn->nops && !ok; i++)
		ok = n->op == pn->ops[i];
	for (int i = 0; ok && i < m->pat->nnode; i++)
		ok = m->node[i] != node;
	if (!ok || (pi > 0 && outside_uses(g, m->pat, pi, node)))
		return 0;
	m->node[pi] = node;
	save = *m;
	if (match_inputs(g, m, pi, node, 0))
		return 1;
	*m = save;
	if (commutes(n->op) && pn->nin == 2 && match_inputs(g, m, pi, node, 1))
		return 1;
	*m = save;
	m->node[pi] = -1;
	return 0;
}

/* inner nodes are wholly inside the match: their outputs feed only matched nodes */
static int contained(Graph *g, const RwMatch *m)
{
	for (int i = 1; i < m->pat->nnode; i++) {
		const Node *n = &g->n[m->node[i]];
		for (int k = 0; k < n->nout; k++) {
			int t = n->out[k], inside = 0;
			if (t < 0)
				continue;
			if (g->t[t].flags & T_OUTPUT)
				return 0;
			for (int j = 0; j < m->pat->nnode; j++) {
				const Node *c = &g->n[m->node[j]];
				for (int q = 0; q < c->nin; q++)
					inside += c->in[q] == t;
			}
			if (g->use[t] != inside)
				return 0;
		}
	}
	return 1;
}

int rw_match(Graph *g, const RwPattern *p, int node, RwMatch *m)
{
	memset(m, 0, sizeof *m);
	m->pat = p;
	for (int i = 0; i < RW_MAXN; i++)
		m->node[i] = -1;
	for (int i = 0; i < RW_MAXV; i++)
		m->var[i] = -2; /* unbound */
	if (!match_node(g, m, 0, node))
		return 0;
	for (int i = 0; i < p->nvar; i++)
		if (m->var[i] == -2)
			m->var[i] = -1;
	return contained(g, m);
}

/* ---- the driver ---- */

/* the patterns of a rule table, parsed once per table (tables are static data) */
static RwPattern *compile_rules(const RwRule *rules, int n)
{
	static struct {
		const RwRule *rules;
		RwPattern *pat;
	} cache[8];
	RwPattern *p;
	char err[128];
	int slot;

	for (slot = 0; slot < 8 && cache[slot].rules; slot++)
		if (cache[slot].rules == rules)
			return cache[slot].pat;
	p = calloc((size_t)n + 1, sizeof *p);
	IR_ASSERT(p);
	for (int r = 0; r < n; r++)
		if (rw_parse(rules[r].pattern, &p[r], err, sizeof err)) {
			fprintf(stderr, "rule %s: %s\n", rules[r].name, err);
			ir_die(__FILE__, __LINE__, "a rewrite rule does not parse");
		}
	if (slot < 8) {
		cache[slot].rules = rules;
		cache[slot].pat = p;
	}
	return p;
}

int rw_rule_find(const char *name)
{
	for (int r = 0; r < rw_nrules; r++)
		if (!strcmp(rw_rules[r].name, name))
			return r;
	return -1;
}

static int root_op(const RwPattern *p, OpKind op)
{
	for (int i = 0; i < p->node[0].nops; i++)
		if (p->node[0].ops[i] == op)
			return 1;
	return 0;
}

typedef struct {
	const RwRule *rules;
	const RwPattern *pat;
	int n;
	const unsigned char *enabled;
	int *counts;
	int verbose;
} Table;

/* tries every enabled rule at node i; 1 when one fired */
static int rewrite_at(Graph *g, int i, const Table *t)
{
	for (int r = 0; r < t->n; r++) {
		RwMatch m;
		if ((t->enabled && !t->enabled[r]) || g->n[i].dead || !root_op(&t->pat[r], g->n[i].op))
			continue;
		if (!rw_match(g, &t->pat[r], i, &m) || !t->rules[r].guard(g, &m))
			continue;
		if (t->rules[r].build(g, &m))
			continue;
		if (t->counts)
			t->counts[r]++;
		if (t->verbose)
			fprintf(stderr, "rewrite: %s at '%s'\n", t->rules[r].name, g->n[i].name);
		return 1;
	}
	return 0;
}

int rw_run_rules(Graph *g, const RwRule *rules, int n, const unsigned char *enabled,
		 int *counts, int verbose)
{
	Table t = {rules, compile_rules(rules, n), n, enabled, counts, verbose};
	int total = 0, changed = 1;

	ir_uses(g);
	for (int sweep = 0; changed && sweep < 64; sweep++) {
		changed = 0;
		for (int i = 0; i < g->nn && !g->nerrors; i++)
			if (rewrite_at(g, i, &t))
				changed = 1, total++;
	}
	ir_toposort(g);
	return total;
}

int rw_try_at(Graph *g, const RwRule *rules, int nrules, int r, int node, int apply)
{
	const RwPattern *p = &compile_rules(rules, nrules)[r];
	RwMatch m;

	if (!g->use)
		ir_uses(g);
	if (g->n[node].dead || !root_op(p, g->n[node].op) || !rw_match(g, p, node, &m) ||
	    !rules[r].guard(g, &m))
		return 0;
	return !apply || rules[r].build(g, &m) == 0;
}

int rw_run(Graph *g, const unsigned char *enabled, int *counts, int verbose)
{
	return rw_run_rules(g, rw_rules, rw_nrules, enabled, counts, verbose);
}

/* ---- builder helpers ---- */

int rw_t(const RwMatch *m, const char *var)
{
	for (int i = 0; i < m->pat->nvar; i++)
		if (!strcmp(m->pat->var[i].name, var))
			return m->var[i];
	ir_die(__FILE__, __LINE__, "a rule asks for a variable its pattern does not have");
	return -1;
}

int rw_n(const RwMatch *m, const char *name)
{
	for (int i = 0; i < m->pat->nnode; i++)
		if (!strcmp(m->pat->node[i].name, name))
			return m->node[i];
	return -1;
}

static const char *fused_names(Graph *g, const RwMatch *m)
{
	const char *s = "";

	for (int i = m->pat->nnode - 1; i >= 0; i--) { /* producers first */
		const Node *n = &g->n[m->node[i]];
		const char *own = n->fused && n->fused[0] ? n->fused : n->name;
		s = s[0] ? arena_printf(&g->arena, "%s,%s", s, own) : own;
	}
	return s;
}

int rw_node(Graph *g, const RwMatch *m, OpKind op, const int *ins, int nin, int out, int like)
{
	const char *fused = m ? fused_names(g, m) : NULL;
	const char *name = m ? g->n[m->node[0]].name : op_info[op].name;
	int id = ir_node_new(g, op, name, nin, 1);
	Node *n = &g->n[id];

	n->opset = like >= 0 ? g->n[like].opset : m ? g->n[m->node[0]].opset : 0;
	if (like >= 0 && g->n[like].nattr) {
		n->nattr = g->n[like].nattr;
		n->attr = arena_memdup(&g->arena, g->n[like].attr, sizeof(Attr) * (size_t)(n->nattr + 1));
	}
	for (int k = 0; k < nin; k++) {
		n->in[k] = ins[k];
		if (ins[k] >= 0 && g->use)
			g->use[ins[k]]++;
	}
	if (out < 0) {
		out = ir_tensor_new(g, arena_printf(&g->arena, "%s/%s_out", name, op_info[op].name));
		ir_uses_fit(g);
	}
	n->out[0] = out;
	g->t[out].producer = id;
	n->fused = fused;
	n->origin = like >= 0 ? g->n[like].origin : m ? g->n[m->node[0]].origin : g->nn;
	return id;
}

int rw_const(Graph *g, const char *name, DType dt, int rank, const int64_t *dims,
	     const void *data)
{
	int t = ir_const_new(g, name, dt, rank, dims, data);

	ir_uses_fit(g);
	return t;
}

void rw_kill_node(Graph *g, int node)
{
	Node *n = &g->n[node];

	if (n->dead)
		return;
	n->dead = 1;
	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0)
			g->use[n->in[k]]--;
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0 && g->t[n->out[k]].producer == node)
			g->t[n->out[k]].producer = -1;
}

void rw_kill_match(Graph *g, const RwMatch *m)
{
	for (int i = 0; i < m->pat->nnode; i++)
		rw_kill_node(g, m->node[i]);
}

int rw_root_out(const Graph *g, const RwMatch *m) { return g->n[m->node[0]].out[0]; }

int rw_infer(Graph *g, int node)
{
	int errors = g->nerrors;

	if (ir_infer_node(g, node) || g->nerrors > errors) {
		g->nerrors = errors; /* a builder's trial, not the user's error */
		return -1;
	}
	return 0;
}

float *rw_floats(Graph *g, int t)
{
	const Tensor *x = &g->t[t];
	int64_t n = ir_numel(x);
	float *v;

	if (!ir_is_const(g, t) || !dt_is_float(x->dtype) || dt_is_f8(x->dtype))
		return NULL;
	v = arena_alloc(&g->arena, sizeof(float) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++)
		v[i] = (float)dt_get(x->dtype, x->data, i);
	return v;
}

int rw_const_scalar(Graph *g, int t, double *v)
{
	const Tensor *x;
	int64_t n;

	if (!ir_is_const(g, t) || dt_is_f8(g->t[t].dtype) || dt_bits(g->t[t].dtype))
		return 0;
	x = &g->t[t];
	n = ir_numel(x);
	if (n < 1)
		return 0;
	*v = dt_get(x->dtype, x->data, 0);
	for (int64_t i = 1; i < n; i++)
		if (dt_get(x->dtype, x->data, i) != *v)
			return 0;
	return 1;
}

int rw_const_all(Graph *g, int t, double v)
{
	double x;
	return rw_const_scalar(g, t, &x) && x == v;
}

/* ---- the schedule after rewriting ---- */

/* Nodes the rules made were appended to the node array, and ir_toposort would run them
   as late as it can. This orders the graph by origin instead (the position of the node
   each one replaced, ties by id): a fused or split node runs where its ONNX node ran, so
   the graph searched and the graph not searched keep the same schedule but for what the
   search changed. A heap keyed by (origin, id) over the ready nodes. */
static int before(const Graph *g, int a, int b)
{
	return g->n[a].origin != g->n[b].origin ? g->n[a].origin < g->n[b].origin : a < b;
}

static void heap_push(const Graph *g, int *h, int *n, int v)
{
	int i = (*n)++;
	for (; i > 0 && before(g, v, h[(i - 1) / 2]); i = (i - 1) / 2)
		h[i] = h[(i - 1) / 2];
	h[i] = v;
}

static int heap_pop(const Graph *g, int *h, int *n)
{
	int top = h[0], v = h[--*n], i = 0;

	for (;;) {
		int c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && before(g, h[c + 1], h[c]))
			c++;
		if (!before(g, h[c], v))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = v;
	return top;
}

static void by_origin(Graph *g)
{
	int *wait = calloc((size_t)g->nn + 1, sizeof(int)), *heap = calloc((size_t)g->nn + 1, sizeof(int));
	int *order = calloc((size_t)g->nn + 1, sizeof(int)), *readers = calloc((size_t)g->nt + 1, sizeof(int));
	int *first = calloc((size_t)g->nt + 2, sizeof(int)), *list, nh = 0, no = 0;

	IR_ASSERT(wait && heap && order && readers && first);
	for (int i = 0; i < g->nn; i++) /* a reader per live input edge from a live producer */
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++) {
			int t = g->n[i].in[k];
			if (t >= 0 && g->t[t].producer >= 0 && !g->n[g->t[t].producer].dead)
				wait[i]++, readers[t]++;
		}
	for (int t = 0; t < g->nt; t++)
		first[t + 1] = first[t] + readers[t];
	list = calloc((size_t)first[g->nt] + 1, sizeof(int));
	IR_ASSERT(list);
	memset(readers, 0, sizeof(int) * (size_t)g->nt);
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++) {
			int t = g->n[i].in[k];
			if (t >= 0 && g->t[t].producer >= 0 && !g->n[g->t[t].producer].dead)
				list[first[t] + readers[t]++] = i;
		}
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && !wait[i])
			heap_push(g, heap, &nh, i);
	while (nh) {
		int i = heap_pop(g, heap, &nh);
		order[no++] = i;
		for (int k = 0; k < g->n[i].nout; k++) {
			int t = g->n[i].out[k];
			for (int r = 0; t >= 0 && r < readers[t]; r++)
				if (--wait[list[first[t] + r]] == 0)
					heap_push(g, heap, &nh, list[first[t] + r]);
		}
	}
	for (int i = 0; i < g->nn; i++) /* a cycle: leave the rest for ir_toposort */
		if (!g->n[i].dead && wait[i])
			order[no++] = i;
	ir_reorder(g, order, no);
	free(wait), free(heap), free(order), free(readers), free(first), free(list);
}

/* ---- the pass ---- */

void pass_rewrite(Graph *g)
{
	const PassOptions *o = passes_options();
	SearchStats mine = {0}, *st = o->search ? o->search : &mine;
	clock_t t0 = clock();

	if (o->level <= 0)
		return;
	for (int i = 0; i < g->nn; i++)
		g->n[i].origin = i;
	rw_run(g, o->enabled, o->rule_counts, o->verbose);
	pass_dce(g); /* constants a fold replaced */
	if (o->search_budget > 0 && !g->nerrors)
		rw_search(g, o, st);
	by_origin(g);
	ir_toposort(g);
	st->seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
}
