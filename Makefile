# trainsim: the two set-up commands of the README, and a few more.
#   make run    install missing packages, build release, run the default comparison: the OCR
#               campaign (scenarios/ocr-campaign.yaml) on 1x RTX 3090, 4x RTX 3090 and 4x H100
#   make test   install missing packages, build, run every test (ctest)
JOBS ?= $(shell nproc)
BUILD := build/release
TRAINSIM := $(BUILD)/trainsim

.PHONY: run test deps build build-asan test-asan clean fuzz bench-decode bench-loader figures golden

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	$(TRAINSIM) compare scenarios/ocr-campaign.yaml --platform 1x-rtx3090 --platform 4x-rtx3090-pcie \
	  --platform 4x-h100-sxm-nvswitch

# Every test: the release suite, the C++ unit tests and the bad-input corpus under ASan + UBSan
# (clang), and each libFuzzer target for FUZZ_SECONDS (60 by default).
test: build build-asan
	ctest --preset release -j $(JOBS)
	ctest --preset asan -j $(JOBS)
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} scripts/fuzz.sh build/asan

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

fuzz: build-asan
	scripts/fuzz.sh build/asan

clean:
	rm -rf build

# Re-records the golden outputs of the shipped scenarios (tests/data/golden/, tests/cli/test_golden.py)
# after an intended change of the results; --slow adds the full comparison of `make run`.
golden: build
	TRAINSIM=$(CURDIR)/$(TRAINSIM) TRAINSIM_DATA=$(CURDIR) /usr/bin/python3 tests/cli/golden_outputs.py --slow

# Re-measures the data-loader costs of platforms/dataloader.yaml on this machine.
bench-decode: deps
	g++ -O2 -std=c++20 bench/decode.cpp -ljpeg -o build/decode-bench
	./build/decode-bench

# Re-measures DBNet's input pipeline and evaluation (bench/db_pipeline.py) on this machine and
# writes the costs into platforms/dataloader.yaml (its quick mode runs in make test).
bench-loader: deps
	/usr/bin/python3 bench/db_pipeline.py --write platforms/dataloader.yaml

# Re-runs the analysis notebooks at full length and refreshes docs/figures/ (docs/analysis.md).
# The executed copies, with their outputs, go to build/notebooks/; the committed notebooks stay
# without outputs.
figures: build
	for nb in analysis/notebooks/*.ipynb; do \
	  TRAINSIM=$(CURDIR)/$(TRAINSIM) TRAINSIM_DATA=$(CURDIR) PYDEVD_DISABLE_FILE_VALIDATION=1 \
	    /usr/bin/jupyter-nbconvert --to notebook --execute --output-dir build/notebooks \
	      --ExecutePreprocessor.timeout=1800 $$nb || exit 1; \
	done
