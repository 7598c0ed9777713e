# End to end, live: every fake on loopback (map SSE + REST, WandererKills
# WebSocket, ESI, Discord) and the real five tools under wn-pipeline.  The
# map adds a system over SSE → a kill in it arrives on the WebSocket → the
# fake Discord holds the right embed in the right channel; the same for a
# character added (and a kill where that character dies) and a rally point.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/e2e_helpers.sh"	# the fakes, wn.env, joined_with

P=$WN_ROOT/pipeline.sh
BOT=bot.TOKEN.e2e.live.7777

# The map at start: neither J155416 (31001503) nor Test Pilot (2123456789).
# Its SSE stream then adds both and creates a rally point; the character's
# EVE id comes from the tracked-characters endpoint, asked again.
e2e_map --characters "$FX/characters_tracked_derived.json"
same "the SSE script: system, character, rally point" "$(grep -c '^event:' live.sse)" 3
e2e_ws
e2e_esi
e2e_discord "$BOT"
# WandererKills' REST side: one recent kill in J155416, its details known
cat >wk.json <<'EOF'
{"systems": {"31001503": [{"killmail_id": 128374655, "zkb": {"hash": "aa", "totalValue": 1.2e9, "points": 12}}]},
 "killmails": {"128374655": {"killmail_id": 128374655, "kill_time": "2026-03-17T15:00:00Z",
   "system_id": 31001503, "victim": {"character_id": 95000001, "character_name": "Some Pilot",
   "corporation_id": 98000001, "corporation_ticker": "ABC", "ship_type_id": 29990, "ship_name": "Loki"},
   "attackers": [], "zkb": {"hash": "aa", "totalValue": 1.2e9, "points": 12}}}}
EOF
start_fake wk wkrest.py --data "$T/wk.json" --log "$T/wk.log" || exit 1
e2e_env "$BOT" DISCORD_RALLY_GROUP_IDS=555 WANDERER_KILLS_URL=http://127.0.0.1:$PORT
export WN_ENV_FILE=$T/wn.env WN_DRAIN_SECONDS=5

$P >out 2>err &
pp=$!
FAKE_PIDS="$pp $FAKE_PIDS"	# stopped first if the test ends early

# in CHANNEL a message whose first embed's title is TITLE
in_channel() {	# (jq -s: jq 1.6's -e looks at the last input only)
	jq -s -e --arg r "channel:$1" --arg t "$2" \
		'any(.[]; .route == $r and .body.embeds[0].title == $t)' "$T/d.rec" >/dev/null
}
kill_for() {	# the message for killmail ID: "route|title|author"
	jq -r --arg id "Killmail ID: $1" 'select(.body.embeds[0].footer.text == $id) |
		"\(.route)|\(.body.embeds[0].title)|\(.body.embeds[0].author.name)"' "$T/d.rec"
}
posted() { [ -n "$(kill_for "$1")" ]; }	# a message for killmail ID

# --- a system added on the map ---
check "SSE add_system → 'New System Tracked' in the system channel" \
	wait_for "system message" 20 in_channel 400 "New System Tracked: J155416"
recent=$(jq -r 'select(.body.embeds[0].title == "New System Tracked: J155416") |
	.body.embeds[0].fields[] | select(.name == "Recent Kills") | .value' "$T/d.rec")
contains "with its recent kills from WandererKills REST (through wn-enrich)" "$recent" \
	"[Some Pilot](https://zkillboard.com/kill/128374655/) ([ABC](https://zkillboard.com/corporation/98000001/)) - Loki - 1.2B ISK"
check "wn-kills subscribes to the new system" wait_for "join with 31001503" 10 joined_with 31001503
echo "kill 130500001 31001503 5" >>ws.cmd
check "a kill in it → a message" wait_for "system kill" 10 posted 130500001
k=$(kill_for 130500001)
same "the kill went to the system-kill channel" "${k%%|*}" "channel:200"
contains "titled with the system ESI named" "$k" "|Ship destroyed in J001503|"
contains "with tickers filled in by wn-enrich (fake ESI)" "$(jq -r 'select(.body.embeds[0].footer.text == "Killmail ID: 130500001") | .body.embeds[0].description' "$T/d.rec")" "[C10351]"

# --- a character added on the map ---
check "SSE character_added → 'New Character Tracked' in the character channel" \
	wait_for "character message" 15 in_channel 500 "New Character Tracked: Test Pilot"
check "wn-kills subscribes to the new character" wait_for "join with 2123456789" 10 joined_with 2123456789
# a kill where Test Pilot is the victim, in a system nobody tracks
echo "kill 130500002 30002552 5 2123456789" >>ws.cmd
check "the character's loss → a message" wait_for "character kill" 10 posted 130500002
k=$(kill_for 130500002)
same "the loss went to the character-kill channel" "${k%%|*}" "channel:300"
same "marked as a loss" "${k##*|}" "Loss"

# --- a rally point ---
check "SSE rally_point_added → the rally message in the main channel" \
	wait_for "rally message" 15 in_channel 100 "⚔️ Rally Point Created"
same "the rally message mentions the rally role" \
	"$(jq -r 'select(.route == "channel:100") | .body.content' "$T/d.rec")" "<@&555> Rally point created!"

# --- a kill nobody tracks is not posted; nothing twice ---
echo "kill 130500003 30002552 5" >>ws.cmd
echo "kill 130500004 31001503 5" >>ws.cmd
check "the next tracked kill arrives" wait_for "kill 4" 10 posted 130500004
same "the untracked kill (fake only sends subscribed ones) is not posted" "$(kill_for 130500003)" ""
same "every notification once" "$(jq -r '[.route, .body.embeds[0].title, (.body.embeds[0].footer.text // "")] | join("|")' "$T/d.rec" | sort | uniq -d)" ""
same "six messages in all" "$(wc -l <"$T/d.rec")" 6

# --- the status of every stage at a glance ---
st=$(wn-status 2>/dev/null)
for t in wn-discord wn-enrich wn-filter wn-kills wn-mapsse wn-pipeline; do
	contains "wn-status: $t running" "$(echo "$st" | grep "^$t ")" " yes "
done
# (a status file is rewritten at most once a second)
check "wn-status: the filter passed six records" wait_for "filter status" 5 \
	sh -c '[ "$(wn-status -j wn-filter | jq -r .passed)" = 6 ]' 

kill -TERM "$pp"
i=0; while kill -0 "$pp" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
wait "$pp"; rc=$?
same "SIGTERM: the flow drains and exits 0" "$rc" 0
case $(cat err) in *"$BOT"* | *"$KEY"*) notok "no secret in any log line";; *) ok "no secret in any log line";; esac
done_testing
