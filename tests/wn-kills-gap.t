#!/bin/sh
# A fight in a tracked system, through an outage: 93 kills in one system
# over ~14 s; the connection drops and reconnects are refused for 4 s;
# later wn-kills is stopped for 4 s and started again.  The fake server
# behaves as the real one: a join re-sends only the newest 5 kills per
# system, some live kills come twice, and its REST API lists a kill only
# some time after it happened (as zKillboard does).  Every kill must come
# out of `wn-kills | wn-enrich` once, complete, with a handful of REST
# calls.  Then: a restart with no drop; a REST side that fails (5xx,
# timeouts) while the live feed goes on.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
SYS=31001503
mkdir esi-kills               # what ESI knows of each kill, written by the fake server
start_ws --rest-port-file "$T/rest.port" --rest-log "$T/rest.jsonl" --list-delay 1 \
	--esi-dir "$T/esi-kills"
start_fake esi esi.py --log "$T/esi.jsonl" --kill-dir "$T/esi-kills" || exit 1
export ESI_URL=http://127.0.0.1:$PORT
export WANDERER_KILLS_URL=http://127.0.0.1:$(cat "$T/rest.port")
# the fill waits longer than the fake takes to list a kill (300 s live)
export WN_KILLS_GAP_DELAY_MS=1500 WN_KILLS_GAP_PACE_MS=100 WN_KILLS_GAP_BACKOFF_MS=200
# the reader outlives wn-kills here: what was written was read, so no kill
# needs sending again after a restart (by default the last 60 s are)
export WN_KILLS_RESEND_SECONDS=0

# fight FIRST N SLEEP [SYSTEM]: N kills, one every SLEEP seconds
fight() {
	i=0
	while [ $i -lt "$2" ]; do
		cmd kill $(($1 + i)) "${4:-$SYS}" 1
		sleep "$3"
		i=$((i + 1))
	done
}
uniq_ids() { [ -f "$1" ] && jq -r .killmail_id "$1" 2>/dev/null | sort -u | wc -l | tr -d ' ' || echo 0; }
uniq_ge() { [ "$(uniq_ids "$1")" -ge "$2" ]; }
posts() { c=$(grep -c '"POST"' "$T/rest.jsonl" 2>/dev/null); echo "${c:-0}"; }
esi_kills() { c=$(grep -c '"/killmails/' "$T/esi.jsonl" 2>/dev/null); echo "${c:-0}"; }

# wn-enrich reads a FIFO that the test holds open, so it outlives the
# restarts of wn-kills, as a supervisor's pipe would.
mkfifo kp
wn-enrich -K < kp > out 2> enrich.err & epid=$!
exec 3> kp
start_kills() { wn-kills -S "${1:-$SYS}" > kp 2>> kills.err & kpid=$!; }

start_kills
wait_for "the join" 10 joins_ge 1
cmd dupsome 3                            # every third live kill twice
fight 1000 30 0.13                       # 30 kills, all live
wait_for "the live kills" 20 uniq_ge out 30
cmd refuse 4                             # the drop; reconnects refused for 4 s
cmd drop_mid
fight 1030 27 0.15                       # 27 kills while it is cut off
wait_for "the reconnect" 20 joins_ge 2
fight 1057 13 0.15                       # 13 live kills
stop_kills $kpid
same "stop: exit 0" "$rc" 0
g1=$(kstat gap_kills)
check "fight: the gap of the drop filled while running" kstat_ge gap_fills 1
check "fight: its length (s)" kstat_ge last_gap_seconds 3
fight 1070 23 0.17                       # 23 kills while it is stopped
start_kills
wait_for "all 93 kills" 40 uniq_ge out 93
sleep 1                                  # anything more would be a repeat
same "fight: 93 kills out of wn-kills | wn-enrich" "$(uniq_ids out)" 93
same "fight: each exactly once" "$(wc -l < out | tr -d ' ')" 93
same "fight: each complete (victim and attackers)" \
	"$(jq -c 'select(.victim.ship_type_id and (.attackers | length) > 0)' out | wc -l | tr -d ' ')" 93
