#include "sim/engine/coll_lanes.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <stdexcept>
#include <string>

namespace trainsim::engine {

namespace {

// Transfers built ahead on each lane: transfer i + kAhead is created when transfer i finishes. One
// is enough (a transfer cannot start before its lane's previous one finishes) and keeps SimGrid's
// list of created activities, which every completion scans, short.
constexpr int kAhead = 1;

class LaneRunner : public std::enable_shared_from_this<LaneRunner> {
 public:
  LaneRunner(Simulation& sim, std::unique_ptr<LanePlan> plan, std::function<void(int)> on_rank_done)
      : sim_(sim), plan_(std::move(plan)), on_rank_done_(std::move(on_rank_done)) {}

  CollectiveNodes start(const std::vector<int>& rank_gpus, const std::vector<std::size_t>& rank_hosts,
                        const std::vector<Node>& ready, const Event& tag) {
    const auto& lanes = plan_->lanes();
    const std::size_t n = rank_hosts.size();
    CollectiveNodes out;
    ready_.assign(n, Node{});
    if (!ready.empty()) ready_ = ready;
    pending_.assign(n, 0);
    nodes_.resize(lanes.size());
    created_.assign(lanes.size(), 0);
    lane_tags_.reserve(lanes.size());
    const PlatformDescription& platform = sim_.platform();
    for (const Lane& l : lanes) {
      nodes_[lane_tags_.size()].resize(static_cast<std::size_t>(l.length));
      Event e = tag;
      e.kind = EventKind::allreduce;
      const int rank = l.from >= 0 ? l.from : l.to;
      e.rank = static_cast<std::int16_t>(rank >= 0 ? rank_gpus[static_cast<std::size_t>(rank)] : -1);
      const PlatformRoute* route = platform.route(l.src, l.dst);
      e.link = route != nullptr && !route->hops.empty()
                   ? static_cast<std::int32_t>(platform.links[route->hops.front().link].topo_link)
                   : -1;
      lane_tags_.push_back(e);
      if (l.from >= 0) pending_[static_cast<std::size_t>(l.from)] += l.length;
      if (l.to >= 0) pending_[static_cast<std::size_t>(l.to)] += l.length;
      out.transfers += l.length;
      const int group = plan_->wait_group(static_cast<int>(lane_tags_.size()) - 1);
      if (group >= 0) ++group_size_[group];
    }
    auto self = shared_from_this();
    for (std::size_t k = 0; k < n; ++k) {
      const int rank = static_cast<int>(k);
      done_.push_back(sim_.marker(rank_hosts[k], [self, rank] { self->rank_finished(rank); }));
    }
    for (int index = 0; index < kAhead; ++index) {
      for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
        if (index < lanes[lane].length) create(static_cast<int>(lane), index);
      }
    }
    for (std::size_t k = 0; k < n; ++k) {
      if (pending_[k] == 0) start_done(k);
    }
    out.done = done_;
    return out;
  }

