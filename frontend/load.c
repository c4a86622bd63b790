/* load.c - ModelProto to IR: opsets, initializers, graph inputs (with --dim pins and
   --bind values; sequence and optional inputs become their tensors), nodes with their
   attributes, Constant nodes in every attribute form, model-local functions inlined,
   and subgraph attributes (If, Loop, Scan, SequenceMap) as graphs of their own that
   read enclosing values through implicit inputs of their node. Every problem is
   reported before giving up; all unsupported ops come in one message. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FN_DEPTH 32
#define MAX_GRAPH_DEPTH 16 /* subgraphs in subgraphs, through function calls too */

typedef struct Scope Scope;
typedef struct Ctx Ctx;

/* one graph being loaded: the model's, or a subgraph's */
struct Ctx {
	Graph *g;
	Ctx *top;               /* the model's graph: unsupported ops, node count, stop */
	Ctx *parent;            /* a subgraph's: the enclosing graph */
	const Scope *psc;       /* the function scope the subgraph's node is in (how the
				   enclosing graph names values) */
	const Scope *asc;       /* the function scope attribute references resolve in */
	const char *prefix;     /* names of a subgraph's nodes: "<node>/<attribute>/" */
	int *implicit;          /* the enclosing values it reads, one per g->outer (malloc'd) */
	int nimplicit;
	const Onnx__ModelProto *m;
	const LoadOptions *opt;
	char dir[4096];
	int opset;              /* default-domain version of the model */
	char **keys;            /* value name -> tensor id */
	int *vals;
	size_t cap, count;
	char unsup[4096];       /* "node 'a' (Op), ..." */
	int nunsup;
	int nnodes;             /* for naming anonymous nodes */
	int ninline;
	int stop;               /* functions expand without end: add no more nodes */
	int depth;              /* of subgraphs: 0 for the model's graph */
	int64_t const_bytes;    /* of the constants read so far */
};

/* A function body being inlined: formal names map to the caller's actual names. */
struct Scope {
	const Onnx__FunctionProto *fn;
	const char **in_actual, **out_actual;
	const char **attr_names;           /* the call's attributes, as the body names them */
	const Onnx__AttributeProto **attrs; /* their values, references resolved (NULL: unset) */
	size_t nattrs;
	const Onnx__AttributeProto **defaults; /* FunctionProto.attribute_proto (ONNX >= 1.13) */
	size_t ndefaults;
	const char *prefix;
	int opset;
	int depth;
};

/* ---- value names ---- */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int name_find(Ctx *c, const char *name)
{
	if (!c->cap)
		return -1;
	for (size_t i = hash(name) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->keys[i])
			return -1;
		if (!strcmp(c->keys[i], name))
			return c->vals[i];
	}
}

static void name_put(Ctx *c, const char *name, int id)
{
	if (2 * (c->count + 1) > c->cap) {
		size_t oc = c->cap, nc = oc ? 2 * oc : 1024;
		char **ok = c->keys;
		int *ov = c->vals;
		c->keys = arena_alloc(&c->g->arena, nc * sizeof *c->keys);
		c->vals = arena_alloc(&c->g->arena, nc * sizeof *c->vals);
		c->cap = nc;
		c->count = 0;
		for (size_t i = 0; i < oc; i++)
			if (ok[i])
				name_put(c, ok[i], ov[i]);
	}
	for (size_t i = hash(name) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->keys[i]) {
			c->keys[i] = arena_strdup(&c->g->arena, name);
			c->vals[i] = id;
			c->count++;
			return;
		}
		if (!strcmp(c->keys[i], name)) {
			c->vals[i] = id;
			return;
		}
	}
}

static const char *map_name(Ctx *c, const Scope *sc, const char *formal);

/* the tensor a name of this graph refers to, created on first use */
static int local_value(Ctx *c, const char *name)
{
	int id = name_find(c, name);

	if (id < 0) {
		id = ir_tensor_new(c->g, name);
		name_put(c, name, id);
	}
	return id;
}

/* A name a subgraph reads but does not define is a value of an enclosing graph: the
   subgraph gets a stand-in for it (g->outer), and the node holding the subgraph the
   value itself as an implicit input. */
static int value(Ctx *c, const char *name);

static int outer_value(Ctx *c, const char *name)
{
	int pid = value(c->parent, map_name(c->parent, c->psc, name));
	int id = ir_outer_add(c->g, name);

	name_put(c, name, id);
	c->implicit = realloc(c->implicit, sizeof(int) * (size_t)(c->nimplicit + 1));
	IR_ASSERT(c->implicit);
	c->implicit[c->nimplicit++] = pid;
	return id;
}

/* the tensor a value name refers to: this graph's (created on first use), or in a
   subgraph an enclosing graph's; -1 for "" (absent) */
static int value(Ctx *c, const char *name)
{
	if (!name || !*name)
		return -1;
	if (c->parent && name_find(c, name) < 0)
		return outer_value(c, name);
	return local_value(c, name);
}

/* ---- tensors and attributes ---- */

/* the model's constants stay within ir_max_const_bytes, checked from the dims before
   any data is copied (a 1 GiB initializer would be written out as gigabytes of C) */
static int const_budget(Ctx *c, const Onnx__TensorProto *tp)
{
	int64_t dims[IR_MAX_RANK], n;
	DType dt = dt_from_onnx(tp->data_type);

	if (tp->n_dims > IR_MAX_RANK || dt == DT_UNDEF)
		return 0; /* tp_decode says what is wrong */
	for (size_t i = 0; i < tp->n_dims; i++)
		dims[i] = tp->dims[i];
	n = ir_dims_numel((int)tp->n_dims, dims, INT32_MAX);
	if (n < 0)
		return 0;
	if (c->top->const_bytes > ir_max_const_bytes)
		return -1; /* said once */
	c->top->const_bytes += n * dt_size(dt);
	if (c->top->const_bytes <= ir_max_const_bytes)
		return 0;
	ir_error(c->g, -1, "tensor '%s': the model's constants take more than %lld bytes (raise "
		 "the limit with --max-constants)", tp->name ? tp->name : "",
		 (long long)ir_max_const_bytes);
	return -1;
}

