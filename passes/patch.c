/* patch.c - patch-based execution of the first layers (MCUNetV2), in bands of rows.

   The first layers of a vision network hold its largest tensors. Asked for n bands
   (Graph.patch_bands; the CLI asks when a plan is over --ram-limit), this pass splits the
   *stage* - the layers from the graph input to the layer just after the largest one
   whose output is smallest - into n bands of the stage output's rows. Each band is the
   stage's layers again on just the rows it needs: a Slice of the input rows, every
   convolution with the padding its rows have at the image's border and none inside (the
   rows where bands meet, the halo, are computed twice), and a PatchRows that writes the
   band's rows into the stage output. One band's tensors are dead before the next band
   starts, so the stage needs one band's buffers and its output, not its full-size
   tensors. The stage: single image NCHW, its layers convolutions (Conv, FusedConv, QConv,
   any kernel, stride and dilation; a residual input too) and elementwise ops of one data
   input, each tensor read by one layer or by several that need the same rows, nothing but
   the last layer's output read after the stage. The pass changes nothing it cannot split
   that way; Graph.patch_note says what it did or why not, for the CLI to tell. */
#include "passes.h"

#include "../ir/lower.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STAGE 256

typedef struct {
	int node[MAX_STAGE]; /* the stage's layers, in order */
	int n;
	int cand[8], ncand;  /* where the stage may end: smallest output first */
	int input;           /* the graph input it starts from */
	int lo[MAX_STAGE], hi[MAX_STAGE]; /* per layer: the output rows a band needs */
} Stage;

/* the convolution's geometry along the rows: kernel extent, stride, leading pad */
static int conv_rows(Graph *g, int node, int64_t *ext, int64_t *s, int64_t *pad)
{
	o2m_conv_params p;
	const char *family;

	if (lw_conv_geom(g, node, &p, &family) || p.n != 1 || p.k_d != 1 || p.in_d != 1)
		return -1;
	*ext = (int64_t)(p.k_h - 1) * p.dil_h + 1;
	*s = p.stride_h;
	*pad = p.pad_h;
	return 0;
}

static int is_conv(OpKind op)
{
	return op == OP_CONV || op == OP_FUSED_CONV || op == OP_QCONV;
}

static int rows4(const Tensor *t)
{
	return t->rank == 4 && t->dims[0] == 1 && (t->flags & T_SHAPED);
}

/* a layer the stage can take: a 2-D convolution of constant weights on [1, C, H, W], or
   an elementwise op (QuantizeLinear and DequantizeLinear too) whose inputs but the first
   are constant scalars */
static int bandable(Graph *g, int node)
{
	const Node *n = &g->n[node];
	int64_t ext, s, pad;

	if (n->nout != 1 || n->out[0] < 0 || !rows4(&g->t[n->out[0]]) || n->nin < 1 ||
	    n->in[0] < 0 || !rows4(&g->t[n->in[0]]))
		return 0;
	if (is_conv(n->op))
		return ir_in(g, node, 1) >= 0 && ir_is_const(g, ir_in(g, node, 1)) &&
		       (ir_in(g, node, 2) < 0 || ir_is_const(g, ir_in(g, node, 2))) &&
		       !conv_rows(g, node, &ext, &s, &pad);
	if (!(op_info[n->op].flags & OPF_ELEMENTWISE) && n->op != OP_QUANTIZE_LINEAR &&
	    n->op != OP_DEQUANTIZE_LINEAR)
		return 0;
	for (int k = 1; k < n->nin; k++)
		if (n->in[k] >= 0 && (!ir_is_const(g, n->in[k]) || ir_numel(&g->t[n->in[k]]) != 1))
			return 0;
	return g->t[n->out[0]].dims[2] == g->t[n->in[0]].dims[2];
}

/* the data inputs of a stage layer: input 0, and a convolution's residual (input 3) */
static int data_inputs(Graph *g, int node, int *t)
{
	int n = 0;

	t[n++] = g->n[node].in[0];
	if (is_conv(g->n[node].op) && ir_in(g, node, 3) >= 0)
		t[n++] = ir_in(g, node, 3);
	return n;
}

/* the stage's layers: from the one graph input on, in node order, as far as they can be
   split; where it may end (cand): the eight layers from the largest (input + output
   bytes) on whose output is at most half that, smallest output first; -1 (and why)
   when there is none */
