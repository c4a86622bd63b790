# onnx2mcu - an ahead-of-time ONNX to C compiler for microcontrollers.
#   make            build build/onnx2mcu
#   make test       unit tests, conformance suite and model zoo
#   make install    install into $(DESTDIR)$(PREFIX) (PREFIX=/usr/local): the binary, its
#                   man page, bash completion and CMake module (cmake/)
VERSION   := 0.1.0
PREFIX    ?= /usr/local
CC        ?= cc
CFLAGS    ?= -O2 -g
PROTO_ROOT ?= /usr/include
PROTO     := $(PROTO_ROOT)/onnx/onnx.proto

B         := build
WARN      := -Wall -Wextra -Wshadow -Wno-missing-field-initializers -Wno-format-truncation
CPPFLAGS  += -I. -I$(B)/gen -D_POSIX_C_SOURCE=200809L
# built from a git checkout, the version carries the revision (and .dirty when tracked
# files differ from it): 0.1.0+0123456789ab; from an exported tree, just 0.1.0
GIT_REV   := $(if $(filter $(CURDIR),$(shell git rev-parse --show-toplevel 2>/dev/null)),$(shell \
             git rev-parse --short=12 HEAD 2>/dev/null))
FULL_VERSION := $(VERSION)$(if $(GIT_REV),+$(GIT_REV)$(shell git diff --quiet HEAD -- \
             2>/dev/null || echo .dirty))
# the kernels are generated code too: they build as strictly as what we emit
RT_FLAGS  := -std=c99 -pedantic -Wall -Wextra -Wshadow -Wconversion -Werror
LDLIBS    := -lprotobuf-c -lcjson -lm

SRC       := $(wildcard cli/*.c frontend/*.c ir/*.c passes/*.c codegen/*.c)
RT        := $(wildcard runtime-stub/*.c)
RT_FILES  := $(sort $(wildcard runtime-stub/*.c runtime-stub/*.h))
# the bare-metal harness of examples/firmware, which validate --target builds
HARNESS   := $(sort $(wildcard examples/firmware/boards/*))
OBJ       := $(SRC:%.c=$(B)/%.o) $(RT:%.c=$(B)/%.o) $(B)/gen/onnx/onnx.pb-c.o \
             $(B)/gen/runtime_files.o $(B)/gen/harness_files.o
LIB_OBJ   := $(filter-out $(B)/cli/% $(B)/gen/harness_files.o,$(OBJ))

all: $(B)/onnx2mcu $(B)/onnx2mcu.1 $(B)/onnx2mcu.bash

$(B)/onnx2mcu: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/gen/onnx/onnx.pb-c.c $(B)/gen/onnx/onnx.pb-c.h: $(PROTO)
	@mkdir -p $(B)/gen
	protoc-c --c_out=$(B)/gen --proto_path=$(PROTO_ROOT) $(PROTO)

$(B)/gen/onnx/onnx.pb-c.o: $(B)/gen/onnx/onnx.pb-c.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

# rewritten only when the version changes, so only what prints it is rebuilt
$(B)/gen/o2m_version.h: FORCE
	@mkdir -p $(B)/gen
	@echo '#define O2M_VERSION "$(FULL_VERSION)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

$(B)/gen/runtime_files.c: $(RT_FILES) scripts/embed-runtime
	@mkdir -p $(B)/gen
	scripts/embed-runtime $@ $(RT_FILES)

$(B)/gen/harness_files.c: $(HARNESS) scripts/embed-runtime
	@mkdir -p $(B)/gen
	scripts/embed-runtime -n harness $@ $(HARNESS)

$(B)/gen/%_files.o: $(B)/gen/%_files.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(B)/runtime-stub/%.o: runtime-stub/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(RT_FLAGS) -MMD -MP -c -o $@ $<

$(B)/%.o: %.c | $(B)/gen/onnx/onnx.pb-c.h $(B)/gen/o2m_version.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(CPPFLAGS) -MMD -MP -c -o $@ $<

# the man page and the bash completion are made of the help texts
$(B)/onnx2mcu.1: $(B)/onnx2mcu scripts/gen-man scripts/help-options
	scripts/gen-man $(B)/onnx2mcu $(VERSION) >$@.tmp && mv $@.tmp $@

$(B)/onnx2mcu.bash: $(B)/onnx2mcu scripts/gen-completion scripts/help-options
	scripts/gen-completion $(B)/onnx2mcu >$@.tmp && mv $@.tmp $@

CMAKE_DIR := $(PREFIX)/lib/cmake/onnx2mcu
install: $(B)/onnx2mcu $(B)/onnx2mcu.1 $(B)/onnx2mcu.bash
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(CMAKE_DIR)
	install -m 755 $(B)/onnx2mcu $(DESTDIR)$(PREFIX)/bin/onnx2mcu
	install -m 644 $(B)/onnx2mcu.1 $(DESTDIR)$(PREFIX)/share/man/man1/onnx2mcu.1
	install -m 644 $(B)/onnx2mcu.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/onnx2mcu
	install -m 644 cmake/Onnx2mcu.cmake cmake/onnx2mcu-config.cmake $(DESTDIR)$(CMAKE_DIR)

include test/test.mk
include bench/bench.mk

clean:
	rm -rf $(B)

FORCE:
.PHONY: all install clean FORCE
-include $(OBJ:.o=.d)
