#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the onnxruntime-quantized fixtures: each compiles through the
# CLI and matches onnxruntime's own output of the quantized model within one quantization
# step of the output (NAME/info.txt's atol, rtol 0). Not part of `make test` yet: the
# compiler has no integer-only path. One line per fixture (the reason when it fails: the
# unsupported operators, or the mismatch), logs in build/qmodels/NAME.log.
# Ends with: qmodels: N passed, M failed.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${QMODELS_OUT:-build/qmodels}
mkdir -p "$out"
models=${*:-$(cd "$here" && ls -d */ | tr -d / | grep -v '^calib$')}
pass=0 fail=0

for m in $models; do
	dir=$here/$m
	[ -f "$dir/model.onnx" ] || continue
	atol=$(sed -n 's/^atol=//p' "$dir/info.txt")
	log=$out/$m.log
	"$bin" validate "$dir/model.onnx" --data "$dir" --atol "$atol" --rtol 0 >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS $m ($(sed -n 's/.*\(max_abs [^ ]*\).*/\1/p' "$log" | head -1), atol $atol)"
		continue
	fi
	fail=$((fail + 1))
	case $rc in
	1)	ops=$(sed -n "s/^  node '.*' (\(.*\)),*$/\1/p" "$log" | sort | uniq -c |
		      awk '{ printf("%s%s x%s", (NR > 1 ? ", " : ""), $2, $1) }')
		why="does not compile: ${ops:-$(head -1 "$log")}" ;;
	4)	why="mismatch: $(grep -m1 'max_abs' "$log" | sed 's/^ *//') atol $atol;" \
		why="$why $(grep -m1 'elements out of tolerance' "$log" | sed 's/;.*//; s/^ *//')" ;;
	*)	why="exit $rc: $(head -1 "$log")" ;;
	esac
	echo "FAIL $m: $why"
done
echo "qmodels: $pass passed, $fail failed"
[ $fail -eq 0 ]
