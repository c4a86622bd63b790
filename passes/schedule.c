/* schedule.c - the order the kernels run in: the topological order with the lowest
   peak of live arena bytes (Serenity, MLSys'20).

   Runs after pass_lower, so it sees what the planner will: which tensors live in the
   arena (not constants, not graph inputs and outputs in the caller's buffers unless
   --io-in-arena), which outputs are views of an input (no bytes of their own: their
   buffer lives until the last reader of any of its views), which kernels may write over
   an input that dies there (not over a part further into a buffer: the planner then
   keeps the whole buffer, which this counts as no saving), and each node's scratch.
   The bytes live while a node runs are those live before it, its scratch and its new
   outputs (an in-place output only what it adds to its input); after it, the buffers
   no node left reads are freed.
   Sizes are rounded up to the plan's alignment, as the planner's live peak counts them.

   The live bytes after a set of nodes has run do not depend on the order they ran in,
   so the best order is a dynamic programme over the sets that can have run (the ready
   frontier moves one node at a time): per set, the lowest peak of any order reaching
   it. Sets are expanded level by level (the number of nodes run), each kept with the
   node that reached it at that peak; a set whose peak is no lower than the best order
   known (the current order's or the greedy one's) is dropped, so a finished search is
   exact. Beyond its budget of sets, or for graphs over SCHED_MAX_NODES, the greedy order
   stands in: at each step the ready node leaving the fewest bytes live, then the one
   peaking lowest, then the earliest. The order changes only when it lowers the peak
   and the arena pass_plan places for it (offsets can fragment what a lower peak
   saves); ties keep the current one, so the ONNX order (or the one pass_patch made)
   stays where it is already best. Deterministic: no clock, no addresses. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

#define SCHED_STATES (1 << 16) /* sets the exact search may hold */
#define SCHED_WORK (1 << 26)   /* ... and at most this many over the live nodes (each set
				  costs a walk over them) */
#define SCHED_MAX_NODES 4096

typedef struct {
	int nn;          /* live nodes, in the current order */
	int *node;       /* live node -> graph node */
	int *buf;        /* tensor -> its buffer (the tensor whose bytes it is), -1 none */
	int64_t *off;    /* tensor -> bytes into its buffer (a view of a part) */
	int64_t *size;   /* tensor -> bytes when it is a buffer */
	int *pinned;     /* tensor -> a buffer the end of the run still reads */
	int *readers;    /* tensor -> live nodes reading its buffer (as a buffer) */
	int **reads;     /* live node -> the distinct buffers it reads, -1 ended */
	int **after;     /* live node -> the live nodes producing its inputs, -1 ended */
	int64_t *scr;    /* live node -> its scratch bytes */
	int64_t start;   /* bytes live before the first node (--io-in-arena inputs) */
} Model;

static int in_arena(Graph *g, int t)
{
	const Tensor *x = &g->t[t];
	int pr = x->producer;

	if ((x->flags & T_CONST) || !ir_numel(x))
		return 0;
	if (x->flags & T_INPUT)
		return g->io_in_arena;
	if ((x->flags & T_OUTPUT) && !g->io_in_arena) { /* a kernel writes the caller's buffer */
		int64_t off;
		return pr >= 0 && ir_tensor_view(g, t, &off) >= 0;
	}
	return 1;
}

static int *int_list(int n)
{
	int *l = malloc(sizeof(int) * (size_t)(n + 1));

	IR_ASSERT(l);
	l[n] = -1;
	return l;
}

