// What the engine tells the outside world: one Event per finished activity, sent to a Recorder.
// No SimGrid here: io and the CLI include this header.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/hw/units.hpp"

namespace trainsim {

// The HDF5 schema's enum (docs/hdf5-schema.md): keep the values stable.
enum class EventKind : std::uint8_t {
  load = 0,        // a data-loader worker reads, decodes and augments one batch
  h2d = 1,         // host-to-device copy of a batch
  forward = 2,
  backward = 3,    // one bucket-sized chunk of the backward pass
  allreduce = 4,   // one transfer of a collective (or the whole collective, by trace level)
  optimizer = 5,
  stall = 6,       // a rank waiting for its next batch
  validation = 7,
  checkpoint = 8,
  read = 9,        // storage to host memory
  other = 10,
};

[[nodiscard]] std::string_view to_string(EventKind k);

struct Event {
  EventKind kind = EventKind::other;
  std::int16_t rank = -1;     // GPU rank, or -1 (host-side)
  std::int32_t epoch = -1;
  std::int64_t iteration = -1;  // global iteration number
  std::int32_t bucket = -1;   // gradient bucket, for backward chunks and all-reduce transfers
  std::int32_t link = -1;     // for transfers: the first link of the route (topology link index)
  Seconds start = 0;
  Seconds end = 0;
  Bytes bytes = 0;
  Flops flops = 0;
};

class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void record(const Event& e) = 0;
};

// Discards everything (the default when no trace is asked for).
class NullRecorder final : public Recorder {
 public:
  void record(const Event&) override {}
};

}  // namespace trainsim
