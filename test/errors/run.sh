#!/bin/sh
# run.sh ONNX2MCU - bad input gets a clear message and a non-zero exit, never a crash
# or a sanitizer report (a leak keeps the exit code), and compile never leaves an
# output folder behind. Each case: the command, the exit code wanted, and a phrase the
# message must contain. Then 300 mutated models, each of
# which must be answered with exit 0 or 1. Ends with: N passed, M failed.
set -u
bin=$1
here=$(dirname "$0")
out=${ERRORS_OUT:-build/errors}
rm -rf "$out"
mkdir -p "$out/mut"
pass=0 fail=0

expect() { # CODE PHRASE ARGS...
	code=$1 phrase=$2
	shift 2
	timeout 120 "$bin" "$@" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	if [ "$rc" -ne "$code" ] || { [ -n "$phrase" ] && ! grep -q -- "$phrase" "$out/stderr" "$out/stdout"; } ||
		grep -q "Sanitizer\|runtime error" "$out/stderr"; then
		echo "FAIL: onnx2mcu $*: exit $rc (want $code), wanted '$phrase' in:"
		sed 's/^/    /' "$out/stderr" | head -5
		fail=$((fail + 1))
	elif ls -d "$out"/*.o2m-* >/dev/null 2>&1; then
		echo "FAIL: onnx2mcu $*: left $(ls -d "$out"/*.o2m-* | head -1)"
		rm -rf "$out"/*.o2m-*
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for cmd in inspect compile; do
	o=""
	[ $cmd = compile ] && o="-o $out/gen"
	expect 1 "cannot open" $cmd "$here/missing.onnx" $o
	expect 1 "not an ONNX model" $cmd "$here/truncated.onnx" $o
	expect 1 "not an ONNX model" $cmd "$here/random.onnx" $o
	expect 1 "not an ONNX model" $cmd "$here/empty.onnx" $o
	expect 1 "cannot open\|cannot read" $cmd "$here" $o
	expect 1 "3 nodes use unsupported operators" $cmd "$here/unsupported.onnx" $o
	expect 1 "node 'custom' (com.example:Frobnicate)" $cmd "$here/unsupported.onnx" $o
	expect 1 "node 'strings' (StringNormalizer)" $cmd "$here/unsupported.onnx" $o
	expect 1 "'batch' (input 'x', dim 0), 'seq' (input 'x', dim 2)" $cmd "$here/symbolic.onnx" $o
	expect 1 "bind it with --bind shape=FILE.pb" $cmd "$here/shape_input.onnx" $o
	expect 1 "node 'add' (Add): error: shapes cannot broadcast" $cmd "$here/bad_shapes.onnx" $o
	expect 1 "'nowhere' is not produced" $cmd "$here/undefined.onnx" $o
	expect 1 "cannot open" $cmd "$here/shape_input.onnx" --bind shape=/nonexistent.pb $o
	expect 1 "has no input of that name" $cmd "$here/good.onnx" --bind nope="$here/shape_3x4.pb" $o
	expect 1 "--bind shape: the file's shape does not match" $cmd "$here/shape_input.onnx" --bind shape="$here/shape_3.pb" $o
	expect 2 "unknown option" $cmd "$here/good.onnx" --frobnicate $o
	expect 2 "wants NAME=N" $cmd "$here/symbolic.onnx" --dim batch $o
	expect 0 "" $cmd "$here/symbolic.onnx" --dim batch=2 --dim seq=5 $o
	expect 1 "tensor 'w': cannot open external data" $cmd "$here/ext_missing.onnx" $o
	expect 1 "location '../errors/ext.bin' must be a file next to" $cmd "$here/ext_dotdot.onnx" $o
	expect 1 "location '/etc/passwd' must be a file next to" $cmd "$here/ext_absolute.onnx" $o
	expect 1 "external data length 20, expected 24 bytes" $cmd "$here/ext_length.onnx" $o
	expect 1 "shorter than 16 + 24 bytes" $cmd "$here/ext_short.onnx" $o
	expect 1 "external data offset '-8' is not a size" $cmd "$here/ext_offset.onnx" $o
	expect 1 "external data offset '12abc' is not a size" $cmd "$here/ext_junk.onnx" $o
	expect 1 "external data .*/\. is not a file" $cmd "$here/ext_dir.onnx" $o
	expect 0 "" $cmd "$here/ext_good.onnx" $o
	expect 1 "node 'cast' (Cast): error: cast to 'COMPLEX64' is not supported" $cmd "$here/cast_string.onnx" $o
	expect 1 "function 'Loop' calls itself" $cmd "$here/recursive.onnx" $o
	expect 1 "function 'Twice' calls itself" $cmd "$here/recursive_twice.onnx" $o
	expect 1 "more than 131072 nodes with its functions expanded" $cmd "$here/function_bomb.onnx" $o
	expect 1 "function 'C32' is reached through more than 32 nested calls" $cmd "$here/function_chain.onnx" $o
	expect 1 "node 'loop' (Loop): error: input 2 is missing" $cmd "$here/../fuzz/corpus/loop_absent_state.onnx" $o
	expect 1 "node 'r_node' (Range): error: the range has 178956974 elements, 1431655792 bytes" $cmd "$here/../fuzz/corpus/range_1g.onnx" $o
	expect 1 "node 'add' (Add): error: broadcast=1 with an axis (opset < 7) needs" $cmd "$here/broadcast_axis.onnx" $o
	expect 1 "a graph input has no name" $cmd "$here/input_noname.onnx" --bind x="$here/shape_3x4.pb" $o
	expect 1 "input 'x' is listed twice" $cmd "$here/input_twice.onnx" $o
	expect 1 "initializer 'w' is given twice" $cmd "$here/init_twice.onnx" $o
	expect 1 "node 'pad' (Pad): error: pad mode '' is not supported" $cmd "$here/empty_string.onnx" $o
	expect 1 "node 'tile' (Tile): error: Tile before opset 6 (tiles and axis inputs) is not" $cmd "$here/tile_1.onnx" $o
	expect 1 "tensor 'w' is stored in segments, which is not supported" $cmd "$here/segment.onnx" $o
	expect 1 "node 'leaky': attribute 'alpha' refers to 'a', but the node is not in a" $cmd "$here/ref_outside.onnx" $o
	expect 1 "node 'expand' (Expand): error: output 'y' would have more than 2147483647" $cmd "$here/expand_huge.onnx" $o
	expect 1 "node 'reshape' (Reshape): error: shape asks for more than 2147483647" $cmd "$here/reshape_huge.onnx" $o
	expect 1 "node 'tile' (Tile): error: repeat 4611686018427387904 is negative or too large" $cmd "$here/tile_huge.onnx" $o
	expect 1 "tensor 'w' has more than 2147483647 elements" $cmd "$here/huge_initializer.onnx" $o
	expect 1 "input 'x' has more than 2147483647 elements" $cmd "$here/huge_input.onnx" $o
	expect 1 "input 'x' has more than" $cmd "$here/symbolic.onnx" --dim batch=99999999 --dim seq=99999999999 $o
	expect 1 "node 'cos' (ConstantOfShape): error: attribute 'value' holds no tensor" $cmd "$here/attr_no_tensor.onnx" $o
	expect 1 "node 'const' (Constant): error: Constant 'value' holds no tensor" $cmd "$here/constant_no_tensor.onnx" $o
	expect 1 "Constant attribute 'value_string' is not supported" $cmd "$here/constant_string.onnx" $o
	expect 1 "Constant attribute 'sparse_value' is not supported" $cmd "$here/constant_sparse.onnx" $o
	expect 1 "node 'const' (Constant): error: Constant has no value" $cmd "$here/constant_empty.onnx" $o
	expect 1 "node 'relu' (Relu): error: required output 0 has no name" $cmd "$here/no_output.onnx" $o
	expect 1 "node 'const' (Constant): error: required output 0 has no name" $cmd "$here/no_output.onnx" $o
	expect 1 "node 'ccs' (CausalConvWithState): error: weight must be \[4, 1, k\]" $cmd "$here/causal_weight.onnx" $o
	expect 1 "node 'ccs' (CausalConvWithState): error: past_state must be \[1, 4, 2\]" $cmd "$here/causal_state.onnx" $o
	expect 1 "node 'ccs' (CausalConvWithState): error: activation 'gelu' is not one of" $cmd "$here/causal_act.onnx" $o
	expect 1 "node 'split' (Split): error: num_outputs is 0, but the node has 2 outputs" $cmd "$here/split_zero.onnx" $o
	expect 1 "/if3' (If): error: subgraphs nest more than 16 deep" $cmd "$here/nest_graphs.onnx" $o
	expect 1 "function 'F' calls itself, directly or through other functions" $cmd "$here/recursive_if.onnx" $o
	expect 1 "nest_deep.onnx: its messages nest more than 100 deep" $cmd "$here/nest_deep.onnx" $o
	expect 1 "node 'sm' (Softmax): error: attribute 'axis' is a string, not an integer" $cmd "$here/attr_string_axis.onnx" $o
	expect 1 "node 'mod' (Mod): error: attribute 'fmod' is a string, not an integer" $cmd "$here/attr_string_fmod.onnx" $o
	expect 1 "node 'flat' (Flatten): error: attribute 'axis' is the float nan, not an integer" $cmd "$here/attr_nan_axis.onnx" $o
	expect 1 "node 'cat' (Concat): error: the attribute 'axis' is required" $cmd "$here/concat_no_axis.onnx" $o
	expect 1 "the model imports opset 99 of the default domain; onnx2mcu reads opsets 1 to 28" $cmd "$here/opset_99.onnx" $o
	expect 1 "the model imports opset -3 of the default domain" $cmd "$here/opset_neg.onnx" $o
	expect 1 "the model imports opset 4611686018427387904 of the default domain" $cmd "$here/opset_huge.onnx" $o
	expect 1 "node 'gelu' (Gelu): error: Gelu appears in opset 20; the node is in opset 13" $cmd "$here/opset_early.onnx" $o
	expect 1 "the graph has no outputs" $cmd "$here/no_outputs.onnx" $o
	expect 0 "warning: output 'y' is declared \[3, 2\] but has the shape \[2, 3\]" $cmd "$here/output_shape.onnx" $o
	expect 1 "node 'rnn' (RNN): error: hidden_size 4611686018427387904 is not between 1 and" $cmd "$here/rnn_hidden.onnx" $o
	expect 1 "node 'scan' (Scan): error: its body does not match 2147483648 scan inputs" $cmd "$here/scan_inputs.onnx" $o
	expect 1 "node 'conv' (Conv): error: dilations must be at least 1 and at most 2147483647" $cmd "$here/conv_dilation.onnx" $o
	expect 1 "node 'pool' (MaxPool): error: strides must be at least 1 and at most 2147483647" $cmd "$here/pool_stride.onnx" $o
	expect 1 "node 'hann' (HannWindow): error: size 2.68435e+08 is more than 16777216, the limit" $cmd "$here/window_huge.onnx" $o
	expect 1 "tensor 'w': the model's constants take more than 268435456 bytes" $cmd "$here/const_1g.onnx" $o
	expect 1 "tensor 'w': 0 bytes of data for 268435456 elements" $cmd "$here/const_1g.onnx" --max-constants 1G $o
	expect 1 "tensor 'w': the model's constants take more than 16 bytes" $cmd "$here/good.onnx" --max-constants 16 $o
	expect 2 "--max-constants wants a size" $cmd "$here/good.onnx" --max-constants 12X $o
	expect 1 "more than 1 nodes with its functions expanded" $cmd "$here/good.onnx" --max-nodes 1 $o
	expect 1 "node 'sts' (SplitToSequence): error: splits into 65536 pieces; at most 1000" $cmd "$here/../fuzz/corpus/split_to_sequence_65536.onnx" --max-nodes 1000 $o
	expect 2 "--max-nodes wants a count" $cmd "$here/good.onnx" --max-nodes 0 $o
	expect 0 "weights 262144 bytes" $cmd "$here/fold_chain.onnx" --max-constants 600K $o
	expect 0 "" $cmd "$here/shape_input.onnx" --bind shape="$here/shape_3x4.pb" $o
	rm -rf "$out/gen"
done
# a QDQ LayerNormalization beyond the int8 kernel's epsilon bound stays float
expect 0 "node 'norm' (LayerNormalization): note: stays float" compile "$here/ln_tiny_scale.onnx" -v -o "$out/gen"
# control flow and sequences are resolved at compile time
expect 1 "node 'if' (If): error: the condition of If ('c') must be a scalar known at compile time" compile "$here/if_runtime.onnx" -o "$out/gen"
expect 1 "node 'loop' (Loop): error: the trip count of Loop ('m') must be a scalar known" compile "$here/loop_runtime.onnx" -o "$out/gen"
expect 1 "node 'loop' (Loop): error: runs 1099511627776 iterations; unrolling stops at 4096" compile "$here/loop_long.onnx" -o "$out/gen"
expect 1 "node 'loop' (Loop): error: the loop condition is not known at compile time" compile "$here/loop_while.onnx" -o "$out/gen"
expect 1 "node 'sts' (SplitToSequence): error: a piece of 9223372036854775807 does not fit an axis of 6" compile "$here/split_seq_huge.onnx" -o "$out/gen"
expect 1 "input 's' is a sequence or an optional whose length is not known: give it with --seq" compile "$here/seq_input.onnx" -o "$out/gen"
expect 1 "node 'at' (SequenceAt): error: position 0 is out of range for a sequence of 0" compile "$here/seq_input.onnx" --seq s=0 -o "$out/gen"
expect 2 "--seq wants INPUT=N" compile "$here/seq_input.onnx" --seq "s=[2" -o "$out/gen"
expect 0 "" compile "$here/seq_input.onnx" --seq "s=[2][3]" -o "$out/gen"
expect 1 "seq_data/input_0.pb: not a serialized ONNX SequenceProto" validate "$here/seq_input.onnx" --data "$here/seq_data"
expect 1 "seq_tensor/input_0.pb: a tensor in it does not parse" validate "$here/seq_input.onnx" --data "$here/seq_tensor"
expect 2 "needs -o" compile "$here/good.onnx"
expect 2 "not a C identifier" compile "$here/good.onnx" -o "$out/gen" -n 9lives
expect 2 "unknown command" frobnicate
# diagnostics read as gcc's: FILE: node 'NAME' (OpType): error: ..., FILE: error: ...
expect 1 "^$here/bad_shapes.onnx: node 'add' (Add): error: shapes cannot broadcast" inspect "$here/bad_shapes.onnx"
expect 1 "^$here/symbolic.onnx: error: symbolic or unknown dimensions" inspect "$here/symbolic.onnx"
expect 1 "^$here/random.onnx: error: not an ONNX model" inspect "$here/random.onnx"
# strict command line: an option of another command, a --dim the model does not have
data0=$here/../frontend/init_float_data
expect 2 "option '--atol' does not apply to compile" compile "$here/good.onnx" --atol 1 -o "$out/strict"
expect 2 "option '--atol' does not apply to inspect" inspect "$here/good.onnx" --atol 3
expect 2 "option '--per-node' does not apply to compile" compile "$here/good.onnx" --per-node -o "$out/strict"
expect 2 "option '--cc' does not apply to compile" compile "$here/good.onnx" --cc gcc -o "$out/strict"
expect 2 "option '--keep' does not apply to compile" compile "$here/good.onnx" --keep foo -o "$out/strict"
expect 2 "option '-o' does not apply to inspect" inspect "$here/good.onnx" -o "$out/strict"
expect 2 "option '--report' does not apply to validate" validate "$here/good.onnx" --report r.json --data "$data0"
expect 2 "option '--shape-inputs' does not apply to compile" compile "$here/good.onnx" --shape-inputs -o "$out/strict"
expect 1 "--dim bacth: the model has no dimension of that name; did you mean 'batch'?" compile "$here/symbolic.onnx" --dim bacth=1 --dim seq=5 -o "$out/strict"
expect 1 "--dim frob: the model has no dimension of that name (its inputs have no" inspect "$here/good.onnx" --dim frob=1
expect 1 "--dim zzzzz: the model has no dimension of that name$" inspect "$here/symbolic.onnx" --dim zzzzz=1 --dim batch=1 --dim seq=1
expect 2 "--dim value '0' is not a size" compile "$here/symbolic.onnx" --dim batch=0 --dim seq=5 -o "$out/strict"

# quantization options and calibration data (good.onnx: input x float32 [2, 3])
printf 'not numpy' >"$out/bad.npy"
printf '\223NUMPY\001\000\070\000{'"'"'descr'"'"': '"'"'<f4'"'"', '"'"'fortran_order'"'"': False, '"'"'shape'"'"': (100000, 6), }   \n' >"$out/short.npy"
expect 2 "--calib goes with --quantize int8" compile "$here/good.onnx" --calib "$out/bad.npy" -o "$out/q"
expect 2 "--quantize int8 needs calibration samples" compile "$here/good.onnx" --quantize int8 -o "$out/q"
expect 2 "--quantize takes int8" compile "$here/good.onnx" --quantize int4 --calib x.npy -o "$out/q"
expect 2 "--calib-method takes minmax" compile "$here/good.onnx" --quantize int8 --calib x.npy --calib-method best -o "$out/q"
expect 2 "--calib-method takes minmax" compile "$here/good.onnx" --quantize int8 --calib x.npy --calib-method percentile=40 -o "$out/q"
expect 2 "--io takes int8 or float" compile "$here/good.onnx" --quantize int8 --calib x.npy --io int4 -o "$out/q"
expect 2 "--keep-float goes with --quantize" compile "$here/good.onnx" --keep-float add -o "$out/q"
expect 1 "nope.npy: No such file" compile "$here/good.onnx" --quantize int8 --calib "$out/nope.npy" -o "$out/q"
expect 1 "bad.npy: not a .npy file" compile "$here/good.onnx" --quantize int8 --calib "$out/bad.npy" -o "$out/q"
expect 1 "short.npy: holds fewer values than its shape says" compile "$here/good.onnx" --quantize int8 --calib "$out/short.npy" -o "$out/q"
expect 1 "6400 float32 values do not make samples of input 'x'" compile "$here/good.onnx" --quantize int8 --calib "$here/../qmodels/calib/digits_cnn/input_0.npy" -o "$out/q"
expect 1 "no input_0.pb and no test_data_set_" compile "$here/good.onnx" --quantize int8 --calib "$here" -o "$out/q"
expect 1 "--calib-method: no tensor 'nope'" compile "$here/good.onnx" --quantize int8 --calib "$here/good_calib.npy" --calib-method nope=mse -o "$out/q"
expect 1 "--keep-float: no node 'nope'" compile "$here/good.onnx" --quantize int8 --calib "$here/good_calib.npy" --keep-float nope -o "$out/q"
expect 0 "" compile "$here/good.onnx" --quantize int8 --calib "$here/good_calib.npy" --calib "$here/good_calib_f64.npy" --calib-method entropy -o "$out/q"
expect 2 "--dim value '-3' is not a size" inspect "$here/symbolic.onnx" --dim batch=-3 --dim seq=5
expect 2 "no command 'frob'" help frob
expect 0 "" help validate
# validate --target: the cores it knows, the tools it needs (test/target runs it)
expect 2 "unknown --target 'cortex-m9'; one of: host cortex-m0plus cortex-m3 cortex-m4 cortex-m7 cortex-m33 cortex-m55" validate "$data0/model.onnx" --data "$data0" --target cortex-m9
expect 2 "validate cannot run on --target 'cortex-m0plus' (no emulated board); it runs on host cortex-m3 cortex-m4 cortex-m7 cortex-m33 cortex-m55" validate "$data0/model.onnx" --data "$data0" --target cortex-m0plus
expect 2 "--qemu needs --target" validate "$data0/model.onnx" --data "$data0" --qemu qemu-system-arm
expect 2 "option '--qemu' does not apply to compile" compile "$here/good.onnx" --qemu qemu-system-arm -o "$out/strict"
expect 3 "needs the cross compiler '$out/no-gcc', which was not found" validate "$data0/model.onnx" --data "$data0" --target cortex-m4 --cc "$out/no-gcc"
expect 3 "needs '$out/no-qemu', which was not found" validate "$data0/model.onnx" --data "$data0" --target cortex-m4 --qemu "$out/no-qemu"
expect 3 "needs '$out/no-qemu'" validate "$data0/model.onnx" --data "$data0" --target cortex-m55 --cc "$out/no-gcc" --qemu "$out/no-qemu"
expect 0 "" inspect "$here/good.onnx" -O0 -v --search-budget 3 --search-alpha 1.1 --cost-ram 1 --cost-flash 0.1 --verify-each
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g -O1 --atol 1e-3 --rtol 1e-2 --per-node --cc cc --search-budget 2
# --depfile: only compile takes it; a failed compile writes none, an unwritable one is
# an I/O error
expect 2 "option '--depfile' does not apply to inspect" inspect "$here/good.onnx" --depfile "$out/d"
expect 1 "unsupported operators" compile "$here/unsupported.onnx" -o "$out/strict" --depfile "$out/strict.d"
[ -e "$out/strict.d" ] && { echo "FAIL: a failed compile wrote $out/strict.d"; fail=$((fail + 1)); }
# inspect draws the arena: a row per kernel call, a letter per buffer
expect 0 "      1 FusedConv          |B\{62\}LL| 32756" inspect "$here/../models/ds_cnn_kws/model.onnx"
expect 0 "  J /GlobalAveragePool_output_0 \[32000, 32256) calls 9..10" inspect "$here/../models/ds_cnn_kws/model.onnx"
# --memory-plan: compile and validate take it; an unwritable one is an I/O error
expect 2 "option '--memory-plan' does not apply to inspect" inspect "$here/good.onnx" --memory-plan "$out/p.json"
expect 3 "cannot write $out/no/such/p.json" compile "$here/good.onnx" -o "$out/mp" --memory-plan "$out/no/such/p.json"
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g --memory-plan "$out/p.json"
grep -q '"buffers"' "$out/p.json" && pass=$((pass + 1)) || { echo "FAIL: validate wrote no memory plan"; fail=$((fail + 1)); }
rm -rf "$out/mp" "$out/p.json"
# ... and names every calibration file read, those of a folder one by one
expect 0 "" compile "$here/good.onnx" --quantize int8 --calib "$here/good_calib.npy" -o "$out/dep" --depfile "$out/dep.d" -q
grep -q "good_calib.npy" "$out/dep.d" && pass=$((pass + 1)) || { echo "FAIL: $out/dep.d lacks the calibration file"; fail=$((fail + 1)); }
expect 0 "" compile "$here/../models/resnet8_cifar/model.onnx" --quantize int8 --calib "$here/../models/resnet8_cifar" -o "$out/dep" --depfile "$out/dep.d" -q
grep -q "resnet8_cifar/test_data_set_0/input_0.pb" "$out/dep.d" && pass=$((pass + 1)) || { echo "FAIL: $out/dep.d lacks the calibration folder's files"; fail=$((fail + 1)); }
rm -rf "$out/dep" "$out/dep.d"
expect 3 "cannot write $out/no/such/x.d" compile "$here/good.onnx" -o "$out/dep" --depfile "$out/no/such/x.d"
# fitting the part: --mcu NAME and the limits; over a limit is an error naming where
# the bytes go and nothing is written, a warning with --force
m8=$here/../models/resnet8_cifar/model.onnx
expect 2 "no part 'stm32f41re'; did you mean 'stm32f401re'?" compile "$m8" -o "$out/fit" --mcu stm32f41re
expect 2 "a limit wants a size such as 256K, not '0'" compile "$m8" -o "$out/fit" --ram-limit 0
expect 2 "a limit wants a size such as 256K, not '1T'" inspect "$m8" --flash-limit 1T
expect 2 "option '--force' does not apply to inspect" inspect "$m8" --force
expect 2 "validate cannot emulate rp2040's core; give --target CORE" validate "$m8" --data "$data0" --mcu rp2040
expect 1 "model.onnx: error: RAM 145704 bytes (arena 133376 + inputs and outputs 12328) is over stm32l432kc's 64K SRAM" compile "$m8" -o "$out/fit" --mcu stm32l432kc
expect 1 "node '.*' (FusedConv): note: the arena peaks here at 133376 bytes; live: '.*' 65536" compile "$m8" -o "$out/fit" --mcu stm32l432kc
expect 1 "error: weights 310824 bytes are over stm32l432kc's 256K flash" compile "$m8" -o "$out/fit" --mcu STM32L432KC
expect 1 "node '/stacks/stacks.2/Relu' (FusedConv): note: 147712 bytes of weights" compile "$m8" -o "$out/fit" --flash-limit 300K
expect 1 "note: int8 (--quantize int8 --calib SAMPLES) needs about a quarter" compile "$m8" -o "$out/fit" --ram-limit 100K
[ -e "$out/fit" ] && { echo "FAIL: a compile over a limit wrote $out/fit"; fail=$((fail + 1)); }
expect 0 "warning: RAM 145704 bytes (arena 133376 + inputs and outputs 12328) is over --ram-limit 102400 bytes" compile "$m8" -o "$out/fit" --ram-limit 100K --force
[ -f "$out/fit/model.c" ] && pass=$((pass + 1)) || { echo "FAIL: --force wrote no code"; fail=$((fail + 1)); }
expect 0 "RAM 56% of 256K, weights 30% of 1M flash (nrf52840)" compile "$m8" -o "$out/fit" --mcu nrf52840
expect 0 "RAM 14% of 1M, weights 59% of 512K flash (stm32l432kc)" compile "$m8" -o "$out/fit" --mcu stm32l432kc --ram-limit 1M --flash-limit 512K
expect 0 "RAM: 145704 of 98304 bytes (148.2%; arena 133376, inputs and outputs 12328): does not fit" inspect "$m8" --mcu stm32f401re
# --ram-limit patches the first layers when the plan does not fit (passes/patch.c)
mb2=$here/../models/mobilenet_v2_035/model.onnx
expect 0 "note: --ram-limit: 4 patches: RAM 251424 bytes instead of 553592, for 3.6% more estimated cycles" compile "$mb2" -o "$out/patch" --ram-limit 276776
expect 0 "note: patches: the first 6 layers (to '.*') run in 4 bands of rows" compile "$mb2" -o "$out/patch" --ram-limit 276776
expect 0 "verdict: PASS" validate "$mb2" --data "$here/../models/mobilenet_v2_035" --ram-limit 276776
expect 2 "--patches wants a count of bands from 1 to 64, not '0'" compile "$m8" -o "$out/patch" --patches 0
expect 0 "note: patches: none: a tensor of the first layers is read" compile "$m8" -o "$out/patch" --patches 4
# no limits: a model no part could hold (issue 11: a ResNet-50 compiled silently into
# 102 MB of weights and a 7 MB arena) is compiled with a warning saying so
expect 0 "warning: RAM 24000000 bytes (arena and buffers) is more than any part of 'onnx2mcu mcus' has" compile "$here/symbolic.onnx" -o "$out/fit" --dim batch=1000 --dim seq=1000
expect 1 "error: RAM 24000000 bytes (arena 0 + inputs and outputs 24000000) is over nrf5340's 512K SRAM" compile "$here/symbolic.onnx" -o "$out/fit" --dim batch=1000 --dim seq=1000 --mcu nrf5340
expect 0 "stm32h743zi  STM32H7      cortex-m7      SRAM    1M  flash   2M" mcus
expect 2 "mcus takes only --markdown" mcus --frob
expect 0 "" help mcus
# --target: known cores only; the code states its core and stops a build for a core
# without the instructions it was made for; --scratch-limit 0 picks kernels without scratch
expect 2 "unknown --target 'cortex-m9'; one of: host cortex-m0plus" compile "$m8" -o "$out/tg" --target cortex-m9
expect 2 "--scratch-limit wants a size" compile "$m8" -o "$out/tg" --scratch-limit -4
expect 0 "arena 196608 bytes" compile "$m8" -o "$out/tg" --scratch-limit 0
expect 0 "" compile "$m8" -o "$out/tg" -n r8 --target cortex-m4
if grep -q '^#define R8_TARGET "cortex-m4"' "$out/tg/r8.h" &&
	grep -q 'O2M_OPTIONS "-n r8 --target cortex-m4"' "$out/tg/r8.h" &&
	arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -std=c99 \
		-Wall -Wextra -Werror -pedantic -c "$out/tg/r8.c" -I"$out/tg" -o "$out/tg/m4.o" &&
	! arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -std=c99 -c "$out/tg/r8.c" -I"$out/tg" \
		-o "$out/tg/m3.o" 2>"$out/tg/m3.err" &&
	grep -q "error: #error \"r8 was made for cortex-m4 (DSP extension, FPU)" "$out/tg/m3.err"; then
	pass=$((pass + 1))
else
	echo "FAIL: --target cortex-m4: no TARGET macro, or the build for a Cortex-M3 was not stopped"
	fail=$((fail + 1))
fi
# int8 on a Cortex-M target: packed weights (twice the flash of its convolutions) unless
# --int8-layout compact, which the compiler also takes when they do not fit a flash limit
q8=$here/../qmodels/resnet8_cifar_qdq_pc_u8/model.onnx
expect 2 "--int8-layout is fast or compact, not 'small'" compile "$q8" -o "$out/q8l" --int8-layout small
expect 0 "weights 164058 bytes" compile "$q8" -o "$out/q8l" --target cortex-m4
expect 0 "weights 80133 bytes" compile "$q8" -o "$out/q8l" --target cortex-m4 --int8-layout compact
expect 0 "note: int8 weights as the model has them (--int8-layout compact): cortex-m4's packed layouts take 164058 bytes, over the flash limit" compile "$q8" -o "$out/q8l" --target cortex-m4 --flash-limit 150K
grep -q -- "--int8-layout compact" "$out/q8l/model.h" && pass=$((pass + 1)) || { echo "FAIL: the compact build's options lack --int8-layout compact"; fail=$((fail + 1)); }
expect 1 "error: weights 80133 bytes are over --flash-limit 51200 bytes" compile "$q8" -o "$out/q8l" --target cortex-m4 --flash-limit 50K
# progress: on a terminal (script(1) gives a pseudo-terminal) a line redrawn in place and
# erased before the summary; nothing when stderr is not a terminal
ONNX2MCU_PROGRESS_AFTER=0 script -qec "'$bin' compile '$m8' -o '$out/prog'" /dev/null >"$out/prog.tty" 2>&1
if grep -q "onnx2mcu: plan (" "$out/prog.tty" && grep -q "writing weights 100%" "$out/prog.tty" &&
	tr '\r' '\n' <"$out/prog.tty" | grep -q "^.\[Konnx2mcu: $out/prog: 11 kernel calls"; then
	pass=$((pass + 1))
else
	echo "FAIL: no progress line on a terminal:"; tr '\r' '\n' <"$out/prog.tty" | cat -v | head -5
	fail=$((fail + 1))
fi
ONNX2MCU_PROGRESS_AFTER=0 "$bin" compile "$m8" -o "$out/prog" 2>"$out/prog.err"
if grep -q "plan (" "$out/prog.err"; then echo "FAIL: progress drawn into a file"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
rm -rf "$out/fit" "$out/prog"
# --report-html: only compile takes it; the page is written under the sanitizers too
expect 2 "option '--report-html' does not apply to validate" validate "$here/good.onnx" --report-html r.html --data "$data0"
expect 0 "" compile "$here/../html/names.onnx" -o "$out/html" --report-html "$out/html.html" --report "$out/html.json"
expect 3 "cannot write $out/no/such/x.html" compile "$here/good.onnx" -o "$out/dep" --report-html "$out/no/such/x.html"
# stamped output: validate --code takes only code made from this model with its options
"$bin" compile "$data0/model.onnx" -o "$out/st_ok" -n g -q
"$bin" compile "$data0/model.onnx" -o "$out/st_o0" -n g -q -O0 --search-budget 3
"$bin" compile "$here/good.onnx" -o "$out/st_other" -n g -q
mkdir -p "$out/st_none" && grep -v '_O2M_OPTIONS' "$out/st_ok/g.h" >"$out/st_none/g.h"
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g --code "$out/st_ok"
expect 2 "code $out/st_other: made from another model (SHA-256 $(sha256sum "$here/good.onnx" | cut -c1-16)..., this one's is $(sha256sum "$data0/model.onnx" | cut -c1-16)...)" validate "$data0/model.onnx" --data "$data0" -n g --code "$out/st_other"
expect 2 "code $out/st_o0: made with other options ('-n g -O0 --search-budget 3'; validate would use '-n g')" validate "$data0/model.onnx" --data "$data0" -n g --code "$out/st_o0"
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g -O0 --search-budget 3 --code "$out/st_o0"
expect 2 "no model.h there (made with another -n?)" validate "$data0/model.onnx" --data "$data0" --code "$out/st_ok"
expect 2 "g.h carries no stamp" validate "$data0/model.onnx" --data "$data0" -n g --code "$out/st_none"
# --arena: static or extern, for compile and validate only; extern is stamped
expect 2 "--arena takes static or extern, not 'frob'" compile "$here/good.onnx" --arena frob -o "$out/strict"
expect 2 "option --arena needs a value" validate "$data0/model.onnx" --data "$data0" --arena
expect 2 "option '--arena' does not apply to inspect" inspect "$here/good.onnx" --arena extern
expect 0 "" compile "$data0/model.onnx" -o "$out/st_ext" -n g --arena extern -q
expect 2 "made with other options ('-n g --arena extern'; validate would use '-n g')" validate "$data0/model.onnx" --data "$data0" -n g --code "$out/st_ext"
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g --arena extern --code "$out/st_ext"
expect 0 "" validate "$data0/model.onnx" --data "$data0" -n g --arena static --code "$out/st_ok"
[ -e "$out/strict" ] && { echo "FAIL: a rejected command line wrote $out/strict"; fail=$((fail + 1)); }
# built from a checkout, the version (and so the stamp) names the git revision
if rev=$(git rev-parse --short=12 HEAD 2>/dev/null); then
	if "$bin" --version | grep -q "^onnx2mcu [0-9.]*+$rev\(\.dirty\)\?$" &&
		grep -q "^#define G_O2M_VERSION \"[0-9.]*+$rev" "$out/st_ok/g.h"; then
		pass=$((pass + 1))
	else
		echo "FAIL: version '$("$bin" --version)' or the stamp does not name revision $rev"
		fail=$((fail + 1))
	fi
fi
# external data through a symbolic link: fine inside the model's folder, not out of it
mkdir -p "$out/in" "$out/out"
cp "$here/ext_good.onnx" "$out/in/" && cp "$here/ext.bin" "$out/in/real.bin"
ln -s real.bin "$out/in/ext.bin"
cp "$here/ext_good.onnx" "$out/out/" && ln -s "$(cd "$here" && pwd)/ext.bin" "$out/out/ext.bin"
expect 0 "" inspect "$out/in/ext_good.onnx"
expect 1 "leads out of the model's folder" inspect "$out/out/ext_good.onnx"
# external data that is a FIFO: refused, not waited on
mkdir -p "$out/fifo" && cp "$here/ext_good.onnx" "$out/fifo/" && mkfifo "$out/fifo/ext.bin"
expect 1 "external data .*/ext.bin is not a file" inspect "$out/fifo/ext_good.onnx"
expect 1 "external data .*/ext.bin is not a file" compile "$out/fifo/ext_good.onnx" -o "$out/gen"
# validate gives up on a bad model (or name) without leaking what it read of the data
data=$here/../frontend/init_float_data
expect 1 "3 nodes use unsupported operators" validate "$here/unsupported.onnx" --data "$data"
expect 2 "not a C identifier" validate "$here/good.onnx" --data "$data" -n 9lives
# a failed compile writes nothing; a folder not written by onnx2mcu is never replaced
"$bin" compile "$here/unsupported.onnx" -o "$out/none" 2>/dev/null
if [ -e "$out/none" ]; then echo "FAIL: a failed compile left $out/none"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
mkdir -p "$out/user" && echo keep >"$out/user/notes.txt"
expect 3 "refusing to replace" compile "$here/good.onnx" -o "$out/user"
[ -f "$out/user/notes.txt" ] && pass=$((pass + 1)) || { echo "FAIL: user folder touched"; fail=$((fail + 1)); }
expect 0 "" compile "$here/good.onnx" -o "$out/gen"
expect 0 "" compile "$here/good.onnx" -o "$out/gen"   # ours: replaced
# a user's folder inside an onnx2mcu output folder: refused, named, kept
mkdir -p "$out/gen/mine"
expect 3 "holds the folder $out/gen/mine, which onnx2mcu did not write" compile "$here/good.onnx" -o "$out/gen"
[ -d "$out/gen/mine" ] && [ -f "$out/gen/good.c" ] && pass=$((pass + 1)) ||
	{ echo "FAIL: the output folder with a user's folder was touched"; fail=$((fail + 1)); }
rmdir "$out/gen/mine"
# a write that fails (past a file-size limit) fails the compile, and the earlier output
# stays; then a compile killed while it writes leaves no folder behind
sum=$(cat "$out"/gen/* | cksum)
f0=$fail
(ulimit -f 64 && expect 3 "cannot write the generated files .*: File too large" compile \
	"$here/big_weights.onnx" -o "$out/gen" && [ "$fail" -eq "$f0" ]) && pass=$((pass + 1)) ||
	fail=$((fail + 1))
[ "$(cat "$out"/gen/* | cksum)" = "$sum" ] && pass=$((pass + 1)) ||
	{ echo "FAIL: a failed compile changed the earlier output"; fail=$((fail + 1)); }
"$bin" compile "$here/huge_weights.onnx" -o "$out/sig" 2>/dev/null &
pid=$!
i=0
while [ $i -lt 20000 ] && ! ls -d "$out"/sig.o2m-new-* >/dev/null 2>&1; do i=$((i + 1)); done
kill -TERM $pid
wait $pid 2>/dev/null
rc=$?
if [ $rc -ne 143 ] || ls -d "$out"/sig* >/dev/null 2>&1; then
	echo "FAIL: compile killed while writing: exit $rc, left $(ls -d "$out"/sig* 2>/dev/null)"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# a chain of 100,000 nodes compiles in a few seconds (planning and emitting are linear)
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$out/chain" "$here/chain.c" &&
	"$out/chain" 100000 "$out/chain.onnx"
expect 0 "" compile "$out/chain.onnx" -o "$out/chain.gen"
rm -rf "$out/chain.gen" "$out/chain.onnx"
# placement leaves no gap where a greedy one did: the autoencoder's 32-byte bottleneck
# once pushed its 512-byte neighbours off their alternation (1056 bytes); its arena is
# its live peak, at -O1 and -O0
expect 0 "^arena: 1024 bytes (live peak 1024," inspect "$here/../models/fc_autoencoder_ad/model.onnx"
expect 0 "^arena: 1024 bytes (live peak 1024," inspect "$here/../models/fc_autoencoder_ad/model.onnx" -O0
# build PROJECT.json: a bad project file names the key and the model entry; a failed
# model stops the build and is named
g=$(cd "$here" && pwd)/good.onnx
proj() { printf '%s\n' "$1" >"$out/proj.json"; }
proj '{"models": [{"model": "'"$g"'", "o": "pgen"},'
expect 2 "proj.json: not valid JSON" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "frob": 1}]}'
expect 2 "proj.json: models\[0\] (.*good.onnx): unknown key 'frob'" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "shared-runtime": "yes"}]}'
expect 2 "models\[0\] (.*good.onnx): key 'shared-runtime' takes true or false" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": true}]}'
expect 2 "models\[0\] (.*good.onnx): key 'o' takes a string or a number" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "dim": [{"batch": 1}]}]}'
expect 2 "models\[0\] (.*good.onnx): key 'dim' takes a string or a number" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "atol": 1}]}'
expect 2 "models\[0\] (.*good.onnx): 'atol' is not an option of compile" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "help": true}]}'
expect 2 "'help' is not an option of compile" build "$out/proj.json"
proj '{"models": [{"o": "pgen"}]}'
expect 2 "proj.json: models\[0\]: no \"model\"" build "$out/proj.json"
proj '{"models": [{"model": 7, "o": "pgen"}]}'
expect 2 "models\[0\]: \"model\" is not a string" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen"}], "depfile": 3}'
expect 2 "proj.json: key 'depfile' takes a string" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen"}], "target": "m4"}'
expect 2 "proj.json: unknown key 'target'" build "$out/proj.json"
proj '{"models": {"model": "'"$g"'"}}'
expect 2 "\"models\" wants an array" build "$out/proj.json"
proj '[]'
expect 2 "wants an object" build "$out/proj.json"
proj '{"models": [{"model": "missing.onnx", "o": "pgen"}]}'
expect 1 "build .*proj.json stopped: models\[0\] (missing.onnx) failed" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "q": true}, {"model": "missing.onnx", "o": "pgen2"}], "depfile": "p.d"}'
expect 1 "stopped: models\[1\] (missing.onnx) failed" build "$out/proj.json"
[ -f "$out/pgen/good.h" ] && [ ! -e "$out/p.d" ] && pass=$((pass + 1)) ||
	{ echo "FAIL: build: the first model compiled, no depfile after a failure"; fail=$((fail + 1)); }
proj '{"models": [{"model": "'"$g"'", "o": "pgen", "dim": "batch"}]}'
expect 2 "--dim wants NAME=N" build "$out/proj.json"
expect 2 "stopped: models\[0\] (.*good.onnx) failed" build "$out/proj.json"
proj '{"models": [{"model": "'"$g"'"}]}'
expect 2 "compile needs -o DIR" build "$out/proj.json"
expect 3 "cannot read .*nothere.json" build "$out/nothere.json"
expect 2 "unknown option '--frob'" build "$out/proj.json" --frob
expect 2 "build needs a project file" build
expect 0 "--depfile FILE" help build
rm -rf "$out/pgen" "$out/pgen2" "$out/proj.json"
# a model whose kernels need more than 64 runtime files: all copied, and they build
expect 0 "" compile "$here/many_files.onnx" -o "$out/many"
mkdir -p "$out/many.obj" && (cd "$out/many.obj" && cc -std=c99 -c -I../many ../many/*.c 2>&1) >"$out/many.log"
[ $? -eq 0 ] && [ "$(ls "$out/many.obj" | wc -l)" -eq "$(ls "$out"/many/*.c | wc -l)" ] &&
	pass=$((pass + 1)) || { echo "FAIL: many_files does not build"; head -5 "$out/many.log"; fail=$((fail + 1)); }

# robustness: mutated models, of good.onnx and of frontend fixtures with functions and
# external data (whose files are copied next to the mutants)
fe=$here/../frontend
cc -O2 -o "$out/mutate" "$here/mutate.c" &&
	mkdir -p "$out/mut/good" "$out/mut/fn" "$out/mut/ext" &&
	"$out/mutate" "$here/good.onnx" "$out/mut/good" 300 &&
	"$out/mutate" "$fe/function_attrs/model.onnx" "$out/mut/fn" 150 &&
	"$out/mutate" "$fe/ext_data/model.onnx" "$out/mut/ext" 150 &&
	cp -r "$fe/ext_data/weights.bin" "$fe/ext_data/data" "$out/mut/ext/"
crashes=0
# the fuzz corpus (test/fuzz): every crash the fuzzer found, replayed
for f in "$here"/../fuzz/corpus/* "$out"/mut/*/*.onnx; do
	timeout 60 "$bin" inspect "$f" >/dev/null 2>"$out/mut.err"
	rc=$?
	if [ "$rc" -gt 1 ] || grep -q "internal error\|Sanitizer\|runtime error" "$out/mut.err"; then
		echo "FAIL: inspect $f: exit $rc$([ $rc -eq 124 ] && echo ' (a hang: over 60 s)')"
		head -3 "$out/mut.err"
		crashes=$((crashes + 1))
	fi
done
[ "$crashes" -eq 0 ] && pass=$((pass + 1)) || fail=$((fail + 1))
echo "errors: $pass passed, $fail failed ($(ls "$out"/mut/*/*.onnx | wc -l) mutated models and $(ls "$here"/../fuzz/corpus | wc -l) fuzz findings, $crashes crashed)"
[ "$fail" -eq 0 ]
