/* cost.c - what a node and a kernel call cost: multiply-accumulates from the op table's
   MAC column, bytes moved, and estimated Cortex-M4 cycles (instructions, as the
   emulator counts them) from a per-kernel-family model calibrated against m4run
   (docs/rewrites.md, "The cost model"). inspect, the report and the rewrite search all
   read these numbers. */
#include "ir.h"

#include "../runtime-stub/o2m_kernels.h"
#include "../runtime-stub/o2m_q8.h"

#include <string.h>

static int64_t out_numel(const Graph *g, int node)
{
	const Node *n = &g->n[node];
	return n->nout && n->out[0] >= 0 ? ir_numel(&g->t[n->out[0]]) : 0;
}

static const Tensor *input(const Graph *g, int node, int k)
{
	const Node *n = &g->n[node];
	return k < n->nin && n->in[k] >= 0 ? &g->t[n->in[k]] : NULL;
}

/* per output element, one filter's taps */
static int64_t filter_macs(const Graph *g, int node, const Tensor *w)
{
	return w && w->rank && w->dims[0] ? out_numel(g, node) * (ir_numel(w) / w->dims[0]) : 0;
}

int64_t cost_conv(const Graph *g, int node) { return filter_macs(g, node, input(g, node, 1)); }
int64_t cost_qconv(const Graph *g, int node) { return filter_macs(g, node, input(g, node, 3)); }

/* every input element meets one row of the weights */
int64_t cost_conv_transpose(const Graph *g, int node)
{
	const Tensor *x = input(g, node, 0), *w = input(g, node, 1);
	return x && w && w->rank && w->dims[0] ? ir_numel(x) * (ir_numel(w) / w->dims[0]) : 0;
}

int64_t cost_matmul(const Graph *g, int node)
{
	const Tensor *a = input(g, node, 0);
	return a ? out_numel(g, node) * (a->rank ? a->dims[a->rank - 1] : 1) : 0;
}

int64_t cost_gemm(const Graph *g, int node)
{
	const Tensor *a = input(g, node, 0);
	int64_t k;

	if (!a)
		return 0;
	k = a->rank ? a->dims[a->rank - 1] : 1;
	if (ir_attr_int(g, node, "transA", 0) && a->rank == 2)
		k = a->dims[0];
	return out_numel(g, node) * k;
}

/* every step multiplies the input by W and the hidden state by R */
int64_t cost_rnn(const Graph *g, int node)
{
	const Tensor *x = input(g, node, 0), *w = input(g, node, 1), *r = input(g, node, 2);
	int64_t steps = x && x->rank == 3 ? x->dims[0] * x->dims[1] : 0;
	return w && r ? steps * (ir_numel(w) + ir_numel(r)) : 0;
}

int64_t ir_node_macs(const Graph *g, int node)
{
	MacsFn f = op_info[g->n[node].op].macs;
	return f ? f(g, node) : 0;
}

int64_t ir_node_bytes(const Graph *g, int node)
{
	const Node *n = &g->n[node];
	int64_t b = 0;

	for (int k = 0; k < n->nin; k++)
		if (n->in[k] >= 0 && !ir_is_list(g, n->in[k]))
			b += ir_nbytes(&g->t[n->in[k]]);
	for (int k = 0; k < n->nout; k++)
		if (n->out[k] >= 0 && !ir_is_list(g, n->out[k]))
			b += ir_nbytes(&g->t[n->out[k]]);
	return b;
}

/* The cost model: a kernel call's Cortex-M4 instructions are sum(coef[i] * term[i]) over
   the terms of its family (what its loops count: steps of the register-blocked
   products, panel elements, outputs, rows), the coefficients fitted by bench/calibrate.sh
   to instructions measured on the emulated core (ir/cost_model.def, generated); the
   families without terms of their own take CT_CALL, CT_MAC, CT_OUT, CT_IN (the node's
   MACs, output and first input elements). Families without a fitted row take the last
   row, an elementwise pass. */
