#!/usr/bin/python3
"""gen_patch.py - the zoo's patch_stem: a stem written with onnx.helper for patch-based
execution (--patches, passes/patch.c) to cut into bands of rows - strides 2, an asymmetric
zero Pad before a depthwise 4x4, a dilated conv, a 1x1 with a residual Add, a 5x5 stride 2
with a pad of 1, a small output, then a head - with reference outputs from onnxruntime.

Run in the venv test/qmodels/gen.py makes (build/qvenv, pinned onnxruntime and onnx):
    build/qvenv/bin/python test/models/gen_patch.py
The generated files are committed; building and testing never needs python.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "patch_stem"


def main():
    rng = np.random.default_rng(16)
    inits, nodes = [], []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr), name=name))
        return name

    def conv(x, y, cin, cout, k, stride=1, pads=0, dil=1, group=1):
        fan = cin // group * k * k
        w = const(y + "_w", (rng.standard_normal((cout, cin // group, k, k)) /
                             np.sqrt(fan)).astype(np.float32))
        b = const(y + "_b", (rng.standard_normal(cout) * 0.1).astype(np.float32))
        nodes.append(helper.make_node("Conv", [x, w, b], [y], strides=[stride, stride],
                                      pads=[pads] * 4, dilations=[dil, dil], group=group,
                                      kernel_shape=[k, k]))
        return y

    def op(kind, ins, y, **attrs):
        nodes.append(helper.make_node(kind, ins, [y], **attrs))
        return y

    x = conv("x", "a", 3, 16, 3, stride=2, pads=1)
    x = op("Clip", [x, const("zero", np.float32(0)), const("six", np.float32(6))], "a6")
    x = op("Pad", [x, const("pads", np.array([0, 0, 2, 1, 0, 0, 1, 2], np.int64))], "p")
    x = op("Relu", [conv(x, "b", 16, 16, 4, group=16)], "br")
    c = op("Relu", [conv(x, "c", 16, 32, 3, pads=2, dil=2)], "cr")
    x = op("Add", [c, conv(c, "d", 32, 32, 1)], "res")
    x = op("Relu", [conv(x, "e", 32, 48, 5, stride=2, pads=1)], "er")
    x = op("GlobalAveragePool", [conv(x, "f", 48, 4, 1)], "gap")
    x = op("Flatten", [x], "flat")
    fc_w = const("fc_w", (rng.standard_normal((3, 4)) * 0.5).astype(np.float32))
    fc_b = const("fc_b", (rng.standard_normal(3) * 0.1).astype(np.float32))
    op("Gemm", [x, fc_w, fc_b], "y", transB=1)
    graph = helper.make_graph(
        nodes, NAME, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 64, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="onnx2mcu gen_patch.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    out = os.path.join(HERE, NAME)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    for s in range(2):
        xs = rng.standard_normal((1, 3, 64, 64)).astype(np.float32)
        d = os.path.join(out, "test_data_set_%d" % s)
        os.makedirs(d, exist_ok=True)
        for name, arr in (("input_0.pb", xs), ("output_0.pb", sess.run(None, {"x": xs})[0])):
            t = numpy_helper.from_array(arr, name="x" if name.startswith("input") else "y")
            with open(os.path.join(d, name), "wb") as f:
                f.write(t.SerializeToString())
    print("wrote", out)


if __name__ == "__main__":
    main()
