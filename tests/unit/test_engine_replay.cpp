// The replay against the formulas it must reproduce where nothing contends, and the loader bound.
#include <catch2/catch.hpp>

#include <sstream>

#include "child.hpp"
#include "sim/engine/coll_planner.hpp"
#include "sim/engine/run.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/scenario_io.hpp"

using namespace trainsim;

namespace {

Scenario scenario(const std::string& yaml) {
  return io::parse_scenario_text(yaml, "test.yaml", io::default_catalog());
}

PreparedRun prepared(const Scenario& s) { return prepare_run(s, io::default_catalog(), io::default_loader_costs()); }

// Iteration lengths of a replay (every iteration, the first included), as text.
std::string lengths_of(const Scenario& s) {
  return test::run_in_child([&] {
    const PreparedRun p = prepared(s);
    const RunResult r = simulate(p);
    std::ostringstream o;
    o.precision(17);
    for (const auto& it : r.iterations) o << it.end - it.start << " ";
    o << "| " << r.summary.images_per_s;
    return o.str();
  });
}

std::vector<double> parse_lengths(const std::string& text, double* images_per_s = nullptr) {
  std::istringstream in(text);
  std::vector<double> v;
  std::string tok;
  while (in >> tok && tok != "|") v.push_back(std::stod(tok));
  double ips = 0;
  in >> ips;
  if (images_per_s != nullptr) *images_per_s = ips;
  return v;
}

}  // namespace

TEST_CASE("one GPU, synthetic data, no jitter: an iteration is the sum of the layer times") {
  const Scenario s = scenario(
      "platform: 1x-rtx3090\n"
      "workload: {model: resnet50, image_px: 224, precision: amp, batch_per_gpu: 64, optimizer: sgd,\n"
      "           dataset: {images: 6400, synthetic: true}}\n"
      "run: {iterations: 20}\njitter: {compute_cv: 0, loader_cv: 0}\n");
  const PreparedRun p = prepared(s);
  // forward + backward (all layers) + optimizer, as the compute model adds them
  double expected = p.profile.optimizer_s;
  for (const auto& l : p.profile.layers) expected += l.forward + l.backward;
  const auto lengths = parse_lengths(lengths_of(s));
  REQUIRE(lengths.size() == 20);
  for (double l : lengths) CHECK(l == Approx(expected).epsilon(1e-12));
}

TEST_CASE("two GPUs, overlap off: compute plus the alpha-beta all-reduce of every bucket") {
  // Two A100s on an NVSwitch: each ring hop has its own links, nothing else contends.
  const Scenario s = scenario(
      "platform: {gpu: a100-sxm4-80gb, count: 2, interconnect: nvswitch}\n"
      "workload: {model: resnet50, image_px: 224, precision: amp, batch_per_gpu: 64, optimizer: sgd,\n"
      "           dataset: {images: 12800, synthetic: true}, ddp: {overlap: false, algorithm: ring}}\n"
      "run: {iterations: 10}\njitter: {compute_cv: 0, loader_cv: 0}\n");
  const PreparedRun p = prepared(s);
  const CollectivePlanner planner(p.topo);
  double expected = p.profile.iteration_s();
  for (const auto& b : p.plan.buckets) {
    expected += planner.predict_time(CollOp::all_reduce, Algorithm::ring, b.bytes, all_gpus(p.topo));
  }
  REQUIRE(p.plan.buckets.size() > 3);
  const auto lengths = parse_lengths(lengths_of(s));
  REQUIRE(lengths.size() == 10);
  for (double l : lengths) CHECK(l == Approx(expected).epsilon(1e-6));
}

TEST_CASE("with overlap, the all-reduce hides behind the backward and the iteration is shorter") {
  const std::string base =
      "platform: {gpu: a100-sxm4-80gb, count: 2, interconnect: nvswitch}\n"
      "workload: {model: resnet50, image_px: 224, precision: amp, batch_per_gpu: 64, optimizer: sgd,\n"
      "           dataset: {images: 12800, synthetic: true}, ddp: {overlap: OVERLAP, algorithm: ring}}\n"
      "run: {iterations: 10}\njitter: {compute_cv: 0, loader_cv: 0}\n";
  auto with = [&](const char* v) {
    std::string t = base;
    t.replace(t.find("OVERLAP"), 7, v);
    return parse_lengths(lengths_of(scenario(t))).back();
  };
  const double on = with("true"), off = with("false");
  const PreparedRun p = prepared(scenario(std::string(base).replace(base.find("OVERLAP"), 7, "true")));
  CHECK(on < off);
  CHECK(on > p.profile.iteration_s());  // the last bucket's all-reduce and the slowdown remain
}

TEST_CASE("a loader slower than the GPU gives the loader's rate") {
  // One worker per GPU and 12 MP images: each batch takes the worker far longer than the GPU.
  const Scenario s = scenario(
      "platform: 1x-h100-sxm\n"
      "workload: {model: resnet18, image_px: 224, precision: amp, batch_per_gpu: 32, optimizer: sgd,\n"
      "           dataset: {images: 100000, mean_megapixels: 12, mean_bytes: 1000000},\n"
      "           dataloader: {workers_per_gpu: 1, prefetch_factor: 2}}\n"
      "run: {iterations: 30}\njitter: {compute_cv: 0, loader_cv: 0}\n");
  const PreparedRun p = prepared(s);
  REQUIRE(p.plan.load_s_per_batch > 5 * p.profile.iteration_s());
  double images_per_s = 0;
  (void)parse_lengths(lengths_of(s), &images_per_s);
  // The worker reads the batch from storage, then decodes and augments it: nothing else matters.
  const auto& storage = p.topo.storage_to_host(p.topo.hosts().front());
  const double read_s = storage.latency_us * 1e-6 + p.plan.read_bytes_per_batch / (storage.effective_gbps * 1e9);
  CHECK(images_per_s == Approx(p.plan.batch / (read_s + p.plan.load_s_per_batch)).epsilon(1e-6));
}

TEST_CASE("the same scenario and seed give bit-identical results - another seed does not") {
  const std::string yaml =
      "seed: SEED\nplatform: 4x-rtx3090-pcie\n"
      "workload: {model: resnet18, image_px: 224, precision: amp, batch_per_gpu: 32, optimizer: sgd,\n"
      "           dataset: {images: 10000, mean_megapixels: 0.2, mean_bytes: 100000}}\n"
      "run: {iterations: 15}\n";
  auto run = [&](const char* seed) {
    std::string t = yaml;
    t.replace(t.find("SEED"), 4, seed);
    return lengths_of(scenario(t));
  };
  const std::string a = run("7"), b = run("7"), c = run("8");
  CHECK(a == b);
  CHECK(a != c);
}
