#!/bin/sh
# bench/enrich.sh — wn-enrich on N realistic killmails (genkills.py with
# every name taken out: ids only, as ESI sends them) against the fake ESI
# (tests/fake/esi.py) on loopback:
#   cold: empty cache; reports ESI requests per killmail (aim <= 0.1)
#   warm: the same file again, every answer cached; killmails/s against
#         `jq -c .` passing the same file through in the same run (ratio)
# and the peak RSS of each wn-enrich run.  Every record must come out,
# in order, fully named.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-10000}
full=$dir/kills-$N-s5.ndjson
in=$dir/enrich-ids-$N.ndjson

if [ ! -s "$in" ]; then
	gen_kills "$N" 5 "$full"
	$PY -c '
import json, sys
NAMES = {"solar_system_name", "character_name", "corporation_name", "corporation_ticker",
         "alliance_name", "alliance_ticker", "ship_type_name", "weapon_type_name"}
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in NAMES}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
for line in sys.stdin:
    print(json.dumps(strip(json.loads(line)), ensure_ascii=False, separators=(",", ":")))
' <"$full" >"$in.tmp"
	rm -f "$full"
	mv "$in.tmp" "$in"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wn-bench-enrich.XXXXXX")
on_exit 'stop_fakes; rm -rf "$work"'
fake_dir=$work
start_fake esi esi.py --log "$work/req.log"
export ESI_URL=http://127.0.0.1:$PORT WN_STATE_DIR=$work/state

# one run; its peak RSS (KiB) in $rss, the highest so far in $max_rss
max_rss=0
run_wn() {
	/usr/bin/time -f %M -o "$work/rss" wn-enrich "$in" >"$work/out" 2>"$work/err"
	rss=$(cat "$work/rss"); [ "$rss" -le "$max_rss" ] || max_rss=$rss
}
run_jq() { $JQ -c . "$in" >"$work/jq.out"; }
verify() {
	n=$(wc -l <"$work/out" | tr -d ' ')
	[ "$n" -eq "$N" ] || die "$1: $n of $N records out"
	missing=$($JQ -c '[.solar_system_name, (.victim, .attackers[] | select(.character_id) |
		.character_name, .corporation_name)] | map(select(. == null)) | length' "$work/out" | sort -u | tr '\n' ' ')
	[ "$missing" = "0 " ] || die "$1: names missing"
	$JQ -r .killmail_id "$work/out" | cmp -s - "$work/ids" || die "$1: order changed"
}
$JQ -r .killmail_id "$in" >"$work/ids"

timed run_wn; cold=$took cold_rss=$rss
verify cold
reqs=$(wc -l <"$work/req.log" | tr -d ' ')
posts=$(grep -c '"/universe/names"' "$work/req.log" || true)

# warm: interleaved with jq, the fastest of each counts (the machine is shared)
RUNS=${RUNS:-3}
max_rss=0
best_of "$RUNS" run_wn "$RUNS" run_jq
verify warm
warm_reqs=$(( $(wc -l <"$work/req.log" | tr -d ' ') - reqs ))

awk -v n="$N" -v sz="$(wc -c <"$in")" -v reqs="$reqs" -v posts="$posts" -v cold="$cold" \
	-v crss="$cold_rss" -v wn="$wn" -v jq="$peer" -v wrss="$max_rss" -v wreqs="$warm_reqs" \
	-v runs="$RUNS" 'BEGIN {
	printf "enrich: %d killmails (%.1f MB, ids only)\n", n, sz / 1e6
	printf "enrich: cold: %d ESI requests (%d POST /universe/names), %.3f per killmail, %.2fs, peak RSS %.1f MB\n",
	       reqs, posts, reqs / n, cold, crss / 1024
	printf "enrich: warm: %d ESI requests, wn-enrich %.0f killmails/s (%.3fs), jq -c . %.0f killmails/s (%.3fs), speed wn-enrich/jq %.2fx (best of %d), peak RSS %.1f MB\n",
	       wreqs, n / wn, wn, n / jq, jq, jq / wn, runs, wrss / 1024 }'
