#!/bin/sh
# run.sh ONNX2MCU [MODEL...] - builds the firmware example for zoo models (and
# qmodels/NAME, onnxruntime-quantized fixtures that run the int8 kernels) with
# arm-none-eabi-gcc (Cortex-M4, hard float), runs it under qemu-system-arm -M mps2-an386,
# and checks every printed output value against the host build of the same generated C
# on the same input (|fw - host| <= 1e-5 + 1e-4 |host|; libm differs between newlib and
# glibc). Reports text/data/bss and the arena size. Then the same for two models
# sharing one arena (--arena extern, examples/firmware/shared.c, make shared-arena),
# reporting the shared arena against the sum of the two. Ends with: N passed, M failed.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
root=$(pwd)
out=${FIRMWARE_OUT:-$root/build/firmware}
models=${*:-resnet8_cifar ds_cnn_kws mobilenet_v1_025_vww fc_autoencoder_ad \
	qmodels/resnet8_cifar_qdq_pc_u8 qmodels/ds_cnn_kws_qop_pc_u8_rr}
pass=0 fail=0
# every output line (outK[i] = v, or a.outK[i] = v) of the firmware matches the host's
agree() { # HOST.txt FW.txt
	awk -F' = ' 'NR == FNR { if (/^([ab][.])?out/) host[$1] = $2; next }
		/^([ab][.])?out/ { n++; h = host[$1]; d = $2 - h; if (d < 0) d = -d; a = h < 0 ? -h : h;
			 if (!($1 in host) || d > 1e-5 + 1e-4 * a) { bad++; if (bad < 4) print "  " $1 ": fw " $2 ", host " h } }
		END { if (n == 0 || bad > 0 || n != length(host)) exit 1 }' "$1" "$2"
}
rm -rf "$out"
mkdir -p "$out"
for m in $models; do
	case $m in
	*/*) d=$root/test/$m ;; # a quantized fixture (test/qmodels/NAME): int8 kernels
	*) d=$root/test/models/$m ;;
	esac
	o=$out/$m
	mkdir -p "$o"
	if ! make -s -C examples/firmware O="$o" MODEL="$d/model.onnx" \
		INPUT="$d/test_data_set_0/input_0.pb" ONNX2MCU="$bin" >"$o/build.log" 2>&1; then
		echo "FAIL $m: firmware build (see $o/build.log)"
		fail=$((fail + 1))
		continue
	fi
	make -s -C examples/firmware O="$o" MODEL="$d/model.onnx" ONNX2MCU="$bin" run \
		>"$o/fw.txt" 2>"$o/qemu.log"
	"$bin" tensor "$d/test_data_set_0/input_0.pb" --raw "$o/input.bin"
	cc -std=c99 -O2 -I"$o/gen" "$o"/gen/*.c examples/host/main.c -o "$o/host" -lm &&
		"$o/host" "$o/input.bin" --all >"$o/host.txt"
	if agree "$o/host.txt" "$o/fw.txt"; then
		set -- $(grep -A1 text "$o/build.log" | tail -1)
		echo "ok   $m: $(grep -c '^out' "$o/fw.txt") values match the host; text $1 data $2 bss $3;" \
			"$(grep '^arena' "$o/fw.txt")"
		pass=$((pass + 1))
	else
		echo "FAIL $m: emulated Cortex-M4 and host disagree (see $o/fw.txt, $o/host.txt)"
		fail=$((fail + 1))
	fi
done
# two models, one arena: the default pair of the Makefile (ds_cnn_kws, fc_autoencoder_ad)
o=$out/shared
mkdir -p "$o"
if ! make -s -C examples/firmware O="$o" ONNX2MCU="$bin" shared-arena >"$o/build.log" 2>&1; then
	echo "FAIL shared arena: firmware build (see $o/build.log)"
	fail=$((fail + 1))
else
	make -s -C examples/firmware O="$o" ONNX2MCU="$bin" shared-arena-run >"$o/fw.txt" 2>"$o/qemu.log"
	cc -std=c99 -O2 -I"$o/gen_a" -I"$o/gen_b" -I"$o" examples/firmware/shared.c "$o"/gen_a/*.c \
		"$o"/gen_b/*.c -o "$o/host" -lm && "$o/host" >"$o/host.txt"
	if agree "$o/host.txt" "$o/fw.txt"; then
		set -- $(grep -A1 text "$o/build.log" | tail -1)
		echo "ok   shared arena: $(grep -c '^a[.]out' "$o/fw.txt") + $(grep -c '^b[.]out' "$o/fw.txt")" \
			"values match the host; text $1 data $2 bss $3; $(grep '^arena' "$o/fw.txt")"
		pass=$((pass + 1))
	else
		echo "FAIL shared arena: emulated Cortex-M4 and host disagree (see $o/fw.txt, $o/host.txt)"
		fail=$((fail + 1))
	fi
fi
echo "firmware: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
