/* check.c - the independent memory plan checker: reads a plan written by
   `onnx2mcu compile --memory-plan FILE.json` (or validate's) and proves that no two live
   bytes overlap: every buffer lies inside the arena, its steps inside the schedule, and
   two buffers of different roots that are live at a common step (first and last are
   inclusive) share no byte. Buffers of one root are views, parts or in-place partners
   by the plan's own account, so two of them may share bytes while both live only as
   those do: one lies inside the other (a view, a part of a Concat, a piece that grew
   or shrank at its offset), or they meet at a single step (an output written over an
   input that dies there). Shares no code with the compiler.
   usage: check FILE.json...   exit 0 when every plan holds, 1 otherwise */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *name;
	long long root, offset, size, first, last;
} Buf;

/* two buffers of one root that overlap while both live: one inside the other, or live
   together at one step only */
static int partners(const Buf *a, const Buf *b)
{
	long long from = a->first > b->first ? a->first : b->first;
	long long to = a->last < b->last ? a->last : b->last;

	return (a->offset <= b->offset && b->offset + b->size <= a->offset + a->size) ||
	       (b->offset <= a->offset && a->offset + a->size <= b->offset + b->size) || from == to;
}

static int by_first(const void *x, const void *y)
{
	const Buf *a = x, *b = y;
	return a->first != b->first ? (a->first < b->first ? -1 : 1)
	       : a->offset != b->offset ? (a->offset < b->offset ? -1 : 1) : 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (s = malloc((size_t)n + 1)) && fread(s, 1, (size_t)n, f) == (size_t)n)
		s[n] = 0;
	else {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/* a whole-number field of o, or -1 with *bad set */
static long long field(const cJSON *o, const char *key, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long long)v->valuedouble) {
		*bad = 1;
		return -1;
	}
	return (long long)v->valuedouble;
}

static int check(const char *path)
{
	char *text = slurp(path);
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "buffers"), *e;
	long long arena, steps;
	int n = 0, bad = 0, errors = 0;
	Buf *b;

	free(text);
	if (!doc || !cJSON_IsArray(list)) {
		fprintf(stderr, "%s: not a memory plan\n", path);
		cJSON_Delete(doc);
		return 1;
	}
	arena = field(doc, "arena_size", &bad);
	steps = field(doc, "steps", &bad);
	b = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *b);
	cJSON_ArrayForEach(e, list) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		Buf *x = &b[n++];
		x->name = cJSON_IsString(nm) ? nm->valuestring : (bad = 1, "?");
		x->root = field(e, "root", &bad);
		x->offset = field(e, "offset", &bad);
		x->size = field(e, "size", &bad);
		x->first = field(e, "first", &bad);
		x->last = field(e, "last", &bad);
		if (x->offset < 0 || x->size <= 0 || x->offset + x->size > arena || x->first < 0 ||
		    x->first > x->last || x->last >= steps) {
			fprintf(stderr, "%s: '%s' [%lld, +%lld) steps %lld..%lld lies outside the "
				"arena of %lld bytes or the %lld steps\n", path, x->name, x->offset,
				x->size, x->first, x->last, arena, steps);
			errors++;
		}
	}
	if (bad) {
		fprintf(stderr, "%s: a field is missing or not a whole number\n", path);
		errors++;
	}
	qsort(b, (size_t)n, sizeof *b, by_first);
	for (int i = 0; i < n; i++) /* every later buffer starting before this one ends */
		for (int j = i + 1; j < n && b[j].first <= b[i].last; j++)
			if (b[i].offset < b[j].offset + b[j].size &&
			    b[j].offset < b[i].offset + b[i].size &&
			    (b[i].root != b[j].root || !partners(&b[i], &b[j]))) {
				if (errors++ < 10)
					fprintf(stderr, "%s: '%s' [%lld, +%lld) and '%s' [%lld, +%lld) "
						"overlap while both live (steps %lld..%lld and "
						"%lld..%lld)\n", path, b[i].name, b[i].offset,
						b[i].size, b[j].name, b[j].offset, b[j].size,
						b[i].first, b[i].last, b[j].first, b[j].last);
			}
	free(b);
	cJSON_Delete(doc);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: check FILE.json...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		rc |= check(argv[i]);
	return rc;
}
