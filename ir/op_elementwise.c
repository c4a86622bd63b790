/* op_elementwise.c - shape functions and prepares of the elementwise ops: arithmetic,
   comparisons, logic, variadic Sum/Mean/Min/Max, Where, Clip, Cast, the unary math
   and activation functions and SwiGLU. */
#include "lower.h"

#include <string.h>

static int same_dtypes(Graph *g, int node, int first, int last)
{
	DType dt = in_t(g, node, first)->dtype;

	for (int k = first + 1; k <= last && k < g->n[node].nin; k++) {
		if (has_in(g, node, k) && in_t(g, node, k)->dtype != dt) {
			ir_error(g, node, "inputs have different element types (%s and %s)",
				 dt_name(dt), dt_name(in_t(g, node, k)->dtype));
			return -1;
		}
	}
	return 0;
}

static int shape_bcast_as(Graph *g, int node, DType dt, int first, int check_types)
{
	Node *n = &g->n[node];
	int rank;
	int64_t dims[IR_MAX_RANK];

	if (check_types && same_dtypes(g, node, first, n->nin - 1))
		return -1;
	if (ir_broadcast(g, node, n->in + first, n->nin - first, &rank, dims))
		return -1;
	set_out(g, node, 0, dt, rank, dims);
	return 0;
}

int shape_binary(Graph *g, int node)
{
	OpKind op = g->n[node].op;
	return shape_bcast_as(g, node, in_t(g, node, 0)->dtype, 0, op != OP_POW);
}

int shape_prelu(Graph *g, int node)
{
	return shape_bcast_as(g, node, in_t(g, node, 0)->dtype, 0, 1);
}

int shape_compare(Graph *g, int node) { return shape_bcast_as(g, node, DT_BOOL, 0, 1); }

int shape_where(Graph *g, int node)
{
	if (in_t(g, node, 0)->dtype != DT_BOOL) {
		ir_error(g, node, "condition must be bool");
		return -1;
	}
	if (same_dtypes(g, node, 1, 2))
		return -1;
	return shape_bcast_as(g, node, in_t(g, node, 1)->dtype, 0, 0);
}

