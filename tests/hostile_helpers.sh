# tests/hostile_helpers.sh — for the tests against tests/fake/hostile.py:
# start it in one mode, count its connections, read a tool's peak memory.

# start_hostile MODE [options]: the fake on an ephemeral port, log in $T/hostile.jsonl
start_hostile() {
	: > "$T/hostile.jsonl"
	start_fake hostile hostile.py --mode "$@" --log "$T/hostile.jsonl" || exit 1
}
hostile_opens() { c=$(grep -c '"event": "open"' "$T/hostile.jsonl" 2>/dev/null); echo "${c:-0}"; }
hostile_opens_ge() { [ "$(hostile_opens)" -ge "$1" ]; }
# peak_kb PID: the process's peak resident set (VmHWM), in KiB
peak_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# The bound a peak must stay under, in KiB.  ASan keeps freed memory in
# quarantine (256 MiB by default), so the bound is wider under SANITIZE=1.
if [ "${WN_SANITIZE:-}" = 1 ]; then RSS_LIMIT_KB=$((640 * 1024)); else RSS_LIMIT_KB=$((64 * 1024)); fi
# under_limit "what" PID: ok when the peak stays under the bound
under_limit() {
	pk=$(peak_kb "$2")
	if [ "$pk" -gt 0 ] && [ "$pk" -lt "$RSS_LIMIT_KB" ]; then ok "$1 (peak $pk KiB < $RSS_LIMIT_KB KiB)"
	else notok "$1"; echo "#   peak $pk KiB, limit $RSS_LIMIT_KB KiB"; fi
}
# log_has FILE TEXT: wait up to 10 s (scaled) for TEXT in FILE
log_has() { grep -q -- "$2" "$1"; }
