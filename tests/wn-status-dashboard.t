# The dashboard in a real browser: the live flow with every fake peer
# (map SSE + REST, WandererKills WebSocket, ESI, Discord) under
# wn-pipeline, its HTTP surface switched on by WN_HTTP; a kill goes
# through to the fake Discord; headless Chromium then loads the page,
# and the DOM it built must hold a healthy row for every stage and that
# kill; after its refresh (virtual time) the page swapped in a fresh
# <main> without a reload.  The screenshot is kept beside the test log.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/e2e_helpers.sh"
. "$WN_ROOT/tests/serve_helpers.sh"	# code, ctype

P=$WN_ROOT/pipeline.sh
BOT=bot.TOKEN.e2e.dash.4242
SHOT=$WN_BIN/test-logs/wn-status-dashboard.png
PHONE=$WN_BIN/test-logs/wn-status-dashboard-phone.png
CHROMIUM=$(command -v chromium || command -v chromium-browser)
[ -n "$CHROMIUM" ] || { notok "chromium installed (Debian package chromium)"; done_testing; exit 0; }

e2e_map
e2e_ws
e2e_esi
e2e_discord "$BOT"
HPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
e2e_env "$BOT" "WN_HTTP=127.0.0.1:$HPORT"
export WN_ENV_FILE=$T/wn.env WN_DRAIN_SECONDS=5
URL=http://127.0.0.1:$HPORT

$P >out 2>err &
pp=$!
FAKE_PIDS="$pp $FAKE_PIDS"

check "the pipeline starts wn-status --serve (WN_HTTP)" wait_for "HTTP up" 20 \
	sh -c "curl -s -o /dev/null '$URL/health'"
contains "it is one of the flow's stages" "$(cat "$WN_STATE_DIR/run/stages")" "wn-status "
check "wn-kills joins J155416 once the map adds it" wait_for "join" 20 joined_with 31001503
echo "kill 130500001 31001503 5" >>ws.cmd
posted() { jq -e -s 'any(.[]; .body.embeds[0].footer.text == "Killmail ID: 130500001")' "$T/d.rec" >/dev/null; }
check "the kill reaches the fake Discord" wait_for "kill posted" 20 posted
check "/health turns 200 with every stage up and connected" wait_for "healthy" 20 \
	sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$URL/health')\" = 200 ]"
same "/api/status: the kill counted" "$(curl -s "$URL/api/status" | jq -r '.recent_kills[0].killmail_id')" 130500001

# Chromium, headless and offline: no first-run, sync, updates or QUIC.
browse() {	# browse OUT-ARGS...: one run with a fresh profile
	rm -rf "$T/profile"
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-dev-shm-usage --user-data-dir="$T/profile" \
		--window-size="${SIZE:-1200,1400}" "$@" 2>>"$T/chromium.err"
}
browse --dump-dom "$URL/" >dom.html
same "the DOM: a healthy row for each of the five stages" \
	"$(grep -o 'class="stage ok" data-stage="wn-[a-z]*"' dom.html | sort | tr '\n' ' ')" \
	'class="stage ok" data-stage="wn-discord" class="stage ok" data-stage="wn-enrich" class="stage ok" data-stage="wn-filter" class="stage ok" data-stage="wn-kills" class="stage ok" data-stage="wn-mapsse" '
contains "the DOM: the kill's row" "$(cat dom.html)" 'data-killmail-id="130500001"'
contains "the DOM: the overall verdict" "$(cat dom.html)" 'Healthy: every stage running'
contains "the DOM: the chart" "$(cat dom.html)" '<svg id="chart"'
browse --virtual-time-budget=20000 --dump-dom "$URL/" >dom2.html
contains "the DOM: refreshed in place by its script, no reload" "$(cat dom2.html)" 'data-refreshes="1"'
rm -f "$SHOT"
browse --screenshot="$SHOT" "$URL/" >/dev/null
check "a screenshot saved ($SHOT)" test -s "$SHOT"
rm -f "$PHONE"
SIZE=390,1600 browse --screenshot="$PHONE" "$URL/" >/dev/null
check "and one at a phone's width ($PHONE)" test -s "$PHONE"
same "it is a PNG" "$(head -c 8 "$SHOT" | od -An -c | tr -d ' ')" '211PNG\r\n032\n'

kill -TERM "$pp"
i=0; while kill -0 "$pp" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
wait "$pp"; rc=$?
same "SIGTERM: the flow (HTTP stage too) drains and exits 0" "$rc" 0
check "the HTTP stage is gone too" sh -c "! curl -s -o /dev/null '$URL/health'"
case $(cat err dom.html) in *"$BOT"* | *"$KEY"*) notok "no secret in the log or the page";;
	*) ok "no secret in the log or the page";; esac
done_testing
