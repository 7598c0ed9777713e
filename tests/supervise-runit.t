# examples/runit under a real runsv: the flow starts (dry run, stand-in
# stages), a SIGKILLed stage makes runsv restart the flow whole, a
# configuration error (exit 100) takes the service down, `sv down` drains.
. "$WN_ROOT/tests/lib.sh"

if ! command -v runsv >/dev/null; then
	notok "runsv installed (Debian package runit)"
	done_testing; exit 0
fi
B=$T/bin
. "$WN_ROOT/tests/pipeline-stages.sh"
make_stages "$B"
ln -s "$WN_ROOT/pipeline.sh" "$B/wn-pipeline"

SV=$T/sv/wn
mkdir -p "$T/sv"
cp -R "$WN_ROOT/examples/runit" "$SV"
# the example as shipped, configured through its envdir and user file
echo "$WN_STATE_DIR" >"$SV/env/WN_STATE_DIR"
echo 1 >"$SV/env/WN_DRY_RUN"
echo 5 >"$SV/env/WN_DRAIN_SECONDS"
echo "$T/log" >"$SV/env/STUB_LOG"
echo stub.TOKEN.value >"$SV/env/DISCORD_BOT_TOKEN"
echo 1000000000000000001 >"$SV/env/DISCORD_APPLICATION_ID"
HPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "127.0.0.1:$HPORT" >"$SV/env/WN_HTTP"	# the HTTP status stage too
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HPORT/health")" = 200 ]; }
id -un >"$SV/user"
R=$WN_STATE_DIR/run

WN_BIN=$B PATH=$B:$PATH runsv "$SV" </dev/null >"$T/runsv.out" 2>&1 &
RUNSV=$!
FAKE_PIDS="$FAKE_PIDS $RUNSV"	# lib.sh's cleanup stops it (runsv: TERM = exit)

svpid() { sv status "$SV" 2>/dev/null | sed -n 's/^run: [^(]*(pid \([0-9]*\)).*/\1/p'; }
stage_pid() { sed -n "s/^$1 //p" "$R/stages" 2>/dev/null; }
posted_since() { [ "$(grep -c 'posted {"type":"killmail"' "$SV/log/main/current" 2>/dev/null)" -ge "$1" ]; }
flow_up() {	# runsv runs the pipeline and its stages file is the current one
	p=$(svpid); [ -n "$p" ] && [ -s "$R/stages" ] &&
		grep -q "\"pid\":$p," "$WN_STATE_DIR/status/wn-pipeline.json" 2>/dev/null &&
		grep -q '"state":"running"' "$WN_STATE_DIR/status/wn-pipeline.json"
}

check "runsv starts the flow" wait_for "flow" 15 flow_up
first=$(svpid)
check "messages reach the log service (svlogd)" wait_for "log" 10 posted_since 3
contains "the flow runs dry" "$(cat "$T/log.args.wn-discord")" "wn-discord --dry-run"
check "wn-gateway runs beside the flow (bot token and application id set)" kill -0 "$(stage_pid wn-gateway)"
check "WN_HTTP: wn-status --serve runs with the flow, /health 200" wait_for "HTTP" 15 http_ok
contains "stage lines are in the log" "$(cat "$SV/log/main/current")" "wn-pipeline: info: live flow started"
old_kills=$(stage_pid wn-kills)
old_discord=$(stage_pid wn-discord)

kill -KILL "$old_kills"
restarted() { p=$(svpid); [ -n "$p" ] && [ "$p" != "$first" ] && flow_up; }
check "after a stage is SIGKILLed runsv restarts the flow" wait_for "restart" 20 restarted
contains "the pipeline said which stage died" "$(cat "$SV/log/main/current")" \
	"wn-kills (pid $old_kills) exited with status 137"
kill -0 "$old_discord" 2>/dev/null && notok "the old stages are gone" || ok "the old stages are gone"
new_kills=$(stage_pid wn-kills)
[ -n "$new_kills" ] && [ "$new_kills" != "$old_kills" ] && kill -0 "$new_kills" &&
	ok "a new wn-kills runs" || notok "a new wn-kills runs"
contains "the restart is counted" "$(cat "$WN_STATE_DIR/status/wn-pipeline.json")" '"starts":2'
check "WN_HTTP: it is restarted with the flow" wait_for "HTTP again" 15 http_ok
seen=$(grep -c 'posted {"type":"killmail"' "$SV/log/main/current")
check "messages flow again" wait_for "flow again" 10 posted_since $((seen + 3))

# sv down: SIGTERM to the pipeline, which drains and exits 0
pid=$(svpid)
sv -w 15 down "$SV" >/dev/null
contains "sv down: service down" "$(sv status "$SV")" "down:"
kill -0 "$pid" 2>/dev/null && notok "sv down: pipeline gone" || ok "sv down: pipeline gone"
contains "sv down: the flow drained to wn-discord's EOF" "$(tail -n 3 "$T/log")" "wn-discord EOF"
contains "sv down: clean exit" "$(cat "$WN_STATE_DIR/status/wn-pipeline.json")" '"state":"stopped"'
check "WN_HTTP: stopped with the flow" sh -c "! curl -s -o /dev/null http://127.0.0.1:$HPORT/health"

# a configuration error is not retried: finish takes the service down
echo wn-discord >"$SV/env/STUB_FAIL"
echo 100 >"$SV/env/STUB_FAIL_CODE"
sv up "$SV" >/dev/null
stays_down() { sv status "$SV" | grep -q '^down:.*normally up' && grep -q '"last_exit":"wn-discord 100"' "$WN_STATE_DIR/status/wn-pipeline.json"; }
check "exit 100: finish takes the service down" wait_for "down" 15 stays_down
sleep 2
check "exit 100: and it stays down" stays_down

sv exit "$SV" >/dev/null 2>&1
wait_for "runsv exit" 10 sh -c "! kill -0 $RUNSV 2>/dev/null"
done_testing
