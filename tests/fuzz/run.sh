#!/bin/sh
# tests/fuzz/run.sh NAME... — run each libFuzzer harness for FUZZ_SECONDS
# (from its seeds, the kept reproducers and the corpus grown so far), then
# replay what it found through the coverage build.  Writes
# build/fuzz/summary.md: harness, runs, edges, line coverage of the
# parser it targets, crashes/leaks/UB.  Exit 1 if anything was found.
cd "$(dirname "$0")/../.." || exit 1
# FUZZ_SEED and FUZZ_RUNS (optional) make a run repeatable: CI fuzzes the
# same inputs a rehearsal did, so it tests the code, not its luck.
: "${FUZZ_SECONDS:=60}"
out=build/fuzz
mkdir -p "$out/corpus" "$out/seeds" "$out/logs" "$out/crash" build/fuzzcov/prof
sum=$out/summary.md
found=0

# The parser each harness targets: its lines are the coverage figure.
targets() {
	case $1 in
	jsonscan) echo lib/json_scan.c lib/killmail_facts.c ;;
	ndjson) echo lib/ndjson.c ;;
	killmail) echo lib/killmail.c lib/killmail_fields.c ;;
	filter) echo lib/filter.c lib/killmail_facts.c ;;
	sse) echo lib/sse.c ;;
	phx) echo lib/phx.c ;;
	ws) echo lib/ws.c ;;
	r2z2) echo lib/r2z2.c ;;
	mapapi) echo lib/map_api.c ;;
	esi) echo lib/esi.c lib/http.c ;;
	discord) echo lib/discord.c lib/outbox_ratelimit.c ;;
	janice) echo lib/janice.c ;;
	recentkills) echo lib/enrich_kills.c ;;
	config) echo lib/config.c ;;
	format) echo lib/format.c lib/fmt_embed.c lib/fmt_kill.c lib/fmt_system.c lib/fmt_character.c lib/fmt_rally.c lib/fmt_text.c ;;
	status) echo lib/status_view.c lib/status_prom.c ;;
	state) echo lib/outbox_delivered.c lib/journal.c lib/cache.c lib/map_cursor.c lib/map_state.c lib/outbox_spool.c lib/idset.c ;;
	log) echo lib/log.c ;;
	httpcb) echo lib/http_sink.c lib/sse_client.c ;;
	enrichreply) echo lib/enrich_recent.c lib/enrich_kills.c lib/enrich_items.c ;;
	esireply) echo lib/esi.c ;;
	kfeed) echo lib/kfeed.c lib/phx.c ;;
	gateway) echo lib/gw.c lib/gwcmd.c lib/gwvoice.c ;;
	httpd) echo lib/httpd_route.c lib/health.c lib/status_api.c lib/dashboard.c ;;
	*) echo lib/json.c ;;
	esac
}

printf '| harness | seconds | runs | edges (cov) | lines of its parser | crashes, leaks, UB |\n' >"$sum"
printf '|---|---|---|---|---|---|\n' >>"$sum"
for n; do
	bin=$out/fuzz_$n log=$out/logs/$n.log
	rm -rf "$out/seeds/$n"
	python3 tests/fuzz/seeds.py "$n" "$out/seeds/$n" || exit 1
	mkdir -p "$out/corpus/$n"
	echo "== fuzz_$n for ${FUZZ_SECONDS}s"
	repro=tests/fuzz/repro/$n
	[ -d "$repro" ] || repro=
	"$bin" -max_total_time="$FUZZ_SECONDS" -dict=tests/fuzz/wn.dict -max_len=65536 \
		-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		${FUZZ_SEED:+-seed=$FUZZ_SEED} ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
		-artifact_prefix="$out/crash/$n-" "$out/corpus/$n" "$out/seeds/$n" \
		$repro >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	edges=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	bad=$(ls "$out/crash" 2>/dev/null | grep -c "^$n-")
	[ $rc -ne 0 ] && [ "$bad" -eq 0 ] && bad="exit $rc"
	[ "$bad" != 0 ] && { found=1; grep -E 'ERROR|runtime error|fuzz:' "$log" | head -n 5; }
	# coverage: the whole corpus through the instrumented replay build
	prof=build/fuzzcov/prof/$n
	rm -f "$prof".*
	LLVM_PROFILE_FILE="$prof.profraw" build/fuzzcov/cov_$n "$out/corpus/$n" "$out/seeds/$n" \
		$repro >/dev/null 2>&1
	lines=?
	if llvm-profdata merge -sparse "$prof.profraw" -o "$prof.profdata" 2>/dev/null; then
		lines=$(llvm-cov report build/fuzzcov/cov_$n -instr-profile="$prof.profdata" \
			$(targets "$n") 2>/dev/null | awk '/^TOTAL/ { print $10 " of " $8 }')
	fi
	printf '| %s | %s | %s | %s | %s | %s |\n' "$n" "$FUZZ_SECONDS" "${runs:-?}" \
		"${edges:-?}" "${lines:-?}" "$bad" >>"$sum"
	tail -n 1 "$sum"
done
echo "summary in $sum"
cat "$sum"
exit $found
