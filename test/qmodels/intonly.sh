#!/bin/sh
# intonly.sh MODEL.c - checks that generated code runs integer-only: every kernel call in
# the run path is an integer kernel, except QuantizeLinear of a graph input and
# DequantizeLinear into a graph output (the model's float interface). Prints the float
# calls and exits 1 when there are any; exits 2 when the file has no kernel call at all.
set -u
c=$1
calls=$(grep -o 'if (o2m_[a-z0-9_]*(.*' "$c") || { echo "intonly: no kernel calls in $c"; exit 2; }
bad=$(printf '%s\n' "$calls" | awk '
	{ match($0, /o2m_[a-z0-9_]*/); name = substr($0, RSTART, RLENGTH) }
	name ~ /^o2m_quantize_f32_/ && $0 ~ /\(const void \*\)in[0-9]+_/ { next }
	name ~ /^o2m_dequantize_/ && $0 ~ /\(void \*\)out[0-9]+_/ { next }
	name ~ /_(f16|bf16|f32|f64)$/ || name ~ /_f32_/ || name ~ /^o2m_dequantize_/ { print name }')
if [ -n "$bad" ]; then
	echo "intonly: float kernels in the run path of $c:"
	printf '%s\n' "$bad" | sort | uniq -c
	exit 1
fi
exit 0
