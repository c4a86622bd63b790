/* report.c - what a compile made, per kernel call of the generated run function: the
   layer table `inspect` prints and the JSON report `compile --report FILE` writes
   (cJSON; fields in docs/rewrites.md). Totals match NAME_ARENA_SIZE and
   NAME_WEIGHTS_SIZE of the generated header. */
#include "../codegen/codegen.h"
#include "../passes/rewrite.h"
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_totals(Graph *g, ReportTotals *t)
{
	int *used = calloc((size_t)g->nt + 1, sizeof(int));

	IR_ASSERT(used);
	memset(t, 0, sizeof *t);
	for (int i = 0; i < g->nn; i++) {
		IrCost c;
		if (g->n[i].dead)
			continue;
		c = ir_node_cost(g, i);
		t->kernels += g->n[i].low->ncall;
		t->macs += c.macs;
		t->cycles += c.cycles;
	}
	t->arena = g->plan->arena_size;
	t->weights = codegen_weights(g, used);
	free(used);
}

const char *cli_storage_name(const Graph *g, int t)
{
	switch (g->plan->tensor[t].kind) {
	case ST_ARENA: return "arena";
	case ST_INPUT: return "input";
	case ST_OUTPUT: return "output";
	case ST_CONST: return "flash";
	default: return "none";
	}
}

