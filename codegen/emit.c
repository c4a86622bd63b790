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

/* ---- values ---- */

static void print_value(Emit *e, FILE *f, DType dt, const void *data, int64_t i)
{
	char buf[64];

	switch (dt) {
	case DT_F32: case DT_F64: {
		double v = dt_get(dt, data, i);
		if (v != v) {
			fputs("NAN", f);
			e->uses_math = 1;
		} else if (isinf(v)) {
			fputs(v > 0 ? "INFINITY" : "-INFINITY", f);
			e->uses_math = 1;
		} else {
			snprintf(buf, sizeof buf, dt == DT_F32 ? "%.9g" : "%.17g", v);
			fputs(buf, f);
			if (!strpbrk(buf, ".e"))
				fputs(".0", f);
			if (dt == DT_F32)
				fputc('f', f);
		}
		break;
	}
	case DT_S64: {
		int64_t v = ((const int64_t *)data)[i];
		if (v == INT64_MIN)
			fputs("INT64_MIN", f);
		else
			fprintf(f, "INT64_C(%lld)", (long long)v);
		break;
	}
	case DT_U64: fprintf(f, "UINT64_C(%llu)", (unsigned long long)((const uint64_t *)data)[i]); break;
	case DT_S32: {
		int32_t v = ((const int32_t *)data)[i];
		if (v == INT32_MIN)
			fputs("INT32_MIN", f);
		else
			fprintf(f, "%d", v);
		break;
	}
	case DT_U32: fprintf(f, "%uu", ((const uint32_t *)data)[i]); break;
	case DT_F16: case DT_BF16: fprintf(f, "0x%04x", ((const uint16_t *)data)[i]); break;
	case DT_F8E4M3FN: case DT_F8E4M3FNUZ: case DT_F8E5M2: case DT_F8E5M2FNUZ: case DT_F8E8M0:
	case DT_F4E2M1:
		fprintf(f, "0x%02x", ((const uint8_t *)data)[i]);
		break;
	default: fprintf(f, "%lld", (long long)dt_get_i64(dt, data, i)); break;
	}
}

static void print_array(Emit *e, FILE *f, const char *name, DType dt, int64_t n, const void *data,
			const char *attr)
{
	int per_line = dt == DT_F64 ? 4 : dt_size(dt) >= 4 ? 6 : 12;

	fprintf(f, "static const %s %s[%lld]%s = {", elem_ctype(dt), name, (long long)n, attr);
	for (int64_t i = 0; i < n; i++) {
		fputs(i % per_line ? " " : "\n\t", f);
		print_value(e, f, dt, data, i);
		fputc(',', f);
	}
	fputs("\n};\n", f);
}

/* ---- argument expressions ---- */

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
		if (extra)
			fprintf(f, "%s((const uint8_t *)%s_w_%s + %lld)", cv, e->P, e->tname[t],
				(long long)extra);
		else
			fprintf(f, "%s%s_w_%s", cv, e->P, e->tname[t]);
		return;
	case ST_INPUT: case ST_OUTPUT: {
		const char *io = s->kind == ST_INPUT ? e->inname[s->index] : e->outname[s->index];
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
	case ARG_CONST:
		if (a.offset)
			fprintf(f, "(const void *)((const uint8_t *)%s_c%d_%d + %lld)", e->P, node,
				a.index, (long long)a.offset);
		else
			fprintf(f, "(const void *)%s_c%d_%d", e->P, node, a.index);
		break;
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
		if (!g->n[i].dead)
			for (int c = 0; c < g->n[i].low->ncst; c++)
				bytes += g->n[i].low->cst[c].count * dt_size(g->n[i].low->cst[c].dtype);
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
	for (int i = 0; i < g->ninputs; i++) {
		int t = g->inputs[i];
		fprintf(f, "%sconst %s *%s", i || x ? ", " : "", elem_ctype(g->t[t].dtype),
			e->inname[i]);
	}
	for (int i = 0; i < g->noutputs; i++) {
		int t = g->outputs[i];
		fprintf(f, "%s%s *%s", i || g->ninputs || x ? ", " : "", elem_ctype(g->t[t].dtype),
			e->outname[i]);
	}
	if (!g->ninputs && !g->noutputs && !x)
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
	fprintf(f, "/* flash: constant weights and kernel tables */\n");
	fprintf(f, "#define %s_WEIGHTS_SIZE %lld /* bytes */\n\n", e->PU, (long long)e->weights_bytes);
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
			   " * @return 0 on success, 1 if a pointer is NULL, 2 + n if the kernel call of\n"
			   " *         node n failed (an index read at run time was out of range).\n */\n");
	emit_signature(e, f);
	fprintf(f, ";\n\n#endif\n");
}