int shape_unary(Graph *g, int node)
{
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int shape_predicate(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	set_out(g, node, 0, DT_BOOL, x->rank, x->dims);
	return 0;
}

int shape_cast(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	DType to;

	if (g->n[node].op == OP_CAST_LIKE) {
		to = in_t(g, node, 1)->dtype;
	} else {
		int64_t code = ir_attr_int(g, node, "to", 0);
		to = dt_from_onnx((int)code);
		if (to == DT_UNDEF) {
			ir_error(g, node, "cast to ONNX element type %lld is not supported",
				 (long long)code);
			return -1;
		}
	}
	set_out(g, node, 0, to, x->rank, x->dims);
	return 0;
}

/* the kernel family of a binary op, where attributes pick it */
static const char *binary_family(Graph *g, int node)
{
	switch (g->n[node].op) {
	case OP_MOD:
		return ir_attr_int(g, node, "fmod", 0) || dt_is_float(in_t(g, node, 0)->dtype)
			? "fmod" : "mod";
	case OP_BITSHIFT:
		return strcmp(ir_attr_str(g, node, "direction", ""), "RIGHT") == 0 ? "shr" : "shl";
	default:
		return op_info[g->n[node].op].kernel;
	}
}

static int same_shape(const Tensor *a, const Tensor *b)
{
	if (a->rank != b->rank)
		return 0;
	for (int i = 0; i < a->rank; i++)
		if (a->dims[i] != b->dims[i])
			return 0;
	return 1;
}

/* output 0 may overwrite the first input of its shape and element size */
static void maybe_inplace(Graph *g, int node, Lowered *L, int first, int last)
{
	Tensor *y = out_t(g, node, 0);
	for (int k = first; k <= last; k++) {
		if (has_in(g, node, k) && same_shape(in_t(g, node, k), y) &&
		    dt_size(in_t(g, node, k)->dtype) == dt_size(y->dtype)) {
			L->inplace = k;
			return;
		}
	}
}

int prep_binary(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int k = lw_kernel(g, node, binary_family(g, node), in_t(g, node, 0)->dtype);

	if (k < 0)
		return -1;
	lw_bcast(g, node, n->in, 2, p);
	lw_call(g, L, k, PT_BCAST, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	maybe_inplace(g, node, L, 0, 1);
	return 0;
}

/* a call of the cast kernel from src to dst, count elements */
static int cast_call(Graph *g, int node, Lowered *L, Arg src, Arg dst, DType from, DType to,
		     int64_t count)
{
	char name[64];
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	int k;

	snprintf(name, sizeof name, "o2m_cast_%s_%s", dt_suffix(from), dt_suffix(to));
	k = kernel_lookup(name);
	if (k < 0) {
		ir_error(g, node, "cast from %s to %s is not supported", dt_name(from), dt_name(to));
		return -1;
	}
	p->count = lw_i32(g, node, count);
	lw_call(g, L, k, PT_UNARY, p, 2, src, dst);
	return 0;
}

/* *a cast into a new scratch buffer, which *a then names */
static int cast_to_scratch(Graph *g, int node, Lowered *L, Arg *a, DType from, DType to,
			   int64_t count)
{
	int s = lw_scratch(g, L, count * dt_size(to));

	if (cast_call(g, node, L, *a, A_SCR(s), from, to, count))
		return -1;
	*a = A_SCR(s);
	return 0;
}

/* The exponent may have another type than the base. A float base takes it converted to
   its own type. An integer base raised to a float exponent is the real power truncated
   (numpy's np.power(a, b).astype(a.dtype)): computed in double, then cast (saturating).
   An integer exponent of another integer type applies exactly in int64, then wraps. */
int prep_pow(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	DType bt = in_t(g, node, 0)->dtype, et = in_t(g, node, 1)->dtype;
	DType ct = bt == et || dt_is_float(bt) ? bt : dt_is_float(et) ? DT_F64 : DT_S64;
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int64_t count = ir_numel(out_t(g, node, 0));
	Arg b = A_IN(0), e = A_IN(1), y = A_OUT(0);
	int k = lw_kernel(g, node, "pow", ct);

	if (k < 0)
		return -1;
	if ((bt != ct && cast_to_scratch(g, node, L, &b, bt, ct, ir_numel(in_t(g, node, 0)))) ||
	    (et != ct && cast_to_scratch(g, node, L, &e, et, ct, ir_numel(in_t(g, node, 1)))))
		return -1;
	if (bt != ct)
		y = A_SCR(lw_scratch(g, L, count * dt_size(ct)));
	lw_bcast(g, node, n->in, 2, p);
	lw_call(g, L, k, PT_BCAST, p, 3, b, e, y);
	return bt != ct ? cast_call(g, node, L, y, A_OUT(0), ct, bt, count) : 0;
}

int prep_variadic(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	DType dt = out_t(g, node, 0)->dtype;
	int k = lw_kernel(g, node, op_info[n->op].kernel, dt);

	if (k < 0)
		return -1;
	if (n->nin == 1) {
		L->alias = 0;
		return 0;
	}
	for (int i = 1; i < n->nin; i++) {
		o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
		int ts[2] = {i == 1 ? n->in[0] : n->out[0], n->in[i]};
		lw_bcast(g, node, ts, 2, p);
		lw_call(g, L, k, PT_BCAST, p, 3, i == 1 ? A_IN(0) : A_OUT(0), A_IN(i), A_OUT(0));
	}
	if (n->op == OP_MEAN) {
		int dk = lw_kernel(g, node, "div", dt), c;
		o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
		Shape in[2] = {lw_shape(out_t(g, node, 0)), {0, {0}}};
		unsigned char v[8];
		if (dk < 0)
			return -1;
		dt_set(dt, v, 0, n->nin);
		c = lw_const(g, L, dt, 1, v);
		lw_bcast_shapes(g, node, in, 2, &in[0], p);
		lw_call(g, L, dk, PT_BCAST, p, 3, A_OUT(0), A_CST(c), A_OUT(0));
	}
	return 0;
}

int prep_where(Graph *g, int node, Lowered *L)
{
	static const DType by_size[9] = {[1] = DT_U8, [2] = DT_U16, [4] = DT_U32, [8] = DT_U64};
	Node *n = &g->n[node];
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int k = lw_kernel(g, node, "where", by_size[dt_size(out_t(g, node, 0)->dtype)]);

	if (k < 0)
		return -1;
	lw_bcast(g, node, n->in, 3, p);
	lw_call(g, L, k, PT_BCAST, p, 4, A_IN(0), A_IN(1), A_IN(2), A_OUT(0));
	maybe_inplace(g, node, L, 1, 2);
	return 0;
}

/* a bound of Clip in x's element type: the frontend makes the min/max attributes of
   opset < 11 float32 constants, whatever x is */
static Arg clip_bound(Graph *g, int node, Lowered *L, int k)
{
	DType dt = in_t(g, node, 0)->dtype;
	Tensor *b = has_in(g, node, k) ? in_t(g, node, k) : NULL;
	unsigned char v[8];

	if (!b || b->dtype == dt)
		return b ? A_IN(k) : A_NONE;
	if (!ir_is_const(g, ir_in(g, node, k)) || ir_numel(b) != 1) {
		ir_error(g, node, "bound '%s' is %s, the input %s", b->name, dt_name(b->dtype),
			 dt_name(dt));
		return A_NONE;
	}
	dt_set(dt, v, 0, dt_get(b->dtype, b->data, 0));
	return A_CST(lw_const(g, L, dt, 1, v));
}

int prep_clip(Graph *g, int node, Lowered *L)
{
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	int k = lw_kernel(g, node, "clip", in_t(g, node, 0)->dtype);

	if (k < 0)
		return -1;
	p->count = lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	lw_call(g, L, k, PT_UNARY, p, 4, A_IN(0), clip_bound(g, node, L, 1),
		clip_bound(g, node, L, 2), A_OUT(0));
	L->inplace = 0;
	return 0;
}

/* saturate (alpha: 1 when off) and the float8e8m0 round_mode (beta) of a cast */
static int cast_f8_attrs(Graph *g, int node, o2m_unary_params *p)
{
	static const char *const modes[] = {"up", "down", "nearest"}; /* O2M_E8M0_* order */
	const char *mode = ir_attr_str(g, node, "round_mode", "up");

	p->alpha = ir_attr_int(g, node, "saturate", 1) ? 0.0f : 1.0f;
	for (int i = 0; i < 3; i++)
		if (!strcmp(mode, modes[i])) {
			p->beta = (float)i;
			return 0;
		}
	ir_error(g, node, "round_mode '%s' is not up, down or nearest", mode);
	return -1;
}

int prep_cast(Graph *g, int node, Lowered *L)
{
	DType from = in_t(g, node, 0)->dtype, to = out_t(g, node, 0)->dtype;
	o2m_unary_params *p;
	char name[64];
	int k;

	if (from == to) {
		L->alias = 0;
		return 0;
	}
	snprintf(name, sizeof name, "o2m_cast_%s_%s", dt_suffix(from), dt_suffix(to));
	k = kernel_lookup(name);
	if (k < 0) {
		ir_error(g, node, "cast from %s to %s is not supported", dt_name(from), dt_name(to));
		return -1;
	}
	p = LW_PARAMS(g, o2m_unary_params);
	p->count = lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	if (cast_f8_attrs(g, node, p))
		return -1;
	lw_call(g, L, k, PT_UNARY, p, 2, A_IN(0), A_OUT(0));
	if (dt_size(from) == dt_size(to))
		L->inplace = 0;
	return 0;
}

/* attributes of the unary ops, as alpha, beta, gamma */
static const char *unary_attrs(Graph *g, int node, o2m_unary_params *p)
{
	const char *family = op_info[g->n[node].op].kernel;

	switch (g->n[node].op) {
	case OP_LEAKY_RELU: p->alpha = ir_attr_float(g, node, "alpha", 0.01f); break;
	case OP_ELU: case OP_CELU: case OP_THRESHOLDED_RELU: case OP_SWISH:
		p->alpha = ir_attr_float(g, node, "alpha", 1.0f);
		break;
	case OP_SELU:
		p->alpha = ir_attr_float(g, node, "alpha", 1.67326319217681884765625f);
		p->gamma = ir_attr_float(g, node, "gamma", 1.05070102214813232421875f);
		break;
	case OP_HARD_SIGMOID:
		p->alpha = ir_attr_float(g, node, "alpha", 0.2f);
		p->beta = ir_attr_float(g, node, "beta", 0.5f);
		break;
	case OP_SHRINK:
		p->alpha = ir_attr_float(g, node, "lambd", 0.5f);
		p->beta = ir_attr_float(g, node, "bias", 0.0f);
		break;
	case OP_ISINF:
		p->alpha = (float)ir_attr_int(g, node, "detect_positive", 1);
		p->beta = (float)ir_attr_int(g, node, "detect_negative", 1);
		break;
	case OP_GELU:
		if (strcmp(ir_attr_str(g, node, "approximate", "none"), "tanh") == 0)
			family = "gelu_tanh";
		break;
	default: break;
	}
	return family;
}

int prep_unary(Graph *g, int node, Lowered *L)
{
	o2m_unary_params *p = LW_PARAMS(g, o2m_unary_params);
	const char *family = unary_attrs(g, node, p);
	int k = lw_kernel(g, node, family, in_t(g, node, 0)->dtype);

	if (k < 0)
		return -1;
	p->count = lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	lw_call(g, L, k, PT_UNARY, p, 2, A_IN(0), A_OUT(0));
	maybe_inplace(g, node, L, 0, 0);
	return 0;
}

/* SwiGLU (opset 27+): y = Swish_alpha(a) * b; a and b of one shape, no broadcasting */
int shape_swiglu(Graph *g, int node)
{
	if (same_dtypes(g, node, 0, 1))
		return -1;
	if (!same_shape(in_t(g, node, 0), in_t(g, node, 1))) {
		ir_error(g, node, "A and B must have the same shape (SwiGLU does not broadcast)");
		return -1;
	}
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

/* the Swish kernel into y, then y *= b in place; y may overwrite a, never b */
int prep_swiglu(Graph *g, int node, Lowered *L)
{
	Node *n = &g->n[node];
	DType dt = in_t(g, node, 0)->dtype;
	o2m_unary_params *u = LW_PARAMS(g, o2m_unary_params);
	o2m_bcast_params *p = LW_PARAMS(g, o2m_bcast_params);
	int ks = lw_kernel(g, node, "swish", dt), km = lw_kernel(g, node, "mul", dt);

	if (ks < 0 || km < 0)
		return -1;
	u->count = lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	u->alpha = ir_attr_float(g, node, "alpha", 1.0f);
	lw_call(g, L, ks, PT_UNARY, u, 2, A_IN(0), A_OUT(0));
	lw_bcast(g, node, n->in, 2, p);
	lw_call(g, L, km, PT_BCAST, p, 3, A_OUT(0), A_IN(1), A_OUT(0));
	L->inplace = 0;
	return 0;
}
