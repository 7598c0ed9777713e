#!/bin/sh
# killid.t — one rule for killmail ids in every tool (issue 17 item 10):
# -1, 0, 1e999, 2^63 and a 2^53 beyond exact are each refused by wn-filter
# and wn-discord with one warning line naming the record, and the good
# record after them still flows.  wn-filter once passed -1 as a tracked
# kill; wn-discord posted all of them without link or warning.  1e999
# is no double at all: both readers refuse it as JSON (num_json_ok), so
# its line is "bad number" rather than "not a valid id", still one line.
. "$WN_ROOT/tests/lib.sh"
head -n 1 "$WN_ROOT/examples/killmails.ndjson" | jq -c '.notify = {kind: "system_kill"}' > good
good_id=$(jq -r .killmail_id good)
bad="-1 0 1e999 9223372036854775808 9007199254740993"
: >in
for v in $bad; do
	sed "s/\"killmail_id\":$good_id/\"killmail_id\":$v/" good >>in
done
cat good >>in
check "the bad records carry their ids" [ "$(grep -c "killmail_id\":$good_id" in)" -eq 1 ]
export ESI_URL=http://127.0.0.1:9 DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/111/mainTOKENaaaa1111

wn-filter in >out 2>err
same "wn-filter: one warning per bad id" "$(grep -c 'killmail_id is not a valid id\|: bad number; skipped' err)" 5
for i in 1 2 4 5; do
	contains "wn-filter: line $i named" "$(cat err)" "in:$i: killmail_id is not a valid id"
done
contains "wn-filter: line 3 (1e999) named" "$(cat err)" "in:3: malformed JSON at byte 33: bad number"
check "wn-filter: the good record is not refused" sh -c "! grep -q 'in:6:' err"

wn-discord -n in >out 2>err
same "wn-discord -n: one warning per bad id" "$(grep -c 'killmail_id is not a valid id\|: bad number; skipped' err)" 5
contains "wn-discord -n: 1e999 named (line 3)" "$(cat err)" "in:3: malformed JSON at byte 33: bad number"
same "wn-discord -n: only the good record is shown" "$(grep -c 'zkillboard.com/kill/' out)" \
	"$(grep -c "kill/$good_id/" out)"
check "wn-discord -n: the good record is shown" [ "$(grep -c "kill/$good_id/" out)" -ge 1 ]
done_testing
