# tests/pipeline-stages.sh — sourced by the pipeline and supervision tests:
# make_stages DIR writes stand-in stages named like the six tools (small
# sh scripts) so pipeline.sh's own behaviour can be tested on its own.
# Each writes its status file, logs signals and EOF to $STUB_LOG, and
# fails on purpose with STUB_FAIL=NAME (exit $STUB_FAIL_CODE, default 3);
# wn-discord exits $STUB_EOF_CODE at end of input.
make_stages() {
	mkdir -p "$1"
	cat >"$1/stage" <<'EOF'
#!/bin/sh
# stand-in stage: status file, signals logged to $T/log, then its job
name=${0##*/}
# wn-replay-feed asks wn-kills to reshape day histories: the real one does
[ "$name" = wn-kills ] && [ "${1:-}" = --history ] && exec "${0%/*}/real-wn-kills" "$@"
log() { echo "$name $*" >>"$STUB_LOG"; }
echo "$name $*" >"$STUB_LOG.args.$name"
mkdir -p "$WN_STATE_DIR/status"
# the state a real one is in when it is fine (wn-status --check, /health)
case $name in wn-kills) state=joined ;; wn-mapsse) state=streaming ;; *) state=running ;; esac
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '{"tool":"%s","pid":%d,"updated":"%s","started":"%s","state":"%s"}\n' "$name" $$ \
	"$now" "$now" "$state" >"$WN_STATE_DIR/status/$name.json"
trap 'log TERM; exit 0' TERM
hup=
trap 'log HUP; hup=1' HUP
[ "${STUB_FAIL:-}" = "$name" ] && { sleep 0.3; exit "${STUB_FAIL_CODE:-3}"; }
case $name in
wn-mapsse) echo '{"type":"system","solar_system_id":1}'; log sent 0
	while :; do sleep 0.05; done ;;
wn-kills) i=0
	while :; do i=$((i + 1)); echo "{\"type\":\"killmail\",\"killmail_id\":$i}"
		log sent $i; sleep 0.05; done ;;
wn-enrich | wn-filter) # inputs: the arguments that are not options (or
	files=		# their values), else the standard input
	while [ $# -gt 0 ]; do
		case $1 in --map | --now | --max-age) shift ;; -*) ;; *) files="$files $1" ;; esac
		shift
	done
	exec 3<&0
	[ -n "$files" ] || cat <&3 &
	for f in $files; do cat "$f" & done
	until wait; do :; done; log EOF ;;	# a trapped HUP interrupts wait
wn-gateway) while :; do sleep 0.05; done ;;
wn-discord) while :; do
		if IFS= read -r l; then echo "posted $l"; elif [ "$hup" ]; then hup=; else break; fi
	done; log EOF; exit "${STUB_EOF_CODE:-0}" ;;
esac
EOF
	chmod +x "$1/stage"
	for t in wn-mapsse wn-kills wn-enrich wn-filter wn-discord wn-gateway; do ln -s stage "$1/$t"; done
	# the real one: wn-pipeline asks it for the configuration
	ln -s "$(command -v wn-status)" "$1/wn-status"
	ln -s "$(command -v wn-kills)" "$1/real-wn-kills"
}
