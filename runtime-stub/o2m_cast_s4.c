/* o2m_cast_s4.c - casts from int4 (one element per byte) to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(s4, int8_t)