void cli_shape_text(const Tensor *t, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "[");
	for (int i = 0; i < t->rank && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%lld", i ? "," : "", (long long)t->dims[i]);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

/* the steps of node i: its calls; a node without calls (a view) sits at the next one */
static void node_steps(const Report *r, const Graph *g, int i, int *first, int *last)
{
	int n = g->n[i].low->ncall, k = r->node_step[i];

	*first = k < r->nlayers ? k : r->nlayers - 1;
	*last = n ? k + n - 1 : *first;
}

/* the tensor whose buffer t is: t itself, or what the view t looks at */
static int buf_root(const Graph *g, int t)
{
	for (;;) {
		int64_t off;
		int in = ir_tensor_view(g, t, &off);
		if (in < 0 || g->plan->tensor[in].kind != ST_ARENA)
			return t;
		t = in;
	}
}

static void buf_use(ReportBuf *b, int first, int last)
{
	if (first < b->first)
		b->first = first;
	if (last > b->last)
		b->last = last;
}

/* the arena buffers and their lifetimes in steps, as the planner saw them (first write
   to last read, views included): one per tensor that is not a view of another, one per
   scratch buffer */
static void gather_bufs(Graph *g, Report *r)
{
	int *of = malloc(sizeof(int) * (size_t)(g->nt + 1)), nscr = 0, f, l;

	IR_ASSERT(of);
	for (int i = 0; i < g->nn; i++)
		nscr += g->n[i].dead ? 0 : g->n[i].low->nscratch;
	r->buf = calloc((size_t)(g->nt + nscr + 1), sizeof *r->buf);
	IR_ASSERT(r->buf);
	for (int t = 0; t < g->nt; t++) {
		int p = g->t[t].producer;
		of[t] = -1;
		if (g->plan->tensor[t].kind != ST_ARENA || !r->nlayers || buf_root(g, t) != t)
			continue;
		f = l = 0;
		if (p >= 0)
			node_steps(r, g, p, &f, &l);
		of[t] = r->nbufs;
		r->buf[r->nbufs++] = (ReportBuf){t, p, f, l, g->plan->tensor[t].offset,
						 ir_nbytes(&g->t[t])};
	}
	for (int t = 0; t < g->nt; t++) /* a graph output held here is copied out at the end */
		if (g->plan->tensor[t].kind == ST_ARENA && (g->t[t].flags & T_OUTPUT) &&
		    of[buf_root(g, t)] >= 0)
			buf_use(&r->buf[of[buf_root(g, t)]], r->nlayers - 1, r->nlayers - 1);
	for (int i = 0; i < g->nn && r->nlayers; i++) {
		if (g->n[i].dead)
			continue;
		node_steps(r, g, i, &f, &l);
		for (int k = 0; k < g->n[i].nin; k++) {
			int t = g->n[i].in[k];
			if (t >= 0 && g->plan->tensor[t].kind == ST_ARENA && of[buf_root(g, t)] >= 0)
				buf_use(&r->buf[of[buf_root(g, t)]], f, l);
		}
		for (int s = 0; s < g->n[i].low->nscratch; s++)
			if (g->n[i].low->scratch[s] > 0)
				r->buf[r->nbufs++] = (ReportBuf){-1, i, f, l,
					g->plan->scratch[i][s].offset, g->n[i].low->scratch[s]};
	}
	free(of);
}

static const ReportBuf *sort_bufs;

static int by_first(const void *x, const void *y)
{
	const ReportBuf *p = &sort_bufs[*(const int *)x], *q = &sort_bufs[*(const int *)y];
	return p->first != q->first ? (p->first < q->first ? -1 : 1) : *(const int *)x - *(const int *)y;
}

static int by_offset(const void *x, const void *y)
{
	const ReportBuf *p = &sort_bufs[*(const int *)x], *q = &sort_bufs[*(const int *)y];
	return p->offset != q->offset ? (p->offset < q->offset ? -1 : 1) : 0;
}

/* the arena bytes in use at each step: the union of the buffers live then (views and
   in-place outputs share bytes), in one sweep over the buffers by first use */
static void gather_live(Report *r)
{
	int *order = malloc(sizeof(int) * (size_t)(r->nbufs + 1));
	int *live = malloc(sizeof(int) * (size_t)(r->nbufs + 1)), nlive = 0, next = 0;

	IR_ASSERT(order && live);
	for (int b = 0; b < r->nbufs; b++)
		order[b] = b;
	sort_bufs = r->buf;
	qsort(order, (size_t)r->nbufs, sizeof(int), by_first);
	for (int k = 0; k < r->nlayers; k++) {
		int64_t end = 0, bytes = 0;
		int n = 0;
		for (int j = 0; j < nlive; j++) /* drop the buffers dead by now */
			if (r->buf[live[j]].last >= k)
				live[n++] = live[j];
		nlive = n;
		while (next < r->nbufs && r->buf[order[next]].first <= k)
			live[nlive++] = order[next++];
		qsort(live, (size_t)nlive, sizeof(int), by_offset);
		for (int j = 0; j < nlive; j++) {
			const ReportBuf *b = &r->buf[live[j]];
			int64_t from = b->offset > end ? b->offset : end;
			if (b->offset + b->size > from)
				bytes += b->offset + b->size - from;
			if (b->offset + b->size > end)
				end = b->offset + b->size;
		}
		r->layer[k].live = bytes;
	}
	free(order);
	free(live);
}

static const char *const *sort_names;

static int by_name(const void *x, const void *y)
{
	int c = strcmp(sort_names[*(const int *)x], sort_names[*(const int *)y]);
	return c ? c : *(const int *)x - *(const int *)y;
}

/* --quantize: each call's SQNR, of the first quantized tensor its node writes (the
   per-layer list names nodes of this graph) */
static void gather_sqnr(const Graph *g, const CliOptions *o, Report *r)
{
	const char **names = malloc(sizeof(char *) * (size_t)(o->nqlayers + 1));
	int *order = malloc(sizeof(int) * (size_t)(o->nqlayers + 1));

	IR_ASSERT(names && order);
	for (int j = 0; j < o->nqlayers; j++) {
		names[j] = o->qlayers[j].node;
		order[j] = j;
	}
	sort_names = names;
	qsort(order, (size_t)o->nqlayers, sizeof(int), by_name);
	for (int k = 0; k < r->nlayers; k++) {
		const char *want = g->n[r->layer[k].node].name;
		int lo = 0, hi = o->nqlayers;
		while (lo < hi) { /* the first entry not before want */
			int mid = (lo + hi) / 2;
			if (strcmp(names[order[mid]], want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < o->nqlayers && !strcmp(names[order[lo]], want))
			r->layer[k].sqnr_db = o->qlayers[order[lo]].sqnr_db;
	}
	free(names);
	free(order);
}

void cli_report_gather(Graph *g, const CliOptions *o, Report *r)
{
	int *k0 = malloc(sizeof(int) * (size_t)(g->nn + 1)), k = 0;
	IrCost *cost;

	IR_ASSERT(k0);
	memset(r, 0, sizeof *r);
	r->node_step = k0;
	cli_totals(g, &r->tot);
	r->layer = calloc((size_t)r->tot.kernels + 1, sizeof *r->layer);
	cost = malloc(sizeof *cost * ((size_t)r->tot.kernels + 1));
	IR_ASSERT(r->layer && cost);
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		k0[i] = k;
		if (n->dead)
			continue;
		ir_call_costs(g, i, cost);
		for (int c = 0; c < n->low->ncall; c++, k++)
			r->layer[k] = (ReportLayer){i, c, n->nout ? n->out[0] : -1, cost[c], 0, NAN};
	}
	free(cost);
	r->nlayers = k;
	gather_bufs(g, r);
	gather_live(r);
	if (o && o->nqlayers)
		gather_sqnr(g, o, r);
}

void cli_report_free(Report *r)
{
	free(r->layer);
	free(r->buf);
	free(r->node_step);
}

void cli_layers_print(Graph *g, FILE *f)
{
	Report r;

	cli_report_gather(g, NULL, &r);
	fprintf(f, "layers (one per kernel call, after optimisation):\n");
	fprintf(f, "  %4s %-18s %-22s %12s %-18s %9s %9s %12s %9s  %s\n", "#", "op", "kernel",
		"MACs", "output", "offset", "bytes", "est. cycles", "live", "ONNX nodes");
	for (int k = 0; k < r.nlayers; k++) {
		const ReportLayer *l = &r.layer[k];
		const Node *n = &g->n[l->node];
		char shape[96] = "-", off[32] = "-";
		if (l->out >= 0) {
			cli_shape_text(&g->t[l->out], shape, sizeof shape);
			if (g->plan->tensor[l->out].kind == ST_ARENA)
				snprintf(off, sizeof off, "%lld", (long long)g->plan->tensor[l->out].offset);
			else
				snprintf(off, sizeof off, "%s", cli_storage_name(g, l->out));
		}
		fprintf(f, "  %4d %-18s %-22s %12lld %-18s %9s %9lld %12lld %9lld  %s\n", k, n->op_type,
			kernel_table[n->low->call[l->call].kernel].name + 4, (long long)l->cost.macs,
			shape, off, l->out >= 0 ? (long long)ir_nbytes(&g->t[l->out]) : 0LL,
			(long long)l->cost.cycles, (long long)l->live,
			n->fused && n->fused[0] ? n->fused : n->name);
	}
	fprintf(f, "total: %d kernel calls, %lld MACs, %lld estimated cycles, arena %lld bytes, "
		"weights %lld bytes\n", r.tot.kernels, (long long)r.tot.macs,
		(long long)r.tot.cycles, (long long)r.tot.arena, (long long)r.tot.weights);
	cli_report_free(&r);
}

/* the arena as text: a row per kernel call (sampled down to 96 rows), 64 columns of
   bytes, a letter per buffer live there ('.' free); then which letter is which */
void cli_timeline_print(Graph *g, FILE *f)
{
	static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	enum { COLS = 64, ROWS = 96, NL = sizeof letters - 1 };
	int64_t arena = g->plan->arena_size, per;
	Report r;
	int rows;

	cli_report_gather(g, NULL, &r);
	if (!arena || !r.nlayers) {
		cli_report_free(&r);
		return;
	}
	per = (arena + COLS - 1) / COLS;
	rows = r.nlayers < ROWS ? r.nlayers : ROWS;
	fprintf(f, "arena timeline (a row per kernel call%s; a column per %lld bytes; a letter "
		"per buffer, '.' free):\n", rows < r.nlayers ? ", sampled" : "", (long long)per);
	for (int row = 0; row < rows; row++) {
		int k = (int)((int64_t)row * r.nlayers / rows);
		char line[COLS + 1];
		memset(line, '.', COLS);
		line[COLS] = 0;
		for (int b = 0; b < r.nbufs; b++) {
			const ReportBuf *x = &r.buf[b];
			if (x->first > k || x->last < k)
				continue;
			for (int64_t c = x->offset / per; c <= (x->offset + x->size - 1) / per && c < COLS;
			     c++)
				line[c] = letters[b % NL];
		}
		fprintf(f, "  %5d %-18.18s |%s| %lld\n", k, g->n[r.layer[k].node].op_type, line,
			(long long)r.layer[k].live);
	}
	for (int b = 0; b < r.nbufs && b < NL; b++)
		fprintf(f, "  %c %s [%lld, %lld) calls %d..%d\n", letters[b],
			r.buf[b].tensor >= 0 ? g->t[r.buf[b].tensor].name : "scratch",
			(long long)r.buf[b].offset, (long long)(r.buf[b].offset + r.buf[b].size),
			r.buf[b].first, r.buf[b].last);
	if (r.nbufs > NL)
		fprintf(f, "  (%d more buffers; letters repeat: see --memory-plan)\n", r.nbufs - NL);
	cli_report_free(&r);
}

/* the ONNX nodes a kernel call computes, as a JSON array */
static cJSON *fused_array(const Node *n)
{
	const char *s = n->fused && n->fused[0] ? n->fused : n->name;
	cJSON *a = cJSON_CreateArray();

	while (a && *s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *one = strndup(s, len);
		cJSON_AddItemToArray(a, cJSON_CreateString(one));
		free(one);
		s += len + (e != NULL);
	}
	return a;
}

static cJSON *layer(Graph *g, const ReportLayer *rl)
{
	const Node *n = &g->n[rl->node];
	cJSON *l = cJSON_CreateObject(), *shape = cJSON_CreateArray();
	int y = rl->out;

	cJSON_AddStringToObject(l, "name", n->name);
	cJSON_AddStringToObject(l, "op", n->op_type);
	cJSON_AddStringToObject(l, "kernel", kernel_table[n->low->call[rl->call].kernel].name);
	cJSON_AddItemToObject(l, "fused", fused_array(n));
	cJSON_AddNumberToObject(l, "macs", (double)rl->cost.macs);
	for (int d = 0; y >= 0 && d < g->t[y].rank; d++)
		cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)g->t[y].dims[d]));
	cJSON_AddItemToObject(l, "output_shape", shape);
	cJSON_AddStringToObject(l, "output_in", y >= 0 ? cli_storage_name(g, y) : "none");
	if (y >= 0 && g->plan->tensor[y].kind == ST_ARENA)
		cJSON_AddNumberToObject(l, "arena_offset", (double)g->plan->tensor[y].offset);
	else
		cJSON_AddNullToObject(l, "arena_offset");
	cJSON_AddNumberToObject(l, "bytes", y >= 0 ? (double)ir_nbytes(&g->t[y]) : 0);
	cJSON_AddNumberToObject(l, "est_cycles", (double)rl->cost.cycles);
	cJSON_AddNumberToObject(l, "arena_live", (double)rl->live);
	{ /* what the cost model counts, for bench/calibrate.sh */
		double t[IR_COST_TERMS];
		const char *family;
		cJSON *terms = cJSON_CreateArray();
		ir_call_terms(g, rl->node, rl->call, t, &family);
		for (int i = 0; i < IR_COST_TERMS; i++)
			cJSON_AddItemToArray(terms, cJSON_CreateNumber(t[i]));
		cJSON_AddNumberToObject(l, "node", rl->node);
		cJSON_AddStringToObject(l, "cost_family", family);
		cJSON_AddItemToObject(l, "cost_terms", terms);
	}
	return l;
}

