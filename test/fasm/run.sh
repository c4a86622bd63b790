#!/bin/sh
# run.sh - the Arm FPU inline assembly of the float kernels (VMLA, VLDM in o2m_conv.c and
# o2m_matmul.c) against their portable C: test/fasm/main.c with both sources built twice
# (for the core, and -DO2M_NO_ASM with every symbol they define renamed ref_*), bare metal
# (examples/firmware/boards: startup and linker scripts, arm-none-eabi-gcc -O2) on QEMU's
# Cortex-M4, M7, M33 and M55; every output must match bit for bit, and the checksum of all
# outputs must be the host build's. Ends with: fasm: N passed, M failed.
set -u
root=$(pwd)
out=${FASM_OUT:-$root/build/fasm}
fw=$root/examples/firmware/boards
rt=$root/runtime-stub
warn="-std=c99 -Wall -Wextra -Werror -pedantic -Wshadow -Wconversion"
srcs="o2m_conv o2m_matmul"
pass=0 fail=0
rm -rf "$out"
mkdir -p "$out"

# CC NM OBJCOPY DIR FLAGS...: DIR/k.o (for the core) and DIR/ref_k.o (portable, renamed)
# of each source, and DIR/act.o (the epilogue's activations, no assembly)
objects() {
	cc=$1 nm=$2 objcopy=$3 dir=$4
	shift 4
	for s in $srcs; do
		$cc "$@" $warn -O2 -I"$rt" -c "$rt/$s.c" -o "$dir/$s.o" &&
			$cc "$@" $warn -O2 -I"$rt" -DO2M_NO_ASM -c "$rt/$s.c" -o "$dir/ref_$s.o" &&
			$nm -g --defined-only "$dir/ref_$s.o" |
			awk '{ print $3 " ref_" $3 }' >"$dir/ref_$s.syms" &&
			$objcopy --redefine-syms="$dir/ref_$s.syms" "$dir/ref_$s.o" || return 1
	done
	$cc "$@" $warn -O2 -I"$rt" -c "$rt/o2m_act.c" -o "$dir/act.o"
}

# the host: portable C twice; its checksum is the expected one
mkdir -p "$out/host"
if ! { objects "${CC:-cc}" nm objcopy "$out/host" &&
	${CC:-cc} $warn -O2 -I"$rt" test/fasm/main.c "$out"/host/*.o -o "$out/host/fasm" -lm &&
	"$out/host/fasm" >"$out/host.txt"; } >"$out/host.log" 2>&1; then
	echo "FAIL host build or run (see $out/host.log, $out/host.txt)"
	echo "fasm: 0 passed, 1 failed"
	exit 1
fi
want=$(sed -n 's/^checksum //p' "$out/host.txt")

while read -r core board flags; do
	case $core in '#'* | '' | cortex-m3) continue ;; esac # the M3 has no FPU
	o=$out/$core
	mkdir -p "$o"
	cpu="$flags -mthumb"
	if ! { objects arm-none-eabi-gcc arm-none-eabi-nm arm-none-eabi-objcopy "$o" $cpu &&
		arm-none-eabi-gcc $cpu -std=c99 -O2 -Wall -I"$rt" "$fw/startup.c" test/fasm/main.c \
			"$o"/*.o -nostartfiles -L "$fw" -T "$board.ld" --specs=nano.specs \
			--specs=rdimon.specs -lm -o "$o/fasm.elf"; } >"$o/build.log" 2>&1
	then
		echo "FAIL $core: build (see $o/build.log)"
		fail=$((fail + 1))
		continue
	fi
	timeout 300 qemu-system-arm -M "$board" -display none -monitor none -serial null \
		-semihosting-config enable=on,target=native -kernel "$o/fasm.elf" >"$o/fw.txt" 2>&1
	got=$(sed -n 's/^checksum //p' "$o/fw.txt")
	if grep -q '^fasm: [0-9]* passed, 0 failed' "$o/fw.txt" && grep -q '^asm: yes' "$o/fw.txt" &&
		[ "$got" = "$want" ]; then
		echo "ok   $core ($board): $(sed -n 's/^fasm: //p' "$o/fw.txt"), checksum $got as on the host"
		pass=$((pass + 1))
	else
		echo "FAIL $core ($board): checksum ${got:-none}, host $want (see $o/fw.txt)"
		grep -m5 MISMATCH "$o/fw.txt"
		fail=$((fail + 1))
	fi
done <"$fw/cores.txt"
echo "fasm: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
