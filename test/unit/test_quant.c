/* test_quant.c - unit tests of the quantization kernels where ONNX is exact about the
   result: rounding half to even, saturation (NaN included), blocked scales with a partial
   last block, the float16 precision of QuantizeLinear, and int32 dequantization; the
   integer division of cores without an FPU (o2m_qround.h, forced on here) against the
   float division on 4 million values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "../../runtime-stub/o2m_quant.h"
#define O2M_QDIV_INT 1 /* the integer path of o2m_qdiv_sat, on the host */
#include "../../runtime-stub/o2m_qround.h"

#include <string.h>

static o2m_qaxis_params per_tensor(int32_t count)
{
	o2m_qaxis_params p = {1, 1, count, 1, 0, 0, 0, 0};
	return p;
}

static void quantize_rounds_half_even_and_saturates(void **state)
{
	const float x[] = {-0.5f, 0.5f, 1.5f, 2.5f, -1.5f, -2.5f, 1e10f, -1e10f, NAN, 126.5f};
	const int8_t want[] = {0, 0, 2, 2, -2, -2, 127, -128, -128, 126};
	const float scale = 1.0f;
	o2m_qaxis_params p = per_tensor(10);
	int8_t y[10];

	(void)state;
	assert_int_equal(o2m_quantize_f32_s8(&p, x, &scale, NULL, y), O2M_OK);
	assert_memory_equal(y, want, sizeof want);
}

static void quantize_adds_zero_point_before_saturating(void **state)
{
	const float x[] = {-3.0f, 250.0f, 0.25f};
	const uint8_t zp = 10, want[] = {7, 255, 10};
	const float scale = 1.0f;
	o2m_qaxis_params p = per_tensor(3);
	uint8_t y[3];

	(void)state;
	o2m_quantize_f32_u8(&p, x, &scale, &zp, y);
	assert_memory_equal(y, want, sizeof want);
}

/* x [1, 5, 1] along axis 1 in blocks of 2: scales 1, 10, 100 (the last block holds one) */
static void blocked_scales_cover_a_partial_block(void **state)
{
	const float x[] = {4, 4, 40, 40, 400}, scale[] = {1, 10, 100};
	const int16_t want[] = {4, 4, 4, 4, 4};
	o2m_qaxis_params p = {1, 5, 1, 2, 0, 1, 0, 0};
	int16_t y[5];

	(void)state;
	o2m_quantize_f32_s16(&p, x, scale, NULL, y);
	assert_memory_equal(y, want, sizeof want);
}

/* 1.50390625 / 1.0029296875 (both float16) is 1.49951... in float32 but 1.5 in float16,
   which rounds to 2 */
static void quantize_divides_at_float16_precision(void **state)
{
	const float x = 1.50390625f, scale = 1.0029296875f;
	o2m_qaxis_params p = per_tensor(1);
	uint8_t y;

	(void)state;
	o2m_quantize_f32_u8(&p, &x, &scale, NULL, &y);
	assert_int_equal(y, 1);
	p.half = 1;
	o2m_quantize_f32_u8(&p, &x, &scale, NULL, &y);
	assert_int_equal(y, 2);
}

static void dequantize_int32_takes_the_difference_exactly(void **state)
{
	const int32_t x[] = {INT32_MAX, INT32_MIN}, zp = -1;
	const float scale = 1.0f;
	o2m_qaxis_params p = per_tensor(2);
	float y[2];

	(void)state;
	o2m_dequantize_s32(&p, x, &scale, &zp, y);
	assert_true(y[0] == 2147483648.0f);
	assert_true(y[1] == -2147483648.0f);
}

/* the float8 forms work on widened operands: the float8 rounding is a cast after */
static void float8_forms_leave_rounding_to_the_cast(void **state)
{
	const float x[] = {3.0f, -1.0f, 1e30f}, zp = 0.5f, scale = 2.0f;
	const float want_q[] = {2.0f, 0.0f, 5e29f}, want_dq[] = {5.0f, -3.0f, 2e30f};
	o2m_qaxis_params p = per_tensor(3);
	float y[3];

	(void)state;
	assert_int_equal(o2m_quantize_f32_f32(&p, x, &scale, &zp, y), O2M_OK);
	assert_memory_equal(y, want_q, sizeof want_q);
	assert_int_equal(o2m_dequantize_f32(&p, x, &scale, &zp, y), O2M_OK);
	assert_memory_equal(y, want_dq, sizeof want_dq);
}

