/* emit.c - writes NAME.h and NAME.c from a lowered and planned graph: the header
   answers every sizing question, the source holds weights (static const), kernel
   parameters (static const), the arena and NAME_run calling the kernels in order; with
   --arena extern no arena, and NAME_run_with taking it from the caller instead. */
#include "codegen.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "o2m_version.h" /* O2M_VERSION, made by the Makefile */

typedef struct {
	Graph *g;
	const EmitOptions *opt;
	const char *P;       /* prefix, lower case (model name) */
	char PU[128];        /* prefix, upper case, for macros */
	char **tname;        /* per tensor: C identifier fragment */
	char **inname;       /* per graph input: run() parameter */
	char **outname;      /* per graph output */
	int *weight_used;    /* per tensor: emitted as a weight array */
	int uses_math, uses_string;
	/* parameter structs, deduplicated */
	const void **pdata;
	int *ptype, *pid;    /* per call in order: index into unique params */
	int np, ncalls;
	int64_t weights_bytes;
	/* the constants as blobs of 64-bit words (NAME_weights.c, NAME_weights1.c, ...):
	   part and byte offset of each, offsets 8-aligned */
	int64_t *woff;       /* per tensor emitted (weight_used) */
	int64_t **coff;      /* per node, per prepared constant */
	int *wpart, **cpart;
	int nparts;
	int64_t *pbytes;     /* per part, a multiple of 8 */
	int dts[DT_COUNT];   /* the element types there, each a member of every union */
} Emit;

int codegen_is_ident(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* a C identifier fragment for an ONNX name (at most 32 characters of it) */
static char *ident(Graph *g, const char *name)
{
	char buf[40];
	size_t n = 0;

	for (const char *s = name; *s && n < 32; s++)
		buf[n++] = isalnum((unsigned char)*s) ? *s : '_';
	buf[n] = 0;
	return arena_strdup(&g->arena, n ? buf : "t");
}

/* an ONNX name inside a C comment: a star next to a slash would end the comment or
   open one (-Wcomment), control characters would break the line; all are defused */
static const char *comment_text(Graph *g, const char *s)
{
	char *out = arena_alloc(&g->arena, 2 * strlen(s) + 1), *o = out;

	for (; *s; s++) {
		*o++ = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
		if ((s[0] == '*' && s[1] == '/') || (s[0] == '/' && s[1] == '*'))
			*o++ = ' ';
	}
	return out;
}

/* an ONNX name as the body of a C string literal: quotes, backslashes, '?' (trigraphs
   under -std=c99) and bytes outside printable ASCII become octal escapes */
static const char *string_text(Graph *g, const char *s)
{
	char *out = arena_alloc(&g->arena, 4 * strlen(s) + 1), *o = out;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\' || ch == '?')
			o += sprintf(o, "\\%03o", ch);
		else
			*o++ = (char)ch;
	}
	return out;
}

static const char *elem_ctype(DType dt)
{
	return dt == DT_UNDEF ? "void" : dt_ctype(dt);
}

/* ---- argument expressions ---- */

static DType g_dtype(const Emit *e, int t) { return e->g->t[t].dtype; }

/* the union member of NAME_weights that holds element type dt */
static const char *member(DType dt)
{
	static char buf[48];
	const char *n = dt_name(dt);
	size_t i = 0;

	for (; n[i] && i + 3 < sizeof buf; i++)
		buf[i + 2] = isalnum((unsigned char)n[i]) ? n[i] : '_';
	buf[0] = 'v', buf[1] = '_', buf[i + 2] = 0;
	return buf;
}

/* the name of weights part k: NAME_weights, NAME_weights1, ... (its file adds .c) */
static const char *part_name(const Emit *e, int k)
{
	return k ? arena_printf(&e->g->arena, "%s_weights%d", e->P, k)
		 : arena_printf(&e->g->arena, "%s_weights", e->P);
}

/* a pointer to the constant at byte off of weights part k, extra bytes into it */
static void print_blob(Emit *e, FILE *f, DType dt, int k, int64_t off, int64_t extra,
		       const char *cv)
{
	int64_t es = dt_size(dt) > 0 ? dt_size(dt) : 1;

	if (extra)
		fprintf(f, "%s((const uint8_t *)(%s.%s + %lld) + %lld)", cv, part_name(e, k),
			member(dt), (long long)(off / es), (long long)extra);
	else
		fprintf(f, "%s(%s.%s + %lld)", cv, part_name(e, k), member(dt), (long long)(off / es));
}

static void print_storage(Emit *e, FILE *f, int t, int64_t extra, int writable)
{
	const Storage *s = &e->g->plan->tensor[t];
	const char *cv = writable ? "(void *)" : "(const void *)";

	switch (s->kind) {
	case ST_NONE: fputs("0", f); return;
	case ST_ARENA:
		fprintf(f, "%s_ARENA(%s_OFF_%s", e->PU, e->PU, e->tname[t]);
		if (extra)
			fprintf(f, " + %lld", (long long)extra);
		fputc(')', f);
		return;
	case ST_CONST:
		if (!e->weight_used[t]) { /* empty: no array is emitted, kernels never read it */
			fputs("0", f);
			return;
		}
		print_blob(e, f, g_dtype(e, t), e->wpart[t], e->woff[t], extra, cv);
		return;
	case ST_INPUT: case ST_OUTPUT: {
		const char *io = s->kind == ST_INPUT ? e->inname[s->index] : e->outname[s->index];
		extra += s->offset; /* a view of a part of it */
		if (extra)
			fprintf(f, "%s((const uint8_t *)%s + %lld)", cv, io, (long long)extra);
		else
			fprintf(f, "%s%s", cv, io);
		return;
	}
	}
}

