#!/bin/sh
# wn-filter.t — the real binary on the fixtures: every killmail shape,
# map events, each rule, bad input between good records, several inputs
# and FIFOs, map reload on change and on SIGHUP, priority systems.
. "$WN_ROOT/tests/lib.sh"

K=$WN_FIXTURES/kills
M=$WN_FIXTURES/map
STATUS=$WN_STATE_DIR/status/wn-filter.json
mkdir -p "$WN_STATE_DIR"

# The map state, built from the map API fixtures the way wn-mapsse keeps it.
mkmap() {	# mkmap FILE [extra system id]
	jq -n --slurpfile s "$M/systems_derived.json" --slurpfile c "$M/characters_tracked_derived.json" \
		--argjson extra "${2:-0}" '{version: 1, map: "test", updated: "2026-03-17T19:21:20Z",
		systems: ([$s[0].data.systems[] | {solar_system_id, name, custom_name, temporary_name}]
		          + (if $extra > 0 then [{solar_system_id: $extra, name: "X"}] else [] end)),
		characters: [$c[0].data[].character | {character_id: (.eve_id | tonumber), name,
		             corporation_id, alliance_id}]}' >"$1.tmp" && mv "$1.tmp" "$1"
}
mkmap "$WN_STATE_DIR/map.json"

# One canonical killmail per line from the ESI+zkb fixture, with changes.
canon() {	# canon 'jq assignments'
	jq -c "{type: \"killmail\"} + . | $1" "$K/esi_with_zkb.json"
}
HOME_K=$(canon '.solar_system_id = 31001503 | .killmail_id = 1')
LOSS_K=$(canon '.killmail_id = 2 | .victim.character_id = 2123456789')
KILL_K=$(canon '.killmail_id = 3 | .attackers[2].character_id = "2123456790"')
NONE_K=$(canon '.killmail_id = 4')
BOTH_K=$(canon '.killmail_id = 5 | .solar_system_id = 31002229 | .attackers[0].character_id = 2123456789')

filter() { wn-filter --replay "$@" 2>"$T/err"; }
ids() { jq -r '.killmail_id // .solar_system_id // .character_id // .rally_point_id' | tr '\n' ' '; }
field() { jq -r "$1" | tr '\n' ' '; }

# --- routing with the map state ---
printf '%s\n' "$HOME_K" "$LOSS_K" "$KILL_K" "$NONE_K" "$BOTH_K" >kills.ndjson
filter kills.ndjson >out
same "tracked system, victim, attacker, both; untracked dropped" "$(ids <out)" "1 2 3 5 "
same "kinds" "$(field .notify.kind <out)" "system_kill character_kill character_kill character_kill "
same "roles" "$(field .notify.role <out)" "null loss kill kill "
same "tracked characters listed" "$(jq -c .notify.tracked_characters <out | tr '\n' ' ')" \
	"[] [2123456789] [2123456790] [2123456789] "
same "reason" "$(sed -n 2p out | jq -r .notify.reason)" "tracked character 2123456789 lost a ship"
same "counted in the status file" "$(counter received) $(counter passed) $(counter dropped_untracked)" "5 4 1"

# bytes pass through: output = input with the notify object spliced in
sed -n 1p out | sed 's/,"notify":{[^{}]*}}$/}/' >got
printf '%s\n' "$HOME_K" >want
check "original bytes kept, notify added before the final brace" cmp -s got want
same "one notify key" "$(sed -n 1p out | grep -o '"notify"' | wc -l | tr -d ' ')" 1

# the map's own name for the system, for the kill title: custom, else
# temporary, else none (the formatter then uses the EVE name)
printf '%s\n' "$HOME_K" "$(canon '.killmail_id = 6 | .solar_system_id = 31002229')" \
	"$(canon '.killmail_id = 7 | .solar_system_id = 30000142')" | filter >named
same "notify.system_name: custom name, temporary name, none" \
	"$(field '.notify.system_name // "-"' <named)" "Home B1 - "
printf '%s\n' "$HOME_K" | filter --systems 31001503 >named
same "no map name in a replay without the map" "$(field '.notify.system_name // "-"' <named)" "- "
jq -c '.systems[0].custom_name = ("\u00e9" * 100)' "$WN_STATE_DIR/map.json" >long.json
printf '%s\n' "$HOME_K" | filter --map long.json >named
same "a long map name is cut at 63 characters, whole UTF-8 sequences" \
	"$(jq -r '.notify.system_name | length' named) $(jq -r '.notify.system_name' named | iconv -f UTF-8 -t UTF-8 >/dev/null && echo valid)" \
	"63 valid"

