# tests/fuzz/fuzz.mk — included by the Makefile.  Every tests/fuzz/fuzz_*.c
# is a libFuzzer harness over one parser's pure entry point.
#  - `make build` links each with replay.c (gcc, the normal flags), so
#    `make check` (tests/fuzz-replay.t) replays the seed corpus and the
#    kept reproducers, under ASan+UBSan with SANITIZE=1;
#  - `make fuzz` builds them with clang and libFuzzer (ASan, UBSan,
#    float-cast-overflow), runs each for FUZZ_SECONDS and writes a
#    coverage summary (tests/fuzz/run.sh).  The normal build stays on gcc.

FUZZ_NAMES   = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY  = $(addprefix $(B)/fuzz/replay_,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60
FUZZ_PKGS    = clang llvm
FUZZ_CC      = clang
FUZZ_SAN     = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
FUZZ_CFLAGS  = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
COV_CFLAGS   = -g -O0 -fprofile-instr-generate -fcoverage-mapping

.PHONY: fuzz fuzz-build
build: $(FUZZ_REPLAY)

$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libwn.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libwn.a $(PKG_LIBS) $(LDLIBS)

# --- the clang builds: libFuzzer, and source-based coverage ---
build/fuzz/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libwn.a: $(patsubst lib/%.c,build/fuzz/lib/%.o,$(LIBSRC))
	@rm -f $@
	$(AR) rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h build/fuzz/libwn.a
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libwn.a $(PKG_LIBS) $(LDLIBS)

build/fuzzcov/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(COV_CFLAGS) -c -o $@ $<

build/fuzzcov/libwn.a: $(patsubst lib/%.c,build/fuzzcov/lib/%.o,$(LIBSRC))
	@rm -f $@
	$(AR) rcs $@ $^

build/fuzzcov/cov_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h build/fuzzcov/libwn.a
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(COV_CFLAGS) -o $@ $< tests/fuzz/replay.c build/fuzzcov/libwn.a $(PKG_LIBS) $(LDLIBS)

fuzz-build: $(addprefix build/fuzz/fuzz_,$(FUZZ_NAMES)) $(addprefix build/fuzzcov/cov_,$(FUZZ_NAMES))

# `make fuzz [FUZZ_SECONDS=60] [FUZZ=name...]`
fuzz:
	@sh tests/deps.sh $(DEBIAN_PKGS) $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh $(or $(FUZZ),$(FUZZ_NAMES))
