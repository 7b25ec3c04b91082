#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "hdf5_read.hpp"
#include "sim/store/hdf5_campaign.hpp"
#include "sim/store/hdf5_file.hpp"
#include "sim/store/hdf5_run.hpp"
#include "sim/store/hdf5_table.hpp"
#include "sim/util/error.hpp"

using namespace trainsim;
using test::H5Reader;
using test::TempDir;

namespace {

// Values that a decimal round trip would lose: the test compares bit-exact numbers.
RunResult sample_result() {
  RunResult r;
  r.summary.model = "hrnet_w44";
  r.summary.gpu = "rtx3090";
  r.summary.node = "4x-rtx3090-pcie";
  r.summary.gpus = 4;
  r.summary.batch_per_gpu = 6;
  r.summary.precision = "fp16";
  r.summary.algorithm = "ring";
  r.summary.buckets = 11;
  r.summary.gpu_busy_s = {1.0 / 3, 2.0 / 7, std::nextafter(1.0, 2.0), 5e-324};
  r.summary.iterations_per_epoch = 3;
  r.summary.wall_s = 12.5;
  for (int i = 0; i < 7; ++i) {
    IterationRow row;
    row.epoch = i / 3;
    row.iteration = i;
    row.start = i * 0.1 + 1.0 / 3;
    row.end = row.start + 0.1 + i * 1e-17;
    row.compute = 0.07 + i / 1e9;
    row.exposed_comm = 0.02 / (i + 1);
    row.data_stall = std::sqrt(2.0) * 1e-3 * i;
    r.iterations.push_back(row);
  }
  for (int e = 0; e < 3; ++e) {
    EpochRow row;
    row.epoch = e;
    row.start = e * 0.31;
    row.end = e * 0.31 + 0.3 + 1.0 / 7;
    row.iterations = e < 2 ? 3 : 1;
    row.validation_s = e == 2 ? 0 : 1.0 / 9;
    row.checkpoint_s = 0.5 + e;
    r.epochs.push_back(row);
  }
  summarise(r);
  return r;
}

}  // namespace

TEST_CASE("trace file: a file destroyed without commit leaves nothing - commit renames") {
  TempDir dir;
  const std::string target = dir.file("out.h5");
  {
    io::TraceFile f(target);
    CHECK(f.temp_path() == target + ".tmp." + std::to_string(::getpid()));
    CHECK(std::filesystem::exists(f.temp_path()));
    io::write_root_attributes(f, "a: 1\n", 7);
    CHECK_FALSE(std::filesystem::exists(target));
  }
  CHECK(dir.entries().empty());

  io::TraceFile f(target);
  io::write_root_attributes(f, "a: 1\n", 7);
  f.commit();
  CHECK(f.committed());
  CHECK(dir.entries() == std::vector<std::string>{"out.h5"});
  CHECK_THROWS_AS(f.commit(), RuntimeError);
  CHECK_THROWS_AS(io::write_root_attributes(f, "", 1), RuntimeError);
}

TEST_CASE("trace file: an output in a missing folder is an input error naming it") {
  TempDir dir;
  const std::string bad = dir.file("no/such/folder/out.h5");
  try {
    io::TraceFile f(bad);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(bad) != std::string::npos);
    CHECK(std::string(e.what()).find("existing folder") != std::string::npos);
  }
  CHECK_THROWS_AS(io::TraceFile(dir.file("")), InputError);  // a folder, not a file
}

TEST_CASE("root attributes: schema version, version, scenario, seed, created") {
  TempDir dir;
  std::string yaml = "name: x\n";
  yaml += std::string(100000, '#');  // longer than an object header holds: variable-length strings
  {
    io::TraceFile f(dir.file("a.h5"));
    io::write_root_attributes(f, yaml, -3);
    f.commit();
  }
  H5Reader r(dir.file("a.h5"));
  CHECK(r.attribute<long long>("/", "schema_version", H5T_NATIVE_LLONG) == std::vector<long long>{1});
  CHECK(r.attribute<long long>("/", "seed", H5T_NATIVE_LLONG) == std::vector<long long>{-3});
  CHECK(r.string_attribute("/", "scenario") == yaml);
  CHECK_FALSE(r.string_attribute("/", "trainsim_version").empty());
  const std::string created = r.string_attribute("/", "created");
  REQUIRE(created.size() == 20);  // 2026-01-31T12:00:00Z
  CHECK(created[4] == '-');
  CHECK(created[10] == 'T');
  CHECK(created.back() == 'Z');
}

