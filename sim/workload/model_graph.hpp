// A model as the list of its layers in forward order, for one input resolution. Totals are per
// sample; the batch multiplies them.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/units.hpp"
#include "sim/workload/layer.hpp"

namespace trainsim {

struct ModelGraph {
  std::string name;
  int height = 0, width = 0;
  int tokens = 0;                      // a token model's sequence length (its input is [batch, tokens]); 0: images
  std::vector<Layer> layers;           // forward order; backward runs them in reverse
  double transient_elements = 0;       // largest input + output of one layer: gradients in flight
  Bytes input_bytes_per_sample = 0;    // host-to-device bytes of one sample (image + targets)

  [[nodiscard]] std::string input_size() const;  // "224x224 px" or "384 tokens"
  [[nodiscard]] double params() const;
  [[nodiscard]] Flops forward_flops() const;   // per sample
  [[nodiscard]] Flops training_flops() const;  // forward + backward, per sample
  [[nodiscard]] double saved_elements() const; // activations kept for backward, per sample
  [[nodiscard]] Bytes saved_extra_bytes() const;
};

}  // namespace trainsim
