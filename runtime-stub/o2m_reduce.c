/* o2m_reduce.c - one reduction engine (the outer box of kept dims, the inner box of
   reduced dims walked from each of its points) instantiated per reduction and element
   type; then the kernels along one axis: arg extremes, the softmax family, running sums
   and products, and TopK (a heap of k indices kept in the indices output). */
#include "o2m_reduce.h"

#include <math.h>

/* Advances idx over a box of `rank` dims and returns the change of the element offset.
   After the last element it wraps to the start; callers count and never use that step. */
static int32_t box_step(int32_t rank, const int32_t *dims, const int32_t *stride, int32_t *idx)
{
	int32_t k, d = 0;

	for (k = rank - 1; k >= 0; k--) {
		d += stride[k];
		if (++idx[k] < dims[k])
			break;
		d -= stride[k] * dims[k];
		idx[k] = 0;
	}
	return d;
}

/* Runs the body (...) for each output element i, b the input offset of its inner box. */
#define FOR_OUTPUT_(p, ...)                                                         \
	do {                                                                        \
		int32_t idx_[O2M_MAX_RANK] = {0}, b = 0, i;                         \
		for (i = 0; i < (p)->count; i++) {                                  \
			__VA_ARGS__;                                                \
			b += box_step((p)->rank, (p)->dims, (p)->stride, idx_);     \
		}                                                                   \
	} while (0)

/* Runs the statement (...) with v = each element of the inner box at x[b], its last dim
   innermost. Offsets stay integers, so an empty box never forms a pointer into x. */
#define FOR_REDUCED_(T, p, x, b, ...)                                                              \
	do {                                                                                       \
		int32_t jdx_[O2M_MAX_RANK] = {0}, r_, j_, row_ = (b), a_;                          \
		const int32_t n_ = (p)->red_dims[(p)->red_rank - 1];                               \
		const int32_t s_ = (p)->red_stride[(p)->red_rank - 1];                             \
		for (r_ = 0; r_ < (p)->red_rows; r_++) {                                           \
			for (j_ = 0, a_ = row_; j_ < n_; j_++, a_ += s_) {                         \
				const T v = (x)[a_];                                               \
				__VA_ARGS__;                                                       \
			}                                                                          \
			row_ += box_step((p)->red_rank - 1, (p)->red_dims, (p)->red_stride, jdx_); \
		}                                                                                  \
	} while (0)

/* One reduction: the accumulator (type A) starts at INIT, STEP folds each element v into
   acc, and the output is DONE, where n is the number of elements reduced. */
#define REDUCE_(name, sfx, T, A, INIT, STEP, DONE)                                  \
	int o2m_reduce_##name##_##sfx(const o2m_reduce_params *p, const T *x, T *y) \
	{                                                                           \
		const int32_t n = p->red_count;                                     \
		(void)n;                                                            \
		FOR_OUTPUT_(p, {                                                    \
			A acc = INIT;                                               \
			FOR_REDUCED_(T, p, x, b, STEP);                             \
			y[i] = (T)(DONE);                                           \
		});                                                                 \
		return O2M_OK;                                                      \
	}

/* log(sum(exp(x - m))) + m with m the largest element, so exp cannot overflow; an
   infinite or NaN m shifts by 0 instead, as the ONNX reference does. A is the type the
   sums run in; DONE makes the output from s and m. */
#define LOG_SUM_EXP_(sfx, T, A, EXP, DONE)                                             \
	int o2m_reduce_log_sum_exp_##sfx(const o2m_reduce_params *p, const T *x, T *y) \
	{                                                                              \
		FOR_OUTPUT_(p, {                                                       \
			A m = -INFINITY, s = 0;                                        \
			FOR_REDUCED_(T, p, x, b, if ((A)v > m) m = (A)v);              \
			if (m - m != 0)                                                \
				m = 0;                                                 \
			FOR_REDUCED_(T, p, x, b, s += EXP((A)v - m));                  \
			y[i] = (T)(DONE);                                              \
		});                                                                    \
		return O2M_OK;                                                         \
	}

#define FLOAT_REDUCTIONS_(sfx, T, SQRT, LOG, EXP, FABS)                             \
	REDUCE_(sum, sfx, T, T, 0, acc += v, acc)                                   \
	REDUCE_(mean, sfx, T, T, 0, acc += v, acc / (T)n)                           \
	REDUCE_(prod, sfx, T, T, 1, acc *= v, acc)                                  \
	REDUCE_(l1, sfx, T, T, 0, acc += FABS(v), acc)                              \
	REDUCE_(l2, sfx, T, T, 0, acc += v * v, SQRT(acc))                          \
	REDUCE_(sum_square, sfx, T, T, 0, acc += v * v, acc)                        \
	REDUCE_(log_sum, sfx, T, T, 0, acc += v, LOG(acc))                          \
	LOG_SUM_EXP_(sfx, T, T, EXP, LOG(s) + m)

