#!/usr/bin/env bash
# pipeline.sh (installed as wn-pipeline) — the whole wn flow as one
# supervised service.  Every stage is a direct child joined by FIFOs in
# the run directory, so we always know which one died:
#
#   wn-mapsse                                   > map.fifo
#   wn-kills                                    > raw.fifo
#   wn-enrich    raw.fifo map.fifo              > kills.fifo
#   wn-filter  < kills.fifo                     > notify.fifo
#   wn-discord < notify.fifo
#   wn-gateway                                  (beside the flow, when
#                          DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID are set)
#
# Map records pass through wn-enrich too: it adds the recent kills of a
# system that is added (WandererKills REST) for the system message.
#
# When any stage exits, the others are drained and stopped and we exit 111
# (100 when the stage reported a configuration error), so the supervisor
# restarts the flow whole.  SIGTERM/SIGINT drain the flow: the sources stop
# first, the stages behind them finish what is in the pipes and exit on EOF.
# The configuration is the tools' own (environment, ./.env or $WN_ENV_FILE,
# read as data by lib/config.c): the few WN_* keys this script needs, and
# the state directory, it asks wn-status for.  No secret goes in an argument.
# Needs bash >= 5.1 (wait -n -p), flock(1), /proc, and jq for replays; see
# wn-pipeline(1) for why this is a script and not a shell pipeline.
set -u

prog=wn-pipeline
version=0.1.0

usage() {
	cat >&2 <<'EOF'
usage: wn-pipeline [-n] [-e envfile] [--ready-fd N] [--STAGE-arg ARG]...
       wn-pipeline --check [-e envfile]
       wn-pipeline --replay [-n] [--map FILE] [--now TIME] [--max-age SECS] FILE...
  -n, --dry-run        post nothing: wn-discord --dry-run, messages on stdout
  -e, --env FILE       the .env file for every stage (WN_ENV_FILE)
      --check          check the configuration and say what wn will do
                       (wn-status --config), then exit
      --replay         replay saved killmails/map events (NDJSON, .gz/.bz2/.xz,
                       R2Z2 history JSON, EVE Ref .tar.bz2; - for stdin)
                       through wn-enrich | wn-filter | wn-discord, then exit
      --no-enrich      replay without wn-enrich (records already enriched)
      --map FILE       map state for wn-filter (replay without a map)
      --now TIME       judge kill age against TIME (wn-filter --now)
      --max-age SECS   kill age limit for the replay (wn-filter --max-age)
      --ready-fd N     write a newline to fd N once every stage is up (s6)
      --mapsse-arg ARG, --kills-arg ARG, --enrich-arg ARG, --filter-arg ARG,
      --discord-arg ARG
                       pass ARG to that stage (repeatable)
  -h, --help           this text;  --version  the version
EOF
}

log() { printf '%s: %s: %s\n' "$prog" "$1" "$2" >&2; }
die() { log fatal "$2"; exit "$1"; }

is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }

# --- options -----------------------------------------------------------

dry_run= check= replay= no_enrich= ready_fd= map_file= now= max_age=
declare -a replay_files=() mapsse_args=() kills_args=() enrich_args=() \
	filter_args=() discord_args=()

usage_error() { log fatal "$1"; usage; exit 100; }
need_arg() { [ $# -ge 2 ] || usage_error "option $1 needs an argument"; }

while [ $# -gt 0 ]; do
	case $1 in
	-n | --dry-run) dry_run=1 ;;
	-e | --env) need_arg "$@"; export WN_ENV_FILE=$2; shift ;;
	--check) check=1 ;;
	--replay) replay=1 ;;
	--no-enrich) no_enrich=1 ;;
	--map) need_arg "$@"; map_file=$2; shift ;;
	--now) need_arg "$@"; now=$2; shift ;;
	--max-age) need_arg "$@"; max_age=$2; shift ;;
	--ready-fd) need_arg "$@"; ready_fd=$2; shift ;;
	--mapsse-arg | --kills-arg | --enrich-arg | --filter-arg | --discord-arg)
		need_arg "$@"; declare -n stage_args=${1:2:-4}_args; stage_args+=("$2"); shift ;;
	-h | --help) usage; exit 100 ;;
	--version) echo "$prog $version"; exit 0 ;;
	--) shift; replay_files+=("$@"); break ;;
	-) replay_files+=("$1") ;;
	-*) usage_error "unknown option $1" ;;
	*) replay_files+=("$1") ;;
	esac
	shift