static void print_arg(Emit *e, FILE *f, int node, int call, Arg a)
{
	const Node *n = &e->g->n[node];

	switch (a.kind) {
	case ARG_NONE: fputs("0", f); break;
	case ARG_IN: print_storage(e, f, n->in[a.index], a.offset, 0); break;
	case ARG_OUT: print_storage(e, f, n->out[a.index], a.offset, 1); break;
	case ARG_SCRATCH:
		fprintf(f, "%s_ARENA(%lld)", e->PU,
			(long long)(e->g->plan->scratch[node][a.index].offset + a.offset));
		break;
	case ARG_CONST: {
		const PConst *k = &n->low->cst[a.index];
		print_blob(e, f, k->dtype, e->cpart[node][a.index], e->coff[node][a.index], a.offset,
			   "(const void *)");
		break;
	}
	}
	(void)call;
}

/* ---- naming and bookkeeping ---- */

static void name_things(Emit *e)
{
	Graph *g = e->g;

	e->tname = arena_alloc(&g->arena, sizeof(char *) * (size_t)(g->nt + 1));
	e->inname = arena_alloc(&g->arena, sizeof(char *) * (size_t)(g->ninputs + 1));
	e->outname = arena_alloc(&g->arena, sizeof(char *) * (size_t)(g->noutputs + 1));
	e->weight_used = arena_alloc(&g->arena, sizeof(int) * (size_t)(g->nt + 1));
	for (int t = 0; t < g->nt; t++)
		e->tname[t] = arena_printf(&g->arena, "%s_%d", ident(g, g->t[t].name), t);
	for (int i = 0; i < g->ninputs; i++)
		e->inname[i] = arena_printf(&g->arena, "in%d_%s", i, ident(g, g->t[g->inputs[i]].name));
	for (int i = 0; i < g->noutputs; i++)
		e->outname[i] = arena_printf(&g->arena, "out%d_%s", i,
					     ident(g, g->t[g->outputs[i]].name));
}

/* a parameter struct's hash: identical structs are emitted once (a table, not a search
   per call, so that graphs of 100,000 nodes emit in linear time) */
static size_t params_hash(const KCall *k, size_t mask)
{
	const unsigned char *p = k->params;
	size_t n = params_size(k->ptype), h = 1469598103934665603ull ^ (size_t)k->ptype;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h & mask;
}

static void collect(Emit *e)
{
	Graph *g = e->g;
	int cap = 0, *slot;
	size_t slots = 16;

	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead)
			cap += g->n[i].low->ncall;
	e->pdata = arena_alloc(&g->arena, sizeof(void *) * (size_t)(cap + 1));
	e->ptype = arena_alloc(&g->arena, sizeof(int) * (size_t)(cap + 1));
	e->pid = arena_alloc(&g->arena, sizeof(int) * (size_t)(cap + 1));
	while (slots < 2 * (size_t)cap)
		slots *= 2;
	slot = arena_alloc(&g->arena, sizeof(int) * slots);
	memset(slot, 0xff, sizeof(int) * slots); /* -1: empty */
	for (int i = 0; i < g->nn; i++) {
		const Lowered *L = g->n[i].low;
		if (g->n[i].dead)
			continue;
		for (int c = 0; c < L->ncall; c++) {
			const KCall *k = &L->call[c];
			size_t h = params_hash(k, slots - 1);
			int found = -1;
			for (; slot[h] >= 0 && found < 0; h = (h + 1) & (slots - 1))
				if (e->ptype[slot[h]] == k->ptype &&
				    !memcmp(e->pdata[slot[h]], k->params, params_size(k->ptype)))
					found = slot[h];
			if (found < 0) {
				found = slot[h] = e->np++;
				e->pdata[found] = k->params;
				e->ptype[found] = k->ptype;
			}
			e->pid[e->ncalls++] = found;
		}
	}
	e->weights_bytes = codegen_weights(g, e->weight_used);
}

/* An earlier prepared constant with the same bytes as constant c of node i (band copies
   of a layer pack the same filters, passes/patch.c): its node and index in *fi, *fc, and
   1; 0 for the first of its kind. */
static int cst_twin(const Graph *g, int i, int c, int *fi, int *fc)
{
	const PConst *k = &g->n[i].low->cst[c];
	const int64_t bytes = k->count * dt_size(k->dtype);

	for (int j = 0; j <= i; j++)
		for (int d = 0; !g->n[j].dead && d < (j == i ? c : g->n[j].low->ncst); d++) {
			const PConst *o = &g->n[j].low->cst[d];
			if (o->dtype == k->dtype && o->count == k->count &&
			    (o->data == k->data || (o->data && k->data &&
						    !memcmp(o->data, k->data, (size_t)bytes)))) {
				*fi = j, *fc = d;
				return 1;
			}
		}
	return 0;
}

