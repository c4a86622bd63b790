/* op_resize.c - shape functions and prepares of the resampling ops. Resize (Upsample
   and Resize-10 arrive rewritten into it by the frontend) is decided here: the output
   size and, for each output position of each resized axis, the source indices and
   weights, as constant tables the kernels walk. GridSample, AffineGrid and RoiAlign
   take their coordinates at run time; only their geometry is fixed here. */
#include "lower.h"

#include <math.h>
#include <string.h>

/* ---- Resize: attributes and output size ---- */

enum { RZ_NEAREST, RZ_LINEAR, RZ_CUBIC };
enum {
	CT_HALF_PIXEL, CT_HALF_PIXEL_SYMMETRIC, CT_PYTORCH_HALF_PIXEL, CT_ALIGN_CORNERS,
	CT_ASYMMETRIC, CT_TF_HALF_PIXEL_FOR_NN, CT_TF_CROP_AND_RESIZE
};
/* NM_SIMPLE: before opset 11, nearest rounds down when enlarging and up when shrinking
   (what onnxruntime and the exporters of that time assume) */
enum { NM_ROUND_PREFER_FLOOR, NM_ROUND_PREFER_CEIL, NM_FLOOR, NM_CEIL, NM_SIMPLE };

typedef struct {
	int rank;
	int64_t in[IR_MAX_RANK], out[IR_MAX_RANK];
	double scale[IR_MAX_RANK]; /* what the coordinate transform divides by */
	double roi_lo[IR_MAX_RANK], roi_hi[IR_MAX_RANK];
	int mode, coord, nearest, exclude_outside, antialias;
	double cubic_a, extrapolation;
} ResizeSpec;

/* index of attribute `name`'s value among names, or an error and -1 */
static int attr_choice(Graph *g, int node, const char *name, const char *def,
		       const char *const *names, int n)
{
	const char *s = ir_attr_str(g, node, name, def);

	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	ir_error(g, node, "%s '%s' is not supported", name, s);
	return -1;
}

static int resize_attrs(Graph *g, int node, ResizeSpec *r)
{
	/* Upsample-7 allowed "bilinear" and the like for linear */
	static const char *const modes[] = {"nearest", "linear", "cubic", "bilinear", "trilinear"};
	static const char *const coords[] = {"half_pixel", "half_pixel_symmetric",
		"pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn",
		"tf_crop_and_resize"};
	static const char *const nearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor",
		"ceil"};
	int legacy = g->n[node].opset < 11;

	r->mode = attr_choice(g, node, "mode", "nearest", modes, 5);
	r->mode = r->mode > RZ_CUBIC ? RZ_LINEAR : r->mode;
	r->coord = legacy ? CT_ASYMMETRIC : attr_choice(g, node, "coordinate_transformation_mode",
							"half_pixel", coords, 7);
	r->nearest = legacy ? NM_SIMPLE : attr_choice(g, node, "nearest_mode",
						       "round_prefer_floor", nearest, 4);
	r->cubic_a = ir_attr_float(g, node, "cubic_coeff_a", -0.75f);
	r->exclude_outside = ir_attr_int(g, node, "exclude_outside", 0) != 0;
	r->antialias = ir_attr_int(g, node, "antialias", 0) != 0 && r->mode != RZ_NEAREST;
	r->extrapolation = ir_attr_float(g, node, "extrapolation_value", 0.0f);
	return r->mode < 0 || r->coord < 0 || r->nearest < 0 ? -1 : 0;
}

/* the axes the roi, scales and sizes inputs speak of; their count, or -1 */
static int resize_axes(Graph *g, int node, int rank, int64_t *axes)
{
	int n = ir_attr_ints(g, node, "axes", axes, IR_MAX_RANK), seen[IR_MAX_RANK] = {0};

	if (n < 0) {
		for (n = 0; n < rank; n++)
			axes[n] = n;
		return n;
	}
	for (int i = 0; i < n; i++) {
		int a;
		if (ir_norm_axis(g, node, axes[i], rank, &a))
			return -1;
		if (seen[a]++) {
			ir_error(g, node, "axis %lld is repeated", (long long)axes[i]);
			return -1;
		}
		axes[i] = a;
	}
	return n;
}

