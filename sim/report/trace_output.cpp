#include "sim/report/trace_output.hpp"

#include "sim/store/hdf5_merge.hpp"
#include "sim/store/hdf5_run.hpp"
#include "sim/util/files.hpp"
#include "sim/store/recorders.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

std::string run_label(const std::string& group) {
  std::string label = group;
  for (const std::string prefix : {"/platforms/", "/runs/"}) {
    if (label.rfind(prefix, 0) == 0) label = label.substr(prefix.size());
  }
  if (const auto at = label.find("/runs/"); at != std::string::npos) label.replace(at, 6, "/");
  return label;
}

TraceOutput::TraceOutput(TraceOptions options, const std::string& scenario_yaml, long long seed)
    : options_(std::move(options)) {
  if (!options_.chrome_trace.empty()) check_output_path(options_.chrome_trace, "--chrome-trace");
  if (!options_.output.empty()) {
    file_ = std::make_unique<TraceFile>(options_.output);
    write_root_attributes(*file_, scenario_yaml, seed);
  }
}

TraceOutput::~TraceOutput() = default;

std::unique_ptr<Recorder> TraceOutput::recorder(const std::string& group) {
  auto tee = std::make_unique<TeeRecorder>();
  if (file_ && options_.level == TraceLevel::events) tee->add(event_writer(*file_, group, options_.events));
  if (!options_.chrome_trace.empty()) {
    chrome_.push_back(std::make_unique<ChromeTraceRecorder>(run_label(group), options_.chrome_iterations));
    tee->add(*chrome_.back());
  }
  if (tee->size() == 0) return std::make_unique<NullRecorder>();
  return tee;
}

void TraceOutput::write_run(const std::string& group, const RunResult& result) {
  if (file_) io::write_run(*file_, group, result, options_.level);
}

void TraceOutput::write_campaign(const std::string& group, const std::vector<StageRow>& stages,
                                 const std::vector<RunRow>& runs) {
  if (file_) io::write_campaign(*file_, group, stages, runs);
}

void TraceOutput::write_points(const std::string& group, const ColumnTable& points) {
  if (file_) io::write_points(*file_, group, points);
}

void TraceOutput::merge_run(const std::string& part_path, const std::string& from_group, const std::string& to_group) {
  if (file_) io::merge_run(*file_, part_path, from_group, to_group);
}

void TraceOutput::commit() {
  if (!options_.chrome_trace.empty()) {
    std::vector<TracedRun> runs;
    for (const auto& c : chrome_) runs.push_back(c->run());
    write_chrome_trace(options_.chrome_trace, runs);
  }
  if (file_) file_->commit();
}

}  // namespace trainsim::io
