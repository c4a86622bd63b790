/* op_rnn.c - the recurrent layers LSTM, GRU and RNN: the shape function checks weights,
   bias, peepholes and states against X and hidden_size; prepare lowers each direction
   to one kernel call whose strides and pointer offsets encode direction and layout, with
   the activations resolved to codes and their alpha/beta at compile time. */
#include "lower.h"

#include <ctype.h>
#include <string.h>

/* inputs and outputs by ONNX position */
enum { IN_X, IN_W, IN_R, IN_B, IN_SEQ, IN_H0, IN_C0, IN_P };
enum { OUT_Y, OUT_YH, OUT_YC };

#define MAX_ACTS 6 /* activations of a layer: 3 per direction at most */

/* what tells the three layers apart */
typedef struct {
	int gates;            /* rows of W per hidden unit */
	int nact;             /* activations per direction */
	const char *act[3];   /* their defaults */
	int64_t work;         /* scratch elements per hidden unit */
} Cell;

static const Cell *cell_of(Graph *g, int node)
{
	static const Cell lstm = {4, 3, {"Sigmoid", "Tanh", "Tanh"}, O2M_LSTM_WORK(1)};
	static const Cell gru = {3, 2, {"Sigmoid", "Tanh", ""}, O2M_GRU_WORK(1)};
	static const Cell rnn = {1, 1, {"Tanh", "", ""}, O2M_RNN_WORK(1)};

	switch (g->n[node].op) {
	case OP_LSTM: return &lstm;
	case OP_GRU: return &gru;
	default: return &rnn;
	}
}

/* sizes of a layer, from X and R */
typedef struct {
	int dirs, layout;
	int64_t seq, batch, input, hidden;
} Geom;

static int geom(Graph *g, int node, Geom *m)
{
	const char *dir = ir_attr_str(g, node, "direction", "forward");
	Tensor *x = in_t(g, node, IN_X), *r = in_t(g, node, IN_R);

	m->dirs = !strcmp(dir, "bidirectional") ? 2 : 1;
	if (m->dirs == 1 && strcmp(dir, "forward") && strcmp(dir, "reverse")) {
		ir_error(g, node, "direction '%s' is not forward, reverse or bidirectional", dir);
		return -1;
	}
	if (ir_attr_int(g, node, "layout", 0) != 0 && ir_attr_int(g, node, "layout", 0) != 1) {
		ir_error(g, node, "layout %lld is not 0 or 1",
			 (long long)ir_attr_int(g, node, "layout", 0));
		return -1;
	}
	m->layout = (int)ir_attr_int(g, node, "layout", 0);
	if (x->rank != 3 || r->rank != 3) {
		ir_error(g, node, "X and R must have rank 3 (they have %d and %d)", x->rank, r->rank);
		return -1;
	}
	m->seq = x->dims[m->layout ? 1 : 0];
	m->batch = x->dims[m->layout ? 0 : 1];
	m->input = x->dims[2];
	m->hidden = ir_attr_int(g, node, "hidden_size", r->dims[2]);
	if (m->hidden < 1 || m->hidden > INT32_MAX) { /* the gate sizes multiply it */
		ir_error(g, node, "hidden_size %lld is not between 1 and %d", (long long)m->hidden,
			 INT32_MAX);
		return -1;
	}
	return 0;
}

/* input k, when present, must have element type dt and the dims given */
static int check_in(Graph *g, int node, int k, const char *name, DType dt, int rank,
		    const int64_t *dims)
{
	Tensor *t = has_in(g, node, k) ? in_t(g, node, k) : NULL;
	int same = t && t->rank == rank, at = 0;
	char want[128];

	if (!t)
		return 0;
	if (t->dtype != dt) {
		ir_error(g, node, "%s has element type %s, not %s", name, dt_name(t->dtype),
			 dt_name(dt));
		return -1;
	}
	for (int i = 0; same && i < rank; i++)
		same = t->dims[i] == dims[i];
	if (same)
		return 0;
	for (int i = 0; i < rank; i++)
		at += snprintf(want + at, sizeof want - (size_t)at, "%s%lld", i ? ", " : "",
			       (long long)dims[i]);
	ir_error(g, node, "%s must have shape [%s]", name, want);
	return -1;
}

