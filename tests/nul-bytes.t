#!/bin/sh
# A raw NUL byte in a record (issue 17 item 9): one rule for every tool.
# wn-filter, wn-enrich and wn-discord -n each skip the line with one
# warning naming it, and the good record after it still flows.
. "$WN_ROOT/tests/lib.sh"
head -n 1 "$WN_ROOT/examples/killmails.ndjson" | jq -c '.notify = {kind: "system_kill"}' > good
{ printf '{"killmail_id":5,"victim":{"character_name":"Nul\000Name"}}\n'; cat good; } > in
export ESI_URL=http://127.0.0.1:9 DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/111/mainTOKENaaaa1111
good_id=$(jq -r .killmail_id good)

wn-enrich -C -K -w 1 -t 200 in >out 2>err
contains "wn-enrich: the NUL line named" "$(cat err)" "in:1: NUL byte"
same "wn-enrich: the good record flows" "$(jq -r .killmail_id out)" "$good_id"
wn-discord -n in >out 2>err
contains "wn-discord -n: the NUL line named" "$(cat err)" "in:1: NUL byte"
same "wn-discord -n: the good record is shown" "$(grep -c "kill/$good_id/" out)" 1
check "wn-discord -n: no truncated name posted" sh -c "! grep -q '\"Nul\"' out"
wn-filter in >/dev/null 2>err
contains "wn-filter: the NUL line refused too" "$(cat err)" "in:1:"

done_testing
