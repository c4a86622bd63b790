/* flow_loop.c - Loop, Scan and SequenceMap, unrolled: one copy of the body per
   iteration, each iteration's state feeding the next. The trip count must be known at
   compile time, and a Loop's condition once each iteration is folded. Scan outputs are
   stacked with Unsqueeze and Concat. */
#include "flow.h"

#include <stdlib.h>

static const char *iter_tag(Graph *g, int i) { return arena_printf(&g->arena, "@%d", i); }

static int too_long(Graph *g, int node, int64_t trips)
{
	if (trips <= FLOW_MAX_TRIPS)
		return 0;
	if (trips == FLOW_MAX_TRIPS + 1) /* a loop on its condition, counted as it goes */
		ir_error(g, node, "runs more than %d iterations; unrolling stops there",
			 FLOW_MAX_TRIPS);
	else
		ir_error(g, node, "runs %lld iterations; unrolling stops at %d", (long long)trips,
			 FLOW_MAX_TRIPS);
	return 1;
}

/* scan outputs: scans[k * cap + i] is output k of iteration i */
static void stack_outputs(Graph *g, int node, int first, int nscan, const int *scans, int cap,
			  int trips, const int64_t *axes, const int64_t *rev)
{
	int *ts = malloc(sizeof(int) * (size_t)(trips + 1));

	IR_ASSERT(ts);
	for (int k = 0; k < nscan; k++) {
		int out = g->n[node].out[first + k], y, rank;
		if (out < 0)
			continue;
		for (int i = 0; i < trips; i++)
			ts[i] = scans[k * cap + i];
		rank = trips ? g->t[ts[0]].rank : 0;
		y = flow_stack(g, node, ts, trips, (int)(axes && axes[k] < 0 ? axes[k] + rank + 1
							  : axes ? axes[k] : 0), rev && rev[k]);
		if (y >= 0)
			flow_bind(g, node, out, y);
	}
	free(ts);
}

/* Loop(M, cond, v...) -> (v_final..., scan...); body(i, cond, v...) -> (cond, v..., scan...) */
void flow_loop(Graph *g, int node)
{
	int nv = flow_nformal(g, node) - 2, base, *state, *scans, nscan, cap, trips = 0;
	int64_t max = -1, cond = 1;
	int errors = g->nerrors;
	const Graph *sub = flow_body(g, node, "body", &base);

	if (!sub || (ir_in(g, node, 0) >= 0 && flow_scalar(g, node, 0, "the trip count of Loop",
							  &max)) ||
	    (ir_in(g, node, 1) >= 0 && flow_scalar(g, node, 1, "the condition of Loop", &cond)))
		return;
	if (max < 0 && ir_in(g, node, 1) < 0) {
		ir_error(g, node, "has neither a trip count nor a condition: it never ends");
		return;
	}
	nscan = sub->noutputs - 1 - nv;
	if (sub->ninputs != nv + 2 || nscan < 0 || g->n[node].nout != nv + nscan) {
		ir_error(g, node, "its body has %d inputs and %d outputs for %d loop-carried values",
			 sub->ninputs, sub->noutputs, nv);
		return;
	}
	if (too_long(g, node, max))
		return;
	cap = max >= 0 && max <= FLOW_MAX_TRIPS ? (int)max : FLOW_MAX_TRIPS + 1;
	state = malloc(sizeof(int) * (size_t)(nv + 2));
	scans = malloc(sizeof(int) * (size_t)(nscan * cap + 1));
	IR_ASSERT(state && scans);
	for (int k = 0; k < nv; k++)
		state[2 + k] = g->n[node].in[2 + k];
	while ((max < 0 || trips < max) && cond && !too_long(g, node, trips + 1)) {
		int64_t i = trips;
		uint8_t c = 1;
		int *res;
		state[0] = flow_i64(g, node, -1, &i);
		state[1] = ir_const_new(g, arena_printf(&g->arena, "%s/cond_%d", g->n[node].name, g->nt),
					DT_BOOL, 0, NULL, &c);
		res = flow_splice(g, node, base, sub, state, iter_tag(g, trips));
		if (!res)
			break;
		for (int k = 0; k < nv; k++)
			state[2 + k] = res[1 + k];
		for (int k = 0; k < nscan; k++)
			scans[k * cap + trips] = res[1 + nv + k];
		trips++;
		cond = ir_in(g, node, 1) < 0 ? 1 : res[0] >= 0 && ir_is_const(g, res[0])
			? dt_get_i64(g->t[res[0]].dtype, g->t[res[0]].data, 0) : -1;
		free(res);
		if (cond < 0) {
			ir_error(g, node, "the loop condition is not known at compile time after "
				 "iteration %d: the generated code has no control flow", trips - 1);
			break;
		}
	}
	if (g->nerrors == errors) {
		for (int k = 0; k < nv; k++)
			if (g->n[node].out[k] >= 0)
				flow_bind(g, node, g->n[node].out[k], state[2 + k]);
		stack_outputs(g, node, nv, nscan, scans, cap, trips, NULL, NULL);
		flow_kill(g, node);
	}
	free(state);
	free(scans);
}

