#!/bin/sh
# wn-gateway's slash commands and voice list, end to end: /notifier status
# with wn's figures, add-priority / remove-priority against map.json and
# ESI (the change reaching a running wn-filter), an unknown name, track,
# autocomplete, interactions of another guild or application ignored,
# answers without the bot token; voice joins, moves, leaves and the AFK
# channel in voice.json and in wn-discord's kill messages, the stale-voice
# fallback and FALLBACK_TO_HERE_ENABLED.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/gateway_helpers.sh"
KM=$WN_ROOT/examples/killmails.ndjson

mkdir -p "$WN_STATE_DIR"
jq -n '{version: 1, map: "m", systems: [
  {solar_system_id: 31001503, name: "J155416", custom_name: "Home", temporary_name: null},
  {solar_system_id: 31002229, name: "J132946", custom_name: null, temporary_name: "Staging"}],
  characters: []}' > "$WN_STATE_DIR/map.json"
start_fake esi esi.py --name 30000142=Jita || exit 1
export ESI_URL=http://127.0.0.1:$PORT
start_gateway 2000
mkfifo fin
WN_LOG_LEVEL=debug wn-filter -r -s 31001503,31002229,30000142 fin > fout 2> ferr & fpid=$!
exec 3> fin
WN_LOG_LEVEL=debug wn-gateway 2>err & pid=$!
wait_for "ready" 10 sh -c '[ "$(jq -r .state "$WN_STATE_DIR/status/wn-gateway.json" 2>/dev/null)" = ready ]'
ok "ready"

# -- status --
gw "$(interaction 5000000000000000001 2 status)"
wait_for "the status answer" 10 answered 5000000000000000001
r=$(reply 5000000000000000001)
contains "status: the notifier's heading" "$r" "**🤖 WandererNotifier Status**"
contains "status: priority systems" "$r" "**Priority Systems:** 0"
contains "status: notification flags" "$r" "• Kill: true"
contains "status: wn-filter's tracked systems" "$r" "• Systems: 3"
contains "status: the gateway's own connection" "$r" "Discord gateway (wn-gateway): ready"
a=$(jq -c 'select(.route == "interaction" and .id == "5000000000000000001") | [.body.type, .body.data.flags, .auth]' rest.rec)
same "status: ephemeral type 4, no bot token on the callback" "$a" '[4,64,false]'

# -- add-priority by custom name (any case), then again; the running wn-filter sees it --
gw "$(interaction 5000000000000000002 2 system home add_priority)"
wait_for "the add answer" 10 answered 5000000000000000002
same "add-priority: the notifier's text, EVE name" "$(reply 5000000000000000002)" \
	"✅ Added **J155416** to priority systems (receives @here notifications)"
same "add-priority: the file wn-filter reads" "$(grep -v '^#' "$WN_STATE_DIR/priority_systems")" 31001503
gw "$(interaction 5000000000000000003 2 system J155416 add_priority)"
wait_for "the second add answer" 10 answered 5000000000000000003
same "add-priority again: already" "$(reply 5000000000000000003)" "📍 System **J155416** is already a priority system"
wait_for "wn-filter reloads the list" 10 grep -q "1 priority system" ferr || diag "$(cat ferr)"
jq -nc '{type: "system", action: "added", solar_system_id: 31001503, name: "J155416", event_id: null}' >&3
wait_for "wn-filter's record" 10 test -s fout
same "a running wn-filter: priority, @here" "$(jq -c '[.notify.priority, .notify.mention]' fout)" '[true,"@here"]'

# -- temporary name, ESI for names not on the map, unknown names --
gw "$(interaction 5000000000000000004 2 system staging add_priority)"
wait_for "temporary name" 10 answered 5000000000000000004
contains "add-priority by temporary name" "$(reply 5000000000000000004)" "Added **J132946**"
gw "$(interaction 5000000000000000005 2 system jita add_priority)"
wait_for "ESI name" 10 answered 5000000000000000005
contains "add-priority: a name not on the map, from ESI" "$(reply 5000000000000000005)" "Added **Jita**"
same "the file: three systems" "$(grep -v '^#' "$WN_STATE_DIR/priority_systems" | tr '\n' ' ')" "30000142 31001503 31002229 "
gw "$(interaction 5000000000000000006 2 system Nowhere123 add_priority)"
wait_for "unknown name" 10 answered 5000000000000000006
contains "unknown system: a clear ❌" "$(reply 5000000000000000006)" "❌ Unknown system: **Nowhere123**"
same "unknown system: nothing changed" "$(grep -vc '^#' "$WN_STATE_DIR/priority_systems")" 3
gw "$(interaction 5000000000000000007 2 system jita remove_priority)"
wait_for "remove" 10 answered 5000000000000000007
same "remove-priority" "$(reply 5000000000000000007)" "✅ Removed **Jita** from priority systems"
gw "$(interaction 5000000000000000008 2 system jita remove_priority)"
wait_for "remove again" 10 answered 5000000000000000008
same "remove-priority again: not one" "$(reply 5000000000000000008)" "📍 System **Jita** is not a priority system"
gw "$(interaction 5000000000000000009 2 system Home track)"
wait_for "track" 10 answered 5000000000000000009
contains "track: an honest answer" "$(reply 5000000000000000009)" "managed on the Wanderer map"

