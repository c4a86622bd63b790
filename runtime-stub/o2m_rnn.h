/* o2m_rnn.h - the recurrent layers LSTM, GRU and RNN as ONNX defines them: one kernel
   call runs one direction over the whole sequence, reading X, the weights and the
   optional bias, sequence lengths and initial states, and writing Y, Y_h (and Y_c). */
#ifndef O2M_RNN_H
#define O2M_RNN_H

#include "o2m_common.h"

/** One direction of a recurrent layer. Strides count elements: x_step/x_batch step X
    by one time step/batch entry, y_step/y_batch the same for Y, s_batch steps the
    state tensors (initial_h, initial_c, Y_h, Y_c) by one batch entry; the caller
    offsets every pointer to this direction's slice, so layout 0 and 1 differ only
    in strides. act/alpha/beta are the activations (O2M_ACT_RELU to
    O2M_ACT_SOFTPLUS) in ONNX order (LSTM f, g, h;
    GRU f, g; RNN f). clip > 0 bounds every activation's input to [-clip, clip];
    0 means no clip. */
typedef struct {
	int32_t seq_length;
	int32_t batch;
	int32_t input_size;
	int32_t hidden;
	int32_t reverse;              /* 1: the sequence runs from its last valid step */
	int32_t x_step, x_batch;
	int32_t y_step, y_batch;
	int32_t s_batch;
	int32_t act[3];               /* O2M_ACT_* */
	float alpha[3];
	float beta[3];
	float clip;
	int32_t input_forget;         /* LSTM: forget gate = 1 - input gate */
	int32_t linear_before_reset;  /* GRU: reset gate multiplies R_h * H + Rb_h */
} o2m_rnn_params;

/** Scratch elements of type T a kernel needs, for hidden size H. */
#define O2M_LSTM_WORK(H) (6 * (H))
#define O2M_GRU_WORK(H) (5 * (H))
#define O2M_RNN_WORK(H) (2 * (H))

/** LSTM, one direction. w: [4H, input_size] (gates i, o, f, c), r: [4H, H],
    b: [8H] or NULL, seq_lens: [batch] or NULL, h0/c0: initial states or NULL (zeros),
    peep: [3H] peepholes (i, o, f) or NULL; y, y_h, y_c may each be NULL;
    work: O2M_LSTM_WORK(hidden) elements.
    @return O2M_OK, O2M_ERR_ARG when x, w, r or work is NULL, or O2M_ERR_INDEX when a
    sequence length is outside [0, seq_length]. */
#define O2M_DECL_LSTM_(sfx, T, name)                                                     \
	int o2m_##name##_##sfx(const o2m_rnn_params *p, const T *x, const T *w, const T *r, \
			       const T *b, const int32_t *seq_lens, const T *h0, const T *c0, \
			       const T *peep, T *y, T *y_h, T *y_c, T *work);
O2M_TYPES_FLOAT(O2M_DECL_LSTM_, lstm)

/** GRU (gates z, r, h) and RNN, one direction: as LSTM without cell state and
    peepholes; w: [3H or H, input_size], r: [3H or H, H], b: [6H or 2H] or NULL;
    work: O2M_GRU_WORK(hidden) or O2M_RNN_WORK(hidden) elements.
    @return as o2m_lstm_<type>. */
#define O2M_DECL_GRU_(sfx, T, name)                                                      \
	int o2m_##name##_##sfx(const o2m_rnn_params *p, const T *x, const T *w, const T *r, \
			       const T *b, const int32_t *seq_lens, const T *h0, T *y, T *y_h, \
			       T *work);
O2M_TYPES_FLOAT(O2M_DECL_GRU_, gru)
O2M_TYPES_FLOAT(O2M_DECL_GRU_, rnn)

#endif
