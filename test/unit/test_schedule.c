/* test_schedule.c - the schedule pass (passes/schedule.c): on graphs whose node order
   is bad it finds the order of the lowest peak, and that peak is the lowest live peak
   the planner (passes/plan.c, which knows nothing of the schedule's model) measures
   over every topological order, found by brute force; it keeps the order when nothing
   is better, and --schedule given keeps it always. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"
#include "ir_build.h"

static uint32_t seed = 12345;

static int rnd(int n)
{
	seed = seed * 1103515245u + 12345u;
	return (int)((seed >> 8) % (uint32_t)n);
}



static int input(Graph *g, int64_t len)
{
	int64_t d[2] = {1, len};
	int t = ir_tensor_new(g, "x");

	ir_set_shape(g, t, DT_F32, 2, d);
	ir_input_add(g, t);
	return t;
}

/* the node named name, in the order the graph has now */
static int at(const Graph *g, const char *name)
{
	int i = tb_at(g, name);

	if (i < 0)
		fail_msg("no node %s", name);
	return i;
}

/* x feeds two branches, each a large Concat made small by a ReduceMax, joined by an
   Add. The model lists both large tensors first, so both are live at once. */
static Graph *two_branches(void)
{
	Graph *g = ir_graph_new("unit");
	int x = input(g, 256), a, b, c, d;
	int in[2];

	in[0] = in[1] = x;
	a = tb_out(g, OP_CONCAT, "A1", in, 2);
	b = tb_out(g, OP_CONCAT, "B1", in, 2);
	ir_attr_set_int(g, at(g, "A1"), "axis", 1);
	ir_attr_set_int(g, at(g, "B1"), "axis", 1);
	c = tb_out(g, OP_REDUCE_MAX, "A2", &a, 1);
	d = tb_out(g, OP_REDUCE_MAX, "B2", &b, 1);
	in[0] = c;
	in[1] = d;
	ir_output_add(g, tb_out(g, OP_ADD, "out", in, 2));
	return g;
}

static void bad_order_is_fixed(void **state)
{
	(void)state;
	for (int best = 0; best < 2; best++) {
		Graph *g = two_branches();
		PassOptions po = {NULL, 0, NULL};
		po.schedule = best;
		assert_int_equal(passes_run(g, &po), 0);
		assert_int_equal(plan_check(g), 0);
		/* each Concat 2 KB: both live with A2's 8 bytes given; best, one at a time
		   (with both 8-byte maxima at B2) */
		assert_int_equal(g->sched.given_peak, 4096 + 8);
		if (best) {
			assert_string_not_equal(g->sched.order, "given"); /* greedy finds it */
			assert_true(g->sched.optimal);
			assert_int_equal(g->sched.peak, 2048 + 16);
			assert_int_equal(g->plan->live_peak, 2048 + 16);
			assert_int_equal(g->plan->arena_size, 2048 + 16);
			assert_true(at(g, "A2") < at(g, "B1") || at(g, "B2") < at(g, "A1"));
		} else {
			assert_string_equal(g->sched.order, "given");
			assert_int_equal(g->plan->live_peak, 4096 + 8);
			assert_true(at(g, "A1") < at(g, "B1") && at(g, "B1") < at(g, "A2"));
		}
		ir_graph_free(g);
	}
}

/* 40 branches as above, all Concats listed first: 2^40 sets of done branches, but the
   greedy order (one branch at a time) peaks at what any order must reach at its second
   ReduceMax, and the search, dropping every set at that bound, proves it in a few steps */
static void wide_graph_proved_by_bound(void **state)
{
	Graph *g = ir_graph_new("unit");
	int x = input(g, 256), big[40], sum = -1, in[2];
	PassOptions po = {NULL, 0, NULL};
	char name[16];

	(void)state;
	po.schedule = 1;
	in[0] = in[1] = x;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "big%d", i);
		big[i] = tb_out(g, OP_CONCAT, name, in, 2);
		ir_attr_set_int(g, g->nn - 1, "axis", 1);
	}
	for (int i = 0; i < 40; i++) {
		int m;
		snprintf(name, sizeof name, "max%d", i);
		m = tb_out(g, OP_REDUCE_MAX, name, &big[i], 1);
		in[0] = m;
		in[1] = sum;
		sum = i ? tb_out(g, OP_ADD, "sum", in, 2) : m;
	}
	ir_output_add(g, sum);
	assert_int_equal(passes_run(g, &po), 0);
	assert_int_equal(plan_check(g), 0);
	assert_string_equal(g->sched.order, "greedy");
	assert_true(g->sched.optimal);
	assert_true(g->sched.given_peak >= 40 * 2048);
	assert_int_equal(g->plan->live_peak, 2048 + 2 * 8);
	ir_graph_free(g);
}

