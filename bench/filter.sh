#!/bin/sh
# bench/filter.sh — selection speed: wn-filter picking the kills in 50
# tracked systems out of N realistic killmails (genkills.py: fitted items,
# gangs up to hundreds of attackers), against
#   jq -c 'select(.solar_system_id | IN(...))'
# doing the same selection on the same file in the same run.  Both outputs
# must hold the same killmail ids.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-20000}
in=$dir/kills-$N.ndjson
export WN_STATE_DIR=$dir/filter-state	# the status file: not the user's
gen_kills "$N" 1 "$in"
# 50 wormhole systems spread over the whole range
systems=$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "%s%d", i ? "," : "", 31000001 + 50 * i }')

run_wn() { wn-filter --replay --systems "$systems" "$in" >"$dir/filter.wn.out"; }
run_jq() { $JQ -c "select(.solar_system_id | IN($systems))" "$in" >"$dir/filter.jq.out"; }
# wn-filter runs more often: its runs are short (bench/lib.sh: best_of)
WN_RUNS=${WN_RUNS:-5} JQ_RUNS=${JQ_RUNS:-3}
best_of "$WN_RUNS" run_wn "$JQ_RUNS" run_jq

$JQ -r .killmail_id "$dir/filter.wn.out" >"$dir/filter.wn.ids"
$JQ -r .killmail_id "$dir/filter.jq.out" >"$dir/filter.jq.ids"
cmp -s "$dir/filter.wn.ids" "$dir/filter.jq.ids" || die "wn-filter and jq selected different kills"
sel=$(wc -l <"$dir/filter.wn.ids" | tr -d ' ')
[ "$sel" -gt 0 ] || die "nothing selected"
awk -v wn="$wn" -v jq="$peer" -v n="$N" -v sel="$sel" -v sz="$(wc -c <"$in")" \
	-v wr="$WN_RUNS" -v jr="$JQ_RUNS" 'BEGIN {
	printf "filter: %d killmails (%.1f MB), 50 systems, %d selected: wn-filter %.3fs (%.0f MB/s, best of %d), jq %.3fs (best of %d), ratio %.1fx\n",
	       n, sz / 1e6, sel, wn, sz / 1e6 / wn, wr, jq, jr, jq / wn }'
