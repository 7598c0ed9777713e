#!/bin/sh
# wn-mapsse: what the stream can throw at it — split writes, duplicates,
# out-of-order delivery, bad data, unknown and oversize events, every type.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"

fresh() { kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; rm -rf "$WN_STATE_DIR" "$REQ"; }
nrec() { [ "$(grep -c . "$1")" -ge "$2" ]; }
WANT='01KKYKZTNQRSSZ416Z22NECA85 01KKYM1BA4EHH43AV3Z6Q9X3XF 01KKYM1ZHZTF5MBYWA5AQK5FQB 01KKYM2QCB5K7CWFRZ1FNA6054 '
ids() { jq -r .event_id "$1" | sort | tr '\n' ' '; }
status() { jq ".$1" "$WN_STATE_DIR/status/wn-mapsse.json"; }

# --- writes split at arbitrary bytes ---
start_map --split
run_bg a.out a.err
wait_for "four records" 10 nrec a.out 4
sleep 0.3; stop
same "split writes: the same records" "$(ids a.out)" "$WANT"

# --- every event twice ---
fresh
start_map --conn stream+dup
run_bg d.out d.err
wait_for "four records" 10 nrec d.out 4
sleep 0.5; stop
same "duplicates: each record once" "$(ids d.out)" "$WANT"
check "duplicates: counted" test "$(status duplicates)" -ge 8

# --- out of order ---
fresh
start_map --conn stream+swap
run_bg s.out s.err
wait_for "four records" 10 nrec s.out 4
sleep 0.5; stop
same "swapped pairs: each record once" "$(ids s.out)" "$WANT"
same "swapped pairs: the removal still lands" "$(jq '.systems|length' "$WN_STATE_DIR/map.json")" 2

# --- bad data, an unknown type, an event over the size bound ---
fresh
start_map --conn stream+bad+unknown+big:20000
run_bg b.out b.err -x 10000
wait_for "four records" 10 nrec b.out 5
sleep 0.3; stop
same "bad input: exit 0" "$RC" 0
contains "bad data: one line" "$(cat b.err)" "bad data, skipped"
same "bad data: counted" "$(status bad_events)" 1
same "unknown type: passed through" \
	"$(jq -c 'select(.type=="wormhole_collapsed")|[.payload.x,.time]' b.out)" '[1,"2026-03-17T19:30:00.000000Z"]'
same "oversize: dropped and counted" "$(status oversize_events)" 1
same "oversize: no map_kill record" "$(count b.out '.type=="map_kill"')" 0
same "the good records around them flow" "$(jq -r 'select(.type!="wormhole_collapsed")|.event_id' b.out | sort | tr '\n' ' ')" "$WANT"

# --- a big event within the bound ---
fresh
start_map --conn stream+big:200000
run_bg g.out g.err
wait_for "records" 10 nrec g.out 5
sleep 0.3; stop
same "big map_kill passed through whole" "$(jq -r 'select(.type=="map_kill")|.payload.pad|length' g.out)" 200000

# --- every deliverable type, no filter ---
fresh
start_map --sse "$FX/sse_derived_all_events.txt"
run_bg all.out all.err -e '*'
wait_for "the last event" 10 has_line all.out 01KKYM4CJYPAKRDBDPTQTVVQMH
sleep 0.3; stop
same "all types: exit 0" "$RC" 0
same "all types: no events parameter with *" "$(jq -r 'select(.conn==1)|.events' "$REQ")" null
same "all types: 16 records (4 events only confirm what REST said)" "$(grep -c . all.out)" 16
same "all types: passed-through kinds" \
	"$(jq -r 'select(has("payload"))|.type' all.out | sort -u | tr '\n' ' ')" \
	"acl_member_added acl_member_removed acl_member_updated connection_added connection_removed connection_updated map_kill signature_added signature_removed signatures_updated "
same "all types: map_kill payload intact" \
	"$(jq -c 'select(.type=="map_kill" and .payload.type=="killmail_update")|.payload.killmails[0].killmail_id' all.out | grep -c .)" 1
check "all types: no warnings" sh -c "! grep -q warn all.err"

