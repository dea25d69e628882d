# bpfnet build. `make` builds everything into build/.
# BPF objects are compiled ahead with clang -target bpf; skeletons with bpftool.

CC	?= gcc
CLANG	?= clang
BPFTOOL	?= bpftool
B	:= build
ARCH	:= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)

CFLAGS	?= -O2 -g
CFLAGS	+= -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-format-truncation -std=gnu11 \
	   -D_GNU_SOURCE -Isrc/lib -I$(B)/skel
LDLIBS_LIB := -lbpf -lelf -lz -ljansson
BPF_CFLAGS := -O2 -g -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Isrc/lib -Isrc/lib/bpf \
	      -I/usr/include/$(MULTIARCH)

CUBES	  := $(notdir $(wildcard src/cubes/*))
BPF_SRCS  := src/lib/bpf/core.bpf.c $(foreach c,$(CUBES),src/cubes/$(c)/$(c).bpf.c)
BPF_OBJS  := $(patsubst %.bpf.c,$(B)/bpf/%.bpf.o,$(notdir $(BPF_SRCS)))
SKELS	  := $(patsubst %.bpf.c,$(B)/skel/%.skel.h,$(notdir $(BPF_SRCS)))
LIB_SRCS  := $(sort $(wildcard src/lib/*.c) $(filter-out %.bpf.c,$(wildcard src/cubes/*/*.c)))
LIB_OBJS  := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
DAEMON_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(wildcard src/daemon/*.c))
CLI_OBJS  := $(patsubst %.c,$(B)/obj/%.o,$(wildcard src/cli/*.c))
CLI_LIB_OBJS := $(filter-out $(B)/obj/src/cli/main.o,$(CLI_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(patsubst tests/bpf/%.c,$(B)/tests/%,$(BPFT_SRCS))
BENCH_SRCS := $(filter-out %.bpf.c,$(wildcard bench/*.c))
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRCS))
BENCH_BPF := $(patsubst bench/%.bpf.c,$(B)/bpf/%.bpf.o,$(wildcard bench/*.bpf.c))
BENCH_SKELS := $(patsubst $(B)/bpf/%.bpf.o,$(B)/skel/%.skel.h,$(BENCH_BPF))

.PHONY: all deps test demo bench clean install check
# skeletons and BPF objects are real products, not intermediates to delete
.SECONDARY:
all: $(B)/bpfnetd $(B)/bpfnet $(B)/polycubectl $(UNIT_BINS) $(BPFT_BINS) $(BENCH_BINS)

deps:
	@bash scripts/deps.sh

$(B)/bpf/%.bpf.o: src/lib/bpf/%.bpf.c $(wildcard src/lib/bpf/*.h src/lib/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/bpf/%.bpf.o: bench/%.bpf.c
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

define cube_bpf_rule
$(B)/bpf/$(1).bpf.o: src/cubes/$(1)/$(1).bpf.c $(wildcard src/cubes/$(1)/*.h src/lib/bpf/*.h src/lib/*.h)
	@mkdir -p $$(@D)
	$$(CLANG) $$(BPF_CFLAGS) -Isrc/cubes/$(1) -c $$< -o $$@
endef
$(foreach c,$(CUBES),$(eval $(call cube_bpf_rule,$(c))))

$(B)/skel/%.skel.h: $(B)/bpf/%.bpf.o
	@mkdir -p $(@D)
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

$(B)/obj/src/cli/%.o: src/cli/%.c $(wildcard src/cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/obj/%.o: %.c $(SKELS) $(wildcard src/lib/*.h src/cubes/*/*.h src/cli/*.h src/daemon/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/libbpfnet.a: $(LIB_OBJS)
	ar rcs $@ $^

$(B)/bpfnetd: $(DAEMON_OBJS) $(B)/libbpfnet.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_LIB) -lmicrohttpd -lpthread

$(B)/bpfnet: $(CLI_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ -ljansson -lyaml

$(B)/polycubectl: $(B)/bpfnet
	ln -sf bpfnet $@

$(B)/tests/test_cli_binary: | $(B)/bpfnet

$(B)/tests/test_cli%: tests/unit/test_cli%.c $(CLI_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc/cli -o $@ $^ -ljansson -lyaml -lcmocka

$(B)/tests/%: tests/unit/%.c $(B)/libbpfnet.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_LIB) -lcmocka

$(B)/tests/%: tests/bpf/%.c $(B)/libbpfnet.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_LIB) -lcmocka

$(B)/bench/%: bench/%.c $(BENCH_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(B)/bpf -o $@ $< -lbpf -lelf -lz

test: deps all
	@bash tests/run.sh

demo: deps all
	@bash scripts/demo.sh

bench: deps all
	@bash bench/run.sh

PREFIX ?= /usr/local
install: all
	install -D -m 0755 $(B)/bpfnetd $(DESTDIR)$(PREFIX)/sbin/bpfnetd
	install -D -m 0755 $(B)/bpfnet $(DESTDIR)$(PREFIX)/bin/bpfnet
	ln -sf bpfnet $(DESTDIR)$(PREFIX)/bin/polycubectl
	install -D -m 0644 packaging/bpfnetd.service $(DESTDIR)/etc/systemd/system/bpfnetd.service
	install -D -m 0644 packaging/bash-completion/bpfnet \
		$(DESTDIR)/usr/share/bash-completion/completions/bpfnet
	ln -sf bpfnet $(DESTDIR)/usr/share/bash-completion/completions/polycubectl

clean:
	rm -rf $(B)
