/* op_attention.c - shape functions and prepares of Attention (opsets 23, 24),
   LinearAttention and RotaryEmbedding. 3-D inputs [batch, seq, heads * size] and 4-D
   inputs [batch, heads, seq, size] become the same kernel geometry through strides. */
#include "lower.h"

#include <math.h>
#include <string.h>

/* ---- Attention ---- */

enum { AT_Q, AT_K, AT_V, AT_MASK, AT_PAST_K, AT_PAST_V, AT_NONPAD };

typedef struct {
	int rank; /* of Q, K, V: 3 or 4 */
	int64_t batch, q_heads, kv_heads, q_len, kv_len, past_len, head, v_head;
} AttnGeom;

static int attn_heads(Graph *g, int node, AttnGeom *a)
{
	Tensor *q = in_t(g, node, AT_Q), *k = in_t(g, node, AT_K), *v = in_t(g, node, AT_V);

	if (a->rank == 4) {
		a->q_heads = q->dims[1];
		a->kv_heads = k->dims[1];
		a->head = q->dims[3];
		a->v_head = v->dims[3];
		return k->dims[3] == a->head && v->dims[1] == a->kv_heads ? 0 : -1;
	}
	a->q_heads = ir_attr_int(g, node, "q_num_heads", 0);
	a->kv_heads = ir_attr_int(g, node, "kv_num_heads", 0);
	if (a->q_heads <= 0 || a->kv_heads <= 0 || q->dims[2] % a->q_heads ||
	    k->dims[2] % a->kv_heads || v->dims[2] % a->kv_heads) {
		ir_error(g, node, "3-D inputs need q_num_heads and kv_num_heads dividing the "
			 "hidden sizes");
		return -1;
	}
	a->head = q->dims[2] / a->q_heads;
	a->v_head = v->dims[2] / a->kv_heads;
	return k->dims[2] / a->kv_heads == a->head ? 0 : -1;
}

static int attn_past(Graph *g, int node, AttnGeom *a)
{
	Tensor *pk, *pv;

	a->past_len = 0;
	if (!has_in(g, node, AT_PAST_K) && !has_in(g, node, AT_PAST_V))
		return 0;
	if (!has_in(g, node, AT_PAST_K) || !has_in(g, node, AT_PAST_V))
		return -1;
	pk = in_t(g, node, AT_PAST_K);
	pv = in_t(g, node, AT_PAST_V);
	if (pk->rank != 4 || pv->rank != 4 || pk->dims[0] != a->batch ||
	    pk->dims[1] != a->kv_heads || pk->dims[3] != a->head || pv->dims[0] != a->batch ||
	    pv->dims[1] != a->kv_heads || pv->dims[2] != pk->dims[2] || pv->dims[3] != a->v_head)
		return -1;
	a->past_len = pk->dims[2];
	return 0;
}

static int attn_geom(Graph *g, int node, AttnGeom *a)
{
	Tensor *q = in_t(g, node, AT_Q), *k = in_t(g, node, AT_K), *v = in_t(g, node, AT_V);
	int errors = g->nerrors;

	a->rank = q->rank;
	if ((q->rank != 3 && q->rank != 4) || k->rank != q->rank || v->rank != q->rank) {
		ir_error(g, node, "Q, K and V must all be 3-D or all 4-D");
		return -1;
	}
	a->batch = q->dims[0];
	a->q_len = q->dims[q->rank - 2];
	a->kv_len = k->dims[k->rank - 2];
	if (attn_heads(g, node, a) || k->dims[0] != a->batch || v->dims[0] != a->batch ||
	    v->dims[v->rank - 2] != a->kv_len || attn_past(g, node, a)) {
		if (g->nerrors == errors)
			ir_error(g, node, "Q, K, V, past_key and past_value do not agree in shape");
		return -1;
	}
	if (a->kv_heads <= 0 || a->q_heads % a->kv_heads) {
		ir_error(g, node, "q_num_heads (%lld) must be a multiple of kv_num_heads (%lld)",
			 (long long)a->q_heads, (long long)a->kv_heads);
		return -1;
	}
	return 0;
}

