#!/bin/sh
# fake-discord-faults.t — tests/fake/discord.py does what its fault specs
# say: "500x2" answers 500 to the next two posts (its pattern once took the
# "x2" as part of the kind and served the post normally), a repeat on the
# control route too, and a spec it does not know is refused, not ignored.
. "$WN_ROOT/tests/lib.sh"

start_fake discord discord.py --record rec --webhook 1:tok --fault 500x2 || exit 1
URL=http://127.0.0.1:$PORT
# post: the status of one webhook post
post() {
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-A 'DiscordBot (https://example.invalid, 1)' \
		-d '{"content":"x"}' "$URL/api/v10/webhooks/1/tok?wait=true"
}
same "500x2: the first post gets 500" "$(post)" 500
same "500x2: the second post gets 500" "$(post)" 500
same "500x2: the third post is saved" "$(post)" 200
same "only the third post is recorded" "$(wc -l <rec | tr -d ' ')" 1

code=$(curl -s -o /dev/null -w '%{http_code}' -d '["503x3"]' "$URL/_control/faults")
same "the control route takes 503x3" "$code" 200
same "503x3: first" "$(post)" 503
same "503x3: second" "$(post)" 503
same "503x3: third" "$(post)" 503
same "503x3: then saved" "$(post)" 200

code=$(curl -s -o /dev/null -w '%{http_code}' -d '["500y2"]' "$URL/_control/faults")
check "the control route refuses an unknown kind (500y2): $code" [ "$code" -ge 400 ]
same "and the next post is saved normally" "$(post)" 200

$PY "$WN_ROOT/tests/fake/discord.py" --port-file p2 --record r2 --fault drop-aftr >bad.log 2>&1 &
bpid=$!
FAKE_PIDS="$FAKE_PIDS $bpid"
wait_for "the fake to end" 10 sh -c "! kill -0 $bpid 2>/dev/null"
kill "$bpid" 2>/dev/null && brc=0 || { wait "$bpid"; brc=$?; }	# still up: it took the spec
check "a fake started with an unknown fault kind (drop-aftr) exits non-zero" [ "$brc" -ne 0 ]
check "and says which spec" grep -q "drop-aftr" bad.log
check "and never listens" [ ! -s p2 ]
done_testing