/* int4 and uint2 outputs round half to even and saturate to [-8, 7] and [0, 3] */
static void packed_types_round_and_saturate(void **state)
{
	const float x[] = {2.5f, 3.5f, -2.5f, 100.0f, -100.0f}, scale = 1.0f;
	const int8_t zp4 = 1, want4[] = {3, 5, -1, 7, -8};
	const uint8_t zp2 = 1, want2[] = {3, 3, 0, 3, 0};
	o2m_qaxis_params p = per_tensor(5);
	int8_t y4[5];
	uint8_t y2[5];
	float back[5];

	(void)state;
	assert_int_equal(o2m_quantize_f32_s4(&p, x, &scale, &zp4, y4), O2M_OK);
	assert_memory_equal(y4, want4, sizeof want4);
	assert_int_equal(o2m_quantize_f32_u2(&p, x, &scale, &zp2, y2), O2M_OK);
	assert_memory_equal(y2, want2, sizeof want2);
	assert_int_equal(o2m_dequantize_s4(&p, y4, &scale, &zp4, back), O2M_OK);
	assert_true(back[3] == 6.0f && back[4] == -9.0f);
}

static void dynamic_quantize_of_zeros_has_scale_one(void **state)
{
	const float x[] = {0, 0, 0};
	o2m_unary_params p = {3, 0, 0, 0};
	uint8_t y[3], zp = 7;
	float scale = 0;

	(void)state;
	o2m_dynquant_f32_u8(&p, x, y, &scale, &zp);
	assert_true(scale == 1.0f);
	assert_int_equal(zp, 0);
	assert_int_equal(y[0], 0);
}

static uint32_t xs = 1;
static uint32_t rnd32(void) /* xorshift32 */
{
	xs ^= xs << 13;
	xs ^= xs >> 17;
	xs ^= xs << 5;
	return xs;
}

static float from_bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof f);
	return f;
}

/* o2m_qdiv_sat's integer path against round_half_even(x / s) in float: scales of any
   bits (subnormal, huge, NaN: the float fallback) or of ordinary size; values of any
   bits, a few ulps around (j + 1/2) s (the ties and the values next to them), or
   ordinary; int8, uint8 and int16 ranges with their zero points */
static void integer_division_matches_float(void **state)
{
	long bad = 0;

	(void)state;
	for (long k = 0; k < 4000000; k++) {
		int32_t zp = (int32_t)(rnd32() % 256) - 128, lo = -128, hi = 127, got, want;
		float s = rnd32() % 8 ? from_bits((rnd32() & 0x7fffffu) |
						  ((100u + rnd32() % 40u) << 23))
				      : from_bits(rnd32() & 0x7fffffffu), x;
		o2m_qdiv d;
		if (k % 3 == 0) {
			uint32_t u;
			x = ((float)((int32_t)(rnd32() % 600) - 300) + 0.5f) * s;
			memcpy(&u, &x, sizeof u);
			x = from_bits(u + rnd32() % 5u - 2u);
		} else if (k % 3 == 1) {
			x = from_bits(rnd32());
		} else {
			x = ((float)(rnd32() % 2000000) / 1000.0f - 1000.0f) * s;
		}
		if (k % 7 == 0)
			lo = -32768, hi = 32767, zp = (int32_t)(rnd32() % 2000) - 1000;
		else if (k % 11 == 0)
			lo = 0, hi = 255, zp = (int32_t)(rnd32() % 256);
		d = o2m_qdiv_make(s);
		got = o2m_qdiv_sat(x, &d, zp, lo, hi);
		want = o2m_sat_f32(x / s, zp, lo, hi);
		if (got != want && bad++ < 5)
			print_error("x %a / s %a + %d: %d, float %d\n", (double)x, (double)s, zp, got, want);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quantize_rounds_half_even_and_saturates),
		cmocka_unit_test(quantize_adds_zero_point_before_saturating),
		cmocka_unit_test(blocked_scales_cover_a_partial_block),
		cmocka_unit_test(packed_types_round_and_saturate),
		cmocka_unit_test(quantize_divides_at_float16_precision),
		cmocka_unit_test(dequantize_int32_takes_the_difference_exactly),
		cmocka_unit_test(float8_forms_leave_rounding_to_the_cast),
		cmocka_unit_test(dynamic_quantize_of_zeros_has_scale_one),
		cmocka_unit_test(integer_division_matches_float),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
