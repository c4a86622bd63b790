# onnx2mcu - an ahead-of-time ONNX to C compiler for microcontrollers.
#   make            build build/onnx2mcu
#   make test       unit tests, conformance suite and model zoo
#   make install    install into $(PREFIX)/bin (PREFIX=/usr/local)
VERSION   := 0.1.0
PREFIX    ?= /usr/local
CC        ?= cc
CFLAGS    ?= -O2 -g
PROTO_ROOT ?= /usr/include
PROTO     := $(PROTO_ROOT)/onnx/onnx.proto

B         := build
WARN      := -Wall -Wextra -Wshadow -Wno-missing-field-initializers -Wno-format-truncation
CPPFLAGS  += -I. -I$(B)/gen -DO2M_VERSION=\"$(VERSION)\" -D_POSIX_C_SOURCE=200809L
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

all: $(B)/onnx2mcu

$(B)/onnx2mcu: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/gen/onnx/onnx.pb-c.c $(B)/gen/onnx/onnx.pb-c.h: $(PROTO)
	@mkdir -p $(B)/gen
	protoc-c --c_out=$(B)/gen --proto_path=$(PROTO_ROOT) $(PROTO)

$(B)/gen/onnx/onnx.pb-c.o: $(B)/gen/onnx/onnx.pb-c.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

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

$(B)/%.o: %.c | $(B)/gen/onnx/onnx.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(CPPFLAGS) -MMD -MP -c -o $@ $<

install: $(B)/onnx2mcu
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/onnx2mcu $(DESTDIR)$(PREFIX)/bin/onnx2mcu

include test/test.mk
include bench/bench.mk

clean:
	rm -rf $(B)

.PHONY: all install clean
-include $(OBJ:.o=.d)
