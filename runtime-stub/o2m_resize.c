/* o2m_resize.c - resampling kernels. Resize walks tables made by the compiler (a gather
   for nearest, one weighted pass per axis for linear and cubic), so it does no
   coordinate math. GridSample, AffineGrid and RoiAlign take coordinates at run time and
   follow the ONNX reference step by step, in the element type. */
#include "o2m_resize.h"

#include <math.h>
#include <string.h>

/* ---- Resize: nearest as a gather ---- */

/* offset of the current row: table entries of every dim but the last */
static int32_t gather_base(const o2m_resize_gather_params *p, const int32_t *table,
			   const int32_t *idx)
{
	int32_t d, off = 0;

	for (d = 0; d < p->rank - 1; d++)
		off += table[p->start[d] + idx[d]];
	return off;
}

/* steps idx over every dim but the last; 0 once all rows are done */
static int gather_next(const o2m_resize_gather_params *p, int32_t *idx)
{
	int32_t d;

	for (d = p->rank - 2; d >= 0; d--) {
		if (++idx[d] < p->dims[d])
			return 1;
		idx[d] = 0;
	}
	return 0;
}

#define GATHER_LOOP(T)                                                                \
	do {                                                                          \
		const T *xs = (const T *)x;                                           \
		T *yd = (T *)y;                                                       \
		for (o = 0; o < p->outer; o++, xs += p->in_stride) {                  \
			memset(idx, 0, sizeof idx);                                   \
			do {                                                          \
				const T *row = xs + gather_base(p, table, idx);       \
				if (p->inner == 1) {                                  \
					for (j = 0; j < n; j++)                       \
						*yd++ = row[last[j]];                 \
					continue;                                     \
				}                                                     \
				for (j = 0; j < n; j++)                               \
					for (i = 0; i < p->inner; i++)                \
						*yd++ = row[last[j] + i];             \
			} while (gather_next(p, idx));                                \
		}                                                                     \
	} while (0)

int o2m_resize_gather(const o2m_resize_gather_params *p, const int32_t *table, const void *x,
		      void *y)
{
	int32_t idx[O2M_MAX_RANK], o, j, i, n;
	const int32_t *last;

	if (p->rank < 1 || p->rank > O2M_MAX_RANK)
		return O2M_ERR_ARG;
	n = p->dims[p->rank - 1];
	last = table + p->start[p->rank - 1];
	switch (p->elem_size) {
	case 1: GATHER_LOOP(uint8_t); break;
	case 2: GATHER_LOOP(uint16_t); break;
	case 4: GATHER_LOOP(uint32_t); break;
	case 8: GATHER_LOOP(uint64_t); break;
	default: return O2M_ERR_ARG;
	}
	return O2M_OK;
}

/* ---- Resize: linear and cubic, one axis per pass ---- */

/* one output row of a pass over rows (inner > 1): `inner` elements, each the weighted
   sum of `taps` source rows; two taps (linear) get their own loop */
#define DEF_RESAMPLE_ROW_(sfx, T)                                                      \
	static void resample_row_##sfx(const T *x, const int32_t *ix, const T *w,      \
				       int32_t taps, int32_t inner, T *y)              \
	{                                                                              \
		const T *r0 = x + ix[0], *r1 = x + ix[taps > 1];                       \
		const T w0 = w[0], w1 = w[taps > 1];                                   \
		int32_t i, k;                                                          \
		if (taps == 2) {                                                       \
			for (i = 0; i < inner; i++)                                    \
				y[i] = w0 * r0[i] + w1 * r1[i];                        \
			return;                                                        \
		}                                                                      \
		for (i = 0; i < inner; i++)                                            \
			y[i] = w0 * r0[i];                                             \
		for (k = 1; k < taps; k++) {                                           \
			const T *r = x + ix[k], wk = w[k];                             \
			for (i = 0; i < inner; i++)                                    \
				y[i] += wk * r[i];                                     \
		}                                                                      \
	}

