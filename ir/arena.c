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

void ir_error(Graph *g, int node, const char *fmt, ...)
{
	FILE *f = g->diag ? g->diag : stderr;
	va_list ap;

	fprintf(f, "%s: ", g->path ? g->path : "<graph>");
	if (node >= 0 && node < g->nn)
		fprintf(f, "node '%s' (%s): ", g->n[node].name, g->n[node].op_type);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	for (; g; g = g->parent) /* an error in a subgraph is one of the whole model */
		g->nerrors++;
}

int64_t ir_max_const_bytes = (int64_t)256 << 20;

void ir_die(const char *file, int line, const char *what)
{
	fprintf(stderr, "onnx2mcu: internal error at %s:%d: %s\n", file, line, what);
	abort();
}
