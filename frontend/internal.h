/* internal.h - shared inside frontend/: the generated protobuf-c bindings and the
   TensorProto decoder. */
#ifndef FRONTEND_INTERNAL_H
#define FRONTEND_INTERNAL_H

#include "onnx.h"

#include "onnx/onnx.pb-c.h"

/* Decodes a TensorProto (raw, typed or external data; dir is where external files are).
   On failure t holds nothing to free. */
int tp_decode(const Onnx__TensorProto *tp, const char *dir, OnnxTensor *t, char *err,
	      size_t errlen);
/* the file an external TensorProto's data is in (dir/location), NULL for one that is not
   external; in buf */
const char *tp_external_path(const Onnx__TensorProto *tp, const char *dir, char *buf,
			     size_t len);
/* 1 when the messages of p[0..len), of type d, nest more than max levels deep (depth.c) */
int onnx_wire_too_deep(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int max);
#define ONNX_MAX_NESTING 100 /* protobuf messages, as protobuf's own default limit */
/* errors for a node older than its op or lacking a required attribute (opset.c) */
void onnx_check_node(Graph *g, int node);
#define ONNX_MAX_OPSET 28 /* the newest default-domain opset onnx2mcu reads */
/* onnxruntime's quantized com.microsoft ops (contrib.c): the one a node names (NULL for
   any other), the standard op it computes, and the node rewritten as that op between
   DequantizeLinear and QuantizeLinear nodes (0, or -1 after an error naming it) */
typedef struct Contrib Contrib;
const Contrib *contrib_find(const char *domain, const char *op_type);
OpKind contrib_op(const Contrib *c);
int contrib_expand(Graph *g, int node, const Contrib *c);
/* reads a whole file; NULL and a message on failure */
unsigned char *read_file(const char *path, size_t *len, char *err, size_t errlen);

/* the layout of a sequence or optional graph input (layout.c) */
typedef struct {
	ValueKind kind, elem;
	DType dtype;      /* of its tensors, as declared */
	int known;        /* 0: nothing gave the layout */
	int present;      /* an optional holds a value */
	int n;            /* its tensors, and their shapes: */
	int *rank;
	int64_t (*dims)[IR_MAX_RANK];
	OnnxValue value;  /* when read from a file: the tensors (the values, when bound) */
} ListLayout;

/* what a type declares; -1 for maps, sparse tensors and nested sequences */
int type_kind(const Onnx__TypeProto *tp, ValueKind *kind, ValueKind *elem,
	      const Onnx__TypeProto__Tensor **tt);
/* the layout of declared input k (bind: the file of its --bind value, or NULL) */
int input_layout(const Onnx__ValueInfoProto *vi, int k, const char *bind, const LoadOptions *opt,
		 ListLayout *L, char *err, size_t errlen);
void layout_free(ListLayout *L);

#endif
