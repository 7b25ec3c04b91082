// trainsim topo: a node's graph, its GPU-to-GPU paths and best ring; exports to DOT and SimGrid XML;
// nodes from `nvidia-smi topo -m` text.
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/import/nvidia_smi.hpp"
#include "sim/input/yaml.hpp"
#include "sim/report/table.hpp"
#include "sim/topo/platform.hpp"
#include "sim/topo/ring.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

Json topo_json(const Topology& topo, const Ring& ring) {
  Json j = Json::object();
  j["name"] = topo.name();
  Json gpus = Json::array();
  for (int i = 0; i < topo.gpu_count(); ++i) {
    Json g = Json::object();
    g["name"] = topo.vertex(topo.gpu_vertex(i)).name;
    g["gpu"] = topo.gpu_spec(i).name;
    g["socket"] = topo.vertex(topo.gpu_vertex(i)).socket;
    gpus.push_back(g);
  }
  j["gpus"] = gpus;
  Json bw = Json::array(), eff = Json::array(), kinds = Json::array();
  for (int a = 0; a < topo.gpu_count(); ++a) {
    Json row = Json::array(), erow = Json::array(), krow = Json::array();
    for (int b = 0; b < topo.gpu_count(); ++b) {
      const GpuPath& p = topo.gpu_path(a, b);
      row.push_back(a == b ? 0.0 : p.route.bottleneck_gbps);
      erow.push_back(a == b ? 0.0 : p.route.effective_gbps);
      krow.push_back(a == b ? std::string("X") : p.label());
    }
    bw.push_back(row);
    eff.push_back(erow);
    kinds.push_back(krow);
  }
  j["bandwidth_gbps"] = bw;
  j["effective_gbps"] = eff;
  j["paths"] = kinds;
  Json order = Json::array();
  for (int r : ring.order) order.push_back(r);
  j["ring"] = order;
  j["ring_bottleneck_gbps"] = ring.bottleneck_gbps;
  j["ring_effective_gbps"] = ring.effective_gbps;
  j["p2p"] = topo.p2p();
  Json links = Json::array();
  for (const auto& l : topo.links()) {
    Json lj = Json::object();
    lj["a"] = l.a;
    lj["b"] = l.b;
    lj["kind"] = std::string(to_string(l.kind));
    lj["gbps_per_direction"] = l.gbps_per_direction;
    lj["efficiency"] = l.efficiency;
    lj["latency_us"] = l.latency_us;
    lj["shared"] = l.shared;
    links.push_back(lj);
  }
  j["links"] = links;
  return j;
}

void print_topo(const Topology& topo, const Ring& ring) {
  std::cout << "node " << (topo.name().empty() ? "(unnamed)" : topo.name()) << ": " << topo.gpu_count() << " x "
            << topo.gpu_spec(0).name << (topo.p2p() ? "" : ", no PCIe peer-to-peer (staged through host memory)") << "\n";
  if (!topo.spec().description.empty()) std::cout << "  " << topo.spec().description << "\n";
  std::cout << "\nlinks (GB/s per direction; effective = line rate x protocol efficiency)\n";
  io::Table links({"a", "b", "kind", "line GB/s", "effective", "latency us", ""},
                  {io::Table::Align::left, io::Table::Align::left, io::Table::Align::left, io::Table::Align::right,
                   io::Table::Align::right, io::Table::Align::right, io::Table::Align::left});
  for (const auto& l : topo.links()) {
    links.add({l.a, l.b, std::string(to_string(l.kind)), fixed(l.gbps_per_direction, 2), fixed(l.effective_gbps(), 2),
               fixed(l.latency_us, 2), l.shared ? "shared (both directions)" : ""});
  }
  std::cout << links.render("  ");
  std::cout << "\nGPU to GPU: path kind and bottleneck GB/s per direction (line rate)\n";
  std::vector<std::string> header{""};
  for (int i = 0; i < topo.gpu_count(); ++i) header.push_back("GPU" + std::to_string(i));
  io::Table m(header);
  for (int a = 0; a < topo.gpu_count(); ++a) {
    std::vector<std::string> row{"GPU" + std::to_string(a)};
    for (int b = 0; b < topo.gpu_count(); ++b) {
      if (a == b) {
        row.emplace_back("X");
        continue;
      }
      const GpuPath& p = topo.gpu_path(a, b);
      row.push_back(p.label() + " " + fixed(p.route.bottleneck_gbps, 1));
    }
    m.add(row);
  }
  std::cout << m.render("  ");
  std::cout << "  NV# = # bonded NVLinks; PIX/PXB/PHB/NODE/SYS as nvidia-smi; /host = staged through host memory\n";
  std::vector<std::string> order;
  for (int r : ring.order) order.push_back("GPU" + std::to_string(r));
  std::cout << "\nbest ring: " << join(order, " -> ") << " -> " << order.front() << "\n  bottleneck "
            << fixed(ring.bottleneck_gbps, 2) << " GB/s per direction (line rate), " << fixed(ring.effective_gbps, 2)
            << " GB/s effective, every hop carrying one flow at once\n";
}

}  // namespace

