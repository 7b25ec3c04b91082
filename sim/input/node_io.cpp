#include "sim/input/node_io.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "sim/input/catalog_io.hpp"
#include "sim/input/cluster_io.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace fs = std::filesystem;

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  const fs::path dir = fs::path(data_dir()) / "platforms" / "nodes";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

CompactNodeSpec parse_compact_node(const YNode& n) {
  n.allow_only({"name", "description", "source", "gpu", "count", "interconnect", "pcie", "cpu", "nvlink", "storage"});
  CompactNodeSpec c;
  c.where = n.where();
  const YNode gpu = n.require("gpu", "a GPU name from the catalog");
  c.gpu = gpu.as_string("a GPU name from the catalog");
  c.gpu_where = gpu.where();
  const YNode count = n.get("count");
  c.count_where = count.where();
  if (count.defined()) c.count = static_cast<int>(count.as_int(1, 8, "1 to 8 GPUs in a compact node (write the full form for more)"));
  const YNode ic = n.get("interconnect");
  c.interconnect_where = ic.where();
  if (ic.defined()) c.interconnect = *parse_interconnect(ic.as_enum(interconnect_names()));
  if (const YNode p = n.get("pcie"); p.defined()) {
    p.expect_map("a map: gen, p2p, gbps");
    p.allow_only({"gen", "p2p", "gbps"});
    if (p.get("gen").defined()) c.pcie_gen = static_cast<int>(p.get("gen").as_int(1, 6, "a PCIe generation, 1 to 6"));
    if (p.get("p2p").defined()) c.p2p = p.get("p2p").as_bool();
    if (p.get("gbps").defined()) c.pcie_gbps = p.get("gbps").as_double(0.001, 1e4, "GB/s per direction > 0");
  }
  if (const YNode cpu = n.get("cpu"); cpu.defined()) {
    cpu.expect_map("a map: cores, sockets, memory_gbps, per_core_speed, speed_source");
    cpu.allow_only({"cores", "sockets", "memory_gbps", "model", "per_core_speed", "speed_source"});
    if (cpu.get("per_core_speed").defined()) {
      c.cpu_per_core_speed = cpu.get("per_core_speed").as_double(0.01, 100, "a speed relative to the measuring core, 0.01 to 100");
      c.cpu_speed_source = cpu.require("speed_source", "where the per-core speed comes from").as_string();
    }
    if (cpu.get("cores").defined()) c.cpu_cores = static_cast<int>(cpu.get("cores").as_int(1, 4096, "1 to 4096 cores"));
    if (cpu.get("sockets").defined()) c.sockets = static_cast<int>(cpu.get("sockets").as_int(1, 8, "1 to 8 sockets"));
    if (cpu.get("memory_gbps").defined()) {
      c.host_memory_gbps = cpu.get("memory_gbps").as_double(0.001, 1e5, "DRAM GB/s > 0");
    }
  }
  if (const YNode nv = n.get("nvlink"); nv.defined()) {
    nv.expect_map("a map: gbps");
    nv.allow_only({"gbps"});
    c.nvlink_gbps = nv.require("gbps", "GB/s").as_double(0.001, 1e5, "NVLink GB/s per direction > 0");
  }
  if (const YNode st = n.get("storage"); st.defined()) {
    st.expect_map("a map: read_gbps");
    st.allow_only({"read_gbps"});
    c.storage.read_gbps = st.require("read_gbps", "GB/s").as_double(0.001, 1e4, "storage read GB/s > 0");
  }
  return c;
}

