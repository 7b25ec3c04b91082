#include "sim/engine/sg_platform.hpp"

#include <pthread.h>

#include <algorithm>
#include <csignal>

namespace trainsim::engine {

namespace sg4 = simgrid::s4u;

std::unique_ptr<sg4::Engine> make_engine(bool quiet) {
  static int argc = 1;
  static char name[] = "trainsim";
  static char log[] = "--log=root.thres:critical";
  static char* argv[] = {name, log, nullptr};
  argc = quiet ? 2 : 1;
  // SimGrid takes SIGINT for itself (it prints its status and exits with 1): the program's own
  // handler (the CLI's: remove temporary files, kill children, die of the signal) is put back.
  // SIGINT is held back meanwhile: one that came between the two would reach SimGrid's handler.
  sigset_t hold, was;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  pthread_sigmask(SIG_BLOCK, &hold, &was);
  struct sigaction before{};
  sigaction(SIGINT, nullptr, &before);
  auto engine = std::make_unique<sg4::Engine>(&argc, argv);
  sigaction(SIGINT, &before, nullptr);
  pthread_sigmask(SIG_SETMASK, &was, nullptr);
  // No distortion of links: CM02 without LV08's latency and bandwidth factors, no TCP window.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:-1");
  sg4::Engine::set_config("network/latency-factor:1");
  sg4::Engine::set_config("network/bandwidth-factor:1");
  sg4::Engine::set_config("network/weight-S:0");
  return engine;
}

std::vector<sg4::Host*> build_platform(const PlatformDescription& platform, sg4::Host** clock) {
  auto* zone = sg4::create_full_zone("node");
  std::vector<sg4::Host*> hosts;
  for (const auto& h : platform.hosts) {
    auto* host = zone->create_host(h.name, h.speed);
    if (h.cores > 1) host->set_core_count(h.cores);
    hosts.push_back(host);
  }
  if (clock != nullptr) *clock = zone->create_host("trainsim-clock", 1.0)->set_core_count(kClockCores);
  std::vector<sg4::Link*> links;
  for (const auto& l : platform.links) {
    // Every link has a latency > 0: SimGrid weighs a zero-latency flow as if it had 1 s.
    const double latency = std::max(l.latency_s, 1e-9);
    if (l.shared) {
      links.push_back(zone->create_link(l.name, l.bytes_per_s)->set_latency(latency)->seal());
    } else {
      links.push_back(zone->create_split_duplex_link(l.name, l.bytes_per_s)->set_latency(latency)->seal());
    }
  }
  for (const auto& r : platform.routes) {
    std::vector<sg4::LinkInRoute> hops;
    for (const Hop& h : r.hops) {
      const bool shared = platform.links[h.link].shared;
      hops.emplace_back(links[h.link], shared ? sg4::LinkInRoute::Direction::NONE
                                              : (h.forward ? sg4::LinkInRoute::Direction::UP
                                                           : sg4::LinkInRoute::Direction::DOWN));
    }
    zone->add_route(hosts[r.src]->get_netpoint(), hosts[r.dst]->get_netpoint(), nullptr, nullptr, hops, false);
  }
  zone->seal();
  return hosts;
}

}  // namespace trainsim::engine
