/* op_norm.c - shape functions and prepares of the normalizations: BatchNormalization
   (inference, folded to y = x * a + b when its parameters are constant, and training),
   Layer, RMS, Instance and Group normalization, LpNormalization,
   MeanVarianceNormalization and LRN. Operands of another float type than x, and outputs
   of another type, go through cast calls around the kernel. */
#include "lower.h"

#include <math.h>
#include <string.h>

static int64_t prod(const int64_t *d, int from, int to)
{
	int64_t n = 1;
	for (int i = from; i < to; i++)
		n *= d[i];
	return n;
}

static o2m_norm_params *norm_params(Graph *g, int node, int64_t outer, int64_t channels,
				    int64_t inner)
{
	o2m_norm_params *p = LW_PARAMS(g, o2m_norm_params);

	p->outer = lw_i32(g, node, outer);
	p->channels = lw_i32(g, node, channels);
	p->group_size = 1;
	p->inner = lw_i32(g, node, inner);
	p->epsilon = ir_attr_float(g, node, "epsilon", 1e-5f);
	lw_i32(g, node, outer * channels * inner);
	return p;
}

static void cast_call(Graph *g, int node, Lowered *L, DType from, DType to, int64_t count,
		      Arg src, Arg dst)
{
	char name[64];
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);

	snprintf(name, sizeof name, "o2m_cast_%s_%s", dt_suffix(from), dt_suffix(to));
	p->count = lw_i32(g, node, count);
	lw_call(g, L, kernel_lookup(name), PT_UNARY, p, 2, src, dst);
}

/* input k as element type dt: itself, or a converted copy in scratch; A_NONE if absent
   or empty (then it has no storage, and the kernels loop over none of it) */
static Arg in_as(Graph *g, int node, Lowered *L, int k, DType dt)
{
	Tensor *t;
	int s;

	if (!has_in(g, node, k) || !ir_numel(in_t(g, node, k)))
		return A_NONE;
	t = in_t(g, node, k);
	if (t->dtype == dt)
		return A_IN(k);
	s = lw_scratch(g, L, ir_numel(t) * dt_size(dt));
	cast_call(g, node, L, t->dtype, dt, ir_numel(t), A_IN(k), A_SCR(s));
	return A_SCR(s);
}

/* where a kernel writes output k in element type dt: the output itself, scratch to be
   converted by out_done, or A_NONE when the output is absent */
static Arg out_as(Graph *g, int node, Lowered *L, int k, DType dt)
{
	Tensor *t;

	if (k >= g->n[node].nout || g->n[node].out[k] < 0)
		return A_NONE;
	t = out_t(g, node, k);
	if (t->dtype == dt)
		return A_OUT(k);
	return A_SCR(lw_scratch(g, L, ir_numel(t) * dt_size(dt)));
}

static void out_done(Graph *g, int node, Lowered *L, int k, DType dt, Arg a)
{
	if (a.kind == ARG_SCRATCH)
		cast_call(g, node, L, dt, out_t(g, node, k)->dtype, ir_numel(out_t(g, node, k)), a,
			  A_OUT(k));
}

static int float_input(Graph *g, int node)
{
	if (!dt_is_float(in_t(g, node, 0)->dtype)) {
		ir_error(g, node, "%s needs a float input, not %s", g->n[node].op_type,
			 dt_name(in_t(g, node, 0)->dtype));
		return -1;
	}
	return 0;
}

/* inputs first..last, when present, hold `count` elements each */
static int param_sizes(Graph *g, int node, int first, int last, int64_t count)
{
	for (int k = first; k <= last; k++)
		if (has_in(g, node, k) && ir_numel(in_t(g, node, k)) != count) {
			ir_error(g, node, "input %d has %lld elements, %lld expected", k,
				 (long long)ir_numel(in_t(g, node, k)), (long long)count);
			return -1;
		}
	return 0;
}

/* ---- BatchNormalization ---- */

/* channels and the elements per channel; spatial=0 (before opset 9) normalizes each
   element of C x D1 x ... on its own */
