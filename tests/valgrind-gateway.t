#!/bin/sh
# valgrind-gateway.t — wn-gateway under valgrind's memcheck on a real
# path (IDENTIFY, voice events, a command and an autocomplete answered,
# op 7 and RESUME, SIGTERM), and wn-discord's voice mentions: no invalid
# access, no uninitialised memory, no definite leak.  Under SANITIZE=1
# the same runs under ASan.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/gateway_helpers.sh"

if ! command -v valgrind >/dev/null; then
	notok "valgrind installed (Debian package valgrind)"
	done_testing; exit 0
fi
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
[ "${WN_SANITIZE:-}" = 1 ] && VG=
export WN_WAIT_SCALE=$(( ${WN_WAIT_SCALE:-1} * 4 ))
clean() {
	same "$1: exit $3 under ${VG:+memcheck}${VG:-ASan}" "$2" "$3"
	if grep -q '^==[0-9]*==' "$4"; then
		notok "$1: no report"; sed -n '/^==/p' "$4" | head -n 20 | sed 's/^/# /'
	else
		ok "$1: no report"
	fi
}
mkdir -p "$WN_STATE_DIR"
jq -n '{version: 1, map: "m", systems: [{solar_system_id: 31001503, name: "J155416", custom_name: "Home"}],
  characters: []}' > "$WN_STATE_DIR/map.json"
start_gateway 3000
$VG wn-gateway 2>gw.err & pid=$!
wait_for "ready" 30 sh -c '[ "$(jq -r .state "$WN_STATE_DIR/status/wn-gateway.json" 2>/dev/null)" = ready ]'
gw "$(vsu "$U2" "$VOICE")"
gw "$(interaction 6000000000000000001 2 system home add_priority)"
wait_for "the answer" 30 answered 6000000000000000001
gw "$(interaction 6000000000000000002 4 system j "" true)"
wait_for "the autocomplete" 30 answered 6000000000000000002
gw '{"do":"reconnect"}'
wait_for "RESUME" 30 gwlog_ge replayed 1
wait_for "voice" 30 voice_is "$U1 $U2"
kill -TERM $pid; wait $pid
clean wn-gateway $? 0 gw.err
head -n 1 "$WN_ROOT/examples/killmails.ndjson" | jq -c '.notify = {kind: "system_kill", role: null,
	priority: false, mention: null, reason: "t", tracked_characters: []}' > in.ndjson
VOICE_PARTICIPANT_NOTIFICATIONS_ENABLED=true $VG wn-discord -n in.ndjson > dry 2>d.err
clean "wn-discord with voice mentions" $? 0 d.err
same "the mentions" "$(jq -r .payload.content dry)" "<@$U1> <@$U2>"
done_testing
