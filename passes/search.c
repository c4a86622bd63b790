/* search.c - the cost-guided substitution search (after TASO, SOSP'19, and MetaFlow):
   from the greedily rewritten graph, each move of rw_search_rules at each place gives a
   new graph, rewritten greedily again and costed by the MCU model (estimated cycles +
   weighted arena bytes + weighted flash bytes, from lowering and planning a copy).
   Graphs within alpha times the best cost stay in the queue, so the search can pass
   through worse graphs to a better one; the best graph found replaces the input. The
   budget counts graphs costed, never time, so the result is deterministic. */
#include "rewrite.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	Graph *g;
	double cost;
	const char *how; /* the moves that made it, for -v */
} Cand;

/* cost of g: lowers and plans a copy, its messages sent to quiet */
static double cost_of(const Graph *g, const PassOptions *o, FILE *quiet)
{
	Graph *c = ir_graph_clone(g);
	double cycles = 0, flash = 0, cost;

	c->diag = quiet ? quiet : c->diag;
	pass_lower(c);
	if (!c->nerrors)
		pass_plan(c);
	if (c->nerrors) {
		ir_graph_free(c);
		return DBL_MAX;
	}
	for (int i = 0; i < c->nn; i++) {
		if (c->n[i].dead)
			continue;
		cycles += (double)ir_node_cost(c, i).cycles;
		for (int k = 0; k < c->n[i].nin; k++) {
			int t = c->n[i].in[k];
			if (t >= 0 && (c->t[t].flags & T_CONST) && !(c->t[t].flags & T_BOUND)) {
				flash += (double)ir_nbytes(&c->t[t]);
				c->t[t].flags |= T_BOUND; /* each constant once */
			}
		}
	}
	cost = cycles + o->cost_ram * (double)c->plan->arena_size + o->cost_flash * flash;
	ir_graph_free(c);
	return cost;
}

/* a hash of the graph's structure: ops, attributes' count and producers by position */
static uint64_t shape_hash(const Graph *g)
{
	uint64_t h = 1469598103934665603ull;
	int *pos = calloc((size_t)g->nn + 1, sizeof(int));

	IR_ASSERT(pos);
	for (int i = 0, p = 0; i < g->nn; i++)
		pos[i] = g->n[i].dead ? -1 : p++;
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		if (n->dead)
			continue;
		h = (h ^ (uint64_t)n->op) * 1099511628211ull;
		h = (h ^ (uint64_t)n->nattr) * 1099511628211ull;
		for (int k = 0; k < n->nin; k++) {
			int t = n->in[k], pr = t >= 0 ? g->t[t].producer : -2;
			uint64_t v = pr >= 0 ? (uint64_t)pos[pr] : (uint64_t)(t >= 0 ? ir_numel(&g->t[t]) : 0) << 20;
			h = (h ^ v) * 1099511628211ull;
		}
	}
	free(pos);
	return h;
}

/* a copy of g with search rule r built at node, then greedily rewritten; NULL if the
   move does not apply */
static Graph *moved(const Graph *g, int r, int node, const PassOptions *o)
{
	Graph *c = ir_graph_clone(g);

	if (!rw_try_at(c, rw_search_rules, rw_nsearch_rules, r, node, 1)) {
		ir_graph_free(c);
		return NULL;
	}
	ir_toposort(c);
	rw_run(c, o->enabled, NULL, 0);
	pass_dce(c);
	return c;
}

typedef struct {
	Cand *q;
	int n, cap;
	uint64_t *seen;
	int nseen, capseen;
	Graph **yard; /* graphs done with: their constants may be shared by later ones, */
	int nyard, capyard; /* so they live until the search ends */
} Queue;

static void retire(Queue *s, Graph *g)
{
	if (s->nyard == s->capyard) {
		s->capyard = s->capyard ? 2 * s->capyard : 64;
		s->yard = realloc(s->yard, sizeof *s->yard * (size_t)s->capyard);
		IR_ASSERT(s->yard);
	}
	s->yard[s->nyard++] = g;
}