int64_t codegen_weights(Graph *g, int *used)
{
	int64_t bytes = 0;

	for (int i = 0; i < g->nn; i++)
		for (int c = 0; !g->n[i].dead && c < g->n[i].low->ncall; c++) {
			const KCall *k = &g->n[i].low->call[c];
			for (int a = 0; a < k->nargs; a++) {
				const Arg *x = &k->arg[a];
				int t = x->kind == ARG_IN ? g->n[i].in[x->index]
					: x->kind == ARG_OUT ? g->n[i].out[x->index] : -1;
				if (t >= 0 && g->plan->tensor[t].kind == ST_CONST)
					used[t] = 1;
			}
		}
	for (int i = 0; i < g->noutputs; i++) {
		int t = g->outputs[i];
		if (g->plan->tensor[t].kind == ST_CONST)
			used[t] = 1;
	}
	for (int t = 0; t < g->nt; t++)
		if (used[t]) {
			if (ir_numel(&g->t[t]) == 0)
				used[t] = 0;
			else
				bytes += ir_nbytes(&g->t[t]);
		}
	for (int i = 0; i < g->nn; i++)
		for (int c = 0; !g->n[i].dead && c < g->n[i].low->ncst; c++) {
			int fi, fc;
			if (!cst_twin(g, i, c, &fi, &fc))
				bytes += g->n[i].low->cst[c].count * dt_size(g->n[i].low->cst[c].dtype);
		}
	return bytes;
}

/* ---- the header ---- */

static void print_dims(FILE *f, const Tensor *t)
{
	fputc('[', f);
	for (int i = 0; i < t->rank; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)t->dims[i]);
	fputc(']', f);
}

static void emit_io_macros(Emit *e, FILE *f, const char *kind, int i, int t)
{
	const Tensor *x = &e->g->t[t];

	fprintf(f, "/* %s %d '%s': %s ", kind, i, comment_text(e->g, x->name), dt_name(x->dtype));
	print_dims(f, x);
	fprintf(f, dt_bits(x->dtype) ? ", one element per byte, not packed */\n" : " */\n");
	fprintf(f, "#define %s_%s%d_SIZE %lld /* elements */\n", e->PU, kind[0] == 'i' ? "IN" : "OUT",
		i, (long long)ir_numel(x));
	fprintf(f, "#define %s_%s%d_BYTES %lld\n", e->PU, kind[0] == 'i' ? "IN" : "OUT", i,
		(long long)ir_nbytes(x));
	fprintf(f, "#define %s_%s%d_RANK %d\n", e->PU, kind[0] == 'i' ? "IN" : "OUT", i, x->rank);
	fprintf(f, "typedef %s %s_%s%d_t;\n", elem_ctype(x->dtype), e->P, kind[0] == 'i' ? "in" : "out", i);
	if (x->quant.n == 1) {
		fprintf(f, "#define %s_%s%d_SCALE %.9gf\n", e->PU, kind[0] == 'i' ? "IN" : "OUT", i,
			(double)x->quant.scale[0]);
		fprintf(f, "#define %s_%s%d_ZERO_POINT (%d)\n", e->PU, kind[0] == 'i' ? "IN" : "OUT",
			i, x->quant.zero_point[0]);
	}
}

/* a sequence or an optional of the model: which arguments carry its tensors */
static void emit_list_notes(FILE *f, const char *kind, const char *K, const IoValue *v, int n)
{
	for (int i = 0; v && i < n; i++) {
		if (v[i].kind == V_TENSOR || v[i].count < 0)
			continue;
		fprintf(f, "/* %s '%s': ", kind, v[i].name);
		if (v[i].kind == V_OPT && !v[i].present)
			fprintf(f, "an empty optional, no argument */\n");
		else if (!v[i].count)
			fprintf(f, "an empty sequence, no argument */\n");
		else
			fprintf(f, "%s of %d tensor%s, %s%d to %s%d */\n",
				v[i].kind == V_OPT ? "an optional" : "a sequence", v[i].count,
				v[i].count > 1 ? "s" : "", K, v[i].first, K, v[i].first + v[i].count - 1);
	}
}

static void emit_signature(Emit *e, FILE *f)
{
	Graph *g = e->g;
	int x = e->opt->arena_extern; /* the arena comes first; no parameter is named arena */

	fprintf(f, x ? "int %s_run_with(void *arena" : "int %s_run(", e->P);
	for (int i = 0; i < g->ninputs && !g->io_in_arena; i++) {
		int t = g->inputs[i];
		fprintf(f, "%sconst %s *%s", i || x ? ", " : "", elem_ctype(g->t[t].dtype),
			e->inname[i]);
	}
	for (int i = 0; i < g->noutputs && !g->io_in_arena; i++) {
		int t = g->outputs[i];
		fprintf(f, "%s%s *%s", i || g->ninputs || x ? ", " : "", elem_ctype(g->t[t].dtype),
			e->outname[i]);
	}
	if (((!g->ninputs && !g->noutputs) || g->io_in_arena) && !x)
		fputs("void", f);
	fputc(')', f);
}

