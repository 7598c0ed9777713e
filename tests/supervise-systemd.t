# examples/systemd/wn.service: no systemd runs here, so the unit is checked
# offline: systemd-analyze verify (syntax, directives, the ExecStart
# binary), the sandbox's exposure score, and the settings the flow relies
# on.  What those settings do to wn-pipeline (SIGTERM to it alone drains,
# 111 restarts, 100 does not) is tested in pipeline.t.
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
done_testing
