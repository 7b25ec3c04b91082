// Sweeps without running anything: the file's checks, the expansion order, points made into
// scenarios with errors at the right line, shards, ids, SHA-256, merging shard tables.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>

#include "sim/input/catalog_io.hpp"
#include "sim/input/sweep_io.hpp"
#include "sim/report/csv_write.hpp"
#include "sim/sweep/expand.hpp"
#include "sim/sweep/identity.hpp"
#include "sim/sweep/merge.hpp"
#include "sim/sweep/shard.hpp"
#include "sim/util/sha256.hpp"

using namespace trainsim;

namespace {

const std::string kBase =
    "base:\n"
    "  platform: 4x-rtx3090-pcie\n"
    "  workload: {model: resnet18, image_px: 224, batch_per_gpu: 32, dataset: {images: 1000}}\n"
    "  run: {iterations: 10}\n";

io::SweepFile sweep_of(const std::string& rest) { return io::parse_sweep(kBase + rest, "s.yaml"); }

std::string error_of(const std::string& rest) {
  try {
    const io::SweepFile f = sweep_of(rest);
    (void)sweep::resolve_points(f, sweep::expand(f), io::default_catalog());
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("sha256: the FIPS 180-4 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("expansion: explicit points crossed with the grid, the last axis fastest") {
  const io::SweepFile f = sweep_of(
      "points:\n  - {platform.interconnect: pcie}\n  - {platform.interconnect: nvlink-pairs, platform.nvlink.gbps: 100}\n"
      "axes:\n  platform.pcie.gen: [3, 4]\n  workload.batch_per_gpu: [16, 32, 64]\n");
  const auto points = sweep::expand(f);
  REQUIRE(points.size() == 12);
  const auto value = [&](std::size_t p, const std::string& path) {
    for (const auto& a : points[p].assignments) {
      if (a.path == path) return a.value.text;
    }
    return std::string("unset");
  };
  CHECK(value(0, "platform.pcie.gen") == "3");
  CHECK(value(0, "workload.batch_per_gpu") == "16");
  CHECK(value(1, "workload.batch_per_gpu") == "32");
  CHECK(value(3, "platform.pcie.gen") == "4");
  CHECK(value(5, "platform.interconnect") == "pcie");
  CHECK(value(6, "platform.interconnect") == "nvlink-pairs");
  CHECK(value(0, "platform.nvlink.gbps") == "unset");
  CHECK(value(11, "platform.nvlink.gbps") == "100");
  CHECK(sweep::axis_columns(f) ==
        std::vector<std::string>{"platform.interconnect", "platform.nvlink.gbps", "platform.pcie.gen", "workload.batch_per_gpu"});
  const auto scenarios = sweep::resolve_points(f, points, io::default_catalog());
  CHECK(scenarios[11].workload.batch_per_gpu == 64);
  bool nvlink = false;
  for (const auto& l : scenarios[11].platform.links) nvlink = nvlink || (l.kind == LinkKind::nvlink && l.gbps_per_direction == 100);
  CHECK(nvlink);
}

TEST_CASE("bad sweep files: one error at the line and column of what is wrong") {
  // unknown key path: at the axis value (line 6 of the file: 4 base lines, "axes:", the axis)
  CHECK_THAT(error_of("axes:\n  workload.batch_size: [1, 2]\n"),
             Catch::StartsWith("s.yaml:6:25: key 'workload.batch_size': value '1': expected a known key"));
  // wrong type: at the offending value, naming the point
  CHECK_THAT(error_of("axes:\n  workload.batch_per_gpu: [8, eight]\n"),
             Catch::StartsWith("s.yaml:6:31: key 'workload.batch_per_gpu': value 'eight'") &&
                 Catch::EndsWith("in point 1"));
  CHECK_THAT(error_of("axes: {}\n"), Catch::StartsWith("s.yaml:5:7:") && Catch::Contains("at least one axis"));
  CHECK_THAT(error_of("axes:\n  seed: []\n"), Catch::StartsWith("s.yaml:6:9:") && Catch::Contains("non-empty list"));
  CHECK_THAT(error_of("axes:\n  seed: [1, 2\n"), Catch::StartsWith("s.yaml:7:1:") && Catch::Contains("valid YAML"));
  CHECK_THAT(error_of("points:\n  - {workload.precision: fp64}\n"), Catch::StartsWith("s.yaml:6:26:"));
  CHECK_THAT(error_of(""), Catch::Contains("axes (key path -> list of values) and/or points"));
  CHECK_THAT(error_of("axes:\n  seed: [1, 1]\n"), Catch::Contains("each value once"));
  CHECK_THAT(error_of("axes:\n  platform: [4x-rtx3090-pcie]\n  platform.count: [2]\n"), Catch::StartsWith("s.yaml:7:3:"));
  CHECK_THAT(error_of("points:\n  - {seed: 1}\naxes:\n  seed: [2]\n"), Catch::Contains("no axis sets"));
  // a combination that is impossible: the value after which the scenario breaks is blamed
  CHECK_THAT(error_of("axes:\n  platform.gpu: [rtx3090, rtx4090]\n  platform.interconnect: [pcie, nvlink-pairs]\n"),
             Catch::StartsWith("s.yaml:7:33: key 'platform.interconnect': value 'nvlink-pairs'") &&
                 Catch::Contains("rtx4090 has no NVLink") && Catch::EndsWith("in point 3"));
}

TEST_CASE("an error in the base names the base's own line and column") {
  const std::string bad = "base:\n  platform: 4x-rtx3090-pcie\n"
                          "  workload: {model: resnet18, image_px: 224, batch_per_gpu: 0, dataset: {images: 1000}}\n"
                          "  run: {iterations: 10}\naxes:\n  seed: [1, 2]\n";
  try {
    (void)sweep::resolve_base(io::parse_sweep(bad, "s.yaml"), io::default_catalog());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("s.yaml:3:61: key 'workload.batch_per_gpu'"));
  }
}

TEST_CASE("sweep limits: 100,000 points and 2,000,000 values, refused at the axis that crosses them") {
  // 10 x 10 x 10 x 10 x 10 = 100,000 points: the limit itself is allowed (nothing is resolved here)
  const std::string ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
  const std::string five = "axes:\n  seed: " + ten + "\n  workload.batch_per_gpu: " + ten +
                           "\n  workload.dataloader.workers_per_gpu: " + ten + "\n  run.iterations: " + ten +
                           "\n  workload.image_px: [32, 64, 96, 128, 160, 192, 224, 256, 288, 320]\n";
  CHECK(sweep_of(five).axes.size() == 5);
  // a sixth axis of two values: 200,000 points, refused at that axis (line 11)
  try {
    (void)sweep_of(five + "  jitter.compute_cv: [0, 0.01]\n");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("s.yaml:11:3: key 'axes.jitter.compute_cv'") &&
                             Catch::Contains("at most 100000 points"));
  }
  // 1,000 points of one value x 1,999 axes of one value: 1,000 x (1 + 1,999) = 2,000,000 values
  // (the limit), from a file of 40 KB; one axis more is refused
  std::string wide = "points:\n";
  for (int i = 0; i < 1000; ++i) wide += "  - {seed: " + std::to_string(i) + "}\n";
  wide += "axes:\n";
  for (int i = 0; i < 1999; ++i) wide += "  x" + std::to_string(i) + ": [1]\n";
  CHECK_NOTHROW(sweep_of(wide));
  wide += "  x1999: [1]\n";
  try {
    (void)sweep_of(wide);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("key 'axes.x1999'") && Catch::Contains("at most 2000000 values"));
  }
}

