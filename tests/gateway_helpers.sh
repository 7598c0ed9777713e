# tests/gateway_helpers.sh — sourced by tests/wn-gateway*.t after lib.sh:
# the fake Discord Gateway (tests/fake/gateway.py) beside the fake REST API
# (tests/fake/discord.py with its application routes), and helpers.
GW_TOKEN=gw.BOTtoken.zzzz9999
APP=1000000000000000001
GUILD=2000000000000000002
VOICE=3000000000000000003     # a voice channel
STAGE=3000000000000000013     # a stage channel
AFK=3000000000000000099       # the guild's AFK channel (voice)
TEXT=3000000000000000005      # a text channel
U1=4000000000000000001 U2=4000000000000000002 U3=4000000000000000003
export WN_LOG_LEVEL=info WN_GATEWAY_BACKOFF_MS=200
export DISCORD_API_URL=http://127.0.0.1:9/api/v10
unset DISCORD_GUILD_ID DISCORD_APPLICATION_ID STATUS_MESSAGES_ENABLED \
	VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED FALLBACK_TO_HERE_ENABLED ESI_URL

guild_file() {
	jq -n --arg g "$GUILD" --arg v "$VOICE" --arg s "$STAGE" --arg a "$AFK" --arg t "$TEXT" \
	  --arg u1 "$U1" '{id: $g, name: "Test", afk_channel_id: $a, unavailable: false,
	    channels: [{id: $v, type: 2, name: "Ops"}, {id: $s, type: 13, name: "Stage"},
	               {id: $a, type: 2, name: "AFK"}, {id: $t, type: 0, name: "general"}],
	    voice_states: [{user_id: $u1, channel_id: $v, session_id: "s1", deaf: false, mute: false,
	                    self_deaf: false, self_mute: false, self_video: false, suppress: false}]}' \
	  > "$T/guild.json"
}

# start_gateway [interval_ms] [extra gateway.py args]: both fakes; sets
# DISCORD_API_URL, DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID.
start_gateway() {
	iv=${1:-2000}; [ $# -gt 0 ] && shift
	guild_file
	mkdir -p "$T/app"
	: > "$T/gw.cmd"
	start_fake gw gateway.py --commands "$T/gw.cmd" --log "$T/gw.jsonl" --token "$GW_TOKEN" \
		--app-id "$APP" --guild "$T/guild.json" --interval "$iv" \
		--interactions "$T/app/interactions.jsonl" --starts "$T/app/starts.json" "$@" ||
		{ notok "fake gateway started"; done_testing; exit 1; }
	cp "$T/gw.port" "$T/app/gateway.port"
	start_fake rest discord.py --record "$T/rest.rec" --stats "$T/rest.stats" \
		--channel 100 --bot-token "$GW_TOKEN" --app-dir "$T/app" ||
		{ notok "fake REST started"; done_testing; exit 1; }
	export DISCORD_API_URL=http://127.0.0.1:$PORT/api/v10 DISCORD_BOT_TOKEN=$GW_TOKEN \
		DISCORD_APPLICATION_ID=$APP DISCORD_GUILD_ID=$GUILD
}

gw() { echo "$1" >> "$T/gw.cmd"; }
# gwlog_count EV: how many lines of that event the fake logged
gwlog_count() { c=$(grep -c "\"ev\":\"$1\"" "$T/gw.jsonl" 2>/dev/null); echo "${c:-0}"; }
gwlog_ge() { [ "$(gwlog_count "$1")" -ge "$2" ]; }
# voice_users: the users in voice.json, space-separated
voice_users() { jq -r '.users | join(" ")' "$WN_STATE_DIR/voice.json" 2>/dev/null; }
voice_is() { [ "$(voice_users)" = "$1" ]; }
# vsu USER CHANNEL|null: a VOICE_STATE_UPDATE command line
vsu() {
	jq -nc --arg g "$GUILD" --arg u "$1" --arg c "$2" \
	  '{do: "dispatch", t: "VOICE_STATE_UPDATE", d: {guild_id: $g, user_id: $u,
	    channel_id: (if $c == "null" then null else $c end), session_id: "x", deaf: false,
	    mute: false, self_deaf: false, self_mute: false, self_video: false, suppress: false}}'
}
# interaction ID TYPE SUB [system_name] [action] [focused]: an INTERACTION_CREATE
# command; the token is tok-ID.
interaction() {
	jq -nc --arg id "$1" --argjson ty "$2" --arg sub "$3" --arg name "${4:-}" \
	  --arg act "${5:-}" --arg foc "${6:-}" --arg app "$APP" --arg g "${IGUILD:-$GUILD}" '
	  ([if $name != "" then {name: "system_name", type: 3, value: $name}
	      + (if $foc != "" then {focused: true} else {} end) else empty end,
	    if $act != "" then {name: "action", type: 3, value: $act} else empty end]) as $o |
	  {do: "dispatch", t: "INTERACTION_CREATE", d: {id: $id, application_id: $app, type: $ty,
	   token: ("tok-" + $id), version: 1, guild_id: $g, channel_id: "100",
	   member: {user: {id: "4000000000000000001", username: "pilot"}, permissions: "32"},
	   data: {id: "1100000000000000000", name: "notifier", type: 1,
	          options: [{name: $sub, type: 1, options: $o}]}}}'
}
# reply ID: the content of the answer to interaction ID
reply() { jq -r --arg id "$1" 'select(.route == "interaction" and .id == $id) | .body.data.content' "$T/rest.rec"; }
answered() { [ -n "$(jq -r --arg id "$1" 'select(.route == "interaction" and .id == $id) | .id' "$T/rest.rec" 2>/dev/null)" ]; }
gwstat() { jq -r ".$1 // 0" "$WN_STATE_DIR/status/wn-gateway.json" 2>/dev/null; }
