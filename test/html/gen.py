#!/usr/bin/python3
"""gen.py - names.onnx for test/html/run.sh (committed; needs only python3): two nodes
whose node, tensor and graph names hold markup, which the HTML report must escape. The
protobuf is written by hand so that the script needs no onnx package."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
NODE = '<script>console.error("not escaped")</script>&amp;\'1'
MID = '<img src=x onerror="console.error(2)">&"mid"'


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += struct.pack("B", b | 0x80)
        else:
            return out + struct.pack("B", b)


def field(num, value):  # int -> varint field, bytes/str -> length-delimited field
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(num << 3 | 2) + varint(len(value)) + value


def value_info(name, dims):  # a float tensor of fixed shape
    shape = b"".join(field(1, field(1, d)) for d in dims)
    return field(1, name) + field(2, field(1, field(1, 1) + field(2, shape)))


def node(name, op, inp, out):
    return field(1, inp) + field(2, out) + field(3, name) + field(4, op)


graph = (field(1, node(NODE, "Sigmoid", "x", MID)) +
         field(1, node("tail</td>", "Tanh", MID, "y")) +
         field(2, "<b>graph</b>") +
         field(11, value_info("x", [1, 8])) +
         field(12, value_info("y", [1, 8])))
model = field(1, 8) + field(8, field(1, "") + field(2, 13)) + field(7, graph)
with open(os.path.join(HERE, "names.onnx"), "wb") as f:
    f.write(model)