/* a Scan over states st[0..nv) and scan inputs sc[0..m) with their axes and
   directions: the final states into st, the stacked scan outputs into ys (-1: unused) */
typedef struct {
	int nv, m, nscan, base;
	const Graph *sub;
	int64_t iax[IR_MAX_RANK], idir[IR_MAX_RANK], oax[IR_MAX_RANK], odir[IR_MAX_RANK];
} ScanSpec;

static int scan_run(Graph *g, int node, const ScanSpec *sp, int *st, const int *sc, int *ys,
		    const char *tag)
{
	int errors = g->nerrors, trips = -1, *act, *scans, n = sp->nv + sp->m;

	for (int j = 0; j < sp->m; j++) {
		const Tensor *x = &g->t[sc[j]];
		int ax;
		if (ir_norm_axis(g, node, sp->iax[j], x->rank, &ax))
			return -1;
		if (trips >= 0 && x->dims[ax] != trips) {
			ir_error(g, node, "its scan inputs differ in length");
			return -1;
		}
		trips = (int)x->dims[ax];
	}
	if (too_long(g, node, trips))
		return -1;
	act = malloc(sizeof(int) * (size_t)(n + 1));
	scans = malloc(sizeof(int) * (size_t)(sp->nscan * trips + 1));
	IR_ASSERT(act && scans);
	for (int k = 0; k < sp->nv; k++)
		act[k] = st[k];
	for (int i = 0; i < trips && g->nerrors == errors; i++) {
		int *res;
		for (int j = 0; j < sp->m; j++) {
			int64_t at = sp->idir[j] ? trips - 1 - i : i;
			int in[2] = {sc[j], flow_i64(g, node, -1, &at)};
			act[sp->nv + j] = flow_op_axis(g, node, OP_GATHER, "slice", 2, in, sp->iax[j]);
		}
		res = flow_splice(g, node, sp->base, sp->sub, act,
				  arena_printf(&g->arena, "%s@%d", tag, i));
		if (!res)
			break;
		for (int k = 0; k < sp->nv; k++)
			act[k] = res[k];
		for (int k = 0; k < sp->nscan; k++)
			scans[k * trips + i] = res[sp->nv + k];
		free(res);
	}
	for (int k = 0; k < sp->nv; k++)
		st[k] = act[k];
	for (int k = 0; k < sp->nscan && g->nerrors == errors; k++) {
		int rank = trips ? g->t[scans[k * trips]].rank : 0;
		ys[k] = flow_stack(g, node, scans + k * trips, trips,
				   (int)(sp->oax[k] < 0 ? sp->oax[k] + rank + 1 : sp->oax[k]),
				   (int)sp->odir[k]);
	}
	free(act);
	free(scans);
	return g->nerrors == errors ? 0 : -1;
}

/* Scan 8 has a batch axis first: one scan per batch entry, the results stacked */
static int scan_batched(Graph *g, int node, ScanSpec *sp, int *st, int *ys)
{
	int64_t batch = g->t[g->n[node].in[1]].dims[0], zero = 0;
	int n = sp->nv + sp->m, *b = malloc(sizeof(int) * (size_t)(n + 1));
	int *parts = malloc(sizeof(int) * (size_t)((n + sp->nscan) * batch + 1));

	IR_ASSERT(b && parts);
	ir_attr_ints(g, node, "directions", sp->idir, IR_MAX_RANK);
	for (int64_t i = 0; i < batch; i++) {
		int in[2] = {-1, flow_i64(g, node, -1, &i)};
		for (int k = 0; k < n; k++) {
			in[0] = g->n[node].in[1 + k];
			b[k] = flow_op_axis(g, node, OP_GATHER, "batch", 2, in, zero);
		}
		if (scan_run(g, node, sp, b, b + sp->nv, b + n,
			     arena_printf(&g->arena, "@b%lld", (long long)i))) {
			free(b);
			free(parts);
			return -1;
		}
		for (int k = 0; k < sp->nv; k++)
			parts[k * batch + i] = b[k];
		for (int k = 0; k < sp->nscan; k++)
			parts[(sp->nv + k) * batch + i] = b[n + k];
	}
	for (int k = 0; k < sp->nv + sp->nscan; k++) {
		int y = flow_stack(g, node, parts + k * batch, (int)batch, 0, 0);
		if (k < sp->nv)
			st[k] = y;
		else
			ys[k - sp->nv] = y;
	}
	free(b);
	free(parts);
	return 0;
}