static cJSON *report_json(Graph *g, const CliOptions *o)
{
	cJSON *r = cJSON_CreateObject(), *rw = cJSON_CreateObject(), *s = cJSON_CreateObject();
	cJSON *layers = cJSON_CreateArray(), *sc;
	int64_t ram, io, flash;
	Report rep;
	const ReportTotals *tot = &rep.tot;

	cli_report_gather(g, o, &rep);
	cJSON_AddStringToObject(r, "model", o->model);
	cJSON_AddNumberToObject(r, "opt_level", o->passes.level);
	cJSON_AddStringToObject(r, "target", g->target ? g->target->name : "portable");
	cJSON_AddNumberToObject(r, "nodes_in", o->nodes_in);
	cJSON_AddNumberToObject(r, "kernels", tot->kernels);
	cJSON_AddNumberToObject(r, "macs", (double)tot->macs);
	cJSON_AddNumberToObject(r, "est_cycles", (double)tot->cycles);
	cJSON_AddNumberToObject(r, "arena_bytes", (double)tot->arena);
	cli_fit_bytes(g, &ram, &io, &flash);
	cJSON_AddNumberToObject(r, "ram_bytes", (double)ram); /* arena and caller buffers */
	cJSON_AddNumberToObject(r, "live_peak_bytes", (double)g->plan->live_peak);
	cJSON_AddNumberToObject(r, "layer_bound_bytes", (double)g->plan->layer_bound);
	cJSON_AddNumberToObject(r, "patch_bands", g->patched);
	if (o->unpatched_ram) { /* --ram-limit chose the bands: what they cost */
		cJSON *pt = cJSON_AddObjectToObject(r, "patches");
		cJSON_AddNumberToObject(pt, "bands", g->patched);
		cJSON_AddNumberToObject(pt, "ram_bytes_without", (double)o->unpatched_ram);
		cJSON_AddNumberToObject(pt, "est_cycles_without", (double)o->unpatched_cycles);
		cJSON_AddNumberToObject(pt, "est_cycles", (double)tot->cycles);
	}
	sc = cJSON_AddObjectToObject(r, "schedule");
	cJSON_AddStringToObject(sc, "order", g->sched.order ? g->sched.order : "given");
	cJSON_AddStringToObject(sc, "found", g->sched.found ? g->sched.found : "given");
	cJSON_AddBoolToObject(sc, "optimal", g->sched.optimal);
	cJSON_AddNumberToObject(sc, "given_peak_bytes", (double)g->sched.given_peak);
	cJSON_AddNumberToObject(sc, "peak_bytes", (double)g->sched.peak);
	cJSON_AddNumberToObject(r, "weights_bytes", (double)tot->weights);
	for (int k = 0; k < rw_nrules; k++)
		if (o->rule_counts[k])
			cJSON_AddNumberToObject(rw, rw_rules[k].name, o->rule_counts[k]);
	cJSON_AddItemToObject(r, "rewrites", rw);
	cJSON_AddNumberToObject(s, "graphs_explored", o->search.explored);
	cJSON_AddNumberToObject(s, "best_cost", o->search.best_cost);
	cJSON_AddNumberToObject(s, "greedy_cost", o->search.greedy_cost);
	cJSON_AddNumberToObject(s, "seconds", o->search.seconds);
	cJSON_AddItemToObject(r, "search", s);
	for (int k = 0; k < rep.nlayers; k++)
		cJSON_AddItemToArray(layers, layer(g, &rep.layer[k]));
	cli_report_free(&rep);
	cJSON_AddItemToObject(r, "layers", layers);
	if (o->nqlayers) {
		cJSON *q = cJSON_CreateObject(), *ql = cJSON_CreateArray();
		cJSON_AddNumberToObject(q, "samples", o->qsamples);
		for (int i = 0; i < o->nqlayers; i++) {
			cJSON *l = cJSON_CreateObject();
			cJSON_AddStringToObject(l, "tensor", o->qlayers[i].tensor);
			cJSON_AddStringToObject(l, "node", o->qlayers[i].node);
			cJSON_AddStringToObject(l, "op", o->qlayers[i].op);
			if (isfinite(o->qlayers[i].sqnr_db))
				cJSON_AddNumberToObject(l, "sqnr_db", o->qlayers[i].sqnr_db);
			else
				cJSON_AddNullToObject(l, "sqnr_db"); /* exact */
			cJSON_AddItemToArray(ql, l);
		}
		cJSON_AddItemToObject(q, "layers", ql);
		cJSON_AddItemToObject(r, "quantization", q);
	}
	return r;
}

