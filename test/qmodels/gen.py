#!/usr/bin/python3
"""gen.py - int8 fixtures made the way most users quantize: onnxruntime's quantize_static,
run on float models of the zoo (test/models/NAME/model.onnx). For each fixture it writes
NAME/model.onnx, NAME/info.txt and NAME/test_data_set_0/{input_0,output_0,float_output_0}.pb:
output_0 is onnxruntime's own output of the quantized model (CPU provider, graph
optimizations disabled, so the quantized ops run as written), float_output_0 that of the
float source model on the same input. It also writes calib/MODEL/input_0.npy: the
calibration samples quantize_static used, as one array [N, ...] (sample i is [i:i+1]).

Run:  /usr/bin/python3 test/qmodels/gen.py [FIXTURE ...]
It makes build/qvenv (venv --system-site-packages), pip-installs the pinned PIP list
below from PyPI, and re-runs itself there. Deterministic (fixed seeds, one thread) and
re-runnable: each fixture folder is replaced as a whole. The generated files are committed;
building and testing never needs python.

Calibration data (100 samples per model, seeded, none of them the held-out input):
  digits_cnn  100 images of scikit-learn's digits from the zoo's TRAINING split (every
              image not in test/models/digits_cnn/eval_images.pb), seeded choice
  others      standard normal noise of the input's shape (numpy default_rng, seed per
              model), the distribution of the zoo's own random inputs (torch.randn)
The held-out input is the zoo's test_data_set_0/input_0.pb (a torch.randn draw; for
digits_cnn the first image of the evaluation set); for act_gates a numpy draw, seed 200.

Preprocessing: onnxruntime.quantization.quant_pre_process (ONNX shape inference and
onnxruntime's basic optimizations: BatchNormalization folded into Conv, constants folded;
symbolic shape inference skipped, the zoo's shapes are static), as onnxruntime's docs
recommend; the one `nopre` fixture quantizes the exported graph as it is.
Always: calibrate_method MinMax, weights int8 (symmetric, onnxruntime's default).
Activations uint8 are asymmetric; int8 activations symmetric (ActivationSymmetric=True).

Fixture matrix (fmt: qdq = QuantFormat.QDQ, qop = QuantFormat.QOperator;
w: pt per-tensor / pc per-channel weights; rr: reduce_range (7-bit weights); act):
  fixture                          fmt  w   rr  act  architecture
  digits_cnn_qdq_pt_u8             qdq  pt  -   u8   small CNN, trained (Conv, MaxPool, Gemm)
  digits_cnn_qdq_pc_s8             qdq  pc  -   s8
  digits_cnn_qop_pt_u8_rr          qop  pt  rr  u8
  digits_cnn_qop_pc_s8             qop  pc  -   s8
  mlp_qdq_pt_s8_rr                 qdq  pt  rr  s8   MLP (Gemm, Relu)
  mlp_qop_pc_u8                    qop  pc  -   u8
  lenet5_qdq_pc_u8_rr              qdq  pc  rr  u8   LeNet-5 (Tanh stays float, Pad, AveragePool)
  lenet5_qop_pt_s8                 qop  pt  -   s8
  ds_cnn_kws_qdq_pc_s8             qdq  pc  -   s8   DS-CNN (depthwise, GlobalAveragePool)
  ds_cnn_kws_qop_pc_u8_rr          qop  pc  rr  u8
  ds_cnn_kws_qdq_pt_u8_nopre       qdq  pt  -   u8   not preprocessed: float BatchNorm islands
  resnet8_cifar_qdq_pc_u8          qdq  pc  -   u8   ResNet-8 (residual Add, AveragePool)
  resnet8_cifar_qop_pt_s8_rr       qop  pt  rr  s8
  mobilenet_v1_025_vww_qop_pc_s8   qop  pc  -   s8   MobileNetV1 0.25
  mobilenet_v2_035_qdq_pc_u8_rr    qdq  pc  rr  u8   MobileNetV2 0.35 (Clip/ReLU6, Add)
  fc_autoencoder_ad_qdq_pt_s8      qdq  pt  -   s8   FC autoencoder (Gemm, float BatchNorm)
  fc_autoencoder_ad_qop_pc_u8      qop  pc  -   u8
  unet_small_qop_pt_u8             qop  pt  -   u8   U-Net (Concat, Resize, ConvTranspose)
  transformer_op17_qop_pc_s8       qop  pc  -   s8   transformer (MatMul of activations,
  transformer_op17_qdq_pt_u8       qdq  pt  -   u8     Softmax, LayerNormalization)
  act_gates_qop_pt_u8              qop  pt  -   u8   synthetic, built here: Conv, LeakyRelu,
  act_gates_qop_pc_s8_rr           qop  pc  rr  s8     Sigmoid, Mul gate, GlobalAveragePool,
  act_gates_qdq_pc_u8              qdq  pc  -   u8     Gemm (ops no zoo model has)
Every option appears at least twice on different architectures in each format.
int16 activations, int8 weights (a16w8; QDQ only, onnxruntime's quantizer makes them
with opset 21's int16 QuantizeLinear): s16 symmetric (zero point 0, TFLite's 16x8),
s16a asymmetric (onnxruntime's default for 16 bits):
  resnet8_cifar_qdq_pc_s16         qdq  pc  -   s16
  ds_cnn_kws_qdq_pt_s16            qdq  pt  -   s16
  mobilenet_v2_035_qdq_pc_s16      qdq  pc  -   s16
  digits_cnn_qdq_pc_s16a           qdq  pc  -   s16a
  fc_autoencoder_ad_qdq_pc_s16a    qdq  pc  -   s16a
  act_gates_qdq_pc_s16             qdq  pc  -   s16    (Sigmoid, LeakyRelu: int16 tables)
  lenet5_qdq_pt_s16a               qdq  pt  -   s16a   (Tanh: an int16 table)
  unet_nearest_op17_qdq_pc_s16     qdq  pc  -   s16    (ConvTranspose, Concat, nearest Resize)
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ZOO = os.path.join(ROOT, "test", "models")
VENV = os.path.join(ROOT, "build", "qvenv")

# Exact pins of everything pip installs (onnx from PyPI: Debian's 1.12 is too old for
# this onnxruntime's quantizer, which needs ml_dtypes and a newer onnx; scikit-learn for
# the digits images).
PIP = ["onnxruntime==1.32.0", "onnx==1.23.2", "numpy==2.4.6", "ml_dtypes==0.7.0",
       "protobuf==7.36.2", "flatbuffers==25.12.19", "packaging==26.4",
       "typing_extensions==4.16.0", "scikit-learn==1.9.1", "scipy==1.17.1", "joblib==1.6.0",
       "threadpoolctl==3.8.0", "cloudpickle==3.1.3", "narwhals==2.29.0"]

N_CALIB = 100
CALIB_SEED = {"digits_cnn": 101, "mlp": 102, "lenet5": 103, "ds_cnn_kws": 104,
              "resnet8_cifar": 105, "mobilenet_v1_025_vww": 106, "mobilenet_v2_035": 107,
              "fc_autoencoder_ad": 108, "unet_small": 109, "transformer_op17": 110,
              "act_gates": 111, "unet_nearest_op17": 112}
CALIB_SAVED = ["digits_cnn", "ds_cnn_kws", "resnet8_cifar", "fc_autoencoder_ad"]
# large inputs: the first N samples of the calibration set, stored as float16 (the values
# are standard normal noise; float16 keeps the file a quarter of 100 float32 samples)
CALIB_SAVED_F16 = {"mobilenet_v1_025_vww": 32}

# name: (source model, format, per_channel, reduce_range, activations, preprocess)
FIXTURES = {}
for _m, _f, _pc, _rr, _act, _pre in [
        ("digits_cnn", "qdq", 0, 0, "u8", 1), ("digits_cnn", "qdq", 1, 0, "s8", 1),
        ("digits_cnn", "qop", 0, 1, "u8", 1), ("digits_cnn", "qop", 1, 0, "s8", 1),
        ("mlp", "qdq", 0, 1, "s8", 1), ("mlp", "qop", 1, 0, "u8", 1),
        ("lenet5", "qdq", 1, 1, "u8", 1), ("lenet5", "qop", 0, 0, "s8", 1),
        ("ds_cnn_kws", "qdq", 1, 0, "s8", 1), ("ds_cnn_kws", "qop", 1, 1, "u8", 1),
        ("ds_cnn_kws", "qdq", 0, 0, "u8", 0),
        ("resnet8_cifar", "qdq", 1, 0, "u8", 1), ("resnet8_cifar", "qop", 0, 1, "s8", 1),
        ("mobilenet_v1_025_vww", "qop", 1, 0, "s8", 1),
        ("mobilenet_v2_035", "qdq", 1, 1, "u8", 1),
        ("fc_autoencoder_ad", "qdq", 0, 0, "s8", 1), ("fc_autoencoder_ad", "qop", 1, 0, "u8", 1),
        ("unet_small", "qop", 0, 0, "u8", 1),
        ("transformer_op17", "qop", 1, 0, "s8", 1), ("transformer_op17", "qdq", 0, 0, "u8", 1),
        ("act_gates", "qop", 0, 0, "u8", 1), ("act_gates", "qop", 1, 1, "s8", 1),
        ("act_gates", "qdq", 1, 0, "u8", 1),
        ("resnet8_cifar", "qdq", 1, 0, "s16", 1), ("ds_cnn_kws", "qdq", 0, 0, "s16", 1),
        ("mobilenet_v2_035", "qdq", 1, 0, "s16", 1),
        ("digits_cnn", "qdq", 1, 0, "s16a", 1), ("fc_autoencoder_ad", "qdq", 1, 0, "s16a", 1),
        ("act_gates", "qdq", 1, 0, "s16", 1), ("lenet5", "qdq", 0, 0, "s16a", 1),
        ("unet_nearest_op17", "qdq", 1, 0, "s16", 1)]:
    _name = "%s_%s_%s_%s%s%s" % (_m, _f, "pc" if _pc else "pt", _act, "_rr" if _rr else "",
                                 "" if _pre else "_nopre")
    FIXTURES[_name] = (_m, _f, _pc, _rr, _act, _pre)


def in_venv():
    """Re-runs this script in build/qvenv, made and pip-installed on first use."""
    if os.environ.get("QMODELS_VENV") == VENV:
        return
    py = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, "qmodels-pins.txt")
    want = "\n".join(PIP) + "\n"
    if not os.path.exists(py):
        print("gen.py: creating %s" % VENV, flush=True)
        subprocess.check_call(["/usr/bin/python3", "-m", "venv", "--system-site-packages", VENV])
    if not os.path.exists(stamp) or open(stamp).read() != want:
        print("gen.py: pip install %s" % " ".join(PIP), flush=True)
        subprocess.check_call([py, "-m", "pip", "install", "--disable-pip-version-check",
                               "-q"] + PIP)
        with open(stamp, "w") as f:
            f.write(want)
    env = dict(os.environ, QMODELS_VENV=VENV, OMP_NUM_THREADS="1")
    os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


in_venv()

import numpy as np  # noqa: E402  (only inside the venv)
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import numpy_helper, version_converter  # noqa: E402,F401
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod,  # noqa: E402
                                      QuantFormat, QuantType, quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process  # noqa: E402


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def write_pb(path, arr, name):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(np.ascontiguousarray(arr), name=name).SerializeToString())


def graph_inputs(model):
    inits = {i.name for i in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in inits]


def digits_train():
    """scikit-learn's digits scaled as the zoo did (/16), minus the zoo's evaluation set."""
    from sklearn.datasets import load_digits
    x = (load_digits().images.astype(np.float32) / 16.0)[:, None]
    ev = read_pb(os.path.join(ZOO, "digits_cnn", "eval_images.pb")).reshape(-1, 64)
    evset = {r.tobytes() for r in ev}
    keep = [i for i in range(len(x)) if x[i].reshape(64).tobytes() not in evset]
    return x[keep]


_calib = {}


def calibration(model_name):
    """N_CALIB samples, one array [N, ...]; the held-out input is checked not to be one."""
    if model_name in _calib:
        return _calib[model_name]
    rng = np.random.default_rng(CALIB_SEED[model_name])
    src = onnx.load(source_path(model_name))
    shape = [d.dim_value for d in graph_inputs(src)[0].type.tensor_type.shape.dim]
    assert shape[0] == 1, shape
    if model_name == "digits_cnn":
        train = digits_train()
        data = train[rng.permutation(len(train))[:N_CALIB]]
    else:
        data = rng.standard_normal([N_CALIB] + shape[1:]).astype(np.float32)
    held = held_out(model_name)
    assert not any(np.array_equal(s[None], held) for s in data), "held-out input in calib set"
    _calib[model_name] = data
    return data


def held_out(model_name):
    if model_name == "act_gates":
        return np.random.default_rng(200).standard_normal([1, 3, 16, 16]).astype(np.float32)
    return read_pb(os.path.join(ZOO, model_name, "test_data_set_0", "input_0.pb"))


TMP = None  # scratch folder of one run: preprocessed models, the synthetic model


def act_gates(path):
    """A small float CNN with the activations no zoo model has (LeakyRelu, Sigmoid, and
    their product, a swish-like gate), so onnxruntime emits QLinearLeakyRelu,
    QLinearSigmoid and QLinearMul. Seeded weights, opset 13."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(201)
    w = lambda *s: numpy_helper.from_array((rng.standard_normal(s) * 0.3).astype(np.float32))
    inits = []
    for name, t in [("w1", w(8, 3, 3, 3)), ("b1", w(8)), ("w2", w(8, 8, 1, 1)), ("b2", w(8)),
                    ("w3", w(4, 8)), ("b3", w(4))]:
        t.name = name
        inits.append(t)
    nodes = [
        helper.make_node("Conv", ["input_0", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("LeakyRelu", ["c1"], ["a1"], alpha=0.1),
        helper.make_node("Conv", ["a1", "w2", "b2"], ["c2"]),
        helper.make_node("Sigmoid", ["c2"], ["s2"]),
        helper.make_node("Mul", ["a1", "s2"], ["g"]),
        helper.make_node("GlobalAveragePool", ["g"], ["p"]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["output_0"], transB=1)]
    g = helper.make_graph(
        nodes, "act_gates",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, [1, 4])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    onnx.save(m, path)


def source_path(model_name):
    if model_name != "act_gates":
        return os.path.join(ZOO, model_name, "model.onnx")
    path = os.path.join(TMP, "act_gates.onnx")
    if not os.path.exists(path):
        act_gates(path)
    return path


class Reader(CalibrationDataReader):
    def __init__(self, name, data):
        self.name, self.data, self.i = name, data, 0

    def get_next(self):
        if self.i >= len(self.data):
            return None
        self.i += 1
        return {self.name: self.data[self.i - 1:self.i]}


def run_ort(path, feed):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return s.run(None, feed), [o.name for o in s.get_outputs()]


def onnx_opset(model):
    return max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))


