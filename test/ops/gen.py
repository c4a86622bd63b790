#!/usr/bin/python3
"""gen.py - adversarial fixtures for the elementwise and data-movement ops (run with
Debian's python3: onnx and numpy). Writes test/ops/NAME/model.onnx and
test_data_set_0/{input,output}_N.pb; references are computed here with numpy or exact
Python arithmetic following the ONNX spec, never with onnx2mcu. Optional files per case:
NAME/args (extra validate options, @DIR@ is the case folder) and NAME/error (the model
must be rejected cleanly with a message matching this extended regex).
Where ONNX leaves a result undefined, the expectation is the behaviour onnx2mcu defines:
integer division or remainder by zero gives 0; float to integer casts saturate and NaN
gives 0; an integer Pow with a negative exponent truncates the real power (0 for a zero
base)."""
import math
import os
import shutil
import sys
from fractions import Fraction

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
np.seterr(all="ignore")  # references meet inf and NaN on purpose
I64_MIN, I64_MAX = -2**63, 2**63 - 1
I32_MIN, I32_MAX = -2**31, 2**31 - 1
node = helper.make_node


# ---- bfloat16: numpy has none; held as uint16 bit patterns ----

class BF16:
    def __init__(self, bits):
        self.bits = np.asarray(bits, dtype=np.uint16)
        self.shape = self.bits.shape

    def f32(self):
        return (self.bits.astype(np.uint32) << 16).view(np.float32)


def bf16(x):
    """float32 values rounded to bfloat16, nearest even (NaN stays NaN)."""
    u = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    s16 = np.uint64(16)
    r = ((u + np.uint64(0x7fff) + ((u >> s16) & np.uint64(1))) >> s16).astype(np.uint16)
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    return BF16(np.where(nan, (u >> s16).astype(np.uint16) | np.uint16(0x40), r))


# ---- exact rounding to a binary float format (for casts and references) ----

FMT = {"f64": (53, -1022, 1023), "f32": (24, -126, 127), "f16": (11, -14, 15),
       "bf16": (8, -126, 127)}


def round_to(x, fmt):
    """The finite value x (int, float or Fraction) rounded to nearest even in fmt, as a
    Python float (every such format is a subset of double); inf on overflow."""
    p, emin, emax = FMT[fmt]
    a = abs(Fraction(x))
    if a == 0:
        return 0.0
    e = a.numerator.bit_length() - a.denominator.bit_length()
    while Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    ulp = Fraction(2) ** (max(e, emin) - p + 1)
    n = math.floor(a / ulp)
    r = a / ulp - n
    if r > Fraction(1, 2) or (r == Fraction(1, 2) and n % 2):
        n += 1
    v = n * ulp
    if v > (2 - Fraction(2) ** (1 - p)) * Fraction(2) ** emax:
        return math.copysign(math.inf, x)
    return math.copysign(float(v), x)


# ---- element types ----

TYPES = {  # suffix: (numpy dtype or None, ONNX code, int bits, signed)
    "f32": (np.float32, TensorProto.FLOAT, 0, 1), "f64": (np.float64, TensorProto.DOUBLE, 0, 1),
    "f16": (np.float16, TensorProto.FLOAT16, 0, 1), "bf16": (None, TensorProto.BFLOAT16, 0, 1),
    "s8": (np.int8, TensorProto.INT8, 8, 1), "s16": (np.int16, TensorProto.INT16, 16, 1),
    "s32": (np.int32, TensorProto.INT32, 32, 1), "s64": (np.int64, TensorProto.INT64, 64, 1),
    "u8": (np.uint8, TensorProto.UINT8, 8, 0), "u16": (np.uint16, TensorProto.UINT16, 16, 0),
    "u32": (np.uint32, TensorProto.UINT32, 32, 0), "u64": (np.uint64, TensorProto.UINT64, 64, 0),
    "bool": (np.bool_, TensorProto.BOOL, 1, 0),
}


def make_array(values, t):
    """values (Python numbers, exactly representable) as an array of type t."""
    if t == "bf16":
        return bf16(np.array(values, np.float32))
    return np.array(values, dtype=TYPES[t][0])


def values_of(a, t):
    """the exact elements of an array of type t as Python numbers."""
    if t == "bf16":
        return [float(v) for v in a.f32()]
    if TYPES[t][2] == 0:
        return [float(v) for v in a]
    return [int(v) for v in a]


def cast_value(v, t):
    """ONNX Cast of one exact value to type t (onnx2mcu's rules where ONNX leaves it open:
    float to integer truncates, saturates, NaN gives 0; integers wrap)."""
    isf = isinstance(v, float)
    if t == "bool":
        return bool(v != 0 or (isf and math.isnan(v)))
    bits, signed = TYPES[t][2], TYPES[t][3]
    if bits == 0:
        if isf and (math.isnan(v) or math.isinf(v) or v == 0):
            return v
        return round_to(v, t)
    lo, hi = (-2**(bits - 1), 2**(bits - 1) - 1) if signed else (0, 2**bits - 1)
    if isf:
        if math.isnan(v):
            return 0
        if math.isinf(v):
            return hi if v > 0 else lo
        return min(max(math.trunc(v), lo), hi)
    return (v - lo) % 2**bits + lo


# ---- writing cases ----

def elem_type(a):
    return TensorProto.BFLOAT16 if isinstance(a, BF16) else \
        onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.asarray(a).dtype]


def to_tensor(a, name):
    if isinstance(a, BF16):
        t = TensorProto()
        t.name, t.data_type = name, TensorProto.BFLOAT16
        t.dims.extend(a.shape)
        t.raw_data = a.bits.astype("<u2").tobytes()
        return t
    return numpy_helper.from_array(np.asarray(a), name)


def vinfo(name, a):
    return helper.make_tensor_value_info(name, elem_type(a), list(a.shape))


CASES = []


def case(name, nodes, inputs, outputs, inits=(), opset=20, args=None, error=None):
    """inputs, outputs, inits: lists of (name, array); inputs are fed at run time."""
    CASES.append(name)
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "test_data_set_0"))
    g = helper.make_graph(nodes, name, [vinfo(n, a) for n, a in inputs],
                          [vinfo(n, a) for n, a in outputs],
                          [to_tensor(a, n) for n, a in inits])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.save(m, os.path.join(d, "model.onnx"))
    for kind, lst in (("input", inputs), ("output", outputs)):
        for k, (n, a) in enumerate(lst):
            with open(os.path.join(d, "test_data_set_0", "%s_%d.pb" % (kind, k)), "wb") as f:
                f.write(to_tensor(a, n).SerializeToString())
    if args:
        with open(os.path.join(d, "args"), "w") as f:
            f.write(args + "\n")
    if error:
        with open(os.path.join(d, "error"), "w") as f:
            f.write(error + "\n")


EXACT = "--atol 0 --rtol 0"


def f32(*shape, lo=-3, hi=3):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def unary(name, op, x, y, opset=20, args=None, **attrs):
    case(name, [node(op, ["x"], ["y"], **attrs)], [("x", x)], [("y", y)], opset=opset, args=args)


def binary(name, op, a, b, y, opset=20, args=None, **attrs):
    case(name, [node(op, ["a", "b"], ["y"], **attrs)], [("a", a), ("b", b)], [("y", y)],
         opset=opset, args=args)


# ================= broadcasting, in place, outputs =================

def gen_broadcast():
    a, b = np.array(2.5, np.float32), f32(2, 1, 3, 1, 2, 2)
    binary("bcast_rank0_rank6", "Add", a, b, a + b)
    a, b = f32(2, 1, 3), f32(2, 4, 1)
    binary("bcast_both_mid1", "Mul", a, b, a * b)
    a, b = f32(2, 1, 2, 1, 2, 1, 2), f32(1, 2, 1, 2, 1, 2, 1)
    binary("bcast_7d_alternating", "Sub", a, b, a - b)
    a, b = f32(1, 2, 1, 2, 1, 2, 1, 2), f32(2, 1, 2, 1, 2, 1, 2, 1)
    binary("bcast_8d_alternating", "Div", a, b + 4, a / (b + 4))
    a, b = f32(2, 3, 1, 2, 1, 3, 1, 2), f32(3, 1, 4, 1)
    binary("bcast_8d_rank4", "Add", a, b, a + b)
    a, b = f32(0, 3), f32(1, 3)
    binary("bcast_empty", "Add", a, b, a + b)
    a, b = f32(2, 0, 1), f32(3)
    binary("bcast_empty_grow", "Mul", a, b, a * b)
    c = rng.integers(0, 2, (2, 1, 3)).astype(bool)
    x, z = f32(1, 4, 1), np.array(-1.0, np.float32)
    case("where_bcast3", [node("Where", ["c", "x", "z"], ["y"])],
         [("c", c), ("x", x), ("z", z)], [("y", np.where(c, x, z))])
    x = rng.integers(-100, 100, (2, 3, 4)).astype(np.int64)
    case("where_int64_scalar_cond", [node("Where", ["c", "x", "z"], ["y"])],
         [("x", x)], [("y", np.where(True, x, np.int64(I64_MIN)))],
         inits=[("c", np.array(True)), ("z", np.array(I64_MIN, np.int64))])
    # the same tensor as both operands, in the arena, where in place is tempting
    x = f32(3, 4)
    t = np.maximum(x, 0)
    case("same_tensor_both_inputs", [node("Relu", ["x"], ["t"]), node("Add", ["t", "t"], ["u"]),
                                     node("Mul", ["u", "u"], ["y"])],
         [("x", x)], [("y", (t + t) * (t + t))])
    case("same_tensor_three_inputs", [node("Exp", ["x"], ["t"]), node("Sum", ["t", "t", "t"], ["y"])],
         [("x", x)], [("y", np.exp(x) * 3)])
    # a graph input read by two in-place-capable ops, and tensors read after
    case("input_two_consumers", [node("Neg", ["x"], ["a"]), node("Abs", ["x"], ["b"]),
                                 node("Sigmoid", ["a"], ["c"]), node("Add", ["b", "x"], ["d"]),
                                 node("Sub", ["d", "a"], ["e"])],
         [("x", x)], [("c", 1 / (1 + np.exp(x))), ("e", np.abs(x) + x + x)])
    # outputs consumed later, and an output that is a view of another output
    case("output_consumed_later", [node("Relu", ["x"], ["y"]), node("Mul", ["y", "y"], ["z"]),
                                   node("Reshape", ["y", "s"], ["w"]), node("Neg", ["z"], ["v"])],
         [("x", x)], [("y", t), ("z", t * t), ("w", t.reshape(12)), ("v", -t * t)],
         inits=[("s", np.array([12], np.int64))])
    case("output_is_input", [node("Identity", ["x"], ["y"]), node("Flatten", ["x"], ["z"], axis=0)],
         [("x", x)], [("y", x), ("z", x.reshape(1, 12))])
    case("output_twice", [node("Tanh", ["x"], ["y"])], [("x", x)], [("y", np.tanh(x)), ("y", np.tanh(x))])
    # before opset 7: broadcast=1 broadcasts B, aligned at `axis` of A when given
    a, b = f32(2, 3, 4, 5), f32(3, 4)
    case("add6_broadcast_axis", [node("Add", ["a", "b"], ["y"], broadcast=1, axis=1)], [("a", a), ("b", b)],
         [("y", a + b.reshape(3, 4, 1))], opset=6)
    b = f32(2)
    case("mul6_broadcast_axis0", [node("Mul", ["a", "b"], ["y"], broadcast=1, axis=0),
                                  node("Greater", ["a", "b"], ["g"], broadcast=1, axis=0)],
         [("a", a), ("b", b)], [("y", a * b.reshape(2, 1, 1, 1)), ("g", a > b.reshape(2, 1, 1, 1))], opset=6)
    b = f32(4, 5)
    case("sub6_broadcast_suffix", [node("Sub", ["a", "b"], ["y"], broadcast=1)], [("a", a), ("b", b)],
         [("y", a - b)], opset=6)
    p, b = np.abs(a) + np.float32(0.5), f32(4)
    case("pow1_broadcast_axis", [node("Pow", ["p", "b"], ["y"], broadcast=1, axis=2)], [("p", p), ("b", b)],
         [("y", np.power(p, b.reshape(4, 1)))], opset=1)
    a, b = f32(2, 3), f32(2, 1)
    case("concat1_default_axis", [node("Concat", ["a", "b"], ["y"])], [("a", a), ("b", b)],
         [("y", np.concatenate([a, b], axis=1))], opset=1)
    case("reshape1_attr", [node("Reshape", ["a"], ["y"], shape=[3, -1])], [("a", a)], [("y", a.reshape(3, 2))],
         opset=1)
    # in place on the second operand while the first broadcasts
    a, b = f32(4), f32(3, 4)
    case("inplace_second_operand", [node("Exp", ["b"], ["e"]), node("Sub", ["a", "e"], ["d"]),
                                    node("Sub", ["d", "a"], ["y"])],
         [("a", a), ("b", b)], [("y", (a - np.exp(b)) - a)])
    # a view of a tensor that is overwritten in place afterwards must keep its value
    case("view_then_inplace", [node("Exp", ["x"], ["e"]), node("Reshape", ["e", "s"], ["v"]),
                               node("Neg", ["e"], ["n"]), node("Add", ["v", "v"], ["w"])],
         [("x", x)], [("n", -np.exp(x)), ("w", (np.exp(x) * 2).reshape(12))],
         inits=[("s", np.array([12], np.int64))])
    a, b, c = f32(4), f32(3, 1), f32(2, 1, 1)
    case("sum_three_bcast", [node("Sum", ["a", "b", "c"], ["y"])],
         [("a", a), ("b", b), ("c", c)], [("y", a + b + c)])
    case("mean_three_bcast", [node("Mean", ["a", "b", "c"], ["y"])],
         [("a", a), ("b", b), ("c", c)], [("y", ((a + b + c) / 3).astype(np.float32))])
    case("max_one_input", [node("Max", ["a"], ["y"])], [("a", a)], [("y", a)])
    a = rng.integers(-5, 5, (2, 3, 4, 5)).astype(np.float32)
    s = np.array([[[0.5]], [[-2]], [[0]]], np.float32)
    binary("prelu_channel", "PRelu", a, s, np.where(a < 0, a * s, a))
    a = rng.integers(-100, 100, (3, 4)).astype(np.int32)
    binary("prelu_int32", "PRelu", a, np.array([2], np.int32), np.where(a < 0, a * 2, a).astype(np.int32))


