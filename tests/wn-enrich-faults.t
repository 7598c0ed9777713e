#!/bin/sh
# wn-enrich-faults.t — ESI misbehaving: 5xx, slow answers, bad bodies,
# dropped connections, a long outage (records go on without names after
# the bounded wait), SIGTERM while waiting, unknown fields and categories.
. "$WN_ROOT/tests/lib.sh"

K=$WN_FIXTURES/kills
STATUS=$WN_STATE_DIR/status/wn-enrich.json
start_esi --log "$T/req.log" || exit 1
jq -c . "$K/esi_killmail.json" >one

faults() { curl -s -X POST -d "$1" "$ESI_URL/_control/faults" >/dev/null; }
statuses() { jq -r "select(.path | startswith(\"$1\")) | .status" req.log | tr '\n' ' '; }
named() { jq -r '[.solar_system_name, .victim.character_name, .victim.corporation_ticker] | map(. // "-") | join("|")' out; }
FULL="Sys-30002552|Pilot 398512676|C10351"
# each case on a cold cache, so every answer is asked for
run() { rm -f req.log; wn-enrich -C "$@" one >out 2>err; }

faults '["503x2@/universe/names"]'
run; same "5xx: exit 0" "$?" 0
same "5xx: names after two retries" "$(named)" "$FULL"
same "5xx: the requests" "$(statuses /universe/names)" "503 503 200 "
same "5xx: retries counted" "$(jq -r '.esi_retries' "$WN_STATE_DIR/status/wn-enrich.json")" 2

faults '["500@/corporations"]'
run; same "500 on a ticker: retried" "$(named)" "$FULL"

faults '["badjson@/corporations"]'
run; same "invalid JSON: retried" "$(named)" "$FULL"
same "invalid JSON: two asks" "$(statuses /corporations/98310351)" "200 200 "

for f in empty truncate drop 502 504 429hidden; do
	faults "[\"$f@/universe/names\"]"
	run -t 3000; same "$f: names all the same" "$(named)" "$FULL"
	same "$f: asked twice" "$(grep -c '"/universe/names"' req.log)" 2
done
faults '["notype@/universe/names"]'
run; same "no Content-Type: the answer is still used" "$(named)" "$FULL"
same "no Content-Type: asked once" "$(grep -c '"/universe/names"' req.log)" 1

faults '["slow:4@/universe/names"]'
s=$(date +%s)
run -t 1000 -v; e=$(( $(date +%s) - s ))
same "slow answer: timed out and retried" "$(named)" "$FULL"
check "slow answer: did not wait for it ($e s)" test $e -lt 4
contains "slow answer: said so at -v" "$(cat err)" "retrying in"

# --- a long outage: bounded wait, then on without names ---
faults '["503x100000"]'
s=$(date +%s)
{ cat one; sleep 4; jq -c '.killmail_id = 2' one; } | wn-enrich -C -w 2 >out 2>err
rc=$?; e=$(( $(date +%s) - s ))
same "outage: exit 0" "$rc" 0
same "outage: both records out" "$(jq -r .killmail_id out | tr '\n' ' ')" "120000000 2 "
same "outage: without names" "$(jq -r '.solar_system_name // "none"' out | sort -u)" none
check "outage: bounded wait ($e s)" test $e -lt 12
contains "outage: one warning" "$(cat err)" "ESI unavailable"
check "outage: counted as partial" test "$(counter partial)" -eq 2
same "outage: status shows it" "$(jq -r .esi "$STATUS")" down
n503=$(grep -c '"status": 503' req.log)
check "outage: a handful of attempts, not a storm ($n503)" test "$n503" -le 12
faults '[]'
run; same "ESI back: names again" "$(named)" "$FULL"

# --- SIGTERM while waiting for ESI ---
faults '["503x100000"]'
mkfifo in
wn-enrich -C -w 60 in >out 2>err &
pid=$!
exec 3>in
cat one >&3
sleep 1.5
s=$(date +%s)
kill -TERM $pid
wait $pid; rc=$?
e=$(( $(date +%s) - s ))
exec 3>&-
same "SIGTERM during a wait: exit 0" "$rc" 0
check "SIGTERM: promptly ($e s)" test $e -le 2
same "SIGTERM: the record still went out" "$(jq -r .killmail_id out)" 120000000
faults '[]'

# --- what ESI may add: unknown fields, unknown categories ---
jq -c '.attackers[0].weapon_type_id = 700001' one >mystery
rm -f req.log
wn-enrich -C mystery >out 2>err
same "an unknown category still names" "$(jq -r '.attackers[0].weapon_type_name' out)" "Mystery 700001"
same "an unknown field in an answer is ignored" "$(jq -r .victim.corporation_ticker out)" C10351

# --- a compatibility date ESI refuses: a warning, no splitting, records flow ---
rm -f req.log
WN_ESI_COMPAT_DATE=2099-01-01 wn-enrich -C one >out 2>err
same "refused request: record out" "$(jq -r .killmail_id out)" 120000000
same "refused request: one names POST, not split" "$(statuses /universe/names)" "400 "
contains "refused request: warned" "$(cat err)" "HTTP 400"

done_testing