static int const_from_proto(Ctx *c, const Onnx__TensorProto *tp, const char *name)
{
	OnnxTensor t;
	char err[512];
	int id;

	char ext[4200];

	if (const_budget(c, tp))
		return -1;
	if (tp_decode(tp, c->dir, &t, err, sizeof err)) {
		ir_error(c->g, -1, "%s", err);
		return -1;
	}
	if (c->opt && c->opt->read && tp_external_path(tp, c->dir, ext, sizeof ext))
		onnx_files_add(c->opt->read, ext);
	id = ir_const_new(c->g, name, t.dtype, t.rank, t.dims, t.data);
	onnx_tensor_free(&t);
	return id;
}

static const char *attr_name(const Onnx__AttributeProto *a) { return a->name ? a->name : ""; }

static int attr_kind(const Onnx__AttributeProto *a)
{
	if (a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED)
		return a->type;
	/* very old models leave type out: tell it by the field that is set */
	if (a->n_ints) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
	if (a->n_floats) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS;
	if (a->n_strings) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS;
	if (a->t) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
	if (a->g) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH;
	if (a->has_s) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
	if (a->has_f) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
	return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
}

/* protobuf bytes as a C string; the data of empty bytes may be NULL */
static char *bytes_str(Arena *ar, ProtobufCBinaryData b)
{
	char *s = arena_alloc(ar, b.len + 1); /* zeroed: terminated */

	if (b.len)
		memcpy(s, b.data, b.len);
	return s;
}

static void add_subgraph(Ctx *c, const Onnx__GraphProto *gp, const Scope *sc, int node, Attr *out);

/* sc: the function scope the node is in, if any */
static int convert_attr(Ctx *c, const Onnx__AttributeProto *a, int node, const Scope *sc,
			Attr *out)
{
	Arena *ar = &c->g->arena;

	memset(out, 0, sizeof *out);
	out->name = arena_strdup(ar, a->name ? a->name : "");
	switch (attr_kind(a)) {
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
		out->kind = A_FLOAT;
		out->f = a->f;
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
		out->kind = A_INT;
		out->i = a->i;
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
		out->kind = A_STRING;
		out->s = bytes_str(ar, a->s);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
		out->kind = A_FLOATS;
		out->n = (int)a->n_floats;
		out->floats = arena_memdup(ar, a->floats, a->n_floats * sizeof(float));
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
		out->kind = A_INTS;
		out->n = (int)a->n_ints;
		out->ints = arena_memdup(ar, a->ints, a->n_ints * sizeof(int64_t));
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
		out->kind = A_STRINGS;
		out->n = (int)a->n_strings;
		out->strs = arena_alloc(ar, sizeof(char *) * (a->n_strings + 1));
		for (size_t i = 0; i < a->n_strings; i++)
			out->strs[i] = bytes_str(ar, a->strings[i]);
		break;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
		if (!a->t) {
			ir_error(c->g, node, "attribute '%s' holds no tensor", out->name);
			return -1;
		}
		out->kind = A_TENSOR;
		out->tensor = const_from_proto(c, a->t, "");
		return out->tensor < 0 ? -1 : 0;
	case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH:
		out->kind = A_GRAPH;
		if (a->g)
			add_subgraph(c, a->g, sc, node, out);
		break;
	default:
		out->kind = A_GRAPH; /* graph lists, sparse tensors, type protos: no op reads them */
		break;
	}
	return 0;
}

/* Constant: value, value_float(s), value_int(s) become one tensor attribute; n is the
   attribute's name in the node, a its value (a caller's attribute for a reference) */
static int constant_value(Ctx *c, const char *n, const Onnx__AttributeProto *a, int node)
{
	int64_t count;
	int t;

	if (!strcmp(n, "value") && !a->t) {
		ir_error(c->g, node, "Constant 'value' holds no tensor");
		return -1;
	}
	if (!strcmp(n, "value"))
		t = const_from_proto(c, a->t, "");
	else if (!strcmp(n, "value_float"))
		t = ir_const_new(c->g, "", DT_F32, 0, NULL, &a->f);
	else if (!strcmp(n, "value_int"))
		t = ir_const_new(c->g, "", DT_S64, 0, NULL, &a->i);
	else if (!strcmp(n, "value_floats"))
		count = (int64_t)a->n_floats,
		t = ir_const_new(c->g, "", DT_F32, 1, &count, a->floats);
	else if (!strcmp(n, "value_ints"))
		count = (int64_t)a->n_ints,
		t = ir_const_new(c->g, "", DT_S64, 1, &count, a->ints);
	else {
		ir_error(c->g, node, "Constant attribute '%s' is not supported", n);
		return -1;
	}
	if (t >= 0) {
		Attr v = {.name = "value", .kind = A_TENSOR, .tensor = t};
		Node *nd = &c->g->n[node];
		nd->attr = arena_memdup(&c->g->arena, &v, sizeof v);
		nd->nattr = 1;
	}
	return t < 0 ? -1 : 0;
}

/* ---- nodes and functions ---- */

static const char *map_name(Ctx *c, const Scope *sc, const char *formal)
{
	if (!formal || !*formal || !sc)
		return formal ? formal : "";
	for (size_t i = 0; i < sc->fn->n_input; i++)
		if (!strcmp(sc->fn->input[i], formal))
			return sc->in_actual[i];
	for (size_t i = 0; i < sc->fn->n_output; i++)
		if (!strcmp(sc->fn->output[i], formal))
			return sc->out_actual[i];
	return arena_printf(&c->g->arena, "%s%s", sc->prefix, formal);
}

/* the attribute a node sees: its own, or the caller's for a reference */
static const Onnx__AttributeProto *resolve_attr(const Scope *sc, const Onnx__AttributeProto *a)
{
	if (!a->ref_attr_name || !*a->ref_attr_name)
		return a;
	if (!sc)
		return NULL;
	for (size_t i = 0; i < sc->nattrs; i++)
		if (sc->attrs[i] && !strcmp(sc->attr_names[i], a->ref_attr_name))
			return sc->attrs[i];
	for (size_t i = 0; i < sc->ndefaults; i++)
		if (!strcmp(sc->defaults[i]->name, a->ref_attr_name))
			return sc->defaults[i];
	return NULL;
}

