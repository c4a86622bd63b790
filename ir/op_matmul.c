/* op_matmul.c - shape functions and prepares of the matrix products: MatMul (numpy
   semantics: 1-D operands, broadcast batch dims), Gemm, and Einsum, whose equation is
   parsed here into a plan of one or two-operand contraction steps with strides. A
   constant B is transposed at compile time so each output is a contiguous dot product. */
#include "lower.h"

#include <float.h>
#include <string.h>

static int same_types(Graph *g, int node)
{
	Node *n = &g->n[node];

	for (int k = 1; k < n->nin; k++)
		if (has_in(g, node, k) && in_t(g, node, k)->dtype != in_t(g, node, 0)->dtype) {
			ir_error(g, node, "inputs have different element types (%s and %s)",
				 dt_name(in_t(g, node, 0)->dtype), dt_name(in_t(g, node, k)->dtype));
			return -1;
		}
	return 0;
}

/* `count` rows x cols matrices of es-byte elements, each transposed */
static void *transposed(Graph *g, const void *src, int64_t count, int64_t rows, int64_t cols,
			int es)
{
	const unsigned char *s = src;
	int64_t mat = rows * cols * es;
	unsigned char *d = arena_alloc(&g->arena, (size_t)(count * mat) + 1);

	for (int64_t b = 0; b < count; b++)
		for (int64_t i = 0; i < rows; i++)
			for (int64_t j = 0; j < cols; j++)
				memcpy(d + b * mat + (j * rows + i) * es, s + b * mat + (i * cols + j) * es,
				       (size_t)es);
	return d;
}

/* op(B) (k x n; B itself n x k when tb) as o2m_gemm_pk reads it: panels of 8 columns,
   each k rows of 8, then the columns left over as rows of k */
static void *panels8(Graph *g, const void *src, int64_t k, int64_t n, int tb, int es)
{
	const unsigned char *s = src;
	unsigned char *d = arena_alloc(&g->arena, (size_t)(k * n * es) + 1), *o = d;
	int64_t n8 = n / 8 * 8;

	for (int64_t j0 = 0; j0 < n8; j0 += 8)
		for (int64_t q = 0; q < k; q++)
			for (int64_t j = j0; j < j0 + 8; j++, o += es)
				memcpy(o, s + (tb ? j * k + q : q * n + j) * es, (size_t)es);
	for (int64_t j = n8; j < n; j++)
		for (int64_t q = 0; q < k; q++, o += es)
			memcpy(o, s + (tb ? j * k + q : q * n + j) * es, (size_t)es);
	return d;
}

/* ---- MatMul ---- */

/* A [..., m, k] (or [k]) times B [..., k, n] (or [k]): the batch dims broadcast */
int shape_matmul(Graph *g, int node)
{
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1);
	int64_t dims[IR_MAX_RANK];
	int ra = a->rank, rb = b->rank, ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0;
	int r = ba > bb ? ba : bb;

	if (same_types(g, node))
		return -1;
	if (ra < 1 || rb < 1) {
		ir_error(g, node, "MatMul operands must have rank 1 or more");
		return -1;
	}
	if (a->dims[ra - 1] != b->dims[rb > 1 ? rb - 2 : 0]) {
		ir_error(g, node, "inner dimensions differ (%lld and %lld)", (long long)a->dims[ra - 1],
			 (long long)b->dims[rb > 1 ? rb - 2 : 0]);
		return -1;
	}
	for (int i = 0; i < r; i++) {
		int ia = i - (r - ba), ib = i - (r - bb);
		int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
		if (da != db && da != 1 && db != 1) {
			ir_error(g, node, "batch dimensions cannot broadcast (%lld and %lld)",
				 (long long)da, (long long)db);
			return -1;
		}
		dims[i] = da == 1 ? db : da;
	}
	if (ra > 1)
		dims[r++] = a->dims[ra - 2];
	if (rb > 1)
		dims[r++] = b->dims[rb - 1];
	set_out(g, node, 0, a->dtype, r, dims);
	return 0;
}

