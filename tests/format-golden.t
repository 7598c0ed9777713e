#!/bin/sh
# format-golden.t — every golden case in tests/golden/format through the
# real wn-discord --dry-run: the payload must equal the expected body
# (key order aside) and the route must be the expected class.
. "$WN_ROOT/tests/lib.sh"

for g in "$WN_ROOT"/tests/golden/format/*.json; do
	name=${g##*/}
	jq -c .record "$g" >rec.ndjson
	plain=$(jq -r 'if .options.plain_text then "-p" else "" end' "$g")
	roles=$(jq -r '.options.rally_roles // ""' "$g")
	DISCORD_RALLY_GROUP_IDS=$roles wn-discord --dry-run $plain rec.ndjson \
		>out.ndjson 2>err.txt
	same "$name: one message" "$(wc -l <out.ndjson | tr -d ' ')" 1
	same "$name: payload" "$(jq -cS .payload out.ndjson)" "$(jq -cS .expect "$g")"
	same "$name: route" "$(jq -r .route out.ndjson)" "$(jq -r .route "$g")"
done

# the whole set as one stream, with a bad line in the middle: every
# good record still becomes its message, in order
for g in "$WN_ROOT"/tests/golden/format/*.json; do
	jq -c .record "$g"
	[ "${g##*/}" = kill_bare.json ] && echo '{"type":"killmail","notify":{"kind":"nope"}}'
done >all.ndjson
wn-discord --dry-run all.ndjson >all.out 2>all.err
want=$(ls "$WN_ROOT"/tests/golden/format/*.json | wc -l | tr -d ' ')
same "stream: one message per good record" "$(wc -l <all.out | tr -d ' ')" "$want"
contains "stream: the bad record is reported" "$(cat all.err)" "notify.kind"
same "stream: every payload has allowed_mentions" \
	"$(jq -c 'select(.payload.allowed_mentions.parse == null)' all.out | wc -l | tr -d ' ')" 0

done_testing
