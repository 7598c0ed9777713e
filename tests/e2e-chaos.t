# Chaos, end to end: the live flow under runsv (examples/runit) against
# every fake, while the fakes drop connections and inject 429/5xx and a
# random stage is SIGKILLed every second or two (runsv restarts the flow).
# At the end the fake Discord holds every expected notification exactly
# once: three map events and 40 kills, each in its channel.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/e2e_helpers.sh"	# the fakes, wn.env, joined_with

if ! command -v runsv >/dev/null; then
	notok "runsv installed (Debian package runit)"
	done_testing; exit 0
fi
BOT=bot.TOKEN.e2e.chaos.9999
NKILLS=${NKILLS:-40}
SEED=${WN_CHAOS_SEED:-$$}
diag "chaos seed $SEED (WN_CHAOS_SEED to repeat)"

# The SSE stream is cut mid-event twice before it stays up; a resync over
# REST after a cut sees the map as it is by then (the second files).
e2e_map --conn "drop:1,drop:1,stream" \
	--systems "$FX/systems_derived.json" --characters "$FX/characters_tracked_derived.json"
# the WandererKills fake re-sends only the newest 5 kills per system on a
# join, as the real one does: the rest of what a restart missed comes over
# its REST API (listed 1 s after a kill here, 300 s live)
mkdir -p "$T/esi-kills"       # what ESI knows of each kill, written by the fake server
e2e_ws --dup 2 --rest-port-file "$T/rest.port" --list-delay 1 --esi-dir "$T/esi-kills"
e2e_esi --fault 500 --fault drop --fault 503x2 --kill-dir "$T/esi-kills"
e2e_discord "$BOT" --fault 500 --fault 429:0.3
e2e_env "$BOT" WN_ESI_MAX_WAIT=5 WANDERER_KILLS_URL=http://127.0.0.1:$(cat "$T/rest.port") \
	WN_KILLS_GAP_DELAY_MS=1500

# the runit example, as shipped, configured through its envdir
SV=$T/sv/wn
mkdir -p "$T/sv"
cp -R "$WN_ROOT/examples/runit" "$SV"
echo "$WN_STATE_DIR" >"$SV/env/WN_STATE_DIR"
echo "$T/wn.env" >"$SV/env/WN_ENV_FILE"
echo 3 >"$SV/env/WN_DRAIN_SECONDS"
id -un >"$SV/user"
mkdir -p "$T/bin" && ln -s "$WN_ROOT/pipeline.sh" "$T/bin/wn-pipeline"
PATH=$T/bin:$PATH runsv "$SV" </dev/null >"$T/runsv.out" 2>&1 &
RUNSV=$!
FAKE_PIDS="$RUNSV $FAKE_PIDS"
R=$WN_STATE_DIR/run

post() {	# post PORT JSON: add faults to a fake
	$PY -c 'import sys, urllib.request as u
u.urlopen(u.Request("http://127.0.0.1:%s/_control/faults" % sys.argv[1], sys.argv[2].encode(),
	{"Content-Type": "application/json"}), timeout=5).read()' "$1" "$2"
}
rand() { awk -v s="$SEED$1" -v n="$2" 'BEGIN { srand(s); print int(rand() * n) }'; }
flow_up() { [ -s "$R/stages" ] && grep -q '"state":"running"' "$WN_STATE_DIR/status/wn-pipeline.json" 2>/dev/null; }

check "runsv starts the flow" wait_for "flow" 20 flow_up
check "the map's system reaches wn-kills' subscription" wait_for "join with 31001503" 20 joined_with 31001503

# --- chaos: kills arrive every 0.5 s while stages die and fakes misbehave ---
# the flow generation (pipeline starts) each SIGKILL hit: a stage of a flow
# already tearing down can be hit too, so kills and restarts need not pair
cur_starts() { sed -n 's/.*"starts":\([0-9]*\).*/\1/p' "$WN_STATE_DIR/status/wn-pipeline.json"; }
killed=0 k=0 tick=0 gens=
while [ $k -lt $NKILLS ]; do
	k=$((k + 1)); tick=$((tick + 1))
	if [ $((k % 2)) -eq 0 ]; then
		echo "kill $((131000000 + k)) 31001503 1" >>ws.cmd		# a system kill
	else
		echo "kill $((131000000 + k)) 31001503 1 2123456789" >>ws.cmd	# Test Pilot's loss there
	fi
	case $((tick % 6)) in
	1) p=$(sed -n "$(($(rand "$k" 5) + 1))p" "$R/stages" 2>/dev/null)
	   if [ -n "$p" ]; then
		g=$(cur_starts)
		kill -KILL "${p#* }" 2>/dev/null && killed=$((killed + 1)) gens="$gens ${g:-0}"
	   fi ;;
	3) echo drop_mid >>ws.cmd ;;
	4) post "$DPORT" '["500", "drop-after", "429:0.2", "502", "drop"]' ;;
	5) post "$ESIPORT" '["500", "drop", "504"]'; echo "close 1011" >>ws.cmd ;;
	esac
	sleep 0.5
done
diag "$killed stages SIGKILLed"
check "stages were killed" test "$killed" -ge 4

# --- calm: everything expected arrives, then nothing more ---
expected() {
	echo "channel:400|New System Tracked: J155416"
	echo "channel:500|New Character Tracked: Test Pilot"
	echo "channel:100|⚔️ Rally Point Created"
	i=1
	while [ $i -le $NKILLS ]; do
		if [ $((i % 2)) -eq 0 ]; then echo "channel:200|Killmail ID: $((131000000 + i))"
		else echo "channel:300|Killmail ID: $((131000000 + i))"; fi
		i=$((i + 1))
	done
}
expected | sort >want
got() {
	jq -r '.route + "|" + (if .body.embeds[0].footer.text | test("^Killmail") then
		.body.embeds[0].footer.text else .body.embeds[0].title end)' "$T/d.rec" | sort
}
all_there() { got | sort -u >have; comm -23 want have | grep -q . && return 1; return 0; }
check "every expected notification arrives" wait_for "all notifications" 45 all_there
sleep 2	# anything late or repeated would show now
got >have
same "nothing missing" "$(comm -23 want have | tr '\n' ' ')" ""
same "nothing twice" "$(uniq -d have | tr '\n' ' ')" ""
same "nothing unexpected" "$(sort -u have | comm -13 want - | tr '\n' ' ')" ""
same "no message given up on (dead letters)" "$(ls "$WN_STATE_DIR/discord/dead" 2>/dev/null | grep -c json)" 0
starts=$(cur_starts)
hit=$(echo $gens | tr ' ' '\n' | sort -un | grep -c .)
last=$(echo $gens | tr ' ' '\n' | sort -n | tail -n 1)
check "every flow hit was restarted ($hit flows hit, $starts starts)" \
	test "${starts:-0}" -gt "${last:-0}" -a "${starts:-0}" -gt "$hit"
check "the fakes did misbehave (Discord 5xx and 429s)" \
	sh -c "[ \$(jq -r '[.status | to_entries[] | select(.key | test(\"^(5|429)\")) | .value] | add // 0' '$T/d.stats') -ge 3 ]"
check "the SSE stream was cut and resumed" test "$(grep -c '"conn"' "$T/map.log")" -ge 3

sv -w 20 down "$SV" >/dev/null
contains "sv down: the flow stops" "$(sv status "$SV")" "down:"
sv exit "$SV" >/dev/null 2>&1
done_testing
