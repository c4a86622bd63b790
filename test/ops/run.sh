#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the adversarial op fixtures of gen.py through the public CLI
# (make ops passes a compiler built with ASan and UBSan, so folding is checked too):
# each case is validated (generated C built with ASan and UBSan, run, compared with the
# numpy reference; NAME/args adds options such as tolerances or --bind, @DIR@ standing
# for the case folder), or, when NAME/error exists, must be rejected cleanly (exit 1)
# with a message matching its extended regex. Cases run in parallel (JOBS, default: the
# cores), each writing its line to $out/NAME.res. A case the rewrite pass changes is
# validated at -O0 as well. Ends with: ops: N passed, M failed.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${OPS_OUT:-build/ops}
cflags="-std=c99 -O1 -Wall -Wextra -Werror -pedantic -fsanitize=address,undefined -fno-sanitize-recover=all"
one() { # CASE: runs it and prints its line (ok or FAIL)
	c=$1 dir=$here/$1
	[ -f "$dir/model.onnx" ] || return 0
	args=$(sed "s|@DIR@|$dir|g" "$dir/args" 2>/dev/null)
	# shellcheck disable=SC2086
	"$bin" validate "$dir/model.onnx" --data "$dir/test_data_set_0" -n m --cflags "$cflags" \
		-v $args >"$out/$c.log" 2>&1
	rc=$?
	# a graph the rewrite pass changed must pass at -O0 too
	if [ "$rc" -eq 0 ] && [ ! -f "$dir/error" ] && grep -q '^rewrite: \|^search: kept' "$out/$c.log"; then
		echo "--- again at -O0" >>"$out/$c.log"
		# shellcheck disable=SC2086
		"$bin" validate "$dir/model.onnx" --data "$dir/test_data_set_0" -n m --cflags "$cflags" \
			-O0 $args >>"$out/$c.log" 2>&1
		rc=$?
	fi
	if grep -q 'runtime error:\|Sanitizer' "$out/$c.log"; then
		echo "FAIL $c: a sanitizer reported (see $out/$c.log)"
	elif [ -f "$dir/error" ]; then
		if [ "$rc" -eq 1 ] && grep -Eq "$(cat "$dir/error")" "$out/$c.log"; then
			echo "ok   $c (rejected: $(grep -E "$(cat "$dir/error")" "$out/$c.log" | head -1 | cut -c1-90))"
		else
			echo "FAIL $c: wanted a clean rejection matching '$(cat "$dir/error")', exit $rc (see $out/$c.log)"
		fi
	elif [ "$rc" -eq 0 ]; then
		echo "ok   $c"
	else
		echo "FAIL $c: exit $rc: $(grep -v '^data set\|^verdict' "$out/$c.log" | grep -m3 -i 'error\|FAIL\|mismatch\|bad\|runtime' | tr '\n' ' ' | cut -c1-200)"
	fi
}

if [ "${1:-}" = --one ]; then
	one "$2" >"$out/$2.res"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cases=${*:-$(cd "$here" && ls -d */ | tr -d /)}
# shellcheck disable=SC2086
printf '%s\n' $cases | xargs -P "${JOBS:-$(nproc 2>/dev/null || echo 2)}" -n 1 sh "$0" "$bin" --one
pass=0 fail=0
for c in $cases; do
	[ -s "$out/$c.res" ] || continue
	cat "$out/$c.res"
	if grep -q '^ok' "$out/$c.res"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "ops: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
