/* place.c - arena offsets for the planner's buffers. Takes buffers with a size and a
   lifetime (first and last step, inclusive) and gives each an offset so that buffers
   whose lifetimes overlap share no byte. Several greedy strategies and, for a few
   buffers, an exact search; the smallest arena wins, the live peak bounds them all. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

#define ALIGN 8
#define EXACT_MAX 24         /* buffers the exact search takes on */
#define EXACT_BUDGET 200000  /* placements it may try (steps counted, never time) */
#define GREEDY_MAX 5000      /* above: only the first strategy, to stay n log n */

static int64_t aligned(int64_t n)
{
	return (n + ALIGN - 1) / ALIGN * ALIGN;
}

int64_t place_live_peak(const PlaceBuf *b, int n)
{
	int steps = 0;
	int64_t *delta, live = 0, peak = 0;

	for (int i = 0; i < n; i++)
		if (b[i].last + 1 > steps)
			steps = b[i].last + 1;
	delta = calloc((size_t)steps + 1, sizeof *delta);
	IR_ASSERT(delta);
	for (int i = 0; i < n; i++) {
		delta[b[i].first] += aligned(b[i].size);
		delta[b[i].last + 1] -= aligned(b[i].size);
	}
	for (int s = 0; s < steps; s++) {
		live += delta[s];
		if (live > peak)
			peak = live;
	}
	free(delta);
	return peak;
}

/* The placed buffers whose lifetimes overlap a new one's, found without looking at
   every placed buffer: the buffers sorted by first use, and a tree of the latest last
   use over ranges of them, which skips ranges that all end too early. */
typedef struct {
	const PlaceBuf *b;
	const char *placed;
	int *by_first;    /* buffer ids sorted by first use */
	int *top;         /* tree over by_first: the latest last use of a range */
	int leaves;       /* a power of two */
} Lives;

/* qsort has no context argument in C11; planning runs on one thread */
static const PlaceBuf *sort_ctx;
static int sort_key;

static int by_first(const void *x, const void *y)
{
	const PlaceBuf *p = &sort_ctx[*(const int *)x], *q = &sort_ctx[*(const int *)y];
	return p->first != q->first ? (p->first < q->first ? -1 : 1)
				    : *(const int *)x - *(const int *)y;
}

static void lives_init(Lives *lv, const PlaceBuf *b, const char *placed, int n)
{
	lv->b = b;
	lv->placed = placed;
	lv->leaves = 1;
	while (lv->leaves < n)
		lv->leaves *= 2;
	lv->by_first = malloc(sizeof(int) * (size_t)(n + 1));
	lv->top = malloc(sizeof(int) * (size_t)(2 * lv->leaves));
	IR_ASSERT(lv->by_first && lv->top);
	for (int i = 0; i < n; i++)
		lv->by_first[i] = i;
	sort_ctx = b;
	qsort(lv->by_first, (size_t)n, sizeof(int), by_first);
	for (int i = 0; i < lv->leaves; i++)
		lv->top[lv->leaves + i] = i < n ? b[lv->by_first[i]].last : -1;
	for (int i = lv->leaves - 1; i > 0; i--)
		lv->top[i] = lv->top[2 * i] > lv->top[2 * i + 1] ? lv->top[2 * i] : lv->top[2 * i + 1];
}

/* appends to out the placed buffers of tree node v (leaves [lo, hi)) that start by
   `last` and end at `first` or later */
static void lives_overlapping(const Lives *lv, int v, int lo, int hi, int first, int last,
			      int *out, int *nout)
{
	if (lv->top[v] < first || lv->b[lv->by_first[lo]].first > last)
		return; /* all end too early (padding too), or all start too late */
	if (hi - lo == 1) {
		if (lv->placed[lv->by_first[lo]])
			out[(*nout)++] = lv->by_first[lo];
		return;
	}
	lives_overlapping(lv, 2 * v, lo, (lo + hi) / 2, first, last, out, nout);
	lives_overlapping(lv, 2 * v + 1, (lo + hi) / 2, hi, first, last, out, nout);
}

