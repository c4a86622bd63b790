#!/usr/bin/python3
"""calib_models.py OUTDIR - the calibration zoo of bench/calibrate.sh: models of many
convolutions side by side on one input (direct, pointwise and depthwise; kernels 1x1 to
7x7, strides 1 and 2, pads, dilations, groups, odd channel counts), each in
OUTDIR/calib_<C>x<H>x<W>/ with test_data_set_0 as bench/nodes.sh reads it. Each
convolution's output is summed (ReduceSum) into the one output, which is measured, not
checked (bench/calibrate.sh runs them with BENCH_CHECK=0): its reference is a zero.
Needs python3-onnx and python3-numpy."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

INPUTS = [(3, 32, 32), (8, 24, 24), (16, 12, 12), (32, 6, 6), (64, 25, 5), (16, 48, 48),
          (1, 49, 10), (128, 3, 3), (24, 20, 20)]
# (cout or "dw" times a multiplier, kernel h, kernel w, stride, pad, dilation, group)
CONVS = [(1, 3, 3, 1, 1, 1, 1), (2, 3, 3, 1, 1, 1, 1), (3, 3, 3, 2, 1, 1, 1),
         (4, 3, 3, 1, 1, 1, 1), (5, 3, 3, 1, 0, 1, 1), (6, 5, 5, 1, 2, 1, 1),
         (8, 3, 3, 2, 1, 1, 1), (12, 1, 1, 1, 0, 1, 1), (16, 3, 3, 1, 1, 1, 1),
         (16, 1, 1, 1, 0, 1, 1), (24, 1, 1, 1, 0, 1, 1), (32, 3, 3, 1, 1, 1, 1),
         (7, 1, 1, 1, 0, 1, 1), (32, 1, 1, 1, 0, 1, 1), (8, 7, 7, 2, 3, 1, 1),
         (16, 3, 1, 1, 0, 1, 1), (16, 1, 3, 1, 0, 1, 1), (8, 3, 3, 1, 2, 2, 1),
         (16, 1, 1, 2, 0, 1, 1), (64, 1, 1, 1, 0, 1, 1), (8, 3, 3, 1, 1, 1, 2),
         ("dw", 3, 3, 1, 1, 1, 1), ("dw", 3, 3, 2, 1, 1, 1), ("dw", 3, 3, 1, 0, 1, 1),
         ("dw", 5, 5, 1, 2, 1, 1), ("dw", 3, 3, 1, 2, 2, 1), ("dw", 3, 3, 1, 1, 1, 2),
         ("dw", 5, 5, 2, 2, 1, 1), ("dw", 7, 7, 1, 3, 1, 1)]


def model(c, hh, ww, rng):
    nodes, inits, sums = [], [], []
    x = h.make_tensor_value_info("x", T.FLOAT, [1, c, hh, ww])
    for i, (co, kh, kw, s, pad, d, mult) in enumerate(CONVS, 1):
        if kh > hh + 2 * pad or kw > ww + 2 * pad or (d - 1) * (max(kh, kw) - 1) + \
                max(kh, kw) > min(hh, ww) + 2 * pad:
            continue
        group = c if co == "dw" else (mult if c % mult == 0 else 1)
        cout = c * mult if co == "dw" else co * group
        w = rng.standard_normal((cout, c // group, kh, kw)).astype(np.float32)
        b = rng.standard_normal((cout,)).astype(np.float32)
        inits += [nh.from_array(w, "w%d" % i), nh.from_array(b, "b%d" % i)]
        nodes.append(h.make_node("Conv", ["x", "w%d" % i, "b%d" % i], ["c%d" % i],
                                 strides=[s, s], pads=[pad] * 4, dilations=[d, d],
                                 group=group))
        nodes.append(h.make_node("Relu", ["c%d" % i], ["r%d" % i]))
        nodes.append(h.make_node("ReduceSum", ["r%d" % i], ["s%d" % i], keepdims=0))
        sums.append("s%d" % i)
    nodes.append(h.make_node("Sum", sums, ["y"]))
    g = h.make_graph(nodes, "calib", [x], [h.make_tensor_value_info("y", T.FLOAT, [])],
                     inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 13)])
    xv = rng.standard_normal((1, c, hh, ww)).astype(np.float32)
    return m, xv, np.zeros((), np.float32)


def main():
    rng = np.random.default_rng(1)
    for c, hh, ww in INPUTS:
        d = os.path.join(sys.argv[1], "calib_%dx%dx%d" % (c, hh, ww))
        os.makedirs(os.path.join(d, "test_data_set_0"), exist_ok=True)
        m, xv, y0 = model(c, hh, ww, rng)
        onnx.save(m, os.path.join(d, "model.onnx"))
        for name, v in (("input_0", xv), ("output_0", y0)):
            with open(os.path.join(d, "test_data_set_0", name + ".pb"), "wb") as f:
                f.write(nh.from_array(v, name).SerializeToString())


main()
