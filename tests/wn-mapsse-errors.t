#!/bin/sh
# wn-mapsse: refusals (401, 404, SSE disabled), retries with growing
# backoff, a 200 that closes at once, stalls, keepalive-only streams.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"

systems_without 31002229 >sys_a.json
conns() { jq -c 'select(.conn)' "$REQ" 2>/dev/null | grep -c .; }
conns_at_least() { [ "$(conns)" -ge "$1" ]; }
fresh() { kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; rm -rf "$WN_STATE_DIR" "$REQ"; }

# --- configuration errors: exit 100, said clearly ---
start_map --conn status:401
timeout 10 wn-mapsse -b 50 >o 2>e401; same "stream 401: exit 100" $? 100
contains "stream 401: names MAP_API_KEY" "$(cat e401)" "MAP_API_KEY"
contains "stream 401: server's reason" "$(cat e401)" "invalid token for map"
MAP_API_KEY=wrong-key timeout 10 wn-mapsse >o 2>erest; same "REST 401: exit 100" $? 100
contains "REST 401: names MAP_API_KEY" "$(cat erest)" "MAP_API_KEY"
MAP_NAME=no-such-map timeout 10 wn-mapsse >o 2>e404; same "404: exit 100" $? 100
contains "404: names MAP_NAME" "$(cat e404)" "map not found (check MAP_NAME"
contains "404: server's reason" "$(cat e404)" "Map not found for identifier: no-such-map"
fresh

start_map --conn status:404
timeout 10 wn-mapsse >o 2>e; same "stream 404: exit 100" $? 100

# --- SSE disabled on the server (503): poll REST instead ---
fresh
start_map --conn status:503,stream --systems sys_a.json --systems sys_a.json \
	--systems "$FX/systems_derived.json"
run_bg p.out p.err -i 0.2 -r 2
wait_for "a poll that finds the new system" 10 has_line p.out '"solar_system_id":31002229'
contains "503: says SSE is disabled and polls" "$(cat p.err)" "SSE is disabled (HTTP 503"
same "503: state polling" "$(jq -r .state "$WN_STATE_DIR/status/wn-mapsse.json")" polling
same "503: the polled change, once, without event id" \
	"$(jq -c 'select(.type=="system")|[.action,.event_id]' p.out)" '["added",null]'
wait_for "SSE tried again" 10 conns_at_least 2
wait_for "the stream after the retry" 10 has_line p.out '"type":"rally_point"'
stop
same "503: exit 0 on SIGTERM" "$RC" 0

# --- SSE disabled for the map (403 SSE_DISABLED_FOR_MAP) ---
fresh
start_map --conn status:403map --systems sys_a.json --systems "$FX/systems_derived.json"
run_bg m.out m.err -i 0.2
wait_for "a poll" 10 has_line m.out '"solar_system_id":31002229'
stop
contains "403 map: says so, with the code" "$(cat m.err)" "SSE_DISABLED_FOR_MAP"
same "403 map: one stream request only" "$(conns)" 1

# --- 5xx and a plain 403 are retried ---
fresh
start_map --conn status:500,status:502,stream
run_bg r.out r.err
wait_for "records after the retries" 10 has_line r.out '"type":"rally_point"'
stop
contains "500: reported" "$(cat r.err)" "HTTP 500"
contains "502: reported" "$(cat r.err)" "HTTP 502"
same "three stream requests" "$(conns)" 3

# --- 200 then close before any event: backoff grows ---
fresh
start_map --conn close,close,close,stream
run_bg x.out x.err -b 300
wait_for "records after the refusals" 10 has_line x.out '"type":"rally_point"'
stop
contains "close: named as a failure" "$(cat x.err)" "closed before its connected event"
jq -r 'select(.conn)|.t' "$REQ" >times
g1=$(awk 'NR==2{print $1-p} {p=$1}' times); g2=$(awk 'NR==3{print $1-p} {p=$1}' times)
g3=$(awk 'NR==4{print $1-p} {p=$1}' times)
check "close: the delay grows ($g1 < $g2 < $g3)" awk "BEGIN{exit !($g1 < $g2 && $g2 < $g3 && $g1 >= 0.3)}"

# --- a stream silent past its deadline is reopened ---
fresh
start_map --conn silent,stream
run_bg s.out s.err -k 0.6
wait_for "records on the second stream" 10 has_line s.out '"type":"rally_point"'
stop
contains "stall: reported" "$(cat s.err)" "silent past its keepalive deadline"
same "stall: counted" "$(jq .stalls "$WN_STATE_DIR/status/wn-mapsse.json")" 1

# --- keepalives alone keep a stream alive ---
fresh
start_map --conn idle --keepalive 0.2
run_bg k.out k.err -k 1
sleep 2.5
stop
same "keepalives: one stream, no reconnect" "$(conns)" 1
same "keepalives: no records" "$(grep -c . k.out)" 0

# --- 429 and a plain 403: at least a minute ---
for code in 429 403; do
	fresh
	start_map --conn status:$code,stream
	run_bg t.out t.err
	sleep 1.5
	stop
	same "$code: no quick retry" "$(conns)" 1
	check "$code: waits a minute or more" grep -Eq 'reconnecting in (6[0-9]|[7-9][0-9])\.' t.err
done
contains "403: the server's reason" "$(cat t.err)" "Public API is disabled"

# --- nobody listening: the load is retried, SIGTERM still exits 0 ---
fresh
MAP_URL=http://127.0.0.1:9 run_bg n.out n.err
sleep 1
stop
same "refused: exit 0 on SIGTERM" "$RC" 0
contains "refused: retried" "$(cat n.err)" "initial map load failed"

check "the key never reaches a log" sh -c "! cat *.err e401 erest e404 | grep -q '$KEY'"
done_testing
