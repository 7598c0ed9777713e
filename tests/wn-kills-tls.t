#!/bin/sh
# wn-kills over wss://: the server certificate and host name are verified.
# Untrusted → refused and retried; trusted through WN_CA_FILE → kills flow;
# trusted but for another host name → refused.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/kills_helpers.sh"
. "$WN_ROOT/tests/tls_helpers.sh"	# good.pem, other.pem
refusals() { count "certificate verify failed" "$1"; }
refusals_ge() { [ "$(refusals "$1")" -ge "$2" ]; }

start_ws --tls-cert good.pem --tls-key good.key
export WEBSOCKET_URL=wss://127.0.0.1:$PORT
cmd store 601 31001503 60
synced

# -- untrusted: refused, retried --
wn-kills -S 31001503 > out1 2>err1 & pid=$!
wait_for "two refusals" 10 refusals_ge err1 2
stop_kills $pid
same "untrusted: exit 0 on SIGTERM" "$rc" 0
same "untrusted: nothing written" "$(lines out1)" 0
same "untrusted: never joined" "$(joins)" 0

# -- trusted through WN_CA_FILE --
WN_CA_FILE=good.pem wn-kills -S 31001503 > out2 2>err2 & pid=$!
wait_for "the preloaded kill over TLS" 10 has_id out2 601
ok "trusted: the kill arrives over wss"
cmd kill 602 31001503 5
wait_for "a live kill over TLS" 10 has_id out2 602
ok "trusted: live kills over wss"
stop_kills $pid
same "trusted: exit 0" "$rc" 0

# -- a host name: checked against the certificate, sent as SNI --
kill $(echo $FAKE_PIDS) 2>/dev/null; FAKE_PIDS=
: > ws.jsonl
cert named DNS:localhost
start_ws --tls-cert named.pem --tls-key named.key
WEBSOCKET_URL=wss://localhost:$PORT WN_CA_FILE=named.pem wn-kills -S 31001503 > out4 2>err4 & pid=$!
wait_for "the join by name" 10 joins_ge 1
stop_kills $pid
same "by name: SNI sent" "$(grep '"event":"sni"' ws.jsonl | jq -r .name | sort -u)" localhost
# (an IP address is checked against IP SANs and sends no SNI, as RFC 6066 says)
same "by name: joined, exit 0" "$rc" 0

# -- a trusted certificate for another host name --
kill $(echo $FAKE_PIDS) 2>/dev/null; FAKE_PIDS=
: > ws.jsonl
start_ws --tls-cert other.pem --tls-key other.key
export WEBSOCKET_URL=wss://127.0.0.1:$PORT
WN_CA_FILE=other.pem wn-kills -S 31001503 > out3 2>err3 & pid=$!
wait_for "a refusal" 10 refusals_ge err3 1
stop_kills $pid
contains "wrong host: the reason names the mismatch" "$(cat err3)" "mismatch"
same "wrong host: nothing written" "$(lines out3)" 0
done_testing
