// A temporary output file must not outlive an interrupted command: on SIGINT, SIGTERM or SIGHUP
// the files registered here are removed before the process dies of the signal as usual.
// The children the command started (sweep points, baselines) are killed too.
// (SIGKILL cannot be caught: then FILE.h5.tmp.<pid> stays, but FILE.h5 never appears.)
#pragma once

#include <string>

namespace trainsim::cli {

// Installs the handler (once; RemoveOnSignal does too). main() calls it for every command.
void install_signal_cleanup();

class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::string& path);  // an empty path registers nothing
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  int slot_ = -1;
};

}  // namespace trainsim::cli
