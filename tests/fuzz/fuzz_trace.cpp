// Fuzzes the Kineto trace reader, the per-step summary and the prediction on another GPU (an
// RTX 2080 Ti trace predicted on an H100 when the trace names no catalog GPU).
#include "fuzz_common.hpp"
#include "sim/import/kineto_reader.hpp"
#include "sim/workload/trace_predict.hpp"
#include "sim/workload/trace_workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    const KernelTrace t = io::parse_kineto_trace(text, "fuzz.json");
    (void)summarise(t, measured_timeline(t));
    const Catalog& c = fuzz::catalog();
    const GpuSpec& source = match_trace_gpu(t, c, t.device.empty() ? "rtx2080ti" : "");
    const GpuSpec& target = c.gpu("h100-sxm5-80gb");
    const GpuPair pair{source, c.generation_of(source), target, c.generation_of(target)};
    (void)summarise(t, predict_trace(t, pair).timeline);
    (void)profile_from_trace(t, pair, 8, 3.0 * 224 * 224 * 4);
  });
}
