#include "sim/input/catalog_io.hpp"

#include <algorithm>
#include <cstdlib>

#include "sim/input/yaml.hpp"
#include "sim/topo/node_spec.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

std::string& default_dir() {
  static std::string dir = ".";
  return dir;
}

GpuSpec parse_gpu(const YNode& n) {
  n.expect_map("a GPU entry (a map)");
  n.allow_only({"name", "display", "generation", "memory_gb", "memory_bandwidth_gbps", "tdp_w", "idle_w", "sm_count",
                "l2_mb", "dense_tflops", "nvlink", "pcie", "peer_to_peer", "price", "source"});
  GpuSpec g;
  g.where = n.where();
  g.name = n.require("name", "a GPU name").as_string();
  g.display_name = n.has("display") ? n.get("display").as_string() : g.name;
  g.generation = n.require("generation", "a generation name").as_string();
  g.memory_gb = n.require("memory_gb", "memory in GB").as_double(0.1, 1e5, "memory in GB, 0.1 to 100000");
  g.memory_bandwidth_gbps =
      n.require("memory_bandwidth_gbps", "GB/s").as_double(1, 1e6, "memory bandwidth in GB/s, 1 to 1000000");
  g.tdp_w = n.require("tdp_w", "watts").as_double(1, 1e5, "TDP in W, 1 to 100000");
  g.idle_w = n.require("idle_w", "watts").as_double(0, g.tdp_w, "idle power in W, 0 to the TDP");
  g.sm_count = static_cast<int>(n.require("sm_count", "SM count").as_int(1, 10000, "an SM count, 1 to 10000"));
  if (n.get("l2_mb").defined()) g.l2_mb = n.get("l2_mb").as_double(0, 1e5, "L2 in MB");
  const YNode tf = n.require("dense_tflops", "a map of dense TFLOPS per data type");
  tf.expect_map("a map of dense TFLOPS per data type");
  tf.allow_only({"fp32", "tf32", "fp16", "bf16", "fp8"});
  for (DataType t : all_data_types()) {
    const YNode v = tf.get(std::string(to_string(t)));
    if (v.defined()) g.dense_tflops[static_cast<std::size_t>(t)] = v.as_double(0.001, 1e6, "TFLOPS > 0 or null");
  }
  if (!g.dense_tflops[static_cast<std::size_t>(DataType::fp32)]) {
    throw tf.get("fp32").error("an fp32 peak (every GPU has one)");
  }
  if (const YNode nv = n.get("nvlink"); nv.defined()) {
    nv.expect_map("a map: gbps_per_direction, links, generation, bridge");
    nv.allow_only({"gbps_per_direction", "links", "generation", "bridge"});
    g.nvlink.gbps_per_direction = nv.require("gbps_per_direction", "GB/s").as_double(0, 1e5, "GB/s >= 0");
    g.nvlink.links = static_cast<int>(nv.get("links").defined() ? nv.get("links").as_int(0, 64, "0 to 64 links") : 0);
    g.nvlink.generation =
        static_cast<int>(nv.get("generation").defined() ? nv.get("generation").as_int(0, 10, "0 to 10") : 0);
    g.nvlink.bridge = nv.get("bridge").defined() && nv.get("bridge").as_bool();
    if (g.nvlink.gbps_per_direction > 0 && g.nvlink.links < 1) {
      throw nv.get("links").error("at least 1 link when the GPU has NVLink bandwidth");
    }
  }
  if (const YNode p = n.get("pcie"); p.defined()) {
    p.expect_map("a map: gen, lanes");
    p.allow_only({"gen", "lanes"});
    g.pcie.gen = static_cast<int>(p.require("gen", "1 to 6").as_int(1, 6, "a PCIe generation, 1 to 6"));
    g.pcie.lanes = static_cast<int>(p.require("lanes", "lanes").as_int(1, 32, "1 to 32 lanes"));
  }
  if (n.get("peer_to_peer").defined()) g.peer_to_peer = n.get("peer_to_peer").as_bool();
  if (const YNode pr = n.get("price"); pr.defined()) {
    pr.expect_map("a map: usd_per_gpu_hour, source");
    pr.allow_only({"usd_per_gpu_hour", "source"});
    g.price = PriceSpec{pr.require("usd_per_gpu_hour", "$/h").as_double(0, 1e4, "$ per GPU-hour, 0 to 10000"),
                        pr.require("source", "who charges it, and when").as_string()};
  }
  g.source = n.require("source", "where the figures come from").as_string();
  return g;
}