/* a float input as doubles: its count (0 when absent or empty), or -1 */
static int const_doubles(Graph *g, int node, int k, double *out, int max)
{
	const Tensor *t;
	int64_t n;

	if (!has_in(g, node, k))
		return 0;
	if (ir_need_const(g, node, k))
		return -1;
	t = in_t(g, node, k);
	n = ir_numel(t);
	if (n > max) {
		ir_error(g, node, "'%s' has %lld values, at most %d expected", t->name,
			 (long long)n, max);
		return -1;
	}
	for (int64_t i = 0; i < n; i++)
		out[i] = dt_get(t->dtype, t->data, i);
	return (int)n;
}

static int from_scales(Graph *g, int node, ResizeSpec *r, const int64_t *axes, int na,
		       const double *scales)
{
	for (int i = 0; i < na; i++) {
		int a = (int)axes[i];
		double y = floor(scales[i] * (double)r->in[a]);
		if (!(scales[i] > 0) || !(y < INT32_MAX)) {
			ir_error(g, node, "scale %g of axis %d is not supported", scales[i], a);
			return -1;
		}
		r->scale[a] = scales[i];
		r->out[a] = (int64_t)y;
	}
	return 0;
}

/* keep_aspect_ratio_policy: one scale for all the axes, the smallest (not_larger) or
   the largest (not_smaller), and sizes rounded half up from it */
static int from_sizes(Graph *g, int node, ResizeSpec *r, const int64_t *axes, int na,
		      const int64_t *sizes)
{
	static const char *const policies[] = {"stretch", "not_larger", "not_smaller"};
	int policy = attr_choice(g, node, "keep_aspect_ratio_policy", "stretch", policies, 3);
	double keep = policy == 1 ? INFINITY : 0;

	if (policy < 0)
		return -1;
	for (int i = 0; i < na; i++) {
		int a = (int)axes[i];
		if (sizes[i] < 0 || sizes[i] > INT32_MAX || (r->in[a] == 0 && sizes[i] != 0)) {
			ir_error(g, node, "size %lld of axis %d is not supported",
				 (long long)sizes[i], a);
			return -1;
		}
		r->out[a] = sizes[i];
		r->scale[a] = r->in[a] ? (double)sizes[i] / (double)r->in[a] : 1.0;
		keep = policy == 1 ? fmin(keep, r->scale[a]) : fmax(keep, r->scale[a]);
	}
	for (int i = 0; i < na && policy > 0; i++) {
		int a = (int)axes[i];
		r->scale[a] = keep;
		r->out[a] = (int64_t)(keep * (double)r->in[a] + 0.5);
	}
	return 0;
}

/* everything Resize decides at compile time, from attributes and constant inputs
   (X, roi, scales, sizes) */
static int resize_spec(Graph *g, int node, ResizeSpec *r)
{
	const Tensor *x = in_t(g, node, 0);
	int64_t axes[IR_MAX_RANK], sizes[IR_MAX_RANK];
	double scales[IR_MAX_RANK], roi[2 * IR_MAX_RANK];
	int na, nr = 0, ns, nz;

	memset(r, 0, sizeof *r);
	r->rank = x->rank;
	for (int i = 0; i < x->rank; i++) {
		r->in[i] = r->out[i] = x->dims[i];
		r->scale[i] = 1;
		r->roi_hi[i] = 1;
	}
	if (resize_attrs(g, node, r))
		return -1;
	na = resize_axes(g, node, x->rank, axes);
	if (r->coord == CT_TF_CROP_AND_RESIZE) /* the roi means nothing to the other modes */
		nr = const_doubles(g, node, 1, roi, 2 * IR_MAX_RANK);
	ns = const_doubles(g, node, 2, scales, IR_MAX_RANK);
	nz = ir_const_ints(g, node, ir_in(g, node, 3), sizes, IR_MAX_RANK);
	if (na < 0 || nr < 0 || ns < 0 || nz < 0)
		return -1;
	if ((ns > 0) == (nz > 0) || (ns ? ns : nz) != na) {
		ir_error(g, node, "needs either scales or sizes, with one value per axis (%d)", na);
		return -1;
	}
	if (r->coord == CT_TF_CROP_AND_RESIZE && nr != 2 * na) {
		ir_error(g, node, "tf_crop_and_resize needs a roi of %d values", 2 * na);
		return -1;
	}
	for (int i = 0; i < na && nr; i++) {
		r->roi_lo[axes[i]] = roi[i];
		r->roi_hi[axes[i]] = roi[na + i];
	}
	return ns ? from_scales(g, node, r, axes, na, scales) : from_sizes(g, node, r, axes, na, sizes);
}

