/* plan.c - the memory planner. Graph inputs and outputs live in the caller's buffers,
   constants in flash; every other tensor and scratch buffer gets an arena offset.
   Views share their input's buffer and in-place kernels write over an input that dies
   there; buffers whose lifetimes (first write to last read, in node order) overlap
   never share bytes. Offsets come from greedy first-fit, largest buffer first. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

#define ALIGN 8

typedef struct {
	int64_t size, offset;
	int first, last;  /* node indices */
	int root;         /* union-find parent */
	int pinned;       /* holds a graph output that is copied out at the end */
} Buf;

typedef struct {
	Buf *b;
	int n, cap;
	int *of;          /* tensor id -> buffer, -1 when not in the arena */
} Bufs;

static int buf_new(Bufs *bs, int64_t size, int first)
{
	if (bs->n == bs->cap) {
		bs->cap = bs->cap ? 2 * bs->cap : 64;
		bs->b = realloc(bs->b, sizeof *bs->b * (size_t)bs->cap);
		IR_ASSERT(bs->b);
	}
	bs->b[bs->n] = (Buf){size, 0, first, first, bs->n, 0};
	return bs->n++;
}

static int find(Bufs *bs, int i)
{
	while (bs->b[i].root != i)
		i = bs->b[i].root = bs->b[bs->b[i].root].root;
	return i;
}

static void use(Bufs *bs, int t, int node)
{
	int b;
	if (t < 0 || bs->of[t] < 0)
		return;
	b = find(bs, bs->of[t]);
	if (node > bs->b[b].last)
		bs->b[b].last = node;
}

/* the node index after which nothing reads buffer b (tensors sharing it included) */
static int last_use(Graph *g, Bufs *bs, int b, int from)
{
	int last = -1;
	for (int i = from; i < g->nn; i++) {
		const Node *n = &g->n[i];
		if (n->dead)
			continue;
		for (int k = 0; k < n->nin; k++)
			if (n->in[k] >= 0 && bs->of[n->in[k]] >= 0 && find(bs, bs->of[n->in[k]]) == b)
				last = i;
	}
	return last;
}

/* Another input of the node reads the buffer input k would be overwritten in (a view
   of it, or the same tensor twice): writing the output over it is not safe. */
static int shared_by_other_input(Bufs *bs, const Node *n, int k)
{
	int b = find(bs, bs->of[n->in[k]]);

	for (int j = 0; j < n->nin; j++)
		if (j != k && n->in[j] >= 0 && bs->of[n->in[j]] >= 0 && find(bs, bs->of[n->in[j]]) == b)
			return 1;
	return 0;
}

static Storage storage_of(Graph *g, int t)
{
	const Tensor *x = &g->t[t];
	Storage s = {ST_NONE, 0, 0};

	if (x->flags & T_CONST) {
		s.kind = ST_CONST;
		s.index = t;
	} else if (x->flags & T_INPUT) {
		for (int i = 0; i < g->ninputs; i++)
			if (g->inputs[i] == t)
				s.kind = ST_INPUT, s.index = i;
	}
	return s;
}

static int first_fit(Buf *b, int *order, int placed, int me)
{
	int64_t off = 0;
	int moved = 1;

	while (moved) {
		moved = 0;
		for (int j = 0; j < placed; j++) {
			const Buf *o = &b[order[j]];
			if (o->last < b[me].first || b[me].last < o->first)
				continue; /* lifetimes do not overlap */
			if (off < o->offset + o->size && o->offset < off + b[me].size) {
				off = (o->offset + o->size + ALIGN - 1) / ALIGN * ALIGN;
				moved = 1;
			}
		}
	}
	b[me].offset = off;
	return 0;
}

static int by_size(const void *x, const void *y, void *ctx)
{
	const Buf *b = ctx;
	const Buf *p = &b[*(const int *)x], *q = &b[*(const int *)y];
	if (p->size != q->size)
		return p->size > q->size ? -1 : 1;
	if (p->first != q->first)
		return p->first < q->first ? -1 : 1;
	return *(const int *)x - *(const int *)y;
}

/* qsort with a context, written out for portability; n is small */
static void sort_bufs(int *order, int n, Buf *b)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && by_size(&order[j], &order[j - 1], b) < 0; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