# ================= integer semantics =================

def wrap(v, t):
    return cast_value(int(v), t)


def tdiv(a, b):
    if b == 0:
        return 0  # defined by onnx2mcu
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def mod_floor(a, b):
    return 0 if b == 0 else a % b  # Python: the sign of the divisor


def mod_trunc(a, b):
    return 0 if b == 0 else a - b * tdiv(a, b)


def int_case(name, op, t, av, bv, fn, **attrs):
    a, b = make_array(av, t), make_array(bv, t)
    y = make_array([wrap(fn(int(x), int(z)), t) for x, z in zip(av, bv)], t)
    binary(name, op, a, b, y, **attrs)


def gen_integer():
    smin = {"s8": -128, "s16": -32768, "s32": I32_MIN, "s64": I64_MIN}
    for t in ("s8", "s16", "s32", "s64"):
        lo = smin[t]
        av = [7, -7, 7, -7, 0, lo, lo, lo, 5, -5, lo + 1, -lo - 1]
        bv = [2, 2, -2, -2, 3, -1, 1, 0, 0, 0, -1, lo]
        int_case("div_%s" % t, "Div", t, av, bv, tdiv)
        int_case("mod_%s" % t, "Mod", t, av, bv, mod_floor)
        int_case("fmod_%s" % t, "Mod", t, av, bv, mod_trunc, fmod=1)
    for t in ("u8", "u16", "u32", "u64"):
        hi = 2**TYPES[t][2] - 1
        av, bv = [7, hi, hi, 0, 5, hi - 1], [2, 1, hi, 3, 0, hi]
        int_case("div_%s" % t, "Div", t, av, bv, tdiv)
        int_case("mod_%s" % t, "Mod", t, av, bv, mod_floor)
        int_case("fmod_%s" % t, "Mod", t, av, bv, mod_trunc, fmod=1)
    int_case("add_wrap_s8", "Add", "s8", [127, -128, 100, -100], [1, -1, 100, -100], lambda a, b: a + b)
    int_case("add_wrap_u8", "Add", "u8", [255, 200, 0], [1, 100, 0], lambda a, b: a + b)
    int_case("sub_wrap_u16", "Sub", "u16", [0, 5, 65535], [1, 6, 65535], lambda a, b: a - b)
    int_case("mul_wrap_s16", "Mul", "s16", [300, -300, 32767, -32768], [300, 300, 2, -1], lambda a, b: a * b)
    int_case("mul_wrap_s32", "Mul", "s32", [65536, I32_MAX, I32_MIN], [65536, 2, -1], lambda a, b: a * b)
    int_case("mul_wrap_s64", "Mul", "s64", [2**62, I64_MAX, I64_MIN, 3037000500],
             [4, 3, -1, 3037000500], lambda a, b: a * b)
    int_case("sub_wrap_s64", "Sub", "s64", [I64_MIN, I64_MAX], [1, -1], lambda a, b: a - b)
    # exact integer comparisons above 2^53 (no detour through double)
    a = np.array([2**62 + 1, I64_MAX, I64_MIN, -1], np.int64)
    b = np.array([2**62, I64_MAX - 1, I64_MIN + 1, -1], np.int64)
    case("compare_s64_exact", [node("Greater", ["a", "b"], ["g"]), node("Equal", ["a", "b"], ["e"]),
                               node("LessOrEqual", ["a", "b"], ["l"]), node("Max", ["a", "b"], ["m"]),
                               node("Min", ["a", "b"], ["n"])],
         [("a", a), ("b", b)], [("g", a > b), ("e", a == b), ("l", a <= b), ("m", np.maximum(a, b)),
                                ("n", np.minimum(a, b))])
    a = np.array([2**64 - 1, 2**63, 0], np.uint64)
    b = np.array([2**64 - 2, 2**63, 1], np.uint64)
    case("compare_u64_exact", [node("Less", ["a", "b"], ["l"]), node("Equal", ["a", "b"], ["e"]),
                               node("Max", ["a", "b"], ["m"])],
         [("a", a), ("b", b)], [("l", a < b), ("e", a == b), ("m", np.maximum(a, b))])
    # shifts by the type's width or more give 0 (as numpy)
    for t, w in (("u8", 8), ("u16", 16), ("u32", 32), ("u64", 64)):
        hi = 2**w - 1
        av = [1, hi, hi, 1, hi, 5, hi]
        bv = [0, 1, w - 1, w, w + 1, 255, hi]
        shl = [(x << z) & hi if z < w else 0 for x, z in zip(av, bv)]
        shr = [x >> z if z < w else 0 for x, z in zip(av, bv)]
        binary("bitshift_left_%s" % t, "BitShift", make_array(av, t), make_array(bv, t),
               make_array(shl, t), direction="LEFT")
        binary("bitshift_right_%s" % t, "BitShift", make_array(av, t), make_array(bv, t),
               make_array(shr, t), direction="RIGHT")
    a = np.array([-128, -1, 0, 127, 85], np.int8)
    b = np.array([127, -128, -1, 1, -86], np.int8)
    case("bitwise_s8", [node("BitwiseAnd", ["a", "b"], ["x"]), node("BitwiseOr", ["a", "b"], ["o"]),
                        node("BitwiseXor", ["a", "b"], ["e"]), node("BitwiseNot", ["a"], ["n"])],
         [("a", a), ("b", b)], [("x", a & b), ("o", a | b), ("e", a ^ b), ("n", ~a)])
    a = np.array([2**64 - 1, 2**63, 12345678901234567890], np.uint64)
    b = np.array([2**63 + 1, 2**63 - 1, 2**64 - 1], np.uint64)
    case("bitwise_u64", [node("BitwiseAnd", ["a", "b"], ["x"]), node("BitwiseXor", ["a", "b"], ["e"]),
                         node("BitwiseNot", ["b"], ["n"])],
         [("a", a), ("b", b)], [("x", a & b), ("e", a ^ b), ("n", ~b)])
    a = np.array([-128, -127, -1, 0, 127], np.int8)
    case("unary_s8_extremes", [node("Abs", ["a"], ["p"]), node("Neg", ["a"], ["n"]),
                               node("Sign", ["a"], ["s"]), node("Relu", ["a"], ["r"])],
         [("a", a)], [("p", np.abs(a)), ("n", -a), ("s", np.sign(a)), ("r", np.maximum(a, 0))])
    a = np.array([I64_MIN, -1, 0, I64_MAX], np.int64)
    case("unary_s64_extremes", [node("Abs", ["a"], ["p"]), node("Neg", ["a"], ["n"]),
                                node("Sign", ["a"], ["s"])],
         [("a", a)], [("p", np.abs(a)), ("n", -a), ("s", np.sign(a))])
    a = np.array([-128, -5, 0, 5, 127], np.int8)
    case("clip_s8", [node("Clip", ["a", "lo", "hi"], ["y"])], [("a", a)], [("y", np.clip(a, -6, 4))],
         inits=[("lo", np.array(-6, np.int8)), ("hi", np.array(4, np.int8))])
    case("clip_min_above_max", [node("Clip", ["a", "lo", "hi"], ["y"])], [("a", f32(5))],
         [("y", np.full(5, -1, np.float32))],
         inits=[("lo", np.array(2, np.float32)), ("hi", np.array(-1, np.float32))])
    a = np.array([2**64 - 1, 0, 7], np.uint64)
    case("clip_u64_max_only", [node("Clip", ["a", "", "hi"], ["y"])], [("a", a)],
         [("y", np.minimum(a, np.uint64(2**63)))], inits=[("hi", np.array(2**63, np.uint64))])
    a = np.array([100, 100, -100, 1], np.int8)
    case("sum_s8_wrap", [node("Sum", ["a", "a", "b"], ["y"])], [("a", a)],
         [("y", (a + a + np.int8(50)).astype(np.int8))], inits=[("b", np.array([50], np.int8))])
    gen_pow()


def ipow(base, e):
    if e >= 0:
        return base ** e
    if base == 1:
        return 1
    if base == -1:
        return -1 if e % 2 else 1
    return 0  # |base| >= 2 truncates to 0; base 0 is defined as 0