namespace {

NodeSpec parse_full_node(const YNode& n) {
  n.allow_only({"name", "description", "source", "p2p", "vertices", "links", "storage", "cpu_speed", "layout"});
  NodeSpec node;
  node.where = n.where();
  if (const YNode cs = n.get("cpu_speed"); cs.defined()) {
    cs.expect_map("a map: per_core_speed, speed_source");
    cs.allow_only({"per_core_speed", "speed_source"});
    node.cpu_per_core_speed =
        cs.require("per_core_speed", "a relative speed").as_double(0.01, 100, "a speed relative to the measuring core, 0.01 to 100");
    node.cpu_speed_source = cs.require("speed_source", "where the per-core speed comes from").as_string();
  }
  if (const YNode l = n.get("layout"); l.defined()) {
    // A cluster written out in full form (node_to_yaml); Topology::build checks it against the graph.
    l.expect_map("a cluster layout map");
    l.allow_only({"machines", "vertices_per_machine", "links_per_machine", "gpus_per_machine", "nics_per_machine",
                  "gpudirect", "rail_of_gpu"});
    ClusterLayout c;
    c.machines = static_cast<int>(l.require("machines", "machines").as_int(1, 256, "1 to 256 machines"));
    c.vertices_per_machine = static_cast<std::size_t>(l.require("vertices_per_machine", "a count").as_int(1, 100000, "1 to 100000"));
    c.links_per_machine = static_cast<std::size_t>(l.require("links_per_machine", "a count").as_int(1, 100000, "1 to 100000"));
    c.gpus_per_machine = static_cast<int>(l.require("gpus_per_machine", "a count").as_int(1, 64, "1 to 64 GPUs"));
    c.nics_per_machine = static_cast<int>(l.require("nics_per_machine", "a count").as_int(1, 64, "1 to 64 NICs"));
    c.gpudirect = l.require("gpudirect", "true or false").as_bool();
    for (const YNode& r : l.require("rail_of_gpu", "a list of NIC indices").items("a list of NIC indices")) {
      c.rail_of_gpu.push_back(static_cast<int>(r.as_int(0, c.nics_per_machine - 1, "a NIC index below nics_per_machine")));
    }
    node.cluster = c;
  }
  if (n.get("p2p").defined()) node.p2p = n.get("p2p").as_bool();
  for (const YNode& v : n.require("vertices", "a list of vertices").items("a list of vertices")) {
    v.expect_map("a vertex (a map with name and kind)");
    v.allow_only({"name", "kind", "gpu", "socket", "cores", "memory_gbps", "machine"});
    VertexSpec vs;
    vs.where = v.where();
    vs.name = v.require("name", "a vertex name").as_string();
    vs.kind = *parse_vertex_kind(v.require("kind", "a vertex kind").as_enum(vertex_kind_names()));
    if (vs.kind == VertexKind::gpu) vs.gpu = v.require("gpu", "a GPU name from the catalog").as_string();
    if (v.get("machine").defined()) vs.machine = static_cast<int>(v.get("machine").as_int(-1, 255, "a machine -1 to 255"));
    if (v.get("socket").defined()) vs.socket = static_cast<int>(v.get("socket").as_int(0, 63, "a socket 0 to 63"));
    if (vs.kind == VertexKind::host) {
      vs.cores = static_cast<int>(v.require("cores", "CPU cores").as_int(1, 4096, "1 to 4096 cores"));
      vs.memory_gbps = v.require("memory_gbps", "DRAM GB/s").as_double(0.001, 1e5, "DRAM GB/s > 0");
    }
    node.vertices.push_back(vs);
  }
  for (const YNode& l : n.require("links", "a list of links").items("a list of links")) {
    l.expect_map("a link (a map with a, b, kind, gbps)");
    l.allow_only({"a", "b", "kind", "gbps", "latency_us", "shared", "nvlinks", "efficiency"});
    LinkSpec ls;
    ls.where = l.where();
    ls.a = l.require("a", "a vertex name").as_string();
    ls.b = l.require("b", "a vertex name").as_string();
    ls.kind = *parse_link_kind(l.require("kind", "a link kind").as_enum(link_kind_names()));
    const YNode bw = l.require("gbps", "a bandwidth in GB/s per direction");
    ls.gbps_per_direction = bw.as_double(1e-9, 1e6, "a bandwidth > 0 GB/s per direction");
    if (l.get("latency_us").defined()) ls.latency_us = l.get("latency_us").as_double(1e-6, 1e6, "a latency > 0 us");
    if (l.get("shared").defined()) ls.shared = l.get("shared").as_bool();
    if (l.get("nvlinks").defined()) ls.nvlinks = static_cast<int>(l.get("nvlinks").as_int(0, 64, "0 to 64 links"));
    if (l.get("efficiency").defined()) ls.efficiency = l.get("efficiency").as_double(1e-6, 1, "a fraction in (0, 1]");
    if (ls.kind == LinkKind::host_memory && !l.get("shared").defined()) ls.shared = true;
    node.links.push_back(ls);
  }
  // A host's DRAM is the host_memory link next to it; add it when the file gives memory_gbps only.
  for (const auto& v : node.vertices) {
    if (v.kind != VertexKind::host) continue;
    const bool has = std::any_of(node.links.begin(), node.links.end(), [&](const LinkSpec& l) {
      return l.kind == LinkKind::host_memory && (l.a == v.name || l.b == v.name);
    });
    if (!has) {
      throw InputError(v.where, "vertices." + v.name, v.name,
                       "a host joined to its root complex by a link of kind host_memory (its DRAM)");
    }
  }
  if (const YNode st = n.get("storage"); st.defined()) {
    st.allow_only({"read_gbps"});
    node.storage.read_gbps = st.require("read_gbps", "GB/s").as_double(0.001, 1e4, "storage read GB/s > 0");
  }
  return node;
}

}  // namespace

NodeSpec parse_node(const YNode& n, const Catalog& catalog, const std::string& name) {
  n.expect_map("a node: a map with gpu/count/interconnect (compact) or vertices/links (full)");
  if (n.has("cluster")) return parse_cluster(n, catalog, name, fs::path(n.file()).parent_path().string());
  NodeSpec node;
  if (n.has("vertices") || n.has("links")) {
    node = parse_full_node(n);
  } else if (n.has("gpu")) {
    node = expand(parse_compact_node(n), catalog, name);
  } else {
    throw n.error("a node with 'gpu' (compact form) or 'vertices' and 'links' (full form)");
  }
  node.name = n.get("name").defined() ? n.get("name").as_string() : name;
  if (n.get("description").defined()) node.description = n.get("description").as_string();
  return node;
}