static void model_build(Graph *g, Model *m)
{
	int *live = malloc(sizeof(int) * (size_t)(g->nn + 1)), *tmp;

	IR_ASSERT(live);
	m->nn = 0;
	m->node = malloc(sizeof(int) * (size_t)(g->nn + 1));
	m->buf = malloc(sizeof(int) * (size_t)(g->nt + 1));
	m->off = calloc((size_t)g->nt + 1, sizeof(int64_t));
	m->size = calloc((size_t)g->nt + 1, sizeof(int64_t));
	m->pinned = calloc((size_t)g->nt + 1, sizeof(int));
	m->readers = calloc((size_t)g->nt + 1, sizeof(int));
	IR_ASSERT(m->node && m->buf && m->off && m->size && m->pinned && m->readers);
	for (int i = 0; i < g->nn; i++) {
		live[i] = g->n[i].dead ? -1 : m->nn;
		if (!g->n[i].dead)
			m->node[m->nn++] = i;
	}
	m->start = 0;
	for (int t = 0; t < g->nt; t++) { /* producers come first: one walk in tensor id
					      order may meet a view before its input */
		int64_t off;
		m->buf[t] = -1;
		if (in_arena(g, t) && ir_tensor_view(g, t, &off) < 0) {
			m->buf[t] = t;
			m->size[t] = (ir_nbytes(&g->t[t]) + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN;
			if (g->t[t].flags & T_INPUT)
				m->start += m->size[t];
		}
	}
	for (int j = 0; j < m->nn; j++) { /* views share their input's buffer */
		const Node *n = &g->n[m->node[j]];
		for (int k = 0; k < n->nout; k++) {
			int64_t off;
			int in = ir_view_of(g, m->node[j], k, &off);
			if (in >= 0 && in_arena(g, n->out[k])) {
				m->buf[n->out[k]] = m->buf[in];
				m->off[n->out[k]] = m->off[in] + off;
			}
		}
	}
	for (int i = 0; i < g->noutputs; i++)
		if (m->buf[g->outputs[i]] >= 0)
			m->pinned[m->buf[g->outputs[i]]] = 1;
	m->reads = malloc(sizeof(int *) * (size_t)(m->nn + 1));
	m->after = malloc(sizeof(int *) * (size_t)(m->nn + 1));
	m->scr = calloc((size_t)m->nn + 1, sizeof(int64_t));
	tmp = malloc(sizeof(int) * (size_t)(g->nt + g->nn + 1));
	IR_ASSERT(m->reads && m->after && m->scr && tmp);
	for (int j = 0; j < m->nn; j++) {
		const Node *n = &g->n[m->node[j]];
		int nr = 0, na = 0;
		for (int k = 0; k < n->nin; k++) {
			int b = n->in[k] >= 0 ? m->buf[n->in[k]] : -1, twice = 0;
			for (int q = 0; q < nr; q++)
				twice |= tmp[q] == b;
			if (b >= 0 && !twice) {
				tmp[nr++] = b;
				m->readers[b]++;
			}
		}
		m->reads[j] = int_list(nr);
		memcpy(m->reads[j], tmp, sizeof(int) * (size_t)nr);
		for (int k = 0; k < n->nin; k++) {
			int pr = n->in[k] >= 0 ? g->t[n->in[k]].producer : -1, twice = 0;
			if (pr < 0 || live[pr] < 0)
				continue;
			for (int q = 0; q < na; q++)
				twice |= tmp[q] == live[pr];
			if (!twice)
				tmp[na++] = live[pr];
		}
		m->after[j] = int_list(na);
		memcpy(m->after[j], tmp, sizeof(int) * (size_t)na);
		for (int s = 0; s < n->low->nscratch; s++)
			m->scr[j] += n->low->scratch[s];
	}
	free(tmp);
	free(live);
}

static void model_free(Model *m)
{
	for (int j = 0; j < m->nn; j++) {
		free(m->reads[j]);
		free(m->after[j]);
	}
	free(m->reads);
	free(m->after);
	free(m->scr);
	free(m->node);
	free(m->buf);
	free(m->off);
	free(m->size);
	free(m->pinned);
	free(m->readers);
}

/* Runs live node j where left[b] readers of buffer b have not run yet and `mem` bytes
   are live: returns the bytes live while it runs, sets *mem to those after it and, when
   commit, counts its reads in left. */
static int64_t step(Graph *g, const Model *m, int j, int *left, int64_t *mem, int commit)
{
	const Node *n = &g->n[m->node[j]];
	const Lowered *L = n->low;
	int64_t during = *mem + m->scr[j], after = *mem, freed = 0;
	int over = -1; /* the input buffer an in-place output takes over */

	if (L->inplace >= 0 && n->in[L->inplace] >= 0 && n->out[0] >= 0 &&
	    m->buf[n->out[0]] == n->out[0]) {
		int b = m->buf[n->in[L->inplace]], shared = 0;
		for (int k = 0; k < n->nin; k++)
			shared |= k != L->inplace && n->in[k] >= 0 && m->buf[n->in[k]] == b;
		if (b >= 0 && left[b] == 1 && !m->pinned[b] && !shared && !m->off[n->in[L->inplace]] &&
		    (L->grow || m->size[b] >= m->size[n->out[0]]))
			over = b;
	}
	for (int k = 0; k < n->nout; k++) {
		int t = n->out[k];
		if (t < 0 || m->buf[t] != t)
			continue;
		during += t == n->out[0] && over >= 0
				  ? (m->size[t] > m->size[over] ? m->size[t] - m->size[over] : 0)
				  : m->size[t];
		if (m->readers[t] || m->pinned[t])
			after += m->size[t];
	}
	for (const int *r = m->reads[j]; *r >= 0; r++)
		if (left[*r] == 1 && !m->pinned[*r])
			freed += m->size[*r];
	if (commit)
		for (const int *r = m->reads[j]; *r >= 0; r++)
			left[*r]--;
	*mem = after - freed;
	return during;
}

/* the peak of running the live nodes in order[0..nn) */
static int64_t order_peak(Graph *g, const Model *m, const int *order)
{
	int *left = malloc(sizeof(int) * (size_t)(g->nt + 1));
	int64_t mem = m->start, peak = mem;

	IR_ASSERT(left);
	memcpy(left, m->readers, sizeof(int) * (size_t)g->nt);
	for (int s = 0; s < m->nn; s++) {
		int64_t d = step(g, m, order[s], left, &mem, 1);
		if (d > peak)
			peak = d;
	}
	free(left);
	return peak;
}

static int ready(const Model *m, int j, const unsigned char *done)
{
	for (const int *a = m->after[j]; *a >= 0; a++)
		if (!done[*a])
			return 0;
	return 1;
}

/* the greedy order: the ready node leaving the fewest bytes live, then peaking lowest,
   then the earliest */
static int64_t greedy(Graph *g, const Model *m, int *order)
{
	int *left = malloc(sizeof(int) * (size_t)(g->nt + 1));
	unsigned char *done = calloc((size_t)m->nn + 1, 1);
	int64_t mem = m->start, peak = mem;

	IR_ASSERT(left && done);
	memcpy(left, m->readers, sizeof(int) * (size_t)g->nt);
	for (int s = 0; s < m->nn; s++) {
		int best = -1;
		int64_t best_after = 0, best_during = 0;
		for (int j = 0; j < m->nn; j++) {
			int64_t after = mem, during;
			if (done[j] || !ready(m, j, done))
				continue;
			during = step(g, m, j, left, &after, 0);
			if (best < 0 || after < best_after ||
			    (after == best_after && during < best_during))
				best = j, best_after = after, best_during = during;
		}
		IR_ASSERT(best >= 0);
		step(g, m, best, left, &mem, 1);
		done[best] = 1;
		order[s] = best;
		if (best_during > peak)
			peak = best_during;
	}
	free(left);
	free(done);
	return peak;
}

/* ---- the exact search ---- */

typedef struct {
	int64_t peak, mem;
	int parent, node; /* the set it was reached from, the node run last */
} State;

typedef struct {
	const Model *m;
	int words;          /* of a set's bits */
	State *st;
	uint64_t *bits;     /* words per state */
	int n, cap;         /* states made, and the most it may make */
	int *hash;          /* open addressing over state ids, -1 empty */
	int hcap;
} Search;

static uint64_t set_hash(const uint64_t *w, int words)
{
	uint64_t h = 1469598103934665603u;

	for (int i = 0; i < words; i++)
		h = (h ^ w[i]) * 1099511628211u;
	return h ^ (h >> 29);
}

/* the state of set w, new (peak and mem to be set) or found; -1 when the budget is spent */
static int lookup(Search *s, const uint64_t *w, int *fresh)
{
	size_t at = (size_t)(set_hash(w, s->words) & (uint64_t)(s->hcap - 1));

	for (;; at = (at + 1) & (size_t)(s->hcap - 1)) {
		int id = s->hash[at];
		if (id < 0)
			break;
		if (!memcmp(s->bits + (size_t)id * (size_t)s->words, w, sizeof(uint64_t) * (size_t)s->words)) {
			*fresh = 0;
			return id;
		}
	}
	if (s->n == s->cap)
		return -1;
	memcpy(s->bits + (size_t)s->n * (size_t)s->words, w, sizeof(uint64_t) * (size_t)s->words);
	s->hash[at] = s->n;
	*fresh = 1;
	return s->n++;
}

/* the best order below bound into order; its peak, or -1 when no order is below bound,
   or -2 when the search ran out of states */
static int64_t exact(Graph *g, const Model *m, int64_t bound, int *order)
{
	Search s = {m, (m->nn + 63) / 64, NULL, NULL, 0, 0, NULL, 2 * SCHED_STATES};
	int *left = malloc(sizeof(int) * (size_t)(g->nt + 1));
	unsigned char *done = malloc((size_t)m->nn + 1);
	uint64_t *w = malloc(sizeof(uint64_t) * (size_t)s.words);
	int lo = 0, hi, fresh, last = -1;
	int64_t result = -1;

	s.cap = SCHED_WORK / (m->nn + 1) < SCHED_STATES ? SCHED_WORK / (m->nn + 1) : SCHED_STATES;
	s.st = malloc(sizeof(State) * (size_t)s.cap);
	s.bits = calloc((size_t)s.cap * (size_t)s.words, sizeof(uint64_t));
	s.hash = malloc(sizeof(int) * (size_t)s.hcap);
	IR_ASSERT(left && done && w && s.st && s.bits && s.hash);
	for (int i = 0; i < s.hcap; i++)
		s.hash[i] = -1;
	memset(w, 0, sizeof(uint64_t) * (size_t)s.words);
	lookup(&s, w, &fresh);
	s.st[0] = (State){m->start, m->start, -1, -1};
	for (int level = 0; level < m->nn && lo < s.n && result != -2; level++) {
		hi = s.n;
		for (int id = lo; id < hi && result != -2; id++) {
			const uint64_t *set = s.bits + (size_t)id * (size_t)s.words;
			memcpy(left, m->readers, sizeof(int) * (size_t)g->nt);
			for (int j = 0; j < m->nn; j++) {
				done[j] = (set[j / 64] >> (j % 64)) & 1;
				for (const int *r = m->reads[j]; done[j] && *r >= 0; r++)
					left[*r]--;
			}
			for (int j = 0; j < m->nn; j++) {
				int64_t mem = s.st[id].mem, peak;
				int c;
				if (done[j] || !ready(m, j, done))
					continue;
				peak = step(g, m, j, left, &mem, 0);
				if (peak < s.st[id].peak)
					peak = s.st[id].peak;
				if (peak >= bound)
					continue;
				memcpy(w, set, sizeof(uint64_t) * (size_t)s.words);
				w[j / 64] |= (uint64_t)1 << (j % 64);
				c = lookup(&s, w, &fresh);
				if (c < 0) {
					result = -2;
					break;
				}
				if (fresh || peak < s.st[c].peak)
					s.st[c] = (State){peak, mem, id, j};
			}
		}
		lo = hi;
	}
	if (result != -2 && lo < s.n && lo > 0) /* the last level holds the full set */
		last = lo;
	if (last >= 0 && m->nn > 0) {
		result = s.st[last].peak;
		for (int id = last, k = m->nn - 1; id > 0; id = s.st[id].parent)
			order[k--] = s.st[id].node;
	}
	free(left);
	free(done);
	free(w);
	free(s.st);
	free(s.bits);
	free(s.hash);
	return result;
}

/* the arena pass_plan places for the order the nodes are in now (the plan is dropped) */
static int64_t placed(Graph *g)
{
	int64_t size;

	pass_plan(g);
	size = g->plan->arena_size;
	g->plan = NULL;
	return size;
}

void pass_schedule(Graph *g)
{
	Model m;
	int *best, *alt;
	int64_t peak, best_peak, p;
	const char *found = "given";
	int optimal = 0;

	IR_ASSERT(g->lowered);
	model_build(g, &m);
	best = int_list(m.nn);
	alt = int_list(m.nn);
	for (int j = 0; j < m.nn; j++)
		best[j] = j;
	peak = best_peak = order_peak(g, &m, best);
	if (passes_options()->schedule && m.nn > 1) {
		p = greedy(g, &m, alt);
		if (p < best_peak) {
			best_peak = p;
			memcpy(best, alt, sizeof(int) * (size_t)m.nn);
			found = "greedy";
		}
		p = m.nn <= SCHED_MAX_NODES ? exact(g, &m, best_peak, alt) : -2;
		if (p >= 0) {
			best_peak = p;
			memcpy(best, alt, sizeof(int) * (size_t)m.nn);
			found = "exact";
		}
		optimal = p != -2;
	}
	g->sched = (Sched){"given", found, optimal, peak, best_peak};
	if (best_peak < peak) { /* kept when the placed arena is smaller too (offsets
				   can fragment what a lower peak saves) */
		Node *given = g->n;
		int64_t before = placed(g);
		for (int j = 0; j < m.nn; j++)
			alt[j] = m.node[best[j]];
		ir_reorder(g, alt, m.nn);
		if (placed(g) < before) {
			g->sched.order = found;
		} else {
			for (int j = 0; j < m.nn; j++)
				alt[j] = j;
			g->n = given;
			ir_reorder(g, alt, g->nn);
		}
	}
	free(best);
	free(alt);
	model_free(&m);
}
