# wn-status --serve and --check: every route with curl (codes, content
# types, bodies), /health flipping to 503 when a stage stops and back when
# it returns, the bearer token, secrets kept out, oversize and malformed
# requests, 200 parallel requests, the connection limit and idle timeout,
# and a session under valgrind (or ASan in a SANITIZE=1 build).
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/serve_helpers.sh"

S=$WN_STATE_DIR/status
mkdir -p "$S" "$T/bin"
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
MAPKEY=map-api-key-5ecret-77
HOOK=https://discord.com/api/webhooks/123456/hook-t0ken-abcdef
export MAP_API_KEY=$MAPKEY MAP_NAME=my-map

# Stand-in stages: copies of sleep named like the tools, so /proc says
# they are; each gets a status file as the tool would write it.
for t in wn-mapsse wn-kills wn-enrich wn-filter wn-discord wn-pipeline; do
	cp "$(command -v sleep)" "$T/bin/$t"
done
declare_pid() { eval "pid_$(echo "$1" | tr - _)=$2"; }
start_stage() {	# start_stage TOOL STATE [extra JSON members]
	"$T/bin/$1" 600 &
	p=$!
	FAKE_PIDS="$FAKE_PIDS $p"
	declare_pid "$1" "$p"
	printf '{"tool":"%s","pid":%d,"updated":"%s","started":"%s","state":"%s"%s}\n' \
		"$1" "$p" "$(now)" "$(now)" "$2" "${3:-}" >"$S/$1.json"
}
stage_pid() { eval "echo \$pid_$(echo "$1" | tr - _)"; }
stop_stage() { p=$(stage_pid "$1"); kill "$p"; wait "$p" 2>/dev/null; }

start_stage wn-mapsse streaming ',"events":12,"systems":5,"characters":3,"last_event":"'"$(now)"'"'
start_stage wn-kills joined ',"kills":42,"reconnects":1,"last_kill":"'"$(now)"'"'
start_stage wn-enrich running ',"cache_entries":321,"esi":"up","last_error":"'"$HOOK"'"'
start_stage wn-filter running ',"tracked_systems":5,"tracked_characters":3,"passed":7'
start_stage wn-discord delivering ',"delivered":6,"queued":2,"dead":1,"last_delivered":"'"$(now)"'"'
start_stage wn-pipeline running ',"mode":"live"'
printf '{"killmail_id":128374655,"system":"J155416","victim":"Some Pilot","ship":"Loki","value":1200000000,"seen":"%s"}\n' \
	"$(now)" >"$S/kills.recent"
mkdir -p "$WN_STATE_DIR/discord/dead"	# two dead letters on disk, as the spool keeps them
for i in 3 9; do echo '{}' >"$WN_STATE_DIR/discord/dead/$i.json"; echo why >"$WN_STATE_DIR/discord/dead/$i.err"; done
printf '{"key":"killmail:128374655","target":"channel:100","at":"%s"}\n' "$(now)" >"$S/posted.recent"

# --- options ---
wn-status --serve nonsense:port 2>err; same "--serve bad LISTEN: exit 100" $? 100
contains "--serve bad LISTEN: said so" "$(cat err)" "nonsense is not a numeric"
wn-status --serve example.com:80 2>err; same "--serve host name: exit 100" $? 100
PORT=70000 wn-status --serve 127.0.0.1 2>err; same "PORT out of range: exit 100" $? 100
contains "usage names --serve and --check" "$(wn-status -h 2>&1)" "--serve LISTEN"

# --- --check, the same rule as an exit status ---
wn-status --check 2>err; same "--check: healthy flow exits 0" $? 0
same "--check: healthy says nothing" "$(cat err)" ""
out=$(wn-status --check -j 2>/dev/null)
same "--check -j: the health JSON" "$(echo "$out" | jq -r '.status + " " + (.stages | length | tostring)')" "ok 5"

serve main || exit 1
same "/health: 200 when all stages run" "$(code "$URL/health")" 200
same "/health: application/json" "$(ctype "$URL/health")" "application/json"
same "/health: ok body" "$(curl -s "$URL/health" | jq -r .status)" "ok"
same "/api/health (the notifier's path) too" "$(code "$URL/api/health")" 200
same "/ready: 200 once the pipeline runs" "$(code "$URL/ready")" 200