static const Onnx__FunctionProto *find_function(Ctx *c, const char *domain, const char *op)
{
	for (size_t i = 0; i < c->m->n_functions; i++) {
		const Onnx__FunctionProto *f = c->m->functions[i];
		if (f->name && !strcmp(f->name, op) && !strcmp(f->domain ? f->domain : "", domain))
			return f;
	}
	return NULL;
}

/* the default-domain opset an import list names, fallback when none; one out of the
   range onnx2mcu reads is an error (what names it in `what`) */
static int opset_of(Graph *g, const char *what, size_t n, Onnx__OperatorSetIdProto **ops,
		    int fallback)
{
	for (size_t i = 0; i < n; i++) {
		const char *d = ops[i]->domain ? ops[i]->domain : "";
		if (*d && strcmp(d, "ai.onnx"))
			continue;
		if (ops[i]->version >= 1 && ops[i]->version <= ONNX_MAX_OPSET)
			return (int)ops[i]->version;
		ir_error(g, -1, "%s imports opset %lld of the default domain; onnx2mcu reads "
			 "opsets 1 to %d", what, (long long)ops[i]->version, ONNX_MAX_OPSET);
		return fallback;
	}
	return fallback;
}

/* bytes of the varint at the start of p (the length of an unknown field), or 0 if bad */
static size_t varint_len(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len && i < 10; i++)
		if (!(p[i] & 0x80))
			return i + 1;
	return 0;
}

/* FunctionProto.attribute_proto (field 11) is newer than the system's onnx.proto:
   protobuf-c keeps it among the unknown fields, length prefix included, where we
   decode it. */