static int find_stage(Graph *g, Stage *st, const char **why)
{
	char *in_stage = calloc((size_t)g->nt + 1, 1);
	int peak = -1;
	int64_t most = 0;

	IR_ASSERT(in_stage);
	st->n = 0;
	st->input = g->ninputs == 1 ? g->inputs[0] : -1;
	*why = "the model has more than one input, or its input is not one [1, C, H, W] image";
	if (st->input < 0 || !rows4(&g->t[st->input])) {
		free(in_stage);
		return -1;
	}
	in_stage[st->input] = 1;
	for (int i = 0; i < g->nn && st->n < MAX_STAGE; i++) {
		int t[2], nt, ok;
		if (g->n[i].dead)
			continue;
		if (!bandable(g, i))
			break;
		nt = data_inputs(g, i, t);
		ok = 1;
		for (int k = 0; k < nt; k++)
			ok &= in_stage[t[k]];
		if (!ok)
			break;
		in_stage[g->n[i].out[0]] = 1;
		st->node[st->n++] = i;
	}
	for (int k = 0; k < st->n; k++) {
		const Node *n = &g->n[st->node[k]];
		int64_t b = ir_nbytes(&g->t[n->out[0]]) +
			    (n->in[0] == st->input ? 0 : ir_nbytes(&g->t[n->in[0]]));
		if (b > most)
			most = b, peak = k;
	}
	st->ncand = 0;
	for (int k = peak; k >= 0 && k < st->n && k < peak + 8; k++) {
		int64_t b = ir_nbytes(&g->t[g->n[st->node[k]].out[0]]), j = st->ncand++;
		if (2 * b > most) {
			st->ncand--;
			continue;
		}
		for (; j > 0 && ir_nbytes(&g->t[g->n[st->node[st->cand[j - 1]]].out[0]]) > b; j--)
			st->cand[j] = st->cand[j - 1];
		st->cand[j] = k;
	}
	free(in_stage);
	*why = "no layer after the largest of the first ones has a small enough output";
	return st->ncand ? 0 : -1;
}

/* the stage ends at its layer `last`: closed, what it makes is read inside it but for its
   output; -1 (and why) when not */
static int stage_end(Graph *g, Stage *st, int last, const char **why)
{
	st->n = last + 1;
	/* closed: what the stage makes is read inside it, but for its output */
	for (int k = 0; k < st->n; k++) {
		int t = g->n[st->node[k]].out[0];
		if (k == st->n - 1)
			break;
		*why = "a tensor of the first layers is read after them, or is a graph output";
		if (g->t[t].flags & T_OUTPUT)
			return -1;
		for (int i = 0; i < g->nn; i++) {
			int inside = 0;
			if (g->n[i].dead)
				continue;
			for (int j = 0; j < st->n; j++)
				inside |= st->node[j] == i;
			for (int j = 0; !inside && j < g->n[i].nin; j++)
				if (g->n[i].in[j] == t)
					return -1;
		}
	}
	return 0;
}

/* The rows each layer must make for output rows [a, b) of the stage, last to first; a
   tensor read by two layers must be needed for the same rows by both. -1 if not. */
static int band_rows(Graph *g, Stage *st, int64_t a, int64_t b)
{
	int64_t *lo = calloc((size_t)g->nt + 1, sizeof *lo), *hi = calloc((size_t)g->nt + 1, sizeof *hi);
	int bad = 0;

	IR_ASSERT(lo && hi);
	for (int t = 0; t < g->nt; t++)
		lo[t] = hi[t] = -1;
	lo[g->n[st->node[st->n - 1]].out[0]] = a;
	hi[g->n[st->node[st->n - 1]].out[0]] = b;
	for (int k = st->n - 1; k >= 0 && !bad; k--) {
		int node = st->node[k], y = g->n[node].out[0], t[2], nt = data_inputs(g, node, t);
		int64_t ia = lo[y], ib = hi[y], ext, s, pad, h = g->t[g->n[node].in[0]].dims[2];
		if (lo[y] < 0) { /* nothing needs it: cannot be (the stage is a chain to its end) */
			bad = 1;
			break;
		}
		st->lo[k] = lo[y], st->hi[k] = hi[y];
		if (is_conv(g->n[node].op)) {
			conv_rows(g, node, &ext, &s, &pad);
			ia = lo[y] * s - pad;
			ib = (hi[y] - 1) * s - pad + ext;
			ia = ia < 0 ? 0 : ia;
			ib = ib > h ? h : ib;
		}
		for (int j = 0; j < nt; j++) {
			int64_t ja = j ? lo[y] : ia, jb = j ? hi[y] : ib; /* a residual: the output's rows */
			if (lo[t[j]] >= 0 && (lo[t[j]] != ja || hi[t[j]] != jb))
				bad = 1;
			lo[t[j]] = ja, hi[t[j]] = jb;
		}
	}
	free(lo);
	free(hi);
	return bad ? -1 : 0;
}

