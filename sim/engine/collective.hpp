// Collectives as graphs of SimGrid activities, for the engine's own use (this header includes
// SimGrid through simulation.hpp: only sim/engine includes it; the CLI uses collective_run.hpp).
//
// build_collective adds one collective to the running simulation and returns a node per rank
// that finishes when that rank's part is over (every transfer it sends or receives has finished:
// when NCCL's kernel on that GPU would return). The iteration engine hangs the optimizer step (or
// the next bucket) on these nodes with Node::then; SimGrid starts those successors itself.
//
// How the graph is built. An algorithm is a set of lanes: ordered sequences of transfers between
// two fixed hosts (a ring hop of one channel, a tree edge in one direction, a GPU's link to the
// NVSwitch). Transfer i of a lane starts after transfer i-1 of the same lane (a hop's transfers of
// one channel run in order) and after the transfers the algorithm names (a rank forwards a segment
// only after receiving it; a tree node sends a chunk up after its children delivered it). The
// graph is built a step ahead: transfer i+1 of a lane is created and wired (SimGrid dependencies on
// the other lanes' transfers it waits for) when transfer i finishes, so the SimGrid graph never
// holds more than a step per lane (a whole graph at once is quadratic in SimGrid 3.32: every
// finishing transfer scans the list of all created ones) and no transfer starts later than its
// dependencies allow.
//
// Every transfer is recorded as an Event of kind allreduce carrying `tag`'s epoch, iteration and
// bucket, the GPU that sends it (the receiving GPU for switch-to-GPU NVLS transfers), the first
// topology link of its route and its bytes.
#pragma once

#include <functional>
#include <vector>

#include "sim/engine/coll_planner.hpp"
#include "sim/engine/simulation.hpp"

namespace trainsim::engine {

struct CollectiveSpec {
  CollOp op = CollOp::all_reduce;
  Algorithm algorithm = Algorithm::auto_;
  Bytes bytes = 0;         // nccl-tests size: the whole buffer (all-gather: the gathered output)
  std::vector<int> ranks;  // GPU indices of the topology, each once
  int root = 0;            // broadcast: position in `ranks`
  int channels = 0;        // ring channels; 0: from the topology (CollectivePlanner::channels)
  bool single_tree = false;  // tree: one binary tree carries the whole buffer (no-contention checks)
  // Ring: one flow per hop carrying every channel's share, where the C channels would be C equal
  // flows in lockstep (bytes a multiple of C). Exact under max-min sharing only when every flow
  // that shares a link with the ring is itself one of C equal channel flows: the caller checks.
  bool merge_channels = false;
};

struct CollectiveNodes {
  std::vector<Node> done;  // per rank, in ranks order
  int transfers = 0;       // transfers the collective makes in all
  Algorithm algorithm = Algorithm::ring;  // the one built (auto_ resolved)
};

// Adds the collective. `ready[k]` (may be invalid or finished; `ready` may be empty) must finish
// before ranks[k] sends anything. `on_rank_done(k)` runs when done[k] finishes. The builder starts
// its own transfers and the done nodes; callers must not start them. Throws InputError for an
// algorithm the node does not support or ranks that are not GPUs of the node.
[[nodiscard]] CollectiveNodes build_collective(Simulation& sim, const CollectivePlanner& planner,
                                               const CollectiveSpec& spec, const std::vector<Node>& ready,
                                               const Event& tag, std::function<void(int)> on_rank_done = {});

// The same with a planner made for this call (the ring search runs again: prefer the one above).
[[nodiscard]] CollectiveNodes build_collective(Simulation& sim, const Topology& topo, const CollectiveSpec& spec,
                                               const std::vector<Node>& ready, const Event& tag,
                                               std::function<void(int)> on_rank_done = {});

}  // namespace trainsim::engine
