# tests/mapsse_helpers.sh — sourced by tests/wn-mapsse*.t after lib.sh:
# the fake map server's key, fixtures, and starting/stopping wn-mapsse.
KEY=0b6f5a2e-4c1d-4f7a-9e3b-1a2b3c4d5e6f
FX=$WN_FIXTURES/map
REQ=$T/req.log
# These tests count records across restarts; the start-up replay of recent
# records has its own test (wn-mapsse-journal.t).
export WN_MAPSSE_REPLAY_SECONDS=0

# start_map [fake options...]: the fake map server, its requests in $REQ
start_map() {
	start_fake map map.py --log "$REQ" --keepalive 0.3 "$@" || exit 1
	export MAP_URL="http://127.0.0.1:$PORT/ignored/path" MAP_NAME=my-map MAP_API_KEY=$KEY
}

# run_bg OUT ERR [options...]: wn-mapsse in the background (pid in $MPID)
run_bg() {
	o=$1 e=$2; shift 2
	wn-mapsse -b 50 -B 2 "$@" >"$o" 2>"$e" &
	MPID=$!
}

# stop: SIGTERM and its exit status in $RC
stop() {
	kill -TERM "$MPID" 2>/dev/null
	wait "$MPID"; RC=$?
}

# count FILE jq-filter: records matching a jq select
count() { jq -c "select($2)" "$1" 2>/dev/null | grep -c .; }
# requests PATH-SUFFIX: how many requests the fake saw for it
requests() { jq -r .path "$REQ" 2>/dev/null | grep -c -- "$1\$"; }
has_line() { grep -q -- "$2" "$1"; }
# systems fixture without a system
systems_without() { jq "del(.data.systems[] | select(.solar_system_id==$1))" "$FX/systems_derived.json"; }
characters_without() { jq "del(.data[] | select(.character.eve_id==\"$1\"))" "$FX/characters_tracked_derived.json"; }
