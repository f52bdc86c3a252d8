# tern — build, test, demo, install.
#
#   make            build ./tern (optimised)
#   make check      build with ASan + UBSan, start the test mail servers, run every
#                   suite, stop the servers; ends with "N passed, N failed"
#   make faults     the long fault suite (tests/faults): tern sync killed, cut off and on
#                   a full disk at random, POP3 and sending killed; make check runs a short part
#   make demo       start the bundled mail servers with sample mail and open tern on them
#   make install    PREFIX (default /usr/local) and DESTDIR honoured
#   make clean
#
# Missing Debian packages are installed by scripts/install-deps (as root) first.

PREFIX  ?= /usr/local
DESTDIR ?=
CXX     ?= g++
VERSION := 0.1.0

PKGS     := libcurl openssl sqlite3 ncursesw gpgme zlib
DEPFLAGS  = -MMD -MP
WARN     := -Wall -Wextra -Werror -Wpedantic -Wshadow -Wnon-virtual-dtor
BASEFLAGS = -std=c++20 $(WARN) -Isrc -DTERN_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -lssl -lcrypto -lsqlite3 -lncursesw -ltinfo -lgpgme -lz) -lresolv

REL_FLAGS := -O2 -g
# The sanitizer build (what make check tests) compiles with clang: a third
# less time than g++ for the same flags (589 -> 385 s of CPU for the library,
# measured on 2 cores); the optimised build stays g++, so both compilers'
# warnings are errors here.
SAN_CXX   := clang++
# -g1: line tables, all a sanitizer's stack trace needs (a third less compile time than -g)
SAN_FLAGS := -O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
# The unit tests' own files build at -O0: doctest's expression templates take
# twice as long to optimise under the sanitizers (the code they test stays
# -O1). A clean make check spent 7 min 45 s compiling before these two changes.
SAN_UNIT_FLAGS := $(subst -O1,-O0,$(SAN_FLAGS))

LIB_SRCS  := $(shell find src -name '*.cpp' ! -name main.cpp | sort)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.cpp))

REL_DIR := build/release
SAN_DIR := build/san
FUZZ_DIR := build/fuzz

