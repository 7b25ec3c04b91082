// What every fuzz target shares: the catalog from the repository, and the rule that bad input may
// only ever end in an InputError (anything else, a crash, a hang or a leak is a finding).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>

#include "sim/input/catalog_io.hpp"
#include "sim/util/error.hpp"

namespace trainsim::fuzz {

inline const Catalog& catalog() {
  static const bool once = [] {
    io::set_default_data_dir(TRAINSIM_SOURCE_DIR);
    return true;
  }();
  (void)once;
  return io::default_catalog();
}

// A file name inside the repository's scenarios/ folder: paths in the input (a sweep's base, a
// campaign's report) resolve against it as they do for the shipped files. Nothing is written there.
inline std::string scenarios_file(const std::string& name) { return std::string(TRAINSIM_SOURCE_DIR) + "/scenarios/" + name; }

// Runs `f` on the input as text; InputError is the expected outcome of bad input.
template <typename F>
int run(const std::uint8_t* data, std::size_t size, F f) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    f(text);
  } catch (const InputError&) {
    // a clear error: fine
  }
  return 0;
}

}  // namespace trainsim::fuzz
