/* arena.c - the bump allocator every graph lives in, and the two kinds of error:
   ir_error for bad input (names file and node, counts, carries on) and ir_die for a
   broken invariant (aborts with file:line); and the limit on a model's constants. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
	ArenaBlock *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
};

void *arena_alloc(Arena *a, size_t n)
{
	ArenaBlock *b = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t size = n > (1u << 20) ? n : (1u << 20);
		b = malloc(sizeof *b + size);
		if (!b) {
			fprintf(stderr, "onnx2mcu: out of memory (%zu bytes)\n", size);
			exit(3);
		}
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = b->mem + b->used;
	b->used += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

void *arena_memdup(Arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(q, p, n);
	return q;
}

char *arena_strdup(Arena *a, const char *s)
{
	return arena_memdup(a, s, strlen(s) + 1);
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void arena_free(Arena *a)
{
	while (a->head) {
		ArenaBlock *next = a->head->next;
		free(a->head);
		a->head = next;
	}
	a->used = 0;
}

/* one diagnostic in the form editors and CI parsers read, as gcc writes them:
   FILE: node 'NAME' (OpType): error: what is wrong */
void (*ir_before_diag)(void);

static void diag(Graph *g, int node, const char *kind, const char *fmt, va_list ap)
{
	FILE *f = g->diag ? g->diag : stderr;

	if (ir_before_diag)
		ir_before_diag();
	fprintf(f, "%s: ", g->path ? g->path : "<graph>");
	if (node >= 0 && node < g->nn)
		fprintf(f, "node '%s' (%s): ", g->n[node].name, g->n[node].op_type);
	fprintf(f, "%s: ", kind);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void ir_error(Graph *g, int node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(g, node, "error", fmt, ap);
	va_end(ap);
	for (; g; g = g->parent) /* an error in a subgraph is one of the whole model */
		g->nerrors++;
}

void ir_warning(Graph *g, int node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(g, node, "warning", fmt, ap);
	va_end(ap);
}

void ir_note(Graph *g, int node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(g, node, "note", fmt, ap);
	va_end(ap);
}
int64_t ir_max_const_bytes = (int64_t)256 << 20;
int ir_max_nodes = 1 << 17;

void ir_die(const char *file, int line, const char *what)
{
	fprintf(stderr, "onnx2mcu: internal error at %s:%d: %s\n", file, line, what);
	abort();
}

/* edit distance of two short strings, a swap of neighbours counting as one edit (so
   'bacth' is one from 'batch'); names longer than 63 count as far */
static int edit_distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[64][64];

	if (la > 63 || lb > 63)
		return 1 << 20;
	for (int i = 0; i <= la; i++)
		for (int j = 0; j <= lb; j++) {
			int best = i && j ? d[i - 1][j - 1] + (a[i - 1] != b[j - 1]) : i + j;
			if (i && d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (j && d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

int ir_nearest(const char *s, const char *const *names, int n)
{
	int best = -1, bd = 1 << 20, limit = (int)strlen(s) / 3;

	limit = limit < 1 ? 1 : limit;
	for (int i = 0; i < n; i++) {
		int d = edit_distance(s, names[i]);
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return bd <= limit ? best : -1;
}