typedef enum {
	TERMS_PLAIN, TERMS_CONV_GEMM, TERMS_DW_ROWS, TERMS_GEMM_PK, TERMS_Q8_W16, TERMS_Q8_FC,
	TERMS_Q8_DW
} TermKind;

static const struct {
	const char *family;
	TermKind terms;
	double coef[IR_COST_TERMS];
} model[] = {
#define CM(family, terms, c0, c1, c2, c3, c4, c5, c6, c7, c8) \
	{#family, terms, {c0, c1, c2, c3, c4, c5, c6, c7, c8}},
#include "cost_model.def"
#undef CM
	{NULL, TERMS_PLAIN, {60, 0, 8, 0, 0, 0, 0, 0}}, /* elementwise */
};

/* the family of a kernel: its name without "o2m_" and the type suffix */
static int family_row(int kernel)
{
	const char *name = kernel_table[kernel].name + 4, *end = strrchr(name, '_');
	size_t len = end ? (size_t)(end - name) : strlen(name);
	int i;

	if (!end || (strcmp(end, "_f32") && strcmp(end, "_f64") && end[1] != 's' && end[1] != 'u'))
		len = strlen(name); /* no type suffix (copy, fill) */
	for (i = 0; model[i].family; i++)
		if (strlen(model[i].family) == len && !strncmp(model[i].family, name, len))
			return i;
	if (len > 4 && !strncmp(name + len - 4, "_res", 4)) /* a convolution with its Add */
		for (i = 0; model[i].family; i++)
			if (strlen(model[i].family) == len - 4 &&
			    !strncmp(model[i].family, name, len - 4))
				return i;
	return i;
}

/* whether a kernel is a convolution with the residual Add in its epilogue (costed on its
   convolution's row, the Add's outputs as term 8) */
static int is_res_kernel(int kernel)
{
	return strstr(kernel_table[kernel].name, "_res_") != NULL;
}

/* conv_gemm, conv_im2col, conv_1x1: per image and group, panels of 4 output positions;
   per panel, 4 x 4 blocks over kt = cin * kernel taps, then the odd channels one by one.
   An im2col panel of 4 positions in one row whose windows lie inside the row copies
   without checks (4 adjacent inputs at once at stride 1); other panels check each tap. */
static void terms_conv_gemm(const o2m_conv_params *p, double *t)
{
	const double g = (double)p->n * p->group;
	const int32_t plane = p->out_d * p->out_h * p->out_w;
	const double kt = (double)(p->c_in / p->group) * p->k_d * p->k_h * p->k_w;
	const double c4 = (double)(p->c_out / p->group / 4), cr = (double)(p->c_out / p->group % 4);
	const int pw = p->k_d * p->k_h * p->k_w == 1 && p->stride_d == 1 && p->stride_h == 1 &&
		       p->stride_w == 1 && !p->pad_d && !p->pad_h && !p->pad_w;
	const double panels = g * (double)((plane + 3) / 4);
	double fast = 0;

	for (int32_t pos = 0; !pw && pos < plane; pos += 4) {
		const int32_t ow = pos % p->out_w, w0 = ow * p->stride_w - p->pad_w;
		if (plane - pos >= 4 && ow + 4 <= p->out_w && w0 >= 0 &&
		    w0 + (p->k_w - 1) * p->dil_w + 3 * p->stride_w < p->in_w)
			fast += 1;
	}
	t[CT_CALL] = 1;
	t[CT_MAC] = panels * c4 * kt;                 /* 4 x 4 steps */
	t[CT_OUT] = (double)p->n * p->c_out * plane;  /* outputs */
	t[CT_IN] = panels * cr * kt;                  /* 1 x 4 steps */
	t[4] = panels * (c4 + cr);                    /* blocks */
	t[5] = pw ? panels * kt : 0;                  /* pointwise panel elements */
	t[6] = g * fast * kt;                         /* im2col elements copied unchecked */
	t[7] = pw ? 0 : panels * kt - t[6];           /* im2col elements checked */
}

/* conv_dw_rows: per channel, rows of outputs; the 3x3 windows unrolled, others not */
static void terms_dw_rows(const o2m_conv_params *p, double *t)
{
	const double ch = (double)p->n * p->c_out, rows = ch * p->out_h, outs = rows * p->out_w;
	const int fast = p->k_h == 3 && p->k_w == 3 && p->dil_w == 1, mode = o2m_dw_rows_mode(p);
	const double wp = (double)(p->out_w - 1) * p->stride_w + (p->k_w - 1) * p->dil_w + 1;
	int32_t lo, hi;

	o2m_interior(p->out_w, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &lo, &hi);
	t[CT_CALL] = 1;
	t[CT_MAC] = fast ? 0 : outs * p->k_h * p->k_w; /* taps of the plain loop */
	t[CT_OUT] = fast ? outs : 0;                     /* unrolled 3x3 outputs */
	t[CT_IN] = mode == O2M_DW_PLANE ? ch * p->in_h * p->in_w   /* the plane's copy */
		   : mode == O2M_DW_RING ? ch * p->in_h * wp : 0;  /* the ring's */
	t[4] = mode == O2M_DW_PLANE && fast ? ch : rows;           /* calls of the row loops */
	t[5] = mode == O2M_DW_IN_PLACE ? rows * (p->out_w - (hi - lo)) * p->k_h * p->k_w : 0;
	t[6] = ch;                                                 /* channels */
	t[7] = mode == O2M_DW_PLANE ? ch * p->in_h : mode == O2M_DW_RING ? ch * p->in_h : 0;
}

/* gemm_pk: per row of A, panels of 8 columns (k steps of 8 products), the odd columns
   as dot products */
static void terms_gemm_pk(const o2m_gemm_params *p, double *t)
{
	t[CT_CALL] = 1;
	t[CT_MAC] = (double)p->m * (p->n / 8) * p->k; /* 8-wide steps */
	t[CT_OUT] = (double)p->m * p->n;
	t[CT_IN] = (double)p->m * (p->n % 8) * p->k;  /* dot product steps */
	t[4] = (double)p->m * (p->n / 8);             /* panels */
	t[5] = t[6] = t[7] = 0;
}

/* q8_conv_w16 (runtime-stub/o2m_q8_conv.c): per image and group, blocks of 4 output
   positions; per block its columns (by pairs of channels for an even channel count, tap
   by tap for an odd one), then per pair of filters the 2 x 4 assembly: turns of 8 pairs of
   taps, the entry and the 8 outputs */
static void terms_q8_w16(const o2m_q8_conv_params *q, double *t)
{
	const o2m_conv_params *p = &q->conv;
	const int32_t plane = p->out_d * p->out_h * p->out_w, cin = p->c_in / p->group;
	const double k = (double)cin * p->k_d * p->k_h * p->k_w;
	const double k8 = (double)o2m_q8_k8((int64_t)k);
	const double blocks = (double)p->n * p->group * ((plane + 3) / 4);
	const double pairs = blocks * ((p->c_out / p->group + 1) / 2);

	t[CT_CALL] = 1;
	t[CT_MAC] = pairs * k8 / 16;                   /* turns of the 2 x 4 loop */
	t[CT_OUT] = (double)p->n * p->c_out * plane;   /* outputs */
	t[CT_IN] = cin % 2 ? 0 : blocks * k / 2;      /* pairs of channels copied */
	t[4] = pairs;                                  /* 2 x 4 blocks */
	t[5] = cin % 2 ? blocks * k : 0;               /* taps copied one by one */
	t[6] = blocks;
	t[7] = p->c_out;                               /* the rescale table */
}

/* q8_fc_w16: per row of the input its int16 copy, then per four outputs the 4 x 1
   assembly (turns of 8 inputs) and the rescales */
static void terms_q8_fc(const o2m_q8_fc_params *p, double *t)
{
	const double quads = (double)p->batch * ((p->out + 3) / 4);

	t[CT_CALL] = 1;
	t[CT_MAC] = quads * (double)o2m_q8_k8(p->in) / 8;
	t[CT_OUT] = (double)p->batch * p->out;
	t[CT_IN] = (double)p->batch * p->in;
	t[4] = quads;
	t[5] = t[6] = t[7] = 0;
}

/* q8_conv_dw (DSP paths): a per-channel scale (channel after channel when each is one
   value); 3x3 rows on a padded plane (two outputs per turn at stride 1, one at stride
   2), or down the columns of one padded transposed (o2m_q8_dw_tall); other windows tap
   by tap */
static void terms_q8_dw(const o2m_q8_conv_params *q, double *t)
{
	const o2m_conv_params *p = &q->conv;
	const double ch = (double)p->n * p->c_out;
	const double outs = ch * p->out_d * p->out_h * p->out_w;
	const int scale = o2m_q8_dw_scale(p), tall = o2m_q8_dw_tall(p);
	const int k3 = p->k_d == 1 && p->k_h == 3 && p->k_w == 3;
	const double plane = (double)p->n * p->c_in *
			     o2m_q8_span(p->out_d, p->k_d, p->stride_d, p->dil_d) *
			     o2m_q8_span(p->out_h, p->k_h, p->stride_h, p->dil_h) *
			     o2m_q8_span(p->out_w, p->k_w, p->stride_w, p->dil_w);

	memset(t, 0, sizeof *t * IR_COST_TERMS);
	t[CT_CALL] = 1;
	if (scale && outs == ch && p->c_out == p->c_in) { /* one value a channel: a loop of them */
		t[8] = ch;
		return;
	}
	if (scale) { /* its outputs share the plain loop's row: about a tap's work each */
		t[5] = ch;
		t[7] = outs;
		return;
	}
	t[CT_MAC] = k3 && !tall && p->stride_w == 2 ? outs : 0; /* 3x3 outputs, stride 2 */
	/* the others, two at a time (an odd row's last pair made twice) */
	t[CT_OUT] = !k3 || (!tall && p->stride_w == 2) ? 0
		    : tall ? ch * p->out_w * (2.0 * ((p->out_h + 1) / 2))
			   : ch * p->out_d * p->out_h * (2.0 * ((p->out_w + 1) / 2));
	/* (the padded plane's copy goes with the rows and outputs: a separate term for it
	   fitted to zero) */
	t[CT_IN] = k3 && !tall && p->stride_w == 2 ? ch * p->out_d * p->out_h : 0; /* rows, s 2 */
	t[4] = tall ? ch * p->out_w : t[CT_IN] ? 0 : ch * p->out_d * p->out_h; /* the others */
	t[5] = ch;
	t[6] = tall ? plane : 0;               /* padded transposed */
	t[7] = k3 ? 0 : outs * p->k_d * p->k_h * p->k_w; /* taps of the plain loop */
}

static double model_sum(int row, const double *t)
{
	double c = 0;

	for (int i = 0; i < IR_COST_TERMS; i++)
		c += model[row].coef[i] * t[i];
	return c;
}

double ir_conv_cycles(const char *family, const void *params)
{
	const o2m_conv_params *p = params;
	double t[IR_COST_TERMS] = {0};
	int row = 0;

	while (model[row].family && strcmp(model[row].family, family))
		row++;
	if (model[row].terms == TERMS_CONV_GEMM) {
		terms_conv_gemm(p, t);
	} else if (model[row].terms == TERMS_DW_ROWS) {
		terms_dw_rows(p, t);
	} else {
		const double outs = (double)p->n * p->c_out * p->out_d * p->out_h * p->out_w;
		t[CT_CALL] = 1;
		t[CT_MAC] = outs * (p->c_in / p->group) * p->k_d * p->k_h * p->k_w;
		t[CT_OUT] = outs;
		t[CT_IN] = (double)p->n * p->c_in * p->in_d * p->in_h * p->in_w;
	}
	return model_sum(row, t);
}

int ir_call_terms(const Graph *g, int node, int call, double *t, const char **family)
{
	const KCall *c = &g->n[node].low->call[call];
	int row = family_row(c->kernel);
	const Tensor *x = input(g, node, 0);

	memset(t, 0, sizeof *t * IR_COST_TERMS);
	*family = model[row].family ? model[row].family : "elementwise";
	switch (model[row].terms) {
	case TERMS_CONV_GEMM:
		terms_conv_gemm(c->params, t);
		break;
	case TERMS_DW_ROWS:
		terms_dw_rows(c->params, t);
		break;
	case TERMS_GEMM_PK:
		terms_gemm_pk(c->params, t);
		break;
	case TERMS_Q8_W16:
		terms_q8_w16(c->params, t);
		break;
	case TERMS_Q8_FC:
		terms_q8_fc(c->params, t);
		break;
	case TERMS_Q8_DW:
		terms_q8_dw(c->params, t);
		break;
	default:
		t[CT_CALL] = 1;
		t[CT_MAC] = (double)ir_node_macs(g, node);
		t[CT_OUT] = (double)out_numel(g, node);
		t[CT_IN] = x && !ir_is_list(g, g->n[node].in[0]) ? (double)ir_numel(x) : 0;
	}
	if (is_res_kernel(c->kernel))
		t[8] = (double)out_numel(g, node);
	return row;
}

/* whether a kernel does a node's multiply-accumulates (its MACs are reported there) */
static int is_mac_family(int kernel)
{
	static const char *const macs[] = {"conv", "conv_dw", "conv_1x1", "conv_im2col",
					   "conv_gemm", "conv_dw_rows", "conv_transpose", "gemm",
					   "gemm_pk", "matmul", "matmul_bt", "q8_conv", "q8_conv_dw",
					   "q8_conv_1x1", "q8_conv_w16", "q8_conv_mve", "q8_conv_fq", "q8_fc",
					   "q8_fc_w16", "q8_fc_mve", NULL};
	const char *f = model[family_row(kernel)].family;

	for (int i = 0; f && macs[i]; i++)
		if (!strcmp(f, macs[i]))
			return 1;
	return 0;
}

/* per element of a fused epilogue: an activation, a clamp, a residual */
static double epilogue(const Graph *g, int node)
{
	double e = 0;

	if (ir_attr(g, node, "activation"))
		e += 40;
	if (ir_attr(g, node, "act_min") || ir_attr(g, node, "act_max"))
		e += 2;
	if (g->n[node].op == OP_FUSED_CONV && g->n[node].nin > 3 && g->n[node].in[3] >= 0)
		e += 3;
	return e;
}

/* the call a node's MACs are reported at: its first of a family that multiplies */
static int mac_call(const Lowered *L)
{
	for (int c = 0; c < L->ncall; c++)
		if (is_mac_family(L->call[c].kernel))
			return c;
	return 0;
}

static IrCost call_cost(const Graph *g, int node, int call, int first)
{
	double t[IR_COST_TERMS], cycles;
	const char *family;
	int row = ir_call_terms(g, node, call, t, &family);
	IrCost k = {0, 0, 0};

	if (call == first)
		k.macs = ir_node_macs(g, node);
	k.bytes = call == 0 ? ir_node_bytes(g, node) : 0;
	cycles = model_sum(row, t);
	if (call == first)
		cycles += epilogue(g, node) * (double)out_numel(g, node);
	k.cycles = cycles > 0 ? (int64_t)cycles : 0;
	return k;
}

void ir_call_costs(const Graph *g, int node, IrCost *cost)
{
	const Lowered *L = g->n[node].low;
	int first = mac_call(L);

	for (int c = 0; c < L->ncall; c++)
		cost[c] = call_cost(g, node, c, first);
}

IrCost ir_node_cost(const Graph *g, int node)
{
	IrCost sum = {ir_node_macs(g, node), ir_node_bytes(g, node), 0};
	const Lowered *L = g->n[node].low;
	int first = L ? mac_call(L) : 0;

	for (int c = 0; L && c < L->ncall; c++)
		sum.cycles += call_cost(g, node, c, first).cycles;
	return sum;
}
