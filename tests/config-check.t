#!/bin/sh
# The configuration check (wn-status --config, wn-pipeline --check) and
# the answers wn-pipeline asks for: Wanderer Notifier's own .env.example
# and a filled-in .env read unchanged, every line accounted for, secrets
# masked, exit codes, unknown names with a hint; whitespace-only values
# falling back in wn-discord and wn-filter.
. "$WN_ROOT/tests/lib.sh"
# a copy only we can read, as a .env holding secrets should be (a
# checkout's 0644 would draw the tools' permission warning)
mkdir -p "$T/fx" && cp "$WN_FIXTURES"/notifier/* "$T/fx/" && chmod 600 "$T"/fx/*
FX=$T/fx
unset DISCORD_SYSTEM_KILL_CHANNEL_ID DISCORD_CHARACTER_KILL_CHANNEL_ID DISCORD_SYSTEM_CHANNEL_ID \
	DISCORD_CHARACTER_CHANNEL_ID DISCORD_RALLY_CHANNEL_ID DISCORD_WEBHOOK_URL MAP_NAME \
	JANICE_API_TOKEN WEBSOCKET_URL WANDERER_KILLS_URL NOTABLE_ITEMS_ENABLED

# accounted FILE OUT: every KEY=VALUE line of FILE has a line of OUT
# naming KEY and its line number; prints the keys that have none.
accounted() {
	nr=0 missing=
	while IFS= read -r line || [ -n "$line" ]; do
		nr=$((nr + 1))
		line=$(printf '%s' "$line" | tr -d '\r' | sed 's/^[[:space:]]*export[[:space:]]*//')
		case $line in [A-Za-z_]*=*) ;; *) continue ;; esac
		key=${line%%=*}
		grep -Eq "^  $key(=| ).*\.env:$nr[;)]" "$2" || missing="$missing $key:$nr"
	done <"$1"
	printf '%s' "$missing"
}

# --- the notifier's own .env.example, byte for byte ---
WN_ENV_FILE=$FX/env.example wn-status --config >out 2>err; rc=$?
same "env.example: placeholders are refused with exit 100" "$rc" 100
contains "env.example: the reason names the variable and the value" "$(cat out)" \
	"error: DISCORD_CHANNEL_ID=your_notification_discord_channel_id is not a channel id"
same "env.example: every line is accounted for" "$(accounted "$FX/env.example" out)" ""
contains "env.example: LICENSE_KEY gets one clear line" "$(cat out)" \
	"LICENSE_KEY (.env:4): ignored: wn needs no license"
same "env.example: the result line says why" "$(tail -n 1 out)" \
	"result: 1 error(s), 0 warning(s): the tools would not start"
same "env.example: nothing on stderr" "$(cat err)" ""

# --- a filled-in .env: quotes, export, blanks, whitespace, CRLF ---
WN_ENV_FILE=$FX/filled.env wn-status -C >out 2>err; rc=$?
same "filled.env: the tools would start (exit 0)" "$rc" 0
same "filled.env: every line is accounted for" "$(accounted "$FX/filled.env" out)" ""
contains "whitespace-only value counts as unset" "$(cat out)" \
	"DISCORD_SYSTEM_KILL_CHANNEL_ID (.env:31): blank, counts as unset"
contains "... and its kind falls back to the main channel" "$(cat out)" \
	"system_kill     kills in tracked systems     -> channel 1100000000000000001 from DISCORD_CHANNEL_ID (fallback)"
contains "export and double quotes" "$(cat out)" \
	"character_kill  kills of tracked characters  -> channel 1100000000000000003 from DISCORD_CHARACTER_KILL_CHANNEL_ID"
contains "single quotes, CRLF" "$(cat out)" "MAP_NAME=my-corp-map (.env:9;"
contains "a trailing comment is cut" "$(cat out)" "DISCORD_CHANNEL_ID=1100000000000000001 (.env:6;"
contains "MAX_KILLMAIL_AGE_SECONDS=0 is explained" "$(cat out)" \
	"MAX_KILLMAIL_AGE_SECONDS=0: no age limit (the notifier drops every kill)"