static int attn_check_types(Graph *g, int node)
{
	DType dt = in_t(g, node, AT_Q)->dtype;

	if (!dt_is_float(dt) || in_t(g, node, AT_K)->dtype != dt || in_t(g, node, AT_V)->dtype != dt) {
		ir_error(g, node, "Q, K and V must share one float element type");
		return -1;
	}
	if (has_in(g, node, AT_MASK) && in_t(g, node, AT_MASK)->dtype != DT_BOOL &&
	    in_t(g, node, AT_MASK)->dtype != dt) {
		ir_error(g, node, "attn_mask must be bool or the element type of Q");
		return -1;
	}
	if (has_in(g, node, AT_NONPAD) && (in_t(g, node, AT_NONPAD)->dtype != DT_S64 ||
					   ir_numel(in_t(g, node, AT_NONPAD)) != in_t(g, node, AT_Q)->dims[0])) {
		ir_error(g, node, "nonpad_kv_seqlen must be int64 with one value per batch");
		return -1;
	}
	return 0;
}

/* element strides (batch, head, position) of a 3-D or 4-D operand */
static void attn_strides(int rank, int64_t heads, int64_t len, int64_t size, int32_t *st)
{
	st[0] = (int32_t)(heads * len * size);
	st[1] = (int32_t)(rank == 4 ? len * size : size);
	st[2] = (int32_t)(rank == 4 ? size : heads * size);
}

/* mask geometry: broadcast to (batch, q_heads, q_len, total). From opset 24 a mask
   shorter than the keys is padded with -inf; with is_causal and nonpad_kv_seqlen but no
   past, a 3-D mask is [batch, q_len, keys] (as the ONNX function body reads it). */
static int attn_mask(Graph *g, int node, const AttnGeom *a, o2m_attention_params *p)
{
	Tensor *m = in_t(g, node, AT_MASK);
	int64_t total = a->past_len + a->kv_len, want[4] = {a->batch, a->q_heads, a->q_len, total};
	int64_t dims[4] = {1, 1, 1, 1}, s = 1;
	int external = p->causal == 2 && m->rank == 3;

	if (m->rank > 4 || m->rank < 1) {
		ir_error(g, node, "attn_mask must have rank 1 to 4");
		return -1;
	}
	if (external) {
		dims[0] = m->dims[0], dims[2] = m->dims[1], dims[3] = m->dims[2];
	} else {
		for (int i = 0; i < m->rank; i++)
			dims[4 - m->rank + i] = m->dims[i];
	}
	for (int i = 0; i < 3; i++)
		if (dims[i] != 1 && dims[i] != want[i])
			goto bad;
	for (int i = 3; i >= 0; i--) {
		p->mask_stride[i] = dims[i] == 1 ? 0 : lw_i32(g, node, s);
		s *= dims[i];
	}
	p->mask_kind = m->dtype == DT_BOOL ? 1 : 2;
	p->mask_len = (int32_t)dims[3];
	if (g->n[node].opset < 24 && dims[3] == 1) /* broadcasts over the keys */
		p->mask_len = (int32_t)total;
	if (p->mask_len > total || (g->n[node].opset < 24 && p->mask_len != total))
		goto bad;
	return 0;
bad:
	ir_error(g, node, "attn_mask does not broadcast to [%lld, %lld, %lld, %lld]",
		 (long long)want[0], (long long)want[1], (long long)want[2], (long long)want[3]);
	return -1;
}

static void attn_params(Graph *g, int node, const AttnGeom *a, o2m_attention_params *p)
{
	const Attr *scale = ir_attr(g, node, "scale");

	p->batch = (int32_t)a->batch;
	p->q_heads = (int32_t)a->q_heads;
	p->kv_heads = (int32_t)a->kv_heads;
	p->q_len = (int32_t)a->q_len;
	p->kv_len = (int32_t)a->kv_len;
	p->past_len = (int32_t)a->past_len;
	p->head_size = (int32_t)a->head;
	p->v_head_size = (int32_t)a->v_head;
	attn_strides(a->rank, a->q_heads, a->q_len, a->head, p->q_stride);
	attn_strides(a->rank, a->kv_heads, a->kv_len, a->head, p->k_stride);
	attn_strides(a->rank, a->kv_heads, a->kv_len, a->v_head, p->v_stride);
	attn_strides(a->rank, a->q_heads, a->q_len, a->v_head, p->y_stride);
	if (ir_attr_int(g, node, "is_causal", 0))
		p->causal = has_in(g, node, AT_NONPAD) && !has_in(g, node, AT_PAST_K) ? 2 : 1;
	p->qk_mode = (int32_t)ir_attr_int(g, node, "qk_matmul_output_mode", 0);
	p->scale = scale ? scale->f : (float)(1.0 / sqrt((double)a->head));
	p->softcap = ir_attr_float(g, node, "softcap", 0.0f);
}

