// Child processes: SimGrid runs one simulation per process, so baselines, comparisons and sweep
// points run as children of the trainsim binary. POSIX only.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace trainsim {

struct ChildResult {
  int exit_code = -1;   // the child's exit status, or -1 when it did not exit normally
  int signal = 0;       // the signal that ended it, when it did not exit
  bool timed_out = false;  // killed (SIGKILL) because it ran past the timeout
  std::string out;      // everything it wrote on stdout
  std::string err;      // and on stderr
  double wall_s = 0;
  double cpu_s = 0;     // user + system CPU seconds of the child and the descendants it waited for
  long long max_rss_kib = 0;  // peak resident memory of the child (or of its largest waited descendant)

  [[nodiscard]] bool ok() const { return exit_code == 0; }
  [[nodiscard]] std::string describe() const;  // "exit 2: <last stderr line>" / "killed by SIGSEGV" / "timed out ..."
};

// Runs argv[0] with arguments argv[1..], feeding `input` on stdin; waits for it. A timeout in
// seconds (0 = none) kills it with SIGKILL.
[[nodiscard]] ChildResult run_child(const std::vector<std::string>& argv, const std::string& input = {},
                                    double timeout_s = 0);

// Runs `body` in a forked copy of this process (no exec: nothing to load again), its return value
// the exit status, with `input` on its stdin and its stdout and stderr collected as run_child
// does. For sweep points: a copy that has the catalogs parsed already. Only safe where `body`
// needs no other thread of the parent (SimGrid must not have started in the parent).
[[nodiscard]] ChildResult run_forked(const std::function<int()>& body, const std::string& input = {},
                                     double timeout_s = 0);

// Sends `sig` to every child that run_child has started and not yet waited for, and waits until
// they have ended. Async-signal-safe:
// a handler for SIGINT calls it so that an interrupted sweep leaves no orphan simulations.
void kill_running_children(int sig) noexcept;

// The path of the running executable (/proc/self/exe), to start children of the same build.
[[nodiscard]] std::string self_executable();

}  // namespace trainsim