int shape_rnn(Graph *g, int node)
{
	DType dt = in_t(g, node, IN_X)->dtype;
	int lstm = g->n[node].op == OP_LSTM, bad = 0;
	Geom m;

	if (geom(g, node, &m))
		return -1;
	if (!dt_is_float(dt)) {
		ir_error(g, node, "X has element type %s; only floating point is supported",
			 dt_name(dt));
		return -1;
	}
	int64_t D = m.dirs, H = m.hidden, GH = cell_of(g, node)->gates * H;
	int64_t w[3] = {D, GH, m.input}, r[3] = {D, GH, H}, b[2] = {D, 2 * GH}, p[2] = {D, 3 * H};
	int64_t st[3] = {m.layout ? m.batch : D, m.layout ? D : m.batch, H};
	int64_t y0[4] = {m.seq, D, m.batch, H}, y1[4] = {m.batch, m.seq, D, H};

	bad |= check_in(g, node, IN_W, "W", dt, 3, w);
	bad |= check_in(g, node, IN_R, "R", dt, 3, r);
	bad |= check_in(g, node, IN_B, "B", dt, 2, b);
	bad |= check_in(g, node, IN_SEQ, "sequence_lens", DT_S32, 1, &m.batch);
	bad |= check_in(g, node, IN_H0, "initial_h", dt, 3, st);
	bad |= lstm && check_in(g, node, IN_C0, "initial_c", dt, 3, st);
	bad |= lstm && check_in(g, node, IN_P, "P", dt, 2, p);
	if (bad)
		return -1;
	set_out(g, node, OUT_Y, dt, 4, m.layout ? y1 : y0);
	set_out(g, node, OUT_YH, dt, 3, st);
	set_out(g, node, OUT_YC, dt, 3, st);
	return 0;
}

/* ---- activations ---- */

/* ONNX names, codes, whether alpha/beta are taken from the attribute lists, and
   defaults when the lists run out (those of the ONNX ops of the same name) */
static const struct {
	const char *name;
	int32_t code;
	int takes_alpha, takes_beta;
	float alpha, beta;
} acts[] = {
	{"Relu", O2M_ACT_RELU, 0, 0, 0, 0},
	{"Tanh", O2M_ACT_TANH, 0, 0, 0, 0},
	{"Sigmoid", O2M_ACT_SIGMOID, 0, 0, 0, 0},
	{"Affine", O2M_ACT_AFFINE, 1, 1, 1.0f, 0.0f},
	{"LeakyRelu", O2M_ACT_LEAKY_RELU, 1, 0, 0.01f, 0},
	{"ThresholdedRelu", O2M_ACT_THRESHOLDED_RELU, 1, 0, 1.0f, 0},
	{"ScaledTanh", O2M_ACT_SCALED_TANH, 1, 1, 1.0f, 1.0f},
	{"HardSigmoid", O2M_ACT_HARD_SIGMOID, 1, 1, 0.2f, 0.5f},
	{"Elu", O2M_ACT_ELU, 1, 0, 1.0f, 0},
	{"Softsign", O2M_ACT_SOFTSIGN, 0, 0, 0, 0},
	{"Softplus", O2M_ACT_SOFTPLUS, 0, 0, 0, 0},
};

static int same_name(const char *a, const char *b) /* ignoring case, as onnxruntime */
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* the names of the activations of every direction, in ONNX order; one direction's set
   serves both directions of a bidirectional layer, as in onnxruntime */
static int act_names(Graph *g, int node, const Cell *cell, int dirs, const char **names)
{
	const Attr *a = ir_attr(g, node, "activations");
	int want = cell->nact * dirs;

	if (!a || a->n == 0) {
		for (int i = 0; i < want; i++)
			names[i] = cell->act[i % cell->nact];
		return 0;
	}
	if (a->kind != A_STRINGS || (a->n != want && a->n != cell->nact &&
				     a->n != 2 * cell->nact)) {
		ir_error(g, node, "activations must list %d functions", want);
		return -1;
	}
	for (int i = 0; i < want; i++)
		names[i] = a->strs[a->n < want ? i % cell->nact : i];
	return 0;
}

/* resolves activation slot s of every direction: alpha and beta values are consumed in
   the order of the activations, by those that take them */
static int resolve_acts(Graph *g, int node, const Cell *cell, int dirs, o2m_rnn_params **per)
{
	const char *names[MAX_ACTS];
	float alpha[MAX_ACTS], beta[MAX_ACTS];
	int na = ir_attr_floats(g, node, "activation_alpha", alpha, MAX_ACTS);
	int nb = ir_attr_floats(g, node, "activation_beta", beta, MAX_ACTS), ia = 0, ib = 0;

	if (act_names(g, node, cell, dirs, names))
		return -1;
	na = na < MAX_ACTS ? na : MAX_ACTS; /* more than the activations can take are unused */
	nb = nb < MAX_ACTS ? nb : MAX_ACTS;
	for (int i = 0; i < cell->nact * dirs; i++) {
		o2m_rnn_params *p = per[i / cell->nact];
		int s = i % cell->nact, f = 0, nf = (int)(sizeof acts / sizeof acts[0]);
		while (f < nf && !same_name(acts[f].name, names[i]))
			f++;
		if (f == nf) {
			ir_error(g, node, "activation '%s' is not supported", names[i]);
			return -1;
		}
		p->act[s] = acts[f].code;
		p->alpha[s] = acts[f].alpha;
		p->beta[s] = acts[f].beta;
		if (acts[f].takes_alpha && ia < na)
			p->alpha[s] = alpha[ia++];
		if (acts[f].takes_beta && ib < nb)
			p->beta[s] = beta[ib++];
	}
	return 0;
}

