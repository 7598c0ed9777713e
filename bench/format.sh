#!/bin/sh
# bench/format.sh — formatting speed: wn-discord --dry-run turning N
# notify records (killmails from genkills.py, hundreds of attackers in the
# tail) into Discord bodies, against jq building a far simpler message
# (title, description, colour, link) from the same file in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-20000}
dir=${WN_BENCH_DIR:-$here/../build/bench}
mkdir -p "$dir"
in=$dir/notify-kills-$N.ndjson
export WN_STATE_DIR=$dir/format-state	# the status file: not the user's

if [ ! -s "$in" ]; then
	$PY "$here/genkills.py" "$N" 7 | $PY -c '
import json, sys
for i, line in enumerate(sys.stdin):
    r = json.loads(line)
    r["notify"] = {"kind": "character_kill" if i % 3 else "system_kill",
                   "role": ["loss", "kill", None][i % 3], "mention": None}
    sys.stdout.write(json.dumps(r, separators=(",", ":")) + "\n")
' >"$in.tmp"
	mv "$in.tmp" "$in"
fi

run_wn() { wn-discord --dry-run "$in" >"$dir/format.out"; }
run_jq() { $JQ -c '{route: .notify.kind, payload: {embeds: [{
	title: ("Ship destroyed in " + (.solar_system_name // "Unknown")),
	url: "https://zkillboard.com/kill/\(.killmail_id)/",
	description: "**\(.victim.character_name // "Unknown pilot")** lost their **\(.victim.ship_type_name // "Unknown Ship")** to \(.attackers | length) attackers",
	color: (if .notify.role == "loss" then 15158332 else 3066993 end)}],
	allowed_mentions: {parse: []}}}' "$in" >"$dir/format.jq.out"; }
RUNS=${RUNS:-3}
best_of "$RUNS" run_wn "$RUNS" run_jq

lines=$(wc -l <"$dir/format.out" | tr -d ' ')
[ "$lines" -eq "$N" ] || die "$lines of $N messages"
awk -v wn="$wn" -v jq="$peer" -v n="$N" -v sz="$(wc -c <"$in")" -v r="$RUNS" 'BEGIN {
	printf "format: %d killmails (%.1f MB): wn-discord --dry-run %.2fs (%.0f msg/s), jq %.2fs, ratio %.1fx (best of %d)\n",
	       n, sz / 1e6, wn, n / wn, jq, jq / wn, r }'
