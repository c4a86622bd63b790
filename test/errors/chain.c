/* chain.c - writes a model of N nodes in a chain (Relu and Transpose by turns) on a
   [2, 2] float input: the size a planner quadratic in the graph cannot handle.
   usage: chain N OUT.onnx */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void varint(FILE *f, unsigned long long v)
{
	do {
		fputc((int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)), f);
		v >>= 7;
	} while (v);
}

/* a length-delimited field holding len bytes of p */
static void field(FILE *f, int num, const void *p, size_t len)
{
	varint(f, (unsigned long long)num << 3 | 2);
	varint(f, len);
	fwrite(p, 1, len, f);
}

/* a NodeProto: op (input) -> (output), in buf; returns its length */
static size_t node(char *buf, const char *op, const char *in, const char *out)
{
	FILE *f = fmemopen(buf, 256, "w");
	size_t n;

	field(f, 1, in, strlen(in));
	field(f, 2, out, strlen(out));
	field(f, 4, op, strlen(op));
	n = (size_t)ftell(f);
	fclose(f);
	return n;
}

/* a ValueInfoProto: name, float [2, 2] */
static size_t value_info(char *buf, const char *name)
{
	static const unsigned char type[] = {0x0a, 0x0c, 0x08, 0x01, 0x12, 0x08,
					     0x0a, 0x02, 0x08, 0x02, 0x0a, 0x02, 0x08, 0x02};
	FILE *f = fmemopen(buf, 256, "w");
	size_t n;

	field(f, 1, name, strlen(name));
	field(f, 2, type, sizeof type);
	n = (size_t)ftell(f);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[1]) : 0;
	char *graph, buf[256], in[32], out[32];
	size_t len, glen;
	FILE *g, *f;

	if (n < 1 || !(f = fopen(argv[2], "wb")))
		return 2;
	g = open_memstream(&graph, &glen);
	for (long i = 0; i < n; i++) {
		snprintf(in, sizeof in, i ? "t%ld" : "x", i);
		snprintf(out, sizeof out, i + 1 < n ? "t%ld" : "y", i + 1);
		len = node(buf, i % 2 ? "Transpose" : "Relu", in, out);
		field(g, 1, buf, len);
	}
	field(g, 2, "chain", 5);
	len = value_info(buf, "x");
	field(g, 11, buf, len);
	len = value_info(buf, "y");
	field(g, 12, buf, len);
	fclose(g);
	fputc(1 << 3, f); /* ir_version 8 */
	fputc(8, f);
	field(f, 8, "\x10\x0d", 2); /* opset_import { version: 13 } */
	field(f, 7, graph, glen);
	free(graph);
	return fclose(f) ? 2 : 0;
}
