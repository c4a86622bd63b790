/* o2m_mod.c - remainders: mod (sign of the divisor), fmod (sign of the dividend), with
   broadcasting, for every element type. An integer remainder by 0 is 0, and by -1 is 0
   without computing INT_MIN % -1, which traps on most targets. */
#include "o2m_binary_def.h"

O2M_TYPES_SINT(DEF_, mod, z == 0 || z == -1 ? 0 : (x % z != 0 && ((x % z < 0) != (z < 0))) ? x % z + z : x % z)
O2M_TYPES_UINT(DEF_, mod, z == 0 ? 0 : x % z)
DEF_(f32, float, fmod, fmodf(x, z))
DEF_(f64, double, fmod, fmod(x, z))
O2M_TYPES_SINT(DEF_, fmod, z == 0 || z == -1 ? 0 : x % z)
O2M_TYPES_UINT(DEF_, fmod, z == 0 ? 0 : x % z)