TEST_CASE("YAML aliases that would expand to more than 10^6 nodes are refused at the alias") {
  // ten aliases of ten aliases...: level k expands to about 10^k nodes; level 6 crosses the limit
  std::string text = "axes:\n  workload.dataset:\n    - &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    text += "    - &" + std::string(1, c) + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + std::string(1, static_cast<char>(c - 1));
    text += "]\n";
  }
  try {
    (void)sweep_of(text);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("s.yaml:12:") && Catch::Contains("aliases expand to at most 1000000 nodes"));
  }
  // a few aliases are fine
  CHECK(sweep_of("axes:\n  seed: [&one 1, 2]\n  run.iterations: [*one, 3]\n").axes.size() == 2);
}

TEST_CASE("shards: round robin, from --shard or from Slurm's array variables") {
  CHECK(sweep::shard_points(10, {1, 3}) == std::vector<long long>{1, 4, 7});
  std::set<long long> all;
  for (long long k = 0; k < 4; ++k) {
    for (long long i : sweep::shard_points(10, {k, 4})) CHECK(all.insert(i).second);
  }
  CHECK(all.size() == 10);
  CHECK(sweep::parse_shard("2/5").index == 2);
  CHECK_THROWS_AS(sweep::parse_shard("5/5"), InputError);
  CHECK_THROWS_AS(sweep::parse_shard("1"), InputError);
  CHECK_THROWS_AS(sweep::parse_shard("-1/4"), InputError);
  ::setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "5", 1);
  const auto s = sweep::shard_from_slurm();
  REQUIRE(s.has_value());
  CHECK(s->index == 2);
  CHECK(s->count == 4);
  ::setenv("SLURM_ARRAY_TASK_ID", "9", 1);  // past the 4 tasks 5..8
  CHECK_THROWS_AS(sweep::shard_from_slurm(), InputError);
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_COUNT");
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  CHECK_FALSE(sweep::shard_from_slurm().has_value());
}

