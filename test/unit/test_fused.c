/* test_fused.c - FusedConv and FusedGemm nodes, lowered and run by the host evaluator
   (the kernels of the generated code), give bit for bit what the ONNX nodes they stand
   for give: Conv or Gemm, Add of the residual, the activation, Clip; for every
   activation, with its attributes given or left to their defaults, with and without a
   residual and bounds. Bad epilogue attributes are errors naming the node, and the
   generated o2m_names.h lists the activations the epilogues apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../codegen/codegen.h"
#include "ir_build.h"
#include "../../ir/lower.h"
#include "../../passes/passes.h"

/* each activation by its epilogue name, the ONNX op it stands for and the attributes
   that op takes */
static const struct {
	const char *name;
	OpKind op;
	int alpha, beta;
} acts[] = {
	{NULL, OP_COUNT, 0, 0}, /* none */
	{"LeakyRelu", OP_LEAKY_RELU, 1, 0},
	{"Sigmoid", OP_SIGMOID, 0, 0},
	{"Tanh", OP_TANH, 0, 0},
	{"HardSigmoid", OP_HARD_SIGMOID, 1, 1},
	{"HardSwish", OP_HARD_SWISH, 0, 0},
	{"Gelu", OP_GELU, 0, 0},
	{"GeluTanh", OP_GELU, 0, 0},
	{"Swish", OP_SWISH, 1, 0},
	{"Elu", OP_ELU, 1, 0},
};
#define NACTS ((int)(sizeof acts / sizeof acts[0]))

static uint32_t seed = 99;

static float rndf(void)
{
	seed = seed * 1664525u + 1013904223u;
	return (float)(seed >> 8) / (float)(1u << 24) * 4 - 2;
}

static int cst(Graph *g, const char *name, int rank, const int64_t *dims)
{
	float v[512];
	int64_t n = 1;

	for (int i = 0; i < rank; i++)
		n *= dims[i];
	assert_true(n <= 512);
	for (int64_t i = 0; i < n; i++)
		v[i] = rndf();
	return ir_const_new(g, name, DT_F32, rank, dims, v);
}

static int scalar(Graph *g, const char *name, float v)
{
	return ir_const_new(g, name, DT_F32, 0, NULL, &v);
}

/* a node of op over inputs in[0..nin) (-1: left out) with one new output */
static int node(Graph *g, OpKind op, const char *name, const int *in, int nin)
{
	return tb_node(g, op, name, in, nin, 1);
}

/* infers and evaluates node n; its output */
static int run(Graph *g, int n)
{
	assert_int_equal(ir_infer_node(g, n), 0);
	assert_int_equal(ir_eval_node(g, n), 0);
	return g->n[n].out[0];
}

typedef struct {
	int act;         /* index into acts */
	int attrs;       /* alpha and beta given (else the defaults) */
	float alpha, beta;
	int bounded;     /* 0 none, 1 a lower bound, 2 both */
	float lo, hi;
} Epilogue;

/* activation a; variant v gives the attributes (v % 2) and bounds (v / 2 % 3) */
static Epilogue epilogue(int a, int v)
{
	Epilogue e = {a, v % 2, 0, 0, v / 2 % 3, 0, 0};

	e.alpha = rndf();
	e.beta = rndf() + 2;
	e.lo = rndf() / 4;
	e.hi = e.lo + 0.75f;
	return e;
}

static void set_epilogue(Graph *g, int n, const Epilogue *e)
{
	if (acts[e->act].name)
		ir_attr_set_str(g, n, "activation", acts[e->act].name);
	if (e->attrs) {
		ir_attr_set_float(g, n, "act_alpha", e->alpha);
		ir_attr_set_float(g, n, "act_beta", e->beta);
	}
	if (e->bounded)
		ir_attr_set_float(g, n, "act_min", e->lo);
	if (e->bounded == 2)
		ir_attr_set_float(g, n, "act_max", e->hi);
}

