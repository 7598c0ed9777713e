#!/bin/sh
# wn-mapsse over HTTPS: REST and the stream verify the certificate and the
# host name; WN_CA_FILE trusts a test CA.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/mapsse_helpers.sh"
. "$WN_ROOT/tests/tls_helpers.sh"	# good.pem, other.pem
https() { export MAP_URL="https://127.0.0.1:$PORT"; }

# -- untrusted: refused, retried, never exits 100 --
start_map --tls-cert good.pem --tls-key good.key
https
run_bg u.out u.err
wait_for "a refused load" 10 grep -q "initial map load failed" u.err
stop
same "untrusted: exit 0 on SIGTERM" "$RC" 0
contains "untrusted: a certificate error is logged" "$(cat u.err)" "certificate"
check "untrusted: no state written" test ! -e "$WN_STATE_DIR/map.json"

# -- trusted through WN_CA_FILE: REST and the stream over TLS --
WN_CA_FILE=$T/good.pem run_bg t.out t.err
wait_for "the stream's records" 10 has_line t.out '"action":"removed","solar_system_id":31002229'
stop
same "trusted: exit 0" "$RC" 0
same "trusted: the four records" "$(grep -c . t.out)" 4
same "trusted: state written" "$(jq '.systems|length' "$WN_STATE_DIR/map.json")" 2
kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=

# -- trusted certificate for another name: refused --
rm -rf "$WN_STATE_DIR"
start_map --tls-cert other.pem --tls-key other.key
https
WN_CA_FILE=$T/other.pem run_bg o.out o.err
wait_for "a refused load" 10 grep -q "initial map load failed" o.err
stop
contains "wrong name: refused for its name" "$(cat o.err)" "subject name"
check "wrong name: no state written" test ! -e "$WN_STATE_DIR/map.json"

done_testing
