#!/bin/sh
# wn-enrich-notable.t — notable items: the real wn-enrich against the
# fake ESI and a fake Janice.  Dropped items named (in the window's one
# /universe/names request) and priced (one appraisal, X-ApiKey and
# text/plain checked by the fake), the notable ones attached; prices
# cached (no second Janice call); the body fetched by id+hash when the
# record has no items; Janice down, slow, rate limited or refusing the
# key: the record still flows, without notable_items; off unless both
# NOTABLE_ITEMS_ENABLED and JANICE_API_TOKEN; the key never in stderr.
. "$WN_ROOT/tests/lib.sh"

K=$WN_FIXTURES/kills
KEY=jan-test-key-9f8e7d6c5b4a
start_esi --log "$T/esi.log" --name "47740=Abyssal Warp Disruptor" \
	--name "47408=Abyssal Stasis Webifier" --unknown 699999 || exit 1
# 7781: 186 dropped at 1M = 186M (shown); 38483: 173 at 100k = 17.3M (not);
# 3467: a container (its 12345 inside is ignored); 5973: the fake ESI's
# killmail bodies drop one, at 200M
start_fake janice janice.py --key "$KEY" --log "$T/jan.log" --price 7781=1000000 \
	--price 38483=100000 --price 3467=10 --price 12345=9000000000 \
	--price 5973=200000000 --item "Abyssal Warp Disruptor=47740:150000000" \
	--item "Abyssal Stasis Webifier=47408:1000000" || exit 1
JANICE=http://127.0.0.1:$PORT
export JANICE_API_URL=$JANICE NOTABLE_ITEMS_ENABLED=true JANICE_API_TOKEN=$KEY

STATUS=$WN_STATE_DIR/status/wn-enrich.json
jreqs() { [ -f jan.log ] && wc -l <jan.log | tr -d ' ' || echo 0; }
faults() { curl -s -X POST -d "$1" "$JANICE/_control/faults" >/dev/null; }
khash() { printf %s "$1" | sha1sum | cut -c1-40; }
run() { wn-enrich -v -v "$@" 2>>allerr >out; }

jq -c '.victim.items += [
	{"flag":5,"item_type_id":3467,"quantity_dropped":1,"singleton":0,
	 "items":[{"flag":5,"item_type_id":12345,"quantity_dropped":1,"singleton":0}]},
	{"flag":5,"item_type_id":555,"quantity_dropped":0,"quantity_destroyed":2,"singleton":0}]' \
	"$K/esi_killmail.json" >one

# --- named, priced, attached ---
run one
same "exit 0" "$?" 0
same "notable_items: the one over the threshold" "$(jq -c .notable_items out)" \
	'[{"type_id":7781,"name":"Type 7781","quantity":186,"unit_price":1000000,"total_value":186000000}]'
same "counted: attached" "$(counter notable_attached)" 1
same "counted: Janice requests" "$(counter janice_requests)" 1
same "one appraisal" "$(jreqs)" 1
same "the key in X-ApiKey" "$(jq -r .key_ok jan.log)" true
same "Content-Type text/plain" "$(jq -r .ctype jan.log)" text/plain
same "Wanderer Notifier's query" "$(jq -r '.query | to_entries | map("\(.key)=\(.value)") | sort | join("&")' jan.log)" \
	"compactize=true&designation=appraisal&market=2&persist=true&pricePercentage=1&pricing=buy&pricingVariant=immediate"
same "dropped, top-level items only, one line each" \
	"$(jq -r '.lines[]' jan.log | sort | tr '\n' ';')" "Type 3467 1;Type 38483 173;Type 7781 186;"
same "item names came in the window's one names request" \
	"$(grep -c '"/universe/names"' esi.log)" 1
with=$(jq -r 'select(.path == "/universe/names") | .ids' esi.log)
rm -f esi.log
NOTABLE_ITEMS_ENABLED=false WN_STATE_DIR=$T/plain wn-enrich one >plain 2>/dev/null
same "that request had the three item types more than without notable items" \
	"$(( with - $(jq -r 'select(.path == "/universe/names") | .ids' esi.log) ))" 3
same "the rest of the record as without notable items" \
	"$(jq -c 'del(.notable_items)' out)" "$(jq -c . plain)"

# --- through the filter to the Discord message ---
wn-filter -r -a 0 -s 30002552 out 2>/dev/null | wn-discord --dry-run >msg 2>/dev/null
contains "the kill message lists it" "$(jq -r '.payload.embeds[0].description' msg)" \
	"$(printf '\n\n**Notable Items:**\n\342\200\242 Type 7781 x186 (~186.00M ISK)\n\n<t:')"