/* ---- lowering ---- */

/* the attributes and geometry shared by both directions */
static int common_params(Graph *g, int node, const Geom *m, o2m_rnn_params *p)
{
	int64_t D = m->dirs, T = m->seq, B = m->batch, I = m->input, H = m->hidden;

	p->seq_length = lw_i32(g, node, T);
	p->batch = lw_i32(g, node, B);
	p->input_size = lw_i32(g, node, I);
	p->hidden = lw_i32(g, node, H);
	p->x_step = lw_i32(g, node, m->layout ? I : B * I);
	p->x_batch = lw_i32(g, node, m->layout ? T * I : I);
	p->y_step = lw_i32(g, node, m->layout ? D * H : D * B * H);
	p->y_batch = lw_i32(g, node, m->layout ? T * D * H : H);
	p->s_batch = lw_i32(g, node, m->layout ? D * H : H);
	if (ir_attr(g, node, "clip")) {
		p->clip = ir_attr_float(g, node, "clip", 0);
		if (!(p->clip > 0)) {
			ir_error(g, node, "clip must be positive");
			return -1;
		}
	}
	if (g->n[node].op == OP_LSTM)
		p->input_forget = ir_attr_int(g, node, "input_forget", 0) != 0;
	if (g->n[node].op == OP_GRU)
		p->linear_before_reset = ir_attr_int(g, node, "linear_before_reset", 0) != 0;
	return 0;
}

/* input or output k moved by `elems` elements, or NULL when the model left it out */
static Arg opt_in(Graph *g, int node, int k, int64_t elems, int esize)
{
	return has_in(g, node, k) ? A_OFF(A_IN(k), elems * esize) : A_NONE;
}

static Arg opt_out(Graph *g, int node, int k, int64_t elems, int esize)
{
	const Node *n = &g->n[node];
	return k < n->nout && n->out[k] >= 0 ? A_OFF(A_OUT(k), elems * esize) : A_NONE;
}

/* the call of direction d: every pointer moves to that direction's slice. Y's and the
   states' direction axis sits right above [batch, hidden] in layout 0 and right above
   [hidden] in layout 1, so one offset serves Y, Y_h, Y_c and the initial states. */
static void call_direction(Graph *g, int node, Lowered *L, const Geom *m, int d, int k,
			   const o2m_rnn_params *p, int scratch)
{
	int64_t H = m->hidden, GH = cell_of(g, node)->gates * H;
	int64_t so = m->layout ? d * H : d * m->batch * H;
	int es = dt_size(in_t(g, node, IN_X)->dtype);
	Arg x = A_IN(IN_X), w = A_OFF(A_IN(IN_W), d * GH * m->input * es);
	Arg r = A_OFF(A_IN(IN_R), d * GH * H * es), b = opt_in(g, node, IN_B, d * 2 * GH, es);
	Arg seq = opt_in(g, node, IN_SEQ, 0, es), h0 = opt_in(g, node, IN_H0, so, es);
	Arg y = opt_out(g, node, OUT_Y, so, es), yh = opt_out(g, node, OUT_YH, so, es);

	if (g->n[node].op == OP_LSTM)
		lw_call(g, L, k, PT_RNN, p, 12, x, w, r, b, seq, h0, opt_in(g, node, IN_C0, so, es),
			opt_in(g, node, IN_P, d * 3 * H, es), y, yh, opt_out(g, node, OUT_YC, so, es),
			A_SCR(scratch));
	else
		lw_call(g, L, k, PT_RNN, p, 9, x, w, r, b, seq, h0, y, yh, A_SCR(scratch));
}

int prep_rnn(Graph *g, int node, Lowered *L)
{
	const Cell *cell = cell_of(g, node);
	const char *dir = ir_attr_str(g, node, "direction", "forward");
	DType dt = in_t(g, node, IN_X)->dtype;
	int k = lw_kernel(g, node, op_info[g->n[node].op].kernel, dt), s;
	o2m_rnn_params base, *per[2];
	Geom m;

	memset(&base, 0, sizeof base);
	if (k < 0 || geom(g, node, &m) || common_params(g, node, &m, &base))
		return -1;
	for (int d = 0; d < m.dirs; d++) {
		per[d] = LW_PARAMS(g, o2m_rnn_params);
		*per[d] = base;
		per[d]->reverse = d == 1 || !strcmp(dir, "reverse");
	}
	if (resolve_acts(g, node, cell, m.dirs, per))
		return -1;
	/* the directions run one after the other and share the scratch */
	s = lw_scratch(g, L, cell->work * m.hidden * dt_size(dt));
	for (int d = 0; d < m.dirs; d++)
		call_direction(g, node, L, &m, d, k, per[d], s);
	return 0;
}
