/* op_shape.c - ops that reshape or move data without arithmetic: views (Reshape,
   Flatten, Squeeze, Unsqueeze, Identity, Dropout) alias their input; Transpose, Concat,
   Split, Slice, Expand, Tile, DepthToSpace and SpaceToDepth are strided copies; Shape,
   Size, Constant and Range are evaluated while shapes are inferred. */
#include "lower.h"

#include <math.h>
#include <string.h>

/* ---- helpers ---- */

static int64_t prod(const int64_t *d, int from, int to)
{
	int64_t n = 1;
	for (int i = from; i < to; i++)
		n *= d[i];
	return n;
}

int prep_none(Graph *g, int node, Lowered *L)
{
	(void)L;
	ir_error(g, node, "this op is evaluated at compile time, but its inputs are not "
		 "all known there");
	return -1;
}

int prep_alias(Graph *g, int node, Lowered *L)
{
	(void)g, (void)node;
	L->alias = 0;
	return 0;
}

/* ---- constants and shape queries, evaluated here ---- */

int shape_constant(Graph *g, int node)
{
	const Attr *a = ir_attr(g, node, "value");
	Tensor *v, *y;

	if (!a || a->kind != A_TENSOR) {
		ir_error(g, node, "Constant without a tensor value");
		return -1;
	}
	v = &g->t[a->tensor];
	set_out_like(g, node, 0, a->tensor);
	y = out_t(g, node, 0);
	y->data = v->data;
	y->flags |= T_CONST;
	return 0;
}

static void set_const_out(Graph *g, int node, DType dt, int rank, const int64_t *dims,
			  const void *data)
{
	Tensor *y;

	set_out(g, node, 0, dt, rank, dims);
	y = out_t(g, node, 0);
	y->data = arena_memdup(&g->arena, data, (size_t)ir_nbytes(y));
	y->flags |= T_CONST;
}

int shape_shape(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t start = ir_attr_int(g, node, "start", 0), end = ir_attr_int(g, node, "end", x->rank);
	int64_t n;

	if (start < 0)
		start += x->rank;
	if (end < 0)
		end += x->rank;
	start = start < 0 ? 0 : start > x->rank ? x->rank : start;
	end = end < 0 ? 0 : end > x->rank ? x->rank : end;
	n = end > start ? end - start : 0;
	set_const_out(g, node, DT_S64, 1, &n, x->dims + start);
	return 0;
}

int shape_size(Graph *g, int node)
{
	int64_t n = ir_numel(in_t(g, node, 0));
	set_const_out(g, node, DT_S64, 0, NULL, &n);
	return 0;
}

/* Range element count, max(ceil((limit - start) / delta), 0): integers exactly (the
   difference as unsigned cannot overflow), float32 in float as the spec's function body
   and onnxruntime compute it (0.3f / 0.1f is 3 there, 3.0000001 in double); -1 when
   the count is not finite or too large */
static int64_t range_count(DType dt, const void *s, const void *l, const void *d)
{
	if (dt_is_int(dt)) {
		int64_t a = dt_get_i64(dt, s, 0), b = dt_get_i64(dt, l, 0), c = dt_get_i64(dt, d, 0);
		uint64_t span = c > 0 ? (uint64_t)b - (uint64_t)a : (uint64_t)a - (uint64_t)b;
		uint64_t step = c > 0 ? (uint64_t)c : 0 - (uint64_t)c, n;
		if (c > 0 ? b <= a : b >= a)
			return 0;
		n = span / step + (span % step != 0);
		return n > INT32_MAX ? -1 : (int64_t)n;
	} else {
		double q;
		if (dt == DT_F32) {
			float a = (float)dt_get(dt, s, 0), b = (float)dt_get(dt, l, 0);
			q = ceilf((b - a) / (float)dt_get(dt, d, 0));
		} else {
			q = ceil((dt_get(dt, l, 0) - dt_get(dt, s, 0)) / dt_get(dt, d, 0));
		}
		return !(q < INT32_MAX) ? -1 : q > 0 ? (int64_t)q : 0;
	}
}

int shape_range(Graph *g, int node)
{
	DType dt = in_t(g, node, 0)->dtype;
	const void *s, *l, *d;
	int64_t n;
	void *data;

	for (int k = 0; k < 3; k++)
		if (ir_need_const(g, node, k))
			return -1;
	s = in_t(g, node, 0)->data, l = in_t(g, node, 1)->data, d = in_t(g, node, 2)->data;
	if (dt_get(dt, d, 0) == 0) {
		ir_error(g, node, "delta is zero");
		return -1;
	}
	n = range_count(dt, s, l, d);
	if (n < 0) {
		ir_error(g, node, "the range from %g to %g by %g has no element count below 2^31",
			 dt_get(dt, s, 0), dt_get(dt, l, 0), dt_get(dt, d, 0));
		return -1;
	}
	if (n * dt_size(dt) > ir_max_const_bytes) { /* its values are computed here */
		ir_error(g, node, "the range has %lld elements, %lld bytes: more than the model's "
			 "constants may take (%lld; --max-constants raises it)", (long long)n,
			 (long long)(n * dt_size(dt)), (long long)ir_max_const_bytes);
		return -1;
	}
	data = arena_alloc(&g->arena, (size_t)(n * dt_size(dt) + 1));
	for (int64_t i = 0; i < n; i++) {
		if (dt_is_float(dt))
			dt_set(dt, data, i, dt_get(dt, s, 0) + (double)i * dt_get(dt, d, 0));
		else /* integers exactly, without going through double */
			dt_set_i64(dt, data, i, (int64_t)((uint64_t)dt_get_i64(dt, s, 0) +
							 (uint64_t)i * (uint64_t)dt_get_i64(dt, d, 0)));
	}
	set_const_out(g, node, dt, 1, &n, data);
	return 0;
}

