/* value.c - reads the test data of sequence and optional values: a SequenceProto or an
   OptionalProto file (onnx-data.proto) holding tensors. Those messages are not in the
   onnx.proto the bindings are generated from, so their few fields are decoded here from
   the protobuf wire format; each tensor in them is a TensorProto. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { ELEM_NONE = 0, ELEM_TENSOR = 1, ELEM_SEQUENCE = 3 }; /* {Sequence,Optional}Proto.DataType */

typedef struct {
	const uint8_t *p, *end;
} Wire;

typedef struct {
	int field, type;   /* wire type 0: varint in v; 2: bytes in b, n */
	uint64_t v;
	const uint8_t *b;
	size_t n;
} Field;

static int varint(Wire *w, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; w->p < w->end && shift < 64; shift += 7) {
		uint8_t c = *w->p++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* the next field; 1 at the end, -1 on malformed input */
static int next_field(Wire *w, Field *f)
{
	uint64_t key, len;

	if (w->p == w->end)
		return 1;
	if (varint(w, &key) || key >> 3 > INT32_MAX)
		return -1;
	f->field = (int)(key >> 3);
	f->type = (int)(key & 7);
	switch (f->type) {
	case 0: return varint(w, &f->v);
	case 1: len = 8; break;
	case 5: len = 4; break;
	case 2:
		if (varint(w, &len))
			return -1;
		break;
	default: return -1;
	}
	if (len > (uint64_t)(w->end - w->p))
		return -1;
	f->b = w->p;
	f->n = (size_t)len;
	w->p += len;
	return 0;
}

static int add_tensor(OnnxValue *v, const Field *f, const char *dir, char *err, size_t errlen)
{
	Onnx__TensorProto *tp = onnx__tensor_proto__unpack(NULL, f->n, f->b);
	OnnxTensor *nt = realloc(v->t, sizeof *nt * (size_t)(v->n + 1));
	int rc;

	if (!nt || !tp) {
		if (nt)
			v->t = nt;
		if (tp)
			onnx__tensor_proto__free_unpacked(tp, NULL);
		snprintf(err, errlen, "a tensor in it does not parse");
		return -1;
	}
	v->t = nt;
	rc = tp_decode(tp, dir, &v->t[v->n], err, errlen);
	onnx__tensor_proto__free_unpacked(tp, NULL);
	v->n += rc == 0;
	return rc;
}

/* SequenceProto: elem_type (2) and tensor_values (3) */
static int read_sequence(Wire w, OnnxValue *v, const char *dir, char *err, size_t errlen)
{
	Field f;
	int rc;

	while ((rc = next_field(&w, &f)) == 0) {
		if (f.field == 2 && f.type == 0 && f.v != ELEM_TENSOR && f.v != ELEM_NONE) {
			snprintf(err, errlen, "a sequence of sequences, maps or optionals is not "
				 "supported");
			return -1;
		}
		if (f.field == 3 && f.type == 2 && add_tensor(v, &f, dir, err, errlen))
			return -1;
	}
	if (rc < 0)
		snprintf(err, errlen, "not a serialized ONNX SequenceProto");
	return rc < 0 ? -1 : 0;
}

/* OptionalProto: elem_type (2), tensor_value (3), sequence_value (5) */
static int read_optional(Wire w, OnnxValue *v, const char *dir, char *err, size_t errlen)
{
	Field f;
	int rc;

	v->elem = V_TENSOR;
	while ((rc = next_field(&w, &f)) == 0) {
		if (f.field == 2 && f.type == 0 && f.v == ELEM_SEQUENCE)
			v->elem = V_SEQ;
		if (f.field == 3 && f.type == 2) {
			v->present = 1;
			if (add_tensor(v, &f, dir, err, errlen))
				return -1;
		}
		if (f.field == 5 && f.type == 2) {
			v->present = 1;
			v->elem = V_SEQ;
			if (read_sequence((Wire){f.b, f.b + f.n}, v, dir, err, errlen))
				return -1;
		}
	}
	if (rc < 0)
		snprintf(err, errlen, "not a serialized ONNX OptionalProto");
	return rc < 0 ? -1 : 0;
}

void onnx_value_free(OnnxValue *v)
{
	for (int i = 0; i < v->n; i++)
		onnx_tensor_free(&v->t[i]);
	free(v->t);
	memset(v, 0, sizeof *v);
}

int onnx_value_read(const char *path, ValueKind kind, OnnxValue *v, char *err, size_t errlen)
{
	char dir[4096], why[512] = "";
	const char *slash = strrchr(path, '/');
	unsigned char *buf;
	size_t len;
	int rc;

	memset(v, 0, sizeof *v);
	v->kind = kind;
	if (kind == V_TENSOR) {
		v->t = calloc(1, sizeof *v->t);
		v->n = v->t && onnx_tensor_read(path, v->t, err, errlen) == 0;
		v->present = 1;
		return v->n ? 0 : -1;
	}
	buf = read_file(path, &len, err, errlen);
	if (!buf)
		return -1;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	rc = kind == V_SEQ ? read_sequence((Wire){buf, buf + len}, v, dir, why, sizeof why)
			   : read_optional((Wire){buf, buf + len}, v, dir, why, sizeof why);
	v->present |= kind == V_SEQ;
	free(buf);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why);
		onnx_value_free(v);
	}
	return rc;
}