int shape_resize(Graph *g, int node)
{
	ResizeSpec r;

	if (resize_spec(g, node, &r))
		return -1;
	set_out(g, node, 0, in_t(g, node, 0)->dtype, r.rank, r.out);
	return 0;
}

/* ---- Resize: source positions and weights of each axis ---- */

/* Per output position of one axis: `taps` source positions and weights (unused taps
   weigh 0), and whether the position lies outside the roi (tf_crop_and_resize). */
typedef struct {
	int taps;
	int32_t *index; /* [out * taps] */
	double *weight; /* [out * taps] */
	char *outside;  /* [out] */
} AxisTaps;

/* where output position j of axis a samples x, as the ONNX reference computes it (the
   resized length is scale * in, not the rounded output size) */
static double source_coord(const ResizeSpec *r, int a, int64_t j, char *outside)
{
	double in = (double)r->in[a], s = r->scale[a], len = s * in, x = (double)j, lo, hi, v;

	switch (r->coord) {
	case CT_HALF_PIXEL_SYMMETRIC:
		return in / 2 * (1 - (double)r->out[a] / len) + (x + 0.5) / s - 0.5;
	case CT_PYTORCH_HALF_PIXEL:
		return len == 1 ? -0.5 : (x + 0.5) / s - 0.5;
	case CT_ALIGN_CORNERS:
		return len == 1 ? 0 : x * (in - 1) / (len - 1);
	case CT_ASYMMETRIC:
		return x / s;
	case CT_TF_HALF_PIXEL_FOR_NN:
		return (x + 0.5) / s;
	case CT_TF_CROP_AND_RESIZE:
		lo = r->roi_lo[a];
		hi = r->roi_hi[a];
		v = len == 1 ? (hi - lo) * (in - 1) / 2 : x * (hi - lo) * (in - 1) / (len - 1);
		v += lo * (in - 1);
		*outside = v < 0 || v > in - 1;
		return v;
	default:
		return (x + 0.5) / s - 0.5;
	}
}

/* how many neighbours the interpolation reads: 2 (linear), 4 (cubic), more when
   antialiasing widens the kernel while shrinking */
static int footprint(const ResizeSpec *r, double scale)
{
	double s = fmin(scale, 1.0);

	if (r->mode == RZ_NEAREST)
		return 1;
	if (!r->antialias)
		return r->mode == RZ_LINEAR ? 2 : 4;
	return 2 - 2 * (int)(floor((r->mode == RZ_LINEAR ? -1 : -2) / s) + 1);
}

static double cubic_kernel(double x, double A)
{
	double x2, x3;

	x = fabs(x);
	x2 = x * x;
	x3 = x * x2;
	if (x <= 1)
		return (A + 2) * x3 - (A + 3) * x2 + 1;
	if (x < 2)
		return A * x3 - 5 * A * x2 + 8 * A * x - 4 * A;
	return 0;
}

/* the n coefficients of neighbours base + 1 - n/2 .. base + n/2, the sample being
   `ratio` (in (0, 1]) past base */
