#!/bin/sh
# wn-kills --source r2z2: a restart resumes from the saved sequence
# number.  Kills keep being published (one every 0.1 s) while wn-kills is
# stopped for 3 s; every tracked one comes out once across the restart,
# none is skipped and none repeated.
. "$WN_ROOT/tests/lib.sh"
export R2Z2_POLL_MS=200 R2Z2_INTERVAL_MS=50
: > r2.cmd
start_fake r2 r2z2.py --commands "$T/r2.cmd" --log "$T/r2.jsonl" \
	--template "$WN_FIXTURES/kills/r2z2_file.json" --first 5000 || exit 1
export R2Z2_URL=http://127.0.0.1:$PORT/ephemeral
rcmd() { echo "$*" >> r2.cmd; }
count_ids() { [ -f out ] && jq -r .killmail_id out 2>/dev/null | sort -u | wc -l | tr -d ' ' || echo 0; }
ids_ge() { [ "$(count_ids)" -ge "$1" ]; }
has_id() { [ -f out ] && jq -r .killmail_id out 2>/dev/null | grep -qx "$1"; }

# publish FIRST N: N kills, every fifth in an untracked system
publish() {
	i=0
	while [ $i -lt "$2" ]; do
		k=$(($1 + i))
		if [ $((k % 5)) -eq 0 ]; then rcmd publish $k 30000142; else rcmd publish $k 31001503; fi
		sleep 0.1
		i=$((i + 1))
	done
}

rcmd publish 700 31001503               # 5000: where sequence.json points
sleep 0.3
wn-kills --source r2z2 -S 31001503 >> out 2> err1 & pid=$!
wait_for "the first kill" 10 has_id 700
publish 701 20 &                        # 2 s of kills while it runs
pub=$!
sleep 1
kill -TERM $pid; wait $pid; rc1=$?
same "first run: exit 0" "$rc1" 0
saved=$(cat state/r2z2.seq)
wait $pub
publish 721 30                          # 3 s while it is stopped
t2=$(date +%s.%N)
wn-kills --source r2z2 -S 31001503 >> out 2> err2 & pid=$!
publish 751 10                          # and on, after the start
# 700..760: 61 kills, 12 of them untracked (the multiples of 5)
wait_for "every tracked kill" 20 ids_ge 49
sleep 1
kill -TERM $pid; wait $pid
contains "restart: resumed from the saved sequence" "$(cat err2)" "from the saved sequence"
check "restart: the saved cursor was inside the run ($saved)" [ "$saved" -gt 5000 ] && [ "$saved" -lt 5061 ]
same "restart: the first file asked is the saved one" \
	"$(jq -r --argjson t "$t2" 'select(.t > $t and .path) | .path' r2.jsonl | head -n1)" "/ephemeral/$saved.json"
same "every tracked kill once" "$(count_ids)" 49
same "no repeats" "$(wc -l < out | tr -d ' ')" 49
same "no untracked kill" "$(jq -r 'select(.solar_system_id != 31001503) | .killmail_id' out | wc -l | tr -d ' ')" 0
same "nothing skipped" "$(grep -c 'missing below the head' err1 err2 | awk -F: '{ s += $2 } END { print s }')" 0
done_testing