/* a pass along the innermost axis (inner == 1): one weighted sum per element */
#define DEF_RESAMPLE_POINTS_(sfx, T)                                                   \
	static void resample_points_##sfx(const T *x, const int32_t *ix, const T *w,   \
					  int32_t taps, int32_t n, T *y)               \
	{                                                                              \
		int32_t j, k;                                                          \
		if (taps == 2) {                                                       \
			for (j = 0; j < n; j++, ix += 2, w += 2)                       \
				y[j] = w[0] * x[ix[0]] + w[1] * x[ix[1]];              \
			return;                                                        \
		}                                                                      \
		for (j = 0; j < n; j++, ix += taps, w += taps) {                       \
			T acc = w[0] * x[ix[0]];                                       \
			for (k = 1; k < taps; k++)                                     \
				acc += w[k] * x[ix[k]];                                \
			y[j] = acc;                                                    \
		}                                                                      \
	}

#define DEF_RESAMPLE_(sfx, T, name)                                                    \
	DEF_RESAMPLE_ROW_(sfx, T)                                                      \
	DEF_RESAMPLE_POINTS_(sfx, T)                                                   \
	int o2m_##name##_##sfx(const o2m_resample_params *p, const int32_t *index,     \
			       const T *weight, const T *x, T *y)                      \
	{                                                                              \
		const int32_t taps = p->taps, inner = p->inner;                        \
		int32_t o, j;                                                          \
		if (taps < 1)                                                          \
			return O2M_ERR_ARG;                                            \
		for (o = 0; o < p->outer; o++, x += p->in_n * inner) {                 \
			if (inner == 1) {                                              \
				resample_points_##sfx(x, index, weight, taps, p->out_n, y); \
				y += p->out_n;                                         \
				continue;                                              \
			}                                                              \
			for (j = 0; j < p->out_n; j++, y += inner)                     \
				resample_row_##sfx(x, index + j * taps, weight + j * taps, \
						   taps, inner, y);                    \
		}                                                                      \
		return O2M_OK;                                                         \
	}
O2M_TYPES_FLOAT(DEF_RESAMPLE_, resample)

/* ---- helpers shared by the run-time samplers, per element type ---- */

/* clamps a coordinate into [lo, hi] before it becomes an index, so huge values and NaN
   (which maps to lo) never reach an out-of-range conversion */
#define DEF_TO_INDEX_(sfx, T)                                                          \
	static int32_t to_index_##sfx(T v, int32_t lo, int32_t hi)                     \
	{                                                                              \
		if (!(v >= (T)lo))                                                     \
			return lo;                                                     \
		return v > (T)hi ? hi : (int32_t)v;                                    \
	}

/* ---- GridSample ---- */

/* gs_denorm: a normalized coordinate to a position along an axis of length d.
   gs_reflect: folds x into [lo, hi] by reflection at the borders, as often as needed. */
#define DEF_GS_COORD_(sfx, T, F)                                                       \
	static T gs_denorm_##sfx(T v, int32_t d, int32_t align)                        \
	{                                                                              \
		return align ? (v + 1) / 2 * (T)(d - 1) : ((v + 1) * (T)d - 1) / 2;    \
	}                                                                              \
	static T gs_reflect_##sfx(T x, T lo, T hi)                                     \
	{                                                                              \
		T rng = hi - lo, dx, flips, r;                                         \
		if (!(x < lo || x > hi))                                               \
			return x;                                                      \
		if (rng <= 0 || !(F(fabs)(x) < (T)1e30))                               \
			return lo;                                                     \
		dx = x < lo ? lo - x : x - hi;                                         \
		flips = F(floor)(dx / rng);                                            \
		r = dx - flips * rng;                                                  \
		if ((F(fmod)(flips, 2) == 0) == (x < lo))                              \
			return lo + r;                                                 \
		return hi - r;                                                         \
	}

