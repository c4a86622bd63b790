/* o2m_cast_f8e4m3fn.c - casts from float8e4m3fn to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f8e4m3fn, uint8_t)