/* the core the code was made for (--target) and, for an Arm core with the DSP extension,
   an FPU or Helium, an #error when the build is for a core without them: the kernels
   would quietly fall back to their portable C */
static void emit_target(Emit *e, FILE *f)
{
	const IrTarget *t = e->g->target;
	char cond[256] = "";

	fprintf(f, "/* the core it was made for (--target); \"portable\": any */\n");
	fprintf(f, "#define %s_TARGET \"%s\"\n", e->PU, t ? t->name : "portable");
	if (!t || (!t->dsp && !t->fpu && !t->mve) || !strcmp(t->name, "host")) {
		fputc('\n', f);
		return;
	}
	if (t->dsp)
		strcat(cond, " || !defined(__ARM_FEATURE_DSP)");
	if (t->fpu)
		strcat(cond, " || !defined(__ARM_FP)");
	if (t->mve)
		strcat(cond, " || !defined(__ARM_FEATURE_MVE)");
	fprintf(f, "#if defined(__arm__) && (%s)\n", cond + 4);
	fprintf(f, "#error \"%s was made for %s (%s%s%s): build it with %s, or make it again "
		   "for this core (--target)\"\n#endif\n\n", e->P, t->name,
		t->dsp ? "DSP extension" : "", t->fpu ? ", FPU" : "", t->mve ? ", Helium" : "",
		t->needs);
}

/* where an input or output of --io-in-arena lives: its offset, and a pointer to it in
   the static arena (NAME_IN0) or in the caller's (NAME_IN0_AT(arena)) */
static void emit_io_at(Emit *e, FILE *f, const char *K, const char *k, int i, int64_t off)
{
	fprintf(f, "#define %s_%s%d_OFFSET %lld /* bytes into the arena */\n", e->PU, K, i,
		(long long)off);
	if (e->opt->arena_extern)
		fprintf(f, "#define %s_%s%d_AT(arena) ((%s_%s%d_t *)((uint8_t *)(arena) + %s_%s%d_OFFSET))\n",
			e->PU, K, i, e->P, k, i, e->PU, K, i);
	else
		fprintf(f, "#define %s_%s%d ((%s_%s%d_t *)(%s_arena.bytes + %s_%s%d_OFFSET))\n", e->PU,
			K, i, e->P, k, i, e->P, e->PU, K, i);
}

static void emit_io_in_arena(Emit *e, FILE *f)
{
	Graph *g = e->g;

	if (!g->io_in_arena)
		return;
	fprintf(f, "/* --io-in-arena: the inputs and outputs are in the arena. Write every input\n"
		   "   there before each run (a run overwrites an input once it has read it), and\n"
		   "   read the outputs there after it, before the next run. */\n");
	if (!e->opt->arena_extern && g->plan->arena_size)
		fprintf(f, "typedef union {\n\tuint8_t bytes[%s_ARENA_SIZE];\n\tint64_t align_;\n"
			   "\tdouble align_d_;\n} %s_arena_t;\nextern %s_arena_t %s_arena;\n", e->PU,
			e->P, e->P, e->P);
	for (int i = 0; i < g->ninputs; i++)
		if (ir_numel(&g->t[g->inputs[i]]))
			emit_io_at(e, f, "IN", "in", i, g->plan->tensor[g->inputs[i]].offset);
	for (int i = 0; i < g->noutputs; i++)
		if (ir_numel(&g->t[g->outputs[i]]))
			emit_io_at(e, f, "OUT", "out", i, g->plan->out_offset[i]);
	fputc('\n', f);
}

