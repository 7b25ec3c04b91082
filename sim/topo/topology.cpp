#include "sim/topo/topology.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <queue>
#include <tuple>
#include <set>

#include "sim/util/strings.hpp"

namespace trainsim {

std::string_view to_string(PathKind k) {
  switch (k) {
    case PathKind::self: return "X";
    case PathKind::nvlink: return "NV";
    case PathKind::pix: return "PIX";
    case PathKind::pxb: return "PXB";
    case PathKind::phb: return "PHB";
    case PathKind::node: return "NODE";
    case PathKind::sys: return "SYS";
    case PathKind::net: return "NET";
  }
  return "?";
}

std::string GpuPath::label() const {
  if (kind == PathKind::nvlink) return "NV" + std::to_string(nvlinks);
  std::string s(to_string(kind));
  if (staged) s += "/host";
  return s;
}

namespace {

bool finite_positive(double v) { return std::isfinite(v) && v > 0; }

// Which links and intermediate vertices a kind of route may use.
struct RouteRules {
  std::set<LinkKind> links;
  std::set<VertexKind> through;
};

const RouteRules& nvlink_rules() {
  static const RouteRules r{{LinkKind::nvlink, LinkKind::nvswitch}, {VertexKind::nvswitch, VertexKind::nvlink_bridge}};
  return r;
}
const RouteRules& pcie_rules() {
  static const RouteRules r{{LinkKind::pcie, LinkKind::smp, LinkKind::host_memory, LinkKind::storage},
                            {VertexKind::pcie_switch, VertexKind::root_complex}};
  return r;
}

}  // namespace

Topology Topology::build(const NodeSpec& spec, const Catalog& catalog) {
  Topology t;
  t.spec_ = spec;
  std::map<std::string, std::size_t> by_name;
  std::vector<std::string> names;
  for (const auto& v : spec.vertices) {
    if (v.name.empty()) throw InputError(v.where, "vertices.name", "", "a non-empty vertex name");
    if (by_name.count(v.name) != 0) {
      throw InputError(v.where, "vertices.name", v.name, "a name used by one vertex only (duplicate name)");
    }
    const std::size_t id = boost::add_vertex(TopoVertex{v.name, v.kind, v.gpu, v.socket, v.cores, v.memory_gbps, v.where,
                                                        v.kind == VertexKind::host ? spec.cpu_per_core_speed : 1.0, v.machine},
                                             t.graph_);
    by_name[v.name] = id;
    names.push_back(v.name);
    if (v.kind == VertexKind::gpu) {
      t.gpus_.push_back(id);
      t.gpu_specs_.push_back(catalog.gpu(v.gpu, v.where, "vertices." + v.name + ".gpu"));
    } else if (v.kind == VertexKind::host) {
      if (v.cores < 1) {
        throw InputError(v.where, "vertices." + v.name + ".cores", std::to_string(v.cores), "at least 1 CPU core");
      }
      t.hosts_.push_back(id);
    } else if (v.kind == VertexKind::storage) {
      t.storage_ = id;
    }
  }
  if (t.gpus_.empty()) throw InputError(spec.where, "vertices", "no GPU", "at least one vertex of kind gpu");
  if (t.hosts_.empty()) {
    throw InputError(spec.where, "vertices", "no host", "at least one vertex of kind host (a CPU socket and its DRAM)");
  }
  if (std::none_of(spec.vertices.begin(), spec.vertices.end(),
                   [](const VertexSpec& v) { return v.kind == VertexKind::storage; })) {
    t.storage_ = t.vertex_count();
  }

  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& l : spec.links) {
    const std::string key = "links." + l.a + "--" + l.b;
    for (const auto* end : {&l.a, &l.b}) {
      if (by_name.count(*end) == 0) {
        throw InputError(l.where, key, *end, "the name of a vertex of this node, " + one_of(*end, names));
      }
    }
    if (l.a == l.b) throw InputError(l.where, key, l.a, "a link between two different vertices");
    const auto pair = std::minmax(l.a, l.b);
    if (!seen.insert({pair.first + "/" + std::string(to_string(l.kind)), pair.second}).second) {
      throw InputError(l.where, key, l.a + "--" + l.b, "one link of a kind between two vertices (duplicate link)");
    }
    if (!finite_positive(l.gbps_per_direction)) {
      throw InputError(l.where, key + ".gbps", format_double(l.gbps_per_direction), "a bandwidth > 0 GB/s");
    }
    const LinkClass& cls = catalog.link_class(l.kind);
    const double latency = l.latency_us > 0 ? l.latency_us : cls.latency_us;
    if (!std::isfinite(l.latency_us) || l.latency_us < 0) {
      throw InputError(l.where, key + ".latency_us", format_double(l.latency_us), "a latency >= 0 us");
    }
    double eff = l.efficiency.value_or(cls.efficiency);
    if (!std::isfinite(eff) || eff <= 0 || eff > 1) {
      throw InputError(l.where, key + ".efficiency", format_double(eff), "a protocol efficiency in (0, 1]");
    }
    const std::size_t va = by_name[l.a];
    const std::size_t vb = by_name[l.b];
    if (l.kind == LinkKind::nvlink || l.kind == LinkKind::nvswitch) {
      double nvlink_eff = 1.0;  // the lowest of the GPU ends' NVLink generations
      bool gpu_end = false;
      for (const std::size_t v : {va, vb}) {
        if (t.graph_[v].kind != VertexKind::gpu) continue;
        const GpuSpec& g = catalog.gpu(t.graph_[v].gpu);
        if (g.nvlink.gbps_per_direction <= 0) {
          throw InputError(l.where, key + ".kind", std::string(to_string(l.kind)),
                           "pcie: " + g.name + " has no NVLink (neither SXM links nor a bridge)");
        }
        // The catalog's protocol efficiency of this NVLink generation (a link's own figure wins).
        gpu_end = true;
        if (!l.efficiency) nvlink_eff = std::min(nvlink_eff, cls.efficiency_of_nvlink(g.nvlink.generation));
      }
      if (gpu_end && !l.efficiency) eff = nvlink_eff;
    }
    TopoLink tl;
    tl.index = t.links_.size();
    tl.a = l.a;
    tl.b = l.b;
    tl.va = va;
    tl.vb = vb;
    tl.kind = l.kind;
    tl.gbps_per_direction = l.gbps_per_direction;
    tl.efficiency = eff;
    tl.latency_us = latency;
    tl.shared = l.shared;
    tl.nvlinks = l.nvlinks;
    tl.where = l.where;
    boost::add_edge(va, vb, tl.index, t.graph_);
    t.links_.push_back(tl);
  }