static int seen(Queue *s, uint64_t h)
{
	for (int i = 0; i < s->nseen; i++)
		if (s->seen[i] == h)
			return 1;
	if (s->nseen == s->capseen) {
		s->capseen = s->capseen ? 2 * s->capseen : 64;
		s->seen = realloc(s->seen, sizeof *s->seen * (size_t)s->capseen);
		IR_ASSERT(s->seen);
	}
	s->seen[s->nseen++] = h;
	return 0;
}

/* keeps the queue sorted by cost, first in first out among equals */
static void push(Queue *s, Cand c)
{
	int i;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->q = realloc(s->q, sizeof *s->q * (size_t)s->cap);
		IR_ASSERT(s->q);
	}
	for (i = s->n; i > 0 && s->q[i - 1].cost > c.cost; i--)
		s->q[i] = s->q[i - 1];
	s->q[i] = c;
	s->n++;
}

static Cand pop(Queue *s)
{
	Cand c = s->q[0];
	memmove(s->q, s->q + 1, sizeof *s->q * (size_t)--s->n);
	return c;
}

/* swaps the contents of the best graph into g (subgraphs stay g's); best then holds
   g's old contents, which g keeps, since the best graph's constants may point there */
static void adopt(Graph *g, Graph *best)
{
	Graph tmp = *g;
	Graph **sub = g->sub;
	int nsub = g->nsub, capsub = g->capsub;

	*g = *best;
	*best = tmp;
	g->sub = sub, g->nsub = nsub, g->capsub = capsub;
	best->sub = NULL, best->nsub = best->capsub = 0;
	g->diag = tmp.diag;
	g->path = tmp.path;
	g->use = NULL;
	g->keep = NULL, g->nkeep = g->capkeep = 0;
	ir_graph_keep(g, best);
}

void rw_search(Graph *g, const PassOptions *o, SearchStats *st)
{
	Queue s = {0};
	Cand best = {ir_graph_clone(g), 0, "greedy"};
	clock_t t0 = clock();
	FILE *quiet = fopen("/dev/null", "w"); /* a move whose graph cannot be lowered */

	best.cost = cost_of(g, o, quiet);
	st->greedy_cost = best.cost;
	st->explored = 1;
	seen(&s, shape_hash(g));
	push(&s, (Cand){ir_graph_clone(g), best.cost, "greedy"});
	while (s.n && st->explored < o->search_budget) {
		Cand cur = pop(&s);
		for (int r = 0; r < rw_nsearch_rules && st->explored < o->search_budget; r++)
			for (int i = 0; i < cur.g->nn && st->explored < o->search_budget; i++) {
				Graph *next;
				Cand c;
				if (!rw_try_at(cur.g, rw_search_rules, rw_nsearch_rules, r, i, 0) ||
				    !(next = moved(cur.g, r, i, o)))
					continue;
				if (seen(&s, shape_hash(next))) {
					retire(&s, next);
					continue;
				}
				c.g = next;
				c.cost = cost_of(next, o, quiet);
				c.how = arena_printf(&next->arena, "%s, %s at '%s'", cur.how,
						     rw_search_rules[r].name, cur.g->n[i].name);
				st->explored++;
				if (o->verbose)
					fprintf(stderr, "search: %.0f (%+.2f%%) %s\n", c.cost,
						100 * (c.cost / best.cost - 1), c.how);
				if (c.cost < best.cost) {
					retire(&s, best.g);
					best.g = ir_graph_clone(next);
					best.cost = c.cost;
					best.how = arena_strdup(&best.g->arena, c.how);
				}
				if (c.cost <= o->search_alpha * best.cost)
					push(&s, c);
				else
					retire(&s, next);
			}
		retire(&s, cur.g);
	}
	while (s.n)
		retire(&s, pop(&s).g);
	st->best_cost = best.cost;
	if (best.cost < st->greedy_cost) {
		if (o->verbose)
			fprintf(stderr, "search: kept %s\n", best.how);
		adopt(g, best.g); /* best.g now holds g's old contents, kept by g */
		for (int i = 0; i < s.nyard; i++)
			ir_graph_keep(g, s.yard[i]);
	} else {
		ir_graph_free(best.g);
		for (int i = 0; i < s.nyard; i++)
			ir_graph_free(s.yard[i]);
	}
	free(s.q);
	free(s.seen);
	free(s.yard);
	if (quiet)
		fclose(quiet);
	st->seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
}