# a record that already has a notify gets a fresh one, not a second key
printf '%s\n' "$HOME_K" | jq -c '.notify = {"kind": "old"}' | filter >out2
same "old notify replaced" "$(grep -o '"notify"' out2 | wc -l | tr -d ' ') $(field .notify.kind <out2)" "1 system_kill "

# --- replays without a map ---
printf '%s\n' "$NONE_K" | filter --systems 30002552 >out
same "--systems" "$(field .notify.kind <out)" "system_kill "
printf '%s\n' "$NONE_K" | filter --characters 623502199 >out
same "--characters (attacker)" "$(field .notify.role <out)" "kill "
printf '%s\n' "$NONE_K" | filter --systems 1 --characters 2 >out
same "--systems/--characters replace the map" "$(wc -l <out | tr -d ' ')" 0
printf '%s\n' "$NONE_K" | filter --map "$WN_STATE_DIR/map.json" --systems 30002552 >out
same "--map with --systems: both count" "$(ids <out)" "4 "

# --- other killmail shapes are normalised ---
natt=$(jq '.attackers | length' "$K/esi_killmail.json")
for f in esi_killmail esi_with_zkb r2z2_file redisq_package wanderer_kills_killmail; do
	jq -c . "$K/$f.json" | filter --systems 30002552 >out
	same "$f: passes as the canonical record" \
		"$(jq -c '[.type, .killmail_id, .solar_system_id, .killmail_time, .victim.character_id, (.attackers | length), .notify.kind]' <out)" \
		"[\"killmail\",120000000,30002552,\"2026-11-01T23:19:06Z\",398512676,$natt,\"system_kill\"]"
done
# captured payloads: killmails pass in their system, the rest is refused
for f in "$K"/captured/killmail_*.json "$K"/captured/synth_killmail_*.json; do
	sys=$(jq '.solar_system_id // .system_id // .killmail.solar_system_id' "$f")
	jq -c . "$f" | filter --systems "$sys" >out
	same "${f##*/}: passes" "$(jq -c '[.type, .solar_system_id, .notify.kind]' <out)" "[\"killmail\",$sys,\"system_kill\"]"
done
for f in http_kills_system_response_docs zkb_encoder_test esi_killmail_422_error redisq_package_null; do
	jq -c . "$K/captured/$f.json" | filter --systems 30000142 >out
	same "$f: refused with a warning" "$(wc -l <out | tr -d ' ') $(grep -c '^wn-filter: warning: -:1: ' "$T/err")" "0 1"
done
jq -c . "$K/ws_frame_v2.json" | filter --systems 30002552 >out
same "a WebSocket frame is not a killmail" "$(wc -l <out | tr -d ' ') $(grep -c 'warning: -:1:' "$T/err")" "0 1"
jq -c . "$K/esi_killmail.json" | filter --systems 1 >out
same "untracked ESI killmail dropped" "$(wc -l <out | tr -d ' ')" 0

# --- each rule ---
rule() {	# rule "what" expected-ids env... -- records on stdin
	what=$1 want=$2; shift 2
	got=$(env "$@" wn-filter --replay 2>/dev/null | ids)
	same "$what" "$got" "$want"
}
printf '%s\n' "$HOME_K" "$LOSS_K" >k2
rule "KILL_NOTIFICATIONS_ENABLED=false" "" KILL_NOTIFICATIONS_ENABLED=false <k2
rule "NOTIFICATIONS_ENABLED=false" "" NOTIFICATIONS_ENABLED=false <k2
rule "WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED" "1 " WORMHOLE_ONLY_KILL_NOTIFICATIONS_ENABLED=true <k2
rule "TRACK_KSPACE_ENABLED=false keeps character kills" "1 2 " TRACK_KSPACE_ENABLED=false <k2
rule "CHARACTER_EXCLUDE_LIST" "1 " CHARACTER_EXCLUDE_LIST=2123456789 <k2
rule "WN_EXCLUDE_CORPORATIONS (victim corp)" "" WN_EXCLUDE_CORPORATIONS=98310351 <k2
rule "WN_INCLUDE_ALLIANCES (attacker alliance)" "1 2 " WN_INCLUDE_ALLIANCES=99011211 <k2
rule "WN_INCLUDE_CORPORATIONS, none involved" "" WN_INCLUDE_CORPORATIONS=5 <k2
printf '%s\n' "$HOME_K" | jq -c '.zkb.npc = true' >k3
printf '%s\n' "$LOSS_K" | jq -c '.zkb.totalValue = 1000' >>k3
rule "WN_EXCLUDE_NPC_KILLS" "2 " WN_EXCLUDE_NPC_KILLS=yes <k3
rule "WN_MIN_KILL_VALUE" "1 " WN_MIN_KILL_VALUE=1000000 <k3
same "--no-npc --min-value" "$(wn-filter -r --no-npc --min-value 1000000 <k3 2>/dev/null | ids)" ""
printf '%s\n' "$HOME_K" | jq -c '.zkb.labels = ["pvp", "solo"]' >k4
printf '%s\n' "$LOSS_K" | jq -c '.zkb.labels = ["pvp", "ganked"]' >>k4
rule "WN_INCLUDE_LABELS" "1 " WN_INCLUDE_LABELS=solo <k4
rule "WN_EXCLUDE_LABELS" "1 " WN_EXCLUDE_LABELS=ganked,awox <k4
printf '%s\n' "$HOME_K" >k5
same "CORPORATION_KILL_FOCUS routes to the character channel" \
	"$(CORPORATION_KILL_FOCUS=98139716 wn-filter -r <k5 2>/dev/null | jq -c '[.notify.kind, .notify.reason]')" \
	'["character_kill","corporation 98139716 is in CORPORATION_KILL_FOCUS"]'

