#!/bin/sh
# calib.sh ONNX2MCU - float models quantized by the compiler (compile --quantize int8
# --calib, and a16w8): for each model with calibration samples in test/qmodels/calib/MODEL, the
# generated int8 code is integer-only (intonly.sh), reaches SQNR >= 25 dB against the
# float model's reference output on its held-out input (test/models/MODEL/test_data_set_0,
# not among the samples); the four MLPerf Tiny architectures need at most 0.27x the float
# arena and 0.3x its weights.
# The trained digits classifier also keeps its accuracy on its evaluation set within 0.5
# points (accuracy.c, the generated float and int8 code side by side).
# Ends with: qcalib: N passed, M failed.
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${QCALIB_OUT:-build/qcalib}
mkdir -p "$out"
pass=0 fail=0
cc=${CC:-cc}
mlperf="resnet8_cifar ds_cnn_kws mobilenet_v1_025_vww fc_autoencoder_ad"
# the generated code builds as strictly as everywhere, and runs under ASan and UBSan
cflags="-std=c99 -O1 -Wall -Wextra -Werror -pedantic -fsanitize=address,undefined -fno-sanitize-recover=all"

sizes() { sed -n 's/.*arena \([0-9]*\) bytes, weights \([0-9]*\) bytes.*/\1 \2/p' "$1"; }
# the lowest SQNR validate printed in LOG (over its data sets), and whether it is >= 25 dB
lowest_sqnr() { sed -n 's/.* sqnr \([-0-9.inf]*\) dB.*/\1/p' "$1" | sort -g | head -1; }
sqnr_ok() { awk -v s="$1" 'BEGIN { exit !(s == "inf" || s + 0 >= 25) }'; }

