#!/bin/sh
# wn-discord killed with SIGKILL again and again during a burst, restarted
# each time on the same input (a replay, as after a pipeline restart):
# every message reaches Discord, none twice (bot API), at most one extra
# per kill on webhooks (no nonce there; see wn-discord(1)).
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"
N=200

# The fake answers 30 ms after saving, as a distant Discord would: a kill
# often lands between Discord saving a message and us recording it.
# crashes NAME: run wn-discord on in.ndjson, SIGKILL it after varying
# delays four times, then let it finish; prints the number of kills made.
crashes() {
	k=0
	for d in 0.3 0.9 0.5 1.3; do
		wn-discord in.ndjson 2>>"$1.err" & pid=$!
		sleep "$d"
		if kill -KILL $pid 2>/dev/null; then k=$((k + 1)); fi
		wait $pid 2>/dev/null
	done
	mid=$(saved_ids "$1" | wc -l | tr -d ' ')
	wn-discord in.ndjson 2>>"$1.err"; echo "rc=$? mid=$mid kills=$k"
}

# midway RESULT: the kills left work undone (they hit a burst, not the end)
midway() { m=${1#*mid=}; m=${m%% *}; [ "$m" -gt 0 ] && [ "$m" -lt $N ]; }

kills $N 20001 > in.ndjson

# -- bot channel: exactly once --
export WN_STATE_DIR=$T/bot DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100
start_discord bot --channel-limit 10/0.5 --latency 0.03
res=$(crashes bot)
contains "bot: the last run exits 0" "$res" "rc=0"
diag "bot: $res, answers lost in a kill and matched by nonce: $(stat bot .nonce_hits)"
check "bot: killed at least twice" test "${res#*kills=}" -ge 2
check "bot: the kills came mid-burst" midway "$res"
same "bot: every message saved" "$(saved_ids bot | sort -n | uniq | wc -l | tr -d ' ')" $N
same "bot: none twice" "$(saved_ids bot | wc -l | tr -d ' ')" $N
same "bot: spool empty" "$(spooled)" 0
same "bot: nothing refused" "$(dead)" 0
unset DISCORD_BOT_TOKEN DISCORD_CHANNEL_ID

# -- webhook: no loss, duplicates only from a kill inside the window --
export WN_STATE_DIR=$T/hook DISCORD_WEBHOOK_URL=$HOOK_MAIN
start_discord hook --webhook-limit 10/0.5 --latency 0.03
res=$(crashes hook)
contains "webhook: the last run exits 0" "$res" "rc=0"
k=${res#*kills=}
check "webhook: killed at least twice" test "$k" -ge 2
check "webhook: the kills came mid-burst" midway "$res"
same "webhook: every message saved" "$(saved_ids hook | sort -n | uniq | wc -l | tr -d ' ')" $N
total=$(saved_ids hook | wc -l | tr -d ' ')
diag "webhook: $res, $((total - N)) duplicate(s)"
check "webhook: at most one duplicate per kill" test "$total" -le $((N + k))
same "webhook: spool empty" "$(spooled)" 0
# replays after a crash-free end post nothing
n0=$(stat hook .requests)
wn-discord in.ndjson 2>/dev/null
same "webhook: a further replay posts nothing" "$(stat hook .requests)" "$n0"
done_testing