# -- autocomplete: type 8 with the map's names --
gw "$(interaction 5000000000000000010 4 system j1 "" true)"
wait_for "autocomplete" 10 answered 5000000000000000010
same "autocomplete: choices from the map" "$(jq -c 'select(.id == "5000000000000000010") | [.body.type, (.body.data.choices | map(.name))]' rest.rec)" '[8,["J155416","J132946"]]'
gw "$(interaction 5000000000000000011 4 system sta "" true)"
wait_for "autocomplete 2" 10 answered 5000000000000000011
same "autocomplete: custom and temporary names too" "$(jq -c 'select(.id == "5000000000000000011") | .body.data.choices | map(.value)' rest.rec)" '["Staging"]'

# -- not ours: another guild --
IGUILD=2999999999999999999 gw "$(IGUILD=2999999999999999999 interaction 5000000000000000012 2 status)"
gw "$(interaction 5000000000000000013 2 status)"
wait_for "the next answer" 10 answered 5000000000000000013
check "another guild's interaction is not acted on" sh -c '! grep -q 5000000000000000012 rest.rec'
wait_for "the status file" 5 sh -c '[ "$(jq -r .commands_answered "$WN_STATE_DIR/status/wn-gateway.json")" -ge 12 ]'
same "commands answered, counted" "$(gwstat commands_answered)" 12

# -- voice: joins, moves, leaves, the AFK channel --
wait_for "voice file" 10 voice_is "$U1"
ok "GUILD_CREATE's voice states: $U1 in voice"
gw "$(vsu "$U2" "$STAGE")"; wait_for "stage join" 10 voice_is "$U1 $U2"
ok "a stage channel counts"
gw "$(vsu "$U3" "$AFK")"; gw "$(vsu "$U1" "$AFK")"
wait_for "AFK" 10 voice_is "$U2"
ok "the AFK channel does not count (join and move)"
gw "$(vsu "$U3" "$VOICE")"; wait_for "move out of AFK" 10 voice_is "$U2 $U3"
ok "a move from AFK to voice counts"
gw "$(vsu "$U2" null)"; wait_for "leave" 10 voice_is "$U3"
ok "leaving voice"

