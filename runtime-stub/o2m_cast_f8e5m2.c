/* o2m_cast_f8e5m2.c - casts from float8e5m2 to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f8e5m2, uint8_t)