 private:
  void create(int lane, int index) {
    const Lane& l = plan_->lanes()[static_cast<std::size_t>(lane)];
    const Bytes bytes = plan_->bytes(lane, index);
    Event e = lane_tags_[static_cast<std::size_t>(lane)];
    e.bytes = bytes;
    Node n = sim_.comm(l.src, l.dst, bytes, e, [this, lane, index] { finished(lane, index); });
    // With extra latency, the predecessors gate a wait and the wait gates the transfer.
    const Seconds extra = plan_->extra_latency(lane, index);
    const int group = extra > 0 ? plan_->wait_group(lane) : -1;
    Node wait;
    bool start_wait = extra > 0;
    if (group >= 0) {
      GroupWait& gw = group_waits_[{group, index}];
      if (!gw.node.valid()) gw.node = sim_.delay(extra);
      wait = gw.node;
      start_wait = ++gw.created == group_size_.at(group);
      if (start_wait) group_waits_.erase({group, index});
    } else if (extra > 0) {
      wait = sim_.delay(extra);
    }
    const Node& gate = extra > 0 ? wait : n;
    auto& mine = nodes_[static_cast<std::size_t>(lane)];
    if (index > 0) {
      mine[static_cast<std::size_t>(index - 1)].then(gate);
    } else if (l.from >= 0) {
      ready_[static_cast<std::size_t>(l.from)].then(gate);
    }
    plan_->after(lane, index, scratch_);
    for (const LaneRef& a : scratch_) {
      if (a.lane < 0 || static_cast<std::size_t>(a.lane) >= nodes_.size() ||
          a.index >= created_[static_cast<std::size_t>(a.lane)]) {
        throw std::logic_error("collective plan: transfer (" + std::to_string(lane) + ", " + std::to_string(index) +
                               ") depends on (" + std::to_string(a.lane) + ", " + std::to_string(a.index) +
                               "), which is not built yet");
      }
      nodes_[static_cast<std::size_t>(a.lane)][static_cast<std::size_t>(a.index)].then(gate);
    }
    created_[static_cast<std::size_t>(lane)] = index + 1;
    if (extra > 0) {
      wait.then(n);
      if (start_wait) sim_.start(wait);
    }
    sim_.start(n);
    mine[static_cast<std::size_t>(index)] = std::move(n);
  }

  void finished(int lane, int index) {
    nodes_[static_cast<std::size_t>(lane)][static_cast<std::size_t>(index)] = Node{};  // finished: then() is a no-op
    const Lane& l = plan_->lanes()[static_cast<std::size_t>(lane)];
    if (index + kAhead < l.length) create(lane, index + kAhead);
    for (const int rank : {l.from, l.to}) {
      if (rank >= 0 && --pending_[static_cast<std::size_t>(rank)] == 0) start_done(static_cast<std::size_t>(rank));
    }
  }

  // A rank is done when its transfers are, and never before it was ready. The dependency on
  // `ready` is added only now: SimGrid starts an activity by itself as soon as its last
  // predecessor finishes, so wiring it at construction would finish `done` right after `ready`.
  void start_done(std::size_t k) {
    ready_[k].then(done_[k]);
    sim_.start(done_[k]);
  }

  void rank_finished(int rank) {
    if (on_rank_done_) on_rank_done_(rank);
  }

  Simulation& sim_;
  std::unique_ptr<LanePlan> plan_;
  std::function<void(int)> on_rank_done_;
  std::vector<std::vector<Node>> nodes_;  // per lane; a finished transfer's slot is reset
  std::vector<int> created_;              // per lane: transfers created so far
  std::vector<Event> lane_tags_;
  std::vector<long long> pending_;        // per rank: its transfers not finished yet
  std::vector<Node> ready_;
  std::vector<Node> done_;
  std::vector<LaneRef> scratch_;
  struct GroupWait {
    Node node;
    int created = 0;  // lanes of the group that built their transfer of this index
  };
  std::map<int, int> group_size_;                         // lanes per wait group
  std::map<std::pair<int, int>, GroupWait> group_waits_;  // (group, index) -> its wait, until started
};

}  // namespace

Bytes share_bytes(Bytes total, long long parts, long long part) {
  if (parts <= 0) return 0.0;
  const auto t = static_cast<unsigned long long>(std::llround(std::max(0.0, total)));
  const auto p = static_cast<unsigned long long>(parts);
  return static_cast<Bytes>(t / p + (static_cast<unsigned long long>(part) < t % p ? 1 : 0));
}

CollectiveNodes run_lanes(Simulation& sim, std::unique_ptr<LanePlan> plan, const std::vector<int>& rank_gpus,
                          const std::vector<std::size_t>& rank_hosts, const std::vector<Node>& ready, const Event& tag,
                          std::function<void(int)> on_rank_done) {
  auto runner = std::make_shared<LaneRunner>(sim, std::move(plan), std::move(on_rank_done));
  return runner->start(rank_gpus, rank_hosts, ready, tag);
}

}  // namespace trainsim::engine
