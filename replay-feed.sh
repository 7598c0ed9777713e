#!/bin/sh
# replay-feed.sh (installed as wn-replay-feed) — saved killmails and map
# events of every kind as one NDJSON stream on stdout, for
# `wn-pipeline --replay` or by hand: wn-replay-feed FILE... | wn-enrich.
# NDJSON (plain, .gz, .bz2, .xz) passes as it is; an R2Z2 day history
# becomes one record per kill; an EVE Ref day archive one per member.
# SIGTERM stops the file being read and exits; so does a closed stdout.
set -u
prog=wn-replay-feed

case ${1:-} in
--version) echo "$prog 0.1.0"; exit 0 ;;
-h | --help | '') echo "usage: $prog FILE...   (- for stdin)" >&2; exit 100 ;;
esac
command -v jq >/dev/null 2>&1 || { echo "$prog: fatal: jq not found (apt-get install jq)" >&2; exit 100; }

child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 143' TERM INT

# R2Z2 day history: {"id":"hash",...} or {"id":{ESI killmail},...}; any
# other JSON document (one killmail, or an array of them) as it is.  The
# reshaping is wn-kills --history (killmail_history.c), found beside us
# when installed, in WN_BIN in a build.
PATH=${WN_BIN:+$WN_BIN:}$(cd "$(dirname "$0")" && pwd):$PATH
history() {
	wn-kills --history "$1"
}

# one file; in the background so that a SIGTERM is seen at once
feed() {
	case $1 in
	*.tar | *.tar.* | *.tgz | *.tbz2 | *.txz)
		tar -xOf "$1" | jq -c 'select(type == "object")' ;;
	*.gz) gzip -dc -- "$1" ;;
	*.bz2) bzip2 -dc -- "$1" ;;
	*.xz) xz -dc -- "$1" ;;
	*.json) history "$1" ;;
	-) cat ;;
	*) cat -- "$1" ;;
	esac
}

# an asynchronous list reads /dev/null unless told otherwise: keep stdin on 3
exec 3<&0
rc=0
for f; do
	[ "$f" = - ] || [ -r "$f" ] || { echo "$prog: error: unable to read $f" >&2; rc=111; continue; }
	if [ "$f" = - ]; then feed - <&3 & else feed "$f" </dev/null & fi
	child=$!
	wait "$child" || { echo "$prog: error: unable to read all of $f" >&2; rc=111; }
	child=
done
exit $rc
