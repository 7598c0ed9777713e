#!/bin/sh
# bench/discord.sh — delivery pacing: N (500) messages to one webhook of the
# fake Discord, which allows 5 requests per 2 s per webhook (Discord's
# undocumented webhook limit).  Reports messages/s achieved against the
# allowed 2.5/s, the 429s received (any 429 here is one the headers could
# have avoided), and wn-discord's peak RSS.  Takes about 200 s.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-500}
LIMIT=${LIMIT:-5} WINDOW=${WINDOW:-2}
dir=$(mktemp -d "${TMPDIR:-/tmp}/wn-bench-discord.XXXXXX")
on_exit 'stop_fakes; rm -rf "$dir"'

start_fake discord discord.py --record "$dir/rec.jsonl" --stats "$dir/stats.json" \
	--webhook 111:benchTOKENaaaa1111 --webhook-limit "$LIMIT/$WINDOW"

head -n 1 "$root/examples/killmails.ndjson" | $JQ -c --argjson n "$N" '
	. as $r | range(0; $n) as $i | $r | .killmail_id = (40000000 + $i) |
	.notify = {kind: "system_kill", role: null, priority: false, mention: null,
	           reason: "bench", tracked_characters: []}' >"$dir/in.ndjson"

export WN_STATE_DIR=$dir/state
export DISCORD_API_URL=http://127.0.0.1:$PORT/api/v10
export DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/111/benchTOKENaaaa1111
# What merely loading the binary costs: libcurl's dependency tree, mapped
# by the dynamic loader (BIND_NOW), before wn-discord does anything.
base=$(/usr/bin/time -v wn-discord --version 2>&1 >/dev/null |
	sed -n 's/.*Maximum resident set size (kbytes): *//p')
t0=$(now)
/usr/bin/time -v wn-discord "$dir/in.ndjson" 2>"$dir/time.txt" & tpid=$!
# sample wn-discord's own (anonymous) memory while it runs
anon=0 wpid=
while kill -0 "$tpid" 2>/dev/null; do
	[ -z "$wpid" ] && wpid=$(pgrep -P "$tpid" wn-discord || true)
	a=$(awk '/^RssAnon:/ {print $2}' "/proc/$wpid/status" 2>/dev/null || true)
	[ "${a:-0}" -gt "$anon" ] && anon=$a
	sleep 0.5
done
wait "$tpid"
t1=$(now)

saved=$(wc -l <"$dir/rec.jsonl" | tr -d ' ')
r429=$($JQ -r '."429"' "$dir/stats.json")
conns=$($JQ -r '.connections' "$dir/stats.json")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$dir/time.txt")
[ "$saved" -eq "$N" ] || die "$saved of $N messages saved"
awk -v a="$t0" -v b="$t1" -v n="$N" -v l="$LIMIT" -v w="$WINDOW" -v r429="$r429" \
    -v rss="$rss" -v conns="$conns" -v base="$base" -v anon="$anon" 'BEGIN {
	secs = b - a; rate = n / secs; allowed = l / w
	# the first window starts at once: n messages need (ceil(n/l) - 1) full windows
	ideal = (int((n + l - 1) / l) - 1) * w
	printf "discord: %d messages to one webhook (%d per %g s) in %.1f s\n", n, l, w, secs
	printf "discord: %.3f messages/s vs %.3f allowed (%.1f%%; %.1f%% of the ideal %.0f s)\n",
	       rate, allowed, 100 * rate / allowed, 100 * ideal / secs, ideal
	printf "discord: 429s received: %d; connections: %d\n", r429, conns
	printf "discord: peak RSS %.1f MiB (loading the binary alone: %.1f MiB; anonymous memory peak %.1f MiB)\n",
	       rss / 1024, base / 1024, anon / 1024
}'
