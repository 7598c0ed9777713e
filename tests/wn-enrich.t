#!/bin/sh
# wn-enrich.t — the real binary against the fake ESI: usage and exit
# codes, names on every shape, bodies fetched by id+hash, order kept, bad
# input skipped and counted, batching across records (counted in the
# fake's request log), the cache across runs, ids ESI does not know.
. "$WN_ROOT/tests/lib.sh"

K=$WN_FIXTURES/kills
STATUS=$WN_STATE_DIR/status/wn-enrich.json
start_esi --log "$T/req.log" --unknown 95000001 || exit 1

enrich() { wn-enrich "$@" 2>"$T/err"; }
reqs() { [ -f "$T/req.log" ] && grep -c "$1" "$T/req.log" || echo 0; }
khash() { printf %s "$1" | sha1sum | cut -c1-40; }

# --- usage, version, configuration errors ---
wn-enrich -h 2>err; same "-h exits 100" "$?" 100
contains "-h prints usage" "$(cat err)" "usage: wn-enrich"
wn-enrich --version >out; same "--version exits 0" "$?" 0
contains "--version prints the version" "$(cat out)" "wn-enrich "
wn-enrich -Q </dev/null 2>/dev/null; same "unknown option exits 100" "$?" 100
wn-enrich -u ftp://x </dev/null 2>err; same "a non-HTTP URL exits 100" "$?" 100
contains "and says why" "$(cat err)" "http:// or https://"
wn-enrich -w abc </dev/null 2>/dev/null; same "bad --max-wait exits 100" "$?" 100
wn-enrich /nonexistent/file 2>/dev/null; same "missing input exits 100" "$?" 100

# --- names on an ESI killmail ---
jq -c . "$K/esi_killmail.json" | enrich >out
same "exit 0" "$?" 0
same "one record out" "$(wc -l <out | tr -d ' ')" 1
same "type killmail" "$(jq -r .type out)" killmail
same "system name" "$(jq -r .solar_system_name out)" Sys-30002552
same "victim character name" "$(jq -r .victim.character_name out)" "Pilot 398512676"
same "victim corporation name and ticker" \
	"$(jq -r '.victim | "\(.corporation_name) [\(.corporation_ticker)]"' out)" "Corp 98310351 [C10351]"
same "victim alliance name and ticker" \
	"$(jq -r '.victim | "\(.alliance_name) \(.alliance_ticker)"' out)" "Alliance 99003400 <A3400>"
same "victim ship name" "$(jq -r .victim.ship_type_name out)" "Type 11987"
same "every attacker has character, corporation, ship and weapon names" \
	"$(jq '[.attackers[] | select(.character_name and .corporation_name and .ship_type_name and .weapon_type_name)] | length' out)" \
	"$(jq '.attackers | length' "$K/esi_killmail.json")"
same "final blow has tickers" \
	"$(jq -r '.attackers[] | select(.final_blow) | .corporation_ticker' out)" C39716
same "others without a ticker (names are enough)" \
	"$(jq '[.attackers[] | select(.final_blow | not) | select(.corporation_ticker)] | length' out)" 0
same "ids and other fields kept" \
	"$(jq -c '[.killmail_id, .victim.damage_taken, (.victim.items | length)]' out)" "[120000000,121223,3]"
same "requests carry the compatibility date" \
	"$(jq -r .compat req.log | sort -u)" 2025-12-16
contains "and a User-Agent naming the tool" "$(jq -r .ua req.log | sort -u)" "wn-enrich/"
same "ids resolved in one POST /universe/names" "$(reqs '"/universe/names"')" 1

# --- all tickers, other shapes ---
jq -c . "$K/esi_killmail.json" | enrich -a -C >out
same "-a: every attacker has a ticker" \
	"$(jq '[.attackers[] | select(.corporation_ticker)] | length' out)" "$(jq '.attackers | length' out)"
jq -c . "$K/esi_killmail.json" | enrich -C -r >out
same "-r: region through system and constellation" \
	"$(jq -r '"\(.region_id) \(.region_name)"' out)" "10000052 Region 10000052"
for f in redisq_package r2z2_file esi_with_zkb wanderer_kills_killmail; do
	jq -c . "$K/$f.json" | enrich >out
	same "$f: normalised and named" "$(jq -r '[.type, (.solar_system_name | type), (.victim.ship_type_name | type)] | join(" ")' out)" \
		"killmail string string"
done

