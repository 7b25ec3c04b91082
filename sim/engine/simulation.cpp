#include "sim/engine/simulation.hpp"

#include <algorithm>
#include <cstdint>

#include "sim/engine/sg_platform.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace detail {

// A node of the graph on trainsim's side. `pending` counts unfinished predecessors; the SimGrid
// activity exists only from launch (pending 0, and started or released by a predecessor) to the end.
struct Task {
  enum class State : std::uint8_t { waiting, running, finished, failed };
  int refs = 0;
  int pending = 0;
  State state = State::waiting;
  bool is_comm = false;
  bool recorded = true;
  std::size_t host = 0;  // exec: the host; comm: the source
  std::size_t dst = 0;
  double amount = 0;     // exec: seconds of one core; comm: bytes
  double start = -1;
  double finish = -1;
  Event tag;
  Simulation::Callback on_done;
  std::vector<Node> successors;
  sg4::ActivityPtr activity;  // while running
  Task* prev = nullptr;        // the list of live tasks (see ~Simulation)
  Task* next = nullptr;
};

}  // namespace detail

namespace {
bool g_created = false;
Simulation* g_current = nullptr;
detail::Task* g_live = nullptr;  // every task not yet deleted
// Finished activities are dropped once they ended before the current instant and more than this
// many are kept: SimGrid's completion code may still use one after the callbacks of its instant.
constexpr std::size_t kRetired = 64;
constexpr double kCompanionWork = 1e9;  // seconds; cancelled long before (a 1e30 amount loses precision)

void link(detail::Task* t) {
  t->next = g_live;
  if (g_live != nullptr) g_live->prev = t;
  g_live = t;
}

void unref(detail::Task* t) {
  if (t == nullptr || --t->refs > 0) return;
  if (t->prev != nullptr) t->prev->next = t->next;
  if (t->next != nullptr) t->next->prev = t->prev;
  if (g_live == t) g_live = t->next;
  delete t;
}
}  // namespace

Node::Node(detail::Task* t) noexcept : t_(t) {
  if (t_ != nullptr) ++t_->refs;
}

Node::Node(const Node& o) noexcept : t_(o.t_) {
  if (t_ != nullptr) ++t_->refs;
}

Node& Node::operator=(const Node& o) noexcept {
  if (o.t_ != nullptr) ++o.t_->refs;
  unref(t_);
  t_ = o.t_;
  return *this;
}

Node& Node::operator=(Node&& o) noexcept {
  if (this != &o) {
    unref(t_);
    t_ = o.t_;
    o.t_ = nullptr;
  }
  return *this;
}

Node::~Node() { unref(t_); }

bool Node::finished() const { return t_ != nullptr && t_->state == detail::Task::State::finished; }
double Node::start_time() const { return t_ != nullptr ? t_->start : -1; }
double Node::finish_time() const { return t_ != nullptr ? t_->finish : -1; }

void Node::then(const Node& next) const {
  if (t_ == nullptr || next.t_ == nullptr) return;
  if (t_->state == detail::Task::State::finished || next.t_->state != detail::Task::State::waiting) return;
  t_->successors.push_back(next);
  ++next.t_->pending;
}

Simulation::Simulation(const PlatformDescription& platform, const SimConfig& config) : platform_(platform) {
  if (g_created) throw RuntimeError("one SimGrid simulation per process: run another one in a child process");
  g_created = true;
  g_current = this;
  engine_ = make_engine(config.quiet);
  sg4::Host* clock = nullptr;
  hosts_ = build_platform(platform_, &clock);
  clock_ = hosts_.size();
  hosts_.push_back(clock);
  routes_.assign(hosts_.size(), std::vector<bool>(hosts_.size(), false));
  for (const auto& r : platform_.routes) routes_[r.src][r.dst] = true;
  sg4::Activity::on_completion_cb([](const sg4::Activity& a) {
    if (g_current != nullptr) g_current->completed(a);
  });
}

Simulation::~Simulation() {
  g_current = nullptr;
  // Tasks that never ran (the run ended first) may hold callbacks that hold nodes that hold them:
  // take their callbacks and successors out first, then let go.
  std::vector<Callback> callbacks;
  std::vector<Node> successors;
  for (detail::Task* t = g_live; t != nullptr; t = t->next) {
    callbacks.push_back(std::move(t->on_done));
    t->on_done = nullptr;
    for (Node& n : t->successors) successors.push_back(std::move(n));
    t->successors.clear();
    t->activity = nullptr;
  }
  callbacks.clear();
  successors.clear();
  retired_.clear();
}