int shape_constant_of_shape(Graph *g, int node)
{
	const Attr *a = ir_attr(g, node, "value");
	int64_t dims[IR_MAX_RANK];
	int rank = ir_const_ints(g, node, ir_in(g, node, 0), dims, IR_MAX_RANK);

	if (rank < 0)
		return -1;
	set_out(g, node, 0, a && a->kind == A_TENSOR ? g->t[a->tensor].dtype : DT_F32, rank, dims);
	return 0;
}

int prep_constant_of_shape(Graph *g, int node, Lowered *L)
{
	const Attr *a = ir_attr(g, node, "value");
	Tensor *y = out_t(g, node, 0);
	unsigned char zero[8] = {0};
	int c = lw_const(g, L, y->dtype, 1, a && a->kind == A_TENSOR ? g->t[a->tensor].data : zero);

	lw_fill(g, node, L, ir_numel(y), dt_size(y->dtype), A_CST(c), A_OUT(0));
	return 0;
}

/* ---- views ---- */

int shape_identity(Graph *g, int node)
{
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int shape_dropout(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);

	if (has_in(g, node, 2)) { /* training mode drops at random, unless the ratio is 0 */
		int64_t training;
		double ratio = 0.5;
		if (ir_const_ints(g, node, ir_in(g, node, 2), &training, 1) < 0)
			return -1;
		if (has_in(g, node, 1)) {
			if (ir_need_const(g, node, 1))
				return -1;
			ratio = dt_get(in_t(g, node, 1)->dtype, in_t(g, node, 1)->data, 0);
		}
		if (training && ratio != 0) {
			ir_error(g, node, "training_mode=1 with a non-zero ratio (random dropout) is "
				 "not supported");
			return -1;
		}
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	/* the mask is bool from opset 10, of x's type before */
	set_out(g, node, 1, g->n[node].opset < 10 ? x->dtype : DT_BOOL, x->rank, x->dims);
	return 0;
}

int prep_dropout(Graph *g, int node, Lowered *L)
{
	L->alias = 0;
	if (g->n[node].nout > 1 && g->n[node].out[1] >= 0) {
		Tensor *m = out_t(g, node, 1);
		unsigned char one[8];
		int c;
		dt_set(m->dtype, one, 0, 1.0);
		c = lw_const(g, L, m->dtype, 1, one);
		lw_fill(g, node, L, ir_numel(m), dt_size(m->dtype), A_CST(c), A_OUT(1));
	}
	return 0;
}

int shape_reshape(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK], known = 1;
	int rank = ir_const_ints(g, node, ir_in(g, node, 1), dims, IR_MAX_RANK), infer = -1;
	int allowzero = (int)ir_attr_int(g, node, "allowzero", 0);

	if (rank < 0)
		return -1;
	for (int i = 0; i < rank; i++) {
		if (dims[i] == 0 && !allowzero) {
			if (i >= x->rank) {
				ir_error(g, node, "shape copies dimension %d the input lacks", i);
				return -1;
			}
			dims[i] = x->dims[i];
		}
		if (dims[i] == -1) {
			if (infer >= 0) {
				ir_error(g, node, "shape has more than one -1");
				return -1;
			}
			infer = i;
			continue;
		}
		if (dims[i] < 0) {
			ir_error(g, node, "shape has negative dimension %lld", (long long)dims[i]);
			return -1;
		}
		if (dims[i] && known > INT32_MAX / dims[i]) { /* before known overflows */
			ir_error(g, node, "shape asks for more than %d elements", INT32_MAX);
			return -1;
		}
		known *= dims[i];
	}
	if (infer >= 0)
		dims[infer] = known ? ir_numel(x) / known : 0;
	if (prod(dims, 0, rank) != ir_numel(x)) {
		ir_error(g, node, "cannot reshape %lld elements to a shape of %lld",
			 (long long)ir_numel(x), (long long)prod(dims, 0, rank));
		return -1;
	}
	set_out(g, node, 0, x->dtype, rank, dims);
	return 0;
}

int shape_flatten(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t axis = ir_attr_int(g, node, "axis", 1), dims[2];

	if (axis < 0)
		axis += x->rank;
	if (axis < 0 || axis > x->rank) {
		ir_error(g, node, "axis %lld is out of range", (long long)axis);
		return -1;
	}
	dims[0] = prod(x->dims, 0, (int)axis);
	dims[1] = prod(x->dims, (int)axis, x->rank);
	set_out(g, node, 0, x->dtype, 2, dims);
	return 0;
}