TEST_CASE("write_run: iterations, epochs and summary read back bit-exact") {
  TempDir dir;
  const RunResult res = sample_result();
  const std::string g = io::run_group("rtx3090", "ddp");
  CHECK(g == "/platforms/rtx3090/runs/ddp");
  {
    io::TraceFile f(dir.file("r.h5"));
    io::write_run(f, g, res);
    io::write_run(f, io::run_group("", "small"), res, io::TraceLevel::none);
    f.commit();
  }
  H5Reader r(dir.file("r.h5"));
  const std::string it = g + "/iterations";
  REQUIRE(r.rows(it) == res.iterations.size());
  const auto start = r.doubles(it, "start"), end = r.doubles(it, "end"), compute = r.doubles(it, "compute");
  const auto comm = r.doubles(it, "exposed_comm"), stall = r.doubles(it, "data_stall");
  const auto epoch = r.ints(it, "epoch"), iteration = r.ints(it, "iteration");
  for (std::size_t i = 0; i < res.iterations.size(); ++i) {
    const auto& row = res.iterations[i];
    CHECK(epoch[i] == row.epoch);
    CHECK(iteration[i] == row.iteration);
    CHECK(start[i] == row.start);
    CHECK(end[i] == row.end);
    CHECK(compute[i] == row.compute);
    CHECK(comm[i] == row.exposed_comm);
    CHECK(stall[i] == row.data_stall);
  }
  const std::string ep = g + "/epochs";
  REQUIRE(r.rows(ep) == 3);
  CHECK(r.ints(ep, "iterations") == std::vector<long long>{3, 3, 1});
  CHECK(r.doubles(ep, "end")[1] == res.epochs[1].end);
  CHECK(r.doubles(ep, "validation_s")[0] == 1.0 / 9);
  CHECK(r.doubles(ep, "checkpoint_s")[2] == 2.5);

  CHECK(r.string_attribute(g, "model") == "hrnet_w44");
  CHECK(r.string_attribute(g, "trace_level") == "iterations");
  CHECK(r.attribute<long long>(g, "gpus", H5T_NATIVE_LLONG) == std::vector<long long>{4});
  CHECK(r.attribute<double>(g, "iteration_mean_s", H5T_NATIVE_DOUBLE) == std::vector<double>{res.summary.iteration_mean});
  CHECK(r.attribute<double>(g, "images_per_s", H5T_NATIVE_DOUBLE) == std::vector<double>{res.summary.images_per_s});
  CHECK(r.attribute<double>(g, "gpu_busy_s", H5T_NATIVE_DOUBLE) == res.summary.gpu_busy_s);
  CHECK_THROWS(r.attribute<double>(g, "wall_s", H5T_NATIVE_DOUBLE));  // host time: not reproducible

  // Trace level none: summary and epochs, no iterations.
  CHECK(r.exists("/runs/small/epochs"));
  CHECK_FALSE(r.exists("/runs/small/iterations"));
  CHECK(r.string_attribute("/runs/small", "trace_level") == "none");
}