/* ---- the source ---- */

static void emit_weights(Emit *e, FILE *f)
{
	Graph *g = e->g;
	char attr[160];
	int64_t done = 0;

	snprintf(attr, sizeof attr, " %s_WEIGHTS_ATTR", e->PU);
	fprintf(f, "/* weights (flash) */\n");
	for (int t = 0; t < g->nt; t++) {
		char *name;
		if (!e->weight_used[t])
			continue;
		name = arena_printf(&g->arena, "%s_w_%s", e->P, e->tname[t]);
		fprintf(f, "/* '%s' %s ", comment_text(g, g->t[t].name), dt_name(g->t[t].dtype));
		print_dims(f, &g->t[t]);
		fprintf(f, " */\n");
		print_array(e, f, name, g->t[t].dtype, ir_numel(&g->t[t]), g->t[t].data, attr);
		done += ir_nbytes(&g->t[t]);
		if (e->opt->progress && e->weights_bytes)
			e->opt->progress("writing weights", (double)done / (double)e->weights_bytes);
	}
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		for (int c = 0; c < g->n[i].low->ncst; c++) {
			const PConst *k = &g->n[i].low->cst[c];
			char *name = arena_printf(&g->arena, "%s_c%d_%d", e->P, i, c);
			fprintf(f, "/* prepared for node '%s' */\n", comment_text(g, g->n[i].name));
			print_array(e, f, name, k->dtype, k->count ? k->count : 1, k->data, attr);
			done += k->count * dt_size(k->dtype);
			if (e->opt->progress && e->weights_bytes)
				e->opt->progress("writing weights",
						 (double)done / (double)e->weights_bytes);
		}
	}
}

static void emit_arena(Emit *e, FILE *f)
{
	Graph *g = e->g;

	fprintf(f, "\n/* the arena (RAM); offsets in bytes, from the liveness-based plan */\n");
	if (g->plan->arena_size && e->opt->arena_extern) /* the parameter of _run_with */
		fprintf(f, "#define %s_ARENA(off) ((void *)((uint8_t *)arena + (off)))\n", e->PU);
	else if (g->plan->arena_size) {
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
	if (g->ninputs || g->noutputs || (e->opt->arena_extern && g->plan->arena_size)) {
		const char *sep = "";
		fputs("\tif (", f);
		if (e->opt->arena_extern && g->plan->arena_size) {
			fprintf(f, "!arena || (uintptr_t)arena %% %s_ARENA_ALIGN", e->PU);
			sep = " || ";
		}
		for (int i = 0; i < g->ninputs; i++, sep = " || ")
			fprintf(f, "%s!%s", sep, e->inname[i]);
		for (int i = 0; i < g->noutputs; i++, sep = " || ")
			fprintf(f, "%s!%s", sep, e->outname[i]);
		fputs(")\n\t\treturn 1;\n", f);
	}
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		const Lowered *L = g->n[i].low;
		if (n->dead)
			continue;
		fprintf(f, "\t/* node %d '%s' (%s)%s */\n", i, comment_text(g, n->name), n->op_type,
			L->alias >= 0 && !L->ncall ? ": a view, no code" : "");
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
		fprintf(f, "   Define %s_WEIGHTS_ATTR (for example as __attribute__((section(\".qspi\"))))\n"
			   "   to place the weights; the arena is the caller's (%s_run_with). */\n",
			e->PU, e->P);
	else
		fprintf(f, "   Define %s_WEIGHTS_ATTR or %s_ARENA_ATTR (for example as\n"
			   "   __attribute__((section(\".sram2\")))) to place weights or the arena. */\n",
			e->PU, e->PU);
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
	fprintf(f, "\n#ifndef %s_WEIGHTS_ATTR\n#define %s_WEIGHTS_ATTR\n#endif\n", e->PU, e->PU);
	if (e->opt->arena_extern)
		fputc('\n', f);
	else
		fprintf(f, "#ifndef %s_ARENA_ATTR\n#define %s_ARENA_ATTR\n#endif\n\n", e->PU, e->PU);
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
	fclose(body);
	return rc;
}
