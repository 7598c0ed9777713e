#!/bin/sh
# wn-discord in a live pipeline: delivers while its input stays open,
# SIGTERM stops reading, finishes the request in flight, exits 0, and
# what is still queued goes out on the next start.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"
export DISCORD_WEBHOOK_URL=$HOOK_MAIN
WRITER=
trap 'kill $WRITER 2>/dev/null; cleanup' EXIT INT TERM

saved_ge() { [ "$(saved_ids "$1" | wc -l)" -ge "$2" ]; }
requests_ge() { [ "$(stat "$1" .requests)" -ge "$2" ]; }

# -- live input: messages go out without waiting for end of file --
export WN_STATE_DIR=$T/live
start_discord live --webhook-limit 2/3
mkfifo live.fifo
{ kills 6 3001; sleep 30; } > live.fifo & WRITER=$!
wn-discord live.fifo 2>live.err & pid=$!
wait_for "first two messages" 10 saved_ge live 2
same "posted while the input is still open" "$(saved_ids live | tr '\n' ' ')" "3001 3002 "
sleep 0.3
t0=$(date +%s.%N)
kill -TERM $pid; wait $pid; rc=$?
e=$(echo "$(date +%s.%N) - $t0" | bc)
same "SIGTERM while waiting for the bucket: exit 0" "$rc" 0
check "promptly (< 1 s), not after the 3 s reset" test "$(echo "$e < 1" | bc)" = 1
same "the other four wait in the spool" "$(spooled)" 4
contains "says so" "$(cat live.err)" "4 message(s) stay in the spool"
kill $WRITER 2>/dev/null; WRITER=
kills 1 3007 | wn-discord 2>>live.err; rc=$?
same "next start delivers the spool: exit 0" "$rc" 0
same "the spool first, then the new input, each once" "$(saved_ids live | tr '\n' ' ')" \
	"3001 3002 3003 3004 3005 3006 3007 "

# -- SIGTERM during a request: it is finished and recorded, not repeated --
export WN_STATE_DIR=$T/inflight
start_discord inflight --webhook-limit 50/1 --fault slow:1.5
rm -f f2.fifo; mkfifo f2.fifo
{ kills 1 3101; sleep 30; } > f2.fifo & WRITER=$!
wn-discord f2.fifo 2>inflight.err & pid=$!
wait_for "the request to start" 10 requests_ge inflight 1
kill -TERM $pid; wait $pid; rc=$?
same "SIGTERM mid-request: exit 0" "$rc" 0
same "the request in flight completed" "$(saved_ids inflight)" 3101
same "and was recorded (spool empty)" "$(spooled)" 0
kill $WRITER 2>/dev/null; WRITER=
kills 1 3101 | wn-discord 2>/dev/null
same "so a replay does not repeat it" "$(stat inflight .requests)" 1

# -- SIGTERM stops reading: lines after it are left to the writer --
export WN_STATE_DIR=$T/stop
start_discord stop --webhook-limit 50/1
rm -f f3.fifo; mkfifo f3.fifo
{ kills 2 3201; sleep 1; kills 2 3203; sleep 30; } > f3.fifo & WRITER=$!
wn-discord f3.fifo 2>stop.err & pid=$!
wait_for "the first two" 10 saved_ge stop 2
kill -TERM $pid; wait $pid; rc=$?
same "SIGTERM while idle: exit 0" "$rc" 0
sleep 1.2
same "nothing read after SIGTERM was posted" "$(saved_ids stop | tr '\n' ' ')" "3201 3202 "
kill $WRITER 2>/dev/null; WRITER=
done_testing