TEST_CASE("tables: compound, chunked, shuffled and deflated - strings, bools, NaN") {
  TempDir dir;
  io::ColumnTable t;
  t.add("point", std::vector<std::int64_t>{0, 1, 2})
      .add("status", std::vector<std::string>{"ok", "failed", "ok"})
      .add("error", std::vector<std::string>{"", "link bandwidth 0: expected > 0", ""})
      .add("gpus", std::vector<std::int32_t>{2, 4, 8})
      .add("link_gbps", std::vector<double>{1.0 / 3, 0, 1e300})
      .add("images_per_s", std::vector<double>{12.5, std::numeric_limits<double>::quiet_NaN(), -0.0})
      .add("reused", std::vector<bool>{true, false, true});
  CHECK_THROWS_AS(io::ColumnTable(t).add("short", std::vector<double>{1}), RuntimeError);
  CHECK_THROWS_AS(io::ColumnTable(t).add("gpus", std::vector<double>{1, 2, 3}), RuntimeError);
  {
    io::TraceFile f(dir.file("t.h5"));
    io::write_points(f, "/sweep", t);
    io::ColumnTable wrong;
    wrong.add("status", std::vector<std::string>{"ok"});
    CHECK_THROWS_AS(io::write_points(f, "/other", wrong), RuntimeError);
    f.commit();
  }
  H5Reader r(dir.file("t.h5"));
  const std::string p = "/sweep/points";
  const auto fields = r.fields(p);
  REQUIRE(fields.size() == 7);
  CHECK(fields[1] == std::make_pair(std::string("status"), H5T_STRING));
  CHECK(fields[3] == std::make_pair(std::string("gpus"), H5T_INTEGER));
  CHECK(fields[6] == std::make_pair(std::string("reused"), H5T_ENUM));
  CHECK(r.strings(p, "error") == std::vector<std::string>{"", "link bandwidth 0: expected > 0", ""});
  CHECK(r.ints(p, "gpus") == std::vector<long long>{2, 4, 8});
  CHECK(r.ints(p, "reused") == std::vector<long long>{1, 0, 1});
  const auto link = r.doubles(p, "link_gbps");
  CHECK(link == std::vector<double>{1.0 / 3, 0, 1e300});
  const auto ips = r.doubles(p, "images_per_s");
  CHECK(std::isnan(ips[1]));
  CHECK(std::signbit(ips[2]));

  const hid_t dcpl = r.creation_plist(p);
  CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED);
  REQUIRE(H5Pget_nfilters(dcpl) == 2);
  unsigned flags = 0;
  std::size_t n = 0;  // in: how many parameters the (null) array holds
  CHECK(H5Pget_filter2(dcpl, 0, &flags, &n, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_SHUFFLE);
  n = 0;  // in: how many parameters the (null) array holds
  CHECK(H5Pget_filter2(dcpl, 1, &flags, &n, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE);
  H5Pclose(dcpl);
}

TEST_CASE("campaign tables: stages and runs read back") {
  TempDir dir;
  std::vector<io::StageRow> stages(2);
  stages[0].name = "baseline";
  stages[0].end_hours = stages[0].wall_hours = 1.0 / 3;
  stages[1].name = "final";
  stages[1].start_hours = 1.0 / 3;
  stages[1].co2_kg = 7.25;
  std::vector<io::RunRow> runs(1);
  runs[0].stage = "final";
  runs[0].run = "final-0";
  runs[0].platform = "h100";
  runs[0].gpus = 4;
  runs[0].cost_usd = 123.456;
  runs[0].reused = true;
  {
    io::TraceFile f(dir.file("c.h5"));
    io::write_campaign(f, io::campaign_group("h100"), stages, runs);
    io::write_campaign(f, io::campaign_group(""), {}, {});  // empty tables are valid
    f.commit();
  }
  H5Reader r(dir.file("c.h5"));
  CHECK(r.strings("/platforms/h100/campaign/stages", "name") == std::vector<std::string>{"baseline", "final"});
  CHECK(r.doubles("/platforms/h100/campaign/stages", "end_hours")[0] == 1.0 / 3);
  CHECK(r.doubles("/platforms/h100/campaign/stages", "co2_kg")[1] == 7.25);
  CHECK(r.strings("/platforms/h100/campaign/runs", "platform") == std::vector<std::string>{"h100"});
  CHECK(r.doubles("/platforms/h100/campaign/runs", "cost_usd")[0] == 123.456);
  CHECK(r.ints("/platforms/h100/campaign/runs", "reused")[0] == 1);
  CHECK(r.rows("/campaign/stages") == 0);
  CHECK(r.rows("/campaign/runs") == 0);
}

TEST_CASE("group names and trace levels are checked") {
  CHECK(io::run_group("", "main") == "/runs/main");
  CHECK(io::campaign_group("rtx3090") == "/platforms/rtx3090/campaign");
  CHECK_THROWS_AS(io::run_group("a/b", "x"), InputError);
  CHECK_THROWS_AS(io::run_group("", ""), InputError);
  CHECK(io::parse_trace_level("events") == io::TraceLevel::events);
  CHECK(std::string(io::to_string(io::TraceLevel::iterations)) == "iterations");
  CHECK_THROWS_WITH(io::parse_trace_level("all"), Catch::Contains("none, iterations, events"));
}
