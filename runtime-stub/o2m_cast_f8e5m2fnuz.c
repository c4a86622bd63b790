/* o2m_cast_f8e5m2fnuz.c - casts from float8e5m2fnuz to every type. */
#include "o2m_cast_def.h"

DEF_CAST_FROM_(f8e5m2fnuz, uint8_t)