static void function_defaults(Graph *g, const Onnx__FunctionProto *f, Scope *sc)
{
	const ProtobufCMessage *m = &f->base;

	sc->defaults = arena_alloc(&g->arena, sizeof(void *) * (m->n_unknown_fields + 1));
	for (unsigned i = 0; i < m->n_unknown_fields; i++) {
		const ProtobufCMessageUnknownField *u = &m->unknown_fields[i];
		Onnx__AttributeProto *a;
		size_t skip;
		if (u->tag != 11 || u->wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
			continue;
		skip = varint_len(u->data, u->len);
		a = skip && !onnx_wire_too_deep(&onnx__attribute_proto__descriptor, u->data + skip,
						u->len - skip, ONNX_MAX_NESTING)
			    ? onnx__attribute_proto__unpack(NULL, u->len - skip, u->data + skip)
			    : NULL;
		if (a && a->name) {
			sc->defaults[sc->ndefaults++] = a;
			continue;
		}
		ir_error(g, -1, "function '%s': an attribute default does not parse",
			 f->name ? f->name : "");
		if (a)
			onnx__attribute_proto__free_unpacked(a, NULL);
	}
}

static void add_node(Ctx *c, const Onnx__NodeProto *np, const Scope *sc);

static void inline_function(Ctx *c, const Onnx__FunctionProto *f, const Onnx__NodeProto *np,
			    const Scope *sc, const char *node_name)
{
	Arena *ar = &c->g->arena;
	Scope in = {0};

	if ((sc ? sc->depth : 0) >= MAX_FN_DEPTH) {
		ir_error(c->g, -1, "function '%s' is reached through more than %d nested calls; "
			 "does it call itself?", f->name, MAX_FN_DEPTH);
		c->top->stop = 1;
		return;
	}
	in.fn = f;
	in.depth = sc ? sc->depth + 1 : 1;
	in.opset = opset_of(c->g, arena_printf(ar, "function '%s'", f->name), f->n_opset_import,
			    f->opset_import, c->opset);
	in.prefix = arena_printf(ar, "%s/%d/", node_name, c->top->ninline++);
	in.in_actual = arena_alloc(ar, sizeof(char *) * (f->n_input + 1));
	in.out_actual = arena_alloc(ar, sizeof(char *) * (f->n_output + 1));
	for (size_t i = 0; i < f->n_input; i++)
		in.in_actual[i] = i < np->n_input ? map_name(c, sc, np->input[i]) : "";
	for (size_t i = 0; i < f->n_output; i++) /* one the caller leaves out stays inside */
		in.out_actual[i] = i < np->n_output && *np->output[i]
					   ? map_name(c, sc, np->output[i])
					   : arena_printf(ar, "%s%s", in.prefix, f->output[i]);
	in.attrs = arena_alloc(ar, sizeof(void *) * (np->n_attribute + 1));
	in.attr_names = arena_alloc(ar, sizeof(char *) * (np->n_attribute + 1));
	for (size_t i = 0; i < np->n_attribute; i++) {
		in.attr_names[in.nattrs] = attr_name(np->attribute[i]);
		in.attrs[in.nattrs++] = resolve_attr(sc, np->attribute[i]);
	}
	function_defaults(c->g, f, &in);
	for (size_t i = 0; i < f->n_node; i++)
		add_node(c, f->node[i], &in);
	for (size_t i = 0; i < in.ndefaults; i++)
		onnx__attribute_proto__free_unpacked((Onnx__AttributeProto *)in.defaults[i], NULL);
}

/* references (ref_attr_name) only mean something inside a function */
static void check_refs(Ctx *c, const Onnx__NodeProto *np, const char *node_name)
{
	for (size_t i = 0; i < np->n_attribute; i++) {
		const char *ref = np->attribute[i]->ref_attr_name;
		if (ref && *ref)
			ir_error(c->g, -1, "node '%s': attribute '%s' refers to '%s', but the node "
				 "is not in a function", node_name, attr_name(np->attribute[i]), ref);
	}
}

/* a Constant's value: its one attribute, however given */
static void add_constant(Ctx *c, const Onnx__NodeProto *np, const Scope *sc, int id)
{
	for (size_t i = 0; i < np->n_attribute; i++) {
		const Onnx__AttributeProto *a = resolve_attr(sc, np->attribute[i]);
		if (a) {
			constant_value(c, attr_name(np->attribute[i]), a, id);
			return;
		}
	}
	ir_error(c->g, id, "Constant has no value");
}

/* sc: the function scope the node's names are in; attribute references also resolve in
   the scope a subgraph sits in */
static void add_attrs(Ctx *c, const Onnx__NodeProto *np, const Scope *sc, int id)
{
	Node *n = &c->g->n[id];
	Attr *attr = arena_alloc(&c->g->arena, sizeof(Attr) * (np->n_attribute + 1));

	n->attr = attr; /* n moves no more: subgraphs add nodes to graphs of their own */
	for (size_t i = 0; i < np->n_attribute; i++) {
		const Onnx__AttributeProto *a = resolve_attr(sc ? sc : c->asc, np->attribute[i]);
		if (!a) /* a reference the caller left unset: the attribute takes its default */
			continue;
		attr[n->nattr].name = attr_name(np->attribute[i]);
		if (convert_attr(c, a, id, sc, &attr[n->nattr]) == 0)
			attr[n->nattr++].name = arena_strdup(&c->g->arena,
							     attr_name(np->attribute[i]));
	}
}

/* a node of an op we lack: listed for the one message about all of them */
static void add_unsupported(Ctx *c, const Onnx__NodeProto *np, const Scope *sc, const char *name)
{
	const char *domain = np->domain ? np->domain : "", *op_type = np->op_type ? np->op_type : "";
	Ctx *t = c->top;
	size_t len = strlen(t->unsup);

	if (len < sizeof t->unsup - 200)
		snprintf(t->unsup + len, sizeof t->unsup - len, "%s\n  node '%s' (%s%s%s)",
			 t->nunsup ? "," : "", name, domain, *domain ? ":" : "", op_type);
	t->nunsup++;
	for (size_t i = 0; i < np->n_output; i++) /* defined, so no error cascades */
		value(c, map_name(c, sc, np->output[i]));
}

/* the model-local function a node calls, or NULL: one of another domain always, one of
   the default domain only where no standard op has its name */
static const Onnx__FunctionProto *called_function(Ctx *c, const Onnx__NodeProto *np)
{
	const char *domain = np->domain ? np->domain : "", *op_type = np->op_type ? np->op_type : "";
	const Onnx__FunctionProto *f = find_function(c, domain, op_type);
	int is_default = !*domain || !strcmp(domain, "ai.onnx");

	return f && (!is_default || op_find(op_type) == OP_COUNT) ? f : NULL;
}

static void add_node(Ctx *c, const Onnx__NodeProto *np, const Scope *sc)
{
	Graph *g = c->g;
	const char *domain = np->domain ? np->domain : "", *op_type = np->op_type ? np->op_type : "";
	const char *name = np->name && *np->name ? np->name
						  : arena_printf(&g->arena, "%s_%d", op_type, c->top->nnodes);
	int is_default = !*domain || !strcmp(domain, "ai.onnx");
	const Onnx__FunctionProto *f = called_function(c, np);
	const Contrib *co = contrib_find(domain, op_type);
	OpKind op = is_default ? op_find(op_type) : co ? contrib_op(co) : OP_COUNT;
	int id;
	Node *n;

	if (c->top->stop)
		return;
	if (++c->top->nnodes > ir_max_nodes) {
		ir_error(g, -1, "the model has more than %d nodes with its functions expanded",
			 ir_max_nodes);
		c->top->stop = 1;
		return;
	}
	if (sc)
		name = arena_printf(&g->arena, "%s%s", sc->prefix, name);
	else if (c->prefix)
		name = arena_printf(&g->arena, "%s%s", c->prefix, name);
	if (!sc && !c->asc)
		check_refs(c, np, name);
	if (f) {
		inline_function(c, f, np, sc, name);
		return;
	}
	if (op == OP_COUNT) {
		add_unsupported(c, np, sc, name);
		return;
	}
	id = ir_node_new(g, op, name, (int)np->n_input, (int)np->n_output);
	n = &g->n[id];
	n->opset = sc ? sc->opset : c->opset;
	for (size_t i = 0; i < np->n_input; i++)
		g->n[id].in[i] = value(c, map_name(c, sc, np->input[i]));
	for (size_t i = 0; i < np->n_output; i++) {
		int t = value(c, map_name(c, sc, np->output[i]));
		g->n[id].out[i] = t;
		if (t < 0)
			continue;
		if (g->t[t].producer >= 0 || (g->t[t].flags & (T_INPUT | T_CONST)))
			ir_error(g, id, "output '%s' is already defined elsewhere", g->t[t].name);
		g->t[t].producer = id;
	}
	if (op == OP_CONSTANT)
		add_constant(c, np, sc ? sc : c->asc, id);
	else
		add_attrs(c, np, sc, id);
	if (co)
		contrib_expand(g, id, co);
}

/* ---- subgraphs ---- */

static void load_initializers(Ctx *c, const Onnx__GraphProto *gp);

/* A subgraph's own names come first, so they shadow enclosing ones: its inputs,
   initializers and the outputs of its nodes. */
static void load_body(Ctx *c, const Onnx__GraphProto *gp)
{
	load_initializers(c, gp);
	for (size_t i = 0; i < gp->n_input; i++) {
		const char *nm = gp->input[i]->name ? gp->input[i]->name : "";
		if (!*nm)
			ir_error(c->g, -1, "subgraph '%s': input %zu has no name", c->prefix, i);
		else if (!ir_is_const(c->g, name_find(c, nm))) /* else an IR < 4 initializer */
			ir_input_add(c->g, local_value(c, nm));
	}
	for (size_t i = 0; i < gp->n_node; i++)
		for (size_t k = 0; k < gp->node[i]->n_output; k++)
			if (gp->node[i]->output[k] && *gp->node[i]->output[k])
				local_value(c, gp->node[i]->output[k]);
	for (size_t i = 0; i < gp->n_node; i++)
		add_node(c, gp->node[i], NULL);
	for (size_t i = 0; i < gp->n_output; i++) {
		int id = value(c, gp->output[i]->name);
		if (id < 0)
			ir_error(c->g, -1, "subgraph '%s': output %zu has no name", c->prefix, i);
		else
			ir_output_add(c->g, id);
	}
}

/* a graph attribute of node `node` (in function scope sc, if any); the enclosing
   values it reads are appended to the node's inputs, out->i the first of them */
static void add_subgraph(Ctx *c, const Onnx__GraphProto *gp, const Scope *sc, int node, Attr *out)
{
	Ctx s = {0};
	Node *n;
	int *in;

	if (c->depth >= MAX_GRAPH_DEPTH) {
		if (!c->top->stop)
			ir_error(c->g, node, "subgraphs nest more than %d deep", MAX_GRAPH_DEPTH);
		c->top->stop = 1;
		return;
	}
	s.depth = c->depth + 1;
	s.g = ir_subgraph_new(c->g);
	s.top = c->top;
	s.parent = c;
	s.psc = sc;
	s.asc = sc ? sc : c->asc;
	s.prefix = arena_printf(&c->g->arena, "%s/%s/", c->g->n[node].name, out->name);
	s.m = c->m;
	memcpy(s.dir, c->dir, sizeof s.dir);
	s.opset = sc ? sc->opset : c->opset;
	load_body(&s, gp);
	n = &c->g->n[node];
	in = arena_alloc(&c->g->arena, sizeof(int) * (size_t)(n->nin + s.nimplicit + 1));
	if (n->nin)
		memcpy(in, n->in, sizeof(int) * (size_t)n->nin);
	if (s.nimplicit)
		memcpy(in + n->nin, s.implicit, sizeof(int) * (size_t)s.nimplicit);
	out->graph = s.g;
	out->i = n->nin;
	n->in = in;
	n->nin += s.nimplicit;
	n->nimplicit += s.nimplicit;
	free(s.implicit);
}

/* ---- graph inputs ---- */

static const char *bind_path(Ctx *c, const char *input)
{
	for (int i = 0; c->opt && i < c->opt->nbinds; i++)
		if (!strcmp(c->opt->binds[i].input, input))
			return c->opt->binds[i].path;
	return NULL;
}

static int pinned(Ctx *c, const char *param, int64_t *v)
{
	for (int i = 0; c->opt && i < c->opt->ndims; i++) {
		if (!strcmp(c->opt->dims[i].name, param)) {
			*v = c->opt->dims[i].value;
			return 1;
		}
	}
	return 0;
}

/* a bound value has the input's rank and its fixed dims (symbolic ones take any) */
static int bind_fits(const Onnx__ValueInfoProto *vi, const OnnxTensor *t)
{
	const Onnx__TensorShapeProto *sh = vi->type->tensor_type->shape;

	if (!sh)
		return 1;
	if ((int)sh->n_dim != t->rank)
		return 0;
	for (int i = 0; i < t->rank; i++)
		if (sh->dim[i]->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
		    sh->dim[i]->dim_value != t->dims[i])
			return 0;
	return 1;
}

static void bind_input(Ctx *c, const Onnx__ValueInfoProto *vi, const char *path, DType dt)
{
	OnnxTensor t;
	char err[512];
	int id;

	if (onnx_tensor_read(path, &t, err, sizeof err)) {
		ir_error(c->g, -1, "--bind %s: %s", vi->name, err);
		return;
	}
	if (dt != DT_UNDEF && t.dtype != dt)
		ir_error(c->g, -1, "--bind %s: the file holds %s, the input is %s", vi->name,
			 dt_name(t.dtype), dt_name(dt));
	if (!bind_fits(vi, &t))
		ir_error(c->g, -1, "--bind %s: the file's shape does not match the input's",
			 vi->name);
	id = ir_const_new(c->g, vi->name, t.dtype, t.rank, t.dims, t.data);
	c->g->t[id].flags |= T_BOUND;
	name_put(c, vi->name, id);
	onnx_tensor_free(&t);
}

/* the dims of a graph input, symbolic ones pinned by --dim; the others are added to the
   list in unpinned (and taken as 1, to go on looking for errors) */
/* dim i of the declared input being added as the test data set (validate) has it */
static int data_dim(Ctx *c, int rank, size_t i, int64_t *v)
{
	char path[4200], err[512];
	OnnxTensor t;
	int ok;

	if (!c->opt || !c->opt->layout_dir)
		return 0;
	snprintf(path, sizeof path, "%s/input_%d.pb", c->opt->layout_dir, c->g->ndeclared - 1);
	if (onnx_tensor_read(path, &t, err, sizeof err))
		return 0;
	ok = t.rank == rank;
	if (ok)
		*v = t.dims[i];
	onnx_tensor_free(&t);
	return ok;
}

/* symbolic dims take their --dim value, else (validate) the test data's */
static void input_dims(Ctx *c, const char *input, const Onnx__TensorShapeProto *sh,
		       int64_t *dims, char *unpinned, size_t ulen)
{
	for (size_t i = 0; i < sh->n_dim; i++) {
		const Onnx__TensorShapeProto__Dimension *d = sh->dim[i];
		int param = d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
		size_t len = strlen(unpinned);
		if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
		    d->dim_value >= 0) {
			dims[i] = d->dim_value;
			continue;
		}
		if ((param && pinned(c, d->dim_param, &dims[i])) ||
		    data_dim(c, (int)sh->n_dim, i, &dims[i]))
			continue;
		snprintf(unpinned + len, ulen - len, "%s'%s' (input '%s', dim %zu)", len ? ", " : "",
			 param ? d->dim_param : "?", input, i);
		dims[i] = 1;
	}
}

