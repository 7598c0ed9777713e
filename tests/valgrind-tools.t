#!/bin/sh
# valgrind-tools.t — every tool under valgrind's memcheck on a real path:
# no invalid read or write, no use of uninitialised memory, no definite
# leak at exit.  The Check suites get the same in `make valgrind`; this
# covers the tools' own loops, their network clients against the fakes,
# and their shutdown on end of input or SIGTERM.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"	# start_ws, cmd, synced, joins_ge

if ! command -v valgrind >/dev/null; then
	notok "valgrind installed (Debian package valgrind)"
	done_testing; exit 0
fi
EX=$WN_ROOT/examples
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
# An ASan build cannot run under memcheck; ASan checks the same runs (it
# aborts on an error and reports leaks at exit), so then the tools run
# bare.
[ "${WN_SANITIZE:-}" = 1 ] && VG=
export WN_WAIT_SCALE=$(( ${WN_WAIT_SCALE:-1} * 4 ))	# memcheck is slow
clean() {	# clean NAME RC LOG: exit status and no report from memcheck
	same "$1: exit $3 under ${VG:+memcheck}${VG:-ASan}" "$2" "$3"
	if grep -q '^==[0-9]*==' "$4"; then
		notok "$1: no report"; sed -n '/^==/p' "$4" | head -n 20 | sed 's/^/# /'
	else
		ok "$1: no report"
	fi
}

# --- offline: decide, format, show ---
$VG wn-filter --map "$EX/map.json" --now 2026-03-17T19:30:00Z --no-suppress \
	"$EX/killmails.ndjson" "$EX/map-events.ndjson" >notify.ndjson 2>filter.err
clean wn-filter $? 0 filter.err
same "wn-filter: the six notifications" "$(wc -l <notify.ndjson | tr -d ' ')" 6
$VG wn-discord --dry-run notify.ndjson >msgs 2>dry.err
clean "wn-discord --dry-run" $? 0 dry.err
same "wn-discord: six messages" "$(wc -l <msgs | tr -d ' ')" 6
$VG wn-status --json >status.json 2>status.err
clean wn-status $? 0 status.err

# --- wn-enrich: ESI names, Janice prices, WandererKills recent kills ---
start_esi || exit 1
start_fake janice janice.py --key vg-key --price 2048=90000000 || exit 1
JANICE=http://127.0.0.1:$PORT
echo '{"systems": {"31002229": [{"killmail_id": 5, "zkb": {"totalValue": 1e6, "points": 1}}]}, "killmails": {}}' >wk.json
start_fake wk wkrest.py --data "$T/wk.json" || exit 1
jq -c '.victim.items = [{"item_type_id": 2048, "quantity_dropped": 1, "flag": 5, "singleton": 0}]' \
	"$WN_FIXTURES/kills/esi_killmail.json" >kill.ndjson
head -n 1 "$EX/map-events.ndjson" | jq -c 'del(.recent_kills)' >>kill.ndjson
NOTABLE_ITEMS_ENABLED=true JANICE_API_TOKEN=vg-key JANICE_API_URL=$JANICE \
	WANDERER_KILLS_URL=http://127.0.0.1:$PORT $VG wn-enrich kill.ndjson >named 2>enrich.err
clean wn-enrich $? 0 enrich.err
same "wn-enrich: names, notable items, recent kills" \
	"$(jq -r '.victim.corporation_ticker // (.recent_kills | length)' named | tr '\n' ' ')
$(jq -r '.notable_items[0].total_value // empty' named)" "C10351 1 
90000000"

# --- wn-discord delivering to the fake Discord ---
. "$WN_ROOT/tests/discord_helpers.sh"
start_discord d1 --webhook-limit 50/1
kills 3 9001 >in.ndjson
DISCORD_WEBHOOK_URL=$HOOK_MAIN $VG wn-discord in.ndjson >/dev/null 2>deliver.err
clean "wn-discord (delivery)" $? 0 deliver.err
same "wn-discord: three messages saved" "$(saved_ids d1 | wc -l | tr -d ' ')" 3

# --- wn-kills on the WebSocket feed, stopped by SIGTERM ---
start_ws
cmd store 101 31001503 120
synced
$VG wn-kills --systems 31001503 >kills.out 2>kills.err & pid=$!
check "wn-kills: the preloaded kill" wait_for "kill" 30 grep -q '"killmail_id":101' kills.out
kill -TERM $pid; wait $pid
clean "wn-kills (SIGTERM)" $? 0 kills.err

# --- wn-mapsse on the map's SSE stream, stopped by SIGTERM ---
. "$WN_ROOT/tests/mapsse_helpers.sh"	# start_map, KEY
start_map
$VG wn-mapsse >map.out 2>map.err & pid=$!
check "wn-mapsse: the stream's records" wait_for "records" 30 \
	grep -q '"action":"removed","solar_system_id":31002229' map.out
kill -TERM $pid; wait $pid
clean "wn-mapsse (SIGTERM)" $? 0 map.err
done_testing
