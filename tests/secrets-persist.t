#!/bin/sh
# Issue 17, the small holes: a .env others can read or write is warned
# about; a secret holding CR or LF is refused at start-up (it would split
# the HTTP header it goes into); a status file or kills.newest that cannot
# be written is said once, not silently dropped.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"

# -- .env permissions --
printf 'WN_LOG_LEVEL=info\n' > env.open; chmod 644 env.open
WN_ENV_FILE=$T/env.open wn-filter </dev/null >/dev/null 2>err
contains ".env readable by others: warned" "$(cat err)" "env.open is readable by other users and holds secrets"
chmod 666 env.open
WN_ENV_FILE=$T/env.open wn-filter </dev/null >/dev/null 2>err
contains ".env writable by others: warned" "$(cat err)" "is writable by other users"
chmod 600 env.open
WN_ENV_FILE=$T/env.open wn-filter </dev/null >/dev/null 2>err
same ".env 0600: no warning" "$(grep -c 'other users' err)" 0

# -- CR or LF in a secret --
crlf=$(printf 'k\r\nX-Evil: 1')
MAP_URL=http://127.0.0.1:9 MAP_NAME=m MAP_API_KEY=$crlf timeout 20 wn-mapsse -1 >/dev/null 2>err
same "MAP_API_KEY with CR LF: exit 100" "$?" 100
contains "MAP_API_KEY with CR LF: one line naming it" "$(cat err)" "MAP_API_KEY holds a CR or LF"
echo '{}' | NOTABLE_ITEMS_ENABLED=true JANICE_API_TOKEN=$crlf ESI_URL=http://127.0.0.1:9 \
	timeout 20 wn-enrich -C -K -w 1 >/dev/null 2>err
same "JANICE_API_TOKEN with CR LF: exit 100" "$?" 100
contains "JANICE_API_TOKEN with CR LF: named" "$(cat err)" "JANICE_API_TOKEN holds a CR or LF"
echo '{}' | DISCORD_BOT_TOKEN=$crlf DISCORD_CHANNEL_ID=1 DISCORD_API_URL=http://127.0.0.1:9/api/v10 \
	timeout 20 wn-discord >/dev/null 2>err
same "DISCORD_BOT_TOKEN with CR LF: exit 100" "$?" 100
contains "DISCORD_BOT_TOKEN with CR LF: named" "$(cat err)" "DISCORD_BOT_TOKEN holds a CR or LF"

# -- persistence failures are said (nobody, so permissions hold) --
chmod 755 "$T"
st=$T/ro-state
mkdir -p "$st/status" && chown -R nobody "$st" && chmod 700 "$st" && chmod 500 "$st/status"
runuser -u nobody -- env PATH="$PATH" WN_STATE_DIR="$st" wn-filter </dev/null >/dev/null 2>err
contains "status file unwritable: warned" "$(cat err)" "cannot write the status file"
same "status file unwritable: said once" "$(grep -c 'cannot write the status file' err)" 1

start_ws
chmod 500 "$st"
runuser -u nobody -- env PATH="$PATH" WN_STATE_DIR="$st" WEBSOCKET_URL="$WEBSOCKET_URL" \
	WN_KILLS_HEARTBEAT_MS=700 wn-kills -S 31001503 >out 2>err & pid=$!
wait_for "the join" 10 joins_ge 1
cmd kill 301 31001503 5
wait_for "the kill" 10 has_id out 301
wait_for "the warning" 10 grep -q "cannot save" err
contains "kills.newest unwritable: warned" "$(cat err)" "kills.newest"
kill -TERM $pid; wait $pid
same "kills.newest unwritable: said once" "$(grep -c 'cannot save .*kills.newest' err)" 1

done_testing