/* tensor i of a sequence or optional input: a run-time input, or a constant when bound */
static int list_tensor(Ctx *c, const char *name, const ListLayout *L, int i)
{
	const char *label = L->elem == V_SEQ ? arena_printf(&c->g->arena, "%s[%d]", name, i) : name;
	const OnnxTensor *v = L->value.n > i ? &L->value.t[i] : NULL;
	int id;

	if (L->dtype == DT_UNDEF || (v && v->dtype != L->dtype)) {
		ir_error(c->g, -1, "input '%s': element type %s is not %s", name,
			 dt_name(v ? v->dtype : DT_UNDEF), dt_name(L->dtype));
		return -1;
	}
	if (ir_dims_numel(L->rank[i], L->dims[i], INT32_MAX) < 0) {
		ir_error(c->g, -1, "input '%s' has a tensor of more than %d elements", name,
			 INT32_MAX);
		return -1;
	}
	if (v && bind_path(c, name)) {
		id = ir_const_new(c->g, label, v->dtype, v->rank, v->dims, v->data);
		c->g->t[id].flags |= T_BOUND;
		return id;
	}
	id = ir_tensor_new(c->g, label);
	ir_set_shape(c->g, id, L->dtype, L->rank[i], L->dims[i]);
	ir_input_add(c->g, id);
	return id;
}

