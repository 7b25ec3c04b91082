#include "sim/util/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <optional>
#include <chrono>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

extern char** environ;

namespace trainsim {

std::string ChildResult::describe() const {
  if (timed_out) return "timed out after " + fixed(wall_s, 1) + " s (killed)";
  if (signal != 0) return std::string("killed by signal ") + std::to_string(signal) + " (" + strsignal(signal) + ")";
  std::string last;
  for (const auto& line : split(err, '\n')) {
    if (!trim(line).empty()) last = trim(line);
  }
  return "exit " + std::to_string(exit_code) + (last.empty() ? "" : ": " + last);
}

namespace {

// The children run_child is waiting for, in fixed slots that a signal handler may read.
constexpr std::size_t kChildSlots = 1024;
std::array<std::atomic<pid_t>, kChildSlots> g_children{};

// Set by kill_running_children: the command is ending on a signal. Other threads go on meanwhile
// and may start a child after the handler has signalled the ones it saw; remember_child signals
// such a late one itself.
std::atomic<int> g_stopping{0};
// Children being started right now (between the check of g_stopping and remember_child): the
// handler waits for these before it lets the process die, or one could start after it.
std::atomic<int> g_starting{0};

// Counts a start in g_starting for its lifetime; refuses to start one once the command is ending.
// The ending signals are held back on this thread meanwhile, so that the handler never runs in
// the middle of a start (it would wait for g_starting to fall, which this thread would never do);
// the child gets the thread's usual mask (old_mask()).
class Starting {
 public:
  Starting() {
    sigset_t ending;
    sigemptyset(&ending);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&ending, sig);
    pthread_sigmask(SIG_BLOCK, &ending, &old_);
    g_starting.fetch_add(1);
    if (g_stopping.load() != 0) {
      g_starting.fetch_sub(1);
      pthread_sigmask(SIG_SETMASK, &old_, nullptr);
      throw RuntimeError("interrupted: no new child process");
    }
  }
  ~Starting() {
    g_starting.fetch_sub(1);
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  Starting(const Starting&) = delete;
  Starting& operator=(const Starting&) = delete;
  [[nodiscard]] const sigset_t& old_mask() const { return old_; }

 private:
  sigset_t old_{};
};

int remember_child(pid_t pid) {
  int slot = -1;  // more than kChildSlots at once: that one is not killed on an interrupt
  for (std::size_t i = 0; i < kChildSlots && slot < 0; ++i) {
    pid_t free = 0;
    if (g_children[i].compare_exchange_strong(free, pid)) slot = static_cast<int>(i);
  }
  if (const int sig = g_stopping.load(); sig != 0) ::kill(pid, sig);
  return slot;
}

}  // namespace

void kill_running_children(int sig) noexcept {
  g_stopping.store(sig);
  for (auto& slot : g_children) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(pid, sig);
  }
  // A child being started now is signalled by remember_child; wait until it is registered, so
  // that the wait below includes it (at most 5 s: a start takes microseconds).
  for (int i = 0; i < 5000 && g_starting.load() != 0; ++i) {
    const timespec ms{0, 1000000};
    ::nanosleep(&ms, nullptr);
  }
  // Then wait for them (waitpid is async-signal-safe): each removes its own temporary files
  // before it dies, and the command must not return before they are gone.
  for (auto& slot : g_children) {
    const pid_t pid = slot.load();
    if (pid > 0) {
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
}

std::string self_executable() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw RuntimeError("cannot find the running executable (/proc/self/exe)");
  return std::string(buf, static_cast<std::size_t>(n));
}

namespace {

// The parent's side of a child: feeds `input`, drains stdout and stderr, enforces the timeout,
// waits for it. Closes the three pipe ends.
ChildResult collect(pid_t pid, int slot, int in_fd, int out_fd, int err_fd, const std::string& input, double timeout_s,
                    std::chrono::steady_clock::time_point t0) {
  // Feed stdin and drain stdout/stderr together so that neither side blocks on a full pipe.
  signal(SIGPIPE, SIG_IGN);
  ChildResult res;
  std::size_t written = 0;
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true, killed = false;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[3];
    int nfds = 0;
    if (out_open) fds[nfds++] = {out_fd, POLLIN, 0};
    if (err_open) fds[nfds++] = {err_fd, POLLIN, 0};
    if (in_fd >= 0) fds[nfds++] = {in_fd, POLLOUT, 0};
    int wait_ms = -1;
    if (timeout_s > 0) {
      const double left = timeout_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (left <= 0) {
        if (!killed) kill(pid, SIGKILL);
        killed = true;
        wait_ms = 100;
      } else {
        wait_ms = static_cast<int>(left * 1000) + 1;
      }
    }
    const int n = poll(fds, static_cast<nfds_t>(nfds), wait_ms);
    if (n < 0 && errno == EINTR) continue;
    for (int i = 0; i < nfds; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        const ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      const ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r > 0) {
        (fds[i].fd == out_fd ? res.out : res.err).append(buf, static_cast<std::size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        if (fds[i].fd == out_fd) out_open = false;
        else err_open = false;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out_fd);
  close(err_fd);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (slot >= 0) g_children[static_cast<std::size_t>(slot)].store(0);
  res.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
              static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  res.max_rss_kib = usage.ru_maxrss;  // KiB on Linux
  res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (WIFEXITED(status)) {
    res.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    res.signal = WTERMSIG(status);
  }
  if (killed && res.signal == SIGKILL) {
    res.timed_out = true;
    res.err += "\ntimed out after " + std::to_string(timeout_s) + " s";
  }
  return res;
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const std::string& input, double timeout_s) {
  if (argv.empty()) throw RuntimeError("run_child: empty command");
  // O_CLOEXEC: when several threads start children at once, a child must not inherit another
  // child's pipes (it would hold that child's stdin open, and both would wait for EOF forever).
  // dup2 onto 0, 1, 2 clears the flag on the copies the child keeps.
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw RuntimeError(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
    posix_spawn_file_actions_addclose(&actions, fd);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  std::optional<Starting> starting;
  try {
    starting.emplace();
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    throw;
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setsigmask(&attributes, &starting->old_mask());
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  const int rc = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  const int slot = rc == 0 ? remember_child(pid) : -1;
  starting.reset();
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw RuntimeError("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  return collect(pid, slot, in_pipe[1], out_pipe[0], err_pipe[0], input, timeout_s, t0);
}

ChildResult run_forked(const std::function<int()>& body, const std::string& input, double timeout_s) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw RuntimeError(std::string("pipe: ") + std::strerror(errno));
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::cout.flush();
  std::cerr.flush();
  std::optional<Starting> starting;
  try {
    starting.emplace();
  } catch (...) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    throw;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    // The child: its own stdin, stdout, stderr, and no other descriptor of the parent's (a pipe of
    // a sibling started by another thread would keep that sibling's stdin open: no EOF, a hang).
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (close_range(3, ~0U, 0) != 0) {
      for (int fd = 3; fd < 65536; ++fd) close(fd);
    }
    for (auto& slot : g_children) slot.store(0);  // the parent's children are not this one's
    g_stopping.store(0);
    g_starting.store(0);
    pthread_sigmask(SIG_SETMASK, &starting->old_mask(), nullptr);  // only now may a signal come
    int rc = 1;
    try {
      rc = body();
    } catch (...) {
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    _exit(rc);  // no static destructors: they belong to the parent
  }
  const int err = errno;
  const int slot = pid > 0 ? remember_child(pid) : -1;
  starting.reset();
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw RuntimeError(std::string("fork: ") + std::strerror(err));
  }
  return collect(pid, slot, in_pipe[1], out_pipe[0], err_pipe[0], input, timeout_s, t0);
}

}  // namespace trainsim
