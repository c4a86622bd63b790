/* op_conv.c - shape functions and prepares of convolution and pooling: Conv,
   ConvTranspose, DeformConv, CausalConvWithState, MaxPool, AveragePool, LpPool, their
   Global forms, MaxUnpool and Col2Im. Window geometry (kernel, strides, dilations, pads,
   auto_pad, ceil_mode, output sizes) and the kernel variant are settled here; the
   kernels only loop. */
#include "lower.h"

#include <float.h>
#include <string.h>

#define SP 3 /* spatial axes the kernels take (d, h, w): 1D, 2D and 3D data */

/* The windows of a node. A node's n spatial axes fill the last n slots (d, h, w);
   the slots before stay at size 1, stride 1, dilation 1, pad 0. */
typedef struct {
	int n;
	int64_t in[SP], out[SP], k[SP], stride[SP], dil[SP], pad[SP], pad_end[SP];
} Win;

enum { AP_NOTSET, AP_SAME_UPPER, AP_SAME_LOWER, AP_VALID };

static int auto_pad(Graph *g, int node)
{
	const char *s = ir_attr_str(g, node, "auto_pad", "NOTSET");

	if (!*s || !strcmp(s, "NOTSET"))
		return AP_NOTSET;
	if (!strcmp(s, "SAME_UPPER"))
		return AP_SAME_UPPER;
	if (!strcmp(s, "SAME_LOWER"))
		return AP_SAME_LOWER;
	if (!strcmp(s, "VALID"))
		return AP_VALID;
	ir_error(g, node, "auto_pad '%s' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", s);
	return -1;
}

/* an ints attribute of `count` values, each at least `min`; absent or empty gives def */
static int attr_axes(Graph *g, int node, const char *name, int count, int64_t def, int64_t min,
		     int64_t *out)
{
	int64_t v[2 * SP];
	int c = ir_attr_ints(g, node, name, v, 2 * SP);

	if (c <= 0) {
		for (int i = 0; i < count; i++)
			out[i] = def;
		return 0;
	}
	if (c != count) {
		ir_error(g, node, "%s has %d values, %d expected", name, c, count);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		if (v[i] < min || v[i] > INT32_MAX) { /* bounded: window sizes multiply them */
			ir_error(g, node, "%s must be at least %lld and at most %d", name,
				 (long long)min, INT32_MAX);
			return -1;
		}
		out[i] = v[i];
	}
	return 0;
}

static int spatial_axes(Graph *g, int node, const Tensor *x)
{
	if (x->rank < 3 || x->rank > 2 + SP) {
		ir_error(g, node, "input has rank %d; 1 to %d spatial axes after N and C are "
			 "supported", x->rank, SP);
		return -1;
	}
	return x->rank - 2;
}

/* reads kernel (from kdims when the weights give it), strides, dilations and pads for
   n spatial axes of sizes in[] */
static int win_read(Graph *g, int node, int n, const int64_t *in, const int64_t *kdims, Win *w)
{
	int64_t k[SP], s[SP], d[SP], pads[2 * SP];
	int o = SP - n, has_k = ir_attr_ints(g, node, "kernel_shape", k, SP) > 0;

	memset(w, 0, sizeof *w);
	w->n = n;
	for (int i = 0; i < SP; i++)
		w->in[i] = w->out[i] = w->k[i] = w->stride[i] = w->dil[i] = 1;
	if (!kdims && !has_k) {
		ir_error(g, node, "kernel_shape is required");
		return -1;
	}
	if (attr_axes(g, node, "kernel_shape", n, 1, 1, k) ||
	    attr_axes(g, node, "strides", n, 1, 1, s) ||
	    attr_axes(g, node, "dilations", n, 1, 1, d) ||
	    attr_axes(g, node, "pads", 2 * n, 0, 0, pads))
		return -1;
	for (int i = 0; i < n; i++) {
		if (kdims && has_k && k[i] != kdims[i]) {
			ir_error(g, node, "kernel_shape differs from the weights' shape");
			return -1;
		}
		w->in[o + i] = in[i];
		w->k[o + i] = kdims ? kdims[i] : k[i];
		w->stride[o + i] = s[i];
		w->dil[o + i] = d[i];
		w->pad[o + i] = pads[i];
		w->pad_end[o + i] = pads[n + i];
	}
	return 0;
}

/* floor(a / 2) for any sign */
static int64_t half_down(int64_t a) { return a >= 0 ? a / 2 : -((1 - a) / 2); }

/* splits a total pad: SAME_UPPER puts the odd one at the end, the others at the start */
static void split_pad(int mode, int64_t total, int64_t *pad, int64_t *pad_end)
{
	*pad = mode == AP_SAME_UPPER ? half_down(total) : total - half_down(total);
	*pad_end = total - *pad;
}

/* output sizes of sliding windows (Conv and the pools); ceil_mode rounds up but drops
   a last window that would start in the end padding */
static int win_out(Graph *g, int node, Win *w, int ceil_mode)
{
	int mode = auto_pad(g, node);

	if (mode < 0)
		return -1;
	for (int i = SP - w->n; i < SP; i++) {
		int64_t ek = (w->k[i] - 1) * w->dil[i] + 1, s = w->stride[i], span;
		if (mode == AP_SAME_UPPER || mode == AP_SAME_LOWER) {
			w->out[i] = (w->in[i] + s - 1) / s;
			span = (w->out[i] - 1) * s + ek - w->in[i];
			split_pad(mode, span > 0 ? span : 0, &w->pad[i], &w->pad_end[i]);
			continue;
		}
		if (mode == AP_VALID)
			w->pad[i] = w->pad_end[i] = 0;
		span = w->in[i] + w->pad[i] + w->pad_end[i] - ek;
		if (span < 0) {
			ir_error(g, node, "the window (%lld wide) is larger than the padded input "
				 "(%lld)", (long long)ek, (long long)(span + ek));
			return -1;
		}
		w->out[i] = (ceil_mode ? span + s - 1 : span) / s + 1;
		if (ceil_mode && (w->out[i] - 1) * s >= w->in[i] + w->pad[i])
			w->out[i]--;
	}
	return 0;
}

