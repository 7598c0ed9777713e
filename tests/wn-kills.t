#!/bin/sh
# wn-kills against the fake WandererKills: usage, the join and its
# payload, live kills as canonical records, heartbeats, bad frames counted
# while good kills still flow, a refused join retried on the same socket.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"

# -- usage and version --
wn-kills -h 2>err; same "-h exits 100" "$?" 100
contains "-h prints usage" "$(cat err)" "usage: wn-kills"
wn-kills --bogus 2>/dev/null; same "unknown option exits 100" "$?" 100
contains "--version" "$(wn-kills --version)" "wn-kills 0.1.0"
WEBSOCKET_URL=ftp://x wn-kills -S 1 2>err; same "bad WEBSOCKET_URL exits 100" "$?" 100
contains "bad URL: one clear line" "$(cat err)" "ws://, wss://"
wn-kills -S 12,x 2>/dev/null; same "bad id list exits 100" "$?" 100

# -- join, live kills, heartbeats --
start_ws
cmd store 101 31001503 120          # before the client: comes as preload
synced
wn-kills --systems 31001503,31000005 --characters 2112000001 > out 2>err & pid=$!
wait_for "the join" 10 joins_ge 1
join=$(grep -m1 '"phx_join"' ws.jsonl | jq -c '.recv')
same "join: v2 array, join_ref = ref, topic" "$(echo "$join" | jq -c '.[0:4]')" '["1","1","killmails:lobby","phx_join"]'
same "join: systems" "$(echo "$join" | jq -c '.[4].systems')" '[31000005,31001503]'
same "join: character_ids" "$(echo "$join" | jq -c '.[4].character_ids')" '[2112000001]'
same "join: preload asked" "$(echo "$join" | jq -c '.[4].preload.enabled')" true
contains "upgrade path has vsn=2.0.0" "$(grep -m1 '"open"' ws.jsonl)" '/socket/websocket?vsn=2.0.0'
wait_for "the preloaded kill" 10 has_id out 101
ok "a preloaded kill is written"
cmd kill 102 31001503 5
cmd kill 103 30000142 5 2112000001  # tracked character, untracked system
cmd kill 104 30000142 5             # neither: the server does not send it
wait_for "live kills" 10 has_id out 103
same "records: canonical killmails" "$(jq -r '.type' out | sort -u)" killmail
same "records: ESI names" "$(jq -r 'select(.killmail_id==102) | .solar_system_id' out)" 31001503
same "records: exactly the tracked kills" "$(ids out)" "101 102 103"
wait_for "two heartbeats" 10 sh -c '[ $(grep -c "\"heartbeat\"" ws.jsonl) -ge 2 ]'
hb=$(grep -m1 '"heartbeat"' ws.jsonl | jq -c '.recv')
same "heartbeat: topic phoenix, null join_ref, payload {}" "$(echo "$hb" | jq -c '[.[0],.[2],.[3],.[4]]')" '[null,"phoenix","heartbeat",{}]'

# -- garbage: counted, the connection and later kills go on --
cmd garbage
cmd kill 105 31001503 5
wait_for "the kill after the garbage" 10 has_id out 105
ok "a good kill flows after garbage"
wait_for "status file" 5 kstat_ge bad_frames 2
wait_for "status file" 5 kstat_ge bad 1   # flushed apart from bad_frames at times
same "garbage: two bad frames counted" "$(kstat bad_frames)" 2
same "garbage: the bad killmail counted" "$(kstat bad)" 1
same "garbage: one line each on stderr" "$(grep -c 'bad frame skipped' err)" 2
same "garbage: still the first connection" "$(opens)" 1

# -- the same kill pushed four times (as v1.5 servers do): written once --
cmd dup 4
cmd kill 108 31001503 5
cmd dup 1
cmd kill 109 31001503 5
wait_for "the kill after the repeats" 10 has_id out 109
same "repeats: written once" "$(jq -r .killmail_id out | grep -c '^108$')" 1
wait_for "status" 5 kstat_ge repeats 3
check "repeats: counted" [ "$(kstat repeats)" -ge 3 ]

# -- the channel crashes: joined again on the same connection --
cmd crash
wait_for "the re-join" 10 joins_ge 2
cmd kill 106 31001503 5
wait_for "a kill after the re-join" 10 has_id out 106
same "crash: no reconnect" "$(opens)" 1
stop_kills $pid
same "SIGTERM: exit 0" "$rc" 0
same "SIGTERM: status says stopped" "$(kstat state)" stopped
same "status: kills counted" "$(kstat kills)" 7
test -n "$(kstat last_kill)"; same "status: last kill time" "$?" 0
same "newest kill time saved" "$(cat state/kills.newest)" "$(jq -r .killmail_time out | sort | tail -n1)"
same "closed with a close frame" "$(grep -c '"code":1000' ws.jsonl)" 1

# -- a refused join is retried on the same socket --
: > ws.jsonl
cmd join_error 2
# the fake reads its commands every 50 ms: start only once it took this one
wait_for "the fake to take join_error" 10 grep -q '"line": *"join_error 2"' ws.jsonl
wn-kills -S 31001503 > out2 2>err2 & pid=$!
wait_for "three joins" 30 joins_ge 3
cmd kill 107 31001503 5
wait_for "the kill after the joins" 10 has_id out2 107
ok "joined after two refusals"
same "join errors: one connection" "$(opens)" 1
contains "join errors: the reason is logged" "$(cat err2)" "too_many_systems"
stop_kills $pid
same "exit 0" "$rc" 0
done_testing
