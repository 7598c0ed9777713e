#!/bin/sh
# wn-enrich-recent.t — recent kills on system added records: the real
# wn-enrich against the fake ESI and the fake WandererKills REST API.
# The list and each kill's details come from WandererKills, missing names
# and tickers from ESI; other records pass untouched; the details are
# cached across runs; a failing or hanging service costs one warning and
# a bounded wait, never the record; switched off, nothing is asked.
. "$WN_ROOT/tests/lib.sh"

STATUS=$WN_STATE_DIR/status/wn-enrich.json
cat >data.json <<'EOF'
{"systems": {
  "31001503": [
   {"killmail_id": 128374655, "zkb": {"locationID": 40000001, "hash": "aa", "fittedValue": 1.0e9, "totalValue": 1.2e9, "points": 12, "npc": false, "solo": false, "awox": false}},
   {"killmail_id": 128374650, "zkb": {"locationID": 40000002, "hash": "bb", "totalValue": 35000000.5, "points": 3, "npc": false, "solo": true, "awox": false}},
   {"killmail_id": 128374640, "zkb": {"locationID": 40000003, "hash": "cc", "totalValue": 9500.0, "points": 1, "npc": true, "solo": false, "awox": false}},
   {"killmail_id": 128374600, "zkb": {"hash": "dd", "totalValue": 1.0, "points": 1, "npc": false, "solo": false, "awox": false}}],
  "31000007": [
   {"killmail_id": 777, "kill_time": "2026-03-17T17:00:00Z", "system_id": 31000007,
    "victim": {"character_id": 95000007, "character_name": "Listed Pilot", "corporation_id": 98000007, "corporation_ticker": "LST", "ship_type_id": 670, "ship_name": "Capsule"},
    "attackers": [], "zkb": {"location_id": 40000007, "total_value": 10000.0, "points": 1, "npc": false, "solo": true, "awox": false}}]},
 "killmails": {
  "128374655": {"killmail_id": 128374655, "kill_time": "2026-03-17T15:00:00Z", "system_id": 31001503,
    "victim": {"character_id": 95000001, "character_name": "Some Pilot", "corporation_id": 98000001, "ship_type_id": 29990, "ship_name": "Loki", "damage_taken": 100},
    "attackers": [{"character_id": 95000009, "final_blow": true, "damage_done": 100}],
    "zkb": {"locationID": 40000001, "hash": "aa", "totalValue": 1.2e9, "points": 12, "npc": false, "solo": false, "awox": false}},
  "128374650": {"killmail_id": 128374650, "kill_time": "2026-03-16T18:00:00Z", "system_id": 31001503,
    "victim": {"character_id": 95000002, "corporation_id": 98000002, "ship_type_id": 587},
    "attackers": [], "zkb": {"hash": "bb", "totalValue": 35000000.5, "points": 3, "npc": false, "solo": true, "awox": false}}}}
EOF
# five more systems with three bare kills each, all with details
jq '.systems += ([range(0; 5) as $s | {key: "3100010\($s)", value:
	[range(0; 3) as $k | {killmail_id: (900000 + $s * 10 + $k), zkb: {totalValue: 1000, points: 1}}]}]
	| from_entries)
    | .killmails += ([range(0; 5) as $s | range(0; 3) as $k | (900000 + $s * 10 + $k) as $id |
	{key: "\($id)", value: {killmail_id: $id, kill_time: "2026-03-17T12:00:00Z",
	 victim: {character_id: 95000100, character_name: "P\($id)", corporation_id: 98000001,
	  corporation_ticker: "T", ship_type_id: 587, ship_name: "Rifter"}, attackers: [],
	 zkb: {totalValue: 1000, points: 1}}}] | from_entries)' data.json >data2.json &&
	mv data2.json data.json
start_esi --log "$T/esi.log" || exit 1
start_fake wk wkrest.py --data "$T/data.json" --log "$T/wk.log" || exit 1
WK=http://127.0.0.1:$PORT
export ESI_URL WANDERER_KILLS_URL=$WK
unset WN_RECENT_KILLS WN_RECENT_KILLS_TIMEOUT_MS

