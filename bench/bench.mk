# bench/bench.mk - `make bench`: the MLPerf Tiny models and a few more on an emulated
# Cortex-M4 (m4run, from the machine's shared tools): instructions per inference and per
# MAC, flash and RAM, in build/bench/results.md. BENCH_BASE=results.tsv adds speedups.
# `make bench-nodes BENCH_MODEL=name` lists the instructions of every node of one model.
# `make bench-q8`: int8 against float (ResNet-8, DS-CNN, MobileNetV1, FC autoencoder) on
# the M4 (portable, DSP, --target cortex-m4), the M3 and the M55. `make bench-ram`: the
# arena against the layer-wise lower bound (bench/ram.sh).
# Not a test: no threshold on speed.
M4RUN ?= $(firstword $(wildcard ../shared/tools/cortexm/m4run \
	/work/shared/tools/cortexm/m4run) m4run)
BENCH_MODELS ?= resnet8_cifar ds_cnn_kws mobilenet_v1_025_vww fc_autoencoder_ad \
	mobilenet_v2_035 transformer_op17 lstm lenet5 mlp
BENCH_MODEL ?= resnet8_cifar

bench: $(B)/onnx2mcu
	bench/run.sh $(B)/onnx2mcu $(M4RUN) $(BENCH_MODELS)

# compile time against graph size (bench/scale.py makes the models; needs python3-onnx)
bench-scale: $(B)/onnx2mcu
	bench/scale.sh $(B)/onnx2mcu

bench-q8: $(B)/onnx2mcu
	bench/q8.sh $(B)/onnx2mcu $(M4RUN)

# the arena against the layer-wise lower bound, float and int8 (no emulator needed)
bench-ram: $(B)/onnx2mcu
	bench/ram.sh $(B)/onnx2mcu

# what patch-based execution costs: RAM and instructions without and with the bands
# --ram-limit picks, measured on the emulated Cortex-M4
bench-patches: $(B)/onnx2mcu
	bench/patches.sh $(B)/onnx2mcu $(M4RUN)

# compile time: onnx2mcu on the MLPerf Tiny models, onnx2mcu and gcc -O2 on a ResNet-50
bench-compile: $(B)/onnx2mcu
	/usr/bin/python3 bench/compile.py $(B)/onnx2mcu $(B)/bench/compile

# fits ir/cost_model.def to the bench models' nodes (needs python3-numpy)
calibrate: $(B)/onnx2mcu
	bench/calibrate.sh $(B)/onnx2mcu $(M4RUN) $(BENCH_MODELS)

bench-nodes: $(B)/onnx2mcu
	bench/nodes.sh $(B)/onnx2mcu $(M4RUN) $(BENCH_MODEL)

.PHONY: bench bench-nodes bench-scale bench-q8 bench-ram bench-patches calibrate bench-compile
