/* op_index.c - indexing ops: Gather, GatherElements, GatherND, the scatters, OneHot,
   Trilu, EyeLike, Compress, ReverseSequence and CenterCropPad lower to o2m_index
   kernels or to strided copies and fills; indices known at compile time are checked
   here. NonZero and Unique, whose output shapes depend on values, are evaluated while
   shapes are inferred and need a constant input. */
#include "lower.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static int64_t prod(const int64_t *d, int from, int to)
{
	int64_t n = 1;
	for (int i = from; i < to; i++)
		n *= d[i];
	return n;
}

/* bytes of an index element read at run time: 4 or 8, or an error */
static int index_size(Graph *g, int node, int k)
{
	DType dt = in_t(g, node, k)->dtype;

	if (dt == DT_S32 || dt == DT_S64)
		return dt_size(dt);
	ir_error(g, node, "input %d holds indices and must be int32 or int64, not %s", k,
		 dt_name(dt));
	return -1;
}

static int same_type(Graph *g, int node, int a, int b)
{
	if (in_t(g, node, a)->dtype == in_t(g, node, b)->dtype)
		return 0;
	ir_error(g, node, "inputs %d and %d have different element types (%s and %s)", a, b,
		 dt_name(in_t(g, node, a)->dtype), dt_name(in_t(g, node, b)->dtype));
	return -1;
}

/* input k sets the output shape through its values: it must be constant */
static int need_values(Graph *g, int node, int k)
{
	if (ir_is_const(g, ir_in(g, node, k)))
		return 0;
	if (in_t(g, node, k)->flags & T_INPUT)
		ir_error(g, node, "the output shape of %s depends on the values of input %d, graph "
			 "input '%s': bind it with --bind %s=FILE.pb", g->n[node].op_type, k,
			 in_t(g, node, k)->name, in_t(g, node, k)->name);
	else
		ir_error(g, node, "the output shape of %s depends on the values of input %d ('%s'), "
			 "which is computed from run-time data", g->n[node].op_type, k,
			 in_t(g, node, k)->name);
	return -1;
}

/* Indices known here are checked now, so a bad model fails to compile rather than at
   run time: flat index i must lie in [-d, d) for d = dims[i % n]. */
static int check_const_indices(Graph *g, int node, int k, const int64_t *dims, int n)
{
	Tensor *ind = in_t(g, node, k);

	if (!ir_is_const(g, ir_in(g, node, k)))
		return 0;
	for (int64_t i = 0; i < ir_numel(ind); i++) {
		int64_t j = dt_get_i64(ind->dtype, ind->data, i), d = dims[i % n];
		if (j < -d || j >= d) {
			ir_error(g, node, "index %lld is out of range for a dimension of %lld",
				 (long long)j, (long long)d);
			return -1;
		}
	}
	return 0;
}

/* A scatter may write into its data input's buffer; the planner declines when another
   input (updates as a view of data) reads the same buffer. */
static void scatter_inplace(Graph *g, int node, Lowered *L)
{
	(void)g, (void)node;
	L->inplace = 0;
}

/* output k becomes a constant holding data */
static void set_const(Graph *g, int node, int k, DType dt, int rank, const int64_t *dims,
		      const void *data)
{
	Tensor *y;

	if (k >= g->n[node].nout || g->n[node].out[k] < 0)
		return;
	set_out(g, node, k, dt, rank, dims);
	y = out_t(g, node, k);
	y->data = arena_memdup(&g->arena, data, (size_t)ir_nbytes(y) + 1);
	y->flags |= T_CONST;
}

static int check_rank(Graph *g, int node, int rank)
{
	if (rank <= IR_MAX_RANK)
		return 0;
	ir_error(g, node, "the output would have rank %d, above the supported %d", rank,
		 IR_MAX_RANK);
	return -1;
}

/* ---- Gather, and Compress through it ---- */

int shape_gather(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	int64_t dims[IR_MAX_RANK];
	int axis, r = 0;

	if (x->rank < 1) {
		ir_error(g, node, "data must have rank 1 or more");
		return -1;
	}
	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis) ||
	    index_size(g, node, 1) < 0 || check_rank(g, node, x->rank - 1 + ind->rank))
		return -1;
	for (int i = 0; i < axis; i++)
		dims[r++] = x->dims[i];
	for (int i = 0; i < ind->rank; i++)
		dims[r++] = ind->dims[i];
	for (int i = axis + 1; i < x->rank; i++)
		dims[r++] = x->dims[i];
	set_out(g, node, 0, x->dtype, r, dims);
	return 0;
}

/* Takes slices idx[0..n) of the axis of input 0, viewed as [outer, axis_dim, inner]
   elements, for indices known here (already wrapped and checked): one strided copy
   when they step evenly (one index, a range, a reversal), else o2m_gather with the
   indices as a constant. */