  // Every GPU must reach a host over PCIe: that is how batches arrive.
  for (std::size_t i = 0; i < t.gpus_.size(); ++i) {
    const auto& v = t.graph_[t.gpus_[i]];
    if (boost::out_degree(t.gpus_[i], t.graph_) == 0) {
      throw InputError(v.where, "vertices." + v.name, v.name, "a GPU that some link reaches (it has no link)");
    }
    if (t.route(t.host_of(static_cast<int>(i)), t.gpus_[i]).hops.empty()) {
      throw InputError(v.where, "vertices." + v.name, v.name,
                       "a GPU connected to a host over PCIe (no PCIe path from host memory reaches it)");
    }
  }

  if (std::any_of(spec.vertices.begin(), spec.vertices.end(),
                  [](const VertexSpec& v) { return v.kind == VertexKind::nvswitch; })) {
    const LinkClass& sw = catalog.link_class(LinkKind::nvswitch);
    t.nvls_efficiency_ = 1.0;
    for (const GpuSpec& g : t.gpu_specs_) t.nvls_efficiency_ = std::min(t.nvls_efficiency_, sw.nvls_efficiency_of(g.generation));
  }

  const std::size_t n = t.gpus_.size();
  t.paths_.assign(n, std::vector<GpuPath>(n));
  if (spec.cluster) {
    t.build_cluster_paths();
    return t;
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) t.paths_[i][j] = t.classify(static_cast<int>(i), static_cast<int>(j));
    }
  }
  return t;
}

std::size_t Topology::host_of(int gpu) const {
  const TopoVertex& g = graph_[gpu_vertex(gpu)];
  for (const std::size_t h : hosts_) {
    if (graph_[h].socket == g.socket && graph_[h].machine == g.machine) return h;
  }
  for (const std::size_t h : hosts_) {
    if (graph_[h].machine == g.machine) return h;
  }
  return hosts_.front();
}

