/* main.c - the application of the build-system recipes: calls the model the build
   generated (kws: y = relu(x + [0..5]), test/errors/good.onnx) and checks its output. */
#include "kws.h"

#include <stdio.h>

int main(void)
{
	static const float x[6] = {-3, -2, -1, 0, 1, 2};
	float y[6];

	if (kws_run(x, y))
		return 1;
	for (int i = 0; i < 6; i++)
		if (y[i] != (x[i] + (float)i > 0 ? x[i] + (float)i : 0))
			return 2;
	printf("integration: kws_run gives the expected output (arena %d bytes)\n",
	       KWS_ARENA_SIZE);
	return 0;
}
