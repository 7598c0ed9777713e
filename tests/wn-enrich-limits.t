#!/bin/sh
# wn-enrich-limits.t — ESI's limits: the error limit (pause before it runs
# out, 420 honoured until the window ends) and the killmail token bucket
# (paced near the bottom, 429 + Retry-After honoured).
. "$WN_ROOT/tests/lib.sh"

STATUS=$WN_STATE_DIR/status/wn-enrich.json
khash() { printf %s "$1" | sha1sum | cut -c1-40; }
bodyless() {	# bodyless FIRST COUNT [bad]: zkb-only rows
	i=$1
	while [ $i -lt $(( $1 + $2 )) ]; do
		h=$(khash $i); [ -n "${3:-}" ] && h=$(khash x$i)
		printf '{"killmail_id":%d,"zkb":{"hash":"%s"}}\n' $i "$h"
		i=$((i + 1))
	done
}
# seconds between the first request with status $1 and the next request
gap_after() {
	jq -s --argjson s "$1" '. as $r | ([range(0; length) | select($r[.].status == $s)] | first) as $k |
		if $k == null or $k + 1 >= length then -1 else ($r[$k + 1].t - $r[$k].t) end' req.log
}

# --- a 420: everything stops until the error window ends ---
start_esi --log "$T/req.log" --error-window 2 --fault 420@/universe/names || exit 1
jq -c . "$WN_FIXTURES/kills/esi_killmail.json" >one
wn-enrich -C one >out 2>err
same "420: exit 0" "$?" 0
same "420: names in the end" "$(jq -r .solar_system_name out)" Sys-30002552
same "420: then the same request again" \
	"$(jq -r 'select(.path == "/universe/names") | .status' req.log | tr '\n' ' ')" "420 200 "
g=$(gap_after 420)
check "420: waited for the window to end ($g s)" awk "BEGIN { exit !($g >= 1.0) }"
same "420: counted" "$(counter esi_420)" 1

# --- the error limit: slow down before it runs out, never see a 420 ---
rm -f req.log
start_esi --log "$T/req.log" --error-limit 14 --error-window 3 || exit 1
bodyless 500 8 bad >bad8
s=$(date +%s)
WN_ESI_ERROR_RESERVE=10 wn-enrich -C -w 20 -n 1 bad8 >out 2>err
e=$(( $(date +%s) - s ))
same "error limit: all 8 passed on" "$(wc -l <out | tr -d ' ')" 8
same "error limit: each asked once (422)" "$(jq -r .status req.log | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" " 8 422 "
same "error limit: never a 420" "$(grep -c '"status": 420' req.log)" 0
check "error limit: paused for the window ($e s)" test $e -ge 2
check "error limit: pause counted" test "$(counter esi_paused)" -ge 1

# with the reserve turned off the fake's limit runs out: the 420 is honoured
rm -f req.log
bodyless 600 16 bad >bad16
WN_ESI_ERROR_RESERVE=-1 wn-enrich -C -w 20 -n 1 bad16 >out 2>err
same "no reserve: all 16 passed on" "$(wc -l <out | tr -d ' ')" 16
n420=$(grep -c '"status": 420' req.log)
check "no reserve: a 420 seen ($n420) but not a storm of them" test "$n420" -ge 1 -a "$n420" -le 2

# --- the killmail token bucket ---
rm -f req.log
start_esi --log "$T/req.log" --kill-tokens 4 --kill-window 2 || exit 1
bodyless 700 4 >k4
WN_ESI_TOKEN_RESERVE=0 wn-enrich -C -w 20 k4 >out 2>err
same "429: every body fetched" "$(counter bodies_fetched)" 4
same "429: all out" "$(jq -r '.victim.character_name | type' out | sort -u)" string
check "429: seen" test "$(grep -c '"status": 429' req.log)" -ge 1
g=$(gap_after 429)
check "429: waited Retry-After ($g s)" awk "BEGIN { exit !($g >= 0.9) }"
check "429: counted" test "$(counter esi_429)" -ge 1

rm -f req.log
start_esi --log "$T/req.log" --kill-tokens 10 --kill-window 2 || exit 1
bodyless 800 5 >k5
WN_ESI_TOKEN_RESERVE=8 wn-enrich -C -w 20 k5 >out 2>err
same "paced: every body fetched" "$(counter bodies_fetched)" 5
same "paced: never a 429" "$(grep -c '"status": 429' req.log)" 0
check "paced: pauses counted" test "$(counter esi_paused)" -ge 3
span=$(jq -s '[.[] | select(.path | startswith("/killmails/")) | .t] | max - min' req.log)
check "paced: spread out ($span s)" awk "BEGIN { exit !($span >= 1.0) }"

done_testing
