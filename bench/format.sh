#!/bin/sh
# bench/format.sh — formatting speed: wn-discord --dry-run turning N
# notify records (killmails from genkills.py, hundreds of attackers in the
# tail) into Discord bodies, against jq building a far simpler message
# (title, description, colour, link) from the same file in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
N=${N:-20000}
dir=${WN_BENCH_DIR:-$here/../build/bench}
mkdir -p "$dir"
in=$dir/notify-kills-$N.ndjson
PATH=${WN_BIN:+$WN_BIN:}$PATH

if [ ! -s "$in" ]; then
	/usr/bin/python3 "$here/genkills.py" "$N" 7 | /usr/bin/python3 -c '
import json, sys
for i, line in enumerate(sys.stdin):
    r = json.loads(line)
    r["notify"] = {"kind": "character_kill" if i % 3 else "system_kill",
                   "role": ["loss", "kill", None][i % 3], "mention": None}
    sys.stdout.write(json.dumps(r, separators=(",", ":")) + "\n")
' >"$in.tmp"
	mv "$in.tmp" "$in"
fi

now() { date +%s.%N; }
t0=$(now)
wn-discord --dry-run "$in" >"$dir/format.out"
t1=$(now)
jq -c '{route: .notify.kind, payload: {embeds: [{
	title: ("Ship destroyed in " + (.solar_system_name // "Unknown")),
	url: "https://zkillboard.com/kill/\(.killmail_id)/",
	description: "**\(.victim.character_name // "Unknown pilot")** lost their **\(.victim.ship_type_name // "Unknown Ship")** to \(.attackers | length) attackers",
	color: (if .notify.role == "loss" then 15158332 else 3066993 end)}],
	allowed_mentions: {parse: []}}}' "$in" >"$dir/format.jq.out"
t2=$(now)

lines=$(wc -l <"$dir/format.out" | tr -d ' ')
[ "$lines" -eq "$N" ] || { echo "bench/format.sh: $lines of $N messages" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$N" -v sz="$(wc -c <"$in")" 'BEGIN {
	wn = b - a; jq = c - b
	printf "format: %d killmails (%.1f MB): wn-discord --dry-run %.2fs (%.0f msg/s), jq %.2fs, ratio %.1fx\n",
	       n, sz / 1e6, wn, n / wn, jq, jq / wn }'
