#!/bin/sh
# check-report.sh REPORT.json DIR - checks a compile report against DIR/kernels (the
# most kernel calls the run function may make) and DIR/layer-ops (lines "OP N": exactly
# N kernel calls of op OP); each file is optional. Prints what differs; exit 1 then.
set -u
json=$1 dir=$2
kernels=$(sed -n 's/^[[:space:]]*"kernels":[[:space:]]*\([0-9]*\),$/\1/p' "$json")
[ -n "$kernels" ] || { echo "no kernels field in $json"; exit 1; }
if [ -f "$dir/kernels" ] && [ "$kernels" -gt "$(cat "$dir/kernels")" ]; then
	echo "$kernels kernel calls, at most $(cat "$dir/kernels") wanted"
	exit 1
fi
[ -f "$dir/layer-ops" ] || exit 0
while read -r op n; do
	c=$(grep -c "^[[:space:]]*\"op\":[[:space:]]*\"$op\"," "$json")
	[ "$c" = "$n" ] || { echo "$op: $c kernel calls, $n wanted"; exit 1; }
done <"$dir/layer-ops"
