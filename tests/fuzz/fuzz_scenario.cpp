// Fuzzes the scenario loader: parsing, the platform (preset, file or inline node), and everything
// prepare_run checks before a replay (model, precision, memory, plan).
#include "fuzz_common.hpp"
#include "sim/engine/run.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/scenario_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    const Scenario s = io::parse_scenario_text(text, "fuzz.yaml", fuzz::catalog());
    (void)prepare_run(s, fuzz::catalog(), io::default_loader_costs());
  });
}
