#!/bin/sh
# wn-discord delivery through the fake Discord: webhooks and bot channels,
# routing with fallback, keep-alive, exactly the dry-run body, replays as
# no-ops, pacing by bucket headers and by the global limit.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"

# -- one webhook --
start_discord d1 --webhook-limit 50/1
kills 8 8001 > in.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord -v -v in.ndjson >out 2>err; rc=$?
same "exit 0 at end of input" "$rc" 0
same "stdout stays empty" "$(wc -c <out | tr -d ' ')" 0
same "every message saved once, in order" "$(saved_ids d1 | tr '\n' ' ')" \
	"$(ids 8001 8 | tr '\n' ' ')"
same "one connection for all (keep-alive)" "$(stat d1 .connections)" 1
contains "User-Agent DiscordBot (url, version)" "$(stat d1 '.user_agents | keys[0]')" \
	"DiscordBot (https://"
same "no 4xx/5xx" "$(stat d1 '[.status | to_entries[] | select(.key != "200")] | length')" 0
WN_STATE_DIR=$T/dry wn-discord -n in.ndjson | jq -c -S '.payload' > dry	# its own status
recorded d1 '.[] | .body' | jq -c -S . > posted
check "posted bodies are the dry-run payloads" cmp -s dry posted
same "spool empty afterwards" "$(spooled)" 0
same "delivered log has every message" "$(grep -c killmail: "$WN_STATE_DIR/discord/delivered.log")" 8
same "status counts deliveries" \
	"$(jq -r '"\(.delivered) \(.queued)"' "$WN_STATE_DIR/status/wn-discord.json")" "8 0"
check "webhook token never logged" sh -c '! grep -q mainTOKEN err'

# -- the same input again (a replay, a restart): nothing is posted --
n0=$(stat d1 .requests)
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord in.ndjson 2>err; rc=$?
same "replay exits 0" "$rc" 0
same "replay posts nothing" "$(stat d1 .requests)" "$n0"
same "replay counted as duplicates" \
	"$(jq -r .duplicates "$WN_STATE_DIR/status/wn-discord.json")" 8
# a copy inside one run is posted once too
kills 3 8101 > twice.ndjson; kills 3 8101 >> twice.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord twice.ndjson 2>/dev/null
same "a second copy in the same input is not posted" "$(saved_ids d1 | grep -c '^81')" 3

# -- routing: own webhook, own channel, fallback to the main channel --
export WN_STATE_DIR=$T/state2
start_discord d2 --webhook-limit 50/1 --channel-limit 50/1
{ kills 2 8201 system_kill; kills 2 8301 character_kill
  event system system; event character character; event rally_point rally_point
} > mixed.ndjson
DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 DISCORD_CHARACTER_CHANNEL_ID=200 \
DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL wn-discord mixed.ndjson 2>err; rc=$?
same "mixed routes exit 0" "$rc" 0
same "system kills to their webhook" "$(stat d2 '.by_route["webhook:222"]')" 2
same "character messages to their channel" "$(stat d2 '.by_route["channel:200"]')" 1
same "the rest falls back to the main channel" "$(stat d2 '.by_route["channel:100"]')" 4
same "bot messages carry a nonce with enforce_nonce" \
	"$(recorded d2 '[.[] | select(.route | startswith("channel")) | select(.nonce != null and .body.enforce_nonce == true)] | length')" 5
same "webhook messages carry none" \
	"$(recorded d2 '[.[] | select(.route | startswith("webhook")) | select(.body.nonce != null)] | length')" 0
check "bot token never logged" sh -c '! grep -q cccc3333 err'

# -- pacing from the bucket headers: 12 messages, 5 per 2 s, no 429 --
export WN_STATE_DIR=$T/state3
start_discord d3 --webhook-limit 5/2
kills 12 8401 > burst.ndjson
t0=$(date +%s.%N)
DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord burst.ndjson 2>err
t1=$(date +%s.%N)
same "all 12 saved" "$(saved_ids d3 | wc -l | tr -d ' ')" 12
same "no 429 at all" "$(stat d3 '."429"')" 0
check "paced over two resets (>= 4 s)" sh -c "echo '$t1 - $t0 >= 3.9' | bc | grep -q 1"
check "without idling (< 7 s, more under sanitizers)" sh -c "echo '$t1 - $t0 < 7 * ${WN_WAIT_SCALE:-1}' | bc | grep -q 1"

# -- the global limit: our own pacing avoids the fake's global 429s --
export WN_STATE_DIR=$T/state4
start_discord d4 --webhook-limit 50/1 --global-limit 4
{ kills 6 8501 system_kill; kills 6 8601 character_kill; } > two.ndjson
WN_DISCORD_GLOBAL_LIMIT=4 DISCORD_WEBHOOK_URL=$HOOK_MAIN \
DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL wn-discord two.ndjson 2>err
same "12 saved over two webhooks" "$(saved_ids d4 | wc -l | tr -d ' ')" 12
same "no global 429 with our limit at theirs" "$(stat d4 '."429"')" 0
# ...and when ours is higher, their global 429s are waited out
export WN_STATE_DIR=$T/state5
start_discord d5 --webhook-limit 50/1 --global-limit 4
DISCORD_WEBHOOK_URL=$HOOK_MAIN DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL \
	wn-discord two.ndjson 2>err
check "global 429s happened" test "$(stat d5 '."429"')" -ge 1
contains "logged as global" "$(cat err)" "rate limited (global"
same "still every message exactly once" "$(saved_ids d5 | sort -n | uniq | wc -l | tr -d ' ') $(saved_ids d5 | wc -l | tr -d ' ')" "12 12"
check "429s stay few (waited, not hammered)" test "$(stat d5 '."429"')" -le 4
# -- deliveries are remembered for WN_DISCORD_DEDUP_SECONDS, then forgotten --
export WN_STATE_DIR=$T/state6
start_discord d6 --webhook-limit 50/1
kills 2 8701 > ttl.ndjson
export WN_DISCORD_DEDUP_SECONDS=3 DISCORD_WEBHOOK_URL=$HOOK_MAIN
wn-discord ttl.ndjson 2>/dev/null
wn-discord ttl.ndjson 2>/dev/null
same "within the expiry a replay is a no-op" "$(stat d6 .accepted)" 2
sleep 3.2
wn-discord ttl.ndjson 2>/dev/null
same "after it the same kills are posted again" "$(stat d6 .accepted)" 4
unset WN_DISCORD_DEDUP_SECONDS

# -- -q bounds what is queued: input waits upstream, not in memory --
export WN_STATE_DIR=$T/state7
start_discord d7 --webhook-limit 2/5
mkfifo q.fifo
{ kills 10 8801; sleep 30; } > q.fifo & writer=$!
wn-discord -q 3 q.fifo 2>/dev/null & pid=$!
sleep 1.5
same "two sent, then the bucket is empty" "$(stat d7 .accepted)" 2
same "no more than -q 3 queued meanwhile" "$(spooled)" 3
kill -TERM $pid; wait $pid; kill $writer 2>/dev/null
done_testing