# --- the price cache: a second kill with the same items asks Janice nothing ---
jq -c '.killmail_id = 120000001' one >two
run two
same "cached prices: no second Janice call" "$(jreqs)" 1
same "cached prices: same notable items" "$(jq -c .notable_items out)" \
	'[{"type_id":7781,"name":"Type 7781","quantity":186,"unit_price":1000000,"total_value":186000000}]'

# --- threshold and limit from the environment, order by value ---
NOTABLE_ITEMS_THRESHOLD_ISK=10000000 run two
same "lower threshold: two, highest first" "$(jq -c '[.notable_items[] | .type_id]' out)" "[7781,38483]"
NOTABLE_ITEMS_THRESHOLD_ISK=10000000 NOTABLE_ITEMS_LIMIT=1 run two
same "limit 1" "$(jq -c '[.notable_items[] | .type_id]' out)" "[7781]"
NOTABLE_ITEMS_THRESHOLD_ISK=186000000 run two
same "total equal to the threshold: not shown, and no member at all" \
	"$(jq -c 'has("notable_items")' out)" false

# --- abyssal modules: shown when worth more than the threshold, else not ---
jq -c '.killmail_id = 120000002 | .victim.items += [
	{"flag":19,"item_type_id":47740,"quantity_dropped":1,"singleton":0},
	{"flag":20,"item_type_id":47408,"quantity_dropped":2,"singleton":0},
	{"flag":21,"item_type_id":699999,"quantity_dropped":1,"singleton":0}]' one >abyss
rm -f jan.log
run abyss
same "abyssal: the expensive one shown, by value, the cheap one not" \
	"$(jq -c '[.notable_items[] | [.name, .total_value]]' out)" \
	'[["Type 7781",186000000],["Abyssal Warp Disruptor",150000000]]'
same "abyssal: only the new types priced (not one ESI does not know)" \
	"$(jq -r '.lines[]' jan.log | sort | tr '\n' ';')" "Abyssal Stasis Webifier 2;Abyssal Warp Disruptor 1;"

# --- a record with a victim but no items: the body by id and hash ---
# (the WandererKills shape: names from the feed, no items)
jq -c --arg h "$(khash 4242)" '.killmail_id = 4242 | .zkb.hash = $h' \
	"$K/wanderer_kills_killmail.json" >noitems
run noitems
same "no items: the killmail fetched from ESI" "$(grep -c '"/killmails/4242/' esi.log)" 1
same "no items: notable from the fetched body" "$(jq -c '[.notable_items[] | [.type_id, .quantity]]' out)" "[[5973,1]]"
same "no items: the record keeps its own shape (no items added)" "$(jq -c '.victim | has("items")' out)" false
same "no items: counted" "$(counter notable_bodies)" 1
run noitems
same "no items, again: the body from the cache" "$(grep -c '"/killmails/4242/' esi.log)" 1

# --- Janice down: the record flows without notable_items ---
export WN_STATE_DIR=$T/cold1
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '["500x10"]'
rm -f jan.log
: >err1
wn-enrich -v one >out 2>err1
same "Janice 500: exit 0" "$?" 0
same "Janice 500: the record still goes out" "$(jq -r .killmail_id out)" 120000000
same "Janice 500: with its names" "$(jq -r .victim.ship_type_name out)" "Type 11987"
same "Janice 500: without notable_items" "$(jq -c 'has("notable_items")' out)" false
same "Janice 500: retried, three tries" "$(jreqs)" 3
same "Janice 500: one warning line" "$(grep -c 'janice' err1)" 1
contains "Janice 500: it says what happened" "$(cat err1)" "HTTP 500; 1 killmail goes on without notable items"
same "Janice 500: counted" "$(counter notable_failed) $(counter janice_errors)" "1 1"
cat err1 >>allerr

# --- an outage: after a failed appraisal Janice is left alone a while ---
export WN_STATE_DIR=$T/cold1b
faults '["500x10"]'
rm -f jan.log
mkfifo live
wn-enrich live >liveout 2>errlive &
pid=$!
exec 3>live
cat one >&3
wait_for "the first live record" 10 grep -q '"killmail_id":120000000' liveout
jq -c '.killmail_id = 120000009' one >&3
wait_for "the second live record" 10 grep -q '"killmail_id":120000009' liveout
exec 3>&-
wait $pid
same "outage: both records out, without notable_items" \
	"$(jq -c '[.killmail_id, has("notable_items")]' liveout | tr '\n' ' ')" "[120000000,false] [120000009,false] "
same "outage: the second window did not ask Janice" "$(jreqs)" 3
contains "outage: and says why" "$(cat errlive)" "not asked for"
cat errlive >>allerr
faults '[]'