# -- wn-discord: mentions in kill messages, priority @here replaced --
kill_rec() { head -n 1 "$KM" | jq -c --arg k "$1" --argjson p "$2" --arg m "$3" \
	'.notify = {kind: $k, role: null, priority: $p, mention: (if $m == "" then null else $m end), reason: "t", tracked_characters: []}'; }
{ kill_rec system_kill false ""; kill_rec character_kill false ""; kill_rec system true "@here"; } > in.ndjson
export VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED=true
wn-discord -n in.ndjson > dry 2>derr
same "system-kill message: the voice user mentioned" "$(sed -n 1p dry | jq -r .payload.content)" "<@$U3>"
same "system-kill message: exactly that user allowed" "$(sed -n 1p dry | jq -c .payload.allowed_mentions)" "{\"parse\":[],\"users\":[\"$U3\"]}"
same "character-kill message: no voice mentions" "$(sed -n 2p dry | jq -r '.payload.content // "none"')" none
same "priority message: voice users instead of @here" "$(sed -n 3p dry | jq -r .payload.content)" "<@$U3>"
VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED=false wn-discord -n in.ndjson > dry 2>derr
same "voice mentions off: @here stays" "$(sed -n 3p dry | jq -r .payload.content)" "@here"
gw "$(vsu "$U3" null)"; wait_for "nobody in voice" 10 voice_is ""
wn-discord -n in.ndjson > dry 2>derr
same "nobody in voice: the kill has no mention" "$(sed -n 1p dry | jq -r '.payload.content // "none"')" none
same "nobody in voice: priority falls back to @here" "$(sed -n 3p dry | jq -r .payload.content)" "@here"
FALLBACK_TO_HERE_ENABLED=false wn-discord -n in.ndjson > dry 2>derr
same "FALLBACK_TO_HERE_ENABLED=false: no @here" "$(sed -n 3p dry | jq -r '.payload.content // "none"')" none
gw "$(vsu "$U1" "$VOICE")"; wait_for "back in voice" 10 voice_is "$U1"
kill -TERM $pid; wait $pid
wn-discord -n in.ndjson > dry 2>derr
same "gateway down for less than 5 min: last list used" "$(sed -n 1p dry | jq -r .payload.content)" "<@$U1>"
jq '.down_since = (now - 301 | floor)' "$WN_STATE_DIR/voice.json" > v && mv v "$WN_STATE_DIR/voice.json"
wn-discord -n in.ndjson > dry 2>derr
same "gateway down for more than 5 min: nobody mentioned" "$(sed -n 1p dry | jq -r '.payload.content // "none"')" none
same "gateway down for more than 5 min: priority falls back to @here" "$(sed -n 3p dry | jq -r .payload.content)" "@here"
case $(cat err) in *tok-5000*|*"$GW_TOKEN"*) notok "no bot or interaction token in the log";;
*) ok "no bot or interaction token in the log";; esac
exec 3>&-
wait $fpid

# -- status messages: the startup message once, not again after a RESUME --
STATUS_MESSAGES_ENABLED=true DISCORD_CHANNEL_ID=100 wn-gateway 2>err & pid=$!
posted() { [ "$(grep -c '"route": "channel:100"' rest.rec)" -ge "$1" ]; }
wait_for "the startup message" 15 posted 1
contains "startup message to the main channel" "$(grep '"route": "channel:100"' rest.rec | tail -n 1 | jq -r .body.content)" "**WandererNotifier Started**"
same "startup message: pings nobody" "$(grep '"route": "channel:100"' rest.rec | tail -n 1 | jq -c .body.allowed_mentions)" '{"parse":[]}'
r=$(gwlog_count replayed)
gw '{"do":"reconnect"}'
wait_for "RESUME" 15 gwlog_ge replayed $((r + 1))
sleep 1
same "startup message: posted once" "$(grep -c '"route": "channel:100"' rest.rec)" 1
kill -TERM $pid; wait $pid
STATUS_MESSAGES_ENABLED=true wn-gateway 2>err; same "status messages without a channel: exit 100" "$?" 100

# -- track / untrack on the map itself, with the map key --
MKEY=0b6f5a2e-4c1d-4f7a-9e3b-1a2b3c4d5e6f
start_fake map map.py --log "$T/map.log" --key "$MKEY" --keepalive 30 || exit 1
MAP_URL=http://127.0.0.1:$PORT MAP_NAME=my-map MAP_API_KEY=$MKEY wn-gateway 2>err & pid=$!
r=$(gwlog_count identify)
wait_for "IDENTIFY" 20 gwlog_ge identify $((r + 1))
sleep 0.5
gw "$(interaction 5000000000000000020 2 system jita track)"
wait_for "track" 10 answered 5000000000000000020
same "track: added on the map" "$(reply 5000000000000000020)" "✅ Now tracking system: **Jita**"
same "track: POST .../systems with the map key" "$(jq -c 'select(.method == "POST") | [.path, .auth]' map.log)" '["/api/maps/my-map/systems",true]'
gw "$(interaction 5000000000000000021 2 system jita untrack)"
wait_for "untrack" 10 answered 5000000000000000021
same "untrack: removed from the map" "$(reply 5000000000000000021)" "✅ Stopped tracking system: **Jita**"
same "untrack: DELETE .../systems/ID" "$(jq -r 'select(.method == "DELETE") | .path' map.log)" /api/maps/my-map/systems/30000142
gw "$(interaction 5000000000000000022 2 system jita untrack)"
wait_for "untrack again" 10 answered 5000000000000000022
contains "untrack of a system not on the map: the map's answer" "$(reply 5000000000000000022)" "❌ The map did not take the change (the map answered HTTP 404)"
kill -TERM $pid; wait $pid
case $(cat err) in *"$MKEY"*) notok "the map key is never logged";; *) ok "the map key is never logged";; esac
done_testing