def op_histogram(model):
    h = {}
    for n in model.graph.node:
        k = ("%s.%s" % (n.domain, n.op_type)) if n.domain not in ("", "ai.onnx") else n.op_type
        h[k] = h.get(k, 0) + 1
    return h


def output_scale(model, out_name):
    """Scale of the DequantizeLinear that makes out_name, or None (a float op makes it)."""
    inits = {i.name: i for i in model.graph.initializer}
    for n in model.graph.node:
        if out_name in n.output and n.op_type == "DequantizeLinear" and n.input[1] in inits:
            s = numpy_helper.to_array(inits[n.input[1]])
            return float(s.reshape(-1)[0]) if s.size == 1 else None
    return None


def sqnr(ref, got):
    e = float(np.sum((ref.astype(np.float64) - got) ** 2))
    return float("inf") if e == 0 else 10 * np.log10(float(np.sum(ref.astype(np.float64) ** 2)) / e)


def make(name):
    model_name, fmt, pc, rr, act, pre = FIXTURES[name]
    src_path, tmp = source_path(model_name), TMP
    out = os.path.join(HERE, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "test_data_set_0"))
    src, upgraded = src_path, False
    if fmt == "qdq" and pc and onnx_opset(onnx.load(src_path)) < 13:
        # onnxruntime writes DequantizeLinear(axis=) without raising the opset: a user
        # upgrades the model first, as here
        src, upgraded = os.path.join(tmp, model_name + "_op13.onnx"), True
        onnx.save(onnx.version_converter.convert_version(onnx.load(src_path), 13), src)
    if pre:
        pre_path = os.path.join(tmp, "%s%s_pre.onnx" % (model_name, "_op13" if upgraded else ""))
        if not os.path.exists(pre_path):
            quant_pre_process(src, pre_path, skip_symbolic_shape=True)
        src = pre_path
    in_name = graph_inputs(onnx.load(src_path))[0].name
    qpath = os.path.join(out, "model.onnx")
    quantize_static(src, qpath, Reader(in_name, calibration(model_name)),
                    quant_format=QuantFormat.QDQ if fmt == "qdq" else QuantFormat.QOperator,
                    per_channel=bool(pc), reduce_range=bool(rr),
                    activation_type={"u8": QuantType.QUInt8, "s8": QuantType.QInt8,
                                     "s16": QuantType.QInt16, "s16a": QuantType.QInt16}[act],
                    weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                    extra_options={"ActivationSymmetric": act in ("s8", "s16")})
    qmodel = onnx.load(qpath)
    x = held_out(model_name)
    ys, names = run_ort(qpath, {in_name: x})
    fs, fnames = run_ort(src_path, {in_name: x})
    assert fnames == names, (fnames, names)
    d = os.path.join(out, "test_data_set_0")
    write_pb(os.path.join(d, "input_0.pb"), x, in_name)
    for k, (y, f, n) in enumerate(zip(ys, fs, names)):
        write_pb(os.path.join(d, "output_%d.pb" % k), y, n)
        write_pb(os.path.join(d, "float_output_%d.pb" % k), f, n)
    if model_name == "digits_cnn":
        shutil.copy(os.path.join(ZOO, model_name, "test_data_set_0", "label.txt"), d)
    hist = op_histogram(qmodel)
    scale = output_scale(qmodel, names[0])
    info = [
        ("source", "test/models/%s/model.onnx" % model_name if model_name != "act_gates"
         else "synthetic: act_gates() in test/qmodels/gen.py"),
        ("format", "QDQ" if fmt == "qdq" else "QOperator"),
        ("per_channel", pc), ("reduce_range", rr),
        ("activation_type", {"u8": "uint8", "s8": "int8"}.get(act, "int16")),
        ("activation_symmetric", int(act in ("s8", "s16"))),
        ("weight_type", "int8"), ("weight_symmetric", 1),
        ("opset_upgrade", "%d->13 by onnx.version_converter" % onnx_opset(onnx.load(src_path))
         if upgraded else "none"),
        ("preprocess", "quant_pre_process(skip_symbolic_shape=True)" if pre else "none"),
        ("calibrate_method", "MinMax"),
        ("calibration", "%d samples, %s" % (N_CALIB, "digits training images"
                                          if model_name == "digits_cnn" else
                                          "standard normal, seed %d" % CALIB_SEED[model_name])),
        ("opset", onnx_opset(qmodel)),
        ("onnxruntime", ort.__version__), ("onnx", onnx.__version__),
        ("reference", "onnxruntime CPU, graph optimizations disabled"),
        ("output_scale", "%.9g" % scale if scale else "none"),
        # one quantization step of the output, with slack for float rounding of it (an
        # int16 output spans 2^16 steps: float32's ulp there is 2^-7 of a step)
        ("atol", "%.9g" % (scale * (1.02 if act in ("s16", "s16a") else 1.001))
         if scale else "none"),
        ("sqnr_vs_float_db", "%.1f" % sqnr(fs[0], ys[0])),
        ("ops", " ".join("%s:%d" % kv for kv in sorted(hist.items()))),
    ]
    with open(os.path.join(out, "info.txt"), "w") as f:
        for k, v in info:
            f.write("%s=%s\n" % (k, v))
    size = os.path.getsize(qpath)
    print("%-32s %-9s %6.1f KB  sqnr %5.1f dB  %s" % (
        name, "QDQ" if fmt == "qdq" else "QOperator", size / 1024, sqnr(fs[0], ys[0]),
        " ".join("%s:%d" % kv for kv in sorted(hist.items()))), flush=True)
    return info


