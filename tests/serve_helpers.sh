# tests/serve_helpers.sh — after lib.sh: start `wn-status --serve` on a free
# loopback port and wait for its "listening on" line.
#
# serve NAME [wn-status args...]: runs it in the background (environment
# as set by the caller), stderr in $T/NAME.err; sets $URL and $SPID.
serve() {
	sname=$1; shift
	${SERVE_WRAP:-} wn-status --serve 127.0.0.1:0 "$@" 2>"$T/$sname.err" &
	SPID=$!
	FAKE_PIDS="$SPID $FAKE_PIDS"
	wait_for "$sname listening" 20 grep -q 'listening on' "$T/$sname.err" || {
		sed 's/^/# /' "$T/$sname.err"; return 1; }
	URL=$(sed -n 's/.*listening on \(http:[^ ]*[0-9]\)\/.*/\1/p' "$T/$sname.err" | head -n 1)
}

# code URL [curl args...]: the HTTP status code of one GET
code() { u=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$u"; }
# ctype URL [curl args...]: its Content-Type
ctype() { u=$1; shift; curl -s -o /dev/null -w '%{content_type}' "$@" "$u"; }