bool Simulation::has_route(std::size_t src, std::size_t dst) const {
  return src < routes_.size() && dst < routes_.size() && routes_[src][dst];
}

detail::Task* Simulation::new_task(const Event& tag, Callback cb) {
  auto* t = new detail::Task();
  t->tag = tag;
  t->on_done = std::move(cb);
  link(t);
  return t;
}

Node Simulation::exec(std::size_t host, Seconds seconds, const Event& tag, Callback on_done) {
  detail::Task* t = new_task(tag, std::move(on_done));
  t->host = host;
  (void)hosts_.at(host);
  t->amount = std::max(0.0, seconds);
  return Node(t);
}

Node Simulation::comm(std::size_t src, std::size_t dst, Bytes bytes, const Event& tag, Callback on_done) {
  if (!has_route(src, dst)) {
    throw RuntimeError("no route from " + platform_.hosts.at(src).name + " to " + platform_.hosts.at(dst).name);
  }
  detail::Task* t = new_task(tag, std::move(on_done));
  t->is_comm = true;
  t->host = src;
  t->dst = dst;
  t->amount = std::max(0.0, bytes);
  return Node(t);
}

Node Simulation::marker(std::size_t host, Callback on_done) {
  detail::Task* t = new_task({}, std::move(on_done));
  t->host = host;
  (void)hosts_.at(host);
  t->recorded = false;
  return Node(t);
}

Node Simulation::delay(Seconds seconds, Callback on_done) {
  detail::Task* t = new_task({}, std::move(on_done));
  t->host = clock_;
  t->amount = std::max(0.0, seconds);
  t->recorded = false;
  return Node(t);
}

void Simulation::start(const Node& n) {
  if (n.t_ != nullptr && n.t_->pending == 0 && n.t_->state == detail::Task::State::waiting) launch(n.t_);
}

// Creates the task's SimGrid activity and starts it. The task holds a reference to itself until
// the activity has completed.
void Simulation::launch(detail::Task* t) {
  t->state = detail::Task::State::running;
  ++t->refs;
  if (++running_ > peak_running_) peak_running_ = running_;
  if (t->is_comm) {
    auto c = sg4::Comm::sendto_init(hosts_[t->host], hosts_[t->dst])->set_payload_size(t->amount);
    c->set_data(t);
    t->activity = c;
    c->vetoable_start();
  } else {
    auto e = sg4::Exec::init()->set_host(hosts_[t->host])->set_flops_amount(t->amount);
    e->set_data(t);
    t->activity = e;
    e->vetoable_start();
  }
}

void Simulation::retire(sg4::ActivityPtr a) {
  const Seconds t = now();
  while (retired_.size() > kRetired && retired_.front().first < t) retired_.pop_front();
  retired_.emplace_back(t, std::move(a));
}

void Simulation::completed(const sg4::Activity& a) {
  auto* t = a.get_data<detail::Task>();
  if (t == nullptr) return;  // companions
  const_cast<sg4::Activity&>(a).set_data(nullptr);
  ++completed_;
  --running_;
  const bool ok = a.get_state() == sg4::Activity::State::FINISHED;
  t->start = a.get_start_time();
  t->finish = a.get_finish_time();
  t->state = ok ? detail::Task::State::finished : detail::Task::State::failed;
  if (recorder_ != nullptr && t->recorded && ok) {
    Event e = t->tag;
    e.start = t->start;
    e.end = t->finish;
    recorder_->record(e);
  }
  started_at_ = t->start;
  Callback cb = std::move(t->on_done);
  t->on_done = nullptr;
  if (cb) cb();
  // As SimGrid releases its dependencies: after the callbacks, the last successor added first.
  std::vector<Node> successors = std::move(t->successors);
  t->successors.clear();
  if (ok) {
    for (auto it = successors.rbegin(); it != successors.rend(); ++it) {
      detail::Task* s = it->t_;
      if (--s->pending == 0 && s->state == detail::Task::State::waiting) launch(s);
    }
  }
  retire(std::move(t->activity));
  unref(t);  // the reference launch() took
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