FLOAT_REDUCTIONS_(f32, float, sqrtf, logf, expf, fabsf)
FLOAT_REDUCTIONS_(f64, double, sqrt, log, exp, fabs)

/* Results computed in double convert back truncating; out-of-range values saturate and
   NaN gives 0, where a plain C conversion would be undefined. */
static int64_t to_s64(double v, int64_t lo, int64_t hi)
{
	if (v != v)
		return 0;
	if (v <= (double)lo)
		return lo;
	if (v >= (double)hi)
		return hi;
	return (int64_t)v;
}

static uint64_t to_u64(double v, uint64_t hi)
{
	if (!(v > 0))
		return 0;
	if (v >= (double)hi)
		return hi;
	return (uint64_t)v;
}

#define TO_S_(T, v, lo, hi) ((T)to_s64((v), (lo), (hi)))
#define TO_U_(T, v, lo, hi) ((T)to_u64((v), (hi)))
#define ABS_S_(v) ((v) < 0 ? 0 - (uint64_t)(v) : (uint64_t)(v))
#define ABS_U_(v) ((uint64_t)(v))

/* Integer sums and products run in uint64_t, so they wrap instead of overflowing; their
   low bits are those of the type's own wrapping arithmetic. */
#define INT_REDUCTIONS_(sfx, T, LO, HI, ABS, TO)                                        \
	REDUCE_(sum, sfx, T, uint64_t, 0, acc += (uint64_t)v, acc)                      \
	REDUCE_(mean, sfx, T, uint64_t, 0, acc += (uint64_t)v, n ? (T)acc / (T)n : 0)   \
	REDUCE_(prod, sfx, T, uint64_t, 1, acc *= (uint64_t)v, acc)                     \
	REDUCE_(l1, sfx, T, uint64_t, 0, acc += ABS(v), acc)                            \
	REDUCE_(l2, sfx, T, uint64_t, 0, acc += (uint64_t)v * (uint64_t)v,              \
		TO(T, sqrt((double)(T)acc), LO, HI))                                    \
	REDUCE_(sum_square, sfx, T, uint64_t, 0, acc += (uint64_t)v * (uint64_t)v, acc) \
	REDUCE_(log_sum, sfx, T, uint64_t, 0, acc += (uint64_t)v,                       \
		TO(T, log((double)(T)acc), LO, HI))                                     \
	LOG_SUM_EXP_(sfx, T, double, exp, TO(T, log(s) + m, LO, HI))

INT_REDUCTIONS_(s32, int32_t, INT32_MIN, INT32_MAX, ABS_S_, TO_S_)
INT_REDUCTIONS_(s64, int64_t, INT64_MIN, INT64_MAX, ABS_S_, TO_S_)
INT_REDUCTIONS_(u32, uint32_t, 0, UINT32_MAX, ABS_U_, TO_U_)
INT_REDUCTIONS_(u64, uint64_t, 0, UINT64_MAX, ABS_U_, TO_U_)

/* Max and min start from the type's lowest and highest value; a NaN, once met, stays. */
#define MINMAX_(sfx, T, LO, HI)                                                     \
	REDUCE_(max, sfx, T, T, LO, if (v > acc || v != v) acc = v, acc)            \
	REDUCE_(min, sfx, T, T, HI, if (v < acc || v != v) acc = v, acc)

MINMAX_(f32, float, -INFINITY, INFINITY)
MINMAX_(f64, double, -INFINITY, INFINITY)
MINMAX_(s8, int8_t, INT8_MIN, INT8_MAX)
MINMAX_(s16, int16_t, INT16_MIN, INT16_MAX)
MINMAX_(s32, int32_t, INT32_MIN, INT32_MAX)
MINMAX_(s64, int64_t, INT64_MIN, INT64_MAX)
MINMAX_(u8, uint8_t, 0, UINT8_MAX)
MINMAX_(u32, uint32_t, 0, UINT32_MAX)
MINMAX_(u64, uint64_t, 0, UINT64_MAX)
MINMAX_(bool, uint8_t, 0, 1)

/* ---- along one axis ---- */

/* Runs the body (...) for each line, with `at` the offset of its first element and `line` its
   number (o * inner + i), which is also where a reduced line's output goes. */
#define FOR_LINE_(p, ...)                                                           \
	do {                                                                        \
		int32_t o_, i_, line = 0;                                           \
		const int32_t span_ = (p)->n * (p)->inner;                          \
		for (o_ = 0; o_ < (p)->outer; o_++) {                               \
			for (i_ = 0; i_ < (p)->inner; i_++, line++) {               \
				const int32_t at = o_ * span_ + i_;                 \
				(void)line;                                         \
				__VA_ARGS__;                                        \
			}                                                           \
		}                                                                   \
	} while (0)

