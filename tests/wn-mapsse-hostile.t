#!/bin/sh
# wn-mapsse (the release binary under plain `make check`): the hostile
# event of issue 14 #1.  Its name puts "Bot " a few bytes before the end
# of the 2048-byte log line, with bad data, so the "bad data" warning is
# redacted right at the buffer's end; that used to crash the tool.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"

nrec() { [ "$(grep -c . "$1")" -ge "$2" ]; }

start_map --conn stream+hostile
run_bg h.out h.err
wait_for "the good events after the hostile one" 10 nrec h.out 4
check "still running after the hostile event" kill -0 "$MPID"
stop
same "SIGTERM: exit 0" "$RC" 0
contains "the bad event is reported" "$(cat h.err)" "warning: event AAAA"
contains "the marker's value is hidden" "$(grep 'warning: event AAAA' h.err)" "Bot [redac"
check "no byte of the value reaches the log" sh -c "! grep -q BBBB h.err"
check "the warning stays one bounded line" sh -c \
	"[ \$(grep 'warning: event AAAA' h.err | wc -c) -le 2048 ]"
same "counted as a bad event" "$(jq .bad_events "$WN_STATE_DIR/status/wn-mapsse.json")" 1
done_testing
