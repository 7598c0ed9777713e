#!/bin/sh
# wn-mapsse: reconnects, replay from last_event_id, a lost replay buffer,
# restarts, and character ids resolved over REST.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"

systems_without 31002229 >sys_a.json
characters_without 2123456789 >chars_a.json
characters_without 2123456790 >chars_b.json
EV3=01KKYKXPR8Y37JTM93223W2WBW     # system_metadata_changed, the 3rd event
EV4=01KKYKYVKGTNAGX7X598G0F9S3     # add_system 31002229, the 4th
wait_end() { wait_for "$1" 10 has_line "$2" '"action":"removed","solar_system_id":31002229'; sleep 0.3; }

# --- A: drop mid-event; the replay brings the torn event once ---
start_map --conn "drop:3,stream" --systems sys_a.json --characters chars_a.json \
	--characters "$FX/characters_tracked_derived.json"
run_bg a.out a.err
wait_end "A: the last record" a.out
stop
same "A: exit 0" "$RC" 0
same "A: two stream requests" "$(jq -c 'select(.conn)' "$REQ" | grep -c .)" 2
L=$(jq -r 'select(.conn==2)|.last_event_id' "$REQ")
check "A: resumed with last_event_id (ULID, zero random part)" sh -c "echo '$L' | grep -Eq '^[0-9A-HJKMNP-TV-Z]{10}0{16}\$'"
check "A: resume point before the newest event seen" test "$L" \< "$EV3"
same "A: the torn event arrives once, from the replay" \
	"$(jq -r 'select(.type=="system" and .action=="added")|.event_id' a.out)" "$EV4"
same "A: nothing twice" "$(jq -r '.event_id' a.out | sort | uniq -d | grep -c .)" 0
same "A: resynced over REST on reconnect" "$(requests /systems)" 2
same "A: character_added resolved to the EVE id" \
	"$(jq -c 'select(.type=="character" and .action=="added")|[.character_id,.name,.corporation_ticker,.map_character_id]' a.out)" \
	'[2123456789,"Test Pilot","EXMPL","3e5e616f-6499-4ed7-b519-e51e427fbcc6"]'
same "A: tracked characters fetched again for the unknown uuid" "$(requests /tracked-characters)" 3
check "A: the character is in map.json" \
	sh -c "jq -e '.characters[]|select(.character_id==2123456789)' '$WN_STATE_DIR/map.json' >/dev/null"
check "A: duplicates counted" test "$(jq .duplicates "$WN_STATE_DIR/status/wn-mapsse.json")" -ge 1
same "A: 6 records" "$(grep -c . a.out)" 6
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=

# --- B: the server lost its replay buffer; the REST resync fills the gap ---
rm -rf "$WN_STATE_DIR" "$REQ"
start_map --conn "drop:3,lose+stream" --systems sys_a.json \
	--systems "$FX/systems_derived.json"
run_bg b.out b.err
wait_end "B: the last record" b.out
stop
same "B: the lost add_system comes from the resync, without an event id" \
	"$(jq -c 'select(.type=="system" and .action=="added")|[.solar_system_id,.event_id,.temporary_name]' b.out)" \
	'[31002229,null,"B1"]'
same "B: added once, removed once" "$(count b.out '.solar_system_id==31002229 and .type=="system"')" 2
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=

# --- C: restarts ---
rm -rf "$WN_STATE_DIR" "$REQ"
start_map --systems sys_a.json --characters chars_b.json
run_bg c1.out c1.err
wait_end "C: first run" c1.out
stop
same "C1: exit 0" "$RC" 0
same "C1: added, rally x2, character_removed passed through, removed" "$(grep -c . c1.out)" 5
run_bg c2.out c2.err
wait_for "C2: the stream" 10 sh -c "jq -e 'select(.conn==2)' '$REQ' >/dev/null"
sleep 1
stop
same "C2: a restart with nothing new emits nothing" "$(grep -c . c2.out)" 0
check "C2: resumed from the saved cursor" sh -c "jq -e 'select(.conn==2)|.last_event_id|length==26' '$REQ' >/dev/null"
check "C2: the replayed last event dropped as seen" test "$(jq .duplicates "$WN_STATE_DIR/status/wn-mapsse.json")" -ge 1
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=
# a restarted server (empty store) that plays every event again, and a map
# that changed while we were away
start_map
run_bg c3.out c3.err
wait_for "C3: the stream" 10 sh -c "jq -e 'select(.conn==1)' '$REQ' >/dev/null"
wait_for "C3: the replayed events" 10 sh -c "test \"\$(jq .duplicates '$WN_STATE_DIR/status/wn-mapsse.json')\" -ge 8"
stop
same "C3: the differences against the saved state, nothing else" \
	"$(jq -c '[.type,.action,(.solar_system_id // .character_id),.event_id]' c3.out | sort | tr '\n' ' ')" \
	'["character","added",2123456790,null] ["system","added",31002229,null] '
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=

# --- D: a character the tracked list does not know ---
rm -rf "$WN_STATE_DIR" "$REQ"
start_map --characters chars_a.json
run_bg d.out d.err
wait_end "D: the last record" d.out
stop
same "D: passed through with its payload" \
	"$(jq -c 'select(.type=="character_added")|[.event_id,.payload.name]' d.out)" \
	'["01KKYKWFSA7QZCH0DW95C2F54G","Test Pilot"]'
contains "D: warned" "$(cat d.err)" "not among the tracked characters"
same "D: no character record without an EVE id" "$(count d.out '.type=="character" and .character_id==null')" 0

# --- F: the resync after a reconnect fails; it is retried while streaming ---
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=
rm -rf "$WN_STATE_DIR" "$REQ"
start_map --conn "drop:3,lose+stream" --systems sys_a.json --systems sys_a.json \
	--systems "$FX/systems_derived.json" --rest-fail systems:2 --interval 0.3
run_bg f.out f.err
wait_end "F: the last record" f.out
stop
contains "F: the failed resync is reported" "$(cat f.err)" "systems: HTTP 500"
same "F: the retried resync fills the gap" \
	"$(jq -c 'select(.type=="system" and .action=="added")|[.solar_system_id,.event_id]' f.out)" '[31002229,null]'
same "F: one stream reconnect only" "$(jq -c 'select(.conn)' "$REQ" | grep -c .)" 2

# --- E: a first start replays from just before its load ---
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=
rm -rf "$WN_STATE_DIR" "$REQ"
start_map --fresh-ids --prepublish 5 --systems sys_a.json
run_bg e.out e.err
wait_end "E: the last record" e.out
stop
L=$(jq -r 'select(.conn==1)|.last_event_id' "$REQ")
check "E: first stream asks for a replay (zero random part)" sh -c "echo '$L' | grep -Eq '^[0-9A-HJKMNP-TV-Z]{10}0{16}\$'"
same "E: events from before the stream opened still arrive" \
	"$(jq -r 'select(.type=="rally_point" or (.type=="system" and .action=="added"))|.type' e.out | sort | tr '\n' ' ')" \
	"rally_point rally_point system "

done_testing