static void emit_header(Emit *e, FILE *f)
{
	Graph *g = e->g;

	fprintf(f, "/* %s.h - generated by onnx2mcu %s from %s; do not edit. */\n", e->P,
		O2M_VERSION, e->opt->model);
	fprintf(f, "#ifndef %s_H\n#define %s_H\n\n#include <stdint.h>\n\n", e->PU, e->PU);
	if (e->opt->model_sha256 && e->opt->options) {
		fprintf(f, "/* how this code was made: `onnx2mcu validate --code` checks it */\n");
		fprintf(f, "#define %s_O2M_VERSION \"%s\"\n", e->PU, O2M_VERSION);
		fprintf(f, "#define %s_MODEL_SHA256 \"%s\"\n", e->PU, e->opt->model_sha256);
		fprintf(f, "#define %s_O2M_OPTIONS \"%s\"\n\n", e->PU, e->opt->options);
	}
	emit_target(e, f);
	fprintf(f, "#define %s_INPUT_COUNT %d\n#define %s_OUTPUT_COUNT %d\n\n", e->PU, g->ninputs,
		e->PU, g->noutputs);
	emit_list_notes(f, "input", "IN", g->invals, g->ndeclared);
	emit_list_notes(f, "output", "OUT", g->outvals, g->noutvals);
	for (int i = 0; i < g->ninputs; i++)
		emit_io_macros(e, f, "input", i, g->inputs[i]);
	for (int i = 0; i < g->noutputs; i++)
		emit_io_macros(e, f, "output", i, g->outputs[i]);
	if (e->opt->arena_extern)
		fprintf(f, "\n/* RAM: the arena the caller passes to %s_run_with, holding every\n"
			   "   intermediate tensor */\n", e->P);
	else
		fprintf(f, "\n/* RAM: the static arena holding every intermediate tensor */\n");
	fprintf(f, "#define %s_ARENA_SIZE %lld /* bytes */\n", e->PU, (long long)g->plan->arena_size);
	if (e->opt->arena_extern)
		fprintf(f, "#define %s_ARENA_ALIGN %d /* its address is a multiple of this */\n",
			e->PU, PLAN_ALIGN);
	emit_io_in_arena(e, f);
	fprintf(f, "/* flash: constant weights and kernel tables */\n");
	fprintf(f, "#define %s_WEIGHTS_SIZE %lld /* bytes */\n\n", e->PU, (long long)e->weights_bytes);
	if (e->g->io_in_arena)
		fprintf(f, "/**\n * Runs one inference on the inputs in the arena, leaving the outputs there.\n");
	else
		fprintf(f, "/**\n * Runs one inference. Inputs and outputs are dense row-major tensors in ONNX\n"
			   " * order, as the comments above lay them out; outputs must not overlap inputs.\n");
	if (e->opt->arena_extern)
		fprintf(f, " * @param arena %s_ARENA_SIZE bytes at a multiple of %s_ARENA_ALIGN, only\n"
			   " *        for this call: its contents need not survive between calls, so\n"
			   " *        models run one after another may share one (any pointer, even\n"
			   " *        NULL, when %s_ARENA_SIZE is 0). Calls at the same time need\n"
			   " *        arenas of their own.\n"
			   " * @return 0 on success, 1 if a pointer is NULL or the arena misaligned,\n"
			   " *         2 + n if the kernel call of node n failed (an index read at\n"
			   " *         run time was out of range).\n */\n",
			e->PU, e->PU, e->PU);
	else
		fprintf(f, " * Not reentrant: the arena is static.\n"
			   " * @return 0 on success,%s 2 + n if the kernel call of\n"
			   " *         node n failed (an index read at run time was out of range).\n */\n",
			e->g->io_in_arena ? "" : " 1 if a pointer is NULL,");
	emit_signature(e, f);
	fprintf(f, ";\n\n#endif\n");
}

/* ---- the source ---- */

/* the bytes of one weights part at most (a constant larger than this has a part of its
   own): C compilers slow down on very large translation units, and parts compile in
   parallel */
#define WEIGHT_PART (8 << 20)

/* puts a constant of n bytes in the current part, or opens the next one */
static void place(Emit *e, int64_t n, DType dt, int *part, int64_t *off)
{
	int64_t bytes = (n + 7) / 8 * 8;

	if (!e->nparts || (e->pbytes[e->nparts - 1] && e->pbytes[e->nparts - 1] + bytes > WEIGHT_PART))
		e->pbytes[e->nparts++] = 0;
	*part = e->nparts - 1;
	*off = e->pbytes[*part];
	e->pbytes[*part] += bytes;
	e->dts[dt] = 1;
}

/* where each constant goes: initializers in tensor order, then the prepared constants in
   node order, each at a multiple of 8 bytes of its part */
static void layout_weights(Emit *e)
{
	Graph *g = e->g;
	int n = 0;

	for (int i = 0; i < g->nn; i++)
		n += g->n[i].dead ? 0 : g->n[i].low->ncst;
	for (int t = 0; t < g->nt; t++)
		n += e->weight_used[t];
	e->pbytes = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(n + 1));
	e->woff = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(g->nt + 1));
	e->wpart = arena_alloc(&g->arena, sizeof(int) * (size_t)(g->nt + 1));
	e->coff = arena_alloc(&g->arena, sizeof(int64_t *) * (size_t)(g->nn + 1));
	e->cpart = arena_alloc(&g->arena, sizeof(int *) * (size_t)(g->nn + 1));
	for (int t = 0; t < g->nt; t++)
		if (e->weight_used[t])
			place(e, ir_nbytes(&g->t[t]), g->t[t].dtype, &e->wpart[t], &e->woff[t]);
	for (int i = 0; i < g->nn; i++) {
		int nc = g->n[i].dead ? 0 : g->n[i].low->ncst;
		e->coff[i] = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(nc + 1));
		e->cpart[i] = arena_alloc(&g->arena, sizeof(int) * (size_t)(nc + 1));
		for (int c = 0; c < nc; c++) {
			const PConst *k = &g->n[i].low->cst[c];
			int fi, fc;
			if (cst_twin(g, i, c, &fi, &fc)) { /* one copy in flash */
				e->cpart[i][c] = e->cpart[fi][fc];
				e->coff[i][c] = e->coff[fi][fc];
				continue;
			}
			place(e, k->count * dt_size(k->dtype), k->dtype, &e->cpart[i][c], &e->coff[i][c]);
		}
	}
}

int codegen_weight_parts(Graph *g)
{
	Emit e = {0};

	e.g = g;
	e.weight_used = arena_alloc(&g->arena, sizeof(int) * (size_t)(g->nt + 1));
	codegen_weights(g, e.weight_used);
	layout_weights(&e);
	return e.nparts;
}

