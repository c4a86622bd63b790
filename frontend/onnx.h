/* onnx.h - the frontend: reads ONNX ModelProto and TensorProto files into the IR. The only
   part of onnx2mcu that knows protobuf; no protobuf type appears in this header. */
#ifndef FRONTEND_ONNX_H
#define FRONTEND_ONNX_H

#include "../ir/ir.h"

typedef struct {
	const char *name;  /* symbolic dimension (dim_param) */
	int64_t value;
} DimPin;

typedef struct {
	const char *input; /* graph input name */
	const char *path;  /* TensorProto file holding its value */
} InputBind;

/* the layout of a sequence or optional graph input (--seq, --empty): how many tensors
   it holds and their shapes, fixed at compile time */
typedef struct {
	const char *input;
	int empty;          /* an optional that holds no value */
	int count;          /* elements; -1 when given by shape */
	int nshape;         /* or the shape of each element: */
	int *rank;
	int64_t (*dims)[IR_MAX_RANK];
} SeqLayout;

/* the files a model was read from besides itself (external data), for --depfile */
typedef struct {
	char **path; /* malloc'd, each once */
	int n, cap;
} FileList;
void onnx_files_add(FileList *l, const char *path);
void onnx_files_free(FileList *l);

typedef struct {
	const DimPin *dims;
	int ndims;
	const InputBind *binds;
	int nbinds;
	const SeqLayout *layouts;
	int nlayouts;
	const char *layout_dir; /* a test data set: sequence and optional inputs without a
				   layout take the one of their input_K.pb */
	FileList *read;         /* when set, gets the external data files read */
} LoadOptions;

/* Loads a model. On bad input prints every problem found (file, node, reason) and
   returns NULL. */
Graph *onnx_load(const char *path, const LoadOptions *opt);

/* A tensor read from a serialized TensorProto file (test data, --bind values). */
typedef struct {
	char *name;
	DType dtype;
	int rank;
	int64_t dims[IR_MAX_RANK];
	void *data;       /* row-major, malloc'd; free with onnx_tensor_free */
} OnnxTensor;

/* 0 on success; on failure writes a message to err. */
int onnx_tensor_read(const char *path, OnnxTensor *t, char *err, size_t errlen);
void onnx_tensor_free(OnnxTensor *t);

/* A value read from a TensorProto, SequenceProto or OptionalProto file: its tensors. */
typedef struct {
	ValueKind kind;
	ValueKind elem;   /* V_OPT: what it holds */
	int present;      /* 0 for an empty optional */
	int n;
	OnnxTensor *t;    /* malloc'd; free with onnx_value_free */
} OnnxValue;

/* reads a file holding a value of the given kind; 0 on success */
int onnx_value_read(const char *path, ValueKind kind, OnnxValue *v, char *err, size_t errlen);
void onnx_value_free(OnnxValue *v);
/* Serializes a tensor as a TensorProto file (raw_data); 0 on success. */
int onnx_tensor_write(const char *path, const char *name, DType dt, int rank,
		      const int64_t *dims, const void *data);

/* SHA-256 of a buffer or of a file's bytes, as 64 lowercase hex digits (sha256.c);
   sha256_file returns 0, or -1 when the file cannot be read */
void sha256_hex(const void *data, size_t n, char hex[65]);
int sha256_file(const char *path, char hex[65]);

/* applies per-opset rewrites so every node has the latest form of its op */
void onnx_normalize(Graph *g, int node);

#endif
