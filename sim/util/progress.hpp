// A progress bar with ETA on stderr, for long runs. Silent unless enabled (callers enable it when
// stderr is a terminal and --json output is not going to a pipe).
#pragma once

#include <chrono>
#include <string>

namespace trainsim {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  // done out of total; redraws at most a few times a second.
  void update(long long done, long long total, const std::string& note = {});
  void finish();

  // True when stderr is a terminal and, with --json, stdout is one too.
  [[nodiscard]] static bool wanted(bool json);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace trainsim
