#include "sim/engine/simulation.hpp"

#include <algorithm>

#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {
bool g_created = false;
Simulation* g_current = nullptr;
constexpr double kCompanionWork = 1e9;  // seconds; cancelled long before (a 1e30 amount loses precision)
}  // namespace

bool Node::finished() const {
  const sg4::Activity* a = get();
  return a != nullptr && a->get_state() == sg4::Activity::State::FINISHED;
}

void Node::then(const Node& next) const {
  if (!valid() || !next.valid() || finished()) return;
  if (exec_) {
    exec_->add_successor(next.exec_ ? sg4::ActivityPtr(next.exec_) : sg4::ActivityPtr(next.comm_));
  } else {
    comm_->add_successor(next.exec_ ? sg4::ActivityPtr(next.exec_) : sg4::ActivityPtr(next.comm_));
  }
}

Simulation::Simulation(const PlatformDescription& platform, const SimConfig& config) : platform_(platform) {
  if (g_created) throw RuntimeError("one SimGrid simulation per process: run another one in a child process");
  g_created = true;
  g_current = this;
  static int argc = 1;
  static char name[] = "trainsim";
  static char log[] = "--log=root.thres:critical";
  static char* argv[] = {name, log, nullptr};
  argc = config.quiet ? 2 : 1;
  engine_ = std::make_unique<sg4::Engine>(&argc, argv);
  // No distortion of links: CM02 without LV08's latency and bandwidth factors, no TCP window.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:-1");
  sg4::Engine::set_config("network/latency-factor:1");
  sg4::Engine::set_config("network/bandwidth-factor:1");
  sg4::Engine::set_config("network/weight-S:0");

  auto* zone = sg4::create_full_zone("node");
  for (const auto& h : platform_.hosts) {
    auto* host = zone->create_host(h.name, h.speed);
    if (h.cores > 1) host->set_core_count(h.cores);
    hosts_.push_back(host);
  }
  std::vector<sg4::Link*> links;
  for (const auto& l : platform_.links) {
    // Every link has a latency > 0: SimGrid weighs a zero-latency flow as if it had 1 s.
    const double latency = std::max(l.latency_s, 1e-9);
    if (l.shared) {
      links.push_back(zone->create_link(l.name, l.bytes_per_s)->set_latency(latency)->seal());
    } else {
      links.push_back(zone->create_split_duplex_link(l.name, l.bytes_per_s)->set_latency(latency)->seal());
    }
  }
  routes_.assign(hosts_.size(), std::vector<bool>(hosts_.size(), false));
  for (const auto& r : platform_.routes) {
    std::vector<sg4::LinkInRoute> hops;
    for (const Hop& h : r.hops) {
      const bool shared = platform_.links[h.link].shared;
      hops.emplace_back(links[h.link], shared ? sg4::LinkInRoute::Direction::NONE
                                              : (h.forward ? sg4::LinkInRoute::Direction::UP
                                                           : sg4::LinkInRoute::Direction::DOWN));
    }
    zone->add_route(hosts_[r.src]->get_netpoint(), hosts_[r.dst]->get_netpoint(), nullptr, nullptr, hops, false);
    routes_[r.src][r.dst] = true;
  }
  zone->seal();
  sg4::Activity::on_completion_cb([](const sg4::Activity& a) {
    if (g_current != nullptr) g_current->completed(a);
  });
  open_batch();
}

Simulation::~Simulation() { g_current = nullptr; }

bool Simulation::has_route(std::size_t src, std::size_t dst) const {
  return src < routes_.size() && dst < routes_.size() && routes_[src][dst];
}

Simulation::Record* Simulation::new_record(const Event& tag, Callback cb) {
  Record* r = nullptr;
  if (!free_records_.empty()) {
    r = free_records_.back();
    free_records_.pop_back();
  } else {
    records_.emplace_back();
    r = &records_.back();
  }
  r->tag = tag;
  r->on_done = std::move(cb);
  r->batch = current_;
  r->recorded = true;
  ++current_->pending;
  return r;
}

Node Simulation::exec(std::size_t host, Seconds seconds, const Event& tag, Callback on_done) {
  auto e = sg4::Exec::init()->set_host(hosts_.at(host))->set_flops_amount(std::max(0.0, seconds));
  e->set_data(new_record(tag, std::move(on_done)));
  Node n(e);
  current_->nodes.push_back(n);
  return n;
}

Node Simulation::comm(std::size_t src, std::size_t dst, Bytes bytes, const Event& tag, Callback on_done) {
  if (!has_route(src, dst)) {
    throw RuntimeError("no route from " + platform_.hosts.at(src).name + " to " + platform_.hosts.at(dst).name);
  }
  auto c = sg4::Comm::sendto_init(hosts_[src], hosts_[dst])->set_payload_size(std::max(0.0, bytes));
  c->set_data(new_record(tag, std::move(on_done)));
  Node n(c);
  current_->nodes.push_back(n);
  return n;
}

Node Simulation::marker(std::size_t host, Callback on_done) {
  auto e = sg4::Exec::init()->set_host(hosts_.at(host))->set_flops_amount(0.0);
  Record* r = new_record({}, std::move(on_done));
  r->recorded = false;
  e->set_data(r);
  Node n(e);
  current_->nodes.push_back(n);
  return n;
}

void Simulation::start(const Node& n) {
  if (n.exec()) {
    n.exec()->vetoable_start();
  } else if (n.valid()) {
    static_cast<sg4::Comm*>(n.get())->vetoable_start();
  }
}

void Simulation::open_batch() {
  if (current_ != nullptr && current_->pending == 0) {
    Batch* done = current_;
    current_ = nullptr;
    retire(done);
  }
  batches_.push_back(std::make_unique<Batch>());
  current_ = batches_.back().get();
}

void Simulation::retire(Batch* b) {
  for (auto it = batches_.begin(); it != batches_.end(); ++it) {
    if (it->get() == b) {
      graveyard_.push_back(std::move(*it));
      batches_.erase(it);
      break;
    }
  }
  // An activity of a batch may still be inside SimGrid's completion code when its batch retires;
  // keep a few retired batches before dropping their references.
  while (graveyard_.size() > 8) graveyard_.pop_front();
}

void Simulation::completed(const sg4::Activity& a) {
  auto* r = a.get_data<Record>();
  if (r == nullptr) return;  // companions
  const_cast<sg4::Activity&>(a).set_data(nullptr);
  ++completed_;
  if (recorder_ != nullptr && r->recorded && a.get_state() == sg4::Activity::State::FINISHED) {
    Event e = r->tag;
    e.start = a.get_start_time();
    e.end = a.get_finish_time();
    recorder_->record(e);
  }
  Batch* b = r->batch;
  started_at_ = a.get_start_time();
  Callback cb = std::move(r->on_done);
  r->on_done = nullptr;
  free_records_.push_back(r);
  if (cb) cb();
  if (--b->pending == 0 && b != current_) retire(b);
}

sg4::ExecPtr Simulation::companion(std::size_t host, double priority) {
  auto e = sg4::Exec::init()->set_host(hosts_.at(host))->set_flops_amount(kCompanionWork)->set_priority(priority);
  e->vetoable_start();
  companions_.push_back(e);
  return e;
}

void Simulation::set_priority(const sg4::ExecPtr& companion, double priority) { companion->update_priority(priority); }

void Simulation::stop_companions() {
  for (auto& c : companions_) {
    if (c->get_state() == sg4::Activity::State::STARTED) c->cancel();
  }
}

void Simulation::run() { engine_->run(); }

Seconds Simulation::now() { return sg4::Engine::get_clock(); }

}  // namespace trainsim::engine