# --- bodies fetched by id and hash ---
rm -f req.log
H=$(khash 4242)
{
	printf '{"killmail_id":4242,"zkb":{"hash":"%s","totalValue":1e6,"npc":false}}\n' "$H"
	printf '{"package":{"killID":4243,"zkb":{"hash":"%s","totalValue":5}}}\n' "$(khash 4243)"
	printf '{"killmail_id":4244,"hash":"%s","zkb":{"totalValue":7},"sequence_id":9}\n' "$(khash 4244)"
	printf '{"killmail_id":4245,"zkb":{"hash":"%s"}}\n' "0000000000000000000000000000000000000bad"
} >bodyless
enrich bodyless >out
same "all four go out, in order" "$(jq -r .killmail_id out | tr '\n' ' ')" "4242 4243 4244 4245 "
same "the zkb-only row got its body and names" \
	"$(sed -n 1p out | jq -r '[.type, .killmail_hash, (.victim.character_name | type), .zkb.totalValue] | join(" ")')" \
	"killmail $H string 1000000"
same "the RedisQ package got its body" "$(sed -n 2p out | jq -r '.solar_system_name | type')" string
same "the R2Z2 file got its body" "$(sed -n 3p out | jq -r '[.sequence_id, (.victim.ship_type_name | type)] | join(" ")')" "9 string"
same "a bad hash passes on as it came" "$(sed -n 4p out)" "$(sed -n 4p bodyless)"
contains "with a warning" "$(cat err)" "killmail 4245: ESI does not know"
same "one GET per killmail" "$(reqs '"/killmails/')" 4
same "counted: fetched" "$(counter bodies_fetched)" 3
same "counted: invalid" "$(counter bodies_invalid)" 1
enrich bodyless >out2
same "second run: bodies (and the bad hash) from the cache" "$(reqs '"/killmails/')" 4
same "same output" "$(cat out2)" "$(cat out)"

# --- order, pass-through, bad input ---
jq -c . "$K/esi_killmail.json" >one
{
	echo '{"type":"system","action":"added","solar_system_id":31001503,"name":"J155416"}'
	jq -c '.killmail_id = 1' one
	echo 'this is not json'
	jq -c '.killmail_id = 2' one
	echo '{"type":"killmail","killmail_id":3}'
	echo '[1,2]'
	jq -c '.killmail_id = 4' one
	printf '{"type":"rally_point","action":"added","rally_point_id":"x"}'
} >mixed
enrich mixed >out
same "good records out in order, others passed through" \
	"$(jq -r '.killmail_id // .type' out | tr '\n' ' ')" "system 1 2 4 rally_point "
same "a map record passes byte for byte" "$(sed -n 1p out)" "$(sed -n 1p mixed)"
same "three bad lines warned" "$(grep -c 'warning: mixed:[0-9]*: ' err)" 3
contains "with the line number" "$(cat err)" "mixed:3: "
contains "and the reason" "$(cat err)" "mixed:5: no killmail_time"
same "counted" "$(counter bad_input)" 3
wn-enrich -S mixed >/dev/null 2>err; same "--strict: bad input exits 100" "$?" 100

# oversize lines, several inputs, a closed stdout, .env, the User-Agent contact
{ jq -c '.killmail_id = 5' one; printf '{"pad":"%05000d"}\n' 0; jq -c '.killmail_id = 6' one; } >big
enrich -x 4096 big >out
same "an oversize line is skipped, the rest flows" "$(jq -r .killmail_id out | tr '\n' ' ')" "5 6 "
contains "and warned about" "$(cat err)" "big:2: line longer than 4096 bytes"
enrich -x 4096 one big >out
same "several inputs: every record" "$(jq -r .killmail_id out | sort | tr '\n' ' ')" "120000000 5 6 "
for i in $(seq 60); do cat one; done >sixty	# more than a pipe holds
{ wn-enrich sixty 2>err; echo $? >rc; } | head -c 1 >/dev/null
same "stdout closed: exit 111" "$(cat rc)" 111
contains "stdout closed: said so" "$(cat err)" "cannot write to stdout"
mkdir envdir && (cd envdir && printf 'ESI_URL=%s\nWN_CONTACT=ops@example.com\n' "$ESI_URL" >.env &&
	env -u ESI_URL wn-enrich -C ../one >../out 2>../err)
same ".env: ESI_URL from the file" "$(jq -r .solar_system_name out)" Sys-30002552
contains ".env: the contact goes into the User-Agent" "$(tail -n 1 req.log | jq -r .ua)" "(ops@example.com; "

