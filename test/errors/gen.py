#!/usr/bin/python3
"""gen.py - small bad models for test/errors/run.sh (committed; run with Debian's python3).
Each exercises one kind of bad input the compiler must reject with a clear message."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset),
                                            helper.make_opsetid("com.example", 1)])
    m.ir_version = 8
    onnx.save(m, os.path.join(HERE, name + ".onnx"))


f32 = lambda n, s: helper.make_tensor_value_info(n, TensorProto.FLOAT, s)

# a good model, the seed of the truncated and mutated files
save("good", [helper.make_node("Add", ["x", "w"], ["y"], name="add"),
              helper.make_node("Relu", ["y"], ["z"], name="relu")],
     [f32("x", [2, 3])], [f32("z", [2, 3])],
     [numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3), "w")])
# three unsupported nodes: all must be listed in one message
save("unsupported", [helper.make_node("NonMaxSuppression", ["x", "x"], ["a"], name="nms"),
                     helper.make_node("Relu", ["x"], ["b"], name="ok"),
                     helper.make_node("Frobnicate", ["b"], ["c"], name="custom",
                                      domain="com.example"),
                     helper.make_node("StringNormalizer", ["x"], ["d"], name="strings")],
     [f32("x", [1, 4, 4])], [f32("c", [1, 4, 4])])
# symbolic dims that --dim must pin
save("symbolic", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [f32("x", ["batch", 3, "seq"])], [f32("y", ["batch", 3, "seq"])])
# a shape set by a graph input, which --bind must fix
save("shape_input", [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
     [f32("x", [2, 6]), helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
     [f32("y", [3, 4])])
# shapes that do not broadcast
save("bad_shapes", [helper.make_node("Add", ["x", "z"], ["y"], name="add")],
     [f32("x", [2, 3]), f32("z", [4, 3])], [f32("y", [2, 3])])
# a node reading a value nothing defines
save("undefined", [helper.make_node("Relu", ["nowhere"], ["y"], name="relu")],
     [f32("x", [2])], [f32("y", [2])])
# the value of a --bind for shape_input.onnx
with open(os.path.join(HERE, "shape_3x4.pb"), "wb") as f:
    f.write(numpy_helper.from_array(np.array([3, 4], dtype=np.int64), "shape").SerializeToString())
# a --bind value of another shape than the input's [2]
with open(os.path.join(HERE, "shape_3.pb"), "wb") as f:
    f.write(numpy_helper.from_array(np.array([3, 2, 2], dtype=np.int64), "shape").SerializeToString())
# truncated and random files
good = open(os.path.join(HERE, "good.onnx"), "rb").read()
open(os.path.join(HERE, "truncated.onnx"), "wb").write(good[:len(good) // 2])
open(os.path.join(HERE, "random.onnx"), "wb").write(np.random.default_rng(1).bytes(700))
open(os.path.join(HERE, "empty.onnx"), "wb").close()


# ---- the frontend: external data, Constant forms, attributes, functions, sizes ----

def ext_model(name, entries, blob=None, raw=None):
    """a model whose initializer w (6 floats) lives in external data described by entries
    (key, value); blob is written to ext.bin next to it"""
    w = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3), "w")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    for k, v in entries:
        e = w.external_data.add()
        e.key, e.value = k, v
    save(name, [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
         [f32("x", [2, 3])], [f32("y", [2, 3])], [w])
    if blob is not None:
        open(os.path.join(HERE, "ext.bin"), "wb").write(blob)


ext_model("ext_missing", [("location", "nowhere.bin")])
ext_model("ext_dotdot", [("location", "../errors/ext.bin")])
ext_model("ext_absolute", [("location", "/etc/passwd")])
ext_model("ext_length", [("location", "ext.bin"), ("length", "20")])
ext_model("ext_short", [("location", "ext.bin"), ("offset", "16")])
ext_model("ext_offset", [("location", "ext.bin"), ("offset", "-8")])
ext_model("ext_junk", [("location", "ext.bin"), ("offset", "12abc")])
ext_model("ext_dir", [("location", ".")])
ext_model("ext_good", [("location", "ext.bin"), ("offset", "8"), ("length", "24")],
          blob=bytes(8) + np.arange(6, dtype=np.float32).tobytes())


def constant_model(name, attr):
    n = helper.make_node("Constant", [], ["c"], name="const")
    if attr is not None:
        n.attribute.append(attr)
    save(name, [n, helper.make_node("Add", ["x", "c"], ["y"], name="add")],
         [f32("x", [2])], [f32("y", [2])])


constant_model("constant_string", helper.make_attribute("value_string", "text"))
sparse = onnx.AttributeProto(name="sparse_value", type=onnx.AttributeProto.SPARSE_TENSOR)
sparse.sparse_tensor.values.CopyFrom(numpy_helper.from_array(np.ones(1, np.float32), "v"))
sparse.sparse_tensor.indices.CopyFrom(numpy_helper.from_array(np.zeros(1, np.int64), "i"))
sparse.sparse_tensor.dims.append(2)
constant_model("constant_sparse", sparse)
constant_model("constant_empty", None)
constant_model("constant_no_tensor", onnx.AttributeProto(name="value",
                                                         type=onnx.AttributeProto.TENSOR))
# a tensor attribute that holds no tensor, on another op
cos = helper.make_node("ConstantOfShape", ["s"], ["y"], name="cos")
cos.attribute.append(onnx.AttributeProto(name="value", type=onnx.AttributeProto.TENSOR))
save("attr_no_tensor", [cos], [], [f32("y", [2])],
     [numpy_helper.from_array(np.array([2], np.int64), "s")])
# dimensions whose product overflows 64 bits, in an initializer and in an input
big = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 40] * 4)
save("huge_initializer", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [2])], [f32("y", [2])], [big])
save("huge_input", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [f32("x", [1 << 40, 1 << 40, 1 << 40])], [f32("y", [2])])
# a node that must have an output, with none named
save("no_output", [helper.make_node("Relu", ["x"], [""], name="relu"),
                   helper.make_node("Constant", [], [""], name="const", value_float=1.0)],
     [f32("x", [2])], [f32("x", [2])])
# a function that calls itself
rec = helper.make_function("com.example", "Loop", ["x"], ["y"],
                           [helper.make_node("Loop", ["x"], ["y"], domain="com.example")],
                           [helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
g = helper.make_graph([helper.make_node("Loop", ["x"], ["y"], name="call", domain="com.example")],
                      "recursive", [f32("x", [2])], [f32("y", [2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                        helper.make_opsetid("com.example", 1)], functions=[rec])
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "recursive.onnx"))
# Cast-1 to a type spelled as an unknown string
save("cast_string", [helper.make_node("Cast", ["x"], ["y"], name="cast", to="COMPLEX64")],
     [f32("x", [2])], [f32("y", [2])], opset=1)
# functions that double at each level: 2^24 nodes once expanded, and one that calls
# itself twice
fns = [helper.make_function("com.example", "F%d" % i, ["x"], ["y"],
                            [helper.make_node("F%d" % (i + 1), ["x"], ["t"], domain="com.example"),
                             helper.make_node("F%d" % (i + 1), ["t"], ["y"], domain="com.example")],
                            [helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
       for i in range(24)]
fns.append(helper.make_function("com.example", "F24", ["x"], ["y"],
                                [helper.make_node("Relu", ["x"], ["y"])],
                                [helper.make_opsetid("", 13)]))
g = helper.make_graph([helper.make_node("F0", ["x"], ["y"], name="call", domain="com.example")],
                      "bomb", [f32("x", [2])], [f32("y", [2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                        helper.make_opsetid("com.example", 1)], functions=fns)
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "function_bomb.onnx"))
twice = helper.make_function("com.example", "Twice", ["x"], ["y"],
                             [helper.make_node("Twice", ["x"], ["t"], domain="com.example"),
                              helper.make_node("Twice", ["t"], ["y"], domain="com.example")],
                             [helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
g = helper.make_graph([helper.make_node("Twice", ["x"], ["y"], name="call", domain="com.example")],
                      "twice", [f32("x", [2])], [f32("y", [2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                        helper.make_opsetid("com.example", 1)], functions=[twice])
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "recursive_twice.onnx"))
# 40 functions, each calling the next once: no recursion, but nested too deep
chain = [helper.make_function("com.example", "C%d" % i, ["x"], ["y"],
                              [helper.make_node("C%d" % (i + 1), ["x"], ["y"], domain="com.example")],
                              [helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
         for i in range(40)]
chain.append(helper.make_function("com.example", "C40", ["x"], ["y"],
                                  [helper.make_node("Relu", ["x"], ["y"])],
                                  [helper.make_opsetid("", 13)]))
g = helper.make_graph([helper.make_node("C0", ["x"], ["y"], name="call", domain="com.example")],
                      "chain", [f32("x", [2])], [f32("y", [2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                        helper.make_opsetid("com.example", 1)], functions=chain)
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "function_chain.onnx"))
# broadcast=1 with an axis before opset 7, B computed: its rank is not known at load
save("broadcast_axis", [helper.make_node("Relu", ["b"], ["r"], name="relu"),
                        helper.make_node("Add", ["x", "r"], ["y"], name="add", broadcast=1,
                                         axis=0)],
     [f32("x", [2, 3]), f32("b", [2])], [f32("y", [2, 3])], opset=6)
# the same name twice: a graph input, an initializer
save("input_twice", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [f32("x", [2]), f32("x", [2])], [f32("y", [2])])
save("init_twice", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [2])], [f32("y", [2])],
     [numpy_helper.from_array(np.ones(2, np.float32), "w"),
      numpy_helper.from_array(np.zeros(2, np.float32), "w")])
# a graph input without a name
save("input_noname", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [f32("x", [2]), onnx.ValueInfoProto()], [f32("y", [2])])
# empty strings: an attribute and a Cast-1 'to' (a string attribute with no bytes)
save("empty_string", [helper.make_node("Pad", ["x"], ["y"], name="pad", pads=[1, 1], mode="")],
     [f32("x", [2])], [f32("y", [4])], opset=2)
# Tile-1 takes tiles and axis, not repeats
save("tile_1", [helper.make_node("Tile", ["x", "t", "a"], ["y"], name="tile")],
     [f32("x", [2, 3])], [f32("y", [2, 6])],
     [numpy_helper.from_array(np.array(2, np.int64), "t"),
      numpy_helper.from_array(np.array(1, np.int64), "a")], opset=1)
# an initializer holding one segment of a larger tensor
seg = numpy_helper.from_array(np.ones(2, np.float32), "w")
seg.segment.begin, seg.segment.end = 0, 2
save("segment", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [2])], [f32("y", [2])], [seg])
# an attribute reference in the main graph, where there is nothing to refer to
ref = helper.make_node("LeakyRelu", ["x"], ["y"], name="leaky")
ref.attribute.append(onnx.AttributeProto(name="alpha", ref_attr_name="a",
                                         type=onnx.AttributeProto.FLOAT))
save("ref_outside", [ref], [f32("x", [2])], [f32("y", [2])])
# shapes from values: a Reshape whose dims overflow, an Expand and a Tile too large
i64 = lambda a, n: numpy_helper.from_array(np.array(a, np.int64), n)
save("reshape_huge", [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
     [f32("x", [2])], [f32("y", [2])], [i64([1 << 62, 1 << 62, 0], "s")])
save("expand_huge", [helper.make_node("Expand", ["x", "s"], ["y"], name="expand")],
     [f32("x", [1, 1])], [f32("y", [2])], [i64([1 << 40, 1 << 40], "s")])
save("tile_huge", [helper.make_node("Tile", ["x", "r"], ["y"], name="tile")],
     [f32("x", [2, 2])], [f32("y", [2])], [i64([1 << 62, 1 << 40], "r")])
# control flow the generated code cannot have: an If on a run-time condition, a Loop
# with a run-time trip count, one too long to unroll, one whose condition stays unknown
b1 = lambda n: helper.make_tensor_value_info(n, TensorProto.BOOL, [])
branch = lambda v: helper.make_graph([helper.make_node("Identity", [v], ["o"])], "b", [],
                                     [f32("o", [2])])
save("if_runtime", [helper.make_node("If", ["c"], ["y"], name="if", then_branch=branch("x"),
                                     else_branch=branch("x"))],
     [b1("c"), f32("x", [2])], [f32("y", [2])])
body = helper.make_graph([helper.make_node("Identity", ["ci"], ["co"]),
                          helper.make_node("Relu", ["v"], ["vo"])], "body",
                         [helper.make_tensor_value_info("i", TensorProto.INT64, []), b1("ci"),
                          f32("v", [2])], [b1("co"), f32("vo", [2])])
save("loop_runtime", [helper.make_node("Loop", ["m", "", "x"], ["y"], name="loop", body=body)],
     [helper.make_tensor_value_info("m", TensorProto.INT64, []), f32("x", [2])], [f32("y", [2])])
save("loop_long", [helper.make_node("Loop", ["m", "", "x"], ["y"], name="loop", body=body)],
     [f32("x", [2])], [f32("y", [2])], [i64(1 << 40, "m")])
wbody = helper.make_graph([helper.make_node("ReduceSum", ["v"], ["s"], keepdims=0),
                           helper.make_node("Less", ["s", "ten"], ["co"]),
                           helper.make_node("Relu", ["v"], ["vo"])], "body",
                          [helper.make_tensor_value_info("i", TensorProto.INT64, []), b1("ci"),
                           f32("v", [2])], [b1("co"), f32("vo", [2])],
                          [numpy_helper.from_array(np.array(10, np.float32), "ten")])
save("loop_while", [helper.make_node("Loop", ["", "c", "x"], ["y"], name="loop", body=wbody)],
     [f32("x", [2])], [f32("y", [2])],
     [numpy_helper.from_array(np.array(True), "c")])
# a sequence input whose length nothing gives
save("seq_input", [helper.make_node("SequenceAt", ["s", "k"], ["y"], name="at")],
     [helper.make_tensor_sequence_value_info("s", TensorProto.FLOAT, None)], [f32("y", [2])],
     [i64(0, "k")])
# sequence test data that does not parse: cut short, and a tensor in it cut short
os.makedirs(os.path.join(HERE, "seq_data"), exist_ok=True)
seqpb = numpy_helper.from_list([np.ones(2, np.float32)], "s").SerializeToString()
open(os.path.join(HERE, "seq_data", "input_0.pb"), "wb").write(seqpb[:len(seqpb) - 3])
os.makedirs(os.path.join(HERE, "seq_tensor"), exist_ok=True)
open(os.path.join(HERE, "seq_tensor", "input_0.pb"), "wb").write(b"\x1a\x05abcde")
# CausalConvWithState (opset 27): a weight not [C, 1, K], a past_state not [N, C, K - 1]
# and an activation it does not know
ccs = lambda name, ins, **kw: helper.make_node("CausalConvWithState", ins, ["y"], name=name, **kw)
save("causal_weight", [ccs("ccs", ["x", "w"])], [f32("x", [1, 4, 8]), f32("w", [4, 2, 3])],
     [f32("y", [1, 4, 8])], opset=27)
save("causal_state", [ccs("ccs", ["x", "w", "", "s"])],
     [f32("x", [1, 4, 8]), f32("w", [4, 1, 3]), f32("s", [1, 4, 3])], [f32("y", [1, 4, 8])],
     opset=27)
save("causal_act", [ccs("ccs", ["x", "w"], activation="gelu")],
     [f32("x", [1, 4, 8]), f32("w", [4, 1, 3])], [f32("y", [1, 4, 8])], opset=27)

# ---- hostile models (issue 12): each once crashed, hung or passed silently ----
# Split into num_outputs=0 equal parts (a division by zero)
save("split_zero", [helper.make_node("Split", ["x"], ["a", "b"], name="split", num_outputs=0)],
     [f32("x", [4])], [f32("a", [2]), f32("b", [2])], opset=18)
# a valid model whose kernels come from more than 64 runtime files (an assertion once)
types = [TensorProto.UINT8, TensorProto.INT8, TensorProto.UINT16, TensorProto.INT16,
         TensorProto.INT32, TensorProto.INT64, TensorProto.BOOL, TensorProto.FLOAT16,
         TensorProto.DOUBLE, TensorProto.UINT32, TensorProto.UINT64, TensorProto.BFLOAT16]
nodes, parts = [], []
for t in types:
    nodes += [helper.make_node("Cast", ["x"], ["c%d" % t], to=t),
              helper.make_node("Cast", ["c%d" % t], ["f%d" % t], to=TensorProto.FLOAT)]
    parts.append("f%d" % t)
for op in ["Abs", "Exp", "Sin", "Relu", "Sigmoid", "Floor", "Neg", "Tanh", "Erf", "Softsign"]:
    nodes.append(helper.make_node(op, ["x"], [op]))
    parts.append(op)
nodes += [helper.make_node("Pow", ["x", "x"], ["pow"]), helper.make_node("Mod", ["x", "x"], ["mod"], fmod=1),
          helper.make_node("Max", ["x", "x"], ["max"]), helper.make_node("Div", ["x", "x"], ["div"]),
          helper.make_node("Clip", ["x"], ["clip"]), helper.make_node("PRelu", ["x", "x"], ["prelu"]),
          helper.make_node("Less", ["x", "x"], ["less"]), helper.make_node("Where", ["less", "x", "x"], ["where"]),
          helper.make_node("Equal", ["x", "x"], ["eq"]), helper.make_node("Not", ["eq"], ["ne"]),
          helper.make_node("Where", ["ne", "x", "x"], ["where2"]),
          helper.make_node("MatMul", ["x2", "x2"], ["mm"]), helper.make_node("Flatten", ["mm"], ["mmf"], axis=0),
          helper.make_node("Reshape", ["mmf", "s4"], ["mmr"]),
          helper.make_node("ReduceSum", ["x2", "one"], ["rs"], keepdims=0),
          helper.make_node("Reshape", ["x", "s22"], ["x2"]),
          helper.make_node("Concat", ["rs", "rs"], ["rsc"], axis=0),
          helper.make_node("Softmax", ["x"], ["sm"]), helper.make_node("Gather", ["x", "idx"], ["ga"]),
          helper.make_node("Reshape", ["x", "s1221"], ["x4"]),
          helper.make_node("MaxPool", ["x4"], ["mp"], kernel_shape=[1, 1]),
          helper.make_node("Conv", ["x4", "w4"], ["cv"]),
          helper.make_node("Resize", ["x4", "", "sc"], ["rz"]),
          helper.make_node("LayerNormalization", ["x", "x"], ["ln"]),
          helper.make_node("CumSum", ["x", "zero"], ["cs"]),
          helper.make_node("ArgMax", ["x"], ["am"], keepdims=1),
          helper.make_node("Cast", ["am"], ["amf"], to=TensorProto.FLOAT),
          helper.make_node("Add", ["amf", "x"], ["amx"]),
          helper.make_node("Reshape", ["mp", "s4"], ["mp4"]), helper.make_node("Reshape", ["cv", "s4"], ["cv4"]),
          helper.make_node("Reshape", ["rz", "s4"], ["rz4"]),
          helper.make_node("Sub", ["x", "x"], ["sub"]), helper.make_node("Mul", ["x", "x"], ["mul"]),
          helper.make_node("Or", ["less", "eq"], ["or"]), helper.make_node("Where", ["or", "x", "x"], ["where3"]),
          helper.make_node("BitwiseAnd", ["c6", "c6"], ["band"]),
          helper.make_node("Cast", ["band"], ["bandf"], to=TensorProto.FLOAT),
          helper.make_node("Elu", ["x"], ["elu"]),
          helper.make_node("GatherElements", ["x", "idx"], ["gel"]),
          helper.make_node("QuantizeLinear", ["x", "qs"], ["q"]),
          helper.make_node("DequantizeLinear", ["q", "qs"], ["dq"]),
          helper.make_node("Det", ["x2"], ["det"]), helper.make_node("Add", ["det", "x"], ["detx"]),
          helper.make_node("NegativeLogLikelihoodLoss", ["x2", "t2"], ["nll"], reduction="none"),
          helper.make_node("Concat", ["nll", "nll"], ["nllc"], axis=0)]
parts += ["detx", "nllc", "sub", "mul", "where3", "bandf", "elu", "gel", "dq", "pow", "mod", "max", "div", "clip", "prelu", "where", "where2", "mmr", "rsc", "sm", "ga",
          "mp4", "cv4", "rz4", "ln", "cs", "amx"]
nodes.append(helper.make_node("Sum", parts, ["y"], name="sum"))
save("many_files", nodes, [f32("x", [4])], [f32("y", [4])],
     [i64([4], "s4"), i64([2, 2], "s22"), i64([1, 2, 2, 1], "s1221"), i64([1], "one"),
      i64([0, 1, 2, 3], "idx"), i64(0, "zero"), i64([0, 1], "t2"),
      numpy_helper.from_array(np.ones((2, 2, 1, 1), np.float32), "w4"),
      numpy_helper.from_array(np.ones(4, np.float32), "sc"),
      numpy_helper.from_array(np.array(0.5, np.float32), "qs")], opset=18)


def nested_if(depth):
    """an If whose then branch holds an If ... depth deep, each returning x"""
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["o"])], "leaf", [], [f32("o", [2])])
    for i in range(depth):
        leaf = helper.make_graph([helper.make_node("Identity", ["x"], ["o"])], "leaf", [],
                                 [f32("o", [2])])
        g = helper.make_graph([helper.make_node("If", ["c"], ["o"], name="if%d" % i, then_branch=g,
                                                else_branch=leaf)], "g%d" % i, [], [f32("o", [2])])
    return g.node[0]


# subgraphs nested 20 deep: past the loader's limit
save("nest_graphs", [nested_if(20)], [b1("c"), f32("x", [2])], [f32("o", [2])])


def ld(field, payload):
    """a length-delimited protobuf field"""
    n, v = len(payload), b""
    while True:
        v += bytes([(n & 0x7f) | (0x80 if n > 0x7f else 0)])
        n >>= 7
        if not n:
            break
    return bytes([field << 3 | 2]) + v + payload


# 1000 subgraphs in each other, written by hand (3000 nested messages): a stack overflow
# in protobuf-c's recursive unpack, unless the nesting is bounded first
deep = b""
for i in range(1000):
    deep = ld(1, ld(5, ld(1, b"then_branch") + bytes([0xa0, 1, 5]) + ld(6, deep)) + ld(4, b"If"))
open(os.path.join(HERE, "nest_deep.onnx"), "wb").write(
    bytes([1 << 3, 8]) + ld(8, bytes([2 << 3, 13])) + ld(7, deep))
# a function that calls itself in the branches of an If: no nesting in the file, and
# endless nesting once inlined
rec_if = helper.make_function(
    "com.example", "F", ["c", "x"], ["y"],
    [helper.make_node("If", ["c"], ["y"],
                      then_branch=helper.make_graph(
                          [helper.make_node("F", ["c", "x"], ["t"], domain="com.example")],
                          "then", [], [f32("t", [2])]),
                      else_branch=helper.make_graph([helper.make_node("Identity", ["x"], ["e"])],
                                                    "else", [], [f32("e", [2])]))],
    [helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
g = helper.make_graph([helper.make_node("F", ["c", "x"], ["y"], name="call", domain="com.example")],
                      "recursive_if", [b1("c"), f32("x", [2])], [f32("y", [2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                        helper.make_opsetid("com.example", 1)], functions=[rec_if])
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "recursive_if.onnx"))
# 64K weights made at compile time, from a small file: a NAME.c of some 400 KB
save("big_weights", [helper.make_node("Range", ["zero", "n", "one"], ["r"], name="range"),
                     helper.make_node("Sin", ["r"], ["w"], name="sin"),
                     helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [65536])], [f32("y", [65536])],
     [numpy_helper.from_array(np.array(v, np.float32), n)
      for v, n in [(0, "zero"), (65536, "n"), (1, "one")]])
# 2M weights, some 15 MB of C: a compile long enough to be killed while it writes
save("huge_weights", [helper.make_node("Range", ["zero", "n", "one"], ["r"], name="range"),
                      helper.make_node("Sin", ["r"], ["w"], name="sin"),
                      helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [1 << 21])], [f32("y", [1 << 21])],
     [numpy_helper.from_array(np.array(v, np.float32), n)
      for v, n in [(0, "zero"), (1 << 21, "n"), (1, "one")]])
# attributes of the wrong type: read as their default they gave wrong results silently
save("attr_string_axis", [helper.make_node("Softmax", ["x"], ["y"], name="sm", axis="0")],
     [f32("x", [2, 3])], [f32("y", [2, 3])])
save("attr_string_fmod", [helper.make_node("Mod", ["x", "x"], ["y"], name="mod", fmod="1")],
     [f32("x", [2, 3])], [f32("y", [2, 3])])
save("attr_nan_axis", [helper.make_node("Flatten", ["x"], ["y"], name="flat", axis=float("nan"))],
     [f32("x", [2, 3])], [f32("y", [2, 3])])
# a required attribute left out
save("concat_no_axis", [helper.make_node("Concat", ["x", "x"], ["y"], name="cat")],
     [f32("x", [2, 3])], [f32("y", [4, 3])])
# opsets out of range, and an op older than its opset
for v, n in [(99, "opset_99"), (-3, "opset_neg"), (1 << 62, "opset_huge")]:
    save(n, [helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", [2])], [f32("y", [2])],
         opset=v)
save("opset_early", [helper.make_node("Gelu", ["x"], ["y"], name="gelu")], [f32("x", [2])],
     [f32("y", [2])], opset=13)
# a graph with no outputs; a declared output shape other than the inferred one
save("no_outputs", [helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", [2])], [])
save("output_shape", [helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", [2, 3])],
     [f32("y", [3, 2])])
# huge attribute values that once overflowed the arithmetic on them (undefined behaviour)
save("rnn_hidden", [helper.make_node("RNN", ["x", "w", "r"], ["y"], name="rnn", hidden_size=1 << 62)],
     [f32("x", [1, 1, 2]), f32("w", [1, 2, 2]), f32("r", [1, 2, 2])], [f32("y", [1, 1, 1, 2])])
sbody = helper.make_graph([helper.make_node("Add", ["s", "e"], ["so"]),
                           helper.make_node("Identity", ["so"], ["eo"])], "body",
                          [f32("s", [2]), f32("e", [2])], [f32("so", [2]), f32("eo", [2])])
save("scan_inputs", [helper.make_node("Scan", ["s0", "xs"], ["sf", "ys"], name="scan", body=sbody,
                                      num_scan_inputs=1 << 31)],
     [f32("s0", [2]), f32("xs", [3, 2])], [f32("sf", [2]), f32("ys", [3, 2])], opset=11)
save("conv_dilation", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", dilations=[1 << 62, 1])],
     [f32("x", [1, 1, 4, 4]), f32("w", [1, 1, 3, 3])], [f32("y", [1, 1, 2, 2])])
save("pool_stride", [helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                                      strides=[1 << 62, 1 << 62], pads=[1 << 62] * 4)],
     [f32("x", [1, 1, 4, 4])], [f32("y", [1, 1, 2, 2])])
# a window of 2^28 values from a 75-byte model: past the limit on compile-time values
save("window_huge", [helper.make_node("HannWindow", ["n"], ["y"], name="hann")], [], [f32("y", [4])],
     [i64(1 << 28, "n")], opset=17)
# an initializer of 1 GiB (its dims only: the limit is checked before the data is read)
save("const_1g", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     [f32("x", [1 << 28])], [f32("y", [1 << 28])],
     [TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 28])])
# SplitToSequence into pieces of 2^63 - 1: the sum overflowed
save("split_seq_huge", [helper.make_node("SplitToSequence", ["x", "s"], ["q"], name="sts"),
                        helper.make_node("SequenceAt", ["q", "k"], ["y"], name="at")],
     [f32("x", [6])], [f32("y", [6])], [i64([(1 << 63) - 1, 1], "s"), i64(0, "k")])
# constants that double along a chain of folded Concats (64 KiB, then 128, 256, 512):
# the folded ones count against --max-constants with the loaded one, so a limit of
# 600 KiB folds the first two and leaves the last Concat to run in the generated code
c0 = numpy_helper.from_array(np.zeros(16384, np.float32), "c0")
save("fold_chain", [helper.make_node("Concat", ["c%d" % i, "c%d" % i], ["c%d" % (i + 1)],
                                     name="cat%d" % i, axis=0) for i in range(3)] +
     [helper.make_node("Add", ["x", "c3"], ["y"], name="add")],
     [f32("x", [131072])], [f32("y", [131072])], [c0])
# a QDQ LayerNormalization whose input scale is so small that epsilon / x_scale^2 passes
# the int8 kernel's bound: it stays float (-v says so), its epsilon not clamped
def qdq(name, s, z):
    return [numpy_helper.from_array(np.array(s, np.float32), name + "_s"),
            numpy_helper.from_array(np.array(z, np.int8), name + "_z")]
save("ln_tiny_scale",
     [helper.make_node("QuantizeLinear", ["x", "x_s", "x_z"], ["xq"], name="qx"),
      helper.make_node("DequantizeLinear", ["xq", "x_s", "x_z"], ["xd"], name="dqx"),
      helper.make_node("LayerNormalization", ["xd", "g", "b"], ["ln"], name="norm",
                       epsilon=1e-5),
      helper.make_node("QuantizeLinear", ["ln", "y_s", "y_z"], ["yq"], name="qy"),
      helper.make_node("DequantizeLinear", ["yq", "y_s", "y_z"], ["y"], name="dqy")],
     [f32("x", [2, 8])], [f32("y", [2, 8])],
     qdq("x", 1e-5, 0) + qdq("y", 0.03, 0) +
     [numpy_helper.from_array(np.linspace(0.5, 1.5, 8).astype(np.float32), "g"),
      numpy_helper.from_array(np.linspace(-0.2, 0.2, 8).astype(np.float32), "b")], opset=17)
