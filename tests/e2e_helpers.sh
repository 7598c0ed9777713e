# tests/e2e_helpers.sh — shared by the live end-to-end tests (e2e-live.t,
# e2e-chaos.t) after lib.sh: the map that lacks J155416 (31001503) and Test
# Pilot (2123456789) and an SSE script that adds both and a rally point, the
# four fakes, and the Wanderer Notifier .env pointing at them.
. "$WN_ROOT/tests/mapsse_helpers.sh"	# KEY, FX, systems_without, ...

# e2e_map [map.py options...]: sys0.json, chars0.json and live.sse in $T,
# then the fake map serving them (its requests in $T/map.log); $MAPPORT.
# Options add later --systems/--characters files (served after a resync).
e2e_map() {
	systems_without 31001503 >sys0.json
	characters_without 2123456789 >chars0.json
	awk -v RS= -v ORS='\n\n' '/event: add_system/ && /31001503/ || /event: character_added/ ||
		/event: rally_point_added/' "$FX/sse_derived_notifier_filter.txt" >live.sse
	start_fake map map.py --log "$T/map.log" --keepalive 0.5 --sse live.sse \
		--systems sys0.json --characters chars0.json "$@" || exit 1
	MAPPORT=$PORT
}

# e2e_ws [wskills.py options...]: the WandererKills fake, commands in
# ws.cmd, its log in $T/ws.log; $WSPORT.
e2e_ws() {
	: >ws.cmd
	start_fake ws wskills.py --commands ws.cmd --log "$T/ws.log" "$@" \
		--template "$WN_FIXTURES/kills/wanderer_kills_killmail.json" || exit 1
	WSPORT=$PORT
}

# e2e_esi [esi.py options...]: the ESI fake; $ESIPORT.
e2e_esi() {
	start_fake esi esi.py --log "$T/esi.log" "$@" || exit 1
	ESIPORT=$PORT
}

# e2e_discord BOT-TOKEN [discord.py options...]: the Discord fake with the
# five channels the .env names; what it took in $T/d.rec; $DPORT.
e2e_discord() {
	bot=$1; shift
	start_fake discord discord.py --record "$T/d.rec" --stats "$T/d.stats" --bot-token "$bot" \
		--channel 100 --channel 200 --channel 300 --channel 400 --channel 500 \
		--channel-limit 50/1 "$@" || exit 1
	DPORT=$PORT
	: >"$T/d.rec"
}

# e2e_env BOT-TOKEN [extra lines...]: $T/wn.env, a Wanderer Notifier .env
# pointed at the fakes; the tools read the map settings from it alone.
e2e_env() {
	bot=$1; shift
	cat >"$T/wn.env" <<EOF
# a Wanderer Notifier .env pointed at the fakes
MAP_URL=http://127.0.0.1:$MAPPORT
MAP_NAME=my-map
MAP_API_KEY=$KEY
WEBSOCKET_URL=ws://127.0.0.1:$WSPORT
ESI_URL=http://127.0.0.1:$ESIPORT
DISCORD_API_URL=http://127.0.0.1:$DPORT/api/v10
DISCORD_BOT_TOKEN=$bot
DISCORD_CHANNEL_ID=100
DISCORD_SYSTEM_KILL_CHANNEL_ID=200
DISCORD_CHARACTER_KILL_CHANNEL_ID=300
DISCORD_SYSTEM_CHANNEL_ID=400
DISCORD_CHARACTER_CHANNEL_ID=500
STARTUP_SUPPRESSION_SECONDS=0
EOF
	for l in "$@"; do echo "$l"; done >>"$T/wn.env"
	unset MAP_URL MAP_NAME MAP_API_KEY
}

# joined_with ID: the WebSocket client asked for the system (or character)
# in its latest join
joined_with() { grep '"phx_join"' "$T/ws.log" | tail -n 1 | grep -q "$1"; }
