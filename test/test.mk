# test/test.mk - the test suite. `make test` runs every part and fails if any fails
# or if a part runs no test at all.
# the node tests live next to the project (../shared); a clone elsewhere finds them at
# the machine's shared location
CONFORMANCE_DIR ?= $(firstword $(wildcard ../shared/onnx-node-tests/node \
	../../shared/onnx-node-tests/node /work/shared/onnx-node-tests/node) \
	../shared/onnx-node-tests/node)
UNIT_SRC  := $(wildcard test/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:test/unit/%.c=$(B)/test/%)
RT_OBJ    := $(RT:%.c=$(B)/%.o)

test: unit lint errors link integration pernode fixtures frontend ops conformance zoo qmodels \
	qcalib firmware-test q8dsp fasm target-validate html-report

# the builds of the suites on every core (the suites run one after another and each
# takes the cores itself)
NPROC := $(shell nproc 2>/dev/null || echo 2)

unit:
	$(MAKE) -j$(NPROC) B=$(B) $(UNIT_BIN) $(B)/onnx2mcu $(B)/test/plan-check
	@for t in $(UNIT_BIN); do echo "== $$t"; $$t || exit 1; done
	@for f in test/plan/cases/*.json; do \
		case $$(basename $$f) in ok_*) want=0 ;; *) want=1 ;; esac; \
		$(B)/test/plan-check $$f >/dev/null 2>&1; rc=$$?; \
		[ $$rc -eq $$want ] || { echo "plan-check on $$f: exit $$rc, not $$want"; exit 1; }; \
	done; echo "plan-check: its cases (test/plan/cases) pass and fail as named"
	test/unit/runtime-symbols.sh $(B)/test/test_core $(RT_OBJ)
	@$(B)/onnx2mcu ops --markdown | diff -u docs/ops.md - >/dev/null || \
		{ echo "docs/ops.md is out of date: run make docs"; exit 1; }
	@echo "docs/ops.md matches the op table"
	@$(B)/onnx2mcu rules --markdown | diff -u docs/rules.md - >/dev/null || \
		{ echo "docs/rules.md is out of date: run make docs"; exit 1; }
	@echo "docs/rules.md matches the rule tables"
	@$(B)/onnx2mcu mcus --markdown | diff -u docs/mcus.md - >/dev/null || \
		{ echo "docs/mcus.md is out of date: run make docs"; exit 1; }
	@echo "docs/mcus.md matches cli/mcus.def"

docs: $(B)/onnx2mcu
	$(B)/onnx2mcu ops --markdown >docs/ops.md
	$(B)/onnx2mcu rules --markdown >docs/rules.md
	$(B)/onnx2mcu mcus --markdown >docs/mcus.md

$(B)/test/%: test/unit/%.c $(wildcard test/unit/*.h) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 $(WARN) $(CPPFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

# the generated C of 1802 small tests is built at -O0: gcc takes a third of the time
# (the zoo, link, firmware and target suites build at -O2)
CONFORMANCE_CFLAGS ?= -std=c99 -O0 -Wall -Wextra -Werror -pedantic
conformance: $(B)/onnx2mcu $(B)/test/plan-check
	CONFORMANCE_CFLAGS="$(CONFORMANCE_CFLAGS)" PLAN_CHECK=$(B)/test/plan-check \
		test/conformance/run.sh $(B)/onnx2mcu $(CONFORMANCE_DIR)

zoo: $(B)/onnx2mcu $(B)/test/plan-check
	PLAN_CHECK=$(B)/test/plan-check test/models/run.sh $(B)/onnx2mcu

# the independent memory plan checker (shares no code with the compiler)
$(B)/test/plan-check: test/plan/check.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c99 -Wall -Wextra -Werror -pedantic -o $@ $< -lcjson

# onnxruntime-quantized models (QDQ and QOperator): integer-only code within one
# quantization step of onnxruntime's outputs
qmodels: $(B)/onnx2mcu
	sh test/qmodels/run.sh $(B)/onnx2mcu

# float models quantized by the compiler from calibration samples: integer-only, SQNR,
# arena, weights and (digits) accuracy against float
qcalib: $(B)/onnx2mcu
	sh test/qmodels/calib.sh $(B)/onnx2mcu

# the Arm DSP paths of the int8 kernels bit for bit against the portable C, on QEMU's
# Cortex-M4 and M7 (a few seconds)
q8dsp:
	sh test/q8dsp/run.sh

# the float kernels' Arm FPU assembly against their portable C on QEMU's M4, M7, M33, M55
fasm:
	sh test/fasm/run.sh

# validate --target on QEMU's Cortex-M3, M4, M7, M33 and M55 (about a minute)
target-validate: $(B)/onnx2mcu
	test/target/run.sh $(B)/onnx2mcu

# compile --report-html: the pages in headless Chromium (console, DOM, screenshot),
# names escaped, written whole (a few seconds)
html-report: $(B)/onnx2mcu
	test/html/run.sh $(B)/onnx2mcu

.PHONY: test unit conformance zoo qmodels qcalib q8dsp fasm target-validate docs html-report

# bad input, against a compiler built with ASan and UBSan: never a crash
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
errors:
	$(MAKE) -s -j$(NPROC) B=$(B)/asan CFLAGS="$(ASAN_FLAGS)" $(B)/asan/onnx2mcu
	test/errors/run.sh $(B)/asan/onnx2mcu

link: $(B)/onnx2mcu $(B)/test/plan-check
	PLAN_CHECK=$(B)/test/plan-check test/link/run.sh $(B)/onnx2mcu $(CONFORMANCE_DIR)

# static analysis: cppcheck over every C file of the repository; a finding fails, and
# each one accepted is in test/cppcheck.supp with its reason
CPPCHECK := cppcheck -q -j2 --enable=warning,portability --inline-suppr --error-exitcode=1 \
	--suppressions-list=test/cppcheck.supp -I. -I$(B)/gen -Iruntime-stub -Itest/unit
lint: $(B)/gen/onnx/onnx.pb-c.h $(B)/gen/o2m_version.h
	$(CPPCHECK) --std=c11 -D_POSIX_C_SOURCE=200809L cli frontend ir passes codegen test bench
	$(CPPCHECK) --std=c99 runtime-stub examples
	@echo "lint: cppcheck $$(cppcheck --version | cut -d' ' -f2): $$(find cli frontend ir \
		passes codegen test bench runtime-stub examples -name '*.c' | wc -l) files, no finding"

# the Make and CMake recipes of docs/firmware.md, from a clean build folder
integration: $(B)/onnx2mcu
	test/integration/run.sh $(B)/onnx2mcu

pernode: $(B)/onnx2mcu
	test/pernode/run.sh $(B)/onnx2mcu

# op fixtures with numpy or torch references: recurrent nets, quantization, indexing,
# matrix products and normalization, control flow and sequences
FIXTURE_DIRS := test/rnn test/quant test/index test/matmul test/flow
fixtures: $(B)/onnx2mcu
	test/fixtures/run.sh $(B)/onnx2mcu $(FIXTURE_DIRS)

# the frontend fixtures (initializers, external data, functions, old opsets, odd types,
# shapes and names), through a compiler built with ASan and UBSan as well
frontend:
	$(MAKE) -s -j$(NPROC) B=$(B)/asan CFLAGS="$(ASAN_FLAGS)" $(B)/asan/onnx2mcu
	test/frontend/run.sh $(B)/asan/onnx2mcu

# adversarial fixtures of the elementwise and data-movement ops; the compiler (which
# folds constants with the kernels) and the generated code both under ASan and UBSan
ops:
	$(MAKE) -s -j$(NPROC) B=$(B)/asan CFLAGS="$(ASAN_FLAGS)" $(B)/asan/onnx2mcu
	test/ops/run.sh $(B)/asan/onnx2mcu

.PHONY: errors lint link integration pernode fixtures frontend ops

firmware-test: $(B)/onnx2mcu
	test/firmware/run.sh $(B)/onnx2mcu

# the main job on the bundled example: ONNX in, C out, compiled, run, result printed
DEMO_MODEL := test/models/digits_cnn
demo: $(B)/onnx2mcu
	@mkdir -p $(B)/demo
	$(B)/onnx2mcu compile $(DEMO_MODEL)/model.onnx -o $(B)/demo/gen -n model
	$(CC) -std=c99 -O2 -I$(B)/demo/gen $(B)/demo/gen/*.c examples/host/main.c -o $(B)/demo/classify -lm
	$(B)/onnx2mcu tensor $(DEMO_MODEL)/test_data_set_0/input_0.pb --raw $(B)/demo/digit.bin
	@echo "--- the generated C on a held-out handwritten digit; its true label is" \
		"$$(cat $(DEMO_MODEL)/test_data_set_0/label.txt):"
	$(B)/demo/classify $(B)/demo/digit.bin

.PHONY: firmware-test demo

# libFuzzer over the compile path (clang, ASan and UBSan): FUZZ_TIME seconds on a corpus
# seeded from test/fuzz/corpus and test/errors; new findings land in build/fuzz/corpus
FUZZ_TIME  ?= 60
FUZZ_JOBS  ?= 1
FUZZ_ARGS  ?=
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ   := $(patsubst $(B)/%,$(B)/fuzz/%,$(LIB_OBJ))
fuzz: fuzz-build
	mkdir -p $(B)/fuzz/corpus
	for f in test/fuzz/corpus/* test/errors/*.onnx test/frontend/*/model.onnx; do \
		case $$f in *_weights.onnx) continue;; esac; \
		cp "$$f" $(B)/fuzz/corpus/$$(echo "$$f" | tr / _); done
	cd $(B)/fuzz && ./compile -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 \
		-rss_limit_mb=4096 -close_fd_mask=3 -print_final_stats=1 \
		$(if $(filter-out 1,$(FUZZ_JOBS)),-jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)) \
		$(FUZZ_ARGS) -artifact_prefix=./ corpus
	@if [ "$(FUZZ_JOBS)" -gt 1 ]; then tail -n 6 $(B)/fuzz/fuzz-*.log; \
	 awk '/^stat::number_of_executed_units/ { n += $$2 } END { print "executions in all: " n }' \
		$(B)/fuzz/fuzz-*.log; fi

fuzz-build:
	$(MAKE) -s B=$(B)/fuzz CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" fuzz-objs
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) -I$(B)/fuzz/gen -o $(B)/fuzz/compile \
		test/fuzz/fuzz_compile.c $(FUZZ_OBJ) $(LDLIBS)

fuzz-objs: $(LIB_OBJ)

.PHONY: fuzz fuzz-build fuzz-objs
