#!/bin/sh
# wn-discord when the network misbehaves: slow answers, timeouts, dropped
# connections, answers lost after Discord saved the message (the bot API's
# nonce makes the retry harmless), cut-off and non-JSON bodies.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"
export HTTP_DISCORD_TIMEOUT=1000

# run NAME FAULT ROUTE: 3 kills through fake NAME with FAULT on the first
# request, ROUTE = hook (main webhook) or bot (main channel)
run() {
	export WN_STATE_DIR=$T/$1
	start_discord "$1" --webhook-limit 50/1 --channel-limit 50/1 --fault "$2"
	kills 3 "$4" > "$1.ndjson"
	if [ "$3" = hook ]; then
		DISCORD_WEBHOOK_URL=$HOOK_MAIN wn-discord "$1.ndjson" 2>"$1.err"
	else
		DISCORD_BOT_TOKEN=$BOT DISCORD_CHANNEL_ID=100 wn-discord "$1.ndjson" 2>"$1.err"
	fi
	rc=$?
}

run slow slow:0.5 hook 1001
same "slow answer within the timeout: exit 0" "$rc" 0
same "slow: saved once each, no retry" "$(saved_ids slow | tr '\n' ' ') $(stat slow .requests)" \
	"1001 1002 1003  3"

run hang hang:1.5 hook 1101
same "timeout (nothing saved): exit 0" "$rc" 0
same "timeout: retried, saved once each" "$(saved_ids hang | tr '\n' ' ')" "1101 1102 1103 "
contains "timeout: logged as a retry" "$(cat hang.err)" "retrying in"

run drop drop hook 1201
same "dropped connection: saved once each" "$(saved_ids drop | tr '\n' ' ')" "1201 1202 1203 "
check "dropped connection: reconnected" test "$(stat drop .connections)" -ge 2

run dropbot drop-after bot 1301
same "answer lost after saving (bot): each message once" \
	"$(saved_ids dropbot | tr '\n' ' ')" "1301 1302 1303 "
same "answer lost (bot): Discord matched the nonce of the retry" "$(stat dropbot .nonce_hits)" 1

run trunc truncate bot 1401
same "cut-off body (bot): each message once" "$(saved_ids trunc | tr '\n' ' ')" "1401 1402 1403 "
same "cut-off body (bot): the retry matched the nonce" "$(stat trunc .nonce_hits)" 1

run badjson badjson hook 1501
same "200 with a non-JSON body still counts as delivered" \
	"$(saved_ids badjson | tr '\n' ' ') $(stat badjson .requests)" "1501 1502 1503  3"

# Webhooks have no nonce: an answer lost after saving can repeat that one
# message (documented in wn-discord(1)), never more, never lose one.
run drophook drop-after hook 1601
same "answer lost (webhook): nothing lost" "$(saved_ids drophook | sort -n | uniq | tr '\n' ' ')" \
	"1601 1602 1603 "
check "answer lost (webhook): at most the one duplicate" \
	test "$(saved_ids drophook | wc -l)" -le 4
done_testing
