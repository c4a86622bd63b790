/* o2m_cast_f8e8m0.c - casts from float8e8m0 to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f8e8m0, uint8_t)