done

if [ -n "$replay" ]; then
	[ ${#replay_files[@]} -gt 0 ] || usage_error "--replay needs at least one FILE"
	for f in "${replay_files[@]}"; do
		[ "$f" = - ] || [ -r "$f" ] || die 100 "unable to read $f"
	done
else
	[ ${#replay_files[@]} -eq 0 ] || usage_error "files given without --replay"
	[ -z "$no_enrich$map_file$now$max_age" ] ||
		die 100 "--no-enrich, --map, --now and --max-age are for --replay"
fi
if [ -n "$ready_fd" ]; then
	is_uint "$ready_fd" || die 100 "--ready-fd needs a file descriptor number"
	{ true >&"$ready_fd"; } 2>/dev/null || die 100 "--ready-fd $ready_fd is not open"
fi
[ -z "$max_age" ] || is_uint "$max_age" || die 100 "--max-age needs a number of seconds"

# The .env every stage reads: $WN_ENV_FILE made absolute, so that they
# all read the same file whatever they do with cwd; else ./.env.
if [ -n "${WN_ENV_FILE:-}" ]; then
	[ -r "$WN_ENV_FILE" ] || die 100 "unable to read WN_ENV_FILE $WN_ENV_FILE"
	case $WN_ENV_FILE in /*) ;; *) export WN_ENV_FILE=$PWD/$WN_ENV_FILE ;; esac
fi

# Installed, the tools sit beside us; WN_BIN points at a build directory.
self_dir=$(cd "$(dirname "$0")" && pwd)
PATH=${WN_BIN:+$WN_BIN:}$self_dir:$PATH
export PATH
need_tool() { local t; for t; do command -v "$t" >/dev/null || die 100 "$t not found in PATH ($PATH)"; done; }
need_tool wn-status
[ -z "$check" ] || exec wn-status --config

# The tools answer for the configuration (lib/config.c, lib/state.c), so
# every stage agrees with us; wn-status names a bad .env line itself.
state=$(wn-status --print-state-dir) || exit 100
export WN_STATE_DIR=$state
cfg=$(wn-status --print-config WN_RUN_DIR STARTUP_SUPPRESSION_SECONDS WN_DRAIN_SECONDS \
	WN_READY_SECONDS WN_DRY_RUN) || exit 100
{ read -r run; read -r suppress; read -r drain_secs; read -r ready_secs; read -r dry; } <<<"$cfg"
run=${run:-$state/run}
case $run in /*) ;; *) run=$PWD/$run ;; esac
# Wanderer Notifier ignores events for 30 s after start because it has no
# memory across restarts.  wn-discord's delivered log has that memory, and
# here the window would drop the very kills wn-kills' preload recovers
# after a restart: so the flow runs without it unless it is set explicitly.
export STARTUP_SUPPRESSION_SECONDS=${suppress:-0}
drain_secs=${drain_secs:-10} ready_secs=${ready_secs:-10}
# WN_DRY_RUN lets a supervised service run dry without changing its run file.
case ${dry,,} in 1 | true | yes | on) dry_run=1 ;; esac
is_uint "$drain_secs" || die 100 "WN_DRAIN_SECONDS=$drain_secs: must be a number of seconds"
is_uint "$ready_secs" || die 100 "WN_READY_SECONDS=$ready_secs: must be a number of seconds"

# --- the run directory ---------------------------------------------------

# From here on a signal is an event, looked at between steps.
stop_signal=
declare -a pids=()
on_signal() { stop_signal=$1; }
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT
trap 'for p in "${pids[@]}"; do kill -HUP "$p" 2>/dev/null; done' HUP
trap '' PIPE

umask 077
# wn-status refuses a directory another user could plant a link in, where
# the lock or run/stages is written, as the tools do (lib/state.c)
wn-status --make-dir "$state" "$state/status" "$run" || exit $?
[ -L "$run/lock" ] && die 100 "refusing $run/lock: a symbolic link"
exec {lockfd}>>"$run/lock" || die 111 "unable to open $run/lock"
flock -n "$lockfd" || die 111 "another wn-pipeline is running on $run (give a second flow its own WN_STATE_DIR)"

# Stages carry this mark in their environment, so a later run can tell its
# own orphans (left behind when we were SIGKILLed) from a tool run by hand.
export WN_PIPELINE_RUN=$run

# running PID: the process exists and is not a zombie (an orphan's new
# parent may be slow to reap it, or never do so in a container).
running() {
	local line
	read -r line <"/proc/$1/stat" 2>/dev/null || return 1
	line=${line##*) }
	[ "${line%% *}" != Z ]
}

# kill_leftovers: stages of a previous run that outlived it (we hold the
# lock, so their pipeline is gone) would deliver twice: stop them first.
kill_leftovers() {
	local name pid left=
	[ -r "$run/stages" ] || return 0
	while read -r name pid; do
		is_uint "$pid" || continue
		[ -r "/proc/$pid/environ" ] || continue
		tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
			grep -qxF "WN_PIPELINE_RUN=$run" || continue
		log warn "stopping $name (pid $pid) left over from a previous run"
		kill -TERM "$pid" 2>/dev/null && left="$left $pid"
	done <"$run/stages"
	for _ in $(seq 50); do
		local alive=
		for pid in $left; do running "$pid" && alive="$alive $pid"; done
		left=$alive
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	for pid in $left; do kill -KILL "$pid" 2>/dev/null; done
}
kill_leftovers

# --- our own status file (wn-status lists it beside the tools') ----------

starts=0
if [ -r "$state/status/$prog.json" ]; then
	starts=$(sed -n 's/.*"starts":\([0-9]*\).*/\1/p' "$state/status/$prog.json")
	is_uint "$starts" || starts=0
fi
starts=$((starts + 1))
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mode=live
[ -n "$replay" ] && mode=replay
last_exit=

# The file's shape and its atomic replacement are lib/status_record.c's.
write_status() {
	wn-status --record "$prog" pid=$$ started="$started" state="$1" mode=$mode \
		starts=$starts stages=${#pids[@]} last_exit="$last_exit" {lockfd}>&- ||
		log warn "unable to write the status file"
}

# --- stages --------------------------------------------------------------

declare -A name_of=() pid_of=() code_of=() up_of=()
declare -a order=()

# spawn NAME IN OUT CMD...: start one stage, its stdin/stdout redirected
# ("-" keeps ours).  The FIFO opens block in the child, never here; the
# child drops our lock and ready fds and execs, so its pid is the tool's.
spawn() {
	local name=$1
	stage "$@" <&0 &
	name_of[$!]=$name
	pid_of[$name]=$!
	pids+=("$!")
	order+=("$!")
}

stage() {
	local name=$1 in=$2 out=$3
	shift 3
	trap - TERM INT HUP
	if [ "$in" != - ]; then exec <"$in" || exit 111; fi
	if [ "$out" != - ]; then exec >"$out" || exit 111; fi
	exec {lockfd}>&-
	if [ -n "$ready_fd" ]; then exec {ready_fd}>&-; fi
	exec "$@"
}

# spawn_tail FILTER-OPTION...: wn-discord and wn-filter, the end of both flows.
spawn_tail() {
	spawn wn-discord "$run/notify.fifo" - wn-discord ${dry_run:+--dry-run} "${discord_args[@]}"
	spawn wn-filter /dev/null "$run/notify.fifo" wn-filter "$@" "${filter_args[@]}" \
		"$run/kills.fifo"
}

fifo() {
	rm -f "$run/$1"
	mkfifo -m 600 "$run/$1" || die 111 "unable to create $run/$1"
}

start_live() {
	need_tool wn-mapsse wn-kills wn-enrich wn-filter wn-discord
	fifo map.fifo; fifo raw.fifo; fifo kills.fifo; fifo notify.fifo
	spawn_tail
	spawn wn-enrich /dev/null "$run/kills.fifo" wn-enrich "${enrich_args[@]}" \
		"$run/raw.fifo" "$run/map.fifo"
	spawn wn-kills /dev/null "$run/raw.fifo" wn-kills "${kills_args[@]}"
	spawn wn-mapsse /dev/null "$run/map.fifo" wn-mapsse "${mapsse_args[@]}"
	sources=(wn-kills wn-mapsse)
	local token app http port
	{ read -r token; read -r app; read -r http; read -r port; } < <(wn-status \
		--print-config ?DISCORD_BOT_TOKEN DISCORD_APPLICATION_ID WN_HTTP PORT)
	# slash commands, the voice list, status messages; a dry run posts no
	# status message (the variable in the environment wins over the .env)
	if [ -n "$token" ] && [ -n "$app" ]; then
		need_tool wn-gateway
		spawn wn-gateway /dev/null /dev/null env ${dry_run:+STATUS_MESSAGES_ENABLED=false} wn-gateway
		sources+=(wn-gateway)
	fi
	# PORT (the notifier's) or WN_HTTP ([ADDR:]PORT): the HTTP status
	# surface beside the flow; wn-status reads PORT itself
	[ -z "$http" ] && [ -n "$port" ] && http=127.0.0.1
	if [ -n "$http" ]; then
		spawn wn-status /dev/null /dev/null wn-status --serve "$http"
		sources+=(wn-status)
	fi
	up_of=([wn-discord]="wn-filter wn-enrich wn-kills wn-mapsse"
		[wn-filter]="wn-enrich wn-kills wn-mapsse" [wn-enrich]="wn-kills wn-mapsse")
}

start_replay() {
	local into=raw.fifo
	need_tool wn-filter wn-discord
	[ -n "$no_enrich" ] || need_tool wn-enrich
	# installed it is wn-replay-feed; in the source tree replay-feed.sh
	feeder=$(command -v wn-replay-feed || echo "$self_dir/replay-feed.sh")
	[ -x "$feeder" ] || die 100 "wn-replay-feed not found in PATH ($PATH)"
	[ -n "$no_enrich" ] && into=kills.fifo
	fifo raw.fifo; fifo kills.fifo; fifo notify.fifo
	# the FIFO would make wn-filter judge it live: no startup window or
	# age limit in a replay unless asked for
	local -a fopt=(--replay)
	[ -n "$map_file" ] && fopt+=(--map "$map_file")
	[ -n "$now" ] && fopt+=(--now "$now")
	[ -n "$max_age" ] && fopt+=(--max-age "$max_age")
	spawn_tail "${fopt[@]}"
	[ -n "$no_enrich" ] ||
		spawn wn-enrich "$run/raw.fifo" "$run/kills.fifo" wn-enrich -K "${enrich_args[@]}"
	spawn replay - "$run/$into" "$feeder" "${replay_files[@]}"
	sources=(replay)
	up_of=([wn-discord]="wn-filter wn-enrich replay" [wn-filter]="wn-enrich replay"
		[wn-enrich]=replay)
}

# --- supervision loop ----------------------------------------------------

# reaped PID STATUS: forget a stage that has exited.
reaped() {
	local p keep=()
	code_of[$1]=$2
	for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	pids=("${keep[@]}")
}

# next_exit SECS: wait up to SECS for a stage to exit; sets who and rc.
# Bash forgets a child killed by a signal it reported, so `wait -n` alone
# could miss it: a stage that is gone is collected with a plain `wait`.
next_exit() {
	local p tick
	who=
	for p in "${pids[@]}"; do
		if ! kill -0 "$p" 2>/dev/null; then
			wait "$p" 2>/dev/null; rc=$?; who=$p
			return 0
		fi
	done
	sleep "$1" {lockfd}>&- &
	tick=$!
	wait -n -p who "${pids[@]}" "$tick" 2>/dev/null; rc=$?
	if [ "${who:-}" = "$tick" ]; then who=; return 1; fi
	kill "$tick" 2>/dev/null; wait "$tick" 2>/dev/null
	[ -n "${who:-}" ]	# empty: a signal interrupted the wait
}

# wait_all SECS: collect stages until none is left or time is up.
wait_all() {
	local deadline=$((SECONDS + $1))
	while [ ${#pids[@]} -gt 0 ]; do
		[ $SECONDS -lt $deadline ] || return 1
		next_exit 0.5 || continue
		reaped "$who" "$rc"
		log info "${name_of[$who]} exited with status $rc"
	done
}

# drain NAME...: stop these stages (the sources, and whatever feeds a
# stage that died), let the rest finish what is in the pipes and exit on
# EOF, then insist.
drain() {
	local name p
	write_status stopping
	for name; do
		p=${pid_of[$name]:-}
		[ -n "$p" ] && [ -z "${code_of[$p]:-}" ] || continue
		kill -TERM "$p" 2>/dev/null
	done
	wait_all "$drain_secs" && return 0
	log warn "stages still running after ${drain_secs}s: sending SIGTERM"
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait_all 5 && return 0
	log warn "stages still running: sending SIGKILL"
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait_all 5
}

# ready: every stage has written its status file with its own pid.
all_ready() {
	local p f
	for p in "${order[@]}"; do
		case ${name_of[$p]} in replay | wn-status) continue ;; esac	# no status file
		# wn-discord --dry-run leaves the status file to a delivering
		# wn-discord when one runs (wn-discord(1)): not waited for
		[ "${name_of[$p]}" = wn-discord ] && [ -n "$dry_run" ] && continue
		f=$state/status/${name_of[$p]}.json
		[ -r "$f" ] && grep -q "\"pid\":$p[,}]" "$f" || return 1
	done
}

signal_ready() {
	printf '\n' >&"$ready_fd" 2>/dev/null
	exec {ready_fd}>&-
	ready_fd=
}

[ -z "$stop_signal" ] || { log info "SIG$stop_signal before the start"; exit 0; }
sources=()
if [ -n "$replay" ]; then start_replay; else start_live; fi
{
	for p in "${order[@]}"; do printf '%s %s\n' "${name_of[$p]}" "$p"; done
} >"$run/stages"
log info "$mode flow started:$(for p in "${order[@]}"; do printf ' %s[%s]' "${name_of[$p]}" "$p"; done)"
write_status starting

status=0
ready_deadline=$((SECONDS + ready_secs))
is_ready=
while :; do
	if [ -n "$stop_signal" ]; then
		log info "SIG$stop_signal: draining the flow"
		drain "${sources[@]}"
		# a stage that failed while draining (not our SIGTERM/SIGKILL) is
		# worth a non-zero exit: the log says which
		status=0
		for p in "${!code_of[@]}"; do
			case ${code_of[$p]} in 0 | 143 | 137) ;; *) status=111
				log warn "${name_of[$p]} exited with status ${code_of[$p]} while draining" ;;
			esac
		done
		write_status stopped
		exit $status
	fi
	if [ -z "$is_ready" ]; then
		if all_ready || [ $SECONDS -ge $ready_deadline ]; then
			is_ready=1
			all_ready || log warn "not every stage reported its status within ${ready_secs}s"
			[ -n "$ready_fd" ] && signal_ready
			write_status running
		fi
	fi
	# The wait is bounded, so a signal that lands just before it starts
	# is seen within a second; before readiness, poll the status files.
	next_exit "$([ -n "$is_ready" ] && echo 1 || echo 0.1)" || continue
	name=${name_of[$who]}
	reaped "$who" "$rc"
	if [ -n "$replay" ] && [ "$rc" = 0 ]; then
		# a replay ends stage by stage as EOF travels down the flow
		[ ${#pids[@]} -eq 0 ] && { write_status done; exit 0; }
		continue
	fi
	# Stages that ended at the same moment: one that failed is the cause,
	# not the one that saw end of file because of it.
	cause=$name code=$rc
	while next_exit 0.2; do
		reaped "$who" "$rc"
		log info "${name_of[$who]} exited with status $rc"
		if [ "$code" = 0 ] && [ "$rc" != 0 ]; then cause=${name_of[$who]} code=$rc; fi
	done
	last_exit="$cause $code"
	log error "$cause (pid ${pid_of[$cause]}) exited with status $code: stopping the flow"
	status=111
	[ "$code" = 100 ] && status=100
	drain "${sources[@]}" ${up_of[$cause]:-}
	write_status "exited: $last_exit"
	exit $status
done
