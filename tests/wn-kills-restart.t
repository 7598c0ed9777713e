#!/bin/sh
# No kill is lost across a restart: wn-kills saves the time of the newest
# kill it wrote, and on the next join asks for a preload reaching back
# past it; kills that happened while it was down arrive, older ones are
# not asked for.  A consumer that stops reading makes it exit 111 (after
# the queue deadline) without saving kills it never wrote.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
start_ws
preload_hours() { grep '"phx_join"' ws.jsonl | tail -n1 | jq '.recv[4].preload.since_hours'; }

# -- first run: no saved time, one hour of preload --
cmd store 401 31001503 25200        # 7 h ago
synced
wn-kills -S 31001503 > out1 2>err1 & pid=$!
wait_for "the join" 10 joins_ge 1
same "first start: 1 h preload" "$(preload_hours)" 1
cmd kill 402 31001503 14400         # a live kill whose time is 4 h ago
wait_for "the live kill" 10 has_id out1 402
stop_kills $pid
same "first run: exit 0" "$rc" 0
same "first run: the 7 h old kill was not asked for" "$(ids out1)" 402
saved=$(cat state/kills.newest)
same "newest kill time saved" "$saved" "$(jq -r .killmail_time out1)"

# -- kills while nobody listens --
cmd store 403 31001503 10800        # 3 h ago: after the newest written
cmd store 404 31001503 60           # a minute ago
cmd store 405 31001503 36000        # 10 h ago: before the gap
cmd store 406 30000142 60           # untracked system
synced

# -- restart: the join reaches back past the newest kill --
wn-kills -S 31001503 > out2 2>err2 & pid=$!
wait_for "the join" 10 joins_ge 2
h=$(preload_hours)
check "restart: preload covers the 4 h gap ($h h)" [ "$h" -ge 5 ] && [ "$h" -le 24 ]
wait_for "the kills from the gap" 10 has_id out2 404
sleep 0.5
same "restart: every kill from the gap, nothing older" "$(ids out2)" "402 403 404"
cat out1 out2 > all
same "across the restart: every tracked kill of the window" "$(ids all)" "402 403 404"
stop_kills $pid
check "newest time moved on" [ "$(cat state/kills.newest)" \> "$saved" ]

# -- a burst into a slow reader: nothing dropped, memory bounded --
mkfifo burst
WN_KILLS_QUEUE=4 wn-kills -S 31006666 > burst 2>err4 & pid=$!
(sleep 2; cat burst > burst.out) &
wait_for "the join" 10 joins_ge 3
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
