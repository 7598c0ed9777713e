# pipeline.sh with stand-in stages: wiring over FIFOs, draining on SIGTERM,
# exit 111/100 when a stage dies, readiness, the lock, leftovers, .env as
# data, replays of every file kind.  The stand-ins are small sh scripts
# named like the tools, so what is tested is pipeline.sh's own behaviour;
# tests/e2e*.t run the real tools.
. "$WN_ROOT/tests/lib.sh"

P=$WN_ROOT/pipeline.sh
B=$T/bin
. "$WN_ROOT/tests/pipeline-stages.sh"
make_stages "$B"
export WN_BIN=$B STUB_LOG=$T/log WN_DRAIN_SECONDS=5
R=$WN_STATE_DIR/run
S=$WN_STATE_DIR/status

stage_pid() { sed -n "s/^$1 //p" "$R/stages"; }
alive() {	# exists and is not a zombie
	kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}
none_alive() { for p in $(awk '{ print $2 }' "$R/stages"); do alive "$p" && return 1; done; return 0; }
posted() { grep -c '^posted' "$1"; }
# wait_exit PID SECS: wait for a background pipeline, its status in $rc
wait_exit() {
	i=0; while alive "$1"; do i=$((i + 1)); [ $i -gt $(($2 * 10)) ] && { rc=timeout; return 1; }; sleep 0.1; done
	wait "$1"; rc=$?
}

# --- usage ---
contains "--version" "$($P --version)" "wn-pipeline 0.1.0"
$P -h 2>err; same "-h exits 100 (as every tool)" $? 100
contains "-h prints usage" "$(cat err)" "usage: wn-pipeline"
$P --bogus 2>/dev/null; same "unknown option: 100" $? 100
$P x.ndjson 2>err; same "files without --replay: 100" $? 100
$P --replay 2>/dev/null; same "--replay without files: 100" $? 100
$P --replay /nonexistent 2>err; same "unreadable replay file: 100" $? 100
contains "unreadable replay file named" "$(cat err)" "unable to read /nonexistent"
$P --ready-fd 7 2>err; same "--ready-fd not open: 100" $? 100
$P --now 2026-01-01T00:00:00Z 2>/dev/null; same "--now without --replay: 100" $? 100

# --- live flow, then SIGTERM drains it ---
$P >out 2>err &
pp=$!
wait_for "records posted" 10 sh -c "[ \$(grep -c '^posted' out) -ge 6 ]"
contains "map record flows mapsse → filter → discord" "$(cat out)" 'posted {"type":"system","solar_system_id":1}'
contains "kill flows kills → enrich → filter → discord" "$(cat out)" 'posted {"type":"killmail","killmail_id":1}'
same "five stages recorded" "$(awk '{ print $1 }' "$R/stages" | sort | tr '\n' ' ')" \
	"wn-discord wn-enrich wn-filter wn-kills wn-mapsse "
wait_for "running state" 5 grep -q '"state":"running"' "$S/wn-pipeline.json"
for t in wn-mapsse wn-kills wn-enrich wn-filter wn-discord; do
	same "$t is a direct child" "$(awk '/^PPid/ { print $2 }' "/proc/$(stage_pid $t)/status")" "$pp"
done
kill -HUP "$pp"
check "SIGHUP forwarded to every stage" \
	wait_for "HUP forwarded" 5 sh -c "[ \$(grep -c ' HUP' '$T/log') -eq 5 ]"
kill -TERM "$pp"
wait_exit "$pp" 20; same "SIGTERM: exit 0" "$rc" 0
check "SIGTERM: no stage left" none_alive
log=$(cat "$T/log")
contains "SIGTERM: sources stopped" "$log" "wn-kills TERM"
contains "SIGTERM: wn-enrich drained to EOF" "$log" "wn-enrich EOF"
contains "SIGTERM: wn-filter drained to EOF" "$log" "wn-filter EOF"
contains "SIGTERM: wn-discord drained to EOF" "$log" "wn-discord EOF"
last=$(sed -n 's/^wn-kills sent //p' "$T/log" | tail -n 1)
same "SIGTERM: every kill sent reached wn-discord" "$(grep -c '^posted {"type":"killmail"' out)" "$last"
contains "status: stopped" "$(cat "$S/wn-pipeline.json")" '"state":"stopped"'

# --- a stage that fails while draining makes the stop non-zero ---
STUB_EOF_CODE=7 $P >out 2>err &
pp=$!
wait_for "flow up" 10 sh -c "[ \$(grep -c '^posted' out) -ge 2 ]"
kill -TERM "$pp"
wait_exit "$pp" 20; same "stage failed while draining: exit 111" "$rc" 111
contains "stage failed while draining: said so" "$(cat err)" "wn-discord exited with status 7 while draining"

