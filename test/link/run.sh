#!/bin/sh
# run.sh ONNX2MCU [NODE_TESTS] - two models compiled with different names link into one
# program: once with their own prefixed runtimes, once sharing one runtime
# (--shared-runtime), once two zoo models sharing one arena (--arena extern, arena.c);
# then validate --arena extern on node tests from NODE_TESTS (skipped without it): no
# arena, scratch only, no inputs, a scan. Then --io-in-arena: zoo models and node tests
# (a constant output, an output that is the input, no arena) validated with a static
# and with an extern arena, their plans proved by $PLAN_CHECK, the arena at most the
# arena without it plus the input and output bytes, and on ResNet-8 no larger at all.
set -eu
bin=$1
here=$(dirname "$0")
out=${LINK_OUT:-build/link}
model=$here/../errors/good.onnx # y = relu(x + [0..5])
flags="-std=c99 -O2 -Wall -Wextra -Werror -pedantic"
rm -rf "$out"
mkdir -p "$out"
"$bin" compile "$model" -o "$out/a" -n a
"$bin" compile "$model" -o "$out/b" -n b
cc $flags -I"$out/a" -I"$out/b" "$out"/a/*.c "$out"/b/*.c "$here/main.c" -o "$out/prefixed" -lm
"$out/prefixed"
"$bin" compile "$model" -o "$out/sa" -n a --shared-runtime
"$bin" compile "$model" -o "$out/sb" -n b --shared-runtime
mkdir -p "$out/runtime"
cp "$out"/sa/o2m_* "$out/runtime/"
cp "$out"/sb/o2m_* "$out/runtime/" # the same files where both have one
cc $flags -I"$out/runtime" -I"$out/sa" -I"$out/sb" "$out/sa/a.c" "$out/sa/a_weights.c" \
	"$out/sb/b.c" "$out/sb/b_weights.c" \
	"$out"/runtime/*.c "$here/main.c" -o "$out/shared" -lm
"$out/shared"
models=$here/../models
for m in kws:ds_cnn_kws ae:fc_autoencoder_ad; do
	n=${m%%:*} d=$models/${m#*:}/test_data_set_0
	"$bin" compile "$d/../model.onnx" -o "$out/x$n" -n "$n" --arena extern -q
	"$bin" tensor "$d/input_0.pb" --raw "$out/$n.in" >/dev/null
	"$bin" tensor "$d/output_0.pb" --raw "$out/$n.ref" >/dev/null
done
cc $flags -I"$out/xkws" -I"$out/xae" "$out"/xkws/*.c "$out"/xae/*.c "$here/arena.c" \
	-o "$out/arena" -lm
"$out/arena" "$out/kws.in" "$out/kws.ref" "$out/ae.in" "$out/ae.ref"
passed=3
node=${2:-}
for t in test_relu test_gru_defaults test_constant test_scan9_sum; do
	[ -d "$node/$t" ] || { echo "link: no node test $node/$t, skipped"; continue; }
	"$bin" validate "$node/$t/model.onnx" --data "$node/$t" --arena extern >"$out/$t.log" ||
		{ cat "$out/$t.log"; exit 1; }
	passed=$((passed + 1))
done
# --io-in-arena
for m in ds_cnn_kws fc_autoencoder_ad resnet8_cifar; do
	d=$models/$m
	for a in static extern; do
		"$bin" validate "$d/model.onnx" --data "$d" --io-in-arena --arena $a >"$out/io.log" ||
			{ cat "$out/io.log"; exit 1; }
	done
	"$bin" compile "$d/model.onnx" -o "$out/io0" -n m -q
	"$bin" compile "$d/model.onnx" -o "$out/io1" -n m -q --io-in-arena \
		--memory-plan "$out/io.plan.json"
	"${PLAN_CHECK:?PLAN_CHECK names test/plan/check}" "$out/io.plan.json"
	size() { sed -n "s/^#define M_$1 \([0-9]*\).*/\1/p" "$out/$2/m.h"; }
	a0=$(size ARENA_SIZE io0) a1=$(size ARENA_SIZE io1) io=$(($(size IN0_BYTES io0) + $(size OUT0_BYTES io0)))
	[ "$a1" -le $((a0 + io)) ] || { echo "link: $m --io-in-arena: arena $a1 > $a0 + $io"; exit 1; }
	[ $m != resnet8_cifar ] || [ "$a1" -eq "$a0" ] ||
		{ echo "link: $m --io-in-arena: arena $a1, not $a0"; exit 1; }
	grep -q "^int m_run(void);" "$out/io1/m.h" || { echo "link: $m: m_run takes pointers"; exit 1; }
	passed=$((passed + 1))
done
for t in test_relu test_constant test_identity test_scan9_sum test_gru_defaults; do
	[ -d "$node/$t" ] || { echo "link: no node test $node/$t, skipped"; continue; }
	for a in static extern; do
		"$bin" validate "$node/$t/model.onnx" --data "$node/$t" --io-in-arena --arena $a \
			>"$out/$t.log" || { cat "$out/$t.log"; exit 1; }
	done
	passed=$((passed + 1))
done
echo "link: $passed passed, 0 failed"