bool is_inline_node(const std::string& ref) { return !ref.empty() && ref.front() == '{'; }

std::string node_file_path(const std::string& ref, const SourceLocation& where, const std::string& key) {
  const fs::path preset = fs::path(data_dir()) / "platforms" / "nodes" / (ref + ".yaml");
  std::error_code ec;
  if (ref.find('/') == std::string::npos && !ends_with(ref, ".yaml") && fs::is_regular_file(preset, ec)) {
    return preset.string();
  }
  if (const std::string cluster = cluster_preset_path(ref); !cluster.empty()) return cluster;
  if (fs::is_regular_file(ref, ec)) return ref;
  std::vector<std::string> names = preset_names();
  for (const auto& c : cluster_preset_names()) names.push_back(c);
  throw InputError(where, key, ref, "a node preset or a node file (or a cluster preset or file); presets are " + one_of(ref, names));
}

std::string find_preset(const std::string& gpu, int count, Interconnect interconnect, const SourceLocation& where) {
  for (const std::string& name : preset_names()) {
    const std::string path = (fs::path(data_dir()) / "platforms" / "nodes" / (name + ".yaml")).string();
    const YNode root = YNode::parse(read_text_file(path, "a node file"), path);
    if (!root.is_map() || !root.has("gpu")) continue;  // full form (or a cluster)
    const CompactNodeSpec c = parse_compact_node(root);
    if (c.gpu == gpu && c.count == count && c.interconnect == interconnect) return name;
  }
  throw InputError(where, "gpu/gpus/interconnect", gpu + "/" + std::to_string(count) + "/" + std::string(to_string(interconnect)),
                   "a combination that a compact preset in platforms/nodes describes");
}

NodeSpec load_node(const std::string& ref, const Catalog& catalog, const SourceLocation& where, const std::string& key) {
  if (is_inline_node(ref)) {  // a flow map, e.g. a generated candidate of `trainsim advise`
    const YNode root = YNode::parse(ref, where.file.empty() ? std::string("<inline node>") : where.file);
    return parse_node(root, catalog, "node");
  }
  const std::string path = node_file_path(ref, where, key);
  const YNode root = YNode::parse(read_text_file(path, "a node file"), path);
  const std::string stem = fs::path(path).stem().string();
  return parse_node(root, catalog, stem);
}

std::string node_to_yaml(const NodeSpec& node) {
  std::ostringstream y;
  y << "# Full-form trainsim node";
  if (!node.description.empty()) y << ": " << node.description;
  y << "\n";
  if (!node.name.empty()) y << "name: " << node.name << "\n";
  y << "p2p: " << (node.p2p ? "true" : "false") << "\n";
  y << "storage: {read_gbps: " << format_double(node.storage.read_gbps) << "}\n";
  if (!node.cpu_speed_source.empty()) {
    y << "cpu_speed: {per_core_speed: " << format_double(node.cpu_per_core_speed) << ", speed_source: \""
      << node.cpu_speed_source << "\"}\n";
  }
  if (const auto& c = node.cluster) {
    y << "layout: {machines: " << c->machines << ", vertices_per_machine: " << c->vertices_per_machine
      << ", links_per_machine: " << c->links_per_machine << ", gpus_per_machine: " << c->gpus_per_machine
      << ", nics_per_machine: " << c->nics_per_machine << ", gpudirect: " << (c->gpudirect ? "true" : "false")
      << ", rail_of_gpu: [";
    for (std::size_t i = 0; i < c->rail_of_gpu.size(); ++i) y << (i ? ", " : "") << c->rail_of_gpu[i];
    y << "]}\n";
  }
  y << "vertices:\n";
  for (const auto& v : node.vertices) {
    y << "  - {name: " << v.name << ", kind: " << to_string(v.kind);
    if (v.kind == VertexKind::gpu) y << ", gpu: " << v.gpu;
    y << ", socket: " << v.socket;
    if (v.kind == VertexKind::host) y << ", cores: " << v.cores << ", memory_gbps: " << format_double(v.memory_gbps);
    if (v.machine != 0) y << ", machine: " << v.machine;
    y << "}\n";
  }
  y << "links:\n";
  for (const auto& l : node.links) {
    y << "  - {a: " << l.a << ", b: " << l.b << ", kind: " << to_string(l.kind)
      << ", gbps: " << format_double(l.gbps_per_direction);
    if (l.latency_us > 0) y << ", latency_us: " << format_double(l.latency_us);
    if (l.shared) y << ", shared: true";
    if (l.nvlinks > 0) y << ", nvlinks: " << l.nvlinks;
    if (l.efficiency) y << ", efficiency: " << format_double(*l.efficiency);
    y << "}\n";
  }
  return y.str();
}

}  // namespace trainsim::io
