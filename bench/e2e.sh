#!/bin/sh
# bench/e2e.sh — the whole live flow: wn-pipeline with the five real tools
# against the fakes on loopback (map SSE + REST, WandererKills WebSocket,
# ESI, Discord without rate limits).  Reports
#  1. latency from the fake feed sending a kill (its command log, ms) to
#     the fake Discord saving the message (the message id's snowflake
#     time, ms): p50/p99/max over N (1000) kills, after W (50) warm-up
#     kills that fill the ESI cache;
#  2. the RSS of every stage after M (100,000) kills, sampled every M/10
#     kills, so growth shows; one kill in 50 is in a tracked system and is
#     posted, the rest are dropped by wn-filter.
# Aims: p99 <= 10 ms, RSS <= 8 MiB per stage and flat.  RSS counts every
# page of the shared libraries a stage touched (libcurl's dependencies
# alone are ~6 MiB), so USS and PSS are printed too.  Takes ~3 minutes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
N=${N:-1000} W=${W:-50} M=${M:-100000} GAP=${GAP:-0.05} RATE=${RATE:-1000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/wn-bench-e2e.XXXXXX")
cleanup() {
	set +e	# a fake that already ended is fine here
	[ -n "${pp:-}" ] && kill -TERM "$pp" 2>/dev/null && wait "$pp" 2>/dev/null
	stop_fakes
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $dir" >&2 || rm -rf "$dir"
}
on_exit cleanup
cd "$dir"

FX=$root/tests/fixtures
export WN_FIXTURES=$FX	# the fake map finds its static info there
KEY=bench-map-key
: >ws.cmd
: >empty.sse
start_fake map map.py --key "$KEY" --sse empty.sse --keepalive 5 \
	--systems "$FX/map/systems_derived.json" --characters "$FX/map/characters_tracked_derived.json"
map=$PORT
start_fake ws wskills.py --commands ws.cmd --log ws.log \
	--template "$FX/kills/wanderer_kills_killmail.json" --idle 600
ws=$PORT
start_fake esi esi.py --ttl 86400
esi=$PORT
start_fake discord discord.py --record d.rec --stats d.stats --bot-token bench.TOKEN \
	--channel 100 --channel 200 --channel-limit 100000/1 --global-limit 100000
dport=$PORT
cat >wn.env <<EOF
MAP_URL=http://127.0.0.1:$map
MAP_NAME=my-map
MAP_API_KEY=$KEY
WEBSOCKET_URL=ws://127.0.0.1:$ws
ESI_URL=http://127.0.0.1:$esi
DISCORD_API_URL=http://127.0.0.1:$dport/api/v10
DISCORD_BOT_TOKEN=bench.TOKEN
DISCORD_CHANNEL_ID=100
DISCORD_SYSTEM_KILL_CHANNEL_ID=200
STARTUP_SUPPRESSION_SECONDS=0
WN_DISCORD_GLOBAL_LIMIT=1000
EOF
export WN_ENV_FILE=$dir/wn.env WN_STATE_DIR=$dir/state WN_LOG_LEVEL=warn

# wn-kills follows 50 systems; the map (and so wn-filter) tracks 31001503
# of them: the other 49 are kills that flow through and are dropped.
subs=31001503
i=1; while [ $i -lt 50 ]; do subs="$subs,$((31000000 + i))"; i=$((i + 1)); done
"$root/pipeline.sh" --kills-arg --systems --kills-arg "$subs" >pipeline.out 2>pipeline.err &
pp=$!
i=0
# running, subscribed, and wn-filter has the map (else it tracks nothing)
until grep -q '"state":"running"' state/status/wn-pipeline.json 2>/dev/null &&
	grep -q '"phx_join"' ws.log 2>/dev/null &&
	[ "$(jq -r '.tracked_systems // 0' state/status/wn-filter.json 2>/dev/null)" -gt 0 ]; do
	i=$((i + 1)); [ $i -gt 200 ] && die "the flow did not start: $(cat pipeline.err)"
	sleep 0.1
done

posted() { wc -l <d.rec | tr -d ' '; }
wait_posted() {	# wait_posted COUNT SECONDS
	i=0
	while [ "$(posted)" -lt "$1" ]; do
		i=$((i + 1)); [ $i -gt $(($2 * 10)) ] && die "only $(posted) of $1 messages posted"
		sleep 0.1
	done
}

# --- 1. latency: one kill every GAP seconds, tracked, posted ---
id=140000000
k=0
while [ $k -lt $((W + N)) ]; do
	k=$((k + 1))
	echo "kill $((id + k)) 31001503 1" >>ws.cmd
	sleep "$GAP"
done
wait_posted $((W + N)) 60
$PY - "$W" <<'EOF' >latency.txt
import json, re, sys
warm = int(sys.argv[1])
sent = {}
for line in open("ws.log"):
    d = json.loads(line)
    if d.get("event") == "command" and d["line"].startswith("kill "):
        sent[int(d["line"].split()[1])] = d["t"]
lat = []
for line in open("d.rec"):
    d = json.loads(line)
    got = ((int(d["message_id"]) >> 22) + 1420070400000) / 1000.0
    kid = int(re.search(r"Killmail ID: (\d+)", d["body"]["embeds"][0]["footer"]["text"]).group(1))
    if kid - 140000000 > warm:
        lat.append((got - sent[kid]) * 1000)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("%d %.1f %.1f %.1f %.1f" % (len(lat), q(0.50), q(0.90), q(0.99), lat[-1]))
EOF
read -r nlat p50 p90 p99 pmax <latency.txt
load=$(cut -d' ' -f1 /proc/loadavg)

# --- 2. memory: M kills, 1 in 50 tracked; RSS sampled every M/10 ---
stage_pid() { sed -n "s/^$1 //p" state/run/stages; }
rss() {	# rss STAGE FIELD: kB from /proc
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$(stage_pid "$1")/status"
}
smaps() {	# smaps STAGE FIELD...: their sum in kB, /proc/PID/smaps_rollup
	p=$(stage_pid "$1"); shift
	awk -v f=" $* " '{ k = $1; sub(/:$/, "", k) } index(f, " " k " ") { t += $2 } END { print t }' \
		"/proc/$p/smaps_rollup"
}
received() { jq -r '.received // 0' state/status/wn-filter.json 2>/dev/null || echo 0; }
base=$(received)
step=$((M / 10))
$PY - "$M" "$step" "$RATE" >rss.txt 2>rss.err <<'EOF' &
import sys, time
m, step, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
with open("ws.cmd", "a") as f:
    for i in range(1, m + 1):
        sys_id = 31001503 if i % 50 == 0 else 31000001 + i % 49
        f.write("kill %d %d 1\n" % (150000000 + i, sys_id))
        if i % 500 == 0:	# about RATE kills a second
            f.flush()
            time.sleep(500.0 / rate)
EOF
feeder=$!
fake_pids="$fake_pids $feeder"
stages="wn-mapsse wn-kills wn-enrich wn-filter wn-discord"
printf '%-8s' kills >rss.table
for s in $stages; do printf ' %11s' "$s" >>rss.table; done
echo >>rss.table
t0=$(date +%s)
at=$step
while [ $at -le "$M" ]; do
	i=0
	while [ $(($(received) - base)) -lt $at ]; do
		i=$((i + 1)); [ $i -gt 3000 ] && die "wn-filter saw only $(($(received) - base)) of $at kills"
		sleep 0.1
	done
	printf '%-8s' "$at" >>rss.table
	for s in $stages; do printf ' %8s kB' "$(rss "$s" VmRSS)" >>rss.table; done
	echo >>rss.table
	at=$((at + step))
done
t1=$(date +%s)
anon= uss= pss=
for s in $stages; do
	anon="$anon $s $(rss "$s" RssAnon) kB,"
	uss="$uss $s $(smaps "$s" Private_Clean Private_Dirty) kB,"
	pss="$pss $s $(smaps "$s" Pss) kB,"
done
wait_posted $((W + N + M / 50)) 120
kill -0 "$pp" 2>/dev/null || die "the pipeline stopped: $(tail -n 5 pipeline.err)"
dups=$(jq -r '.body.embeds[0].footer.text' d.rec | sort | uniq -d | wc -l)

echo "bench/e2e.sh: feed → Discord latency over $nlat kills (after $W warm-up, one every ${GAP}s):"
echo "  p50 $p50 ms, p90 $p90 ms, p99 $p99 ms, max $pmax ms (aim: p99 <= 10 ms;" \
	"load average $load on $(nproc) CPUs; each message costs one fdatasync of the delivered log, after the post)"
echo "bench/e2e.sh: RSS of each stage while $M kills went through ($((M / (t1 - t0 + 1)))/s," \
	"$((M / 50)) posted):"
sed 's/^/  /' rss.table
echo "  at the end, RssAnon (own memory, no shared libraries):${anon%,}"
echo "  USS (pages no other process shares):${uss%,}"
echo "  PSS (shared pages split among the processes mapping them):${pss%,}"
echo "  messages posted twice: $dups"
