# trainsim: the two set-up commands of the README, and a few more.
#   make run    install missing packages, build release, run the default comparison: the OCR
#               campaign (scenarios/ocr-campaign.yaml) on 1x RTX 3090, 4x RTX 3090 and 4x H100
#   make test   install missing packages, build, run every test (ctest)
JOBS ?= $(shell nproc)
BUILD := build/release
TRAINSIM := $(BUILD)/trainsim

.PHONY: run test deps build build-asan test-asan clean fuzz bench-decode

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	$(TRAINSIM) compare scenarios/ocr-campaign.yaml --platform 1x-rtx3090 --platform 4x-rtx3090-pcie \
	  --platform 4x-h100-sxm-nvswitch

test: build
	ctest --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS) -L unit

clean:
	rm -rf build

# Re-measures the data-loader costs of platforms/dataloader.yaml on this machine.
bench-decode: deps
	g++ -O2 -std=c++20 bench/decode.cpp -ljpeg -o build/decode-bench
	./build/decode-bench