namespace {

// Dijkstra on (hops, -bottleneck): the shortest path, and among those the widest, then the one
// through the lowest vertex ids (deterministic).
std::vector<Hop> search(const Topology& t, std::size_t from, std::size_t to, const RouteRules& rules) {
  const std::size_t n = t.vertex_count();
  constexpr std::size_t inf = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> hops(n, inf);
  std::vector<double> width(n, 0.0);
  std::vector<Hop> via(n);
  std::vector<std::size_t> prev(n, inf);
  std::vector<bool> done(n, false);
  hops[from] = 0;
  width[from] = std::numeric_limits<double>::infinity();
  // Min-heap on (hops, -width, vertex): the order in which a scan for the best open vertex would
  // take them. Stale entries (a vertex whose key improved since) are skipped.
  using Key = std::tuple<std::size_t, double, std::size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> open;
  open.emplace(0, -width[from], from);
  while (!open.empty()) {
    const auto [h, negw, u] = open.top();
    open.pop();
    if (done[u] || h != hops[u] || -negw != width[u]) continue;
    if (u == to) break;
    done[u] = true;
    if (u != from && rules.through.count(t.vertex(u).kind) == 0) continue;  // endpoints only
    for (auto [e, end] = boost::out_edges(u, t.graph()); e != end; ++e) {
      const TopoLink& l = t.links()[t.graph()[*e]];
      if (rules.links.count(l.kind) == 0) continue;
      const std::size_t v = boost::target(*e, t.graph());
      if (done[v]) continue;
      const double w = std::min(width[u], l.effective_gbps());
      if (hops[u] + 1 < hops[v] || (hops[u] + 1 == hops[v] && w > width[v])) {
        hops[v] = hops[u] + 1;
        width[v] = w;
        prev[v] = u;
        via[v] = Hop{l.index, l.va == u};
        open.emplace(hops[v], -w, v);
      }
    }
  }
  if (hops[to] == inf || from == to) return {};
  std::vector<Hop> out;
  for (std::size_t v = to; v != from; v = prev[v]) out.push_back(via[v]);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

Route Topology::make_route(std::vector<Hop> hops) const {
  Route r;
  std::map<std::pair<std::size_t, bool>, int> uses;  // (link, direction or shared) -> crossings
  for (const Hop& h : hops) {
    const TopoLink& l = links_[h.link];
    r.latency_us += l.latency_us;
    ++uses[{h.link, l.shared ? true : h.forward}];
  }
  r.bottleneck_gbps = std::numeric_limits<double>::infinity();
  r.effective_gbps = std::numeric_limits<double>::infinity();
  for (const auto& [key, count] : uses) {
    const TopoLink& l = links_[key.first];
    r.bottleneck_gbps = std::min(r.bottleneck_gbps, l.gbps_per_direction / count);
    r.effective_gbps = std::min(r.effective_gbps, l.effective_gbps() / count);
  }
  if (hops.empty()) r.bottleneck_gbps = r.effective_gbps = 0;
  r.hops = std::move(hops);
  return r;
}

Route Topology::route(std::size_t from, std::size_t to) const { return make_route(search(*this, from, to, pcie_rules())); }

Route Topology::nvlink_route(std::size_t from, std::size_t to) const {
  return make_route(search(*this, from, to, nvlink_rules()));
}

Route Topology::host_to_gpu(int gpu) const { return route(host_of(gpu), gpu_vertex(gpu)); }
Route Topology::gpu_to_host(int gpu) const { return route(gpu_vertex(gpu), host_of(gpu)); }

Route Topology::storage_to_host(std::size_t host) const {
  if (storage_ >= vertex_count()) return {};
  return route(storage_, host);
}

const GpuPath& Topology::gpu_path(int from, int to) const {
  return paths_.at(static_cast<std::size_t>(from)).at(static_cast<std::size_t>(to));
}

GpuPath Topology::classify(int from, int to) const {
  GpuPath p;
  const std::size_t a = gpu_vertex(from);
  const std::size_t b = gpu_vertex(to);
  auto nv = search(*this, a, b, nvlink_rules());
  if (!nv.empty()) {
    p.kind = PathKind::nvlink;
    p.nvlinks = std::numeric_limits<int>::max();
    for (const Hop& h : nv) p.nvlinks = std::min(p.nvlinks, links_[h.link].nvlinks);
    p.route = make_route(std::move(nv));
    return p;
  }
  std::vector<Hop> hops;
  if (spec_.p2p) {
    RouteRules p2p = pcie_rules();
    p2p.links.erase(LinkKind::host_memory);
    hops = search(*this, a, b, p2p);
  }
  if (hops.empty()) {
    // No peer-to-peer: the sender writes to pinned host memory, the receiver reads it.
    p.staged = true;
    const std::size_t host = host_of(from);
    hops = search(*this, a, host, pcie_rules());
    auto second = search(*this, host, b, pcie_rules());
    hops.insert(hops.end(), second.begin(), second.end());
  }
  // The PCIe class from the vertices the path crosses (host memory excluded).
  std::set<int> sockets;
  std::set<std::size_t> complexes;
  int switches = 0;
  std::size_t v = a;
  for (const Hop& h : hops) {
    const TopoLink& l = links_[h.link];
    v = h.forward ? l.vb : l.va;
    const TopoVertex& tv = graph_[v];
    if (tv.kind == VertexKind::root_complex) {
      complexes.insert(v);
      sockets.insert(tv.socket);
    } else if (tv.kind == VertexKind::pcie_switch) {
      ++switches;
    }
  }
  if (sockets.size() > 1) {
    p.kind = PathKind::sys;
  } else if (complexes.size() > 1) {
    p.kind = PathKind::node;
  } else if (!complexes.empty()) {
    p.kind = PathKind::phb;
  } else {
    p.kind = switches > 1 ? PathKind::pxb : PathKind::pix;
  }
  p.route = make_route(std::move(hops));
  return p;
}

InputError Topology::layout_error(const std::string& why) const {
  return InputError(spec_.where, "layout", spec_.name, "a cluster laid out as expand_cluster writes it (" + why + ")");
}

// The layout must match the graph: every index build_cluster_paths computes must exist and be of
// the kind it expects (a full-form file may carry any layout).
void Topology::check_cluster_layout() const {
  const ClusterLayout& c = *spec_.cluster;
  const std::size_t m = static_cast<std::size_t>(c.machines);
  const std::size_t nics = static_cast<std::size_t>(c.nics_per_machine);
  if (c.machines < 1 || c.gpus_per_machine < 1 || c.nics_per_machine < 1) throw layout_error("counts >= 1");
  if (gpu_count() != c.gpus_per_machine * c.machines) throw layout_error("machines x gpus_per_machine GPUs");
  if (c.rail_of_gpu.size() != static_cast<std::size_t>(c.gpus_per_machine)) throw layout_error("one rail per GPU");
  for (const int r : c.rail_of_gpu) {
    if (r < 0 || r >= c.nics_per_machine) throw layout_error("rails below nics_per_machine");
  }
  const std::size_t nic0 = c.vertices_per_machine * m;
  if (vertex_count() < nic0 + nics * m || links_.size() < c.links_per_machine * m + 2 * nics * m) {
    throw layout_error("the machines' vertices and links, then a NIC, a PCIe and a network link per rail");
  }
  for (std::size_t v = 0; v < nic0 + nics * m; ++v) {
    const std::size_t machine = v < nic0 ? v / c.vertices_per_machine : (v - nic0) / nics;
    if (graph_[v].machine != static_cast<int>(machine)) throw layout_error("vertex " + graph_[v].name + " in its machine's block");
    if (v >= nic0 && graph_[v].kind != VertexKind::nic) throw layout_error("vertex " + graph_[v].name + " a NIC");
  }
  for (int gpu = 0; gpu < gpu_count(); ++gpu) {
    if (graph_[gpu_vertex(gpu)].machine != gpu / c.gpus_per_machine) throw layout_error("GPUs in machine order");
  }
  const std::size_t net0 = c.links_per_machine * m + nics * m;
  for (std::size_t k = 0; k < nics * m; ++k) {
    const TopoLink& l = links_[net0 + k];
    if (l.kind != LinkKind::network || l.va != nic0 + k) throw layout_error("network link " + l.name() + " from its NIC");
  }
  const std::size_t trunks = links_.size() - (net0 + nics * m);
  if (trunks != 0 && trunks != nics) throw layout_error("no trunk, or one per rail");
  for (std::size_t k = net0 + nics * m; k < links_.size(); ++k) {
    if (links_[k].kind != LinkKind::network) throw layout_error("trunks of kind network");
  }
}

// A cluster: paths inside machine 0 are searched and copied to the other machines (their links
// are machine 0's shifted by whole machines); paths between machines are the sender's way to its
// NIC, the network between the two NICs and the receiver's way from its NIC, with no search over
// the whole graph (which would be quadratic in GPUs for every pair).
void Topology::build_cluster_paths() {
  const ClusterLayout& c = *spec_.cluster;
  const int g = c.gpus_per_machine;
  const int machines = c.machines;
  const std::size_t nics = static_cast<std::size_t>(c.nics_per_machine);
  const std::size_t machine_links = c.links_per_machine * static_cast<std::size_t>(machines);
  const std::size_t nic_pcie = machine_links;
  const std::size_t nic_net = nic_pcie + nics * static_cast<std::size_t>(machines);
  const std::size_t trunks = nic_net + nics * static_cast<std::size_t>(machines);
  const std::size_t nic_vertex0 = c.vertices_per_machine * static_cast<std::size_t>(machines);
  // A spec edited after expand_cluster (GPUs or links taken out) no longer matches its layout.
  check_cluster_layout();
  for (int i = 0; i < g; ++i) {
    for (int j = 0; j < g; ++j) {
      if (i == j) continue;
      const GpuPath base = classify(i, j);
      for (const Hop& h : base.route.hops) {
        if (h.link >= c.links_per_machine) throw layout_error("a path inside machine 0 leaves its links");
      }
      for (int m = 0; m < machines; ++m) {
        GpuPath p = base;
        for (Hop& h : p.route.hops) h.link += c.links_per_machine * static_cast<std::size_t>(m);
        paths_[static_cast<std::size_t>(m * g + i)][static_cast<std::size_t>(m * g + j)] = std::move(p);
      }
    }
  }
  if (machines < 2) return;
  // Each GPU to its rail's NIC: peer-to-peer over PCIe (GPUDirect RDMA), or staged through host memory.
  std::vector<std::vector<Hop>> up(gpus_.size());
  RouteRules direct = pcie_rules();
  direct.links.erase(LinkKind::host_memory);
  for (int gpu = 0; gpu < gpu_count(); ++gpu) {
    const int m = gpu / g;
    const int r = c.rail_of_gpu[static_cast<std::size_t>(gpu % g)];
    const std::size_t nic = nic_vertex0 + static_cast<std::size_t>(m) * nics + static_cast<std::size_t>(r);
    auto& hops = up[static_cast<std::size_t>(gpu)];
    if (c.gpudirect) {
      hops = search(*this, gpus_[static_cast<std::size_t>(gpu)], nic, direct);
    } else {
      const std::size_t host = host_of(gpu);
      hops = search(*this, gpus_[static_cast<std::size_t>(gpu)], host, pcie_rules());
      const auto second = search(*this, host, nic, pcie_rules());
      hops.insert(hops.end(), second.begin(), second.end());
    }
    if (hops.empty()) {
      throw InputError(graph_[gpus_[static_cast<std::size_t>(gpu)]].where, "cluster.network", graph_[nic].name,
                       "a NIC that the GPU reaches over PCIe");
    }
  }
  for (int a = 0; a < gpu_count(); ++a) {
    for (int b = 0; b < gpu_count(); ++b) {
      const int ma = a / g;
      const int mb = b / g;
      if (ma == mb) continue;
      const std::size_t ra = static_cast<std::size_t>(c.rail_of_gpu[static_cast<std::size_t>(a % g)]);
      const std::size_t rb = static_cast<std::size_t>(c.rail_of_gpu[static_cast<std::size_t>(b % g)]);
      std::vector<Hop> hops = up[static_cast<std::size_t>(a)];
      hops.push_back({nic_net + static_cast<std::size_t>(ma) * nics + ra, true});
      const bool leaves = trunks < links_.size();  // rail-optimised with more than one rail
      if (leaves && ra != rb) {
        hops.push_back({trunks + ra, true});
        hops.push_back({trunks + rb, false});
      }
      hops.push_back({nic_net + static_cast<std::size_t>(mb) * nics + rb, false});
      const auto& down = up[static_cast<std::size_t>(b)];
      for (auto h = down.rbegin(); h != down.rend(); ++h) hops.push_back({h->link, !h->forward});
      GpuPath p;
      p.kind = PathKind::net;
      p.staged = !c.gpudirect;
      p.route = make_route(std::move(hops));
      paths_[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = std::move(p);
    }
  }
}

}  // namespace trainsim
