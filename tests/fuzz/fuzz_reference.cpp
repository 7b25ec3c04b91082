// Fuzzes the reader of the other-models reference rows (platforms/reference/model-throughput.csv,
// `trainsim validate --models --reference`): CSV parsing, every cell's checks, the zoo lookups.
#include "fuzz_common.hpp"
#include "sim/input/model_reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    (void)io::parse_model_throughput(text, "fuzz.csv", fuzz::catalog());
  });
}