for dir in "$here"/calib/*/; do
	m=$(basename "$dir")
	model=test/models/$m/model.onnx
	log=$out/$m.log
	calib=$dir/input_0.npy
	rm -rf "$out/$m.keep" "$out/$m.f" "$out/$m.q"
	why=
	if ! "$bin" validate "$model" --data "test/models/$m" --quantize int8 --calib "$calib" \
		--atol 1e30 --cflags "$cflags" --verify-each --keep "$out/$m.keep" >"$log" 2>&1; then
		why="validate failed: $(head -3 "$log" | tr '\n' ' ')"
	elif ! sh "$here/intonly.sh" "$out/$m.keep/gen/model.c" >>"$log" 2>&1; then
		why="not integer-only: $(grep -A9 '^intonly' "$log" | tr -s ' \n' ' ')"
	else
		sqnr=$(lowest_sqnr "$log")
		"$bin" compile "$model" -o "$out/$m.f" 2>"$out/$m.fsize"
		"$bin" compile "$model" -o "$out/$m.q" --quantize int8 --calib "$calib" 2>"$out/$m.qsize"
		set -- $(sizes "$out/$m.fsize") $(sizes "$out/$m.qsize")
		case " $mlperf " in *" $m "*) sizes_checked=1 ;; *) sizes_checked=0 ;; esac
		ok=$(awk -v s="$sqnr" -v fa="$1" -v fw="$2" -v qa="$3" -v qw="$4" \
			-v sz=$sizes_checked 'BEGIN {
			r = ""
			if (s != "inf" && s + 0 < 25) r = r " sqnr " s " dB < 25"
			if (sz && qa > 0.27 * fa) r = r sprintf(" arena %d > 0.27 x %d", qa, fa)
			if (sz && qw > 0.3 * fw) r = r sprintf(" weights %d > 0.3 x %d", qw, fw)
			print r }')
		[ -n "$ok" ] && why=$ok
		info="sqnr $sqnr dB, arena $3/$1, weights $4/$2"
	fi
	if [ -z "$why" ] && [ -f "test/models/$m/eval_images.pb" ]; then
		n=$("$bin" tensor "test/models/$m/eval_labels.pb" | sed -n 's/.*\[\([0-9]*\)\].*/\1/p')
		"$bin" tensor "test/models/$m/eval_images.pb" --raw "$out/$m.images"
		"$bin" tensor "test/models/$m/eval_labels.pb" --raw "$out/$m.labels"
		rm -rf "$out/$m.acc" && mkdir -p "$out/$m.acc"
		"$bin" compile "$model" -n flt -o "$out/$m.acc/flt" -q &&
		"$bin" compile "$model" -n q8 -o "$out/$m.acc/q8" -q --quantize int8 --calib "$calib" &&
		$cc -std=c99 -O1 -I"$out/$m.acc" -o "$out/$m.acc/run" "$here/accuracy.c" \
			"$out/$m.acc"/flt/*.c "$out/$m.acc"/q8/*.c -lm >>"$log" 2>&1 &&
		acc=$("$out/$m.acc/run" "$out/$m.images" "$out/$m.labels" "$n")
		rc=$?
		echo "$acc" >>"$log"
		[ $rc -eq 0 ] || why="accuracy: ${acc:-the accuracy program failed}"
		info="$info; $acc"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "PASS $m ($info)"
	else
		fail=$((fail + 1))
		echo "FAIL $m: $why"
	fi
done
# coverage: every other zoo model quantized from its own test inputs (not an accuracy
# claim: the input is also the reference) must compile, run integer-only and stay within
# 25 dB of float; recurrent layers (LSTM, GRU) have no integer kernels and stay float;
# and every zoo model with --quantize a16w8. JOBS (default: the cores) at a time.
# cover KIND MODEL DIR: KIND cover (int8, the model's own inputs as samples) or cover16
# (a16w8, the calibration samples where the model has them); integer-only but for the
# recurrent layers (and, in int16, transformer_op13's GELU, whose table would be more
# than a step off), SQNR >= 25 dB; the line into $out/MODEL.KIND.result
cover() {
	kind=$1 m=$2 dir=$3 log=$out/$2.$1.log q=int8 calib=$3 tag=coverage exempt="lstm gru"
	if [ "$kind" = cover16 ]; then
		q=a16w8 tag="a16w8 coverage" exempt="lstm gru transformer_op13"
		[ -d "$here/calib/$m" ] && calib=$here/calib/$m/input_0.npy
	fi
	rm -rf "$out/$m.$kind"
	"$bin" validate "$dir/model.onnx" --data "$dir" --quantize $q --calib "$calib" \
		--atol 1e30 --cflags "$cflags" --verify-each --keep "$out/$m.$kind" >"$log" 2>&1
	rc=$?
	sqnr=$(lowest_sqnr "$log")
	intonly=ok
	case " $exempt " in
	*" $m "*) ;;
	*) sh "$here/intonly.sh" "$out/$m.$kind/gen/model.c" >/dev/null 2>&1 || intonly="float kernels" ;;
	esac
	if [ $rc -eq 0 ] && [ "$intonly" = ok ] && sqnr_ok "$sqnr"; then
		echo "PASS $m ($tag, sqnr $sqnr dB)"
	else
		echo "FAIL $m ($tag): exit $rc, sqnr ${sqnr:-none}, $intonly: $(head -2 "$log" | tr '\n' ' ')"
	fi >"$out/$m.$kind.result"
}
covered() { [ ! -d "$here/calib/$1" ] && [ -f "$2/model.onnx" ] && [ -d "$2/test_data_set_0" ]; }
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
n=0
for dir in test/models/*/; do
	m=$(basename "$dir")
	[ -f "$dir/model.onnx" ] && [ -d "$dir/test_data_set_0" ] || continue
	for kind in cover cover16; do
		[ $kind = cover ] && ! covered "$m" "$dir" && continue
		rm -f "$out/$m.$kind.result"
		cover $kind "$m" "$dir" &
		n=$((n + 1))
		[ $((n % jobs)) -eq 0 ] && wait
	done
