/* inspect.c - `onnx2mcu inspect`: what a model is and what compiling it costs. Also
   answers which graph inputs must be bound (--shape-inputs), for scripts. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Graph inputs whose values the compiler needs: those from which an input that must be
   known at compile time (op_info.const_in) is reachable backwards. Shape and Size need
   only shapes, so the search stops there. */
static void needed_inputs(Graph *g, int *need)
{
	int *mark = calloc((size_t)g->nt + 1, sizeof(int)), changed = 1;

	IR_ASSERT(mark);
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; k < g->n[i].nin; k++)
			if (k < 32 && g->n[i].in[k] >= 0 && (op_info[g->n[i].op].const_in >> k & 1))
				mark[g->n[i].in[k]] = 1;
	while (changed) {
		changed = 0;
		for (int i = g->nn - 1; i >= 0; i--) {
			const Node *n = &g->n[i];
			int live = 0;
			if (op_info[n->op].flags & OPF_SHAPE_FOLD)
				continue;
			for (int k = 0; k < n->nout; k++)
				live |= n->out[k] >= 0 && mark[n->out[k]];
			for (int k = 0; live && k < n->nin; k++)
				if (n->in[k] >= 0 && !mark[n->in[k]])
					mark[n->in[k]] = changed = 1;
		}
	}
	for (int i = 0; i < g->ninputs; i++)
		need[i] = mark[g->inputs[i]];
	free(mark);
}

static void print_tensor(const Tensor *t)
{
	printf("%s [", dt_name(t->dtype));
	for (int i = 0; i < t->rank; i++)
		printf("%s%lld", i ? ", " : "", (long long)t->dims[i]);
	printf("]");
}

/* --mcu, --ram-limit, --flash-limit: how much of each the model takes */
static void fit_print(Graph *g, const CliOptions *o)
{
	int64_t ram, io, flash;

	if (!o->ram_limit && !o->flash_limit)
		return;
	cli_fit_bytes(g, &ram, &io, &flash);
	if (o->mcu)
		printf("part: %s (%s, %s)\n", o->mcu->name, o->mcu->family, o->mcu->core);
	if (o->ram_limit)
		printf("RAM: %lld of %lld bytes (%.1f%%; arena %lld, inputs and outputs %lld)%s\n",
		       (long long)ram, (long long)o->ram_limit, 100.0 * (double)ram /
		       (double)o->ram_limit, (long long)g->plan->arena_size, (long long)io,
		       ram > o->ram_limit ? ": does not fit" : "");
	if (o->flash_limit)
		printf("flash: weights %lld of %lld bytes (%.1f%%)%s\n", (long long)flash,
		       (long long)o->flash_limit, 100.0 * (double)flash / (double)o->flash_limit,
		       flash > o->flash_limit ? ": does not fit" : "");
}

static int shape_inputs(CliOptions *o)
{
	Graph *g = onnx_load(o->model, &o->load);
	int *need;

	if (!g)
		return EXIT_MODEL;
	need = calloc((size_t)g->ninputs + 1, sizeof(int));
	needed_inputs(g, need);
	for (int i = 0; i < g->ninputs; i++) {
		int k = 0; /* position among the declared inputs: input_K.pb in test data */
		if (!need[i])
			continue;
		while (k < g->ndeclared && strcmp(g->declared[k], g->t[g->inputs[i]].name))
			k++;
		printf("%d %s\n", k, g->t[g->inputs[i]].name);
	}
	free(need);
	ir_graph_free(g);
	return 0;
}

int cli_inspect(CliOptions *o)
{
	Graph *g;
	int count[OP_COUNT] = {0}, *need, rc = 0;
	int64_t params = 0, weight_bytes = 0, macs = 0;

	if (o->shape_inputs)
		return shape_inputs(o);
	g = onnx_load(o->model, &o->load);
	if (!g)
		return EXIT_MODEL;
	need = calloc((size_t)g->ninputs + 1, sizeof(int));
	needed_inputs(g, need);
	printf("model: %s\n", o->model);
	printf("inputs:\n");
	for (int i = 0; i < g->ninputs; i++) {
		printf("  %d '%s' ", i, g->t[g->inputs[i]].name);
		print_tensor(&g->t[g->inputs[i]]);
		printf("%s\n", need[i] ? "  (sets a shape: bind it with --bind)" : "");
	}
	printf("outputs:\n");
	for (int i = 0; i < g->noutputs; i++)
		printf("  %d '%s'\n", i, g->t[g->outputs[i]].name);
	for (int i = 0; i < g->nn; i++)
		count[g->n[i].op]++;
	printf("ops (%d nodes):\n", g->nn);
	for (;;) { /* by count, then by name */
		int best = -1;
		for (int k = 0; k < OP_COUNT; k++)
			if (count[k] > 0 && (best < 0 || count[k] > count[best] ||
					     (count[k] == count[best] &&
					      strcmp(op_info[k].name, op_info[best].name) < 0)))
				best = k;
		if (best < 0)
			break;
		printf("  %-24s %d\n", op_info[best].name, count[best]);
		count[best] = 0;
	}
	free(need);
	if (cli_passes(g, o)) {
		ir_graph_free(g);
		return EXIT_MODEL;
	}
	fit_print(g, o);
	for (int i = 0; i < g->nn; i++) {
		if (g->n[i].dead)
			continue;
		macs += ir_node_macs(g, i);
		for (int k = 0; k < g->n[i].nin; k++) {
			int t = g->n[i].in[k];
			if (t >= 0 && (g->t[t].flags & T_CONST) && !(g->t[t].flags & T_BOUND)) {
				params += ir_numel(&g->t[t]);
				weight_bytes += ir_nbytes(&g->t[t]);
				g->t[t].flags |= T_BOUND; /* count each constant once */
			}
		}
	}
	printf("outputs after inference:\n");
	for (int i = 0; i < g->noutputs; i++) {
		printf("  %d '%s' ", i, g->t[g->outputs[i]].name);
		print_tensor(&g->t[g->outputs[i]]);
		printf("\n");
	}
	printf("parameters: %lld (%lld bytes of constants)\n", (long long)params,
	       (long long)weight_bytes);
	printf("MACs: %lld\n", (long long)macs);
	printf("arena: %lld bytes (live peak %lld, layer-wise bound %lld, %lld without buffer "
	       "sharing)\n", (long long)g->plan->arena_size, (long long)g->plan->live_peak,
	       (long long)g->plan->layer_bound, (long long)g->plan->naive_size);
	printf("schedule: the %s order; modelled peak %lld bytes in the given order, %lld in "
	       "the best found (%s%s)\n", g->sched.order, (long long)g->sched.given_peak,
	       (long long)g->sched.peak, g->sched.found,
	       g->sched.optimal ? ": no order peaks lower" : "");
	cli_layers_print(g, stdout);
	cli_timeline_print(g, stdout);
	ir_graph_free(g);
	return rc;
}