/* marks normalised axes; -1 on a bad or repeated axis */
static int axes_mask(Graph *g, int node, const int64_t *axes, int n, int rank, int *mask)
{
	memset(mask, 0, sizeof(int) * IR_MAX_RANK);
	for (int i = 0; i < n; i++) {
		int a;
		if (ir_norm_axis(g, node, axes[i], rank, &a))
			return -1;
		if (mask[a]) {
			ir_error(g, node, "axis %lld is repeated", (long long)axes[i]);
			return -1;
		}
		mask[a] = 1;
	}
	return 0;
}

int shape_squeeze(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t axes[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), axes, IR_MAX_RANK), mask[IR_MAX_RANK], r = 0;

	if (n < 0)
		return -1;
	if (!has_in(g, node, 1)) {
		for (int i = 0; i < x->rank; i++)
			mask[i] = x->dims[i] == 1;
	} else if (axes_mask(g, node, axes, n, x->rank, mask)) {
		return -1;
	}
	for (int i = 0; i < x->rank; i++) {
		if (mask[i] && x->dims[i] != 1) {
			ir_error(g, node, "cannot squeeze axis %d of size %lld", i,
				 (long long)x->dims[i]);
			return -1;
		}
		if (!mask[i])
			dims[r++] = x->dims[i];
	}
	set_out(g, node, 0, x->dtype, r, dims);
	return 0;
}

int shape_unsqueeze(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t axes[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), axes, IR_MAX_RANK), mask[IR_MAX_RANK], r;

	if (n < 0)
		return -1;
	r = x->rank + n;
	if (r > IR_MAX_RANK) {
		ir_error(g, node, "rank %d exceeds the supported %d", r, IR_MAX_RANK);
		return -1;
	}
	if (axes_mask(g, node, axes, n, r, mask))
		return -1;
	for (int i = 0, j = 0; i < r; i++)
		dims[i] = mask[i] ? 1 : x->dims[j++];
	set_out(g, node, 0, x->dtype, r, dims);
	return 0;
}

/* ---- strided copies ---- */

int shape_transpose(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t perm[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_attr_ints(g, node, "perm", perm, IR_MAX_RANK), seen[IR_MAX_RANK] = {0};

	if (n < 0) {
		n = x->rank;
		for (int i = 0; i < n; i++)
			perm[i] = n - 1 - i;
	}
	if (n != x->rank) {
		ir_error(g, node, "perm has %d entries for rank %d", n, x->rank);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (perm[i] < 0)
			perm[i] += n;
		if (perm[i] < 0 || perm[i] >= n || seen[perm[i]]++) {
			ir_error(g, node, "perm is not a permutation");
			return -1;
		}
		dims[i] = x->dims[perm[i]];
	}
	ir_attr_set_ints(g, node, "perm", perm, n);
	set_out(g, node, 0, x->dtype, n, dims);
	return 0;
}

int prep_transpose(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t perm[IR_MAX_RANK], xs[IR_MAX_RANK], ss[IR_MAX_RANK], ds[IR_MAX_RANK];
	int n = ir_attr_ints(g, node, "perm", perm, IR_MAX_RANK);

	lw_strides(x->rank, x->dims, xs);
	lw_strides(y->rank, y->dims, ds);
	for (int i = 0; i < n; i++)
		ss[i] = xs[perm[i]];
	return lw_copy(g, node, L, dt_size(x->dtype), n, y->dims, ss, ds, 0, 0, A_IN(0), A_OUT(0));
}

int shape_concat(Graph *g, int node)
{
	Node *n = &g->n[node];
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	int axis;

	if (ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis))
		return -1;
	memcpy(dims, x->dims, sizeof dims);
	dims[axis] = 0;
	for (int k = 0; k < n->nin; k++) {
		Tensor *t = in_t(g, node, k);
		if (t->rank != x->rank || t->dtype != x->dtype) {
			ir_error(g, node, "input %d differs in rank or element type", k);
			return -1;
		}
		for (int i = 0; i < x->rank; i++) {
			if (i != axis && t->dims[i] != x->dims[i]) {
				ir_error(g, node, "input %d differs in dimension %d", k, i);
				return -1;
			}
		}
		dims[axis] += t->dims[axis];
	}
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

/* Output k is bytes [off[k], off[k] + its size) of input 0 (contiguous_box): the node
   becomes views of its input, no copies. Not over a constant (kept in flash as
   its own array) and only at offsets the plan aligns buffers to, so every kernel reads
   a view as it reads a buffer. 1 when it did. */
static int lw_views(Graph *g, int node, Lowered *L, int nout, const int64_t *off)
{
	if (ir_is_const(g, ir_in(g, node, 0)))
		return 0;
	for (int k = 0; k < nout; k++)
		if (off[k] % PLAN_ALIGN)
			return 0;
	L->alias = 0;
	L->view_off = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(nout + 1));
	memcpy(L->view_off, off, sizeof(int64_t) * (size_t)nout);
	return 1;
}

/* the byte offset of the box start[0..rank) + len[0..rank) of x when it is one
   contiguous run of x's bytes (every axis before the first partial one has one index,
   every axis after it is whole), else -1 */
