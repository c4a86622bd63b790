#!/usr/bin/python3
"""scale.py N OUT.onnx - a synthetic chain of N nodes for timing the compiler: blocks of
MatMul by a constant, bias Add, MatMul by a run-time input, a scalar Div and a Tanh. The
greedy rules fuse the first two into a Gemm; the Div is left for the search, which can
move it into the Gemm's alpha (bench/scale.sh). Needs python3-onnx and python3-numpy."""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
nodes, inits, x = [], [], "x"
for i in range(n // 5):
    inits += [nh.from_array(rng.standard_normal((16, 16)).astype(np.float32), f"w{i}"),
              nh.from_array(rng.standard_normal((16,)).astype(np.float32), f"b{i}"),
              nh.from_array(np.array(4.0, dtype=np.float32), f"c{i}")]
    nodes += [h.make_node("MatMul", [x, f"w{i}"], [f"m{i}"]),
              h.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"]),
              h.make_node("MatMul", [f"a{i}", "k"], [f"s{i}"]),
              h.make_node("Div", [f"s{i}", f"c{i}"], [f"d{i}"]),
              h.make_node("Tanh", [f"d{i}"], [f"t{i}"])]
    x = f"t{i}"
g = h.make_graph(nodes, "chain", [h.make_tensor_value_info("x", T.FLOAT, [4, 16]),
                                  h.make_tensor_value_info("k", T.FLOAT, [16, 16])],
                 [h.make_tensor_value_info(x, T.FLOAT, [4, 16])], inits)
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)]), out)
