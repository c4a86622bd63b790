/* o2m_conv.c - the float convolution kernels. Window geometry (which taps of a window
   are inside the data) is integer code shared by every type and lives here; the typed
   loops are in o2m_conv_impl.h, included once for float and once for double. */
#include "o2m_conv.h"
#include "o2m_act.h"
#include "o2m_mla.h"
#include "o2m_window.h"

#include <float.h>
#include <math.h>

/* geometry of one call, derived from the params once */
typedef struct {
	int32_t in_plane, out_plane; /* elements of one channel */
	int32_t ksize, khw;          /* taps of one filter, of one filter slice along d */
	int32_t xsd, xsh;            /* x step between taps along d and along h */
	int32_t dlo, dhi, hlo, hhi, wlo, whi; /* interior output positions per axis */
} geo;

/* the valid taps of one output position: first tap and count per axis */
typedef struct {
	int32_t d0, nd, h0, nh, w0, nw;
} taps3;

static int conv_geo(const o2m_conv_params *p, geo *g)
{
	if (p->group < 1 || p->c_in % p->group || p->c_out % p->group || p->stride_d < 1 ||
	    p->stride_h < 1 || p->stride_w < 1 || p->dil_d < 1 || p->dil_h < 1 || p->dil_w < 1 ||
	    p->k_d < 1 || p->k_h < 1 || p->k_w < 1)
		return -1;
	g->in_plane = p->in_d * p->in_h * p->in_w;
	g->out_plane = p->out_d * p->out_h * p->out_w;
	g->khw = p->k_h * p->k_w;
	g->ksize = p->k_d * g->khw;
	g->xsd = p->dil_d * p->in_h * p->in_w;
	g->xsh = p->dil_h * p->in_w;
	o2m_interior(p->out_d, p->k_d, p->stride_d, p->dil_d, p->pad_d, p->in_d, &g->dlo, &g->dhi);
	o2m_interior(p->out_h, p->k_h, p->stride_h, p->dil_h, p->pad_h, p->in_h, &g->hlo, &g->hhi);
	o2m_interior(p->out_w, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &g->wlo, &g->whi);
	return 0;
}

static void taps_d(const o2m_conv_params *p, const geo *g, int32_t od, taps3 *t)
{
	o2m_taps_at(od, g->dlo, g->dhi, p->k_d, p->stride_d, p->dil_d, p->pad_d, p->in_d, &t->d0,
		    &t->nd);
}

static void taps_h(const o2m_conv_params *p, const geo *g, int32_t oh, taps3 *t)
{
	o2m_taps_at(oh, g->hlo, g->hhi, p->k_h, p->stride_h, p->dil_h, p->pad_h, p->in_h, &t->h0,
		    &t->nh);
}

static void taps_w(const o2m_conv_params *p, const geo *g, int32_t ow, taps3 *t)
{
	o2m_taps_at(ow, g->wlo, g->whi, p->k_w, p->stride_w, p->dil_w, p->pad_w, p->in_w, &t->w0,
		    &t->nw);
}

/* offset of the first valid tap of window (od, oh, ow) in an input channel */
static int32_t tap_offset(const o2m_conv_params *p, const taps3 *t, int32_t od, int32_t oh,
			  int32_t ow)
{
	int32_t d = od * p->stride_d - p->pad_d + t->d0 * p->dil_d;
	int32_t h = oh * p->stride_h - p->pad_h + t->h0 * p->dil_h;
	int32_t w = ow * p->stride_w - p->pad_w + t->w0 * p->dil_w;
	return (d * p->in_h + h) * p->in_w + w;
}

/* offset of the first valid tap in a filter */
static int32_t filter_offset(const o2m_conv_params *p, const taps3 *t)
{
	return (t->d0 * p->k_h + t->h0) * p->k_w + t->w0;
}

#define T float
#define SFX(name) name##_f32
#define FLOOR floorf
#define MAC(acc, a, b) O2M_MLA_F32(acc, a, b)
#if defined(O2M_ARM_VFP) && !defined(__clang__) /* local register variables */
#define VLDM_F32 1
#else
#define VLDM_F32 0
#endif
#include "o2m_conv_impl.h"
#undef T
#undef SFX
#undef FLOOR
#undef MAC
#undef VLDM_F32

#define T double
#define SFX(name) name##_f64
#define FLOOR floor
#define MAC(acc, a, b) ((acc) += (a) * (b))
#define VLDM_F32 0
#include "o2m_conv_impl.h"
#undef T
#undef SFX
#undef FLOOR
#undef MAC
#undef VLDM_F32