static int const_i64(Graph *g, const char *name, int64_t v)
{
	int64_t one = 1;
	return ir_const_new(g, name, DT_S64, 1, &one, &v);
}

/* a new tensor like t (type, quantization), its shape left to inference */
static int band_tensor(Graph *g, int t, int band)
{
	int u = ir_tensor_new(g, arena_printf(&g->arena, "%s_band%d", g->t[t].name, band));
	g->t[u].quant = g->t[t].quant;
	return u;
}

/* a copy of layer `node` for the band making its output rows [a, b) from map[] inputs */
static int clone_layer(Graph *g, int node, int band, int64_t a, int64_t b, const int *map)
{
	int c = ir_node_new(g, g->n[node].op, arena_printf(&g->arena, "%s_band%d", g->n[node].name,
							    band), g->n[node].nin, 1);
	Node *n = &g->n[c];
	const Node *o = &g->n[node];

	n->op_type = o->op_type;
	n->opset = o->opset;
	n->fused = o->fused && *o->fused ? o->fused : o->name;
	n->keep_float = o->keep_float;
	n->nattr = o->nattr;
	n->attr = o->nattr ? arena_memdup(&g->arena, o->attr, sizeof *o->attr * (size_t)o->nattr)
			   : NULL;
	for (int k = 0; k < o->nin; k++)
		n->in[k] = o->in[k] >= 0 && map[o->in[k]] >= 0 ? map[o->in[k]] : o->in[k];
	n->out[0] = band_tensor(g, o->out[0], band);
	g->t[n->out[0]].producer = c;
	if (is_conv(g->n[c].op)) { /* the padding of these rows: at the border only */
		o2m_conv_params p;
		const char *family;
		int64_t pads[4], ext, h = g->t[g->n[node].in[0]].dims[2], last;
		lw_conv_geom(g, node, &p, &family);
		ext = (int64_t)(p.k_h - 1) * p.dil_h + 1;
		last = (b - 1) * p.stride_h - p.pad_h + ext; /* one past the last row read */
		pads[0] = a * p.stride_h < p.pad_h ? p.pad_h - a * p.stride_h : 0;
		pads[1] = p.pad_w;
		pads[2] = last > h ? last - h : 0;
		pads[3] = ((int64_t)p.out_w - 1) * p.stride_w + (int64_t)(p.k_w - 1) * p.dil_w + 1 -
			  p.in_w - p.pad_w;
		if (pads[3] < 0)
			pads[3] = 0;
		ir_attr_set_ints(g, c, "pads", pads, 4);
		ir_attr_set_str(g, c, "auto_pad", "NOTSET");
	}
	return c;
}

/* band `band` of the stage, output rows [a, b): the input's rows, the layers, and the
   PatchRows writing them into acc (-1: the first band); the nodes go to order[] */
