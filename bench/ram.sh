#!/bin/sh
# ram.sh ONNX2MCU - the arena against the layer-wise lower bound (the most bytes of one
# layer's inputs and outputs, graph I/O excluded) on the MLPerf Tiny models: float, int8
# quantized by the compiler from its calibration samples (test/qmodels/calib), and the
# onnxruntime-quantized fixtures; at the portable default, at --target cortex-m4, and
# there with --scratch-limit 0 (no kernel that takes scratch where one without exists).
# Prints a markdown table (also $BENCH_OUT/ram.md) from each compile report's
# arena_bytes, live_peak_bytes and layer_bound_bytes. Not a test: fails only when a
# model does not compile.
set -u
bin=$1
out=${BENCH_OUT:-build/bench}/ram
mkdir -p "$out"
tab=$(printf '\t')
field() { sed -n "s/^$tab\"$1\":[[:space:]]*\([0-9.e+]*\),\$/\1/p" "$2"; } # top level only
fail=0

# row NAME VARIANT MODEL FLAGS...: one line of the table
row() {
	name=$1 variant=$2 model=$3
	shift 3
	for target in "" "--target cortex-m4" "--target cortex-m4 --scratch-limit 0"; do
		r=$out/report.json
		# shellcheck disable=SC2086
		if ! "$bin" compile "$model" -o "$out/gen" -n model --report "$r" "$@" $target \
			>"$out/compile.log" 2>&1; then
			echo "| $name | $variant | ${target:-portable} | does not compile | | | |"
			fail=1
			continue
		fi
		a=$(field arena_bytes "$r") p=$(field live_peak_bytes "$r") b=$(field layer_bound_bytes "$r")
		echo "| $name | $variant | ${target:-portable} | $a | $p | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf("%.3f", b ? a / b : 0) }') |"
	done
}

{
	echo "| model | weights | target | arena B | live peak B | layer-wise bound B | arena / bound |"
	echo "|---|---|---|--:|--:|--:|--:|"
	for m in resnet8_cifar ds_cnn_kws mobilenet_v1_025_vww fc_autoencoder_ad; do
		row "$m" float "test/models/$m/model.onnx"
		row "$m" "int8 (compiler)" "test/models/$m/model.onnx" --quantize int8 \
			--calib "test/qmodels/calib/$m/input_0.npy"
	done
	for q in resnet8_cifar_qdq_pc_u8 ds_cnn_kws_qdq_pc_s8 mobilenet_v1_025_vww_qop_pc_s8 \
		fc_autoencoder_ad_qdq_pt_s8; do
		row "$q" "int8 (onnxruntime)" "test/qmodels/$q/model.onnx"
	done
} | tee "$out/ram.md"
exit $fail
