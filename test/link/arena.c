/* arena.c - two models compiled with --arena extern (prefixes kws and ae) in one program,
   sharing one static buffer: run kws, ae, kws; every output must match its reference
   (|got - ref| <= 1e-4 + 1e-3 |ref|, as validate), and the second kws run the first bit
   for bit although ae overwrote the arena in between.
   usage: arena KWS_IN.bin KWS_REF.bin AE_IN.bin AE_REF.bin (raw float32) */
#include "ae.h"
#include "kws.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define SHARED_SIZE MAX(KWS_ARENA_SIZE, AE_ARENA_SIZE)

typedef char align_check[KWS_ARENA_ALIGN <= 8 && AE_ARENA_ALIGN <= 8 ? 1 : -1];
static uint64_t arena[(SHARED_SIZE + 7) / 8];

static float kws_in[KWS_IN0_SIZE], kws_ref[KWS_OUT0_SIZE], kws_out[2][KWS_OUT0_SIZE];
static float ae_in[AE_IN0_SIZE], ae_ref[AE_OUT0_SIZE], ae_out[AE_OUT0_SIZE];

static int load(const char *path, float *v, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(v, sizeof *v, n, f) : 0;

	if (f)
		fclose(f);
	if (got != n)
		fprintf(stderr, "arena: %s: want %zu floats\n", path, n);
	return got == n ? 0 : -1;
}

static int check(const char *what, const float *got, const float *ref, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(fabsf(got[i] - ref[i]) <= 1e-4f + 1e-3f * fabsf(ref[i]))) {
			fprintf(stderr, "arena: %s[%zu] = %.9g, reference %.9g\n", what, i,
				(double)got[i], (double)ref[i]);
			return -1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5 || load(argv[1], kws_in, KWS_IN0_SIZE) ||
	    load(argv[2], kws_ref, KWS_OUT0_SIZE) || load(argv[3], ae_in, AE_IN0_SIZE) ||
	    load(argv[4], ae_ref, AE_OUT0_SIZE))
		return 1;
	if (kws_run_with(arena, kws_in, kws_out[0]) || ae_run_with(arena, ae_in, ae_out) ||
	    kws_run_with(arena, kws_in, kws_out[1]))
		return 2;
	if (check("kws", kws_out[0], kws_ref, KWS_OUT0_SIZE) ||
	    check("ae", ae_out, ae_ref, AE_OUT0_SIZE) ||
	    memcmp(kws_out[0], kws_out[1], sizeof kws_out[0]))
		return 3;
	if (kws_run_with((char *)arena + 4, kws_in, kws_out[0]) != 1) /* misaligned */
		return 4;
	printf("link: kws and ae share one %d-byte arena (%d + %d apart); kws, ae, kws match\n",
	       (int)SHARED_SIZE, KWS_ARENA_SIZE, AE_ARENA_SIZE);
	return 0;
}
