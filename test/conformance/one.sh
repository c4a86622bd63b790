#!/bin/sh
# one.sh ONNX2MCU OUT TEST_DIR - runs one ONNX node test through the public CLI:
# binds the inputs that set shapes (inspect --shape-inputs), then `validate` generates
# C, builds it with -std=c99 -Wall -Wextra -Werror -pedantic and a driver, runs it on
# test_data_set_0 and compares; the independent checker $PLAN_CHECK (test/plan/check.c)
# proves its memory plan. When the rewrite pass changed the graph (-v lists each
# rewrite), the test runs again at -O0, which must pass too. Writes OUT/NAME.log and
# OUT/NAME.rc.
# CONFORMANCE_CC and CONFORMANCE_CFLAGS override the host compiler and its flags
# (for example clang, or -fsanitize=address,undefined).
bin=$1 out=$2 t=$3
name=$(basename "$t")
set --
for kv in $("$bin" inspect --shape-inputs "$t/model.onnx" 2>/dev/null | tr ' ' '='); do
	set -- "$@" --bind "${kv#*=}=$t/test_data_set_0/input_${kv%%=*}.pb"
done
run() {
	timeout 120 "$bin" validate "$t/model.onnx" --data "$t/test_data_set_0" -n model \
		--verify-each ${CONFORMANCE_CC:+--cc "$CONFORMANCE_CC"} \
		${CONFORMANCE_CFLAGS:+--cflags "$CONFORMANCE_CFLAGS"} "$@"
}
run -v "$@" --memory-plan "$out/$name.plan.json" >"$out/$name.log" 2>&1
rc=$?
if [ $rc = 0 ] && ! "${PLAN_CHECK:?PLAN_CHECK names test/plan/check}" "$out/$name.plan.json" \
	>>"$out/$name.log" 2>&1; then
	echo "the memory plan overlaps (test/plan/check)" >>"$out/$name.log"
	rc=5
fi
if [ $rc = 0 ] && grep -q '^rewrite: \|^search: kept' "$out/$name.log"; then
	echo "--- again at -O0" >>"$out/$name.log"
	run -O0 "$@" >>"$out/$name.log" 2>&1
	rc=$?
fi
echo $rc >"$out/$name.rc"
