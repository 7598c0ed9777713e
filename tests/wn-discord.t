#!/bin/sh
# wn-discord: usage, version, configuration errors, --dry-run routing.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"

wn-discord -h 2>err; rc=$?
same "-h exits 100" "$rc" 100
contains "-h prints usage on stderr" "$(cat err)" "usage: wn-discord"
same "--version" "$(wn-discord --version)" "wn-discord 0.1.0"
wn-discord -x </dev/null 2>/dev/null; same "unknown option exits 100" "$?" 100

# Input: every kind of message, one bad line in the middle.
{ kills 1 7001 system_kill; kills 1 7002 character_kill
  echo '{"type":"killmail", broken'
  event system system; event character character; event rally_point rally_point
} > in.ndjson

# Nothing configured: routes are the channel classes.
wn-discord --dry-run in.ndjson >out 2>err; rc=$?
same "dry-run exits 0" "$rc" 0
same "one line per good record" "$(wc -l <out | tr -d ' ')" 5
same "classes without configuration" "$(jq -r .route out | tr '\n' ' ')" \
	"system_kill character_kill system character rally "
contains "bad line reported with its line number" "$(cat err)" "in.ndjson:3:"
S=$WN_STATE_DIR/status/wn-discord.json
same "dry run keeps the status file: state, received, formatted, bad input" \
	"$(jq -r '"\(.state) \(.received) \(.formatted) \(.bad_input)"' "$S" 2>&1)" "stopped 6 5 1"
same "payload is the message body" "$(jq -r '.payload.embeds[0].footer.text' out | head -n 1)" \
	"Killmail ID: 7001"
check "every payload has allowed_mentions" \
	sh -c "jq -e '.payload.allowed_mentions' out >/dev/null"
check "--strict makes the bad line fatal" \
	sh -c 'wn-discord -n --strict in.ndjson >/dev/null 2>&1; [ $? -eq 100 ]'

# Bad input of every sort is skipped and counted; its neighbours flow.
{ kills 1 7101
  head -c 5000000 /dev/zero | tr '\0' a; echo
  printf '{"type":"killmail","killmail_id":1,"bad":"\377\376"}\n'
  i=0; while [ $i -lt 100 ]; do printf '['; i=$((i + 1)); done; echo
  echo '{"type":"killmail","killmail_id":7102}'
  kills 1 7103
} > bad.ndjson
wn-discord -n bad.ndjson >out 2>err; rc=$?
same "bad input: exit 0" "$rc" 0
same "bad input: the good records around it flow" \
	"$(jq -r '.payload.embeds[0].footer.text' out | tr '\n' ' ')" "Killmail ID: 7101 Killmail ID: 7103 "
same "bad input: one warning per bad line" "$(grep -c ': warning: ' err)" 4
contains "bad input: oversize line named" "$(cat err)" "bad.ndjson:2:"

# Several inputs are read together, one whole record at a time.
kills 2 7201 > a.ndjson; kills 2 7301 > b.ndjson
same "two inputs: every record once" \
	"$(wn-discord -n a.ndjson b.ndjson | jq -r '.payload.embeds[0].footer.text' | sort | tr '\n' ' ')" \
	"Killmail ID: 7201 Killmail ID: 7202 Killmail ID: 7301 Killmail ID: 7302 "
same "stdin as -" "$(kills 1 7401 | wn-discord -n - | jq -r .route)" system_kill

same "--plain-text: content only, no embeds" \
	"$(kills 1 7501 | wn-discord -n --plain-text | jq -c '.payload | [has("content"), has("embeds")]')" \
	'[true,false]'

# Bot channels, per-type channel with fallback to the main one.
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_SYSTEM_KILL_CHANNEL_ID=200 \
DISCORD_RALLY_CHANNEL_ID= wn-discord -n in.ndjson >out 2>/dev/null
same "bot routes with fallback" "$(jq -r .route out | tr '\n' ' ')" \
	"channel:200 channel:100 channel:100 channel:100 channel:100 "

# Webhooks: named by class, never by URL or token; own webhook beats main.
DISCORD_WEBHOOK_URL=$HOOK_MAIN DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL \
DISCORD_BOT_TOKEN=$BOT DISCORD_CHARACTER_CHANNEL_ID=200 \
	wn-discord -n -v -v in.ndjson >out 2>err
