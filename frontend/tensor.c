/* tensor.c - TensorProto to dense row-major data: raw_data, the typed repeated fields and
   external data files next to the model; plus reading and writing .pb tensor files. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "internal.h"

#include "../runtime-stub/o2m_packed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;
		if (n == cap) {
			unsigned char *nb;
			cap = cap ? 2 * cap : 1 << 16;
			nb = realloc(buf, cap);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static const char *ext_value(const Onnx__TensorProto *tp, const char *key)
{
	for (size_t i = 0; i < tp->n_external_data; i++)
		if (tp->external_data[i]->key && !strcmp(tp->external_data[i]->key, key))
			return tp->external_data[i]->value;
	return NULL;
}

/* an offset or length of external data: decimal and >= 0; 0 when absent */
static int ext_size(const char *v, long long *out)
{
	char *end;

	*out = 0;
	if (!v)
		return 0;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return end == v || *end || *out < 0 || errno ? -1 : 0;
}

/* a location inside the model's folder: relative, with no ".." component */
static int ext_inside(const char *loc)
{
	if (!loc || !*loc || loc[0] == '/')
		return 0;
	for (const char *p = loc; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))
			return 0;
	return 1;
}

/* path, symbolic links followed, is inside dir: a model cannot make the compiler read
   (and embed in the generated code) files it was not given */
static int resolves_inside(const char *dir, const char *path)
{
	char *d = realpath(dir, NULL), *p = realpath(path, NULL);
	size_t n = d ? strlen(d) : 0;
	int ok = d && p && !strncmp(d, p, n) && (p[n] == '/' || !strcmp(d, "/"));

	free(d);
	free(p);
	return ok;
}

/* the offset of external data; -1 and a message if it or the length is not a size or
   the length is not the tensor's */
static int ext_range(const Onnx__TensorProto *tp, long long *offset, size_t bytes, char *err,
		     size_t errlen)
{
	const char *name = tp->name ? tp->name : "", *off = ext_value(tp, "offset");
	const char *len = ext_value(tp, "length"), *bad;
	long long n;

	bad = ext_size(off, offset) ? "offset" : ext_size(len, &n) ? "length" : NULL;
	if (bad) {
		snprintf(err, errlen, "tensor '%s': external data %s '%s' is not a size", name, bad,
			 *bad == 'o' ? off : len);
		return -1;
	}
	if (len && (unsigned long long)n != bytes) {
		snprintf(err, errlen, "tensor '%s': external data length %lld, expected %zu bytes",
			 name, n, bytes);
		return -1;
	}
	return 0;
}

const char *tp_external_path(const Onnx__TensorProto *tp, const char *dir, char *buf,
			     size_t len)
{
	const char *loc = ext_value(tp, "location");

	if (!tp->has_data_location ||
	    tp->data_location != ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL || !loc)
		return NULL;
	snprintf(buf, len, "%s/%s", dir ? dir : ".", loc);
	return buf;
}

void onnx_files_add(FileList *l, const char *path)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->path[i], path))
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->path = realloc(l->path, sizeof *l->path * (size_t)l->cap);
		IR_ASSERT(l->path);
	}
	l->path[l->n] = strdup(path);
	IR_ASSERT(l->path[l->n]);
	l->n++;
}

void onnx_files_free(FileList *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->path[i]);
	free(l->path);
	memset(l, 0, sizeof *l);
}