# --- a stage dies: the rest stop, exit 111, status says who ---
: >"$T/log"
$P >out 2>err &
pp=$!
wait_for "flow up" 10 sh -c "[ \$(grep -c '^posted' out) -ge 3 ]"
victim=$(stage_pid wn-enrich)
kill -KILL "$victim"
wait_exit "$pp" 20; same "stage SIGKILLed: exit 111" "$rc" 111
check "stage SIGKILLed: no stage left" none_alive
contains "stage SIGKILLed: one clear line" "$(cat err)" "wn-enrich (pid $victim) exited with status 137"
st=$(cat "$S/wn-pipeline.json")
contains "status: last exit" "$st" '"last_exit":"wn-enrich 137"'
contains "status: starts counted" "$st" '"starts":3'
contains "status: exited state" "$st" '"state":"exited: wn-enrich 137"'

STUB_FAIL=wn-discord STUB_FAIL_CODE=100 $P >out 2>err; rc=$?
same "configuration error in a stage: exit 100" "$rc" 100
STUB_FAIL=wn-filter STUB_FAIL_CODE=100 $P >out 2>err; rc=$?
same "wn-filter fails, wn-discord sees EOF: exit 100" "$rc" 100
contains "the failed stage is named as the cause" "$(cat err)" "error: wn-filter (pid"
contains "status names the cause" "$(cat "$S/wn-pipeline.json")" '"last_exit":"wn-filter 100"'
STUB_FAIL=wn-mapsse STUB_FAIL_CODE=0 $P >out 2>err; rc=$?
same "a live stage that ends: exit 111" "$rc" 111

# --- readiness on an fd, not inherited by the stages ---
: >"$T/ready"
$P --ready-fd 5 5>"$T/ready" >out 2>err &
pp=$!
wait_for "readiness" 10 test -s "$T/ready"
same "ready: one newline" "$(od -An -c "$T/ready" | tr -d ' ')" '\n'
for t in wn-discord wn-kills; do
	s=$(stage_pid $t)
	ls -l "/proc/$s/fd" 2>/dev/null | grep -q "$T/ready" && notok "$t does not hold the ready fd" ||
		ok "$t does not hold the ready fd"
	ls -l "/proc/$s/fd" 2>/dev/null | grep -q "$R/lock" && notok "$t does not hold the lock" ||
		ok "$t does not hold the lock"
done
for t in wn-mapsse wn-kills wn-enrich wn-filter wn-discord; do
	grep -q "\"pid\":$(stage_pid $t)," "$S/$t.json" || break
done && ok "ready only after every stage wrote its status" || notok "ready only after every stage wrote its status"

# --- one pipeline per run directory ---
$P >/dev/null 2>err2; same "second pipeline on the same run dir: 111" $? 111
contains "second pipeline: says why" "$(cat err2)" "another wn-pipeline is running"

# --- pipeline SIGKILLed: its orphans are stopped by the next run ---
old=$(stage_pid wn-discord)
kill -KILL "$pp"; wait "$pp" 2>/dev/null
check "orphaned stage still running" alive "$old"
$P >out3 2>err &	# the orphans still write to out
pp=$!
wait_for "new flow" 10 sh -c "[ \$(grep -c '^posted' out3) -ge 2 ]"
contains "leftover named" "$(cat err)" "stopping wn-discord (pid $old) left over"
alive "$old" && notok "leftover stopped" || ok "leftover stopped"
kill -TERM "$pp"; wait_exit "$pp" 20; same "and that run stops cleanly" "$rc" 0

# --- .env read as data; secrets stay out of argv ---
mkdir -p "$T/cfg"
cat >"$T/cfg/env" <<EOF
# a Wanderer Notifier .env
export WN_STATE_DIR="$T/state2"   
DISCORD_BOT_TOKEN=sekrit-token-value
MAP_NAME=\$(touch $T/pwned)
WN_RUN_DIR=$T/run2 # run dir
EOF
DISCORD_BOT_TOKEN=sekrit-token-value WN_STATE_DIR= WN_ENV_FILE=$T/cfg/env $P >out 2>err &
pp=$!
wait_for "flow with .env" 10 test -s "$T/run2/stages"
check ".env: WN_STATE_DIR used (quoted, export)" test -d "$T/state2/status"
check ".env: WN_RUN_DIR used (comment cut)" test -p "$T/run2/notify.fifo"
test -e "$T/pwned" && notok ".env: nothing executed" || ok ".env: nothing executed"
args=$(for p in $(awk '{ print $2 }' "$T/run2/stages"); do tr '\0' ' ' <"/proc/$p/cmdline"; done)
case $args in *sekrit*) notok "no secret in any stage's argv";; *) ok "no secret in any stage's argv";; esac
contains "stages see WN_ENV_FILE" "$(tr '\0' '\n' <"/proc/$(sed -n 's/^wn-kills //p' "$T/run2/stages")/environ")" "WN_ENV_FILE=$T/cfg/env"
kill -TERM "$pp"; wait_exit "$pp" 20