FILE *cli_out_open(const char *path, char *tmp, size_t len)
{
	FILE *f;

	snprintf(tmp, len, "%s.o2m-%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		fprintf(stderr, "onnx2mcu: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int cli_out_close(FILE *f, const char *tmp, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) || bad || rename(tmp, path)) {
		fprintf(stderr, "onnx2mcu: cannot write %s\n", path);
		remove(tmp);
		return -1;
	}
	return 0;
}

/* one entry of the memory plan: a tensor or a scratch buffer */
static void plan_entry(cJSON *a, const char *name, int root, int64_t offset, int64_t size,
		       int first, int last)
{
	cJSON *b = cJSON_CreateObject();

	cJSON_AddStringToObject(b, "name", name);
	cJSON_AddNumberToObject(b, "root", root);
	cJSON_AddNumberToObject(b, "offset", (double)offset);
	cJSON_AddNumberToObject(b, "size", (double)size);
	cJSON_AddNumberToObject(b, "first", first);
	cJSON_AddNumberToObject(b, "last", last);
	cJSON_AddItemToArray(a, b);
}

/* --memory-plan: every arena tensor and scratch buffer with its planner buffer (root),
   bytes and the schedule steps (kernel calls, inclusive) it is live in */
static cJSON *plan_json(Graph *g)
{
	cJSON *r = cJSON_CreateObject(), *a = cJSON_CreateArray();
	int *first = malloc(sizeof(int) * (size_t)(g->nt + 1)), *last, f, l;
	Report rep;

	last = malloc(sizeof(int) * (size_t)(g->nt + 1));
	IR_ASSERT(first && last);
	cli_report_gather(g, NULL, &rep);
	for (int t = 0; t < g->nt; t++)
		first[t] = last[t] = -1;
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead || !rep.nlayers)
			continue;
		node_steps(&rep, g, i, &f, &l);
		for (int k = 0; k < g->n[i].nout; k++)
			if (g->n[i].out[k] >= 0 && first[g->n[i].out[k]] < 0)
				first[g->n[i].out[k]] = f;
		for (int k = 0; k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0 && l > last[g->n[i].in[k]])
				last[g->n[i].in[k]] = l;
	}
	cJSON_AddStringToObject(r, "model", g->path ? g->path : "");
	cJSON_AddNumberToObject(r, "arena_size", (double)g->plan->arena_size);
	cJSON_AddNumberToObject(r, "steps", rep.nlayers);
	for (int t = 0; t < g->nt && rep.nlayers; t++) {
		const Storage *s = &g->plan->tensor[t];
		if (s->kind != ST_ARENA || ir_nbytes(&g->t[t]) <= 0)
			continue;
		f = first[t] < 0 ? 0 : first[t];
		l = g->t[t].flags & T_OUTPUT ? rep.nlayers - 1 : last[t] > f ? last[t] : f;
		plan_entry(a, g->t[t].name, s->buffer, s->offset, ir_nbytes(&g->t[t]), f, l);
	}
	for (int i = 0; i < g->nn && rep.nlayers; i++)
		for (int s = 0; !g->n[i].dead && s < g->n[i].low->nscratch; s++) {
			char name[300];
			if (g->n[i].low->scratch[s] <= 0)
				continue;
			snprintf(name, sizeof name, "scratch %d of %.256s", s, g->n[i].name);
			node_steps(&rep, g, i, &f, &l);
			plan_entry(a, name, g->plan->scratch[i][s].buffer, g->plan->scratch[i][s].offset,
				   g->n[i].low->scratch[s], f, l);
		}
	cJSON_AddItemToObject(r, "buffers", a);
	cli_report_free(&rep);
	free(first);
	free(last);
	return r;
}

/* a JSON document written whole, or not at all */
static int json_write(cJSON *r, const char *path)
{
	char *text = cJSON_Print(r), tmp[4200];
	FILE *f;

	cJSON_Delete(r);
	IR_ASSERT(text);
	f = cli_out_open(path, tmp, sizeof tmp);
	if (f) {
		fputs(text, f);
		fputc('\n', f);
	}
	free(text);
	return f ? cli_out_close(f, tmp, path) : -1;
}

int cli_report_write(Graph *g, const CliOptions *o, const char *path)
{
	return json_write(report_json(g, o), path);
}

int cli_memory_plan_write(Graph *g, const char *path)
{
	return json_write(plan_json(g), path);
}