static int64_t contiguous_box(const Tensor *x, const int64_t *start, const int64_t *len)
{
	int64_t xs[IR_MAX_RANK], off = 0;
	int a = 0;

	lw_strides(x->rank, x->dims, xs);
	while (a < x->rank && len[a] == 1)
		a++;
	for (int i = a + 1; i < x->rank; i++)
		if (len[i] != x->dims[i])
			return -1;
	for (int i = 0; i < x->rank; i++)
		off += start[i] * xs[i];
	return off * dt_size(x->dtype);
}

/* the same for a part of x's shape but along axis, from index at there: a Split's
   output, a Concat's input */
static int64_t contiguous_part(const Tensor *x, int axis, int64_t at, const Tensor *part)
{
	int64_t start[IR_MAX_RANK] = {0};

	start[axis] = at;
	return contiguous_box(x, start, part->dims);
}

int prep_concat(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	Tensor *y = out_t(g, node, 0);
	int64_t ds[IR_MAX_RANK], at = 0;
	int axis;

	ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), y->rank, &axis);
	lw_strides(y->rank, y->dims, ds);
	L->into_off = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(n->nin + 1));
	for (int k = 0; k < n->nin; k++) {
		Tensor *t = in_t(g, node, k);
		int64_t ss[IR_MAX_RANK], off = ir_numel(t) ? contiguous_part(y, axis, at, t) : 0;
		lw_strides(t->rank, t->dims, ss);
		if (ir_numel(t) && lw_copy(g, node, L, dt_size(t->dtype), t->rank, t->dims, ss, ds,
					     0, at * ds[axis], A_IN(k), A_OUT(0)))
			return -1;
		if (off < 0 || off % PLAN_ALIGN) /* not every part its own run of the output */
			L->into_off = NULL;
		if (L->into_off)
			L->into_off[k] = off;
		at += t->dims[axis];
	}
	return 0;
}

int shape_split(Graph *g, int node)
{
	Node *n = &g->n[node];
	Tensor *x = in_t(g, node, 0);
	int64_t split[64], dims[IR_MAX_RANK], total = 0;
	int axis, count = ir_const_ints(g, node, ir_in(g, node, 1), split, 64);

	if (count < 0 || ir_norm_axis(g, node, ir_attr_int(g, node, "axis", 0), x->rank, &axis))
		return -1;
	if (!has_in(g, node, 1)) { /* equal parts; the last smaller when uneven (opset 18) */
		int64_t parts = ir_attr_int(g, node, "num_outputs", n->nout), chunk;
		if (parts != n->nout) {
			ir_error(g, node, "num_outputs is %lld, but the node has %d outputs",
				 (long long)parts, n->nout);
			return -1;
		}
		chunk = (x->dims[axis] + parts - 1) / parts;
		count = n->nout;
		for (int k = 0; k < count; k++) {
			int64_t left = x->dims[axis] - k * chunk;
			split[k] = left < 0 ? 0 : left < chunk ? left : chunk;
		}
	}
	if (count != n->nout) {
		ir_error(g, node, "split has %d parts for %d outputs", count, n->nout);
		return -1;
	}
	for (int k = 0; k < count; k++) {
		if (split[k] < 0 || split[k] > x->dims[axis]) {
			ir_error(g, node, "split size %lld does not fit axis %d of size %lld",
				 (long long)split[k], axis, (long long)x->dims[axis]);
			return -1;
		}
		total += split[k];
	}
	if (total != x->dims[axis]) {
		ir_error(g, node, "split sizes add up to %lld, not %lld", (long long)total,
			 (long long)x->dims[axis]);
		return -1;
	}
	memcpy(dims, x->dims, sizeof dims);
	for (int k = 0; k < count; k++) {
		dims[axis] = split[k];
		set_out(g, node, k, x->dtype, x->rank, dims);
	}
	ir_attr_set_int(g, node, "axis", axis);
	return 0;
}

int prep_split(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	Tensor *x = in_t(g, node, 0);
	int64_t ss[IR_MAX_RANK], at = 0;
	int64_t *off = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(n->nout + 1));
	int axis = (int)ir_attr_int(g, node, "axis", 0), views = 1;

	lw_strides(x->rank, x->dims, ss);
	for (int k = 0; k < n->nout; k++) {
		off[k] = n->out[k] >= 0 ? contiguous_part(x, axis, at, out_t(g, node, k)) : 0;
		views &= off[k] >= 0;
		at += n->out[k] >= 0 ? out_t(g, node, k)->dims[axis] : 0;
	}
	at = 0;
	if (views && lw_views(g, node, L, n->nout, off))
		return 0;
	for (int k = 0; k < n->nout; k++) {
		Tensor *t;
		int64_t ds[IR_MAX_RANK];
		if (n->out[k] < 0)
			continue;
		t = out_t(g, node, k);
		lw_strides(t->rank, t->dims, ds);
		if (ir_numel(t) && lw_copy(g, node, L, dt_size(x->dtype), t->rank, t->dims, ss, ds,
					     at * ss[axis], 0, A_IN(0), A_OUT(k)))
			return -1;
		at += t->dims[axis];
	}
	return 0;
}

