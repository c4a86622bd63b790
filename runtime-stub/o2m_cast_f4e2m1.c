/* o2m_cast_f4e2m1.c - casts from float4e2m1 (one element per byte) to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f4e2m1, uint8_t)