# age: against --now, off by default in replays, MAX_KILLMAIL_AGE_SECONDS
same "--now + --max-age: old kill dropped" \
	"$(wn-filter -r --max-age 3600 --now 2026-11-02T00:19:07Z --systems 30002552 <k5 2>/dev/null | wc -l | tr -d ' ')" 0
same "--now + --max-age: recent kill kept" \
	"$(wn-filter -r --max-age 3600 --now 2026-11-02T00:19:06Z --systems 30002552 <kills.ndjson 2>/dev/null | ids)" "2 3 4 "
same "live mode: age against the clock" \
	"$(MAX_KILLMAIL_AGE_SECONDS=60 wn-filter --live --no-suppress <kills.ndjson 2>/dev/null | wc -l | tr -d ' ')" 0
same "replay with --now: the age limit applies (54 s old)" \
	"$(MAX_KILLMAIL_AGE_SECONDS=60 wn-filter --now 2026-11-01T23:20:00Z <kills.ndjson 2>/dev/null | ids)" "1 2 3 5 "
same "replay with --now: the age limit applies (64 s old)" \
	"$(MAX_KILLMAIL_AGE_SECONDS=60 wn-filter --now 2026-11-01T23:20:10Z <kills.ndjson 2>/dev/null | ids)" ""
same "replay: no age limit by default" "$(MAX_KILLMAIL_AGE_SECONDS=60 wn-filter <kills.ndjson 2>/dev/null | wc -l | tr -d ' ')" 4

# dedup
printf '%s\n' "$HOME_K" "$HOME_K" "$LOSS_K" "$HOME_K" | filter >out
same "duplicate killmail ids dropped" "$(ids <out)" "1 2 "
same "duplicates counted" "$(counter dropped_duplicate)" 2

# --- map events ---
sys_rec() { jq -nc --argjson id "$1" --arg a "$2" '{type: "system", action: $a, solar_system_id: $id, name: "J155416", event_id: null}'; }
chr_rec() { jq -nc --argjson id "$1" --arg a "$2" '{type: "character", action: $a, character_id: $id, name: "Test Pilot"}'; }
rally_rec() {	# from the map server's rally_point_added payload
	jq -c --arg a "$1" '{type: "rally_point", action: $a, rally_point_id, solar_system_id: (.solar_system_id | tonumber),
		system_name, character_id: .character_eve_id, character_name, message, created_at, event_id: null}' \
		"$M/payload_rally_point_added_server_test.json"
}
{
	sys_rec 31001503 added; sys_rec 31001503 added; sys_rec 31002229 updated
	chr_rec 2123456789 added; chr_rec 2123456790 removed; rally_rec added; rally_rec removed
	jq -c '.[]' "$M/events_derived_all_types.json"   # raw SSE events: not ours
} >events
filter events >out
same "system added, character added, rally added; the rest dropped" \
	"$(jq -r .type <out | tr '\n' ' ')" "system character rally_point "
sed -n 1p out | sed 's/,"notify":{[^{}]*}}$/}/' >got
sed -n 1p events >want
check "map event bytes kept too" cmp -s got want
same "rally point: no roles, no mention" "$(sed -n 3p out | jq -c '[.notify.kind, .notify.mention, .notify.reason]')" \
	'["rally_point",null,"rally point created in J123456"]'
