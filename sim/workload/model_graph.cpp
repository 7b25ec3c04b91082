#include "sim/workload/model_graph.hpp"

namespace trainsim {

double ModelGraph::params() const {
  double sum = 0;
  for (const auto& l : layers) sum += parameters(l);
  return sum;
}

Flops ModelGraph::forward_flops() const {
  Flops sum = 0;
  for (const auto& l : layers) sum += trainsim::forward_flops(l);
  return sum;
}

Flops ModelGraph::training_flops() const {
  Flops sum = 0;
  for (const auto& l : layers) sum += trainsim::forward_flops(l) + backward_flops(l);
  return sum;
}

double ModelGraph::saved_elements() const {
  double sum = 0;
  for (const auto& l : layers) sum += l.saved_elements;
  return sum;
}

Bytes ModelGraph::saved_extra_bytes() const {
  Bytes sum = 0;
  for (const auto& l : layers) sum += l.saved_extra_bytes;
  return sum;
}

}  // namespace trainsim
