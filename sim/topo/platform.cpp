#include "sim/topo/platform.hpp"

#include <algorithm>
#include <sstream>

#include "sim/hw/units.hpp"
#include "sim/util/strings.hpp"

namespace trainsim {

const PlatformRoute* PlatformDescription::route(std::size_t src, std::size_t dst) const {
  if (route_index.size() == hosts.size() * hosts.size() && src < hosts.size() && dst < hosts.size()) {
    const std::size_t k = route_index[src * hosts.size() + dst];
    return k < routes.size() ? &routes[k] : nullptr;
  }
  for (const auto& r : routes) {
    if (r.src == src && r.dst == dst) return &r;
  }
  return nullptr;
}

PlatformDescription describe_platform(const Topology& topo) {
  PlatformDescription d;
  for (int g = 0; g < topo.gpu_count(); ++g) {
    const std::size_t v = topo.gpu_vertex(g);
    d.gpu_hosts.push_back(d.hosts.size());
    d.hosts.push_back({topo.vertex(v).name, VertexKind::gpu, v, 1, 1.0});
  }
  for (const std::size_t v : topo.hosts()) {
    d.cpu_hosts.push_back(d.hosts.size());
    d.hosts.push_back({topo.vertex(v).name, VertexKind::host, v, topo.vertex(v).cores, topo.vertex(v).per_core_speed});
  }
  const bool storage = topo.storage() < topo.vertex_count();
  if (storage) {
    d.storage_host = d.hosts.size();
    d.hosts.push_back({topo.vertex(topo.storage()).name, VertexKind::storage, topo.storage(), 1, 1.0});
  }
  for (std::size_t v = 0; v < topo.vertex_count(); ++v) {
    if (topo.vertex(v).kind != VertexKind::nvswitch) continue;
    d.switch_hosts.push_back(d.hosts.size());
    d.hosts.push_back({topo.vertex(v).name, VertexKind::nvswitch, v, 1, 1.0});
  }
  // No storage: the index past every host (set after the switches, which would take it otherwise).
  if (!storage) d.storage_host = d.hosts.size();
  for (const TopoLink& l : topo.links()) {
    d.links.push_back({l.name(), l.index, gbps(l.effective_gbps()), microseconds(l.latency_us), l.shared});
  }
  const auto add = [&](std::size_t src, std::size_t dst, const Route& r) {
    if (!r.hops.empty()) d.routes.push_back({src, dst, r.hops});
  };
  const int n = topo.gpu_count();
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) add(d.gpu_hosts[static_cast<std::size_t>(i)], d.gpu_hosts[static_cast<std::size_t>(j)],
                      topo.gpu_path(i, j).route);
    }
  }
  const auto machine = [&](std::size_t vertex) { return topo.vertex(vertex).machine; };
  for (const std::size_t sh : d.switch_hosts) {
    for (int i = 0; i < n; ++i) {
      if (machine(topo.gpu_vertex(i)) != machine(d.hosts[sh].vertex)) continue;  // clusters: NVLink stays in a machine
      const std::size_t gh = d.gpu_hosts[static_cast<std::size_t>(i)];
      Route up = topo.nvlink_route(topo.gpu_vertex(i), d.hosts[sh].vertex);
      Route down = topo.nvlink_route(d.hosts[sh].vertex, topo.gpu_vertex(i));
      if (topo.nvls_efficiency() > 0 && !up.hops.empty() && !down.hops.empty()) {
        const std::size_t port = d.links.size();
        d.links.push_back({topo.vertex(topo.gpu_vertex(i)).name + "--" + d.hosts[sh].name + ":nvls", up.hops.front().link,
                           gbps(std::min(up.effective_gbps, down.effective_gbps) * topo.nvls_efficiency()),
                           kNvlsPortLatencyS, false});
        up.hops.push_back({port, true});
        down.hops.insert(down.hops.begin(), Hop{port, false});
      }
      add(gh, sh, up);
      add(sh, gh, down);
    }
  }
  for (std::size_t k = 0; k < topo.hosts().size(); ++k) {
    const std::size_t hv = topo.hosts()[k];
    for (int i = 0; i < n; ++i) {
      if (machine(topo.gpu_vertex(i)) != machine(hv)) continue;
      const std::size_t gh = d.gpu_hosts[static_cast<std::size_t>(i)];
      add(d.cpu_hosts[k], gh, topo.route(hv, topo.gpu_vertex(i)));
      add(gh, d.cpu_hosts[k], topo.route(topo.gpu_vertex(i), hv));
    }
    for (std::size_t m = 0; m < topo.hosts().size(); ++m) {
      if (m != k && machine(topo.hosts()[m]) == machine(hv)) add(d.cpu_hosts[k], d.cpu_hosts[m], topo.route(hv, topo.hosts()[m]));
    }
    if (d.storage_host < d.hosts.size()) {
      add(d.storage_host, d.cpu_hosts[k], topo.storage_to_host(hv));
      add(d.cpu_hosts[k], d.storage_host, topo.route(hv, topo.storage()));
    }
  }
  d.route_index.assign(d.hosts.size() * d.hosts.size(), d.routes.size());
  for (std::size_t r = 0; r < d.routes.size(); ++r) d.route_index[d.routes[r].src * d.hosts.size() + d.routes[r].dst] = r;
  return d;
}

