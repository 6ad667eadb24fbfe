# tend: build, test, install.  GNU Make and pkg-config.
#
#   make            build ./tend
#   make deps       install the missing Debian packages (the one list)
#   make run        deps, build, then `tend today` on the default database
#   make test       unit + CLI tests, normal and ASan/UBSan builds
#   make bench      the benchmarks (bench/RESULTS.md)
#   make fuzz       each libFuzzer target for FUZZ_TIME seconds (clang)
#   make install PREFIX=/usr/local

PREFIX	?= /usr/local
CC	?= cc
PKGS	 = sqlite3 jansson libical libsodium inih
# The mail plugin's own (src/mail/plugin.h): loaded by the mail commands
# only, so that their fifty-odd libraries do not slow every command.
MAIL_PKGS = gmime-3.0 libcurl
TEST_PKGS = cmocka

# The Debian packages tend needs to build, test and benchmark.
DEBS	 = build-essential pkg-config libsqlite3-dev sqlite3 libjansson-dev \
	   libical-dev libcsv-dev libcmocka-dev tzdata hyperfine python3 \
	   python3-vobject python3-icalendar clang libclang-rt-14-dev \
	   libgmime-3.0-dev libcurl4-openssl-dev libsodium-dev postfix \
	   python3-aiosmtpd dovecot-imapd libinih-dev

WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wformat=2
CSTD	 = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(MAIL_PKGS) 2>/dev/null)
# libcsv has no pkg-config file.
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread
MAIL_LIBS  := $(shell pkg-config --libs $(MAIL_PKGS) 2>/dev/null)
LIBDIR	 = $(PREFIX)/lib/tend
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

# Two flavours share one rule set: build/normal and build/asan.
FLAVOUR	?= normal
# A third, build/fuzz, is the library built by clang for libFuzzer.
ifeq ($(FLAVOUR),asan)
OPT	 = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	   -fno-sanitize-recover=all
else ifeq ($(FLAVOUR),fuzz)
CC	 = clang
OPT	 = -O1 -g -fno-omit-frame-pointer \
	   -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
else
OPT	 = -O2 -g
endif
B	 = build/$(FLAVOUR)
CFLAGS	+= $(CSTD) $(WARN) $(OPT) -fPIC -Isrc -I$(B)/gen $(PKG_CFLAGS) \
	   -DTEND_LIBDIR='"$(LIBDIR)"'
LDFLAGS	+= $(OPT)

MAIL_SRC = src/mail/mime.c src/mail/smtp.c src/mail/parse.c src/mail/imap.c \
	   src/mail/url.c \
	   src/mail/plugin-entry.c
MAIL_OBJ = $(MAIL_SRC:%.c=$(B)/%.o)
LIB_SRC	 = $(filter-out src/cli/main.c $(MAIL_SRC), \
	   $(shell find src -name '*.c' | sort))
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/migrations.o
MAIN_OBJ = $(B)/src/cli/main.o
MIGRATIONS = $(sort $(wildcard src/store/migrations/*.sql))
UNIT_SRC = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_BIN = $(B)/bench/gen
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/tests/%)
FUZZ_TIME ?= 300

.PHONY: all deps run test test-flavour unit-bins bench bench-data install \
	clean check-deps fuzz fuzz-bins
all: tend

tend: $(B)/tend $(B)/tend-mail.so
	@if [ "$(FLAVOUR)" = normal ]; then \
	    cp $(B)/tend tend; cp $(B)/tend-mail.so tend-mail.so; fi

$(B)/tend: $(MAIN_OBJ) $(B)/libtend.a $(B)/tend-mail.so
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(B)/libtend.a $(PKG_LIBS)

# The mail plugin: its code, and the two small util files it uses.
$(B)/tend-mail.so: $(MAIL_OBJ) $(B)/src/util/err.o $(B)/src/util/xmalloc.o
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,--no-undefined -Wl,-Bsymbolic -o $@ \
	    $^ $(MAIL_LIBS) -lpthread

$(B)/libtend.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(LIB_OBJ)

# V=1 shows the full commands.
Q	 = $(if $(V),,@)

$(B)/%.o: %.c $(B)/gen/migrations.h
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $(B)/$<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Migrations are compiled in: each .sql file becomes a C string.
# One run writes both files (a grouped target, so -j runs it once).
$(B)/gen/migrations.c $(B)/gen/migrations.h &: $(MIGRATIONS) tools/embed-sql.sh
	@mkdir -p $(B)/gen
	$(Q)sh tools/embed-sql.sh $(B)/gen $(MIGRATIONS)

$(B)/gen/migrations.o: $(B)/gen/migrations.c
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests link the mail plugin's objects themselves (no dlopen).
$(B)/tests/%: tests/unit/%.c $(B)/libtend.a $(MAIL_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(MAIL_OBJ) \
	    $(B)/libtend.a $(PKG_LIBS) $(MAIL_LIBS) $(TEST_LIBS)

build/fuzz/tests/fuzz-%: tests/fuzz/fuzz-%.c build/fuzz/libtend.a $(MAIL_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(MAIL_OBJ) \
	    build/fuzz/libtend.a $(PKG_LIBS) $(MAIL_LIBS)

fuzz-bins: $(FUZZ_BIN)

$(B)/bench/gen: bench/gen.c $(B)/libtend.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(B)/libtend.a $(PKG_LIBS)

# Like the unit tests, it links the mail plugin's objects (no dlopen).
$(B)/bench/classify: bench/classify.c $(B)/libtend.a $(MAIL_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(MAIL_OBJ) $(B)/libtend.a $(PKG_LIBS) \
	    $(MAIL_LIBS)

unit-bins: $(UNIT_BIN) $(B)/tend

-include $(shell find $(B) -name '*.d' 2>/dev/null)

deps:
	@sh tools/deps.sh $(DEBS)

run: deps
	@$(MAKE) --no-print-directory tend
	./tend today

# Every test, in both flavours; tests/run.sh prints "N passed, N failed".
test:
	@$(MAKE) --no-print-directory FLAVOUR=normal unit-bins tend
	@$(MAKE) --no-print-directory FLAVOUR=asan unit-bins
	@$(MAKE) --no-print-directory FLAVOUR=fuzz fuzz-bins
	@FUZZ_TIME=$${FUZZ_TIME:-10} sh tests/run.sh build/normal build/asan \
	    build/fuzz

# Longer fuzzing: make fuzz FUZZ_TIME=3600
fuzz:
	@$(MAKE) --no-print-directory FLAVOUR=fuzz fuzz-bins
	@FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh $(FUZZ_BIN)

bench:
	@$(MAKE) --no-print-directory FLAVOUR=normal tend $(B)/bench/gen \
	    $(B)/bench/classify
	@sh bench/run.sh
	@sh bench/import.sh
	@sh bench/mail.sh
	@sh bench/inbound.sh

N	?= 10000
OUT	?= bench-$(N).db
bench-data:
	@$(MAKE) --no-print-directory FLAVOUR=normal $(B)/bench/gen
	$(B)/bench/gen -n $(N) -o $(OUT)

install: $(B)/tend $(B)/tend-mail.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(LIBDIR)
	install -m 755 $(B)/tend $(DESTDIR)$(PREFIX)/bin/tend
	install -m 644 $(B)/tend-mail.so $(DESTDIR)$(LIBDIR)/tend-mail.so
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build tend tend-mail.so
