#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml_edit.hpp"

using namespace trainsim;

TEST_CASE("deep_merge lays maps over maps, key by key - other values replace") {
  const YAML::Node base = YAML::Load("a: {b: 1, c: {d: 2, e: 3}}\nf: [1, 2]\n");
  const YAML::Node over = YAML::Load("a: {c: {e: 30}, g: 4}\nf: [9]\n");
  const YAML::Node m = io::deep_merge(base, over);
  CHECK(m["a"]["b"].as<int>() == 1);
  CHECK(m["a"]["c"]["d"].as<int>() == 2);
  CHECK(m["a"]["c"]["e"].as<int>() == 30);
  CHECK(m["a"]["g"].as<int>() == 4);
  CHECK(m["f"].size() == 1);
  CHECK(base["a"]["c"]["e"].as<int>() == 3);  // inputs unchanged
}

TEST_CASE("set_path sets values, expanding a preset platform into its map") {
  YAML::Node s = YAML::Load(
      "platform: 4x-rtx3090-pcie\nworkload: {model: resnet18, dataset: {images: 100}}\nrun: {iterations: 2}\n");
  io::set_path(s, "platform.interconnect", YAML::Node("nvlink-pairs"), {});
  io::set_path(s, "workload.dataloader.workers_per_gpu", YAML::Node(3), {});
  const Scenario sc = io::parse_scenario(io::YNode(s, "x.yaml", ""), io::default_catalog());
  CHECK(sc.platform.links.size() > 4);
  bool nvlink = false;
  for (const auto& l : sc.platform.links) nvlink = nvlink || l.kind == LinkKind::nvlink;
  CHECK(nvlink);
  CHECK(sc.workload.dataloader.workers_per_gpu == 3);
  CHECK_THROWS_AS(io::set_path(s, "workload.model.x", YAML::Node(1), {"sweep.yaml", 4, 3}), InputError);
}