/* gs_pixel: the source index of integer position i under the padding mode, or -1
   for a zero. gs_bounds: the reflection borders of an axis. */
#define DEF_GS_PIXEL_(sfx, T)                                                          \
	static int32_t gs_pixel_##sfx(const o2m_grid_sample_params *p, int32_t i,      \
				      int32_t d)                                       \
	{                                                                              \
		T lo = p->align_corners ? 0 : (T)-0.5, hi = p->align_corners ? (T)(d - 1) \
								: (T)d - (T)0.5; \
		if (p->padding == O2M_GS_ZEROS)                                        \
			return i >= 0 && i < d ? i : -1;                               \
		if (p->padding == O2M_GS_BORDER)                                       \
			return i < 0 ? 0 : i >= d ? d - 1 : i;                         \
		return to_index_##sfx(gs_reflect_##sfx((T)i, lo, hi), 0, d - 1);       \
	}

/* brings a coordinate inside the borders for the border and reflection modes */
#define DEF_GS_PAD_(sfx, T)                                                            \
	static T gs_pad_##sfx(const o2m_grid_sample_params *p, T x, int32_t d)         \
	{                                                                              \
		T lo = p->align_corners ? 0 : (T)-0.5, hi = p->align_corners ? (T)(d - 1) \
								: (T)d - (T)0.5; \
		if (!(x < lo || x > hi) || p->padding == O2M_GS_ZEROS)                 \
			return x;                                                      \
		if (p->padding == O2M_GS_BORDER)                                       \
			return x < 0 ? 0 : x > (T)(d - 1) ? (T)(d - 1) : x;            \
		return gs_reflect_##sfx(x, lo, hi);                                    \
	}

/* the taps of one axis for normalized coordinate v: positions (-1: zero) and weights;
   returns their count. Cubic uses Keys' kernel with A = -0.75. */
#define DEF_GS_AXIS_(sfx, T, F)                                                        \
	static int32_t gs_axis_##sfx(const o2m_grid_sample_params *p, T v, int32_t d,  \
				     int32_t *pos, T *w)                               \
	{                                                                              \
		const T A = (T)-0.75;                                                  \
		T x = gs_denorm_##sfx(v, d, p->align_corners), t, u;                   \
		int32_t i0, k, n = p->mode == O2M_GS_NEAREST ? 1 : p->mode == O2M_GS_LINEAR ? 2 : 4; \
		if (p->mode == O2M_GS_NEAREST)                                         \
			x = F(rint)(x);                                                \
		x = gs_pad_##sfx(p, x, d);                                             \
		if (p->mode == O2M_GS_NEAREST) {                                       \
			pos[0] = gs_pixel_##sfx(p, to_index_##sfx(x, -2, d + 1), d);  \
			w[0] = 1;                                                      \
			return 1;                                                      \
		}                                                                      \
		t = x - F(floor)(x);                                                   \
		i0 = to_index_##sfx(F(floor)(x), -4, d + 3) - (n == 4);                \
		if (n == 2) {                                                          \
			w[0] = 1 - t;                                                  \
			w[1] = t;                                                      \
		} else {                                                               \
			u = 1 - t;                                                     \
			w[0] = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A; \
			w[1] = ((A + 2) * t - (A + 3)) * t * t + 1;                    \
			w[2] = ((A + 2) * u - (A + 3)) * u * u + 1;                    \
			w[3] = ((A * (u + 1) - 5 * A) * (u + 1) + 8 * A) * (u + 1) - 4 * A; \
		}                                                                      \
		for (k = 0; k < n; k++)                                                \
			pos[k] = gs_pixel_##sfx(p, i0 + k, d);                         \
		return n;                                                              \
	}

/* every tap of one output point: offsets into the image plane and weights, products
   over the axes; taps that fall on zero padding are left out */