static void coeffs(const ResizeSpec *r, double scale, double ratio, int n, double *c)
{
	double s = fmin(scale, 1.0), A = r->cubic_a, sum = 0, t;

	if (!r->antialias && r->mode == RZ_LINEAR) {
		c[0] = 1 - ratio;
		c[1] = ratio;
		return;
	}
	if (!r->antialias) { /* Keys' cubic, spelled as the reference does */
		t = 1 - ratio;
		c[0] = ((A * (ratio + 1) - 5 * A) * (ratio + 1) + 8 * A) * (ratio + 1) - 4 * A;
		c[1] = ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1;
		c[2] = ((A + 2) * t - (A + 3)) * t * t + 1;
		c[3] = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
		return;
	}
	for (int k = 0; k < n; k++) { /* the kernel stretched by 1 / scale, normalised */
		double d = (k + 1 - n / 2 - ratio) * s;
		c[k] = r->mode == RZ_LINEAR ? fmax(0, 1 - fabs(d)) : cubic_kernel(d, A);
		sum += c[k];
	}
	for (int k = 0; k < n; k++)
		c[k] /= sum;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* the neighbour nearest mode picks, ratio being how far x lies past base */
static int64_t nearest_pick(const ResizeSpec *r, int a, int64_t base, double ratio)
{
	if (ratio == 1)
		return base + 1;
	switch (r->nearest) {
	case NM_ROUND_PREFER_CEIL: return ratio < 0.5 ? base : base + 1;
	case NM_FLOOR: return base;
	case NM_CEIL: return base + 1;
	case NM_SIMPLE: return r->scale[a] < 1 ? base + 1 : base;
	default: return ratio <= 0.5 ? base : base + 1;
	}
}

/* adds weight v at source position at, merging equal positions; returns the count */
static int add_tap(int32_t *idx, double *w, int m, int32_t at, double v)
{
	int i = 0;

	while (i < m && idx[i] != at)
		i++;
	if (i == m) {
		idx[m] = at;
		w[m++] = 0;
	}
	w[i] += v;
	return m;
}

/* drops the taps of weight 0; returns the count, at least 1 (the first tap stays,
   weighing 0, when all are 0) */
static int drop_zero_taps(int32_t *idx, double *w, int m)
{
	int kept = 0;

	for (int k = 0; k < m; k++) {
		if (w[k] != 0) {
			idx[kept] = idx[k];
			w[kept++] = w[k];
		}
	}
	return kept ? kept : 1;
}

/* taps of the output position that samples x: clamped to the axis (the edge repeats,
   as the reference's edge padding does), equal positions merged, zero weights
   dropped; returns their count. c is room for n coefficients. */
static int position_taps(const ResizeSpec *r, int a, double x, int n, double *c,
			 int32_t *idx, double *w)
{
	int64_t base, last = r->in[a] - 1;
	double ratio, sum = 0;
	int m = 0;

	x = x > -1e9 ? fmin(x, 1e9) : -1e9; /* a wild roi (or NaN) clamps like any far point */
	base = (int64_t)ceil(x) - 1;
	ratio = x - (double)base;
	if (r->mode == RZ_NEAREST) {
		idx[0] = (int32_t)clamp64(nearest_pick(r, a, base, ratio), 0, last);
		w[0] = 1;
		return 1;
	}
	coeffs(r, r->scale[a], ratio, n, c);
	for (int k = 0; k < n && r->exclude_outside; k++) {
		int64_t at = base + 1 - n / 2 + k;
		c[k] = at < 0 || at > last ? 0 : c[k];
		sum += c[k];
	}
	for (int k = 0; k < n; k++)
		m = add_tap(idx, w, m, (int32_t)clamp64(base + 1 - n / 2 + k, 0, last),
			    r->exclude_outside ? c[k] / sum : c[k]);
	return drop_zero_taps(idx, w, m);
}

static void axis_taps(Graph *g, const ResizeSpec *r, int a, AxisTaps *t)
{
	int64_t out = r->out[a];
	int n = footprint(r, r->scale[a]);
	int32_t *idx = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)(out * n + 1));
	double *w = arena_alloc(&g->arena, sizeof(double) * (size_t)(out * n + 1));
	double *c = arena_alloc(&g->arena, sizeof(double) * (size_t)n);
	int *cnt = arena_alloc(&g->arena, sizeof(int) * (size_t)(out + 1));

	t->outside = arena_alloc(&g->arena, (size_t)out + 1);
	t->taps = 1;
	for (int64_t j = 0; j < out; j++) {
		double x = source_coord(r, a, j, &t->outside[j]);
		cnt[j] = position_taps(r, a, x, n, c, idx + j * n, w + j * n);
		t->taps = cnt[j] > t->taps ? cnt[j] : t->taps;
	}
	/* pack to t->taps per position; padding taps repeat the first with weight 0 */
	t->index = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)(out * t->taps + 1));
	t->weight = arena_alloc(&g->arena, sizeof(double) * (size_t)(out * t->taps + 1));
	for (int64_t j = 0; j < out; j++)
		for (int k = 0; k < t->taps; k++) {
			t->index[j * t->taps + k] = idx[j * n + (k < cnt[j] ? k : 0)];
			t->weight[j * t->taps + k] = k < cnt[j] ? w[j * n + k] : 0;
		}
}

