/* plan.c - the memory planner. Graph inputs and outputs live in the caller's buffers
   (with --io-in-arena in the arena: an input from the start, so its bytes are reused once
   it is read for the last time; an output to the end), constants in flash; every other
   tensor and scratch buffer gets an arena offset.
   Views share their input's buffer (a Split's or Slice's from an offset into it: its
   outputs are contiguous parts of it) and in-place kernels write over an input that dies
   there (a buffer is then pieces at one offset: one grows when a kernel's contract lets
   its output be larger, one shrinks after a node whose output is smaller); a Concat's
   inputs may be parts of its output's buffer, when that keeps the arena as small.
   Buffers whose lifetimes (first write to last read, in node order) overlap never
   share bytes. Offsets come from place.c. Linear or n log n in the graph's size but for
   buffers live at once. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

#define ALIGN PLAN_ALIGN

typedef struct {
	int64_t size, offset;
	int first, last;  /* node indices */
	int root;         /* union-find parent */
	int pinned;       /* holds a graph output that is copied out at the end */
	int read_until;   /* the last node reading a tensor in it, so far assigned */
	int next;         /* the piece it grew into at that piece's first node, or -1 */
	int base;         /* the first piece of the buffer it is a piece of (itself) */
} Buf;

typedef struct {
	Buf *b;
	int n, cap;
	int *of;          /* tensor id -> buffer, -1 when not in the arena */
	int64_t *sub;     /* tensor id -> bytes into its buffer (a view of a part) */
	int *last_read;   /* tensor id -> the last node reading it, -1 for none */
} Bufs;

static int buf_new(Bufs *bs, int64_t size, int first)
{
	if (bs->n == bs->cap) {
		bs->cap = bs->cap ? 2 * bs->cap : 64;
		bs->b = realloc(bs->b, sizeof *bs->b * (size_t)bs->cap);
		IR_ASSERT(bs->b);
	}
	bs->b[bs->n] = (Buf){size, 0, first, first, bs->n, 0, -1, -1, bs->n};
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

/* puts tensor t in buffer b, which then lives as long as t is read */
static void assign(Bufs *bs, int t, int b)
{
	bs->of[t] = b;
	if (b >= 0 && bs->last_read[t] > bs->b[find(bs, b)].read_until)
		bs->b[find(bs, b)].read_until = bs->last_read[t];
}

/* the last node reading each tensor, in one walk (a search per node made planning
   quadratic in the graph's size) */
static int *last_reads(Graph *g)
{
	int *last = malloc(sizeof(int) * (size_t)(g->nt + 1));

	IR_ASSERT(last);
	for (int t = 0; t < g->nt; t++)
		last[t] = -1;
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0)
				last[g->n[i].in[k]] = i;
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
	} else if ((x->flags & T_INPUT) && !g->io_in_arena) {
		for (int i = 0; i < g->ninputs; i++)
			if (g->inputs[i] == t)
				s.kind = ST_INPUT, s.index = i;
	}
	return s;
}

/* the most bytes of one node's distinct inputs and outputs, graph inputs, outputs and
   constants excluded; a view (no kernel calls) is its input */
static int64_t layer_bound(Graph *g)
{
	int64_t most = 0;

	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		int64_t sum = 0;
		if (n->dead || (n->low->alias >= 0 && !n->low->ncall))
			continue;
		for (int k = 0; k < n->nin + n->nout; k++) {
			int t = k < n->nin ? n->in[k] : n->out[k - n->nin], twice = 0;
			if (t < 0 || (g->t[t].flags & (T_CONST | T_INPUT | T_OUTPUT)))
				continue;
			for (int j = 0; j < k; j++)
				twice |= (j < n->nin ? n->in[j] : n->out[j - n->nin]) == t;
			if (!twice)
				sum += ir_nbytes(&g->t[t]);
		}
		if (sum > most)
			most = sum;
	}
	return most;
}

/* Concats whose producers write into their output: per tensor, the Concat node it is a
   part of (-1 none) and its byte offset there */
typedef struct {
	int *node;
	int64_t *off;
} Into;