#define DEF_GS_POINT_(sfx, T)                                                          \
	static int32_t gs_point_##sfx(const o2m_grid_sample_params *p, const T *g,     \
				      int32_t *off, T *wt)                             \
	{                                                                              \
		int32_t pos[O2M_GS_MAX_RANK][4], cnt[O2M_GS_MAX_RANK] = {0};           \
		int32_t k[O2M_GS_MAX_RANK] = {0};                                      \
		int32_t a, n = 0, o;                                                   \
		T w[O2M_GS_MAX_RANK][4], ww;                                           \
		for (a = 0; a < p->rank; a++) {                                        \
			cnt[a] = gs_axis_##sfx(p, g[p->rank - 1 - a], p->dims[a], pos[a], w[a]); \
			k[a] = 0;                                                      \
		}                                                                      \
		for (;;) {                                                             \
			for (a = 0, o = 0, ww = 1; a < p->rank && pos[a][k[a]] >= 0; a++) { \
				o = o * p->dims[a] + pos[a][k[a]];                     \
				ww *= w[a][k[a]];                                      \
			}                                                              \
			if (a == p->rank) {                                            \
				off[n] = o;                                            \
				wt[n++] = ww;                                          \
			}                                                              \
			for (a = p->rank - 1; a >= 0 && ++k[a] == cnt[a]; a--)         \
				k[a] = 0;                                              \
			if (a < 0)                                                     \
				return n;                                              \
		}                                                                      \
	}

#define DEF_GRID_SAMPLE_(sfx, T, name)                                                 \
	int o2m_##name##_##sfx(const o2m_grid_sample_params *p, const T *x, const T *grid, T *y) \
	{                                                                              \
		int32_t off[64], b, pt, c, t, cnt, plane = 1, a;                       \
		T wt[64];                                                              \
		if (p->rank < 1 || p->rank > O2M_GS_MAX_RANK || p->mode < 0 || p->mode > 2) \
			return O2M_ERR_ARG;                                            \
		for (a = 0; a < p->rank; a++)                                          \
			plane *= p->dims[a];                                           \
		for (b = 0; b < p->n; b++) {                                           \
			const T *xb = x + b * p->c * plane;                            \
			T *yb = y + b * p->c * p->points;                              \
			for (pt = 0; pt < p->points; pt++, grid += p->rank) {          \
				cnt = gs_point_##sfx(p, grid, off, wt);                \
				for (c = 0; c < p->c; c++) {                           \
					const T *xc = xb + c * plane;                  \
					T acc = 0;                                     \
					for (t = 0; t < cnt; t++)                      \
						acc += wt[t] * xc[off[t]];             \
					yb[c * p->points + pt] = acc;                  \
				}                                                      \
			}                                                              \
		}                                                                      \
		return O2M_OK;                                                         \
	}

/* ---- AffineGrid ---- */

#define DEF_AFFINE_GRID_(sfx, T, name)                                                 \
	int o2m_##name##_##sfx(const o2m_affine_grid_params *p, const T *theta, const T *base, \
			       T *grid)                                                \
	{                                                                              \
		int32_t r = p->rank, b, i, k, a, idx[O2M_GS_MAX_RANK];                 \
		const T *axis[O2M_GS_MAX_RANK];                                        \
		if (r < 2 || r > 3)                                                    \
			return O2M_ERR_ARG;                                            \
		for (a = 0; a < r; a++) {                                              \
			axis[a] = base;                                                \
			base += p->dims[a];                                            \
		}                                                                      \
		for (b = 0; b < p->n; b++, theta += r * (r + 1)) {                     \
			memset(idx, 0, sizeof idx);                                    \
			do {                                                           \
				for (k = 0; k < r; k++) {                              \
					const T *row = theta + k * (r + 1);            \
					T v = 0;                                       \
					for (i = 0; i < r; i++) /* (x, y, z): innermost axis first */ \
						v += row[i] * axis[r - 1 - i][idx[r - 1 - i]]; \
					*grid++ = v + row[r];                          \
				}                                                      \
				for (a = r - 1; a >= 0 && ++idx[a] == p->dims[a]; a--) \
					idx[a] = 0;                                    \
			} while (a >= 0);                                              \
		}                                                                      \
		return O2M_OK;                                                         \
	}

