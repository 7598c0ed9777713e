#!/bin/sh
# A state directory shared with another user (issue 17): the tools and
# pipeline.sh refuse (exit 100, one line) a state or run directory that
# others can write or that someone else owns, so links planted there are
# never followed; and a link in a trusted directory is not written through
# (O_NOFOLLOW).  The other user is `nobody`, through runuser.
. "$WN_ROOT/tests/lib.sh"
id nobody >/dev/null 2>&1 && command -v runuser >/dev/null ||
	{ notok "runuser and the user nobody are needed"; done_testing; exit 1; }
chmod 755 "$T"
shared=$T/shared
mkdir "$shared" && chmod 1777 "$shared"          # like /tmp
printf 'secret\n' > "$T/secret" && chmod 600 "$T/secret"   # root's file
asnobody() { runuser -u nobody -- timeout 30 env PATH="$PATH" WN_ROOT="$WN_ROOT" "$@"; }
export WEBSOCKET_URL=ws://127.0.0.1:9 ESI_URL=http://127.0.0.1:9 \
	DISCORD_API_URL=http://127.0.0.1:9/api/v10 \
	DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/111/mainTOKENaaaa1111
# refused "what" WHY-TEXT command...: exit 100 and one line naming WHY
refused() {
	what=$1 why=$2; shift 2
	echo "{}" | "$@" >out 2>err; rc=$?
	same "$what: exit 100" "$rc" 100
	contains "$what: says why" "$(cat err)" "$why"
	same "$what: one line" "$(wc -l < err | tr -d ' ')" 1
}

# -- nobody, with a state dir it made world-writable --
asnobody sh -c "umask 000; mkdir '$shared/nob'"
for tool in "wn-kills -S 1" "wn-enrich -C" "wn-discord" "wn-filter -S 1"; do
	refused "nobody, world-writable state: ${tool%% *}" "writable by others" \
		asnobody env WN_STATE_DIR="$shared/nob" $tool
done

# -- nobody, pointed at a state dir root owns --
refused "nobody, root's state dir: wn-kills" "not by this user" \
	asnobody env WN_STATE_DIR="$shared" wn-kills -S 1

# -- root, in a state dir nobody can write: nobody planted links --
st=$shared/root-state
mkdir -p "$st" && chmod 777 "$st"
asnobody sh -c "mkdir -p '$st/run' '$st/cache' && chmod 777 '$st/run' '$st/cache' &&
	ln -s '$T/secret' '$st/run/lock' && ln -s '$T/secret' '$st/run/stages' &&
	ln -s '$T/secret' '$st/delivered.log' && ln -s '$T/secret' '$st/cache/esi.cache'"
refused "root, world-writable state: wn-discord" "writable by others" \
	timeout 30 env WN_STATE_DIR="$st" wn-discord
refused "root, world-writable state: wn-enrich" "writable by others" \
	timeout 30 env WN_STATE_DIR="$st" wn-enrich
env WN_STATE_DIR="$st" WN_ENV_FILE=/dev/null MAP_URL= timeout 30 bash "$WN_ROOT/pipeline.sh" -n \
	</dev/null >out 2>err; rc=$?
same "pipeline.sh, world-writable state: exit 100" "$rc" 100
contains "pipeline.sh: says why" "$(cat err)" "writable by others"
chmod 700 "$st" && chown 0 "$st"                  # the top fixed, run/ still open
env WN_STATE_DIR="$st" WN_ENV_FILE=/dev/null timeout 30 bash "$WN_ROOT/pipeline.sh" -n \
	</dev/null >out 2>err; rc=$?
same "pipeline.sh, world-writable run dir: exit 100" "$rc" 100
contains "pipeline.sh: names the run dir" "$(cat err)" "refusing $st/run"
same "root's file untouched by every tool" "$(cat "$T/secret")" secret

# -- a link inside a trusted state dir is not written through --
good=$T/good
mkdir -m 700 "$good" "$good/cache"
ln -s "$T/secret" "$good/cache/esi.cache"
jq -c . "$WN_FIXTURES/kills/esi_killmail.json" | WN_STATE_DIR=$good timeout 60 \
	wn-enrich -K -t 500 -w 1 >out 2>err
contains "esi.cache a link: refused, logged" "$(cat err)" "esi.cache"
same "esi.cache a link: the record goes on" "$(jq -r .killmail_id out)" \
	"$(jq -r .killmail_id "$WN_FIXTURES/kills/esi_killmail.json")"
same "esi.cache a link: root's file untouched" "$(cat "$T/secret")" secret

done_testing
