# wn — plain make. Every cmd/wn-*.c is a tool, every lib/*.c goes into
# libwn.a, every tests/check_*.c is a Check suite, every tests/*.t a shell test.

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
PKGS     = libcurl libcjson openssl libmicrohttpd
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -DWN_VERSION='"$(VERSION)"' -Ilib
LDLIBS  += -lwslay -lm

ifeq ($(SANITIZE),1)
B        = build/san
# gcc leaves float-cast-overflow out of "undefined": named here, so a cast
# of an out-of-range double fails the suite too; every finding is fatal.
SAN      = address,undefined,float-cast-overflow
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
else
B        = build/rel
endif

# Lazily expanded, so pkg-config runs only after `deps` has installed it.
PKG_CFLAGS   = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS     = $(shell pkg-config --libs $(PKGS))
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)

TOOLS   = $(patsubst cmd/%.c,%,$(wildcard cmd/wn-*.c))
LIBSRC  = $(wildcard lib/*.c)
LIBOBJ  = $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBSRC))
CHECKS  = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/check_*.c))
MAN1    = $(wildcard man/*.1)
MAN5    = $(wildcard man/*.5)
MAN7    = $(wildcard man/*.7)

DEBIAN_PKGS = build-essential pkg-config libcurl4-openssl-dev libcjson-dev \
	libwslay-dev libssl-dev check python3 python3-websockets mandoc jq \
	valgrind ca-certificates curl bc xz-utils runit s6 systemd bzip2 procps \
	libmicrohttpd-dev chromium

# `make demo` needs only the compiler and libraries (jq pretty-prints).
DEMO_PKGS = build-essential pkg-config libcurl4-openssl-dev libcjson-dev \
	libwslay-dev libssl-dev jq

.PHONY: all build tools check valgrind demo deps deps-demo install uninstall clean lint bench
# `all` first makes sure the packages are there, then builds in a sub-make
# so every compile sees pkg-config's answer.
all: deps
	@$(MAKE) --no-print-directory build

build: tools $(CHECKS)

tools: $(addprefix $(B)/,$(TOOLS))

$(B)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/libwn.a: $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/wn-%: cmd/wn-%.c $(B)/libwn.a lib/*.h
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/libwn.a $(PKG_LIBS) $(LDLIBS)

$(B)/tests/check_%: tests/check_%.c $(B)/libwn.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(B)/libwn.a $(PKG_LIBS) $(CHECK_LIBS) $(LDLIBS)

include tests/fuzz/fuzz.mk

# Installs missing build dependencies when run as root; otherwise says how.
deps:
	@sh tests/deps.sh $(DEBIAN_PKGS)

deps-demo:
	@sh tests/deps.sh $(DEMO_PKGS)

check: all
	@WN_BIN=$(CURDIR)/$(B) WN_SANITIZE=$(SANITIZE) WN_VALGRIND=$(VALGRIND) sh tests/run $(T)

# The Check suites under valgrind (memcheck, definite leaks are errors).
valgrind: all
	@WN_BIN=$(CURDIR)/$(B) WN_VALGRIND=1 sh tests/run check_

demo: deps-demo
	@$(MAKE) --no-print-directory tools
	@WN_BIN=$(CURDIR)/$(B) sh examples/demo.sh

lint:
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)

bench: all
	@for b in bench/*.sh; do WN_BIN=$(CURDIR)/$(B) sh $$b || exit 1; done

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for t in $(TOOLS); do install -m 755 $(B)/$$t $(DESTDIR)$(BINDIR)/$$t; done
	install -m 755 pipeline.sh $(DESTDIR)$(BINDIR)/wn-pipeline
	install -m 755 replay-feed.sh $(DESTDIR)$(BINDIR)/wn-replay-feed
	[ -z "$(MAN1)" ] || install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	[ -z "$(MAN5)" ] || install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	[ -z "$(MAN7)" ] || install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	rm -f $(DESTDIR)$(BINDIR)/wn-pipeline $(DESTDIR)$(BINDIR)/wn-replay-feed
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done
	for m in $(MAN7); do rm -f $(DESTDIR)$(MANDIR)/man7/$${m#man/}; done

clean:
	rm -rf build