static int by_offset(const void *x, const void *y)
{
	const PlaceBuf *p = &sort_ctx[*(const int *)x], *q = &sort_ctx[*(const int *)y];
	if (p->offset != q->offset)
		return p->offset < q->offset ? -1 : 1;
	return *(const int *)x - *(const int *)y;
}

enum { FIRST_FIT, BEST_FIT, BEST_FIT_HIGH };

/* Places buffer me among the placed buffers live with it: first fit takes the lowest
   gap it fits in, best fit the tightest such gap (the lowest of equals), at its start
   or, high, at its end; above them all is a gap of no end. Sizes are aligned, so every
   offset is. */
static void fit(PlaceBuf *b, const Lives *lv, int me, int how, int *tmp)
{
	int64_t off = 0, size = aligned(b[me].size), at = -1, gap = -1;
	int k = 0;

	lives_overlapping(lv, 1, 0, lv->leaves, b[me].first, b[me].last, tmp, &k);
	sort_ctx = b;
	qsort(tmp, (size_t)k, sizeof(int), by_offset);
	for (int j = 0; j < k; j++) {
		const PlaceBuf *o = &b[tmp[j]];
		if (o->offset - off >= size && (at < 0 || o->offset - off < gap)) {
			at = off, gap = o->offset - off;
			if (how == FIRST_FIT)
				break;
		}
		if (o->offset + aligned(o->size) > off)
			off = o->offset + aligned(o->size);
	}
	b[me].offset = at < 0 ? off : how == BEST_FIT_HIGH ? at + gap - size : at;
}

/* The pieces of a group (a buffer that grows), first fit: the lowest offset where none
   of them meets a placed buffer live with it. Each placed buffer rules out the offsets
   strictly between its offset minus the piece's size and its end; swept in order of
   their start, the first offset left is the answer. */
typedef struct {
	int64_t lo, hi;
} Span;

static int by_lo(const void *x, const void *y)
{
	const Span *p = x, *q = y;
	return p->lo != q->lo ? (p->lo < q->lo ? -1 : 1) : (p->hi > q->hi) - (p->hi < q->hi);
}

static void fit_group(PlaceBuf *b, const Lives *lv, const int *members, int nm, int *tmp)
{
	Span *ruled = NULL;
	int64_t off = 0;
	int n = 0, cap = 0;

	for (int m = 0; m < nm; m++) {
		const PlaceBuf *me = &b[members[m]];
		int k = 0;
		lives_overlapping(lv, 1, 0, lv->leaves, me->first, me->last, tmp, &k);
		if (n + k > cap) {
			Span *more = realloc(ruled, sizeof *ruled * (size_t)(2 * (n + k)));
			IR_ASSERT(more);
			ruled = more;
			cap = 2 * (n + k);
		}
		for (int j = 0; j < k; j++)
			ruled[n++] = (Span){b[tmp[j]].offset - aligned(me->size),
					    b[tmp[j]].offset + aligned(b[tmp[j]].size)};
	}
	if (n)
		qsort(ruled, (size_t)n, sizeof *ruled, by_lo);
	for (int j = 0; j < n && ruled[j].lo < off; j++)
		if (ruled[j].hi > off)
			off = ruled[j].hi;
	for (int m = 0; m < nm; m++)
		b[members[m]].offset = off;
	free(ruled);
}

enum { BY_SIZE, BY_LENGTH, BY_FIRST, BY_AREA };

static int64_t key(const PlaceBuf *p)
{
	switch (sort_key) {
	case BY_LENGTH: return p->last - p->first;
	case BY_FIRST:  return -(int64_t)p->first;
	case BY_AREA:   return aligned(p->size) * (p->last - p->first + 1);
	default:        return aligned(p->size);
	}
}

/* the strategy's key first (larger first), then larger, then earlier, then by id */
static int by_key(const void *x, const void *y)
{
	const PlaceBuf *p = &sort_ctx[*(const int *)x], *q = &sort_ctx[*(const int *)y];
	int64_t kp = key(p), kq = key(q);
	if (kp != kq)
		return kp > kq ? -1 : 1;
	if (p->size != q->size)
		return p->size > q->size ? -1 : 1;
	if (p->first != q->first)
		return p->first < q->first ? -1 : 1;
	return *(const int *)x - *(const int *)y;
}

