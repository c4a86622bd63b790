#!/bin/sh
# q8.sh ONNX2MCU M4RUN [FLOAT:QUANTIZED...] - the int8 kernels against float on an emulated
# Cortex-M4 (m4run, one inference between bench_begin/bench_end, bench/main.c): each float
# test/models/FLOAT and its onnxruntime-quantized test/qmodels/QUANTIZED, the latter built
# twice, portable C (-DO2M_NO_DSP) and with the DSP extension's paths. Prints a markdown
# table (also $BENCH_OUT/q8.md): instructions, MACs per instruction (MACs from the compile
# report), int8 over float. The float output must match its reference as in `make bench`,
# the int8 one the fixture's within its atol (info.txt). Fails when a build, a run or a
# check fails.
set -u
bin=$1 m4run=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
out=${BENCH_OUT:-$root/build/bench}/q8
pairs=${*:-resnet8_cifar:resnet8_cifar_qdq_pc_u8 ds_cnn_kws:ds_cnn_kws_qdq_pc_s8}
mkdir -p "$out"
fail=0
tab=$(printf '\t')
field() { sed -n "s/^$tab\"$1\":[[:space:]]*\([0-9.e+]*\),\$/\1/p" "$2"; } # top level only

# build NAME DIR: the generated code, input and expected output in $out/NAME
build() {
	o=$out/$1
	rm -rf "$o"
	mkdir -p "$o"
	"$bin" compile "$2/model.onnx" -o "$o/gen" -n model --report "$o/report.json" &&
		"$bin" tensor "$2/test_data_set_0/input_0.pb" --c model_input >"$o/input.h" &&
		"$bin" tensor "$2/test_data_set_0/output_0.pb" --c model_expected >"$o/expected.h"
}

# count NAME TAG FLAGS...: prints the instructions of one inference, or fails
count() {
	o=$out/$1 tag=$2
	shift 2
	"$m4run" -t 900 "$here/main.c" "$o"/gen/*.c -I"$o/gen" -I"$o" -std=c99 -Wall "$@" \
		>"$o/m4run.$tag.txt" 2>&1 || return 1
	grep -q '^bench: .* ok$' "$o/m4run.$tag.txt" || return 1
	sed -n 's/^insns: //p' "$o/m4run.$tag.txt"
}

printf '| model | MACs | float insns | int8 portable insns | int8 DSP insns | MACs/insn float / portable / DSP | int8/float portable, DSP | DSP/portable |\n' >"$out/q8.md"
printf '|---|--:|--:|--:|--:|---|---|--:|\n' >>"$out/q8.md"
for pair in $pairs; do
	f=${pair%%:*} q=${pair#*:}
	atol=$(sed -n 's/^atol=//p' "$root/test/qmodels/$q/info.txt")
	if ! build "$f" "$root/test/models/$f" >"$out/$f.log" 2>&1 ||
		! build "$q" "$root/test/qmodels/$q" >"$out/$q.log" 2>&1; then
		echo "FAIL $pair: onnx2mcu (see $out/$f.log, $out/$q.log)"
		fail=$((fail + 1))
		continue
	fi
	macs=$(field macs "$out/$f/report.json")
	fl=$(count "$f" float) || { echo "FAIL $f: see $out/$f/m4run.float.txt"; fail=$((fail + 1)); continue; }
	pc=$(count "$q" portable -DO2M_NO_DSP -DBENCH_ATOL="$atol") ||
		{ echo "FAIL $q portable: see $out/$q/m4run.portable.txt"; fail=$((fail + 1)); continue; }
	dsp=$(count "$q" dsp -DBENCH_ATOL="$atol") ||
		{ echo "FAIL $q dsp: see $out/$q/m4run.dsp.txt"; fail=$((fail + 1)); continue; }
	echo "$f $q $macs $fl $pc $dsp" | awk '{ printf "| %s / %s | %d | %d | %d | %d | %.3f / %.3f / %.3f | %.2f, %.2f | %.2f |\n",
		$1, $2, $3, $4, $5, $6, $3 / $4, $3 / $5, $3 / $6, $5 / $4, $6 / $4, $6 / $5 }' >>"$out/q8.md"
done
echo "Cortex-M4 (m4run, $(arm-none-eabi-gcc -dumpversion) -O2), one inference; int8 outputs within the fixture's atol:"
echo
cat "$out/q8.md"
echo
echo "written to $out/q8.md"
[ "$fail" -eq 0 ]
