# End to end, replay half: saved killmails and map events through the real
# wn-filter and wn-discord under wn-pipeline --replay, posted to the fake
# Discord (bot API).  Right embed in the right channel for each kind, each
# notification once, a second replay posts nothing, archives replay too.
. "$WN_ROOT/tests/lib.sh"

EX=$WN_ROOT/examples
BOT=bot.TOKEN.e2e.replay.5555
start_fake discord discord.py --record "$T/d.rec" --stats "$T/d.stats" --bot-token "$BOT" \
	--channel 100 --channel 200 --channel 300 --channel 400 --channel 500 \
	--channel-limit 50/1 || exit 1
# the configuration as users have it: a .env file, read by every stage
cat >"$T/wn.env" <<EOF
DISCORD_BOT_TOKEN=$BOT
DISCORD_API_URL=http://127.0.0.1:$PORT/api/v10
DISCORD_CHANNEL_ID=100
DISCORD_SYSTEM_KILL_CHANNEL_ID=200
DISCORD_CHARACTER_KILL_CHANNEL_ID=300
DISCORD_SYSTEM_CHANNEL_ID=400
DISCORD_CHARACTER_CHANNEL_ID=500
DISCORD_RALLY_GROUP_IDS=555,666
EOF
export WN_ENV_FILE=$T/wn.env
P=$WN_ROOT/pipeline.sh

# msg CHANNEL: "title|author" of each message saved for that channel
msg() { jq -r --arg r "channel:$1" 'select(.route == $r) | .body | "\(.embeds[0].title)|\(.embeds[0].author.name // "")"' "$T/d.rec"; }

$P --replay --no-enrich --map "$EX/map.json" --now 2026-03-17T19:30:00Z \
	"$EX/killmails.ndjson" "$EX/map-events.ndjson" >out 2>err; rc=$?
same "replay: exit 0 once all is posted" "$rc" 0
same "replay: six notifications" "$(wc -l <"$T/d.rec")" 6
same "system kill in the system-kill channel, titled with the map's name" "$(msg 200)" "Ship destroyed in Home|Kill"
same "character kills in the character-kill channel, kill and loss" "$(msg 300)" \
	"Ship destroyed in Jita|Kill
Ship destroyed in J132946|Loss"
same "system added in the system channel" "$(msg 400)" "New System Tracked: J132946|"
same "character added in the character channel" "$(msg 500)" "New Character Tracked: Other Pilot|"
same "rally point in the main channel" "$(msg 100)" "⚔️ Rally Point Created|"
same "rally point mentions the rally roles, and only them" \
	"$(jq -c 'select(.route == "channel:100") | [.body.content, .body.allowed_mentions.roles]' "$T/d.rec")" \
	'["<@&555> <@&666> Rally point created!",["555","666"]]'
contains "the kill lists its notable items (enriched sample)" \
	"$(jq -r 'select(.route == "channel:200") | .body.embeds[0].description' "$T/d.rec")" \
	"**Notable Items:**
• Gist X-Type 100MN Afterburner (~180.50M ISK)
• Large Core Defense Field Extender II x2 (~62.50M ISK)"
same "the new system shows its recent kills, aged from the event's time" \
	"$(jq -r 'select(.route == "channel:400") | .body.embeds[0].fields[] | select(.name == "Recent Kills") | .value' "$T/d.rec")" \
	"[Drifting Dave](https://zkillboard.com/kill/129990101/) ([DRFT](https://zkillboard.com/corporation/98000011/)) - Procurer - 312.4M ISK (2h ago)
[14.2M ISK NPC Kill](https://zkillboard.com/kill/129990077/) in 40000007 (2 pts)"
same "kill links to zKillboard" \
	"$(jq -r 'select(.route == "channel:200") | .body.embeds[0].url' "$T/d.rec")" \
	"https://zkillboard.com/kill/130000001/"
same "each killmail once (the feed repeats 130000001), untracked Rens never" \
	"$(jq -r '.body.embeds[0].footer.text // empty' "$T/d.rec" | grep -o 'Killmail ID: [0-9]*' | sort | tr '\n' ,)" \
	"Killmail ID: 130000001,Killmail ID: 130000002,Killmail ID: 130000003,"
same "no 4xx or 5xx from Discord" "$(jq -r '[.status | to_entries[] | select(.key != "200")] | length' "$T/d.stats")" 0
case $(cat err) in *"$BOT"*) notok "bot token never logged";; *) ok "bot token never logged";; esac

# the same replay again: the delivered log makes it a no-op
$P --replay --no-enrich --map "$EX/map.json" --now 2026-03-17T19:30:00Z \
	"$EX/killmails.ndjson" "$EX/map-events.ndjson" >out 2>err; rc=$?
same "second replay: exit 0" "$rc" 0
same "second replay: nothing posted twice" "$(wc -l <"$T/d.rec")" 6

# an EVE Ref day archive (ESI killmails, one per member) and an R2Z2 day
# history with bodies; tracked by --systems instead of a map
mkdir -p km
jq . "$WN_FIXTURES/kills/esi_killmail.json" >km/120000000.json
tar -cjf day.tar.bz2 km
jq -c '{"120000001": (.killmail_id = 120000001)}' "$WN_FIXTURES/kills/esi_killmail.json" >20261101.json
$P --replay --no-enrich --filter-arg --systems --filter-arg 30002552 \
	day.tar.bz2 20261101.json >out 2>err; rc=$?
same "archive replay: exit 0" "$rc" 0
same "archive replay: both kills posted to the system-kill channel" \
	"$(jq -r 'select(.route == "channel:200") | .body.embeds[0].footer.text' "$T/d.rec" | grep -o '12000000[01]' | tr '\n' ,)" \
	"120000000,120000001,"
same "archive replay: nothing else" "$(wc -l <"$T/d.rec")" 8

# a zKillboard day history of id/hash pairs: wn-enrich fetches each body
# and the names from the fake ESI before wn-filter and wn-discord see it
start_fake esi esi.py --log "$T/esi.log" || exit 1
h=$(printf 120000005 | sha1sum | cut -c1-40)
printf '{"120000005":"%s"}' "$h" >hashes.json
WN_STATE_DIR=$T/state2 ESI_URL=http://127.0.0.1:$PORT \
	$P --replay --filter-arg --systems --filter-arg 31001320 hashes.json >out 2>err; rc=$?
same "id/hash replay through wn-enrich: exit 0" "$rc" 0
same "the killmail body came from ESI" \
	"$(jq -r 'select(.path | startswith("/killmails/")) | "\(.path) \(.status)"' "$T/esi.log")" \
	"/killmails/120000005/$h 200"
last=$(tail -n 1 "$T/d.rec")
same "posted with the system name from ESI" "$(printf "%s\n" "$last" | jq -r .body.embeds[0].title)" \
	"Ship destroyed in J001320"
contains "posted with the victim's name from ESI" "$(printf "%s\n" "$last" | jq -r .body.embeds[0].description)" \
	"Pilot 93018221"
same "to the system-kill channel" "$(printf "%s\n" "$last" | jq -r .route)" "channel:200"

done_testing
