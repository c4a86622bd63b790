/* test_place.c - arena placement (passes/place.c): no two buffers live at one step
   share a byte, offsets are aligned, the arena never goes below the live peak and
   reaches it where greedy largest-first left gaps, the exact search is optimal on
   small sets (against brute force), the pieces of a growing buffer share one offset,
   and the result does not vary between runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"

static int64_t al(int64_t n)
{
	return (n + 7) / 8 * 8;
}

/* every offset aligned, inside the arena; no overlap between buffers live together */
static void assert_valid(const PlaceBuf *b, int n, int64_t arena)
{
	assert_true(arena % 8 == 0);
	for (int i = 0; i < n; i++) {
		assert_true(b[i].offset % 8 == 0 && b[i].offset >= 0);
		assert_true(b[i].offset + b[i].size <= arena);
		for (int j = i + 1; j < n; j++)
			if (b[i].first <= b[j].last && b[j].first <= b[i].last && b[i].size && b[j].size &&
			    b[i].offset < b[j].offset + b[j].size && b[j].offset < b[i].offset + b[i].size)
				fail_msg("buffers %d and %d overlap", i, j);
	}
}

static void live_peak_sums_aligned_sizes(void **state)
{
	PlaceBuf b[] = {{100, 0, 0, 2}, {5, 0, 1, 1}, {64, 0, 3, 4}, {8, 0, 2, 3}};
	(void)state;
	assert_int_equal(place_live_peak(b, 4), 104 + 8); /* 100 and 5, or 100 and 8 */
	assert_int_equal(place_live_peak(b, 0), 0);
}

/* fc_autoencoder_ad's chain: 512-byte layers, each read by the next, and a 32-byte
   bottleneck. Largest first puts the 512s at alternating offsets on each side of the
   bottleneck, which then only fits above them (1056 bytes). Repeated four times it has
   too many buffers for the exact search: a greedy strategy must find 1024. */
static void chain_with_bottleneck_reaches_peak(void **state)
{
	static const int size[9] = {512, 512, 512, 512, 32, 512, 512, 512, 512};
	PlaceBuf b[36];
	int64_t peak, arena;
	(void)state;
	for (int r = 0; r < 4; r++)
		for (int i = 0; i < 9; i++)
			b[9 * r + i] = (PlaceBuf){size[i], 0, 10 * r + i, 10 * r + i + 1};
	arena = place_buffers(b, 36, &peak);
	assert_int_equal(peak, 1024);
	assert_int_equal(arena, 1024);
	assert_valid(b, 36, arena);
}

/* a set where all greedy strategies need 64 bytes; the exact search finds 56, the peak */
static void exact_search_reaches_peak(void **state)
{
	PlaceBuf b[] = {{16, 0, 1, 3}, {24, 0, 0, 1}, {16, 0, 1, 1},
			{24, 0, 4, 4}, {24, 0, 5, 6}, {32, 0, 2, 4}};
	int64_t peak, arena = place_buffers(b, 6, &peak);
	(void)state;
	assert_int_equal(peak, 56);
	assert_int_equal(arena, 56);
	assert_valid(b, 6, arena);
}

static unsigned long long seed = 88172645463325252ull;

static unsigned rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)seed;
}

/* can the buffers from k on fit below `limit`, the ones before k where they are? */
static int fits_below(PlaceBuf *b, int n, int k, int64_t limit)
{
	if (k == n)
		return 1;
	for (int64_t o = 0; o + al(b[k].size) <= limit; o += 8) {
		int ok = 1;
		for (int j = 0; j < k && ok; j++)
			ok = !(b[j].first <= b[k].last && b[k].first <= b[j].last &&
			       o < b[j].offset + b[j].size && b[j].offset < o + b[k].size);
		b[k].offset = o;
		if (ok && fits_below(b, n, k + 1, limit))
			return 1;
	}
	return 0;
}