/* the union of weights part k: 64-bit words, and a typed view per element type there is */
static void print_union(Emit *e, FILE *f, int k)
{
	int64_t words = e->pbytes[k] / 8;

	fprintf(f, "union %s_u {\n\tuint64_t words[%lld];\n", part_name(e, k),
		(long long)(words ? words : 1));
	for (int dt = 0; dt < DT_COUNT; dt++)
		if (e->dts[dt] && dt_size((DType)dt) > 0)
			fprintf(f, "\t%s %s[%lld];\n", elem_ctype((DType)dt), member((DType)dt),
				(long long)(words ? words * 8 / dt_size((DType)dt) : 1));
	fprintf(f, "};\n");
}

/* in NAME.c: the parts' types and names; the weights themselves are in their files */
static void emit_weights(Emit *e, FILE *f)
{
	if (!e->nparts)
		return;
	fprintf(f, "/* weights (flash): %s_weights.c%s */\n", e->P, e->nparts > 1 ? " and on" : "");
	for (int k = 0; k < e->nparts; k++) {
		print_union(e, f, k);
		fprintf(f, "extern const union %s_u %s;\n", part_name(e, k), part_name(e, k));
	}
}

/* the blob's words, little-endian, from byte off of data (n bytes) */
static void print_words(FILE *f, const unsigned char *data, int64_t n, int64_t *col)
{
	for (int64_t i = 0; i < n; i += 8) {
		unsigned long long w = 0;
		for (int b = 7; b >= 0; b--)
			w = w << 8 | (i + b < n ? data[i + b] : 0);
		fprintf(f, (*col)++ % 6 ? " 0x%llx," : "\n\t0x%llx,", w);
	}
}

/* NAME_weights.c (part 0; NAME_weightsK.c part K): the constants the kernels read, as
   64-bit words (a large model's C compiles in seconds: whole words parse fast), with a
   comment at each */
static void emit_weights_part(Emit *e, FILE *f, int part, int64_t *done)
{
	Graph *g = e->g;
	const char *N = part_name(e, part);
	int64_t col = 0;

	fprintf(f, "/* %s.c - generated by onnx2mcu %s from %s; do not edit.\n"
		   "   The model's constants (%s_WEIGHTS_SIZE bytes of flash in all) as little-endian\n"
		   "   64-bit words; %s.c reads them through the union's typed views. Define\n"
		   "   %s_WEIGHTS_ATTR (for example as __attribute__((section(\".qspi\")))) to\n"
		   "   place them. */\n#include <stdint.h>\n\n", N, O2M_VERSION, e->opt->model,
		e->PU, e->P, e->PU);
	if (!e->nparts) {
		fprintf(f, "typedef int %s_none; /* this model has none */\n", N);
		return;
	}
	fprintf(f, "#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n"
		   "#error \"%s.c holds little-endian words: a big-endian core needs them "
		   "swapped\"\n#endif\n\n#ifndef %s_WEIGHTS_ATTR\n#define %s_WEIGHTS_ATTR\n"
		   "#endif\n\n", N, e->PU, e->PU);
	print_union(e, f, part);
	fprintf(f, "\nconst union %s_u %s %s_WEIGHTS_ATTR = {{", N, N, e->PU);
	for (int t = 0; t < g->nt; t++) {
		if (!e->weight_used[t] || e->wpart[t] != part)
			continue;
		fprintf(f, "\n\t/* '%s' %s ", comment_text(g, g->t[t].name), dt_name(g->t[t].dtype));
		print_dims(f, &g->t[t]);
		fprintf(f, " at byte %lld */", (long long)e->woff[t]);
		col = 0;
		print_words(f, g->t[t].data, ir_nbytes(&g->t[t]), &col);
		*done += ir_nbytes(&g->t[t]);
		if (e->opt->progress && e->weights_bytes)
			e->opt->progress("writing weights", (double)*done / (double)e->weights_bytes);
	}
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		for (int c = 0; c < g->n[i].low->ncst; c++) {
			const PConst *k = &g->n[i].low->cst[c];
			int fi, fc;
			if (e->cpart[i][c] != part || cst_twin(g, i, c, &fi, &fc))
				continue;
			fprintf(f, "\n\t/* prepared for node '%s' at byte %lld */",
				comment_text(g, g->n[i].name), (long long)e->coff[i][c]);
			col = 0;
			print_words(f, k->data, k->count * dt_size(k->dtype), &col);
			*done += k->count * dt_size(k->dtype);
			if (e->opt->progress && e->weights_bytes)
				e->opt->progress("writing weights",
						 (double)*done / (double)e->weights_bytes);
		}
	}
	fprintf(f, "\n}};\n");
}

/* every weights file; 0, or -1 when one could not be written */
static int emit_weights_files(Emit *e, const char *dir)
{
	char path[4096];
	int64_t done = 0;
	int rc = 0;

	for (int k = 0; k < (e->nparts ? e->nparts : 1) && !rc; k++) {
		FILE *f;
		snprintf(path, sizeof path, "%s/%s.c", dir, part_name(e, k));
		f = fopen(path, "w");
		if (!f)
			return -1;
		emit_weights_part(e, f, k, &done);
		if (ferror(f))
			rc = -1;
		if (fclose(f))
			rc = -1;
	}
	return rc;
}

