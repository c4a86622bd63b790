/* o2m_q8w.h - int8 kernels with an int16 intermediate: where a quantized model computes a
   function and then averages it with no quantization between (a Tanh before an
   AveragePool), the function's result is kept as int16 with a scale 2^shift times finer
   than the average's output and zero point 0, so the average rounds once, as the float
   model does. */
#ifndef O2M_Q8W_H
#define O2M_Q8W_H

#include "o2m_q8.h"

/** y = table[x + 128]: a function of an int8 value as an int16 one. */
int o2m_q8_lut_s16(const o2m_unary_params *p, const int8_t *x, const int16_t *table,
		   int16_t *y);

/** Average pooling of int16 values whose scale is the output's divided by 2^p->shift
    (0..15, zero point 0; p->input_offset, p->mult unused): y = clamp(output_offset +
    round_half_away(sum / (count * 2^shift))), count as o2m_q8_avgpool_s8 counts it;
    the sum in int64. o2m_q8_gavgpool_s16: the whole plane as window. */
int o2m_q8_avgpool_s16(const o2m_q8_pool_params *p, const int16_t *x, int8_t *y);
int o2m_q8_gavgpool_s16(const o2m_q8_pool_params *p, const int16_t *x, int8_t *y);

#endif