/* element strides of operand t's batch dims (its first `nb` dims, each matrix `mat`
   elements) against the output's `r` batch dims; 0 where t broadcasts */
static void batch_strides(const Tensor *t, int nb, int64_t mat, int r, int64_t *st)
{
	int64_t s = mat;

	for (int i = r - 1; i >= 0; i--) {
		int j = i - (r - nb);
		int64_t d = j >= 0 ? t->dims[j] : 1;
		st[i] = d == 1 ? 0 : s;
		s *= d;
	}
}

/* drops batch dims of size 1 and merges dims both operands walk contiguously */
static void batch_merge(o2m_matmul_params *p, int r, const int64_t *dims, const int64_t *sa,
			const int64_t *sb)
{
	int n = 0;

	for (int i = 0; i < r; i++) {
		if (dims[i] == 1)
			continue;
		if (n > 0 && p->a_stride[n - 1] == sa[i] * dims[i] &&
		    p->b_stride[n - 1] == sb[i] * dims[i]) {
			p->batch[n - 1] *= (int32_t)dims[i];
			p->a_stride[n - 1] = (int32_t)sa[i];
			p->b_stride[n - 1] = (int32_t)sb[i];
			continue;
		}
		p->batch[n] = (int32_t)dims[i];
		p->a_stride[n] = (int32_t)sa[i];
		p->b_stride[n] = (int32_t)sb[i];
		n++;
	}
	p->batch_rank = n;
	/* one dense batch of A against a single B: the batch is just more rows of A */
	if (n == 1 && p->b_stride[0] == 0 && p->a_stride[0] == p->m * p->k) {
		p->m *= p->batch[0];
		p->batch_rank = 0;
		p->batch[0] = p->a_stride[0] = 0;
	}
}

int lw_matmul_geom(Graph *g, int node, o2m_matmul_params *p)
{
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1), *y = out_t(g, node, 0);
	int ra = a->rank, rb = b->rank, ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0;
	int r = ba > bb ? ba : bb, errors = g->nerrors;
	int64_t m = ra > 1 ? a->dims[ra - 2] : 1, k = a->dims[ra - 1], n = rb > 1 ? b->dims[rb - 1] : 1;
	int64_t sa[IR_MAX_RANK], sb[IR_MAX_RANK];

	p->m = lw_i32(g, node, m);
	p->n = lw_i32(g, node, n);
	p->k = lw_i32(g, node, k);
	lw_i32(g, node, ir_numel(a));
	lw_i32(g, node, ir_numel(b));
	lw_i32(g, node, ir_numel(y));
	batch_strides(a, ba, m * k, r, sa);
	batch_strides(b, bb, k * n, r, sb);
	batch_merge(p, r, y->dims, sa, sb);
	return g->nerrors > errors ? -1 : 0;
}

int prep_matmul(Graph *g, int node, Lowered *L)
{
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1), *y = out_t(g, node, 0);
	o2m_matmul_params *p = LW_PARAMS(g, o2m_matmul_params);
	int ra = a->rank, rb = b->rank;
	int bt = ir_is_const(g, ir_in(g, node, 1)) && ir_numel(b) > 0;
	int64_t k = a->dims[ra - 1], n = rb > 1 ? b->dims[rb - 1] : 1;
	int kern = lw_kernel(g, node, bt ? "matmul_bt" : "matmul", a->dtype);

	if (kern < 0)
		return -1;
	if (!ir_numel(y))
		return 0;
	if (k == 0) { /* empty operands (which have no storage): all sums are 0 */
		lw_zero(g, node, L, 0);
		return 0;
	}
	if (lw_matmul_geom(g, node, p))
		return -1;
	if (bt) { /* B^T per batch matrix, made once here */
		void *t = transposed(g, b->data, ir_numel(b) / (k * n), k, n, dt_size(b->dtype));
		int c = lw_const(g, L, b->dtype, ir_numel(b), t);
		lw_call(g, L, kern, PT_MATMUL, p, 3, A_IN(0), A_CST(c), A_OUT(0));
	} else {
		lw_call(g, L, kern, PT_MATMUL, p, 3, A_IN(0), A_IN(1), A_OUT(0));
	}
	return 0;
}

