# examples/systemd/wn.service, checked offline (systemd-analyze verify,
# the sandbox's exposure score, the settings the flow relies on) and then
# run for real: systemd as PID 1 of a private PID and mount namespace
# starts the unit as shipped, with its whole sandbox, as user wn (see
# tests/systemd-ns.sh); a SIGKILLed stage makes systemd restart the flow
# whole, stop drains, reload reaches the stages, exit 100 is not retried.
. "$WN_ROOT/tests/lib.sh"

U=$WN_ROOT/examples/systemd/wn.service
if ! command -v systemd-analyze >/dev/null; then
	notok "systemd-analyze installed (Debian package systemd)"
	done_testing; exit 0
fi
# the unit as shipped, pointed at this tree's pipeline.sh
sed "s#^ExecStart=/usr/local/bin/wn-pipeline#ExecStart=$WN_ROOT/pipeline.sh#" "$U" >wn.service
contains "ExecStart replaced for the check" "$(cat wn.service)" "ExecStart=$WN_ROOT/pipeline.sh"
out=$(systemd-analyze verify --man=no "$T/wn.service" 2>&1); rc=$?
same "systemd-analyze verify: clean" "$rc:$out" "0:"
# the checker is not a rubber stamp: a wrong directive value fails it
mkdir bad
sed 's/^KillMode=mixed/KillMode=sometimes/' wn.service >bad/wn.service
out=$(systemd-analyze verify --man=no "$T/bad/wn.service" 2>&1)
contains "systemd-analyze verify catches a bad value" "$out" "kill mode specification, ignoring: sometimes"
sed 's#^ExecStart=.*#ExecStart=/nonexistent/wn-pipeline#' wn.service >bad/wn.service
systemd-analyze verify --man=no "$T/bad/wn.service" >/dev/null 2>&1
[ $? -ne 0 ] && ok "systemd-analyze verify catches a missing binary" || notok "systemd-analyze verify catches a missing binary"

score=$(systemd-analyze security --offline=yes "$T/wn.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for wn.service: \([0-9.]*\).*/\1/p')
case $score in
[01].* | 2.*) ok "sandbox exposure $score (OK: below 3)" ;;
*) notok "sandbox exposure ${score:-unknown} (want below 3)" ;;
esac

for d in Type=exec KillMode=mixed Restart=always RestartPreventExitStatus=100 \
	'ExecReload=/bin/kill -HUP $MAINPID' StateDirectory=wn RuntimeDirectory=wn \
	Environment=WN_STATE_DIR=/var/lib/wn Environment=WN_RUN_DIR=/run/wn \
	Environment=WN_ENV_FILE=/etc/wn/wn.env; do
	grep -qxF "$d" "$U" && ok "unit sets $d" || notok "unit sets $d"
done
# TimeoutStopSec must leave room for the pipeline's own drain (10 s) plus
# its SIGTERM (5 s) and SIGKILL (5 s) steps
t=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)$/\1/p' "$U")
[ "${t:-0}" -gt 20 ] && ok "TimeoutStopSec $t covers the drain" || notok "TimeoutStopSec ${t:-unset} covers the drain"
for m in $(sed -n 's/^Documentation=//p' "$U"); do
	case $m in man:*) p=${m#man:}; f=$WN_ROOT/man/${p%%(*}.${p#*(}; f=${f%)}
		check "documentation $m is in man/" test -f "$f" ;;
	esac
done
# no secret in the unit: it names the .env, never a token
grep -E '^Environment=' "$U" | grep -qiE 'TOKEN|WEBHOOK|KEY' &&
	notok "no secret in Environment=" || ok "no secret in Environment="

. "$WN_ROOT/tests/systemd-ns.sh"
HPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SD_ENV="WN_HTTP=127.0.0.1:$HPORT"	# the HTTP status stage too, inside the sandbox
# LeakSanitizer needs ptrace, which the sandbox forbids; wn-status-serve.t
# has the leak check (a SANITIZE=1 build only)
[ "${WN_SANITIZE:-}" = 1 ] && SD_ENV="$SD_ENV ASAN_OPTIONS=detect_leaks=0"
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HPORT/health")" = 200 ]; }
systemd_ns_start "$U" || { done_testing; exit 0; }
run_file() { cat "$SD_ROOT/run/wn/$1" 2>/dev/null; }
state_file() { cat "$SD_ROOT/var/lib/wn/$1" 2>/dev/null; }
stage_pid() { run_file stages | sed -n "s/^$1 //p"; }
main_pid() { sd show -p MainPID --value wn.service; }
flow_up() {	# the unit runs the pipeline, whose stages file is the current one
	p=$(main_pid); [ "${p:-0}" -gt 0 ] && [ -n "$(run_file stages)" ] &&
		state_file status/wn-pipeline.json | grep -q "\"pid\":$p,.*\"state\":\"running\""
}
sent() { [ "$(state_file stub.log | grep -c '^wn-kills sent')" -ge "$1" ]; }