static int make_band(Graph *g, const Stage *st, int band, int64_t a, int64_t b, int *acc,
		     int *order, int *norder, int *map)
{
	const int first = st->node[0], y = g->n[st->node[st->n - 1]].out[0];
	int64_t ia = st->lo[0], ib = st->hi[0], ext, s, pad;
	int sl, pr, t;

	/* the input rows layer 0 reads */
	if (is_conv(g->n[first].op)) {
		conv_rows(g, first, &ext, &s, &pad);
		ia = st->lo[0] * s - pad, ib = (st->hi[0] - 1) * s - pad + ext;
		ia = ia < 0 ? 0 : ia;
		ib = ib > g->t[st->input].dims[2] ? g->t[st->input].dims[2] : ib;
	}
	sl = ir_node_new(g, OP_SLICE, arena_printf(&g->arena, "patch_rows%d", band), 4, 1);
	g->n[sl].opset = 13;
	g->n[sl].in[0] = st->input;
	g->n[sl].in[1] = const_i64(g, "patch_start", ia);
	g->n[sl].in[2] = const_i64(g, "patch_end", ib);
	g->n[sl].in[3] = const_i64(g, "patch_axis", 2);
	g->n[sl].out[0] = band_tensor(g, st->input, band);
	g->t[g->n[sl].out[0]].producer = sl;
	if (fold_node(g, sl))
		return -1;
	order[(*norder)++] = sl;
	map[st->input] = g->n[sl].out[0];
	for (int k = 0; k < st->n; k++) {
		int c = clone_layer(g, st->node[k], band, st->lo[k], st->hi[k], map);
		if (fold_node(g, c))
			return -1;
		map[g->n[st->node[k]].out[0]] = g->n[c].out[0];
		order[(*norder)++] = c;
	}
	pr = ir_node_new(g, OP_PATCH_ROWS, arena_printf(&g->arena, "patch_write%d", band), 2, 1);
	g->n[pr].opset = 13;
	g->n[pr].fused = "";
	g->n[pr].in[0] = map[y];
	g->n[pr].in[1] = *acc;
	ir_attr_set_int(g, pr, "start", a);
	ir_attr_set_int(g, pr, "height", g->t[y].dims[2]);
	t = b == g->t[y].dims[2] ? y : band_tensor(g, y, band); /* the last writes y itself */
	g->n[pr].out[0] = t;
	g->t[t].producer = pr;
	if (fold_node(g, pr))
		return -1;
	order[(*norder)++] = pr;
	*acc = t;
	return 0;
}

void pass_patch(Graph *g)
{
	Stage st;
	const char *why;
	int *order, *map, norder = 0, acc = -1, nbands = g->patch_bands, end, y = -1, nn0 = g->nn;
	const int nt0 = g->nt;
	int64_t h = 0;
	int c, full;

	if (nbands < 2)
		return;
	if (find_stage(g, &st, &why)) {
		g->patch_note = arena_printf(&g->arena, "patches: none: %s", why);
		return;
	}
	full = st.n;
	for (c = 0; c < st.ncand; c++) { /* the first end that splits */
		int ok;
		st.n = full;
		if (stage_end(g, &st, st.cand[c], &why))
			continue;
		y = g->n[st.node[st.n - 1]].out[0];
		h = g->t[y].dims[2];
		nbands = g->patch_bands > h ? (int)h : g->patch_bands;
		ok = 1;
		for (int b = 0; ok && b < nbands; b++)
			ok = !band_rows(g, &st, h * b / nbands, h * (b + 1) / nbands);
		if (ok)
			break;
		why = "a tensor of the first layers is read for different rows by two layers";
	}
	if (c == st.ncand) {
		g->patch_note = arena_printf(&g->arena, "patches: none: %s", why);
		return;
	}
	order = malloc(sizeof(int) * (size_t)(g->nn + (int64_t)nbands * (st.n + 2) + 1));
	map = malloc(sizeof(int) * (size_t)(g->nt + 1));
	IR_ASSERT(order && map);
	end = st.node[st.n - 1];
	for (int i = 0; i < end; i++) /* the nodes before the stage's last, but its own */
		if (!g->n[i].dead) {
			int inside = 0;
			for (int k = 0; k < st.n; k++)
				inside |= st.node[k] == i;
			if (!inside)
				order[norder++] = i;
		}
	for (int b = 0; b < nbands; b++) {
		for (int t = 0; t < nt0; t++) /* the stage's tensors are the graph's before it */
			map[t] = -1;
		band_rows(g, &st, h * b / nbands, h * (b + 1) / nbands);
		if (make_band(g, &st, b, h * b / nbands, h * (b + 1) / nbands, &acc, order, &norder,
			      map)) {
			ir_error(g, -1, "patches: band %d does not infer", b);
			free(order);
			free(map);
			return;
		}
	}
	for (int k = 0; k < st.n; k++)
		g->n[st.node[k]].dead = 1;
	for (int i = end + 1; i < nn0; i++) /* then the nodes after the stage */
		if (!g->n[i].dead)
			order[norder++] = i;
	ir_reorder(g, order, norder);
	g->patched = nbands;
	g->patch_note = arena_printf(&g->arena, "patches: the first %d layers (to '%s') run in %d "
				     "bands of rows", st.n, g->t[y].name, nbands);
	free(order);
	free(map);
}
