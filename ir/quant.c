/* quant.c - quantization facts on tensors (Tensor.quant: real = (q - zero_point) * scale,
   per tensor or per axis) and the fixed-point multipliers the integer kernels rescale by. */
#include "ir.h"

#include <math.h>
#include <string.h>

void ir_quant_set(Graph *g, int t, int n, int axis, const float *scale, const int32_t *zp)
{
	Quant *q = &g->t[t].quant;

	q->n = n;
	q->axis = axis;
	q->scale = arena_memdup(&g->arena, scale, sizeof *scale * (size_t)n);
	q->zero_point = arena_memdup(&g->arena, zp, sizeof *zp * (size_t)n);
}

void ir_quant_copy(Graph *g, int to, int from)
{
	const Quant *q = &g->t[from].quant;

	if (q->n)
		ir_quant_set(g, to, q->n, q->axis, q->scale, q->zero_point);
	else
		memset(&g->t[to].quant, 0, sizeof g->t[to].quant);
}

int ir_quant_same(const Quant *a, const Quant *b)
{
	if (a->n != b->n || (a->n > 1 && a->axis != b->axis))
		return 0;
	for (int i = 0; i < a->n; i++)
		if (a->scale[i] != b->scale[i] || a->zero_point[i] != b->zero_point[i])
			return 0;
	return 1;
}

int32_t ir_qmin(DType t) { return t == DT_S8 ? -128 : t == DT_S16 ? -32768 : 0; }
int32_t ir_qmax(DType t) { return t == DT_S8 ? 127 : t == DT_S16 ? 32767 : t == DT_U16 ? 65535 : 255; }

/* m = mult * 2^(shift - 31), mult in [2^30, 2^31) a multiple of unit (a power of two),
   f * 2^31 rounded to the nearest multiple; 0 for m <= 0 or below 2^-62, shift at most 30
   (larger factors saturate there) */
static void quant_round(double m, int64_t unit, int32_t *mult, int32_t *shift)
{
	int e;
	double f;
	int64_t q;

	*mult = 0, *shift = 0;
	if (!(m > 0) || !isfinite(m))
		return;
	f = frexp(m, &e);
	q = (int64_t)llround(f * 2147483648.0 / (double)unit) * unit;
	if (q == ((int64_t)1 << 31))
		q /= 2, e++;
	if (e < -31)
		return;
	if (e > 30)
		q = INT32_MAX / unit * unit, e = 30;
	*mult = (int32_t)q;
	*shift = e;
}

/* as TFLite's QuantizeMultiplier */
void ir_quant_multiplier(double m, int32_t *mult, int32_t *shift)
{
	quant_round(m, 1, mult, shift);
}

/* the packed word of o2m_q8.h: mult a multiple of 64, shift + 32 in the low 6 bits */
int32_t ir_quant_pack(double m)
{
	int32_t mult, shift;

	quant_round(m, 64, &mult, &shift);
	return (int32_t)((uint32_t)mult | (uint32_t)(shift + 32));
}

int ir_quant_act(const Tensor *x)
{
	return (x->dtype == DT_S8 || x->dtype == DT_S16) && x->quant.n == 1;
}

double ir_dequant1(const Tensor *x, const void *data, int64_t i)
{
	return (double)(dt_get_i64(x->dtype, data, i) - x->quant.zero_point[0]) * x->quant.scale[0];
}

void ir_quantize1(const Tensor *x, double v, void *data, int64_t i)
{
	double r = nearbyint(v / x->quant.scale[0]) + x->quant.zero_point[0];

	r = r < ir_qmin(x->dtype) ? ir_qmin(x->dtype) : r > ir_qmax(x->dtype) ? ir_qmax(x->dtype) : r;
	dt_set_i64(x->dtype, data, i, (int64_t)r);
}

int ir_quant_ok(const Tensor *x)
{
	const Quant *q = &x->quant;

	if (!q->n)
		return 1;
	if (!dt_is_int(x->dtype) || (q->n > 1 && (q->axis < 0 || q->axis >= x->rank ||
						   x->dims[q->axis] != q->n)))
		return 0;
	for (int i = 0; i < q->n; i++)
		if (!(q->scale[i] > 0) || !isfinite(q->scale[i]) ||
		    q->zero_point[i] < ir_qmin(x->dtype) || q->zero_point[i] > ir_qmax(x->dtype))
			return 0;
	return 1;
}