ComputeGeneration parse_generation(const YNode& n) {
  n.expect_map("a generation entry (a map)");
  n.allow_only({"name", "tensor_efficiency", "tf32_efficiency", "fp32_efficiency", "memory_efficiency", "launch_overhead_us", "rationale"});
  ComputeGeneration g;
  g.where = n.where();
  g.name = n.require("name", "a generation name").as_string();
  const std::string frac = "a fraction in (0, 1]";
  g.tensor_efficiency = n.require("tensor_efficiency", frac).as_double(1e-6, 1, frac);
  g.tf32_efficiency = n.require("tf32_efficiency", frac).as_double(1e-6, 1, frac);
  g.fp32_efficiency = n.require("fp32_efficiency", frac).as_double(1e-6, 1, frac);
  g.memory_efficiency = n.require("memory_efficiency", frac).as_double(1e-6, 1, frac);
  g.launch_overhead_us = n.require("launch_overhead_us", "microseconds").as_double(0, 1e4, "0 to 10000 us");
  g.rationale = n.require("rationale", "why these values").as_string();
  return g;
}

LinkClass parse_link_class(const YNode& n) {
  n.expect_map("a link entry (a map)");
  n.allow_only({"kind", "efficiency", "latency_us", "nvls_efficiency", "source"});
  LinkClass l;
  l.kind = *parse_link_kind(n.require("kind", "a link kind").as_enum(link_kind_names()));
  if (const YNode nvls = n.get("nvls_efficiency"); nvls.defined()) {
    if (l.kind != LinkKind::nvswitch) throw nvls.error("nvls_efficiency on the nvswitch entry only (NVLS is in-switch)");
    nvls.expect_map("a map from GPU generation to a fraction in (0, 1]");
    for (const auto& gen : nvls.keys()) {
      l.nvls_efficiency.emplace_back(gen, nvls.get(gen).as_double(1e-6, 1, "a fraction in (0, 1]"));
    }
  }
  l.efficiency = n.require("efficiency", "a fraction in (0, 1]").as_double(1e-6, 1, "a fraction in (0, 1]");
  l.latency_us = n.require("latency_us", "microseconds").as_double(1e-6, 1e6, "a latency > 0 us (SimGrid weighs a "
                                                                             "zero-latency flow as if it had 1 s)");
  l.source = n.require("source", "a source").as_string();
  return l;
}

}  // namespace

std::string data_dir() {
  if (const char* env = std::getenv("TRAINSIM_DATA"); env != nullptr && *env != '\0') return env;
  return default_dir();
}

void set_default_data_dir(std::string dir) { default_dir() = std::move(dir); }

Catalog parse_catalog(const std::string& text, const std::string& file) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a catalog with keys sources, generations, links, gpus");
  root.allow_only({"sources", "generations", "links", "gpus"});
  Catalog c;
  c.file = file;
  for (const auto& g : root.require("generations", "a list of generations").items("a list of generations")) {
    c.generations.push_back(parse_generation(g));
  }
  for (const auto& l : root.require("links", "a list of link kinds").items("a list of link kinds")) {
    c.links.push_back(parse_link_class(l));
  }
  for (const auto& g : root.require("gpus", "a list of GPUs").items("a list of GPUs")) {
    GpuSpec gpu = parse_gpu(g);
    if (c.find_gpu(gpu.name) != nullptr) {
      throw InputError(gpu.where, "gpus.name", gpu.name, "a name used once in the catalog (duplicate GPU)");
    }
    c.gpus.push_back(std::move(gpu));
  }
  for (const auto& g : c.gpus) (void)c.generation_of(g);  // every generation named exists
  for (const auto& name : link_kind_names()) (void)c.link_class(*parse_link_kind(name));
  std::vector<std::string> generation_names;
  for (const auto& g : c.generations) generation_names.push_back(g.name);
  for (const auto& l : c.links) {
    for (const auto& [gen, eff] : l.nvls_efficiency) {
      if (std::find(generation_names.begin(), generation_names.end(), gen) == generation_names.end()) {
        throw InputError(SourceLocation{file}, "links.nvswitch.nvls_efficiency", gen,
                         "a generation of the catalog, " + one_of(gen, generation_names));
      }
    }
  }
  return c;
}

Catalog load_catalog(const std::string& path) {
  return parse_catalog(read_text_file(path, "a GPU catalog file"), path);
}

const Catalog& default_catalog() {
  static const Catalog catalog = load_catalog(data_dir() + "/platforms/gpus.yaml");
  return catalog;
}

}  // namespace trainsim::io
