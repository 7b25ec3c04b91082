// The cost of preparing one training sample on one CPU core (platforms/dataloader.yaml).
#pragma once

#include <string>

#include "sim/hw/units.hpp"

namespace trainsim {

struct LoaderCosts {
  double decode_s_per_megapixel = 0;          // of the stored image
  double augment_s_per_output_megapixel = 0;  // of the training image
  double copy_gbps = 10;                      // handing tensors to the training process
  Seconds per_sample_s = 0;                   // fixed per-sample overhead
  std::string measured_on;
};

// Core-seconds to read nothing, decode, augment and hand over one sample:
//   t = decode x stored_MP + augment x (h x w / 1e6) + input_bytes / copy_rate + per_sample
[[nodiscard]] Seconds sample_load_seconds(const LoaderCosts& c, double stored_megapixels, int height_px, int width_px,
                                          Bytes input_bytes) noexcept;

}  // namespace trainsim
