#!/bin/sh
# wn-enrich-cache.t — the persistent cache: nothing asked again before
# Expires, revalidation with If-None-Match (304) after it, an old answer
# used when ESI is down, the file survives restarts and damage, one owner
# at a time, the disk bound.
. "$WN_ROOT/tests/lib.sh"

STATUS=$WN_STATE_DIR/status/wn-enrich.json
CACHE=$WN_STATE_DIR/cache/esi.cache
faults() { curl -s -X POST -d "$1" "$ESI_URL/_control/faults" >/dev/null; }
corp_reqs() { jq -r 'select(.path | startswith("/corporations/")) | "\(.status) \(.inm != null)"' req.log | sort | uniq -c | tr -s ' ' | tr '\n' ';'; }
tickers() { jq -r '[.victim.corporation_ticker, (.attackers[] | select(.final_blow) | .corporation_ticker)] | join(" ")' out; }

# Expires 5 s ahead: room for two runs on a loaded machine (HTTP dates
# have whole seconds), then the sleeps pass it
start_esi --log "$T/req.log" --ttl 5 || exit 1
jq -c . "$WN_FIXTURES/kills/esi_killmail.json" >one

wn-enrich one >out 2>err
same "first run: tickers" "$(tickers)" "C10351 C39716"
same "first run: two corporations asked" "$(corp_reqs)" " 2 200 false;"
check "the cache file is in the state directory" test -s "$CACHE"
rm -f req.log
wn-enrich one >out2 2>err
same "before Expires: nothing asked" "$(test -f req.log && wc -l <req.log || echo 0)" 0
same "before Expires: same output" "$(cmp -s out out2 && echo same)" same

sleep 5.5
rm -f req.log
wn-enrich one >out2 2>err
same "after Expires: revalidated with If-None-Match, 304" "$(corp_reqs)" " 2 304 true;"
same "after Expires: names not asked again (static, kept long)" \
	"$(grep -c '"/universe/names"' req.log)" 0
same "304: the cached answer used" "$(cmp -s out out2 && echo same)" same
same "304: counted" "$(counter esi_not_modified)" 4

# --- ESI down after Expires: the old answer beats none ---
sleep 5.5
faults '["503x100000"]'
rm -f req.log
wn-enrich -w 1 one >out2 2>err
same "down and stale: tickers from the old answers" "$(jq -r .victim.corporation_ticker out2)" C10351
same "down and stale: nothing missing" "$(counter partial)" 0
faults '[]'

# --- damage and restarts ---
printf 'corporation:98310351\t99999999999\t\t{"name":"Corp 98310351","ticker":"C10351"\n' >>"$CACHE"
printf 'garbage line without tabs\n' >>"$CACHE"
printf 'name:1\t1\t' >>"$CACHE"          # torn: the process died mid-write
wn-enrich one >out2 2>err
same "damaged file: still works" "$(cmp -s out out2 && echo same)" same
check "damaged file: the torn tail is cut off" sh -c "tail -c 1 '$CACHE' | od -c | grep -q '\\\\n'"

# --- one owner: a second instance works on a temporary cache ---
mkfifo in
wn-enrich in >held 2>held.err &
pid=$!
exec 3>in
sleep 0.5
wn-enrich one >out2 2>err
same "second instance: still enriches" "$(tickers)" "C10351 C39716"
contains "second instance: says why it does not persist" "$(cat err)" "in use by another process"
exec 3>&-
wait $pid
same "first instance: exit 0 at end of input" "$?" 0

# --- the disk bound holds over many kills ---
$PY - <<'PYEOF' >many
import json, os, random
rng = random.Random(3)
base = json.load(open(os.environ["WN_FIXTURES"] + "/kills/esi_killmail.json"))
for k in range(400):
    km = json.loads(json.dumps(base))
    km["killmail_id"] = k + 1
    km["victim"]["character_id"] = 90000000 + rng.randrange(7000000)
    for a in km["attackers"]:
        a["character_id"] = 90000000 + rng.randrange(7000000)
    print(json.dumps(km))
PYEOF
export WN_STATE_DIR=$T/small
wn-enrich -d 1 -n 400 many >out 2>err
same "small cache: every record out" "$(wc -l <out | tr -d ' ')" 400
size=$(wc -c <"$WN_STATE_DIR/cache/esi.cache")
check "small cache: file within 1 MiB ($size bytes)" test "$size" -le 1048576

done_testing