static void out_dims(const Tensor *x, int64_t c, const Win *w, int64_t *dims)
{
	dims[0] = x->dims[0];
	dims[1] = c;
	for (int i = 0; i < w->n; i++)
		dims[2 + i] = w->out[SP - w->n + i];
}

static int same_type(Graph *g, int node, int k)
{
	if (has_in(g, node, k) && in_t(g, node, k)->dtype != in_t(g, node, 0)->dtype) {
		ir_error(g, node, "input %d has element type %s, input 0 %s", k,
			 dt_name(in_t(g, node, k)->dtype), dt_name(in_t(g, node, 0)->dtype));
		return -1;
	}
	return 0;
}

/* the window geometry in a kernel parameter struct; -1 past the 32-bit range */
static int conv_params(Graph *g, int node, const Win *w, int64_t n, int64_t c_in, int64_t c_out,
		       int64_t group, o2m_conv_params *p)
{
	int errors = g->nerrors;

	p->n = lw_i32(g, node, n);
	p->c_in = lw_i32(g, node, c_in);
	p->c_out = lw_i32(g, node, c_out);
	p->group = lw_i32(g, node, group);
	p->in_d = lw_i32(g, node, w->in[0]), p->in_h = lw_i32(g, node, w->in[1]);
	p->in_w = lw_i32(g, node, w->in[2]);
	p->out_d = lw_i32(g, node, w->out[0]), p->out_h = lw_i32(g, node, w->out[1]);
	p->out_w = lw_i32(g, node, w->out[2]);
	p->k_d = lw_i32(g, node, w->k[0]), p->k_h = lw_i32(g, node, w->k[1]);
	p->k_w = lw_i32(g, node, w->k[2]);
	p->stride_d = lw_i32(g, node, w->stride[0]), p->stride_h = lw_i32(g, node, w->stride[1]);
	p->stride_w = lw_i32(g, node, w->stride[2]);
	p->dil_d = lw_i32(g, node, w->dil[0]), p->dil_h = lw_i32(g, node, w->dil[1]);
	p->dil_w = lw_i32(g, node, w->dil[2]);
	p->pad_d = lw_i32(g, node, w->pad[0]), p->pad_h = lw_i32(g, node, w->pad[1]);
	p->pad_w = lw_i32(g, node, w->pad[2]);
	p->act_min = -FLT_MAX;
	p->act_max = FLT_MAX;
	return g->nerrors > errors ? -1 : 0;
}

/* ---- Conv ---- */

static int conv_win(Graph *g, int node, Win *w)
{
	Tensor *x = in_t(g, node, 0), *wt = in_t(g, node, 1);
	int64_t group = ir_attr_int(g, node, "group", 1);
	int n = spatial_axes(g, node, x);

	if (n < 0 ||
	    (g->n[node].op != OP_QCONV && same_type(g, node, 1)) ||
	    (g->n[node].op != OP_QCONV && same_type(g, node, 2)))
		return -1;
	if (wt->rank != x->rank) {
		ir_error(g, node, "W has rank %d, X rank %d", wt->rank, x->rank);
		return -1;
	}
	if (group < 1 || group > INT32_MAX || x->dims[1] % group || wt->dims[0] % group ||
	    wt->dims[1] * group != x->dims[1]) {
		ir_error(g, node, "X has %lld channels, W takes %lld per group in %lld groups of "
			 "%lld filters", (long long)x->dims[1], (long long)wt->dims[1],
			 (long long)group, (long long)wt->dims[0]);
		return -1;
	}
	if (has_in(g, node, 2) && (in_t(g, node, 2)->rank != 1 ||
				   in_t(g, node, 2)->dims[0] != wt->dims[0])) {
		ir_error(g, node, "B must hold one value per output channel (%lld)",
			 (long long)wt->dims[0]);
		return -1;
	}
	if (win_read(g, node, n, x->dims + 2, wt->dims + 2, w))
		return -1;
	return win_out(g, node, w, 0);
}

/* FusedConv's residual R (input 3), when there is one, is of the output's type and shape */
static int residual_ok(Graph *g, int node, DType dt, int rank, const int64_t *dims)
{
	Tensor *r;

	if (!has_in(g, node, 3))
		return 0;
	r = in_t(g, node, 3);
	if (r->dtype == dt && r->rank == rank && !memcmp(r->dims, dims, sizeof *dims * (size_t)rank))
		return 0;
	ir_error(g, node, "the residual (input 3) must be of the output's type %s and shape",
		 dt_name(dt));
	return -1;
}

int shape_conv(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	/* a QConv quantizing its float input as it reads it (quantize-into-qconv) is int8 */
	DType dt = g->n[node].op == OP_QCONV && x->dtype == DT_F32 ? DT_S8 : x->dtype;
	Win w;

	if (conv_win(g, node, &w))
		return -1;
	out_dims(x, in_t(g, node, 1)->dims[0], &w, dims);
	if (residual_ok(g, node, dt, x->rank, dims))
		return -1;
	set_out(g, node, 0, dt, x->rank, dims);
	return 0;
}