def gen_pow():
    bv = [2, -2, 3, 0, 0, 1, -1, -1, 2, -3, 7, 2, 5, -2]
    ev = [10, 3, 0, 0, -1, -5, -3, -4, 31, 21, 39, -2, 1, 63]
    for t in ("s32", "s64"):
        y = [wrap(ipow(b, e), t) for b, e in zip(bv, ev)]
        binary("pow_%s" % t, "Pow", make_array(bv, t), make_array(ev, t), make_array(y, t))
    # exponent of another integer type: converted, the value is the same
    y = [wrap(ipow(b, e), "s64") for b, e in zip(bv, ev)]
    binary("pow_s64_exp_s8", "Pow", make_array(bv, "s64"), make_array(ev, "s8"), make_array(y, "s64"))
    # an int64 exponent beyond int32 on an int32 base: exact, then wrapped
    bw, ew = [-1, -1, 2, 3, 3], [2**32, 2**32 + 1, 2**32 + 1, 2**32, 2**40 + 3]
    y = [wrap(pow(b, e, 2**64), "s32") for b, e in zip(bw, ew)]
    binary("pow_s32_exp_s64_big", "Pow", make_array(bw, "s32"), make_array(ew, "s64"), make_array(y, "s32"))
    # a float exponent with an integer base: the real power, truncated (numpy's
    # np.power(a, b).astype(a.dtype)); NaN and overflow follow the saturating cast
    b = np.array([4, 2, 9, 10, -8, 0, 7, 3], np.int32)
    e = np.array([0.5, 2.9, 1.5, 9.0, 1 / 3, -1, -0.5, 3.5], np.float32)
    real = [math.pow(float(x), float(z)) if not (x < 0 and float(z) != int(z)) and not (x == 0 and z < 0)
            else (math.nan if x < 0 else math.inf) for x, z in zip(b, e)]
    binary("pow_s32_exp_f32", "Pow", b, e, make_array([cast_value(v, "s32") for v in real], "s32"))
    b = np.array([2, -2, 0.5, 0, -0.0, -8, 1, np.nan, 10], np.float32)
    e = np.array([3, 3, -2, -1, -1, 3, 2**40, 0, 40], np.int64)
    y = np.power(b.astype(np.float64), e.astype(np.float64)).astype(np.float32)
    binary("pow_f32_exp_s64", "Pow", b, e, y)
    b = np.array([-8, 0, 1, np.nan, -np.inf, np.inf, 2], np.float32)
    e = np.array([1 / 3, -1, np.nan, 0, 3, -1, 0.5], np.float32)
    with np.errstate(all="ignore"):
        binary("pow_f32_specials", "Pow", b, e, np.power(b, e))
    b = np.array([1.5, 2, -3], np.float16)
    e = np.array([2, -1, 3], np.int32)
    binary("pow_f16_exp_s32", "Pow", b, e, np.power(b.astype(np.float32), e).astype(np.float16), args=EXACT)


# ================= float semantics =================

NAN, INF = np.nan, np.inf


def gen_float():
    a = np.array([1, NAN, NAN, -INF, 0.0, -0.0, 3], np.float32)
    b = np.array([NAN, 1, NAN, INF, -0.0, 0.0, -3], np.float32)
    c = np.array([0, 0, 0, 0, 0, 0, NAN], np.float32)
    case("minmax_nan", [node("Max", ["a", "b"], ["mx"]), node("Min", ["a", "b"], ["mn"]),
                        node("Max", ["a", "b", "c"], ["m3"]), node("Min", ["c", "a"], ["n2"])],
         [("a", a), ("b", b), ("c", c)],
         [("mx", np.maximum(a, b)), ("mn", np.minimum(a, b)), ("m3", np.maximum(np.maximum(a, b), c)),
          ("n2", np.minimum(c, a))])
    x = np.array([NAN, INF, -INF, 5, -5, -0.0, 0.5], np.float32)
    case("clip_specials", [node("Clip", ["x", "lo", "hi"], ["y"]), node("Clip", ["x", "", "hi"], ["z"]),
                           node("Clip", ["x"], ["w"])],
         [("x", x)], [("y", np.clip(x, -1, 1)), ("z", np.minimum(x, 1)), ("w", x)],
         inits=[("lo", np.array(-1, np.float32)), ("hi", np.array(1, np.float32))])
    x = np.array([NAN, INF, -INF, 1e30, -1e30, 0.25], np.float64)
    case("clip6_double", [node("Clip", ["x"], ["y"], min=-2.0, max=1e20)], [("x", x)],
         [("y", np.clip(x, -2, 1e20))], opset=6)
    case("clip6_double_defaults", [node("Clip", ["x"], ["y"])], [("x", x)],
         [("y", np.clip(x, -3.4028234663852886e38, 3.4028234663852886e38))], opset=6)
    case("clip_bound_type_mismatch", [node("Clip", ["x", "lo"], ["y"])],
         [("x", x), ("lo", np.array(0, np.float32))], [("y", x)], error="bound .lo. is float32")
    x = np.array([NAN, -INF, INF, -0.0, -1, 2], np.float32)
    unary("relu_specials", "Relu", x, np.maximum(x, 0))
    big = np.array([-INF, -1000, -100, -88.8, -20, -1e-8, 0, 1e-8, 20, 30, 88.8, 100, 1000, INF, NAN],
                   np.float32)
    xd = big.astype(np.float64)
    with np.errstate(all="ignore"):
        sig = np.where(xd >= 0, 1 / (1 + np.exp(-xd)), np.exp(xd) / (1 + np.exp(xd)))
        unary("sigmoid_extremes", "Sigmoid", big, sig.astype(np.float32))
        # softplus is log(1 + e^x) computed without overflow: x itself for large x
        unary("softplus_extremes", "Softplus", big, np.logaddexp(0, xd).astype(np.float32))
        unary("tanh_extremes", "Tanh", big, np.tanh(big))
        fin = big[1:-2]
        sp = np.logaddexp(0, fin.astype(np.float64))
        unary("mish_extremes", "Mish", fin, (fin * np.tanh(sp)).astype(np.float32), opset=18)
        unary("elu_extremes", "Elu", big, np.where(xd < 0, 1.5 * np.expm1(xd), xd).astype(np.float32),
              alpha=1.5)
        al, ga = 1.67326319217681884765625, 1.05070102214813232421875
        unary("selu_extremes", "Selu", big, np.where(xd <= 0, ga * al * np.expm1(xd), ga * xd).astype(np.float32))
        unary("celu_extremes", "Celu", big,
              (np.maximum(0, xd) + np.minimum(0, 2 * np.expm1(xd / 2))).astype(np.float32), alpha=2.0)
        unary("hardsigmoid_specials", "HardSigmoid", big,
              np.maximum(0, np.minimum(1, big * np.float32(0.3) + np.float32(0.4))), alpha=0.3, beta=0.4)
        unary("hardswish_specials", "HardSwish", big,
              (xd * np.maximum(0, np.minimum(1, xd / 6 + 0.5))).astype(np.float32))
        unary("softsign_extremes", "Softsign", big, (xd / (1 + np.abs(xd))).astype(np.float32))
        unary("leakyrelu_specials", "LeakyRelu", big, np.where(big < 0, big * np.float32(0.1), big), alpha=0.1)
        unary("thresholdedrelu_specials", "ThresholdedRelu", big, np.where(big > 20, big, 0).astype(np.float32),
              alpha=20.0)
        unary("shrink_specials", "Shrink", big,
              np.where(big < -20, big + 1, np.where(big > 20, big - 1, 0)).astype(np.float32),
              lambd=20.0, bias=1.0)
        unary("sign_specials", "Sign", big, np.sign(big))
        unary("abs_specials", "Abs", big, np.abs(big))
        unary("neg_specials", "Neg", big, -big)
        unary("exp_extremes", "Exp", big, np.exp(xd).astype(np.float32))
        x = np.array([0, -0.0, -1, 1e-45, INF, -INF, NAN, 1], np.float32)
        unary("log_specials", "Log", x, np.log(x))
        unary("sqrt_specials", "Sqrt", x, np.sqrt(x))
        unary("reciprocal_specials", "Reciprocal", x, np.reciprocal(x))
        x = np.array([-INF, -10, -5, -1e-8, 0, 1e-8, 3, 5, 10, INF, NAN], np.float32)
        erf = np.array([math.erf(v) if not math.isnan(v) else NAN for v in x.astype(np.float64)])
        unary("erf_tails", "Erf", x, erf.astype(np.float32))
        xg = np.array([-100, -10, -5, -1e-8, 0, 1e-8, 3, 5, 10, 100, 1e10, INF, NAN], np.float32)
        xgd = xg.astype(np.float64)
        erfg = np.array([math.erf(v / math.sqrt(2)) if not math.isnan(v) else NAN for v in xgd])
        unary("gelu_tails", "Gelu", xg, (0.5 * xgd * (1 + erfg)).astype(np.float32))
        gt = 0.5 * xgd * (1 + np.tanh(math.sqrt(2 / math.pi) * (xgd + 0.044715 * xgd ** 3)))
        unary("gelu_tanh_tails", "Gelu", xg, gt.astype(np.float32), approximate="tanh")
        x = np.array([2, -2, 1, -1, 0.5, 1e-8, INF, NAN], np.float32)
        unary("acos_domain", "Acos", x, np.arccos(x))
        unary("atanh_domain", "Atanh", x, np.arctanh(x))
        unary("acosh_domain", "Acosh", x, np.arccosh(x))
        unary("asin_domain", "Asin", x, np.arcsin(x))
        x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 8388609, 4194304.5, -0.0, INF, NAN, 2.5000002],
                     np.float32)
        unary("round_half_even", "Round", x, np.round(x))
        unary("round_half_even_f64", "Round", x.astype(np.float64) + np.array([0] * 12 + [1e-9]),
              np.round(x.astype(np.float64) + np.array([0] * 12 + [1e-9])))
        unary("floor_specials", "Floor", x, np.floor(x))
        unary("ceil_specials", "Ceil", x, np.ceil(x))
        x = np.array([1, -1, 0, -0.0, INF, NAN], np.float32)
        z = np.array([0, 0, 0, 0, 0, 0], np.float32)
        binary("div_float_by_zero", "Div", x, z, x / z)
        binary("mod_float_fmod", "Mod", np.array([5.5, -5.5, 5.5, -5.5, INF, 3, 3, -0.0, 1e30], np.float32),
               np.array([2, 2, -2, -2, 2, INF, 0, 2, 7], np.float32),
               np.fmod(np.array([5.5, -5.5, 5.5, -5.5, INF, 3, 3, -0.0, 1e30], np.float32),
                       np.array([2, 2, -2, -2, 2, INF, 0, 2, 7], np.float32)), fmod=1)
    a = np.array([NAN, NAN, 0.0, -0.0, INF, -INF, 1], np.float32)
    b = np.array([NAN, 1, -0.0, 0.0, INF, INF, NAN], np.float32)
    case("compare_float_specials", [node("Equal", ["a", "b"], ["e"]), node("Less", ["a", "b"], ["l"]),
                                    node("GreaterOrEqual", ["a", "b"], ["g"]),
                                    node("Greater", ["a", "b"], ["gt"])],
         [("a", a), ("b", b)], [("e", a == b), ("l", a < b), ("g", a >= b), ("gt", a > b)])
    x = np.array([INF, -INF, NAN, 0, 1e38], np.float32)
    case("isinf_isnan", [node("IsInf", ["x"], ["p"], detect_negative=0), node("IsInf", ["x"], ["n"], detect_positive=0),
                         node("IsInf", ["x"], ["b"]), node("IsNaN", ["x"], ["q"])],
         [("x", x)], [("p", np.isposinf(x)), ("n", np.isneginf(x)), ("b", np.isinf(x)), ("q", np.isnan(x))])
    c = np.array([True, False, True, False])
    a = np.array([NAN, NAN, -0.0, INF], np.float32)
    b = np.array([1, 2, 3, NAN], np.float32)
    case("where_specials", [node("Where", ["c", "a", "b"], ["y"])], [("c", c), ("a", a), ("b", b)],
         [("y", np.where(c, a, b))])
    x = f32(2, 3, lo=-30, hi=30)
    unary("swish_alpha", "Swish", x, (x / (1 + np.exp(-0.5 * x.astype(np.float64)))).astype(np.float32),
          opset=24, alpha=0.5)


