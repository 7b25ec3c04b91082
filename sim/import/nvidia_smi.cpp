#include "sim/import/nvidia_smi.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "sim/import/nvidia_smi_table.hpp"
#include "sim/topo/topology.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr double kHostMemoryGbpsPerSocket = 102.4;  // same default as the compact form
constexpr double kSmpGbps = 62.4;

using topo_text::Cell;
using topo_text::Row;

// "0-23" or "0-7,16-23" -> number of logical CPUs; -1 when unreadable.
int count_cpus(const std::string& s) {
  if (s.empty() || s == "N/A") return 0;
  int total = 0;
  for (const auto& part : split(s, ',')) {
    const auto dash = part.find('-');
    try {
      if (dash == std::string::npos) {
        (void)std::stoi(part);
        total += 1;
      } else {
        const int a = std::stoi(part.substr(0, dash));
        const int b = std::stoi(part.substr(dash + 1));
        if (b < a) return -1;
        total += b - a + 1;
      }
    } catch (const std::exception&) {
      return -1;
    }
  }
  return total;
}

// Union-find over GPU indices.
struct Groups {
  std::vector<int> parent;
  explicit Groups(int n) : parent(static_cast<std::size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[static_cast<std::size_t>(x)] != x) x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
    return x;
  }
  void join(int a, int b) { parent[static_cast<std::size_t>(find(a))] = find(b); }
};

}  // namespace

