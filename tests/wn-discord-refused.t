#!/bin/sh
# wn-discord when Discord refuses for good: 404/10015 (deleted webhook),
# 401 (bad bot token), 403 (no permission) refuse a route; 400/50035 one
# message.  One log line, no retry, the message in dead/, other routes on.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"

errors() { grep -c ': error: ' "$1"; }

# -- deleted webhook for system kills; the main webhook still works --
export WN_STATE_DIR=$T/s1
start_discord r1 --webhook-limit 50/1
{ kills 3 9401 system_kill; kills 3 9501 character_kill; } > in.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN \
DISCORD_SYSTEM_KILL_WEBHOOK_URL=https://discord.com/api/webhooks/333/goneTOKENdddd4444 \
	wn-discord in.ndjson 2>err; rc=$?
same "404: exit 0" "$rc" 0
same "404: one request to the dead webhook, never again" "$(stat r1 '.by_route["webhook:333"]')" 1
same "404: the other route delivered everything" "$(saved_ids r1 | tr '\n' ' ')" "9501 9502 9503 "
same "404: its messages are dead letters" "$(dead)" 3
same "404: one error line" "$(errors err)" 1
contains "404: the line says why" "$(cat err)" "Unknown Webhook (code 10015)"
check "404: no token in the log" sh -c '! grep -q goneTOKEN err'
contains "404: the reason is kept beside the message" \
	"$(cat "$WN_STATE_DIR"/discord/dead/*.err | head -n 1)" "webhook:system_kill: 404 Unknown Webhook"
same "404: spool empty" "$(spooled)" 0
same "404: no invalid request (401/403/429)" "$(stat r1 .invalid)" 0

# -- bad bot token: every channel is refused after one request --
export WN_STATE_DIR=$T/s2
start_discord r2 --channel-limit 50/1
DISCORD_BOT_TOKEN=wrong.token.eeee5555 DISCORD_CHANNEL_ID=100 \
DISCORD_CHARACTER_KILL_CHANNEL_ID=200 wn-discord in.ndjson 2>err; rc=$?
same "401: exit 0" "$rc" 0
same "401: a single request in all" "$(stat r2 .requests)" 1
same "401: one invalid request" "$(stat r2 .invalid)" 1
same "401: all six are dead letters" "$(dead)" 6
same "401: one error line" "$(errors err)" 1
contains "401: bad token named" "$(cat err)" "bad token"
check "401: token not logged" sh -c '! grep -q eeee5555 err'

# -- 403 on one channel; the other keeps going --
export WN_STATE_DIR=$T/s3
start_discord r3 --channel-limit 50/1 --fault 403
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_CHARACTER_KILL_CHANNEL_ID=200 \
	wn-discord in.ndjson 2>err; rc=$?
same "403: exit 0" "$rc" 0
same "403: the refused channel got one request" "$(stat r3 '.by_route["channel:100"]')" 1
same "403: the other channel got all of its own" "$(saved_ids r3 | tr '\n' ' ')" "9501 9502 9503 "
same "403: three dead letters" "$(dead)" 3
contains "403: logged" "$(cat err)" "Missing Permissions (code 50013)"

# -- 400 Invalid Form Body: only that message is refused --
export WN_STATE_DIR=$T/s4
start_discord r4 --webhook-limit 50/1 --fault 400
kills 3 9601 > in4.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord in4.ndjson 2>err; rc=$?
same "400: exit 0" "$rc" 0
same "400: three requests, no retry" "$(stat r4 .requests)" 3
same "400: the rest delivered" "$(saved_ids r4 | tr '\n' ' ')" "9602 9603 "
same "400: one dead letter" "$(dead)" 1
contains "400: the error tree is in the log line" "$(cat err)" \
	"Invalid Form Body (code 50035): embeds.0.description: Must be 4096 or fewer in length."
check "400: the refused body is kept" \
	sh -c "jq -e '.payload.embeds[0].footer.text == \"Killmail ID: 9601\"' '$WN_STATE_DIR'/discord/dead/*.json >/dev/null"

# -- the fake's own validation: what format_message makes is accepted --
export WN_STATE_DIR=$T/s5
start_discord r5 --webhook-limit 50/1
{ kills 1 9701 system_kill; kills 1 9702 character_kill
  event system system; event character character; event rally_point rally_point; } > all.ndjson
DISCORD_RALLY_GROUP_IDS=111222333444555666,777888999000111222 DISCORD_WEBHOOK_URL=$HOOK_MAIN \
	wn-discord all.ndjson 2>err
same "every kind passes Discord's limits" "$(stat r5 .accepted) $(stat r5 '.status["400"] // 0')" "5 0"
same "rally roles are pinged, and only they" \
	"$(recorded r5 '.[] | select(.body.content // "" | contains("Rally")) | .body.allowed_mentions.roles | length')" 2
kills 2 9801 > plain.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord --plain-text plain.ndjson 2>err
same "plain text passes too" "$(stat r5 .accepted) $(stat r5 '.status["400"] // 0')" "7 0"
done_testing