check "systemd starts wn.service" wait_for "unit active" 20 flow_up
same "the unit is active" "$(sd is-active wn.service)" active
same "it runs as user wn" "$(sd show -p User --value wn.service)" wn
same "the pipeline's user is wn" "$(sd_sh "stat -c %U /proc/$(main_pid)")" wn
contains "the flow runs dry (WN_DRY_RUN from /etc/wn/wn.env)" \
	"$(state_file stub.log.args.wn-discord)" "wn-discord --dry-run"
check "records flow" wait_for "records" 10 sent 3
contains "wn-gateway runs beside the flow (from /etc/wn/wn.env)" "$(run_file stages)" "wn-gateway "
check "WN_HTTP: wn-status --serve runs in the unit's sandbox, /health 200" wait_for "HTTP" 15 http_ok
same "the state directory is systemd's (StateDirectory=wn)" \
	"$(sd_sh 'stat -c %U:%a /var/lib/wn')" "wn:700"
first=$(main_pid)
old_kills=$(stage_pid wn-kills)

sd_sh "kill -KILL $old_kills"
restarted() { p=$(main_pid); [ "${p:-0}" -gt 0 ] && [ "$p" != "$first" ] && flow_up; }
check "after a stage is SIGKILLed systemd restarts the flow" wait_for "restart" 20 restarted
same "systemd counted one restart" "$(sd show -p NRestarts --value wn.service)" 1
contains "the pipeline counts the restart" "$(state_file status/wn-pipeline.json)" '"starts":2'
new_kills=$(stage_pid wn-kills)
[ -n "$new_kills" ] && [ "$new_kills" != "$old_kills" ] &&
	ok "a new wn-kills runs" || notok "a new wn-kills runs"
seen=$(state_file stub.log | grep -c '^wn-kills sent')
check "records flow again" wait_for "flow again" 10 sent $((seen + 3))

sd reload wn.service
hup() { state_file stub.log | grep -q "^$1 HUP"; }
check "reload: SIGHUP reaches the stages" wait_for "HUP" 10 hup wn-filter

# stop: SIGTERM to the pipeline alone (KillMode=mixed), which drains
sd stop wn.service
same "stop: inactive" "$(sd is-active wn.service)" inactive
same "stop: a clean result, not a failure" "$(sd show -p Result --value wn.service)" success
contains "stop: the flow drained to wn-discord's EOF" "$(state_file stub.log | tail -n 3)" \
	"wn-discord EOF"
contains "stop: the pipeline says stopped" "$(state_file status/wn-pipeline.json)" \
	'"state":"stopped"'
check "WN_HTTP: stopped with the unit" sh -c "! curl -s -o /dev/null http://127.0.0.1:$HPORT/health"

# a configuration error (exit 100) is not retried
sd_dropin "Environment=STUB_FAIL=wn-discord STUB_FAIL_CODE=100"
sd start wn.service
failed() { [ "$(sd is-active wn.service)" = failed ]; }
check "exit 100: the unit fails" wait_for "failed" 15 failed
sleep 3
same "exit 100: and is not restarted" "$(sd is-active wn.service):$(sd show -p NRestarts --value wn.service)" \
	"failed:0"
same "exit 100: the status is kept" "$(sd show -p ExecMainStatus --value wn.service)" 100
done_testing
