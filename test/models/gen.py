#!/usr/bin/python3
"""gen.py - exports the model zoo: real architectures with seeded weights, as ONNX files
with reference inputs and outputs computed by torch, in the ONNX test layout
(NAME/model.onnx, NAME/test_data_set_N/input_K.pb, output_K.pb).

Run with Debian's python (python3-torch, python3-torchvision, python3-onnx, python3-numpy,
python3-sklearn):  /usr/bin/python3 test/models/gen.py [NAME ...]
The generated files are committed; building and testing never needs python.

Every layer matters: weights, biases and batch-norm statistics are random (seeded), so a
kernel that ignores one of them fails its model. Models are exported at several opsets,
with constant folding on and off, so the compiler meets what exporters really emit:
BatchNormalization nodes, Shape/Gather/Unsqueeze/Concat chains, Pad before convs,
decomposed LayerNorm.
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize(model, seed):
    """Non-trivial parameters everywhere: biases, BN statistics and affine terms."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.2)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) * 0.8 + 0.4)
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 0.8 + 0.6)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)
            elif isinstance(m, nn.LayerNorm):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 0.8 + 0.6)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.2)
            elif isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.Conv1d)):
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
    return model


def save_tensor(path, arr, name):
    t = numpy_helper.from_array(np.ascontiguousarray(arr), name=name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def export(name, model, inputs, opset, fold=True, sets=1, seed=0, note="", keep_bn=False):
    """Exports model to NAME/model.onnx with `sets` data sets of random inputs. keep_bn
    stops torch from folding BatchNormalization into the convolutions."""
    model.eval()
    out_dir = os.path.join(HERE, name)
    os.makedirs(out_dir, exist_ok=True)
    in_names = ["input_%d" % i for i in range(len(inputs))]
    path = os.path.join(out_dir, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model, tuple(inputs), path, opset_version=opset,
                          do_constant_folding=fold, input_names=in_names,
                          dynamic_axes=None,
                          training=torch.onnx.TrainingMode.PRESERVE if keep_bn
                          else torch.onnx.TrainingMode.EVAL)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    out_names = [o.name for o in m.graph.output]
    g = torch.Generator().manual_seed(1000 + seed)
    for s in range(sets):
        d = os.path.join(out_dir, "test_data_set_%d" % s)
        os.makedirs(d, exist_ok=True)
        xs = inputs if s == 0 else [
            torch.randn(x.shape, generator=g) if x.is_floating_point() else x for x in inputs]
        with torch.no_grad():
            ys = model(*xs)
        if not isinstance(ys, (tuple, list)):
            ys = [ys]
        for i, x in enumerate(xs):
            save_tensor(os.path.join(d, "input_%d.pb" % i), x.numpy(), in_names[i])
        for i, y in enumerate(ys):
            save_tensor(os.path.join(d, "output_%d.pb" % i), y.numpy(), out_names[i])
    ops = sorted({n.op_type for n in m.graph.node})
    size = os.path.getsize(path)
    print("%-22s opset %2d fold %-5s %7.1f KB  %s %s" % (name, opset, fold, size / 1024,
                                                     " ".join(ops), note))


def randn(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


# ---- architectures ----

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 128), nn.Linear(128, 64), nn.Linear(64, 10)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.f1, self.f2, self.f3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.c1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.c2(x)), 2)
        x = torch.flatten(x, 1)
        return self.f3(torch.tanh(self.f2(torch.tanh(self.f1(x)))))