/* ---- Gemm ---- */

int shape_gemm(Graph *g, int node)
{
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1);
	int ta = ir_attr_int(g, node, "transA", 0) != 0, tb = ir_attr_int(g, node, "transB", 0) != 0;
	int64_t dims[2];

	if (same_types(g, node))
		return -1;
	if (a->rank != 2 || b->rank != 2) {
		ir_error(g, node, "A and B must be matrices (ranks %d and %d)", a->rank, b->rank);
		return -1;
	}
	if (a->dims[ta ? 0 : 1] != b->dims[tb ? 1 : 0]) {
		ir_error(g, node, "inner dimensions differ (%lld and %lld)",
			 (long long)a->dims[ta ? 0 : 1], (long long)b->dims[tb ? 1 : 0]);
		return -1;
	}
	dims[0] = a->dims[ta ? 1 : 0];
	dims[1] = b->dims[tb ? 0 : 1];
	if (has_in(g, node, 2)) {
		Tensor *c = in_t(g, node, 2);
		for (int i = 0; i < c->rank; i++) {
			int64_t d = c->dims[i], want = i - c->rank + 2 >= 0 ? dims[i - c->rank + 2] : 1;
			if (c->rank > 2 || (d != 1 && d != want)) {
				ir_error(g, node, "C cannot broadcast to %lld x %lld", (long long)dims[0],
					 (long long)dims[1]);
				return -1;
			}
		}
	}
	set_out(g, node, 0, a->dtype, 2, dims);
	return 0;
}

/* strides of C broadcast to m x n; 0 along the dims it broadcasts */
static void gemm_c_strides(const Tensor *c, o2m_gemm_params *p)
{
	int64_t d0 = c->rank == 2 ? c->dims[0] : 1, d1 = c->rank >= 1 ? c->dims[c->rank - 1] : 1;

	p->c_sn = d1 == 1 ? 0 : 1;
	p->c_sm = d0 == 1 ? 0 : (int32_t)d1;
}

int prep_gemm(Graph *g, int node, Lowered *L)
{
	Tensor *a = in_t(g, node, 0), *b = in_t(g, node, 1), *y = out_t(g, node, 0);
	o2m_gemm_params *p = LW_PARAMS(g, o2m_gemm_params);
	int ta = ir_attr_int(g, node, "transA", 0) != 0, tb = ir_attr_int(g, node, "transB", 0) != 0;
	int kern = lw_kernel(g, node, "gemm", a->dtype), repack;
	Arg aarg = A_IN(0), barg = A_IN(1), carg = A_NONE;

	if (kern < 0 ||
	    lw_act(g, node, &p->act, &p->act_alpha, &p->act_beta, &p->act_min, &p->act_max))
		return -1;
	if (!dt_is_float(a->dtype) && (p->act || p->act_min > -FLT_MAX || p->act_max < FLT_MAX)) {
		ir_error(g, node, "an activation or clamp needs a float type, not %s",
			 dt_name(a->dtype));
		return -1;
	}
	if (!ir_numel(y))
		return 0;
	p->m = lw_i32(g, node, y->dims[0]);
	p->n = lw_i32(g, node, y->dims[1]);
	p->k = lw_i32(g, node, a->dims[ta ? 0 : 1]);
	lw_i32(g, node, ir_numel(a));
	lw_i32(g, node, ir_numel(b));
	p->a_sm = ta ? 1 : p->k;
	p->a_sk = ta ? p->m : 1;
	/* a constant float B is packed in panels of 8 columns (o2m_gemm_pk); another
	   constant B is stored as B^T (n x k): dot products run contiguously */
	if (dt_is_float(a->dtype) && p->n >= 8 && p->k > 0 && p->a_sk == 1 &&
	    ir_is_const(g, ir_in(g, node, 1)) && (kern = lw_kernel(g, node, "gemm_pk", a->dtype)) >= 0) {
		barg = A_CST(lw_const(g, L, b->dtype, ir_numel(b),
				      panels8(g, b->data, p->k, p->n, tb, dt_size(b->dtype))));
		tb = 1;
	}
	repack = !tb && p->n > 1 && p->k > 0 && ir_is_const(g, ir_in(g, node, 1));
	if (repack)
		barg = A_CST(lw_const(g, L, b->dtype, ir_numel(b),
				      transposed(g, b->data, 1, p->k, p->n, dt_size(b->dtype))));
	p->b_sk = tb || repack ? 1 : p->n;
	p->b_sn = tb || repack ? p->k : 1;
	p->alpha = ir_attr_float(g, node, "alpha", 1.0f);
	p->beta = ir_attr_float(g, node, "beta", 1.0f);
	if (has_in(g, node, 2) && p->beta != 0 && ir_numel(in_t(g, node, 2))) {
		gemm_c_strides(in_t(g, node, 2), p);
		carg = A_IN(2);
	}
	if (p->k == 0) /* empty A and B have no storage; the kernel reads neither */
		aarg = barg = A_NONE;
	lw_call(g, L, kern, PT_GEMM, p, 4, aarg, barg, carg, A_OUT(0));
	return 0;
}

