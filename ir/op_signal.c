/* op_signal.c - signal processing: the window functions and MelWeightMatrix depend only
   on constant inputs and are computed while shapes are inferred; DFT and STFT lower to
   one call of the dft kernel with a twiddle table prepared here. */
#include "lower.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

/* output 0 becomes a constant of type dt holding the values v */
static void const_out(Graph *g, int node, DType dt, int rank, const int64_t *dims,
		      const double *v)
{
	Tensor *y;

	set_out(g, node, 0, dt, rank, dims);
	y = out_t(g, node, 0);
	y->data = arena_alloc(&g->arena, (size_t)ir_nbytes(y) + 1);
	for (int64_t i = 0; i < ir_numel(y); i++)
		dt_set(dt, y->data, i, v[i]);
	y->flags |= T_CONST;
}

static int out_dtype(Graph *g, int node, DType *dt)
{
	int64_t code = ir_attr_int(g, node, "output_datatype", 1);

	*dt = dt_from_onnx((int)code);
	if (*dt == DT_UNDEF || *dt == DT_BOOL) {
		ir_error(g, node, "output_datatype %lld is not supported", (long long)code);
		return -1;
	}
	return 0;
}

static int const_scalar(Graph *g, int node, int k, double *v)
{
	Tensor *t;

	if (ir_need_const(g, node, k))
		return -1;
	t = in_t(g, node, k);
	if (ir_numel(t) != 1) {
		ir_error(g, node, "input %d must be a scalar", k);
		return -1;
	}
	*v = dt_get(t->dtype, t->data, 0);
	return 0;
}

/* ---- windows: w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N) ---- */

int shape_window(Graph *g, int node)
{
	static const double coef[3][3] = {
		{0.5, 0.5, 0},                       /* Hann */
		{25.0 / 46.0, 21.0 / 46.0, 0},       /* Hamming */
		{0.42, 0.5, 0.08},                   /* Blackman */
	};
	OpKind op = g->n[node].op;
	const double *c = coef[op == OP_HANN_WINDOW ? 0 : op == OP_HAMMING_WINDOW ? 1 : 2];
	double size, *v;
	int64_t n, periodic = ir_attr_int(g, node, "periodic", 1);
	DType dt;

	if (out_dtype(g, node, &dt) || const_scalar(g, node, 0, &size))
		return -1;
	if (!(size <= IR_MAX_EVAL)) {
		ir_error(g, node, "size %g is more than %d, the limit on values computed at "
			 "compile time", size, IR_MAX_EVAL);
		return -1;
	}
	n = size > 0 ? (int64_t)size : 0;
	v = arena_alloc(&g->arena, sizeof(double) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++) {
		double N = periodic ? (double)n : (double)(n - 1), x = N > 0 ? PI * (double)i / N : 0;
		v[i] = c[0] - c[1] * cos(2 * x) + c[2] * cos(4 * x);
	}
	const_out(g, node, dt, 1, &n, v);
	return 0;
}

/* ---- MelWeightMatrix: triangular filters over the DFT bins, as the ONNX reference ---- */

/* the bin of each of the num_mel_bins + 2 points equally spaced on the mel scale */
static void mel_points(int64_t mels, int64_t dft, double rate, double lo, double hi,
		       int64_t *bin)
{
	double mlo = 2595 * log10(1 + lo / 700), mhi = 2595 * log10(1 + hi / 700);
	double step = (mhi - mlo) / (double)(mels + 2);

	for (int64_t i = 0; i < mels + 2; i++) {
		double hz = 700 * (pow(10, ((double)i * step + mlo) / 2595) - 1);
		double b = floor((double)(dft + 1) * hz / rate);
		/* clamped before the conversion: a bin outside [0, dft] selects nothing */
		bin[i] = !(b >= -1) ? -1 : b > (double)dft + 1 ? dft + 1 : (int64_t)b;
	}
}

int shape_mel_weight_matrix(Graph *g, int node)
{
	double mels, dft, rate, lo, hi, *v;
	int64_t dims[2], *bin;
	DType dt;

	if (out_dtype(g, node, &dt) || const_scalar(g, node, 0, &mels) ||
	    const_scalar(g, node, 1, &dft) || const_scalar(g, node, 2, &rate) ||
	    const_scalar(g, node, 3, &lo) || const_scalar(g, node, 4, &hi))
		return -1;
	if (!(mels >= 0 && dft >= 1 && rate > 0)) {
		ir_error(g, node, "num_mel_bins, dft_length and sample_rate must be positive");
		return -1;
	}
	if (!((dft / 2 + 1) * (mels + 1) <= IR_MAX_EVAL)) {
		ir_error(g, node, "a %g x %g matrix is more than %d values, the limit on values "
			 "computed at compile time", floor(dft / 2 + 1), mels, IR_MAX_EVAL);
		return -1;
	}
	dims[0] = (int64_t)dft / 2 + 1;
	dims[1] = (int64_t)mels;
	v = arena_alloc(&g->arena, sizeof(double) * (size_t)(dims[0] * dims[1] + 1));
	bin = arena_alloc(&g->arena, sizeof(int64_t) * (size_t)(dims[1] + 2));
	mel_points(dims[1], (int64_t)dft, rate, lo, hi, bin);
	for (int64_t i = 0; i < dims[1]; i++) {
		int64_t l = bin[i], c = bin[i + 1], r = bin[i + 2];
		for (int64_t j = l; j <= c; j++)
			if (j >= 0 && j < dims[0])
				v[j * dims[1] + i] = c == l ? 1 : (double)(j - l) / (double)(c - l);
		for (int64_t j = c; j < r; j++)
			if (j >= 0 && j < dims[0])
				v[j * dims[1] + i] = (double)(r - j) / (double)(r - c);
	}
	const_out(g, node, dt, 2, dims, v);
	return 0;
}

