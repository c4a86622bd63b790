/* accuracy.c - top-1 accuracy of the generated float and int8 code of one classifier on
   an evaluation set: argv[1] the images (raw float32, FLT_SIZE values each), argv[2] the
   labels (raw int64), argv[3] the count. The int8 code takes int8 images (quantized here
   by the scale and zero point its header gives) and returns int8 scores. Prints both
   accuracies; exits 1 when the int8 code loses more than MAX_LOSS_PP percentage points. */
#include "flt/flt.h"
#include "q8/q8.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_LOSS_PP 0.5

static int argmax(const float *v, int n)
{
	int best = 0;
	for (int i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return best;
}

/* the int8 scores, dequantizing being monotone */
static int argmax_q(const q8_out0_t *v, int n)
{
	int best = 0;
	for (int i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return best;
}

static void quantize(const float *x, q8_in0_t *q, int n)
{
	for (int i = 0; i < n; i++) {
		float r = nearbyintf(x[i] / Q8_IN0_SCALE) + (float)Q8_IN0_ZERO_POINT;
		q[i] = (q8_in0_t)(r < -128 ? -128 : r > 127 ? 127 : r);
	}
}

int main(int argc, char **argv)
{
	static float img[FLT_IN0_SIZE], out_f[FLT_OUT0_SIZE];
	static q8_in0_t img_q[Q8_IN0_SIZE];
	static q8_out0_t out_q[Q8_OUT0_SIZE];
	FILE *fi, *fl;
	int n, right_f = 0, right_q = 0;
	double acc_f, acc_q;

	if (argc != 4 || !(fi = fopen(argv[1], "rb")) || !(fl = fopen(argv[2], "rb")))
		return 2;
	n = atoi(argv[3]);
	for (int i = 0; i < n; i++) {
		int64_t label;
		if (fread(img, sizeof img, 1, fi) != 1 || fread(&label, sizeof label, 1, fl) != 1)
			return 2;
		quantize(img, img_q, Q8_IN0_SIZE);
		if (flt_run(img, out_f) || q8_run(img_q, out_q))
			return 2;
		right_f += argmax(out_f, FLT_OUT0_SIZE) == label;
		right_q += argmax_q(out_q, Q8_OUT0_SIZE) == label;
	}
	acc_f = 100.0 * right_f / n, acc_q = 100.0 * right_q / n;
	printf("accuracy on %d images: float %.2f %%, int8 %.2f %% (%+.2f points)\n", n, acc_f,
	       acc_q, acc_q - acc_f);
	return acc_f - acc_q > MAX_LOSS_PP ? 1 : 0;
}
