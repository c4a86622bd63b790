/* o2m_cast_u4.c - casts from uint4 (one element per byte) to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(u4, uint8_t)
