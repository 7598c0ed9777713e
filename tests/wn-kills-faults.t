#!/bin/sh
# wn-kills when the connection goes wrong: a server that stops answering
# heartbeats, a connection cut in the middle of a frame, a frame over the
# size limit, a server restart (close 1012).  Each time the client
# reconnects with backoff and no kill is lost.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
export WN_KILLS_MAX_MESSAGE=65536
start_ws
wn-kills -S 31001503 > out 2>err & pid=$!
wait_for "the join" 10 joins_ge 1
cmd kill 201 31001503 5
wait_for "the first kill" 10 has_id out 201

# -- heartbeats go unanswered: dropped and reopened --
cmd heartbeat off
wait_for "a second connection" 10 opens_ge 2
cmd heartbeat on
contains "heartbeat timeout logged" "$(cat err)" "no heartbeat reply"
wait_for "the second join" 10 joins_ge 2
cmd kill 202 31001503 5
wait_for "a kill on the new connection" 10 has_id out 202
ok "kills flow after a heartbeat timeout"

# -- the connection is cut in the middle of a frame --
cmd drop_mid
cmd kill 203 31001503 5             # while the client is away: preload brings it
wait_for "a third connection" 10 opens_ge 3
wait_for "the kill from the gap" 10 has_id out 203
ok "mid-frame drop: the kill from the gap arrives"
contains "mid-frame drop logged" "$(cat err)" "connection lost"

# -- a frame over the limit: closed with 1009, reconnected --
cmd oversize 100000
wait_for "a fourth connection" 10 opens_ge 4
same "oversize: closed with code 1009" "$(grep -c '"code":1009' ws.jsonl)" 1
contains "oversize: logged as too big" "$(cat err)" "message too big"
cmd kill 204 31001503 5
wait_for "a kill after the oversize frame" 10 has_id out 204
ok "kills flow after an oversize frame"

# -- server restart --
cmd close 1012
wait_for "a fifth connection" 10 opens_ge 5
contains "close code 1012 logged" "$(cat err)" "closed by the server (code 1012)"
cmd kill 205 31001503 5
wait_for "a kill after the restart" 10 has_id out 205

same "no partial or bad record" "$(kstat bad)$(kstat bad_frames)" 00
same "every kill exactly once in the output" "$(jq -r .killmail_id out | sort -n | tr '\n' ' ')" "201 202 203 204 205 "
wait_for "status" 5 kstat_ge reconnects 4
same "status: reconnects counted" "$(kstat reconnects)" 4
stop_kills $pid
same "exit 0 on SIGTERM" "$rc" 0

# -- nobody listening: backoff grows, exit 0 on SIGTERM while waiting --
WEBSOCKET_URL=ws://127.0.0.1:1 WN_KILLS_BACKOFF_MAX_MS=300 wn-kills -S 1 > /dev/null 2>err3 & pid=$!
wait_for "three refused connects" 10 sh -c '[ $(grep -c "reconnecting in" err3) -ge 3 ]'
contains "refused: the reason is logged" "$(cat err3)" "refused"
stop_kills $pid
same "refused: exit 0 on SIGTERM" "$rc" 0
done_testing