static void bn_geometry(Graph *g, int node, int64_t *c, int64_t *inner)
{
	Tensor *x = in_t(g, node, 0);
	int spatial = ir_attr_int(g, node, "spatial", 1) != 0;

	*c = x->rank > 1 ? (spatial ? x->dims[1] : prod(x->dims, 1, x->rank)) : 1;
	*inner = x->rank > 1 && spatial ? prod(x->dims, 2, x->rank) : 1;
}

/* frontend/normalize.c sets training_mode for every opset */
int shape_batch_norm(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t c, inner;

	if (float_input(g, node))
		return -1;
	if (x->rank < 2) {
		ir_error(g, node, "input must be N x C x ..., got rank %d", x->rank);
		return -1;
	}
	bn_geometry(g, node, &c, &inner);
	if (param_sizes(g, node, 1, 4, c))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	for (int k = 1; k < g->n[node].nout; k++) /* running (or saved) mean and variance */
		set_out_like(g, node, k, ir_in(g, node, k % 2 ? 3 : 4));
	return 0;
}

/* y = x * a + b with a = scale / sqrt(var + eps), b = bias - mean * a, made here */
static int bn_folded(Graph *g, int node, Lowered *L, o2m_norm_params *p)
{
	DType dt = in_t(g, node, 0)->dtype;
	double *a = arena_alloc(&g->arena, sizeof(double) * (size_t)(p->channels + 1));
	double *b = arena_alloc(&g->arena, sizeof(double) * (size_t)(p->channels + 1));
	void *ca = arena_alloc(&g->arena, (size_t)(p->channels + 1) * 8);
	void *cb = arena_alloc(&g->arena, (size_t)(p->channels + 1) * 8);
	int kern = lw_kernel(g, node, "channel_affine", dt);

	if (kern < 0)
		return -1;
	for (int c = 0; c < p->channels; c++) {
		double s = dt_get(in_t(g, node, 1)->dtype, in_t(g, node, 1)->data, c);
		double bias = dt_get(in_t(g, node, 2)->dtype, in_t(g, node, 2)->data, c);
		double mean = dt_get(in_t(g, node, 3)->dtype, in_t(g, node, 3)->data, c);
		double var = dt_get(in_t(g, node, 4)->dtype, in_t(g, node, 4)->data, c);
		a[c] = s / sqrt(var + (double)p->epsilon);
		b[c] = bias - mean * a[c];
		dt_set(dt, ca, c, a[c]);
		dt_set(dt, cb, c, b[c]);
	}
	lw_call(g, L, kern, PT_NORM, p, 4, A_IN(0), A_CST(lw_const(g, L, dt, p->channels, ca)),
		A_CST(lw_const(g, L, dt, p->channels, cb)), A_OUT(0));
	return 0;
}

/* training: batch statistics; outputs 1..4 are the running and the saved statistics */
static int bn_training(Graph *g, int node, Lowered *L, o2m_norm_params *p, const Arg *in)
{
	DType dt = in_t(g, node, 0)->dtype;
	int kern = lw_kernel(g, node, "batch_norm_train", dt);
	Arg out[5];

	if (kern < 0)
		return -1;
	p->momentum = ir_attr_float(g, node, "momentum", 0.9f);
	for (int k = 1; k < 5; k++)
		out[k] = out_as(g, node, L, k, dt);
	lw_call(g, L, kern, PT_NORM, p, 10, in[0], in[1], in[2], in[3], in[4], A_OUT(0), out[1],
		out[2], out[3], out[4]);
	for (int k = 1; k < 5; k++)
		out_done(g, node, L, k, dt, out[k]);
	return 0;
}

/* outputs beside y in inference mode (old opsets may list them): the inputs unchanged */
static void bn_pass_stats(Graph *g, int node, Lowered *L)
{
	for (int k = 1; k < g->n[node].nout; k++) {
		int64_t n, one = 1;
		if (g->n[node].out[k] < 0)
			continue;
		n = ir_numel(out_t(g, node, k));
		if (n)
			lw_copy(g, node, L, dt_size(out_t(g, node, k)->dtype), 1, &n, &one, &one, 0, 0,
				A_IN(k % 2 ? 3 : 4), A_OUT(k));
	}
}

