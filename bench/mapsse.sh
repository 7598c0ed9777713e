#!/bin/sh
# bench/mapsse.sh — event throughput: wn-mapsse reading N map events from
# a loopback SSE stream (the parser, JSON, the record, the write), against
#   sed -n 's/^data: //p' | jq -c '{type,event_id:.id,time:.timestamp,payload}'
# building the same pass-through records from the same stream file in the
# same run.  Events are map_kill killmail updates (about 1.5 KB) and
# signature events, as the map sends them.  Both outputs must agree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-50000}
in=$dir/mapsse-$N.sse

if [ ! -s "$in" ]; then
	echo "bench/mapsse.sh: generating $N events in $in" >&2
	$PY - "$root/tests/fixtures/map/events_derived_all_types.json" "$N" >"$in.tmp" <<'PYEOF'
import json, random, sys
evs = json.load(open(sys.argv[1]))
kinds = [e for e in evs if e["type"] in ("map_kill", "signature_added", "signatures_updated")]
B = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
out = sys.stdout
out.write('event: connected\nid: 01KKYKV7V5W0DBQ95B0DCEMN3N\ndata: {"map_id":"m","server_time":"2026-03-17T19:20:00.101523Z"}\n\n')
ms = 1773775200000
for i in range(int(sys.argv[2])):
    e = dict(random.choice(kinds))
    ms += 7
    e["id"] = "".join(B[(ms >> (5 * k)) & 31] for k in reversed(range(10))) + "".join(random.choice(B) for _ in range(16))
    out.write("event: %s\nid: %s\ndata: %s\n\n" % (e["type"], e["id"], json.dumps(e, separators=(",", ":"), sort_keys=True)))
    if i % 100 == 0:
        out.write(": keepalive\n\n")
PYEOF
	mv "$in.tmp" "$in"
fi

pf=$dir/mapsse.port
rm -f "$pf"
$PY "$here/mapsse_serve.py" "$in" "$pf" & srv=$!
on_exit 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' 
wait_port "$pf" mapsse_serve.py
export MAP_URL=http://127.0.0.1:$(cat "$pf") MAP_NAME=bench MAP_API_KEY=bench-key

lines() { wc -l <"$1" | tr -d ' '; }
run_wn() {
	st=$dir/mapsse.state; rm -rf "$st"
	: >"$dir/mapsse.wn.out"
	WN_STATE_DIR=$st wn-mapsse -e '*' >"$dir/mapsse.wn.out" 2>"$dir/mapsse.wn.err" & p=$!
	while [ "$(lines "$dir/mapsse.wn.out")" -lt "$N" ]; do
		kill -0 $p 2>/dev/null || { cat "$dir/mapsse.wn.err" >&2; exit 1; }
		sleep 0.01
	done
	kill $p; wait $p
	[ "$(lines "$dir/mapsse.wn.out")" -eq "$N" ] || die "wn-mapsse wrote too much"
}
run_jq() {
	sed -n 's/^data: //p' "$in" | tail -n +2 |
		$JQ -c '{type,event_id:.id,time:.timestamp,payload}' >"$dir/mapsse.jq.out"
}
WN_RUNS=${WN_RUNS:-5} JQ_RUNS=${JQ_RUNS:-3}
best_of "$WN_RUNS" run_wn "$JQ_RUNS" run_jq

$JQ -c '[.event_id,.type,.payload]' "$dir/mapsse.wn.out" >"$dir/mapsse.wn.cmp"
$JQ -c '[.event_id,.type,.payload]' "$dir/mapsse.jq.out" >"$dir/mapsse.jq.cmp"
cmp -s "$dir/mapsse.wn.cmp" "$dir/mapsse.jq.cmp" || die "wn-mapsse and jq made different records"
awk -v wn="$wn" -v jq="$peer" -v n="$N" -v sz="$(wc -c <"$in")" \
	-v wr="$WN_RUNS" -v jr="$JQ_RUNS" 'BEGIN {
	printf "mapsse: %d events (%.1f MB) over loopback SSE: wn-mapsse %.3fs (%.0f MB/s, %.0f events/s, best of %d), jq %.3fs (best of %d), ratio %.1fx\n",
	       n, sz / 1e6, wn, sz / 1e6 / wn, n / wn, wr, jq, jr, jq / wn }'