/* the kernel variant: pointwise 1x1 as a matrix product, depthwise, or direct */
static const char *conv_family(const Win *w, const o2m_conv_params *p)
{
	int pointwise = 1;

	for (int i = 0; i < SP; i++)
		pointwise &= w->k[i] == 1 && w->stride[i] == 1 && w->pad[i] == 0 &&
			     w->out[i] == w->in[i];
	if (pointwise)
		return "conv_1x1";
	if (p->group == p->c_in && p->group > 1)
		return "conv_dw";
	return "conv";
}

/* the padded plane and rows of o2m_conv_dw_rows in int32 (o2m_dw_rows_scratch) */
static int dw_padded_fits(const o2m_conv_params *p)
{
	int64_t hp = (int64_t)(p->out_h - 1) * p->stride_h + (int64_t)(p->k_h - 1) * p->dil_h + 1;
	int64_t wp = (int64_t)(p->out_w - 1) * p->stride_w + (int64_t)(p->k_w - 1) * p->dil_w + 1;

	return hp * wp <= INT32_MAX / 8;
}

/* a convolution kernel that takes scratch, its bytes, and whether it reads the
   filters packed by pack4 */
typedef struct {
	const char *family;
	int64_t scratch;
	int packed;
} ConvVariant;

/* The variants with scratch a float convolution of kernel family `family` may also
   run as (the family itself takes none): products over panels (the filters packed
   when they are constant), or the depthwise rows read without checks. */
static int conv_variants(Graph *g, int node, const o2m_conv_params *p, const char *family,
			 ConvVariant *v)
{
	int es = (int)dt_size(in_t(g, node, 0)->dtype), n = 0;
	int64_t kt = lw_conv_kt(p);

	if (!dt_is_float(in_t(g, node, 0)->dtype))
		return 0;
	if (!strcmp(family, "conv_dw")) {
		if (p->k_d == 1 && p->in_d == 1 && p->pad_h >= 0 && p->pad_w >= 0 &&
		    (p->k_h - 1) * p->dil_h + 1 <= O2M_DW_ROWS && dw_padded_fits(p))
			v[n++] = (ConvVariant){"conv_dw_rows", (int64_t)o2m_dw_rows_scratch(p) * es, 0};
		return n;
	}
	v[n++] = ir_is_const(g, ir_in(g, node, 1))
			 ? (ConvVariant){"conv_gemm", kt * 4 * es, 1}
			 : (ConvVariant){"conv_im2col", kt * 4 * es, 0};
	return n;
}

/* filters [group][cout][kt] as o2m_conv_gemm reads them: per group, runs of 4 output
   channels side by side ([kt][4]), the channels left over as they are */
static void *pack4(Graph *g, const void *src, int64_t group, int64_t cout, int64_t kt, int es)
{
	const unsigned char *s = src;
	unsigned char *d = arena_alloc(&g->arena, (size_t)(group * cout * kt * es) + 1), *o = d;

	for (int64_t gr = 0; gr < group; gr++) {
		const unsigned char *sg = s + gr * cout * kt * es;
		int64_t co = 0;
		for (; co + 4 <= cout; co += 4)
			for (int64_t q = 0; q < kt; q++)
				for (int64_t i = 0; i < 4; i++, o += es)
					memcpy(o, sg + ((co + i) * kt + q) * es, (size_t)es);
		memcpy(o, sg + co * kt * es, (size_t)((cout - co) * kt * es));
		o += (cout - co) * kt * es;
	}
	return d;
}

/* The in-place contracts of the convolution kernels that read the inputs a step needs
   before writing its outputs (docs/memory-planning.md), for one image: a pointwise
   convolution of one group (its kernel copies the columns of a few positions, then writes
   those positions) may write over its input, which grows when the output has more
   channels; a depthwise one of one filter per channel (its kernel copies a channel's
   plane, or its rows in order, before writing them) over an input at least as large,
   each output row reading no row above the ones before it read (unit dilation down the
   rows, a leading pad smaller than the filter). The caller knows its kernel keeps the
   contract. */
void lw_conv_inplace(Lowered *L, const o2m_conv_params *p, const char *family)
{
	if (p->n != 1)
		return;
	if (!strcmp(family, "conv_1x1") && p->group == 1) {
		L->inplace = 0;
		L->grow = 1;
	} else if (!strcmp(family, "conv_dw") && p->c_out == p->c_in && p->out_d <= p->in_d &&
		   p->out_h <= p->in_h && p->out_w <= p->in_w && p->dil_h == 1 &&
		   p->pad_h < p->k_h) {
		L->inplace = 0;
	}
}