/* ---- DFT and STFT ---- */

enum { DFT_IN_LENGTH = 1, DFT_IN_AXIS = 2 };

typedef struct {
	int axis;
	int64_t n;     /* transform length */
	int64_t n_out; /* bins along the axis */
	int c_out;     /* 2: complex output, 1: real (inverse of a onesided spectrum) */
} DftGeom;

static int dft_geom(Graph *g, int node, DftGeom *d)
{
	Tensor *x = in_t(g, node, 0);
	int64_t len = 0, axis = -2;
	int inverse = ir_attr_int(g, node, "inverse", 0) != 0;
	int onesided = ir_attr_int(g, node, "onesided", 0) != 0;

	if (x->rank < 2 || (x->dims[x->rank - 1] != 1 && x->dims[x->rank - 1] != 2)) {
		ir_error(g, node, "input must end in a dimension of 1 (real) or 2 (complex)");
		return -1;
	}
	if (ir_const_ints(g, node, ir_in(g, node, DFT_IN_AXIS), &axis, 1) < 0 ||
	    ir_const_ints(g, node, ir_in(g, node, DFT_IN_LENGTH), &len, 1) < 0)
		return -1;
	if (axis < 0)
		axis += x->rank;
	if (axis < 0 || axis > x->rank - 2) {
		ir_error(g, node, "axis must name a signal dimension, not the last one");
		return -1;
	}
	d->axis = (int)axis;
	d->n = has_in(g, node, DFT_IN_LENGTH) ? len
	       : inverse && onesided ? 2 * (x->dims[axis] - 1) : x->dims[axis];
	if (d->n < 1) {
		ir_error(g, node, "dft_length must be positive");
		return -1;
	}
	d->n_out = onesided && !inverse ? d->n / 2 + 1 : d->n;
	d->c_out = inverse && onesided ? 1 : 2;
	return 0;
}

int shape_dft(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	int64_t dims[IR_MAX_RANK];
	DftGeom d;

	if (!dt_is_float(x->dtype)) {
		ir_error(g, node, "input must be a float tensor");
		return -1;
	}
	if (dft_geom(g, node, &d))
		return -1;
	memcpy(dims, x->dims, sizeof dims);
	dims[d.axis] = d.n_out;
	dims[x->rank - 1] = d.c_out;
	set_out(g, node, 0, x->dtype, x->rank, dims);
	return 0;
}

/* twiddle table of length n: cos and sin of 2 pi j / n, exact at the quarter turns */
static int twiddles(Graph *g, Lowered *L, DType dt, int64_t n)
{
	void *tw = arena_alloc(&g->arena, (size_t)(2 * n * dt_size(dt)));

	for (int64_t j = 0; j < n; j++) {
		double a = 2 * PI * (double)j / (double)n, c = cos(a), s = sin(a);
		if ((4 * j) % n == 0) { /* 0, 90, 180, 270 degrees */
			int q = (int)(4 * j / n);
			c = q == 0 ? 1 : q == 2 ? -1 : 0;
			s = q == 1 ? 1 : q == 3 ? -1 : 0;
		}
		dt_set(dt, tw, 2 * j, c);
		dt_set(dt, tw, 2 * j + 1, s);
	}
	return lw_const(g, L, dt, 2 * n, tw);
}

/* the dft call: twiddles, and an FFT line buffer when the length is a power of two */
static void dft_call(Graph *g, int node, Lowered *L, int k, o2m_dft_params *p, Arg window)
{
	DType dt = in_t(g, node, 0)->dtype;
	int64_t n = p->length;

	p->fft = n > 1 && (n & (n - 1)) == 0;
	lw_call(g, L, k, PT_DFT, p, 5, A_IN(0), window, A_CST(twiddles(g, L, dt, n)),
		p->fft ? A_SCR(lw_scratch(g, L, 2 * n * dt_size(dt))) : A_NONE, A_OUT(0));
}

