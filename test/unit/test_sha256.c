/* test_sha256.c - the SHA-256 of frontend/sha256.c against the FIPS 180-4 examples and
   known digests: the empty string, "abc", the two-block message, a million 'a's (fed
   in pieces that cross block edges), lengths around the padding edge (55, 56, 64), and
   sha256_file agreeing with sha256_hex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../frontend/onnx.h"

static void check(const char *msg, size_t n, const char *want)
{
	char hex[65];
	sha256_hex(msg, n, hex);
	assert_string_equal(hex, want);
}

static void fips_examples(void **state)
{
	(void)state;
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* the padding edge: 55 bytes fit one block with the length, 56 need a second */
static void padding_edges(void **state)
{
	char a[64];
	(void)state;
	memset(a, 'a', sizeof a);
	check(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check(a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void file_matches_buffer(void **state)
{
	const char *path = "build/test/sha256.tmp";
	size_t n = 1000000;
	char *a = malloc(n), hex[65];
	FILE *f = fopen(path, "wb");
	(void)state;
	assert_non_null(a);
	assert_non_null(f);
	memset(a, 'a', n);
	assert_int_equal(fwrite(a, 1, n, f), n);
	fclose(f);
	assert_int_equal(sha256_file(path, hex), 0);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	check(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	assert_int_equal(sha256_file("build/test/no-such-file", hex), -1);
	remove(path);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fips_examples),
		cmocka_unit_test(padding_edges),
		cmocka_unit_test(file_matches_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