static int take_const(Graph *g, int node, Lowered *L, int64_t outer, int64_t axis_dim,
		      int64_t inner, const int64_t *idx, int64_t n)
{
	int esize = dt_size(in_t(g, node, 0)->dtype);
	int64_t step = n > 1 ? idx[1] - idx[0] : 1, i;
	o2m_gather_params *p;
	int32_t *v;

	if (!n || !outer || !inner)
		return 0;
	for (i = 2; i < n && idx[i] - idx[i - 1] == step; i++)
		;
	if (i >= n) {
		int64_t dims[3] = {outer, n, inner};
		int64_t ss[3] = {axis_dim * inner, step * inner, 1}, ds[3] = {n * inner, inner, 1};
		return lw_copy(g, node, L, esize, 3, dims, ss, ds, idx[0] * inner, 0, A_IN(0),
				 A_OUT(0));
	}
	v = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)n);
	for (i = 0; i < n; i++)
		v[i] = (int32_t)idx[i];
	p = LW_PARAMS(g, o2m_gather_params);
	p->outer = lw_i32(g, node, outer);
	p->axis_dim = lw_i32(g, node, axis_dim);
	p->count = lw_i32(g, node, n);
	p->block = lw_i32(g, node, inner * esize);
	p->index_size = 4;
	lw_call(g, L, kernel_lookup("o2m_gather"), PT_GATHER, p, 3, A_IN(0),
		A_CST(lw_const(g, L, DT_S32, n, v)), A_OUT(0));
	return 0;
}

int prep_gather(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	int axis = (int)ir_attr_int(g, node, "axis", 0);
	int64_t n = ir_numel(ind), outer, inner, d;
	o2m_gather_params *p;

	axis = axis < 0 ? axis + x->rank : axis;
	outer = prod(x->dims, 0, axis);
	d = x->dims[axis];
	inner = prod(x->dims, axis + 1, x->rank);
	if (ir_is_const(g, ir_in(g, node, 1))) {
		int64_t *idx = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(n + 1));
		for (int64_t i = 0; i < n; i++) {
			int64_t j = dt_get_i64(ind->dtype, ind->data, i);
			idx[i] = j < 0 ? j + d : j;
			if (idx[i] < 0 || idx[i] >= d) {
				ir_error(g, node, "index %lld is out of range for an axis of %lld",
					 (long long)j, (long long)d);
				return -1;
			}
		}
		return take_const(g, node, L, outer, d, inner, idx, n);
	}
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	p = LW_PARAMS(g, o2m_gather_params);
	p->outer = lw_i32(g, node, outer);
	p->axis_dim = lw_i32(g, node, d);
	p->count = lw_i32(g, node, n);
	p->block = lw_i32(g, node, inner * dt_size(x->dtype));
	p->index_size = dt_size(ind->dtype);
	lw_call(g, L, kernel_lookup("o2m_gather"), PT_GATHER, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* the positions Compress keeps (into idx, which holds n positions), or -1 */
static int64_t compress_take(Graph *g, int node, int64_t n, int64_t *idx)
{
	Tensor *c = in_t(g, node, 1);
	int64_t count = 0;

	if (c->rank != 1) {
		ir_error(g, node, "condition must be one-dimensional");
		return -1;
	}
	for (int64_t i = 0; i < c->dims[0]; i++) {
		if (!dt_get_i64(c->dtype, c->data, i))
			continue;
		if (i >= n) {
			ir_error(g, node, "condition selects position %lld of %lld", (long long)i,
				 (long long)n);
			return -1;
		}
		if (idx)
			idx[count] = i;
		count++;
	}
	return count;
}

/* the input viewed as [outer, axis_dim, inner] along the axis Compress selects on */
static void compress_view(Graph *g, int node, int64_t *outer, int64_t *d, int64_t *inner)
{
	Tensor *x = in_t(g, node, 0);
	int axis = (int)ir_attr_int(g, node, "axis", 0);

	if (!ir_attr(g, node, "axis")) {
		*outer = *inner = 1;
		*d = ir_numel(x);
		return;
	}
	axis = axis < 0 ? axis + x->rank : axis;
	*outer = prod(x->dims, 0, axis);
	*d = x->dims[axis];
	*inner = prod(x->dims, axis + 1, x->rank);
}

int shape_compress(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK], outer, d, inner, count;
	int axis;

	if (need_values(g, node, 1))
		return -1;
	if (ir_attr(g, node, "axis") &&
	    ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis))
		return -1;
	compress_view(g, node, &outer, &d, &inner);
	count = compress_take(g, node, d, NULL);
	if (count < 0)
		return -1;
	if (!ir_attr(g, node, "axis")) {
		set_out(g, node, 0, x->dtype, 1, &count);
		return 0;
	}
	memcpy(dims, x->dims, sizeof dims);
	dims[axis] = count;
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

