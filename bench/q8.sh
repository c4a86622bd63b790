#!/bin/sh
# q8.sh ONNX2MCU M4RUN [FLOAT:QUANTIZED...] - the int8 kernels against float on emulated
# cores (m4run, one inference between bench_begin/bench_end, bench/main.c, gcc -O2): each
# float test/models/FLOAT and its onnxruntime-quantized test/qmodels/QUANTIZED. The float
# model runs on the Cortex-M4 (--target cortex-m4); the int8 one five times:
#   portable    the default target (no --target), -DO2M_NO_DSP, on the M4
#   dsp         the default target with the DSP extension's paths, on the M4
#   m4          --target cortex-m4 (int16 weights packed at compile time, the assembly
#               inner loops), on the M4
#   m3          --target cortex-m3 (no DSP, no FPU: the portable C), on the M3
#   m55         --target cortex-m55, on the M55
# Prints a markdown table (also $BENCH_OUT/q8.md): instructions and instructions per MAC
# (MACs from the float model's compile report), and the flash of the int8 weights at the
# default target and at --target cortex-m4. Every output must match its reference as in
# `make bench` (the int8 ones within the fixture's atol, info.txt). Fails when a build, a
# run or a check fails.
set -u
bin=$1 m4run=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
out=${BENCH_OUT:-$root/build/bench}/q8
pairs=${*:-resnet8_cifar:resnet8_cifar_qdq_pc_u8 ds_cnn_kws:ds_cnn_kws_qdq_pc_s8
	mobilenet_v1_025_vww:mobilenet_v1_025_vww_qop_pc_s8
	fc_autoencoder_ad:fc_autoencoder_ad_qdq_pt_s8}
mkdir -p "$out"
fail=0
. "$here/lib.sh"

# the bytes of the weights a report lists (its "weights" total)
weights() { field weights_bytes "$1"; }

{
	printf '| model | MACs | float M4 | int8 portable M4 | int8 DSP M4 | int8 --target M4 | int8 --target M3 | int8 --target M55 | weights default / M4 |\n'
	printf '|---|--:|--:|--:|--:|--:|--:|--:|--:|\n'
} >"$out/q8.md"
for pair in $pairs; do
	f=${pair%%:*} q=${pair#*:}
	qd=$root/test/qmodels/$q
	atol=$(sed -n 's/^atol=//p' "$qd/info.txt")
	row="| $f / $q"
	ok=1
	if ! build "$f" "$root/test/models/$f" --target cortex-m4 >"$out/$f.log" 2>&1 ||
		! build "$q" "$qd" >"$out/$q.log" 2>&1 ||
		! build "$q-m4" "$qd" --target cortex-m4 >"$out/$q-m4.log" 2>&1 ||
		! build "$q-m3" "$qd" --target cortex-m3 >"$out/$q-m3.log" 2>&1 ||
		! build "$q-m55" "$qd" --target cortex-m55 >"$out/$q-m55.log" 2>&1; then
		echo "FAIL $pair: onnx2mcu (see $out/*.log)"
		fail=$((fail + 1))
		continue
	fi
	macs=$(field macs "$out/$f/report.json")
	row="$row | $macs"
	for run in "$f m4" "$q m4 -DO2M_NO_DSP" "$q m4" "$q-m4 m4" "$q-m3 m3" "$q-m55 m55"; do
		set -- $run
		tag=$1 m=$2
		shift 2
		[ "$tag" = "$f" ] || set -- "$@" -DBENCH_ATOL="$atol"
		# the same directory twice (portable, then DSP): keep the first run's output
		n=$(count "$tag" "$m" "$@") || { echo "FAIL $tag on $m: see $out/$tag/m4run.txt"; ok=0; break; }
		[ "$*" = "-DO2M_NO_DSP -DBENCH_ATOL=$atol" ] && cp "$out/$tag/m4run.txt" "$out/$tag/m4run.portable.txt"
		row="$row | $n ($(echo "$n $macs" | awk '{ printf "%.3f", $1 / $2 }'))"
	done
	[ $ok -eq 1 ] || { fail=$((fail + 1)); continue; }
	row="$row | $(weights "$out/$q/report.json") / $(weights "$out/$q-m4/report.json") |"
	echo "$row" >>"$out/q8.md"
done
echo "instructions of one inference (per MAC), m4run, $(arm-none-eabi-gcc -dumpversion) -O2; int8 outputs within the fixture's atol:"
echo
cat "$out/q8.md"
echo
echo "written to $out/q8.md"
[ "$fail" -eq 0 ]
