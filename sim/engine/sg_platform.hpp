// The SimGrid side of a PlatformDescription: the engine configuration that keeps links
// undistorted, and the zone with its hosts, links and routes. Shared by Simulation and by the bare
// baseline of `trainsim bench collective`, so that both run on the very same platform.
// Engine-internal (includes SimGrid).
#pragma once

#include <simgrid/s4u.hpp>

#include <memory>
#include <vector>

#include "sim/topo/platform.hpp"

namespace trainsim::engine {

// The process's SimGrid engine, configured: CM02 without LV08 factors, no cross-traffic, no TCP
// window, latency and bandwidth factors 1, weight-S 0 (a flow on a link gets exactly its bandwidth).
[[nodiscard]] std::unique_ptr<simgrid::s4u::Engine> make_engine(bool quiet);

// Builds the zone; returns the SimGrid host of each PlatformDescription host. With `clock`, also a
// host with no links whose execs are pure waits (Simulation::delay): speed 1 per core and so many
// cores (kClockCores) that every wait runs on a core of its own, at full speed, whatever else waits.
inline constexpr int kClockCores = 1 << 20;
[[nodiscard]] std::vector<simgrid::s4u::Host*> build_platform(const PlatformDescription& platform,
                                                             simgrid::s4u::Host** clock = nullptr);

}  // namespace trainsim::engine