/* one tap of weight 1 per position: a gather along this axis */
static int single_tap(const ResizeSpec *r, int a, const AxisTaps *t)
{
	if (t->taps != 1)
		return 0;
	for (int64_t j = 0; j < r->out[a]; j++)
		if (t->weight[j] != 1)
			return 0;
	return 1;
}

static int identity_axis(const ResizeSpec *r, int a, const AxisTaps *t)
{
	if (r->out[a] != r->in[a] || !single_tap(r, a, t))
		return 0;
	for (int64_t j = 0; j < r->out[a]; j++)
		if (t->index[j] != j || t->outside[j])
			return 0;
	return 1;
}

/* ---- Resize: kernel calls ---- */

static int64_t prod(const int64_t *d, int from, int to)
{
	int64_t n = 1;
	for (int i = from; i < to; i++)
		n *= d[i];
	return n;
}

/* nearest (or every axis a gather): one call over axes first..last; the dims before
   pass through as `outer`, those after as a contiguous `inner` block */
static int resize_gather(Graph *g, int node, Lowered *L, const ResizeSpec *r,
			 const AxisTaps *t, int first, int last)
{
	o2m_resize_gather_params *p = LW_PARAMS(g, o2m_resize_gather_params);
	int64_t xs[IR_MAX_RANK], n = 0;
	int32_t *table;

	for (int a = first; a <= last; a++)
		n += r->out[a];
	table = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)(n + 1));
	lw_strides(r->rank, r->in, xs);
	n = 0;
	for (int a = first; a <= last; a++) {
		p->dims[a - first] = lw_i32(g, node, r->out[a]);
		p->start[a - first] = lw_i32(g, node, n);
		for (int64_t j = 0; j < r->out[a]; j++)
			table[n++] = (int32_t)(t[a].index[j] * xs[a]);
	}
	p->outer = lw_i32(g, node, prod(r->out, 0, first));
	p->in_stride = lw_i32(g, node, prod(r->in, first, r->rank));
	p->rank = last - first + 1;
	p->inner = lw_i32(g, node, prod(r->in, last + 1, r->rank));
	p->elem_size = dt_size(in_t(g, node, 0)->dtype);
	lw_call(g, L, kernel_lookup("o2m_resize_gather"), PT_RESIZE_GATHER, p, 3,
		A_CST(lw_const(g, L, DT_S32, n, table)), A_IN(0), A_OUT(0));
	return 0;
}

/* passes shrink the data first: axes by ratio out / in, innermost first on ties */
static void pass_order(const ResizeSpec *r, int *axes, int n)
{
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0; k--) {
			int a = axes[k - 1], b = axes[k];
			double ra = (double)r->out[a] / (double)r->in[a];
			double rb = (double)r->out[b] / (double)r->in[b];
			if (rb < ra || (rb == ra && b > a)) {
				axes[k - 1] = b;
				axes[k] = a;
			}
		}
}

/* one resample call along axis a of the current shape cur, from src to dst */
static void resample_call(Graph *g, int node, Lowered *L, int k, const AxisTaps *t, int a,
			  int64_t *cur, int rank, int64_t out, Arg src, Arg dst)
{
	o2m_resample_params *p = LW_PARAMS(g, o2m_resample_params);
	DType dt = in_t(g, node, 0)->dtype;
	int64_t inner = prod(cur, a + 1, rank), n = out * t->taps;
	int32_t *idx = arena_alloc(&g->arena, sizeof(int32_t) * (size_t)(n + 1));
	void *w = arena_alloc(&g->arena, (size_t)(n * dt_size(dt) + 1));

	lw_i32(g, node, cur[a] * inner);
	for (int64_t e = 0; e < n; e++) {
		idx[e] = (int32_t)(t->index[e] * inner);
		dt_set(dt, w, e, t->weight[e]);
	}
	p->outer = lw_i32(g, node, prod(cur, 0, a));
	p->in_n = lw_i32(g, node, cur[a]);
	p->out_n = lw_i32(g, node, out);
	p->inner = lw_i32(g, node, inner);
	p->taps = t->taps;
	lw_call(g, L, k, PT_RESAMPLE, p, 4, A_CST(lw_const(g, L, DT_S32, n, idx)),
		A_CST(lw_const(g, L, dt, n, w)), src, dst);
	cur[a] = out;
}

