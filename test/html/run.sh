#!/bin/sh
# run.sh ONNX2MCU - compile --report-html: pages of a float zoo model, the same model
# quantized by --quantize int8, and a model whose names hold markup (names.onnx, made
# by gen.py), each loaded in headless Chromium and checked by check.py against the
# JSON report of the same compile; the page is the same byte for byte when made again,
# and an unwritable one fails the compile and leaves nothing behind.
# Chromium is required (scripts/install-deps installs it): without it the suite fails.
# Ends with: html-report: N passed, M failed.
set -u
bin=$1
here=$(dirname "$0")
out=${HTML_OUT:-build/html}
rm -rf "$out"
mkdir -p "$out"
pass=0 fail=0
kws=test/models/ds_cnn_kws/model.onnx

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; [ -f "$2" ] && sed 's/^/    /' "$2" | head -8; }

# page NAME SQNR ARGS...: compile with --report and --report-html, then load the page
page() {
	name=$1 sqnr=$2
	shift 2
	p=$out/$name
	if ! "$bin" compile "$@" -o "$p.gen" -q --report "$p.json" --report-html "$p.html" \
		>"$p.log" 2>&1; then
		ko "$name: compile failed" "$p.log"
		return
	fi
	abs=$(cd "$out" && pwd)/$name.html
	flags="--headless=new --disable-gpu --no-sandbox --enable-logging=stderr --v=0"
	timeout 60 chromium $flags --dump-dom "file://$abs" >"$p.dom" 2>"$p.chromium.log" &&
	timeout 60 chromium $flags --screenshot="$p.png" --window-size=1280,1600 "file://$abs" \
		>/dev/null 2>>"$p.chromium.log"
	if [ $? -ne 0 ] || [ ! -s "$p.dom" ] || [ ! -s "$p.png" ]; then
		ko "$name: chromium failed" "$p.chromium.log"
	elif python3 "$here/check.py" "$p.json" "$p.dom" "$p.png" "$p.chromium.log" "$sqnr" \
		>"$p.check" 2>&1; then
		ok "$name ($(wc -c <"$p.html") bytes)"
	else
		ko "$name" "$p.check"
	fi
}

if ! command -v chromium >/dev/null 2>&1; then
	echo "FAIL chromium is not installed: run scripts/install-deps"
	echo "html-report: 0 passed, 1 failed"
	exit 1
fi

page float 0 "$kws"
page int8 1 "$kws" --quantize int8 --calib test/qmodels/calib/ds_cnn_kws/input_0.npy
page names 0 "$here/names.onnx"

# markup in names is text: escaped in the file, and nothing of it reaches the DOM
if grep -q '<script\|<img\|</td>&\|<b>graph' "$out/names.html" ||
	! grep -q '&lt;script&gt;console.error(&quot;not escaped&quot;)&lt;/script&gt;&amp;amp;&#39;1' \
		"$out/names.html" || ! grep -q 'tail&lt;/td&gt;' "$out/names.html"; then
	ko "names: a model's name is not escaped" /dev/null
else
	ok "names escaped"
fi

"$bin" compile "$kws" -o "$out/again.gen" -q --report-html "$out/again.html"
if cmp -s "$out/float.html" "$out/again.html"; then ok "same page twice"; else ko "same page twice" /dev/null; fi

"$bin" compile "$kws" -o "$out/nowhere.gen" -q --report-html "$out/no/such/x.html" 2>"$out/nowhere.log"
rc=$?
if [ $rc -eq 3 ] && grep -q "cannot write $out/no/such/x.html" "$out/nowhere.log" &&
	! ls "$out"/no* "$out"/*.o2m-* 2>/dev/null | grep -q 'o2m-\|no/'; then
	ok "unwritable page: exit 3, nothing left"
else
	ko "unwritable page: exit $rc" "$out/nowhere.log"
fi

echo "html-report: $pass passed, $fail failed"
[ $fail -eq 0 ]
