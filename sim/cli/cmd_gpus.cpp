// trainsim gpus: the GPU catalog.
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

std::string tflops_cell(const std::optional<double>& v) { return v ? fixed(*v, 1) : "-"; }

Json gpu_json(const GpuSpec& g) {
  Json j = Json::object();
  j["name"] = g.name;
  j["display"] = g.display_name;
  j["memory_gb"] = g.memory_gb;
  j["memory_bandwidth_gbps"] = g.memory_bandwidth_gbps;
  j["tdp_w"] = g.tdp_w;
  j["idle_w"] = g.idle_w;
  j["sm_count"] = g.sm_count;
  Json tf = Json::object();
  for (DataType t : all_data_types()) tf[std::string(to_string(t))] = g.dense_tflops_of(t);
  j["dense_tflops"] = tf;
  j["nvlink_gbps_per_direction"] = g.nvlink.gbps_per_direction;
  j["nvlink_links"] = g.nvlink.links;
  j["nvlink_bridge"] = g.nvlink.bridge;
  j["pcie_gen"] = g.pcie.gen;
  j["pcie_lanes"] = g.pcie.lanes;
  j["peer_to_peer"] = g.peer_to_peer;
  if (g.price) {
    j["price_usd_per_gpu_hour"] = g.price->usd_per_gpu_hour;
    j["price_source"] = g.price->source;
  } else {
    j["price_usd_per_gpu_hour"] = nullptr;
  }
  j["source"] = g.source;
  return j;
}

}  // namespace

int cmd_gpus(int argc, char** argv) {
  Args args("gpus", "The GPU catalog (platforms/gpus.yaml): memory, bandwidth, TDP, SMs and DENSE peak TFLOPS\n"
                    "per data type (no 2:4 sparsity; GeForce: the FP32-accumulate tensor figure).");
  args.flag("json", "print JSON objects instead of a table").option("catalog", "FILE", "another catalog file");
  if (!args.parse(argc, argv, 2)) return 0;
  const Catalog catalog = args.has("catalog") ? io::load_catalog(args.get("catalog")) : io::default_catalog();
  if (args.has("json")) {
    Json out = Json::array();
    for (const auto& g : catalog.gpus) out.push_back(gpu_json(g));
    std::cout << out.dump() << "\n";
    return 0;
  }
  io::Table t({"gpu", "memory GB", "GB/s", "TDP W", "SMs", "fp32", "tf32", "fp16", "bf16", "fp8", "NVLink GB/s", "PCIe",
               "$/GPU-h"});
  for (const auto& g : catalog.gpus) {
    std::string nv = g.nvlink.gbps_per_direction > 0 ? fixed(g.nvlink.gbps_per_direction, 2) : "-";
    if (g.nvlink.bridge) nv += " (bridge)";
    t.add({g.name, fixed(g.memory_gb, 0), fixed(g.memory_bandwidth_gbps, 0), fixed(g.tdp_w, 0), std::to_string(g.sm_count),
           tflops_cell(g.dense_tflops_of(DataType::fp32)), tflops_cell(g.dense_tflops_of(DataType::tf32)),
           tflops_cell(g.dense_tflops_of(DataType::fp16)), tflops_cell(g.dense_tflops_of(DataType::bf16)),
           tflops_cell(g.dense_tflops_of(DataType::fp8)), nv,
           "Gen" + std::to_string(g.pcie.gen) + " x" + std::to_string(g.pcie.lanes) + (g.peer_to_peer ? "" : " no-P2P"),
           g.price ? fixed(g.price->usd_per_gpu_hour, 2) : "-"});
  }
  std::cout << "Dense peak TFLOPS (no sparsity); NVLink GB/s per direction, all links of one GPU.\n\n" << t.render();
  std::cout << "\nSources: " << catalog.file << " (each GPU's 'source').\n";
  return 0;
}

}  // namespace trainsim::cli
