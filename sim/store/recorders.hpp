// Recorder plumbing: one engine, several consumers of its events (the HDF5 event writer and the
// Chrome trace adapter at once).
#pragma once

#include <memory>
#include <vector>

#include "sim/engine/events.hpp"

namespace trainsim::io {

class TeeRecorder final : public Recorder {
 public:
  void add(std::unique_ptr<Recorder> owned);
  void add(Recorder& borrowed);  // must outlive this recorder
  void record(const Event& e) override;
  [[nodiscard]] std::size_t size() const { return targets_.size(); }

 private:
  std::vector<std::unique_ptr<Recorder>> owned_;
  std::vector<Recorder*> targets_;
};

}  // namespace trainsim::io
