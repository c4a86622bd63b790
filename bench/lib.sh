# lib.sh - what the bench scripts share; sourced with $bin (onnx2mcu), $m4run, $here
# (bench/) and $out (where builds go) set.

tab=$(printf '\t')
# field NAME FILE: a top-level number of a compile report
field() { sed -n "s/^$tab\"$1\":[[:space:]]*\([0-9.e+]*\),\$/\1/p" "$2"; }

# build TAG DIR FLAGS...: DIR/model.onnx compiled into $out/TAG/gen (with its report),
# and DIR/test_data_set_0's input and expected output as C headers beside it
build() {
	o=$out/$1 d=$2
	shift 2
	rm -rf "$o"
	mkdir -p "$o"
	"$bin" compile "$d/model.onnx" -o "$o/gen" -n model --report "$o/report.json" "$@" &&
		"$bin" tensor "$d/test_data_set_0/input_0.pb" --c model_input >"$o/input.h" &&
		"$bin" tensor "$d/test_data_set_0/output_0.pb" --c model_expected >"$o/expected.h"
}

# count TAG MACHINE FLAGS...: the instructions of one inference of $out/TAG on the
# emulated core (bench/main.c), or a failure when it does not run or match
count() {
	o=$out/$1 m=$2
	shift 2
	"$m4run" -M "$m" -t 1800 "$here/main.c" "$o"/gen/*.c -I"$o/gen" -I"$o" -std=c99 -Wall "$@" \
		>"$o/m4run.txt" 2>&1 || return 1
	grep -q '^bench: .* ok$' "$o/m4run.txt" || return 1
	sed -n 's/^insns: //p' "$o/m4run.txt"
}