/* v is a better extreme than b; NaN beats every number, as in numpy's argmax/argmin */
#define MAX_BEATS_(v, b) ((v) > (b) || ((v) != (v) && (b) == (b)))
#define MIN_BEATS_(v, b) ((v) < (b) || ((v) != (v) && (b) == (b)))

/* Sets best to the position of the extreme of the line at x[at] (n >= 1 elements,
   s apart): the first one, or with `last` the last one of equal extremes. */
#define ARG_SCAN_(T, x, at, s, n, BEATS, last, best)                                \
	do {                                                                        \
		int32_t j_, a_ = (at) + (s);                                        \
		T bv_ = (x)[at];                                                    \
		(best) = 0;                                                         \
		if (last) {                                                         \
			for (j_ = 1; j_ < (n); j_++, a_ += (s))                     \
				if (!BEATS(bv_, (x)[a_]))                           \
					bv_ = (x)[a_], (best) = j_;                 \
		} else {                                                            \
			for (j_ = 1; j_ < (n); j_++, a_ += (s))                     \
				if (BEATS((x)[a_], bv_))                            \
					bv_ = (x)[a_], (best) = j_;                 \
		}                                                                   \
	} while (0)

#define ARG_(sfx, T, name, BEATS)                                                        \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, int64_t *y)         \
	{                                                                                \
		if (p->n < 1)                                                            \
			return O2M_ERR_ARG;                                              \
		FOR_LINE_(p, {                                                           \
			int32_t best;                                                    \
			ARG_SCAN_(T, x, at, p->inner, p->n, BEATS, p->last_index, best); \
			y[line] = best;                                                  \
		});                                                                      \
		return O2M_OK;                                                           \
	}

O2M_TYPES_NUMERIC(ARG_, argmax, MAX_BEATS_)
O2M_TYPES_NUMERIC(ARG_, argmin, MIN_BEATS_)

/* Softmax and LogSoftmax, after the line's max m: y = STORE(x - m) and sum += TERM(y);
   then sum = TOTAL(sum) and y = FINISH(y, sum). Softmax stores exp(x - m) and scales it
   by 1 / sum; LogSoftmax stores x - m and subtracts log(sum). Each element is read
   before it is written, so y may be x. */
#define SOFTMAX_LIKE_(name, sfx, T, STORE, TERM, TOTAL, FINISH)                     \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, T *y)         \
	{                                                                           \
		const int32_t n = p->n, s = p->inner;                               \
		if (n < 1)                                                          \
			return O2M_OK;                                              \
		FOR_LINE_(p, {                                                      \
			T m = x[at], sum = 0;                                       \
			int32_t j, a;                                               \
			for (j = 1, a = at + s; j < n; j++, a += s)                 \
				if (x[a] > m)                                       \
					m = x[a];                                   \
			for (j = 0, a = at; j < n; j++, a += s) {                   \
				y[a] = STORE(x[a] - m);                             \
				sum += TERM(y[a]);                                  \
			}                                                           \
			sum = TOTAL(sum);                                           \
			for (j = 0, a = at; j < n; j++, a += s)                     \
				y[a] = FINISH(y[a], sum);                           \
		});                                                                 \
		return O2M_OK;                                                      \
	}

#define SAME_(v) (v)
#define RECIPROCAL_(v) (1 / (v))
#define SCALE_(v, sum) ((v) * (sum))
#define SHIFT_(v, sum) ((v) - (sum))

/* Hardmax: 1 at the line's first largest element (numpy's argmax), 0 elsewhere. */
#define SOFTMAX_(sfx, T, EXP, LOG)                                                  \
	SOFTMAX_LIKE_(softmax, sfx, T, EXP, SAME_, RECIPROCAL_, SCALE_)             \
	SOFTMAX_LIKE_(log_softmax, sfx, T, SAME_, EXP, LOG, SHIFT_)                 \
	int o2m_hardmax_##sfx(const o2m_axis_params *p, const T *x, T *y)          \
	{                                                                           \
		const int32_t n = p->n, s = p->inner;                               \
		if (n < 1)                                                          \
			return O2M_OK;                                              \
		FOR_LINE_(p, {                                                      \
			int32_t j, a, best;                                         \
			ARG_SCAN_(T, x, at, s, n, MAX_BEATS_, 0, best);             \
			for (j = 0, a = at; j < n; j++, a += s)                     \
				y[a] = 0;                                           \
			y[at + best * s] = 1;                                       \
		});                                                                 \
		return O2M_OK;                                                      \
	}

SOFTMAX_(f32, float, expf, logf)
SOFTMAX_(f64, double, exp, log)

