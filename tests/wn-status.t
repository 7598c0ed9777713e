# wn-status: the table, --json, --prometheus, liveness from /proc, .env.
. "$WN_ROOT/tests/lib.sh"

S=$WN_STATE_DIR/status
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ago=$(date -u -d "@$(($(date +%s) - 7500))" +%Y-%m-%dT%H:%M:%SZ)	# 2h05m ago

contains "--version" "$(wn-status --version)" "wn-status 0.1.0"
wn-status -h 2>err; same "-h exits 100 (as every tool)" $? 100
contains "-h prints usage on stderr" "$(cat err)" "usage: wn-status"
wn-status --bogus 2>/dev/null; same "unknown option exits 100" $? 100

out=$(wn-status 2>err); same "no status files: exit 0" $? 0
same "no status files: only the header" "$(echo "$out" | wc -l)" 1
contains "no status files: said so" "$(cat err)" "no status files"

# A process whose name is the tool's: a copy of sleep called wn-sleeper.
cp "$(command -v sleep)" "$T/wn-sleeper"
"$T/wn-sleeper" 60 &
sleeper=$!
mkdir -p "$S"
printf '{"tool":"wn-sleeper","pid":%d,"updated":"%s","started":"%s","state":"connected","kills":7,"queue_depth":2,"last_kill":"%s","last_reconnect":""}\n' \
	"$sleeper" "$now" "$now" "$ago" >"$S/wn-sleeper.json"
# a stale file whose pid now belongs to another program (this shell)
printf '{"tool":"wn-kills","pid":%d,"updated":"2026-01-01T00:00:00Z","started":"2026-01-01T00:00:00Z","state":"connected","kills":1}\n' \
	$$ >"$S/wn-kills.json"
printf '{"tool":"wn-gone","pid":999999999,"updated":"%s","started":"%s"}\n' "$now" "$now" >"$S/wn-gone.json"
echo '{"tool":' >"$S/broken.json"

out=$(wn-status 2>err); same "table: exit 0" $? 0
line=$(echo "$out" | grep '^wn-sleeper ')
contains "table: running tool says yes" "$line" " yes "
contains "table: its pid" "$line" " $sleeper "
contains "table: its state" "$line" "connected"
contains "table: counters" "$line" "kills 7, queue_depth 2"
contains "table: times as ages" "$line" "last_kill 2h05m ago"
contains "table: unset time is never" "$line" "last_reconnect never"
contains "table: reused pid is not running" "$(echo "$out" | grep '^wn-kills ')" " NO "
contains "table: dead pid is not running" "$(echo "$out" | grep '^wn-gone ')" " NO "
contains "table: old update shown as an age" "$(echo "$out" | grep '^wn-kills ')" "d"
contains "broken file warned" "$(cat err)" "broken.json"
same "tools sorted by name" "$(echo "$out" | awk 'NR > 1 { printf "%s ", $1 }')" "wn-gone wn-kills wn-sleeper "

out=$(wn-status wn-sleeper wn-nothing 2>err)
same "TOOL arguments select" "$(echo "$out" | awk 'NR > 1 { printf "%s ", $1 }')" "wn-sleeper "
contains "unknown TOOL warned" "$(cat err)" "no status file for wn-nothing"

wn-status --json >json 2>/dev/null; same "--json: exit 0" $? 0
same "--json: one line per tool" "$(wc -l <json)" 3
same "--json: running true for the live tool" \
	"$(jq -r 'select(.tool == "wn-sleeper") | "\(.running) \(.kills) \(.age_seconds < 5)"' json)" "true 7 true"
same "--json: running false for the stale one" \
	"$(jq -r 'select(.tool == "wn-kills") | .running' json)" "false"

wn-status -p "$T/wn.prom" >out 2>/dev/null; same "--prometheus: exit 0" $? 0
same "--prometheus: prints nothing" "$(cat out)" ""
prom=$(cat "$T/wn.prom")
contains "prom: wn_up 1 for the live tool" "$prom" 'wn_up{tool="wn-sleeper"} 1'
contains "prom: wn_up 0 for the dead one" "$prom" 'wn_up{tool="wn-gone"} 0'
contains "prom: counter family" "$prom" '# TYPE wn_kills_total counter'
contains "prom: counter samples together" "$prom" 'wn_kills_total{tool="wn-kills"} 1
wn_kills_total{tool="wn-sleeper"} 7'
contains "prom: gauge family" "$prom" '# TYPE wn_queue_depth gauge'
contains "prom: state as info label" "$prom" 'wn_info{tool="wn-sleeper",state="connected"} 1'
contains "prom: time as timestamp" "$prom" "wn_last_kill_timestamp_seconds{tool=\"wn-sleeper\"} $(date -u -d "$ago" +%s)"
# The exposition format: HELP then TYPE then the family's samples, each
# family once; every sample line is "name{labels} number".
bad=$(awk '
	/^# HELP / { if (seen[$3]++) print "twice " $3; fam = $3; next }
	/^# TYPE / { if ($3 != fam) print "TYPE without HELP " $3; next }
	{ name = $1; sub(/\{.*/, "", name)
	  if (name != fam) print "stray sample " $0
	  if ($NF !~ /^-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$/) print "bad value " $0 }
' "$T/wn.prom")
same "prom: well-formed exposition" "$bad" ""
ls "$T" | grep -q 'wn.prom.' && notok "prom: no temp file left" || ok "prom: no temp file left"

wn-status -p /nonexistent/dir/wn.prom 2>err; same "unwritable textfile: exit 111" $? 111
contains "unwritable textfile: one clear line" "$(cat err)" "unable to write /nonexistent/dir/wn.prom"

kill "$sleeper"; wait "$sleeper" 2>/dev/null
contains "killed tool is no longer running" "$(wn-status wn-sleeper 2>/dev/null | tail -n 1)" " NO "

# The state directory from a .env file (read as data), and from -d.
mkdir -p "$T/other/status"
cp "$S/wn-gone.json" "$T/other/status/wn-elsewhere.json"
sed -i 's/"wn-gone"/"wn-elsewhere"/' "$T/other/status/wn-elsewhere.json"
printf 'WN_STATE_DIR=%s/other\n' "$T" >env
out=$(env -u WN_STATE_DIR WN_ENV_FILE=env wn-status 2>/dev/null)
contains "WN_STATE_DIR from WN_ENV_FILE" "$out" "wn-elsewhere"
out=$(wn-status -d "$T/other" 2>/dev/null)
contains "-d names the state directory" "$out" "wn-elsewhere"

done_testing
