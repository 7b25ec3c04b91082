#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"

int main(int argc, char* argv[]) {
  trainsim::io::set_default_data_dir(TRAINSIM_SOURCE_DIR);
  return Catch::Session().run(argc, argv);
}
