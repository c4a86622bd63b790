#!/bin/sh
# run.sh ONNX2MCU - validate --target on every core of examples/firmware/boards/cores.txt
# (QEMU's mps2/mps3 boards): a float MLP (fc_autoencoder_ad) and an onnxruntime-quantized
# int8 CNN within one quantization step (qmodels/ds_cnn_kws_qop_pc_u8_rr: info.txt's atol,
# rtol 0), the generated code built with -Werror for the core; a float CNN with two data
# sets (ds_cnn_kws) on the soft-float M3 and the M55 with MVE. Then: a wrong reference gives exit 4, --per-node reads the
# trace written through semihosting, the harness in the binary is the tree's, code that
# faults fails, and a run past ONNX2MCU_TIMEOUT or a QEMU that fails gives exit 3.
# Ends with: target: N passed, M failed.
set -u
bin=$1
root=$(pwd)
out=${TARGET_OUT:-$root/build/target}
boards=$root/examples/firmware/boards
fc=$root/test/models/fc_autoencoder_ad
kws=$root/test/models/ds_cnn_kws
q8=$root/test/qmodels/ds_cnn_kws_qop_pc_u8_rr
pass=0 fail=0
rm -rf "$out"
mkdir -p "$out"

expect() { # LOG CODE PHRASE ARGS... (validate's arguments)
	log=$out/$1.log code=$2 phrase=$3
	shift 3
	"$bin" validate "$@" >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -q -- "$phrase" "$log"; then
		pass=$((pass + 1))
	else
		echo "FAIL: validate $*: exit $rc (want $code), no '$phrase' in $log:"
		tail -4 "$log" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

atol=$(sed -n 's/^atol=//p' "$q8/info.txt")
for core in $(grep -v '^#' "$boards/cores.txt" | cut -d' ' -f1); do
	expect "$core-fc" 0 "verdict: PASS (1 data set" "$fc/model.onnx" --data "$fc" --target "$core"
	expect "$core-q8" 0 "verdict: PASS" "$q8/model.onnx" --data "$q8" --atol "$atol" --rtol 0 \
		--target "$core"
	[ -f "$out/$core-q8.log" ] && grep -q "on $core:" "$out/$core-q8.log" ||
		{ echo "FAIL: $core: the report does not name the core"; fail=$((fail + 1)); }
done

for core in cortex-m3 cortex-m55; do
	expect "$core-kws" 0 "verdict: PASS (2 data sets" "$kws/model.onnx" --data "$kws" --target "$core"
done

# --mcu NAME: the part's core (an STM32H7: cortex-m7)
expect mcu-h7 0 "on cortex-m7:" "$fc/model.onnx" --data "$fc" --mcu stm32h743zi

# a reference that is not the model's output (the autoencoder's input, same shape)
mkdir -p "$out/wrong"
cp "$fc/test_data_set_0/input_0.pb" "$out/wrong/input_0.pb"
cp "$fc/test_data_set_0/input_0.pb" "$out/wrong/output_0.pb"
expect wrong 4 "elements out of tolerance" "$fc/model.onnx" --data "$out/wrong" --target cortex-m4
# the trace: 32-bit longs on the target, the host reads it alike
expect pernode 0 "all within tolerance" "$fc/model.onnx" --data "$fc" --per-node --target cortex-m3
# what the binary writes out is the tree's harness
expect keep 0 "verdict: PASS" "$fc/model.onnx" --data "$fc" --target cortex-m33 --keep "$out/keep"
if diff -r "$boards" "$out/keep/harness" >"$out/harness.diff"; then
	pass=$((pass + 1))
else
	echo "FAIL: the harness in $bin differs from examples/firmware/boards (rebuild?)"
	fail=$((fail + 1))
fi
# generated code that faults (an access to an unmapped address) fails its data set
"$bin" compile "$fc/model.onnx" -o "$out/fault" -n m -q --target cortex-m4
sed -i '/^int m_run(/{n;s/$/\n\tif (*(volatile const int *)0xFFFFFFF0u == 12345)\n\t\treturn 2;/}' \
	"$out/fault/m.c"
expect fault 4 "driver exit 99: a fault on the target" "$fc/model.onnx" --data "$fc" -n m \
	--code "$out/fault" --target cortex-m4
# QEMU that never ends, and one that fails to start
printf '#!/bin/sh\nexec sleep 60\n' >"$out/slow-qemu"
printf '#!/bin/sh\necho "qemu-system-arm: no such board" >&2\nexit 1\n' >"$out/bad-qemu"
chmod +x "$out/slow-qemu" "$out/bad-qemu"
ONNX2MCU_TIMEOUT=1
export ONNX2MCU_TIMEOUT
expect timeout 3 "did not finish within 1 s" "$fc/model.onnx" --data "$fc" \
	--target cortex-m7 --qemu "$out/slow-qemu"
# (named from the current folder: QEMU runs in the data set's)
expect badqemu 3 "bad-qemu failed (exit 1)" "$fc/model.onnx" --data "$fc" --target cortex-m55 \
	--qemu "${out#"$root"/}/bad-qemu"
echo "target: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
