# tests/discord_helpers.sh — sourced by tests/wn-discord*.t after lib.sh:
# notify records for every message kind and the fake Discord server.
KM=$WN_ROOT/examples/killmails.ndjson
EV=$WN_ROOT/examples/map-events.ndjson
HOOK_MAIN=https://discord.com/api/webhooks/111/mainTOKENaaaa1111
HOOK_KILL=https://discord.com/api/webhooks/222/killTOKENbbbb2222
BOT=bot.TOKEN.cccc3333
export WN_LOG_LEVEL=info
# Never the real Discord, even if a fake fails to start: port 9 refuses.
export DISCORD_API_URL=http://127.0.0.1:9/api/v10
unset DISCORD_WEBHOOK_URL DISCORD_SYSTEM_KILL_WEBHOOK_URL DISCORD_CHARACTER_KILL_WEBHOOK_URL \
	DISCORD_SYSTEM_WEBHOOK_URL DISCORD_CHARACTER_WEBHOOK_URL DISCORD_RALLY_WEBHOOK_URL \
	DISCORD_SYSTEM_KILL_CHANNEL_ID DISCORD_CHARACTER_KILL_CHANNEL_ID DISCORD_SYSTEM_CHANNEL_ID \
	DISCORD_CHARACTER_CHANNEL_ID DISCORD_RALLY_CHANNEL_ID HTTP_DISCORD_TIMEOUT WN_CA_FILE

# kills N FIRST [KIND]: N killmail records, ids FIRST.., with notify.kind KIND
kills() {
	head -n 1 "$KM" | jq -c --argjson n "$1" --argjson f "$2" --arg k "${3:-system_kill}" '
	  . as $r | range(0; $n) as $i | $r | .killmail_id = ($f + $i) |
	  .notify = {kind: $k, role: (if $k == "character_kill" then "loss" else null end),
	             priority: false, mention: null, reason: "test", tracked_characters:
	             (if $k == "character_kill" then [95465499] else [] end)}'
}

# event TYPE KIND: the sample map event of TYPE with notify.kind KIND
event() {
	grep "\"type\":\"$1\"" "$EV" | head -n 1 | jq -c --arg k "$2" \
	  '.notify = {kind: $k, role: null, priority: false, mention: null, reason: "test",
	              tracked_characters: []}'
}

# start_discord NAME [fake args...]: a fake with webhooks 111 and 222,
# channels 100 and 200, bot token $BOT, saving to $T/NAME.rec and counting
# in $T/NAME.stats; points DISCORD_API_URL at it.
start_discord() {
	fname=$1; shift
	start_fake "$fname" discord.py --record "$T/$fname.rec" --stats "$T/$fname.stats" \
		--webhook 111:mainTOKENaaaa1111 --webhook 222:killTOKENbbbb2222 \
		--channel 100 --channel 200 --bot-token "$BOT" "$@" ||
		{ notok "fake Discord $fname started"; done_testing; exit 1; }
	export DISCORD_API_URL=http://127.0.0.1:$PORT/api/v10
	: > "$T/$fname.rec"
}

# stat NAME EXPR: a jq expression over fake NAME's counters
stat() { jq -r "$2" "$T/$1.stats"; }
# recorded NAME EXPR: jq -s over the messages fake NAME saved
recorded() { jq -s -r "$2" "$T/$1.rec"; }
# saved_ids NAME: killmail ids fake NAME saved, in order, one per line
saved_ids() { jq -r '.body.embeds[0].footer.text // empty' "$T/$1.rec" | sed 's/[^0-9]//g'; }
# ids FIRST N: the numbers FIRST .. FIRST+N-1, one per line
ids() { i=0; while [ $i -lt "$2" ]; do echo $(($1 + i)); i=$((i + 1)); done; }
# spooled: messages waiting in the spool
spooled() { ls "$WN_STATE_DIR/discord/spool" 2>/dev/null | grep -c 'json$'; }
# dead: messages in the dead-letter directory
dead() { ls "$WN_STATE_DIR/discord/dead" 2>/dev/null | grep -c 'json$'; }