done
wait
for dir in test/models/*/; do
	m=$(basename "$dir")
	[ -f "$dir/model.onnx" ] && [ -d "$dir/test_data_set_0" ] || continue
	for kind in cover cover16; do
		[ $kind = cover ] && ! covered "$m" "$dir" && continue
		line=$(cat "$out/$m.$kind.result" 2>/dev/null || echo "FAIL $m ($kind): no result")
		echo "$line"
		case $line in
		PASS*) pass=$((pass + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done
done

# int16 activations (--quantize a16w8) on the same models: integer-only with an int16
# interface, SQNR >= 40 dB on the held-out input, and a lowest per-layer SQNR on the
# calibration samples (the compile summary) above the int8 build's (by 3 to 10 dB on
# these models: what is left is the 8-bit weights' error); percentile and mse ranges on
# DS-CNN too, and entropy (8-bit ranges) refused
layer_sqnr() { sed -n 's/.*lowest SQNR \([-0-9.]*\) dB.*/\1/p' "$1"; }
for dir in "$here"/calib/*/; do
	m=$(basename "$dir")
	log=$out/$m.a16.log
	for method in minmax $([ "$m" = ds_cnn_kws ] && echo percentile mse); do
		rm -rf "$out/$m.a16" "$out/$m.a16c"
		"$bin" validate "test/models/$m/model.onnx" --data "test/models/$m" \
			--quantize a16w8 --calib "$dir/input_0.npy" --calib-method "$method" \
			--atol 1e30 --cflags "$cflags" --verify-each --keep "$out/$m.a16" >"$log" 2>&1
		rc=$?
		sqnr=$(lowest_sqnr "$log")
		"$bin" compile "test/models/$m/model.onnx" -o "$out/$m.a16c" --quantize a16w8 \
			--calib "$dir/input_0.npy" --calib-method "$method" 2>"$out/$m.a16size"
		l16=$(layer_sqnr "$out/$m.a16size") l8=$(layer_sqnr "$out/$m.qsize")
		if [ $rc -eq 0 ] && sh "$here/intonly.sh" "$out/$m.a16/gen/model.c" >/dev/null 2>&1 &&
			grep -q "int16_t" "$out/$m.a16/gen/model.h" &&
			awk -v s="$sqnr" -v a="${l16:-0}" -v b="${l8:-inf}" 'BEGIN { exit !((s == "inf" ||
				s + 0 >= 40) && a + 0 > b + 0) }'; then
			pass=$((pass + 1))
			echo "PASS $m --quantize a16w8 --calib-method $method (sqnr $sqnr dB; lowest" \
				"layer $l16 dB, int8 $l8 dB; arena $(sizes "$out/$m.a16size" | cut -d' ' -f1))"
		else
			fail=$((fail + 1))
			echo "FAIL $m --quantize a16w8 --calib-method $method: exit $rc, sqnr" \
				"${sqnr:-none}, lowest layer ${l16:-?} dB (int8 ${l8:-?} dB)" \
				"$(head -2 "$log" | tr '\n' ' ')"
		fi
	done
done
# a float interface (--io float: the conversions inside model_run), int8 and a16w8 on
# DS-CNN: the generated function takes float, SQNR >= 25 dB
m=ds_cnn_kws
for q in int8 a16w8; do
	rm -rf "$out/$m.iof"
	"$bin" validate "test/models/$m/model.onnx" --data "test/models/$m" --quantize $q --io float \
		--calib "$here/calib/$m/input_0.npy" --atol 1e30 --cflags "$cflags" \
		--keep "$out/$m.iof" >"$out/$m.iof.log" 2>&1
	rc=$?
	sqnr=$(lowest_sqnr "$out/$m.iof.log")
	if [ $rc -eq 0 ] && sqnr_ok "$sqnr" && grep -q "const float \*in0" "$out/$m.iof/gen/model.h"; then
		pass=$((pass + 1))
		echo "PASS $m --quantize $q --io float (sqnr $sqnr dB)"
	else
		fail=$((fail + 1))
		echo "FAIL $m --quantize $q --io float: exit $rc, sqnr ${sqnr:-none} ($(tail -1 "$out/$m.iof.log"))"
	fi
done

# int16 for chosen nodes of an int8 model (--a16w8 NODE): a convolution in the middle
# and the last layer (whose output, and so the interface, becomes int16); integer-only,
# with the int8/int16 conversions at their edges, SQNR >= 25 dB; a name no node has
# is an error
m=resnet8_cifar
rm -rf "$out/$m.pn"
"$bin" validate "test/models/$m/model.onnx" --data "test/models/$m" --quantize int8 \
	--a16w8 /stacks/stacks.1/a/a.0/Conv --a16w8 /fc/Gemm --calib "$here/calib/$m/input_0.npy" \
	--atol 1e30 --cflags "$cflags" --verify-each --keep "$out/$m.pn" >"$out/$m.pn.log" 2>&1
rc=$?
sqnr=$(lowest_sqnr "$out/$m.pn.log")
calls=$(grep -o "o2m_q16_[a-z]*_s[0-9]*(" "$out/$m.pn/gen/model.c" 2>/dev/null | sort -u | tr -d '(' | tr '\n' ' ')
if [ $rc -eq 0 ] && sh "$here/intonly.sh" "$out/$m.pn/gen/model.c" >/dev/null 2>&1 &&
	sqnr_ok "$sqnr" && [ "$calls" = "o2m_q16_conv_s16 o2m_q16_fc_s16 o2m_q16_narrow_s16 o2m_q16_widen_s8 " ]; then
	pass=$((pass + 1))
	echo "PASS $m --quantize int8 --a16w8 NODE x2 (sqnr $sqnr dB; $calls)"
else
	fail=$((fail + 1))
	echo "FAIL $m --quantize int8 --a16w8 NODE x2: exit $rc, sqnr ${sqnr:-none}, int16 kernels: $calls"
fi
if "$bin" compile "test/models/$m/model.onnx" -o "$out/$m.pnbad" --quantize int8 \
	--a16w8 /fc/Gem --calib "$here/calib/$m/input_0.npy" >"$out/$m.pnbad.log" 2>&1 ||
	! grep -q "a16w8: no node '/fc/Gem' (did you mean '/fc/Gemm'?)" "$out/$m.pnbad.log"; then
	fail=$((fail + 1))
	echo "FAIL --a16w8 of a name no node has: $(head -1 "$out/$m.pnbad.log")"
else
	pass=$((pass + 1))
	echo "PASS --a16w8 of a name no node has is an error"
fi
if "$bin" compile test/models/ds_cnn_kws/model.onnx -o "$out/entropy16" --quantize a16w8 \
	--calib "$here/calib/ds_cnn_kws/input_0.npy" --calib-method entropy \
	>"$out/entropy16.log" 2>&1 || ! grep -q "entropy chooses 8-bit ranges" "$out/entropy16.log"; then
	fail=$((fail + 1))
	echo "FAIL --quantize a16w8 --calib-method entropy: not refused ($(head -1 "$out/entropy16.log"))"
else
	pass=$((pass + 1))
	echo "PASS --quantize a16w8 --calib-method entropy refused"
fi

# each calibration method, and one per tensor, on DS-CNN: SQNR >= 25 dB, integer-only
m=ds_cnn_kws
for method in percentile percentile=99.9 entropy mse /stem/stem.2/Relu_output_0=mse; do
	log=$out/$m.method.log
	rm -rf "$out/$m.method"
	"$bin" validate "test/models/$m/model.onnx" --data "test/models/$m" --quantize int8 \
		--calib "$here/calib/$m/input_0.npy" --calib-method "$method" --atol 1e30 \
		--cflags "$cflags" --keep "$out/$m.method" >"$log" 2>&1
	sqnr=$(lowest_sqnr "$log")
	if sh "$here/intonly.sh" "$out/$m.method/gen/model.c" >/dev/null 2>&1 &&
		sqnr_ok "$sqnr"; then
		pass=$((pass + 1))
		echo "PASS $m --calib-method $method (sqnr $sqnr dB)"
	else
		fail=$((fail + 1))
		echo "FAIL $m --calib-method $method: sqnr ${sqnr:-none} ($(head -2 "$log" | tr '\n' ' '))"
	fi
done
echo "qcalib: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
