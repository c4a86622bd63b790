/* lower.c - running an op's prepare to turn a node into kernel calls, and the builders
   prepares use: calls, prepared constants, scratch, broadcast and copy geometry. */
#include "lower.h"

#include <float.h>
#include <stdarg.h>
#include <string.h>

int ir_lower_node(Graph *g, int node, Lowered *L)
{
	const OpInfo *op = &op_info[g->n[node].op];
	int errors = g->nerrors;

	memset(L, 0, sizeof *L);
	L->alias = -1;
	L->inplace = -1;
	if (op->prepare(g, node, L) || g->nerrors > errors)
		return -1;
	return 0;
}

int ir_lowered_view(const Lowered *L, int k, int64_t *offset)
{
	*offset = 0;
	if (L->alias < 0 || (!L->view_off && k))
		return -1;
	if (L->view_off)
		*offset = L->view_off[k];
	return L->alias;
}

int ir_view_of(const Graph *g, int node, int k, int64_t *offset)
{
	const Node *n = &g->n[node];
	int a;

	*offset = 0;
	if (!n->low || k >= n->nout || n->out[k] < 0 || (a = ir_lowered_view(n->low, k, offset)) < 0)
		return -1;
	return n->in[a];
}

int ir_tensor_view(const Graph *g, int t, int64_t *offset)
{
	int p = g->t[t].producer;

	*offset = 0;
	for (int k = 0; p >= 0 && k < g->n[p].nout; k++)
		if (g->n[p].out[k] == t)
			return ir_view_of(g, p, k, offset);
	return -1;
}

void lw_call(Graph *g, Lowered *L, int kernel, ParamType pt, const void *params, int nargs, ...)
{
	KCall *c;
	va_list ap;

	IR_ASSERT(kernel >= 0 && kernel < kernel_count);
	IR_ASSERT(nargs == kernel_table[kernel].nargs && nargs <= IR_MAX_ARGS);
	ARENA_GROW(&g->arena, L->call, L->ncall, L->capcall, 4);
	c = &L->call[L->ncall++];
	memset(c, 0, sizeof *c);
	c->kernel = kernel;
	c->ptype = pt;
	c->params = params;
	c->nargs = nargs;
	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++)
		c->arg[i] = va_arg(ap, Arg);
	va_end(ap);
}

int lw_const(Graph *g, Lowered *L, DType dt, int64_t count, const void *data)
{
	PConst *c;

	ARENA_GROW(&g->arena, L->cst, L->ncst, L->capcst, 4);
	c = &L->cst[L->ncst];
	c->dtype = dt;
	c->count = count;
	c->data = arena_memdup(&g->arena, data, (size_t)(count * dt_size(dt)));
	return L->ncst++;
}

int lw_scratch(Graph *g, Lowered *L, int64_t bytes)
{
	ARENA_GROW(&g->arena, L->scratch, L->nscratch, L->capscratch, 4);
	L->scratch[L->nscratch] = bytes;
	return L->nscratch++;
}

int lw_kernel(Graph *g, int node, const char *family, DType dt)
{
	int k = kernel_find(family, dt);
	if (k < 0)
		ir_error(g, node, "element type %s is not supported (no kernel o2m_%s_%s)",
			 dt_name(dt), family, dt_suffix(dt));
	return k;
}

int32_t lw_i32(Graph *g, int node, int64_t v)
{
	if (v > INT32_MAX || v < INT32_MIN) {
		ir_error(g, node, "size %lld exceeds the 32-bit range of the kernels", (long long)v);
		return 0;
	}
	return (int32_t)v;
}

/* the activations the epilogue fuses, with the defaults of the ONNX op's alpha and beta */
static const struct {
	const char *name;
	int32_t act;
	float alpha, beta;
} fused_acts[] = {
	{"LeakyRelu", O2M_ACT_LEAKY_RELU, 0.01f, 0},
	{"Sigmoid", O2M_ACT_SIGMOID, 0, 0},
	{"Tanh", O2M_ACT_TANH, 0, 0},
	{"HardSigmoid", O2M_ACT_HARD_SIGMOID, 0.2f, 0.5f},
	{"HardSwish", O2M_ACT_HARD_SWISH, 0, 0},
	{"Gelu", O2M_ACT_GELU, 0, 0},
	{"GeluTanh", O2M_ACT_GELU_TANH, 0, 0},
	{"Swish", O2M_ACT_SWISH, 1.0f, 0},
	{"Elu", O2M_ACT_ELU, 1.0f, 0},
};

