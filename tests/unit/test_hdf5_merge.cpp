#include <catch2/catch.hpp>

#include <cmath>

#include "hdf5_read.hpp"
#include "sim/store/hdf5_events.hpp"
#include "sim/store/hdf5_merge.hpp"
#include "sim/store/hdf5_run.hpp"
#include "sim/util/error.hpp"

using namespace trainsim;
using test::H5Reader;
using test::TempDir;

TEST_CASE("merge_run: a child's run group copied into the main file, tables, attributes and filters intact") {
  TempDir dir;
  RunResult res;
  res.summary.gpu = "h100";
  res.summary.gpus = 2;
  for (int i = 0; i < 5; ++i) {
    IterationRow row;
    row.iteration = i;
    row.start = i / 3.0;
    row.end = row.start + std::sqrt(2.0);
    res.iterations.push_back(row);
  }
  res.epochs.resize(1);
  const std::string part = dir.file("main.h5.part.h100");
  {
    io::TraceFile f(part);
    io::write_root_attributes(f, "child: 1\n", 1);
    {
      io::EventWriter w(f, "/runs/r", {16, 32, 4});
      for (int i = 0; i < 100; ++i) {
        Event e;
        e.kind = EventKind::allreduce;
        e.iteration = i;
        e.start = i / 7.0;
        e.end = e.start + 1e-3 / 3;
        w.record(e);
      }
    }
    io::write_run(f, "/runs/r", res);
    f.commit();
  }
  {
    io::TraceFile f(dir.file("main.h5"));
    io::write_root_attributes(f, "main: 1\n", 1);
    io::merge_run(f, part, "/runs/r", io::run_group("h100", "r"));
    CHECK_THROWS_WITH(io::merge_run(f, part, "/runs/r", io::run_group("h100", "r")), Catch::Contains("exists already"));
    CHECK_THROWS_WITH(io::merge_run(f, part, "/runs/other", io::run_group("h100", "x")), Catch::Contains("no group /runs/other"));
    CHECK_THROWS_AS(io::merge_run(f, dir.file("absent.h5"), "/runs/r", io::run_group("h100", "y")), RuntimeError);
    f.commit();
  }
  H5Reader r(dir.file("main.h5"));
  const std::string g = "/platforms/h100/runs/r";
  CHECK(r.string_attribute("/", "scenario") == "main: 1\n");  // the part's root is not copied
  CHECK(r.string_attribute(g, "gpu") == "h100");
  CHECK(r.attribute<long long>(g, "gpus", H5T_NATIVE_LLONG) == std::vector<long long>{2});
  const auto end = r.doubles(g + "/iterations", "end");
  REQUIRE(end.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(end[static_cast<std::size_t>(i)] == i / 3.0 + std::sqrt(2.0));
  const auto start = r.doubles(g + "/events", "start");
  REQUIRE(start.size() == 100);
  CHECK(start[99] == 99 / 7.0);
  const hid_t dcpl = r.creation_plist(g + "/events");
  hsize_t chunk = 0;
  CHECK(H5Pget_chunk(dcpl, 1, &chunk) == 1);
  CHECK(chunk == 16);
  CHECK(H5Pget_nfilters(dcpl) == 2);
  H5Pclose(dcpl);
}