contains "TRACK_KSPACE_ENABLED: the notifier ignores it, wn does not" "$(cat out)" \
	"TRACK_KSPACE_ENABLED=false: k-space systems: no system kills, no system messages (.env:19); the notifier ignores this flag"
contains "CHARACTER_EXCLUDE_LIST works here" "$(cat out)" "2 character(s), 0 system(s) excluded"
contains "legacy PRIORITY_SYSTEMS_ONLY is used" "$(cat out)" "PRIORITY_SYSTEMS_ONLY=false (.env:56;"
for s in MTIzNDU2Nzg5MDEyMzQ1Njc4 a1b2c3d4-e5f6 G9aXk2-janice lic-5f3a; do
	case $(cat out err) in *"$s"*) notok "secret $s is masked";; *) ok "secret $s is masked";; esac
done
contains "a secret shows only its length" "$(cat out)" "MAP_API_KEY=<secret, 36 characters> (.env:10;"
same "filled.env: no unknown names" "$(grep -c '^unknown:' out)" 0

# --- every variable of the notifier's configuration reference ---
grep -v '^#' "$FX/variables.txt" | sed 's/$/=1/' >all.env
WN_ENV_FILE=$T/all.env wn-status -C >out 2>&1
same "every notifier variable is used or named as ignored" \
	"$(sed -n '/^unknown:/,/^result/p' out | grep -v '^result' | tr '\n' ' ')" ""