# --- a custom filter list, spaces trimmed ---
fresh
start_map
run_bg f.out f.err -e 'rally_point_added, rally_point_removed'
wait_for "two records" 10 nrec f.out 2
sleep 0.3; stop
same "filter: sent as given" "$(jq -r 'select(.conn==1)|.events' "$REQ")" "rally_point_added,rally_point_removed"
same "filter: only those types" "$(jq -r .type f.out | sort -u)" rally_point

# --- a system the static data does not know, added twice ---
fresh
ev() {	# ev TYPE ID PAYLOAD
	printf 'event: %s\nid: %s\ndata: {"id":"%s","map_id":"65436ae5-1838-4074-9b12-9020b0bf67e7","payload":%s,"timestamp":"2026-03-17T19:30:00.000000Z","type":"%s"}\n\n' \
		"$1" "$2" "$2" "$3" "$1"
}
{ ev add_system 01KKYN00000000000000000001 '{"position_x":1,"position_y":2,"solar_system_id":31009999}'
  ev deleted_system 01KKYN00000000000000000002 '{"name":null,"position_x":null,"position_y":null,"solar_system_id":31009999}'
  ev add_system 01KKYN00000000000000000003 '{"name":"Frontier","position_x":1,"position_y":2,"solar_system_id":"31009999"}'
} >unknown.sse
start_map --sse unknown.sse
run_bg u.out u.err
wait_for "three records" 10 nrec u.out 3
sleep 0.3; stop
same "unknown system: named by its id, no static info" \
	"$(jq -c 'select(.event_id=="01KKYN00000000000000000001")|[.action,.name,.system_class,.statics]' u.out)" \
	'["added","System 31009999",null,[]]'
same "unknown system: removed, then added again with its name (id as a string)" \
	"$(jq -c 'select(.solar_system_id==31009999)|[.action,.name]' u.out | tr '\n' ' ')" \
	'["added","System 31009999"] ["removed","System 31009999"] ["added","Frontier"] '
same "unknown system: static info asked once (a 404 is remembered)" \
	"$(jq -r 'select(.query=="id=31009999")|.path' "$REQ" | grep -c .)" 1

# --- system_metadata_changed: names and status are news, moves are not ---
fresh
grep -A2 '^event: system_metadata_changed' "$FX/sse_derived_notifier_filter.txt" >meta1
sed -e 's/01KKYKXPR8Y37JTM93223W2WBW/01KKYKXPR8Y37JTM93223W2WBX/g' \
	-e 's/"position_x":1125/"position_x":2000/' meta1 >move
sed -e 's/01KKYKXPR8Y37JTM93223W2WBW/01KKYKXPR8Y37JTM93223W2WBY/g' \
	-e 's/"name":"Home"/"name":"Staging"/' -e 's/"status":8/"status":3/' meta1 >rename
sed -e 's/01KKYKXPR8Y37JTM93223W2WBY/01KKYKXPR8Y37JTM93223W2WBZ/g' \
	-e 's/"name":"Staging"/"name":"J155416"/' -e 's/"temporary_name":null/"temporary_name":"A1"/' rename >temp
{ cat move; echo; cat rename; echo; cat temp; echo; } >meta.sse
start_map --sse meta.sse
run_bg mt.out mt.err
wait_for "two updates" 10 nrec mt.out 2
sleep 0.3; stop
same "metadata: a move is not a record" "$(count mt.out '.event_id=="01KKYKXPR8Y37JTM93223W2WBX"')" 0
same "metadata: a rename and a status change are" \
	"$(jq -c 'select(.event_id=="01KKYKXPR8Y37JTM93223W2WBY")|[.type,.action,.name,.custom_name,.status,.class_title]' mt.out)" \
	'["system","updated","J155416","Staging",3,"C4"]'
same "metadata: a temporary name is, and the custom name stays" \
	"$(jq -c 'select(.event_id=="01KKYKXPR8Y37JTM93223W2WBZ")|[.custom_name,.temporary_name]' mt.out)" \
	'["Staging","A1"]'
same "metadata: map.json follows" \
	"$(jq -c '.systems[]|select(.solar_system_id==31001503)|[.custom_name,.temporary_name,.status]' "$WN_STATE_DIR/map.json")" \
	'["Staging","A1",3]'

done_testing
