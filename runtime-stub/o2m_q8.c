/* o2m_q8.c - the elementwise int8 kernels: a rescale, a table lookup, and Add and Mul
   with broadcasting, in the integer arithmetic of TFLite's int8 reference kernels.
   Empty tensors (count 0) are allowed and do nothing. */
#include "o2m_q8_def.h"

int o2m_q8_requant_s8(const o2m_q8_requant_params *p, const int8_t *x, int8_t *y)
{
	int32_t i;

	if (!x || !y || p->count < 0 || !q8_offset_ok(p->input_offset) ||
	    !q8_scale_ok(p->mult, p->shift) || !q8_out_ok(p->output_offset, p->act_min, p->act_max))
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++)
		y[i] = q8_out(o2m_q8_requant(x[i] + p->input_offset, p->mult, p->shift),
			      p->output_offset, p->act_min, p->act_max);
	return O2M_OK;
}

int o2m_q8_lut_s8(const o2m_unary_params *p, const int8_t *x, const int8_t *table, int8_t *y)
{
	int32_t i;

	if (!x || !table || !y || p->count < 0)
		return O2M_ERR_ARG;
	for (i = 0; i < p->count; i++)
		y[i] = table[x[i] + 128];
	return O2M_OK;
}

/* the checks Add and Mul share */
static int binary_ok(const o2m_q8_binary_params *q, const int8_t *a, const int8_t *b,
		     const int8_t *y)
{
	return a && b && y && q->b.rank >= 1 && q->b.rank <= O2M_MAX_RANK && q->b.count >= 0 &&
	       q8_offset_ok(q->a_offset) && q8_offset_ok(q->b_offset) &&
	       q8_scale_ok(q->out_mult, q->out_shift) &&
	       q8_out_ok(q->output_offset, q->act_min, q->act_max);
}

/* whether a, b and y are all laid out as the output box, element i at i */
static int dense(const o2m_bcast_params *p)
{
	int32_t k, step = 1;

	for (k = p->rank - 1; k >= 0; k--) {
		if (p->dims[k] > 1 && (p->sa[k] != step || p->sb[k] != step))
			return 0;
		step *= p->dims[k];
	}
	return 1;
}

/* the checks of Add's parameters */
static int add_ok(const o2m_q8_binary_params *q, const int8_t *a, const int8_t *b,
		  const int8_t *y)
{
	return binary_ok(q, a, b, y) && q8_add_ok(q);
}