/* small random sets: valid, at least the peak, and no placement below it exists */
static void small_sets_are_optimal(void **state)
{
	(void)state;
	for (int it = 0; it < 300; it++) {
		PlaceBuf b[5] = {{0}}, c[5];
		int n = 2 + (int)(rnd() % 4);
		int64_t peak, arena;
		for (int i = 0; i < n; i++) {
			b[i].size = 1 + rnd() % 24;
			b[i].first = (int)(rnd() % 5);
			b[i].last = b[i].first + (int)(rnd() % 3);
			b[i].offset = 0;
		}
		memcpy(c, b, sizeof b);
		arena = place_buffers(b, n, &peak);
		assert_valid(b, n, arena);
		assert_true(arena >= peak);
		if (arena > peak && fits_below(c, n, 0, arena - 8))
			fail_msg("set %d: arena %lld, a smaller placement exists", it, (long long)arena);
	}
}

/* larger random sets (greedy only above 24 buffers, one strategy above 5000): valid,
   at least the peak, and the same offsets every run */
static void large_sets_are_valid_and_deterministic(void **state)
{
	static const int sizes[] = {10, 40, 200, 6000};
	(void)state;
	for (int s = 0; s < 4; s++) {
		int n = sizes[s];
		PlaceBuf *b = malloc(sizeof *b * (size_t)n), *c = malloc(sizeof *c * (size_t)n);
		int64_t peak, arena;
		assert_non_null(b);
		assert_non_null(c);
		for (int i = 0; i < n; i++) {
			b[i].size = 1 + rnd() % 1000;
			b[i].first = i / 2 + (int)(rnd() % 4);
			b[i].last = b[i].first + (int)(rnd() % 6);
			b[i].offset = 0;
			b[i].with = 0;
		}
		memcpy(c, b, sizeof *b * (size_t)n);
		arena = place_buffers(b, n, &peak);
		assert_valid(b, n, arena);
		assert_true(arena >= peak);
		assert_int_equal(place_buffers(c, n, NULL), arena);
		for (int i = 0; i < n; i++)
			assert_int_equal(b[i].offset, c[i].offset);
		free(b);
		free(c);
	}
}

/* Pieces of growing buffers (each next piece starting after the one before ends) get one
   offset, and the placement stays valid, deterministic and at least the live peak. */
static void pieces_share_an_offset(void **state)
{
	(void)state;
	for (int t = 0; t < 200; t++) {
		int n = 2 + (int)(rnd() % 60), head = 0;
		PlaceBuf *b = malloc(sizeof *b * (size_t)n), *c = malloc(sizeof *c * (size_t)n);
		int64_t peak, arena;
		assert_non_null(b);
		assert_non_null(c);
		for (int i = 0; i < n; i++) {
			b[i].size = 1 + rnd() % 500;
			b[i].first = i / 2 + (int)(rnd() % 4);
			b[i].last = b[i].first + (int)(rnd() % 6);
			b[i].offset = 0;
			b[i].with = 0;
			if (i && rnd() % 3 == 0) { /* a piece of the buffer before */
				const PlaceBuf *prev = &b[i - 1];
				b[i].with = 1 + (prev->with ? prev->with - 1 : i - 1);
				b[i].first = prev->last + 1;
				b[i].last = b[i].first + (int)(rnd() % 6);
				b[i].size = prev->size + rnd() % 300;
			}
		}
		memcpy(c, b, sizeof *b * (size_t)n);
		arena = place_buffers(b, n, &peak);
		assert_valid(b, n, arena);
		assert_true(arena >= peak);
		for (int i = 0; i < n; i++) {
			if (!b[i].with)
				head = i;
			assert_int_equal(b[i].offset, b[b[i].with ? b[i].with - 1 : i].offset);
			assert_true(!b[i].with || b[i].with - 1 == head);
		}
		assert_int_equal(place_buffers(c, n, NULL), arena);
		for (int i = 0; i < n; i++)
			assert_int_equal(b[i].offset, c[i].offset);
		free(b);
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_peak_sums_aligned_sizes),
		cmocka_unit_test(chain_with_bottleneck_reaches_peak),
		cmocka_unit_test(exact_search_reaches_peak),
		cmocka_unit_test(small_sets_are_optimal),
		cmocka_unit_test(large_sets_are_valid_and_deterministic),
		cmocka_unit_test(pieces_share_an_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
