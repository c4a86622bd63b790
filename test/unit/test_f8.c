/* test_f8.c - unit tests of the float8 casts (o2m_cast_<f8>_f32, o2m_cast_f32_<f8>): every
   bit pattern of each type goes to float and back unchanged (NaN stays NaN), and ties,
   subnormals, saturation and the e8m0 round modes give the values the formats define
   (expected codes worked out by hand from sign, exponent bias and mantissa width). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "../../runtime-stub/o2m_cast.h"
#include "../../runtime-stub/o2m_f8.h"

typedef int (*to_f32_fn)(const o2m_unary_params *, const uint8_t *, float *);
typedef int (*from_f32_fn)(const o2m_unary_params *, const float *, uint8_t *);

/* alpha 1: no saturation, so infinities go through unchanged */
static void round_trip(to_f32_fn to, from_f32_fn from, float mode)
{
	o2m_unary_params p = {256, 1.0f, 0, 0}, one = {1, 1.0f, 0, 0};
	uint8_t bits[256], back[256];
	float v[256];

	for (int i = 0; i < 256; i++)
		bits[i] = (uint8_t)i;
	p.beta = mode;
	assert_int_equal(to(&p, bits, v), O2M_OK);
	assert_int_equal(from(&p, v, back), O2M_OK);
	for (int i = 0; i < 256; i++) {
		if (isnan(v[i])) {
			float again;
			assert_int_equal(to(&one, &back[i], &again), O2M_OK);
			assert_true(isnan(again));
		} else {
			assert_int_equal(back[i], i);
		}
	}
}

static void every_pattern_round_trips(void **state)
{
	(void)state;
	round_trip(o2m_cast_f8e4m3fn_f32, o2m_cast_f32_f8e4m3fn, 0);
	round_trip(o2m_cast_f8e4m3fnuz_f32, o2m_cast_f32_f8e4m3fnuz, 0);
	round_trip(o2m_cast_f8e5m2_f32, o2m_cast_f32_f8e5m2, 0);
	round_trip(o2m_cast_f8e5m2fnuz_f32, o2m_cast_f32_f8e5m2fnuz, 0);
	for (int mode = O2M_E8M0_UP; mode <= O2M_E8M0_NEAREST; mode++)
		round_trip(o2m_cast_f8e8m0_f32, o2m_cast_f32_f8e8m0, (float)mode);
}

/* x converted with saturate (sat) and round mode; the bits */
static void check(from_f32_fn from, int sat, int mode, const float *x, const uint8_t *want, int n)
{
	o2m_unary_params p = {n, sat ? 0.0f : 1.0f, (float)mode, 0};
	uint8_t y[16];

	assert_true(n <= 16);
	assert_int_equal(from(&p, x, y), O2M_OK);
	for (int i = 0; i < n; i++) {
		if (y[i] != want[i])
			print_error("x[%d] = %g: got 0x%02x, want 0x%02x\n", i, (double)x[i], y[i],
				    want[i]);
		assert_int_equal(y[i], want[i]);
	}
}

/* e4m3fn: bias 7, 3 mantissa bits, max 448 = 0x7e, S.1111.111 NaN, no infinity */
static void e4m3fn_ties_and_saturation(void **state)
{
	const float x[] = {1.0f, 1.0625f, 1.1875f, 448.0f, 464.0f, 500.0f, INFINITY, -INFINITY,
			   0x1p-9f, 0x1p-10f, 0x3p-10f, -0.0f};
	const uint8_t sat[] = {0x38, 0x38, 0x3a, 0x7e, 0x7e, 0x7e, 0x7e, 0xfe,
			       0x01, 0x00, 0x02, 0x80};
	const uint8_t nosat[] = {0x38, 0x38, 0x3a, 0x7e, 0x7e, 0x7f, 0x7f, 0xff,
				 0x01, 0x00, 0x02, 0x80};

	(void)state;
	check(o2m_cast_f32_f8e4m3fn, 1, 0, x, sat, 12);
	check(o2m_cast_f32_f8e4m3fn, 0, 0, x, nosat, 12);
}

/* e4m3fnuz: bias 8, max 240 = 0x7f, NaN 0x80 only, no -0 */
static void e4m3fnuz_has_no_negative_zero(void **state)
{
	const float x[] = {1.0f, 240.0f, 248.0f, -INFINITY, -0.0f, -0x1p-12f, 0x1p-10f, NAN};
	const uint8_t sat[] = {0x40, 0x7f, 0x7f, 0xff, 0x00, 0x00, 0x01, 0x80};
	const uint8_t nosat[] = {0x40, 0x7f, 0x80, 0x80, 0x00, 0x00, 0x01, 0x80};

	(void)state;
	check(o2m_cast_f32_f8e4m3fnuz, 1, 0, x, sat, 8);
	check(o2m_cast_f32_f8e4m3fnuz, 0, 0, x, nosat, 8);
}

