// Fuzzes the reader of the published ResNet-50 throughput table (platforms/reference/
// training-throughput.csv and training-setups.csv beside it; `trainsim validate --reference DIR`):
// CSV parsing, every cell's checks (numbers, precisions, months), the setups join, and the catalog
// lookup of each row's GPU that validation does next. The input is the table's text; a NUL byte,
// if any, ends it and what follows is the setups file's text.
#include "fuzz_common.hpp"
#include "sim/input/throughput_reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    const std::size_t nul = text.find('\0');
    const std::optional<std::string> setups =
        nul == std::string::npos ? std::nullopt : std::optional<std::string>(text.substr(nul + 1));
    const auto rows = io::parse_training_throughput(text.substr(0, nul), "fuzz/training-throughput.csv", setups,
                                                    "fuzz/training-setups.csv");
    for (const auto& r : rows) (void)fuzz::catalog().gpu(r.gpu, r.where, "gpu");
  });
}