int prep_conv(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_conv_params *p = LW_PARAMS(g, o2m_conv_params);
	const char *family;
	Win w;
	int k;

	if (conv_win(g, node, &w) || conv_params(g, node, &w, x->dims[0], x->dims[1], y->dims[1],
						 ir_attr_int(g, node, "group", 1), p) ||
	    lw_act(g, node, &p->act, &p->act_alpha, &p->act_beta, &p->act_min, &p->act_max))
		return -1;
	if (!ir_numel(y))
		return 0;
	family = conv_family(&w, p);
	{ /* the cheapest variant by the cost model whose scratch fits the limit */
		ConvVariant v[2];
		int nv = conv_variants(g, node, p, family, v), best = -1;
		double cheapest = ir_conv_cycles(family, p); /* the family itself, no scratch */
		for (int i = 0; i < nv; i++)
			if ((g->scratch_limit < 0 || v[i].scratch <= g->scratch_limit) &&
			    ir_conv_cycles(v[i].family, p) < cheapest) {
				cheapest = ir_conv_cycles(v[i].family, p);
				best = i;
			}
		if (best >= 0) {
			int es = (int)dt_size(x->dtype);
			Arg warg = A_IN(1);
			k = lw_kernel(g, node, v[best].family, x->dtype);
			if (k < 0)
				return -1;
			if (v[best].packed)
				warg = A_CST(lw_const(g, L, x->dtype, ir_numel(in_t(g, node, 1)),
						      pack4(g, in_t(g, node, 1)->data, p->group,
							    p->c_out / p->group, lw_conv_kt(p), es)));
			lw_call(g, L, k, PT_CONV, p, 6, A_IN(0), warg,
				has_in(g, node, 2) ? A_IN(2) : A_NONE,
				has_in(g, node, 3) ? A_IN(3) : A_NONE, A_OUT(0),
				A_SCR(lw_scratch(g, L, v[best].scratch)));
			if (has_in(g, node, 3) && strcmp(v[best].family, "conv_dw_rows"))
				L->inplace = 3; /* the panels add their sums to the residual */
			else
				lw_conv_inplace(L, p, family);
			return 0;
		}
	}
	k = lw_kernel(g, node, family, x->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_CONV, p, 5, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		has_in(g, node, 3) ? A_IN(3) : A_NONE, A_OUT(0));
	return 0;
}

int lw_conv_geom(Graph *g, int node, o2m_conv_params *p, const char **family)
{
	Tensor *x = in_t(g, node, 0), *wt = in_t(g, node, 1);
	Win w;

	if (conv_win(g, node, &w) || conv_params(g, node, &w, x->dims[0], x->dims[1], wt->dims[0],
						 ir_attr_int(g, node, "group", 1), p))
		return -1;
	*family = conv_family(&w, p);
	return 0;
}

/* ---- ConvTranspose ---- */

/* output sizes and pads: from output_shape, from auto_pad SAME (in * stride), or from
   the pads; output_padding adds to the end */
static int convt_out(Graph *g, int node, Win *w)
{
	int64_t opad[SP], oshape[IR_MAX_RANK];
	int n = w->n, o = SP - n, mode = auto_pad(g, node);
	int ns = ir_attr_ints(g, node, "output_shape", oshape, IR_MAX_RANK);

	if (mode < 0 || attr_axes(g, node, "output_padding", n, 0, 0, opad))
		return -1;
	if (ns > 0 && ns != n && ns != n + 2) {
		ir_error(g, node, "output_shape has %d values for %d spatial axes", ns, n);
		return -1;
	}
	for (int i = 0; i < ns && i < IR_MAX_RANK; i++)
		if (oshape[i] < 0 || oshape[i] > INT32_MAX) {
			ir_error(g, node, "output_shape %lld is negative or too large",
				 (long long)oshape[i]);
			return -1;
		}
	for (int i = 0; i < n; i++) {
		int64_t *pad = &w->pad[o + i], *pad_end = &w->pad_end[o + i], *out = &w->out[o + i];
		int64_t full = w->stride[o + i] * (w->in[o + i] - 1) + opad[i] +
			       (w->k[o + i] - 1) * w->dil[o + i] + 1;
		if (ns > 0 || mode == AP_SAME_UPPER || mode == AP_SAME_LOWER) {
			*out = ns > 0 ? oshape[ns - n + i] : w->in[o + i] * w->stride[o + i];
			split_pad(mode, full - *out, pad, pad_end);
		} else {
			if (mode == AP_VALID)
				*pad = *pad_end = 0;
			*out = full - *pad - *pad_end;
		}
		if (*out < 1) {
			ir_error(g, node, "output size %lld along spatial axis %d is not positive",
				 (long long)*out, i);
			return -1;
		}
	}
	return 0;
}

static int convt_win(Graph *g, int node, Win *w)
{
	Tensor *x = in_t(g, node, 0), *wt = in_t(g, node, 1);
	int64_t group = ir_attr_int(g, node, "group", 1);
	int n = spatial_axes(g, node, x);

	if (n < 0 || (g->n[node].op != OP_QCONV_TRANSPOSE && same_type(g, node, 1)) ||
	    (g->n[node].op != OP_QCONV_TRANSPOSE && same_type(g, node, 2)))
		return -1;
	if (wt->rank != x->rank || group < 1 || group > INT32_MAX || wt->dims[0] != x->dims[1] ||
	    x->dims[1] % group) {
		ir_error(g, node, "W must be [C (%lld, a multiple of group %lld), M / group, "
			 "kernel...] of X's rank", (long long)x->dims[1], (long long)group);
		return -1;
	}
	if (has_in(g, node, 2) && (in_t(g, node, 2)->rank != 1 ||
				   in_t(g, node, 2)->dims[0] != wt->dims[1] * group)) {
		ir_error(g, node, "B must hold one value per output channel (%lld)",
			 (long long)(wt->dims[1] * group));
		return -1;
	}
	if (win_read(g, node, n, x->dims + 2, wt->dims + 2, w))
		return -1;
	return convt_out(g, node, w);
}

