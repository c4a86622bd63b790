/* report.c - what a compile made, per kernel call of the generated run function: the
   layer table `inspect` prints and the JSON report `compile --report FILE` writes
   (cJSON; fields in docs/rewrites.md). Totals match NAME_ARENA_SIZE and
   NAME_WEIGHTS_SIZE of the generated header. */
#include "../codegen/codegen.h"
#include "../passes/rewrite.h"
#include "cli.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static const char *where(const Graph *g, int t)
{
	switch (g->plan->tensor[t].kind) {
	case ST_ARENA: return "arena";
	case ST_INPUT: return "input";
	case ST_OUTPUT: return "output";
	case ST_CONST: return "flash";
	default: return "none";
	}
}

static void shape_text(const Tensor *t, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "[");
	for (int i = 0; i < t->rank && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%lld", i ? "," : "", (long long)t->dims[i]);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

void cli_layers_print(Graph *g, FILE *f)
{
	ReportTotals tot;
	int k = 0;

	fprintf(f, "layers (one per kernel call, after optimisation):\n");
	fprintf(f, "  %4s %-18s %-22s %12s %-18s %9s %9s %12s  %s\n", "#", "op", "kernel", "MACs",
		"output", "offset", "bytes", "est. cycles", "ONNX nodes");
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		for (int c = 0; !n->dead && c < n->low->ncall; c++, k++) {
			IrCost cost = ir_call_cost(g, i, c);
			int y = n->nout ? n->out[0] : -1;
			char shape[96] = "-", off[32] = "-";
			if (y >= 0) {
				shape_text(&g->t[y], shape, sizeof shape);
				if (g->plan->tensor[y].kind == ST_ARENA)
					snprintf(off, sizeof off, "%lld", (long long)g->plan->tensor[y].offset);
				else
					snprintf(off, sizeof off, "%s", where(g, y));
			}
			fprintf(f, "  %4d %-18s %-22s %12lld %-18s %9s %9lld %12lld  %s\n", k, n->op_type,
				kernel_table[n->low->call[c].kernel].name + 4, (long long)cost.macs, shape,
				off, y >= 0 ? (long long)ir_nbytes(&g->t[y]) : 0LL, (long long)cost.cycles,
				n->fused && n->fused[0] ? n->fused : n->name);
		}
	}
	cli_totals(g, &tot);
	fprintf(f, "total: %d kernel calls, %lld MACs, %lld estimated cycles, arena %lld bytes, "
		"weights %lld bytes\n", tot.kernels, (long long)tot.macs, (long long)tot.cycles,
		(long long)tot.arena, (long long)tot.weights);
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

static cJSON *layer(Graph *g, int i, int c)
{
	const Node *n = &g->n[i];
	IrCost cost = ir_call_cost(g, i, c);
	cJSON *l = cJSON_CreateObject(), *shape = cJSON_CreateArray();
	int y = n->nout ? n->out[0] : -1;

	cJSON_AddStringToObject(l, "name", n->name);
	cJSON_AddStringToObject(l, "op", n->op_type);
	cJSON_AddStringToObject(l, "kernel", kernel_table[n->low->call[c].kernel].name);
	cJSON_AddItemToObject(l, "fused", fused_array(n));
	cJSON_AddNumberToObject(l, "macs", (double)cost.macs);
	for (int d = 0; y >= 0 && d < g->t[y].rank; d++)
		cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)g->t[y].dims[d]));
	cJSON_AddItemToObject(l, "output_shape", shape);
	cJSON_AddStringToObject(l, "output_in", y >= 0 ? where(g, y) : "none");
	if (y >= 0 && g->plan->tensor[y].kind == ST_ARENA)
		cJSON_AddNumberToObject(l, "arena_offset", (double)g->plan->tensor[y].offset);
	else
		cJSON_AddNullToObject(l, "arena_offset");
	cJSON_AddNumberToObject(l, "bytes", y >= 0 ? (double)ir_nbytes(&g->t[y]) : 0);
	cJSON_AddNumberToObject(l, "est_cycles", (double)cost.cycles);
	return l;
}

static cJSON *report_json(Graph *g, const CliOptions *o)
{
	cJSON *r = cJSON_CreateObject(), *rw = cJSON_CreateObject(), *s = cJSON_CreateObject();
	cJSON *layers = cJSON_CreateArray();
	ReportTotals tot;

	cli_totals(g, &tot);
	cJSON_AddStringToObject(r, "model", o->model);
	cJSON_AddNumberToObject(r, "opt_level", o->passes.level);
	cJSON_AddNumberToObject(r, "nodes_in", o->nodes_in);
	cJSON_AddNumberToObject(r, "kernels", tot.kernels);
	cJSON_AddNumberToObject(r, "macs", (double)tot.macs);
	cJSON_AddNumberToObject(r, "est_cycles", (double)tot.cycles);
	cJSON_AddNumberToObject(r, "arena_bytes", (double)tot.arena);
	cJSON_AddNumberToObject(r, "weights_bytes", (double)tot.weights);
	for (int k = 0; k < rw_nrules; k++)
		if (o->rule_counts[k])
			cJSON_AddNumberToObject(rw, rw_rules[k].name, o->rule_counts[k]);
	cJSON_AddItemToObject(r, "rewrites", rw);
	cJSON_AddNumberToObject(s, "graphs_explored", o->search.explored);
	cJSON_AddNumberToObject(s, "best_cost", o->search.best_cost);
	cJSON_AddNumberToObject(s, "greedy_cost", o->search.greedy_cost);
	cJSON_AddNumberToObject(s, "seconds", o->search.seconds);
	cJSON_AddItemToObject(r, "search", s);
	for (int i = 0; i < g->nn; i++)
		for (int c = 0; !g->n[i].dead && c < g->n[i].low->ncall; c++)
			cJSON_AddItemToArray(layers, layer(g, i, c));
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

/* writes the report whole or not at all: into a temporary file renamed over path */
int cli_report_write(Graph *g, const CliOptions *o, const char *path)
{
	cJSON *r = report_json(g, o);
	char *text = cJSON_Print(r), *tmp = malloc(strlen(path) + 16);
	FILE *f;
	int bad;

	cJSON_Delete(r);
	if (!text || !tmp) {
		free(text);
		free(tmp);
		return -1;
	}
	sprintf(tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	bad = !f || fputs(text, f) < 0 || fputc('\n', f) < 0;
	bad |= f && fclose(f) != 0;
	if (!bad && rename(tmp, path))
		bad = 1;
	if (bad) {
		fprintf(stderr, "onnx2mcu: cannot write the report %s\n", path);
		remove(tmp);
	}
	free(text);
	free(tmp);
	return bad ? -1 : 0;
}