int o2m_q8_add_lut_s8(const o2m_q8_binary_params *q, const int8_t *a, const int8_t *b,
		      const int32_t *t, int8_t *y)
{
	const o2m_bcast_params *p = &q->b;
	const int32_t *ta, *tb;
	int32_t n;
	q8_rq o;

	if (!t || !add_ok(q, a, b, y))
		return O2M_ERR_ARG;
	ta = t + 128;
	tb = t + 384;
	o = q8_rq_of(q->out_mult, q->out_shift, q->output_offset, q->act_min, q->act_max);
#ifdef Q8_MVE
	if (dense(p) && o.fast) { /* four at a time: gathers from the table, then TFLite's
				     rescale as CMSIS-NN writes it for Helium (VQRDMULH, then
				     a rounding shift whose ties go away from zero) */
		const int32x4_t sh = vdupq_n_s32(q->out_shift), off = vdupq_n_s32(o.off);
		const int32x4_t lo = vdupq_n_s32(o.lo), hi = vdupq_n_s32(o.hi);
		mve_pred16_t in;
		int32x4_t h;
		uint32x4_t ia, ib;
		for (n = 0; n < p->count; n += 4) {
			in = vctp32q((uint32_t)(p->count - n));
			/* the values themselves as offsets from each table's middle: the
			   gather's address, base + 4 offset, wraps in 32 bits */
			ia = vreinterpretq_u32_s32(vldrbq_z_s32(a + n, in));
			ib = vreinterpretq_u32_s32(vldrbq_z_s32(b + n, in));
			h = vqaddq_s32(vldrwq_gather_shifted_offset_z_s32(ta, ia, in),
				       vldrwq_gather_shifted_offset_z_s32(tb, ib, in));
			h = vqrdmulhq_n_s32(h, o.mult);
			h = vqaddq_s32(h, vshrq_n_s32(vandq_s32(h, sh), 31));
			h = vminq_s32(vmaxq_s32(vaddq_s32(vrshlq_s32(h, sh), off), lo), hi);
			vstrbq_p_s32(y + n, h, in);
		}
		return O2M_OK;
	}
#endif
#ifdef Q8_DSP
	if (dense(p) && o.fast && -q->out_shift <= RQ2_MAX_R && q8_add_small(t)) {
		/* sums below 2^30 (as the compiler's multipliers make them): doubled, they take
		   the packed kernels' rescale (rq2: one SMMULR); no saturation to do */
		const int32_t mult = q->out_mult, r = -q->out_shift, lo = o.lo, hi = o.hi;
		const int32_t c = (int32_t)(1u << (r - 1)) + o.off * (int32_t)(1u << r);
		int32_t h;
		for (n = 0; n < p->count; n++) {
			h = q8_smmulr(2 * (ta[a[n]] + tb[b[n]]), mult);
			h = rq2_round(h, c, r);
			y[n] = (int8_t)(h < lo ? lo : h > hi ? hi : h);
		}
		return O2M_OK;
	}
#endif
	if (dense(p) && o.fast) { /* q8_rq_out's fast path, its constants in registers */
		const int32_t mult = o.mult, rsh = o.rsh, off = o.off, lo = o.lo, hi = o.hi;
		const int64_t tp = (int64_t)((uint64_t)(uint32_t)o.phi << 32 | (uint32_t)o.plo);
		const int64_t tn = (int64_t)((uint64_t)(uint32_t)o.nhi << 32 | (uint32_t)o.nlo);
		int32_t v, x;
		for (n = 0; n < p->count; n++) {
#ifdef Q8_DSP
			x = __qadd(ta[a[n]], tb[b[n]]);
#else
			int64_t s = (int64_t)ta[a[n]] + tb[b[n]];
			x = (int32_t)(s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : s);
#endif
			v = ((int32_t)(((int64_t)x * mult + (x < 0 ? tn : tp)) >> 32) >> rsh) + off;
			y[n] = (int8_t)(v < lo ? lo : v > hi ? hi : v);
		}
		return O2M_OK;
	}
	if (dense(p)) {
		for (n = 0; n < p->count; n++)
			y[n] = add_out(&o, ta[a[n]], tb[b[n]]);
		return O2M_OK;
	}
	O2M_BCAST2(p, y[i] = add_out(&o, ta[a[ia]], tb[b[ib]]));
	return O2M_OK;
}

/* one element of Mul: the product of the offset inputs rescaled to the output */
static int8_t mul1(const o2m_q8_binary_params *q, int32_t a, int32_t b)
{
	int32_t prod = (a + q->a_offset) * (b + q->b_offset);

	return q8_out(o2m_q8_requant(prod, q->out_mult, q->out_shift), q->output_offset,
		      q->act_min, q->act_max);
}

/* left_shift <= 20 keeps 383 << left_shift inside int32 (TFLite uses 20 for int8) */
int o2m_q8_add_s8(const o2m_q8_binary_params *q, const int8_t *a, const int8_t *b, int8_t *y)
{
	const o2m_bcast_params *p = &q->b;
	int32_t n;
	add_rq r;

	if (!add_ok(q, a, b, y))
		return O2M_ERR_ARG;
	r = add_prep(q);
	if (dense(p)) {
		for (n = 0; n < p->count; n++)
			y[n] = add1(&r, a[n], b[n]);
		return O2M_OK;
	}
	O2M_BCAST2(p, y[i] = add1(&r, a[ia], b[ib]));
	return O2M_OK;
}

int o2m_q8_mul_s8(const o2m_q8_binary_params *q, const int8_t *a, const int8_t *b, int8_t *y)
{
	const o2m_bcast_params *p = &q->b;
	int32_t n;

	if (!binary_ok(q, a, b, y))
		return O2M_ERR_ARG;
	if (dense(p)) {
		for (n = 0; n < p->count; n++)
			y[n] = mul1(q, a[n], b[n]);
		return O2M_OK;
	}
	O2M_BCAST2(p, y[i] = mul1(q, a[ia], b[ib]));
	return O2M_OK;
}