/* a chain has one order: kept, and proved best */
static void chain_is_kept(void **state)
{
	Graph *g = ir_graph_new("unit");
	int t = input(g, 64);
	PassOptions po = {NULL, 0, NULL};

	(void)state;
	po.schedule = 1;
	for (int i = 0; i < 5; i++)
		t = tb_out(g, i % 2 ? OP_RELU : OP_SIGMOID, i % 2 ? "r" : "s", &t, 1);
	ir_output_add(g, t);
	assert_int_equal(passes_run(g, &po), 0);
	assert_string_equal(g->sched.order, "given");
	assert_string_equal(g->sched.found, "given");
	assert_true(g->sched.optimal);
	ir_graph_free(g);
}

/* A random DAG of n nodes over input x: Relu, Sigmoid (in place), Add of two tensors
   of one length, Tile twice along the row (the length doubles); every tensor nothing
   reads is a graph output. Lengths stay even, so every buffer is a multiple of the
   plan's alignment and the planner's live peak is exact bytes. (Not Concat: the
   planner may have its producers write into it, which the schedule does not model.) */
static Graph *random_dag(int n)
{
	Graph *g = ir_graph_new("unit");
	int t[16], nt = 0, read[16] = {0};
	int64_t len[16], two[2] = {1, 2}, rank1 = 2;
	int reps = ir_const_new(g, "reps", DT_S64, 1, &rank1, two);
	char name[16];

	t[nt] = input(g, 2 * (1 + rnd(8)));
	len[nt++] = g->t[t[0]].dims[1];
	for (int i = 0; i < n; i++) {
		int a = rnd(nt), b = -1, op = rnd(4), in[2];
		snprintf(name, sizeof name, "n%d", i);
		if (op == 2) { /* Add: a partner of a's length, else a Relu */
			for (b = nt - 1; b >= 0 && (len[b] != len[a] || b == a); b--)
				;
			op = b < 0 ? 0 : 2;
		}
		if (op == 3 && len[a] > 64)
			op = 1;
		in[0] = t[a];
		in[1] = op == 2 ? t[b] : reps;
		tb_node(g, op == 0 ? OP_RELU : op == 1 ? OP_SIGMOID : op == 2 ? OP_ADD : OP_TILE, name, in,
		     op < 2 ? 1 : 2, 1);
		read[a] = 1;
		if (op == 2)
			read[b] = 1;
		len[nt] = op == 3 ? 2 * len[a] : len[a];
		t[nt++] = g->n[g->nn - 1].out[0];
	}
	for (int i = 1; i < nt; i++)
		if (!read[i])
			ir_output_add(g, t[i]);
	return g;
}

/* the lowest live peak the planner measures over every topological order of the
   lowered graph's nodes (in their given order on entry, restored on return) */
static int64_t brute_force(Graph *g)
{
	Node *given = g->n;
	int n = g->nn, order[16], used[16] = {0}, depth = 0;
	int64_t best = -1;

	assert_true(n <= 16);
	order[0] = -1;
	while (depth >= 0) { /* order[0..depth) placed; try the next choice at depth */
		int ok = 0, j;
		if (depth == n) {
			int keep[16];
			memcpy(keep, order, sizeof keep);
			g->n = given;
			ir_reorder(g, keep, n);
			pass_plan(g);
			if (best < 0 || g->plan->live_peak < best)
				best = g->plan->live_peak;
			depth--;
			used[order[depth]] = 0;
			continue;
		}
		for (j = order[depth] + 1; j < n && !ok; j++) {
			ok = !used[j];
			for (int k = 0; ok && k < given[j].nin; k++) {
				int pr = -1;
				for (int q = 0; q < n; q++)
					for (int o = 0; o < given[q].nout; o++)
						if (given[q].out[o] == given[j].in[k])
							pr = q;
				ok = pr < 0 || used[pr];
			}
			if (ok)
				break;
		}
		if (j >= n) {
			order[depth] = -1;
			if (--depth >= 0)
				used[order[depth]] = 0;
			continue;
		}
		order[depth] = j;
		used[j] = 1;
		order[++depth] = -1;
	}
	g->n = given;
	for (int i = 0; i < n; i++)
		order[i] = i;
	ir_reorder(g, order, n);
	g->plan = NULL;
	return best;
}

static void exact_matches_brute_force(void **state)
{
	int changed = 0;

	(void)state;
	for (int r = 0; r < 60; r++) {
		Graph *g = random_dag(4 + rnd(5));
		PassOptions po = {NULL, 0, NULL};
		int64_t want;
		po.schedule = 1;
		assert_int_equal(passes_run_until(g, &po, "lower"), 0);
		want = brute_force(g);
		pass_schedule(g);
		assert_true(g->sched.optimal);
		assert_int_equal(g->sched.peak, want);
		pass_plan(g);
		assert_int_equal(plan_check(g), 0);
		if (strcmp(g->sched.order, "given")) { /* kept only for a smaller arena */
			assert_int_equal(g->plan->live_peak, want);
			assert_true(g->plan->live_peak < g->sched.given_peak);
			changed++;
		}
		ir_graph_free(g);
	}
	assert_true(changed > 5); /* the case is not vacuous */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_order_is_fixed),
		cmocka_unit_test(chain_is_kept),
		cmocka_unit_test(wide_graph_proved_by_bound),
		cmocka_unit_test(exact_matches_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