same "other map events counted" "$(counter other_events)" "$(jq length "$M/events_derived_all_types.json")"
jq -nc '{type: "system", action: "added"}, {type: "character", action: "added"}, {type: "rally_point", action: "added", rally_point_id: "r9"}' |
	filter >out
same "map events without their id or system: warned" "$(wc -l <out | tr -d ' ') $(grep -c 'without' "$T/err")" "0 3"
contains "... naming what is missing" "$(cat "$T/err")" "-:3: rally_point record without system_name"
same "rally mention from DISCORD_RALLY_GROUP_IDS" \
	"$(rally_rec added | DISCORD_RALLY_GROUP_IDS=111,222 wn-filter -r 2>/dev/null | field .notify.mention)" "<@&111> <@&222> "
same "WN_NOTIFY_REMOVED_ENABLED" "$(WN_NOTIFY_REMOVED_ENABLED=true wn-filter -r <events 2>/dev/null | field .action)" \
	"added added removed added "
same "SYSTEM_NOTIFICATIONS_ENABLED=false" "$(SYSTEM_NOTIFICATIONS_ENABLED=false wn-filter -r <events 2>/dev/null | field .type)" \
	"character rally_point "
same "RALLY/CHARACTER_NOTIFICATIONS_ENABLED=false" \
	"$(RALLY_NOTIFICATIONS_ENABLED=0 CHARACTER_NOTIFICATIONS_ENABLED=off wn-filter -r <events 2>/dev/null | field .type)" "system "

# --- priority systems: persisted file, --priority, @here ---
wn-filter --add-priority 31001503,31000005 >plist 2>"$T/err"
same "--add-priority writes the state file" "$(grep -v '^#' "$WN_STATE_DIR/priority_systems" | tr '\n' ' ')" "31000005 31001503 "
wn-filter --remove-priority 31000005 >/dev/null 2>&1
same "--remove-priority / --list-priority" "$(wn-filter --list-priority | tr '\n' ' ')" "31001503 "
same "priority system: @here even with system notifications off" \
	"$(sys_rec 31001503 added | SYSTEM_NOTIFICATIONS_ENABLED=false wn-filter -r 2>/dev/null | jq -c '[.notify.priority, .notify.mention]')" '[true,"@here"]'
same "priority-only mode drops the others" \
	"$({ sys_rec 31001503 added; sys_rec 31002229 added; } | PRIORITY_SYSTEMS_ONLY_ENABLED=true wn-filter -r 2>/dev/null | ids)" "31001503 "
same "--priority for one run" "$(sys_rec 31002229 added | wn-filter -r --priority 31002229 2>/dev/null | field .notify.mention)" "@here "
same "priority flag on kills, no mention" "$(printf '%s\n' "$HOME_K" | filter | jq -c '[.notify.priority, .notify.mention]')" '[true,null]'
rm -f "$WN_STATE_DIR/priority_systems"

# --- bad input: warned with name and line, counted, neighbours flow ---
deep=$(awk 'BEGIN { for (i = 0; i < 70; i++) printf "["; for (i = 0; i < 70; i++) printf "]" }')
big=$(awk 'BEGIN { printf "{\"type\":\"killmail\",\"pad\":\""; for (i = 0; i < 9000; i++) printf "x"; printf "\"}" }')
{
	echo "$HOME_K"
	echo '{"type":"killmail","killmail_id":7,'                        # truncated
	printf '%s\n' '{"type":"killmail","killmail_id":11,"solar_system_id":31001503,"s":"\q"}'  # bad escape
	printf '%s\n' "$HOME_K" | jq -c '.killmail_id = 8 | .solar_system_name = "J\u00e9"' | sed "s/J\xc3\xa9/J\xe9/"
	echo "{\"type\":\"killmail\",\"killmail_id\":9,\"solar_system_id\":31001503,\"x\":$deep}"
	echo "$big"
	echo '{"type":"killmail","killmail_id":10}'                      # no system
	echo 'not json at all'
	echo "$LOSS_K"
} >bad.ndjson
wn-filter -r -x 8192 bad.ndjson >out 2>err
same "good records around bad ones still flow" "$(ids <out)" "1 2 "
contains "truncated line named by file:line" "$(cat err)" "bad.ndjson:2: malformed JSON"
contains "invalid UTF-8 in a passing record" "$(cat err)" "bad.ndjson:4: invalid UTF-8"
contains "bad escape" "$(cat err)" "bad.ndjson:3: malformed JSON at byte 67: bad escape in a string"
contains "deep nesting" "$(cat err)" "bad.ndjson:5: malformed JSON at byte"
contains "deep nesting reason" "$(cat err)" "nesting too deep"
contains "oversize line" "$(cat err)" "bad.ndjson:6: line longer than 8192 bytes"
contains "missing fields" "$(cat err)" "bad.ndjson:7:"
contains "not JSON" "$(cat err)" "bad.ndjson:8: not a JSON object"
same "each bad line counted once" "$(counter bad_input)" 7
same "one warning line each" "$(grep -c 'warning' err)" 7
wn-filter -r --strict bad.ndjson >out 2>err; rc=$?
same "--strict: first bad line is fatal, exit 100" "$rc $(ids <out)" "100 1 "
contains "--strict names the line" "$(cat err)" "bad.ndjson:2:"