/* external data: location (relative to the model), offset, length */
static int read_external(const Onnx__TensorProto *tp, const char *dir, void *dst, size_t bytes,
			 char *err, size_t errlen)
{
	const char *loc = ext_value(tp, "location"), *name = tp->name ? tp->name : "";
	char path[4096];
	long long offset;
	struct stat st;
	FILE *f;
	int fd;

	if (!ext_inside(loc)) {
		snprintf(err, errlen, "tensor '%s': external data location '%s' must be a file "
			 "next to the model", name, loc ? loc : "");
		return -1;
	}
	if (ext_range(tp, &offset, bytes, err, errlen))
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", loc);
	/* non-blocking: opening a FIFO would wait for a writer */
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "tensor '%s': cannot open external data %s: %s", name, path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
		snprintf(err, errlen, "tensor '%s': external data %s is not a file", name, path);
		close(fd);
		return -1;
	}
	if (!resolves_inside(dir ? dir : ".", path)) {
		snprintf(err, errlen, "tensor '%s': external data %s leads out of the model's folder "
			 "(a symbolic link)", name, path);
		fclose(f);
		return -1;
	}
	if ((unsigned long long)st.st_size < (unsigned long long)offset + bytes ||
	    fseeko(f, (off_t)offset, SEEK_SET) || fread(dst, 1, bytes, f) != bytes) {
		snprintf(err, errlen, "tensor '%s': external data %s is shorter than %lld + %zu bytes",
			 name, path, offset, bytes);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* n elements of es bytes from a typed field, copied when they make `bytes` */
static size_t copy_field(void *dst, const void *src, size_t n, size_t es, size_t bytes)
{
	if (n * es == bytes && bytes) /* an empty field may be NULL */
		memcpy(dst, src, bytes);
	return n * es;
}

/* the bytes a tensor's typed field holds, copied to t->data when they are `bytes` */
static size_t typed_fields(const Onnx__TensorProto *tp, OnnxTensor *t, size_t bytes)
{
	size_t have, es = (size_t)dt_size(t->dtype);

	switch (t->dtype) {
	case DT_F32: return copy_field(t->data, tp->float_data, tp->n_float_data, es, bytes);
	case DT_F64: return copy_field(t->data, tp->double_data, tp->n_double_data, es, bytes);
	case DT_S64: return copy_field(t->data, tp->int64_data, tp->n_int64_data, es, bytes);
	case DT_U32: case DT_U64:
		have = tp->n_uint64_data * es;
		for (size_t i = 0; have == bytes && i < tp->n_uint64_data; i++) {
			if (t->dtype == DT_U32)
				((uint32_t *)t->data)[i] = (uint32_t)tp->uint64_data[i];
			else
				((uint64_t *)t->data)[i] = tp->uint64_data[i];
		}
		return have;
	default: /* the int32 field carries every narrower type, f16 and bf16 bits */
		have = tp->n_int32_data * es;
		for (size_t i = 0; have == bytes && i < tp->n_int32_data; i++) {
			int32_t v = tp->int32_data[i];
			switch (es) {
			case 1: ((uint8_t *)t->data)[i] = (uint8_t)v; break;
			case 2: ((uint16_t *)t->data)[i] = (uint16_t)v; break;
			default: ((int32_t *)t->data)[i] = v; break;
			}
		}
		return have;
	}
}

/* element type and dims of t from tp; the element count, or -1 with a message */
static int64_t tp_shape(const Onnx__TensorProto *tp, OnnxTensor *t, char *err, size_t errlen)
{
	const char *name = tp->name ? tp->name : "";
	int64_t count;

	t->dtype = dt_from_onnx(tp->data_type);
	if (t->dtype == DT_UNDEF) {
		snprintf(err, errlen, "tensor '%s': element type %d (ONNX TensorProto code) is not "
			 "supported", name, tp->data_type);
		return -1;
	}
	if (tp->n_dims > IR_MAX_RANK) {
		snprintf(err, errlen, "tensor '%s': rank %zu exceeds %d", name, tp->n_dims, IR_MAX_RANK);
		return -1;
	}
	if (tp->segment) { /* the data would be only part of the tensor */
		snprintf(err, errlen, "tensor '%s' is stored in segments, which is not supported",
			 name);
		return -1;
	}
	t->rank = (int)tp->n_dims;
	for (int i = 0; i < t->rank; i++) {
		if (tp->dims[i] < 0 || tp->dims[i] > ((int64_t)1 << 40)) {
			snprintf(err, errlen, "tensor '%s': bad dimension %lld", name,
				 (long long)tp->dims[i]);
			return -1;
		}
		t->dims[i] = tp->dims[i];
	}
	count = ir_dims_numel(t->rank, t->dims, INT32_MAX);
	if (count < 0)
		snprintf(err, errlen, "tensor '%s' has more than %d elements", name, INT32_MAX);
	return count;
}

static int decode(const Onnx__TensorProto *tp, const char *dir, OnnxTensor *t, char *err,
		  size_t errlen);

/* a packed type (int4, uint4, int2, uint2, float4e2m1): its bytes decoded as a uint8
   tensor, then unpacked to one element per byte */
static int decode_packed(const Onnx__TensorProto *tp, const char *dir, OnnxTensor *t,
			 int64_t count, char *err, size_t errlen)
{
	Onnx__TensorProto bytes_tp = *tp;
	OnnxTensor raw;
	int bits = dt_bits(t->dtype);
	int64_t nbytes = o2m_packed_bytes(count, bits);

	bytes_tp.data_type = dt_onnx(DT_U8);
	bytes_tp.n_dims = 1;
	bytes_tp.dims = &nbytes;
	memset(&raw, 0, sizeof raw);
	if (decode(&bytes_tp, dir, &raw, err, errlen)) {
		onnx_tensor_free(&raw);
		return -1;
	}
	o2m_unpack(raw.data, t->data, count, bits, t->dtype == DT_S4 || t->dtype == DT_S2);
	onnx_tensor_free(&raw);
	return 0;
}

static int decode(const Onnx__TensorProto *tp, const char *dir, OnnxTensor *t, char *err,
		  size_t errlen)
{
	int64_t count = tp_shape(tp, t, err, errlen);
	size_t bytes, have;

	if (count < 0)
		return -1;
	bytes = (size_t)count * (size_t)dt_size(t->dtype);
	t->data = calloc(1, bytes + 8);
	t->name = strdup(tp->name ? tp->name : "");
	if (!t->data || !t->name) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (dt_bits(t->dtype))
		return decode_packed(tp, dir, t, count, err, errlen);
	if (tp->has_data_location && tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
		return read_external(tp, dir, t->data, bytes, err, errlen);
	if (tp->has_raw_data) {
		have = tp->raw_data.len;
		if (have == bytes && bytes) /* an empty field may be NULL */
			memcpy(t->data, tp->raw_data.data, bytes);
	} else {
		have = typed_fields(tp, t, bytes);
	}
	if (have != bytes) {
		snprintf(err, errlen, "tensor '%s': %zu bytes of data for %lld elements of %s",
			 t->name, have, (long long)count, dt_name(t->dtype));
		return -1;
	}
	return 0;
}

int tp_decode(const Onnx__TensorProto *tp, const char *dir, OnnxTensor *t, char *err,
	      size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (decode(tp, dir, t, err, errlen) == 0)
		return 0;
	onnx_tensor_free(t);
	return -1;
}

void onnx_tensor_free(OnnxTensor *t)
{
	free(t->data);
	free(t->name);
	t->data = NULL;
	t->name = NULL;
}

int onnx_tensor_read(const char *path, OnnxTensor *t, char *err, size_t errlen)
{
	size_t len;
	unsigned char *buf = read_file(path, &len, err, errlen);
	Onnx__TensorProto *tp;
	char dir[4096];
	const char *slash;
	int rc;

	memset(t, 0, sizeof *t);
	if (!buf)
		return -1;
	tp = onnx__tensor_proto__unpack(NULL, len, buf);
	free(buf);
	if (!tp) {
		snprintf(err, errlen, "%s is not a serialized ONNX TensorProto", path);
		return -1;
	}
	slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	rc = tp_decode(tp, dir, t, err, errlen);
	onnx__tensor_proto__free_unpacked(tp, NULL);
	return rc;
}

int onnx_tensor_write(const char *path, const char *name, DType dt, int rank,
		      const int64_t *dims, const void *data)
{
	Onnx__TensorProto tp = ONNX__TENSOR_PROTO__INIT;
	int64_t count = 1;
	size_t len;
	unsigned char *buf;
	uint8_t *packed = NULL;
	FILE *f;
	int rc = 0;

	for (int i = 0; i < rank; i++)
		count *= dims[i];
	tp.n_dims = (size_t)rank;
	tp.dims = (int64_t *)dims;
	tp.has_data_type = 1;
	tp.data_type = dt_onnx(dt);
	tp.name = (char *)name;
	tp.has_raw_data = 1;
	tp.raw_data.len = (size_t)(count * dt_size(dt));
	tp.raw_data.data = (uint8_t *)data;
	if (dt_bits(dt)) { /* packed as ONNX stores it */
		tp.raw_data.len = (size_t)o2m_packed_bytes(count, dt_bits(dt));
		tp.raw_data.data = packed = malloc(tp.raw_data.len + 1);
		if (!packed)
			return -1;
		o2m_pack(data, packed, count, dt_bits(dt));
	}
	len = onnx__tensor_proto__get_packed_size(&tp);
	buf = malloc(len + 1);
	if (!buf) {
		free(packed);
		return -1;
	}
	onnx__tensor_proto__pack(&tp, buf);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len)
		rc = -1;
	if (f && fclose(f))
		rc = -1;
	free(buf);
	free(packed);
	return rc;
}