/* Slice parameters normalised per input axis: start, step and output length. */
static int slice_params(Graph *g, int node, int64_t *start, int64_t *step, int64_t *len)
{
	Tensor *x = in_t(g, node, 0);
	int64_t starts[IR_MAX_RANK], ends[IR_MAX_RANK], axes[IR_MAX_RANK], steps[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), starts, IR_MAX_RANK);
	int ne = ir_const_ints(g, node, ir_in(g, node, 2), ends, IR_MAX_RANK);
	int na = ir_const_ints(g, node, ir_in(g, node, 3), axes, IR_MAX_RANK);
	int ns = ir_const_ints(g, node, ir_in(g, node, 4), steps, IR_MAX_RANK);
	int mask[IR_MAX_RANK];

	if (n < 0 || ne < 0 || na < 0 || ns < 0)
		return -1;
	if (!has_in(g, node, 3))
		for (na = 0; na < n; na++)
			axes[na] = na;
	if (!has_in(g, node, 4))
		for (ns = 0; ns < n; ns++)
			steps[ns] = 1;
	if (ne != n || na != n || ns != n) {
		ir_error(g, node, "starts, ends, axes and steps differ in length");
		return -1;
	}
	if (axes_mask(g, node, axes, n, x->rank, mask))
		return -1;
	for (int i = 0; i < x->rank; i++)
		start[i] = 0, step[i] = 1, len[i] = x->dims[i];
	for (int i = 0; i < n; i++) {
		int a = (int)(axes[i] < 0 ? axes[i] + x->rank : axes[i]);
		int64_t d = x->dims[a], s = starts[i], e = ends[i], st = steps[i];
		if (st == 0) {
			ir_error(g, node, "step is zero");
			return -1;
		}
		if (s < 0)
			s += d;
		if (e < 0)
			e += d;
		/* the spec clamps starts to [0, d-1] when stepping back (a start before
		   the axis still takes element 0), ends to [-1, d-1]; the lengths are
		   written so that steps near INT64_MIN or INT64_MAX cannot overflow */
		if (st > 0) {
			s = s < 0 ? 0 : s > d ? d : s;
			e = e < 0 ? 0 : e > d ? d : e;
			len[a] = e > s ? (e - s - 1) / st + 1 : 0;
		} else {
			s = s < 0 ? 0 : s;
			s = s > d - 1 ? d - 1 : s; /* -1 on an empty axis: nothing taken */
			e = e < -1 ? -1 : e > d - 1 ? d - 1 : e;
			len[a] = s > e ? (e - s + 1) / st + 1 : 0;
		}
		start[a] = len[a] ? s : 0;
		step[a] = st;
	}
	return 0;
}

int ir_slice_box(Graph *g, int node, int64_t *start, int64_t *step, int64_t *len)
{
	return slice_params(g, node, start, step, len);
}

int shape_slice(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t start[IR_MAX_RANK], step[IR_MAX_RANK], len[IR_MAX_RANK];

	if (slice_params(g, node, start, step, len))
		return -1;
	set_out(g, node, 0, x->dtype, x->rank, len);
	return 0;
}

int prep_slice(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t start[IR_MAX_RANK], step[IR_MAX_RANK], len[IR_MAX_RANK];
	int64_t xs[IR_MAX_RANK], ss[IR_MAX_RANK], ds[IR_MAX_RANK], off = 0;
	int unit = 1; /* every axis of step 1 (or of one element) */

	if (slice_params(g, node, start, step, len))
		return -1;
	if (!ir_numel(y))
		return 0;
	for (int i = 0; i < x->rank; i++)
		unit &= step[i] == 1 || len[i] == 1;
	if (unit && (off = contiguous_box(x, start, len)) >= 0 && lw_views(g, node, L, 1, &off))
		return 0;
	off = 0;
	lw_strides(x->rank, x->dims, xs);
	lw_strides(y->rank, y->dims, ds);
	for (int i = 0; i < x->rank; i++) {
		ss[i] = len[i] > 1 ? xs[i] * step[i] : 0; /* a lone element: any step, unused */
		off += start[i] * xs[i];
	}
	return lw_copy(g, node, L, dt_size(x->dtype), y->rank, y->dims, ss, ds, off, 0, A_IN(0),
			 A_OUT(0));
}

int shape_expand(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t shape[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), shape, IR_MAX_RANK);
	int rank = n > x->rank ? n : x->rank;

	if (n < 0)
		return -1;
	/* bidirectional broadcast of x's shape with the requested one */
	for (int i = 0; i < rank; i++) {
		int j = i - (rank - x->rank), k = i - (rank - n);
		int64_t a = j >= 0 ? x->dims[j] : 1, b = k >= 0 ? shape[k] : 1;
		if (a != b && a != 1 && b != 1) {
			ir_error(g, node, "cannot expand dimension %lld to %lld", (long long)a,
				 (long long)b);
			return -1;
		}
		dims[i] = a == 1 ? b : a;
	}
	set_out(g, node, 0, x->dtype, rank, dims);
	return 0;
}

/* src strides of x broadcast into the box of y: 0 where x has size 1 */
static void bcast_strides(const Tensor *x, const Tensor *y, int64_t *ss)
{
	int64_t xs[IR_MAX_RANK];

	lw_strides(x->rank, x->dims, xs);
	for (int i = 0; i < y->rank; i++) {
		int j = i - (y->rank - x->rank);
		ss[i] = j < 0 || x->dims[j] == 1 ? 0 : xs[j];
	}
}

