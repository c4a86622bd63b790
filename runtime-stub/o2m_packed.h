/* o2m_packed.h - the ONNX sub-byte element types int4, uint4, int2, uint2 and float4e2m1,
   held one element per byte (int8_t, uint8_t, and uint8_t bit patterns for float4e2m1):
   packing to and from the ONNX storage (element i in bits (i * bits) % 8 of byte
   i * bits / 8, the lowest first, the last byte padded with zeros), integers wrapped to
   the integer types as Cast does, and float4e2m1 (S.EE.M, bias 1, no infinity or NaN) to
   and from float. */
#ifndef O2M_PACKED_H
#define O2M_PACKED_H

#include "o2m_common.h"

#include <math.h>

/** Bytes of n packed elements of `bits` bits. */
static inline int64_t o2m_packed_bytes(int64_t n, int bits) { return (n * bits + 7) / 8; }

/** Element i of a packed array, zero- or sign-extended. */
static inline int32_t o2m_unpack_elem(const uint8_t *src, int64_t i, int bits, int is_signed)
{
	const int per = 8 / bits;
	const uint32_t v = (uint32_t)(src[i / per] >> (i % per * bits)) & ((1u << bits) - 1u);

	return is_signed && v >> (bits - 1) ? (int32_t)v - (1 << bits) : (int32_t)v;
}

/** Unpacks n elements to one per byte (two's complement for signed types). */
static inline void o2m_unpack(const uint8_t *src, uint8_t *dst, int64_t n, int bits,
			      int is_signed)
{
	int64_t i;

	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)o2m_unpack_elem(src, i, bits, is_signed);
}

/** Packs n elements, one per byte, keeping each one's low `bits` bits. */
static inline void o2m_pack(const uint8_t *src, uint8_t *dst, int64_t n, int bits)
{
	const int per = 8 / bits;
	int64_t i;

	for (i = 0; i < o2m_packed_bytes(n, bits); i++)
		dst[i] = 0;
	for (i = 0; i < n; i++)
		dst[i / per] |= (uint8_t)((src[i] & ((1u << bits) - 1u)) << (i % per * bits));
}

/** v wrapped to a `bits`-bit integer (two's complement when signed), as ONNX casts
    integers to the packed types. */
static inline int32_t o2m_wrap_bits(int64_t v, int bits, int is_signed)
{
	const uint32_t u = (uint32_t)((uint64_t)v & ((1u << bits) - 1u));

	return is_signed && u >> (bits - 1) ? (int32_t)u - (1 << bits) : (int32_t)u;
}

/** float4e2m1 bits (low nibble) to float, exactly. */
static inline float o2m_f4e2m1_to_f32(uint8_t v)
{
	static const float mag[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

	return v & 8 ? -mag[v & 7] : mag[v & 7];
}

/** double to float4e2m1 bits, rounding to nearest even and saturating to +-6 (infinities
    too); NaN, which the type lacks, becomes 0x8 (-0), as the ONNX test data has it. */
static inline uint8_t o2m_f64_to_f4e2m1(double w)
{
	const uint8_t sign = signbit(w) ? 8 : 0;
	const double a = fabs(w);
	uint8_t m;

	if (w != w)
		return 8;
	if (a > 5.0)
		m = 7;
	else if (a >= 3.5)
		m = 6; /* 5.0 ties to 4 (mantissa 0) */
	else if (a > 2.5)
		m = 5;
	else if (a >= 1.75)
		m = 4;
	else if (a > 1.25)
		m = 3;
	else if (a >= 0.75)
		m = 2;
	else if (a > 0.25)
		m = 1;
	else
		m = 0;
	return (uint8_t)(sign | m);
}

#endif