/* e5m2: bias 15, IEEE-like, max 57344 = 0x7b, infinity 0x7c; 61440 is the tie between
   max (odd mantissa) and the overflow */
static void e5m2_overflows_to_infinity(void **state)
{
	const float x[] = {1.0f, 1.125f, 1.375f, 57344.0f, 61440.0f, -INFINITY, 0x1p-16f,
			   0x1p-17f};
	const uint8_t sat[] = {0x3c, 0x3c, 0x3e, 0x7b, 0x7b, 0xfb, 0x01, 0x00};
	const uint8_t nosat[] = {0x3c, 0x3c, 0x3e, 0x7b, 0x7c, 0xfc, 0x01, 0x00};

	(void)state;
	check(o2m_cast_f32_f8e5m2, 1, 0, x, sat, 8);
	check(o2m_cast_f32_f8e5m2, 0, 0, x, nosat, 8);
}

/* e5m2fnuz: bias 16, max 57344 = 0x7f, NaN 0x80 */
static void e5m2fnuz_saturates_or_gives_nan(void **state)
{
	const float x[] = {1.0f, 57344.0f, 65536.0f, INFINITY, -0.0f};
	const uint8_t sat[] = {0x40, 0x7f, 0x7f, 0x7f, 0x00};
	const uint8_t nosat[] = {0x40, 0x7f, 0x80, 0x80, 0x00};

	(void)state;
	check(o2m_cast_f32_f8e5m2fnuz, 1, 0, x, sat, 5);
	check(o2m_cast_f32_f8e5m2fnuz, 0, 0, x, nosat, 5);
}

/* e8m0: 2^(v - 127), no sign; 3 is the midpoint of 2 and 4 */
static void e8m0_round_modes(void **state)
{
	const float x[] = {1.0f, 3.0f, 2.9f, -4.0f, INFINITY, 0x1.8p127f, 0x1p-127f, NAN};
	const uint8_t up[] = {0x7f, 0x81, 0x81, 0x81, 0xfe, 0xfe, 0x00, 0xff};
	const uint8_t down[] = {0x7f, 0x80, 0x80, 0x81, 0xfe, 0xfe, 0x00, 0xff};
	const uint8_t nearest[] = {0x7f, 0x81, 0x80, 0x81, 0xfe, 0xfe, 0x00, 0xff};
	const uint8_t up_nosat[] = {0x7f, 0x81, 0x81, 0x81, 0xff, 0xff, 0x00, 0xff};

	(void)state;
	check(o2m_cast_f32_f8e8m0, 1, O2M_E8M0_UP, x, up, 8);
	check(o2m_cast_f32_f8e8m0, 1, O2M_E8M0_DOWN, x, down, 8);
	check(o2m_cast_f32_f8e8m0, 1, O2M_E8M0_NEAREST, x, nearest, 8);
	check(o2m_cast_f32_f8e8m0, 0, O2M_E8M0_UP, x, up_nosat, 8);
}

/* integers and float16 go through the same rounding */
static void other_sources_round_once(void **state)
{
	const int32_t i[] = {17, 19, 1000};
	const uint16_t h[] = {0x3c40, 0x7c00}; /* 1.0625 (a tie) and infinity in half */
	o2m_unary_params p = {3, 0, 0, 0};
	uint8_t y[3];

	(void)state;
	assert_int_equal(o2m_cast_s32_f8e4m3fn(&p, i, y), O2M_OK);
	assert_int_equal(y[0], 0x58); /* 17 is the tie of 16 and 18: 16 */
	assert_int_equal(y[1], 0x5a); /* 19 is the tie of 18 and 20: 20 */
	assert_int_equal(y[2], 0x7e); /* saturates at 448 */
	p.count = 2;
	assert_int_equal(o2m_cast_f16_f8e4m3fn(&p, h, y), O2M_OK);
	assert_int_equal(y[0], 0x38);
	assert_int_equal(y[1], 0x7e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pattern_round_trips),
		cmocka_unit_test(e4m3fn_ties_and_saturation),
		cmocka_unit_test(e4m3fnuz_has_no_negative_zero),
		cmocka_unit_test(e5m2_overflows_to_infinity),
		cmocka_unit_test(e5m2fnuz_saturates_or_gives_nan),
		cmocka_unit_test(e8m0_round_modes),
		cmocka_unit_test(other_sources_round_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