# libFuzzer targets build with clang; they link only the layers they test.
FUZZ_CXX    := clang++
# -O0: half the compile time, and make check fuzzes each target for 7 s only
FUZZ_FLAGS  := -O0 -g1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LINK   := -fsanitize=fuzzer,address,undefined
FUZZ_SRCS   := $(shell find src/mime src/util -name '*.cpp' | sort) src/net/imap_response.cpp src/net/smtp_protocol.cpp
FUZZ_OBJS   := $(FUZZ_SRCS:%.cpp=$(FUZZ_DIR)/%.o)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.cpp,$(FUZZ_DIR)/%,$(wildcard tests/fuzz/*.cpp))
FUZZ_SECONDS ?= 60

REL_LIB_OBJS := $(LIB_SRCS:%.cpp=$(REL_DIR)/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.cpp=$(SAN_DIR)/%.o)
SAN_UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(SAN_DIR)/%.o)

.PHONY: all deps check faults demo demo-stop install uninstall clean test-binaries fuzz bench bench-store bench-sync bench-million

all: deps tern

deps:
	@sh scripts/install-deps build

tern: $(REL_DIR)/tern
	cp $< $@

$(REL_DIR)/tern: $(REL_LIB_OBJS) $(REL_DIR)/src/main.o
	$(CXX) $(REL_FLAGS) -o $@ $^ $(LIBS) -lpthread

$(REL_DIR)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) $(REL_FLAGS) $(DEPFLAGS) -c $< -o $@

$(SAN_DIR)/tern: $(SAN_LIB_OBJS) $(SAN_DIR)/src/main.o
	$(SAN_CXX) $(SAN_FLAGS) -o $@ $^ $(LIBS) -lpthread

$(SAN_DIR)/unit-tests: $(SAN_LIB_OBJS) $(SAN_UNIT_OBJS)
	$(SAN_CXX) $(SAN_FLAGS) -o $@ $^ $(LIBS) -lpthread

$(SAN_DIR)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(SAN_CXX) $(BASEFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c $< -o $@

$(SAN_DIR)/tests/unit/%.o: tests/unit/%.cpp
	@mkdir -p $(dir $@)
	$(SAN_CXX) $(BASEFLAGS) $(SAN_UNIT_FLAGS) $(DEPFLAGS) -c $< -o $@

test-binaries: $(SAN_DIR)/tern $(SAN_DIR)/unit-tests $(FUZZ_TARGETS)

$(FUZZ_DIR)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(BASEFLAGS) $(FUZZ_FLAGS) $(DEPFLAGS) -c $< -o $@

$(FUZZ_DIR)/%: $(FUZZ_DIR)/tests/fuzz/%.o $(FUZZ_OBJS)
	$(FUZZ_CXX) $(FUZZ_LINK) -o $@ $^

$(REL_DIR)/mime_parse: $(REL_DIR)/bench/mime_parse.o $(REL_LIB_OBJS)
	$(CXX) $(REL_FLAGS) -o $@ $^ $(LIBS) -lpthread

$(REL_DIR)/store_ops: $(REL_DIR)/bench/store_ops.o $(REL_LIB_OBJS)
	$(CXX) $(REL_FLAGS) -o $@ $^ $(LIBS) -lpthread

$(REL_DIR)/ui_keys: $(REL_DIR)/bench/ui_keys.o $(REL_LIB_OBJS)
	$(CXX) $(REL_FLAGS) -o $@ $^ $(LIBS) -lpthread

# Benchmarks report, they do not pass or fail (see bench/README).
bench: deps $(REL_DIR)/mime_parse
	@bash bench/run-mime

# tern against neomutt on a generated folder (COUNT messages, default 10000)
bench-store: deps $(REL_DIR)/tern $(REL_DIR)/store_ops $(REL_DIR)/ui_keys
	@bash bench/run-store $(COUNT)

# a million messages in one folder: the reader against neomutt (bench/run-million)
bench-million: deps $(REL_DIR)/tern $(REL_DIR)/ui_keys
	@bash bench/run-million

# tern sync against mbsync on a loopback Dovecot (COUNT messages, default 10000)
bench-sync: deps $(REL_DIR)/tern
	@bash bench/run-sync $(COUNT)

# A longer fuzzing run than make check's (FUZZ_SECONDS per target).
fuzz:
	@sh scripts/install-deps test
	@$(MAKE) --no-print-directory -j$$(nproc) $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

# The sanitizer build is what the suites test.
check:
	@sh scripts/install-deps test
	@$(MAKE) --no-print-directory -j$$(nproc) test-binaries
	@TERN=$(CURDIR)/$(SAN_DIR)/tern UNIT_TESTS=$(CURDIR)/$(SAN_DIR)/unit-tests bash tests/run-all

# FAULT_SEED=N replays a run; each session prints its seed and kill window.
faults:
	@sh scripts/install-deps test
	@$(MAKE) --no-print-directory -j$$(nproc) $(SAN_DIR)/tern
	@ONLY=faults FAULT_SESSIONS=$${FAULT_SESSIONS:-10} FAULT_KILLS=$${FAULT_KILLS:-20} TERN=$(CURDIR)/$(SAN_DIR)/tern bash tests/run-all

demo: all
	@sh scripts/install-deps test
	@bash tests/servers/demo.sh start

demo-stop:
	@bash tests/servers/demo.sh stop

# INSTALL_BIN: the binary to install (tests install the one they built)
INSTALL_BIN ?= tern
install: $(INSTALL_BIN)
	install -d -m 755 $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/doc/tern
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/tern
	install -m 644 man/tern.1 $(DESTDIR)$(PREFIX)/share/man/man1/tern.1
	install -m 644 man/tern.5 $(DESTDIR)$(PREFIX)/share/man/man5/tern.5
	install -m 644 config.example $(DESTDIR)$(PREFIX)/share/doc/tern/config.example

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tern $(DESTDIR)$(PREFIX)/share/man/man1/tern.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/tern.5 $(DESTDIR)$(PREFIX)/share/doc/tern/config.example
	-rmdir $(DESTDIR)$(PREFIX)/share/doc/tern 2>/dev/null

clean:
	rm -rf build tern

.SECONDARY:

-include $(shell find build -name '*.d' -type f 2>/dev/null)
