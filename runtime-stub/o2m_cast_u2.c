/* o2m_cast_u2.c - casts from uint2 (one element per byte) to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(u2, uint8_t)
