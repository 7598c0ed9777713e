#!/bin/sh
# wn-discord against Discord's transient faults: 5xx with exponential
# backoff, route/global/shared 429s waited out for retry_after, and the
# Cloudflare ban (429 without any hint) cooled down instead of hammered.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"
export DISCORD_WEBHOOK_URL=$HOOK_MAIN HTTP_DISCORD_TIMEOUT=3000

elapsed() { echo "$(date +%s.%N) - $1" | bc; }
ge() { [ "$(echo "$1 >= $2" | bc)" = 1 ]; }
requests_ge() { [ "$(stat "$1" .requests)" -ge "$2" ]; }

# -- 500, 502, 503: retried with growing delays (1, 2, 4 s + jitter) --
export WN_STATE_DIR=$T/s1
start_discord f1 --webhook-limit 50/1 --fault 500 --fault 502 --fault 503
kills 3 9001 > in.ndjson
t0=$(date +%s.%N)
wn-discord in.ndjson 2>err; rc=$?
e=$(elapsed "$t0")
same "5xx: exit 0" "$rc" 0
same "5xx: each message saved exactly once" "$(saved_ids f1 | tr '\n' ' ')" "9001 9002 9003 "
same "5xx: three retries counted" "$(jq -r .retries "$WN_STATE_DIR/status/wn-discord.json")" 3
check "5xx: backoff doubles (>= 7 s in all)" ge "$e" 7
check "5xx: but not wildly (< 12 s)" ge 12 "$e"
contains "5xx: each retry logged" "$(grep -c 'retrying in' err)" 3

# -- route 429: wait retry_after (a float), then succeed --
export WN_STATE_DIR=$T/s2
start_discord f2 --webhook-limit 50/1 --fault 429:1.5
kills 2 9101 > in.ndjson
t0=$(date +%s.%N)
wn-discord in.ndjson 2>err
e=$(elapsed "$t0")
same "429: both saved once" "$(saved_ids f2 | tr '\n' ' ')" "9101 9102 "
same "429: exactly one 429" "$(stat f2 '."429"')" 1
check "429: waited retry_after (>= 1.5 s)" ge "$e" 1.5
check "429: and not much longer (< 3.5 s)" ge 3.5 "$e"
contains "429: logged with its scope" "$(cat err)" "rate limited (user), waiting 1.5"

# -- global 429 and shared 429 --
export WN_STATE_DIR=$T/s3
start_discord f3 --webhook-limit 50/1 --fault 429global:1 --fault 429shared:1.2
kills 2 9201 > in.ndjson
t0=$(date +%s.%N)
wn-discord in.ndjson 2>err
e=$(elapsed "$t0")
same "global+shared: both saved once" "$(saved_ids f3 | tr '\n' ' ')" "9201 9202 "
contains "global 429 recognised" "$(cat err)" "rate limited (global"
contains "shared 429 recognised" "$(cat err)" "rate limited (shared"
check "both waits honoured (>= 2.2 s)" ge "$e" 2.2
same "shared 429 is no invalid request" "$(stat f3 .invalid)" 1

# -- Cloudflare ban: 429 without headers or retry_after: cool down --
for kind in cloudflare cloudflare-html; do
	export WN_STATE_DIR=$T/s-$kind
	start_discord "$kind" --webhook-limit 50/1 --fault "$kind"
	{ kills 1 9301 system_kill; kills 1 9302 character_kill; } > in.ndjson
	DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL wn-discord in.ndjson 2>err & pid=$!
	wait_for "$kind first request" 10 requests_ge "$kind" 1
	sleep 2.5
	same "$kind: no second request during the cool-down, on any route" "$(stat "$kind" .requests)" 1
	kill -TERM $pid; wait $pid; rc=$?
	same "$kind: SIGTERM exits 0" "$rc" 0
	same "$kind: messages kept in the spool" "$(spooled)" 2
	contains "$kind: cool-down logged" "$(cat err)" "no retry_after; cooling down 60 s"
done
# the spooled message goes out on the next start
DISCORD_SYSTEM_KILL_WEBHOOK_URL=$HOOK_KILL wn-discord </dev/null 2>err; rc=$?
same "after restart: exit 0" "$rc" 0
same "after restart: the spooled messages are posted" \
	"$(saved_ids cloudflare-html | sort -n | tr '\n' ' ')" "9301 9302 "
same "after restart: spool empty" "$(spooled)" 0
done_testing