# --- Janice refuses the key ---
export WN_STATE_DIR=$T/cold2
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '[]'
rm -f jan.log
JANICE_API_TOKEN=wrong-key-0000000000 wn-enrich one >out 2>err2
same "bad key: the record goes out without notable_items" "$(jq -c '[.killmail_id, has("notable_items")]' out)" "[120000000,false]"
same "bad key: asked once (a key does not fix itself)" "$(jq -r .status jan.log | tr '\n' ' ')" "401 "
contains "bad key: says so" "$(cat err2)" "API key was refused"
check "bad key: the wrong key is not printed either" sh -c "! grep -q wrong-key-0000000000 err2"
cat err2 >>allerr

# --- rate limited: Retry-After honoured, then priced ---
export WN_STATE_DIR=$T/cold3
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '["429:1"]'
rm -f jan.log
run one
same "429: priced after waiting" "$(jq -c '[.notable_items[] | .type_id]' out)" "[7781]"
same "429: two requests" "$(jq -r .status jan.log | tr '\n' ' ')" "429 200 "
gap=$(jq -s '(.[1].t - .[0].t) >= 0.9' jan.log)
same "429: the second waited for Retry-After" "$gap" true
same "429: counted" "$(counter janice_429)" 1

# --- a Retry-After past the wait: no waiting, the record goes on ---
export WN_STATE_DIR=$T/cold4
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '["429:30"]'
rm -f jan.log
start=$(date +%s)
wn-enrich -w 3 one >out 2>err4
took=$(( $(date +%s) - start ))
same "long Retry-After: the record goes out without notable_items" "$(jq -c 'has("notable_items")' out)" false
check "long Retry-After: not waited for (${took}s)" test "$took" -lt $((15 * ${WN_WAIT_SCALE:-1}))
same "long Retry-After: asked once" "$(jreqs)" 1
cat err4 >>allerr

# --- slow Janice: never past the max wait ---
export WN_STATE_DIR=$T/cold5
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '["slow:20x5"]'
rm -f jan.log
start=$(date +%s)
wn-enrich -w 2 one >out 2>err5
took=$(( $(date +%s) - start ))
same "slow: the record goes out without notable_items" "$(jq -c '[.killmail_id, has("notable_items")]' out)" "[120000000,false]"
check "slow: bounded by the max wait, not Janice (${took}s)" test "$took" -lt $((12 * ${WN_WAIT_SCALE:-1}))
same "slow: counted" "$(counter notable_failed)" 1
cat err5 >>allerr

# --- a broken answer ---
export WN_STATE_DIR=$T/cold6
STATUS=$WN_STATE_DIR/status/wn-enrich.json
faults '["badjson"]'
wn-enrich one >out 2>err6
same "bad JSON from Janice: record out without notable_items" "$(jq -c 'has("notable_items")' out)" false
contains "bad JSON from Janice: said" "$(cat err6)" "answer is not JSON"
cat err6 >>allerr
faults '[]'

# --- off: no Janice call, no member ---
export WN_STATE_DIR=$T/cold7
rm -f jan.log
NOTABLE_ITEMS_ENABLED=false wn-enrich one >out 2>err7
same "disabled: no Janice call" "$(jreqs)" 0
same "disabled: no notable_items" "$(jq -c 'has("notable_items")' out)" false
env -u NOTABLE_ITEMS_ENABLED wn-enrich one >out 2>>err7
same "unset: no Janice call" "$(jreqs)" 0
env -u JANICE_API_TOKEN wn-enrich one >out 2>err8
same "no token: no Janice call" "$(jreqs)" 0
contains "no token: warned" "$(cat err8)" "NOTABLE_ITEMS_ENABLED without JANICE_API_TOKEN"
printf 'NOTABLE_ITEMS_ENABLED=on\nJANICE_API_TOKEN=%s\n' "$KEY" >envfile
env -u NOTABLE_ITEMS_ENABLED -u JANICE_API_TOKEN WN_ENV_FILE=$T/envfile \
	wn-enrich one >out 2>>allerr
same ".env: on, the key from the file" "$(jq -c '[.notable_items[] | .type_id]' out)" "[7781]"

# --- other records pass; bad configuration ---
{ echo '{"type":"system","action":"added","solar_system_id":31001503}'; cat one; } >mixed
run mixed
same "a system record passes untouched" "$(sed -n 1p out)" "$(sed -n 1p mixed)"
JANICE_API_URL=ftp://example.com wn-enrich one >/dev/null 2>err9
same "a non-HTTP JANICE_API_URL exits 100" "$?" 100
NOTABLE_ITEMS_LIMIT=-1 wn-enrich one >/dev/null 2>>err9
same "a negative limit exits 100" "$?" 100

# --- the key: never in a log line ---
cat err7 err8 err9 >>allerr
check "stderr had debug lines to look at" test -s allerr
check "the key is never in stderr" sh -c "! grep -q '$KEY' allerr"

done_testing
