#!/bin/sh
# No kill goes out twice across a restart: the server re-sends the newest
# 5 kills of each system on every join (whatever preload is asked), and
# wn-kills keeps the ids it wrote (state/kills.written), so a restart
# writes only what it has not written.  The stop is saved as the start of
# a gap (state/kills.gap) for the REST fill (wn-kills-gap.t).  A consumer
# that stops reading makes it exit 111 (after the queue deadline) without
# saving kills it never wrote.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
start_ws
# The output files here are whole when wn-kills stops: nothing written is
# lost behind it, so no kill needs sending again (the default is 60 s).
export WN_KILLS_RESEND_SECONDS=0

# -- first run: the join's preload is the newest 5 of the last 24 h --
cmd store 401 31001503 25200        # 7 h ago
synced
wn-kills -S 31001503 > out1 2>err1 & pid=$!
wait_for "the join" 10 joins_ge 1
wait_for "the preloaded kill" 10 has_id out1 401
cmd kill 402 31001503 14400         # a live kill whose time is 4 h ago
wait_for "the live kill" 10 has_id out1 402
stop_kills $pid
same "first run: exit 0" "$rc" 0
same "first run: the preload and the live kill" "$(ids out1)" "401 402"
saved=$(cat state/kills.newest)
same "newest kill time saved" "$saved" "$(jq -r .killmail_time out1 | sort | tail -n1)"
same "written ids saved" "$(cut -d' ' -f1 state/kills.written | sort -n | tr '\n' ' ')" "401 402 "
check "the stop is saved as a gap's start" [ -s state/kills.gap ]

# -- kills while nobody listens --
cmd store 403 31001503 10800        # 3 h ago
cmd store 404 31001503 60           # a minute ago
cmd store 405 31001503 36000        # 10 h ago
cmd store 406 30000142 60           # untracked system
synced

# -- restart: the preload re-sends 401 and 402; they do not go out again --
wn-kills -S 31001503 > out2 2>err2 & pid=$!
wait_for "the join" 10 joins_ge 2
wait_for "the kills from the gap" 10 has_id out2 404
sleep 0.5
same "restart: only kills not written before" "$(ids out2)" "403 404 405"
cat out1 out2 > all
same "across the restart: every tracked kill once" "$(wc -l < all | tr -d ' ')" 5
same "across the restart: the kills" "$(ids all)" "401 402 403 404 405"
check "repeats counted" wait_for "the repeats in the status" 5 kstat_ge repeats 2
stop_kills $pid
check "newest time moved on" [ "$(cat state/kills.newest)" \> "$saved" ]

# -- by default the last 60 s written may have been lost downstream: sent again --
WN_KILLS_RESEND_SECONDS= wn-kills -S 31001503 > out3 2>err3 & pid=$!
wait_for "the join" 10 joins_ge 3
wait_for "the preload" 10 has_id out3 401
sleep 0.5
stop_kills $pid
same "resend: the preload's kills written just before the stop, again" "$(ids out3)" "401 402 403 404 405"
contains "resend: said so" "$(cat err3)" "may be sent again"

# -- a burst into a slow reader: nothing dropped, memory bounded --
mkfifo burst
WN_KILLS_QUEUE=4 wn-kills -S 31006666 > burst 2>err4 & pid=$!
(sleep 2; cat burst > burst.out) &
wait_for "the join" 10 joins_ge 4
cmd burst 300 7000 31006666
wait_for "the whole burst" 20 has_id burst.out 7299
same "burst: every kill, once" "$(jq -r .killmail_id burst.out | sort -u | wc -l | tr -d ' ')" 300
stop_kills $pid
same "burst: exit 0" "$rc" 0
: > ws.jsonl

# -- a reader that stops reading: exit 111 after the deadline --
mkfifo slow
sleep 60 < slow & reader=$!
WN_KILLS_QUEUE=4 WN_KILLS_QUEUE_TIMEOUT_MS=3000 wn-kills -S 31005555 > slow 2>err3 & pid=$!
wait_for "the join" 10 joins_ge 1
before=$(cat state/kills.newest)
i=0; while [ $i -lt 60 ]; do cmd kill $((5000 + i)) 31005555 1; i=$((i + 1)); done
hb0=$(grep -c '"heartbeat"' ws.jsonl)
wait "$pid"; rc=$?
same "blocked output: exit 111" "$rc" 111
contains "blocked output: said why" "$(cat err3)" "output blocked"
check "blocked output: heartbeats went on while the queue was full" \
	[ "$(grep -c '"heartbeat"' ws.jsonl)" -gt "$hb0" ]
check "blocked output: no kill time saved beyond what was written" \
	[ "$(cat state/kills.newest)" \< "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ]
kill $reader 2>/dev/null
done_testing
