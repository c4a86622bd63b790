#!/bin/sh
# run.sh ONNX2MCU M4RUN MODEL... - the benchmark: each test/models/MODEL is compiled by
# onnx2mcu at -O0 (no rewriting) and at the default -O1, and each build runs once on an
# emulated Cortex-M4 by m4run (bench/main.c, the model's test_data_set_0 input), which
# counts the instructions of the inference exactly, and on the host (bench/host.c, the
# fastest of 7 samples of 20 inferences). Prints a markdown table (also written to
# $BENCH_OUT/results.md, and as tab-separated values to results.tsv): kernel calls (the
# compile report's), instructions, instructions per MAC (MACs from the report), the
# speedup of -O1 over -O0 in instructions, flash of the model's objects (code; weights and
# tables), RAM (arena; all data+bss of the model's objects; stack painted by the driver),
# host microseconds per inference. BENCH_BASE=results.tsv adds the ratio to an earlier
# run. Fails only when a model does not build, run or match its reference.
set -u
bin=$1 m4run=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
out=${BENCH_OUT:-$root/build/bench}
base=${BENCH_BASE:-}
mkdir -p "$out"
tsv=$out/results.tsv.new
md=$out/results.md.new
printf 'model\tlevel\tkernels\tmacs\tinsns\tcode\tconst\tarena\tram\tstack\thost_us\tcheck\n' >"$tsv"
fail=0
tab=$(printf '\t')
field() { sed -n "s/^$tab\"$1\":[[:space:]]*\([0-9.e+]*\),\$/\1/p" "$2"; } # top level only

# sizes of the sections the model's objects (m4run names them N.model.o, N.o2m_*.o)
# keep in the linked ELF: "code rodata+data data+bss"
map_sizes() {
	awk 'function hex(s,   v, i) { v = 0; s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v }
		/^Linker script and memory map/ { on = 1; next }
		!on { next }
		/^ \.[a-zA-Z_.]/ { sec = $1; if (NF < 4) next; addr = $2; size = $3; file = $4 }
		/^  +0x/ { size = $2; file = $3 }
		!/^ \.[a-zA-Z_.]/ && !/^  +0x/ { next }
		file !~ /\/[0-9]+\.(model|model_weights|o2m_[a-z0-9_]+)\.o$/ { next }
		sec ~ /^\.text/ { code += hex(size) }
		sec ~ /^\.(rodata|data)/ { cst += hex(size) }
		sec ~ /^\.(data|bss)/ { ram += hex(size) }
		END { printf "%d %d %d\n", code, cst, ram }' "$1"
}

for m in "$@"; do
for level in O0 O1; do
	d=$root/test/models/$m o=$out/$m.$level
	rm -rf "$o"
	mkdir -p "$o"
	if ! { "$bin" compile "$d/model.onnx" -o "$o/gen" -n model -$level --report "$o/report.json" &&
		"$bin" tensor "$d/test_data_set_0/input_0.pb" --c model_input >"$o/input.h" &&
		"$bin" tensor "$d/test_data_set_0/output_0.pb" --c model_expected >"$o/expected.h"
	} >"$o/build.log" 2>&1; then
		echo "FAIL $m -$level: onnx2mcu (see $o/build.log)"
		fail=$((fail + 1))
		continue
	fi
	macs=$(field macs "$o/report.json")
	kernels=$(field kernels "$o/report.json")
	"$m4run" -t 900 "$here/main.c" "$o"/gen/*.c -I"$o/gen" -I"$o" -std=c99 -Wall \
		-o "$o/bench.elf" >"$o/m4run.txt" 2>&1
	rc=$?
	line=$(grep '^bench:' "$o/m4run.txt")
	insns=$(sed -n 's/^insns: //p' "$o/m4run.txt")
	if [ $rc -ne 0 ] || [ -z "$line" ] || [ -z "$insns" ]; then
		echo "FAIL $m -$level: m4run exit $rc (see $o/m4run.txt)"
		fail=$((fail + 1))
		continue
	fi
	host=-
	if ${CC:-cc} -std=c99 -O2 "$here/host.c" "$o"/gen/*.c -I"$o/gen" -I"$o" -o "$o/host" -lm \
		>"$o/host.log" 2>&1; then
		host=$("$o/host" | sed -n 's/^host_us: //p')
	fi
	set -- $line
	stack=$3 arena=$5 check=$8
	set -- $(map_sizes "$o/bench.elf.map")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "-$level" "$kernels" "$macs" \
		"$insns" "$1" "$2" "$arena" "$3" "$stack" "${host:--}" "$check" >>"$tsv"
done
done

# the table; numbers grouped by thousands, ratios to BENCH_BASE when given
awk -F'\t' -v base="$base" '
	function k(v) { return sprintf("%.1f", v / 1024) }
	function g(v,   s, r) { s = sprintf("%d", v); r = ""
		while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
		return s r }
	BEGIN { if (base != "") while ((getline l < base) > 0) { split(l, f, "\t"); old[f[1] f[2]] = f[5] } }
	NR == 1 { printf "| model | -O | kernels | MACs | instructions | insns/MAC | vs -O0 |%s flash code KiB | flash const KiB | arena KiB | data+bss KiB | stack B | host us | output |\n",
			base != "" ? " vs base |" : ""
		  printf "|---|---|--:|--:|--:|--:|--:|%s--:|--:|--:|--:|--:|--:|---|\n", base != "" ? "--:|" : ""; next }
	{ if ($2 == "-O0") o0[$1] = $5
	  v = $2 == "-O0" || !($1 in o0) ? "" : sprintf("%.2fx", o0[$1] / $5)
	  r = base == "" ? "" : ($1 $2 in old ? sprintf(" %.2fx |", old[$1 $2] / $5) : " - |")
	  printf "| %s | %s | %s | %s | %s | %.2f | %s |%s %s | %s | %s | %s | %d | %s | %s |\n", $1, $2, $3,
		g($4), g($5), $4 ? $5 / $4 : 0, v, r, k($6), k($7), k($8), k($9), $10, $11, $12 }' "$tsv" >"$md"
mv "$tsv" "$out/results.tsv"
mv "$md" "$out/results.md"
echo "Cortex-M4 (m4run, $(arm-none-eabi-gcc -dumpversion) -O2), one inference per model:"
echo
cat "$out/results.md"
echo
echo "written to $out/results.md"
[ "$fail" -eq 0 ] && ! grep -q MISMATCH "$out/results.tsv"