/* the ONNX activation and Clip after tensor y; the last output */
static int unfused(Graph *g, int y, const Epilogue *e)
{
	if (acts[e->act].name) {
		int n = node(g, acts[e->act].op, "act", &y, 1);
		if (e->attrs && acts[e->act].alpha)
			ir_attr_set_float(g, n, "alpha", e->alpha);
		if (e->attrs && acts[e->act].beta)
			ir_attr_set_float(g, n, "beta", e->beta);
		if (!strcmp(acts[e->act].name, "GeluTanh"))
			ir_attr_set_str(g, n, "approximate", "tanh");
		y = run(g, n);
	}
	if (e->bounded) {
		int in[3] = {y, scalar(g, "lo", e->lo), e->bounded == 2 ? scalar(g, "hi", e->hi) : -1};
		y = run(g, node(g, OP_CLIP, "clip", in, 3));
	}
	return y;
}

static void same_values(Graph *g, int a, int b)
{
	assert_int_equal(ir_numel(&g->t[a]), ir_numel(&g->t[b]));
	assert_memory_equal(g->t[a].data, g->t[b].data, (size_t)ir_nbytes(&g->t[a]));
}

/* kind 0: a 3x3 direct convolution, 1 and 2: 3x3 depthwise ones at stride 1 and 2 (two
   filters per channel), 3: a pointwise one */
static void conv_attrs(Graph *g, int n, int kind)
{
	if (kind == 1 || kind == 2)
		ir_attr_set_int(g, n, "group", 4);
	if (kind == 2)
		ir_attr_set_ints(g, n, "strides", (int64_t[]){2, 2}, 2);
	if (kind != 3)
		ir_attr_set_ints(g, n, "pads", (int64_t[]){1, 1, 1, 1}, 4);
}

static void fused_conv_is_unfused(void **state)
{
	(void)state;
	for (int kind = 0; kind < 4; kind++)
	for (int with_r = 0; with_r < 2; with_r++)
	for (int a = 0; a < NACTS; a++)
	for (int v = 0; v < 6; v++) {
		Graph *g = ir_graph_new("unit");
		int64_t dx[] = {1, 4, 6, 7}, dw[] = {6, 4, 3, 3}, db[] = {6};
		Epilogue e = epilogue(a, v);
		int in[4], c, f, conv;
		if (kind == 1 || kind == 2)
			dw[0] = db[0] = 8, dw[1] = 1;
		if (kind == 3)
			dw[2] = dw[3] = 1;
		in[0] = cst(g, "x", 4, dx);
		in[1] = cst(g, "w", 4, dw);
		in[2] = (a + v) % 3 ? cst(g, "b", 1, db) : -1;
		/* Conv, Add of a residual of its shape, the activation, Clip */
		conv = node(g, OP_CONV, "conv", in, 3);
		conv_attrs(g, conv, kind);
		c = run(g, conv);
		in[3] = with_r ? cst(g, "r", g->t[c].rank, g->t[c].dims) : -1;
		if (with_r) {
			int add[2] = {c, in[3]};
			c = run(g, node(g, OP_ADD, "add", add, 2));
		}
		c = unfused(g, c, &e);
		/* against one FusedConv */
		f = node(g, OP_FUSED_CONV, "fused", in, 4);
		conv_attrs(g, f, kind);
		set_epilogue(g, f, &e);
		same_values(g, run(g, f), c);
		ir_graph_free(g);
	}
}

/* Gemm with a constant B (repacked) and a C row, transposed A or not */
static void fused_gemm_is_unfused(void **state)
{
	(void)state;
	for (int t = 0; t < 2 * 6 * NACTS; t++) {
		Graph *g = ir_graph_new("unit");
		int64_t da[] = {3, 5}, db[] = {5, 4}, dc[] = {4};
		Epilogue e = epilogue(t / 2 % NACTS, t / 2 / NACTS);
		int in[3], gemm, f, y;
		if (t % 2)
			da[0] = 5, da[1] = 3;
		in[0] = cst(g, "a", 2, da);
		in[1] = cst(g, "b", 2, db);
		in[2] = cst(g, "c", 1, dc);
		gemm = node(g, OP_GEMM, "gemm", in, 3);
		ir_attr_set_int(g, gemm, "transA", t % 2);
		ir_attr_set_float(g, gemm, "alpha", 0.5f);
		f = node(g, OP_FUSED_GEMM, "fused", in, 3);
		ir_attr_set_int(g, f, "transA", t % 2);
		ir_attr_set_float(g, f, "alpha", 0.5f);
		set_epilogue(g, f, &e);
		y = unfused(g, run(g, gemm), &e);
		same_values(g, run(g, f), y);
		ir_graph_free(g);
	}
}