static Plan *plan_make(Graph *g, const Into *into)
{
	Plan *p = arena_alloc(&g->arena, sizeof *p);
	Bufs bs = {0};
	int **scratch_buf = arena_alloc(&g->arena, sizeof(int *) * (size_t)(g->nn + 1));
	int *order, nroots = 0, *outbuf = NULL, *at;
	PlaceBuf *pb;

	IR_ASSERT(g->lowered);
	p->tensor = arena_alloc(&g->arena, sizeof(Storage) * (size_t)(g->nt + 1));
	p->scratch = arena_alloc(&g->arena, sizeof(Storage *) * (size_t)(g->nn + 1));
	bs.of = malloc(sizeof(int) * (size_t)(g->nt + 1));
	bs.sub = calloc((size_t)g->nt + 1, sizeof(int64_t));
	bs.last_read = last_reads(g);
	IR_ASSERT(bs.of && bs.sub);
	for (int t = 0; t < g->nt; t++) {
		p->tensor[t] = storage_of(g, t);
		bs.of[t] = -1;
	}
	/* --io-in-arena: the inputs are there from the start */
	for (int i = 0; g->io_in_arena && i < g->ninputs; i++) {
		int t = g->inputs[i];
		if (ir_numel(&g->t[t]) && p->tensor[t].kind == ST_NONE && bs.of[t] < 0) {
			p->tensor[t].kind = ST_ARENA;
			assign(&bs, t, buf_new(&bs, ir_nbytes(&g->t[t]), 0));
		}
	}
	/* graph outputs written by a kernel go straight into the caller's buffer; views
	   and constants are copied there at the end */
	for (int i = g->noutputs - 1; i >= 0 && !g->io_in_arena; i--) {
		int t = g->outputs[i], pr = g->t[t].producer;
		int64_t off;
		if (pr >= 0 && !(g->t[t].flags & T_CONST) && ir_tensor_view(g, t, &off) < 0)
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
			int64_t off;
			if (t < 0 || p->tensor[t].kind != ST_NONE)
				continue;
			if (!ir_numel(&g->t[t]))
				continue; /* empty: no storage, kernels never touch it */
			if (into->node[t] >= 0) { /* a part of a Concat's output: there */
				int y = g->n[into->node[t]].out[0];
				if (p->tensor[y].kind == ST_NONE) { /* from its first part on */
					p->tensor[y].kind = ST_ARENA;
					assign(&bs, y, buf_new(&bs, ir_nbytes(&g->t[y]), i));
				}
				p->tensor[t] = p->tensor[y];
				p->tensor[t].offset += into->off[t];
				bs.sub[t] = into->off[t];
				assign(&bs, t, bs.of[y]);
				continue;
			}
			in = ir_view_of(g, i, k, &off);
			if (in >= 0) { /* a view: the input's storage, from off bytes in */
				p->tensor[t] = p->tensor[in];
				p->tensor[t].offset += off;
				bs.sub[t] = bs.sub[in] + off;
				assign(&bs, t, bs.of[in]);
				if (bs.of[t] >= 0 && (g->t[t].flags & T_OUTPUT))
					bs.b[find(&bs, bs.of[t])].pinned = 1;
				continue;
			}
			in = k == 0 && L->inplace >= 0 ? n->in[L->inplace] : -1;
			if (in >= 0 && bs.of[in] >= 0 && !bs.b[find(&bs, bs.of[in])].pinned &&
			    (L->grow || bs.b[find(&bs, bs.of[in])].size >= ir_nbytes(&g->t[t])) &&
			    bs.b[find(&bs, bs.of[in])].read_until <= i &&
			    !shared_by_other_input(&bs, n, L->inplace) &&
			    (!bs.sub[in] || ir_nbytes(&g->t[t]) <= ir_nbytes(&g->t[in]))) {
				int b = find(&bs, bs.of[in]);
				if (bs.sub[in]) { /* over a part further in: at the same bytes, the
						     buffer kept whole */
					bs.sub[t] = bs.sub[in];
				} else if (bs.b[b].size != ir_nbytes(&g->t[t])) {
					/* a new piece at the same offset: larger from this node on,
					   smaller from the next (this one still reads all of it) */
					int grows = bs.b[b].size < ir_nbytes(&g->t[t]);
					int nb = buf_new(&bs, ir_nbytes(&g->t[t]), grows ? i : i + 1);
					bs.b[b].next = nb;
					bs.b[nb].base = bs.b[b].base;
					b = nb;
				}
				assign(&bs, t, b);
				p->tensor[t].kind = ST_ARENA;
				continue;
			}
			p->tensor[t].kind = ST_ARENA;
			assign(&bs, t, buf_new(&bs, ir_nbytes(&g->t[t]), i));
		}
	}
	/* a graph output held elsewhere (a view, a constant) is copied at the very end; with
	   --io-in-arena, a constant one into a buffer of its own */
	for (int i = 0; i < g->noutputs; i++)
		use(&bs, g->outputs[i], g->nn);
	if (g->io_in_arena) {
		outbuf = malloc(sizeof(int) * (size_t)(g->noutputs + 1));
		IR_ASSERT(outbuf);
		for (int i = 0; i < g->noutputs; i++) {
			int t = g->outputs[i];
			outbuf[i] = bs.of[t] < 0 && ir_numel(&g->t[t])
					    ? buf_new(&bs, ir_nbytes(&g->t[t]), g->nn) : -1;
		}
	}
	order = malloc(sizeof(int) * (size_t)(bs.n + 1));
	IR_ASSERT(order);
	for (int i = 0; i < bs.n; i++)
		if (find(&bs, i) == i) {
			order[nroots++] = i;
			p->naive_size += (bs.b[i].size + ALIGN - 1) / ALIGN * ALIGN;
		}
	pb = malloc(sizeof *pb * (size_t)(nroots + 1));
	at = malloc(sizeof(int) * (size_t)(bs.n + 1));
	IR_ASSERT(pb && at);
	for (int j = 0; j < nroots; j++) { /* a piece that grew ends where the next begins */
		const Buf *b = &bs.b[order[j]];
		at[order[j]] = j;
		pb[j] = (PlaceBuf){b->size, 0, b->first, b->next >= 0 ? bs.b[b->next].first - 1 : b->last,
				   b->base != order[j] ? 1 + at[b->base] : 0};
	}
	free(at);
	p->arena_size = place_buffers(pb, nroots, &p->live_peak);
	p->layer_bound = layer_bound(g);
	for (int j = 0; j < nroots; j++)
		bs.b[order[j]].offset = pb[j].offset;
	free(pb);
	for (int t = 0; t < g->nt; t++)
		if (bs.of[t] >= 0 && p->tensor[t].kind == ST_ARENA) {
			p->tensor[t].offset = bs.b[find(&bs, bs.of[t])].offset + bs.sub[t];
			p->tensor[t].buffer = bs.b[find(&bs, bs.of[t])].base;
		}
	if (outbuf) {
		p->out_offset = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(g->noutputs + 1));
		for (int i = 0; i < g->noutputs; i++) {
			int t = g->outputs[i];
			p->out_offset[i] = outbuf[i] >= 0 ? bs.b[outbuf[i]].offset
				: p->tensor[t].kind == ST_ARENA ? p->tensor[t].offset : 0;
		}
		free(outbuf);
	}
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		p->scratch[i] = arena_alloc(&g->arena, sizeof(Storage) * (size_t)(g->n[i].low->nscratch + 1));
		for (int s = 0; s < g->n[i].low->nscratch; s++)
			p->scratch[i][s] = (Storage){ST_ARENA, 0, bs.b[scratch_buf[i][s]].offset,
						     find(&bs, scratch_buf[i][s])};
	}
	free(order);
	free(bs.b);
	free(bs.of);
	free(bs.sub);
	free(bs.last_read);
	return p;
}

