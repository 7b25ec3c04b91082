#include "sim/store/recorders.hpp"

namespace trainsim::io {

void TeeRecorder::add(std::unique_ptr<Recorder> owned) {
  targets_.push_back(owned.get());
  owned_.push_back(std::move(owned));
}

void TeeRecorder::add(Recorder& borrowed) { targets_.push_back(&borrowed); }

void TeeRecorder::record(const Event& e) {
  for (Recorder* r : targets_) r->record(e);
}

}  // namespace trainsim::io
