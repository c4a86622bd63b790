/* ops.c - the op table, built from ops.def: one row per op. */
#include "ir.h"

#include <string.h>

#define OP(id, onnx, inmin, inmax, outmin, outmax, shape, prep, kern, flags, cin, macs) \
	int shape(Graph *g, int node);                                                   \
	int prep(Graph *g, int node, Lowered *L);
#include "ops.def"
#undef OP

const OpInfo op_info[OP_COUNT] = {
#define OP(id, onnx, inmin, inmax, outmin, outmax, shape, prep, kern, flags, cin, macs) \
	[id] = {onnx, inmin, inmax, outmin, outmax, shape, prep, kern, flags, cin, macs},
#include "ops.def"
#undef OP
};

OpKind op_find(const char *onnx_name)
{
	for (int i = 0; i < OP_COUNT; i++)
		if (!(op_info[i].flags & OPF_INTERNAL) && strcmp(op_info[i].name, onnx_name) == 0)
			return (OpKind)i;
	return OP_COUNT;
}