# --- a stage stops: 503 naming it; back when it returns ---
stop_stage wn-kills
same "/health: 503 with wn-kills stopped" "$(code "$URL/health")" 503
contains "/health: names the stopped stage" "$(curl -s "$URL/health" | jq -c .failing)" '"wn-kills: not running"'
same "/health: only that stage fails" "$(curl -s "$URL/health" | jq '.failing | length')" 1
wn-status --check 2>err; same "--check: exit 1 with a stage stopped" $? 1
contains "--check: names it on stderr" "$(cat err)" "wn-kills (not running)"
start_stage wn-kills joined ',"kills":42,"reconnects":1,"last_kill":"'"$(now)"'"'
same "/health: 200 again when it returns" "$(code "$URL/health")" 200
wn-status --check 2>/dev/null; same "--check: exit 0 again" $? 0

# a feed that is up but not connected, or whose file went stale
start_stage wn-mapsse backoff
same "feed in backoff: 503" "$(code "$URL/health")" 503
contains "feed in backoff: why" "$(curl -s "$URL/health")" "wn-mapsse: not connected (state backoff)"
start_stage wn-mapsse streaming
sed -i 's/"updated":"[^"]*"/"updated":"2026-01-01T00:00:00Z"/' "$S/wn-mapsse.json"
contains "feed with a stale status file: 503" "$(curl -s "$URL/health")" "wn-mapsse: status not updated for"
start_stage wn-mapsse streaming ',"events":12,"systems":5,"characters":3'
start_stage wn-pipeline starting
same "/ready: 503 while the pipeline starts" "$(code "$URL/ready")" 503
same "/health: still 200 then" "$(code "$URL/health")" 200
start_stage wn-pipeline running
same "/ready: 200 again" "$(code "$URL/ready")" 200
rm "$S/wn-filter.json"
contains "no status file: 503 naming it" "$(curl -s "$URL/health")" "wn-filter: no status file"
start_stage wn-filter running ',"tracked_systems":5,"tracked_characters":3'

# --- /metrics: the textfile's exposition over HTTP ---
same "/metrics: 200" "$(code "$URL/metrics")" 200
same "/metrics: Prometheus content type" "$(ctype "$URL/metrics")" "text/plain; version=0.0.4; charset=utf-8"
curl -s "$URL/metrics" | grep -v scrape_timestamp >m.http
wn-status -p "$T/wn.prom" 2>/dev/null
grep -v scrape_timestamp "$T/wn.prom" >m.file
check "/metrics: the same families and samples as the textfile" cmp -s m.http m.file
contains "/metrics: wn_up" "$(cat m.http)" 'wn_up{tool="wn-kills"} 1'

# --- /api/status: the notifier's keys, real numbers, nothing invented ---
curl -s "$URL/api/status" >status.json
same "/api/status: application/json" "$(ctype "$URL/api/status")" "application/json"
same "/api/status: tracking" "$(jq -c .tracking status.json)" \
	'{"systems_count":5,"characters_count":3,"killmails_received":42}'
same "/api/status: killmail_activity counts" \
	"$(jq -r '.killmail_activity | "\(.received_count) \(.notified_count) \(.last_notified_kill_id)"' status.json)" \
	"42 6 128374655"
contains "/api/status: ago strings" "$(jq -r .killmail_activity.last_received_ago status.json)" "s ago"
same "/api/status: websocket" "$(jq -r '.websocket | "\(.client_alive) \(.connection_status)"' status.json)" "true joined"
same "/api/status: sse" "$(jq -r '.sse | "\(.mode) \(.connection_status) \(.map_name)"' status.json)" "env_var streaming my-map"
same "/api/status: discord_health" \
	"$(jq -r '.discord_health | "\(.healthy) \(.total_successes) \(.total_failures) \(.queued)"' status.json)" "true 6 1 2"