/* the members of each group, as lists: group g's are member[start[g] .. start[g + 1]) */
typedef struct {
	int *start, *member;
	int grown; /* some group has more than one piece */
} Groups;

static int group_of(const PlaceBuf *b, int i)
{
	return b[i].with ? b[i].with - 1 : i;
}

static void groups_init(Groups *gr, const PlaceBuf *b, int n)
{
	gr->start = calloc((size_t)n + 2, sizeof(int));
	gr->member = malloc(sizeof(int) * (size_t)(n + 1));
	IR_ASSERT(gr->start && gr->member);
	gr->grown = 0;
	for (int i = 0; i < n; i++) {
		IR_ASSERT(b[i].with >= 0 && b[i].with <= i);
		gr->start[group_of(b, i) + 2]++;
		gr->grown |= b[i].with != 0;
	}
	for (int g = 0; g < n; g++)
		gr->start[g + 2] += gr->start[g + 1];
	for (int i = 0; i < n; i++)
		gr->member[gr->start[group_of(b, i) + 1]++] = i;
}

/* one greedy strategy: the buffers in the order of key, each fit `how` (a group, first
   fit, when its first piece comes); returns the arena it needs */
static int64_t greedy(PlaceBuf *b, int n, int order, int how, char *placed, const Lives *lv,
		      const Groups *gr, int *ids, int *tmp)
{
	int64_t arena = 0;

	for (int i = 0; i < n; i++)
		ids[i] = i, placed[i] = 0;
	sort_ctx = b;
	sort_key = order;
	qsort(ids, (size_t)n, sizeof(int), by_key);
	for (int j = 0; j < n; j++) {
		const int me = ids[j], g = group_of(b, me);
		const int *mem = gr->member + gr->start[g], nm = gr->start[g + 1] - gr->start[g];
		if (placed[me])
			continue; /* with its group */
		if (nm > 1)
			fit_group(b, lv, mem, nm, tmp);
		else
			fit(b, lv, me, how, tmp);
		for (int m = 0; m < nm; m++) {
			placed[mem[m]] = 1;
			if (b[mem[m]].offset + aligned(b[mem[m]].size) > arena)
				arena = b[mem[m]].offset + aligned(b[mem[m]].size);
		}
	}
	return arena;
}

/* The exact search. An optimal placement pushed down as far as it goes has every
   buffer at 0 or at the end of a buffer live with it that lies lower; taking the
   buffers in order of offset, each sits at the highest end of those placed before it
   that are live with it. So the search tries every order, with each buffer at that
   offset, keeping only orders of non-decreasing offset (ties by index) and pruning
   where the offset plus the largest sum of sizes still to place live at one step
   reaches the best arena found. */
typedef struct {
	int n, npts;
	int64_t size[EXACT_MAX], off[EXACT_MAX], best_off[EXACT_MAX], best, peak;
	uint32_t conf[EXACT_MAX]; /* the buffers live with each */
	uint32_t live[EXACT_MAX]; /* the buffers live at each buffer's first step */
	int twin[EXACT_MAX];      /* an earlier buffer of the same size and lifetime, or -1 */
	long steps;
} Exact;

static int64_t exact_bound(const Exact *e, uint32_t left)
{
	int64_t most = 0;

	for (int p = 0; p < e->npts; p++) {
		int64_t sum = 0;
		for (uint32_t m = e->live[p] & left; m; m &= m - 1)
			sum += e->size[__builtin_ctz(m)];
		if (sum > most)
			most = sum;
	}
	return most;
}

static void exact_dfs(Exact *e, uint32_t left, int prev, int64_t prev_off, int64_t top)
{
	if (!left) {
		e->best = top;
		memcpy(e->best_off, e->off, sizeof e->off);
		return;
	}
	for (int i = 0; i < e->n && e->best > e->peak && e->steps < EXACT_BUDGET; i++) {
		int64_t off = 0;
		if (!(left >> i & 1) || (e->twin[i] >= 0 && (left >> e->twin[i] & 1)))
			continue; /* placed, or an equal buffer goes first */
		e->steps++;
		for (uint32_t m = e->conf[i] & ~left; m; m &= m - 1) {
			int j = __builtin_ctz(m);
			if (e->off[j] + e->size[j] > off)
				off = e->off[j] + e->size[j];
		}
		if (off < prev_off || (off == prev_off && i < prev))
			continue; /* the same placement comes in offset order elsewhere */
		if (off + e->size[i] >= e->best || off + exact_bound(e, left) >= e->best)
			continue;
		e->off[i] = off;
		exact_dfs(e, left & ~(1u << i), i, off,
			  off + e->size[i] > top ? off + e->size[i] : top);
	}
}

