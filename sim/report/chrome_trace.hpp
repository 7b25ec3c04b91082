// Chrome trace event format (JSON) for chosen iterations, as ui.perfetto.dev and chrome://tracing
// open it: one process per rank (and run), one thread per stream (compute, communication, loader),
// each activity a complete ("ph": "X") event with microsecond timestamps.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/events.hpp"

namespace trainsim::io {

// Global iteration numbers, both ends included.
struct IterationRange {
  long long first = 0;
  long long last = 0;
  [[nodiscard]] bool contains(long long iteration) const { return iteration >= first && iteration <= last; }
};

// "N" or "A:B" with 0 <= A <= B; anything else is an InputError naming `option`.
[[nodiscard]] IterationRange parse_iteration_range(const std::string& text,
                                                   const std::string& option = "--chrome-iterations");

enum class Stream { compute, communication, loader };
// compute: forward, backward, optimizer, validation, stall (the GPU idles, waiting for its batch),
// other; communication: allreduce, h2d; loader: load, read, checkpoint (host and storage side).
[[nodiscard]] Stream stream_of(EventKind kind);
[[nodiscard]] const char* to_string(Stream s);

// The events of one run, under a label that names its processes ("rtx3090/ddp rank 0").
struct TracedRun {
  std::string label;
  std::vector<Event> events;
};

// The whole JSON document. Events that overlap on one stream of one rank (several loader workers)
// go to extra threads "loader #2", ... so that every thread holds properly nested slices.
[[nodiscard]] std::string chrome_trace_json(const std::vector<TracedRun>& runs);

// Written through a temporary file renamed at the end.
void write_chrome_trace(const std::string& path, const std::vector<TracedRun>& runs);

// Keeps the events whose iteration is in the range (work tied to no iteration, iteration -1, is
// left out), so that memory holds the chosen iterations only.
class ChromeTraceRecorder final : public Recorder {
 public:
  ChromeTraceRecorder(std::string label, IterationRange range);
  void record(const Event& e) override;
  [[nodiscard]] const TracedRun& run() const { return kept_; }

 private:
  IterationRange range_;
  TracedRun kept_;
};

}  // namespace trainsim::io