class PatchStem(nn.Module):
    """A stem for patch-based execution (--patches, passes/patch.c) to cut into bands:
    strides 2, an asymmetric zero pad (a depthwise 4x4 after it), a dilated conv, a 1x1
    with a residual, a 5x5 stride 2 with a pad smaller than usual, then a small output."""

    def __init__(self):
        super().__init__()
        self.a = conv_bn(3, 16, 3, stride=2)
        self.pad = nn.ZeroPad2d((1, 2, 2, 1))
        self.b = nn.Conv2d(16, 16, 4, groups=16)
        self.c = nn.Conv2d(16, 32, 3, padding=2, dilation=2)
        self.d = nn.Conv2d(32, 32, 1)
        self.e = nn.Conv2d(32, 48, 5, stride=2, padding=1)
        self.f = nn.Conv2d(48, 4, 1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = F.relu6(self.a(x))
        x = F.relu(self.b(self.pad(x)))
        c = F.relu(self.c(x))
        x = F.relu(self.e(c + self.d(c)))
        return self.fc(self.f(x).mean((2, 3)))


def conv_bn(cin, cout, k, stride=1, groups=1, pad=None):
    pad = (k - 1) // 2 if pad is None else pad
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class DSCNN(nn.Module):
    """MLPerf Tiny keyword spotting: 49x10 MFCC, 64 channels, 4 separable blocks, 12 classes."""
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 64, (10, 4), (2, 2), (5, 1)), nn.BatchNorm2d(64),
                                  nn.ReLU())
        self.blocks = nn.Sequential(*[nn.Sequential(conv_bn(64, 64, 3, groups=64),
                                                    conv_bn(64, 64, 1)) for _ in range(4)])
        self.fc = nn.Linear(64, 12)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class MobileNetV1(nn.Module):
    """MLPerf Tiny visual wake words: MobileNetV1 width 0.25 on 96x96x3, 2 classes."""
    def __init__(self, alpha=0.25, classes=2):
        super().__init__()
        c = lambda n: int(n * alpha)
        cfg = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + \
              [(1024, 2), (1024, 1)]
        layers = [conv_bn(3, c(32), 3, 2)]
        cin = c(32)
        for cout, s in cfg:
            layers += [conv_bn(cin, cin, 3, s, groups=cin), conv_bn(cin, c(cout), 1)]
            cin = c(cout)
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1)
        return self.fc(torch.flatten(x, 1))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU())
        self.b = nn.Sequential(nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout))
        self.skip = nn.Conv2d(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.b(self.a(x))
        return F.relu(y + (self.skip(x) if self.skip is not None else x))


class ResNet8(nn.Module):
    """MLPerf Tiny image classification: ResNet-8 on CIFAR-10 32x32."""
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.stacks = nn.Sequential(ResBlock(16, 16, 1), ResBlock(16, 32, 2), ResBlock(32, 64, 2))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.avg_pool2d(self.stacks(self.stem(x)), 8)
        return self.fc(torch.flatten(x, 1))


class AutoEncoder(nn.Module):
    """MLPerf Tiny anomaly detection: the fully connected autoencoder, 640 wide."""
    def __init__(self):
        super().__init__()
        dims = [640, 128, 128, 128, 128, 8, 128, 128, 128, 128]
        layers = []
        for a, b in zip(dims, dims[1:]):
            layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(128, 640)

    def forward(self, x):
        return self.out(self.body(x))


class UNet(nn.Module):
    """A small U-Net: max-pool downs, a ConvTranspose up and a Resize up, Concat skips."""
    def __init__(self, up_mode="bilinear"):
        super().__init__()
        blk = lambda a, b: nn.Sequential(nn.Conv2d(a, b, 3, 1, 1), nn.BatchNorm2d(b), nn.ReLU(),
                                         nn.Conv2d(b, b, 3, 1, 1), nn.ReLU())
        self.e1, self.e2, self.mid = blk(3, 8), blk(8, 16), blk(16, 32)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, 2)
        self.d2 = blk(32, 16)
        self.up1 = nn.Upsample(scale_factor=2, mode=up_mode,
                               **({"align_corners": False} if up_mode == "bilinear" else {}))
        self.red = nn.Conv2d(16, 8, 1)
        self.d1 = blk(16, 8)
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        m = self.mid(F.max_pool2d(b, 2))
        y = self.d2(torch.cat([self.up2(m), b], 1))
        y = self.d1(torch.cat([self.red(self.up1(y)), a], 1))
        return self.head(y)


class EncoderLayer(nn.Module):
    """Pre-norm transformer encoder layer, written out so the export is MatMul/Softmax/
    Transpose/Reshape attention, LayerNorm and GELU."""
    def __init__(self, d, heads, ff):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.f1, self.f2 = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.n1(x)).chunk(3, dim=-1)
        split = lambda z: z.reshape(b, t, self.h, self.dk).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        att = torch.softmax(q @ k.transpose(-2, -1) / (self.dk ** 0.5), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.f2(F.gelu(self.f1(self.n2(x))))


class Transformer(nn.Module):
    def __init__(self, feat=32, d=64, heads=4, ff=128, layers=2, classes=8):
        super().__init__()
        self.embed = nn.Linear(feat, d)
        self.layers = nn.Sequential(*[EncoderLayer(d, heads, ff) for _ in range(layers)])
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, classes)

    def forward(self, x):
        x = self.norm(self.layers(self.embed(x)))
        return self.head(x.mean(dim=1))


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(16, 32, num_layers=1, batch_first=True, bidirectional=True)
        self.head = nn.Linear(64, 6)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1])


class GRUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(16, 24, num_layers=2, batch_first=True)
        self.head = nn.Linear(24, 6)

    def forward(self, x):
        y, h = self.rnn(x)
        return self.head(y[:, -1]), h


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 8, 3, padding=1), nn.Conv2d(8, 16, 3, padding=1)
        self.fc1, self.fc2 = nn.Linear(256, 32), nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c2(F.relu(self.c1(x)))), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def digits():
    """Trains DigitsCNN on sklearn's 8x8 digits (shipped by python3-sklearn); keeps the
    held-out set (eval_images.pb, eval_labels.pb) for accuracy measurements."""
    from sklearn.datasets import load_digits
    data = load_digits()
    x = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(data.target, dtype=torch.int64)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(7))
    test, train = perm[:360], perm[360:]
    torch.manual_seed(7)
    model = DigitsCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(40):
        for i in range(0, len(train), 64):
            idx = train[i:i + 64]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(x[test]).argmax(1) == y[test]).float().mean().item()
    export("digits_cnn", model, [x[test[:1]]], 13, note="(trained: %.1f%% held-out accuracy)"
           % (100 * acc))
    d = os.path.join(HERE, "digits_cnn")
    save_tensor(os.path.join(d, "eval_images.pb"), x[test].numpy(), "images")
    save_tensor(os.path.join(d, "eval_labels.pb"), y[test].numpy(), "labels")
    with open(os.path.join(d, "test_data_set_0", "label.txt"), "w") as f:
        f.write("%d\n" % y[test[0]].item())


def zoo():
    torch.manual_seed(0)
    r = lambda m, s: randomize(m, s)
    return {
        "mlp": lambda: export("mlp", r(MLP(), 1), [randn(1, 784)], 13, sets=2),
        "lenet5": lambda: export("lenet5", r(LeNet5(), 2), [randn(1, 1, 28, 28)], 11),
        "ds_cnn_kws": lambda: export("ds_cnn_kws", r(DSCNN(), 3), [randn(1, 1, 49, 10)], 13,
                                     sets=2, keep_bn=True),
        "mobilenet_v1_025_vww": lambda: export("mobilenet_v1_025_vww", r(MobileNetV1(), 4),
                                               [randn(1, 3, 96, 96)], 13),
        "resnet8_cifar": lambda: export("resnet8_cifar", r(ResNet8(), 5), [randn(1, 3, 32, 32)],
                                        11, fold=False, keep_bn=True),
        "fc_autoencoder_ad": lambda: export("fc_autoencoder_ad", r(AutoEncoder(), 6),
                                            [randn(1, 640)], 17),
        "mobilenet_v2_035": lambda: export(
            "mobilenet_v2_035", r(torchvision.models.mobilenet_v2(width_mult=0.35,
                                                                  num_classes=10), 7),
            [randn(1, 3, 96, 96)], 13),
        "shufflenet_v2_x05": lambda: export(
            "shufflenet_v2_x05", r(torchvision.models.shufflenet_v2_x0_5(num_classes=10), 8),
            [randn(1, 3, 64, 64)], 11, fold=False, note="(shape chains kept)"),
        "squeezenet1_1": lambda: export(
            "squeezenet1_1", r(torchvision.models.squeezenet1_1(num_classes=10), 9),
            [randn(1, 3, 64, 64)], 17),
        "unet_small": lambda: export("unet_small", r(UNet("bilinear"), 10),
                                     [randn(1, 3, 32, 32)], 11),
        "unet_nearest_op17": lambda: export("unet_nearest_op17", r(UNet("nearest"), 11),
                                            [randn(1, 3, 32, 32)], 17, fold=False,
                                            keep_bn=True),
        "transformer_op13": lambda: export("transformer_op13", r(Transformer(), 12),
                                           [randn(1, 16, 32)], 13, fold=False,
                                           note="(LayerNorm decomposed)"),
        "transformer_op17": lambda: export("transformer_op17", r(Transformer(), 13),
                                           [randn(1, 16, 32)], 17),
        "lstm": lambda: export("lstm", r(LSTMNet(), 14), [randn(1, 20, 16)], 13),
        "gru": lambda: export("gru", r(GRUNet(), 15), [randn(1, 20, 16)], 13, fold=False),
        "digits_cnn": digits,
        "patch_stem": lambda: export("patch_stem", r(PatchStem(), 16), [randn(1, 3, 64, 64)],
                                     13, sets=2),
    }


if __name__ == "__main__":
    models = zoo()
    for name in sys.argv[1:] or models:
        models[name]()
