#!/bin/sh
# format-notable.t — the "Notable Items" block of a kill message keeps
# Discord's 4096-character description limit by construction: with more
# (and longer, multi-byte) items than fit, whole item lines are left out,
# nothing is cut with an ellipsis, and the value line always ends the
# description.  The plain-text line stays short the same way.
. "$WN_ROOT/tests/lib.sh"

$PY - "$WN_ROOT/tests/golden/format/kill_system_several.json" <<'EOF' >many.ndjson
import json, sys
g = json.load(open(sys.argv[1]))
rec = g["record"]
# 80 items of 95 characters, one of them outside the BMP (two UTF-16 units)
name = "Gist X-Type 100MN Afterburner \u03a9 \U0001F680 " + "x" * 60
rec["notable_items"] = [{"type_id": 1000 + i, "name": "%s %02d" % (name, i), "quantity": 1,
                         "unit_price": 612340000, "total_value": 612340000} for i in range(80)]
print(json.dumps(rec))
plain = json.loads(json.dumps(rec))
plain["notable_items"] = []
print(json.dumps(plain))
EOF
wn-discord --dry-run many.ndjson >out.ndjson 2>err.txt
same "two messages" "$(wc -l <out.ndjson | tr -d ' ')" 2

$PY - <<'EOF' >facts
import json
msgs = [json.loads(l)["payload"] for l in open("out.ndjson")]
full, bare = (m["embeds"][0]["description"] for m in msgs)
units = lambda s: len(s.encode("utf-16-le")) // 2
head = "\n\n**Notable Items:**"
value = bare.split("\n\n")[-1]
lines = full.split(head)[1].split("\n\n")[0].split("\n")[1:] if head in full else []
# independently: how many 3 + len(line) fit after the lead, the header and the value line
lead = bare[: -len("\n\n" + value)]
line = "Gist X-Type 100MN Afterburner \u03a9 \U0001F680 " + "x" * 60 + " 00 (~612.34M ISK)"
room = 4096 - units(lead) - units(head) - units("\n\n" + value)
print("fits", units(full) <= 4096)
print("cut", "\u2026" in full)
print("ends", full.endswith("\n\n" + value))
print("lines", len(lines), room // (3 + units(line)))
print("whole", all(l.startswith("\u2022 Gist") and l.endswith("(~612.34M ISK)") for l in lines))
print("order", [l[-17:-15] for l in lines[:3]])
EOF
same "description within 4096 characters (UTF-16 units)" "$(grep '^fits' facts)" "fits True"
same "nothing cut with an ellipsis" "$(grep '^cut' facts)" "cut False"
same "the value line still ends it" "$(grep '^ends' facts)" "ends True"
same "as many whole item lines as fit" "$(grep '^lines' facts | awk '{print ($2 == $3 && $2 > 10)}')" 1
same "every line whole" "$(grep '^whole' facts)" "whole True"
same "in the record's order" "$(grep '^order' facts)" "order ['00', '01', '02']"
same "no items: no block" "$(sed -n 2p out.ndjson | jq -r '.payload.embeds[0].description | contains("Notable")')" false

# plain text: a short line
head -n 1 many.ndjson | jq -c '.notify.kind = "character_kill"' >one.ndjson
wn-discord --dry-run -p one.ndjson >p.ndjson 2>/dev/null
line=$(jq -r .payload.content p.ndjson | grep '^Notable: ')
check "plain text: one Notable line" test -n "$line"
check "plain text: short (${#line} bytes)" test "${#line}" -lt 600
same "plain text: the link still last" "$(jq -r .payload.content p.ndjson | tail -n 1 | cut -c1-29)" \
	"https://zkillboard.com/kill/1"

done_testing
