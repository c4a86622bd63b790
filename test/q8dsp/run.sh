#!/bin/sh
# run.sh - the Arm DSP paths of the int8 kernels against their portable C: test/q8dsp/main.c
# with runtime-stub/o2m_q8_conv.c and o2m_q8.c built twice (for the core, and -DO2M_NO_DSP with the
# kernels renamed ref_q8_*), bare metal (examples/firmware/boards: startup and linker scripts,
# arm-none-eabi-gcc -O2, and -O0 for the assembly) on QEMU's Cortex-M4 (mps2-an386),
# Cortex-M7 (mps2-an500) and Cortex-M55 (mps3-an547, Helium: o2m_q8_mve.c);
# every output must match bit for bit, and the checksum of all outputs must be the host
# build's. Ends with: q8dsp: N passed, M failed.
set -u
root=$(pwd)
out=${Q8DSP_OUT:-$root/build/q8dsp}
fw=$root/examples/firmware/boards
rt=$root/runtime-stub
warn="-std=c99 -Wall -Wextra -Werror -pedantic -Wshadow -Wconversion"
ren="-DO2M_NO_DSP -Do2m_q8_conv_s8=ref_q8_conv_s8 -Do2m_q8_conv_dw_s8=ref_q8_conv_dw_s8
	-Do2m_q8_conv_1x1_s8=ref_q8_conv_1x1_s8 -Do2m_q8_fc_s8=ref_q8_fc_s8
	-Do2m_q8_conv_w16_s8=ref_q8_conv_w16_s8 -Do2m_q8_fc_w16_s8=ref_q8_fc_w16_s8
	-Do2m_q8_conv_res_s8=ref_q8_conv_res_s8 -Do2m_q8_conv_w16_res_s8=ref_q8_conv_w16_res_s8
	-Do2m_q8_conv_fq_s8=ref_q8_conv_fq_s8
	-Do2m_q8_add_s8=ref_q8_add_s8 -Do2m_q8_add_lut_s8=ref_q8_add_lut_s8
	-Do2m_q8_requant_s8=ref_q8_requant_s8 -Do2m_q8_lut_s8=ref_q8_lut_s8
	-Do2m_q8_mul_s8=ref_q8_mul_s8 -DO2M_NO_MVE
	-Do2m_q8_conv_mve_s8=ref_q8_conv_mve_s8 -Do2m_q8_fc_mve_s8=ref_q8_fc_mve_s8"
pass=0 fail=0
rm -rf "$out"
mkdir -p "$out"

# the host: portable C twice; its checksum is the expected one
if ! { ${CC:-cc} $warn -O2 -I"$rt" -c "$rt/o2m_q8_conv.c" -o "$out/host_dsp.o" &&
	${CC:-cc} $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8_conv.c" -o "$out/host_ref.o" &&
	${CC:-cc} $warn -O2 -I"$rt" -c "$rt/o2m_q8.c" -o "$out/host_dsp8.o" &&
	${CC:-cc} $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8.c" -o "$out/host_ref8.o" &&
	${CC:-cc} $warn -O2 -I"$rt" -c "$rt/o2m_q8_mve.c" -o "$out/host_dspv.o" &&
	${CC:-cc} $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8_mve.c" -o "$out/host_refv.o" &&
	${CC:-cc} $warn -O2 -I"$rt" test/q8dsp/main.c "$out"/host_*.o -o "$out/host" &&
	"$out/host" >"$out/host.txt"; } >"$out/host.log" 2>&1; then
	echo "FAIL host build or run (see $out/host.log, $out/host.txt)"
	echo "q8dsp: 0 passed, 1 failed"
	exit 1
fi
want=$(sed -n 's/^checksum //p' "$out/host.txt")

for target in "m4 -O2 mps2-an386 -mcpu=cortex-m4 -mfpu=fpv4-sp-d16" \
	"m4-O0 -O0 mps2-an386 -mcpu=cortex-m4 -mfpu=fpv4-sp-d16" \
	"m7 -O2 mps2-an500 -mcpu=cortex-m7 -mfpu=fpv5-d16" \
	"m55 -O2 mps3-an547 -mcpu=cortex-m55" "m55-O0 -O0 mps3-an547 -mcpu=cortex-m55"; do
	set -- $target
	name=$1 opt=$2 board=$3
	shift 3
	cpu="$* -mthumb -mfloat-abi=hard"
	o=$out/$name
	mkdir -p "$o"
	if ! { arm-none-eabi-gcc $cpu $warn $opt -I"$rt" -c "$rt/o2m_q8_conv.c" -o "$o/dsp.o" &&
		arm-none-eabi-gcc $cpu $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8_conv.c" -o "$o/ref.o" &&
		arm-none-eabi-gcc $cpu $warn $opt -I"$rt" -c "$rt/o2m_q8.c" -o "$o/dsp8.o" &&
		arm-none-eabi-gcc $cpu $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8.c" -o "$o/ref8.o" &&
		arm-none-eabi-gcc $cpu $warn $opt -I"$rt" -c "$rt/o2m_q8_mve.c" -o "$o/dspv.o" &&
		arm-none-eabi-gcc $cpu $warn -O2 -I"$rt" $ren -c "$rt/o2m_q8_mve.c" -o "$o/refv.o" &&
		arm-none-eabi-gcc $cpu -std=c99 -O2 -Wall -I"$rt" "$fw/startup.c" test/q8dsp/main.c \
			"$o/dsp.o" "$o/ref.o" "$o/dsp8.o" "$o/ref8.o" "$o/dspv.o" "$o/refv.o" -nostartfiles -L "$fw" -T "$board.ld" \
			--specs=nano.specs --specs=rdimon.specs -o "$o/q8dsp.elf"; } >"$o/build.log" 2>&1
	then
		echo "FAIL $name: build (see $o/build.log)"
		fail=$((fail + 1))
		continue
	fi
	timeout 120 qemu-system-arm -M "$board" -display none -monitor none -serial null \
		-semihosting-config enable=on,target=native -kernel "$o/q8dsp.elf" >"$o/fw.txt" 2>&1
	got=$(sed -n 's/^checksum //p' "$o/fw.txt")
	if grep -q '^q8dsp: [0-9]* passed, 0 failed' "$o/fw.txt" && grep -q '^dsp: yes' "$o/fw.txt" &&
		[ "$got" = "$want" ]; then
		echo "ok   $name ($board): $(sed -n 's/^q8dsp: //p' "$o/fw.txt"), checksum $got as on the host"
		pass=$((pass + 1))
	else
		echo "FAIL $name ($board): checksum ${got:-none}, host $want (see $o/fw.txt)"
		grep -m5 MISMATCH "$o/fw.txt"
		fail=$((fail + 1))
	fi
done
echo "q8dsp: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
