#!/bin/sh
# wn-status --record: the status file wn-pipeline has written for it, in
# the tools' shape, read back by wn-status itself.
. "$WN_ROOT/tests/lib.sh"
S=$WN_STATE_DIR/status

wn-status --record wn-pipeline pid=$$ state='exited: wn-enrich 137' starts=3 \
	last_exit='say "hi" \ now' mode=live; rc=$?
same "--record: exit 0" "$rc" 0
same "--record: digits are numbers, the rest strings, escaped" \
	"$(jq -c '[.tool, .pid == '$$', .state, .starts, .last_exit, (.updated | test("^[0-9-]+T[0-9:]+Z$"))]' "$S/wn-pipeline.json")" \
	'["wn-pipeline",true,"exited: wn-enrich 137",3,"say \"hi\" \\ now",true]'
same "--record: wn-status reads it back" \
	"$(wn-status -j wn-pipeline | jq -r '"\(.state) \(.starts)"')" "exited: wn-enrich 137 3"
wn-status --record wn-pipeline state=x state=y 2>err; same "a key twice: 100" "$?" 100
contains "... and why" "$(cat err)" "state given twice"
wn-status --record wn-pipeline Bad=1 2>err; same "a bad key: 100" "$?" 100
wn-status --record ../evil state=x 2>err; same "a path as tool: 100" "$?" 100
check "... and nothing written outside" test ! -e "$WN_STATE_DIR/evil.json"
wn-status --record wn-pipeline tool=other 2>/dev/null; same "tool is ours: 100" "$?" 100
long=$(head -c 300 /dev/zero | tr '\0' a)
wn-status --record wn-pipeline state=$long 2>/dev/null; same "a value too long: 100" "$?" 100
same "the file is unchanged by refused records" "$(jq -r .state "$S/wn-pipeline.json")" "exited: wn-enrich 137"
mkdir -p ro && chmod 500 ro
if [ "$(id -u)" -ne 0 ]; then
	WN_STATE_DIR=$T/ro wn-status --record wn-pipeline state=x 2>/dev/null
	same "an unwritable state directory: 111" "$?" 111
else
	WN_STATE_DIR=/proc/wn-nope wn-status --record wn-pipeline state=x 2>/dev/null
	same "an unwritable state directory: 111" "$?" 111
fi
done_testing
