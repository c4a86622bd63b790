#!/bin/sh
# run.sh ONNX2MCU [NAME...] - the model zoo: every model compiles through the CLI and
# matches torch's outputs (validate, atol 1e-4 + rtol 1e-3 unless NAME/tolerance says
# tighter: "ATOL RTOL"), built with gcc under -Wshadow -Wconversion and ASan/UBSan;
# the generated C also compiles warning-free with clang and arm-none-eabi-gcc; and
# compiling twice gives byte-identical files; the memory plans at -O1 and -O0 pass the
# independent checker $PLAN_CHECK (test/plan/check.c). Each model is validated at -O1 (the
# default: rewritten and fused), at -O0, and with its first layers in 3 bands of rows
# (--patches 3, where they split; passes/patch.c); NAME/kernels holds the most kernel calls its
# -O1 run function may make (the report's "kernels"), NAME/layer-ops lines "OP N": exactly
# N kernel calls of op OP in the report (LayerNormalization and Gelu recognised as one
# kernel each). Ends with: N passed, M failed.
set -u
bin=$1
shift
here=$(dirname "$0")
out=${ZOO_OUT:-build/zoo}
warn="-std=c99 -Wall -Wextra -Werror -pedantic -Wshadow -Wconversion"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
arm="arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
rm -rf "$out"
mkdir -p "$out"
models=${*:-$(cd "$here" && ls -d */ | tr -d /)}
pass=0 fail=0

check() { # NAME WHAT COMMAND...
	name=$1 what=$2
	shift 2
	if "$@" >>"$out/$name.log" 2>&1; then
		return 0
	fi
	echo "FAIL $name: $what (see $out/$name.log)"
	return 1
}

for m in $models; do
	dir=$here/$m
	[ -f "$dir/model.onnx" ] || continue
	tol="1e-4 1e-3"
	[ -f "$dir/tolerance" ] && tol=$(cat "$dir/tolerance")
	set -- $tol
	ok=0
	check "$m" "validate (gcc, sanitizers, -Wconversion)" "$bin" validate "$dir/model.onnx" \
		--data "$dir" --atol "$1" --rtol "$2" --cflags "-O1 $warn $san" &&
	check "$m" "validate -O0" "$bin" validate "$dir/model.onnx" -O0 \
		--data "$dir" --atol "$1" --rtol "$2" --cflags "-O1 $warn" &&
	check "$m" "compile" "$bin" compile "$dir/model.onnx" -o "$out/$m.a" -n "$m" \
		--report "$out/$m.json" --memory-plan "$out/$m.plan.json" &&
	check "$m" "compile -O0" "$bin" compile "$dir/model.onnx" -O0 -o "$out/$m.o0" -n "$m" \
		--memory-plan "$out/$m.o0.plan.json" &&
	check "$m" "validate --patches 3" "$bin" validate "$dir/model.onnx" --patches 3 \
		--data "$dir" --atol "$1" --rtol "$2" --cflags "-O1 $warn $san" \
		--memory-plan "$out/$m.p3.plan.json" &&
	check "$m" "memory plans (test/plan/check)" "${PLAN_CHECK:?PLAN_CHECK names test/plan/check}" \
		"$out/$m.plan.json" "$out/$m.o0.plan.json" "$out/$m.p3.plan.json" &&
	check "$m" "kernel calls (check-report.sh)" "$here/check-report.sh" "$out/$m.json" "$dir" &&
	check "$m" "compile again" "$bin" compile "$dir/model.onnx" -o "$out/$m.b" -n "$m" &&
	check "$m" "byte-identical output" diff -r "$out/$m.a" "$out/$m.b" &&
	check "$m" "clang" sh -c "cd '$out/$m.a' &&
		for f in *.c; do clang $warn -O2 -c \$f -o /dev/null || exit 1; done" &&
	check "$m" "arm-none-eabi-gcc" sh -c "cd '$out/$m.a' &&
		for f in *.c; do $arm $warn -O2 -c \$f -o /dev/null || exit 1; done" && ok=1
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $m ($(grep -c 'output .*ok' "$out/$m.log") outputs within $1 + $2|ref|;" \
			"$(sed -n 's/^[[:space:]]*"kernels":[[:space:]]*\([0-9]*\),$/\1/p' "$out/$m.json")" \
			"kernel calls)"
	else
		fail=$((fail + 1))
	fi
done
echo "zoo: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
