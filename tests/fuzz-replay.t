#!/bin/sh
# The fuzz harnesses (tests/fuzz/) without libFuzzer: each replays its
# seed corpus (built from the fixtures), the reproducers of every finding
# kept in tests/fuzz/repro/ and any corpus kept in tests/fuzz/corpus/.
# Under SANITIZE=1 this is the corpus replay under ASan and UBSan.
. "$WN_ROOT/tests/lib.sh"

for bin in "$WN_BIN"/fuzz/replay_*; do
	[ -x "$bin" ] || continue
	h=${bin##*/replay_}
	python3 "$WN_ROOT/tests/fuzz/seeds.py" "$h" "seeds-$h"
	check "$h: seeds, reproducers and corpus replay cleanly" \
		"$bin" "seeds-$h" "$WN_ROOT/tests/fuzz/repro/$h" "$WN_ROOT/tests/fuzz/corpus/$h"
done
check "every harness was built" test -x "$WN_BIN/fuzz/replay_jsonscan"
done_testing