/* A sequence or an optional input holds tensors fixed in number and shape at compile
   time; each is a run-time input (or a constant when bound). Without a layout its
   value stays unknown, and the flow pass says what to give. */
static void add_list_input(Ctx *c, const Onnx__ValueInfoProto *vi, IoValue *iv)
{
	Graph *g = c->g;
	int id = local_value(c, vi->name), *elem, seq;
	ListLayout L;
	char err[512];

	g->t[id].flags |= T_SEQ; /* a list input, whatever else becomes of it */
	if (input_layout(vi, g->ndeclared - 1, bind_path(c, vi->name), c->opt, &L, err,
			 sizeof err)) {
		ir_error(g, -1, "%s", err);
		layout_free(&L);
		return;
	}
	iv->kind = L.kind;
	iv->elem = L.elem;
	iv->present = L.present;
	iv->count = L.known ? 0 : -1;
	elem = arena_alloc(&g->arena, sizeof(int) * (size_t)(L.n + 1));
	for (int i = 0; L.known && i < L.n; i++)
		elem[i] = list_tensor(c, vi->name, &L, i);
	if (L.kind == V_OPT)
		g->t[id].flags = (g->t[id].flags & ~(unsigned)T_SEQ) | T_OPT;
	if (L.known && L.elem == V_SEQ && L.kind == V_OPT && L.present) {
		seq = ir_tensor_new(g, arena_printf(&g->arena, "%s.value", vi->name));
		ir_set_seq(g, seq, L.dtype, elem, L.n);
		ir_set_opt(g, id, L.dtype, seq);
	} else if (L.known && L.kind == V_SEQ) {
		ir_set_seq(g, id, L.dtype, elem, L.n);
	} else if (L.known) {
		ir_set_opt(g, id, L.dtype, L.present ? elem[0] : -1);
	}
	layout_free(&L);
}

static void add_input(Ctx *c, const Onnx__ValueInfoProto *vi, char *unpinned, size_t ulen)
{
	Graph *g = c->g;
	const Onnx__TypeProto *tp = vi->type;
	const Onnx__TensorShapeProto *sh;
	const char *bpath = vi->name ? bind_path(c, vi->name) : NULL;
	int64_t dims[IR_MAX_RANK];
	DType dt;
	int id, rank;

	if (!vi->name || !*vi->name) {
		ir_error(g, -1, "a graph input has no name");
		return;
	}
	if (tp && (tp->value_case == ONNX__TYPE_PROTO__VALUE_SEQUENCE_TYPE ||
		   tp->value_case == ONNX__TYPE_PROTO__VALUE_OPTIONAL_TYPE)) {
		add_list_input(c, vi, &g->invals[g->ndeclared - 1]);
		return;
	}
	if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type) {
		ir_error(g, -1, "input '%s' is not a tensor, a sequence or an optional (map and "
			 "sparse inputs are not supported)", vi->name);
		return;
	}
	dt = dt_from_onnx(tp->tensor_type->elem_type);
	if (bpath) {
		bind_input(c, vi, bpath, dt);
		return;
	}
	if (dt == DT_UNDEF) {
		ir_error(g, -1, "input '%s' has element type %d, which is not supported", vi->name,
			 tp->tensor_type->elem_type);
		return;
	}
	sh = tp->tensor_type->shape;
	if (!sh) {
		ir_error(g, -1, "input '%s' has no shape", vi->name);
		return;
	}
	rank = (int)sh->n_dim;
	if (rank > IR_MAX_RANK) {
		ir_error(g, -1, "input '%s' has rank %d; at most %d is supported", vi->name, rank,
			 IR_MAX_RANK);
		return;
	}
	input_dims(c, vi->name, sh, dims, unpinned, ulen);
	if (ir_dims_numel(rank, dims, INT32_MAX) < 0) {
		ir_error(g, -1, "input '%s' has more than %d elements", vi->name, INT32_MAX);
		return;
	}
	id = value(c, vi->name);
	ir_set_shape(g, id, dt, rank, dims);
	ir_input_add(g, id);
}

/* ---- the model ---- */

static void load_initializers(Ctx *c, const Onnx__GraphProto *gp)
{
	Graph *g = c->g;

	if (gp->n_sparse_initializer)
		ir_error(g, -1, "sparse initializers are not supported");
	for (size_t i = 0; i < gp->n_initializer; i++) {
		const Onnx__TensorProto *tp = gp->initializer[i];
		int id;
		if (!tp->name || !*tp->name) {
			ir_error(g, -1, "initializer %zu has no name", i);
			continue;
		}
		if (name_find(c, tp->name) >= 0) {
			ir_error(g, -1, "initializer '%s' is given twice", tp->name);
			continue;
		}
		if (bind_path(c, tp->name))
			continue; /* a bound value overrides the default */
		id = const_from_proto(c, tp, tp->name);
		if (id >= 0)
			name_put(c, tp->name, id);
	}
}

/* every --dim names a symbolic dimension of a graph input; a typo gets a suggestion */
static void check_dims(Ctx *c, const Onnx__GraphProto *gp)
{
	const char *names[256];
	int n = 0;

	for (size_t k = 0; k < gp->n_input; k++) {
		const Onnx__TypeProto__Tensor *tt;
		ValueKind kind, elem;
		if (type_kind(gp->input[k]->type, &kind, &elem, &tt) || !tt || !tt->shape)
			continue;
		for (size_t i = 0; i < tt->shape->n_dim && n < 256; i++)
			if (tt->shape->dim[i]->value_case ==
			    ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM)
				names[n++] = tt->shape->dim[i]->dim_param;
	}
	for (int i = 0; c->opt && i < c->opt->ndims; i++) {
		const char *want = c->opt->dims[i].name;
		int near = ir_nearest(want, names, n);
		if (near >= 0 && !strcmp(names[near], want))
			continue;
		if (near >= 0)
			ir_error(c->g, -1, "--dim %s: the model has no dimension of that name; did "
				 "you mean '%s'?", want, names[near]);
		else
			ir_error(c->g, -1, "--dim %s: the model has no dimension of that name%s", want,
				 n ? "" : " (its inputs have no symbolic dimensions)");
	}
}

