// Everything a command writes besides the terminal: the HDF5 file of -o and --trace, and the Chrome
// trace of --chrome-trace. The commands run, campaign, compare and sweep use it the same way:
//
//   io::TraceOutput out(options, io::scenario_to_yaml(scenario), seed);  // checks the paths now
//   for each platform p and run r:
//     const std::string group = io::run_group(p, r);   // p = "" for a single run: /runs/<r>
//     auto recorder = out.recorder(group);             // give it to the engine
//     RunResult result = <simulate>(..., *recorder);
//     recorder.reset();                                // (or let it go before commit)
//     out.write_run(group, result);
//   out.write_campaign(io::campaign_group(p), stages, runs);  // campaign, per platform
//   out.write_points("/sweep", points);                       // sweep
//   out.commit();  // the Chrome trace, then FILE.h5 renamed into place
//
// Without commit() (an exception), neither file appears. sim/cli/trace_options.hpp declares and
// reads the options.
//
// A run simulated in a child process (one SimGrid simulation per process) writes its own file:
// give the child `-o PART.h5 --trace <level>` (PART.h5 e.g. FILE.h5.part.<platform>.<run>), and
// when it has exited, `out.merge_run(PART.h5, "/runs/<run>", io::run_group(p, r))` and remove
// PART.h5. A Chrome trace is then the child's own (--chrome-trace of the child).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/events.hpp"
#include "sim/engine/results.hpp"
#include "sim/report/chrome_trace.hpp"
#include "sim/store/hdf5_campaign.hpp"
#include "sim/store/hdf5_events.hpp"
#include "sim/store/hdf5_file.hpp"
#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

struct TraceOptions {
  std::string output;                         // -o FILE.h5; empty: no HDF5 file
  TraceLevel level = TraceLevel::iterations;  // --trace
  std::string chrome_trace;                   // --chrome-trace FILE.json; empty: none
  IterationRange chrome_iterations{1, 1};     // --chrome-iterations; iteration 0 waits for the loaders
  EventWriterOptions events;                  // chunking and compression of the events table
};

class TraceOutput {
 public:
  // Checks both output paths (InputError) and opens the HDF5 file with its root attributes.
  TraceOutput(TraceOptions options, const std::string& scenario_yaml, long long seed);
  ~TraceOutput();
  TraceOutput(const TraceOutput&) = delete;
  TraceOutput& operator=(const TraceOutput&) = delete;

  // The recorder for one run: the event writer (at --trace events), the Chrome adapter (with
  // --chrome-trace), both, or one that drops everything. Use it while this object lives.
  [[nodiscard]] std::unique_ptr<Recorder> recorder(const std::string& group);
  void write_run(const std::string& group, const RunResult& result);
  void write_campaign(const std::string& group, const std::vector<StageRow>& stages, const std::vector<RunRow>& runs);
  void write_points(const std::string& group, const ColumnTable& points);
  // The run group `from_group` of a child's committed file (sim/store/hdf5_merge.hpp).
  void merge_run(const std::string& part_path, const std::string& from_group, const std::string& to_group);
  void commit();

  [[nodiscard]] const TraceOptions& options() const { return options_; }
  [[nodiscard]] TraceFile* file() { return file_ ? file_.get() : nullptr; }

 private:
  TraceOptions options_;
  std::unique_ptr<TraceFile> file_;
  std::vector<std::unique_ptr<ChromeTraceRecorder>> chrome_;
};

// "/platforms/rtx3090/runs/ddp" -> "rtx3090/ddp", "/runs/main" -> "main": the Chrome trace's label.
[[nodiscard]] std::string run_label(const std::string& group);

}  // namespace trainsim::io