int prep_expand(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t ss[IR_MAX_RANK], ds[IR_MAX_RANK];

	if (!ir_numel(y))
		return 0;
	bcast_strides(x, y, ss);
	lw_strides(y->rank, y->dims, ds);
	return lw_copy(g, node, L, dt_size(x->dtype), y->rank, y->dims, ss, ds, 0, 0, A_IN(0),
			 A_OUT(0));
}

int shape_tile(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t rep[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), rep, IR_MAX_RANK);

	if (n < 0)
		return -1;
	if (n != x->rank) {
		ir_error(g, node, "repeats has %d values for rank %d", n, x->rank);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (rep[i] < 0 || rep[i] > INT32_MAX) { /* the product stays in 64 bits */
			ir_error(g, node, "repeat %lld is negative or too large", (long long)rep[i]);
			return -1;
		}
		dims[i] = x->dims[i] * rep[i];
	}
	set_out(g, node, 0, x->dtype, n, dims);
	return 0;
}

/* Tile as one copy: each axis becomes (repeat, size) with source strides (0, stride). */
int prep_tile(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t xs[IR_MAX_RANK], dims[2 * IR_MAX_RANK], ss[2 * IR_MAX_RANK], ds[2 * IR_MAX_RANK];
	int r = 2 * x->rank;

	if (!ir_numel(y))
		return 0;
	lw_strides(x->rank, x->dims, xs);
	for (int i = 0; i < x->rank; i++) {
		dims[2 * i] = y->dims[i] / (x->dims[i] ? x->dims[i] : 1);
		dims[2 * i + 1] = x->dims[i];
		ss[2 * i] = 0;
		ss[2 * i + 1] = xs[i];
	}
	lw_strides(r, dims, ds);
	return lw_copy(g, node, L, dt_size(x->dtype), r, dims, ss, ds, 0, 0, A_IN(0), A_OUT(0));
}

/* pads[0..rank) are the begin pads, pads[rank..2 rank) the end pads, per axis */
static int pad_params(Graph *g, int node, int64_t *pads)
{
	Tensor *x = in_t(g, node, 0);
	int64_t raw[2 * IR_MAX_RANK], axes[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), raw, 2 * IR_MAX_RANK);
	int na = ir_const_ints(g, node, ir_in(g, node, 3), axes, IR_MAX_RANK), mask[IR_MAX_RANK];

	if (n < 0 || na < 0)
		return -1;
	if (!has_in(g, node, 3))
		for (na = 0; na < x->rank; na++)
			axes[na] = na;
	if (n != 2 * na) {
		ir_error(g, node, "pads has %d values for %d axes", n, na);
		return -1;
	}
	if (axes_mask(g, node, axes, na, x->rank, mask))
		return -1;
	for (int i = 0; i < n; i++) {
		if (raw[i] > INT32_MAX || raw[i] < -INT32_MAX) { /* sums stay in int64 */
			ir_error(g, node, "pad %lld is out of range", (long long)raw[i]);
			return -1;
		}
	}
	memset(pads, 0, sizeof(int64_t) * 2 * IR_MAX_RANK);
	for (int i = 0; i < na; i++) {
		int a = (int)(axes[i] < 0 ? axes[i] + x->rank : axes[i]);
		pads[a] = raw[i];
		pads[x->rank + a] = raw[na + i];
	}
	return 0;
}

/* Negative pads crop: per axis, how much of x survives, and the positive pads */
static int64_t pad_kept(const Tensor *x, const int64_t *pads, int i, int64_t *lo, int64_t *hi)
{
	int64_t b = pads[i], e = pads[x->rank + i];

	*lo = b > 0 ? b : 0;
	*hi = e > 0 ? e : 0;
	return x->dims[i] + (b < 0 ? b : 0) + (e < 0 ? e : 0);
}