int prep_compress(Graph *g, int node, Lowered *L)
{
	int64_t outer, d, inner, count, *idx;

	compress_view(g, node, &outer, &d, &inner);
	idx = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(d + 1));
	count = compress_take(g, node, d, idx);
	if (count < 0)
		return -1;
	return take_const(g, node, L, outer, d, inner, idx, count);
}

/* ---- GatherElements, ScatterElements, Scatter ---- */

static int reduction(Graph *g, int node)
{
	static const char *const names[] = {"none", "add", "mul", "max", "min"};
	const char *r = ir_attr_str(g, node, "reduction", "none");

	for (int i = 0; i < 5; i++)
		if (!strcmp(r, names[i]))
			return i; /* in the order of O2M_RED_* */
	ir_error(g, node, "reduction '%s' is not supported", r);
	return -1;
}

/* indices of the data's rank, no larger than data off the axis */
static int check_elements(Graph *g, int node, int *axis)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);

	if (x->rank < 1 || ind->rank != x->rank) {
		ir_error(g, node, "data and indices must have the same rank, 1 or more");
		return -1;
	}
	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, axis) ||
	    index_size(g, node, 1) < 0)
		return -1;
	for (int i = 0; i < x->rank; i++) {
		if (i != *axis && ind->dims[i] > x->dims[i]) {
			ir_error(g, node, "indices dimension %d (%lld) exceeds the data's (%lld)", i,
				 (long long)ind->dims[i], (long long)x->dims[i]);
			return -1;
		}
	}
	return 0;
}

static o2m_elements_params *elements_params(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	o2m_elements_params *p = LW_PARAMS(g, o2m_elements_params);
	int64_t st[IR_MAX_RANK];
	int axis;

	ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis);
	lw_strides(x->rank, x->dims, st);
	p->rank = x->rank;
	p->axis = axis;
	p->axis_dim = lw_i32(g, node, x->dims[axis]);
	p->count = lw_i32(g, node, ir_numel(ind));
	p->data_count = lw_i32(g, node, ir_numel(x));
	p->elem_size = dt_size(x->dtype);
	p->index_size = dt_size(ind->dtype);
	for (int i = 0; i < x->rank; i++) {
		p->dims[i] = lw_i32(g, node, ind->dims[i]);
		p->strides[i] = lw_i32(g, node, st[i]);
	}
	return p;
}

int shape_gather_elements(Graph *g, int node)
{
	Tensor *ind = in_t(g, node, 1);
	int axis;

	if (check_elements(g, node, &axis) ||
	    check_const_indices(g, node, 1, &in_t(g, node, 0)->dims[axis], 1))
		return -1;
	set_out(g, node, 0, in_t(g, node, 0)->dtype, ind->rank, ind->dims);
	return 0;
}

