#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the onnxruntime-quantized fixtures: each compiles through the
# CLI, matches onnxruntime's own output of the quantized model within one quantization
# step of the output (NAME/info.txt's atol, rtol 0), and runs integer-only (intonly.sh:
# no float kernel between the input's quantization and the output's dequantization).
# One line per fixture (the reason when it fails: the unsupported operators, the
# mismatch, the float kernels), logs in build/qmodels/NAME.log. Each also matches with its
# first layers in 3 bands of rows (--patches 3, where they split). Fixtures listed in
# known-failures.txt (with the reason) are run and reported but do not fail the suite.
# Ends with: qmodels: N passed, M failed, K known failures.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${QMODELS_OUT:-build/qmodels}
mkdir -p "$out"
models=${*:-$(cd "$here" && ls -d */ | tr -d / | grep -v '^calib$')}
pass=0 fail=0 known=0
# the generated code builds as strictly as everywhere, and runs under ASan and UBSan
cflags="-std=c99 -O1 -Wall -Wextra -Werror -pedantic -fsanitize=address,undefined -fno-sanitize-recover=all"

# 1 when the fixture is a known failure
is_known() { grep -q "^$1 " "$here/known-failures.txt" 2>/dev/null; }

for m in $models; do
	dir=$here/$m
	[ -f "$dir/model.onnx" ] || continue
	atol=$(sed -n 's/^atol=//p' "$dir/info.txt")
	log=$out/$m.log
	rm -rf "$out/$m.keep"
	"$bin" validate "$dir/model.onnx" --data "$dir" --atol "$atol" --rtol 0 \
		--cflags "$cflags" --verify-each --keep "$out/$m.keep" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then # the first layers in bands of rows (where they split)
		"$bin" validate "$dir/model.onnx" --data "$dir" --atol "$atol" --rtol 0 \
			--cflags "$cflags" --patches 3 >>"$log" 2>&1 || rc=6
	fi
	if [ $rc -eq 0 ] && sh "$here/intonly.sh" "$out/$m.keep/gen/model.c" >>"$log" 2>&1; then
		pass=$((pass + 1))
		echo "PASS $m ($(sed -n 's/.*\(max_abs [^ ]*\).*/\1/p' "$log" | head -1), atol $atol)"
		continue
	fi
	[ $rc -eq 0 ] && rc=5
	if is_known "$m"; then
		known=$((known + 1)) tag=KNOWN
	else
		fail=$((fail + 1)) tag=FAIL
	fi
	case $rc in
	1)	ops=$(sed -n "s/^  node '.*' (\(.*\)),*$/\1/p" "$log" | sort | uniq -c |
		      awk '{ printf("%s%s x%s", (NR > 1 ? ", " : ""), $2, $1) }')
		why="does not compile: ${ops:-$(head -1 "$log")}" ;;
	4)	why="mismatch: $(grep -m1 'max_abs' "$log" | sed 's/^ *//') atol $atol;" \
		why="$why $(grep -m1 'elements out of tolerance' "$log" | sed 's/;.*//; s/^ *//')" ;;
	5)	why="$(grep -A20 '^intonly' "$log" | tr -s ' \n' ' ')" ;;
	6)	why="with --patches 3: $(grep -m1 'max_abs\|error' "$log" | sed 's/^ *//')" ;;
	*)	why="exit $rc: $(head -1 "$log")" ;;
	esac
	echo "$tag $m: $why"
done
echo "qmodels: $pass passed, $fail failed, $known known failures"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
