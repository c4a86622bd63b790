#!/bin/sh
# nodes.sh ONNX2MCU M4RUN MODEL - where the instructions of one inference go: every node
# of test/models/MODEL in its own m4run region (bench/main.c with -DBENCH_NODES, 50
# regions per run), listed with its op, kernels and share; then the totals per kernel.
# A region also counts the few instructions of the trace call that closes it.
set -u
bin=$1 m4run=$2 m=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
d=$root/test/models/$m o=${BENCH_OUT:-$root/build/bench}/nodes-$m
rm -rf "$o"
mkdir -p "$o"
"$bin" compile "$d/model.onnx" -o "$o/gen" -n model &&
	"$bin" tensor "$d/test_data_set_0/input_0.pb" --c model_input >"$o/input.h" &&
	"$bin" tensor "$d/test_data_set_0/output_0.pb" --c model_expected >"$o/expected.h" ||
	exit 1
# node -> op, name and the kernels it calls, from the generated code's comments
awk '/\/\* node [0-9]+ / { n = $3; op[n] = $0; sub(/.*\(/, "", op[n]); sub(/\).*/, "", op[n])
		name[n] = $0; sub(/^[^'\'']*'\''/, "", name[n]); sub(/'\''.*/, "", name[n]); next }
	/if \(o2m_/ { k = $0; sub(/.*if \(o2m_/, "", k); sub(/\(.*/, "", k)
		if (index(" " kern[n] " ", " " k " ") == 0) kern[n] = kern[n] (kern[n] ? " " : "") k }
	END { for (n in op) printf "%s\t%s\t%s\t%s\n", n, op[n], kern[n], name[n] }' \
	"$o/gen/model.c" | sort -n >"$o/nodes.tsv"
: >"$o/regions.tsv"
first=0
while :; do
	"$m4run" -t 900 --no-mem "$here/main.c" "$o"/gen/*.c -I"$o/gen" -I"$o" -std=c99 \
		-DBENCH_NODES=$first -DMODEL_TRACE_HOOK >"$o/m4run.$first.txt" 2>&1 ||
		{ echo "m4run failed: see $o/m4run.$first.txt"; exit 1; }
	# region k holds node k of the "node" lines
	awk '/^node / { node[n++] = $2 } /^region / { sub(":", "", $2); ins[$2] = $4 }
		END { for (i = 0; i < n; i++) printf "%s\t%s\n", node[i], ins[i] }' \
		"$o/m4run.$first.txt" >>"$o/regions.tsv"
	[ "$(grep -c '^node ' "$o/m4run.$first.txt")" -lt 50 ] && break
	first=$((first + 50))
done
total=$(awk -F'\t' '{ s += $2 } END { print s }' "$o/regions.tsv")
echo "$m: $total instructions in the nodes that run code"
echo
awk -F'\t' -v total="$total" 'NR == FNR { op[$1] = $2; kern[$1] = $3; name[$1] = $4; next }
	{ printf "%5d %-20s %12d %5.1f%%  %s  %s\n", $1, op[$1], $2, 100 * $2 / total, kern[$1],
		name[$1] }' "$o/nodes.tsv" "$o/regions.tsv"
echo
echo "per kernel:"
awk -F'\t' 'NR == FNR { kern[$1] = $3; next } { s[kern[$1]] += $2; c[kern[$1]]++; t += $2 }
	END { for (k in s) printf "%12d %5.1f%% %4d  %s\n", s[k], 100 * s[k] / t, c[k], k }' \
	"$o/nodes.tsv" "$o/regions.tsv" | sort -rn
