/* shared.c - firmware example of two models sharing one arena: both compiled with
   `--arena extern` (prefixes a and b), run one after the other (a, b, a) on inputs
   embedded in flash, each through NAME_run_with and the same buffer, as big as the
   larger of the two. Prints every output value and the RAM saved. */
#include "a.h"
#include "b.h"
#include "input_a.h" /* static const float a_input[]: onnx2mcu tensor --c */
#include "input_b.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if A_INPUT_COUNT != 1 || A_OUTPUT_COUNT != 1 || B_INPUT_COUNT != 1 || B_OUTPUT_COUNT != 1
#error "this example takes two models with one input and one output each"
#endif
#if A_ARENA_ALIGN > 8 || B_ARENA_ALIGN > 8
#error "the shared arena is uint64_t: 8-byte aligned"
#endif

#ifndef SHARED_ARENA_ATTR /* e.g. __attribute__((section(".model_arena"))) */
#define SHARED_ARENA_ATTR
#endif
#define MAX(x, y) ((x) > (y) ? (x) : (y))
#define SHARED_SIZE MAX(A_ARENA_SIZE, B_ARENA_SIZE)

static uint64_t arena[(SHARED_SIZE + 7) / 8 + !SHARED_SIZE] SHARED_ARENA_ATTR; /* never [0] */
static a_out0_t a_out[2][A_OUT0_SIZE];
static b_out0_t b_out[B_OUT0_SIZE];

int main(void)
{
	int rc = a_run_with(arena, a_input, a_out[0]);

	rc = rc ? rc : b_run_with(arena, b_input, b_out);
	rc = rc ? rc : a_run_with(arena, a_input, a_out[1]); /* after b overwrote the arena */
	if (rc) {
		printf("run_with failed: %d\n", rc);
		return 1;
	}
	if (memcmp(a_out[0], a_out[1], sizeof a_out[0])) {
		printf("a's second run differs from its first\n");
		return 1;
	}
	for (long i = 0; i < (long)A_OUT0_SIZE; i++)
		printf("a.out0[%ld] = %.9g\n", i, (double)a_out[0][i]);
	for (long i = 0; i < (long)B_OUT0_SIZE; i++)
		printf("b.out0[%ld] = %.9g\n", i, (double)b_out[i]);
	printf("arena %d bytes shared, %d + %d = %d apart\n", (int)SHARED_SIZE, A_ARENA_SIZE,
	       B_ARENA_SIZE, A_ARENA_SIZE + B_ARENA_SIZE);
	return 0;
}