/* improves on the placement b (arena `arena`) when it can; returns the arena */
static int64_t exact(PlaceBuf *b, int n, int64_t arena, int64_t peak)
{
	Exact e = {0};
	int idx[EXACT_MAX] = {0};

	for (int i = 0; i < n; i++)
		if (aligned(b[i].size) > 0)
			idx[e.n++] = i;
	for (int x = 0; x < e.n; x++) {
		const PlaceBuf *p = &b[idx[x]];
		e.size[x] = aligned(p->size);
		e.twin[x] = -1;
		for (int y = 0; y < e.n; y++) {
			const PlaceBuf *q = &b[idx[y]];
			if (y != x && p->first <= q->last && q->first <= p->last)
				e.conf[x] |= 1u << y;
			if (q->first <= p->first && p->first <= q->last)
				e.live[x] |= 1u << y;
			if (y < x && e.twin[x] < 0 && e.size[y] == e.size[x] && q->first == p->first &&
			    q->last == p->last)
				e.twin[x] = y;
		}
	}
	e.npts = e.n;
	e.best = arena;
	e.peak = peak;
	exact_dfs(&e, (1u << e.n) - 1, -1, 0, 0);
	if (e.best < arena)
		for (int x = 0; x < e.n; x++)
			b[idx[x]].offset = e.best_off[x];
	return e.best;
}

int64_t place_buffers(PlaceBuf *b, int n, int64_t *live_peak)
{
	static const struct { int order, how; } strategy[] = {
		{BY_SIZE, FIRST_FIT}, {BY_LENGTH, FIRST_FIT}, {BY_FIRST, FIRST_FIT}, {BY_AREA, FIRST_FIT},
		{BY_SIZE, BEST_FIT}, {BY_LENGTH, BEST_FIT}, {BY_FIRST, BEST_FIT}, {BY_AREA, BEST_FIT},
		{BY_SIZE, BEST_FIT_HIGH}, {BY_LENGTH, BEST_FIT_HIGH}, {BY_FIRST, BEST_FIT_HIGH},
		{BY_AREA, BEST_FIT_HIGH},
	};
	int nstrat = n > GREEDY_MAX ? 1 : (int)(sizeof strategy / sizeof *strategy);
	int64_t peak = place_live_peak(b, n), best = -1, *off = malloc(sizeof(int64_t) * (size_t)(n + 1));
	int *ids = malloc(sizeof(int) * (size_t)(n + 1)), *tmp = malloc(sizeof(int) * (size_t)(n + 1));
	char *placed = malloc((size_t)n + 1);
	Lives lv;
	Groups gr;

	IR_ASSERT(off && ids && tmp && placed);
	lives_init(&lv, b, placed, n);
	groups_init(&gr, b, n);
	for (int s = 0; s < nstrat && best != peak; s++) {
		int64_t arena = greedy(b, n, strategy[s].order, strategy[s].how, placed, &lv, &gr,
				       ids, tmp);
		if (best < 0 || arena < best) { /* ties keep the earlier strategy */
			best = arena;
			for (int i = 0; i < n; i++)
				off[i] = b[i].offset;
		}
	}
	for (int i = 0; i < n; i++)
		b[i].offset = off[i];
	if (n <= EXACT_MAX && best > peak && !gr.grown) /* the search knows no groups */
		best = exact(b, n, best, peak);
	free(gr.start);
	free(gr.member);
	free(lv.by_first);
	free(lv.top);
	free(off);
	free(ids);
	free(tmp);
	free(placed);
	if (live_peak)
		*live_peak = peak;
	return best < 0 ? 0 : best;
}