std::string to_simgrid_xml(const Topology& topo) {
  const PlatformDescription d = describe_platform(topo);
  std::ostringstream x;
  x << "<?xml version='1.0'?>\n"
    << "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    << "<!-- trainsim node '" << topo.name() << "': bandwidths are effective (line rate x protocol efficiency);\n"
    << "     exec amounts are seconds of work (speed 1f per core). -->\n"
    << "<platform version=\"4.1\">\n"
    << "  <zone id=\"" << (topo.name().empty() ? "node" : topo.name()) << "\" routing=\"Full\">\n";
  for (const auto& h : d.hosts) {
    x << "    <host id=\"" << h.name << "\" speed=\"" << h.speed << "f\" core=\"" << h.cores << "\">\n"
      << "      <prop id=\"kind\" value=\"" << to_string(h.kind) << "\"/>\n"
      << "    </host>\n";
  }
  for (const auto& l : d.links) {
    x << "    <link id=\"" << l.name << "\" bandwidth=\"" << format_double(l.bytes_per_s) << "Bps\" latency=\""
      << format_double(l.latency_s) << "s\" sharing_policy=\"" << (l.shared ? "SHARED" : "SPLITDUPLEX") << "\"/>\n";
  }
  for (const auto& r : d.routes) {
    x << "    <route src=\"" << d.hosts[r.src].name << "\" dst=\"" << d.hosts[r.dst].name << "\" symmetrical=\"NO\">";
    for (const Hop& h : r.hops) {
      const auto& l = d.links[h.link];
      x << "<link_ctn id=\"" << l.name << "\"";
      if (!l.shared) x << " direction=\"" << (h.forward ? "UP" : "DOWN") << "\"";
      x << "/>";
    }
    x << "</route>\n";
  }
  x << "  </zone>\n</platform>\n";
  return x.str();
}

std::string to_dot(const Topology& topo) {
  std::ostringstream x;
  x << "graph \"" << (topo.name().empty() ? "node" : topo.name()) << "\" {\n  node [fontname=\"Helvetica\"];\n";
  for (std::size_t v = 0; v < topo.vertex_count(); ++v) {
    const auto& tv = topo.vertex(v);
    const char* shape = "box";
    switch (tv.kind) {
      case VertexKind::gpu: shape = "box3d"; break;
      case VertexKind::host: shape = "component"; break;
      case VertexKind::nvswitch: shape = "hexagon"; break;
      case VertexKind::nvlink_bridge: shape = "point"; break;
      case VertexKind::storage: shape = "cylinder"; break;
      default: shape = "ellipse"; break;
    }
    std::string label = tv.name;
    if (tv.kind == VertexKind::gpu) label += "\\n" + tv.gpu;
    if (tv.kind == VertexKind::host) label += "\\n" + std::to_string(tv.cores) + " cores";
    x << "  \"" << tv.name << "\" [shape=" << shape << ", label=\"" << label << "\"];\n";
  }
  for (const auto& l : topo.links()) {
    const char* style = l.kind == LinkKind::nvlink || l.kind == LinkKind::nvswitch ? "bold" : "solid";
    x << "  \"" << l.a << "\" -- \"" << l.b << "\" [label=\"" << to_string(l.kind) << " " << fixed(l.gbps_per_direction, 1)
      << " GB/s\", style=" << style << "];\n";
  }
  x << "}\n";
  return x.str();
}

}  // namespace trainsim
