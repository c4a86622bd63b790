#!/usr/bin/python3
"""resnet50.py OUT.onnx - a ResNet-50-sized float model for timing the compiler and the C
compiler (bench/compile.sh): the ResNet-50 v1 layout (a 7x7 stem, max pool, bottleneck
blocks 3-4-6-3 of 1x1, 3x3 and 1x1 convolutions with residual adds, global average
pool, a 1000-way Gemm) on a 1x3x224x224 input, batch norms folded into the
convolutions' biases, random weights: 25.5 million parameters. Needs python3-onnx and
python3-numpy."""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

rng = np.random.default_rng(0)
nodes, inits = [], []


def conv(x, cin, cout, k, stride=1, relu=True):
    i = len(inits)
    w = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))).astype(np.float32)
    inits.extend([nh.from_array(w, "w%d" % i), nh.from_array(np.zeros(cout, np.float32), "b%d" % i)])
    y = "c%d" % i
    nodes.append(h.make_node("Conv", [x, "w%d" % i, "b%d" % i], [y], strides=[stride, stride],
                             pads=[k // 2] * 4))
    if relu:
        nodes.append(h.make_node("Relu", [y], [y + "r"]))
        y += "r"
    return y


x = conv("x", 3, 64, 7, 2)
nodes.append(h.make_node("MaxPool", [x], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1] * 4))
x, cin = "p", 64
for stage, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
    for b in range(blocks):
        stride = 2 if b == 0 and stage > 0 else 1
        y = conv(x, cin, width, 1)
        y = conv(y, width, width, 3, stride)
        y = conv(y, width, width * 4, 1, relu=False)
        skip = conv(x, cin, width * 4, 1, stride, relu=False) if b == 0 else x
        s = "s%d_%d" % (stage, b)
        nodes.append(h.make_node("Add", [y, skip], [s]))
        nodes.append(h.make_node("Relu", [s], [s + "r"]))
        x, cin = s + "r", width * 4
nodes.append(h.make_node("GlobalAveragePool", [x], ["g"]))
nodes.append(h.make_node("Flatten", ["g"], ["f"]))
inits.append(nh.from_array((rng.standard_normal((1000, 2048)) * 0.02).astype(np.float32), "fcw"))
inits.append(nh.from_array(np.zeros(1000, np.float32), "fcb"))
nodes.append(h.make_node("Gemm", ["f", "fcw", "fcb"], ["y"], transB=1))
g = h.make_graph(nodes, "resnet50", [h.make_tensor_value_info("x", T.FLOAT, [1, 3, 224, 224])],
                 [h.make_tensor_value_info("y", T.FLOAT, [1, 1000])], inits)
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 13)]), sys.argv[1])