int shape_pad(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t pads[2 * IR_MAX_RANK], dims[IR_MAX_RANK], lo, hi, kept;
	const char *mode = ir_attr_str(g, node, "mode", "constant");

	if (strcmp(mode, "constant") && strcmp(mode, "reflect") && strcmp(mode, "edge") &&
	    strcmp(mode, "wrap")) {
		ir_error(g, node, "pad mode '%s' is not supported", mode);
		return -1;
	}
	if (pad_params(g, node, pads))
		return -1;
	for (int i = 0; i < x->rank; i++) {
		kept = pad_kept(x, pads, i, &lo, &hi);
		dims[i] = kept + lo + hi;
		if (kept < 0) {
			ir_error(g, node, "pads remove more than axis %d holds", i);
			return -1;
		}
		/* the other modes pad from what cropping left */
		if (strcmp(mode, "constant") && (lo || hi) && kept < (strcmp(mode, "reflect") ? 1 : 2)) {
			ir_error(g, node, "%s padding of axis %d needs more elements", mode, i);
			return -1;
		}
	}
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

/* source row along an axis of d kept elements for output row q (x coordinates) */
static int64_t pad_source(const char *mode, int64_t q, int64_t d)
{
	int64_t period = 2 * (d - 1), src;

	if (!strcmp(mode, "edge"))
		return q < 0 ? 0 : d - 1;
	if (!strcmp(mode, "wrap")) /* the data as a torus, for pads of any width */
		return ((q % d) + d) % d;
	src = ((q % period) + period) % period; /* reflect, repeated when wider than d */
	return src >= d ? period - src : src;
}

/* copies n rows along axis a of y (dims: the box of one row) from row `from` to row `to` */
static int pad_rows(Graph *g, int node, Lowered *L, int es, int r, int64_t *dims,
		    const int64_t *ys, int64_t base, int a, int64_t from, int64_t to, int64_t n)
{
	dims[a] = n;
	return lw_copy(g, node, L, es, r, dims, ys, ys, base + from * ys[a], base + to * ys[a],
		       A_OUT(0), A_OUT(0));
}

/* The pads of axis a, on both sides of the box rows [lo, lo + d) of y. Row by row while
   they are near the box; beyond, the rows repeat with a period (2 (d - 1) for reflect,
   d for wrap: of the whole axis; 1 for edge: of the pad itself), so a block of whole
   periods already written is copied next to itself, doubling: a pad of n rows takes
   O(period + log n) calls, not n. */
static int pad_axis(Graph *g, int node, Lowered *L, const char *mode, int es, int r,
		    int64_t *dims, const int64_t *ys, int64_t base, int a, int64_t lo, int64_t d,
		    int64_t hi)
{
	int edge = !strcmp(mode, "edge");
	int64_t period = edge ? 1 : !strcmp(mode, "wrap") ? d : 2 * (d - 1);
	int64_t s = lo, e = lo + d; /* rows [s, e) are written; periodic rows begin at lo
				       (or, for edge, at the pad) */

	while (s > 0) { /* the low side, nearest row first */
		int64_t span = ((edge ? lo : lo + d) - s) / period * period;
		int64_t len = span < s ? span : s;
		if (!span && pad_rows(g, node, L, es, r, dims, ys, base, a,
				      lo + pad_source(mode, s - 1 - lo, d), s - 1, 1))
			return -1;
		if (span && pad_rows(g, node, L, es, r, dims, ys, base, a, s - len + span, s - len,
				     len))
			return -1;
		s -= span ? len : 1;
	}
	while (e < lo + d + hi) { /* the high side */
		int64_t span = (e - (edge ? lo + d : lo)) / period * period;
		int64_t rest = lo + d + hi - e, len = span < rest ? span : rest;
		if (!span && pad_rows(g, node, L, es, r, dims, ys, base, a,
				      lo + pad_source(mode, e - lo, d), e, 1))
			return -1;
		if (span && pad_rows(g, node, L, es, r, dims, ys, base, a, e - span, e, len))
			return -1;
		e += span ? len : 1;
	}
	return 0;
}

/* Negative pads crop x first (the spec; the reference slices, then pads).
   Constant mode: fill the output, then copy the kept part of x inside.
   reflect, edge, wrap: the kept part is copied, then each axis, innermost first, pads
   one row at a time from rows already in y, over the box valid in the other axes. */
int prep_pad(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	const char *mode = ir_attr_str(g, node, "mode", "constant");
	int64_t pads[2 * IR_MAX_RANK], xs[IR_MAX_RANK], ys[IR_MAX_RANK], box[IR_MAX_RANK];
	int64_t lo[IR_MAX_RANK], hi[IR_MAX_RANK], soff = 0, doff = 0;
	int r = x->rank, es = dt_size(x->dtype);

	if (pad_params(g, node, pads))
		return -1;
	if (!ir_numel(y))
		return 0;
	lw_strides(r, x->dims, xs);
	lw_strides(r, y->dims, ys);
	for (int i = 0; i < r; i++) {
		box[i] = pad_kept(x, pads, i, &lo[i], &hi[i]);
		soff += (pads[i] < 0 ? -pads[i] : 0) * xs[i];
		doff += lo[i] * ys[i];
	}
	if (!strcmp(mode, "constant")) {
		unsigned char val[8] = {0}; /* pads before opset 11 carry the value as attribute */
		dt_set(x->dtype, val, 0, ir_attr_float(g, node, "value", 0.0f));
		if (ir_numel(y) != prod(box, 0, r) || prod(box, 0, r) == 0)
			lw_fill(g, node, L, ir_numel(y), es, has_in(g, node, 2) ? A_IN(2) :
				  A_CST(lw_const(g, L, x->dtype, 1, val)), A_OUT(0));
		return prod(box, 0, r) ? lw_copy(g, node, L, es, r, box, xs, ys, soff, doff,
						   A_IN(0), A_OUT(0)) : 0;
	}
	if (lw_copy(g, node, L, es, r, box, xs, ys, soff, doff, A_IN(0), A_OUT(0)))
		return -1;
	for (int a = r - 1; a >= 0; a--) {
		int64_t dims[IR_MAX_RANK], base = 0;
		for (int i = 0; i < r; i++) {
			dims[i] = i < a ? box[i] : y->dims[i];
			base += i < a ? lo[i] * ys[i] : 0;
		}
		if (pad_axis(g, node, L, mode, es, r, dims, ys, base, a, lo[a], box[a], hi[a]))
			return -1;
	}
	return 0;
}

/* ---- depth and space shuffles ---- */

static int block_size(Graph *g, int node)
{
	int64_t b = ir_attr_int(g, node, "blocksize", 0);
	if (b < 1 || b > 65536) { /* an upper bound keeps b * b * dims in int64 */
		ir_error(g, node, "blocksize %lld is not in [1, 65536]", (long long)b);
		return -1;
	}
	return (int)b;
}

int shape_depth_to_space(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int b = block_size(g, node);
	int64_t dims[4];

	if (b < 0)
		return -1;
	if (x->rank != 4 || x->dims[1] % ((int64_t)b * b)) {
		ir_error(g, node, "input must be NCHW with C divisible by blocksize^2");
		return -1;
	}
	dims[0] = x->dims[0];
	dims[1] = x->dims[1] / ((int64_t)b * b);
	dims[2] = x->dims[2] * b;
	dims[3] = x->dims[3] * b;
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

/* y[n, c, h*b + i, w*b + j] = x[n, DCR ? (i*b + j)*C' + c : (c*b + i)*b + j, h, w];
   as a copy over y's box (n, c, h, i, w, j) in order. */
int prep_depth_to_space(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t b = block_size(g, node), C = y->dims[1], H = x->dims[2], W = x->dims[3];
	int64_t hw = H * W, dims[6] = {x->dims[0], C, H, b, W, b}, ss[6], ds[6];
	int crd = !strcmp(ir_attr_str(g, node, "mode", "DCR"), "CRD");

	ss[0] = x->dims[1] * hw;
	ss[1] = crd ? b * b * hw : hw;
	ss[2] = W;
	ss[3] = crd ? b * hw : b * C * hw;
	ss[4] = 1;
	ss[5] = crd ? hw : C * hw;
	lw_strides(6, dims, ds);
	return lw_copy(g, node, L, dt_size(x->dtype), 6, dims, ss, ds, 0, 0, A_IN(0), A_OUT(0));
}

int shape_space_to_depth(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int b = block_size(g, node);
	int64_t dims[4];

	if (b < 0)
		return -1;
	if (x->rank != 4 || x->dims[2] % b || x->dims[3] % b) {
		ir_error(g, node, "input must be NCHW with H and W divisible by blocksize");
		return -1;
	}
	dims[0] = x->dims[0];
	dims[1] = x->dims[1] * b * b;
	dims[2] = x->dims[2] / b;
	dims[3] = x->dims[3] / b;
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

/* y[n, (i*b + j)*C + c, h, w] = x[n, c, h*b + i, w*b + j]: a copy over y's box
   (n, i, j, c, h, w) in order. */
int prep_space_to_depth(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	int64_t b = block_size(g, node), C = x->dims[1], H = x->dims[2], W = x->dims[3];
	int64_t dims[6] = {x->dims[0], b, b, C, y->dims[2], y->dims[3]}, ss[6], ds[6];

	ss[0] = C * H * W;
	ss[1] = W;
	ss[2] = 1;
	ss[3] = H * W;
	ss[4] = b * W;
	ss[5] = b;
	lw_strides(6, dims, ds);
	return lw_copy(g, node, L, dt_size(x->dtype), 6, dims, ss, ds, 0, 0, A_IN(0), A_OUT(0));
}

/* ---- PatchRows (internal, passes/patch.c): X [N, C, rows, W] written at row `start` of
   a tensor of `height` rows, over acc (input 1: what the bands before wrote) or, for the
   first band, over zeros ---- */

int shape_patch_rows(Graph *g, int node)
{
	const Tensor *x = in_t(g, node, 0);
	const int64_t start = ir_attr_int(g, node, "start", -1);
	const int64_t height = ir_attr_int(g, node, "height", -1);
	int64_t dims[4];

	if (x->rank != 4 || start < 0 || start > height - x->dims[2]) {
		ir_error(g, node, "rows [%lld, %lld) are not inside %lld", (long long)start,
			 (long long)(start + (x->rank == 4 ? x->dims[2] : 0)), (long long)height);
		return -1;
	}
	memcpy(dims, x->dims, sizeof dims);
	dims[2] = height;
	if (has_in(g, node, 1) && (in_t(g, node, 1)->rank != 4 ||
				   memcmp(in_t(g, node, 1)->dims, dims, sizeof dims))) {
		ir_error(g, node, "the tensor written into has another shape");
		return -1;
	}
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

int prep_patch_rows(Graph *g, int node, Lowered *L)
{
	const Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	const int64_t w = x->dims[3], rows = x->dims[2], n = ir_numel(y), one = 1;
	const int64_t dims[2] = {x->dims[0] * x->dims[1], rows * w};
	const int64_t ss[2] = {rows * w, 1}, ds[2] = {y->dims[2] * w, 1};
	const int es = (int)dt_size(x->dtype);

	if (!n)
		return 0;
	if (has_in(g, node, 1)) { /* a copy of nothing when the plan puts y over acc */
		L->inplace = 1;
		if (lw_copy(g, node, L, es, 1, &n, &one, &one, 0, 0, A_IN(1), A_OUT(0)))
			return -1;
	} else {
		lw_zero(g, node, L, 0);
	}
	return lw_copy(g, node, L, es, 2, dims, ss, ds, 0, ir_attr_int(g, node, "start", 0) * w,
		       A_IN(0), A_OUT(0));
}
