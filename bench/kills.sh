#!/bin/sh
# bench/kills.sh — wn-kills decoding speed: N realistic killmails
# (genkills.py) pushed as Phoenix v2 killmail_update frames over a real
# WebSocket on loopback, turned into canonical records on stdout; against
#   jq -c '.[4].killmails[]'
# pulling the same killmails out of the same frames (as NDJSON, no
# WebSocket framing, no normalising) in the same run.  Both outputs must
# hold the same killmail ids.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-5000}
kills=$dir/kills-$N.ndjson
frames=$dir/frames-$N.ndjson

gen_kills "$N" 1 "$kills"
if [ ! -s "$frames" ]; then
	$JQ -c '["1", null, "killmails:lobby", "killmail_update",
	         {system_id: .solar_system_id, killmails: [.], preload: false}]' "$kills" >"$frames.tmp"
	mv "$frames.tmp" "$frames"
fi
run_jq() { $JQ -c '.[4].killmails[]' "$frames" >"$dir/kills.jq.out"; }
blast= pid=
on_exit 'kill $pid $blast 2>/dev/null; wait 2>/dev/null'
run_wn() {
	rm -f "$dir/ws.port"
	$PY "$here/wsblast.py" "$frames" "$dir/ws.port" & blast=$!
	wait_port "$dir/ws.port" wsblast.py
	# the run is timed from wn-kills' start until head has N records
	rm -f "$dir/kills.fifo"; mkfifo "$dir/kills.fifo"
	t0=$(now)
	WN_STATE_DIR=$dir/kills-state WEBSOCKET_URL=ws://127.0.0.1:$(cat "$dir/ws.port") \
		wn-kills -S 1 >"$dir/kills.fifo" 2>/dev/null & pid=$!
	head -n "$N" <"$dir/kills.fifo" >"$dir/kills.wn.out"
	took=$(secs "$t0")
	kill -TERM $pid; wait $pid || true
	kill $blast; wait $blast 2>/dev/null || true
}
RUNS=${RUNS:-3}
best_of "$RUNS" run_wn "$RUNS" run_jq
$JQ -r .killmail_id "$dir/kills.wn.out" | sort -n >"$dir/kills.wn.ids"
$JQ -r .killmail_id "$dir/kills.jq.out" | sort -n | uniq >"$dir/kills.jq.ids"
cmp -s "$dir/kills.wn.ids" "$dir/kills.jq.ids" || die "wn-kills and jq wrote different kills"
awk -v wn="$wn" -v jq="$peer" -v n="$N" -v sz="$(wc -c <"$frames")" -v r="$RUNS" 'BEGIN {
	printf "kills: %d killmails in %d frames (%.1f MB) over a WebSocket: wn-kills %.3fs (%.0f MB/s, best of %d), jq %.3fs, ratio %.1fx\n",
	       n, n, sz / 1e6, wn, sz / 1e6 / wn, r, jq, jq / wn }'
