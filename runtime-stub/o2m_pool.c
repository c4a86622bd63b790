/* o2m_pool.c - the pooling kernels. Window geometry is integer code shared by every
   type and lives here; the typed loops are in o2m_pool_impl.h, included once per
   element type (max pooling also for int8, uint8 and int16). */
#include "o2m_pool.h"
#include "o2m_window.h"

#include <math.h>

/* geometry of one call, derived from the params once */
typedef struct {
	int32_t in_plane, out_plane;
	int32_t xsd, xsh;                     /* x step between taps along d and along h */
	int32_t dlo, dhi, hlo, hhi, wlo, whi; /* interior output positions per axis */
} geo;

/* the valid taps of one window: first tap and count per axis */
typedef struct {
	int32_t d0, nd, h0, nh, w0, nw;
} taps3;

static int pool_geo(const o2m_pool_params *p, geo *g)
{
	if (p->stride_d < 1 || p->stride_h < 1 || p->stride_w < 1 || p->dil_d < 1 ||
	    p->dil_h < 1 || p->dil_w < 1 || p->k_d < 1 || p->k_h < 1 || p->k_w < 1)
		return -1;
	g->in_plane = p->in_d * p->in_h * p->in_w;
	g->out_plane = p->out_d * p->out_h * p->out_w;
	g->xsd = p->dil_d * p->in_h * p->in_w;
	g->xsh = p->dil_h * p->in_w;
	o2m_interior(p->out_d, p->k_d, p->stride_d, p->dil_d, p->pad_d, p->in_d, &g->dlo, &g->dhi);
	o2m_interior(p->out_h, p->k_h, p->stride_h, p->dil_h, p->pad_h, p->in_h, &g->hlo, &g->hhi);
	o2m_interior(p->out_w, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &g->wlo, &g->whi);
	return 0;
}

/* the taps of window (od, oh, ow); returns the offset of its first valid tap in the
   plane, or -1 when the window lies wholly in the padding */
static int32_t pool_window(const o2m_pool_params *p, const geo *g, int32_t od, int32_t oh,
			   int32_t ow, taps3 *t)
{
	int32_t d, h, w;

	o2m_taps_at(od, g->dlo, g->dhi, p->k_d, p->stride_d, p->dil_d, p->pad_d, p->in_d, &t->d0,
		    &t->nd);
	o2m_taps_at(oh, g->hlo, g->hhi, p->k_h, p->stride_h, p->dil_h, p->pad_h, p->in_h, &t->h0,
		    &t->nh);
	o2m_taps_at(ow, g->wlo, g->whi, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &t->w0,
		    &t->nw);
	if (!t->nd || !t->nh || !t->nw)
		return -1;
	d = od * p->stride_d - p->pad_d + t->d0 * p->dil_d;
	h = oh * p->stride_h - p->pad_h + t->h0 * p->dil_h;
	w = ow * p->stride_w - p->pad_w + t->w0 * p->dil_w;
	return (d * p->in_h + h) * p->in_w + w;
}

/* the divisor of an average window */
static int32_t pool_count(const o2m_pool_params *p, const taps3 *t, int32_t od, int32_t oh,
			  int32_t ow)
{
	if (!p->count_include_pad)
		return t->nd * t->nh * t->nw;
	return o2m_pool_padded_count(p, od * p->stride_d - p->pad_d, oh * p->stride_h - p->pad_h,
				     ow * p->stride_w - p->pad_w);
}

/* flat index of plane offset `at` for MaxPool's Indices output */
static int64_t pool_index(const o2m_pool_params *p, const geo *g, int32_t plane, int32_t at)
{
	int32_t d, h, w;

	if (!p->storage_order)
		return (int64_t)plane * g->in_plane + at;
	d = at / (p->in_h * p->in_w);
	h = at / p->in_w - d * p->in_h;
	w = at - (d * p->in_h + h) * p->in_w;
	return (int64_t)plane * g->in_plane + d + (int64_t)p->in_d * (h + (int64_t)p->in_h * w);
}

#define POOL_FLOAT
#define T float
#define SFX(name) name##_f32
#define LOWEST (-HUGE_VALF)
#define ABS fabsf
#define SQRT sqrtf
#define POW powf
#include "o2m_pool_impl.h"
#undef T
#undef SFX
#undef LOWEST
#undef ABS
#undef SQRT
#undef POW

#define T double
#define SFX(name) name##_f64
#define LOWEST (-HUGE_VAL)
#define ABS fabs
#define SQRT sqrt
#define POW pow
#include "o2m_pool_impl.h"
#undef T
#undef SFX
#undef LOWEST
#undef ABS
#undef SQRT
#undef POW
#undef POOL_FLOAT

#define T int8_t
#define SFX(name) name##_s8
#define LOWEST INT8_MIN
#include "o2m_pool_impl.h"
#undef T
#undef SFX
#undef LOWEST

#define T uint8_t
#define SFX(name) name##_u8
#define LOWEST 0
#include "o2m_pool_impl.h"
#undef T
#undef SFX
#undef LOWEST

#define T int16_t
#define SFX(name) name##_s16
#define LOWEST INT16_MIN
#include "o2m_pool_impl.h"
#undef T
#undef SFX
#undef LOWEST
