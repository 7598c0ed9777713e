#!/bin/sh
# wn-kills --source r2z2 against a fake R2Z2: start from sequence.json,
# follow N.json, 404 = not yet (wait, same N), a gap below the head is
# skipped, sequence_updated is fetched again, 429 honours Retry-After,
# the cursor survives a restart, local filtering by tracked ids.
. "$WN_ROOT/tests/lib.sh"
export R2Z2_POLL_MS=300 R2Z2_INTERVAL_MS=50
: > r2.cmd
start_fake r2 r2z2.py --commands "$T/r2.cmd" --log "$T/r2.jsonl" \
	--template "$WN_FIXTURES/kills/r2z2_file.json" --first 999 || exit 1
export R2Z2_URL=http://127.0.0.1:$PORT/ephemeral
rcmd() { echo "$*" >> r2.cmd; }
ids() { jq -r .killmail_id "$1" | tr '\n' ' ' | sed 's/ $//'; }
has_id() { [ -f "$1" ] && jq -r .killmail_id "$1" 2>/dev/null | grep -qx "$2"; }
got() { grep -c "\"path\":\"/ephemeral/$1.json\",\"status\":$2" r2.jsonl; }
got_ge() { [ "$(got "$1" "$2")" -ge "$3" ]; }
kstat() { jq -r ".$1 // 0" "$WN_STATE_DIR/status/wn-kills.json" 2>/dev/null; }

rcmd publish 500 31001503            # 999: before the start, not read
rcmd publish 501 31001503            # 1000: sequence.json says this
sleep 0.3
wn-kills --source r2z2 -S 31001503 -C 2112000001 > out 2>err & pid=$!
wait_for "the first kill" 10 has_id out 501
rcmd publish 502 30000142            # 1001: untracked
rcmd publish 503 30000142 2112000001 # 1002: tracked character
wait_for "the published kills" 10 has_id out 503
same "started at sequence.json, filtered locally" "$(ids out)" "501 503"
same "records: canonical" "$(jq -r .type out | sort -u)" killmail
same "records: system from the ESI body" "$(jq -r 'select(.killmail_id==501)|.solar_system_id' out)" 31001503
check "records: zkb kept" [ "$(jq -r 'select(.killmail_id==501)|.zkb.totalValue' out)" != null ]

# -- 404 at the head: the same N again, after the poll interval --
wait_for "two 404s for 1003" 10 got_ge 1003 404 2
rcmd publish 504 31001503            # 1003
wait_for "the kill published late" 10 has_id out 504
t404=$(grep '"/ephemeral/1003.json","status":404' r2.jsonl | jq -r .t | head -n2 | tr '\n' ' ')
check "404: waited the poll interval before asking again" \
	awk -v a="${t404% *}" -v b="${t404#* }" 'BEGIN { exit !(b - a >= 0.25) }'
same "404: never asked for 1004 before 1003 was there" \
	"$(awk '/1004.json/ { print; exit } /1003.json","status":200/ { exit }' r2.jsonl | wc -l | tr -d ' ')" 0

# -- a gap below the head is skipped after a few tries --
rcmd gap                             # 1004 never published
rcmd publish 505 31001503            # 1005
wait_for "the kill after the gap" 10 has_id out 505
contains "gap: logged" "$(cat err)" "sequence 1004 missing below the head"
check "gap: tried more than once first" [ "$(got 1004 404)" -ge 2 ]

# -- sequence_updated: the older file again --
rcmd update 1000
rcmd publish 506 31001503            # 1006, carries sequence_updated 1000
wait_for "the updated kill" 10 sh -c '[ $(jq -r .killmail_id out | grep -c "^501$") -ge 2 ]'
same "sequence_updated: the new value" "$(jq -r 'select(.killmail_id==501)|.zkb.totalValue' out | tail -n1)" 1000000000

# -- 429: wait as told --
rcmd throttle 1
rcmd publish 507 31001503            # 1007
wait_for "the kill after a 429" 10 has_id out 507
t429=$(grep '"status":429' r2.jsonl | jq -r .t | head -n1)
tnext=$(awk -v t="$t429" -F'"t":' '/"status":/ { split($2, a, "}"); if (a[1] > t) { print a[1]; exit } }' r2.jsonl)
check "429: the next request came after Retry-After" awk -v a="$t429" -v b="$tnext" 'BEGIN { exit !(b - a >= 0.9) }'

# -- a file that is not JSON: counted, skipped --
rcmd bad                             # 1008
rcmd publish 508 31001503            # 1009
wait_for "the kill after the bad file" 10 has_id out 508
contains "bad file: one line naming it" "$(cat err)" "sequence 1008: malformed JSON"

kill -TERM $pid; wait $pid; rc=$?
same "SIGTERM: exit 0" "$rc" 0
same "cursor saved: next is 1010" "$(cat state/r2z2.seq)" 1010
same "status: the gap counted" "$(kstat gaps)" 1
same "status: the bad file counted" "$(kstat bad)" 1
same "never over the rate limit" "$(grep -c over_rate r2.jsonl)" 0

# -- restart: exactly where it stopped --
rcmd publish 509 31001503            # 1010, while stopped
rcmd publish 510 31001503            # 1011
sleep 0.3
: > r2.jsonl
wn-kills --source r2z2 --all > out2 2>err2 & pid=$!
wait_for "the kills published while stopped" 10 has_id out2 510
same "restart: resumed at the saved sequence" "$(grep -m1 '"path"' r2.jsonl | jq -r .path)" /ephemeral/1010.json
same "restart: exactly the new kills" "$(ids out2)" "509 510"
kill -TERM $pid; wait $pid
same "restart: cursor" "$(cat state/r2z2.seq)" 1012
done_testing