# --- options reach the stages ---
rm -f "$T"/log.args.*
$P -n --kills-arg --systems --kills-arg 31001503 --filter-arg -v >out 2>err &
pp=$!
args_logged() { for s in wn-discord wn-filter wn-enrich wn-kills; do test -s "$T/log.args.$s" || return 1; done; }
wait_for "args" 10 args_logged
same "--dry-run reaches wn-discord" "$(cat "$T/log.args.wn-discord")" "wn-discord --dry-run"
same "--kills-arg reaches wn-kills" "$(cat "$T/log.args.wn-kills")" "wn-kills --systems 31001503"
same "--filter-arg before the FIFO" "$(cat "$T/log.args.wn-filter")" "wn-filter -v $R/kills.fifo"
same "wn-enrich reads the kills and the map records" "$(cat "$T/log.args.wn-enrich")" \
	"wn-enrich $R/raw.fifo $R/map.fifo"
kill -TERM "$pp"; wait_exit "$pp" 20

# --- replays: NDJSON, gzip, R2Z2 history, EVE Ref archive, stdin ---
printf '{"type":"killmail","killmail_id":1}\n{"type":"killmail","killmail_id":2}\n' >a.ndjson
printf '{"type":"killmail","killmail_id":3}\n' | gzip >b.ndjson.gz
printf '{"4":"hash4","5":"hash5"}' >hist.json
printf '{"6":{"killmail_id":6,"victim":{}}}' >raw.json
mkdir -p km && printf '{\n  "killmail_id": 7,\n  "solar_system_id": 1\n}' >km/7.json &&
	printf '{"killmail_id":8}' >km/8.json && tar -cjf day.tar.bz2 km
$P --replay -n --now 2026-03-17T19:30:00Z a.ndjson b.ndjson.gz hist.json raw.json day.tar.bz2 - \
	>out 2>err <<EOF
{"type":"system","solar_system_id":9}
EOF
same "replay: exit 0 at the end" $? 0
ids=$(sed -n 's/^posted .*"killmail_id":\([0-9]*\).*/\1/p; s/^posted .*"solar_system_id":\(9\).*/s\1/p' out | tr '\n' ' ')
same "replay: every record, in order" "$ids" "1 2 3 4 5 6 7 8 s9 "
contains "replay: R2Z2 id/hash pairs become killmail records" "$(cat out)" \
	'posted {"type":"killmail","killmail_id":4,"killmail_hash":"hash4"}'
same "replay: filter told --replay --now" "$(cat "$T/log.args.wn-filter")" \
	"wn-filter --replay --now 2026-03-17T19:30:00Z $R/kills.fifo"
same "replay: wn-enrich asks WandererKills for no recent kills (-K)" "$(cat "$T/log.args.wn-enrich")" \
	"wn-enrich -K"
contains "replay: no wn-kills or wn-mapsse" "$(awk '{ print $1 }' "$R/stages" | tr '\n' ' ')" "wn-discord wn-filter wn-enrich replay"
$P --replay --no-enrich a.ndjson >out 2>err; rc=$?
same "--no-enrich: exit 0" "$rc" 0
same "--no-enrich: records posted" "$(posted out)" 2
case $(cat "$R/stages") in *wn-enrich*) notok "--no-enrich: no wn-enrich";; *) ok "--no-enrich: no wn-enrich";; esac
STUB_FAIL=wn-enrich $P --replay a.ndjson >out 2>err; rc=$?
same "replay with a failing stage: 111" "$rc" 111

# installed as wn-pipeline beside the tools: found without WN_BIN or PATH
mkdir -p inst/bin
cp "$P" inst/bin/wn-pipeline
cp "$WN_ROOT/replay-feed.sh" inst/bin/wn-replay-feed
make_stages "$T/inst/bin"
env -u WN_BIN PATH=/usr/bin:/bin "$T/inst/bin/wn-pipeline" --replay a.ndjson >out 2>err; rc=$?
same "installed: exit 0" "$rc" 0
same "installed: the tools beside it ran" "$(posted out)" 2

done_testing
