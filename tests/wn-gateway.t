#!/bin/sh
# wn-gateway against the fake Discord Gateway: usage, IDENTIFY and its
# intents, the command registration, heartbeats with the sequence, RESUME
# after op 7 and after a dropped connection with the missed events
# replayed, a zombie connection, re-IDENTIFY after op 9 and after 4009,
# exit 100 on 4004 and 4014, and the bot token never in a log.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/gateway_helpers.sh"

# -- usage, version, configuration --
wn-gateway -h 2>err; same "-h exits 100" "$?" 100
contains "-h prints usage" "$(cat err)" "usage: wn-gateway"
contains "--version" "$(wn-gateway --version)" "wn-gateway 0.1.0"
wn-gateway 2>err; same "no token: exit 100" "$?" 100
contains "no token: one clear line" "$(cat err)" "DISCORD_BOT_TOKEN is not set"
DISCORD_BOT_TOKEN=$GW_TOKEN DISCORD_APPLICATION_ID=12x wn-gateway 2>err; same "bad application id: exit 100" "$?" 100
same "bad application id: one line" "$(wc -l < err | tr -d ' ')" 1

# -- IDENTIFY, READY, registration, heartbeats --
start_gateway 1500
wn-gateway 2>err & pid=$!
wait_for "IDENTIFY" 10 gwlog_ge identify 1
id=$(grep -m1 '"ev":"identify"' gw.jsonl)
same "IDENTIFY: intents GUILDS | GUILD_VOICE_STATES" "$(echo "$id" | jq .intents)" 129
same "IDENTIFY: on the URL from /gateway/bot, v=10, json" "$(grep -m1 '"ev":"open"' gw.jsonl | jq -r '[.port, .path] | join(" ")')" "main /?v=10&encoding=json"
wait_for "the command registered" 10 grep -q '"route": "commands"' rest.rec
cmdj=$(grep -m1 '"route": "commands"' rest.rec)
same "registered in the guild (bulk overwrite)" "$(echo "$cmdj" | jq -r '[.app, .guild] | join(" ")')" "$APP $GUILD"
same "command: notifier, subcommands system and status" "$(echo "$cmdj" | jq -r '.body[0] | [.name, (.options | map(.name) | join(","))] | join(" ")')" "notifier system,status"
same "command: only members who may manage the server" "$(echo "$cmdj" | jq -r '.body[0].default_member_permissions')" 32
same "command: system_name required, autocompleted" "$(echo "$cmdj" | jq -c '.body[0].options[0].options[0] | [.name, .required, .autocomplete]')" '["system_name",true,true]'
same "command: the four actions" "$(echo "$cmdj" | jq -r '.body[0].options[0].options[1].choices | map(.name) | join(",")')" "add-priority,remove-priority,track,untrack"
wait_for "two heartbeats" 10 gwlog_ge heartbeat 2
same "heartbeats carry the last sequence number" "$(grep '"ev":"heartbeat"' gw.jsonl | tail -n 1 | jq '.d == .seq')" true
wait_for "status: ready" 10 sh -c '[ "$(jq -r .state "$WN_STATE_DIR/status/wn-gateway.json")" = ready ]'
ok "status file says ready"
gw '{"do":"ask_heartbeat"}'
wait_for "the answer to op 1" 10 gwlog_ge heartbeat 4
ok "a server op 1 is answered"

# -- op 7: RESUME at resume_gateway_url, then new events --
gw '{"do":"reconnect"}'
wait_for "RESUME after op 7" 10 gwlog_ge replayed 1
same "op 7: RESUME on the resume_gateway_url" "$(grep -m1 '"ev":"resume"' gw.jsonl | jq -r '[.port, .known] | join(" ")')" "resume true"
same "op 7: no second IDENTIFY" "$(gwlog_count identify)" 1
wait_for "status: resumed" 10 sh -c '[ "$(jq -r .state "$WN_STATE_DIR/status/wn-gateway.json")" = resumed ]'
same "status: session resumed, counted" "$(gwstat resumes)" 1
st=$(wn-status 2>/dev/null)
contains "wn-status lists wn-gateway" "$st" "wn-gateway"
contains "wn-status: session resumed" "$st" "session_resumed"
contains "wn-status: heartbeat latency" "$st" "heartbeat_latency_ms"
contains "wn-status: commands answered" "$st" "commands_answered"

# -- a dropped connection: RESUME, and the events sent meanwhile replayed --
gw "$(jq -nc --argjson e "$(vsu "$U2" "$STAGE")" '{do: "drop", then: [$e | {t, d}]}')"
wait_for "RESUME after the drop" 15 gwlog_ge replayed 2
same "drop: the missed event replayed" "$(grep '"ev":"replayed"' gw.jsonl | tail -n 1 | jq .n)" 1
wait_for "the replayed voice join applied" 10 voice_is "$U1 $U2"
ok "replayed VOICE_STATE_UPDATE reaches voice.json"

# -- zombie: no ACK before the next beat → close and resume --
gw '{"do":"ack","on":false}'
wait_for "zombie detected" 15 sh -c '[ "$(jq -r ".zombies // 0" "$WN_STATE_DIR/status/wn-gateway.json")" -ge 1 ]'
gw '{"do":"ack","on":true}'
wait_for "RESUME after the zombie" 15 gwlog_ge replayed 3
ok "zombie connection closed and resumed"
contains "zombie: the closing code keeps the session (not 1000)" "$(grep '"ev":"closed"' gw.jsonl | jq -c .code | tr '\n' ' ')" "4000"

# -- op 9 false: wait, IDENTIFY afresh (at least 5 s after the last) --
gw '{"do":"invalid","d":false}'
wait_for "IDENTIFY after op 9" 20 gwlog_ge identify 2
same "op 9: no IDENTIFY refused (5 s apart, starts left)" "$(gwlog_count identify_refused)" 0
# -- 4009: the session timed out: IDENTIFY again, not RESUME --
resumes=$(gwlog_count resume)
gw '{"do":"close","code":4009}'
wait_for "IDENTIFY after 4009" 20 gwlog_ge identify 3
same "4009: no RESUME tried" "$(gwlog_count resume)" "$resumes"
kill -TERM $pid; wait $pid; same "SIGTERM: exit 0" "$?" 0
same "SIGTERM: voice file marked down" "$(jq -r '.down_since != null' "$WN_STATE_DIR/voice.json")" true
case $(cat err "$WN_STATE_DIR"/status/*.json "$WN_STATE_DIR/voice.json") in
*"$GW_TOKEN"*) notok "the bot token is never logged";; *) ok "the bot token is never logged";; esac

# -- 4004 and 4014: exit 100 with one line --
gw '{"do":"ack","on":true}'
wn-gateway 2>err & pid=$!
wait_for "IDENTIFY" 20 gwlog_ge identify 4
gw '{"do":"close","code":4004}'
wait $pid; same "4004: exit 100" "$?" 100
same "4004: one fatal line naming the token" "$(grep fatal err)" "wn-gateway: fatal: gateway: close code 4004 (authentication failed (bad bot token))"
wn-gateway 2>err & pid=$!
wait_for "IDENTIFY" 20 gwlog_ge identify 5
gw '{"do":"close","code":4014}'
wait $pid; same "4014: exit 100" "$?" 100
contains "4014: the reason" "$(cat err)" "disallowed intents"
DISCORD_BOT_TOKEN=wrong.token.value wn-gateway 2>err; same "token refused by /gateway/bot: exit 100" "$?" 100
contains "refused token: one line" "$(cat err)" "HTTP 401"
done_testing
