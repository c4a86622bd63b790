/* test_packed.c - unit tests of the packed element types (o2m_packed.h and their casts):
   every code of int4, uint4, int2, uint2 and float4e2m1 packs and unpacks unchanged, odd
   counts pad the last byte with zeros, the 16 float4e2m1 codes are the values of S.EE.M
   with bias 1 and go back to themselves, and ties, saturation and wrapping give the codes
   worked out by hand from the formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "../../runtime-stub/o2m_cast.h"
#include "../../runtime-stub/o2m_packed.h"

/* every code of a bits-wide type, packed then unpacked, for counts 1 to 2^bits + 3 (so
   odd counts and partly filled last bytes) */
static void round_trip(int bits, int is_signed)
{
	const int codes = 1 << bits, lo = is_signed ? -codes / 2 : 0;
	uint8_t v[20], packed[10], back[20];

	for (int n = 1; n <= codes + 3; n++) {
		for (int i = 0; i < n; i++)
			v[i] = (uint8_t)(lo + i % codes);
		o2m_pack(v, packed, n, bits);
		assert_int_equal(o2m_packed_bytes(n, bits), (n * bits + 7) / 8);
		if (n * bits % 8) /* the padding bits are zero */
			assert_int_equal(packed[n * bits / 8] >> (n * bits % 8), 0);
		o2m_unpack(packed, back, n, bits, is_signed);
		for (int i = 0; i < n; i++)
			assert_int_equal(back[i], v[i]);
	}
}

static void every_code_round_trips(void **state)
{
	(void)state;
	round_trip(4, 1);
	round_trip(4, 0);
	round_trip(2, 1);
	round_trip(2, 0);
}

/* the layout ONNX defines: the first element in the low bits */
static void first_element_is_low_bits(void **state)
{
	const uint8_t s4[3] = {0xf, 0x8, 0x7}; /* -1, -8, 7 as stored nibbles */
	const uint8_t u2[5] = {1, 2, 3, 0, 3};
	uint8_t packed[2];
	uint8_t out[5];

	(void)state;
	o2m_pack(s4, packed, 3, 4);
	assert_int_equal(packed[0], 0x8f);
	assert_int_equal(packed[1], 0x07);
	o2m_unpack(packed, out, 3, 4, 1);
	assert_int_equal((int8_t)out[0], -1);
	assert_int_equal((int8_t)out[1], -8);
	assert_int_equal((int8_t)out[2], 7);
	o2m_pack(u2, packed, 5, 2);
	assert_int_equal(packed[0], 0x39); /* 00 11 10 01 */
	assert_int_equal(packed[1], 0x03);
}

static void float4_codes(void **state)
{
	/* S.EE.M: exponent 0 is 0.M * 2^0 (0, 0.5), else 1.M * 2^(E - 1) */
	static const float want[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
	o2m_unary_params p = {16, 0, 0, 0};
	uint8_t codes[16], back[16];
	float v[16];

	(void)state;
	for (int i = 0; i < 16; i++)
		codes[i] = (uint8_t)i;
	assert_int_equal(o2m_cast_f4e2m1_f32(&p, codes, v), O2M_OK);
	for (int i = 0; i < 16; i++) {
		assert_true(v[i] == (i & 8 ? -want[i & 7] : want[i & 7]));
		assert_int_equal(!!signbit(v[i]), i >> 3);
	}
	assert_int_equal(o2m_cast_f32_f4e2m1(&p, v, back), O2M_OK);
	for (int i = 0; i < 16; i++)
		assert_int_equal(back[i], i);
}

static void float4_ties_and_saturation(void **state)
{
	/* ties go to the even mantissa: 0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 1.75 -> 2, 2.5 -> 2,
	   3.5 -> 4, 5 -> 4; beyond 6 and infinities saturate; NaN is 0x8 */
	const float x[13] = {0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 5.0f, 5.01f, 100.0f,
			     INFINITY, -INFINITY, -0.26f, NAN};
	const uint8_t want[13] = {0x0, 0x2, 0x2, 0x4, 0x4, 0x6, 0x6, 0x7, 0x7,
				  0x7, 0xf, 0x9, 0x8};
	o2m_unary_params p = {13, 0, 0, 0};
	uint8_t y[13];

	(void)state;
	assert_int_equal(o2m_cast_f32_f4e2m1(&p, x, y), O2M_OK);
	for (int i = 0; i < 13; i++)
		assert_int_equal(y[i], want[i]);
}

/* Cast to the packed integers wraps as the wider integer casts do (floats truncated):
   -9 is 0b0111, 8 is 0b1000, 15 is 0b1111, -2.5 truncates to -2; 16 and -17 are 0 and
   -1 modulo 4 */
static void integer_casts_wrap(void **state)
{
	const float x[6] = {-9.0f, 8.0f, 15.0f, 7.9f, -2.5f, 3.0f};
	const int32_t i[4] = {16, -17, 5, -3};
	const int8_t want_s4[6] = {7, -8, -1, 7, -2, 3}, want_s2[4] = {0, -1, 1, 1};
	const uint8_t want_u4[6] = {7, 8, 15, 7, 14, 3}, want_u2[4] = {0, 3, 1, 1};
	o2m_unary_params p = {6, 0, 0, 0}, q = {4, 0, 0, 0};
	int8_t s4[6], s2[4];
	uint8_t u4[6], u2[4];

	(void)state;
	assert_int_equal(o2m_cast_f32_s4(&p, x, s4) | o2m_cast_f32_u4(&p, x, u4), O2M_OK);
	assert_memory_equal(s4, want_s4, sizeof s4);
	assert_memory_equal(u4, want_u4, sizeof u4);
	assert_int_equal(o2m_cast_s32_s2(&q, i, s2) | o2m_cast_s32_u2(&q, i, u2), O2M_OK);
	assert_memory_equal(s2, want_s2, sizeof s2);
	assert_memory_equal(u2, want_u2, sizeof u2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_round_trips),
		cmocka_unit_test(first_element_is_low_bits),
		cmocka_unit_test(float4_codes),
		cmocka_unit_test(float4_ties_and_saturation),
		cmocka_unit_test(integer_casts_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