/* geometry and kernel parameters of the node, checked */
static int attn_setup(Graph *g, int node, AttnGeom *a, o2m_attention_params *p)
{
	memset(p, 0, sizeof *p);
	if (attn_geom(g, node, a))
		return -1;
	for (int k = 0; k < g->n[node].nin; k++)
		if (has_in(g, node, k))
			lw_i32(g, node, ir_numel(in_t(g, node, k)));
	attn_params(g, node, a, p);
	if (p->qk_mode < 0 || p->qk_mode > 3) {
		ir_error(g, node, "qk_matmul_output_mode %d is not 0, 1, 2 or 3", p->qk_mode);
		return -1;
	}
	return has_in(g, node, AT_MASK) ? attn_mask(g, node, a, p) : 0;
}

int shape_attention(Graph *g, int node)
{
	DType dt = in_t(g, node, AT_Q)->dtype;
	o2m_attention_params p;
	AttnGeom a;
	int64_t total, y[4], kv[4], qk[4];

	if (attn_check_types(g, node) || attn_setup(g, node, &a, &p))
		return -1;
	total = a.past_len + a.kv_len;
	if (a.rank == 3) {
		int64_t y3[3] = {a.batch, a.q_len, a.q_heads * a.v_head};
		memcpy(y, y3, sizeof y3);
	} else {
		int64_t y4[4] = {a.batch, a.q_heads, a.q_len, a.v_head};
		memcpy(y, y4, sizeof y4);
	}
	set_out(g, node, 0, dt, a.rank, y);
	kv[0] = a.batch, kv[1] = a.kv_heads, kv[2] = total, kv[3] = a.head;
	set_out(g, node, 1, dt, 4, kv);
	kv[3] = a.v_head;
	set_out(g, node, 2, dt, 4, kv);
	qk[0] = a.batch, qk[1] = a.q_heads, qk[2] = a.q_len, qk[3] = total;
	set_out(g, node, 3, dt, 4, qk);
	return 0;
}

/* present = concat(past, new) along the sequence: two strided copies */
static void attn_present(Graph *g, int node, Lowered *L, const AttnGeom *a, int out,
			 int past_in, int new_in, const int32_t *new_stride, int64_t size)
{
	int64_t total = a->past_len + a->kv_len, es = dt_size(out_t(g, node, out)->dtype);
	int64_t dims[4] = {a->batch, a->kv_heads, a->past_len, size};
	int64_t ds[4] = {a->kv_heads * total * size, total * size, size, 1};
	int64_t ps[4] = {a->kv_heads * a->past_len * size, a->past_len * size, size, 1};
	int64_t ns[4] = {new_stride[0], new_stride[1], new_stride[2], 1};

	for (int part = 0; part < 2; part++) {
		dims[2] = part ? a->kv_len : a->past_len;
		if (dims[2] == 0 || ir_numel(out_t(g, node, out)) == 0)
			continue;
		lw_copy(g, node, L, (int)es, 4, dims, part ? ns : ps, ds, 0,
			part ? a->past_len * size : 0, part ? A_IN(new_in) : A_IN(past_in), A_OUT(out));
	}
}

static int has_out(Graph *g, int node, int k)
{
	return k < g->n[node].nout && g->n[node].out[k] >= 0;
}

