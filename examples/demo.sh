#!/bin/sh
# examples/demo.sh — `make demo`: replay the bundled sample map state,
# killmails and map events through wn-filter | wn-discord --dry-run and
# show the Discord messages that would be posted.  Nothing is sent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PATH=${WN_BIN:+$WN_BIN:}$PATH
WN_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wn-demo.XXXXXX")
WN_ENV_FILE=$here/example.env
export PATH WN_STATE_DIR WN_ENV_FILE
trap 'rm -rf "$WN_STATE_DIR"' EXIT

# The samples are from March 2026: judge kill age against that time, and
# replay without the live start-up suppression.
wn-filter --map "$here/map.json" --now 2026-03-17T19:30:00Z --no-suppress \
	"$here/killmails.ndjson" "$here/map-events.ndjson" >"$WN_STATE_DIR/notify.ndjson"
wn-discord --dry-run "$WN_STATE_DIR/notify.ndjson" >"$WN_STATE_DIR/messages.ndjson"

echo "== $(wc -l <"$here/killmails.ndjson") killmails and $(wc -l <"$here/map-events.ndjson") map events in," \
	"$(wc -l <"$WN_STATE_DIR/notify.ndjson") notifications out =="
echo
if command -v jq >/dev/null 2>&1; then
	jq -r '"--> \(.route)\n\(.payload | tostring)"' "$WN_STATE_DIR/messages.ndjson" |
	while IFS= read -r line; do
		case $line in
		"-->"*) echo; echo "$line";;
		*) printf '%s\n' "$line" | jq .;;
		esac
	done
else
	cat "$WN_STATE_DIR/messages.ndjson"
fi
