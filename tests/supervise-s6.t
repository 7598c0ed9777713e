# examples/s6 under a real s6-svscan: readiness through notification-fd
# (s6-svwait -U), a SIGKILLed stage makes s6 restart the flow whole (and
# ready again), exit 100 is a permanent failure (finish exits 125),
# s6-svc -d drains.  Dry run with stand-in stages.
. "$WN_ROOT/tests/lib.sh"

if ! command -v s6-svscan >/dev/null; then
	notok "s6-svscan installed (Debian package s6)"
	done_testing; exit 0
fi
B=$T/bin
. "$WN_ROOT/tests/pipeline-stages.sh"
make_stages "$B"
ln -s "$WN_ROOT/pipeline.sh" "$B/wn-pipeline"

SCAN=$T/scan
SV=$SCAN/wn
mkdir -p "$SCAN"
cp -R "$WN_ROOT/examples/s6/wn" "$SV"
echo "$WN_STATE_DIR" >"$SV/env/WN_STATE_DIR"
echo 1 >"$SV/env/WN_DRY_RUN"
echo 5 >"$SV/env/WN_DRAIN_SECONDS"
echo "$T/log" >"$SV/env/STUB_LOG"
echo stub.TOKEN.value >"$SV/env/DISCORD_BOT_TOKEN"
echo 1000000000000000001 >"$SV/env/DISCORD_APPLICATION_ID"
HPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "127.0.0.1:$HPORT" >"$SV/env/WN_HTTP"	# the HTTP status stage too
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HPORT/health")" = 200 ]; }
echo "$B" >"$SV/env/WN_BIN"
id -un >"$SV/user"
R=$WN_STATE_DIR/run

PATH=$B:$PATH s6-svscan "$SCAN" </dev/null >"$T/svscan.out" 2>&1 &
SCANPID=$!
FAKE_PIDS="$FAKE_PIDS $SCANPID"

svpid() { s6-svstat -o pid "$SV" 2>/dev/null | tr -d ' '; }
stage_pid() { sed -n "s/^$1 //p" "$R/stages" 2>/dev/null; }
logged() { cat "$SV/log/main/current" 2>/dev/null; }
posted_at_least() { [ "$(logged | grep -c 'posted {"type":"killmail"')" -ge "$1" ]; }

wait_for "s6-supervise" 10 s6-svstat "$SV" >/dev/null
# -U: up and ready; the pipeline says ready once every stage is running
check "s6-svwait -U: the flow comes up ready" s6-svwait -U -t 15000 "$SV"
first=$(svpid)
# (a dry-run wn-discord keeps no status file, so it is not waited for)
same "ready means every stage wrote its status" \
	"$(for t in wn-mapsse wn-kills wn-enrich wn-filter; do
		grep -q "\"pid\":$(stage_pid $t)," "$WN_STATE_DIR/status/$t.json" && echo y; done | wc -l)" 4
contains "s6-svstat: ready" "$(s6-svstat -o up,ready "$SV")" "true true"
same "the supervised pid is the pipeline" \
	"$(sed -n 's/.*"pid":\([0-9]*\),.*/\1/p' "$WN_STATE_DIR/status/wn-pipeline.json")" "$first"
check "messages reach the s6-log service" wait_for "log" 10 posted_at_least 3
contains "the flow runs dry" "$(cat "$T/log.args.wn-discord")" "wn-discord --dry-run"
check "wn-gateway runs beside the flow (bot token and application id set)" kill -0 "$(stage_pid wn-gateway)"
check "WN_HTTP: wn-status --serve runs with the flow, /health 200" wait_for "HTTP" 15 http_ok

victim=$(stage_pid wn-enrich)
kill -KILL "$victim"
restarted() { p=$(svpid); [ -n "$p" ] && [ "$p" != "$first" ] && [ "$p" != -1 ]; }
check "after a stage is SIGKILLed s6 restarts the flow" wait_for "restart" 20 restarted
check "and it is ready again" s6-svwait -U -t 15000 "$SV"
contains "the pipeline said which stage died" "$(logged)" "wn-enrich (pid $victim) exited with status 137"
new=$(stage_pid wn-enrich)
[ -n "$new" ] && [ "$new" != "$victim" ] && kill -0 "$new" && ok "a new wn-enrich runs" ||
	notok "a new wn-enrich runs"
contains "the restart is counted" "$(cat "$WN_STATE_DIR/status/wn-pipeline.json")" '"starts":2'
check "WN_HTTP: it is restarted with the flow" wait_for "HTTP again" 15 http_ok

pid=$(svpid)
s6-svc -wD -T 15000 -d "$SV"
kill -0 "$pid" 2>/dev/null && notok "s6-svc -d: pipeline gone" || ok "s6-svc -d: pipeline gone"
contains "s6-svc -d: the flow drained to wn-discord's EOF" "$(tail -n 3 "$T/log")" "wn-discord EOF"
contains "s6-svc -d: clean exit" "$(s6-svstat "$SV")" "exitcode 0"
check "WN_HTTP: stopped with the flow" sh -c "! curl -s -o /dev/null http://127.0.0.1:$HPORT/health"

echo wn-filter >"$SV/env/STUB_FAIL"
echo 100 >"$SV/env/STUB_FAIL_CODE"
s6-svc -u "$SV"
failed_for_good() {
	grep -q '"last_exit":"wn-filter 100"' "$WN_STATE_DIR/status/wn-pipeline.json" &&
		s6-svstat -o up "$SV" | grep -q false
}
check "exit 100: s6 does not restart (finish exits 125)" wait_for "permanent failure" 15 failed_for_good
sleep 2
check "exit 100: and it stays down" failed_for_good
same "exit 100: started once" "$(grep -o '"starts":[0-9]*' "$WN_STATE_DIR/status/wn-pipeline.json")" '"starts":3'

s6-svscanctl -t "$SCAN"
wait_for "s6-svscan exit" 10 sh -c "! kill -0 $SCANPID 2>/dev/null"
done_testing
