#!/bin/sh
# calibrate.sh ONNX2MCU M4RUN MODEL... - fits the cost model (ir/cost.c) to the emulated
# Cortex-M4: every node of each test/models/MODEL and of the calibration zoo
# (bench/calib_models.py: many convolutions of many shapes) measured in its own m4run
# region (bench/nodes.sh), once as compiled and once with --scratch-limit 0 (the
# variants that take no scratch); the terms of each kernel call come from the compile
# report (cost_terms). Per fitted family bench/fit.py fits the coefficients by least
# squares (none negative; each node weighted by 1 / its instructions, so the fit is in
# relative error), rewrites the fitted rows of ir/cost_model.def and prints model
# against measurement for every node it used. Needs /usr/bin/python3 with python3-numpy
# and python3-onnx. `make calibrate` runs it on the bench models. The int8 kernels are
# fitted on the onnxruntime-quantized test/qmodels in CALIB_QMODELS, built with
# --target cortex-m4 and for the default target; CALIB_ONLY_Q8=1 measures only those
# (the float rows stay).
set -u
bin=$1 m4run=$2
shift 2
out=${BENCH_OUT:-build/bench}/calibrate
mkdir -p "$out"
: >"$out/samples.tsv"
qmodels=${CALIB_QMODELS:-resnet8_cifar_qdq_pc_u8 ds_cnn_kws_qdq_pc_s8 mobilenet_v1_025_vww_qop_pc_s8
	fc_autoencoder_ad_qdq_pt_s8}
[ -n "${CALIB_ONLY_Q8:-}" ] || /usr/bin/python3 bench/calib_models.py "$out/zoo" || exit 1
# MODEL DIR FLAGS CHECK [TAG]: measure one model (CHECK 0: its output unchecked), append
# its single-call nodes to samples.tsv as MODEL/TAG
measure() {
	m=$1 dir=$2 flags=$3 tag=$1${5:+/$5} log=$out/$1${5:+.$5}.txt
	BENCH_OUT=$out/runs BENCH_MODELS_DIR=$dir BENCH_FLAGS=$flags BENCH_CHECK=${4:-} \
		bench/nodes.sh "$bin" "$m4run" "$m" >"$log" || {
		echo "calibrate: $m $flags failed (see $log)"
		exit 1
	}
	# node, family, terms and instructions of the nodes with a single kernel call
	/usr/bin/python3 -c 'import json, sys
layers = json.load(open(sys.argv[1]))["layers"]
calls = {}
for l in layers:
    calls.setdefault(l["node"], []).append(l)
ins = dict(tuple(map(int, line.split("\t")[:2])) for line in open(sys.argv[2]))
for n, ls in sorted(calls.items()):
    if len(ls) == 1 and ins.get(n, 0) > 0:
        print("\t".join([sys.argv[3], str(n), ls[0]["cost_family"]] +
                        ["%.17g" % t for t in ls[0]["cost_terms"]] + [str(ins[n])]))' \
		"$out/runs/nodes-$m/report.json" "$out/runs/nodes-$m/regions.tsv" "$tag" \
		>>"$out/samples.tsv"
}
for m in $qmodels; do
	measure "$m" test/qmodels "--target cortex-m4" 0 m4
	measure "$m" test/qmodels "" 0 dsp # the default target, built for the M4
done
if [ -z "${CALIB_ONLY_Q8:-}" ]; then
	for m in "$@"; do
		measure "$m" test/models ""
	done
	for d in "$out"/zoo/*/; do
		m=$(basename "$d")
		measure "$m" "$out/zoo" "" 0
		measure "$m" "$out/zoo" "--scratch-limit 0" 0 nos
	done
fi
/usr/bin/python3 bench/fit.py "$out/samples.tsv" ir/cost_model.def