/* Concat c's producers may write into its output: its inputs are contiguous parts of
   it, each a tensor some kernel writes (not a constant, graph input or output, view,
   or another such Concat's output), read by c alone, once, and part of no other
   Concat chosen; and its output is not a part itself */
static int into_ok(Graph *g, const Into *into, const int *readers, int c)
{
	const Node *n = &g->n[c];
	int64_t off;

	if (n->dead || n->op != OP_CONCAT || !n->low->into_off || into->node[n->out[0]] >= 0)
		return 0;
	for (int k = 0; k < n->nin; k++) {
		int t = n->in[k], pr = t >= 0 ? g->t[t].producer : -1;
		if (t < 0 || !ir_numel(&g->t[t]))
			continue;
		if (pr < 0 || (g->t[t].flags & (T_CONST | T_INPUT | T_OUTPUT)) || readers[t] != 1 ||
		    into->node[t] >= 0 || ir_tensor_view(g, t, &off) >= 0 ||
		    (g->n[pr].op == OP_CONCAT && g->plan && g->plan->into[pr]))
			return 0;
		for (int j = 0; j < k; j++)
			if (n->in[j] == t)
				return 0;
	}
	return 1;
}

static void into_set(Graph *g, Into *into, int c, int on)
{
	const Node *n = &g->n[c];

	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && ir_numel(&g->t[n->in[k]])) {
			into->node[n->in[k]] = on ? c : -1;
			into->off[n->in[k]] = on ? n->low->into_off[k] : 0;
		}
}

