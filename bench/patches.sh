#!/bin/sh
# patches.sh ONNX2MCU M4RUN [MODEL...] - what patch-based execution costs, measured: each
# test/models/MODEL (default: MobileNetV2-0.35, MobileNetV1-0.25, patch_stem) compiled
# at --target cortex-m4 as it is, and again with a --ram-limit that leaves half its
# arena (the RAM it takes, arena and the caller's input and output buffers, less half
# the arena), so that the compiler picks the bands; both run once on the emulated Cortex-M4 (m4run, bench/main.c, gcc -O2, the
# model's test_data_set_0, checked against its output). Prints a markdown table (also
# $BENCH_OUT/patches/patches.md): bands, RAM and arena, instructions measured and cycles
# the cost model estimated (the compile report's `patches` object), without and with.
# A model no bands fit into gets a row saying so. Fails when a build, a run or a check
# fails.
set -u
bin=$1 m4run=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
out=${BENCH_OUT:-$root/build/bench}/patches
models=${*:-mobilenet_v2_035 mobilenet_v1_025_vww patch_stem}
mkdir -p "$out"
fail=0
. "$here/lib.sh"

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%+.1f%%", b ? 100 * (a - b) / b : 0) }'; }

{
	echo "| model | bands | RAM B | arena B | instructions | est. cycles |"
	echo "|---|--:|--:|--:|--:|--:|"
} >"$out/patches.md"
for m in $models; do
	d=$root/test/models/$m
	if ! build "$m" "$d" --target cortex-m4 >"$out/$m.log" 2>&1; then
		echo "FAIL $m: onnx2mcu (see $out/$m.log)"
		fail=$((fail + 1))
		continue
	fi
	ram=$(field ram_bytes "$out/$m/report.json")
	a1=$(field arena_bytes "$out/$m/report.json")
	limit=$((ram - a1 / 2))
	if ! build "$m-patched" "$d" --target cortex-m4 --ram-limit "$limit" \
		>"$out/$m-patched.log" 2>&1; then
		if grep -q "is over --ram-limit" "$out/$m-patched.log"; then
			echo "| $m --ram-limit $limit | no bands fit | | | | |" >>"$out/patches.md"
			continue
		fi
		echo "FAIL $m: onnx2mcu under --ram-limit $limit (see $out/$m-patched.log)"
		fail=$((fail + 1))
		continue
	fi
	r=$out/$m-patched/report.json
	bands=$(field patch_bands "$r")
	ram2=$(field ram_bytes "$r")
	a2=$(field arena_bytes "$r")
	e1=$(field est_cycles "$out/$m/report.json") e2=$(field est_cycles "$r")
	if ! i1=$(count "$m" m4) || ! i2=$(count "$m-patched" m4); then
		echo "FAIL $m: m4run or the check (see $out/$m*/m4run.txt)"
		fail=$((fail + 1))
		continue
	fi
	echo "| $m | 1 | $ram | $a1 | $i1 | $e1 |" >>"$out/patches.md"
	echo "| $m --ram-limit $limit | $bands | $ram2 | $a2 | $i2 ($(pct "$i2" "$i1")) | $e2 ($(pct "$e2" "$e1")) |" \
		>>"$out/patches.md"
done
cat "$out/patches.md"
exit $((fail > 0))
