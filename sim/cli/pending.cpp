// Commands whose issues have not landed yet. Each definition moves to its own file when its
// issue lands; until then the command says so and exits with status 1.
#include <string>

#include "sim/cli/bench.hpp"
#include "sim/util/error.hpp"

namespace trainsim::cli {

namespace {
[[noreturn]] void not_built(const std::string& what) { throw RuntimeError(what + " is not built yet"); }
}  // namespace

int bench_sweep(int, char**) { not_built("bench sweep"); }

}  // namespace trainsim::cli