int shape_conv_transpose(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	Win w;

	if (convt_win(g, node, &w))
		return -1;
	out_dims(x, in_t(g, node, 1)->dims[1] * ir_attr_int(g, node, "group", 1), &w, dims);
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

int prep_conv_transpose(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_conv_params *p = LW_PARAMS(g, o2m_conv_params);
	Win w;
	int k;

	if (convt_win(g, node, &w) || conv_params(g, node, &w, x->dims[0], x->dims[1], y->dims[1],
						  ir_attr_int(g, node, "group", 1), p) ||
	    lw_act(g, node, &p->act, &p->act_alpha, &p->act_beta, &p->act_min, &p->act_max))
		return -1;
	if (!ir_numel(y))
		return 0;
	k = lw_kernel(g, node, "conv_transpose", x->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_CONV, p, 4, A_IN(0), A_IN(1), has_in(g, node, 2) ? A_IN(2) : A_NONE,
		A_OUT(0));
	return 0;
}

int lw_convt_geom(Graph *g, int node, o2m_conv_params *p)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	Win w;

	return convt_win(g, node, &w) || conv_params(g, node, &w, x->dims[0], x->dims[1], y->dims[1],
						     ir_attr_int(g, node, "group", 1), p) ? -1 : 0;
}

/* ---- pooling ---- */

static int pool_win(Graph *g, int node, Win *w)
{
	Tensor *x = in_t(g, node, 0);
	int n = spatial_axes(g, node, x);

	if (n < 0 || win_read(g, node, n, x->dims + 2, NULL, w))
		return -1;
	return win_out(g, node, w, (int)ir_attr_int(g, node, "ceil_mode", 0));
}

int shape_pool(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	Win w;

	if (pool_win(g, node, &w))
		return -1;
	out_dims(x, x->dims[1], &w, dims);
	set_out(g, node, 0, x->dtype, x->rank, dims);
	set_out(g, node, 1, DT_S64, x->rank, dims); /* MaxPool's Indices */
	return 0;
}

static int pool_params(Graph *g, int node, const Win *w, int64_t planes, o2m_pool_params *p)
{
	int errors = g->nerrors;

	p->planes = lw_i32(g, node, planes);
	p->in_d = lw_i32(g, node, w->in[0]), p->in_h = lw_i32(g, node, w->in[1]);
	p->in_w = lw_i32(g, node, w->in[2]);
	p->out_d = lw_i32(g, node, w->out[0]), p->out_h = lw_i32(g, node, w->out[1]);
	p->out_w = lw_i32(g, node, w->out[2]);
	p->k_d = lw_i32(g, node, w->k[0]), p->k_h = lw_i32(g, node, w->k[1]);
	p->k_w = lw_i32(g, node, w->k[2]);
	p->stride_d = lw_i32(g, node, w->stride[0]), p->stride_h = lw_i32(g, node, w->stride[1]);
	p->stride_w = lw_i32(g, node, w->stride[2]);
	p->dil_d = lw_i32(g, node, w->dil[0]), p->dil_h = lw_i32(g, node, w->dil[1]);
	p->dil_w = lw_i32(g, node, w->dil[2]);
	p->pad_d = lw_i32(g, node, w->pad[0]), p->pad_h = lw_i32(g, node, w->pad[1]);
	p->pad_w = lw_i32(g, node, w->pad[2]);
	p->pad_end_d = lw_i32(g, node, w->pad_end[0]), p->pad_end_h = lw_i32(g, node, w->pad_end[1]);
	p->pad_end_w = lw_i32(g, node, w->pad_end[2]);
	return g->nerrors > errors ? -1 : 0;
}