def save_calib():
    for m in CALIB_SAVED:
        d = os.path.join(HERE, "calib", m)
        os.makedirs(d, exist_ok=True)
        data = calibration(m)
        np.save(os.path.join(d, "input_0.npy"), data)
        print("calib/%s/input_0.npy %s %s" % (m, list(data.shape), data.dtype))
    for m, n in CALIB_SAVED_F16.items():
        d = os.path.join(HERE, "calib", m)
        os.makedirs(d, exist_ok=True)
        data = calibration(m)[:n].astype(np.float16)
        np.save(os.path.join(d, "input_0.npy"), data)
        print("calib/%s/input_0.npy %s %s" % (m, list(data.shape), data.dtype))


def readme_table():
    """The fixture table of README.md, between its two marker lines."""
    path = os.path.join(HERE, "README.md")
    if not os.path.exists(path):
        return
    lines = ["| fixture | source | format | per-channel | reduce_range | activations | ops |",
             "|---|---|---|---|---|---|---|"]
    for name in FIXTURES:
        f = os.path.join(HERE, name, "info.txt")
        if not os.path.exists(f):
            continue
        kv = dict(line.rstrip("\n").split("=", 1) for line in open(f))
        act = kv["activation_type"] + (" sym" if kv["activation_symmetric"] == "1" else " asym")
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, FIXTURES[name][0], kv["format"], "yes" if kv["per_channel"] == "1" else "no",
            "yes" if kv["reduce_range"] == "1" else "no", act, kv["ops"].replace(":", " ")))
    text = open(path).read()
    a, b = "<!-- fixtures: begin -->\n", "<!-- fixtures: end -->\n"
    if a in text and b in text:
        head, rest = text.split(a, 1)
        text = head + a + "\n".join(lines) + "\n" + b + rest.split(b, 1)[1]
        with open(path, "w") as fh:
            fh.write(text)


def main():
    names = sys.argv[1:] or list(FIXTURES)
    bad = [n for n in names if n not in FIXTURES and n != "calib"]
    if bad:
        sys.exit("gen.py: no fixture %s; known: %s" % (" ".join(bad), " ".join(FIXTURES)))
    print("onnxruntime %s, onnx %s, numpy %s" % (ort.__version__, onnx.__version__,
                                                 np.__version__))
    global TMP
    with tempfile.TemporaryDirectory() as TMP:
        for n in names:
            if n != "calib":
                make(n)
    if not sys.argv[1:] or "calib" in names:
        save_calib()
    readme_table()
    total = 0
    for dp, _, fs in os.walk(HERE):
        total += sum(os.path.getsize(os.path.join(dp, f)) for f in fs)
    print("test/qmodels: %.2f MB" % (total / 1e6))


if __name__ == "__main__":
    main()