int prep_attention(Graph *g, int node, Lowered *L)
{
	DType dt = in_t(g, node, AT_Q)->dtype;
	o2m_attention_params *p = LW_PARAMS(g, o2m_attention_params);
	int k = lw_kernel(g, node, "attention", dt), s;
	AttnGeom a;

	if (k < 0 || attn_setup(g, node, &a, p))
		return -1;
	for (int i = 0; i < g->n[node].nout; i++)
		if (has_out(g, node, i))
			lw_i32(g, node, ir_numel(out_t(g, node, i)));
	s = lw_scratch(g, L, (a.past_len + a.kv_len + 1) * dt_size(dt));
	lw_call(g, L, k, PT_ATTENTION, p, 10, A_IN(AT_Q), A_IN(AT_K), A_IN(AT_V),
		has_in(g, node, AT_MASK) ? A_IN(AT_MASK) : A_NONE,
		a.past_len ? A_IN(AT_PAST_K) : A_NONE, a.past_len ? A_IN(AT_PAST_V) : A_NONE,
		has_in(g, node, AT_NONPAD) ? A_IN(AT_NONPAD) : A_NONE, A_SCR(s), A_OUT(0),
		has_out(g, node, 3) ? A_OUT(3) : A_NONE);
	if (has_out(g, node, 1))
		attn_present(g, node, L, &a, 1, AT_PAST_K, AT_K, p->k_stride, a.head);
	if (has_out(g, node, 2))
		attn_present(g, node, L, &a, 2, AT_PAST_V, AT_V, p->v_stride, a.v_head);
	return 0;
}

/* ---- RotaryEmbedding ---- */

typedef struct {
	int64_t batch, heads, seq, head, rot;
} RotGeom;

static int rot_caches(Graph *g, int node, const RotGeom *r)
{
	Tensor *c = in_t(g, node, 1), *s = in_t(g, node, 2);
	int ok = c->rank == s->rank && c->dtype == s->dtype &&
		 c->dtype == in_t(g, node, 0)->dtype;

	for (int i = 0; ok && i < c->rank; i++)
		ok = c->dims[i] == s->dims[i];
	if (has_in(g, node, 3)) {
		Tensor *pos = in_t(g, node, 3);
		ok = ok && c->rank == 2 && pos->dtype == DT_S64 && pos->rank == 2 &&
		     pos->dims[0] == r->batch && pos->dims[1] == r->seq;
	} else {
		ok = ok && c->rank == 3 && c->dims[0] == r->batch && c->dims[1] == r->seq;
	}
	if (!ok || c->dims[c->rank - 1] != r->rot / 2) {
		ir_error(g, node, "cos_cache and sin_cache must be [positions, %lld] with int64 "
			 "position_ids [batch, seq], or [batch, seq, %lld] without",
			 (long long)(r->rot / 2), (long long)(r->rot / 2));
		return -1;
	}
	return 0;
}

static int rot_geom(Graph *g, int node, RotGeom *r)
{
	Tensor *x = in_t(g, node, 0);
	int64_t heads = ir_attr_int(g, node, "num_heads", 0);

	if (x->rank == 4) {
		r->batch = x->dims[0], r->heads = x->dims[1], r->seq = x->dims[2];
		r->head = x->dims[3];
	} else if (x->rank == 3 && heads > 0 && x->dims[2] % heads == 0) {
		r->batch = x->dims[0], r->heads = heads, r->seq = x->dims[1];
		r->head = x->dims[2] / heads;
	} else {
		ir_error(g, node, "input must be 4-D, or 3-D with num_heads dividing its last "
			 "dimension");
		return -1;
	}
	r->rot = ir_attr_int(g, node, "rotary_embedding_dim", 0);
	if (r->rot == 0)
		r->rot = r->head;
	if (r->rot < 0 || r->rot > r->head || r->rot % 2) {
		ir_error(g, node, "rotary_embedding_dim %lld must be even and at most the head "
			 "size %lld", (long long)r->rot, (long long)r->head);
		return -1;
	}
	return rot_caches(g, node, r);
}

int shape_rotary(Graph *g, int node)
{
	RotGeom r;

	if (!dt_is_float(in_t(g, node, 0)->dtype)) {
		ir_error(g, node, "input must be a float tensor");
		return -1;
	}
	if (rot_geom(g, node, &r))
		return -1;
	set_out_like(g, node, 0, ir_in(g, node, 0));
	return 0;
}

int prep_rotary(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_rotary_params *p = LW_PARAMS(g, o2m_rotary_params);
	int k = lw_kernel(g, node, "rotary", x->dtype);
	RotGeom r;

	if (k < 0 || rot_geom(g, node, &r))
		return -1;
	p->batch = lw_i32(g, node, r.batch);
	p->heads = (int32_t)r.heads;
	p->seq = (int32_t)r.seq;
	p->head_size = (int32_t)r.head;
	p->rotary_dim = (int32_t)r.rot;
	p->interleaved = ir_attr_int(g, node, "interleaved", 0) != 0;
	lw_i32(g, node, ir_numel(x));
	attn_strides(x->rank, r.heads, r.seq, r.head, p->stride);
	p->cache_rows = has_in(g, node, 3) ? lw_i32(g, node, in_t(g, node, 1)->dims[0]) : 0;
	lw_call(g, L, k, PT_ROTARY, p, 5, A_IN(0), A_IN(1), A_IN(2),
		has_in(g, node, 3) ? A_IN(3) : A_NONE, A_OUT(0));
	L->inplace = 0;
	return 0;
}

