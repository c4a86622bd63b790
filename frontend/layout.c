/* layout.c - graph inputs and outputs that are not tensors: the kind of value an ONNX
   type declares (a tensor, a sequence of tensors, an optional of either) and, for an
   input, its layout: how many tensors it holds and their shapes, which the generated
   code fixes at compile time. A layout comes from --seq/--empty, else from a test data
   set (validate), else from the declared type when that says it all. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int type_kind(const Onnx__TypeProto *tp, ValueKind *kind, ValueKind *elem,
	      const Onnx__TypeProto__Tensor **tt)
{
	*kind = *elem = V_TENSOR;
	*tt = NULL;
	if (tp && tp->value_case == ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE) {
		*kind = V_OPT;
		tp = tp->optional_type ? tp->optional_type->elem_type : NULL;
	}
	if (tp && tp->value_case == ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE) {
		*elem = V_SEQ;
		if (*kind == V_TENSOR)
			*kind = V_SEQ;
		tp = tp->sequence_type ? tp->sequence_type->elem_type : NULL;
	}
	if (!tp) /* no type at all: take it for a tensor; shapes come from inference */
		return *kind == V_TENSOR ? 0 : -1;
	if (tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type)
		return -1;
	*tt = tp->tensor_type;
	return 0;
}

static const SeqLayout *given(const LoadOptions *opt, const char *name)
{
	for (int i = 0; opt && i < opt->nlayouts; i++)
		if (!strcmp(opt->layouts[i].input, name))
			return &opt->layouts[i];
	return NULL;
}

static int pinned(const LoadOptions *opt, const char *param, int64_t *v)
{
	for (int i = 0; opt && i < opt->ndims; i++)
		if (!strcmp(opt->dims[i].name, param)) {
			*v = opt->dims[i].value;
			return 1;
		}
	return 0;
}

/* the declared element shape, symbolic dims pinned with --dim */
static int declared_shape(const Onnx__TypeProto__Tensor *tt, const LoadOptions *opt, int *rank,
			  int64_t *dims)
{
	const Onnx__TensorShapeProto *sh = tt ? tt->shape : NULL;

	if (!sh || sh->n_dim > IR_MAX_RANK)
		return -1;
	*rank = (int)sh->n_dim;
	for (size_t i = 0; i < sh->n_dim; i++) {
		const Onnx__TensorShapeProto__Dimension *d = sh->dim[i];
		if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
		    d->dim_value >= 0)
			dims[i] = d->dim_value;
		else if (d->value_case != ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM ||
			 !pinned(opt, d->dim_param, &dims[i]))
			return -1;
	}
	return 0;
}

static void layout_alloc(ListLayout *L, int n)
{
	L->n = n;
	L->rank = calloc((size_t)n + 1, sizeof *L->rank);
	L->dims = calloc((size_t)n + 1, sizeof *L->dims);
}

void layout_free(ListLayout *L)
{
	free(L->rank);
	free(L->dims);
	onnx_value_free(&L->value);
}

static int from_option(const SeqLayout *s, const Onnx__TypeProto__Tensor *tt,
		       const LoadOptions *opt, ListLayout *L, char *err, size_t errlen)
{
	L->present = !s->empty;
	if (s->empty) {
		layout_alloc(L, 0);
		return 0;
	}
	layout_alloc(L, s->count >= 0 ? s->count : s->nshape);
	for (int i = 0; i < L->n; i++) {
		if (s->count < 0) {
			L->rank[i] = s->rank[i];
			memcpy(L->dims[i], s->dims[i], sizeof L->dims[i]);
		} else if (declared_shape(tt, opt, &L->rank[i], L->dims[i])) {
			snprintf(err, errlen, "--seq %s=%d: the model does not give the elements a "
				 "static shape; list their shapes instead, e.g. --seq '%s=[2,3][4,3]'",
				 s->input, s->count, s->input);
			return -1;
		}
	}
	return 0;
}

/* the tensors of a value file: their shapes, and their data when bound */
static int from_file(const char *path, ListLayout *L, char *err, size_t errlen)
{
	if (onnx_value_read(path, L->kind, &L->value, err, errlen))
		return -1;
	if (L->kind == V_OPT && L->value.present && L->value.elem != L->elem) {
		snprintf(err, errlen, "%s holds an optional %s, the input is an optional %s", path,
			 L->value.elem == V_SEQ ? "sequence" : "tensor",
			 L->elem == V_SEQ ? "sequence" : "tensor");
		return -1;
	}
	L->present = L->value.present;
	layout_alloc(L, L->value.n);
	for (int i = 0; i < L->n; i++) {
		L->rank[i] = L->value.t[i].rank;
		memcpy(L->dims[i], L->value.t[i].dims, sizeof L->dims[i]);
	}
	return 0;
}

int input_layout(const Onnx__ValueInfoProto *vi, int k, const char *bind, const LoadOptions *opt,
		 ListLayout *L, char *err, size_t errlen)
{
	const Onnx__TypeProto__Tensor *tt;
	const SeqLayout *s = given(opt, vi->name);
	char path[4200];

	memset(L, 0, sizeof *L);
	L->known = 1;
	if (type_kind(vi->type, &L->kind, &L->elem, &tt) || !tt) {
		snprintf(err, errlen, "input '%s' is neither a tensor, nor a sequence of tensors, "
			 "nor an optional of either", vi->name);
		return -1;
	}
	L->dtype = dt_from_onnx(tt->elem_type);
	if (bind)
		return from_file(bind, L, err, errlen);
	if (s)
		return from_option(s, tt, opt, L, err, errlen);
	if (opt && opt->layout_dir) {
		snprintf(path, sizeof path, "%s/input_%d.pb", opt->layout_dir, k);
		return from_file(path, L, err, errlen);
	}
	layout_alloc(L, 1);
	L->present = 1;
	L->known = L->kind == V_OPT && L->elem == V_TENSOR &&
		   declared_shape(tt, opt, &L->rank[0], L->dims[0]) == 0;
	return 0;
}
