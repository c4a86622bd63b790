/* test_views.c - buffers with parts (passes/plan.c): a Split or Slice whose outputs are
   contiguous runs of its input is views at byte offsets into the input's buffer (no
   kernel calls), one that is not copies; a Concat's producers write into their part of
   its output when that does not grow the arena, and the plan stays free of overlaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../passes/passes.h"
#include "ir_build.h"


static int at(const Graph *g, const char *name)
{
	int i = tb_at(g, name);

	if (i < 0)
		fail_msg("no node %s", name);
	return i;
}

/* x [1, 8, 4] float -> Relu -> r; r split along axis (two halves) -> each Sigmoid -> out */
static Graph *split_graph(int axis)
{
	Graph *g = ir_graph_new("unit");
	int64_t d[3] = {1, 8, 4};
	int x = ir_tensor_new(g, "x"), r, s, in;

	ir_set_shape(g, x, DT_F32, 3, d);
	ir_input_add(g, x);
	r = tb_node(g, OP_RELU, "relu", &x, 1, 1);
	in = g->n[r].out[0];
	s = tb_node(g, OP_SPLIT, "split", &in, 1, 2);
	ir_attr_set_int(g, s, "axis", axis);
	ir_attr_set_int(g, s, "num_outputs", 2);
	for (int k = 0; k < 2; k++) {
		int part = g->n[at(g, "split")].out[k], o;
		o = tb_node(g, OP_SIGMOID, k ? "sig1" : "sig0", &part, 1, 1);
		ir_output_add(g, g->n[o].out[0]);
	}
	return g;
}

static void channel_split_is_views(void **state)
{
	Graph *g = split_graph(1);
	PassOptions po = {NULL, 0, NULL};
	int s, r;

	(void)state;
	assert_int_equal(passes_run(g, &po), 0);
	assert_int_equal(plan_check(g), 0);
	s = at(g, "split");
	r = g->n[at(g, "relu")].out[0];
	assert_int_equal(g->n[s].low->ncall, 0);
	assert_int_equal(g->plan->tensor[g->n[s].out[0]].kind, ST_ARENA);
	assert_int_equal(g->plan->tensor[g->n[s].out[0]].offset, g->plan->tensor[r].offset);
	assert_int_equal(g->plan->tensor[g->n[s].out[1]].offset, g->plan->tensor[r].offset + 4 * 16);
	assert_int_equal(g->plan->tensor[g->n[s].out[1]].buffer, g->plan->tensor[r].buffer);
	assert_int_equal(g->plan->arena_size, 128); /* the Relu's output alone */
	ir_graph_free(g);
}

static void row_split_copies(void **state)
{
	Graph *g = split_graph(2);
	PassOptions po = {NULL, 0, NULL};

	(void)state;
	assert_int_equal(passes_run(g, &po), 0);
	assert_int_equal(plan_check(g), 0);
	assert_true(g->n[at(g, "split")].low->ncall > 0); /* not contiguous: copies */
	assert_true(g->plan->tensor[g->n[at(g, "split")].out[1]].buffer !=
		    g->plan->tensor[g->n[at(g, "relu")].out[0]].buffer);
	ir_graph_free(g);
}

/* x [1, 4, 4] -> Relu a, Sigmoid b -> Concat axis 1 -> Tanh -> out: a and b are
   written into the Concat's output, so the arena holds it alone */
static void concat_written_into(void **state)
{
	Graph *g = ir_graph_new("unit");
	int64_t d[3] = {1, 4, 4};
	int x = ir_tensor_new(g, "x"), in[2], c, y, o;
	PassOptions po = {NULL, 0, NULL};

	(void)state;
	ir_set_shape(g, x, DT_F32, 3, d);
	ir_input_add(g, x);
	c = tb_node(g, OP_RELU, "a", &x, 1, 1);
	in[0] = g->n[c].out[0];
	c = tb_node(g, OP_SIGMOID, "b", &x, 1, 1);
	in[1] = g->n[c].out[0];
	c = tb_node(g, OP_CONCAT, "cat", in, 2, 1);
	ir_attr_set_int(g, c, "axis", 1);
	y = g->n[c].out[0];
	o = tb_node(g, OP_TANH, "out", &y, 1, 1);
	ir_output_add(g, g->n[o].out[0]);
	assert_int_equal(passes_run(g, &po), 0);
	assert_int_equal(plan_check(g), 0);
	c = at(g, "cat");
	y = g->n[c].out[0];
	assert_true(g->plan->into[c]);
	for (int i = 0, n = 0; i <= g->nn; i++) /* the one Concat, no other node */
		if (i == g->nn)
			assert_int_equal(n, 1);
		else
			n += g->plan->into[i];
	assert_int_equal(g->plan->tensor[g->n[c].in[0]].offset, g->plan->tensor[y].offset);
	assert_int_equal(g->plan->tensor[g->n[c].in[1]].offset, g->plan->tensor[y].offset + 64);
	assert_int_equal(g->plan->arena_size, 128);
	ir_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(channel_split_is_views),
		cmocka_unit_test(row_split_copies),
		cmocka_unit_test(concat_written_into),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
