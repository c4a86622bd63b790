/* o2m_cast_s2.c - casts from int2 (one element per byte) to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(s2, int8_t)