static void emit_arena(Emit *e, FILE *f)
{
	Graph *g = e->g;

	fprintf(f, "\n/* the arena (RAM); offsets in bytes, from the liveness-based plan */\n");
	if (g->plan->arena_size && e->opt->arena_extern) /* the parameter of _run_with */
		fprintf(f, "#define %s_ARENA(off) ((void *)((uint8_t *)arena + (off)))\n", e->PU);
	else if (g->plan->arena_size && g->io_in_arena) { /* the caller reaches it: NAME.h */
		fprintf(f, "%s_arena_t %s_arena %s_ARENA_ATTR;\n", e->P, e->P, e->PU);
		fprintf(f, "#define %s_ARENA(off) ((void *)(%s_arena.bytes + (off)))\n", e->PU, e->P);
	} else if (g->plan->arena_size) {
		fprintf(f, "static union {\n\tuint8_t bytes[%s_ARENA_SIZE];\n\tint64_t align_;\n"
			   "\tdouble align_d_;\n} %s_arena %s_ARENA_ATTR;\n", e->PU, e->P, e->PU);
		fprintf(f, "#define %s_ARENA(off) ((void *)(%s_arena.bytes + (off)))\n", e->PU, e->P);
	}
	for (int t = 0; t < g->nt; t++) {
		const Storage *s = &g->plan->tensor[t];
		if (s->kind != ST_ARENA)
			continue;
		fprintf(f, "#define %s_OFF_%s %lld /* '%s' %s ", e->PU, e->tname[t],
			(long long)s->offset, comment_text(g, g->t[t].name), dt_name(g->t[t].dtype));
		print_dims(f, &g->t[t]);
		fprintf(f, " */\n");
	}
}

static void emit_params(Emit *e, FILE *f)
{
	fprintf(f, "\n/* kernel parameters, computed at compile time */\n");
	for (int j = 0; j < e->np; j++) {
		fprintf(f, "static const %s %s_p%d = ", params_type_name(e->ptype[j]), e->P, j);
		e->uses_math |= params_print(f, e->ptype[j], e->pdata[j]);
		fputs(";\n", f);
	}
}

static void emit_trace(Emit *e, FILE *f, int node)
{
	Graph *g = e->g;
	const Node *n = &g->n[node];

	for (int k = 0; k < n->nout; k++) {
		int t = n->out[k];
		if (t < 0 || g->plan->tensor[t].kind == ST_NONE)
			continue;
		fprintf(f, "\t%s_TRACE(%d, \"%s\", ", e->PU, node, string_text(g, g->t[t].name));
		print_storage(e, f, t, 0, 0);
		fprintf(f, ", %lld);\n", (long long)ir_nbytes(&g->t[t]));
	}
}

static void emit_run(Emit *e, FILE *f)
{
	Graph *g = e->g;
	int call = 0;

	fprintf(f, "\n#ifdef %s_TRACE_HOOK\n/* validate --per-node: called after every node */\n"
		   "void %s_trace(int node, const char *tensor, const void *data, long bytes);\n"
		   "#define %s_TRACE(n, t, d, b) %s_trace(n, t, d, b)\n#else\n"
		   "#define %s_TRACE(n, t, d, b) ((void)0)\n#endif\n\n",
		e->PU, e->P, e->PU, e->P, e->PU);
	emit_signature(e, f);
	fputs("\n{\n", f);
	if (e->opt->arena_extern && !g->plan->arena_size)
		fputs("\t(void)arena;\n", f);
	if (((g->ninputs || g->noutputs) && !g->io_in_arena) ||
	    (e->opt->arena_extern && g->plan->arena_size)) {
		const char *sep = "";
		fputs("\tif (", f);
		if (e->opt->arena_extern && g->plan->arena_size) {
			fprintf(f, "!arena || (uintptr_t)arena %% %s_ARENA_ALIGN", e->PU);
			sep = " || ";
		}
		for (int i = 0; i < g->ninputs && !g->io_in_arena; i++, sep = " || ")
			fprintf(f, "%s!%s", sep, e->inname[i]);
		for (int i = 0; i < g->noutputs && !g->io_in_arena; i++, sep = " || ")
			fprintf(f, "%s!%s", sep, e->outname[i]);
		fputs(")\n\t\treturn 1;\n", f);
	}
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		const Lowered *L = g->n[i].low;
		if (n->dead)
			continue;
		fprintf(f, "\t/* node %d '%s' (%s)%s */\n", i, comment_text(g, n->name), n->op_type,
			L->alias >= 0 && !L->ncall ? ": a view, no code"
			: g->plan->into[i] ? ": its inputs were written in place, each copy finds "
					     "its part there" : "");
		for (int c = 0; c < L->ncall; c++, call++) {
			const KCall *k = &L->call[c];
			fprintf(f, "\tif (%s(&%s_p%d", kernel_table[k->kernel].name, e->P, e->pid[call]);
			for (int a = 0; a < k->nargs; a++) {
				fputs(", ", f);
				print_arg(e, f, i, c, k->arg[a]);
			}
			fprintf(f, "))\n\t\treturn %d;\n", 2 + i);
		}
		emit_trace(e, f, i);
	}
	/* outputs held elsewhere (views, constants, inputs, repeated outputs) */
	for (int i = 0; i < g->noutputs; i++) {
		int t = g->outputs[i];
		const Storage *s = &g->plan->tensor[t];
		if ((s->kind == ST_OUTPUT && s->index == i) || s->kind == ST_NONE || !ir_nbytes(&g->t[t]))
			continue;
		if (g->io_in_arena && s->kind == ST_ARENA) /* read where it is */
			continue;
		if (g->io_in_arena)
			fprintf(f, "\tmemcpy(%s_ARENA(%lld), ", e->PU, (long long)g->plan->out_offset[i]);
		else
			fprintf(f, "\tmemcpy(%s, ", e->outname[i]);
		print_storage(e, f, t, 0, 0);
		fprintf(f, ", %lld);\n", (long long)ir_nbytes(&g->t[t]));
		e->uses_string = 1;
	}
	fputs("\treturn 0;\n}\n", f);
}

