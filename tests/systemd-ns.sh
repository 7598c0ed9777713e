# tests/systemd-ns.sh — sourced by supervise-systemd.t: a real systemd
# as PID 1 of a private PID and mount namespace, so a unit can be run
# as shipped on a machine that was not booted with systemd.
#
# Nothing it does reaches the host: the namespace gets its own /proc,
# /run, /tmp, /var/tmp and /var/lib (tmpfs), an overlay over /etc (the
# unit, a drop-in, user wn and /etc/wn/wn.env live only there) and
# this test's stand-in tools bound over /usr/local/bin, where the unit's
# ExecStart looks.  The test-only drop-in leaves the boot targets out
# (DefaultDependencies=no): they would run tmpfiles, sysctl and udev,
# and this namespace is not a booted machine.  Needs root (unshare).
#
#   systemd_ns_start UNIT   start; sets SD_PID and SD_ROOT (its / seen
#                           from here); 1 when it cannot run here
#   sd ARGS...              systemctl inside
#   sd_sh 'command'         a shell command inside
#   sd_dropin LINE...       [Service] lines in a second drop-in, reloaded

systemd_ns_start() {
	_unit=$1 _d=$T/sd
	if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null ||
		[ ! -x /lib/systemd/systemd ]; then
		notok "systemd in a namespace needs root, unshare and systemd (Debian package systemd)"
		return 1
	fi
	mkdir -p "$_d/bin" "$_d/ovl"
	. "$WN_ROOT/tests/pipeline-stages.sh"
	make_stages "$_d/bin"
	# a copy, not a link: the tree may be under /tmp or /home, which the
	# namespace and the unit's sandbox hide
	cp "$WN_ROOT/pipeline.sh" "$_d/bin/wn-pipeline"
	rm -f "$_d/bin/wn-status"	# make_stages linked it
	cp "$WN_BIN/wn-status" "$_d/bin/wn-status"	# the HTTP stage, with $SD_ENV WN_HTTP=...
	chmod 755 "$_d/bin"
	cat >"$_d/dropin.conf" <<EOF
[Unit]
DefaultDependencies=no
[Service]
Environment=STUB_LOG=/var/lib/wn/stub.log WN_DRAIN_SECONDS=5 ${SD_ENV:-}
EOF
	cat >"$_d/inner.sh" <<'EOF'
set -e
d=$1 unit=$2
mount -t proc proc /proc
mount --bind "$d/bin" /usr/local/bin
mount -t tmpfs tmpfs "$d/ovl"
mkdir "$d/ovl/up" "$d/ovl/work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$d/ovl/up,workdir=$d/ovl/work" /etc
echo "wn:x:990:990:wn:/var/lib/wn:/usr/sbin/nologin" >>/etc/passwd
echo "wn:x:990:" >>/etc/group
mkdir -p /etc/wn /etc/systemd/system/wn.service.d
printf 'WN_DRY_RUN=1\nDISCORD_BOT_TOKEN=stub.TOKEN.value\nDISCORD_APPLICATION_ID=1000000000000000001\n' >/etc/wn/wn.env
chgrp wn /etc/wn/wn.env; chmod 640 /etc/wn/wn.env
cp "$unit" /etc/systemd/system/wn.service
cp "$d/dropin.conf" /etc/systemd/system/wn.service.d/test.conf
for m in /run /var/lib /var/tmp /tmp; do mount -t tmpfs tmpfs "$m"; done
exec env container=wn-test /lib/systemd/systemd --system --unit=wn.service \
	--show-status=no --log-target=console --log-level=warning
EOF
	setsid unshare --pid --fork --kill-child=SIGKILL --mount --propagation private \
		sh "$_d/inner.sh" "$_d" "$_unit" </dev/null >"$_d/systemd.log" 2>&1 &
	_ns=$!
	# unshare ignores SIGTERM while it waits; its death SIGKILLs the
	# namespace's PID 1 and so everything in it
	trap 'kill -KILL $_ns 2>/dev/null; cleanup' EXIT
	trap 'kill -KILL $_ns 2>/dev/null; cleanup; trap - EXIT; exit 1' INT TERM
	_sd_up() {
		# unshare's one child, once it has become systemd (no procps needed)
		SD_PID=$(cut -d' ' -f1 "/proc/$_ns/task/$_ns/children" 2>/dev/null) &&
			[ -n "$SD_PID" ] && [ "$(cat "/proc/$SD_PID/comm" 2>/dev/null)" = systemd ] &&
			[ -S "/proc/$SD_PID/root/run/systemd/private" ]
	}
	if ! wait_for "systemd in a namespace" 20 _sd_up; then
		notok "systemd runs in a namespace: $(tail -n 3 "$_d/systemd.log")"
		return 1
	fi
	SD_ROOT=/proc/$SD_PID/root
	ok "systemd runs as PID 1 of a namespace"
}

sd() { nsenter -t "$SD_PID" -m -p systemctl "$@"; }
sd_sh() { nsenter -t "$SD_PID" -m -p sh -c "$1"; }
sd_dropin() {
	printf '[Service]\n' >"$T/sd/more.conf"
	for l; do printf '%s\n' "$l" >>"$T/sd/more.conf"; done
	cp "$T/sd/more.conf" "$SD_ROOT/etc/systemd/system/wn.service.d/more.conf"
	sd daemon-reload
}
