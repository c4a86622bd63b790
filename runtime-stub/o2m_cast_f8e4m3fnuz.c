/* o2m_cast_f8e4m3fnuz.c - casts from float8e4m3fnuz to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f8e4m3fnuz, uint8_t)