int lw_act(Graph *g, int node, int32_t *act, float *alpha, float *beta, float *min, float *max)
{
	const char *s;

	*act = O2M_ACT_NONE;
	*alpha = *beta = 0;
	*min = -FLT_MAX;
	*max = FLT_MAX;
	if (!(op_info[g->n[node].op].flags & OPF_INTERNAL))
		return 0;
	*min = ir_attr_float(g, node, "act_min", -FLT_MAX);
	*max = ir_attr_float(g, node, "act_max", FLT_MAX);
	if (!(*min <= *max)) { /* Clip and the kernels' clamp differ when min > max */
		ir_error(g, node, "act_min %g is above act_max %g, or one is NaN", (double)*min,
			 (double)*max);
		return -1;
	}
	s = ir_attr_str(g, node, "activation", "");
	if (!*s)
		return 0;
	for (size_t i = 0; i < sizeof fused_acts / sizeof fused_acts[0]; i++) {
		if (strcmp(s, fused_acts[i].name))
			continue;
		*act = fused_acts[i].act;
		*alpha = ir_attr_float(g, node, "act_alpha", fused_acts[i].alpha);
		*beta = ir_attr_float(g, node, "act_beta", fused_acts[i].beta);
		return 0;
	}
	ir_error(g, node, "activation '%s' is not one the kernels fuse (LeakyRelu, Sigmoid, "
		 "Tanh, HardSigmoid, HardSwish, Gelu, GeluTanh, Swish, Elu)", s);
	return -1;
}

void lw_strides(int rank, const int64_t *dims, int64_t *strides)
{
	int64_t s = 1;
	for (int i = rank - 1; i >= 0; i--) {
		strides[i] = s;
		s *= dims[i];
	}
}

Shape lw_shape(const Tensor *t)
{
	Shape s;
	s.rank = t->rank;
	for (int i = 0; i < t->rank; i++)
		s.dims[i] = t->dims[i];
	return s;
}

void lw_bcast(Graph *g, int node, const int *ts, int n, o2m_bcast_params *p)
{
	Shape in[3], out = lw_shape(out_t(g, node, 0));

	IR_ASSERT(n <= 3);
	for (int k = 0; k < n; k++)
		in[k] = lw_shape(&g->t[ts[k]]);
	lw_bcast_shapes(g, node, in, n, &out, p);
}

void lw_bcast_shapes(Graph *g, int node, const Shape *in, int n, const Shape *out,
		     o2m_bcast_params *p)
{
	int rank = out->rank, r = 0;
	int64_t dims[IR_MAX_RANK], st[3][IR_MAX_RANK];

	IR_ASSERT(n <= 3);
	memset(p, 0, sizeof *p);
	for (int k = 0; k < n; k++) {
		const Shape *t = &in[k];
		int64_t s = 1;
		for (int i = rank - 1; i >= 0; i--) {
			int j = i - (rank - t->rank);
			int64_t d = j >= 0 ? t->dims[j] : 1;
			st[k][i] = d == 1 ? 0 : s;
			s *= d;
		}
	}
	/* drop size-1 dims, then merge dim i into the previous kept one when every
	   operand walks both contiguously (stride[prev] == stride[i] * dims[i]) */
	for (int i = 0; i < rank; i++) {
		int merge = r > 0;
		if (out->dims[i] == 1)
			continue;
		for (int k = 0; k < n && merge; k++)
			merge = st[k][r - 1] == st[k][i] * out->dims[i];
		if (merge) {
			dims[r - 1] *= out->dims[i];
			for (int k = 0; k < n; k++)
				st[k][r - 1] = st[k][i];
			continue;
		}
		dims[r] = out->dims[i];
		for (int k = 0; k < n; k++)
			st[k][r] = st[k][i];
		r++;
	}
	if (r == 0) {
		r = 1;
		dims[0] = 1;
		for (int k = 0; k < n; k++)
			st[k][0] = 0;
	}
	p->rank = r;
	{
		int64_t count = 1;
		for (int i = 0; i < rank; i++)
			count *= out->dims[i];
		p->count = lw_i32(g, node, count);
	}
	for (int i = 0; i < r; i++) {
		p->dims[i] = lw_i32(g, node, dims[i]);
		p->sa[i] = n > 0 ? (int32_t)st[0][i] : 0;
		p->sb[i] = n > 1 ? (int32_t)st[1][i] : 0;
		p->sc[i] = n > 2 ? (int32_t)st[2][i] : 0;
	}
}