int prep_batch_norm(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	int64_t c, inner;
	o2m_norm_params *p;
	Arg in[5];
	int kern, folded = 1;

	bn_geometry(g, node, &c, &inner);
	p = norm_params(g, node, x->dims[0], c, inner);
	if (ir_attr_int(g, node, "training_mode", 0)) {
		for (int k = 0; k < 5; k++)
			in[k] = in_as(g, node, L, k, x->dtype);
		return bn_training(g, node, L, p, in);
	}
	bn_pass_stats(g, node, L);
	if (!ir_numel(x))
		return 0;
	for (int k = 1; k < 5; k++)
		folded &= ir_is_const(g, ir_in(g, node, k));
	if (folded)
		return bn_folded(g, node, L, p);
	kern = lw_kernel(g, node, "batch_norm", x->dtype);
	if (kern < 0)
		return -1;
	for (int k = 0; k < 5; k++)
		in[k] = in_as(g, node, L, k, x->dtype);
	lw_call(g, L, kern, PT_NORM, p, 6, in[0], in[1], in[2], in[3], in[4], A_OUT(0));
	L->inplace = 0;
	return 0;
}

/* ---- LayerNormalization and RMSNormalization ---- */

/* rows and columns of x around the (normalised) axis */
static int rows_cols(Graph *g, int node, int *axis, int64_t *rows, int64_t *cols)
{
	Tensor *x = in_t(g, node, 0);

	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", -1), x->rank, axis))
		return -1;
	*rows = prod(x->dims, 0, *axis);
	*cols = prod(x->dims, *axis, x->rank);
	return 0;
}

/* scale and bias broadcast to x, which must keep its shape */
static int affine_shapes(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int rank;
	int64_t dims[IR_MAX_RANK];

	if (ir_broadcast(g, node, g->n[node].in, g->n[node].nin, &rank, dims))
		return -1;
	if (rank != x->rank || memcmp(dims, x->dims, sizeof(int64_t) * (size_t)rank)) {
		ir_error(g, node, "scale or bias would broadcast x to another shape");
		return -1;
	}
	return 0;
}

int shape_layer_norm(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int axis;
	int64_t rows, cols, dims[IR_MAX_RANK];
	DType st = dt_from_onnx((int)ir_attr_int(g, node, "stash_type", 1));

	if (float_input(g, node) || rows_cols(g, node, &axis, &rows, &cols) || affine_shapes(g, node))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	for (int i = 0; i < x->rank; i++)
		dims[i] = i < axis ? x->dims[i] : 1;
	if (!dt_is_float(st))
		st = DT_F32;
	set_out(g, node, 1, st, x->rank, dims); /* Mean */
	set_out(g, node, 2, st, x->rank, dims); /* InvStdDev */
	return 0;
}

/* true when t, right-aligned against x, spans exactly x's dims from axis on */
static int per_column(Graph *g, int node, int k, int axis)
{
	Tensor *x = in_t(g, node, 0), *t;

	if (!has_in(g, node, k))
		return 1;
	t = in_t(g, node, k);
	if (ir_numel(t) != prod(x->dims, axis, x->rank))
		return 0;
	for (int i = 0; i < t->rank; i++) {
		int j = x->rank - t->rank + i;
		if (t->dims[i] != (j >= axis ? x->dims[j] : 1))
			return 0;
	}
	return 1;
}

/* y op= t with broadcasting, after a kernel that left the scale or bias out */
static int affine_after(Graph *g, int node, Lowered *L, const char *family, int k)
{
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int ts[2] = {g->n[node].out[0], ir_in(g, node, k)};
	int kern = lw_kernel(g, node, family, out_t(g, node, 0)->dtype);

	if (kern < 0)
		return -1;
	lw_bcast(g, node, ts, 2, p);
	lw_call(g, L, kern, PT_BCAST, p, 3, A_OUT(0), A_IN(k), A_OUT(0));
	return 0;
}

/* RMSNormalization has inputs x, scale and one output; LayerNormalization adds the
   optional bias, mean and inverse standard deviation */