/* ---- Einsum ---- */

/* Labels: 'A'..'Z' are 0..25 and 'a'..'z' 26..51 (ASCII order, which numpy uses for
   the implicit output); the dims an ellipsis covers are 52.., right-aligned. */
enum { EIN_LETTERS = 52, EIN_LABELS = EIN_LETTERS + IR_MAX_RANK, EIN_MAX_OPS = 16 };

typedef struct {
	int nop;
	int rank[EIN_MAX_OPS];
	int ell[EIN_MAX_OPS];              /* first dim under the ellipsis, or -1 */
	int lab[EIN_MAX_OPS][IR_MAX_RANK]; /* label of each dim of each operand */
	int out_rank;
	int out[IR_MAX_RANK];
	int64_t size[EIN_LABELS];         /* broadcast size of each label */
} EinPlan;

static int ein_letter(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return 26 + c - 'a';
	return -1;
}

/* one term of the equation: its letters' labels into lab; returns their count and sets
   *ell to the position of "..." among them, or -1 */
static int ein_term(Graph *g, int node, const char *s, const char *end, int *lab, int *ell)
{
	int n = 0;

	*ell = -1;
	while (s < end) {
		if (end - s >= 3 && !strncmp(s, "...", 3)) {
			if (*ell >= 0) {
				ir_error(g, node, "Einsum term has more than one ellipsis");
				return -1;
			}
			*ell = n;
			s += 3;
			continue;
		}
		if (ein_letter(*s) < 0 || n == IR_MAX_RANK) {
			ir_error(g, node, "Einsum equation: unexpected '%c' or too many labels", *s);
			return -1;
		}
		lab[n++] = ein_letter(*s++);
	}
	return n;
}

/* fills operand k's labels from its term; the ellipsis dims are labelled once the
   longest ellipsis (*nell) is known */
static int ein_operand(Graph *g, int node, EinPlan *pl, int k, const char *s, const char *end,
		       int *nell)
{
	Tensor *t = in_t(g, node, k);
	int lab[IR_MAX_RANK], ell, n = ein_term(g, node, s, end, lab, &ell), e;

	if (n < 0)
		return -1;
	e = t->rank - n;
	if (e < 0 || (ell < 0 && e != 0)) {
		ir_error(g, node, "Einsum operand %d has rank %d but its term has %d labels", k,
			 t->rank, n);
		return -1;
	}
	pl->rank[k] = t->rank;
	pl->ell[k] = ell;
	for (int i = 0, j = 0; i < t->rank; i++)
		pl->lab[k][i] = ell >= 0 && i >= ell && i < ell + e ? -1 : lab[j++];
	*nell = e > *nell ? e : *nell;
	return 0;
}