/* lowering node n fails with a message naming it */
static void lowering_fails(Graph *g, int n, const char *what)
{
	char msg[512] = "";
	FILE *f = tmpfile();
	Lowered L;

	assert_non_null(f);
	g->diag = f;
	assert_int_equal(ir_infer_node(g, n), 0);
	assert_int_not_equal(ir_lower_node(g, n, &L), 0);
	rewind(f);
	assert_true(fread(msg, 1, sizeof msg - 1, f) > 0);
	fclose(f);
	g->diag = NULL;
	assert_non_null(strstr(msg, "node 'bad'"));
	assert_non_null(strstr(msg, what));
}

static void bad_epilogues(void **state)
{
	int64_t dx[] = {1, 2, 4, 4}, dw[] = {3, 2, 1, 1}, dr[] = {1, 3, 4, 5}, d2[] = {2, 2};
	Graph *g = ir_graph_new("unit");
	int in[4], n;
	FILE *f = tmpfile();

	(void)state;
	in[0] = cst(g, "x", 4, dx);
	in[1] = cst(g, "w", 4, dw);
	in[2] = -1;
	in[3] = cst(g, "r", 4, dr); /* one column too many */
	n = node(g, OP_FUSED_CONV, "bad", in, 4);
	g->diag = f;
	assert_int_not_equal(ir_infer_node(g, n), 0);
	g->diag = NULL;
	fclose(f);
	n = node(g, OP_FUSED_CONV, "bad", in, 3);
	ir_attr_set_str(g, n, "activation", "Relu");
	lowering_fails(g, n, "activation 'Relu'");
	n = node(g, OP_FUSED_CONV, "bad", in, 3);
	ir_attr_set_float(g, n, "act_min", 1);
	ir_attr_set_float(g, n, "act_max", 0);
	lowering_fails(g, n, "act_min");
	{
		int32_t v[4] = {1, 2, 3, 4};
		int ab[2] = {ir_const_new(g, "ia", DT_S32, 2, d2, v),
			     ir_const_new(g, "ib", DT_S32, 2, d2, v)};
		n = node(g, OP_FUSED_GEMM, "bad", ab, 2);
		ir_attr_set_float(g, n, "act_min", 0);
		lowering_fails(g, n, "float type");
	}
	ir_graph_free(g);
}

static void remove_dir(const char *dir)
{
	char path[4096];
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		assert_int_equal(unlink(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

/* O2M_ACTS in the o2m_names.h of a compiled Conv (none) and FusedConv with a Sigmoid
   (bit O2M_ACT_SIGMOID): o2m_act_apply compiles out the activations a model does not
   fuse, and with them their libm functions */
static void names_list_epilogue_acts(void **state)
{
	(void)state;
	for (int fused = 0; fused < 2; fused++) {
		Graph *g = ir_graph_new("unit");
		int64_t dx[] = {1, 2, 4, 4}, dw[] = {3, 2, 1, 1};
		int in[3] = {ir_tensor_new(g, "x"), cst(g, "w", 4, dw), -1}, n;
		PassOptions po = {NULL, 0, NULL};
		EmitOptions eo = {"m", "m.onnx", 0};
		char dir[] = "/tmp/test_fused_XXXXXX", path[64], text[8192] = "", want[64];
		FILE *f;
		ir_set_shape(g, in[0], DT_F32, 4, dx);
		ir_input_add(g, in[0]);
		n = node(g, fused ? OP_FUSED_CONV : OP_CONV, "c", in, 3);
		if (fused)
			ir_attr_set_str(g, n, "activation", "Sigmoid");
		ir_output_add(g, g->n[n].out[0]);
		assert_int_equal(passes_run(g, &po), 0);
		assert_non_null(mkdtemp(dir));
		assert_int_equal(codegen_emit(g, dir, &eo), 0);
		snprintf(path, sizeof path, "%s/o2m_names.h", dir);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_true(fread(text, 1, sizeof text - 1, f) > 0);
		fclose(f);
		snprintf(want, sizeof want, "#define O2M_ACTS 0x%xu\n",
			 fused ? 1u << O2M_ACT_SIGMOID : 0u);
		assert_non_null(strstr(text, want));
		remove_dir(dir);
		ir_graph_free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fused_conv_is_unfused),
		cmocka_unit_test(fused_gemm_is_unfused),
		cmocka_unit_test(bad_epilogues),
		cmocka_unit_test(names_list_epilogue_acts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