int prep_layer_norm(Graph *g, int node, Lowered *L)
{
	DType dt = in_t(g, node, 0)->dtype;
	int rms = g->n[node].op == OP_RMS_NORM, axis, kern = lw_kernel(g, node, "layer_norm", dt);
	int64_t rows, cols;
	o2m_norm_params *p;
	Arg mean, inv, scale, bias;
	int direct;

	if (kern < 0 || rows_cols(g, node, &axis, &rows, &cols))
		return -1;
	p = norm_params(g, node, rows, 1, cols);
	p->flags = rms ? O2M_NORM_RMS : 0;
	direct = per_column(g, node, 1, axis) && per_column(g, node, 2, axis);
	scale = direct ? in_as(g, node, L, 1, dt) : A_NONE;
	bias = direct && !rms ? in_as(g, node, L, 2, dt) : A_NONE;
	mean = rms ? A_NONE : out_as(g, node, L, 1, dt);
	inv = rms ? A_NONE : out_as(g, node, L, 2, dt);
	lw_call(g, L, kern, PT_NORM, p, 6, A_IN(0), scale, bias, A_OUT(0), mean, inv);
	if (!rms) {
		out_done(g, node, L, 1, dt, mean);
		out_done(g, node, L, 2, dt, inv);
	}
	if (!direct && (affine_after(g, node, L, "mul", 1) ||
			(!rms && has_in(g, node, 2) && affine_after(g, node, L, "add", 2))))
		return -1;
	L->inplace = 0;
	return 0;
}

int shape_rms_norm(Graph *g, int node)
{
	int axis;
	int64_t rows, cols;

	if (float_input(g, node) || rows_cols(g, node, &axis, &rows, &cols) || affine_shapes(g, node))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

/* ---- InstanceNormalization and GroupNormalization ---- */

static int channel_input(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);

	if (float_input(g, node))
		return -1;
	if (x->rank < 2) {
		ir_error(g, node, "input must be N x C x ..., got rank %d", x->rank);
		return -1;
	}
	return 0;
}

