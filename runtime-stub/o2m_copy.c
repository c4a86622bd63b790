/* o2m_copy.c - strided copy and fill. The innermost dimension runs as a tight loop
   (memcpy when both sides are contiguous); outer dimensions step an index vector. */
#include "o2m_copy.h"

#include <string.h>

#define COPY_LOOP(T)                                                                  \
	do {                                                                          \
		const T *s = (const T *)src + p->src_offset;                          \
		T *d = (T *)dst + p->dst_offset;                                      \
		for (;;) {                                                            \
			if (ss == 1 && ds == 1) {                                     \
				memcpy(d + od, s + os, (size_t)n * sizeof(T));        \
			} else {                                                      \
				for (j = 0; j < n; j++)                               \
					d[od + j * ds] = s[os + j * ss];              \
			}                                                             \
			for (k = last - 1; k >= 0; k--) {                             \
				os += p->src_stride[k];                               \
				od += p->dst_stride[k];                               \
				if (++idx[k] < p->dims[k])                            \
					break;                                        \
				os -= p->src_stride[k] * p->dims[k];                  \
				od -= p->dst_stride[k] * p->dims[k];                  \
				idx[k] = 0;                                           \
			}                                                             \
			if (k < 0)                                                    \
				break;                                                \
		}                                                                     \
	} while (0)

int o2m_copy(const o2m_copy_params *p, const void *src, void *dst)
{
	int32_t idx[O2M_MAX_RANK] = {0};
	int32_t k, j, last, n, ss, ds, os = 0, od = 0;

	if (p->rank < 1 || p->rank > O2M_MAX_RANK || p->elem_size < 1)
		return O2M_ERR_ARG;
	if ((const char *)src + (int64_t)p->src_offset * p->elem_size ==
	    (const char *)dst + (int64_t)p->dst_offset * p->elem_size) {
		for (k = 0; k < p->rank && p->src_stride[k] == p->dst_stride[k]; k++)
			;
		if (k == p->rank)
			return O2M_OK; /* onto itself: nothing changes */
	}
	for (k = 0; k < p->rank; k++)
		if (p->dims[k] == 0)
			return O2M_OK;
	last = p->rank - 1;
	n = p->dims[last];
	ss = p->src_stride[last];
	ds = p->dst_stride[last];
	switch (p->elem_size) {
	case 1: COPY_LOOP(uint8_t); break;
	case 2: COPY_LOOP(uint16_t); break;
	case 4: COPY_LOOP(uint32_t); break;
	case 8: COPY_LOOP(uint64_t); break;
	default: return O2M_ERR_ARG;
	}
	return O2M_OK;
}

#define FILL_LOOP(T)                                          \
	do {                                                  \
		T v;                                          \
		memcpy(&v, value, sizeof v);                  \
		for (i = 0; i < p->count; i++)                \
			((T *)dst)[i] = v;                    \
	} while (0)

int o2m_fill(const o2m_fill_params *p, const void *value, void *dst)
{
	int32_t i;

	switch (p->elem_size) {
	case 1: FILL_LOOP(uint8_t); break;
	case 2: FILL_LOOP(uint16_t); break;
	case 4: FILL_LOOP(uint32_t); break;
	case 8: FILL_LOOP(uint64_t); break;
	default: return O2M_ERR_ARG;
	}
	return O2M_OK;
}
