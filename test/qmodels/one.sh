#!/bin/sh
# one.sh ONNX2MCU OUT NAME - one fixture of run.sh (which runs them two at a time):
# writes OUT/NAME.result, one line: PASS, FAIL or KNOWN and the reason (see run.sh).
set -u
bin=$1 out=$2 m=$3
here=$(dirname "$0")
dir=$here/$m
# the generated code builds as strictly as everywhere, and runs under ASan and UBSan
cflags="-std=c99 -O1 -Wall -Wextra -Werror -pedantic -fsanitize=address,undefined -fno-sanitize-recover=all"
atol=$(sed -n 's/^atol=//p' "$dir/info.txt")
log=$out/$m.log
res=$out/$m.result
rm -rf "$out/$m.keep"
"$bin" validate "$dir/model.onnx" --data "$dir" --atol "$atol" --rtol 0 \
	--cflags "$cflags" --verify-each --keep "$out/$m.keep" >"$log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then # the first layers in bands of rows (where they split)
	"$bin" validate "$dir/model.onnx" --data "$dir" --atol "$atol" --rtol 0 \
		--cflags "$cflags" --patches 3 >>"$log" 2>&1 || rc=6
fi
if [ $rc -eq 0 ] && sh "$here/intonly.sh" "$out/$m.keep/gen/model.c" >>"$log" 2>&1; then
	echo "PASS $m ($(sed -n 's/.*\(max_abs [^ ]*\).*/\1/p' "$log" | head -1), atol $atol)" >"$res"
	exit 0
fi
[ $rc -eq 0 ] && rc=5
if grep -q "^$m " "$here/known-failures.txt" 2>/dev/null; then
	tag=KNOWN
else
	tag=FAIL
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
echo "$tag $m: $why" >"$res"
