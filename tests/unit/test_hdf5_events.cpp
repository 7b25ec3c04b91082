#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "hdf5_read.hpp"
#include "sim/store/hdf5_events.hpp"
#include "sim/store/hdf5_file.hpp"
#include "sim/util/error.hpp"

using namespace trainsim;
using test::H5Reader;
using test::TempDir;

namespace {

// Every field varies, times have all their mantissa bits: a lossy or shifted column shows.
Event nth_event(long long i) {
  Event e;
  e.kind = static_cast<EventKind>(i % 11);
  e.rank = static_cast<std::int16_t>(i % 7 - 1);
  e.epoch = static_cast<std::int32_t>(i / 1000);
  e.iteration = i * 3 - 1;
  e.bucket = static_cast<std::int32_t>(i % 13 - 1);
  e.link = static_cast<std::int32_t>(-(i % 5));
  e.start = std::sqrt(static_cast<double>(i)) + 1.0 / 3;
  e.end = e.start + 1e-6 * static_cast<double>(i % 17) + 1.0 / 7;
  e.bytes = static_cast<double>(i % 4) * 25e6 / 3;
  e.flops = i % 2 == 0 ? 0 : std::ldexp(1.0, static_cast<int>(i % 60));
  return e;
}

}  // namespace

TEST_CASE("event writer: streams blocks, reads back bit-exact, kinds as the schema's enum") {
  TempDir dir;
  const long long n = 10007;  // several blocks and a partial chunk at the end
  io::EventWriterOptions opt;
  opt.chunk_events = 1000;
  opt.block_events = 3000;
  {
    io::TraceFile f(dir.file("e.h5"));
    io::EventWriter w(f, "/runs/main", opt);
    for (long long i = 0; i < n; ++i) w.record(nth_event(i));
    CHECK(w.recorded() == n);
    f.commit();  // flushes the writer, which outlives the commit
    CHECK_THROWS_AS(w.record(nth_event(0)), RuntimeError);
  }
  H5Reader r(dir.file("e.h5"));
  const std::string p = "/runs/main/events";
  REQUIRE(r.rows(p) == static_cast<hsize_t>(n));
  std::vector<std::string> names;
  for (const auto& [name, cls] : r.fields(p)) names.push_back(name);
  CHECK(names == std::vector<std::string>{"rank", "epoch", "iteration", "kind", "start", "end", "bytes", "flops",
                                          "bucket", "link"});
  const auto rank = r.ints(p, "rank"), epoch = r.ints(p, "epoch"), it = r.ints(p, "iteration");
  const auto kind = r.ints(p, "kind"), bucket = r.ints(p, "bucket"), link = r.ints(p, "link");
  const auto start = r.doubles(p, "start"), end = r.doubles(p, "end"), bytes = r.doubles(p, "bytes"),
             flops = r.doubles(p, "flops");
  long long mismatches = 0;
  for (long long i = 0; i < n; ++i) {
    const Event e = nth_event(i);
    const auto k = static_cast<std::size_t>(i);
    mismatches += rank[k] != e.rank || epoch[k] != e.epoch || it[k] != e.iteration ||
                  kind[k] != static_cast<int>(e.kind) || bucket[k] != e.bucket || link[k] != e.link ||
                  start[k] != e.start || end[k] != e.end || bytes[k] != e.bytes || flops[k] != e.flops;
  }
  CHECK(mismatches == 0);

  // The enum: exactly EventKind's names and values.
  const hid_t t = r.dataset_type(p);
  const hid_t kt = H5Tget_member_type(t, static_cast<unsigned>(H5Tget_member_index(t, "kind")));
  REQUIRE(H5Tget_class(kt) == H5T_ENUM);
  REQUIRE(H5Tget_nmembers(kt) == 11);
  for (unsigned v = 0; v < 11; ++v) {
    char name[32];
    const auto value = static_cast<std::uint8_t>(v);
    REQUIRE(H5Tenum_nameof(kt, &value, name, sizeof name) >= 0);
    CHECK(std::string(name) == std::string(to_string(static_cast<EventKind>(v))));
  }
  H5Tclose(kt);
  H5Tclose(t);

  const hid_t dcpl = r.creation_plist(p);
  hsize_t chunk = 0;
  CHECK(H5Pget_chunk(dcpl, 1, &chunk) == 1);
  CHECK(chunk == 1000);
  H5Pclose(dcpl);
}

TEST_CASE("event writer: destroyed before commit, its events are kept - file discarded, nothing is left") {
  TempDir dir;
  {
    io::TraceFile f(dir.file("a.h5"));
    {
      io::EventWriter w(f, "/runs/a");
      for (long long i = 0; i < 5; ++i) w.record(nth_event(i));
    }
    f.commit();
  }
  CHECK(H5Reader(dir.file("a.h5")).rows("/runs/a/events") == 5);

  // A run that fails part-way: the file goes away with its writer's buffered events.
  {
    io::TraceFile f(dir.file("b.h5"));
    io::EventWriter w(f, "/runs/b", {10, 20, 4});
    for (long long i = 0; i < 55; ++i) w.record(nth_event(i));  // two blocks on disk, 15 buffered
  }
  CHECK(dir.entries() == std::vector<std::string>{"a.h5"});

  // A writer that outlives its discarded file refuses events instead of writing anywhere.
  auto f = std::make_unique<io::TraceFile>(dir.file("c.h5"));
  auto w = io::event_writer(*f, "/runs/c");
  w->record(nth_event(1));
  f.reset();
  CHECK_THROWS_AS(w->record(nth_event(2)), RuntimeError);
  CHECK(dir.entries() == std::vector<std::string>{"a.h5"});
}

TEST_CASE("event writer: a kind outside the schema's enum is refused") {
  TempDir dir;
  io::TraceFile f(dir.file("k.h5"));
  io::EventWriter w(f, "/runs/k", {1, 1, 4});
  Event e;
  e.kind = static_cast<EventKind>(200);
  CHECK_THROWS_WITH(w.record(e), Catch::Contains("not in the schema"));
}

TEST_CASE("event writer: two runs stream into one file at once") {
  TempDir dir;
  {
    io::TraceFile f(dir.file("two.h5"));
    io::EventWriter a(f, "/platforms/p/runs/a", {100, 200, 4});
    io::EventWriter b(f, "/platforms/p/runs/b", {100, 200, 4});
    for (long long i = 0; i < 1000; ++i) (i % 3 == 0 ? b : a).record(nth_event(i));
    f.commit();
  }
  H5Reader r(dir.file("two.h5"));
  const auto a_it = r.ints("/platforms/p/runs/a/events", "iteration");
  const auto b_it = r.ints("/platforms/p/runs/b/events", "iteration");
  REQUIRE(a_it.size() == 666);
  REQUIRE(b_it.size() == 334);
  CHECK(b_it[1] == nth_event(3).iteration);
  CHECK(a_it[665] == nth_event(998).iteration);
}
