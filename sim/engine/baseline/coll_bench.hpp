// The speed of the collective engine against bare SimGrid, for `trainsim bench collective`. Each
// function creates this process's simulation: run them in separate processes. No SimGrid here.
#pragma once

#include "sim/hw/units.hpp"
#include "sim/topo/topology.hpp"

namespace trainsim {

struct FlowBench {
  long long flows = 0;  // transfers that completed
  Seconds wall = 0;     // wall-clock seconds from the first build to the end of the run
  Seconds cpu = 0;      // CPU seconds of this process over the same span (what other load does not inflate)
  [[nodiscard]] double flows_per_cpu_s() const { return cpu > 0 ? static_cast<double>(flows) / cpu : 0.0; }
};

// `collectives` ring all-reduces of `bytes` over every GPU, one after another (the next built when
// the last rank of the previous is done), through build_collective with a recorder that counts.
[[nodiscard]] FlowBench bench_collectives(const Topology& topo, Bytes bytes, int collectives);

// The same flows as a bare SimGrid activity graph on the same platform: the same ring lanes and
// dependencies, built a step ahead from completion callbacks, without trainsim's bookkeeping
// (no Simulation, records, events, batches or done nodes).
[[nodiscard]] FlowBench bench_bare_graph(const Topology& topo, Bytes bytes, int collectives);

// Transfers in one ring all-reduce over every GPU with the topology's channels: n x C x 2(n-1).
[[nodiscard]] long long ring_allreduce_transfers(const Topology& topo);

}  // namespace trainsim