/* right-aligns each operand's ellipsis dims onto labels 52..52+nell (broadcasting) */
static void ein_ellipsis(EinPlan *pl, int nell)
{
	for (int k = 0; k < pl->nop; k++) {
		int e = 0;
		for (int i = 0; i < pl->rank[k]; i++)
			e += pl->lab[k][i] < 0;
		for (int i = 0; i < e; i++)
			pl->lab[k][pl->ell[k] + i] = EIN_LETTERS + nell - e + i;
	}
}

/* label sizes: equal, or 1 where an operand broadcasts; repeated labels of one
   operand (diagonals) must agree exactly */
static int ein_sizes(Graph *g, int node, EinPlan *pl)
{
	for (int l = 0; l < EIN_LABELS; l++)
		pl->size[l] = -1;
	for (int k = 0; k < pl->nop; k++) {
		const Tensor *t = in_t(g, node, k);
		for (int i = 0; i < pl->rank[k]; i++) {
			int l = pl->lab[k][i];
			for (int j = 0; j < i; j++)
				if (pl->lab[k][j] == l && t->dims[j] != t->dims[i]) {
					ir_error(g, node, "Einsum operand %d repeats a label over dims "
						 "of sizes %lld and %lld", k, (long long)t->dims[j],
						 (long long)t->dims[i]);
					return -1;
				}
			if (pl->size[l] < 0 || pl->size[l] == 1)
				pl->size[l] = t->dims[i];
			else if (t->dims[i] != 1 && t->dims[i] != pl->size[l]) {
				ir_error(g, node, "Einsum label sizes %lld and %lld do not match",
					 (long long)pl->size[l], (long long)t->dims[i]);
				return -1;
			}
		}
	}
	return 0;
}

/* the output labels: as written, or (implicit) the ellipsis then the letters used once */
static int ein_output(Graph *g, int node, EinPlan *pl, const char *arrow, int nell)
{
	int count[EIN_LABELS] = {0};

	for (int k = 0; k < pl->nop; k++)
		for (int i = 0; i < pl->rank[k]; i++)
			count[pl->lab[k][i]]++;
	pl->out_rank = 0;
	if (!arrow) {
		for (int l = EIN_LETTERS; l < EIN_LETTERS + nell; l++)
			pl->out[pl->out_rank++] = l;
		for (int l = 0; l < EIN_LETTERS; l++) {
			if (count[l] != 1)
				continue;
			if (pl->out_rank == IR_MAX_RANK) {
				ir_error(g, node, "Einsum output has more than %d dimensions",
					 IR_MAX_RANK);
				return -1;
			}
			pl->out[pl->out_rank++] = l;
		}
		return 0;
	}
	{
		int lab[IR_MAX_RANK], ell, n = ein_term(g, node, arrow, arrow + strlen(arrow), lab, &ell);
		int seen[EIN_LABELS] = {0};
		if (n < 0)
			return -1;
		if (n + (ell >= 0 ? nell : 0) > IR_MAX_RANK) {
			ir_error(g, node, "Einsum output has more than %d dimensions", IR_MAX_RANK);
			return -1;
		}
		for (int i = 0; i <= n; i++) {
			if (i == ell)
				for (int e = 0; e < nell; e++)
					pl->out[pl->out_rank++] = EIN_LETTERS + e;
			if (i == n)
				break;
			if (!count[lab[i]] || seen[lab[i]]++) {
				ir_error(g, node, "Einsum output label '%c' is repeated or not in an input",
					 lab[i] < 26 ? 'A' + lab[i] : 'a' + lab[i] - 26);
				return -1;
			}
			pl->out[pl->out_rank++] = lab[i];
		}
	}
	return 0;
}