static void load_inputs(Ctx *c, const Onnx__GraphProto *gp, char *unpinned, size_t ulen)
{
	Graph *g = c->g;

	g->declared = arena_alloc(&g->arena, sizeof(char *) * (gp->n_input + 1));
	g->invals = arena_alloc(&g->arena, sizeof(IoValue) * (gp->n_input + 1));
	for (size_t i = 0; i < gp->n_input; i++) {
		IoValue *iv = &g->invals[g->ndeclared];
		const char *nm = gp->input[i]->name ? gp->input[i]->name : "";
		int id = name_find(c, nm);
		if (id >= 0 && (g->t[id].flags & T_CONST) && !bind_path(c, nm))
			continue; /* an input with an initializer is a constant (IR < 4 style) */
		if (id >= 0 && (g->t[id].flags & (T_INPUT | T_BOUND))) {
			ir_error(g, -1, "input '%s' is listed twice", nm);
			continue;
		}
		g->declared[g->ndeclared++] = arena_strdup(&g->arena, nm);
		iv->name = g->declared[g->ndeclared - 1];
		iv->first = g->ninputs;
		add_input(c, gp->input[i], unpinned, ulen);
		if (iv->count >= 0)
			iv->count = g->ninputs - iv->first;
	}
	for (int i = 0; c->opt && i < c->opt->nbinds; i++) {
		const char *want = c->opt->binds[i].input;
		int found = 0;
		for (size_t k = 0; k < gp->n_input; k++)
			found |= gp->input[k]->name && !strcmp(gp->input[k]->name, want);
		if (!found)
			ir_error(g, -1, "--bind %s: the model has no input of that name", want);
	}
	check_dims(c, gp);
}

/* what the model says an output's shape is, for a warning when it is not (passes/fold.c) */
static void declared_shape(Graph *g, IoValue *ov, const Onnx__TensorShapeProto *sh)
{
	if (sh->n_dim > IR_MAX_RANK)
		return;
	ov->drank = (int)sh->n_dim;
	ov->ddims = arena_alloc(&g->arena, sizeof(int64_t) * (sh->n_dim + 1));
	for (size_t k = 0; k < sh->n_dim; k++)
		ov->ddims[k] = sh->dim[k]->value_case ==
				       ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
			       ? sh->dim[k]->dim_value
			       : -1;
}

static void load_outputs(Ctx *c, const Onnx__GraphProto *gp)
{
	Graph *g = c->g;

	if (!gp->n_output)
		ir_error(g, -1, "the graph has no outputs");
	g->outvals = arena_alloc(&g->arena, sizeof(IoValue) * (gp->n_output + 1));
	for (size_t i = 0; i < gp->n_output; i++) {
		const char *nm = gp->output[i]->name ? gp->output[i]->name : "";
		IoValue *ov = &g->outvals[g->noutvals++];
		const Onnx__TypeProto__Tensor *tt;
		int id = name_find(c, nm);
		ov->name = arena_strdup(&g->arena, nm);
		ov->first = g->noutputs;
		ov->count = 1;
		ov->drank = -1;
		if (type_kind(gp->output[i]->type, &ov->kind, &ov->elem, &tt))
			ir_error(g, -1, "output '%s' is neither a tensor, nor a sequence of tensors, "
				 "nor an optional of either", nm);
		else if (id < 0)
			ir_error(g, -1, "output '%s' is not produced by any node", nm);
		else
			ir_output_add(g, id);
		if (tt && tt->shape && ov->kind == V_TENSOR)
			declared_shape(g, ov, tt->shape);
	}
}

/* ---- function expansion, sized before anything expands ---- */

/* What one call of each function adds once every call inside is expanded, memoised per
   function: a body that calls the next function twice at each of 24 levels is 2^24
   nodes, known in 24 steps and refused before one of them is made. */
typedef struct {
	Ctx *c;
	int64_t *size; /* per function: nodes one call adds ((int64_t)ir_max_nodes + 1: more) */
	char *state;   /* per function: 0 not sized, 1 being sized, 2 sized */
	int depth;     /* of the calls being sized */
	int cycle;     /* the function found calling itself, or -1 */
	int deep;      /* one reached through more than MAX_FN_DEPTH calls, or -1 */
} Expand;

static int64_t graph_nodes(Expand *e, Onnx__NodeProto **nodes, size_t n);

static int64_t call_nodes(Expand *e, const Onnx__FunctionProto *f)
{
	size_t k = 0;

	while (e->c->m->functions[k] != f)
		k++;
	if (e->state[k] == 1 && e->cycle < 0)
		e->cycle = (int)k;
	if (e->depth >= MAX_FN_DEPTH && e->deep < 0)
		e->deep = (int)k;
	if (e->state[k] == 0 && e->cycle < 0 && e->deep < 0) {
		e->state[k] = 1;
		e->depth++;
		e->size[k] = graph_nodes(e, f->node, f->n_node);
		e->depth--;
		e->state[k] = 2;
	}
	return e->size[k];
}

/* nodes of a list with the functions they call expanded, and their subgraphs' nodes;
   saturates at (int64_t)ir_max_nodes + 1 */
static int64_t graph_nodes(Expand *e, Onnx__NodeProto **nodes, size_t n)
{
	int64_t sum = 0;

	for (size_t i = 0; i < n && sum <= ir_max_nodes && e->cycle < 0 && e->deep < 0; i++) {
		const Onnx__NodeProto *np = nodes[i];
		const Onnx__FunctionProto *f = called_function(e->c, np);
		sum += f ? call_nodes(e, f) : 1;
		for (size_t a = 0; a < np->n_attribute; a++) {
			const Onnx__AttributeProto *at = np->attribute[a];
			if (at->g)
				sum += graph_nodes(e, at->g->node, at->g->n_node);
			for (size_t k = 0; k < at->n_graphs; k++)
				sum += graph_nodes(e, at->graphs[k]->node, at->graphs[k]->n_node);
		}
	}
	return sum > ir_max_nodes ? (int64_t)ir_max_nodes + 1 : sum;
}