void pass_plan(Graph *g)
{
	Plan *p = arena_alloc(&g->arena, sizeof *p);
	Bufs bs = {0};
	int **scratch_buf = arena_alloc(&g->arena, sizeof(int *) * (size_t)(g->nn + 1));
	int *order, nroots = 0;

	IR_ASSERT(g->lowered);
	p->tensor = arena_alloc(&g->arena, sizeof(Storage) * (size_t)(g->nt + 1));
	p->scratch = arena_alloc(&g->arena, sizeof(Storage *) * (size_t)(g->nn + 1));
	bs.of = malloc(sizeof(int) * (size_t)(g->nt + 1));
	IR_ASSERT(bs.of);
	for (int t = 0; t < g->nt; t++) {
		p->tensor[t] = storage_of(g, t);
		bs.of[t] = -1;
	}
	/* graph outputs written by a kernel go straight into the caller's buffer; views
	   and constants are copied there at the end */
	for (int i = g->noutputs - 1; i >= 0; i--) {
		int t = g->outputs[i], pr = g->t[t].producer;
		if (pr >= 0 && !(g->t[t].flags & T_CONST) &&
		    !(g->n[pr].low->alias >= 0 && g->n[pr].out[0] == t))
			p->tensor[t] = (Storage){ST_OUTPUT, i, 0};
	}
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		const Lowered *L = g->n[i].low;
		if (n->dead)
			continue;
		for (int k = 0; k < n->nin; k++)
			use(&bs, n->in[k], i);
		scratch_buf[i] = arena_alloc(&g->arena, sizeof(int) * (size_t)(L->nscratch + 1));
		for (int s = 0; s < L->nscratch; s++)
			scratch_buf[i][s] = buf_new(&bs, L->scratch[s], i);
		for (int k = 0; k < n->nout; k++) {
			int t = n->out[k], in;
			if (t < 0 || p->tensor[t].kind != ST_NONE)
				continue;
			if (!ir_numel(&g->t[t]))
				continue; /* empty: no storage, kernels never touch it */
			in = k == 0 && L->alias >= 0 ? n->in[L->alias] : -1;
			if (in >= 0) { /* a view: the input's storage */
				p->tensor[t] = p->tensor[in];
				bs.of[t] = bs.of[in];
				if (bs.of[t] >= 0 && (g->t[t].flags & T_OUTPUT))
					bs.b[find(&bs, bs.of[t])].pinned = 1;
				continue;
			}
			in = k == 0 && L->inplace >= 0 ? n->in[L->inplace] : -1;
			if (in >= 0 && bs.of[in] >= 0 && !bs.b[find(&bs, bs.of[in])].pinned &&
			    bs.b[find(&bs, bs.of[in])].size >= ir_nbytes(&g->t[t]) &&
			    last_use(g, &bs, find(&bs, bs.of[in]), i + 1) < 0 &&
			    !shared_by_other_input(&bs, n, L->inplace)) {
				bs.of[t] = find(&bs, bs.of[in]);
				p->tensor[t].kind = ST_ARENA;
				continue;
			}
			p->tensor[t].kind = ST_ARENA;
			bs.of[t] = buf_new(&bs, ir_nbytes(&g->t[t]), i);
		}
	}
	/* a graph output held elsewhere (a view, a constant) is copied at the very end */
	for (int i = 0; i < g->noutputs; i++)
		use(&bs, g->outputs[i], g->nn);
	order = malloc(sizeof(int) * (size_t)(bs.n + 1));
	IR_ASSERT(order);
	for (int i = 0; i < bs.n; i++)
		if (find(&bs, i) == i) {
			order[nroots++] = i;
			p->naive_size += (bs.b[i].size + ALIGN - 1) / ALIGN * ALIGN;
		}
	sort_bufs(order, nroots, bs.b);
	for (int j = 0; j < nroots; j++) {
		Buf *b = &bs.b[order[j]];
		first_fit(bs.b, order, j, order[j]);
		if (b->offset + b->size > p->arena_size)
			p->arena_size = b->offset + b->size;
	}
	for (int t = 0; t < g->nt; t++)
		if (bs.of[t] >= 0 && p->tensor[t].kind == ST_ARENA)
			p->tensor[t].offset = bs.b[find(&bs, bs.of[t])].offset;
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		p->scratch[i] = arena_alloc(&g->arena, sizeof(Storage) * (size_t)(g->n[i].low->nscratch + 1));
		for (int s = 0; s < g->n[i].low->nscratch; s++)
			p->scratch[i][s] = (Storage){ST_ARENA, 0, bs.b[scratch_buf[i][s]].offset};
	}
	p->arena_size = (p->arena_size + ALIGN - 1) / ALIGN * ALIGN;
	g->plan = p;
	free(order);
	free(bs.b);
	free(bs.of);
}

void plan_print(Graph *g, FILE *f)
{
	static const char *kind[] = {"none", "arena", "input", "output", "const"};
	const Plan *p = g->plan;

	fprintf(f, "plan: arena %lld bytes (%lld without sharing)\n", (long long)p->arena_size,
		(long long)p->naive_size);
	for (int t = 0; t < g->nt; t++) {
		const Storage *s = &p->tensor[t];
		if (s->kind == ST_NONE || s->kind == ST_CONST)
			continue;
		fprintf(f, "  %%%d %-24s %-6s", t, g->t[t].name, kind[s->kind]);
		if (s->kind == ST_ARENA)
			fprintf(f, " [%lld, %lld)", (long long)s->offset,
				(long long)(s->offset + ir_nbytes(&g->t[t])));
		else
			fprintf(f, " #%d", s->index);
		fputc('\n', f);
	}
}

/* Checks the plan against the graph: every pair of arena tensors that are live at the
   same node and do not share a buffer by design must not overlap. */
int plan_check(Graph *g)
{
	const Plan *p = g->plan;
	int bad = 0, *first = malloc(sizeof(int) * (size_t)(g->nt + 1)), *last;

	last = malloc(sizeof(int) * (size_t)(g->nt + 1));
	IR_ASSERT(first && last);
	for (int t = 0; t < g->nt; t++)
		first[t] = g->t[t].producer, last[t] = first[t];
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0 && i > last[g->n[i].in[k]])
				last[g->n[i].in[k]] = i;
	for (int a = 0; a < g->nt; a++) {
		for (int b = a + 1; b < g->nt; b++) {
			const Storage *x = &p->tensor[a], *y = &p->tensor[b];
			if (x->kind != ST_ARENA || y->kind != ST_ARENA || x->offset == y->offset)
				continue; /* shared on purpose (views, in place) start together */
			if (last[a] < first[b] || last[b] < first[a])
				continue;
			if (x->offset < y->offset + ir_nbytes(&g->t[b]) &&
			    y->offset < x->offset + ir_nbytes(&g->t[a])) {
				fprintf(stderr, "plan: '%s' and '%s' overlap while both live\n",
					g->t[a].name, g->t[b].name);
				bad++;
			}
		}
	}
	free(first);
	free(last);
	return bad ? -1 : 0;
}
