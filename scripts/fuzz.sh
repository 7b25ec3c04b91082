#!/usr/bin/env bash
# Runs every libFuzzer target for FUZZ_SECONDS (default 60) on a seed corpus made of the shipped
# scenarios, campaigns and sweeps, node presets, nvidia-smi samples, a small profiler trace, ONNX
# models, the two reference tables and the bad-input corpus.
# Findings (crash, leak, timeout, out of memory) are written to build/fuzz-findings/ and fail the
# run; so does a target that is not built.
#   scripts/fuzz.sh [BUILD_DIR]     (default build/asan: the asan preset builds the fuzzers)
#   FUZZ_TARGETS="campaign sweep" scripts/fuzz.sh    (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
seconds=${FUZZ_SECONDS:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p build/fuzz-findings "$work/scenario" "$work/node" "$work/nvidia_smi"
cp scenarios/*.yaml tests/bad-inputs/scenario-* "$work/scenario/"
cp platforms/nodes/*.yaml platforms/clusters/2x-*.yaml tests/bad-inputs/node-* tests/bad-inputs/cluster-* "$work/node/"
for f in tests/data/nvidia-smi/*.txt tests/data/nvidia-smi/real/*.txt tests/bad-inputs/nvsmi-*; do
  # the first byte picks the GPU model (odd: H100 with NVLink, even: RTX 3090)
  { printf '\001'; cat "$f"; } > "$work/nvidia_smi/$(basename "$f").h100"
  { printf '\000'; cat "$f"; } > "$work/nvidia_smi/$(basename "$f").rtx3090"
done
# campaigns and sweeps: every shipped YAML file (campaigns, sweeps, scenarios as near misses), the
# small campaign of the tests and the bad-input corpus
mkdir -p "$work/campaign" "$work/sweep"
cp scenarios/*.yaml tests/data/campaign-small.yaml tests/bad-inputs/campaign-* "$work/campaign/"
cp scenarios/*.yaml tests/bad-inputs/sweep-* "$work/sweep/"
# profiler traces: a small valid one and the bad ones
mkdir -p "$work/trace"
cp tests/data/trace-small.json tests/bad-inputs/trace-* "$work/trace/"
# ONNX: the small valid model of the corpus and the bad ONNX files
mkdir -p "$work/onnx"
cp tests/data/onnx/*.onnx tests/bad-inputs/onnx-* "$work/onnx/"
# reference rows of other models: the shipped table and the bad ones
mkdir -p "$work/reference"
cp platforms/reference/model-throughput.csv tests/bad-inputs/reference-models-* "$work/reference/"
# the ResNet-50 table: the shipped one with its setups (after a NUL byte), alone, and the bad ones
mkdir -p "$work/throughput"
{ cat platforms/reference/training-throughput.csv; printf '\000'; cat platforms/reference/training-setups.csv; } \
  > "$work/throughput/shipped-with-setups.csv"
cp platforms/reference/training-throughput.csv "$work/throughput/shipped.csv"
for d in tests/bad-inputs/reference-training-*/; do cp "$d/training-throughput.csv" "$work/throughput/$(basename "$d").csv"; done
status=0
for target in ${FUZZ_TARGETS:-scenario node nvidia_smi campaign sweep trace onnx reference throughput}; do
  bin="$build/tests/fuzz/fuzz_$target"
  if [ ! -x "$bin" ]; then
    echo "fuzz_$target: not built ($bin)"
    status=1
    continue
  fi
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
  log="$work/$target.log"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build/fuzz-findings/$target-" "$work/$target" > "$log" 2>&1; then
    status=1
    echo "fuzz_$target: FINDING (see build/fuzz-findings/)"
    grep -E "ERROR|SUMMARY" "$log" | head -5
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz_$target: $runs executions in ${seconds} s"
done
exit $status
