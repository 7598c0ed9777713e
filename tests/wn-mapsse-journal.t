#!/bin/sh
# wn-mapsse: records written lately go out again on start, since a reader
# that died may never have taken them (the cursor has moved past them).
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"
export WN_MAPSSE_REPLAY_SECONDS=3600
J=$WN_STATE_DIR/mapsse-journal
last_rally() { has_line "$1" '"type":"rally_point"'; }

start_map
run_bg a.out a.err
wait_for "the first run's records" 10 last_rally a.out
sleep 0.5
stop
same "first run: exit 0" "$RC" 0
N=$(grep -c . a.out)
check "first run wrote records" test "$N" -ge 1
same "every record journaled" "$(cut -f2- "$J")" "$(cat a.out)"

# restart (the server replays the same events, all seen already)
run_bg b.out b.err
wait_for "the second run to stream" 10 has_line "$WN_STATE_DIR/status/wn-mapsse.json" '"state":"streaming"'
sleep 0.5
stop
same "second run: exit 0" "$RC" 0
same "the recent records are sent again, first, byte for byte" "$(head -n "$N" b.out)" "$(cat a.out)"
same "seen events are not written again" "$(grep -c '"event_id":"01' b.out)" "$(grep -c '"event_id":"01' a.out)"
same "replays counted" "$(jq .replayed "$WN_STATE_DIR/status/wn-mapsse.json")" "$N"
contains "the replay is logged" "$(cat b.err)" "sent again"
same "the journal holds each record once (replays are not journaled again)" "$(grep -c . "$J")" "$(grep -c . b.out)"

# entries past the age limit are not sent
sed 's/^[0-9]*\t/1000\t/' "$J" >j.tmp && cat j.tmp >"$J"
run_bg c.out c.err
wait_for "the third run to stream" 10 has_line "$WN_STATE_DIR/status/wn-mapsse.json" '"state":"streaming"'
stop
same "old entries are not sent again" "$(grep -c . c.out)" 0
same "and are dropped from the file" "$(grep -c . "$J")" 0

# turned off
printf '%s\t%s\n' "$(date +%s)" '{"type":"system","action":"added","solar_system_id":1}' >"$J"
WN_MAPSSE_REPLAY_SECONDS=0 run_bg d.out d.err
wait_for "the fourth run to stream" 10 has_line "$WN_STATE_DIR/status/wn-mapsse.json" '"state":"streaming"'
stop
same "WN_MAPSSE_REPLAY_SECONDS=0: nothing sent again" "$(grep -c . d.out)" 0

# a first start (no saved map) has nothing of its own to repeat
rm -f "$WN_STATE_DIR/map.json"
run_bg e.out e.err
wait_for "the fifth run to stream" 10 has_line "$WN_STATE_DIR/status/wn-mapsse.json" '"state":"streaming"'
stop
same "first start: the old journal is not replayed" "$(grep -c '"solar_system_id":1}' e.out)" 0
done_testing
