#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the adversarial op fixtures of gen.py through the public CLI
# (make ops passes a compiler built with ASan and UBSan, so folding is checked too):
# each case is validated (generated C built with ASan and UBSan, run, compared with the
# numpy reference; NAME/args adds options such as tolerances or --bind, @DIR@ standing
# for the case folder), or, when NAME/error exists, must be rejected cleanly (exit 1)
# with a message matching its extended regex. Ends with: ops: N passed, M failed.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${OPS_OUT:-build/ops}
cflags="-std=c99 -O1 -Wall -Wextra -Werror -pedantic -fsanitize=address,undefined -fno-sanitize-recover=all"
rm -rf "$out"
mkdir -p "$out"
cases=${*:-$(cd "$here" && ls -d */ | tr -d /)}
pass=0 fail=0

for c in $cases; do
	dir=$here/$c
	[ -f "$dir/model.onnx" ] || continue
	args=$(sed "s|@DIR@|$dir|g" "$dir/args" 2>/dev/null)
	# shellcheck disable=SC2086
	"$bin" validate "$dir/model.onnx" --data "$dir/test_data_set_0" -n m --cflags "$cflags" \
		$args >"$out/$c.log" 2>&1
	rc=$?
	if grep -q 'runtime error:\|Sanitizer' "$out/$c.log"; then
		fail=$((fail + 1))
		echo "FAIL $c: a sanitizer reported (see $out/$c.log)"
	elif [ -f "$dir/error" ]; then
		if [ "$rc" -eq 1 ] && grep -Eq "$(cat "$dir/error")" "$out/$c.log"; then
			pass=$((pass + 1))
			echo "ok   $c (rejected: $(grep -E "$(cat "$dir/error")" "$out/$c.log" | head -1 | cut -c1-90))"
		else
			fail=$((fail + 1))
			echo "FAIL $c: wanted a clean rejection matching '$(cat "$dir/error")', exit $rc (see $out/$c.log)"
		fi
	elif [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $c"
	else
		fail=$((fail + 1))
		echo "FAIL $c: exit $rc: $(grep -v '^data set\|^verdict' "$out/$c.log" | grep -m3 -i 'error\|FAIL\|mismatch\|bad\|runtime' | tr '\n' ' ' | cut -c1-200)"
	fi
done
echo "ops: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
