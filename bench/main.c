/* main.c - the benchmark driver: one inference of a model compiled by onnx2mcu (-n model)
   on an emulated Cortex-M under m4run, counted between bench_begin() and bench_end().
   Prints the stack the inference used (painted below the caller's frame) and the
   largest error against the reference output. With -DBENCH_NODES=FIRST every node from
   the FIRST-th kernel call on is its own region (50 at most: what m4run lists), through
   the generated code's trace hook (-DMODEL_TRACE_HOOK), and "node K" lines name them.
   -DBENCH_ATOL=A checks |out - expected| <= A instead (a quantized model: one step). */
#include "bench.h"
#include "expected.h" /* static const float model_expected[]: onnx2mcu tensor --c */
#include "input.h"    /* static const model_in0_t model_input[] */
#include "model.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#if MODEL_INPUT_COUNT != 1 || MODEL_OUTPUT_COUNT != 1
#error "the benchmark takes models with one input and one output"
#endif

#define PAINT 0xdeadbeefu

static model_out0_t out0[MODEL_OUT0_SIZE];
extern uint32_t __stack_limit[]; /* m4run's linker script: the lowest stack address */

#ifdef BENCH_NODES
#define MAX_NODES 50
static int nodes[MAX_NODES], nnodes, calls, last = -1;

/* after node `node`: close its region and open the next one */
void model_trace(int node, const char *tensor, const void *data, long bytes)
{
	(void)tensor, (void)data, (void)bytes;
	if (node == last) /* a second output of the same node */
		return;
	last = node;
	if (calls++ < BENCH_NODES) {
		bench_begin(); /* restarts the region: it opens after this node */
		return;
	}
	if (nnodes < MAX_NODES) {
		bench_end();
		nodes[nnodes++] = node;
		bench_begin();
	}
}
#endif

/* fills the free stack below this frame with PAINT */
static void __attribute__((noinline)) paint(void)
{
	volatile uint32_t here = 0, *p = __stack_limit;
	const uintptr_t top = (uintptr_t)&here - 256; /* leave this frame and main's alone */

	while ((uintptr_t)p < top)
		*p++ = PAINT;
}

/* bytes of stack below main's frame written since paint() */
static unsigned long __attribute__((noinline)) stack_used(void)
{
	volatile uint32_t here = 0;
	const uint32_t *p = __stack_limit;

	while (p < &here && *p == PAINT)
		p++;
	return (unsigned long)((uintptr_t)&here - (uintptr_t)p);
}

int main(void)
{
	unsigned long stack;
	double err = 0, tol_excess = 0;
	int rc, i;

	paint();
	bench_begin();
	rc = model_run(model_input, out0);
	bench_end();
	stack = stack_used();
	if (rc) {
		printf("model_run failed: %d\n", rc);
		return 1;
	}
	for (i = 0; i < MODEL_OUT0_SIZE; i++) {
		double d = fabs((double)out0[i] - (double)model_expected[i]);
#ifdef BENCH_ATOL
		double t = BENCH_ATOL;
#else
		double t = 1e-4 + 1e-3 * fabs((double)model_expected[i]);
#endif
		err = d > err ? d : err;
		tol_excess = d - t > tol_excess ? d - t : tol_excess;
	}
	printf("bench: stack %lu arena %d max_err %.3g %s\n", stack, MODEL_ARENA_SIZE, err,
	       tol_excess > 0 ? "MISMATCH" : "ok");
#ifdef BENCH_NODES
	for (i = 0; i < nnodes; i++)
		printf("node %d\n", nodes[i]);
#endif
	return tol_excess > 0 ? 4 : 0;
}
