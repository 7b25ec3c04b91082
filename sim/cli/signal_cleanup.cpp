#include "sim/cli/signal_cleanup.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>

#include "sim/util/error.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

// The handler may only touch what async-signal-safe code can: fixed buffers and atomic flags.
constexpr std::size_t kSlots = 1024;  // a campaign's part files too (zero pages until used)
constexpr std::size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> g_paths{};
std::array<std::atomic<bool>, kSlots> g_used{};

extern "C" void remove_and_die(int sig) {
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_used[i].load()) ::unlink(g_paths[i].data());
  }
  // No simulation outlives the command that started it. SIGTERM, not SIGKILL: a child trainsim
  // removes its own temporary files and stops its own children in turn.
  kill_running_children(SIGTERM);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void install_signal_cleanup() {
  static const bool installed = [] {
    struct sigaction sa{};
    sa.sa_handler = remove_and_die;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
    return true;
  }();
  (void)installed;
}

RemoveOnSignal::RemoveOnSignal(const std::string& path) {
  if (path.empty()) return;
  if (path.size() >= kPathMax) throw RuntimeError("temporary file path too long: " + path);
  install_signal_cleanup();
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (!g_used[i].load()) {
      std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
      g_used[i].store(true);
      slot_ = static_cast<int>(i);
      return;
    }
  }
  // More than kSlots at once: that file is not removed on a signal (best effort, never an error).
}

RemoveOnSignal::~RemoveOnSignal() {
  if (slot_ >= 0) g_used[static_cast<std::size_t>(slot_)].store(false);
}

}  // namespace trainsim::cli
