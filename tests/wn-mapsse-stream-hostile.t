#!/bin/sh
# wn-mapsse against a hostile SSE server (issue 17): the REST calls reach
# the honest fake map, the stream meets tests/fake/hostile.py.  An endless
# line is dropped with the warning the man page promises and memory stays
# bounded; a server silent after accept, or sending its headers one byte
# at a time, is left at the stall deadline and the stream opened again.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"
. "$WN_ROOT/tests/hostile_helpers.sh"
start_map
MAP_PORT=$PORT

# against MODE [wn-mapsse options]: the stream from the hostile fake
against() {
	mode=$1; shift
	start_hostile "$mode" --upstream "$MAP_PORT" --only /events/stream
	export MAP_URL="http://127.0.0.1:$PORT/ignored/path"
	run_bg out err "$@"
}
hostile_streams_ge() { [ "$(grep -c '"event": "open"' "$T/hostile.jsonl")" -gt "$1" ]; }

against endless-line -x 65536
wait_for "the oversize warning" 20 log_has err "over 65536 bytes dropped"
contains "endless line: one warning naming the bound" "$(grep -c 'over 65536 bytes dropped' err)" 1
sleep 1
under_limit "endless line: memory bounded" "$MPID"
wait_for "the status file" 10 test -s "$WN_STATE_DIR/status/wn-mapsse.json"
same "endless line: counted" "$(jq -r .oversize_events "$WN_STATE_DIR/status/wn-mapsse.json")" 1
stop
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; start_map; MAP_PORT=$PORT

for mode in silent slow-headers; do
	against $mode -k 1
	wait_for "the stream opened again after $mode" 20 log_has err "stream silent past its keepalive deadline"
	ok "$mode: the stall deadline ends the stream, logged"
	under_limit "$mode: memory bounded" "$MPID"
	stop
done

done_testing
