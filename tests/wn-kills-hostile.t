#!/bin/sh
# wn-kills against a hostile WebSocket server (issue 17): a ping flood,
# with and without the pongs read; 1-byte fragments that never end; a
# huge length field; a server silent after accept and after the upgrade.
# Each time the peer is dropped with one log line, the client reconnects,
# and its peak memory (VmHWM) stays under the stated bound.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/hostile_helpers.sh"
export WN_KILLS_BACKOFF_MS=100 WN_KILLS_BACKOFF_MAX_MS=300 WN_KILLS_HEARTBEAT_MS=2000

# kills_against MODE [fake options]: run wn-kills against the fake until it
# has connected twice (dropped once); leaves $pid running.
kills_against() {
	start_hostile "$@"
	WEBSOCKET_URL=ws://127.0.0.1:$PORT wn-kills -S 31001503 > out 2>err & pid=$!
	wait_for "a reconnect after $1" 20 hostile_opens_ge 2
}
stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; }

kills_against ws-ping-flood
contains "ping flood: dropped and logged" "$(cat err)" "dropped: ping flood"
under_limit "ping flood: memory bounded" "$pid"
stop

kills_against ws-ping-flood --no-read
contains "ping flood, pongs never read: dropped" "$(cat err)" "dropped: ping flood"
under_limit "ping flood, pongs never read: memory bounded" "$pid"
stop

kills_against ws-fragments
contains "1-byte fragments: dropped" "$(cat err)" "too many fragments"
under_limit "1-byte fragments: memory bounded" "$pid"
stop

kills_against ws-huge-length
contains "2^62 length field: closed as too big" "$(cat err)" "message too big"
under_limit "2^62 length field: memory bounded" "$pid"
stop

export WN_KILLS_CONNECT_TIMEOUT_MS=500
kills_against silent
contains "silent after accept: the upgrade times out, logged" "$(cat err)" "WebSocket upgrade timed out; reconnecting"
# the status file is flushed about once a second: wait for the count
reconnects_counted() {
	[ "$(jq -r '.reconnects // 0' "$WN_STATE_DIR/status/wn-kills.json" 2>/dev/null)" -ge 1 ]
}
check "silent after accept: reconnects counted" wait_for "reconnects in the status file" 10 reconnects_counted
stop

kills_against ws-silent
contains "silent after the upgrade: the join reply times out" "$(cat err)" "no reply to the join; reconnecting"
stop

done_testing