wkreqs() { [ -f wk.log ] && grep -c "$1" wk.log || echo 0; }
fault() { curl -s -X POST --data "$1" "$WK/_control/faults" >/dev/null; }
ADDED='{"type":"system","action":"added","solar_system_id":31001503,"name":"J155416","class_title":"C4","time":"2026-03-17T18:00:00Z","event_id":"01J0000000000000000000000"}'
NOKILLS='{"type":"system","action":"added","solar_system_id":31000005,"name":"J000005","time":"2026-03-17T18:00:00Z"}'
LISTED='{"type":"system","action":"added","solar_system_id":31000007,"name":"J000007","time":"2026-03-17T18:00:00Z"}'
{
	echo "$ADDED"
	echo '{"type":"system","action":"removed","solar_system_id":31001503,"name":"J155416","event_id":"01J0000000000000000000001"}'
	echo '{"type":"system","action":"updated","solar_system_id":31001503,"name":"J155416","custom_name":"home"}'
	jq -c . "$WN_FIXTURES/kills/esi_killmail.json"
	echo "$NOKILLS"
	echo '{"type":"character","action":"added","character_id":95000001,"name":"Some Pilot"}'
	echo "$LISTED"
} >in.ndjson

# --- a system added gets its recent kills ---
wn-enrich in.ndjson >out 2>err
same "exit 0" "$?" 0
same "every record out, in order" "$(jq -r '"\(.type)/\(.action // "-")"' out | tr '\n' ' ')" \
	"system/added system/removed system/updated killmail/- system/added character/added system/added "
same "three kills, newest first" "$(sed -n 1p out | jq -c '[.recent_kills[].killmail_id]')" \
	"[128374655,128374650,128374640]"
same "the rest of the record kept" "$(sed -n 1p out | jq -c 'del(.recent_kills)')" "$ADDED"
same "a kill with details: WandererKills' names, ESI's ticker" \
	"$(sed -n 1p out | jq -c '.recent_kills[0]')" \
	'{"killmail_id":128374655,"kill_time":"2026-03-17T15:00:00Z","victim":{"character_id":95000001,"character_name":"Some Pilot","corporation_id":98000001,"corporation_ticker":"C1","ship_type_id":29990,"ship_type_name":"Loki"},"zkb":{"totalValue":1200000000,"points":12,"npc":false,"solo":false,"awox":false,"locationID":40000001}}'
same "a kill without names: character, ticker and ship from ESI" \
	"$(sed -n 1p out | jq -c '.recent_kills[1].victim | [.character_name, .corporation_ticker, .ship_type_name]')" \
	'["Pilot 95000002","C2","Type 587"]'
same "a kill WandererKills has no details for: id and zkb" \
	"$(sed -n 1p out | jq -c '.recent_kills[2]')" \
	'{"killmail_id":128374640,"zkb":{"totalValue":9500,"points":1,"npc":true,"solo":false,"awox":false,"locationID":40000003}}'
for k in 2 3 5 6; do
	same "line $k ($(sed -n ${k}p in.ndjson | jq -r '"\(.type) \(.action // "")"')) byte for byte" \
		"$(sed -n ${k}p out)" "$(sed -n ${k}p in.ndjson)"
done
same "the killmail is named, not given recent kills" \
	"$(sed -n 4p out | jq -c '[(.solar_system_name | type), has("recent_kills")]')" '["string",false]'
same "a list that already carries the victim needs no detail request" \
	"$(sed -n 7p out | jq -c '.recent_kills')" \
	'[{"killmail_id":777,"kill_time":"2026-03-17T17:00:00Z","victim":{"character_id":95000007,"character_name":"Listed Pilot","corporation_id":98000007,"corporation_ticker":"LST","ship_type_id":670,"ship_type_name":"Capsule"},"zkb":{"totalValue":10000,"points":1,"npc":false,"solo":true,"awox":false,"locationID":40000007}}]'
same "one list request per system added" "$(wkreqs /kills/system/)" 3
same "as Wanderer Notifier asks" "$(jq -r 'select(.path | contains("/kills/system/")) | .query' wk.log | sort -u)" \
	"limit=3&since_hours=48"
same "one detail request per bare kill" "$(wkreqs /killmail/)" 3
same "nothing else asked" "$(wc -l <wk.log | tr -d ' ')" 6
same "requests say who asks and what they accept" \
	"$(jq -r '"\(.ua | startswith("wn-enrich/")) \(.accept)"' wk.log | sort -u)" "true application/json"
same "the tickers from ESI's /corporations" "$(grep -c '/corporations/9800000[12]"' esi.log)" 2
same "status: recent kills added" "$(counter recent_kills_added)" 2
same "status: WandererKills requests" "$(counter wk_requests)" 6
same "status: a kill without details" "$(counter recent_kills_details_missing)" 1
same "status: no failure" "$(counter recent_kills_failed)" 0
same "a kill WandererKills does not know is no warning" "$(grep -c warning err)" 0

# --- the message Wanderer Notifier would post ---
sed -n 1p out | jq -c '. + {notify:{kind:"system"}}' | wn-discord --dry-run >msg 2>/dev/null
same "the Recent Kills field as Wanderer Notifier writes it" \
	"$(jq -r '.payload.embeds[0].fields[-1] | "\(.name)|\(.inline)|\(.value)"' msg)" \
	"Recent Kills|false|[Some Pilot](https://zkillboard.com/kill/128374655/) ([C1](https://zkillboard.com/corporation/98000001/)) - Loki - 1.2B ISK (3h ago)
[Pilot 95000002](https://zkillboard.com/kill/128374650/) ([C2](https://zkillboard.com/corporation/98000002/)) - Type 587 - 35.0M ISK (1d ago)
[9.5K ISK NPC Kill](https://zkillboard.com/kill/128374640/) in 40000003 (1 pts)"

# --- the next run: killmails never change, so their details come from the cache ---
before=$(wc -l <esi.log | tr -d ' ')
echo "$ADDED" | wn-enrich >out2 2>err2
same "second run: the same recent kills" "$(jq -c .recent_kills out2)" "$(sed -n 1p out | jq -c .recent_kills)"
same "second run: no detail request" "$(wkreqs /killmail/)" 3
same "second run: only the list is asked" "$(wkreqs /kills/system/)" 4
same "second run: no ESI request" "$(wc -l <esi.log | tr -d ' ')" "$before"
same "second run: status counts the details from the cache" "$(counter recent_kills_details_cached)" 2

# --- paced: five systems, three bare kills each: 20 requests, which at
# WandererKills' 20 a second take a second (unpaced, a few milliseconds)
for i in 0 1 2 3 4; do
	printf '{"type":"system","action":"added","solar_system_id":3100010%d,"name":"J00010%d"}\n' "$i" "$i"
done >five.ndjson
n0=$(wc -l <wk.log | tr -d ' ')
wn-enrich -C five.ndjson >pout 2>/dev/null
same "paced: every kill of the five systems has its details" \
	"$(jq -c '[.recent_kills[] | .victim.character_name] | length' pout | tr '\n' ' ')" "3 3 3 3 3 "
same "paced: 20 requests" "$(($(wc -l <wk.log) - n0))" 20
same "paced: spread over at least 0.85 s (20 a second)" \
	"$(tail -n 20 wk.log | jq -s '(.[-1].t - .[0].t) >= 0.85')" true

# --- switched off: nothing asked, records as they came ---
n0=$(wc -l <wk.log | tr -d ' ')
echo "$ADDED" | WN_RECENT_KILLS=0 wn-enrich -C >off1 2>/dev/null
echo "$ADDED" | wn-enrich -C --no-recent-kills >off2 2>/dev/null
echo "$ADDED" | wn-enrich -C -K >off3 2>/dev/null
echo "$ADDED" | WANDERER_KILLS_URL= wn-enrich -C >off4 2>/dev/null
same "WN_RECENT_KILLS=0, --no-recent-kills, -K, no URL: records untouched" \
	"$(cat off1 off2 off3 off4 | sort -u)" "$ADDED"
same "and no request to WandererKills" "$(wc -l <wk.log | tr -d ' ')" "$n0"
echo "$ADDED" | WANDERER_KILLS_URL=ftp://x wn-enrich -C >/dev/null 2>errurl
same "a non-HTTP WANDERER_KILLS_URL exits 100" "$?" 100
contains "and says why" "$(cat errurl)" "http:// or https://"

# --- failures: one warning, counted; the record goes on without ---
fault '["fetch_error@/api/v1/kills/system/"]'
echo "$ADDED" | wn-enrich -C >f1 2>ferr
same "FETCH_ERROR: exit 0" "$?" 0
same "FETCH_ERROR: the record as it came" "$(cat f1)" "$ADDED"
same "FETCH_ERROR: one warning" "$(grep -c warning ferr)" 1
contains "FETCH_ERROR: saying what the service said" "$(cat ferr)" \
	"system 31001503: no recent kills from WandererKills (HTTP 500 FETCH_ERROR: Failed to fetch system kills (timeout))"
same "FETCH_ERROR: counted" "$(counter recent_kills_failed)" 1

fault '["503@/api/v1/kills/system/"]'
echo "$ADDED" | wn-enrich -C >f2 2>ferr2
same "503 from a proxy: the record as it came" "$(cat f2)" "$ADDED"
contains "503: the status in the warning" "$(cat ferr2)" "(HTTP 503)"

fault '["badjson@/api/v1/kills/system/"]'
echo "$ADDED" | wn-enrich -C >f3 2>ferr3
same "a cut-off answer: the record as it came" "$(cat f3)" "$ADDED"
contains "a cut-off answer: said" "$(cat ferr3)" "bad answer"

fault '["404@/api/v1/kills/system/"]'
echo "$ADDED" | wn-enrich -C >f4 2>ferr4
same "404 means no kills: the record as it came" "$(cat f4)" "$ADDED"
same "404: no warning" "$(grep -c warning ferr4)" 0

fault '["500x3@/api/v1/killmail/"]'
echo "$ADDED" | wn-enrich -C >f5 2>ferr5
same "details failing: the kills keep id and zkb" \
	"$(jq -c '[.recent_kills[] | keys | join(",")]' f5)" '["killmail_id,zkb","killmail_id,zkb","killmail_id,zkb"]'
same "details failing: one warning" "$(grep -c warning ferr5)" 1
contains "details failing: saying so" "$(cat ferr5)" "details of 3 recent kills missing (HTTP 500"
fault '[]'

# --- a service that does not answer: bounded by --max-wait, then left alone ---
fault '["hang:30@/api/v1/kills/system/"]'
t0=$(date +%s)
printf '%s\n%s\n' "$ADDED" "$LISTED" | WN_RECENT_KILLS_TIMEOUT_MS=20000 wn-enrich -C -w 2 >h1 2>herr
t1=$(date +%s)
same "hanging: both records out as they came" "$(cat h1)" "$ADDED
$LISTED"
check "hanging: within --max-wait and a little ($((t1 - t0)) s)" [ $((t1 - t0)) -le $((6 * ${WN_WAIT_SCALE:-1})) ]
same "hanging: one warning" "$(grep -c warning herr)" 1
same "hanging: the next system is not held up (skipped, counted)" "$(counter recent_kills_skipped)" 1
fault '[]'

# the list in time, the details not: the request in flight gets only the
# time left, the others are not made
fault '["slow:1@/api/v1/kills/system/", "hang:30@/api/v1/killmail/"]'
d0=$(wkreqs /killmail/)
t0=$(date +%s)
echo "$ADDED" | wn-enrich -C -w 3 >s1 2>serr
t1=$(date +%s)
same "details hanging: the kills with id and zkb" "$(jq -c '[.recent_kills[] | keys | length]' s1)" "[2,2,2]"
check "details hanging: within --max-wait and a little ($((t1 - t0)) s)" [ $((t1 - t0)) -le $((6 * ${WN_WAIT_SCALE:-1})) ]
same "details hanging: one detail request tried, no more" "$(wkreqs /killmail/)" $((d0 + 1))
same "details hanging: one warning" "$(grep -c warning serr)" 1
fault '[]'

t0=$(date +%s)
echo "$ADDED" | WANDERER_KILLS_URL=http://127.0.0.1:1 wn-enrich -C >c1 2>cerr
t1=$(date +%s)
same "connection refused: the record as it came" "$(cat c1)" "$ADDED"
contains "connection refused: warned" "$(cat cerr)" "no recent kills from WandererKills"
check "connection refused: at once" [ $((t1 - t0)) -le $((3 * ${WN_WAIT_SCALE:-1})) ]

done_testing
