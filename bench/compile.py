#!/usr/bin/python3
"""compile.py ONNX2MCU OUTDIR - how long compiling takes: onnx2mcu alone on each MLPerf
Tiny model (the fastest of 5 runs, wall clock, -q); then on a ResNet-50-sized model
(bench/resnet50.py: 25.5 million float weights, 102 MB), and gcc -O2 (or $CC) on that
model's generated C, file by file, in CPU seconds. Not a test: no threshold. Needs
python3-onnx and python3-numpy for the ResNet-50 model."""
import glob
import os
import resource
import subprocess
import sys
import time

bin_, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


print("| model | onnx2mcu s (best of 5) |\n|---|--:|")
for m in ["resnet8_cifar", "ds_cnn_kws", "mobilenet_v1_025_vww", "fc_autoencoder_ad"]:
    best = None
    for _ in range(5):
        t = time.monotonic()
        run([bin_, "compile", "test/models/%s/model.onnx" % m, "-o", os.path.join(out, m), "-q"])
        t = time.monotonic() - t
        best = t if best is None or t < best else best
    print("| %s | %.3f |" % (m, best))
r50 = os.path.join(out, "resnet50.onnx")
if not os.path.exists(r50):
    run(["/usr/bin/python3", "bench/resnet50.py", r50])
t = time.monotonic()
run([bin_, "compile", r50, "-o", os.path.join(out, "r50"), "-n", "r50", "-q"])
print("\nResNet-50 (25.5M weights): onnx2mcu %.2f s wall" % (time.monotonic() - t))
files = sorted(glob.glob(os.path.join(out, "r50", "*.c")))
before = resource.getrusage(resource.RUSAGE_CHILDREN)
for f in files:
    run([os.environ.get("CC", "gcc"), "-std=c99", "-O2", "-c", f, "-I", os.path.join(out, "r50"),
         "-o", os.path.join(out, "r50.o")])
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print("gcc -O2 on its %d C files: %.1f CPU seconds in all" % (len(files), cpu))