static int ein_parse(Graph *g, int node, EinPlan *pl)
{
	const char *raw = ir_attr_str(g, node, "equation", NULL);
	char *eq, *arrow, *s, *w;
	int nell = 0;

	if (!raw) {
		ir_error(g, node, "Einsum without an equation");
		return -1;
	}
	eq = arena_strdup(&g->arena, raw);
	for (s = w = eq; *s; s++) /* spaces are allowed anywhere */
		if (*s != ' ')
			*w++ = *s;
	*w = 0;
	arrow = strstr(eq, "->");
	if (arrow) {
		*arrow = 0;
		arrow += 2;
	}
	pl->nop = g->n[node].nin;
	if (pl->nop > EIN_MAX_OPS) {
		ir_error(g, node, "Einsum of more than %d operands", EIN_MAX_OPS);
		return -1;
	}
	s = eq;
	for (int k = 0; k < pl->nop; k++) {
		char *end = strchr(s, ',');
		if (!end != (k == pl->nop - 1)) {
			ir_error(g, node, "Einsum equation has a term count unlike its %d inputs", pl->nop);
			return -1;
		}
		if (!end)
			end = s + strlen(s);
		if (ein_operand(g, node, pl, k, s, end, &nell))
			return -1;
		s = end + 1;
	}
	ein_ellipsis(pl, nell);
	if (ein_sizes(g, node, pl))
		return -1;
	return ein_output(g, node, pl, arrow, nell);
}

int shape_einsum(Graph *g, int node)
{
	EinPlan pl;
	int64_t dims[IR_MAX_RANK];

	if (same_types(g, node) || ein_parse(g, node, &pl))
		return -1;
	for (int i = 0; i < pl.out_rank; i++)
		dims[i] = pl.size[pl.out[i]];
	set_out(g, node, 0, in_t(g, node, 0)->dtype, pl.out_rank, dims);
	return 0;
}

/* an operand of a contraction step: per label, its element stride (0 when absent or
   broadcast); a label repeated over dims (a diagonal) adds the strides */
typedef struct {
	int has[EIN_LABELS];
	int64_t stride[EIN_LABELS];
} EinOperand;

static void ein_input(const EinPlan *pl, const Tensor *t, int k, EinOperand *o)
{
	int64_t st[IR_MAX_RANK];

	memset(o, 0, sizeof *o);
	lw_strides(t->rank, t->dims, st);
	for (int i = 0; i < t->rank; i++) {
		int l = pl->lab[k][i];
		o->has[l] = 1;
		if (t->dims[i] != 1)
			o->stride[l] += st[i];
	}
}

/* a dense intermediate (or the output) holding labels lab[0..n) in that order */
static void ein_dense(const EinPlan *pl, const int *lab, int n, EinOperand *o)
{
	int64_t s = 1;

	memset(o, 0, sizeof *o);
	for (int i = n - 1; i >= 0; i--) {
		o->has[lab[i]] = 1;
		o->stride[lab[i]] = pl->size[lab[i]] == 1 ? 0 : s;
		s *= pl->size[lab[i]];
	}
}

/* loop dims of labels lab[0..n): drops size-1 dims, merges dims both operands walk
   contiguously; -1 when more than O2M_MAX_RANK remain */
static int ein_loops(const EinPlan *pl, const int *lab, int n, const EinOperand *a,
		     const EinOperand *b, int32_t *dims, int32_t *sa, int32_t *sb)
{
	int r = 0;

	for (int i = 0; i < n; i++) {
		int64_t d = pl->size[lab[i]], xa = a->stride[lab[i]], xb = b ? b->stride[lab[i]] : 0;
		if (d == 0) {
			dims[0] = 0;
			return 1;
		}
		if (d == 1)
			continue;
		if (r > 0 && sa[r - 1] == xa * d && sb[r - 1] == xb * d) {
			dims[r - 1] *= (int32_t)d;
			sa[r - 1] = (int32_t)xa;
			sb[r - 1] = (int32_t)xb;
			continue;
		}
		if (r == O2M_MAX_RANK)
			return -1;
		dims[r] = (int32_t)d;
		sa[r] = (int32_t)xa;
		sb[r] = (int32_t)xb;
		r++;
	}
	if (r == 0) {
		dims[0] = 1;
		sa[0] = sb[0] = 0;
		r = 1;
	}
	return r;
}

