// The SimGrid side of the engine: the one simulation of this process, the node's platform built
// from a PlatformDescription, and a graph of activities (Exec on GPU and CPU hosts, Comm between
// hosts) that starts each activity when its predecessors finish. Only sim/engine includes this.
//
// SimGrid 3.32 facts this class encodes:
//  - the Engine is a singleton that cannot be reset: one Simulation per process;
//  - CM02 without the LV08 factors, so that a flow on a link gets exactly its bandwidth;
//  - activities without actors work, but every ActivityPtr must stay alive until it completes,
//    and a graph built all at once is quadratic: callers build ahead a few steps at a time, from
//    completion callbacks, and Simulation keeps each batch alive until all of it has finished.
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

// One activity, typed: SimGrid 3.32 offers add_successor only on ExecPtr/CommPtr.
class Node {
 public:
  Node() = default;
  explicit Node(sg4::ExecPtr e) : exec_(std::move(e)) {}
  explicit Node(sg4::CommPtr c) : comm_(std::move(c)) {}

  [[nodiscard]] bool valid() const { return exec_ || comm_; }
  [[nodiscard]] sg4::Activity* get() const { return exec_ ? static_cast<sg4::Activity*>(exec_.get()) : comm_.get(); }
  [[nodiscard]] bool finished() const;
  [[nodiscard]] double start_time() const { return get()->get_start_time(); }
  [[nodiscard]] double finish_time() const { return get()->get_finish_time(); }
  [[nodiscard]] const sg4::ExecPtr& exec() const { return exec_; }
  [[nodiscard]] const sg4::CommPtr& comm() const { return comm_; }

  // `next` starts only after this one finishes. No-op when this one has already finished or when
  // either is invalid. Call before `next` is started.
  void then(const Node& next) const;

 private:
  sg4::ExecPtr exec_;
  sg4::CommPtr comm_;
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

  // Starts `n` as soon as its predecessors have finished (vetoable_start).
  void start(const Node& n);

  // Keep-alive batches: every node created belongs to the open batch; a batch is dropped a while
  // after its last node finished. Open one per step you build ahead (an iteration, a collective).
  void open_batch();

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

 private:
  struct Batch;
  struct Record {
    Event tag;
    Callback on_done;
    Batch* batch = nullptr;
    bool recorded = true;
  };
  struct Batch {
    std::vector<Node> nodes;
    std::size_t pending = 0;
  };

  void completed(const sg4::Activity& a);
  Record* new_record(const Event& tag, Callback cb);
  void retire(Batch* b);

  PlatformDescription platform_;
  std::unique_ptr<sg4::Engine> engine_;
  std::vector<sg4::Host*> hosts_;
  std::vector<std::vector<bool>> routes_;
  Recorder* recorder_ = nullptr;
  std::deque<Record> records_;
  std::vector<Record*> free_records_;
  std::deque<std::unique_ptr<Batch>> batches_;    // open and running
  std::deque<std::unique_ptr<Batch>> graveyard_;  // finished, kept a little longer
  std::size_t graveyard_nodes_ = 0;
  Batch* current_ = nullptr;
  std::vector<sg4::ExecPtr> companions_;
  long long completed_ = 0;
  Seconds started_at_ = 0;
};

}  // namespace trainsim::engine
