#!/bin/sh
# WN_CA_FILE adds CAs to the system store, in every tool (issue 17 item 7):
# in a private mount namespace /etc/ssl/certs holds only a bundle with the
# test CA (standing in for the system store, no hashed directory), and
# WN_CA_FILE names an unrelated CA.  A server the "system" trusts is still
# trusted over libcurl (wn-mapsse's REST and stream) and over OpenSSL
# directly (wn-kills over wss); one only WN_CA_FILE trusts is too.
[ -n "${WN_IN_NS:-}" ] || exec unshare -m env WN_IN_NS=1 sh "$0" "$@"
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"
. "$WN_ROOT/tests/tls_helpers.sh"	# good.pem (127.0.0.1), other.pem
mkdir certs && cp good.pem certs/ca-certificates.crt
mount --bind "$T/certs" /etc/ssl/certs || { notok "a private /etc/ssl/certs"; done_testing; exit 1; }

# -- libcurl: the system store still holds with WN_CA_FILE set --
start_map --tls-cert good.pem --tls-key good.key
export MAP_URL="https://127.0.0.1:$PORT"
WN_CA_FILE=$T/other.pem timeout 60 wn-mapsse -1 >out 2>err
same "system CA + WN_CA_FILE: wn-mapsse loads the map" "$?" 0
check "system CA + WN_CA_FILE: state written" test -s "$WN_STATE_DIR/map.json"
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; rm -rf "$WN_STATE_DIR"

# -- and a CA only WN_CA_FILE names is trusted as well --
start_map --tls-cert other.pem --tls-key other.key
export MAP_URL="https://127.0.0.1:$PORT"
timeout 60 wn-mapsse -1 >out 2>err
check "no WN_CA_FILE: a CA outside the store is refused" test $? -ne 0
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=; rm -rf "$WN_STATE_DIR"

# -- wn-kills over wss: the same rule --
. "$WN_ROOT/tests/kills_helpers.sh"
start_ws --tls-cert good.pem --tls-key good.key
WEBSOCKET_URL=wss://127.0.0.1:$PORT WN_CA_FILE=$T/other.pem wn-kills -S 31001503 >out 2>err & pid=$!
wait_for "the join over wss" 10 joins_ge 1
ok "system CA + WN_CA_FILE: wn-kills joins over wss"
stop_kills $pid

done_testing
