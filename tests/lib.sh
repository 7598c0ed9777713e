# tests/lib.sh — sourced by every tests/*.t: TAP helpers, temp dirs,
# fake-server start/stop.  Tests print "ok N - what" / "not ok N - what".
set -u
: "${WN_ROOT:?run through make check}"
T=$(mktemp -d "${TMPDIR:-/tmp}/wn-test.XXXXXX")
export WN_STATE_DIR=$T/state
unset WN_ENV_FILE DISCORD_BOT_TOKEN DISCORD_CHANNEL_ID MAP_URL MAP_API_KEY
cd "$T" || exit 1
n=0
FAKE_PIDS=
PY=/usr/bin/python3

# Every fake (and whatever a test adds to FAKE_PIDS) is stopped when the
# test ends, fails or is interrupted; a fake whose test is killed outright
# (SIGKILL, no trap) ends by itself when it sees its parent gone.
stop_fakes() {
	for p in $FAKE_PIDS; do kill "$p" 2>/dev/null; done
	for p in $FAKE_PIDS; do wait "$p" 2>/dev/null; done
	FAKE_PIDS=
}
cleanup() {
	stop_fakes
	wait 2>/dev/null
	cd / && rm -rf "$T"
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 1' INT TERM	# never run on after a timeout

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
# check "what" command...: ok when the command succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }
# same "what" actual expected
same() {
	if [ "$2" = "$3" ]; then ok "$1"
	else notok "$1"; printf '#   got:      %s\n#   expected: %s\n' "$2" "$3"; fi
}
# contains "what" haystack needle
contains() {
	case $2 in *"$3"*) ok "$1";; *) notok "$1"; printf '#   %s\n#   lacks: %s\n' "$2" "$3";; esac
}
diag() { echo "# $*"; }

# start_fake NAME script.py [args...]: runs tests/fake/script.py on an
# ephemeral loopback port; the fake writes its port to $T/NAME.port.
# Sets $PORT. Waits up to 10 s for it.
start_fake() {
	name=$1; script=$2; shift 2
	rm -f "$T/$name.port"
	$PY "$WN_ROOT/tests/fake/$script" --port-file "$T/$name.port" "$@" \
		>"$T/$name.log" 2>&1 &
	FAKE_PIDS="$FAKE_PIDS $!"
	i=0
	while [ ! -s "$T/$name.port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "# fake $name did not start"; cat "$T/$name.log"; return 1; }
		sleep 0.1
	done
	PORT=$(cat "$T/$name.port")
}

# start_esi [esi.py options...]: the fake ESI (the first as "esi", then
# "esi2", ...), its log in $T/esi*.log; ESI_URL exported.
ESI_N=0
start_esi() {
	ESI_N=$((ESI_N + 1))
	_n=esi; [ $ESI_N -gt 1 ] && _n=esi$ESI_N
	start_fake "$_n" esi.py "$@" || return 1
	export ESI_URL=http://127.0.0.1:$PORT
}

# counter NAME: one number from the status file $STATUS (0 when absent)
counter() { jq -r ".$1 // 0" "$STATUS"; }

# wait_for "what" seconds command...: poll until command succeeds
wait_for() {
	what=$1 secs=$(($2 * ${WN_WAIT_SCALE:-1})); shift 2
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt $((secs * 10)) ] && { echo "# timed out waiting for $what"; return 1; }
		sleep 0.1
	done
}

done_testing() { echo "1..$n"; }