TEST_CASE("sweep id: the same sweep the same id - another point, column or replay another") {
  const io::SweepFile f = sweep_of("axes:\n  seed: [1, 2]\n");
  const auto scenarios = sweep::resolve_points(f, sweep::expand(f), io::default_catalog());
  const auto cols = sweep::axis_columns(f);
  const std::string id = sweep::sweep_id(scenarios, cols, ReplayMode::full, {});
  CHECK(id.size() == 64);
  CHECK(sweep::sweep_id(scenarios, cols, ReplayMode::full, {}) == id);
  CHECK(sweep::sweep_id(scenarios, cols, ReplayMode::sampled, {}) != id);
  CHECK(sweep::sweep_id(scenarios, {"other"}, ReplayMode::full, {}) != id);
  auto changed = scenarios;
  changed[1].workload.batch_per_gpu = 16;
  CHECK(sweep::sweep_id(changed, cols, ReplayMode::full, {}) != id);
}

namespace {
io::SweepPart part(const std::string& path, const std::string& id, std::vector<std::int64_t> points, long long total) {
  io::SweepPart p;
  p.path = path;
  p.attributes.sweep_id = id;
  p.attributes.points_total = total;
  std::vector<std::string> status(points.size(), "ok"), error(points.size());
  std::vector<double> value;
  for (auto i : points) value.push_back(10.0 * static_cast<double>(i));
  p.points.add("point", std::move(points)).add("status", std::move(status)).add("error", std::move(error));
  p.points.add("images_per_s", std::move(value));
  return p;
}
}  // namespace

TEST_CASE("merge: shards joined in point order - other sweeps, overlaps and gaps refused") {
  const auto m = sweep::merge_parts({part("b.h5", "x", {1, 3}, 5), part("a.h5", "x", {0, 2, 4}, 5)});
  CHECK(std::get<std::vector<std::int64_t>>(m.points.find("point")->values) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
  CHECK(std::get<std::vector<double>>(m.points.find("images_per_s")->values) == std::vector<double>{0, 10, 20, 30, 40});
  CHECK(m.attributes.shard_count == 1);
  CHECK_THROWS_WITH(sweep::merge_parts({part("a.h5", "x", {0, 2, 4}, 5), part("b.h5", "y", {1, 3}, 5)}),
                    Catch::StartsWith("b.h5: key 'sweep_id'"));
  CHECK_THROWS_WITH(sweep::merge_parts({part("a.h5", "x", {0, 2, 4}, 5), part("b.h5", "x", {1, 2, 3}, 5)}),
                    Catch::Contains("value '2'") && Catch::Contains("also in a.h5"));
  CHECK_THROWS_WITH(sweep::merge_parts({part("a.h5", "x", {0, 2, 4}, 5)}), Catch::Contains("value '1, 3'"));
}

TEST_CASE("CSV: header, shortest numbers, NaN empty, quoting") {
  io::ColumnTable t;
  t.add("point", std::vector<std::int64_t>{0, 1});
  t.add("error", std::vector<std::string>{"", "a, \"b\""});
  t.add("x", std::vector<double>{0.1, std::nan("")});
  CHECK(io::to_csv(t) == "point,error,x\n0,,0.1\n1,\"a, \"\"b\"\"\",\n");
}
