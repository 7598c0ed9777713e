#!/bin/sh
# wn-mapsse: usage, configuration, first load, the stream, character ids.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"

# --- usage and configuration ---
wn-mapsse -h 2>err; same "-h exits 100" $? 100
contains "-h prints usage" "$(cat err)" "usage: wn-mapsse"
same "--version" "$(wn-mapsse --version)" "wn-mapsse 0.1.0"
MAP_URL=http://127.0.0.1:9 MAP_NAME=x wn-mapsse 2>err; same "no key: exit 100" $? 100
contains "no key: says what is missing" "$(cat err)" "MAP_API_KEY"
MAP_URL=ftp://x MAP_NAME=x MAP_API_KEY=k wn-mapsse 2>err; same "bad URL: exit 100" $? 100
wn-mapsse extra 2>/dev/null; same "stray argument: exit 100" $? 100

# --- first start: the state written silently, then the stream ---
start_map
run_bg out err -v
wait_for "the deleted_system record" 10 has_line out '"action":"removed","solar_system_id":31002229'
sleep 0.3
stop
same "SIGTERM: exit 0" "$RC" 0
M=$WN_STATE_DIR/map.json
check "map.json written" test -s "$M"
same "map.json: systems after the stream" "$(jq -c '[.systems[].solar_system_id]|sort' "$M")" "[30000142,31001503]"
same "map.json: static info joined" \
	"$(jq -c '.systems[]|select(.solar_system_id==31001503)|[.name,.custom_name,.class_title,.security,.region_name,.statics]' "$M")" \
	'["J155416","Home","C4","-1.0","D-R00018",[{"name":"C247","destination":"C3"},{"name":"P060","destination":"C1"}]]'
same "map.json: k-space static info" \
	"$(jq -c '.systems[]|select(.solar_system_id==30000142)|[.system_class,.class_title,.type_description,.statics]' "$M")" \
	'[7,"0.9","High-sec",[]]'
same "map.json: the character that left is gone" "$(jq -c '[.characters[].character_id]' "$M")" "[2123456789]"
same "map.json: character keeps tickers and map uuid" \
	"$(jq -c '.characters[0]|[.name,.corporation_ticker,.alliance_id,.map_character_id]' "$M")" \
	'["Test Pilot","EXMPL",99000001,"3e5e616f-6499-4ed7-b519-e51e427fbcc6"]'
same "first start announces no existing system" "$(count out '.type!="rally_point" and .action=="added"')" 0
same "events for known systems and characters are silent" "$(count out '.type=="system" and .action!="removed"')" 0
same "four records in all" "$(grep -c . out)" 4
same "rally added: number ids, event id" \
	"$(jq -c 'select(.type=="rally_point" and .action=="added")|[.solar_system_id,.character_id,.system_name,.message,.event_id]' out)" \
	'[31001503,2123456789,"Home","Form up at the static","01KKYKZTNQRSSZ416Z22NECA85"]'
same "rally removed: ping id from payload.id" \
	"$(jq -r 'select(.type=="rally_point" and .action=="removed")|.rally_point_id' out)" \
	"198df9ff-7fb9-4180-8a99-5e883c50ead6"
same "character removed carries the EVE id" \
	"$(jq -c 'select(.type=="character")|[.action,.character_id,.name,.event_id]' out)" \
	'["removed",2123456790,"Other Pilot","01KKYM1ZHZTF5MBYWA5AQK5FQB"]'
same "system removed carries static info and time" \
	"$(jq -c 'select(.type=="system")|[.class_title,.temporary_name,.time]' out)" \
	'["C5","B1","2026-03-17T19:24:05.387290Z"]'

# what went over the wire
same "REST with the bearer key and JSON accept" \
	"$(jq -r 'select(.path|endswith("/systems"))|[.auth,.accept]|@tsv' "$REQ" | head -1)" "$(printf 'true\tapplication/json')"
S=$(jq -c 'select(.conn==1)' "$REQ")
contains "stream: bearer key" "$S" '"auth":true'
contains "stream: accept event-stream" "$S" '"accept":"text/event-stream"'
contains "stream: HTTP/1.1" "$S" '"http":"HTTP/1.1"'
contains "stream: the notifier's filter, commas encoded" "$S" 'events=add_system%2Cdeleted_system%2Csystem_metadata_changed'
contains "stream: path from the URL base, slug" "$S" '"path":"/api/maps/my-map/events/stream"'
same "static info fetched once per system" "$(requests /system-static-info)" 3
check "the key is never logged" sh -c "! grep -q '$KEY' err"
contains "map state written silently at first start" "$(cat err)" "first load writes the state silently"
C=$WN_STATE_DIR/mapsse-cursor.json
same "cursor: newest event id persisted" "$(jq -r .newest_event_id "$C")" "01KKYM2QCB5K7CWFRZ1FNA6054"
ST=$WN_STATE_DIR/status/wn-mapsse.json
same "status: records counted" "$(jq .records "$ST")" 4
same "status: stopped" "$(jq -r .state "$ST")" stopped

# --- the key from a .env file, never on the command line ---
rm -rf "$WN_STATE_DIR"
printf 'MAP_API_KEY="%s"\nMAP_NAME=my-map\n' "$KEY" >my.env
(unset MAP_API_KEY MAP_NAME; WN_ENV_FILE=$T/my.env wn-mapsse -1 >env.out 2>env.err); same ".env: loads with the key from the file" $? 0
check ".env: state written" test -s "$WN_STATE_DIR/map.json"
check ".env: key not logged" sh -c "! grep -q '$KEY' env.err"
rm -rf "$WN_STATE_DIR"
run_bg ps.out ps.err
wait_for "the state" 10 sh -c "test -s '$WN_STATE_DIR/map.json'"
check "the key is not in the process arguments" sh -c "! tr '\\0' ' ' </proc/$MPID/cmdline | grep -q '$KEY'"
stop
same "SIGTERM soon after start: exit 0" "$RC" 0

# --- --once: load, write, exit ---
rm -rf "$WN_STATE_DIR"
wn-mapsse -1 >out1 2>err1; same "--once exits 0" $? 0
same "--once writes the state" "$(jq '.systems|length' "$WN_STATE_DIR/map.json")" 3
same "--once emits nothing at a first start" "$(grep -c . out1)" 0

done_testing