/* Scan(state..., scan...) -> (state_final..., scan_out...): iteration i reads slice i
   of each scan input along its axis, from the end when reversed */
void flow_scan(Graph *g, int node)
{
	int old = g->n[node].opset < 9, nin = flow_nformal(g, node) - old, errors = g->nerrors;
	int64_t m = ir_attr_int(g, node, "num_scan_inputs", 0);
	ScanSpec sp = {0};
	int *st, *ys, rc;

	sp.sub = flow_body(g, node, "body", &sp.base);
	if (!sp.sub)
		return;
	if (old && ir_in(g, node, 0) >= 0) {
		ir_error(g, node, "sequence_lens is not supported: every sequence has its full length");
		return;
	}
	sp.m = m < 1 || m > IR_MAX_RANK ? 0 : (int)m; /* 0: refused below */
	sp.nv = nin - sp.m;
	sp.nscan = sp.sub->noutputs - sp.nv;
	if (!sp.m || sp.nv < 0 || sp.sub->ninputs != nin || sp.nscan < 0 ||
	    sp.nscan > IR_MAX_RANK || g->n[node].nout != sp.sub->noutputs) {
		ir_error(g, node, "its body does not match %lld scan inputs", (long long)m);
		return;
	}
	ir_attr_ints(g, node, "scan_input_axes", sp.iax, IR_MAX_RANK);
	ir_attr_ints(g, node, "scan_input_directions", sp.idir, IR_MAX_RANK);
	ir_attr_ints(g, node, "scan_output_axes", sp.oax, IR_MAX_RANK);
	ir_attr_ints(g, node, "scan_output_directions", sp.odir, IR_MAX_RANK);
	st = malloc(sizeof(int) * (size_t)(nin + 1));
	ys = malloc(sizeof(int) * (size_t)(sp.nscan + 1));
	IR_ASSERT(st && ys);
	for (int k = 0; k < nin; k++)
		st[k] = g->n[node].in[old + k];
	rc = old ? scan_batched(g, node, &sp, st, ys) : scan_run(g, node, &sp, st, st + sp.nv, ys, "");
	for (int k = 0; !rc && g->nerrors == errors && k < sp.nv + sp.nscan; k++) {
		int out = g->n[node].out[k], y = k < sp.nv ? st[k] : ys[k - sp.nv];
		if (out >= 0 && y >= 0)
			flow_bind(g, node, out, y);
	}
	if (!rc && g->nerrors == errors)
		flow_kill(g, node);
	free(st);
	free(ys);
}

/* SequenceMap(seq, more...) -> seqs: the body once per element of seq, reading
   element i of each sequence input and the whole of each tensor input */
void flow_seq_map(Graph *g, int node)
{
	int nin = flow_nformal(g, node), base, errors = g->nerrors, n, nout = g->n[node].nout;
	const Graph *sub = flow_body(g, node, "body", &base);
	int *act, **elems;

	if (!sub)
		return;
	if (!(g->t[g->n[node].in[0]].flags & T_SEQ)) {
		ir_error(g, node, "input 0 must be a sequence");
		return;
	}
	n = g->t[g->n[node].in[0]].nelem;
	for (int k = 1; k < nin; k++) {
		const Tensor *x = &g->t[g->n[node].in[k]];
		if ((x->flags & T_SEQ) && x->nelem != n) {
			ir_error(g, node, "its sequences differ in length (%d and %d)", n, x->nelem);
			return;
		}
	}
	if (sub->ninputs != nin || sub->noutputs != nout) {
		ir_error(g, node, "its body does not take its %d inputs to its %d outputs", nin, nout);
		return;
	}
	act = malloc(sizeof(int) * (size_t)(nin + 1));
	elems = malloc(sizeof(int *) * (size_t)(nout + 1));
	IR_ASSERT(act && elems);
	for (int k = 0; k < nout; k++)
		elems[k] = arena_alloc(&g->arena, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n && g->nerrors == errors; i++) {
		int *res;
		for (int k = 0; k < nin; k++) {
			const Tensor *x = &g->t[g->n[node].in[k]];
			act[k] = x->flags & T_SEQ ? x->elem[i] : g->n[node].in[k];
		}
		res = flow_splice(g, node, base, sub, act, iter_tag(g, i));
		if (!res)
			break;
		for (int k = 0; k < nout; k++)
			elems[k][i] = res[k];
		free(res);
	}
	for (int k = 0; k < nout && g->nerrors == errors; k++) {
		int out = g->n[node].out[k];
		if (out >= 0)
			ir_set_seq(g, out, n ? g->t[elems[k][0]].dtype : DT_F32, elems[k], n);
	}
	if (g->nerrors == errors)
		flow_kill(g, node);
	free(act);
	free(elems);
}