# ================= Cast =================

CAST_SRC = {
    "f32": [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.7, -2.7, 127.5, 128.0, -128.9, -129.0, 255.9, 256.0,
            32767.9, 32768.0, -32769.0, 65504.0, 65519.996, 65520.0, 65535.5, 65536.0,
            2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0, 4294967040.0, 4294967296.0,
            9.2233715e18, 2.0**63, -2.0**63, -9.2233732e18, 1.8446743e19, 2.0**64, 1e30, -1e30,
            INF, -INF, NAN, 1e-8, 6e-8, 2.0**-25, 3 * 2.0**-26, 2.0**-24 * 1.5, 1 + 2.0**-10,
            1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-8, 1 + 3 * 2.0**-8, 3.3961776e38,
            3.4028235e38, 1e-45, 6.1035156e-05, 16777217.0, -1.0, 0.999999],
    "f64": [0, -0.0, 0.5, -2.5, 1 + 2.0**-11 + 2.0**-40, 1 + 2.0**-8 + 2.0**-30, 1 + 2.0**-11,
            65519.999999, 65520.0, 2.0**-25 + 2.0**-60, 2.0**-25, 1e300, -1e300, 1e-320,
            3.4028235677973366e38, 3.4028235677973362e38, 3.5e38, 9.223372036854775e18, 2.0**63,
            -2.0**63, -9.223372036854778e18, 1.844674407370955e19, 2.0**64, 2147483647.5,
            2147483648.0, -2147483648.9, -2147483649.0, 4294967295.9, 4294967296.0, INF, -INF,
            NAN, 1 + 2.0**-24 + 2.0**-50, 0.1, 1e-40],
    "f16": [0, -0.0, 0.5, 1.5, 2.5, -2.5, 65504, -65504, INF, -INF, NAN, 2.0**-24, 6.1035156e-05,
            300, -300, 1000, -1, 255.9, 32768, 1 + 2.0**-10, 2049, 0.333],
    "bf16": [0, -0.0, 1.5, 2.5, -2.5, 3.3895314e38, -3.3895314e38, INF, -INF, NAN, 9.18355e-41,
             1e-38, 3e9, -3e9, 65536, 65280, 2.0**-25, 3 * 2.0**-26, 2.0**-24 * 1.25, 300, -129,
             1 + 2.0**-7, 1e19, 2.0**63, 2.0**64],
    "s8": [-128, -1, 0, 1, 127, 100, -100],
    "s16": [-32768, -129, -1, 0, 255, 256, 2049, 2051, 32767, 4097],
    "s32": [I32_MIN, -65536, -65505, 65504, 65519, 65520, 2**24 + 1, 16777219, 0x1010001,
            I32_MAX, 255, 256, -1, 2**31 - 2**7],
    "s64": [I64_MIN, -2**53 - 1, 2**53 + 1, I64_MAX, 2**32 + 5, 2**40 + 2**32 + 1, 2**62 + 2**54 + 1,
            -1, 255, 2**31, -2**31 - 1, 2**24 + 1, 0x1010001],
    "u8": [0, 1, 127, 128, 255],
    "u16": [0, 255, 256, 32767, 32768, 65535, 2049],
    "u32": [0, 2**31, 2**32 - 1, 65520, 0x1010001, 16777217],
    "u64": [0, 2**63, 2**64 - 1, 2**63 - 1, 2**53 + 1, 2**40 + 2**32 + 1, 2**32 + 7],
    "bool": [0, 1, 1, 0],
}


def gen_cast():
    order = list(TYPES)
    for s, vals in CAST_SRC.items():
        x = make_array(vals, s)
        exact = values_of(x, s)
        nodes, outs = [], []
        for t in order:
            y = make_array([cast_value(v, t) for v in exact], t)
            nodes.append(node("Cast", ["x"], ["y_" + t], to=TYPES[t][1]))
            outs.append(("y_" + t, y))
        case("cast_from_" + s, nodes, [("x", x)], outs, args=EXACT)
        # the same casts folded at compile time
        case("cast_fold_from_" + s, nodes, [], outs, inits=[("x", x)], args=EXACT)
    x = make_array(CAST_SRC["f32"], "f32")
    ex = values_of(x, "f32")
    case("castlike", [node("CastLike", ["x", "l8"], ["a"]), node("CastLike", ["x", "lh"], ["b"]),
                      node("CastLike", ["x", "lb"], ["c"])],
         [("x", x), ("l8", np.zeros(2, np.int8)), ("lh", np.zeros(1, np.float16))],
         [("a", make_array([cast_value(v, "s8") for v in ex], "s8")),
          ("b", make_array([cast_value(v, "f16") for v in ex], "f16")),
          ("c", make_array([cast_value(v, "bf16") for v in ex], "bf16"))],
         inits=[("lb", bf16(np.zeros(3, np.float32)))], args=EXACT)
    # Cast with "to" as a string (opset 1)
    helper_node = node("Cast", ["x"], ["y"])
    helper_node.attribute.append(helper.make_attribute("to", "INT32"))
    case("cast_opset1_string", [helper_node], [("x", np.array([1.5, -2.5, 3e9], np.float32))],
         [("y", np.array([1, -2, I32_MAX], np.int32))], opset=1)


# ================= data movement =================

def ref_slice(x, starts, ends, axes=None, steps=None):
    """Slice as the spec says: negative starts/ends count from the end; then starts are
    clamped to [0, d] (steps > 0) or [0, d-1] (steps < 0), ends to [0, d] or [-1, d-1]."""
    axes = list(range(len(starts))) if axes is None else [a % x.ndim for a in axes]
    steps = [1] * len(starts) if steps is None else steps
    idx = [np.arange(d) for d in x.shape]
    for s, e, a, st in zip(starts, ends, axes, steps):
        d = x.shape[a]
        s = s + d if s < 0 else s
        e = e + d if e < 0 else e
        if st > 0:
            s, e = min(max(s, 0), d), min(max(e, 0), d)
        else:
            s, e = min(max(s, 0), d - 1), min(max(e, -1), d - 1)
        idx[a] = np.array([i for i in range(s, e, st)] if (e - s) * st > 0 else [], np.int64)
    y = x
    for a, ix in enumerate(idx):
        y = np.take(y, ix, axis=a)
    return y


def slice_case(name, x, starts, ends, axes=None, steps=None, itype=np.int64):
    ins = ["x", "s", "e"] + (["a"] if axes is not None or steps is not None else [])
    inits = [("s", np.array(starts, itype)), ("e", np.array(ends, itype))]
    if axes is not None or steps is not None:
        inits.append(("a", np.array(axes if axes is not None else list(range(len(starts))), itype)))
    if steps is not None:
        ins.append("t")
        inits.append(("t", np.array(steps, itype)))
    case(name, [node("Slice", ins, ["y"])], [("x", x)],
         [("y", ref_slice(x, starts, ends, axes, steps))], inits=inits)


def pad_index(q, d, mode):
    if mode == "edge":
        return min(max(q, 0), d - 1)
    if mode == "wrap":  # the data as a torus: periodic for any width
        return q % d
    p = 2 * (d - 1)  # reflect, repeated for pads wider than the axis
    r = q % p
    return p - r if r >= d else r


def ref_pad(x, pads, mode, value=0):
    """Pad as the spec says: negative pads crop first, then the rest is padded from the
    cropped tensor."""
    r = x.ndim
    for a in range(r):
        lo, hi = pads[a], pads[r + a]
        x = np.take(x, np.arange(max(-lo, 0), x.shape[a] - max(-hi, 0)), axis=a)
        lo, hi = max(lo, 0), max(hi, 0)
        d = x.shape[a]
        if mode == "constant":
            shape = list(x.shape)
            shape[a] = lo
            before = np.full(shape, value, x.dtype)
            shape[a] = hi
            x = np.concatenate([before, x, np.full(shape, value, x.dtype)], axis=a)
        else:
            x = np.take(x, [pad_index(q, d, mode) for q in range(-lo, d + hi)], axis=a)
    return x


def pad_case(name, x, pads, mode="constant", value=None, axes=None, opset=20):
    ins, inits = ["x", "p"], [("p", np.array(pads, np.int64))]
    full = pads
    if axes is not None:
        full = [0] * (2 * x.ndim)
        for i, a in enumerate(axes):
            full[a % x.ndim] = pads[i]
            full[x.ndim + a % x.ndim] = pads[len(axes) + i]
    if value is not None or axes is not None:
        ins.append("v" if value is not None else "")
        if value is not None:
            inits.append(("v", np.array(value, x.dtype)))
    if axes is not None:
        ins.append("a")
        inits.append(("a", np.array(axes, np.int64)))
    y = ref_pad(x, full, mode, value if value is not None else 0)
    case(name, [node("Pad", ins, ["y"], mode=mode)], [("x", x)], [("y", y)], inits=inits, opset=opset)


def gen_slice():
    x = f32(5, 6)
    slice_case("slice_neg_steps", x, [-1, 4], [I64_MIN, -100], [0, 1], [-2, -1])
    slice_case("slice_neg_step_start_below", x, [-10, 2], [I64_MIN, 0], [0, 1], [-1, -1])
    slice_case("slice_neg_step_start_above", x, [100], [-100], [1], [-3])
    slice_case("slice_int64_extremes", x, [I64_MIN, 1], [I64_MAX, I64_MAX], [0, -1], [2, 3])
    slice_case("slice_start_past_end", x, [7], [I64_MAX], [0], [1])
    slice_case("slice_empty_neg", x, [0], [3], [1], [-1])
    slice_case("slice_empty_axis_neg_step", np.zeros((2, 0), np.float32), [-1], [I64_MIN], [1], [-1])
    slice_case("slice_huge_steps", x, [1, 5], [I64_MAX, I64_MIN], [0, 1], [I64_MAX, I64_MIN])
    slice_case("slice_int32_params", x, [-2, 1], [1, -1], [-2, 1], [-1, 2], itype=np.int32)
    slice_case("slice_no_axes", f32(3, 4, 5), [1, -3], [3, 100])
    x = rng.integers(-128, 127, (2, 3, 4, 5, 2, 3)).astype(np.int8)
    slice_case("slice_rank6_reverse_all", x, [-1] * 6, [I64_MIN] * 6, list(range(6)), [-1] * 6)
    x = f32(5, 6)
    case("slice_empty_then_concat",
         [node("Slice", ["x", "s", "e", "a"], ["t"]), node("Concat", ["t", "x", "t"], ["y"], axis=1)],
         [("x", x)], [("y", np.concatenate([x[:, 6:], x, x[:, 6:]], axis=1))],
         inits=[("s", np.array([6], np.int64)), ("e", np.array([I64_MAX], np.int64)),
                ("a", np.array([1], np.int64))])
    case("slice_opset1_attrs", [node("Slice", ["x"], ["y"], starts=[1, -4], ends=[1000, -1], axes=[0, 1])],
         [("x", x)], [("y", x[1:, -4:-1])], opset=1)
    case("slice_repeated_axis", [node("Slice", ["x", "s", "e", "a"], ["y"])], [("x", x)],
         [("y", x)], inits=[("s", np.array([0, 1], np.int64)), ("e", np.array([2, 3], np.int64)),
                            ("a", np.array([1, -1], np.int64))], error="repeated")
    case("slice_zero_step", [node("Slice", ["x", "s", "e", "a", "t"], ["y"])], [("x", x)],
         [("y", x)], inits=[("s", np.array([0], np.int64)), ("e", np.array([2], np.int64)),
                            ("a", np.array([1], np.int64)), ("t", np.array([0], np.int64))],
         error="step")