same "/api/status: dead letters on disk" "$(jq -r .discord_health.dead_letters status.json)" 2
same "/api/status: cache_stats" "$(jq -r .cache_stats.size status.json)" 321
same "/api/status: version" "$(jq -r .version status.json)" "0.1.0"
same "/api/status: uptime from the pipeline" "$(jq -r '.uptime.seconds >= 0' status.json)" true
same "/api/status: recent kill" "$(jq -r '.recent_kills[0].victim' status.json)" "Some Pilot"
same "/api/status: no placeholder keys" "$(jq -r 'has("memory_detailed") or has("notifications") or has("processing")' status.json)" false

# --- the dashboard ---
curl -s "$URL/" >page.html
same "/: text/html" "$(ctype "$URL/")" "text/html; charset=utf-8"
same "/: a row per stage" "$(grep -o 'class="stage ok" data-stage="wn-[a-z]*"' page.html | wc -l)" 5
contains "/: the kill" "$(cat page.html)" 'data-killmail-id="128374655"'
contains "/: the message" "$(cat page.html)" 'channel:100'
contains "/: dead letters on disk" "$(cat page.html)" 'Dead letters: <b>2</b>'
contains "/: failed this run" "$(cat page.html)" 'Failed this run: <b>1</b>'
check "/: nothing from elsewhere (no http(s) URL, no CDN)" sh -c "! grep -Eq 'src=|href=|https?://' page.html"

# --- secrets: a webhook URL in a status file, MAP_API_KEY in the env ---
all=$(for p in / /api/status /metrics /health; do curl -s -i "$URL$p"; done)
case $all in *hook-t0ken*|*"$MAPKEY"*) notok "no webhook token or map key in any response" ;;
	*) ok "no webhook token or map key in any response" ;; esac
contains "the webhook URL is shown redacted" "$(curl -s "$URL/metrics")" "[redacted]"

# --- methods, unknown paths, HEAD ---
same "unknown path: 404" "$(code "$URL/nope")" 404
same "unknown path: the notifier's body" "$(curl -s "$URL/nope")" '{"error":"Not found"}'
same "POST: 405" "$(code "$URL/health" -X POST -d x=1)" 405
contains "405 says Allow: GET, HEAD" "$(curl -s -i -X DELETE "$URL/health")" "Allow: GET, HEAD"
head=$(curl -s -I "$URL/health")
contains "HEAD: the status line" "$head" "HTTP/1.1 200"
same "HEAD: no body" "$(curl -s -X HEAD --max-time 5 "$URL/health" 2>/dev/null | wc -c)" 0

# --- oversize and malformed requests ---
big=$(head -c 40000 /dev/zero | tr '\0' a)
same "huge header: 431" "$(code "$URL/health" -H "X-Big: $big")" 431
same "huge URI: 414" "$(code "$URL/$big")" 414
raw() {	# raw BYTES: send them to the server, print the status line
	host=${URL#http://}; h=${host%:*}; p=${host##*:}
	$PY -c 'import socket,sys
s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=10)
s.sendall(sys.argv[3].encode("latin-1"))
print((s.recv(200).split(b"\r\n")[0] or b"closed").decode())' "$h" "$p" "$1" 2>&1
}
contains "garbage request line: 400" "$(raw 'HELLO THERE
')" " 400"
contains "header without a colon: 400" "$(raw 'GET /health HTTP/1.1
Host: x
broken header line

')" " 400"
same "still serving after all that" "$(code "$URL/health")" 200

# --- 200 requests at once ---
seq 200 | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$URL/api/status" >par
same "200 parallel requests: 200 answers" "$(grep -c '^200$' par)" 200

# --- the bearer token ---
TOKEN=tok-3f9c2a7e-secret-token
kill "$SPID"; wait "$SPID" 2>/dev/null
same "SIGTERM: exit 0" $? 0
export NOTIFIER_API_TOKEN=$TOKEN
serve auth || exit 1
same "token: /api/status without it 401" "$(code "$URL/api/status")" 401
same "token: / without it 401" "$(code "$URL/")" 401
same "token: /metrics without it 401" "$(code "$URL/metrics")" 401
same "token: a wrong one 401" "$(code "$URL/api/status" -H "Authorization: Bearer ${TOKEN}x")" 401
same "token: a prefix of it 401" "$(code "$URL/api/status" -H "Authorization: Bearer tok-3f9c")" 401
same "token: not Bearer 401" "$(code "$URL/api/status" -H "Authorization: Basic $TOKEN")" 401
contains "token: 401 says WWW-Authenticate" "$(curl -s -i "$URL/")" "WWW-Authenticate: Bearer"
same "token: with it 200" "$(code "$URL/api/status" -H "Authorization: Bearer $TOKEN")" 200
same "token: / with it 200" "$(code "$URL/" -H "Authorization: Bearer $TOKEN")" 200
same "token: /health stays open" "$(code "$URL/health")" 200
same "token: /ready stays open" "$(code "$URL/ready")" 200
all=$(for p in / /api/status /metrics /health /nope; do
	curl -s -i -H "Authorization: Bearer $TOKEN" "$URL$p"; curl -s -i "$URL$p"; done)