/* ---- LinearAttention ---- */

enum { LA_Q, LA_K, LA_V, LA_PAST, LA_DECAY, LA_BETA, LA_ERASE };

typedef struct {
	int64_t batch, seq, q_heads, kv_heads, dk, dv;
} LinGeom;

/* the rule's inputs: decay for the gated rules, beta for the delta rules */
static int lin_rule(Graph *g, int node, o2m_linear_attention_params *p)
{
	const char *rule = ir_attr_str(g, node, "update_rule", "gated_delta");

	if (strcmp(rule, "linear") && strcmp(rule, "gated") && strcmp(rule, "delta") &&
	    strcmp(rule, "gated_delta")) {
		ir_error(g, node, "update_rule '%s' is not supported", rule);
		return -1;
	}
	p->gating = !strcmp(rule, "gated") || !strcmp(rule, "gated_delta");
	p->delta = !strcmp(rule, "delta") || !strcmp(rule, "gated_delta");
	if (p->gating != has_in(g, node, LA_DECAY) || p->delta != has_in(g, node, LA_BETA) ||
	    (!p->delta && has_in(g, node, LA_ERASE))) {
		ir_error(g, node, "update_rule '%s' takes %s decay and %s beta (and erase_gate "
			 "only with beta)", rule, p->gating ? "a" : "no", p->delta ? "a" : "no");
		return -1;
	}
	return 0;
}

/* a [batch, seq, n] side input; returns n, or -1 after an error */
static int64_t lin_side(Graph *g, int node, int k, const LinGeom *l)
{
	Tensor *t = in_t(g, node, k), *q = in_t(g, node, LA_Q);

	if (t->rank != 3 || t->dims[0] != l->batch || t->dims[1] != l->seq || t->dtype != q->dtype) {
		ir_error(g, node, "input %d must be [%lld, %lld, *] of the query's type", k,
			 (long long)l->batch, (long long)l->seq);
		return -1;
	}
	return t->dims[2];
}

static int lin_sides(Graph *g, int node, const LinGeom *l, o2m_linear_attention_params *p)
{
	int errors = g->nerrors;

	if (has_in(g, node, LA_DECAY)) {
		int64_t n = lin_side(g, node, LA_DECAY, l);
		if (n != l->kv_heads && n != l->kv_heads * l->dk)
			goto bad;
		p->decay_per_key = n == l->kv_heads * l->dk;
	}
	if (has_in(g, node, LA_BETA)) {
		int64_t n = lin_side(g, node, LA_BETA, l);
		if (n != l->kv_heads && n != 1)
			goto bad;
		p->beta_per_head = n == l->kv_heads;
	}
	if (has_in(g, node, LA_ERASE) && lin_side(g, node, LA_ERASE, l) != l->kv_heads * l->dk)
		goto bad;
	return 0;
bad:
	if (g->nerrors == errors)
		ir_error(g, node, "decay must have kv_num_heads or kv_num_heads * d_k values per "
			 "step, beta kv_num_heads or 1, erase_gate kv_num_heads * d_k");
	return -1;
}

static int lin_geom(Graph *g, int node, LinGeom *l)
{
	Tensor *q = in_t(g, node, LA_Q), *k = in_t(g, node, LA_K), *v = in_t(g, node, LA_V);

	l->q_heads = ir_attr_int(g, node, "q_num_heads", 0);
	l->kv_heads = ir_attr_int(g, node, "kv_num_heads", 0);
	if (l->q_heads <= 0 || l->kv_heads <= 0 || l->q_heads % l->kv_heads ||
	    q->rank != 3 || k->rank != 3 || v->rank != 3 || q->dims[2] % l->q_heads ||
	    v->dims[2] % l->kv_heads || !dt_is_float(q->dtype) || k->dtype != q->dtype ||
	    v->dtype != q->dtype) {
		ir_error(g, node, "query, key and value must be float [batch, seq, heads * size] "
			 "with q_num_heads a multiple of kv_num_heads");
		return -1;
	}
	l->batch = q->dims[0], l->seq = q->dims[1];
	l->dk = q->dims[2] / l->q_heads, l->dv = v->dims[2] / l->kv_heads;
	if (k->dims[0] != l->batch || k->dims[1] != l->seq || k->dims[2] != l->kv_heads * l->dk ||
	    v->dims[0] != l->batch || v->dims[1] != l->seq) {
		ir_error(g, node, "key and value do not match the query");
		return -1;
	}
	return 0;
}

