#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the onnxruntime-quantized fixtures: each compiles through the
# CLI, matches onnxruntime's own output of the quantized model within one quantization
# step of the output (NAME/info.txt's atol, rtol 0), and runs integer-only (intonly.sh:
# no float kernel between the input's quantization and the output's dequantization).
# One line per fixture (the reason when it fails: the unsupported operators, the
# mismatch, the float kernels), logs in build/qmodels/NAME.log. Each also matches with its
# first layers in 3 bands of rows (--patches 3, where they split). Fixtures listed in
# known-failures.txt (with the reason) are run and reported but do not fail the suite.
# They run JOBS (default: the cores) at a time, one.sh each.
# Ends with: qmodels: N passed, M failed, K known failures.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${QMODELS_OUT:-build/qmodels}
mkdir -p "$out"
models=${*:-$(cd "$here" && ls -d */ | tr -d / | grep -v '^calib$')}
pass=0 fail=0 known=0
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# the fixtures run in parallel (one.sh), their lines print in order
for m in $models; do
	[ -f "$here/$m/model.onnx" ] && rm -f "$out/$m.result" && echo "$m"
done | xargs -P "$jobs" -n 1 sh "$here/one.sh" "$bin" "$out"
for m in $models; do
	[ -f "$here/$m/model.onnx" ] || continue
	line=$(cat "$out/$m.result" 2>/dev/null || echo "FAIL $m: no result")
	echo "$line"
	case $line in
	PASS*) pass=$((pass + 1)) ;;
	KNOWN*) known=$((known + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "qmodels: $pass passed, $fail failed, $known known failures"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
