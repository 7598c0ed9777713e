#!/bin/sh
# wn-kills follows the map state file: the join carries its systems and
# characters; when the file changes (or on SIGHUP) the client joins again
# with the new lists on the same connection, and the server's close of
# the old channel does not make it join a third time.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
mkdir -p state

# map SYSTEMS CHARACTERS: write the map state file (atomically, like wn-mapsse)
map() {
	{
		printf '{"version":1,"map":"test","systems":['
		sep=; for s in $1; do printf '%s{"solar_system_id":%s,"name":"J%s"}' "$sep" "$s" "$s"; sep=,; done
		printf '],"characters":['
		sep=; for c in $2; do printf '%s{"character_id":%s,"name":"P%s"}' "$sep" "$c" "$c"; sep=,; done
		printf ']}\n'
	} > state/map.json.tmp && mv state/map.json.tmp state/map.json
}
last_join() { grep '"phx_join"' ws.jsonl | tail -n1 | jq -c '[.recv[4].systems, .recv[4].character_ids]'; }

start_ws
map "31001503 31000005" "2112000001"
wn-kills > out 2>err & pid=$!
wait_for "the join" 10 joins_ge 1
same "join: systems and characters from the map" "$(last_join)" '[[31000005,31001503],[2112000001]]'
cmd kill 301 31001503 5
wait_for "a kill in a mapped system" 10 has_id out 301

# -- the map changes: a new join on the same connection --
map "31000005 31002222" ""
wait_for "the second join" 10 joins_ge 2
same "re-join: the new lists" "$(last_join)" '[[31000005,31002222],[]]'
cmd kill 302 31001503 5             # no longer tracked: not sent
cmd kill 303 31002222 5             # newly tracked
wait_for "a kill in the new system" 10 has_id out 303
same "re-join: same connection" "$(opens)" 1
same "only tracked kills" "$(ids out)" "301 303"
sleep 1
same "the old channel's phx_close does not trigger another join" "$(joins)" 2

# -- SIGHUP: read again at once --
map "31003333" "2112000002"
kill -HUP $pid
wait_for "the third join" 5 joins_ge 3
same "SIGHUP: the new lists" "$(last_join)" '[[31003333],[2112000002]]'
same "SIGHUP: same connection" "$(opens)" 1
wait_for "status" 5 kstat_ge resubscribes 2
same "status: resubscribes counted" "$(kstat resubscribes)" 2

# -- a broken map file: the old lists stay, one warning --
printf '{"systems":[' > state/map.json.tmp && mv state/map.json.tmp state/map.json
sleep 1.5
same "broken map: no new join" "$(joins)" 3
contains "broken map: a warning" "$(cat err)" "map state"
cmd kill 304 31003333 5
wait_for "kills still flow" 10 has_id out 304
ok "broken map: the old subscription still works"
stop_kills $pid
same "exit 0" "$rc" 0

# -- --map FILE instead of the state directory --
: > ws.jsonl
map "31004444" ""
mv state/map.json other.json
wn-kills --map other.json > out2 2>/dev/null & pid=$!
wait_for "the join" 10 joins_ge 1
same "--map: lists from that file" "$(last_join)" '[[31004444],[]]'
stop_kills $pid
done_testing