/* one step: y (labels keep[0..nk), dense) = sum over the other labels of a * b */
static int ein_step(Graph *g, int node, Lowered *L, const EinPlan *pl, const EinOperand *a,
		    const EinOperand *b, const int *keep, int nk, Arg aa, Arg ab, Arg ay)
{
	o2m_einsum_params *p = LW_PARAMS(g, o2m_einsum_params);
	int sum[EIN_LABELS], ns = 0, kept[EIN_LABELS] = {0};
	int kern = lw_kernel(g, node, "einsum", in_t(g, node, 0)->dtype);

	if (kern < 0)
		return -1;
	for (int i = 0; i < nk; i++)
		kept[keep[i]] = 1;
	for (int l = 0; l < EIN_LABELS; l++)
		if ((a->has[l] || (b && b->has[l])) && !kept[l])
			sum[ns++] = l;
	p->out_rank = ein_loops(pl, keep, nk, a, b, p->out_dims, p->a_out, p->b_out);
	p->sum_rank = ein_loops(pl, sum, ns, a, b, p->sum_dims, p->a_sum, p->b_sum);
	if (p->out_rank < 0 || p->sum_rank < 0) {
		ir_error(g, node, "Einsum step needs more than %d loop dimensions", O2M_MAX_RANK);
		return -1;
	}
	lw_call(g, L, kern, PT_EINSUM, p, 3, aa, ab, ay);
	return 0;
}

/* labels of the running product worth keeping after combining operand k: those of
   the output and of the operands still to come */
static int ein_keep(const EinPlan *pl, const EinOperand *a, const EinOperand *b, int k, int *keep)
{
	int want[EIN_LABELS] = {0}, n = 0;

	for (int i = 0; i < pl->out_rank; i++)
		want[pl->out[i]] = 1;
	for (int j = k + 1; j < pl->nop; j++)
		for (int i = 0; i < pl->rank[j]; i++)
			want[pl->lab[j][i]] = 1;
	for (int l = 0; l < EIN_LABELS; l++)
		if (want[l] && (a->has[l] || b->has[l]))
			keep[n++] = l;
	return n;
}

/* input k; an empty one has no storage, and a step never reads it (its sum is empty) */
static Arg ein_arg(Graph *g, int node, int k)
{
	return ir_numel(in_t(g, node, k)) ? A_IN(k) : A_NONE;
}

/* Operands combine left to right; intermediates live in scratch. */
int prep_einsum(Graph *g, int node, Lowered *L)
{
	EinPlan pl;
	EinOperand acc, op;
	Arg aacc = ein_arg(g, node, 0);
	DType dt = in_t(g, node, 0)->dtype;

	if (ein_parse(g, node, &pl))
		return -1;
	if (!ir_numel(out_t(g, node, 0)))
		return 0;
	ein_input(&pl, in_t(g, node, 0), 0, &acc);
	if (pl.nop == 1)
		return ein_step(g, node, L, &pl, &acc, NULL, pl.out, pl.out_rank, aacc, A_NONE, A_OUT(0));
	for (int k = 1; k < pl.nop; k++) {
		int keep[EIN_LABELS], nk;
		int64_t count = 1;
		Arg ay;
		ein_input(&pl, in_t(g, node, k), k, &op);
		if (k == pl.nop - 1)
			return ein_step(g, node, L, &pl, &acc, &op, pl.out, pl.out_rank, aacc,
					ein_arg(g, node, k), A_OUT(0));
		nk = ein_keep(&pl, &acc, &op, k, keep);
		if (nk > IR_MAX_RANK) {
			ir_error(g, node, "Einsum intermediate of more than %d dimensions", IR_MAX_RANK);
			return -1;
		}
		for (int i = 0; i < nk; i++)
			count *= pl.size[keep[i]];
		ay = A_SCR(lw_scratch(g, L, count * dt_size(dt)));
		if (ein_step(g, node, L, &pl, &acc, &op, keep, nk, aacc, ein_arg(g, node, k), ay))
			return -1;
		ein_dense(&pl, keep, nk, &acc);
		aacc = ay;
	}
	return 0;
}