# --- several inputs, FIFOs included, never interleaved ---
mkfifo f1 f2
wn-filter --no-suppress --max-age 0 f1 f2 - <kills.ndjson >multi 2>err &
pid=$!
{ for i in 101 102 103; do canon ".killmail_id = $i | .solar_system_id = 31001503"; done; } >f1 &
{ for i in 201 202; do canon ".killmail_id = $i | .solar_system_id = 31001503"; done; } >f2 &
wait $pid; rc=$?
same "FIFOs and stdin read together" "$rc $(ids <multi | tr ' ' '\n' | sort -n | tr '\n' ' ')" "0 1 2 3 5 101 102 103 201 202 "
check "every output line is one whole record" sh -c "jq -c . multi >/dev/null"

# --- live: startup window, map reload on change and on SIGHUP ---
mkfifo live
STARTUP_SUPPRESSION_SECONDS=2 wn-filter --max-age 0 live >lout 2>lerr &
pid=$!
exec 3>live
canon '.killmail_id = 301 | .solar_system_id = 31009999' >&3
canon '.killmail_id = 302 | .solar_system_id = 31001503' >&3
sleep 2.3
canon '.killmail_id = 303 | .solar_system_id = 31001503' >&3
wait_for "kill 303" 5 grep -q '"killmail_id":303' lout
same "startup window: early kill suppressed, later one passes" "$(ids <lout)" "303 "
mkmap "$WN_STATE_DIR/map.json" 31009999
sleep 1.3
canon '.killmail_id = 304 | .solar_system_id = 31009999' >&3
wait_for "kill 304" 5 grep -q '"killmail_id":304' lout
contains "map reloaded when the file changed" "$(ids <lout)" "304"
# change the file without changing size, mtime or inode: only SIGHUP sees it
stamp=$(stat -c %y "$WN_STATE_DIR/map.json")
sed 's/31009999/31009998/' "$WN_STATE_DIR/map.json" >m2
dd if=m2 of="$WN_STATE_DIR/map.json" conv=notrunc 2>/dev/null
touch -d "$stamp" "$WN_STATE_DIR/map.json"
sleep 1.3
canon '.killmail_id = 305 | .solar_system_id = 31009998' >&3
sleep 0.5
kill -HUP $pid
sleep 0.3
canon '.killmail_id = 306 | .solar_system_id = 31009998' >&3
wait_for "kill 306" 5 grep -q '"killmail_id":306' lout
same "SIGHUP reloads the map" "$(ids <lout)" "303 304 306 "
kill -TERM $pid
wait $pid; rc=$?
exec 3>&-
same "SIGTERM: exit 0" "$rc" 0
same "status file says stopped" "$(jq -r .state "$STATUS")" stopped

# --- the map state may appear after the start ---
mkdir late
mkfifo late/in
WN_STATE_DIR=$T/late wn-filter --no-suppress --max-age 0 late/in >late/out 2>late/err &
pid=$!
exec 4>late/in
canon '.killmail_id = 401 | .solar_system_id = 31001503' >&4
sleep 1
mkmap late/map.json
sleep 1.3
canon '.killmail_id = 402 | .solar_system_id = 31001503' >&4
exec 4>&-
wait $pid
same "nothing tracked until the map state appears, then its systems" "$(ids <late/out)" "402 "
contains "... and it says so" "$(cat late/err)" "no map state at $T/late/map.json yet"

# --- usage ---
wn-filter --version >v 2>&1
contains "--version" "$(cat v)" "wn-filter "
wn-filter -h 2>h; rc=$?
same "-h: usage, exit 100" "$rc $(head -c 16 h)" "100 usage: wn-filter"
wn-filter --max-age soon </dev/null 2>h; rc=$?
same "bad option value: exit 100" "$rc" 100
CORPORATION_KILL_FOCUS=abc wn-filter -r </dev/null 2>h; rc=$?
same "bad id list in the environment: exit 100" "$rc" 100

done_testing
