/* test_qir.c - the IR's quantization helpers and the whole-graph runner: TFLite's
   QuantizeMultiplier against a computation written here, the checks of Tensor.quant,
   and ir_run evaluating a small graph again and again with the same buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "../../ir/ir.h"
#include "../../passes/passes.h"

/* m as mult * 2^(shift - 31) with mult in [2^30, 2^31): by repeated doubling, without
   frexp */
static void reference_multiplier(double m, int64_t *mult, int *shift)
{
	int e = 0;

	while (m >= 1.0)
		m /= 2, e++;
	while (m < 0.5)
		m *= 2, e--;
	*mult = (int64_t)llround(m * 2147483648.0);
	if (*mult == ((int64_t)1 << 31))
		*mult /= 2, e++;
	*shift = e;
}

static void multiplier_matches_its_definition(void **state)
{
	const double ms[] = {1.0, 0.5, 0.75, 1e-3, 0.0123456, 3.999, 12345.678, 1.0 / 3, 2e-9,
			     0.99999999999};
	uint32_t seed = 7;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		double m = i < 10 ? ms[i] : 0;
		int32_t mult, shift;
		int64_t rm;
		int rs;
		if (i >= 10) { /* log-uniform over [2^-30, 2^20) */
			seed = seed * 1664525u + 1013904223u;
			m = ldexp(1.0 + (seed >> 8) / 16777216.0, (int)(seed % 50) - 30);
		}
		ir_quant_multiplier(m, &mult, &shift);
		reference_multiplier(m, &rm, &rs);
		assert_int_equal(mult, rm);
		assert_int_equal(shift, rs);
		assert_true(mult >= (1 << 30));
		assert_true(fabs(ldexp((double)mult, shift - 31) / m - 1) < 1e-9);
	}
}

static void multiplier_of_nothing_is_zero(void **state)
{
	int32_t mult, shift;

	(void)state;
	ir_quant_multiplier(0, &mult, &shift);
	assert_int_equal(mult, 0);
	ir_quant_multiplier(-1, &mult, &shift);
	assert_int_equal(mult, 0);
	ir_quant_multiplier(ldexp(1, -70), &mult, &shift);
	assert_int_equal(mult, 0);
	ir_quant_multiplier(NAN, &mult, &shift);
	assert_int_equal(mult, 0);
}

/* the packed word: mult rounded from m to a multiple of 64 (not from the rounded Q31
   multiplier), renormalised at 2^31, shift + 32 below it */
static void packed_multiplier_is_rounded_to_64(void **state)
{
	uint32_t seed = 11;

	(void)state;
	assert_int_equal(ir_quant_pack(1.0), (1 << 30) | 33);
	assert_int_equal(ir_quant_pack(1.0 - ldexp(1, -27)), (1 << 30) | 33);
	assert_int_equal(ir_quant_pack(0.0), 32);
	assert_int_equal(ir_quant_pack(ldexp(1, -70)), 32);
	assert_int_equal(ir_quant_pack(ldexp(1, 40)), (int32_t)((INT32_MAX & ~63) | 62));
	/* f * 2^31 = k * 64 + 31.75: 31.75 rounds to 32, yet m rounds down to k * 64 */
	assert_int_equal(ir_quant_pack(ldexp((double)(((int64_t)1 << 30) + 64 * 1000) + 31.75,
					     -31)), (int32_t)(((1u << 30) + 64000u) | 32u));
	for (int i = 0; i < 1000; i++) {
		int32_t word, mult, shift;
		double m;
		seed = seed * 1664525u + 1013904223u;
		m = ldexp(1.0 + (seed >> 8) / 16777216.0, (int)(seed % 50) - 30);
		word = ir_quant_pack(m);
		mult = (int32_t)((uint32_t)word & ~63u);
		shift = (word & 63) - 32;
		assert_true(mult >= (1 << 30));
		assert_true(fabs(ldexp((double)mult, shift - 31) / m - 1) <= ldexp(1, -25));
		assert_int_equal(llround(ldexp(m, 25 - shift)) * 64, mult);
	}
}