/* the runtime files the calls use, each once, in files[0..n); n is returned */
static int used_files(Graph *g, const char **files, int max)
{
	int n = 0;

	for (int i = 0; i < g->nn; i++)
		for (int c = 0; !g->n[i].dead && c < g->n[i].low->ncall; c++) {
			const char *file = kernel_table[g->n[i].low->call[c].kernel].file;
			int seen = 0;
			for (int j = 0; j < n && !seen; j++)
				seen = !strcmp(files[j], file);
			if (!seen && n < max)
				files[n++] = file;
		}
	return n;
}

static int listed(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static void emit_source(Emit *e, FILE *f, FILE *body)
{
	Graph *g = e->g;
	const char *headers[256], *files[256];
	int nheaders = 0, nfiles = used_files(g, files, 256);

	fprintf(f, "/* %s.c - generated by onnx2mcu %s from %s; do not edit.\n", e->P, O2M_VERSION,
		e->opt->model);
	if (e->opt->arena_extern) /* no arena here to place */
		fprintf(f, "   The weights are in %s_weights.c; the arena is the caller's "
			   "(%s_run_with). */\n", e->P, e->P);
	else
		fprintf(f, "   The weights are in %s_weights.c. Define %s_ARENA_ATTR (for example as\n"
			   "   __attribute__((section(\".sram2\")))) to place the arena. */\n",
			e->P, e->PU);
	fprintf(f, "#include \"%s.h\"\n\n", e->P);
	for (int k = 0; k < kernel_count; k++) { /* kernel headers, in table order, once each */
		const char *header = kernel_header(kernel_table[k].file);
		int seen = 0;
		if (!listed(files, nfiles, kernel_table[k].file))
			continue;
		for (int j = 0; j < nheaders && !seen; j++)
			seen = !strcmp(headers[j], header);
		if (seen || nheaders == (int)(sizeof headers / sizeof *headers))
			continue;
		headers[nheaders++] = header;
		fprintf(f, "#include \"%s.h\"\n", header);
	}
	if (e->uses_math)
		fputs("#include <math.h>\n", f);
	if (e->uses_string)
		fputs("#include <string.h>\n", f);
	if (e->opt->arena_extern)
		fputc('\n', f);
	else
		fprintf(f, "\n#ifndef %s_ARENA_ATTR\n#define %s_ARENA_ATTR\n#endif\n\n", e->PU,
			e->PU);
	/* the body was written first so the includes above know what it needs */
	rewind(body);
	for (int ch; (ch = fgetc(body)) != EOF;)
		fputc(ch, f);
}

int codegen_emit_model(Graph *g, const char *dir, const EmitOptions *opt)
{
	Emit e = {0};
	char path[4096];
	FILE *h, *c, *body;
	int rc = 0;

	e.g = g;
	e.opt = opt;
	e.P = opt->name;
	for (size_t i = 0; opt->name[i] && i + 1 < sizeof e.PU; i++)
		e.PU[i] = (char)toupper((unsigned char)opt->name[i]);
	name_things(&e);
	collect(&e);
	layout_weights(&e);
	body = tmpfile();
	if (!body)
		return -1;
	emit_weights(&e, body);
	emit_arena(&e, body);
	emit_params(&e, body);
	emit_run(&e, body);
	if (fflush(body) || ferror(body)) { /* checked now: emit_source rewinds it */
		fclose(body);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s.h", dir, e.P);
	h = fopen(path, "w");
	snprintf(path, sizeof path, "%s/%s.c", dir, e.P);
	c = fopen(path, "w");
	if (!h || !c) {
		rc = -1;
	} else {
		emit_header(&e, h);
		emit_source(&e, c, body);
		if (ferror(h) || ferror(c) || ferror(body))
			rc = -1;
	}
	if (h && fclose(h))
		rc = -1;
	if (c && fclose(c))
		rc = -1;
	if (!rc && emit_weights_files(&e, dir))
		rc = -1;
	fclose(body);
	return rc;
}