same "webhook routes" "$(jq -r .route out | tr '\n' ' ')" \
	"webhook:system_kill webhook:main webhook:main channel:200 webhook:main "
check "no token in the output" sh -c '! grep -q -e TOKEN -e cccc3333 out'
check "no token in the log" sh -c '! grep -q -e TOKEN -e cccc3333 err'

# A .env file is read as data, like Wanderer Notifier's.
printf 'DISCORD_BOT_TOKEN=%s\nDISCORD_CHANNEL_ID=100\nDISCORD_CHARACTER_KILL_CHANNEL_ID="200"\n' \
	"$BOT" > .env
same ".env channels" "$(wn-discord -n in.ndjson 2>/dev/null | jq -r .route | head -n 2 | tr '\n' ' ')" \
	"channel:100 channel:200 "
rm .env

# Configuration errors: exit 100, name the variable, never the secret.
DISCORD_WEBHOOK_URL=https://example.com/not-a-hook/SECRETxyz123 \
	wn-discord -n in.ndjson >/dev/null 2>err; rc=$?
same "bad webhook URL exits 100" "$rc" 100
contains "error names the variable" "$(cat err)" "DISCORD_WEBHOOK_URL"
check "error hides the value" sh -c '! grep -q SECRETxyz123 err'
DISCORD_CHANNEL_ID=100 wn-discord -n in.ndjson >/dev/null 2>err; rc=$?
same "channel without bot token exits 100" "$rc" 100
contains "says what is missing" "$(cat err)" "DISCORD_BOT_TOKEN"
wn-discord in.ndjson >/dev/null 2>err; rc=$?
same "delivery without any route exits 100" "$rc" 100
contains "says how to configure" "$(cat err)" "DISCORD_WEBHOOK_URL"

# A dry run beside a delivering wn-discord leaves that one's status file be.
mkfifo live.fifo
sleep 30 >live.fifo & W=$!
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord live.fifo 2>live.err & L=$!
FAKE_PIDS="$FAKE_PIDS $W $L"
owned() { jq -e --argjson p "$L" '.pid == $p and .state == "delivering"' "$S" >/dev/null; }
check "a delivering wn-discord writes its status" wait_for "its status" 10 owned
wn-discord -n in.ndjson >/dev/null 2>err
check "a dry run beside it leaves that status file alone" owned
contains "... and says so" "$(cat err)" "wn-discord (pid $L) runs here"
kill -TERM "$L"; wait "$L"; kill "$W" 2>/dev/null
wn-discord -n in.ndjson >/dev/null 2>err
same "once it has stopped, a dry run writes the status file again" \
	"$(jq -r '"\(.pid != '"$L"') \(.formatted)"' "$S" 2>&1)" "true 5"

check "man page lints clean" mandoc -Tlint -W warning "$WN_ROOT/man/wn-discord.1"
# The map's own system name titles a kill only where it lands in the
# system-kill channel (Wanderer Notifier #112); elsewhere the EVE name.
named='{"type":"killmail","killmail_id":9,"solar_system_id":31001503,"solar_system_name":"J155416","notify":{"kind":"%s","system_name":"Home"}}\n'
printf "$named" system_kill character_kill >named.ndjson
title() { jq -r '.payload.embeds[0].title' | tr '\n' '|'; }
same "one channel for all: the map name in both titles" \
	"$(wn-discord --dry-run named.ndjson | title)" "Ship destroyed in Home|Ship destroyed in Home|"
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_SYSTEM_KILL_CHANNEL_ID=200 \
	DISCORD_CHARACTER_KILL_CHANNEL_ID=300 wn-discord --dry-run named.ndjson >named.out
same "own kill channels: the map name only in the system-kill channel" \
	"$(title <named.out)" "Ship destroyed in Home|Ship destroyed in J155416|"
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_SYSTEM_KILL_CHANNEL_ID=200 \
	DISCORD_CHARACTER_KILL_CHANNEL_ID=200 wn-discord --dry-run named.ndjson >named.out
same "both kinds in one channel id: the map name in both" \
	"$(title <named.out)" "Ship destroyed in Home|Ship destroyed in Home|"
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_SYSTEM_KILL_CHANNEL_ID=200 \
	wn-discord --dry-run named.ndjson >named.out
same "character kills fall back to the main channel: the EVE name there" \
	"$(title <named.out)" "Ship destroyed in Home|Ship destroyed in J155416|"

done_testing