/* ---- RoiAlign ---- */

/* ra_sample: the four corners of the bilinear sample at (yy, xx) as offsets into the
   image plane, and their weights; all weights 0 outside the feature map.
   ra_grid: samples per bin side. */
#define DEF_RA_SAMPLE_(sfx, T, F)                                                      \
	static void ra_sample_##sfx(const o2m_roi_align_params *p, T yy, T xx, int32_t *pos, \
				    T *w)                                              \
	{                                                                              \
		int32_t r0, c0, r1, c1; /* corner rows and columns */                  \
		T ly, lx;                                                              \
		if (!(yy >= -1 && yy <= (T)p->h && xx >= -1 && xx <= (T)p->w)) {       \
			memset(pos, 0, 4 * sizeof *pos);                               \
			w[0] = w[1] = w[2] = w[3] = 0;                                 \
			return;                                                        \
		}                                                                      \
		yy = yy < 0 ? 0 : yy;                                                  \
		xx = xx < 0 ? 0 : xx;                                                  \
		r0 = (int32_t)yy;                                                      \
		c0 = (int32_t)xx;                                                      \
		if (r0 >= p->h - 1) {                                                  \
			r0 = r1 = p->h - 1;                                            \
			yy = (T)r0;                                                    \
		} else {                                                               \
			r1 = r0 + 1;                                                   \
		}                                                                      \
		if (c0 >= p->w - 1) {                                                  \
			c0 = c1 = p->w - 1;                                            \
			xx = (T)c0;                                                    \
		} else {                                                               \
			c1 = c0 + 1;                                                   \
		}                                                                      \
		ly = yy - (T)r0;                                                       \
		lx = xx - (T)c0;                                                       \
		pos[0] = r0 * p->w + c0;                                               \
		pos[1] = r0 * p->w + c1;                                               \
		pos[2] = r1 * p->w + c0;                                               \
		pos[3] = r1 * p->w + c1;                                               \
		w[0] = (1 - ly) * (1 - lx);                                            \
		w[1] = (1 - ly) * lx;                                                  \
		w[2] = ly * (1 - lx);                                                  \
		w[3] = ly * lx;                                                        \
	}                                                                              \
	static int32_t ra_grid_##sfx(const o2m_roi_align_params *p, T size, int32_t bins) \
	{                                                                              \
		T v = F(ceil)(size / (T)bins);                                         \
		if (p->sampling_ratio > 0)                                             \
			return p->sampling_ratio;                                      \
		return !(v > 0) ? 0 : v < 65536 ? (int32_t)v : 65536;                  \
	}

/* RoiAlign for one mode: ACC(v, first) folds the sample of channel c into yc[0];
   FINISH scales the bin afterwards. Channels run innermost, so each sample's corners
   and weights are computed once for all of them. */