int prep_dft(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_dft_params *p = LW_PARAMS(g, o2m_dft_params);
	int k = lw_kernel(g, node, "dft", x->dtype), cin = (int)x->dims[x->rank - 1];
	int64_t inner = 1;
	DftGeom d;

	if (k < 0 || dft_geom(g, node, &d))
		return -1;
	for (int i = d.axis + 1; i < x->rank - 1; i++)
		inner *= x->dims[i];
	p->outer = 1;
	for (int i = 0; i < d.axis; i++)
		p->outer *= (int32_t)x->dims[i];
	p->inner = lw_i32(g, node, inner);
	p->n_in = lw_i32(g, node, x->dims[d.axis]);
	p->length = lw_i32(g, node, d.n);
	p->n_out = (int32_t)d.n_out;
	p->in_complex = cin == 2;
	p->out_complex = d.c_out == 2;
	p->inverse = ir_attr_int(g, node, "inverse", 0) != 0;
	p->hermitian = p->inverse && ir_attr_int(g, node, "onesided", 0);
	p->x_stride[0] = lw_i32(g, node, x->dims[d.axis] * inner * cin);
	p->x_stride[1] = cin;
	p->x_stride[2] = lw_i32(g, node, inner * cin);
	p->y_stride[0] = lw_i32(g, node, d.n_out * inner * d.c_out);
	p->y_stride[1] = d.c_out;
	p->y_stride[2] = lw_i32(g, node, inner * d.c_out);
	lw_i32(g, node, ir_numel(x));
	lw_i32(g, node, ir_numel(out_t(g, node, 0)));
	dft_call(g, node, L, k, p, A_NONE);
	return 0;
}

enum { STFT_IN_STEP = 1, STFT_IN_WINDOW = 2, STFT_IN_LENGTH = 3 };

typedef struct {
	int64_t step, length, frames, bins;
} StftGeom;

static int stft_geom(Graph *g, int node, StftGeom *s)
{
	Tensor *x = in_t(g, node, 0);
	int64_t len = -1;

	if (x->rank != 3 || (x->dims[2] != 1 && x->dims[2] != 2)) {
		ir_error(g, node, "signal must be [batch, length, 1 or 2]");
		return -1;
	}
	if (ir_const_ints(g, node, ir_in(g, node, STFT_IN_STEP), &s->step, 1) != 1 ||
	    ir_const_ints(g, node, ir_in(g, node, STFT_IN_LENGTH), &len, 1) < 0)
		return -1;
	s->length = len >= 0 ? len : has_in(g, node, STFT_IN_WINDOW)
		    ? ir_numel(in_t(g, node, STFT_IN_WINDOW)) : x->dims[1];
	if (has_in(g, node, STFT_IN_WINDOW) && (ir_numel(in_t(g, node, STFT_IN_WINDOW)) != s->length ||
						in_t(g, node, STFT_IN_WINDOW)->dtype != x->dtype)) {
		ir_error(g, node, "window must hold frame_length values of the signal's type");
		return -1;
	}
	if (s->step < 1 || s->length < 1 || s->length > x->dims[1]) {
		ir_error(g, node, "frame_step and frame_length must be positive, and a frame "
			 "must fit in the signal");
		return -1;
	}
	s->frames = 1 + (x->dims[1] - s->length) / s->step;
	s->bins = ir_attr_int(g, node, "onesided", 1) ? s->length / 2 + 1 : s->length;
	return 0;
}

int shape_stft(Graph *g, int node)
{
	Tensor *x = in_t(g, node, 0);
	StftGeom s;
	int64_t dims[4];

	if (!dt_is_float(x->dtype)) {
		ir_error(g, node, "signal must be a float tensor");
		return -1;
	}
	if (stft_geom(g, node, &s))
		return -1;
	dims[0] = x->dims[0], dims[1] = s.frames, dims[2] = s.bins, dims[3] = 2;
	set_out(g, node, 0, x->dtype, 4, dims);
	return 0;
}

/* frames are the lines of one DFT call: frame f starts f * step samples in */
int prep_stft(Graph *g, int node, Lowered *L)
{
	Tensor *x = in_t(g, node, 0);
	o2m_dft_params *p = LW_PARAMS(g, o2m_dft_params);
	int k = lw_kernel(g, node, "dft", x->dtype), cin = (int)x->dims[2];
	StftGeom s;

	if (k < 0 || stft_geom(g, node, &s))
		return -1;
	p->outer = lw_i32(g, node, x->dims[0]);
	p->inner = lw_i32(g, node, s.frames);
	p->n_in = p->length = lw_i32(g, node, s.length);
	p->n_out = (int32_t)s.bins;
	p->in_complex = cin == 2;
	p->out_complex = 1;
	p->x_stride[0] = lw_i32(g, node, x->dims[1] * cin);
	p->x_stride[1] = lw_i32(g, node, s.step * cin);
	p->x_stride[2] = cin;
	p->y_stride[0] = lw_i32(g, node, ir_numel(out_t(g, node, 0)) / (x->dims[0] ? x->dims[0] : 1));
	p->y_stride[1] = lw_i32(g, node, s.bins * 2);
	p->y_stride[2] = 2;
	lw_i32(g, node, ir_numel(x));
	dft_call(g, node, L, k, p, has_in(g, node, STFT_IN_WINDOW) ? A_IN(STFT_IN_WINDOW) : A_NONE);
	return 0;
}
