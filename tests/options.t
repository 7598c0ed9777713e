#!/bin/sh
# Every tool on lib/tool.c: --version and -h anywhere, long options as
# --name=value, unknown long options refused, and the agreed spellings
# (-S --strict, -s/-c --systems/--characters, --map-name) next to the old
# ones they replace.
. "$WN_ROOT/tests/lib.sh"

for t in wn-discord wn-enrich wn-filter wn-kills wn-mapsse wn-status; do
	out=$($t -v --version 2>&1); same "$t: --version after another option" "$out" "$t 0.1.0"
	$t -v -h 2>err; rc=$?
	same "$t: -h after another option exits 100 with usage" \
		"$rc $(sed -n 's/^usage: \([a-z-]*\).*/\1/p' err)" "100 $t"
	$t --no-such-option </dev/null >/dev/null 2>err; rc=$?
	same "$t: unknown long option exits 100" "$rc" 100
	contains "$t: unknown long option named" "$(cat err)" "unknown option --no-such-option"
done

# --strict: -S everywhere, -s still for wn-discord
printf '{"type":"killmail", broken\n' > bad.ndjson
for spelling in -S -s --strict; do
	wn-discord -n $spelling bad.ndjson >/dev/null 2>err; rc=$?
	same "wn-discord $spelling: bad input is fatal" "$rc" 100
done
wn-discord -n bad.ndjson >/dev/null 2>err; same "wn-discord without --strict: skipped" "$?" 0
for t in wn-enrich wn-filter; do
	$t -S bad.ndjson >/dev/null 2>err; same "$t -S: bad input is fatal" "$?" 100
	$t bad.ndjson >/dev/null 2>err; same "$t without -S: skipped" "$?" 0
done
wn-discord --queue=0 </dev/null 2>err; rc=$?
same "wn-discord --queue=0 (the new long name of -q) is range-checked" "$rc" 100
contains "wn-discord --queue names itself" "$(cat err)" "--queue"

# --systems/--characters: -s/-c in wn-kills as in wn-filter; -S/-C stay
for spelling in "-s 12,x" "-c 12,x" "-S 12,x" "-C 12,x" "--systems=12,x" "--characters 12,x"; do
	wn-kills $spelling </dev/null >/dev/null 2>err; rc=$?
	same "wn-kills $spelling: an id list (bad, exit 100)" "$rc" 100
	contains "wn-kills $spelling: said so" "$(cat err)" "bad id list"
done
wn-kills -F bogus </dev/null 2>err; same "wn-kills -F: the source" "$?" 100
contains "wn-kills -F bogus: unknown source" "$(cat err)" "unknown source bogus"
# -s r2z2 is the old --source: it follows R2Z2 (here a closed port)
k=0
for spelling in "-s r2z2" "-F r2z2" "--source=r2z2"; do
	k=$((k + 1)); : > r2z2.$k
	R2Z2_URL=http://127.0.0.1:1 wn-kills $spelling -s 1 >/dev/null 2>r2z2.$k & pid=$!
	i=0; while ! grep -q following r2z2.$k && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -TERM $pid; wait $pid; rc=$?
	contains "wn-kills $spelling: follows R2Z2" "$(cat r2z2.$k)" "following http://127.0.0.1:1"
	same "wn-kills $spelling: SIGTERM exits 0" "$rc" 0
done
wn-filter --systems=30000142 --max-age=0 bad.ndjson >/dev/null 2>err
same "wn-filter takes --name=value" "$?" 0
wn-filter --max-line=10 </dev/null 2>err; same "wn-filter --max-line=10: range-checked" "$?" 100

# wn-mapsse: --map-name/-M is the map name; -m/--map still are
for spelling in "-M bad/name" "--map-name=bad/name" "-m bad/name" "--map bad/name"; do
	MAP_URL=http://127.0.0.1:1 MAP_API_KEY=k wn-mapsse $spelling </dev/null 2>err; rc=$?
	same "wn-mapsse $spelling: the map name (bad, exit 100)" "$rc" 100
	contains "wn-mapsse $spelling: said so" "$(cat err)" "not a map slug or UUID: bad/name"
done
echo "1..$n"