int shape_instance_norm(Graph *g, int node)
{
	if (channel_input(g, node) || param_sizes(g, node, 1, 2, in_t(g, node, 0)->dims[1]))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

/* scale and bias per group before opset 21, per channel since; a model whose sizes
   fit the other form is taken at its word */
static int group_affine(Graph *g, int node, int64_t groups, int64_t c)
{
	int64_t n = ir_numel(in_t(g, node, 1)), want = g->n[node].opset < 21 ? groups : c;

	if (n != want && (n == groups || n == c))
		want = n;
	return want == groups && groups != c;
}

int shape_group_norm(Graph *g, int node)
{
	Tensor *x;
	int64_t groups = ir_attr_int(g, node, "num_groups", 0), c;

	if (channel_input(g, node))
		return -1;
	x = in_t(g, node, 0);
	c = x->dims[1];
	if (groups < 1 || c % groups) {
		ir_error(g, node, "num_groups %lld does not divide %lld channels", (long long)groups,
			 (long long)c);
		return -1;
	}
	if (param_sizes(g, node, 1, 2, group_affine(g, node, groups, c) ? groups : c))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_group_norm(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	int64_t c = x->dims[1], groups = c;
	o2m_norm_params *p = norm_params(g, node, x->dims[0], c, prod(x->dims, 2, x->rank));
	int kern = lw_kernel(g, node, "group_norm", x->dtype);

	if (kern < 0)
		return -1;
	if (g->n[node].op == OP_GROUP_NORM) {
		groups = ir_attr_int(g, node, "num_groups", 1);
		p->group_size = lw_i32(g, node, c / groups);
		p->flags = group_affine(g, node, groups, c) ? O2M_NORM_GROUP_AFFINE : 0;
	}
	lw_call(g, L, kern, PT_NORM, p, 4, A_IN(0), in_as(g, node, L, 1, x->dtype),
		in_as(g, node, L, 2, x->dtype), A_OUT(0));
	L->inplace = 0;
	return 0;
}

/* ---- LpNormalization, MeanVarianceNormalization, LRN ---- */

int shape_lp_norm(Graph *g, int node)
{
	int axis;
	int64_t p = ir_attr_int(g, node, "p", 2);

	if (float_input(g, node) ||
	    ir_norm_axis(g, node, ir_attr_int(g, node, "axis", -1), in_t(g, node, 0)->rank, &axis))
		return -1;
	if (p != 1 && p != 2) {
		ir_error(g, node, "p must be 1 or 2, not %lld", (long long)p);
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_lp_norm(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	int axis, kern = lw_kernel(g, node, "lp_norm", x->dtype);
	o2m_norm_params *p;

	if (kern < 0 || ir_norm_axis(g, node, ir_attr_int(g, node, "axis", -1), x->rank, &axis))
		return -1;
	p = norm_params(g, node, prod(x->dims, 0, axis), x->rank ? x->dims[axis] : 1,
			prod(x->dims, axis + 1, x->rank));
	p->flags = (int32_t)ir_attr_int(g, node, "p", 2);
	lw_call(g, L, kern, PT_NORM, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* axes (default 0, 2, 3) as a mask over x's dims */
static int mvn_axes(Graph *g, int node, int *mask)
{
	int64_t axes[IR_MAX_RANK] = {0, 2, 3};
	int n = ir_attr_ints(g, node, "axes", axes, IR_MAX_RANK), rank = in_t(g, node, 0)->rank;

	memset(mask, 0, sizeof(int) * IR_MAX_RANK);
	for (int i = 0; i < (n < 0 ? 3 : n); i++) {
		int a;
		if (ir_norm_axis(g, node, axes[i], rank, &a))
			return -1;
		mask[a] = 1;
	}
	return 0;
}

int shape_mvn(Graph *g, int node)
{
	int mask[IR_MAX_RANK];

	if (float_input(g, node) || mvn_axes(g, node, mask))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

/* the dims of x where mask[i] == want, merged where contiguous; a lone 1 if none */
static void mvn_box(const Tensor *x, const int *mask, int want, int32_t *rank, int32_t *dims,
		    int32_t *stride)
{
	int64_t st[IR_MAX_RANK];
	int r = 0;

	lw_strides(x->rank, x->dims, st);
	for (int i = 0; i < x->rank; i++) {
		if (mask[i] != want || x->dims[i] == 1)
			continue;
		if (r > 0 && stride[r - 1] == st[i] * x->dims[i]) {
			dims[r - 1] *= (int32_t)x->dims[i];
			stride[r - 1] = (int32_t)st[i];
			continue;
		}
		dims[r] = (int32_t)x->dims[i];
		stride[r++] = (int32_t)st[i];
	}
	if (r == 0) {
		dims[0] = 1;
		stride[0] = 0;
		r = 1;
	}
	*rank = r;
}

int prep_mvn(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_mvn_params *p = LW_PARAMS(g, o2m_mvn_params);
	int mask[IR_MAX_RANK], kern = lw_kernel(g, node, "mvn", x->dtype);

	if (kern < 0 || mvn_axes(g, node, mask))
		return -1;
	if (!ir_numel(x))
		return 0;
	lw_i32(g, node, ir_numel(x));
	mvn_box(x, mask, 0, &p->keep_rank, p->keep_dims, p->keep_stride);
	mvn_box(x, mask, 1, &p->red_rank, p->red_dims, p->red_stride);
	p->flags = ir_attr_int(g, node, "normalize_variance", 1) != 0;
	p->epsilon = 1e-9f;
	lw_call(g, L, kern, PT_MVN, p, 2, A_IN(0), A_OUT(0));
	L->inplace = 0;
	return 0;
}

int shape_lrn(Graph *g, int node)
{
	if (channel_input(g, node))
		return -1;
	if (ir_attr_int(g, node, "size", 0) < 1) {
		ir_error(g, node, "size must be positive");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_lrn(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_lrn_params *p = LW_PARAMS(g, o2m_lrn_params);
	int kern = lw_kernel(g, node, "lrn", x->dtype);

	if (kern < 0)
		return -1;
	p->n = lw_i32(g, node, x->dims[0]);
	p->c = lw_i32(g, node, x->dims[1]);
	p->inner = lw_i32(g, node, prod(x->dims, 2, x->rank));
	p->size = lw_i32(g, node, ir_attr_int(g, node, "size", 1));
	p->alpha = ir_attr_float(g, node, "alpha", 1e-4f);
	p->beta = ir_attr_float(g, node, "beta", 0.75f);
	p->bias = ir_attr_float(g, node, "bias", 1.0f);
	lw_i32(g, node, ir_numel(x));
	lw_call(g, L, kern, PT_LRN, p, 2, A_IN(0), A_OUT(0));
	return 0;
}