case $all in *"$TOKEN"*) notok "the token in no response" ;; *) ok "the token in no response" ;; esac
case $(cat "$T/auth.err") in *"$TOKEN"*) notok "the token not logged" ;; *) ok "the token not logged" ;; esac
kill "$SPID"; wait "$SPID" 2>/dev/null
unset NOTIFIER_API_TOKEN

# --- connection limit and idle timeout ---
WN_HTTP_MAX_CONNECTIONS=2 WN_HTTP_TIMEOUT=120 serve limits || exit 1
host=${URL#http://}
$PY - "${host%:*}" "${host##*:}" >limits.out 2>&1 <<'PYEOF'
import socket, sys, time
h, p = sys.argv[1], int(sys.argv[2])
idle = [socket.create_connection((h, p)) for _ in range(2)]
for s in idle:
    s.sendall(b"GET /health HTTP/1.1\r\n")     # and never the rest
time.sleep(0.5)
third = socket.create_connection((h, p))
third.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
third.settimeout(1)
try:
    r = third.recv(100)
    print("third while full:", r.split(b"\r\n")[0].decode() if r else "closed")
except socket.timeout:
    print("third while full: waiting")
for s in idle:
    s.close()
third.settimeout(30)
r = third.recv(100)
print("third after:", r.split(b"\r\n")[0].decode() if r else "closed")
PYEOF
contains "connection limit: a third connection waits while two are open" "$(cat limits.out)" "third while full: waiting"
contains "connection limit: it is served once they close" "$(cat limits.out)" "third after: HTTP/1.1 200 OK"
kill "$SPID"; wait "$SPID" 2>/dev/null
WN_HTTP_TIMEOUT=1 serve timeout || exit 1
host=${URL#http://}
$PY - "${host%:*}" "${host##*:}" >timeout.out 2>&1 <<'PYEOF'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")   # a slow client stops here
s.settimeout(30)
try:
    r = s.recv(100)
    print("idle:", "closed" if not r else r.split(b"\r\n")[0].decode())
except OSError as e:
    print("idle: error", e)
PYEOF
same "idle timeout: a half-sent request is closed" "$(cat timeout.out)" "idle: closed"
same "after the timeout: served again" "$(code "$URL/health")" 200
kill "$SPID"; wait "$SPID" 2>/dev/null

# --- the server under memcheck (ASan when the build is sanitized) ---
under=ASan
if [ "${WN_SANITIZE:-}" != 1 ]; then
	SERVE_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
	under=memcheck
fi
WN_WAIT_SCALE=$(( ${WN_WAIT_SCALE:-1} * 4 )) SERVE_WRAP=${SERVE_WRAP:-} serve vg || exit 1
for p in / /api/status /metrics /health /ready /nope; do curl -s -o /dev/null "$URL$p"; done
code "$URL/health" -H "X-Big: $big" >/dev/null
seq 20 | xargs -P 20 -I{} curl -s -o /dev/null --max-time 60 "$URL/" 
stop_stage wn-kills
same "$under: /health 503 with a stage stopped" "$(code "$URL/health")" 503
kill "$SPID"; wait "$SPID"; rc=$?
same "$under: clean exit" "$rc" 0
if grep -q '^==[0-9]*==' "$T/vg.err"; then
	notok "no $under report"; sed -n '/^==/p' "$T/vg.err" | head -n 20 | sed 's/^/# /'
else
	ok "no $under report"
fi

done_testing
