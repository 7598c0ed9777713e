#!/bin/sh
# fakes-cleanup.t — no fake outlives the test or benchmark that started it:
# not when the test fails, not when it is interrupted (INT, TERM), not when
# it is killed outright (SIGKILL runs no trap: the fake sees its parent go),
# and not when bench/e2e.sh ends or is stopped (it used to start its fakes
# inside $(...), lost their pids and left them running).
. "$WN_ROOT/tests/lib.sh"

# child WHAT: a test script that starts a fake ESI and a fake Discord,
# writes their pids to $T/WHAT.pids and then fails or waits to be stopped
child() {
	cat >"$T/$1.t" <<CHILD
. "\$WN_ROOT/tests/lib.sh"
start_esi || exit 1
start_fake discord discord.py --record rec --bot-token t || exit 1
echo \$T >"$T/$1.tdir"
echo \$FAKE_PIDS >"$T/$1.pids"
$2
CHILD
}
alive() { for p in $(cat "$1"); do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
gone() { ! alive "$1"; }
pids_written() { [ -s "$1" ]; }
# the pids in FILE are really fakes (so "gone" is not true by accident)
are_fakes() {
	for p in $(cat "$1"); do grep -q 'tests/fake/' "/proc/$p/cmdline" 2>/dev/null || return 1; done
}
# run_sig SIGNAL WHAT: the child under the signal's default disposition
# (a background job of a script starts with INT ignored), stopped by SIGNAL
run_sig() {
	child "$2" 'while :; do sleep 0.2; done'
	$PY -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp("sh", ["sh", sys.argv[1]])' "$T/$2.t" >"$T/$2.out" 2>&1 &
	cpid=$!
	wait_for "$2: its fakes to start" 20 pids_written "$T/$2.pids"
	check "$2: its fakes run" are_fakes "$T/$2.pids"
	kill -"$1" "$cpid"
	wait "$cpid"; crc=$?
	rm -rf "$(cat "$T/$2.tdir")"	# a child killed outright leaves it
}

child fail 'echo "not ok 1 - a failing test"; exit 1'
sh "$T/fail.t" >"$T/fail.out" 2>&1; rc=$?
same "a failing test exits 1" "$rc" 1
check "its fakes are stopped" gone "$T/fail.pids"

run_sig TERM term
check "a test stopped by TERM (as tests/run's timeout does) exits non-zero" [ "$crc" -ne 0 ]
check "its fakes are stopped" wait_for "fakes gone" 5 gone "$T/term.pids"

run_sig INT int
check "a test interrupted by INT exits non-zero" [ "$crc" -ne 0 ]
check "its fakes are stopped" wait_for "fakes gone" 5 gone "$T/int.pids"

# SIGKILL: no trap runs; each fake ends when its parent has gone
run_sig KILL kill
same "a test killed by SIGKILL exits 137" "$crc" 137
check "its fakes end by themselves" wait_for "fakes gone" 10 gone "$T/kill.pids"

# bench/lib.sh: a benchmark that dies (as on a failed check) stops its fakes
cat >"$T/benchdie.sh" <<'B'
set -eu
here=$WN_ROOT/bench
. "$here/lib.sh"
dir=$T/bdir; mkdir -p "$dir"
on_exit 'stop_fakes'
start_fake esi esi.py
echo "$fake_pids" >"$T/benchdie.pids"
die "a check failed"
B
T=$T sh "$T/benchdie.sh" >"$T/benchdie.out" 2>&1; rc=$?
same "a benchmark that dies exits 1" "$rc" 1
check "its fake is stopped" gone "$T/benchdie.pids"

# bench/e2e.sh, small: the whole flow, then every fake and stage gone.
# Its fakes and stages are found by the temporary folder in their argv
# and environment.
mkdir -p "$T/btmp"
in_btmp() {	# pids of processes whose argv or environment names $T/btmp
	for d in /proc/[0-9]*; do
		{ tr '\0' '\n' <"$d/cmdline"; tr '\0' '\n' <"$d/environ"; } 2>/dev/null |
			grep -qF "$T/btmp" && echo "${d#/proc/}"
	done
}
none_left() { [ -z "$(in_btmp)" ]; }
TMPDIR=$T/btmp N=3 W=1 M=50 GAP=0.01 sh "$WN_ROOT/bench/e2e.sh" >"$T/e2e.out" 2>&1; rc=$?
same "bench/e2e.sh finishes" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/e2e.out" | tail -n 20
check "bench/e2e.sh leaves no fake or stage running" wait_for "bench processes gone" 5 none_left
[ -z "$(in_btmp)" ] || diag "left: $(for p in $(in_btmp); do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"

# and interrupted while the flow runs
TMPDIR=$T/btmp N=100000 W=1 M=50 GAP=0.05 sh "$WN_ROOT/bench/e2e.sh" >"$T/e2e2.out" 2>&1 &
bpid=$!
posting() { [ -s "$(echo "$T"/btmp/wn-bench-e2e.*/d.rec)" ]; }
check "bench/e2e.sh starts posting" wait_for "the bench to post" 60 posting
kill -TERM "$bpid"
wait "$bpid"; rc=$?
check "bench/e2e.sh stopped by TERM exits non-zero" [ "$rc" -ne 0 ]
check "and leaves no fake or stage running" wait_for "bench processes gone" 10 none_left
[ -z "$(in_btmp)" ] || diag "left: $(for p in $(in_btmp); do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"
done_testing
