#!/bin/sh
# A password in a URL's userinfo never reaches a log line (issue 17):
# ESI_URL and MAP_URL with user:pw@, the password too short for the
# secret list, against a port that refuses; every line that names the
# URL shows [redacted]@ instead.
. "$WN_ROOT/tests/lib.sh"
echo '{"killmail_id":1,"killmail_time":"2026-01-01T00:00:00Z","solar_system_id":30000142,"victim":{"ship_type_id":587},"attackers":[]}' > one

ESI_URL='http://esiuser:pw42@127.0.0.1:9/' timeout 30 wn-enrich -C -K -w 1 -t 300 one >/dev/null 2>err
check "wn-enrich: the URL is logged" grep -q "127.0.0.1:9/universe" err
same "wn-enrich: no password" "$(grep -c 'pw42\|esiuser' err)" 0
contains "wn-enrich: userinfo shown redacted" "$(cat err)" "http://[redacted]@127.0.0.1:9/"

MAP_URL='http://mapuser:pw43@127.0.0.1:9' MAP_NAME=m MAP_API_KEY=key-0123456789 \
	wn-mapsse -b 50 -B 2 >/dev/null 2>err & pid=$!
wait_for "two failed loads" 10 sh -c "[ \$(grep -c 'Failed to connect' err) -ge 2 ]"
kill -TERM $pid; wait $pid
same "wn-mapsse: no password" "$(grep -c 'pw43\|mapuser' err)" 0
contains "wn-mapsse: userinfo shown redacted" "$(cat err)" "http://[redacted]@127.0.0.1:9/api/maps/m/"

done_testing
