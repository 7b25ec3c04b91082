// The SimGrid side of the engine: the one simulation of this process, the node's platform built
// from a PlatformDescription, and a graph of activities (Exec on GPU and CPU hosts, Comm between
// hosts) that starts each activity when its predecessors finish. Only sim/engine includes this.
//
// SimGrid 3.32 facts this class encodes:
//  - the Engine is a singleton that cannot be reset: one Simulation per process;
//  - CM02 without the LV08 factors, so that a flow on a link gets exactly its bandwidth;
//  - activities without actors work, but every ActivityPtr must stay alive until it completes
//    (and a little longer: SimGrid's completion code still uses it after the callbacks);
//  - every created activity sits in one list that each completion searches linearly: Node keeps
//    the graph on trainsim's side and creates an activity only once it can run.
#pragma once

#include <simgrid/s4u.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/events.hpp"
#include "sim/topo/platform.hpp"

namespace trainsim::engine {

namespace sg4 = simgrid::s4u;

namespace detail {
struct Task;
}

// One activity of the graph, held by trainsim until it is ready to run: the SimGrid Exec or Comm is
// created only when its last predecessor has finished (and it was started), so that SimGrid holds
// the running frontier only. SimGrid 3.32 keeps every created activity in a list of maestro and
// removes each with a linear search when it ends: a graph built ahead made that search most of
// the run (docs/performance.md). A Node is a counted handle; copies share the activity.
class Node {
 public:
  Node() = default;
  Node(const Node& o) noexcept;
  Node(Node&& o) noexcept : t_(o.t_) { o.t_ = nullptr; }
  Node& operator=(const Node& o) noexcept;
  Node& operator=(Node&& o) noexcept;
  ~Node();

  [[nodiscard]] bool valid() const { return t_ != nullptr; }
  [[nodiscard]] bool finished() const;
  [[nodiscard]] double start_time() const;   // -1 until it has finished
  [[nodiscard]] double finish_time() const;  // -1 until it has finished

  // `next` starts only after this one finishes. No-op when this one has already finished, when
  // `next` is already running, or when either is invalid.
  void then(const Node& next) const;

 private:
  friend class Simulation;
  explicit Node(detail::Task* t) noexcept;
  detail::Task* t_ = nullptr;
};

struct SimConfig {
  bool quiet = true;  // SimGrid logs at critical only
};

class Simulation {
 public:
  using Callback = std::function<void()>;

  // Creates the process's simulation. Throws RuntimeError when one exists already.
  Simulation(const PlatformDescription& platform, const SimConfig& config = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  [[nodiscard]] const PlatformDescription& platform() const { return platform_; }
  [[nodiscard]] sg4::Host* host(std::size_t index) const { return hosts_.at(index); }
  [[nodiscard]] bool has_route(std::size_t src, std::size_t dst) const;

  // New activities, not started. `seconds`: work on one core of the host (speed 1).
  [[nodiscard]] Node exec(std::size_t host, Seconds seconds, const Event& tag = {}, Callback on_done = {});
  [[nodiscard]] Node comm(std::size_t src, std::size_t dst, Bytes bytes, const Event& tag = {}, Callback on_done = {});
  // A zero-work exec that marks a point of the graph (e.g. "this rank has all its data"). It is not
  // recorded: the recorder sees work and transfers only.
  [[nodiscard]] Node marker(std::size_t host, Callback on_done = {});
  // A wait of `seconds` that shares nothing (an exec on the platform's clock host, sg_platform.hpp):
  // latency a transfer pays beyond its route's, e.g. a fused transfer standing for several steps.
  // Not recorded.
  [[nodiscard]] Node delay(Seconds seconds, Callback on_done = {});

  // Starts `n` as soon as its predecessors have finished. As with SimGrid's own dependencies, a
  // node with predecessors also starts when the last of them finishes without start() called.
  void start(const Node& n);

  // An endless Exec on a host whose priority sets how much of the host it takes from the other
  // execs there: at priority p, a concurrent exec of priority 1 runs at 1/(1+p) of full speed.
  [[nodiscard]] sg4::ExecPtr companion(std::size_t host, double priority);
  void set_priority(const sg4::ExecPtr& companion, double priority);
  // Cancels every companion so that the simulation can end.
  void stop_companions();

  void set_recorder(Recorder* r) { recorder_ = r; }
  [[nodiscard]] Recorder* recorder() const { return recorder_; }

  void run();
  [[nodiscard]] static Seconds now();
  // Inside a completion callback: when the finishing activity started (now() is when it ended).
  [[nodiscard]] Seconds started_at() const { return started_at_; }
  [[nodiscard]] long long activities_completed() const { return completed_; }
  // The most SimGrid activities (not counting companions) alive at once so far.
  [[nodiscard]] long long peak_running() const { return peak_running_; }

 private:
  void completed(const sg4::Activity& a);
  detail::Task* new_task(const Event& tag, Callback cb);
  void launch(detail::Task* t);
  void retire(sg4::ActivityPtr a);

  PlatformDescription platform_;
  std::unique_ptr<sg4::Engine> engine_;
  std::vector<sg4::Host*> hosts_;
  std::size_t clock_ = 0;  // index in hosts_ of the clock host (the last; no platform host)
  std::vector<std::vector<bool>> routes_;
  Recorder* recorder_ = nullptr;
  // Finished activities, kept until a later instant (SimGrid may touch them after the callbacks).
  std::deque<std::pair<Seconds, sg4::ActivityPtr>> retired_;
  long long running_ = 0;       // SimGrid activities created and not finished
  long long peak_running_ = 0;
  std::vector<sg4::ExecPtr> companions_;
  long long completed_ = 0;
  Seconds started_at_ = 0;
};

}  // namespace trainsim::engine