/* linear and cubic: one weighted pass per resized axis, through two scratch buffers */
static int resize_passes(Graph *g, int node, Lowered *L, const ResizeSpec *r,
			 const AxisTaps *t, int *axes, int n)
{
	DType dt = in_t(g, node, 0)->dtype;
	int k = lw_kernel(g, node, "resample", dt), s[2] = {-1, -1};
	int64_t cur[IR_MAX_RANK], size[2] = {0, 0};
	Arg src = A_IN(0);

	if (k < 0)
		return -1;
	pass_order(r, axes, n);
	memcpy(cur, r->in, sizeof cur);
	for (int i = 0; i < n - 1; i++) { /* pass i writes scratch i % 2 */
		cur[axes[i]] = r->out[axes[i]];
		if (prod(cur, 0, r->rank) > size[i % 2])
			size[i % 2] = prod(cur, 0, r->rank);
	}
	for (int i = 0; i < 2; i++)
		if (size[i])
			s[i] = lw_scratch(g, L, size[i] * dt_size(dt));
	memcpy(cur, r->in, sizeof cur);
	for (int i = 0; i < n; i++) {
		Arg dst = i == n - 1 ? A_OUT(0) : A_SCR(s[i % 2]);
		resample_call(g, node, L, k, &t[axes[i]], axes[i], cur, r->rank, r->out[axes[i]],
			      src, dst);
		src = dst;
	}
	return 0;
}

/* tf_crop_and_resize: the extrapolation value over each run of outside positions,
   copied from one constant with zero source strides */
static void extrapolate(Graph *g, int node, Lowered *L, const ResizeSpec *r, const AxisTaps *t)
{
	Tensor *y = out_t(g, node, 0);
	int64_t ys[IR_MAX_RANK], zero[IR_MAX_RANK] = {0};
	unsigned char v[8];
	int c = -1;

	lw_strides(y->rank, y->dims, ys);
	dt_set(y->dtype, v, 0, r->extrapolation);
	for (int a = 0; a < r->rank; a++)
		for (int64_t j = 0, end; j < r->out[a]; j = end) {
			int64_t box[IR_MAX_RANK];
			for (end = j + 1; end < r->out[a] && t[a].outside[end] == t[a].outside[j]; end++)
				;
			if (!t[a].outside[j])
				continue;
			memcpy(box, y->dims, sizeof box);
			box[a] = end - j;
			c = c < 0 ? lw_const(g, L, y->dtype, 1, v) : c;
			lw_copy(g, node, L, dt_size(y->dtype), y->rank, box, zero, ys, 0, j * ys[a],
				A_CST(c), A_OUT(0));
		}
}

int ir_resize_taps(Graph *g, int node, int axis, int *taps, const int32_t **index,
		   const double **weight)
{
	ResizeSpec r;
	AxisTaps t;

	if (resize_spec(g, node, &r) || r.mode != RZ_LINEAR || r.antialias ||
	    r.coord == CT_TF_CROP_AND_RESIZE || axis < 0 || axis >= r.rank)
		return -1;
	axis_taps(g, &r, axis, &t);
	*taps = t.taps, *index = t.index, *weight = t.weight;
	return 0;
}

int prep_resize(Graph *g, int node, Lowered *L)
{
	ResizeSpec r;
	AxisTaps t[IR_MAX_RANK];
	int axes[IR_MAX_RANK], n = 0, gather = 1, rc;

	if (resize_spec(g, node, &r))
		return -1;
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	lw_i32(g, node, ir_numel(in_t(g, node, 0)));
	for (int a = 0; a < r.rank; a++) {
		axis_taps(g, &r, a, &t[a]);
		if (!identity_axis(&r, a, &t[a])) {
			axes[n++] = a;
			gather &= single_tap(&r, a, &t[a]);
		}
	}
	if (n == 0) { /* every axis keeps its positions */
		L->alias = 0;
		return 0;
	}
	if (!gather && !dt_is_float(in_t(g, node, 0)->dtype)) {
		ir_error(g, node, "%s interpolation of %s is not supported",
			 r.mode == RZ_CUBIC ? "cubic" : "linear", dt_name(in_t(g, node, 0)->dtype));
		return -1;
	}
	rc = gather ? resize_gather(g, node, L, &r, t, axes[0], axes[n - 1])
		    : resize_passes(g, node, L, &r, t, axes, n);
	if (rc == 0 && r.coord == CT_TF_CROP_AND_RESIZE)
		extrapolate(g, node, L, &r, t);
	return rc;
}