static int tensor(Graph *g, DType dt, int rank, const int64_t *dims)
{
	int t = ir_tensor_new(g, "t");
	ir_set_shape(g, t, dt, rank, dims);
	return t;
}

static void quant_facts_must_fit_the_tensor(void **state)
{
	Graph *g = ir_graph_new("unit");
	int64_t d[] = {1, 3, 4};
	float s1 = 0.5f, s3[] = {0.5f, 0.25f, 1.0f}, bad = 0.0f;
	int32_t z0 = 0, z3[] = {0, 1, -2}, zbig = 200;
	int t = tensor(g, DT_S8, 3, d), f = tensor(g, DT_F32, 3, d);

	(void)state;
	assert_true(ir_quant_ok(&g->t[t])); /* none */
	ir_quant_set(g, t, 1, 0, &s1, &z0);
	assert_true(ir_quant_ok(&g->t[t]));
	ir_quant_set(g, t, 3, 1, s3, z3);
	assert_true(ir_quant_ok(&g->t[t]));
	ir_quant_set(g, t, 3, 2, s3, z3); /* axis 2 has 4 entries */
	assert_false(ir_quant_ok(&g->t[t]));
	ir_quant_set(g, t, 1, 0, &bad, &z0);
	assert_false(ir_quant_ok(&g->t[t]));
	ir_quant_set(g, t, 1, 0, &s1, &zbig);
	assert_false(ir_quant_ok(&g->t[t]));
	ir_quant_set(g, f, 1, 0, &s1, &z0); /* a float tensor */
	assert_false(ir_quant_ok(&g->t[f]));
	ir_quant_set(g, t, 1, 0, &s1, &z0);
	ir_quant_copy(g, f, t);
	assert_true(ir_quant_same(&g->t[f].quant, &g->t[t].quant));
	ir_graph_free(g);
}

/* y = relu(x + c): run twice with different inputs, each tensor seen once per run */
typedef struct {
	int calls;
	float last;
} Seen;

static void seen(void *ctx, const Graph *g, int t, const void *data)
{
	Seen *s = ctx;
	s->calls++;
	s->last = ((const float *)data)[ir_numel(&g->t[t]) - 1];
}

static void run_evaluates_again_and_again(void **state)
{
	Graph *g = ir_graph_new("unit");
	int64_t d[] = {4};
	const float c[] = {1, -1, 0.5f, -3}, a[] = {1, 2, 3, 4}, b[] = {-4, -3, -2, -1};
	int x = tensor(g, DT_F32, 1, d), k = ir_const_new(g, "c", DT_F32, 1, d, c);
	int s = tensor(g, DT_F32, 1, d), y = tensor(g, DT_F32, 1, d);
	int add = ir_node_new(g, OP_ADD, "add", 2, 1), relu = ir_node_new(g, OP_RELU, "relu", 1, 1);
	const void *in[1];
	const float *out;
	Seen sn = {0, 0};
	IrRun *r;

	(void)state;
	ir_input_add(g, x);
	ir_output_add(g, y);
	g->n[add].in[0] = x, g->n[add].in[1] = k, g->n[add].out[0] = s;
	g->n[relu].in[0] = s, g->n[relu].out[0] = y;
	g->t[s].producer = add, g->t[y].producer = relu;
	assert_null(ir_run_new(g)); /* not lowered */
	pass_lower(g);
	r = ir_run_new(g);
	assert_non_null(r);
	in[0] = a;
	assert_int_equal(ir_run(r, in, seen, &sn), 0);
	out = ir_run_data(r, y);
	assert_true(out[0] == 2 && out[1] == 1 && out[2] == 3.5f && out[3] == 1);
	assert_int_equal(sn.calls, 3); /* x, s, y */
	in[0] = b;
	assert_int_equal(ir_run(r, in, NULL, NULL), 0);
	assert_true(ir_run_data(r, y) == out); /* the same buffer */
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0);
	ir_run_free(r);
	ir_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(multiplier_matches_its_definition),
		cmocka_unit_test(multiplier_of_nothing_is_zero),
		cmocka_unit_test(packed_multiplier_is_rounded_to_64),
		cmocka_unit_test(quant_facts_must_fit_the_tensor),
		cmocka_unit_test(run_evaluates_again_and_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