# --- every variable a tool reads is in the check's table ---
grep -ohE '(config_(str|int|bool|secret|idlist)|knob)\("[A-Z][A-Z0-9_]+"' \
	"$WN_ROOT"/lib/*.c "$WN_ROOT"/cmd/*.c | sed 's/.*("//; s/"$//' | sort -u | sed 's/$/=1/' >read.env
WN_ENV_FILE=$T/read.env wn-status -C >out 2>&1
same "every variable the tools read is known to the check" \
	"$(sed -n '/^unknown:/,/^result/p' out | grep -v '^result' | tr '\n' ' ')" ""
check "that list is not empty" test "$(wc -l <read.env)" -gt 40

# --- exit codes and messages ---
printf 'DISCORD_BOT_TOKEN=tok.abc.123456\nDISCORD_CHANNEL_ID=100\nMAP_URL=https://m.example\nMAP_NAME=m\nMAP_API_KEY=key123\n' >good.env
WN_ENV_FILE=$T/good.env wn-status -C >out 2>&1; same "good configuration: exit 0" "$?" 0
{ cat good.env; echo 'DISCORD_CHANEL_ID=200'; echo 'discord_rally_channel_id=300'; echo 'KILL_NOTIFICATIONS_ENABLED=maybe'; } >typo.env
WN_ENV_FILE=$T/typo.env wn-status -C >out 2>&1; rc=$?
same "unknown names and a bad boolean only warn: exit 0" "$rc" 0
contains "did you mean, for a typo" "$(cat out)" \
	"DISCORD_CHANEL_ID (.env:6): not a wn variable; did you mean DISCORD_CHANNEL_ID?"
contains "did you mean, for the wrong case" "$(cat out)" \
	"discord_rally_channel_id (.env:7): not a wn variable; did you mean DISCORD_RALLY_CHANNEL_ID?"
contains "a bad boolean names what is valid" "$(cat out)" \
	"warning: KILL_NOTIFICATIONS_ENABLED=maybe: not a boolean (true/false, 1/0, yes/no, on/off)"
DISCORD_CHANNEL_LD=5 WN_ENV_FILE=$T/good.env wn-status -C >out 2>&1
contains "a near miss in the environment" "$(cat out)" \
	"DISCORD_CHANNEL_LD (environment): not a wn variable; did you mean DISCORD_CHANNEL_ID?"
LICENSE_KEY=lic-in-env-42 WN_ENV_FILE=$T/good.env wn-status -C >out 2>&1
contains "a notifier variable in the environment is named as ignored" "$(cat out)" \
	"LICENSE_KEY (environment): ignored: wn needs no license"
case $(cat out) in *lic-in-env-42*) notok "... and its value is not shown";; *) ok "... and its value is not shown";; esac
{ grep -v BOT_TOKEN good.env; echo 'DISCORD_SYSTEM_CHANNEL_ID=400'; } >nobot.env
WN_ENV_FILE=$T/nobot.env wn-status -C >out 2>&1; rc=$?
same "a channel without a bot token: exit 100" "$rc" 100
contains "... with the reason and the way out" "$(cat out)" \
	"DISCORD_CHANNEL_ID is set but DISCORD_BOT_TOKEN is not"
{ cat good.env; echo 'CORPORATION_KILL_FOCUS=98000001,my corp'; echo 'WN_DISCORD_QUEUE=0'; } >bad.env
WN_ENV_FILE=$T/bad.env wn-status -C >out 2>&1; rc=$?
same "bad id list and a number out of range: exit 100" "$rc" 100
contains "the id list error names variable, value and form" "$(cat out)" \
	"CORPORATION_KILL_FOCUS=98000001,my corp is not a list of ids (numbers separated by commas)"
contains "the range error names the valid range" "$(cat out)" \
	"error: WN_DISCORD_QUEUE=0: must be 1..1000000 (wn-discord would exit 100)"
same "both errors counted" "$(tail -n 1 out)" "result: 2 error(s), 0 warning(s): the tools would not start"
printf 'x\n' >wrong.env
WN_ENV_FILE=$T/wrong.env wn-status -C >out 2>err; rc=$?
same "a .env syntax error: exit 100" "$rc" 100
contains "... naming file and line" "$(cat err)" "wrong.env:1: expected KEY=VALUE"
{ grep -v MAP_ good.env; } >nomap.env
WN_ENV_FILE=$T/nomap.env wn-status -C >out 2>&1; same "no map: exit 100" "$?" 100
contains "... and why" "$(cat out)" \
	"MAP_URL, MAP_NAME and MAP_API_KEY must all be set; unset: MAP_URL MAP_NAME MAP_API_KEY"
MAP_URL=https://m.example MAP_API_KEY=k wn-mapsse </dev/null >/dev/null 2>err; rc=$?
same "wn-mapsse without MAP_NAME: exit 100" "$rc" 100
contains "... naming what is missing" "$(cat err)" "unset: MAP_NAME"

# --- --print-config and --print-state-dir (what wn-pipeline asks) ---
same "--print-config: one line per key, blank as empty" \
	"$(WN_ENV_FILE=$FX/filled.env wn-status --print-config MAP_NAME DISCORD_SYSTEM_KILL_CHANNEL_ID WN_NOT_SET STARTUP_SUPPRESSION_SECONDS | tr '\n' '|')" \
	"my-corp-map|||30|"
same "--print-config: the environment wins over the .env" \
	"$(MAP_NAME=other WN_ENV_FILE=$FX/filled.env wn-status --print-config MAP_NAME)" other
WN_ENV_FILE=$FX/filled.env wn-status --print-config MAP_NAME MAP_API_KEY >out 2>err; rc=$?
same "--print-config refuses a secret: exit 100" "$rc" 100
contains "... saying so" "$(cat err)" "MAP_API_KEY is a secret: it is never printed"
case $(cat out err) in *a1b2c3d4*) notok "... and never prints it";; *) ok "... and never prints it";; esac
out=$(WN_ENV_FILE=$FX/filled.env wn-status --print-config ?MAP_API_KEY ?WN_NOT_SET | tr '\n' '|')
same "--print-config ?KEY: whether a secret is set, never its value" "$out" "set||"
same "--print-state-dir is absolute" "$(WN_STATE_DIR=rel/st wn-status --print-state-dir)" "$T/rel/st"
same "--print-state-dir from the .env" \
	"$(printf 'WN_STATE_DIR=/srv/wn\n' >sd.env; WN_STATE_DIR= WN_ENV_FILE=$T/sd.env wn-status --print-state-dir)" /srv/wn

# --- wn-pipeline --check is the same check; wn-pipeline asks, never parses ---
P=$WN_ROOT/pipeline.sh
bash "$P" --check -e "$FX/filled.env" >out 2>err; rc=$?
same "wn-pipeline --check: exit 0 on filled.env" "$rc" 0
same "wn-pipeline --check: the same report" "$(sed 1q out)" "wn 0.1.0 configuration check"
bash "$P" --check -e "$FX/env.example" >out 2>err; same "wn-pipeline --check: exit 100 on the placeholders" "$?" 100
printf 'WN_STATE_DIR=%s/st\nthis is not a setting\n' "$T" >broken.env
bash "$P" -e broken.env >out 2>err; rc=$?
same "wn-pipeline: a broken .env is a configuration error (100)" "$rc" 100
contains "... named with its line by the tool that reads it" "$(cat err)" "broken.env:2: expected KEY=VALUE"
check "... before anything is started" test ! -e "$T/st/run"

# --- the tools' own start-up errors name variable, value and what is valid ---
export DISCORD_API_URL=http://127.0.0.1:9/api/v10
DISCORD_BOT_TOKEN=tok.abc.123456 DISCORD_CHANNEL_ID=100 WN_DISCORD_GLOBAL_LIMIT=4294967346 \
	wn-discord </dev/null >/dev/null 2>err; rc=$?
same "wn-discord: a limit that would wrap in an int: exit 100" "$rc" 100
contains "... naming it, its value and the range" "$(cat err)" \
	"WN_DISCORD_GLOBAL_LIMIT=4294967346 is out of range: 1..1000"
DISCORD_BOT_TOKEN=tok.abc.123456 DISCORD_CHANNEL_ID=general wn-discord </dev/null >/dev/null 2>err; rc=$?
same "wn-discord: a channel name for an id: exit 100" "$rc" 100
contains "... naming it, its value and the form" "$(cat err)" \
	"DISCORD_CHANNEL_ID=general is not a channel id (digits only"
DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/1/sekrit-token-xyz/extra/more \
	wn-discord </dev/null >/dev/null 2>err
case $(cat err) in *sekrit-token*) notok "a bad webhook URL is not echoed";; *) ok "a bad webhook URL is not echoed";; esac
WN_PRIORITY_SYSTEMS='J123456' wn-filter </dev/null >/dev/null 2>err; rc=$?
same "wn-filter: a system name for an id: exit 100" "$rc" 100
contains "... naming it and its value" "$(cat err)" "WN_PRIORITY_SYSTEMS=J123456 is not a list of ids"
unset DISCORD_API_URL

# --- whitespace-only values fall back in the tools themselves ---
KM=$WN_ROOT/examples/killmails.ndjson
wn-filter --map "$WN_ROOT/examples/map.json" --now 2026-03-17T19:30:00Z --no-suppress "$KM" \
	>notify.ndjson 2>/dev/null
check "the sample kills give notifications" test -s notify.ndjson
DISCORD_BOT_TOKEN=tok.abc.123456 DISCORD_CHANNEL_ID=100 DISCORD_SYSTEM_KILL_CHANNEL_ID=' ' \
	DISCORD_CHARACTER_KILL_CHANNEL_ID='	' wn-discord -n notify.ndjson >out 2>err; rc=$?
same "wn-discord: whitespace channel ids are unset (exit 0)" "$rc" 0
same "wn-discord: ... and every kill goes to the main channel" "$(jq -r .route out | sort -u)" channel:100
KILL_NOTIFICATIONS_ENABLED=' ' MAX_KILLMAIL_AGE_SECONDS='  ' CORPORATION_KILL_FOCUS=' ' \
	wn-filter --map "$WN_ROOT/examples/map.json" --now 2026-03-17T19:30:00Z --no-suppress "$KM" \
	>notify2.ndjson 2>err; rc=$?
same "wn-filter: whitespace values are unset (exit 0)" "$rc" 0
same "wn-filter: ... the defaults apply: the same notifications" \
	"$(wc -l <notify2.ndjson | tr -d ' ')" "$(wc -l <notify.ndjson | tr -d ' ')"
same "wn-filter: ... and no warning about them" "$(grep -c 'warning' err)" 0

done_testing
