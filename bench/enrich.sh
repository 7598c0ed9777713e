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
root=$(dirname "$here")
N=${N:-10000}
dir=${WN_BENCH_DIR:-$here/data}
mkdir -p "$dir"
full=$dir/kills-$N-s5.ndjson
in=$dir/enrich-ids-$N.ndjson
PATH=${WN_BIN:+$WN_BIN:}$PATH
JQ=/usr/bin/jq
PY=/usr/bin/python3

if [ ! -s "$in" ]; then
	echo "bench/enrich.sh: generating $N killmails in $in" >&2
	$PY "$here/genkills.py" "$N" 5 >"$full.tmp"
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
' <"$full.tmp" >"$in.tmp"
	rm -f "$full.tmp"
	mv "$in.tmp" "$in"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wn-bench-enrich.XXXXXX")
fake=
cleanup() { [ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
$PY "$root/tests/fake/esi.py" --port-file "$work/port" --log "$work/req.log" &
fake=$!
i=0
while [ ! -s "$work/port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "bench/enrich.sh: fake ESI did not start" >&2; exit 1; }
	sleep 0.1
done
export ESI_URL=http://127.0.0.1:$(cat "$work/port") WN_STATE_DIR=$work/state

now() { date +%s.%N; }
# prints the seconds taken; peak RSS (KiB) goes to $work/rss
run_wn() {
	t0=$(now)
	/usr/bin/time -f %M -o "$work/rss" wn-enrich "$in" >"$work/out" 2>"$work/err"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
verify() {
	n=$(wc -l <"$work/out" | tr -d ' ')
	[ "$n" -eq "$N" ] || { echo "bench/enrich.sh: $1: $n of $N records out" >&2; exit 1; }
	missing=$($JQ -c '[.solar_system_name, (.victim, .attackers[] | select(.character_id) |
		.character_name, .corporation_name)] | map(select(. == null)) | length' "$work/out" | sort -u | tr '\n' ' ')
	[ "$missing" = "0 " ] || { echo "bench/enrich.sh: $1: names missing" >&2; exit 1; }
	$JQ -r .killmail_id "$work/out" | cmp -s - "$work/ids" ||
		{ echo "bench/enrich.sh: $1: order changed" >&2; exit 1; }
}
$JQ -r .killmail_id "$in" >"$work/ids"

cold=$(run_wn); cold_rss=$(cat "$work/rss")
verify cold
reqs=$(wc -l <"$work/req.log" | tr -d ' ')
posts=$(grep -c '"/universe/names"' "$work/req.log" || true)

# warm: interleaved with jq, the fastest of each counts (the machine is shared)
RUNS=${RUNS:-3}
wn=999999 jq=999999 i=0 warm_rss=0
while [ $i -lt "$RUNS" ]; do
	t0=$(now); $JQ -c . "$in" >"$work/jq.out"; t1=$(now)
	jq=$(awk -v a="$t0" -v b="$t1" -v m="$jq" 'BEGIN { d = b - a; print (d < m ? d : m) }')
	t=$(run_wn)
	wn=$(awk -v d="$t" -v m="$wn" 'BEGIN { print (d < m ? d : m) }')
	r=$(cat "$work/rss"); [ "$r" -gt "$warm_rss" ] && warm_rss=$r
	i=$((i + 1))
done
verify warm
warm_reqs=$(( $(wc -l <"$work/req.log" | tr -d ' ') - reqs ))

awk -v n="$N" -v sz="$(wc -c <"$in")" -v reqs="$reqs" -v posts="$posts" -v cold="$cold" \
	-v crss="$cold_rss" -v wn="$wn" -v jq="$jq" -v wrss="$warm_rss" -v wreqs="$warm_reqs" \
	-v runs="$RUNS" 'BEGIN {
	printf "enrich: %d killmails (%.1f MB, ids only)\n", n, sz / 1e6
	printf "enrich: cold: %d ESI requests (%d POST /universe/names), %.3f per killmail, %.2fs, peak RSS %.1f MB\n",
	       reqs, posts, reqs / n, cold, crss / 1024
	printf "enrich: warm: %d ESI requests, wn-enrich %.0f killmails/s (%.3fs), jq -c . %.0f killmails/s (%.3fs), speed wn-enrich/jq %.2fx (best of %d), peak RSS %.1f MB\n",
	       wreqs, n / wn, wn, n / jq, jq, jq / wn, runs, wrss / 1024 }'
