# gongkai — plain GNU make.  `make help` lists the targets.
#
# Products go to build/ (normal) and build/asan/ (AddressSanitizer +
# UndefinedBehaviorSanitizer).  Each tests/check_*.c is its own Check
# program, so modules can add tests without touching a shared list.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
V       ?= 0

PKGS     = libxml-2.0 libzip cairo cairo-ft freetype2 harfbuzz harfbuzz-subset libunibreak libdeflate
HPDF_LIBS ?= -lhpdf

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(HPDF_LIBS) -lz -lm -lpthread
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
# Release hardening (the plain build): fortified libc calls, stack
# canaries, format checks; the program is linked with full RELRO.
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -Wformat -Wformat-security
HARDEN_LD = -Wl,-z,relro -Wl,-z,now
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) $(CFLAGS)

SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

LIB_SRC  := $(sort $(wildcard src/util/*.c src/data/*.c src/tmpl/*.c src/doc/*.c \
              src/layout/*.c src/chart/*.c src/pdf/*.c src/docx/*.c src/report/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))

B  = build
BA = build/asan
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(B)/obj/%.o)
LIB_OBJ_A := $(LIB_SRC:%.c=$(BA)/obj/%.o)
CLI_OBJ_A := $(CLI_SRC:%.c=$(BA)/obj/%.o)
SUP_OBJ   := $(TEST_SUPPORT:%.c=$(B)/obj/%.o)
SUP_OBJ_A := $(TEST_SUPPORT:%.c=$(BA)/obj/%.o)
TESTS     := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TESTS_A   := $(TEST_SRC:tests/%.c=$(BA)/tests/%)

ifeq ($(V),0)
Q = @
QCC = @printf '  CC      %s\n' $<;
QLD = @printf '  LD      %s\n' $@;
QAR = @printf '  AR      %s\n' $@;
endif

EXAMPLES := $(sort $(wildcard examples/*.json))

.PHONY: all lib deps demo check unit unit-asan e2e replay asan clean help install bench fuzz format valgrind

all: $(B)/gongkai

help:
	@echo "make demo     install missing packages, build, render every example into out/"
	@echo "make check    build and run every test (unit, ASan+UBSan, end to end)"
	@echo "make          build build/gongkai and build/libgongkai.a"
	@echo "make bench    optimised build, prints and writes bench/results.json"
	@echo "make install  PREFIX=/usr/local DESTDIR= installs program, library, headers, data"

deps:
	$(Q)scripts/install-deps

lib: $(B)/libgongkai.a

$(B)/libgongkai.a: $(LIB_OBJ)
	$(QAR)mkdir -p $(@D) && rm -f $@ && ar rcs $@ $^

$(B)/gongkai: $(CLI_OBJ) $(B)/libgongkai.a
	$(QLD)$(CC) $(ALL_CFLAGS) $(OPT) $(HARDEN) $(HARDEN_LD) -o $@ $(CLI_OBJ) $(B)/libgongkai.a $(PKG_LIBS) $(LDFLAGS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(ALL_CFLAGS) $(OPT) $(HARDEN) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BA)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(ALL_CFLAGS) -O1 -g $(SAN_FLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BA)/libgongkai.a: $(LIB_OBJ_A)
	$(QAR)mkdir -p $(@D) && rm -f $@ && ar rcs $@ $^

$(BA)/gongkai: $(CLI_OBJ_A) $(BA)/libgongkai.a
	$(QLD)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $(CLI_OBJ_A) $(BA)/libgongkai.a $(PKG_LIBS) $(LDFLAGS)

$(B)/tests/%: $(B)/obj/tests/%.o $(SUP_OBJ) $(B)/libgongkai.a
	$(QLD)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) -o $@ $< $(SUP_OBJ) $(B)/libgongkai.a $(CHECK_LIBS) $(PKG_LIBS)

$(BA)/tests/%: $(BA)/obj/tests/%.o $(SUP_OBJ_A) $(BA)/libgongkai.a
	$(QLD)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(SUP_OBJ_A) $(BA)/libgongkai.a $(CHECK_LIBS) $(PKG_LIBS)

# Render every example into out/ in every format the program supports.
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)mkdir -p out
	$(Q)$(B)/gongkai render $(EXAMPLES) -o out
	@ls -l out

# The whole suite.  Unit tests run twice: plain (Check forks per test) and
# under ASan+UBSan in one process (CK_FORK=no) so LeakSanitizer sees
# everything.  End-to-end tests drive the sanitized program.
check: deps
	$(Q)$(MAKE) --no-print-directory all $(BA)/gongkai $(TESTS) $(TESTS_A) $(REPLAY_BIN)
	$(Q)$(MAKE) --no-print-directory unit unit-asan replay e2e

unit: $(TESTS)
	$(Q)set -e; for t in $(TESTS); do echo "== $$t"; $$t; done

unit-asan: $(TESTS_A)
	$(Q)set -e; for t in $(TESTS_A); do echo "== $$t (asan+ubsan)"; \
	  CK_FORK=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $$t; done

e2e: $(B)/gongkai $(BA)/gongkai
	$(Q)GONGKAI=$(CURDIR)/$(BA)/gongkai GONGKAI_FAST=$(CURDIR)/$(B)/gongkai tests/e2e/run-all

asan: $(BA)/gongkai

# ---- fuzzing (clang libFuzzer) ----
# `make fuzz` builds every tests/fuzz/fuzz_*.c target and runs each for
# FUZZ_SECONDS with its corpus tests/corpus/<target>/ (seeded from the
# examples and templates).  Crashes land in build/fuzz/crashes/; copy each
# into tests/corpus/<target>/ once fixed: `make check` replays them all.
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BA)/replay/%)
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) -O2 -g \
              -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
              -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
LIB_OBJ_F := $(LIB_SRC:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c tests/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	$(QCC)clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/libgongkai.a: $(LIB_OBJ_F)
	$(QAR)mkdir -p $(@D) && rm -f $@ && ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c build/fuzz/libgongkai.a
	$(QLD)clang $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer -o $@ $< build/fuzz/libgongkai.a $(PKG_LIBS)

# header changes rebuild the fuzz objects too (stale objects of another
# struct layout corrupt memory in ways no sanitizer explains)
-include $(LIB_OBJ_F:.o=.d) $(FUZZ_BIN:%=%.d)

fuzz:
	$(Q)scripts/install-deps --fuzz
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BIN)
	$(Q)scripts/fuzz-run $(FUZZ_SECONDS) $(FUZZ_BIN)

$(BA)/replay/%: $(BA)/obj/tests/fuzz/%.o $(BA)/obj/tests/fuzz/replay_main.o $(BA)/libgongkai.a
	$(QLD)mkdir -p $(@D) && $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

.SECONDARY: $(FUZZ_SRC:tests/fuzz/%.c=$(BA)/obj/tests/fuzz/%.o) $(BA)/obj/tests/fuzz/replay_main.o
-include $(FUZZ_SRC:tests/fuzz/%.c=$(BA)/obj/tests/fuzz/%.d) $(BA)/obj/tests/fuzz/replay_main.d

# Every input a fuzzer ever found, replayed under ASan+UBSan (PDF and
# DOCX included for fuzz_render).
replay: $(REPLAY_BIN)
	$(Q)set -e; for t in $(REPLAY_BIN); do n=$$(basename $$t); \
	  files=$$(find tests/corpus/$$n -type f 2>/dev/null | sort); \
	  if [ -n "$$files" ]; then printf '== replay %s: ' $$n; \
	    GK_FUZZ_PDF=1 GK_FUZZ_DOCX=1 GONGKAI_DATADIR=$(CURDIR) \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $$t $$files; fi; done

# ---- valgrind (memcheck) over every example, to every format ----
# The optimised program (no sanitizers); any error or definite leak fails.
VALGRIND = valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
           --track-origins=yes --num-callers=30 --suppressions=tests/valgrind.supp -q
valgrind: $(B)/gongkai
	$(Q)command -v valgrind >/dev/null || scripts/install-deps --valgrind
	$(Q)set -e; rm -rf $(B)/valgrind; mkdir -p $(B)/valgrind; \
	for f in $(EXAMPLES); do for fmt in txt pdf docx; do \
	  printf '== valgrind render -f %s %s\n' $$fmt $$f; \
	  SOURCE_DATE_EPOCH=1700000000 $(VALGRIND) --log-file=$(B)/valgrind/$$(basename $$f .json).$$fmt.log \
	    $(B)/gongkai render -q -f $$fmt -o $(B)/valgrind $$f || \
	    { cat $(B)/valgrind/$$(basename $$f .json).$$fmt.log; exit 1; }; \
	  if [ -s $(B)/valgrind/$$(basename $$f .json).$$fmt.log ]; then \
	    cat $(B)/valgrind/$$(basename $$f .json).$$fmt.log; exit 1; fi; \
	done; done; \
	printf '== valgrind check, batch\n'; \
	$(VALGRIND) $(B)/gongkai check $(EXAMPLES) >/dev/null; \
	$(VALGRIND) $(B)/gongkai batch -q -j 1 -f txt,docx -o $(B)/valgrind/batch examples >/dev/null; \
	echo "valgrind: $(words $(EXAMPLES)) examples x 3 formats, check and batch: clean"

clean:
	rm -rf build

# The installed data folder is compiled into src/util/paths.c; a stamp
# rebuilds it when PREFIX changes.
DATADIR = $(PREFIX)/share/gongkai
$(B)/obj/src/util/paths.o $(BA)/obj/src/util/paths.o: ALL_CFLAGS += -DGK_INSTALLED_DATADIR='"$(DATADIR)"'
$(B)/obj/src/util/paths.o $(BA)/obj/src/util/paths.o: $(B)/prefix-$(subst /,_,$(PREFIX)).stamp
$(B)/prefix-%.stamp:
	@mkdir -p $(@D) && rm -f $(B)/prefix-*.stamp && touch $@

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/gongkai $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/gongkai $(DESTDIR)$(PREFIX)/bin/gongkai
	install -m 644 $(B)/libgongkai.a $(DESTDIR)$(PREFIX)/lib/libgongkai.a
	install -m 644 include/gongkai/*.h $(DESTDIR)$(PREFIX)/include/gongkai/
	cp -R templates fonts $(DESTDIR)$(DATADIR)/
	install -m 644 docs/gongkai.1 $(DESTDIR)$(PREFIX)/share/man/man1/gongkai.1
	printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: gongkai\nDescription: 部门预算/决算公开 reports from JSON as PDF and DOCX\nVersion: %s\nRequires.private: %s\nLibs: -L$${libdir} -lgongkai\nLibs.private: $(HPDF_LIBS) -lz -lm -lpthread\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' "$$(sed -n 's/^#define GK_VERSION \"\(.*\)\"/\1/p' include/gongkai/gongkai.h)" '$(PKGS)' \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/gongkai.pc

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(LIB_OBJ_A:.o=.d) $(CLI_OBJ_A:.o=.d) \
         $(TEST_SRC:tests/%.c=$(B)/obj/tests/%.d) $(TEST_SRC:tests/%.c=$(BA)/obj/tests/%.d)

# ---- benchmark (bench/, docs/BENCH.md) ----
# `make bench` builds an optimised copy of everything into build/bench/
# (-O2 -DNDEBUG, no sanitizers), grows two examples 10x and 100x
# (bench/scale.py) and runs bench/bench.c: it prints the figures beside
# the targets and writes bench/results.json.  BENCH_ARGS adds options
# (e.g. BENCH_ARGS="--reps 5 --batch 0"); SOFFICE= make bench skips LibreOffice.
# `make bench-profile` counts instructions (valgrind --tool=callgrind) of
# one example PDF+DOCX into build/bench/profile/.
BB = build/bench
BENCH_OPT = -O2 -g -DNDEBUG
LIB_OBJ_B := $(LIB_SRC:%.c=$(BB)/obj/%.o)
CLI_OBJ_B := $(CLI_SRC:%.c=$(BB)/obj/%.o)

$(BB)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(ALL_CFLAGS) $(BENCH_OPT) -MMD -MP -c -o $@ $<

$(BB)/libgongkai.a: $(LIB_OBJ_B)
	$(QAR)mkdir -p $(@D) && rm -f $@ && ar rcs $@ $^

$(BB)/gongkai: $(CLI_OBJ_B) $(BB)/libgongkai.a
	$(QLD)$(CC) $(ALL_CFLAGS) $(BENCH_OPT) -o $@ $(CLI_OBJ_B) $(BB)/libgongkai.a $(PKG_LIBS) $(LDFLAGS)

$(BB)/bench: $(BB)/obj/bench/bench.o $(BB)/libgongkai.a
	$(QLD)$(CC) $(ALL_CFLAGS) $(BENCH_OPT) -o $@ $< $(BB)/libgongkai.a $(PKG_LIBS) $(LDFLAGS)

bench: $(BB)/gongkai $(BB)/bench
	$(Q)BENCH_ARGS="$(BENCH_ARGS)" bench/run.sh

bench-profile: $(BB)/gongkai $(BB)/bench
	$(Q)bench/profile.sh

-include $(LIB_OBJ_B:.o=.d) $(CLI_OBJ_B:.o=.d) $(BB)/obj/bench/bench.d
.PHONY: bench-profile
