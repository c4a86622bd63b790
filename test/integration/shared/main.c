/* main.c - two different models sharing one runtime in one program: kws is
   y = relu(x + [0..5]) (test/errors/good.onnx), vad is y = relu(x)
   (test/errors/symbolic.onnx with batch=1, seq=2). */
#include "kws.h"
#include "vad.h"

#include <stdio.h>

int main(void)
{
	static const float x[6] = {-3, -2, -1, 0, 1, 2};
	float k[6], v[6];
	int i;

	if (kws_run(x, k) || vad_run(x, v))
		return 1;
	for (i = 0; i < 6; i++)
		if (k[i] != (x[i] + (float)i > 0 ? x[i] + (float)i : 0) || v[i] != (x[i] > 0 ? x[i] : 0))
			return 2;
	puts("shared: kws and vad give the expected outputs");
	return 0;
}