/* the pool kernel of an op (its family in ops.def), with its attributes in p */
static int pool_call(Graph *g, int node, Lowered *L, o2m_pool_params *p)
{
	const Node *n = &g->n[node];
	const char *family = op_info[n->op].kernel;
	int with_idx = n->nout > 1 && n->out[1] >= 0, k;

	if (n->op == OP_AVERAGE_POOL)
		p->count_include_pad = (int32_t)ir_attr_int(g, node, "count_include_pad", 0);
	if (n->op == OP_MAX_POOL)
		p->storage_order = (int32_t)ir_attr_int(g, node, "storage_order", 0);
	if (!strcmp(family, "lppool"))
		p->p = (int32_t)ir_attr_int(g, node, "p", 2);
	if (!strcmp(family, "lppool") && p->p < 1) {
		ir_error(g, node, "p must be a positive integer");
		return -1;
	}
	k = lw_kernel(g, node, with_idx ? "maxpool_idx" : family, in_t(g, node, 0)->dtype);
	if (k < 0)
		return -1;
	if (with_idx)
		lw_call(g, L, k, PT_POOL, p, 3, A_IN(0), A_OUT(0), A_OUT(1));
	else
		lw_call(g, L, k, PT_POOL, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

int prep_pool(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_pool_params *p = LW_PARAMS(g, o2m_pool_params);
	Win w;

	if (pool_win(g, node, &w) || pool_params(g, node, &w, x->dims[0] * x->dims[1], p))
		return -1;
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	return pool_call(g, node, L, p);
}

int shape_global_pool(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];

	if (x->rank < 3) {
		ir_error(g, node, "input needs spatial axes after N and C");
		return -1;
	}
	for (int i = 0; i < x->rank; i++)
		dims[i] = i < 2 ? x->dims[i] : 1;
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

/* one window over each whole plane, seen as one flat axis */
int prep_global_pool(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_pool_params *p = LW_PARAMS(g, o2m_pool_params);
	int64_t size = 1;
	Win w;

	for (int i = 2; i < x->rank; i++)
		size *= x->dims[i];
	memset(&w, 0, sizeof w);
	w.n = 1;
	for (int i = 0; i < SP; i++)
		w.in[i] = w.out[i] = w.k[i] = w.stride[i] = w.dil[i] = 1;
	w.in[SP - 1] = w.k[SP - 1] = size;
	if (pool_params(g, node, &w, x->dims[0] * x->dims[1], p))
		return -1;
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	if (!size) {
		ir_error(g, node, "the input has no spatial elements to pool");
		return -1;
	}
	return pool_call(g, node, L, p);
}

int lw_pool_geom(Graph *g, int node, o2m_pool_params *p)
{
	Tensor *x = in_t(g, node, 0);
	Win w;

	if (pool_win(g, node, &w) || pool_params(g, node, &w, x->dims[0] * x->dims[1], p))
		return -1;
	p->count_include_pad = (int32_t)ir_attr_int(g, node, "count_include_pad", 0);
	return 0;
}

/* ---- MaxUnpool ---- */

/* the shape MaxPool saw (idx) and the output's spatial sizes (out) */
static int unpool_win(Graph *g, int node, Win *w, int64_t *dims)
{
	Tensor *x = in_t(g, node, 0), *ix = in_t(g, node, 1);
	int n = spatial_axes(g, node, x), o;

	if (n < 0 || win_read(g, node, n, x->dims + 2, NULL, w))
		return -1;
	if (ix->dtype != DT_S64 || ix->rank != x->rank || ir_numel(ix) != ir_numel(x)) {
		ir_error(g, node, "I must be int64 of X's shape");
		return -1;
	}
	o = SP - n;
	dims[0] = x->dims[0];
	dims[1] = x->dims[1];
	for (int i = 0; i < n; i++) {
		w->out[o + i] = (w->in[o + i] - 1) * w->stride[o + i] - w->pad[o + i] -
				w->pad_end[o + i] + w->k[o + i];
		dims[2 + i] = w->out[o + i];
	}
	if (has_in(g, node, 2)) {
		int c = ir_const_ints(g, node, ir_in(g, node, 2), dims, IR_MAX_RANK);
		if (c < 0)
			return -1;
		if (c != x->rank || dims[0] * dims[1] != x->dims[0] * x->dims[1]) {
			ir_error(g, node, "output_shape must be [N, C, spatial...] of X's N and C");
			return -1;
		}
	}
	for (int i = 2; i < x->rank; i++) {
		if (dims[i] < 1) {
			ir_error(g, node, "output size %lld is not positive", (long long)dims[i]);
			return -1;
		}
	}
	return 0;
}

int shape_max_unpool(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	Win w;

	if (unpool_win(g, node, &w, dims))
		return -1;
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

int prep_max_unpool(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_unpool_params *p = LW_PARAMS(g, o2m_unpool_params);
	int64_t dims[IR_MAX_RANK];
	int64_t idx[SP] = {1, 1, 1}, out[SP] = {1, 1, 1};
	int k, errors = g->nerrors;
	Win w;

	if (unpool_win(g, node, &w, dims))
		return -1;
	for (int i = 2; i < x->rank; i++) {
		idx[SP - x->rank + i] = w.out[SP - x->rank + i];
		out[SP - x->rank + i] = y->dims[i];
	}
	p->count = lw_i32(g, node, ir_numel(x));
	p->planes = lw_i32(g, node, x->dims[0] * x->dims[1]);
	p->idx_d = lw_i32(g, node, idx[0]), p->idx_h = lw_i32(g, node, idx[1]);
	p->idx_w = lw_i32(g, node, idx[2]);
	p->out_d = lw_i32(g, node, out[0]), p->out_h = lw_i32(g, node, out[1]);
	p->out_w = lw_i32(g, node, out[2]);
	lw_i32(g, node, ir_numel(y));
	lw_i32(g, node, (int64_t)p->planes * idx[0] * idx[1] * idx[2]);
	k = lw_kernel(g, node, "maxunpool", x->dtype);
	if (k < 0 || g->nerrors > errors)
		return -1;
	if (ir_numel(y))
		lw_call(g, L, k, PT_UNPOOL, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	return 0;
}

/* ---- Col2Im ---- */

/* blocks per axis (in), image (out) and block (k) geometry; c receives the channels */
static int col2im_win(Graph *g, int node, Win *w, int64_t *c)
{
	Tensor *x = in_t(g, node, 0);
	int64_t image[SP + 1], block[SP + 1], ksize = 1, blocks = 1;
	int n = ir_const_ints(g, node, ir_in(g, node, 1), image, SP + 1);
	int nb = ir_const_ints(g, node, ir_in(g, node, 2), block, SP + 1), o;

	if (n < 0 || nb < 0)
		return -1;
	if (n < 1 || n > SP || nb != n || x->rank != 3) {
		ir_error(g, node, "input must be [N, C * block size, blocks] with image_shape and "
			 "block_shape of 1 to %d values each", SP);
		return -1;
	}
	if (win_read(g, node, n, image, block, w))
		return -1;
	o = SP - n;
	for (int i = o; i < SP; i++) {
		int64_t span = w->in[i] + w->pad[i] + w->pad_end[i] - (w->k[i] - 1) * w->dil[i] - 1;
		if (w->k[i] < 1 || span < 0) {
			ir_error(g, node, "the block does not fit the padded image");
			return -1;
		}
		w->out[i] = w->in[i]; /* the image is the output... */
		w->in[i] = span / w->stride[i] + 1; /* ...and the blocks the input */
		ksize *= w->k[i];
		blocks *= w->in[i];
	}
	if (x->dims[1] % ksize || x->dims[2] != blocks) {
		ir_error(g, node, "input is [%lld, %lld, %lld]; C * %lld rows and %lld blocks are "
			 "expected", (long long)x->dims[0], (long long)x->dims[1],
			 (long long)x->dims[2], (long long)ksize, (long long)blocks);
		return -1;
	}
	*c = x->dims[1] / ksize;
	return 0;
}

int shape_col2im(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK], c;
	Win w;

	if (col2im_win(g, node, &w, &c))
		return -1;
	out_dims(x, c, &w, dims);
	set_out(g, node, 0, x->dtype, 2 + w.n, dims);
	return 0;
}

int prep_col2im(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_conv_params *p = LW_PARAMS(g, o2m_conv_params);
	int64_t c;
	Win w;
	int k;

	if (col2im_win(g, node, &w, &c) || conv_params(g, node, &w, x->dims[0], c, c, 1, p))
		return -1;
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	k = lw_kernel(g, node, "col2im", x->dtype);
	if (k < 0)
		return -1;
	lw_call(g, L, k, PT_CONV, p, 2, A_IN(0), A_OUT(0));
	return 0;
}

/* ---- DeformConv ---- */

static int shape_is(const Tensor *t, int64_t d0, int64_t d1, int64_t d2, int64_t d3)
{
	return t->rank == 4 && t->dims[0] == d0 && t->dims[1] == d1 && t->dims[2] == d2 &&
	       t->dims[3] == d3;
}

/* the convolution geometry, then offset, mask and bias against it */
static int deform_win(Graph *g, int node, Win *w)
{
	Tensor *x = in_t(g, node, 0), *wt = in_t(g, node, 1);
	int64_t group = ir_attr_int(g, node, "group", 1), og = ir_attr_int(g, node, "offset_group", 1);
	int64_t taps, n, oh, ow;

	for (int k = 1; k < 5; k++)
		if (same_type(g, node, k))
			return -1;
	if (x->rank != 4 || wt->rank != 4 || group < 1 || og < 1 || group > INT32_MAX || x->dims[1] % og ||
	    wt->dims[1] * group != x->dims[1] || wt->dims[0] % group) {
		ir_error(g, node, "X must be [N, C, H, W] and W [M, C / group, kH, kW] with C and M "
			 "multiples of group and C of offset_group");
		return -1;
	}
	if (win_read(g, node, 2, x->dims + 2, wt->dims + 2, w) || win_out(g, node, w, 0))
		return -1;
	taps = wt->dims[2] * wt->dims[3];
	n = x->dims[0], oh = w->out[SP - 2], ow = w->out[SP - 1];
	if (!shape_is(in_t(g, node, 2), n, og * 2 * taps, oh, ow) ||
	    (has_in(g, node, 4) && !shape_is(in_t(g, node, 4), n, og * taps, oh, ow)) ||
	    (has_in(g, node, 3) && (in_t(g, node, 3)->rank != 1 ||
				    in_t(g, node, 3)->dims[0] != wt->dims[0]))) {
		ir_error(g, node, "offset must be [%lld, %lld, %lld, %lld], mask [%lld, %lld, %lld, "
			 "%lld] and B [%lld]", (long long)n, (long long)(og * 2 * taps),
			 (long long)oh, (long long)ow, (long long)n, (long long)(og * taps),
			 (long long)oh, (long long)ow, (long long)wt->dims[0]);
		return -1;
	}
	return 0;
}

int shape_deform_conv(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	Win w;

	if (deform_win(g, node, &w))
		return -1;
	out_dims(x, in_t(g, node, 1)->dims[0], &w, dims);
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

int prep_deform_conv(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_deform_params *p = LW_PARAMS(g, o2m_deform_params);
	int errors = g->nerrors, k;
	Win w;

	if (deform_win(g, node, &w))
		return -1;
	p->n = lw_i32(g, node, x->dims[0]);
	p->c_in = lw_i32(g, node, x->dims[1]);
	p->c_out = lw_i32(g, node, y->dims[1]);
	p->group = lw_i32(g, node, ir_attr_int(g, node, "group", 1));
	p->offset_group = lw_i32(g, node, ir_attr_int(g, node, "offset_group", 1));
	p->in_h = lw_i32(g, node, w.in[1]), p->in_w = lw_i32(g, node, w.in[2]);
	p->out_h = lw_i32(g, node, w.out[1]), p->out_w = lw_i32(g, node, w.out[2]);
	p->k_h = lw_i32(g, node, w.k[1]), p->k_w = lw_i32(g, node, w.k[2]);
	p->stride_h = lw_i32(g, node, w.stride[1]), p->stride_w = lw_i32(g, node, w.stride[2]);
	p->dil_h = lw_i32(g, node, w.dil[1]), p->dil_w = lw_i32(g, node, w.dil[2]);
	p->pad_h = lw_i32(g, node, w.pad[1]), p->pad_w = lw_i32(g, node, w.pad[2]);
	lw_i32(g, node, ir_numel(in_t(g, node, 2)));
	k = lw_kernel(g, node, "deform_conv", x->dtype);
	if (k < 0 || g->nerrors > errors)
		return -1;
	if (ir_numel(y))
		lw_call(g, L, k, PT_DEFORM, p, 6, A_IN(0), A_IN(1), A_IN(2),
			has_in(g, node, 3) ? A_IN(3) : A_NONE, has_in(g, node, 4) ? A_IN(4) : A_NONE,
			A_OUT(0));
	return 0;
}

/* ---- CausalConvWithState ---- */

static int has_out(Graph *g, int node, int k)
{
	return k < g->n[node].nout && g->n[node].out[k] >= 0;
}

static int is_dims3(const Tensor *t, int64_t d0, int64_t d1, int64_t d2)
{
	return t->rank == 3 && t->dims[0] == d0 && t->dims[1] == d1 && t->dims[2] == d2;
}

/* input [N, C, L], weight [C, 1, K], bias [C], past_state [N, C, K - 1]; 1 for a fused
   SiLU (activation 'silu' or its alias 'swish'), 0 for none, -1 for bad input */
static int causal_check(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0), *wt = in_t(g, node, 1);
	const char *act = ir_attr_str(g, node, "activation", "none");
	int64_t n, c, k;

	for (int i = 1; i < 4; i++)
		if (same_type(g, node, i))
			return -1;
	if (x->rank != 3) {
		ir_error(g, node, "input must be [batch, channels, length], not rank %d", x->rank);
		return -1;
	}
	n = x->dims[0], c = x->dims[1], k = wt->rank == 3 ? wt->dims[2] : 0;
	if (k < 1 || !is_dims3(wt, c, 1, k)) {
		ir_error(g, node, "weight must be [%lld, 1, k] with k >= 1 (depthwise over the "
			 "input's channels)", (long long)c);
		return -1;
	}
	if (has_in(g, node, 2) && (in_t(g, node, 2)->rank != 1 || in_t(g, node, 2)->dims[0] != c)) {
		ir_error(g, node, "bias must be [%lld]", (long long)c);
		return -1;
	}
	if (has_in(g, node, 3) && !is_dims3(in_t(g, node, 3), n, c, k - 1)) {
		ir_error(g, node, "past_state must be [%lld, %lld, %lld] (kernel size - 1)",
			 (long long)n, (long long)c, (long long)(k - 1));
		return -1;
	}
	if (strcmp(act, "silu") == 0 || strcmp(act, "swish") == 0)
		return 1;
	if (strcmp(act, "none") != 0) {
		ir_error(g, node, "activation '%s' is not one of 'none', 'silu', 'swish'", act);
		return -1;
	}
	return 0;
}

int shape_causal_conv(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[3];

	if (causal_check(g, node) < 0)
		return -1;
	dims[0] = x->dims[0], dims[1] = x->dims[1], dims[2] = in_t(g, node, 1)->dims[2] - 1;
	set_out(g, node, 0, x->dtype, 3, x->dims);
	set_out(g, node, 1, x->dtype, 3, dims);
	return 0;
}

/* present_state when there is no past_state: the last k - 1 positions of
   zeros(k - 1) ++ input */
static int causal_present_zero(Graph *g, int node, Lowered *L, int64_t rows, int64_t len,
			       int64_t e)
{
	int es = (int)dt_size(in_t(g, node, 0)->dtype);
	int64_t m = len < e ? len : e, dims[2] = {rows, m}, ss[2] = {len, 1}, ds[2] = {e, 1};

	if (len < e)
		lw_zero(g, node, L, 1);
	return m ? lw_copy(g, node, L, es, 2, dims, ss, ds, len - m, e - m, A_IN(0), A_OUT(1))
		 : 0;
}

/* The depthwise convolution kernel over past_state ++ input, gathered in a scratch
   buffer, or over the input with k - 1 leading zero pads when there is no past_state,
   the SiLU as its epilogue; present_state copied from the tail of that sequence. */
int prep_causal_conv(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0), *y = out_t(g, node, 0);
	o2m_conv_params *p = LW_PARAMS(g, o2m_conv_params);
	int silu = causal_check(g, node), es = (int)dt_size(x->dtype), kc;
	int64_t rows = x->dims[0] * x->dims[1], len = x->dims[2];
	int64_t e = in_t(g, node, 1)->dims[2] - 1, full = e + len;
	int64_t ss[2] = {e, 1}, ds[2] = {full, 1}, dims[2] = {rows, e};
	int64_t xs[2] = {len, 1}, xdims[2] = {rows, len};
	Win w = {1, {1, 1, len}, {1, 1, len}, {1, 1, e + 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, e},
		 {0, 0, 0}};
	Arg src = A_IN(0);

	if (silu < 0)
		return -1;
	if (has_in(g, node, 3)) { /* past_state ++ input in scratch; no padding */
		src = A_SCR(lw_scratch(g, L, rows * full * es));
		w.in[2] = full, w.pad[2] = 0;
		if ((e && lw_copy(g, node, L, es, 2, dims, ss, ds, 0, 0, A_IN(3), src)) ||
		    (len && lw_copy(g, node, L, es, 2, xdims, xs, ds, 0, e, A_IN(0), src)))
			return -1;
	}
	if (conv_params(g, node, &w, x->dims[0], x->dims[1], x->dims[1], x->dims[1], p))
		return -1;
	if (silu) {
		p->act = O2M_ACT_SWISH;
		p->act_alpha = 1.0f;
	}
	kc = lw_kernel(g, node, "conv_dw", x->dtype);
	if (kc < 0)
		return -1;
	if (ir_numel(y))
		lw_call(g, L, kc, PT_CONV, p, 5, src, A_IN(1),
			has_in(g, node, 2) ? A_IN(2) : A_NONE, A_NONE, A_OUT(0));
	if (!has_out(g, node, 1) || !ir_numel(out_t(g, node, 1)))
		return 0;
	if (!has_in(g, node, 3))
		return causal_present_zero(g, node, L, rows, len, e);
	return lw_copy(g, node, L, es, 2, dims, ds, ss, len, 0, src, A_OUT(1));
}
