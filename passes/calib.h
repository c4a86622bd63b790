/* calib.h - post-training quantization by calibration (passes/calib.c): a float model
   and sample inputs become a QDQ model the quant pass compiles to integer ops. */
#ifndef CALIB_H
#define CALIB_H

#include "passes.h"

typedef enum { CAL_MINMAX, CAL_PERCENTILE, CAL_ENTROPY, CAL_MSE } CalMethod;

/* a method for one tensor (by its name in the float model) */
typedef struct {
	const char *tensor;
	CalMethod method;
	double percentile;
} CalibTensor;

typedef struct {
	CalMethod method;
	double percentile; /* CAL_PERCENTILE: the share of values kept, e.g. 99.99 */
	CalibTensor *per_tensor; /* overrides of method and percentile */
	int nper_tensor;
	int a16;           /* 1: int16 activations, symmetric (--quantize a16w8); 0: int8 */
	int io_float;      /* 1: float inputs and outputs converted inside the generated code;
			      0: int8 (int16) ones, their scale and zero point in the header */
	const char **keep_float; /* nodes that stay float (by ONNX name) */
	int nkeep_float;
	const char **a16_nodes;  /* nodes whose activations are int16 in an int8 model */
	int na16_nodes;
} CalibOptions;

/* sample i's input values, one pointer per g->inputs (in ONNX order) */
typedef const void *const *(*CalibSample)(void *ctx, int i);

/* Runs g (as loaded) through the pipeline's simplifications, evaluates it on nsamples
   samples and gives every float activation a QuantizeLinear/DequantizeLinear pair of
   int8 parameters (asymmetric, per tensor; with a16, int16 ones, symmetric) over the range the method chooses. 0, or -1
   after errors reported on g. *float_out, when not NULL, receives the simplified float
   graph, lowered (ir_run can evaluate it; it shares g's constants, so the caller frees it
   before g). */
int calib_quantize(Graph *g, const PassOptions *popt, const CalibOptions *co, CalibSample next,
		   void *ctx, int nsamples, Graph **float_out);

#endif