/* Running sums and products in A (uint64_t for integers, so they wrap). Each element is
   read before its output is written, so y may be x. */
#define SCAN_(sfx, T, name, A, INIT, OP)                                            \
	int o2m_##name##_##sfx(const o2m_axis_params *p, const T *x, T *y)          \
	{                                                                           \
		const int32_t n = p->n;                                             \
		const int32_t s = p->reverse ? -p->inner : p->inner;                \
		const int32_t from = p->reverse ? (n - 1) * p->inner : 0;           \
		FOR_LINE_(p, {                                                      \
			A acc = INIT;                                               \
			int32_t j, a = at + from;                                   \
			for (j = 0; j < n; j++, a += s) {                           \
				const A next = acc OP (A)x[a];                      \
				y[a] = (T)(p->exclusive ? acc : next);              \
				acc = next;                                         \
			}                                                           \
		});                                                                 \
		return O2M_OK;                                                      \
	}

#define SCANS_(sfx, T, A) SCAN_(sfx, T, cumsum, A, 0, +) SCAN_(sfx, T, cumprod, A, 1, *)
SCANS_(f32, float, float)
SCANS_(f64, double, double)
SCANS_(s32, int32_t, uint64_t)
SCANS_(s64, int64_t, uint64_t)
SCANS_(u32, uint32_t, uint64_t)
SCANS_(u64, uint64_t, uint64_t)

/* TopK. NaN ranks above every number (numpy sorts it last, and TopK's reference takes
   the largest from the end). */
#define GT_(a, b) ((a) > (b) || ((a) != (a) && (b) == (b)))

/* The heap holds line positions at h[0], h[s], ... (the indices output, s = inner);
   its root is the kept element ranked last, so a better newcomer replaces it. */
#define TOPK_(sfx, T, unused)                                                                 \
	static int topk_before_##sfx(const T *q, int32_t s, int32_t largest, int64_t a,       \
				     int64_t b)                                               \
	{                                                                                     \
		const T va = q[a * s], vb = q[b * s];                                         \
		if (GT_(va, vb))                                                              \
			return largest;                                                       \
		if (GT_(vb, va))                                                              \
			return !largest;                                                      \
		return a < b;                                                                 \
	}                                                                                     \
	static void topk_sift_##sfx(const T *q, int32_t s, int32_t largest, int64_t *h,       \
				    int32_t t, int32_t size)                                  \
	{                                                                                     \
		for (;;) {                                                                    \
			int32_t c = 2 * t + 1;                                                \
			int64_t tmp;                                                          \
			if (c >= size)                                                        \
				return;                                                       \
			if (c + 1 < size &&                                                   \
			    topk_before_##sfx(q, s, largest, h[c * s], h[(c + 1) * s]))       \
				c++; /* the child ranked later */                             \
			if (!topk_before_##sfx(q, s, largest, h[t * s], h[c * s]))            \
				return;                                                       \
			tmp = h[t * s];                                                       \
			h[t * s] = h[c * s];                                                  \
			h[c * s] = tmp;                                                       \
			t = c;                                                                \
		}                                                                             \
	}                                                                                     \
	int o2m_topk_##sfx(const o2m_axis_params *p, const T *x, T *values, int64_t *indices) \
	{                                                                                     \
		const int32_t n = p->n, k = p->k, s = p->inner, lg = p->largest;              \
		int32_t o, i, j, t;                                                           \
		if (k < 0 || k > n)                                                           \
			return O2M_ERR_ARG;                                                   \
		for (o = 0; k > 0 && o < p->outer; o++) {                                     \
			for (i = 0; i < s; i++) {                                             \
				const T *q = x + o * n * s + i;                               \
				int64_t *h = indices + o * k * s + i, tmp;                    \
				for (t = 0; t < k; t++)                                       \
					h[t * s] = t;                                         \
				for (t = k / 2 - 1; t >= 0; t--)                              \
					topk_sift_##sfx(q, s, lg, h, t, k);                   \
				for (j = k; j < n; j++) {                                     \
					if (topk_before_##sfx(q, s, lg, j, h[0])) {           \
						h[0] = j;                                     \
						topk_sift_##sfx(q, s, lg, h, 0, k);           \
					}                                                     \
				}                                                             \
				for (t = k - 1; t > 0; t--) { /* heap sort: worst last */     \
					tmp = h[0];                                           \
					h[0] = h[t * s];                                      \
					h[t * s] = tmp;                                       \
					topk_sift_##sfx(q, s, lg, h, 0, t);                   \
				}                                                             \
				for (t = 0; values && t < k; t++)                             \
					values[o * k * s + i + t * s] = q[h[t * s] * s];      \
			}                                                                     \
		}                                                                             \
		return O2M_OK;                                                                \
	}

O2M_TYPES_NUMERIC(TOPK_, 0)