/* ---- GridSample ---- */

int shape_grid_sample(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *grid = in_t(g, node, 1);
	int r = x->rank - 2;
	int64_t dims[IR_MAX_RANK];

	if (r < 1 || r > O2M_GS_MAX_RANK || grid->rank != x->rank || grid->dims[0] != x->dims[0] ||
	    grid->dims[r + 1] != r) {
		ir_error(g, node, "needs X [N, C, 1 to %d spatial dims] and grid [N, ..., %d]",
			 O2M_GS_MAX_RANK, r);
		return -1;
	}
	if (grid->dtype != x->dtype) {
		ir_error(g, node, "grid type %s differs from X type %s", dt_name(grid->dtype),
			 dt_name(x->dtype));
		return -1;
	}
	dims[0] = x->dims[0];
	dims[1] = x->dims[1];
	for (int i = 0; i < r; i++)
		dims[2 + i] = grid->dims[1 + i];
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

int prep_grid_sample(Graph *g, int node, Lowered *L)
{
	static const char *const modes[] = {"nearest", "linear", "cubic", "bilinear", "bicubic"};
	static const char *const pads[] = {"zeros", "border", "reflection"};
	static const int mode_of[] = {O2M_GS_NEAREST, O2M_GS_LINEAR, O2M_GS_CUBIC, O2M_GS_LINEAR,
				      O2M_GS_CUBIC};
	Tensor *x = in_t(g, node, 0);
	o2m_grid_sample_params *p = LW_PARAMS(g, o2m_grid_sample_params);
	int mode = attr_choice(g, node, "mode", g->n[node].opset < 20 ? "bilinear" : "linear",
			       modes, 5);
	int pad = attr_choice(g, node, "padding_mode", "zeros", pads, 3);
	int k = lw_kernel(g, node, "grid_sample", x->dtype);

	if (mode < 0 || pad < 0 || k < 0)
		return -1;
	p->n = lw_i32(g, node, x->dims[0]);
	p->c = lw_i32(g, node, x->dims[1]);
	p->rank = x->rank - 2;
	for (int i = 0; i < p->rank; i++)
		p->dims[i] = lw_i32(g, node, x->dims[2 + i]);
	p->points = lw_i32(g, node, prod(out_t(g, node, 0)->dims, 2, x->rank));
	lw_i32(g, node, ir_numel(x));
	lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	p->mode = mode_of[mode];
	p->padding = pad;
	p->align_corners = ir_attr_int(g, node, "align_corners", 0) != 0;
	if (ir_numel(out_t(g, node, 0)))
		lw_call(g, L, k, PT_GRID_SAMPLE, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* ---- AffineGrid ---- */

int shape_affine_grid(Graph *g, int node)
{
	Tensor *theta = in_t(g, node, 0);
	int64_t size[IR_MAX_RANK], dims[IR_MAX_RANK];
	int n = ir_const_ints(g, node, ir_in(g, node, 1), size, IR_MAX_RANK), r = n - 2;

	if (n < 0)
		return -1;
	if ((r != 2 && r != 3) || theta->rank != 3 || theta->dims[0] != size[0] ||
	    theta->dims[1] != r || theta->dims[2] != r + 1) {
		ir_error(g, node, "needs size [N, C, (D,) H, W] and theta [N, 2, 3] or [N, 3, 4]");
		return -1;
	}
	for (int i = 0; i < r; i++) {
		if (size[2 + i] < 1) {
			ir_error(g, node, "size has an empty spatial dimension");
			return -1;
		}
		dims[1 + i] = size[2 + i];
	}
	dims[0] = size[0];
	dims[1 + r] = r;
	set_out(g, node, 0, theta->dtype, r + 2, dims);
	return 0;
}

/* the base grid: each spatial axis' positions in [-1, 1], outermost axis first */
int prep_affine_grid(Graph *g, int node, Lowered *L)
{
	Tensor *y = out_t(g, node, 0);
	o2m_affine_grid_params *p = LW_PARAMS(g, o2m_affine_grid_params);
	int align = ir_attr_int(g, node, "align_corners", 0) != 0, k = lw_kernel(g, node,
		"affine_grid", y->dtype), n = 0;
	void *base;

	if (k < 0)
		return -1;
	p->n = lw_i32(g, node, y->dims[0]);
	p->rank = y->rank - 2;
	lw_i32(g, node, ir_numel(y));
	for (int a = 1; a < y->rank - 1; a++)
		n += (int)y->dims[a];
	base = arena_alloc(&g->arena, (size_t)n * 8 + 8);
	n = 0;
	for (int a = 0; a < p->rank; a++) {
		int64_t d = y->dims[1 + a];
		double step = align ? 2.0 / (double)(d - 1) : 2.0 / (double)d;
		p->dims[a] = lw_i32(g, node, d);
		for (int64_t i = 0; i < d; i++) /* as numpy.arange: start + i * step */
			dt_set(y->dtype, base, n++, align ? (d == 1 ? -1 : -1 + (double)i * step)
						     : -1 + step / 2 + (double)i * step);
	}
	if (ir_numel(y))
		lw_call(g, L, k, PT_AFFINE_GRID, p, 3, A_IN(0),
			A_CST(lw_const(g, L, y->dtype, n, base)), A_OUT(0));
	return 0;
}

/* ---- RoiAlign ---- */

int shape_roi_align(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *rois = in_t(g, node, 1), *batch = in_t(g, node, 2);
	int64_t dims[4];

	if (x->rank != 4 || rois->rank != 2 || rois->dims[1] != 4 || batch->rank != 1 ||
	    batch->dims[0] != rois->dims[0]) {
		ir_error(g, node, "needs X [N, C, H, W], rois [R, 4] and batch_indices [R]");
		return -1;
	}
	if (rois->dtype != x->dtype || batch->dtype != DT_S64) {
		ir_error(g, node, "rois must have X's type and batch_indices int64");
		return -1;
	}
	dims[0] = rois->dims[0];
	dims[1] = x->dims[1];
	dims[2] = ir_attr_int(g, node, "output_height", 1);
	dims[3] = ir_attr_int(g, node, "output_width", 1);
	if (dims[2] < 1 || dims[3] < 1) {
		ir_error(g, node, "output_height and output_width must be positive");
		return -1;
	}
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

/* before opset 16 RoiAlign had no coordinate_transformation_mode and behaved as
   output_half_pixel, which opset 16 keeps under that name */
int prep_roi_align(Graph *g, int node, Lowered *L)
{
	static const char *const coords[] = {"half_pixel", "output_half_pixel"};
	static const char *const modes[] = {"avg", "max"};
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_roi_align_params *p = LW_PARAMS(g, o2m_roi_align_params);
	int coord = attr_choice(g, node, "coordinate_transformation_mode",
				g->n[node].opset < 16 ? "output_half_pixel" : "half_pixel", coords, 2);
	int mode = attr_choice(g, node, "mode", "avg", modes, 2);
	int k = mode < 0 ? -1 : lw_kernel(g, node, mode ? "roi_align_max" : "roi_align_avg", x->dtype);

	if (coord < 0 || k < 0)
		return -1;
	p->n = lw_i32(g, node, x->dims[0]);
	p->c = lw_i32(g, node, x->dims[1]);
	p->h = lw_i32(g, node, x->dims[2]);
	p->w = lw_i32(g, node, x->dims[3]);
	p->rois = lw_i32(g, node, y->dims[0]);
	p->out_h = lw_i32(g, node, y->dims[2]);
	p->out_w = lw_i32(g, node, y->dims[3]);
	p->sampling_ratio = lw_i32(g, node, ir_attr_int(g, node, "sampling_ratio", 0));
	p->spatial_scale = ir_attr_float(g, node, "spatial_scale", 1.0f);
	p->offset = coord == 0 ? 0.5f : 0.0f;
	lw_i32(g, node, ir_numel(x));
	lw_i32(g, node, ir_numel(y));
	if (ir_numel(y))
		lw_call(g, L, k, PT_ROI_ALIGN, p, 4, A_IN(0), A_IN(1), A_IN(2), A_OUT(0));
	return 0;
}
