/* host.c - the benchmark's host timing: runs one model compiled by onnx2mcu (-n model)
   on the build machine, REPS inferences per sample, and prints the fastest sample's
   time per inference in microseconds ("host_us: T"). Taken as a minimum because the
   machine is shared and noisy; compare runs of one invocation only. */
#define _POSIX_C_SOURCE 200809L
#include "input.h" /* static const model_in0_t model_input[] */
#include "model.h"

#include <stdio.h>
#include <time.h>

#define REPS 20
#define SAMPLES 7

static model_out0_t out0[MODEL_OUT0_SIZE];

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
	double best = 1e30;

	for (int s = 0; s < SAMPLES; s++) {
		double t0 = now(), t;
		for (int i = 0; i < REPS; i++)
			if (model_run(model_input, out0))
				return 1;
		t = (now() - t0) / REPS;
		best = t < best ? t : best;
	}
	printf("host_us: %.1f\n", best * 1e6);
	return 0;
}
