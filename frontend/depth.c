/* depth.c - how deep the messages of a serialized protobuf nest, read from the wire
   format with the message descriptors and an explicit stack: protobuf-c unpacks nested
   messages by recursion, so a hostile file thousands of levels deep would overflow the
   stack before the loader sees it. Checked before every unpack of a model. */
#include "internal.h"

#include <stdlib.h>

typedef struct {
	const ProtobufCMessageDescriptor *d;
	size_t end;
} Frame;

static int varint(const uint8_t *p, size_t end, size_t *pos, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *pos < end && shift < 64; shift += 7) {
		uint8_t c = p[(*pos)++];
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* 1 when the messages in p[0..len), a message of type d, nest deeper than max levels
   (d's own being the first); 0 otherwise, malformed input included (the unpack that
   follows reports it) */
int onnx_wire_too_deep(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int max)
{
	Frame *st = malloc(sizeof *st * (size_t)max);
	size_t pos = 0;
	uint64_t key, n;
	int top = 0, deep = 0;

	if (!st)
		return 1;
	st[0] = (Frame){d, len};
	for (;;) {
		const ProtobufCFieldDescriptor *f;
		while (top >= 0 && pos >= st[top].end)
			top--;
		if (top < 0 || varint(p, st[top].end, &pos, &key))
			break;
		switch (key & 7) {
		case 0: if (varint(p, st[top].end, &pos, &n)) goto done; continue;
		case 1: n = 8; break;
		case 5: n = 4; break;
		case 2: if (varint(p, st[top].end, &pos, &n)) goto done; break;
		default: goto done; /* groups: not in ONNX */
		}
		if (n > st[top].end - pos)
			break;
		f = (key & 7) == 2 && key >> 3 <= UINT32_MAX
			    ? protobuf_c_message_descriptor_get_field(st[top].d, (unsigned)(key >> 3))
			    : NULL;
		if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE) {
			pos += n;
			continue;
		}
		if (top + 1 >= max) {
			deep = 1;
			break;
		}
		st[++top] = (Frame){f->descriptor, pos + n};
	}
done:
	free(st);
	return deep;
}