int cmd_topo(int argc, char** argv) {
  Args args("topo", "A node's topology: links, the GPU-to-GPU matrix of path kind and bottleneck GB/s (like\n"
                    "`nvidia-smi topo -m`, with numbers) and the best ring for all-reduce.");
  args.positional("NODE", "a preset name (platforms/nodes) or a node file", false)
      .flag("json", "print JSON (gpus, bandwidth_gbps, paths, ring, ring_bottleneck_gbps, links)")
      .option("dot", "FILE", "write the graph as Graphviz DOT")
      .option("simgrid-xml", "FILE", "write the node as a SimGrid 3.32 platform XML")
      .option("from-nvidia-smi", "FILE", "build the node from the text of `nvidia-smi topo -m`")
      .option("gpu", "NAME", "the GPU model, with --from-nvidia-smi")
      .option("output", "FILE", "with --from-nvidia-smi: write the node as a full-form node file", std::nullopt, "-o")
      .epilog("examples:\n  trainsim topo 4x-rtx3090-pcie\n  trainsim topo --from-nvidia-smi topo.txt --gpu rtx3090 -o node.yaml");
  if (!args.parse(argc, argv, 2)) return 0;
  const Catalog& catalog = io::default_catalog();
  NodeSpec spec;
  if (args.has("from-nvidia-smi")) {
    if (args.has("NODE")) throw UsageError("trainsim topo: give either NODE or --from-nvidia-smi FILE, not both");
    if (!args.has("gpu")) throw UsageError("trainsim topo: --from-nvidia-smi needs --gpu NAME (the GPU model)");
    const std::string file = args.get("from-nvidia-smi");
    spec = io::parse_nvidia_smi_topo(io::read_text_file(file, "a file with `nvidia-smi topo -m` output"), file,
                                     args.get("gpu"), catalog);
  } else {
    if (!args.has("NODE")) throw UsageError("trainsim topo: missing NODE (a preset or a node file; see --help)");
    if (args.has("output") || args.has("gpu")) {
      throw UsageError("trainsim topo: --gpu and -o go with --from-nvidia-smi");
    }
    spec = io::load_node(args.get("NODE"), catalog, {}, "NODE");
  }
  const Topology topo = Topology::build(spec, catalog);
  const Ring ring = best_ring(topo);
  if (args.has("output")) io::write_text_file_atomic(args.get("output"), io::node_to_yaml(spec));
  if (args.has("dot")) io::write_text_file_atomic(args.get("dot"), to_dot(topo));
  if (args.has("simgrid-xml")) io::write_text_file_atomic(args.get("simgrid-xml"), to_simgrid_xml(topo));
  if (args.has("json")) {
    std::cout << topo_json(topo, ring).dump() << "\n";
  } else {
    print_topo(topo, ring);
  }
  return 0;
}

}  // namespace trainsim::cli