same "fight: all in the tracked system" "$(jq -r .solar_system_id out | sort -u)" $SYS
same "fight: recovered kills are the kills that happened (their time)" \
	"$(jq -r 'select(.killmail_time < "2026-01-01") | .killmail_id' out | wc -l | tr -d ' ')" 0
p=$(posts)
check "fight: far fewer REST calls than kills ($p)" [ "$p" -ge 2 ] && [ "$p" -le 6 ]
same "fight: REST asked for the tracked system" \
	"$(grep '"POST"' rest.jsonl | head -n1 | jq -r .body | jq -c .system_ids)" "[$SYS]"
check "fight: since_hours covers the gap and the late hour" \
	[ "$(grep '"POST"' rest.jsonl | head -n1 | jq -r .body | jq .since_hours)" -ge 1 ]
same "fight: wn-enrich completed them all" "$(grep -c 'passed on as it came' enrich.err)" 0
stop_kills $kpid
g=$(($(kstat gap_kills) + g1))
check "fight: kills recovered over REST ($g1 + $((g - g1)))" [ "$g1" -ge 10 ] && [ "$g" -ge 30 ]
same "fight: ESI asked once for each recovered kill, for no other" "$(esi_kills)" "$g"
check "fight: the gap of the stop filled after the start" kstat_ge gap_fills 1
check "fight: the stop's length (s)" kstat_ge last_gap_seconds 3
sts=$(wn-status 2>&1)
contains "wn-status shows the gap fills" "$sts" "gap_fills 1"
contains "wn-status shows the kills recovered" "$sts" "gap_kills $((g - g1))"
contains "wn-status shows the last gap's length" "$sts" "last_gap_seconds"

# -- a restart with no drop: the kills of the stop come over REST once --
SYS2=31002222
start_kills $SYS2
wait_for "the join" 10 joins_ge 4
fight 2000 4 0.05 $SYS2
wait_for "the live kills" 10 uniq_ge out 97
stop_kills $kpid
p0=$(posts)
fight 2004 12 0.05 $SYS2                 # more than the preload's 5
start_kills $SYS2
wait_for "the kills of the stop" 30 uniq_ge out 109
sleep 1
same "restart: every kill once" "$(wc -l < out | tr -d ' ')" 109
same "restart: one REST call" "$(($(posts) - p0))" 1
stop_kills $kpid

# -- the REST side fails: retried, given up, the live feed unaffected --
SYS3=31003333
export WN_KILLS_GAP_TIMEOUT_MS=500 WN_KILLS_GAP_TRIES=3
start_kills $SYS3
wait_for "the join" 10 joins_ge 6
stop_kills $kpid
fight 3000 8 0.05 $SYS3
cmd rest_fault 503 500                   # two failures, then an answer
synced
start_kills $SYS3
wait_for "the kills of the stop after two failures" 30 uniq_ge out 117
check "5xx: retried" [ "$(grep -c 'trying again' kills.err)" -ge 2 ]
stop_kills $kpid
fight 3008 8 0.05 $SYS3
cmd rest_fault hang:2x3                  # every try times out
synced
e0=$(grep -c 'given up' kills.err)
start_kills $SYS3
wait_for "the preload" 10 uniq_ge out 122
wait_for "the fill to give up" 30 sh -c "[ \$(grep -c 'given up' kills.err) -gt $e0 ]"
fight 3016 3 0.05 $SYS3                  # live kills after the failure
wait_for "the live kills" 10 uniq_ge out 125
check "timeouts: wn-kills still running" kill -0 $kpid
contains "timeouts: said what can be missing" "$(cat kills.err)" "can be missing"
check "timeouts: errors counted" kstat_ge gap_errors 3
check "timeouts: the gap stays saved for the next start" [ -s state/kills.gap ]
stop_kills $kpid
same "failures: nothing written twice" "$(wc -l < out | tr -d ' ')" "$(uniq_ids out)"
exec 3>&-
wait $epid
same "wn-enrich: exit 0" "$?" 0
done_testing
