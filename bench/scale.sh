#!/bin/sh
# scale.sh ONNX2MCU - compile time against graph size: chains of 250 to 4000 nodes
# (bench/scale.py) compiled with --report; prints nodes, wall seconds of the whole
# compile, seconds of the rewrite pass (greedy rules and search), graphs the search
# costed, and peak memory. Not a test: the machine may be shared.
set -u
bin=$1
out=${BENCH_OUT:-build/bench}/scale
mkdir -p "$out"
here=$(dirname "$0")
printf '| nodes | compile s | rewrite + search s | graphs costed | peak KiB |\n|--:|--:|--:|--:|--:|\n'
for n in 250 500 1000 2000 4000; do
	/usr/bin/python3 "$here/scale.py" $n "$out/c$n.onnx" || exit 1
	/usr/bin/time -f '%e %M' -o "$out/time.txt" "$bin" compile "$out/c$n.onnx" -o "$out/c$n" \
		-q --report "$out/c$n.json" >/dev/null 2>&1 || { echo "compile of $n nodes failed"; exit 1; }
	t=$(cat "$out/time.txt")
	s=$(sed -n 's/^[[:space:]]*"seconds":[[:space:]]*\([0-9.e-]*\).*/\1/p' "$out/c$n.json")
	e=$(sed -n 's/^[[:space:]]*"graphs_explored":[[:space:]]*\([0-9]*\).*/\1/p' "$out/c$n.json")
	set -- $t
	printf '| %d | %s | %s | %s | %s |\n' $n "$1" "$s" "$e" "$2"
done