def gen_pad():
    x = f32(3, 4)
    pad_case("pad_neg_pos_constant", x, [-1, 2, 1, -3], value=7.5)
    pad_case("pad_crop_all", x, [0, -2, 0, -2])
    for mode in ("reflect", "edge", "wrap"):
        pad_case("pad_%s_wide_1d" % mode, np.array([1, 2, 3], np.float32), [5, 6], mode)
        pad_case("pad_%s_wide_2d" % mode, x, [3, 9, 4, 5], mode)
        pad_case("pad_%s_neg_pos" % mode, f32(4, 5), [-1, 3, 2, -2], mode)
        pad_case("pad_%s_neg_only" % mode, f32(4, 5), [0, -1, -2, 0], mode)
        # pads many periods wide, copied in doubling blocks of whole periods (inputs
        # without rng, so the cases after these keep their data)
        x2 = np.arange(15, dtype=np.float32).reshape(3, 5) * 0.75 - 4
        pad_case("pad_%s_far" % mode, x2, [2, 37, 9, 101], mode)
        x3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * -0.5 + 2
        pad_case("pad_%s_far_3d" % mode, x3, [0, 17, -1, 1, 23, 30], mode)
    pad_case("pad_reflect_len2", np.array([[1, 2], [3, 4]], np.int32), [0, 5, 0, 4], "reflect")
    pad_case("pad_edge_int8_3d", rng.integers(-128, 127, (2, 3, 4)).astype(np.int8), [1, 0, 2, 2, 3, 0], "edge")
    pad_case("pad_s8_value", rng.integers(-128, 127, (2, 3)).astype(np.int8), [1, 1, 1, 1], value=-5)
    pad_case("pad_bool_value", np.array([[True, False]]), [1, 2, 0, 1], value=True)
    pad_case("pad_f16_value", f32(2, 3).astype(np.float16), [0, 1, 1, 0], value=np.float16(65504))
    pad_case("pad_s64_value", np.array([1, 2], np.int64), [2, 1], value=2**60 + 1)
    pad_case("pad_axes_negative", f32(2, 3, 4), [1, -1, 2, 0], value=1.0, axes=[-1, 0])
    pad_case("pad_axes_reflect", f32(2, 3, 4), [2, 3], mode="reflect", axes=[1])
    pad_case("pad_empty_input", np.zeros((0, 3), np.float32), [1, 0, 1, 0], value=2.0)
    pad_case("pad_zero_pads", f32(2, 3), [0, 0, 0, 0], mode="reflect")
    x = rng.integers(-9, 9, (2, 3)).astype(np.int32)
    case("pad_opset2_value", [node("Pad", ["x"], ["y"], pads=[1, 0, 0, 2], value=3.0)], [("x", x)],
         [("y", np.pad(x, ((1, 0), (0, 2)), constant_values=3))], opset=2)
    x = f32(2, 3)
    case("pad_runtime_value", [node("Pad", ["x", "p", "v"], ["y"])], [("x", x), ("v", np.array(-9, np.float32))],
         [("y", np.pad(x, ((0, 1), (2, 0)), constant_values=-9))], inits=[("p", np.array([0, 2, 1, 0], np.int64))])
    case("pad_crop_too_much", [node("Pad", ["x", "p"], ["y"])], [("x", x)], [("y", x)],
         inits=[("p", np.array([-2, 0, -1, 0], np.int64))], error="remove")
    case("pad_crop_then_grow", [node("Pad", ["x", "p"], ["y"])], [("x", x)], [("y", x)],
         inits=[("p", np.array([0, -5, 0, 4], np.int64))], error="remove")
    case("pad_reflect_after_crop_too_small", [node("Pad", ["x", "p"], ["y"], mode="reflect")], [("x", x)],
         [("y", x)], inits=[("p", np.array([0, -2, 0, 2], np.int64))], error="needs more elements")


