#!/bin/sh
# markdown-names.t — hostile names through the real wn-filter and
# wn-discord --dry-run (issue 17 item 5): a pilot, corporation, ship,
# map custom name and map events carrying "[x](http://evil.example/)"
# and a "\n# Heading" become plain text, in embeds and in plain-text
# mode, while our own zKillboard and Dotlan links still work.
. "$WN_ROOT/tests/lib.sh"
EX=$WN_ROOT/examples
export ESI_URL=http://127.0.0.1:9 DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/111/mainTOKENaaaa1111

# the map names the tracked wormhole with a hostile custom name
jq --arg e "[x](http://evil.example/)
# Heading" '.systems[0].custom_name = $e' "$EX/map.json" >map.json
# the first saved kill (in that system) with hostile names everywhere
head -n 1 "$EX/killmails.ndjson" | jq -c --arg e "[x](http://evil.example/)
# Heading" '.victim.character_name = $e | .victim.corporation_ticker = $e
	| .victim.ship_type_name = $e | .attackers[0].character_name = $e
	| .attackers[1].ship_type_name = $e | .notable_items[0].name = $e' >kill.ndjson
kid=$(jq -r .killmail_id kill.ndjson)
vid=$(jq -r .victim.character_id kill.ndjson)
# map events: a system, a character and a rally point with hostile names
jq -c --arg e "[x](http://evil.example/)
# Heading" 'if .type == "system" then .region_name = $e | .recent_kills[0].victim.character_name = $e
	elif .type == "character" then .name = $e | .corporation_ticker = $e
	elif .type == "rally_point" then .character_name = $e | .message = $e
	else . end' "$EX/map-events.ndjson" >events.ndjson
check "the hostile names are in the input" grep -q 'evil.example' events.ndjson

wn-filter -m map.json -a 0 -u 0 kill.ndjson events.ndjson >filtered 2>ferr
check "wn-filter passes the records on" [ "$(wc -l <filtered)" -ge 4 ]

# texts FILE: every string of every payload, one per line
texts() { jq -r '.payload | .. | strings' "$1"; }

for mode in embed plain; do
	p=; [ $mode = plain ] && p=-p
	wn-discord --dry-run $p filtered >out.$mode 2>err.$mode
	same "$mode: one message per record" "$(wc -l <out.$mode | tr -d ' ')" "$(wc -l <filtered | tr -d ' ')"
	texts out.$mode >t.$mode
	check "$mode: no live link to evil.example" sh -c "! grep -q '](http://evil' t.$mode"
	check "$mode: no heading line" sh -c "! grep -q '^#' t.$mode"
	contains "$mode: the name is shown, escaped" "$(cat t.$mode)" '\[x\]\(http://evil.example/\)'
	contains "$mode: the kill link is intact" "$(cat t.$mode)" "https://zkillboard.com/kill/$kid/"
done
contains "embed: the victim link is intact" "$(cat t.embed)" "](https://zkillboard.com/character/$vid/)"
contains "embed: the map's name is the title, escaped" "$(cat t.embed)" \
	'Ship destroyed in \[x\]\(http://evil.example/\) \# Heading'
contains "embed: the hostile region keeps a working Dotlan link" "$(cat t.embed)" \
	'](https://evemaps.dotlan.net/region/%5Bx%5D%28http%3A%2F%2Fevil.example%2F%29%0A%23_Heading)'
contains "embed: a plain system keeps its Dotlan link as it was" "$(cat t.embed)" \
	'[J132946](https://evemaps.dotlan.net/system/J132946)'
done_testing
