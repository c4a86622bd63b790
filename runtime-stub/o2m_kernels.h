/* o2m_kernels.h - every kernel header of the runtime stub, for programs that link the
   whole stub (the compiler's host evaluator, tests). Generated code includes only the
   headers it uses. */
#ifndef O2M_KERNELS_H
#define O2M_KERNELS_H

#include "o2m_act.h"
#include "o2m_binary.h"
#include "o2m_cast.h"
#include "o2m_compare.h"
#include "o2m_copy.h"
#include "o2m_geom.h"
#include "o2m_unary.h"
/* reduce */
#include "o2m_reduce.h"

/* conv */
#include "o2m_conv.h"
#include "o2m_pool.h"

/* matmul */
#include "o2m_matmul.h"
#include "o2m_norm.h"

/* index */
#include "o2m_index.h"

/* resize */
#include "o2m_resize.h"

/* rnn */
#include "o2m_rnn.h"

/* quant */
#include "o2m_quant.h"
#include "o2m_q8.h"
#include "o2m_q8x.h"
#include "o2m_q8w.h"
#include "o2m_q16.h"

/* extra */
#include "o2m_attention.h"
#include "o2m_extra.h"
#include "o2m_loss.h"
#include "o2m_signal.h"


#endif
