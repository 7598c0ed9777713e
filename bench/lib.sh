# bench/lib.sh — sourced by bench/*.sh after `here` is set: the tools on
# PATH, the data directory, the clock, waiting for a server's port file,
# generated killmails, and the best-of-N timing loop.
root=$(cd "$here/.." && pwd)
# generated inputs and the outputs compared, kept between runs
dir=${WN_BENCH_DIR:-$here/data}
mkdir -p "$dir"
PATH=${WN_BIN:+$WN_BIN:}$PATH
JQ=/usr/bin/jq
PY=/usr/bin/python3
bench=bench/$(basename "$0")

die() { echo "$bench: $*" >&2; exit 1; }
now() { date +%s.%N; }
# secs T0 [T1]: seconds from T0 to T1 (default: now)
secs() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { print b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

# wait_port FILE WHAT: wait up to 10 s for a server to write its port
wait_port() {
	_i=0
	while [ ! -s "$1" ]; do
		_i=$((_i + 1)); [ $_i -gt 100 ] && die "$2 did not start${3:+: $(cat "$3")}"
		sleep 0.1
	done
}

# on_exit 'CMD': CMD runs once when the script ends, fails (die, set -e)
# or is interrupted (INT, TERM), and an interrupted run exits non-zero.
on_exit() {
	trap "$1" EXIT
	trap "$1; trap - EXIT; exit 130" INT
	trap "$1; trap - EXIT; exit 143" TERM
}

# start_fake NAME SCRIPT [ARGS...]: tests/fake/SCRIPT on an ephemeral
# loopback port, its port file and output in $fake_dir (default $dir);
# $PORT.  Call it in this shell, never inside $(...): the pid it records
# for stop_fakes would be lost with the subshell, and the fake with it.
fake_pids=
start_fake() {
	_fn=$1 _fs=$2; shift 2
	_fd=${fake_dir:-$dir}
	rm -f "$_fd/$_fn.port"
	$PY "$root/tests/fake/$_fs" --port-file "$_fd/$_fn.port" "$@" >"$_fd/$_fn.out" 2>&1 &
	fake_pids="$fake_pids $!"
	wait_port "$_fd/$_fn.port" "fake $_fn" "$_fd/$_fn.out"
	PORT=$(cat "$_fd/$_fn.port")
}
# stop_fakes: every fake start_fake started (and pids added to fake_pids)
stop_fakes() {
	for _p in $fake_pids; do kill "$_p" 2>/dev/null || :; done
	for _p in $fake_pids; do wait "$_p" 2>/dev/null || :; done
	fake_pids=
}

# gen_kills N SEED FILE: N realistic killmails (genkills.py), made once
gen_kills() {
	[ -s "$3" ] && return 0
	echo "$bench: generating $1 killmails in $3" >&2
	$PY "$here/genkills.py" "$1" "$2" >"$3.tmp"
	mv "$3.tmp" "$3"
}

# timed CMD...: runs CMD in this shell; its seconds in $took.  A command
# that should count only part of its work sets $took itself.
timed() {
	took=
	_t0=$(now)
	"$@"
	_t1=$(now)
	[ -n "$took" ] || took=$(secs "$_t0" "$_t1")
}

# best_of WN_RUNS WN_CMD PEER_RUNS PEER_CMD: the two commands interleaved
# (the peer first), each run its number of times; the fastest run of each
# counts, in $wn and $peer (seconds).  The machine may be shared, and the
# shortest time is the best estimate of what a run costs; short runs may
# be given more tries, since one scheduling hiccup weighs more on them.
best_of() {
	_wr=$1 _wc=$2 _pr=$3 _pc=$4
	wn=999999 peer=999999 _n=0
	while [ $_n -lt "$_wr" ] || [ $_n -lt "$_pr" ]; do
		if [ $_n -lt "$_pr" ]; then
			timed $_pc; peer=$(min "$took" "$peer")
		fi
		if [ $_n -lt "$_wr" ]; then
			timed $_wc; wn=$(min "$took" "$wn")
		fi
		_n=$((_n + 1))
	done
}