/* Plans without Concats written into, then adds them one at a time, in node order,
   each kept when the arena does not grow (equal: the copies are saved); beyond
   PLAN_INTO_TRIES candidates the rest are tried together. */
#define PLAN_INTO_TRIES 64

void pass_plan(Graph *g)
{
	Into into;
	int *readers = calloc((size_t)g->nt + 1, sizeof(int)), tries = 0, nrest = 0;
	int *rest = malloc(sizeof(int) * (size_t)(g->nn + 1));
	Plan *best;

	IR_ASSERT(g->lowered && readers && rest);
	into.node = malloc(sizeof(int) * (size_t)(g->nt + 1));
	into.off = calloc((size_t)g->nt + 1, sizeof(int64_t));
	IR_ASSERT(into.node && into.off);
	for (int t = 0; t < g->nt; t++)
		into.node[t] = -1;
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0)
				readers[g->n[i].in[k]]++;
	g->plan = best = plan_make(g, &into);
	best->into = arena_alloc(&g->arena, (size_t)g->nn + 1);
	for (int c = 0; c < g->nn; c++) {
		Plan *p;
		if (!into_ok(g, &into, readers, c))
			continue;
		into_set(g, &into, c, 1);
		best->into[c] = 1;
		if (++tries < PLAN_INTO_TRIES) {
			p = plan_make(g, &into);
			if (p->arena_size <= best->arena_size) {
				p->into = best->into;
				g->plan = best = p;
			} else {
				into_set(g, &into, c, 0);
				best->into[c] = 0;
			}
		} else {
			rest[nrest++] = c;
		}
	}
	if (nrest) { /* the rest together, kept when no larger */
		Plan *p = plan_make(g, &into);
		if (p->arena_size <= best->arena_size) {
			p->into = best->into;
			best = p;
		} else {
			for (int r = 0; r < nrest; r++)
				best->into[rest[r]] = 0;
		}
	}
	g->plan = best;
	free(rest);
	free(readers);
	free(into.node);
	free(into.off);
}

void plan_print(Graph *g, FILE *f)
{
	static const char *kind[] = {"none", "arena", "input", "output", "const"};
	const Plan *p = g->plan;

	fprintf(f, "plan: arena %lld bytes (live peak %lld, layer-wise bound %lld, %lld without "
		"sharing)\n", (long long)p->arena_size, (long long)p->live_peak,
		(long long)p->layer_bound, (long long)p->naive_size);
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

/* Checks the plan against the graph: two arena tensors live at the same node must not
   overlap unless they are one buffer by design (a view, an in-place output), and a
   scratch buffer must not overlap a tensor live while its node runs. */
int plan_check(Graph *g)
{
	const Plan *p = g->plan;
	int bad = 0, *first = malloc(sizeof(int) * (size_t)(g->nt + 1)), *last;

	last = malloc(sizeof(int) * (size_t)(g->nt + 1));
	IR_ASSERT(first && last);
	for (int t = 0; t < g->nt; t++) /* a graph output is copied out after the last node */
		first[t] = g->t[t].producer, last[t] = g->t[t].flags & T_OUTPUT ? g->nn : first[t];
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; !g->n[i].dead && k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0 && i > last[g->n[i].in[k]])
				last[g->n[i].in[k]] = i;
	for (int a = 0; a < g->nt; a++) {
		for (int b = a + 1; b < g->nt; b++) {
			const Storage *x = &p->tensor[a], *y = &p->tensor[b];
			if (x->kind != ST_ARENA || y->kind != ST_ARENA || x->buffer == y->buffer)
				continue; /* one buffer: views and in-place partners */
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
	for (int i = 0; i < g->nn; i++) /* scratch: live while its node runs */
		for (int s = 0; !g->n[i].dead && s < g->n[i].low->nscratch; s++) {
			const Storage *x = &p->scratch[i][s];
			int64_t xn = g->n[i].low->scratch[s];
			for (int t = 0; t < g->nt && xn > 0; t++) {
				const Storage *y = &p->tensor[t];
				if (y->kind == ST_ARENA && first[t] <= i && i <= last[t] &&
				    x->offset < y->offset + ir_nbytes(&g->t[t]) &&
				    y->offset < x->offset + xn) {
					fprintf(stderr, "plan: scratch %d of '%s' overlaps '%s'\n", s,
						g->n[i].name, g->t[t].name);
					bad++;
				}
			}
		}
	free(first);
	free(last);
	return bad ? -1 : 0;
}
