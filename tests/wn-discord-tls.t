#!/bin/sh
# wn-discord over HTTPS: the certificate and the host name are verified.
# A fake with a self-signed certificate is refused (the message waits in
# the spool) until the certificate is trusted through WN_CA_FILE; a
# trusted certificate for another host name is refused too.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/discord_helpers.sh"
export DISCORD_WEBHOOK_URL=$HOOK_MAIN HTTP_DISCORD_TIMEOUT=3000
. "$WN_ROOT/tests/tls_helpers.sh"	# good.pem, other.pem
tls_failures_ge() { [ "$(stat "$1" .tls_failures)" -ge "$2" ]; }

# -- untrusted certificate: refused, retried later, nothing lost --
export WN_STATE_DIR=$T/s1
start_discord tls --webhook-limit 50/1 --tls-cert good.pem --tls-key good.key
export DISCORD_API_URL=https://127.0.0.1:$PORT/api/v10
kills 1 6001 > in.ndjson
wn-discord in.ndjson 2>err & pid=$!
wait_for "the TLS handshake to fail" 10 tls_failures_ge tls 1
kill -TERM $pid; wait $pid; rc=$?
same "untrusted: exit 0 on SIGTERM" "$rc" 0
same "untrusted: nothing posted" "$(stat tls .accepted)" 0
same "untrusted: the message waits in the spool" "$(spooled)" 1
contains "untrusted: a certificate error is logged" "$(cat err)" "certificate"

# -- trusted through WN_CA_FILE: delivered over the verified connection --
WN_CA_FILE=$T/good.pem wn-discord </dev/null 2>err; rc=$?
same "trusted: exit 0" "$rc" 0
same "trusted: the spooled message is posted" "$(saved_ids tls)" 6001
same "trusted: spool empty" "$(spooled)" 0

# -- trusted certificate, wrong host name: refused --
export WN_STATE_DIR=$T/s2
start_discord other --webhook-limit 50/1 --tls-cert other.pem --tls-key other.key
export DISCORD_API_URL=https://127.0.0.1:$PORT/api/v10
WN_CA_FILE=$T/other.pem wn-discord in.ndjson 2>err & pid=$!
wait_for "the host name check to fail" 10 grep -q "retrying in" err
kill -TERM $pid; wait $pid
contains "wrong host: the host name mismatch is logged" "$(cat err)" "host name"
same "wrong host: nothing posted" "$(stat other .requests)" 0
same "wrong host: kept in the spool" "$(spooled)" 1
done_testing