int prep_gather_elements(Graph *g, int node, Lowered *L)
{
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	lw_call(g, L, kernel_lookup("o2m_gather_elements"), PT_ELEMENTS, elements_params(g, node),
		3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

int shape_scatter_elements(Graph *g, int node)
{
	Tensor *ind = in_t(g, node, 1), *u = in_t(g, node, 2);
	int axis;

	if (check_elements(g, node, &axis) || same_type(g, node, 0, 2) || reduction(g, node) < 0 ||
	    check_const_indices(g, node, 1, &in_t(g, node, 0)->dims[axis], 1))
		return -1;
	if (u->rank != ind->rank || memcmp(u->dims, ind->dims, sizeof(int64_t) * (size_t)u->rank)) {
		ir_error(g, node, "updates and indices must have the same shape");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_scatter_elements(Graph *g, int node, Lowered *L)
{
	o2m_elements_params *p = elements_params(g, node);
	int k = kernel_lookup("o2m_scatter_elements");

	p->reduction = reduction(g, node);
	if (p->reduction != O2M_RED_NONE)
		k = lw_kernel(g, node, "scatter_elements", in_t(g, node, 0)->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_ELEMENTS, p, 4, A_IN(0), A_IN(1), A_IN(2), A_OUT(0));
	scatter_inplace(g, node, L);
	return 0;
}

/* ---- GatherND, ScatterND ---- */

/* tuples of `depth` indices address dims [from, from + depth) of the data; the slices
   they select are the dims after that */
static o2m_nd_params *nd_params(Graph *g, int node, int batch_dims, int depth)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	o2m_nd_params *p = LW_PARAMS(g, o2m_nd_params);
	int end = batch_dims + depth;
	int64_t s = 1;

	p->batch = lw_i32(g, node, prod(x->dims, 0, batch_dims));
	p->count = lw_i32(g, node, prod(ind->dims, batch_dims, ind->rank - 1));
	p->depth = depth;
	p->block = lw_i32(g, node, prod(x->dims, end, x->rank) * dt_size(x->dtype));
	p->batch_blocks = lw_i32(g, node, prod(x->dims, batch_dims, end));
	p->elem_size = dt_size(x->dtype);
	p->index_size = dt_size(ind->dtype);
	for (int d = depth - 1; d >= 0; d--) {
		p->dims[d] = lw_i32(g, node, x->dims[batch_dims + d]);
		p->strides[d] = lw_i32(g, node, s);
		s *= x->dims[batch_dims + d];
	}
	return p;
}

/* depth of the index tuples (last dim of indices), checked against the data */
static int nd_depth(Graph *g, int node, int batch_dims)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	int64_t k;

	if (index_size(g, node, 1) < 0)
		return -1;
	if (ind->rank < 1 || batch_dims < 0 || batch_dims >= ind->rank ||
	    batch_dims >= x->rank) {
		ir_error(g, node, "indices need rank 1 or more and batch_dims below both ranks");
		return -1;
	}
	k = ind->dims[ind->rank - 1];
	if (k < 1 || k > x->rank - batch_dims) {
		ir_error(g, node, "index tuples of %lld entries for data of rank %d", (long long)k,
			 x->rank);
		return -1;
	}
	for (int i = 0; i < batch_dims; i++) {
		if (ind->dims[i] != x->dims[i]) {
			ir_error(g, node, "batch dimension %d differs between data and indices", i);
			return -1;
		}
	}
	return (int)k;
}

/* indices.shape[:-1] + data.shape[batch_dims + depth:] */
static int nd_out_shape(Graph *g, int node, int batch_dims, int depth, int64_t *dims)
{
	Tensor *x = in_t(g, node, 0), *ind = in_t(g, node, 1);
	int r = 0;

	if (check_rank(g, node, ind->rank - 1 + x->rank - batch_dims - depth))
		return -1;
	for (int i = 0; i < ind->rank - 1; i++)
		dims[r++] = ind->dims[i];
	for (int i = batch_dims + depth; i < x->rank; i++)
		dims[r++] = x->dims[i];
	return r;
}

int shape_gather_nd(Graph *g, int node)
{
	int b = (int)ir_attr_int(g, node, "batch_dims", 0), k = nd_depth(g, node, b), r;
	int64_t dims[IR_MAX_RANK];

	if (k < 0 || (r = nd_out_shape(g, node, b, k, dims)) < 0 ||
	    check_const_indices(g, node, 1, in_t(g, node, 0)->dims + b, k))
		return -1;
	set_out(g, node, 0, in_t(g, node, 0)->dtype, r, dims);
	return 0;
}

int prep_gather_nd(Graph *g, int node, Lowered *L)
{
	int b = (int)ir_attr_int(g, node, "batch_dims", 0);
	Tensor *ind = in_t(g, node, 1);

	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	lw_call(g, L, kernel_lookup("o2m_gather_nd"), PT_ND,
		nd_params(g, node, b, (int)ind->dims[ind->rank - 1]), 3, A_IN(0), A_IN(1),
		A_OUT(0));
	return 0;
}

int shape_scatter_nd(Graph *g, int node)
{
	Tensor *u = in_t(g, node, 2);
	int64_t dims[IR_MAX_RANK];
	int k = nd_depth(g, node, 0), r;

	if (k < 0 || (r = nd_out_shape(g, node, 0, k, dims)) < 0 || same_type(g, node, 0, 2) ||
	    reduction(g, node) < 0 || check_const_indices(g, node, 1, in_t(g, node, 0)->dims, k))
		return -1;
	if (u->rank != r || memcmp(u->dims, dims, sizeof(int64_t) * (size_t)r)) {
		ir_error(g, node, "updates must have the shape indices.shape[:-1] + "
			 "data.shape[indices.shape[-1]:]");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_scatter_nd(Graph *g, int node, Lowered *L)
{
	Tensor *ind = in_t(g, node, 1);
	o2m_nd_params *p = nd_params(g, node, 0, (int)ind->dims[ind->rank - 1]);
	int k = kernel_lookup("o2m_scatter_nd");

	p->reduction = reduction(g, node);
	if (p->reduction != O2M_RED_NONE)
		k = lw_kernel(g, node, "scatter_nd", in_t(g, node, 0)->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_ND, p, 4, A_IN(0), A_IN(1), A_IN(2), A_OUT(0));
	scatter_inplace(g, node, L);
	return 0;
}

/* ---- TensorScatter ---- */

static int tensor_scatter_axis(Graph *g, int node, int *axis)
{
	Tensor *c = in_t(g, node, 0);

	if (c->rank < 2) {
		ir_error(g, node, "the cache needs a batch and a sequence dimension");
		return -1;
	}
	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", -2), c->rank, axis))
		return -1;
	if (*axis == 0) {
		ir_error(g, node, "axis cannot be the batch dimension");
		return -1;
	}
	return 0;
}

int shape_tensor_scatter(Graph *g, int node)
{
	Tensor *c = in_t(g, node, 0), *u = in_t(g, node, 1);
	const char *mode = ir_attr_str(g, node, "mode", "linear");
	int axis;

	if (tensor_scatter_axis(g, node, &axis) || same_type(g, node, 0, 1))
		return -1;
	if (strcmp(mode, "linear") && strcmp(mode, "circular")) {
		ir_error(g, node, "mode '%s' is not supported", mode);
		return -1;
	}
	if (u->rank != c->rank) {
		ir_error(g, node, "update and cache differ in rank");
		return -1;
	}
	for (int i = 0; i < c->rank; i++) {
		if (i == axis ? u->dims[i] > c->dims[i] : u->dims[i] != c->dims[i]) {
			ir_error(g, node, "update dimension %d (%lld) does not fit the cache (%lld)",
				 i, (long long)u->dims[i], (long long)c->dims[i]);
			return -1;
		}
	}
	if (has_in(g, node, 2) && (index_size(g, node, 2) < 0 || ir_numel(in_t(g, node, 2)) !=
				   c->dims[0])) {
		ir_error(g, node, "write_indices must hold one int index per batch entry");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_tensor_scatter(Graph *g, int node, Lowered *L)
{
	Tensor *c = in_t(g, node, 0), *u = in_t(g, node, 1);
	o2m_tensor_scatter_params *p = LW_PARAMS(g, o2m_tensor_scatter_params);
	int axis;

	tensor_scatter_axis(g, node, &axis);
	p->batch = lw_i32(g, node, c->dims[0]);
	p->prefix = lw_i32(g, node, prod(c->dims, 1, axis));
	p->max_seq = lw_i32(g, node, c->dims[axis]);
	p->seq = lw_i32(g, node, u->dims[axis]);
	p->block = lw_i32(g, node, prod(c->dims, axis + 1, c->rank) * dt_size(c->dtype));
	p->circular = !strcmp(ir_attr_str(g, node, "mode", "linear"), "circular");
	p->index_size = has_in(g, node, 2) ? dt_size(in_t(g, node, 2)->dtype) : 8;
	lw_call(g, L, kernel_lookup("o2m_tensor_scatter"), PT_TENSOR_SCATTER, p, 4, A_IN(0),
		A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE, A_OUT(0));
	scatter_inplace(g, node, L);
	return 0;
}

/* ---- OneHot ---- */

/* depth (cast to int64 when not an integer) and the output axis */
static int onehot_params(Graph *g, int node, int64_t *depth, int *axis)
{
	Tensor *ind = in_t(g, node, 0), *d = in_t(g, node, 1);
	int64_t a = ir_attr_int(g, node, "axis", -1);

	if (ir_need_const(g, node, 1))
		return -1;
	if (ir_numel(d) != 1 || ir_numel(in_t(g, node, 2)) != 2) {
		ir_error(g, node, "depth must hold one value and values two (off, on)");
		return -1;
	}
	*depth = dt_get_i64(d->dtype, d->data, 0);
	if (*depth < 1) {
		ir_error(g, node, "depth must be positive, not %lld", (long long)*depth);
		return -1;
	}
	if (a < -(ind->rank + 1) || a > ind->rank) {
		ir_error(g, node, "axis %lld is out of range for rank %d", (long long)a,
			 ind->rank + 1);
		return -1;
	}
	*axis = (int)(a < 0 ? a + ind->rank + 1 : a);
	return 0;
}

int shape_onehot(Graph *g, int node)
{
	Tensor *ind = in_t(g, node, 0);
	int64_t depth, dims[IR_MAX_RANK];
	int axis;

	if (onehot_params(g, node, &depth, &axis) || check_rank(g, node, ind->rank + 1))
		return -1;
	if (!dt_is_float(ind->dtype) && !dt_is_int(ind->dtype)) {
		ir_error(g, node, "indices must be numeric, not %s", dt_name(ind->dtype));
		return -1;
	}
	for (int i = 0, j = 0; i <= ind->rank; i++)
		dims[i] = i == axis ? depth : ind->dims[j++];
	set_out(g, node, 0, in_t(g, node, 2)->dtype, ind->rank + 1, dims);
	return 0;
}

/* indices other than int32 and int64 are cast to int64 first, as ONNX specifies */
int prep_onehot(Graph *g, int node, Lowered *L)
{
	Tensor *ind = in_t(g, node, 0);
	o2m_onehot_params *p = LW_PARAMS(g, o2m_onehot_params);
	int64_t depth;
	int axis;
	Arg idx = A_IN(0);

	onehot_params(g, node, &depth, &axis);
	p->outer = lw_i32(g, node, prod(ind->dims, 0, axis));
	p->depth = lw_i32(g, node, depth);
	p->inner = lw_i32(g, node, prod(ind->dims, axis, ind->rank));
	p->elem_size = dt_size(out_t(g, node, 0)->dtype);
	p->index_size = 8;
	if (ind->dtype == DT_S32) {
		p->index_size = 4;
	} else if (ind->dtype != DT_S64 && ir_numel(ind)) {
		char name[64];
		o2m_unary_params *cp = LW_PARAMS(g, o2m_unary_params);
		int s = lw_scratch(g, L, ir_numel(ind) * 8);
		int k;
		snprintf(name, sizeof name, "o2m_cast_%s_s64", dt_suffix(ind->dtype));
		k = kernel_lookup(name);
		if (k < 0) {
			ir_error(g, node, "indices of type %s are not supported", dt_name(ind->dtype));
			return -1;
		}
		cp->count = lw_i32(g, node, ir_numel(ind));
		lw_call(g, L, k, PT_UNARY, cp, 2, A_IN(0), A_SCR(s));
		idx = A_SCR(s);
	}
	if (ir_numel(out_t(g, node, 0)))
		lw_call(g, L, kernel_lookup("o2m_onehot"), PT_ONEHOT, p, 3, idx, A_IN(2), A_OUT(0));
	return 0;
}

/* ---- Trilu, EyeLike ---- */

int shape_trilu(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t k;

	if (x->rank < 2) {
		ir_error(g, node, "input must have rank 2 or more");
		return -1;
	}
	if (ir_const_ints(g, node, ir_in(g, node, 1), &k, 1) < 0)
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_trilu(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_trilu_params *p = LW_PARAMS(g, o2m_trilu_params);
	int64_t k = 0, rows = x->dims[x->rank - 2], cols = x->dims[x->rank - 1];

	ir_const_ints(g, node, ir_in(g, node, 1), &k, 1);
	/* beyond these every row is kept or zeroed whole */
	k = k < -(rows + 1) ? -(rows + 1) : k > cols + 1 ? cols + 1 : k;
	p->batch = lw_i32(g, node, prod(x->dims, 0, x->rank - 2));
	p->rows = lw_i32(g, node, rows);
	p->cols = lw_i32(g, node, cols);
	p->k = (int32_t)k;
	p->upper = ir_attr_int(g, node, "upper", 1) != 0;
	p->elem_size = dt_size(x->dtype);
	if (ir_numel(x))
		lw_call(g, L, kernel_lookup("o2m_trilu"), PT_TRILU, p, 2, A_IN(0), A_OUT(0));
	L->inplace = 0;
	return 0;
}

int shape_eye_like(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	DType dt = x->dtype;

	if (ir_attr(g, node, "dtype")) {
		int64_t code = ir_attr_int(g, node, "dtype", 0);
		dt = dt_from_onnx((int)code);
		if (dt == DT_UNDEF) {
			ir_error(g, node, "dtype %lld is not supported", (long long)code);
			return -1;
		}
	}
	if (x->rank != 2) {
		ir_error(g, node, "input must be two-dimensional");
		return -1;
	}
	set_out(g, node, 0, dt, 2, x->dims);
	return 0;
}

/* zeros, then a copy of one constant 1 along the k-th diagonal (stride cols + 1) */
int prep_eye_like(Graph *g, int node, Lowered *L)
{
	Tensor *y = out_t(g, node, 0);
	int64_t rows = y->dims[0], cols = y->dims[1], k = ir_attr_int(g, node, "k", 0);
	int64_t r0 = k < 0 ? -k : 0, c0 = k < 0 ? 0 : k, n, ss = 0, ds = cols + 1;
	unsigned char one[8] = {0};

	if (!ir_numel(y))
		return 0;
	lw_zero(g, node, L, 0);
	n = rows - r0 < cols - c0 ? rows - r0 : cols - c0;
	if (n <= 0)
		return 0;
	dt_set(y->dtype, one, 0, 1.0);
	return lw_copy(g, node, L, dt_size(y->dtype), 1, &n, &ss, &ds, 0, r0 * cols + c0,
			 A_CST(lw_const(g, L, y->dtype, 1, one)), A_OUT(0));
}

/* ---- ReverseSequence ---- */

int shape_reverse_sequence(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *s = in_t(g, node, 1);
	int64_t ta = ir_attr_int(g, node, "time_axis", 0), ba = ir_attr_int(g, node, "batch_axis", 1);

	if (x->rank < 2 || ta < 0 || ta > 1 || ba < 0 || ba > 1 || ta == ba) {
		ir_error(g, node, "needs rank 2 or more with time_axis and batch_axis 0 and 1");
		return -1;
	}
	if (index_size(g, node, 1) < 0)
		return -1;
	if (s->rank != 1 || s->dims[0] != x->dims[ba]) {
		ir_error(g, node, "sequence_lens must hold one length per batch entry");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_reverse_sequence(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_reverse_params *p = LW_PARAMS(g, o2m_reverse_params);
	int ta = (int)ir_attr_int(g, node, "time_axis", 0);

	p->time = lw_i32(g, node, x->dims[ta]);
	p->batch = lw_i32(g, node, x->dims[1 - ta]);
	p->block = lw_i32(g, node, prod(x->dims, 2, x->rank) * dt_size(x->dtype));
	p->time_stride = ta == 0 ? p->batch : 1;
	p->batch_stride = ta == 0 ? 1 : p->time;
	p->index_size = dt_size(in_t(g, node, 1)->dtype);
	if (ir_numel(x))
		lw_call(g, L, kernel_lookup("o2m_reverse_sequence"), PT_REVERSE, p, 3, A_IN(0),
			A_IN(1), A_OUT(0));
	return 0;
}

/* ---- CenterCropPad ---- */

/* the output dims: shape's values on the chosen axes, the input's elsewhere */
static int crop_pad_dims(Graph *g, int node, int64_t *dims)
{
	Tensor *x = in_t(g, node, 0);
	int64_t shape[IR_MAX_RANK], axes[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), shape, IR_MAX_RANK);
	int na = ir_attr_ints(g, node, "axes", axes, IR_MAX_RANK), seen[IR_MAX_RANK] = {0};

	if (n < 0)
		return -1;
	if (na < 0)
		for (na = 0; na < x->rank; na++)
			axes[na] = na;
	if (n != na) {
		ir_error(g, node, "shape has %d values for %d axes", n, na);
		return -1;
	}
	memcpy(dims, x->dims, sizeof(int64_t) * IR_MAX_RANK);
	for (int i = 0; i < n; i++) {
		int a;
		if (ir_norm_axis(g, node, axes[i], x->rank, &a))
			return -1;
		if (seen[a]++ || shape[i] < 0) {
			ir_error(g, node, "axis %d is repeated or its size negative", a);
			return -1;
		}
		dims[a] = shape[i];
	}
	return 0;
}

int shape_center_crop_pad(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];

	if (crop_pad_dims(g, node, dims))
		return -1;
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

/* zeros where padding, then one copy of the kept box: a crop starts (in - out) / 2
   into the input, a pad (out - in) / 2 into the output */
int prep_center_crop_pad(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t box[IR_MAX_RANK], xs[IR_MAX_RANK], ys[IR_MAX_RANK], soff = 0, doff = 0;
	int pads = 0;

	if (!ir_numel(y))
		return 0;
	lw_strides(x->rank, x->dims, xs);
	lw_strides(y->rank, y->dims, ys);
	for (int i = 0; i < x->rank; i++) {
		int64_t in = x->dims[i], out = y->dims[i];
		box[i] = in < out ? in : out;
		soff += (in > out ? (in - out) / 2 : 0) * xs[i];
		doff += (out > in ? (out - in) / 2 : 0) * ys[i];
		pads |= out > in;
	}
	if (pads)
		lw_zero(g, node, L, 0);
	if (!prod(box, 0, x->rank))
		return 0;
	return lw_copy(g, node, L, dt_size(x->dtype), x->rank, box, xs, ys, soff, doff, A_IN(0),
			 A_OUT(0));
}

/* ---- NonZero, Unique: evaluated here ---- */

int shape_non_zero(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int rank = x->rank ? x->rank : 1; /* a scalar counts as one element, as in numpy */
	int64_t n = ir_numel(x), nz = 0, dims[2], st[IR_MAX_RANK], *v;

	if (need_values(g, node, 0))
		return -1;
	for (int64_t i = 0; i < n; i++)
		nz += dt_get(x->dtype, x->data, i) != 0;
	v = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(rank * nz + 1));
	lw_strides(x->rank, x->dims, st);
	for (int64_t i = 0, c = 0; i < n; i++) {
		if (dt_get(x->dtype, x->data, i) == 0)
			continue;
		for (int d = 0; d < x->rank; d++)
			v[d * nz + c] = i / st[d] % x->dims[d];
		c++;
	}
	dims[0] = rank;
	dims[1] = nz;
	set_const(g, node, 0, DT_S64, 2, dims, v);
	return 0;
}

/* Unique sorts items (slices along the axis, or elements) through qsort, whose
   comparator has no context argument in C: the item geometry lives here meanwhile. */
static struct {
	const Tensor *x;
	int64_t outer, n, inner;
} uq;

static int cmp_elem(int64_t a, int64_t b)
{
	DType dt = uq.x->dtype;

	if (dt_is_float(dt)) { /* NaN sorts last and equals NaN, as numpy's unique */
		double u = dt_get(dt, uq.x->data, a), v = dt_get(dt, uq.x->data, b);
		if (u != u || v != v)
			return (u != u) - (v != v);
		return (u > v) - (u < v);
	}
	if (dt == DT_U64) {
		uint64_t u = ((const uint64_t *)uq.x->data)[a], v = ((const uint64_t *)uq.x->data)[b];
		return (u > v) - (u < v);
	}
	{
		int64_t u = dt_get_i64(dt, uq.x->data, a), v = dt_get_i64(dt, uq.x->data, b);
		return (u > v) - (u < v);
	}
}

/* items compare lexicographically over their elements in row-major order */
static int cmp_item(int64_t a, int64_t b)
{
	for (int64_t o = 0; o < uq.outer; o++) {
		for (int64_t e = 0; e < uq.inner; e++) {
			int c = cmp_elem((o * uq.n + a) * uq.inner + e, (o * uq.n + b) * uq.inner + e);
			if (c)
				return c;
		}
	}
	return 0;
}

/* ties go to the earlier item, so each run of equals starts with its first occurrence */
static int cmp_order(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	int c = cmp_item(a, b);
	return c ? c : (a > b) - (a < b);
}

static int cmp_first(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return (a > b) - (a < b);
}

/* the Y output: the chosen items, in order */
static void unique_values(Graph *g, int node, const int64_t *first, int64_t u, int axis)
{
	const Tensor *x = uq.x;
	int es = dt_size(x->dtype);
	int64_t dims[IR_MAX_RANK];
	unsigned char *y = arena_alloc(&g->arena, (size_t)(uq.outer * u * uq.inner * es + 1));
	const unsigned char *xd = x->data;

	for (int64_t o = 0; o < uq.outer; o++)
		for (int64_t j = 0; j < u; j++)
			memcpy(y + (size_t)((o * u + j) * uq.inner * es),
			       xd + (size_t)((o * uq.n + first[j]) * uq.inner * es),
			       (size_t)(uq.inner * es));
	if (axis < 0) {
		set_const(g, node, 0, x->dtype, 1, &u, y);
		return;
	}
	memcpy(dims, x->dims, sizeof dims);
	dims[axis] = u;
	set_const(g, node, 0, x->dtype, x->rank, dims, y);
}

/* groups equal items: first[j] is the first occurrence of group j in sorted order,
   inverse[i] the group of item i; returns the number of groups */
static int64_t unique_groups(int64_t n, int64_t *order, int64_t *first, int64_t *inverse)
{
	int64_t u = 0;

	for (int64_t i = 0; i < n; i++)
		order[i] = i;
	qsort(order, (size_t)n, sizeof *order, cmp_order);
	for (int64_t i = 0; i < n; i++) {
		if (i == 0 || cmp_item(order[i - 1], order[i]))
			first[u++] = order[i];
		inverse[order[i]] = u - 1;
	}
	return u;
}

/* sorted=0: groups renumbered in order of first occurrence */
static void unique_unsorted(int64_t n, int64_t u, int64_t *first, int64_t *inverse,
			    int64_t *pos)
{
	qsort(first, (size_t)u, sizeof *first, cmp_first);
	for (int64_t j = 0; j < u; j++)
		pos[inverse[first[j]]] = j;
	for (int64_t i = 0; i < n; i++)
		inverse[i] = pos[inverse[i]];
}

int shape_unique(Graph *g, int node)
{
	const Tensor *x = in_t(g, node, 0);
	int axis = -1;
	int64_t n, u, *order, *first, *inverse, *counts;

	if (need_values(g, node, 0))
		return -1;
	if (ir_attr(g, node, "axis") &&
	    ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis))
		return -1;
	uq.x = x;
	uq.outer = axis < 0 ? 1 : prod(x->dims, 0, axis);
	uq.n = n = axis < 0 ? ir_numel(x) : x->dims[axis];
	uq.inner = axis < 0 ? 1 : prod(x->dims, axis + 1, x->rank);
	order = malloc(sizeof(int64_t) * (size_t)(4 * n + 1));
	IR_ASSERT(order);
	first = order + n, inverse = first + n, counts = inverse + n;
	u = unique_groups(n, order, first, inverse);
	if (!ir_attr_int(g, node, "sorted", 1))
		unique_unsorted(n, u, first, inverse, order);
	memset(counts, 0, sizeof(int64_t) * (size_t)u);
	for (int64_t i = 0; i < n; i++)
		counts[inverse[i]]++;
	unique_values(g, node, first, u, axis);
	set_const(g, node, 1, DT_S64, 1, &u, first);
	set_const(g, node, 2, DT_S64, 1, &n, inverse);
	set_const(g, node, 3, DT_S64, 1, &u, counts);
	free(order);
	return 0;
}