#define DEF_ROI_ALIGN_(sfx, T, name, ACC, FINISH)                                      \
	int o2m_##name##_##sfx(const o2m_roi_align_params *p, const T *x, const T *rois, \
			       const int64_t *batch, T *y)                             \
	{                                                                              \
		const int32_t plane = p->h * p->w, bins = p->out_h * p->out_w;         \
		int32_t r, c, ph, pw, iy, ix, gh, gw, pos[4];                          \
		T w[4];                                                                \
		for (r = 0; r < p->rois; r++, rois += 4) {                             \
			const T s = (T)p->spatial_scale, off = (T)p->offset;           \
			T left = rois[0] * s - off, top = rois[1] * s - off;           \
			T rw = rois[2] * s - off - left, rh = rois[3] * s - off - top, bh, bw, count; \
			const T *xb;                                                   \
			if (batch[r] < 0 || batch[r] >= p->n)                          \
				return O2M_ERR_INDEX;                                  \
			xb = x + (int32_t)batch[r] * p->c * plane;                     \
			if (p->offset == 0) { /* output_half_pixel: at least 1x1 */    \
				rw = rw > 1 ? rw : 1;                                  \
				rh = rh > 1 ? rh : 1;                                  \
			}                                                              \
			bh = rh / (T)p->out_h;                                         \
			bw = rw / (T)p->out_w;                                         \
			gh = ra_grid_##sfx(p, rh, p->out_h);                           \
			gw = ra_grid_##sfx(p, rw, p->out_w);                           \
			count = (T)(gh * gw > 1 ? gh * gw : 1);                        \
			for (ph = 0; ph < p->out_h; ph++)                              \
				for (pw = 0; pw < p->out_w; pw++) {                    \
					T *yb = y + (r * p->c * p->out_h + ph) * p->out_w + pw; \
					for (c = 0; c < p->c; c++)                     \
						yb[c * bins] = 0;                      \
					for (iy = 0; iy < gh; iy++)                    \
						for (ix = 0; ix < gw; ix++) {          \
							T yy = top + (T)ph * bh + ((T)iy + (T)0.5) * bh / (T)gh; \
							T xx = left + (T)pw * bw + ((T)ix + (T)0.5) * bw / (T)gw; \
							ra_sample_##sfx(p, yy, xx, pos, w); \
							for (c = 0; c < p->c; c++) {   \
								const T *xc = xb + c * plane; \
								T *yc = yb + c * bins; \
								ACC(T, iy == 0 && ix == 0); \
							}                              \
						}                                      \
					for (c = 0; c < p->c; c++)                     \
						FINISH(yb[c * bins]);                  \
				}                                                      \
		}                                                                      \
		return O2M_OK;                                                         \
	}

#define RA_AVG_(T, first) \
	yc[0] += w[0] * xc[pos[0]] + w[1] * xc[pos[1]] + w[2] * xc[pos[2]] + w[3] * xc[pos[3]]
#define RA_AVG_END_(v) (v) /= count
#define RA_MAX2_(a, b) ((b) > (a) ? (b) : (a))
#define RA_MAX_(T, first)                                                              \
	do {                                                                           \
		T v_ = RA_MAX2_(RA_MAX2_(w[0] * xc[pos[0]], w[1] * xc[pos[1]]),        \
				RA_MAX2_(w[2] * xc[pos[2]], w[3] * xc[pos[3]]));       \
		yc[0] = (first) ? v_ : RA_MAX2_(yc[0], v_);                            \
	} while (0)
#define RA_MAX_END_(v) ((void)(v), (void)count) /* the maximum needs no scaling */

/* ---- instantiation per element type ---- */

#define FF_(fn) fn##f
#define FD_(fn) fn
#define SAMPLERS_(sfx, T, F)                                                           \
	DEF_TO_INDEX_(sfx, T)                                                          \
	DEF_GS_COORD_(sfx, T, F)                                                       \
	DEF_GS_PIXEL_(sfx, T)                                                          \
	DEF_GS_PAD_(sfx, T)                                                            \
	DEF_GS_AXIS_(sfx, T, F)                                                        \
	DEF_GS_POINT_(sfx, T)                                                          \
	DEF_GRID_SAMPLE_(sfx, T, grid_sample)                                          \
	DEF_AFFINE_GRID_(sfx, T, affine_grid)                                          \
	DEF_RA_SAMPLE_(sfx, T, F)                                                      \
	DEF_ROI_ALIGN_(sfx, T, roi_align_avg, RA_AVG_, RA_AVG_END_)                    \
	DEF_ROI_ALIGN_(sfx, T, roi_align_max, RA_MAX_, RA_MAX_END_)

SAMPLERS_(f32, float, FF_)
SAMPLERS_(f64, double, FD_)
