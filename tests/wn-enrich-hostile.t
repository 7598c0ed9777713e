#!/bin/sh
# wn-enrich against a hostile ESI (issue 17): a server silent after
# accept, headers one byte at a time, an endless header line, an endless
# body, a Content-Length of 2^64-1 and a chunk size past 2^64.  Every
# request ends at its deadline or its bound; the record goes on without
# names; peak memory stays under the stated bound.
. "$WN_ROOT/tests/lib.sh"
. "$WN_ROOT/tests/hostile_helpers.sh"
jq -c . "$WN_FIXTURES/kills/esi_killmail.json" > one
want=$(jq -r .killmail_id one)

for mode in silent slow-headers huge-header endless-body huge-length huge-chunk; do
	start_hostile $mode
	PEAK_FILE=$T/peak ESI_URL=http://127.0.0.1:$PORT timeout 120 \
		$PY "$WN_ROOT/tests/peak_rss.py" wn-enrich -C -K -t 1500 -w 4 one > out 2>err
	same "$mode: exit 0" "$?" 0
	same "$mode: the record goes on" "$(jq -r .killmail_id out)" "$want"
	check "$mode: the failure is logged" grep -q "warn" err
	pk=$(cat "$T/peak")
	check "$mode: peak memory $pk KiB < $RSS_LIMIT_KB KiB" test "$pk" -lt "$RSS_LIMIT_KB"
	kill $FAKE_PIDS 2>/dev/null; FAKE_PIDS=
done

done_testing
