#include "sim/engine/simulation.hpp"

#include <algorithm>

#include "sim/engine/sg_platform.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {
bool g_created = false;
Simulation* g_current = nullptr;
constexpr std::size_t kMinRetiredBatches = 1;
constexpr std::size_t kMaxRetiredBatches = 8;
constexpr std::size_t kRetainedNodes = 4096;
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
  engine_ = make_engine(config.quiet);
  hosts_ = build_platform(platform_);
  routes_.assign(hosts_.size(), std::vector<bool>(hosts_.size(), false));
  for (const auto& r : platform_.routes) routes_[r.src][r.dst] = true;
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
  // keep the last retired batches before dropping their references. Older ones go as soon as the
  // graveyard holds more than kRetainedNodes activities: a finished graph kept in memory slows
  // SimGrid's own bookkeeping down through cache misses (bench collective: ratio 0.70 with 8
  // batches of 1,792 transfers kept, 0.84 with one).
  graveyard_nodes_ += graveyard_.empty() ? 0 : graveyard_.back()->nodes.size();
  while (graveyard_.size() > kMaxRetiredBatches ||
         (graveyard_.size() > kMinRetiredBatches && graveyard_nodes_ > kRetainedNodes)) {
    graveyard_nodes_ -= graveyard_.front()->nodes.size();
    graveyard_.pop_front();
  }
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