NodeSpec parse_nvidia_smi_topo(const std::string& text, const std::string& file, const std::string& gpu_name,
                               const Catalog& catalog) {
  const GpuSpec& gpu = catalog.gpu(gpu_name, {}, "--gpu");
  const topo_text::Table table = topo_text::read_table(text, file);
  const int header_line = table.header_line;
  const std::vector<Row>& rows = table.rows;
  std::vector<std::string> devices;
  for (const auto& d : table.devices) devices.push_back(d.text);
  const std::size_t nd = devices.size();
  if (rows.size() != nd) {
    const int at = rows.empty() ? header_line : rows.back().line;
    throw InputError({file, at, 1}, "rows", std::to_string(rows.size()) + " rows",
                     std::to_string(nd) + " rows, one per column " + join(devices, " ") + " (not a square matrix)");
  }
  std::vector<int> gpu_index(nd, -1);
  int ngpu = 0;
  for (std::size_t i = 0; i < nd; ++i) {
    const Row& r = rows[i];
    if (r.label != devices[i]) {
      throw InputError({file, r.line, 1}, "row " + std::to_string(i + 1), r.label, "row '" + devices[i] + "' (rows in the order of the columns)");
    }
    if (r.cells.size() < nd) {
      throw InputError({file, r.line, r.cells.empty() ? 1 : r.cells.back().column}, r.label,
                       std::to_string(r.cells.size()) + " cells", std::to_string(nd) + " device cells (ragged row)");
    }
    if (topo_text::is_gpu_column(devices[i])) gpu_index[i] = ngpu++;
  }
  if (ngpu == 0) throw InputError({file, header_line, 1}, "header", "no GPU column", "at least one GPU");

  const std::vector<std::string> kinds{"X", "NV#", "PIX", "PXB", "PHB", "NODE", "SYS"};
  const auto cell_at = [&](std::size_t i, std::size_t j) -> const Cell& { return rows[i].cells[j]; };
  const auto where = [&](std::size_t i, std::size_t j) {
    return SourceLocation{file, rows[i].line, cell_at(i, j).column};
  };
  std::map<std::pair<std::size_t, std::size_t>, std::string> rel;
  for (std::size_t i = 0; i < nd; ++i) {
    for (std::size_t j = 0; j < nd; ++j) {
      // SOC: older drivers' name of SYS.
      const std::string v = cell_at(i, j).text == "SOC" ? "SYS" : cell_at(i, j).text;
      const std::string key = devices[i] + "/" + devices[j];
      const bool nv = starts_with(v, "NV") && v.size() > 2 &&
                      std::all_of(v.begin() + 2, v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      if (!nv && std::find(kinds.begin(), kinds.end(), v) == kinds.end()) {
        throw InputError(where(i, j), key, v, "one of X, NV#, PIX, PXB, PHB, NODE, SYS");
      }
      if ((i == j) != (v == "X")) {
        throw InputError(where(i, j), key, v, i == j ? "X on the diagonal" : "a relation (X only on the diagonal)");
      }
      rel[{i, j}] = v;
    }
  }
  for (std::size_t i = 0; i < nd; ++i) {
    for (std::size_t j = i + 1; j < nd; ++j) {
      if (rel[{i, j}] != rel[{j, i}]) {
        throw InputError(where(j, i), devices[j] + "/" + devices[i], rel[{j, i}],
                         "'" + rel[{i, j}] + "' as in " + devices[i] + "/" + devices[j] + " (the matrix is symmetric)");
      }
    }
  }

  // Sockets: from the NUMA column where it gives numbers; otherwise GPUs that PIX/PXB/PHB/NODE
  // join share one (NV# hides the PCIe relation). PCIe cells must agree with the NUMA column.
  std::vector<std::size_t> gpu_rows;
  for (std::size_t i = 0; i < nd; ++i) {
    if (gpu_index[i] >= 0) gpu_rows.push_back(i);
  }
  std::vector<int> numa(static_cast<std::size_t>(ngpu), -1);
  for (std::size_t a = 0; a < gpu_rows.size(); ++a) {
    const Row& r = rows[gpu_rows[a]];
    const Cell& c = r.numa_affinity;
    if (c.text.empty() || c.text == "N/A") continue;
    try {
      std::size_t used = 0;
      numa[a] = std::stoi(c.text, &used);
      if (used != c.text.size() || numa[a] < 0) throw std::invalid_argument("numa");
    } catch (const std::exception&) {
      throw InputError({file, r.line, c.column}, r.label + "/NUMA Affinity", c.text, "a NUMA node number or N/A");
    }
  }
  const bool numa_known = std::all_of(numa.begin(), numa.end(), [](int v) { return v >= 0; });
  Groups socket_of(ngpu);
  for (std::size_t a = 0; a < gpu_rows.size(); ++a) {
    for (std::size_t b = a + 1; b < gpu_rows.size(); ++b) {
      const std::string& v = rel[{gpu_rows[a], gpu_rows[b]}];
      const bool same = v == "PIX" || v == "PXB" || v == "PHB" || v == "NODE";
      // A PCIe path inside one NUMA node between GPUs of two nodes is a contradiction. SYS between
      // GPUs of one NUMA node is not: multi-die CPUs (AMD EPYC, Intel SNC off) report it between
      // dies of one node; such GPUs go on sockets of their own that share the node's cores.
      if (numa_known && same && numa[a] != numa[b]) {
        throw InputError(where(gpu_rows[a], gpu_rows[b]), devices[gpu_rows[a]] + "/" + devices[gpu_rows[b]], v,
                         "SYS: the NUMA column puts " + devices[gpu_rows[a]] + " on node " + std::to_string(numa[a]) +
                             " and " + devices[gpu_rows[b]] + " on node " + std::to_string(numa[b]));
      }
      if (numa_known ? (numa[a] == numa[b] && v != "SYS") : (same || starts_with(v, "NV"))) {
        socket_of.join(static_cast<int>(a), static_cast<int>(b));
      }
    }
  }
  std::map<int, int> socket_id;  // group root -> socket number in order of first GPU
  std::vector<int> gpu_socket(static_cast<std::size_t>(ngpu));
  for (int g = 0; g < ngpu; ++g) {
    const int root = socket_of.find(g);
    if (socket_id.count(root) == 0) {
      const int next = static_cast<int>(socket_id.size());
      socket_id[root] = next;
    }
    gpu_socket[static_cast<std::size_t>(g)] = socket_id[root];
  }
  std::map<int, int> cpus_of_socket;
  for (std::size_t a = 0; a < gpu_rows.size(); ++a) {
    const Row& r = rows[gpu_rows[a]];
    {
      const Cell& c = r.cpu_affinity;
      const int n = count_cpus(c.text);
      if (n < 0) throw InputError({file, r.line, c.column}, r.label + "/CPU Affinity", c.text, "CPU ranges like 0-23 or 0-7,16-23");
      cpus_of_socket[gpu_socket[a]] = std::max(cpus_of_socket[gpu_socket[a]], n);
    }
  }
  const int sockets = static_cast<int>(socket_id.size());
  if (numa_known) {
    // Sockets that share one NUMA node (SYS inside it) share its cores.
    std::map<int, std::set<int>> sockets_of_numa;
    for (int g = 0; g < ngpu; ++g) sockets_of_numa[numa[static_cast<std::size_t>(g)]].insert(gpu_socket[static_cast<std::size_t>(g)]);
    for (const auto& [numa_node, group] : sockets_of_numa) {
      for (const int sock : group) cpus_of_socket[sock] /= static_cast<int>(group.size());
    }
  }

  NodeSpec node;
  node.where = {file, header_line, 1};
  node.p2p = gpu.peer_to_peer;
  node.description = "from nvidia-smi topo -m (" + file + ")";
  const auto link = [&](const std::string& a, const std::string& b, LinkKind kind, double gbps, int at_line) {
    LinkSpec l;
    l.a = a;
    l.b = b;
    l.kind = kind;
    l.gbps_per_direction = gbps;
    l.where = {file, at_line, 1};
    if (kind == LinkKind::host_memory) l.shared = true;
    node.links.push_back(l);
  };
  for (int s = 0; s < sockets; ++s) {
    const int cores = cpus_of_socket[s] > 0 ? cpus_of_socket[s] : 8;
    node.vertices.push_back({"host" + std::to_string(s), VertexKind::host, "", s, cores, kHostMemoryGbpsPerSocket, node.where});
  }
  const double pcie = pcie_gbps_per_direction(gpu.pcie.gen, gpu.pcie.lanes);

  // PCIe tree per socket: root complexes = groups joined by PIX/PXB/PHB; a PXB group shares a top
  // switch; a PIX group shares a leaf switch under it. NV# hides the PCIe relation: such GPUs hang
  // off their socket's first root complex unless another cell places them.
  Groups rc_of(ngpu), pxb_of(ngpu), pix_of(ngpu);
  for (std::size_t a = 0; a < gpu_rows.size(); ++a) {
    for (std::size_t b = a + 1; b < gpu_rows.size(); ++b) {
      const std::string& v = rel[{gpu_rows[a], gpu_rows[b]}];
      const int ia = static_cast<int>(a), ib = static_cast<int>(b);
      if (v == "PIX" || v == "PXB" || v == "PHB") rc_of.join(ia, ib);
      if (v == "PIX" || v == "PXB") pxb_of.join(ia, ib);
      if (v == "PIX") pix_of.join(ia, ib);
    }
  }
  std::map<int, std::string> rc_name;
  int rc_count = 0;
  std::vector<int> socket_first_rc(static_cast<std::size_t>(sockets), -1);
  for (int g = 0; g < ngpu; ++g) {
    const int root = rc_of.find(g);
    const int s = gpu_socket[static_cast<std::size_t>(g)];
    bool has_pcie_relation = false;
    for (int o = 0; o < ngpu; ++o) {
      if (o == g) continue;
      const std::string& v = rel[{gpu_rows[static_cast<std::size_t>(g)], gpu_rows[static_cast<std::size_t>(o)]}];
      if (!starts_with(v, "NV")) has_pcie_relation = true;
    }
    if (rc_name.count(root) == 0) {
      if (!has_pcie_relation && socket_first_rc[static_cast<std::size_t>(s)] >= 0) {
        rc_name[root] = rc_name[socket_first_rc[static_cast<std::size_t>(s)]];
        continue;
      }
      const std::string name = "rc" + std::to_string(rc_count++);
      rc_name[root] = name;
      node.vertices.push_back({name, VertexKind::root_complex, "", s, 0, 0, node.where});
      if (socket_first_rc[static_cast<std::size_t>(s)] < 0) {
        socket_first_rc[static_cast<std::size_t>(s)] = root;
        link(name, "host" + std::to_string(s), LinkKind::host_memory, kHostMemoryGbpsPerSocket, header_line);
      } else {
        link(rc_name[socket_first_rc[static_cast<std::size_t>(s)]], name, LinkKind::smp, kSmpGbps, header_line);
      }
    }
  }
  for (int s = 1; s < sockets; ++s) {
    link(rc_name[socket_first_rc[0]], rc_name[socket_first_rc[static_cast<std::size_t>(s)]], LinkKind::smp, kSmpGbps,
         header_line);
  }
  std::map<int, int> group_size;
  for (int g = 0; g < ngpu; ++g) ++group_size[pxb_of.find(g)];
  std::map<int, std::string> top_switch, leaf_switch;
  for (int g = 0; g < ngpu; ++g) {
    const std::size_t row = gpu_rows[static_cast<std::size_t>(g)];
    const std::string name = "gpu" + std::to_string(g);
    node.vertices.push_back({name, VertexKind::gpu, gpu.name, gpu_socket[static_cast<std::size_t>(g)], 0, 0,
                             {file, rows[row].line, 1}});
    const std::string rc = rc_name[rc_of.find(g)];
    const int top = pxb_of.find(g);
    if (group_size[top] < 2) {
      link(name, rc, LinkKind::pcie, pcie, rows[row].line);
      continue;
    }
    if (top_switch.count(top) == 0) {
      top_switch[top] = "pcisw" + std::to_string(top_switch.size() + leaf_switch.size());
      node.vertices.push_back({top_switch[top], VertexKind::pcie_switch, "", gpu_socket[static_cast<std::size_t>(g)], 0, 0, node.where});
      link(top_switch[top], rc, LinkKind::pcie, pcie, rows[row].line);
    }
    const int leaf = pix_of.find(g);
    if (leaf_switch.count(leaf) == 0) {
      leaf_switch[leaf] = "pcisw" + std::to_string(top_switch.size() + leaf_switch.size());
      node.vertices.push_back({leaf_switch[leaf], VertexKind::pcie_switch, "", gpu_socket[static_cast<std::size_t>(g)], 0, 0, node.where});
      link(leaf_switch[leaf], top_switch[top], LinkKind::pcie, pcie, rows[row].line);
    }
    link(name, leaf_switch[leaf], LinkKind::pcie, pcie, rows[row].line);
  }

  // NVLink: NV# to every other GPU, more links in all than the GPU has, means an NVSwitch.
  std::vector<int> total_links(static_cast<std::size_t>(ngpu), 0);
  bool all_nv = ngpu > 1;
  for (int a = 0; a < ngpu; ++a) {
    for (int b = 0; b < ngpu; ++b) {
      if (a == b) continue;
      const std::string& v = rel[{gpu_rows[static_cast<std::size_t>(a)], gpu_rows[static_cast<std::size_t>(b)]}];
      if (starts_with(v, "NV")) {
        if (gpu.nvlink.links == 0) {
          throw InputError(where(gpu_rows[static_cast<std::size_t>(a)], gpu_rows[static_cast<std::size_t>(b)]),
                           devices[gpu_rows[static_cast<std::size_t>(a)]] + "/" + devices[gpu_rows[static_cast<std::size_t>(b)]], v,
                           "no NVLink cell: " + gpu.name + " has no NVLink");
        }
        total_links[static_cast<std::size_t>(a)] += std::stoi(v.substr(2));
      } else {
        all_nv = false;
      }
    }
  }
  const bool nvswitch = all_nv && *std::max_element(total_links.begin(), total_links.end()) > gpu.nvlink.links;
  if (nvswitch) {
    node.vertices.push_back({"nvswitch0", VertexKind::nvswitch, "", 0, 0, 0, node.where});
  }
  int bridges = 0;
  for (int a = 0; a < ngpu; ++a) {
    for (int b = a + 1; b < ngpu; ++b) {
      const std::size_t ra = gpu_rows[static_cast<std::size_t>(a)], rb = gpu_rows[static_cast<std::size_t>(b)];
      const std::string& v = rel[{ra, rb}];
      if (!starts_with(v, "NV")) continue;
      const int k = std::stoi(v.substr(2));
      if (k < 1 || k > gpu.nvlink.links) {
        throw InputError(where(ra, rb), devices[ra] + "/" + devices[rb], v,
                         "NV1 to NV" + std::to_string(gpu.nvlink.links) + " (" + gpu.name + " has " +
                             std::to_string(gpu.nvlink.links) + " NVLinks)");
      }
      if (nvswitch) continue;
      if (!nvswitch && total_links[static_cast<std::size_t>(a)] > gpu.nvlink.links) {
        throw InputError(where(ra, rb), devices[ra] + "/" + devices[rb], v,
                         "at most " + std::to_string(gpu.nvlink.links) + " NVLinks per GPU in all (" + devices[ra] +
                             " would have " + std::to_string(total_links[static_cast<std::size_t>(a)]) + ")");
      }
      const double gbps = gpu.nvlink.gbps_per_link() * k;
      if (gpu.nvlink.bridge) {
        const std::string br = "nvbridge" + std::to_string(bridges++);
        node.vertices.push_back({br, VertexKind::nvlink_bridge, "", 0, 0, 0, node.where});
        link("gpu" + std::to_string(a), br, LinkKind::nvlink, gbps, rows[ra].line);
        node.links.back().nvlinks = k;
        link("gpu" + std::to_string(b), br, LinkKind::nvlink, gbps, rows[ra].line);
        node.links.back().nvlinks = k;
      } else {
        link("gpu" + std::to_string(a), "gpu" + std::to_string(b), LinkKind::nvlink, gbps, rows[ra].line);
        node.links.back().nvlinks = k;
      }
    }
  }
  if (nvswitch) {
    for (int a = 0; a < ngpu; ++a) {
      const int k = std::stoi(rel[{gpu_rows[static_cast<std::size_t>(a)], gpu_rows[static_cast<std::size_t>(a == 0 ? 1 : 0)]}].substr(2));
      link("gpu" + std::to_string(a), "nvswitch0", LinkKind::nvswitch, gpu.nvlink.gbps_per_link() * k,
           rows[gpu_rows[static_cast<std::size_t>(a)]].line);
      node.links.back().nvlinks = k;
    }
  }

  // NICs: next to the GPU they are closest to, else on socket 0's root complex.
  int nic_no = 0;
  for (std::size_t i = 0; i < nd; ++i) {
    if (gpu_index[i] >= 0) continue;
    const std::string name = "nic" + std::to_string(nic_no++);
    node.vertices.push_back({name, VertexKind::nic, "", 0, 0, 0, {file, rows[i].line, 1}});
    std::string attach = rc_name[socket_first_rc[0]];
    for (const std::string best : {"PIX", "PXB", "PHB"}) {
      bool done = false;
      for (int g = 0; g < ngpu && !done; ++g) {
        if (rel[{i, gpu_rows[static_cast<std::size_t>(g)]}] == best) {
          attach = rc_name[rc_of.find(g)];
          done = true;
        }
      }
      if (done) break;
    }
    link(name, attach, LinkKind::pcie, pcie, rows[i].line);
  }

  // Check the tree against the matrix: every PCIe cell must be what the built node gives.
  // The cells name the PCIe relation whether or not the driver allows peer-to-peer over it.
  NodeSpec probe = node;
  probe.p2p = true;
  const Topology topo = Topology::build(probe, catalog);
  for (int a = 0; a < ngpu; ++a) {
    for (int b = 0; b < ngpu; ++b) {
      if (a == b) continue;
      const std::size_t ra = gpu_rows[static_cast<std::size_t>(a)], rb = gpu_rows[static_cast<std::size_t>(b)];
      const std::string& v = rel[{ra, rb}];
      if (starts_with(v, "NV")) continue;
      const GpuPath& p = topo.gpu_path(a, b);
      if (std::string(to_string(p.kind)) != v) {
        throw InputError(where(ra, rb), devices[ra] + "/" + devices[rb], v,
                         std::string(to_string(p.kind)) + ": no PCIe tree gives this cell together with the others");
      }
    }
  }
  return node;
}

}  // namespace trainsim::io