def gen_movement():
    x = f32(2, 0)
    a, b = f32(2, 3), rng.integers(-5, 5, (2, 2)).astype(np.int8)
    case("concat_empty_inputs", [node("Concat", ["e", "a", "e", "a"], ["y"], axis=-1)],
         [("e", x), ("a", a)], [("y", np.concatenate([x, a, x, a], axis=1))])
    c, d = rng.integers(-128, 127, (2, 1)).astype(np.int8), np.array([[True, False, True]] * 2)
    case("concat_s8_bool", [node("Concat", ["b", "c"], ["y"], axis=1), node("Concat", ["d", "d"], ["z"], axis=0)],
         [("b", b), ("c", c), ("d", d)], [("y", np.concatenate([b, c], 1)), ("z", np.concatenate([d, d], 0))])
    x = f32(2, 1, 2, 3, 1, 2)
    case("concat_rank6_axis3", [node("Concat", ["x", "x"], ["y"], axis=3)], [("x", x)],
         [("y", np.concatenate([x, x], 3))])
    case("concat_single", [node("Concat", ["x"], ["y"], axis=0)], [("x", x)], [("y", x)])
    x = f32(7, 2)
    case("split_uneven_num_outputs", [node("Split", ["x"], ["a", "b", "c"], axis=0, num_outputs=3)],
         [("x", x)], [("a", x[:3]), ("b", x[3:6]), ("c", x[6:])], opset=18)
    case("split_zero_parts", [node("Split", ["x", "s"], ["a", "b", "c", "d"], axis=-2)],
         [("x", x)], [("a", x[:2]), ("b", x[2:2]), ("c", x[2:7]), ("d", x[7:])],
         inits=[("s", np.array([2, 0, 5, 0], np.int64))])
    case("split_empty_input", [node("Split", ["x"], ["a", "b"], axis=1, num_outputs=2)],
         [("x", np.zeros((3, 0), np.float32))], [("a", np.zeros((3, 0), np.float32)),
                                                 ("b", np.zeros((3, 0), np.float32))], opset=18)
    case("split_opset11_attr", [node("Split", ["x"], ["a", "b"], axis=1, split=[1, 1])],
         [("x", x)], [("a", x[:, :1]), ("b", x[:, 1:])], opset=11)
    case("split_default_equal", [node("Split", ["x"], ["a", "b", "c", "d", "e", "f", "g"])],
         [("x", x)], [(n, x[i:i + 1]) for i, n in enumerate("abcdefg")], opset=13)
    case("split_sizes_mismatch", [node("Split", ["x", "s"], ["a", "b"])], [("x", x)],
         [("a", x), ("b", x)], inits=[("s", np.array([3, 3], np.int64))], error="add up")
    x = f32(3, 1)
    for nm, shp in (("expand_grow", [2, 1, 4]), ("expand_smaller_rank", [4]), ("expand_ones", [1, 1]),
                    ("expand_to_zero", [3, 0])):
        y = x * np.ones(shp, np.float32)
        case(nm, [node("Expand", ["x", "s"], ["y"])], [("x", x)], [("y", y)],
             inits=[("s", np.array(shp, np.int64))])
    x = np.array([[True, False, True]])
    case("expand_bool_rank6", [node("Expand", ["x", "s"], ["y"])], [("x", x)],
         [("y", np.broadcast_to(x, (2, 1, 2, 1, 2, 3)))], inits=[("s", np.array([2, 1, 2, 1, 2, 1], np.int64))])
    case("expand_incompatible", [node("Expand", ["x", "s"], ["y"])], [("x", x)], [("y", x)],
         inits=[("s", np.array([2, 2], np.int64))], error="expand")
    x = f32(2, 3)
    for nm, rep in (("tile_zero", [0, 2]), ("tile_rank2", [2, 3]), ("tile_ones", [1, 1])):
        case(nm, [node("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", np.tile(x, rep))],
             inits=[("r", np.array(rep, np.int64))])
    x = rng.integers(0, 2, (2, 1, 3)).astype(bool)
    case("tile_bool_3d", [node("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", np.tile(x, [2, 3, 2]))],
         inits=[("r", np.array([2, 3, 2], np.int64))])
    # Tile as one copy has two dimensions per axis: more than 8 from rank 5 on
    x = rng.integers(-128, 127, (2, 2, 2, 2, 2)).astype(np.int8)
    case("tile_rank5", [node("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", np.tile(x, [2, 2, 2, 2, 2]))],
         inits=[("r", np.array([2, 2, 2, 2, 2], np.int64))])
    x = rng.integers(0, 2, (2, 1, 2, 3, 1, 2, 1, 2)).astype(bool)
    rep = [2, 3, 1, 2, 2, 1, 2, 2]
    case("tile_rank8", [node("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", np.tile(x, rep))],
         inits=[("r", np.array(rep, np.int64))])
    x = rng.integers(0, 100, (2, 3, 1, 2, 2, 3)).astype(np.int16)
    perm = [3, 0, 5, 1, 4, 2]
    case("transpose_rank6", [node("Transpose", ["x"], ["y"], perm=perm)], [("x", x)], [("y", x.transpose(perm))])
    case("transpose_default", [node("Transpose", ["x"], ["y"])], [("x", x)], [("y", x.transpose())])
    x = f32(2, 1, 2, 3, 1, 2, 2, 2)
    perm = [7, 6, 5, 4, 3, 2, 1, 0]
    case("transpose_rank8", [node("Transpose", ["x"], ["y"], perm=perm)], [("x", x)], [("y", x.transpose(perm))])
    x = f32(3)
    case("transpose_rank1", [node("Transpose", ["x"], ["y"])], [("x", x)], [("y", x)])
    case("transpose_bad_perm", [node("Transpose", ["x"], ["y"], perm=[0, 0])], [("x", f32(2, 2))],
         [("y", f32(2, 2))], error="permutation")
    for b in (2, 3):
        x = rng.integers(0, 1000, (2, 2 * b * b, 2, 3)).astype(np.int32)
        n, c, h, w = x.shape
        dcr = x.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // (b * b), h * b, w * b)
        crd = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c // (b * b), h * b, w * b)
        case("depthtospace_dcr_b%d" % b, [node("DepthToSpace", ["x"], ["y"], blocksize=b, mode="DCR")],
             [("x", x)], [("y", dcr)])
        case("depthtospace_crd_b%d" % b, [node("DepthToSpace", ["x"], ["y"], blocksize=b, mode="CRD")],
             [("x", x)], [("y", crd)])
        x = rng.integers(0, 1000, (2, 3, 2 * b, 3 * b)).astype(np.int64)
        n, c, h, w = x.shape
        s2d = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4).reshape(n, c * b * b, h // b, w // b)
        case("spacetodepth_b%d" % b, [node("SpaceToDepth", ["x"], ["y"], blocksize=b)], [("x", x)], [("y", s2d)])
    case("depthtospace_bad_channels", [node("DepthToSpace", ["x"], ["y"], blocksize=2)],
         [("x", f32(1, 6, 2, 2))], [("y", f32(1, 6, 2, 2))], error="divisible")
    gen_views()


def reshape_case(name, x, shape, y_shape, allowzero=0, error=None):
    attrs = {"allowzero": allowzero} if allowzero else {}
    y = x.reshape(y_shape) if error is None else x
    case(name, [node("Reshape", ["x", "s"], ["y"], **attrs)], [("x", x)], [("y", y)],
         inits=[("s", np.array(shape, np.int64))], error=error)


def gen_views():
    x = f32(2, 3, 4)
    reshape_case("reshape_zero_minus1", x, [0, -1], (2, 12))
    reshape_case("reshape_copy_all", x, [0, 0, 0], (2, 3, 4))
    reshape_case("reshape_minus1_middle", x, [4, -1, 2], (4, 3, 2))
    reshape_case("reshape_scalar", np.array([5], np.float32), [], ())
    reshape_case("reshape_allowzero_empty", np.zeros((0, 4), np.float32), [4, 0], (4, 0), allowzero=1)
    reshape_case("reshape_allowzero_plain", x, [6, 4], (6, 4), allowzero=1)
    reshape_case("reshape_zero_copies_empty", np.zeros((2, 0, 3), np.float32), [0, -1, 3], (2, 0, 3))
    reshape_case("reshape_two_minus1", x, [-1, -1], None, error="more than one")
    reshape_case("reshape_bad_count", x, [5, 5], None, error="reshape")
    x = f32(2, 1, 3, 1)
    case("squeeze_negative_axes", [node("Squeeze", ["x", "a"], ["y"])], [("x", x)], [("y", x.reshape(2, 3, 1))],
         inits=[("a", np.array([-3], np.int64))])
    case("squeeze_all", [node("Squeeze", ["x"], ["y"])], [("x", x)], [("y", x.reshape(2, 3))])
    case("squeeze_opset11_attr", [node("Squeeze", ["x"], ["y"], axes=[1, -1])], [("x", x)],
         [("y", x.reshape(2, 3))], opset=11)
    case("squeeze_not_one", [node("Squeeze", ["x", "a"], ["y"])], [("x", x)], [("y", x)],
         inits=[("a", np.array([0], np.int64))], error="squeeze")
    x = f32(3)
    case("unsqueeze_negative_unsorted", [node("Unsqueeze", ["x", "a"], ["y"])], [("x", x)],
         [("y", x.reshape(1, 3, 1))], inits=[("a", np.array([-1, 0], np.int64))])
    case("unsqueeze_scalar", [node("Unsqueeze", ["x", "a"], ["y"])], [("x", np.array(4.0, np.float32))],
         [("y", np.full((1, 1), 4.0, np.float32))], inits=[("a", np.array([1, -2], np.int64))])
    case("unsqueeze_repeated", [node("Unsqueeze", ["x", "a"], ["y"])], [("x", x)], [("y", x)],
         inits=[("a", np.array([0, -3], np.int64))], error="repeated")
    x = f32(2, 3, 4)
    case("flatten_axes", [node("Flatten", ["x"], ["a"], axis=0), node("Flatten", ["x"], ["b"], axis=3),
                          node("Flatten", ["x"], ["c"], axis=-1)],
         [("x", x)], [("a", x.reshape(1, 24)), ("b", x.reshape(24, 1)), ("c", x.reshape(6, 4))])
    x = f32(2, 3, 4, 5)
    sh = np.array(x.shape, np.int64)
    case("shape_start_end", [node("Shape", ["x"], ["a"], start=-10, end=100), node("Shape", ["x"], ["b"], start=2, end=1),
                             node("Shape", ["x"], ["c"], start=-1), node("Shape", ["x"], ["d"], end=-10),
                             node("Shape", ["x"], ["e"], start=1, end=-1)],
         [("x", x)], [("a", sh), ("b", sh[2:1]), ("c", sh[-1:]), ("d", sh[:0]), ("e", sh[1:-1])], opset=15)
    case("size_empty_and_scalar", [node("Size", ["x"], ["a"]), node("Size", ["s"], ["b"])],
         [("x", np.zeros((3, 0), np.float32)), ("s", np.array(1.0, np.float32))],
         [("a", np.array(0, np.int64)), ("b", np.array(1, np.int64))])
    x = f32(2, 3)
    case("dropout_inference_mask", [node("Dropout", ["x", "r", "t"], ["y", "m"])], [("x", x)],
         [("y", x), ("m", np.ones((2, 3), bool))],
         inits=[("r", np.array(0.7, np.float32)), ("t", np.array(False))])
    case("dropout_training_zero_ratio", [node("Dropout", ["x", "r", "t"], ["y", "m"])], [("x", x)],
         [("y", x), ("m", np.ones((2, 3), bool))],
         inits=[("r", np.array(0.0, np.float32)), ("t", np.array(True))])


    x = f32(2, 3).astype(np.float16)
    case("dropout7_mask_of_data_type", [node("Dropout", ["x"], ["y", "m"], ratio=0.3)], [("x", x)],
         [("y", x), ("m", np.ones((2, 3), np.float16))], opset=7)


def gen_generators():
    def rng_case(name, t, start, limit, delta, vals):
        dt = TYPES[t][0]
        case(name, [node("Range", ["s", "l", "d"], ["y"])], [], [("y", np.array(vals, dt))],
             inits=[("s", np.array(start, dt)), ("l", np.array(limit, dt)), ("d", np.array(delta, dt))])
    rng_case("range_f32_neg_frac", "f32", 1, -1, -0.3,
             [float(np.float32(1) + i * np.float32(-0.3)) for i in range(7)])
    rng_case("range_s32_neg", "s32", 10, 0, -3, [10, 7, 4, 1])
    rng_case("range_s16", "s16", -5, 5, 4, [-5, -1, 3])
    rng_case("range_s64_big", "s64", 2**62, 2**62 + 10, 3, [2**62, 2**62 + 3, 2**62 + 6, 2**62 + 9])
    rng_case("range_empty", "f32", 5, 1, 1, [])
    rng_case("range_f64_frac", "f64", 0, 1, 0.25, [0, 0.25, 0.5, 0.75])
    # the element count is ceil((limit - start) / delta) in the element type (the spec's
    # function body, onnxruntime): in float32, 0.3f / 0.1f is 3, not the 3.0000001 of double
    rng_case("range_f32_count_in_f32", "f32", 0, 0.3, 0.1,
             [float(np.float32(0) + i * np.float32(0.1)) for i in range(3)])
    x = f32(2, 3)
    case("range_runtime_use", [node("Range", ["s", "l", "d"], ["r"]), node("Add", ["x", "r"], ["y"])],
         [("x", x)], [("y", x + np.array([2, 4, 6], np.float32))],
         inits=[("s", np.array(2, np.float32)), ("l", np.array(7, np.float32)), ("d", np.array(2, np.float32))])
    case("range_zero_delta", [node("Range", ["s", "l", "d"], ["y"])], [], [("y", np.zeros(1, np.int32))],
         inits=[("s", np.array(0, np.int32)), ("l", np.array(3, np.int32)), ("d", np.array(0, np.int32))],
         error="delta")
    for nm, t, v in (("range_too_long_s64", "s64", (I64_MIN, I64_MAX, 1)), ("range_too_long_f32", "f32", (0, 1e10, 1)),
                     ("range_nan_delta", "f32", (0, 1, NAN))):
        dt = TYPES[t][0]
        case(nm, [node("Range", ["s", "l", "d"], ["y"])], [], [("y", np.zeros(1, dt))],
             inits=[(n, np.array(x, dt)) for n, x in zip("sld", v)], error="element count")
    for t in TYPES:
        if t == "bool":
            v = [True]
        else:
            v = [-3.5] if t in ("f32", "f64", "f16", "bf16") else [2**TYPES[t][2] - 3 if not TYPES[t][3] else -3]
        val = make_array(v, t)
        y = BF16(np.full((2, 3), val.bits[0], np.uint16)) if t == "bf16" else np.full((2, 3), val[0], val.dtype)
        case("constantofshape_%s" % t, [node("ConstantOfShape", ["s"], ["y"], value=to_tensor(val, "value"))],
             [], [("y", y)], inits=[("s", np.array([2, 3], np.int64))])
    case("constantofshape_default", [node("ConstantOfShape", ["s"], ["y"])], [], [("y", np.zeros((3,), np.float32))],
         inits=[("s", np.array([3], np.int64))])
    case("constantofshape_scalar", [node("ConstantOfShape", ["s"], ["y"], value=to_tensor(np.array([5], np.int32), "v"))],
         [], [("y", np.array(5, np.int32))], inits=[("s", np.zeros(0, np.int64))])
    case("constantofshape_empty", [node("ConstantOfShape", ["s"], ["y"], value=to_tensor(np.array([5], np.int8), "v"))],
         [], [("y", np.zeros((2, 0), np.int8))], inits=[("s", np.array([2, 0], np.int64))])
    x = f32(1100)
    case("constantofshape_runtime", [node("ConstantOfShape", ["s"], ["c"], value=to_tensor(np.array([1.5], np.float32), "v")),
                                     node("Add", ["x", "c"], ["y"])],
         [("x", x)], [("y", x + np.float32(1.5))], inits=[("s", np.array([1100], np.int64))])


# ================= constant folding =================

def gen_fold():
    a, b = f32(2, 3), f32(3)
    t = 1 / (1 + np.exp(-(a + b) * a))
    y = np.concatenate([t.T[::-1], t.T], axis=1).astype(np.float16)
    case("fold_chain_to_f16",
         [node("Add", ["a", "b"], ["s"]), node("Mul", ["s", "a"], ["m"]), node("Sigmoid", ["m"], ["g"]),
          node("Transpose", ["g"], ["tr"]),
          node("Slice", ["tr", "st", "en", "ax", "sp"], ["sl"]), node("Concat", ["sl", "tr"], ["c"], axis=1),
          node("Cast", ["c"], ["y"], to=TensorProto.FLOAT16)],
         [], [("y", y)],
         inits=[("a", a), ("b", b), ("st", np.array([-1], np.int64)), ("en", np.array([I64_MIN], np.int64)),
                ("ax", np.array([0], np.int64)), ("sp", np.array([-1], np.int64))])
    h1 = np.array([1, 2049, 0.1, 65504, -3, 1e-7], np.float16)
    h2 = np.array([2.0**-11, 1, 0.2, 32, 0.5, 1e-7], np.float16)
    f1, f2 = h1.astype(np.float32), h2.astype(np.float32)
    case("fold_f16_arith", [node("Add", ["a", "b"], ["s"]), node("Mul", ["a", "b"], ["m"]),
                            node("Div", ["a", "b"], ["d"]), node("Sqrt", ["b"], ["q"])],
         [], [("s", (f1 + f2).astype(np.float16)), ("m", (f1 * f2).astype(np.float16)),
              ("d", (f1 / f2).astype(np.float16)), ("q", np.sqrt(f2).astype(np.float16))],
         inits=[("a", h1), ("b", h2)], args=EXACT)
    case("runtime_f16_arith", [node("Add", ["a", "b"], ["s"]), node("Mul", ["a", "b"], ["m"]),
                               node("Div", ["a", "b"], ["d"]), node("Sqrt", ["b"], ["q"])],
         [("a", h1), ("b", h2)], [("s", (f1 + f2).astype(np.float16)), ("m", (f1 * f2).astype(np.float16)),
                                  ("d", (f1 / f2).astype(np.float16)), ("q", np.sqrt(f2).astype(np.float16))],
         args=EXACT)
    b1 = bf16(np.array([1, 3.14159, -2.5, 1e38, 3e38, 1 + 2.0**-7], np.float32))
    b2 = bf16(np.array([1 + 2.0**-7, 3, 0.1, 10, 2, 1 + 2.0**-7], np.float32))
    g1, g2 = b1.f32(), b2.f32()
    for pre, ins, inits in (("fold", [], [("a", b1), ("b", b2)]), ("runtime", [("a", b1), ("b", b2)], [])):
        case("%s_bf16_arith" % pre, [node("Mul", ["a", "b"], ["m"]), node("Sub", ["a", "b"], ["s"]),
                                     node("Max", ["a", "b"], ["x"]), node("Neg", ["a"], ["n"]),
                                     node("Relu", ["s"], ["r"])],
             ins, [("m", bf16(g1 * g2)), ("s", bf16(g1 - g2)), ("x", bf16(np.maximum(g1, g2))),
                   ("n", bf16(-g1)), ("r", bf16(np.maximum(g1 - g2, 0)))], inits=inits, args=EXACT)
    ai = np.array([-7, 7, I32_MIN, 9], np.int32)
    bi = np.array([2, -2, -1, 0], np.int32)
    case("fold_int_div_mod_pow",
         [node("Div", ["a", "b"], ["d"]), node("Mod", ["a", "b"], ["m"]), node("Pow", ["b", "e"], ["p"])],
         [], [("d", np.array([-3, -3, I32_MIN, 0], np.int32)), ("m", np.array([1, -1, 0, 0], np.int32)),
              ("p", np.array([8, -8, -1, 0], np.int32))],
         inits=[("a", ai), ("b", bi), ("e", np.array([3], np.int64))])
    x = f32(2, 3, 4)
    case("fold_shape_subgraph",
         [node("Shape", ["x"], ["s"]), node("Slice", ["s", "z", "o"], ["hw"]),
          node("Concat", ["m1", "hw"], ["ns"], axis=0), node("Reshape", ["x", "ns"], ["r"]),
          node("ConstantOfShape", ["hw"], ["c"], value=to_tensor(np.array([2.0], np.float32), "v")),
          node("Mul", ["r", "c"], ["y"]), node("Size", ["x"], ["n"]), node("Cast", ["n"], ["nf"], to=1),
          node("Range", ["zf", "nf", "sixf"], ["rg"]), node("Add", ["y", "rg"], ["out"])],
         [("x", x)], [("out", x.reshape(-1, 4) * 2 + np.arange(0, 24, 6, dtype=np.float32))],
         inits=[("z", np.array([2], np.int64)), ("o", np.array([3], np.int64)),
                ("m1", np.array([-1], np.int64)), ("zf", np.array(0, np.float32)),
                ("sixf", np.array(6, np.float32))])
    # growth past the folding limit (4096 bytes, twice the inputs): run time, from flash
    k = rng.integers(-128, 127, (2, 3)).astype(np.int8)
    x = f32(2)
    case("tile_of_constant_not_folded", [node("Tile", ["k", "r"], ["y"]), node("Neg", ["x"], ["z"])],
         [("x", x)], [("y", np.tile(k, [35, 20])), ("z", -x)],
         inits=[("k", k), ("r", np.array([35, 20], np.int64))])
    h = np.array([0.5, 1.5, 2.5, -2.5, 65504, 0.1], np.float16)
    case("fold_f16_round_clip",
         [node("Round", ["h"], ["r"]), node("Clip", ["h", "lo", "hi"], ["c"]), node("IsNaN", ["h"], ["n"]),
          node("Mod", ["h", "t"], ["m"], fmod=1), node("Equal", ["h", "t"], ["e"])],
         [], [("r", np.round(h)), ("c", np.clip(h, np.float16(-1), np.float16(2))), ("n", np.isnan(h)),
              ("m", np.fmod(h.astype(np.float32), np.float32(1.5)).astype(np.float16)), ("e", h == np.float16(1.5))],
         inits=[("h", h), ("lo", np.array(-1, np.float16)), ("hi", np.array(2, np.float16)),
                ("t", np.array(1.5, np.float16))], args=EXACT)
    case("runtime_f16_round_clip",
         [node("Round", ["h"], ["r"]), node("Clip", ["h", "lo", "hi"], ["c"]), node("IsNaN", ["h"], ["n"]),
          node("Mod", ["h", "t"], ["m"], fmod=1), node("Equal", ["h", "t"], ["e"])],
         [("h", h)], [("r", np.round(h)), ("c", np.clip(h, np.float16(-1), np.float16(2))), ("n", np.isnan(h)),
                      ("m", np.fmod(h.astype(np.float32), np.float32(1.5)).astype(np.float16)),
                      ("e", h == np.float16(1.5))],
         inits=[("lo", np.array(-1, np.float16)), ("hi", np.array(2, np.float16)),
                ("t", np.array(1.5, np.float16))], args=EXACT)
    h = (f32(3, 4) * 10).astype(np.float16)
    case("runtime_f16_transcendental",
         [node("Sigmoid", ["h"], ["s"]), node("Exp", ["h"], ["e"]), node("Tanh", ["h"], ["t"]),
          node("Softplus", ["h"], ["p"])],
         [("h", h)], [("s", (1 / (1 + np.exp(-h.astype(np.float64)))).astype(np.float16)),
                      ("e", np.exp(h.astype(np.float64)).astype(np.float16)),
                      ("t", np.tanh(h.astype(np.float64)).astype(np.float16)),
                      ("p", np.logaddexp(0, h.astype(np.float64)).astype(np.float16))])
    c = np.array([True, False, True])
    hb = bf16(np.array([1.5, -2, 3e38], np.float32))
    hz = bf16(np.array([0, 7, -1], np.float32))
    case("runtime_bf16_where_clip_abs",
         [node("Where", ["c", "a", "b"], ["w"]), node("Clip", ["a", "lo"], ["cl"]), node("Abs", ["a"], ["ab"])],
         [("c", c), ("a", hb), ("b", hz)],
         [("w", BF16(np.where(c, hb.bits, hz.bits))), ("cl", bf16(np.maximum(hb.f32(), np.float32(-1)))),
          ("ab", bf16(np.abs(hb.f32())))],
         inits=[("lo", bf16(np.array(-1, np.float32)))], args=EXACT)
    # Sum and Mean of float16 round after every addition, as numpy and onnxruntime do
    p, q, r = (np.array(v, np.float16) for v in ([1000, 1, 2049], [0.3, 2.0**-11, 1], [-1000, 2.0**-11, 1]))
    case("runtime_f16_sum3", [node("Sum", ["p", "q", "r"], ["s"]), node("Mean", ["p", "q", "r"], ["m"])],
         [("p", p), ("q", q), ("r", r)], [("s", p + q + r), ("m", (p + q + r) / np.float16(3))], args=EXACT)
    p, q = np.array([60000, 1, 3], np.float16), np.array([60000, 2.0**-11, 2.0**-10], np.float16)
    case("fold_f16_mean2", [node("Mean", ["p", "q"], ["m"]), node("Sum", ["p", "q", "q"], ["s"])], [],
         [("m", (p + q) / np.float16(2)), ("s", p + q + q)], inits=[("p", p), ("q", q)], args=EXACT)
    p, q = bf16(np.array([256, 1, 3e38], np.float32)), bf16(np.array([1, 2.0**-8, 3e38], np.float32))
    s1 = bf16(p.f32() + q.f32())
    case("runtime_bf16_sum3", [node("Sum", ["p", "q", "q"], ["s"])], [("p", p), ("q", q)],
         [("s", bf16(s1.f32() + q.f32()))], args=EXACT)


# ================= code generation of values, views and empty tensors =================

def gen_misc():
    # constants with special values stay run-time operands (printed as C literals)
    x = f32(7)
    c = np.array([NAN, INF, -INF, -0.0, 1e-45, 3.4028235e38, 1.17549435e-38], np.float32)
    d = np.array([NAN, -INF, 1e-320, -0.0, 1.7976931348623157e308, 0.1, -2.5], np.float64)
    i = np.array([I64_MIN, I64_MAX, -1, 0, 2**53 + 1, -2**62, 7], np.int64)
    u = np.array([2**64 - 1, 2**63, 0, 1, 2**32, 5, 6], np.uint64)
    w = np.array([I32_MIN, I32_MAX, -1, 0, 1, 2, 3], np.int32)
    h = np.array([NAN, INF, -INF, -0.0, 2.0**-24, 65504, 1], np.float16)
    case("weights_special_values",
         [node("Add", ["x", "c"], ["a"]), node("Cast", ["x"], ["xd"], to=TensorProto.DOUBLE),
          node("Mul", ["xd", "d"], ["b"]), node("Cast", ["x"], ["xi"], to=TensorProto.INT64),
          node("Sub", ["i", "xi"], ["e"]), node("Cast", ["x"], ["xu"], to=TensorProto.UINT64),
          node("BitwiseXor", ["u", "xu"], ["f"]), node("Cast", ["x"], ["xw"], to=TensorProto.INT32),
          node("Max", ["w", "xw"], ["g"]), node("Cast", ["x"], ["xh"], to=TensorProto.FLOAT16),
          node("Where", ["m", "h", "xh"], ["k"])],
         [("x", x)],
         [("a", x + c), ("b", x.astype(np.float64) * d), ("e", i - x.astype(np.int64)),
          ("f", u ^ make_array([cast_value(float(v), "u64") for v in x], "u64")),
          ("g", np.maximum(w, x.astype(np.int32))),
          ("k", np.where(np.array([1, 1, 1, 1, 1, 1, 0], bool), h, x.astype(np.float16)))],
         inits=[("c", c), ("d", d), ("i", i), ("u", u), ("w", w), ("h", h),
                ("m", np.array([1, 1, 1, 1, 1, 1, 0], bool))])
    x = f32(2)
    case("output_is_constant", [node("Constant", [], ["k"], value=to_tensor(np.array([[1, -2]], np.int16), "v")),
                                node("Identity", ["k"], ["y"]), node("Neg", ["x"], ["z"])],
         [("x", x)], [("y", np.array([[1, -2]], np.int16)), ("z", -x)])
    x = np.zeros((0, 3), np.float32)
    case("empty_elementwise", [node("Relu", ["x"], ["a"]), node("Cast", ["x"], ["b"], to=TensorProto.INT8),
                               node("Where", ["c", "x", "x"], ["d"]), node("Concat", ["x", "x"], ["e"], axis=0),
                               node("IsNaN", ["x"], ["f"])],
         [("x", x), ("c", np.zeros((0, 1), bool))],
         [("a", x), ("b", x.astype(np.int8)), ("d", x), ("e", x), ("f", x.astype(bool))])
    a, b = np.array([[True], [False]]), np.array([True, False, True])
    case("logic_bcast", [node("And", ["a", "b"], ["x"]), node("Or", ["a", "b"], ["o"]), node("Xor", ["a", "b"], ["e"]),
                         node("Not", ["b"], ["n"]), node("Equal", ["a", "b"], ["q"])],
         [("a", a), ("b", b)], [("x", a & b), ("o", a | b), ("e", a ^ b), ("n", ~b), ("q", a == b)])
    a = np.array([[1], [200], [255]], np.uint8)
    case("bitshift_bcast", [node("BitShift", ["a", "s"], ["l"], direction="LEFT"),
                            node("BitShift", ["a", "s"], ["r"], direction="RIGHT")],
         [("a", a), ("s", np.array([0, 1, 7, 8], np.uint8))],
         [("l", (a.astype(np.int64) << np.array([0, 1, 7, 8])).astype(np.uint8) * (np.array([0, 1, 7, 8]) < 8)),
          ("r", a >> np.array([0, 1, 7, 8], np.uint8))])
    # a padded tensor in the arena, read by two later nodes
    x = f32(2, 3)
    p = np.pad(x, ((1, 2), (3, 1)), mode="edge")
    case("pad_edge_intermediate", [node("Exp", ["x"], ["e"]), node("Pad", ["e", "p"], ["q"], mode="edge"),
                                   node("Neg", ["q"], ["n"]), node("Add", ["q", "n"], ["z"]),
                                   node("Mul", ["q", "q"], ["y"])],
         [("x", x)], [("y", np.exp(p) * np.exp(p)), ("z", np.zeros_like(p))],
         inits=[("p", np.array([1, 3, 2, 1], np.int64))])
    # one buffer reached through a view as a second operand
    e = np.exp(x)
    case("inplace_view_operand", [node("Exp", ["x"], ["e"]), node("Reshape", ["e", "s"], ["r"]),
                                  node("Reshape", ["e", "s"], ["t"]), node("Sub", ["r", "t"], ["d"]),
                                  node("Add", ["d", "r"], ["y"])],
         [("x", x)], [("y", e.reshape(6))], inits=[("s", np.array([6], np.int64))])
    x = f32(2, 3, 4)
    case("reshape_bound_shape", [node("Reshape", ["x", "s"], ["y"])],
         [("x", x), ("s", np.array([4, -1], np.int64))], [("y", x.reshape(4, 6))],
         args="--bind s=@DIR@/test_data_set_0/input_1.pb")
    xd = np.array([-1000, -30, -1, -1e-12, 0, 1e-12, 1, 30, 1000, INF, -INF, NAN], np.float64)
    case("activations_f64",
         [node("Sigmoid", ["x"], ["s"]), node("Softplus", ["x"], ["p"]), node("Erf", ["x"], ["e"]),
          node("Gelu", ["x"], ["g"]), node("LeakyRelu", ["x"], ["l"], alpha=0.2), node("Tanh", ["x"], ["t"])],
         [("x", xd)],
         [("s", np.where(xd >= 0, 1 / (1 + np.exp(-xd)), np.exp(xd) / (1 + np.exp(xd)))),
          ("p", np.logaddexp(0, xd)), ("e", np.array([math.erf(v) if not math.isnan(v) else NAN for v in xd])),
          ("g", 0.5 * xd * (1 + np.array([math.erf(v / math.sqrt(2)) if not math.isnan(v) else NAN for v in xd]))),
          ("l", np.where(xd < 0, xd * float(np.float32(0.2)), xd)), ("t", np.tanh(xd))],
         args="--atol 1e-12 --rtol 1e-9")


# ================= random graphs for the memory planner =================

def bcast_ok(a, b):
    return all(x == y or x == 1 or y == 1 for x, y in zip(a[::-1], b[::-1]))


def random_graph(name, seed):
    """A chain of in-place-capable elementwise ops, views (Reshape, Flatten) and copies
    (Transpose, Slice, Concat), reading earlier tensors again later, several outputs."""
    r = np.random.default_rng(seed)
    pool = {"x0": f32(2, 3, 4), "x1": f32(3, 4), "x2": f32(4)}
    inputs = list(pool.items())
    nodes = []
    unary = {"Relu": lambda v: np.maximum(v, 0), "Neg": lambda v: -v, "Tanh": np.tanh, "Abs": np.abs,
             "Sigmoid": lambda v: (1 / (1 + np.exp(-v.astype(np.float64)))).astype(np.float32)}
    binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Max": np.maximum, "Min": np.minimum}
    for i in range(16):
        t = "t%d" % i
        names = list(pool)
        a = names[r.integers(len(names))]
        kind = r.integers(8)
        if kind < 3:
            op = list(unary)[r.integers(len(unary))]
            nodes.append(node(op, [a], [t]))
            pool[t] = unary[op](pool[a])
        elif kind < 6:
            cands = [n for n in names if bcast_ok(pool[a].shape, pool[n].shape)]
            b = cands[r.integers(len(cands))]
            op = list(binary)[r.integers(len(binary))]
            nodes.append(node(op, [a, b], [t]))
            pool[t] = binary[op](pool[a], pool[b])
        elif kind == 6 and pool[a].ndim > 1:
            perm = list(r.permutation(pool[a].ndim))
            nodes.append(node("Transpose", [a], [t], perm=perm))
            pool[t] = pool[a].transpose(perm)
        elif kind == 6:
            nodes.append(node("Concat", [a, a], [t], axis=0))
            pool[t] = np.concatenate([pool[a], pool[a]], 0)
        else:
            shape = np.array(pool[a].shape[::-1], np.int64)
            nodes.append(node("Reshape", [a, "shape%d" % i], [t]))
            inputs.append(("shape%d" % i, shape))
            pool[t] = pool[a].reshape(shape)
    names = list(pool)
    outs = [names[-1], names[-2], names[3 + r.integers(len(names) - 5)]]
    outs = list(dict.fromkeys(outs))
    case(name, nodes, [(n, a) for n, a in inputs if not n.startswith("shape")],
         [(n, pool[n]) for n in outs], inits=[(n, a) for n, a in inputs if n.startswith("shape")])


def gen_random():
    for k in range(12):
        random_graph("plan_random_%02d" % k, 100 + k)


# ================= errors and guards =================

def gen_errors():
    x = f32(2, 3)
    case("concat_rank_mismatch", [node("Concat", ["x", "z"], ["y"], axis=0)], [("x", x), ("z", f32(3))],
         [("y", x)], error="differs")
    case("tile_negative", [node("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", x)],
         inits=[("r", np.array([1, -1], np.int64))], error="negative")
    # shapes from hostile values: negative or beyond int64 once multiplied
    for nm, op, ins, inits, err in (
            ("expand_negative_dim", "Expand", ["x", "s"], [("s", np.array([-1, 1, 3], np.int64))], "size -1"),
            ("expand_huge", "Expand", ["x", "s"], [("s", np.array([2**40, 2**40, 1, 3], np.int64))], "more than 2147483647"),
            ("tile_huge", "Tile", ["x", "s"], [("s", np.array([2**62, 2**62], np.int64))], "too large"),
            ("pad_huge", "Pad", ["x", "s"], [("s", np.array([2**62, 0, 2**62, 0], np.int64))], "out of range"),
            ("reshape_huge", "Reshape", ["x", "s"], [("s", np.array([2**62, 2**62, -1], np.int64))], "more than 2147483647")):
        case(nm, [node(op, ins, ["y"])], [("x", x)], [("y", x)], inits=inits, error=err)
    case("split_negative_size", [node("Split", ["x", "s"], ["a", "b"], axis=1)], [("x", x)], [("a", x), ("b", x)],
         inits=[("s", np.array([2, -1], np.int64))], error="split size -1")
    case("constantofshape_negative", [node("ConstantOfShape", ["s"], ["y"])], [], [("y", x)],
         inits=[("s", np.array([2, -3], np.int64))], error="size -3")
    case("depthtospace_huge_block", [node("DepthToSpace", ["x"], ["y"], blocksize=2**33 + 2)],
         [("x", f32(1, 4, 1, 1))], [("y", f32(1, 1, 2, 2))], error="blocksize")
    case("broadcast_mismatch", [node("Add", ["x", "z"], ["y"])], [("x", x), ("z", f32(2))], [("y", x)],
         error="broadcast")


# ================= opset 27/28: CausalConvWithState, SwiGLU =================

def ref_causal(x, w, b, s, silu):
    n, c, length = x.shape
    k = w.shape[2]
    seq = np.concatenate([np.zeros((n, c, k - 1), np.float32) if s is None else s, x], axis=2)
    y = np.zeros_like(x)
    for t in range(length):
        y[:, :, t] = (seq[:, :, t:t + k] * w[None, :, 0, :]).sum(-1)
    if b is not None:
        y += b[None, :, None]
    if silu:
        y = y / (1 + np.exp(-y))
    return y.astype(np.float32), seq[:, :, length:].astype(np.float32)


def causal_case(name, r, n, c, length, k, fold=False, past=False, bias=False, silu=False,
                present=True):
    """y = CausalConvWithState(x, w, b, s) + z, z fed at run time so that a folded node
    still meets runtime code; w, b and s are initializers, x too when fold."""
    x, w = r.uniform(-2, 2, (n, c, length)).astype(np.float32), r.uniform(-1, 1, (c, 1, k)).astype(np.float32)
    b = r.uniform(-1, 1, c).astype(np.float32) if bias else None
    s = r.uniform(-2, 2, (n, c, k - 1)).astype(np.float32) if past else None
    z = r.uniform(-1, 1, (n, c, length)).astype(np.float32)
    y, ps = ref_causal(x, w, b, s, silu)
    inits = [("w", w)] + ([("b", b)] if bias else []) + ([("s", s)] if past else [])
    outs = ["y0", "ps"] if present else ["y0"]
    nodes = [node("CausalConvWithState", ["x", "w", "b" if bias else "", "s" if past else ""], outs,
                  **({"activation": "silu"} if silu else {})), node("Add", ["y0", "z"], ["y"])]
    ins = [("z", z)] if fold else [("x", x), ("z", z)]
    case(name, nodes, ins, [("y", y + z)] + ([("ps", ps)] if present else []),
         inits=inits + ([("x", x)] if fold else []), opset=27)


def gen_opset27():
    r = np.random.default_rng(27)  # its own stream: the cases above keep their data
    causal_case("causal_fold_past_silu", r, 2, 3, 5, 4, fold=True, past=True, bias=True, silu=True)
    causal_case("causal_fold_short_no_past", r, 1, 2, 2, 5, fold=True)
    causal_case("causal_past_bias", r, 2, 3, 5, 3, past=True, bias=True)
    causal_case("causal_no_past_silu", r, 1, 3, 9, 3, bias=True, silu=True)
    causal_case("causal_k1_past", r, 1, 2, 4, 1, past=True, silu=True)
    causal_case("causal_decode_c1", r, 1, 1, 1, 4, past=True)
    causal_case("causal_no_present", r, 2, 2, 6, 3, past=True)
    a, b = r.uniform(-4, 4, (3, 5)).astype(np.float32), r.uniform(-2, 2, (3, 5)).astype(np.float32)
    z = r.uniform(-1, 1, (3, 5)).astype(np.float32)
    y = (a / (1 + np.exp(-0.7 * a)) * b).astype(np.float32)
    case("swiglu_fold_alpha", [node("SwiGLU", ["a", "b"], ["g"], alpha=0.7), node("Add", ["g", "z"], ["y"])],
         [("z", z)], [("y", y + z)], inits=[("a", a), ("b", b)], opset=28)
    case("swiglu_runtime", [node("SwiGLU", ["a", "b"], ["y"])], [("a", a), ("b", b)],
         [("y", (a / (1 + np.exp(-a)) * b).astype(np.float32))], opset=28)
    case("swiglu_broadcast", [node("SwiGLU", ["a", "b"], ["y"])], [("a", a), ("b", b[:1])], [("y", a)],
         opset=28, error="same shape")


def main():
    for d in os.listdir(HERE):
        if os.path.isfile(os.path.join(HERE, d, "model.onnx")):
            shutil.rmtree(os.path.join(HERE, d))
    gen_broadcast()
    gen_integer()
    gen_float()
    gen_cast()
    gen_slice()
    gen_pad()
    gen_movement()
    gen_generators()
    gen_fold()
    gen_misc()
    gen_random()
    gen_errors()
    gen_opset27()
    if len(set(CASES)) != len(CASES):
        sys.exit("duplicate case names")
    print("%d cases" % len(CASES))


if __name__ == "__main__":
    main()