static int lin_setup(Graph *g, int node, LinGeom *l, o2m_linear_attention_params *p)
{
	const Attr *scale = ir_attr(g, node, "scale");
	int64_t state[4];

	memset(p, 0, sizeof *p);
	if (lin_geom(g, node, l) || lin_rule(g, node, p) || lin_sides(g, node, l, p))
		return -1;
	state[0] = l->batch, state[1] = l->kv_heads, state[2] = l->dk, state[3] = l->dv;
	if (has_in(g, node, LA_PAST)) {
		Tensor *s = in_t(g, node, LA_PAST);
		if (s->rank != 4 || memcmp(s->dims, state, sizeof state) ||
		    s->dtype != in_t(g, node, LA_Q)->dtype) {
			ir_error(g, node, "past_state must be [%lld, %lld, %lld, %lld] of the query's "
				 "type", (long long)state[0], (long long)state[1],
				 (long long)state[2], (long long)state[3]);
			return -1;
		}
	}
	p->batch = lw_i32(g, node, l->batch);
	p->seq = lw_i32(g, node, l->seq);
	p->q_heads = (int32_t)l->q_heads, p->kv_heads = (int32_t)l->kv_heads;
	p->key_size = lw_i32(g, node, l->dk), p->value_size = lw_i32(g, node, l->dv);
	p->scale = scale && scale->f != 0 ? scale->f : (float)(1.0 / sqrt((double)l->dk));
	lw_i32(g, node, l->batch * l->kv_heads * l->dk * l->dv);
	for (int k = 0; k < g->n[node].nin; k++)
		if (has_in(g, node, k))
			lw_i32(g, node, ir_numel(in_t(g, node, k)));
	return 0;
}

int shape_linear_attention(Graph *g, int node)
{
	DType dt = in_t(g, node, LA_Q)->dtype;
	o2m_linear_attention_params p;
	LinGeom l;
	int64_t y[3], state[4];

	if (lin_setup(g, node, &l, &p))
		return -1;
	y[0] = l.batch, y[1] = l.seq, y[2] = l.q_heads * l.dv;
	set_out(g, node, 0, dt, 3, y);
	state[0] = l.batch, state[1] = l.kv_heads, state[2] = l.dk, state[3] = l.dv;
	set_out(g, node, 1, dt, 4, state);
	return 0;
}

/* the state evolves in present_state, or in scratch when the model does not ask for it */
int prep_linear_attention(Graph *g, int node, Lowered *L)
{
	DType dt = in_t(g, node, LA_Q)->dtype;
	o2m_linear_attention_params *p = LW_PARAMS(g, o2m_linear_attention_params);
	int k = lw_kernel(g, node, "linear_attention", dt);
	LinGeom l;
	Arg state;

	if (k < 0 || lin_setup(g, node, &l, p))
		return -1;
	state = has_out(g, node, 1) ? A_OUT(1)
		: A_SCR(lw_scratch(g, L, l.batch * l.kv_heads * l.dk * l.dv * dt_size(dt)));
	lw_call(g, L, k, PT_LINEAR_ATTENTION, p, 10, A_IN(LA_Q), A_IN(LA_K), A_IN(LA_V),
		has_in(g, node, LA_PAST) ? A_IN(LA_PAST) : A_NONE,
		has_in(g, node, LA_DECAY) ? A_IN(LA_DECAY) : A_NONE,
		has_in(g, node, LA_BETA) ? A_IN(LA_BETA) : A_NONE,
		has_in(g, node, LA_ERASE) ? A_IN(LA_ERASE) : A_NONE,
		A_SCR(lw_scratch(g, L, (l.dv + 1) * dt_size(dt))), A_OUT(0), state);
	return 0;
}
