#include "sim/workload/model_graph.hpp"

namespace trainsim {

std::string ModelGraph::input_size() const {
  if (tokens > 0) return std::to_string(tokens) + " tokens";
  return std::to_string(height) + "x" + std::to_string(width) + " px";
}

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