/* Refuses, before anything expands, a model whose functions call themselves, nest
   more than MAX_FN_DEPTH calls deep or expand past ir_max_nodes. */
static int check_expansion(Ctx *c)
{
	const Onnx__ModelProto *m = c->m;
	Expand e = {c, calloc(m->n_functions + 1, sizeof(int64_t)),
		    calloc(m->n_functions + 1, 1), 0, -1, -1};
	int64_t n;

	IR_ASSERT(e.size && e.state);
	n = graph_nodes(&e, m->graph->node, m->graph->n_node);
	if (e.cycle >= 0)
		ir_error(c->g, -1, "function '%s' calls itself, directly or through other "
			 "functions; its expansion would not end", m->functions[e.cycle]->name);
	else if (e.deep >= 0)
		ir_error(c->g, -1, "function '%s' is reached through more than %d nested calls",
			 m->functions[e.deep]->name, MAX_FN_DEPTH);
	else if (n > ir_max_nodes)
		ir_error(c->g, -1, "the model has more than %d nodes with its functions expanded",
			 ir_max_nodes);
	free(e.size);
	free(e.state);
	return e.cycle < 0 && e.deep < 0 && n <= ir_max_nodes;
}

static void load_graph(Ctx *c)
{
	Graph *g = c->g;
	const Onnx__GraphProto *gp = c->m->graph;
	char unpinned[2048] = "";

	load_initializers(c, gp);
	load_inputs(c, gp, unpinned, sizeof unpinned);
	if (*unpinned)
		ir_error(g, -1, "symbolic or unknown dimensions need a value: %s; pin each with "
			 "--dim NAME=VALUE", unpinned);
	if (!check_expansion(c))
		return;
	for (size_t i = 0; i < gp->n_node; i++)
		add_node(c, gp->node[i], NULL);
	if (c->nunsup)
		ir_error(g, -1, "%d node%s use%s unsupported operators:%s", c->nunsup,
			 c->nunsup > 1 ? "s" : "", c->nunsup > 1 ? "" : "s", c->unsup);
	load_outputs(c, gp);
}

static void check_defined(Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		for (int k = 0; k < g->n[i].nin; k++) {
			const Tensor *t = g->n[i].in[k] >= 0 ? &g->t[g->n[i].in[k]] : NULL;
			if (t && t->producer < 0 &&
			    !(t->flags & (T_INPUT | T_CONST | T_OUTER | T_SEQ | T_OPT)))
				ir_error(g, i, "input '%s' is not produced by any node, input or "
					 "initializer", t->name);
		}
}

static void check_arity(Graph *g)
{
	for (int i = 0; i < g->nn; i++) {
		const Node *n = &g->n[i];
		const OpInfo *op = &op_info[n->op];
		int nin = n->nin - n->nimplicit, nout = n->nout;
		while (nin > 0 && n->in[nin - 1] < 0)
			nin--;
		if (nin < op->in_min || (!(op->flags & OPF_VARIADIC) && nin > op->in_max))
			ir_error(g, i, "has %d inputs; %s takes %d to %d", nin, op->name, op->in_min,
				 op->in_max);
		if (nout < op->out_min || nout > op->out_max)
			ir_error(g, i, "has %d outputs; %s gives %d to %d", nout, op->name,
				 op->out_min, op->out_max);
		for (int k = 0; k < op->in_min && k < n->nin; k++)
			if (n->in[k] < 0)
				ir_error(g, i, "required input %d is missing", k);
		/* a list of values, none of them optional (Loop's begins after its optional
		   trip count and condition, Scan-8's after its optional sequence lengths) */
		for (int k = n->op == OP_LOOP ? 2 : n->op == OP_SCAN && n->opset < 9 ? 1 : op->in_min;
		     (op->flags & OPF_VARIADIC) && k < n->nin - n->nimplicit; k++)
			if (n->in[k] < 0)
				ir_error(g, i, "input %d is missing", k);
		for (int k = 0; k < op->out_min && k < n->nout; k++)
			if (n->out[k] < 0)
				ir_error(g, i, "required output %d has no name", k);
	}
}

/* checks and normal forms, of the graph and of its subgraphs */
static void finish(Graph *g)
{
	check_defined(g);
	for (int i = 0; i < g->nn; i++) /* before normalize turns old forms into new ops */
		onnx_check_node(g, i);
	for (int i = 0; i < g->nn; i++)
		onnx_normalize(g, i);
	check_arity(g);
	ir_toposort(g);
	for (int i = 0; i < g->nsub; i++)
		finish(g->sub[i]);
}

Graph *onnx_load(const char *path, const LoadOptions *opt)
{
	Ctx c = {0};
	char err[512];
	size_t len;
	unsigned char *buf = read_file(path, &len, err, sizeof err);
	Onnx__ModelProto *m;
	const char *slash;

	if (!buf) {
		fprintf(stderr, "onnx2mcu: error: %s\n", err);
		return NULL;
	}
	if (onnx_wire_too_deep(&onnx__model_proto__descriptor, buf, len, ONNX_MAX_NESTING)) {
		fprintf(stderr, "%s: its messages nest more than %d deep; refusing to read it\n",
			path, ONNX_MAX_NESTING);
		free(buf);
		return NULL;
	}
	m = onnx__model_proto__unpack(NULL, len, buf);
	free(buf);
	if (!m || !m->graph) {
		fprintf(stderr, "%s: error: not an ONNX model (the file does not parse as a ModelProto%s)\n",
			path, m ? " with a graph" : "");
		if (m)
			onnx__model_proto__free_unpacked(m, NULL);
		return NULL;
	}
	c.g = ir_graph_new(path);
	c.top = &c;
	c.m = m;
	c.opt = opt;
	slash = strrchr(path, '/');
	snprintf(c.dir, sizeof c.dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	/* ancient models without an opset_import: opset 1 */
	c.opset = opset_of(c.g, "the model", m->n_opset_import, m->opset_import, 1);
	if (!c.g->nerrors)
		load_graph(&c);
	onnx__model_proto__free_unpacked(m, NULL);
	c.g->const_bytes = c.const_bytes;
	if (!c.g->nerrors)
		finish(c.g);
	if (c.g->nerrors) {
		ir_graph_free(c.g);
		return NULL;
	}
	return c.g;
}
