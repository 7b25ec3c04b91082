// Ring and tree orders over the GPUs of a node, as NCCL searches them: the ring whose narrowest
// hop (counting links that several hops share) is widest; the double binary tree over ranks.
#pragma once

#include <vector>

#include "sim/topo/topology.hpp"

namespace trainsim {

struct Ring {
  std::vector<int> order;            // GPU indices; the ring closes from back() to front()
  double bottleneck_gbps = 0;        // line rate per direction of the narrowest hop, sharing counted
  double effective_gbps = 0;         // the same with protocol efficiencies
  double latency_us = 0;             // the slowest hop's latency
  // Across the machines of a cluster (cluster_ring): one order per channel, each leaving and
  // entering machines through its own rail; bottleneck and effective are then the whole ring's
  // (channels x the narrowest per-flow share). Empty on a single machine: every channel follows `order`.
  std::vector<std::vector<int>> channel_orders;
};

// The ring over `gpus` (all GPUs when empty) with the widest effective bottleneck; ties go to the
// lowest latency, then to the lexicographically smallest order. Exhaustive for up to 9 GPUs; larger
// (full-form) nodes get a greedy ring improved by 2-opt.
[[nodiscard]] Ring best_ring(const Topology& topo, std::vector<int> gpus = {});

// The ring over GPUs of several machines of a cluster, as NCCL lays it out: in each machine the
// best ring over its GPUs; per channel, the machines are entered and left through one rail (the
// machine-local ring rotated to that rail's GPU, every other machine walked backwards so that the
// hop between two machines joins the same rail on both). Channels: the NICs per machine, at least 2.
[[nodiscard]] Ring cluster_ring(const Topology& topo, const std::vector<int>& gpus);

// The effective bandwidth of each hop of `order` when every hop carries one flow at once: each
// link's capacity (per direction, or both together for shared links) is divided among the hops
// that cross it.
[[nodiscard]] std::vector<double> ring_hop_gbps(const Topology& topo, const std::vector<int>& order, bool effective);

// One binary tree over ranks 0..n-1: parent[r] (-1 for the root) and children.
struct Tree {
  std::vector<int> parent;
  std::vector<std::vector<int>> children;
  int root = 0;
  [[nodiscard]] int depth() const;  // edges on the longest root-to-leaf path
};

// NCCL's double binary tree (ncclGetDtree): tree 0 is the in-order binary tree of ranks; tree 1
// is tree 0 shifted by one rank (odd n) or mirrored (even n), so that a rank that is a leaf in one
// tree is interior in the other.
[[nodiscard]] std::pair<Tree, Tree> double_binary_tree(int n);

}  // namespace trainsim
