#include "sim/engine/epoch_plan.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace trainsim {

std::vector<PlannedEpoch> plan_epochs(const ReplayPlan& plan, long long total_iterations, bool sampled,
                                      long long sample_from) {
  const long long ipe = std::max<long long>(1, plan.iterations_per_epoch);
  const int epochs = static_cast<int>((total_iterations + ipe - 1) / ipe);
  std::vector<PlannedEpoch> out;
  for (int e = 0; e < epochs; ++e) {
    PlannedEpoch p;
    p.epoch = e;
    p.first = static_cast<long long>(e) * ipe;
    p.iterations = std::min(ipe, total_iterations - p.first);
    // As the replay decides: validation and checkpoints end full epochs only.
    const bool full = p.iterations == ipe;
    p.validate = full && plan.validation_every > 0 && (e + 1) % plan.validation_every == 0;
    p.checkpoint = full && plan.checkpoint_every > 0 && (e + 1) % plan.checkpoint_every == 0;
    p.after_checkpoint = e > 0 && out.back().checkpoint;
    p.representative = e;
    out.push_back(p);
  }
  if (!sampled) return out;

  using ShapeKey = std::tuple<long long, bool, bool, bool>;
  std::map<ShapeKey, std::vector<int>> replayed_of_shape;
  std::map<ShapeKey, long long> stood_in;
  for (auto& p : out) {
    const ShapeKey shape{p.iterations, p.validate, p.checkpoint, p.after_checkpoint};
    std::vector<int>& mine = replayed_of_shape[shape];
    // A long epoch: the first of its shape is the sample. A short one has too few iterations to
    // sample inside it, so whole epochs are the observations: the first kShortEpochSamples of its
    // shape are replayed and stand in turn for the others.
    const std::size_t wanted = p.iterations < sample_from ? kShortEpochSamples : 1;
    p.replayed = mine.size() < wanted;
    if (p.replayed) {
      mine.push_back(p.epoch);
      p.representative = p.epoch;
    } else {
      const long long k = stood_in[shape]++;
      p.representative = mine[static_cast<std::size_t>(k % static_cast<long long>(mine.size()))];
    }
  }
  // In the replay an epoch follows the previous *replayed* epoch: when that one's checkpoint flag
  // differs from the real predecessor's, replay the real predecessor too (it then stands for
  // itself), and check again until every replayed epoch starts as it really would.
  for (bool changed = true; changed;) {
    changed = false;
    bool previous_checkpoint = false;  // the run's start: nothing before
    for (auto& p : out) {
      if (!p.replayed) continue;
      if (p.epoch > 0 && previous_checkpoint != p.after_checkpoint) {
        PlannedEpoch& before = out[static_cast<std::size_t>(p.epoch - 1)];
        before.replayed = true;
        before.representative = before.epoch;
        changed = true;
        break;
      }
      previous_checkpoint = p.checkpoint;
    }
  }
  return out;
}

}  // namespace trainsim
