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

GpuPhysics parse_gpu_physics(const YNode& n) {
  n.expect_map("a map: base_clock_mhz, boost_clock_mhz, peak_clock_mhz, stream_gbps, matmul_fraction, source");
  n.allow_only({"base_clock_mhz", "boost_clock_mhz", "peak_clock_mhz", "stream_gbps", "matmul_fraction",
                "power_reference", "source"});
  GpuPhysics p;
  const std::string mhz = "a clock in MHz, 100 to 10000";
  p.base_clock_mhz = n.require("base_clock_mhz", "MHz").as_double(100, 1e4, mhz);
  p.boost_clock_mhz = n.require("boost_clock_mhz", "MHz").as_double(p.base_clock_mhz, 1e4, "a clock in MHz, at least the base clock");
  p.peak_clock_mhz = n.require("peak_clock_mhz", "MHz").as_double(p.base_clock_mhz, 1e4, "a clock in MHz, at least the base clock");
  p.stream_gbps = n.require("stream_gbps", "GB/s").as_double(1, 1e6, "a bandwidth in GB/s, 1 to 1000000");
  p.matmul_fraction = n.require("matmul_fraction", "a fraction").as_double(0.01, 1, "a fraction in (0, 1]");
  if (n.get("power_reference").defined()) p.power_reference = n.get("power_reference").as_string();
  p.source = n.require("source", "where the figures come from").as_string();
  return p;
}

SharedPhysics parse_shared_physics(const YNode& n) {
  n.expect_map("a map of shared compute-model constants");
  n.allow_only({"cudnn_bytes_per_sm_clock", "implicit_gemm_factor", "tile_n", "tile_n_narrow", "tile_k", "power_exponent",
                "source"});
  SharedPhysics p;
  p.cudnn_bytes_per_sm_clock = n.require("cudnn_bytes_per_sm_clock", "bytes").as_double(0.1, 1e3, "bytes per SM per clock, 0.1 to 1000");
  p.implicit_gemm_factor = n.require("implicit_gemm_factor", "a fraction").as_double(0.01, 1, "a fraction in (0, 1]");
  p.tile_n = n.require("tile_n", "channels").as_double(1, 1024, "a tile width, 1 to 1024");
  p.tile_n_narrow = n.require("tile_n_narrow", "channels").as_double(1, p.tile_n, "a tile width, 1 to tile_n");
  p.tile_k = n.require("tile_k", "elements").as_double(1, 1024, "a tile depth, 1 to 1024");
  p.power_exponent = n.require("power_exponent", "an exponent").as_double(0, 1, "an exponent, 0 to 1");
  p.source = n.require("source", "where the constants come from").as_string();
  return p;
}

GpuSpec parse_gpu(const YNode& n) {
  n.expect_map("a GPU entry (a map)");
  n.allow_only({"name", "display", "generation", "memory_gb", "memory_bandwidth_gbps", "tdp_w", "idle_w", "sm_count",
                "l2_mb", "dense_tflops", "nvlink", "pcie", "peer_to_peer", "price", "physics", "source"});
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
  g.physics = parse_gpu_physics(n.require("physics", "a map of the GPU's compute-model figures"));
  g.source = n.require("source", "where the figures come from").as_string();
  return g;
}

ComputeGeneration parse_generation(const YNode& n) {
  n.expect_map("a generation entry (a map)");
  n.allow_only({"name", "fp32_efficiency", "launch_overhead_us", "rationale"});
  ComputeGeneration g;
  g.where = n.where();
  g.name = n.require("name", "a generation name").as_string();
  const std::string frac = "a fraction in (0, 1]";
  g.fp32_efficiency = n.require("fp32_efficiency", frac).as_double(1e-6, 1, frac);
  g.launch_overhead_us = n.require("launch_overhead_us", "microseconds").as_double(0, 1e4, "0 to 10000 us");
  g.rationale = n.require("rationale", "why these values").as_string();
  return g;
}

LinkClass parse_link_class(const YNode& n) {
  n.expect_map("a link entry (a map)");
  n.allow_only({"kind", "efficiency", "by_nvlink_generation", "latency_us", "nvls_efficiency", "source"});
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
  if (const YNode by = n.get("by_nvlink_generation"); by.defined()) {
    if (l.kind != LinkKind::nvlink && l.kind != LinkKind::nvswitch) {
      throw by.error("by_nvlink_generation on the nvlink and nvswitch entries only");
    }
    by.expect_map("a map from NVLink generation (1 to 10) to a fraction in (0, 1]");
    for (const auto& key : by.keys()) {
      const bool digits = !key.empty() && key.size() <= 2 && std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      const int gen = digits ? std::stoi(key) : 0;
      if (gen < 1 || gen > 10) throw by.get(key).error(key, "an NVLink generation 1 to 10 as the key");
      l.by_nvlink_generation.emplace_back(gen, by.get(key).as_double(1e-6, 1, "a fraction in (0, 1]"));
    }
  }
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
  root.expect_map("a catalog with keys sources, compute_model, generations, links, gpus");
  root.allow_only({"sources", "compute_model", "generations", "links", "gpus"});
  Catalog c;
  c.file = file;
  c.physics = parse_shared_physics(root.require("compute_model", "a map of shared compute-model constants"));
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
  resolve_physics(c);
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
