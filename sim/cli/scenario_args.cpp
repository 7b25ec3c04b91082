#include "sim/cli/scenario_args.hpp"

#include <iostream>
#include <iterator>

#include "sim/input/scenario_io.hpp"

namespace trainsim::cli {

Scenario load_scenario_arg(const std::string& arg, const Catalog& catalog) {
  if (arg == "-") {
    const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    return io::parse_scenario_text(text, "<stdin>", catalog);
  }
  return io::load_scenario(arg, catalog);
}

}  // namespace trainsim::cli
