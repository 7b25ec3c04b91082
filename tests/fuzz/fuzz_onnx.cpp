// Fuzzes the ONNX reader: protobuf parsing, the checker, shape inference with the folding of shape
// arithmetic, and the translation into a layer graph, on mutated model files.
#include "fuzz_common.hpp"
#include "sim/import/onnx_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& bytes) {
    const io::ImportedModel m = io::parse_onnx_model(bytes, "fuzz.onnx");
    (void)m.graph.training_flops();
  });
}
