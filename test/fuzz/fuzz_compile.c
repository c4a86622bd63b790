/* fuzz_compile.c - a libFuzzer target over the whole compile path: the input is a model
   file, loaded, run through every pass and emitted into a scratch folder. A crash, a
   sanitizer report, a leak or a hang is a finding; an error message is not.
   The mutator is structure-aware half of the time: it decodes the model and sets an
   attribute, a dimension or an opset to an extreme (huge, zero, negative, NaN), gives
   an attribute another type, drops or repeats a name, or nests a graph, then encodes it
   again; otherwise it leaves the bytes to libFuzzer. Built by `make fuzz`.
   The node and constant limits are lowered (as --max-nodes and --max-constants would)
   so that one execution stays in milliseconds: a model at the default limits takes a
   second under the sanitizers, and the fuzzer would spend its time there. The checks
   that enforce the limits are the same code; the errors suite runs them at their
   defaults (a 100,000-node chain, 2^24-node function expansion, a 1 GiB constant). */
#include "../../codegen/codegen.h"
#include "../../frontend/onnx.h"
#include "../../passes/passes.h"

#include "onnx/onnx.pb-c.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);

static char model[64], out[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/o2m-fuzz-XXXXXX";

	(void)argc;
	(void)argv;
	ir_max_nodes = 4096;
	ir_max_const_bytes = 4 << 20;
	if (!mkdtemp(dir))
		abort();
	snprintf(model, sizeof model, "%s/model.onnx", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	mkdir(out, 0700);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(model, "wb");
	LoadOptions lo = {0};
	EmitOptions eo = {"m", "model.onnx", 0};
	Graph *g;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	g = onnx_load(model, &lo);
	if (g && !passes_run(g, NULL))
		codegen_emit(g, out, &eo);
	ir_graph_free(g);
	return 0;
}

/* ---- the structure-aware mutator ---- */

static const int64_t extremes[] = {0, -1, 1, 2, 3, 64, 65536, INT32_MAX, (int64_t)INT32_MAX + 1,
				   INT32_MIN, (int64_t)1 << 40, (int64_t)1 << 62, INT64_MAX,
				   INT64_MIN};
#define PICK(n) ((size_t)rand() % (n))
#define EXTREME() extremes[PICK(sizeof extremes / sizeof *extremes)]

/* pointers the mutator set to memory protobuf-c does not own, put back before the
   message is freed */
static struct {
	void **slot;
	void *old;
} undo[8];
static int nundo;

static void set_ptr(void *slot, void *v)
{
	if (nundo == (int)(sizeof undo / sizeof *undo))
		return;
	undo[nundo].slot = slot;
	undo[nundo++].old = *(void **)slot;
	*(void **)slot = v;
}

static void mutate_attr(Onnx__AttributeProto *a)
{
	static const float fl[] = {NAN, INFINITY, -INFINITY, 1e30f, -0.0f, 0.5f};

	switch (PICK(6)) {
	case 0: /* an integer, whatever it was */
		a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
		a->has_type = a->has_i = 1;
		a->i = EXTREME();
		break;
	case 1:
		a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
		a->has_type = a->has_f = 1;
		a->f = fl[PICK(sizeof fl / sizeof *fl)];
		break;
	case 2: /* a string where a number goes */
		a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
		if (nundo || a->has_s)
			break; /* its old bytes would stay, with the new length */
		a->has_type = a->has_s = 1;
		a->s.len = 1;
		set_ptr(&a->s.data, "1");
		break;
	default: /* one value of a list */
		if (a->n_ints)
			a->ints[PICK(a->n_ints)] = EXTREME();
		else if (a->n_floats)
			a->floats[PICK(a->n_floats)] = fl[PICK(sizeof fl / sizeof *fl)];
		else
			a->i = EXTREME();
		break;
	}
}

static void mutate_graph(Onnx__GraphProto *g, int depth)
{
	Onnx__NodeProto *n;

	if (!g)
		return;
	if (g->n_node && PICK(3)) {
		n = g->node[PICK(g->n_node)];
		for (size_t i = 0; i < n->n_attribute; i++)
			if (n->attribute[i]->g && PICK(2) && depth < 8)
				return mutate_graph(n->attribute[i]->g, depth + 1);
		if (n->n_attribute && PICK(4))
			mutate_attr(n->attribute[PICK(n->n_attribute)]);
		else if (n->n_input && PICK(2))
			set_ptr(&n->input[PICK(n->n_input)], n->n_output && PICK(2) ? n->output[0] : "");
		else if (n->n_output)
			set_ptr(&n->output[PICK(n->n_output)], n->n_input && PICK(2) ? n->input[0] : "");
		return;
	}
	if (g->n_initializer && PICK(2)) {
		Onnx__TensorProto *t = g->initializer[PICK(g->n_initializer)];
		if (t->n_dims)
			t->dims[PICK(t->n_dims)] = EXTREME();
		else if (t->n_int64_data)
			t->int64_data[PICK(t->n_int64_data)] = EXTREME();
		return;
	}
	if (g->n_input) {
		Onnx__ValueInfoProto *vi = g->input[PICK(g->n_input)];
		Onnx__TensorShapeProto *sh =
			vi->type && vi->type->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE &&
					vi->type->tensor_type
				? vi->type->tensor_type->shape
				: NULL;
		if (sh && sh->n_dim) {
			Onnx__TensorShapeProto__Dimension *d = sh->dim[PICK(sh->n_dim)];
			if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
				d->dim_value = EXTREME();
		}
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	Onnx__ModelProto *m;
	size_t n;

	srand(seed);
	nundo = 0;
	if (PICK(2) || !(m = onnx__model_proto__unpack(NULL, size, data)))
		return LLVMFuzzerMutate(data, size, max);
	if (m->n_opset_import && !PICK(8))
		m->opset_import[0]->version = EXTREME();
	else
		mutate_graph(m->graph, 0);
	n = onnx__model_proto__get_packed_size(m);
	if (n <= max)
		onnx__model_proto__pack(m, data);
	else
		n = LLVMFuzzerMutate(data, size, max);
	while (nundo--)
		*undo[nundo].slot = undo[nundo].old;
	nundo = 0;
	onnx__model_proto__free_unpacked(m, NULL);
	return n;
}
