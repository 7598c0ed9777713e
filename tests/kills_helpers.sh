# tests/kills_helpers.sh — shared by the wn-kills*.t tests: the fake
# WandererKills server, its command file and log, and small waits.
: > "$T/ws.cmd"
export WN_KILLS_HEARTBEAT_MS=${WN_KILLS_HEARTBEAT_MS:-700} WN_KILLS_BACKOFF_MS=100 \
	WN_KILLS_BACKOFF_MAX_MS=500

# start_ws [fake options...]: the fake on an ephemeral port; WEBSOCKET_URL set.
start_ws() {
	start_fake ws wskills.py --commands "$T/ws.cmd" --log "$T/ws.jsonl" \
		--template "$WN_FIXTURES/kills/wanderer_kills_killmail.json" "$@" || exit 1
	export WEBSOCKET_URL=ws://127.0.0.1:$PORT
}
cmd() { echo "$*" >> "$T/ws.cmd"; }
# synced: wait until the fake has carried out every command so far
synced() {
	want=$(wc -l < "$T/ws.cmd" | tr -d ' ')
	wait_for "the fake to read its commands" 10 sh -c "[ \$(grep -c '\"event\":\"command\"' '$T/ws.jsonl') -ge $want ]"
}
# lines FILE: number of lines (0 for a missing file)
lines() { [ -f "$1" ] && wc -l < "$1" | tr -d ' ' || echo 0; }
lines_ge() { [ "$(lines "$1")" -ge "$2" ]; }
# what the fake logged: joins, connections
count() { c=$(grep -c "$1" "$2" 2>/dev/null); echo "${c:-0}"; }
joins() { count '"phx_join"' "$T/ws.jsonl"; }
joins_ge() { [ "$(joins)" -ge "$1" ]; }
opens() { count '"event":"open"' "$T/ws.jsonl"; }
opens_ge() { [ "$(opens)" -ge "$1" ]; }
# ids FILE: killmail ids in the output, sorted, one line
ids() { jq -r .killmail_id "$1" | sort -n | uniq | tr '\n' ' ' | sed 's/ $//'; }
has_id() { [ -f "$1" ] && jq -r .killmail_id "$1" 2>/dev/null | grep -qx "$2"; }
# status of wn-kills: one field of the status file
kstat() { jq -r ".$1 // 0" "$WN_STATE_DIR/status/wn-kills.json" 2>/dev/null; }
kstat_ge() { [ "$(kstat "$1")" -ge "$2" ]; }
# stop_kills PID: SIGTERM, wait; the exit code in $rc
stop_kills() { kill -TERM "$1"; wait "$1"; rc=$?; }