# live: a record that arrives alone goes out at once, not when a window fills
mkfifo live
wn-enrich live >liveout 2>err &
pid=$!
exec 3>live
jq -c '.killmail_id = 11' one >&3
wait_for "the first live record" 5 grep -q '"killmail_id":11' liveout
check "live: out while the input stays open" grep -q '"killmail_id":11' liveout
jq -c '.killmail_id = 12' one >&3
wait_for "the second live record" 5 grep -q '"killmail_id":12' liveout
check "live: and the next one too" grep -q '"killmail_id":12' liveout
exec 3>&-
wait $pid
same "live: exit 0 at the end of input" "$?" 0

# --- batching: ids of many kills in few requests ---
rm -f req.log
$PY - <<'EOF' >many
import json, random
rng = random.Random(7)
base = json.load(open(__import__("os").environ["WN_FIXTURES"] + "/kills/esi_killmail.json"))
for k in range(300):
    km = json.loads(json.dumps(base))
    km["killmail_id"] = 1000 + k
    km["solar_system_id"] = 31000000 + rng.randrange(2000)
    km["victim"]["character_id"] = 90000000 + rng.randrange(5000000)
    for a in km["attackers"]:
        a["character_id"] = 90000000 + rng.randrange(5000000)
        a["corporation_id"] = 98000000 + rng.randrange(50)
        a.pop("alliance_id", None)
    print(json.dumps(km))
EOF
ids=$(jq -r '.solar_system_id, (.victim, .attackers[] | .character_id, .ship_type_id, .weapon_type_id // empty, .corporation_id, .alliance_id // empty)' many | sort -u | wc -l)
enrich -n 1000 many >out
same "300 kills in, 300 out" "$(wc -l <out | tr -d ' ')" 300
same "status: esi_requests is what the fake saw" "$(counter esi_requests)" "$(wc -l <req.log | tr -d ' ')"
check "status: cache misses counted" test "$(counter cache_misses)" -ge "$ids"
posts=$(reqs '"/universe/names"')
same "one POST per 1000 unknown ids ($ids ids)" "$posts" $(( (ids - 1) / 1000 + 1 ))
same "no batch over 1000 ids" "$(jq 'select(.path == "/universe/names") | .ids' req.log | sort -n | tail -1)" 1000
same "every name filled" "$(jq '[.. | objects | select(has("character_id") and (has("character_name") | not))] | length' out | sort -u)" 0
before=$(wc -l <req.log)
enrich -n 1000 many >out2
same "a second run asks ESI nothing" "$(wc -l <req.log)" "$before"
same "and writes the same" "$(cmp -s out out2 && echo same)" same
same "status: no cache misses" "$(counter cache_misses)" 0
check "status: cache hits counted" test "$(counter cache_hits)" -gt 1000
check "status counts ESI requests" test "$(counter esi_requests)" -eq 0

enrich -n 1 many >out3
same "window size does not change the output" "$(cmp -s out out3 && echo same)" same

# half the names cached, half not: the fields still come out in one order
WN_STATE_DIR=$T/state3 sh -c 'head -n 150 many | wn-enrich -n 1000 >/dev/null 2>&1'
WN_STATE_DIR=$T/state3 wn-enrich -n 1000 many >out4 2>/dev/null
same "a half-warm cache does not change the output" "$(cmp -s out out4 && echo same)" same

# small windows cost more requests, but never a record
rm -f req.log
enrich -C -n 10 many >out
same "window of 10: still 300 out" "$(wc -l <out | tr -d ' ')" 300
check "window of 10: one names POST per window at most" test "$(reqs '"/universe/names"')" -le 30

# --- an id ESI does not know: the batch is split to find it ---
rm -f req.log
export WN_STATE_DIR=$T/state2	# a cold cache: the whole kill in one batch
STATUS=$WN_STATE_DIR/status/wn-enrich.json
jq -c '.killmail_id = 77 | .attackers[1].character_id = 95000001' one >unknown
enrich unknown >out
same "the record goes out" "$(jq -r .killmail_id out)" 77
same "without that name" "$(jq -r '.attackers[1].character_name // "none"' out)" none
same "everyone else named" "$(jq -r '.attackers[2].character_name' out)" "Pilot 555343193"
check "the batch was split (several 404s)" test "$(jq -r 'select(.status == 404) | .path' req.log | wc -l)" -ge 3
check "counted" test "$(counter esi_names_splits)" -ge 3
before=$(wc -l <req.log)
enrich unknown >/dev/null
same "the unknown id is remembered" "$(wc -l <req.log)" "$before"

done_testing