int lw_copy_compress(o2m_copy_params *p, int rank, const int64_t *dims, const int64_t *ss,
		     const int64_t *ds)
{
	int r = 0;

	for (int i = 0; i < rank; i++) {
		if (dims[i] == 0) { /* empty box */
			r = 0;
			break;
		}
		if (dims[i] == 1)
			continue;
		if (r > 0 && p->src_stride[r - 1] == ss[i] * dims[i] &&
		    p->dst_stride[r - 1] == ds[i] * dims[i]) {
			p->dims[r - 1] *= (int32_t)dims[i];
			p->src_stride[r - 1] = (int32_t)ss[i];
			p->dst_stride[r - 1] = (int32_t)ds[i];
			continue;
		}
		if (r == O2M_MAX_RANK)
			return -1;
		p->dims[r] = (int32_t)dims[i];
		p->src_stride[r] = (int32_t)ss[i];
		p->dst_stride[r] = (int32_t)ds[i];
		r++;
	}
	if (r == 0) {
		int empty = 0;
		for (int i = 0; i < rank; i++)
			empty |= dims[i] == 0;
		memset(p->dims, 0, sizeof p->dims);
		r = 1;
		p->dims[0] = empty ? 0 : 1;
		p->src_stride[0] = 1;
		p->dst_stride[0] = 1;
	}
	p->rank = r;
	return 0;
}

int lw_copy(Graph *g, int node, Lowered *L, int esize, int rank, const int64_t *dims,
	    const int64_t *ss, const int64_t *ds, int64_t soff, int64_t doff, Arg src, Arg dst)
{
	o2m_copy_params *p = LW_PARAMS(g, o2m_copy_params);

	if (lw_copy_compress(p, rank, dims, ss, ds)) {
		for (int64_t i = 0; i < dims[0]; i++)
			if (lw_copy(g, node, L, esize, rank - 1, dims + 1, ss + 1, ds + 1,
				    soff + i * ss[0], doff + i * ds[0], src, dst))
				return -1;
		return 0;
	}
	p->elem_size = esize;
	p->src_offset = lw_i32(g, node, soff);
	p->dst_offset = lw_i32(g, node, doff);
	lw_call(g, L, kernel_lookup("o2m_copy"), PT_COPY, p, 2, src, dst);
	return 0;
}

void lw_fill(Graph *g, int node, Lowered *L, int64_t count, int esize, Arg value, Arg dst)
{
	o2m_fill_params *p = LW_PARAMS(g, o2m_fill_params);

	p->count = lw_i32(g, node, count);
	p->elem_size = esize;
	lw_call(g, L, kernel_lookup("o2m_fill"), PT_FILL, p, 2, value, dst);
}

void lw_zero(Graph *g, int node, Lowered *L, int k)
{
	Tensor *y = out_t(g, node, k);
	unsigned char zero[8] = {0};

	lw_fill(g, node, L, ir_numel(y), dt_size(y->dtype),
		A_CST(lw_const(g, L, y->dtype, 1, zero)), A_OUT(k));
}

void set_out(Graph *g, int node, int k, DType dt, int rank, const int64_t *dims)
{
	int t = k < g->n[node].nout ? g->n[node].out[k] : -1;
	if (t >= 0)
		ir_set_shape(g, t, dt, rank, dims);
}

void set_out_like(Graph *g, int node, int k, int t)
{
	set_out(g, node, k, g->t[t].dtype, g->t[t].rank, g->t[t].dims);
}
