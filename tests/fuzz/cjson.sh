#!/bin/sh
# tests/fuzz/cjson.sh CJSON_SRC_DIR [SECONDS [NAME...]] — the JSON-heavy harnesses
# linked with a cJSON compiled from source with the same instrumentation
# (libFuzzer edges, ASan, UBSan, float-cast-overflow), instead of the
# system's uninstrumented libcjson.  Not part of `make fuzz`: the build
# uses Debian's library, and its source is not in the tree.  Give it a
# checkout of the same version (Debian bookworm ships 1.7.15).
cd "$(dirname "$0")/../.." || exit 1
src=${1:?usage: cjson.sh CJSON_SRC_DIR [SECONDS [NAME...]]}
secs=${2:-60}
shift $(($# < 2 ? $# : 2))
# every harness that parses JSON through cJSON
[ $# -gt 0 ] || set -- jsonscan killmail format phx mapapi gateway httpd kfeed esireply enrichreply

out=build/fuzz-cjson
mkdir -p "$out"
SAN="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"
CF="-g -O1 -fno-omit-frame-pointer $SAN"
clang $CF -fsanitize=fuzzer-no-link -I"$src" -c -o "$out/cJSON.o" "$src/cJSON.c" || exit 1
for n; do
	# cJSON.o first: its symbols win over the shared library's
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -Ilib -I"$src" -include "$src/cJSON.h" $CF \
		-fsanitize=fuzzer -o "$out/fuzz_$n" "tests/fuzz/fuzz_$n.c" "$out/cJSON.o" \
		build/fuzz/libwn.a -lcurl -lssl -lcrypto -lmicrohttpd -lwslay -lm || exit 1
	mkdir -p "$out/corpus/$n"
	"$out/fuzz_$n" -max_total_time="$secs" -dict=tests/fuzz/wn.dict -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$out/$n-" "$out/corpus/$n" \
		build/fuzz/corpus/$n >"$out/$n.log" 2>&1
	echo "$n: exit $? runs $(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$n.log")" \
		"cov $(grep -o 'cov: [0-9]*' "$out/$n.log" | tail -n 1)"
done
