#!/bin/sh
# nodes.sh ONNX2MCU M4RUN MODEL - where the instructions of one inference go: every node
# of test/models/MODEL in its own m4run region (bench/main.c with -DBENCH_NODES, 50
# regions per run), listed with its op, kernels and share, and the cost model's estimate
# (ir/cost.c) against the measurement; then the totals per kernel. BENCH_MODELS_DIR
# replaces test/models; BENCH_FLAGS adds compile options; BENCH_CHECK=0 accepts any
# output (models made only to be measured).
# A region also counts the few instructions of the trace call that closes it.
set -u
bin=$1 m4run=$2 m=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(pwd)
d=${BENCH_MODELS_DIR:-$root/test/models}/$m o=${BENCH_OUT:-$root/build/bench}/nodes-$m
rm -rf "$o"
mkdir -p "$o"
# shellcheck disable=SC2086 # BENCH_FLAGS: more compile options, split on spaces
"$bin" compile "$d/model.onnx" -o "$o/gen" -n model --report "$o/report.json" ${BENCH_FLAGS:-} &&
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
		-DBENCH_NODES=$first -DMODEL_TRACE_HOOK ${BENCH_CHECK:+-DBENCH_ATOL=1e30} \
		>"$o/m4run.$first.txt" 2>&1 ||
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
# the cost model's estimate of each node (the report's est_cycles of its calls)
/usr/bin/python3 -c 'import json, sys
est = {}
for l in json.load(open(sys.argv[1]))["layers"]:
    est[l["node"]] = est.get(l["node"], 0) + l["est_cycles"]
for n, c in sorted(est.items()):
    print("%d\t%d" % (n, c))' "$o/report.json" >"$o/estimates.tsv" 2>/dev/null || : >"$o/estimates.tsv"
echo " node op                   instructions share     model  model/measured  kernels  name"
awk -F'\t' -v total="$total" 'FNR == 1 { f++ }
	f == 1 { op[$1] = $2; kern[$1] = $3; name[$1] = $4; next }
	f == 2 { est[$1] = $2; next }
	{ r = $2 > 0 && ($1 in est) ? sprintf("%.2f", est[$1] / $2) : "-"
	  printf "%5d %-20s %12d %5.1f%% %9s %15s  %s  %s\n", $1, op[$1], $2, 100 * $2 / total,
		($1 in est) ? est[$1] : "-", r, kern[$1], name[$1] }' \
	"$o/nodes.tsv" "$o/estimates.tsv" "$o/regions.tsv"
echo
echo "per kernel:"
awk -F'\t' 'NR == FNR { kern[$1] = $3; next } { s[kern[$1]] += $2; c[kern[$1]]++; t += $2 }
	END { for (k in s) printf "%12d %5.1f%% %4d  %s\n", s[k], 100 * s[k] / t, c[k], k }' \
	"$o/nodes.tsv" "$o/regions.tsv" | sort -rn
