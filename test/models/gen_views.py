#!/usr/bin/python3
"""gen_views.py - the zoo's views_concat: a graph written with onnx.helper for buffers
with parts (passes/plan.c): channel Splits of the graph input and of a tensor in the
arena (views at byte offsets), an activation over a view further into its buffer, a
channel Slice (a view) and a row Slice and a Slice 36 bytes in (copies), Concats whose
producers write into them, one of a view and a computed tensor (copies), one nested in
another, one that is a graph output, a Split part as a graph output, and two branches
listed in an order that peaks higher than needed (the schedule pass) - with reference
outputs from onnxruntime.

Run in the venv test/qmodels/gen.py makes (build/qvenv, pinned onnxruntime and onnx):
    build/qvenv/bin/python test/models/gen_views.py
The generated files are committed; building and testing never needs python.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "views_concat"


def main():
    rng = np.random.default_rng(23)
    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr), name=name))
        return name

    def conv(x, y, cin, cout, k, pads=0, stride=1):
        w = const(y + "_w", (rng.standard_normal((cout, cin, k, k)) /
                             np.sqrt(cin * k * k)).astype(np.float32))
        b = const(y + "_b", (rng.standard_normal(cout) * 0.1).astype(np.float32))
        nodes.append(helper.make_node("Conv", [x, w, b], [y], pads=[pads] * 4,
                                      strides=[stride, stride], kernel_shape=[k, k]))
        return y

    def op(kind, ins, outs, **attrs):
        outs = outs if isinstance(outs, list) else [outs]
        nodes.append(helper.make_node(kind, ins, outs, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def ints(name, v):
        return const(name, np.array(v, np.int64))

    # the graph input split into channels 0-2 and 3-7: views of the caller's buffer
    s0, s1 = op("Split", ["x", ints("sp_in", [3, 5])], ["s0", "s1"], axis=1)
    a = op("Relu", [conv(s0, "a", 3, 6, 3, pads=1)], "ar")
    b = op("Sigmoid", [s1], "bs")
    c = op("Concat", [a, b], "c", axis=1)  # a and b written into c
    d = conv(c, "d", 11, 8, 1)
    e0, e1 = op("Split", [d, ints("sp_d", [4, 4])], ["e0", "e1"], axis=1)
    f = op("Tanh", [e1], "f")  # over the second part of d's buffer
    g = op("Concat", [e0, f], "g", axis=1)  # a view and a computed part: copies
    h = op("Slice", [g, ints("h_s", [2]), ints("h_e", [6]), ints("h_a", [1])], "h")  # a view
    k = op("Relu", [conv(h, "k", 4, 4, 3, pads=1)], "kr")
    rows = op("Slice", [k, ints("r_s", [3]), ints("r_e", [9]), ints("r_a", [2])], "rows")
    odd = op("Slice", [k, ints("o_s", [1]), ints("o_e", [2]), ints("o_a", [1])], "odd")
    # two branches listed head first: both 1x1 expansions, then both reductions
    p = conv(rows, "p", 4, 32, 1)
    q = conv(odd, "q", 1, 32, 1)
    pm = op("ReduceMax", [p], "pm", axes=[2, 3], keepdims=1)
    qm = op("ReduceMax", [q], "qm", axes=[2, 3], keepdims=1)
    inner = op("Concat", [conv(k, "u", 4, 3, 1), conv(k, "v", 4, 5, 1)], "inner", axis=1)
    outer = op("Concat", [inner, conv(k, "w", 4, 2, 1)], "outer", axis=1)
    pooled = op("GlobalAveragePool", [outer], "pooled")
    small = conv(k, "t", 4, 3, 3, stride=4)  # [1, 3, 3, 3]: a channel is 36 bytes
    mid = op("Slice", [small, ints("m_s", [1]), ints("m_e", [2]), ints("m_a", [1])], "mid")
    mm = op("ReduceMax", [mid], "mm", axes=[2, 3], keepdims=1)  # mid: a copy (offset 36)
    y = op("Concat", [pm, qm, pooled, mm], "y", axis=1)  # a graph output written into
    op("Identity", [e0], "y_part")  # a Split part as a graph output
    graph = helper.make_graph(
        nodes, NAME, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 12, 12])],
        [helper.make_tensor_value_info(y, TensorProto.FLOAT, [1, 75, 1, 1]),
         helper.make_tensor_value_info("y_part", TensorProto.FLOAT, [1, 4, 12, 12])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="onnx2mcu gen_views.py")
    onnx.checker.check_model(model, full_check=True)
    out = os.path.join(HERE, NAME)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for i in range(2):
        d = os.path.join(out, "test_data_set_%d" % i)
        os.makedirs(d, exist_ok=True)
        x = rng.standard_normal((1, 8, 12, 12)).astype(np.float32)
        outs = sess.run(None, {"x": x})
        with open(os.path.join(d, "input_0.pb"), "wb") as fh:
            fh.write(numpy_helper.from_array(x, "x").SerializeToString())
        for j, (name, v) in enumerate(zip(["y", "y_part"], outs)):
            with open(os.path.join(d, "output_%d.pb" % j), "wb") as fh:
                fh.write(numpy_helper.from_array(v, name).SerializeToString())


if __name__ == "__main__":
    main()
