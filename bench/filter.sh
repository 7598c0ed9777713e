#!/bin/sh
# bench/filter.sh — selection speed: wn-filter picking the kills in 50
# tracked systems out of N realistic killmails (genkills.py: fitted items,
# gangs up to hundreds of attackers), against
#   jq -c 'select(.solar_system_id | IN(...))'
# doing the same selection on the same file in the same run.  Both outputs
# must hold the same killmail ids.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
N=${N:-20000}
dir=${WN_BENCH_DIR:-$here/data}
mkdir -p "$dir"
in=$dir/kills-$N.ndjson
PATH=${WN_BIN:+$WN_BIN:}$PATH
JQ=/usr/bin/jq

if [ ! -s "$in" ]; then
	echo "bench/filter.sh: generating $N killmails in $in" >&2
	/usr/bin/python3 "$here/genkills.py" "$N" 1 >"$in.tmp"
	mv "$in.tmp" "$in"
fi
# 50 wormhole systems spread over the whole range
systems=$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "%s%d", i ? "," : "", 31000001 + 50 * i }')

now() { date +%s.%N; }
run_wn() { wn-filter --replay --systems "$systems" "$in" >"$dir/filter.wn.out"; }
run_jq() { $JQ -c "select(.solar_system_id | IN($systems))" "$in" >"$dir/filter.jq.out"; }
# Interleaved runs, the fastest of each counts: the machine may be shared,
# and the shortest time is the best estimate of what a run costs.
# wn-filter runs more often because its runs are short and a single
# scheduling hiccup weighs more on them.
WN_RUNS=${WN_RUNS:-5} JQ_RUNS=${JQ_RUNS:-3}
wn=999999 jq=999999 i=0
while [ $i -lt $WN_RUNS ] || [ $i -lt $JQ_RUNS ]; do
	if [ $i -lt $JQ_RUNS ]; then
		t0=$(now); run_jq; t1=$(now)
		jq=$(awk -v a="$t0" -v b="$t1" -v m="$jq" 'BEGIN { d = b - a; print (d < m ? d : m) }')
	fi
	if [ $i -lt $WN_RUNS ]; then
		t0=$(now); run_wn; t1=$(now)
		wn=$(awk -v a="$t0" -v b="$t1" -v m="$wn" 'BEGIN { d = b - a; print (d < m ? d : m) }')
	fi
	i=$((i + 1))
done

$JQ -r .killmail_id "$dir/filter.wn.out" >"$dir/filter.wn.ids"
$JQ -r .killmail_id "$dir/filter.jq.out" >"$dir/filter.jq.ids"
if ! cmp -s "$dir/filter.wn.ids" "$dir/filter.jq.ids"; then
	echo "bench/filter.sh: wn-filter and jq selected different kills" >&2
	exit 1
fi
sel=$(wc -l <"$dir/filter.wn.ids" | tr -d ' ')
[ "$sel" -gt 0 ] || { echo "bench/filter.sh: nothing selected" >&2; exit 1; }
awk -v wn="$wn" -v jq="$jq" -v n="$N" -v sel="$sel" -v sz="$(wc -c <"$in")" \
	-v wr="$WN_RUNS" -v jr="$JQ_RUNS" 'BEGIN {
	printf "filter: %d killmails (%.1f MB), 50 systems, %d selected: wn-filter %.3fs (%.0f MB/s, best of %d), jq %.3fs (best of %d), ratio %.1fx\n",
	       n, sz / 1e6, sel, wn, sz / 1e6 / wn, wr, jq, jr, jq / wn }'
