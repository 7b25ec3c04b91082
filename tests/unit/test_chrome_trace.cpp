#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "hdf5_read.hpp"
#include "sim/report/chrome_trace.hpp"
#include "sim/store/recorders.hpp"
#include "sim/util/error.hpp"

using namespace trainsim;

namespace {
Event ev(EventKind k, int rank, long long it, double start, double end) {
  Event e;
  e.kind = k;
  e.rank = static_cast<std::int16_t>(rank);
  e.iteration = it;
  e.epoch = 0;
  e.start = start;
  e.end = end;
  return e;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("chrome trace: iteration ranges") {
  CHECK(io::parse_iteration_range("5").first == 5);
  CHECK(io::parse_iteration_range("5").last == 5);
  const auto r = io::parse_iteration_range("2:4");
  CHECK((r.first == 2 && r.last == 4));
  CHECK(r.contains(2));
  CHECK(r.contains(4));
  CHECK_FALSE(r.contains(5));
  for (const char* bad : {"", "4:2", "-1", "a", "1:", ":3", "1:2:3", "1.5"}) {
    CHECK_THROWS_AS(io::parse_iteration_range(bad), InputError);
  }
}

TEST_CASE("chrome trace: streams of the kinds") {
  CHECK(io::stream_of(EventKind::forward) == io::Stream::compute);
  CHECK(io::stream_of(EventKind::stall) == io::Stream::compute);
  CHECK(io::stream_of(EventKind::allreduce) == io::Stream::communication);
  CHECK(io::stream_of(EventKind::h2d) == io::Stream::communication);
  CHECK(io::stream_of(EventKind::load) == io::Stream::loader);
}

TEST_CASE("chrome trace: one process per rank, one thread per stream, overlapping loads on extra lanes") {
  io::ChromeTraceRecorder rec("rtx3090/ddp", {1, 1});
  rec.record(ev(EventKind::forward, 0, 0, 0.0, 0.1));     // iteration 0: left out
  rec.record(ev(EventKind::forward, 0, 1, 0.2, 0.3));
  rec.record(ev(EventKind::allreduce, 0, 1, 0.25, 0.35));
  rec.record(ev(EventKind::load, 1, 1, 0.0, 0.2));
  rec.record(ev(EventKind::load, 1, 1, 0.1, 0.3));         // overlaps the first load
  rec.record(ev(EventKind::checkpoint, -1, -1, 0.2, 0.4));  // tied to no iteration: left out
  REQUIRE(rec.run().events.size() == 4);
  const std::string json = io::chrome_trace_json({rec.run()});
  INFO(json);
  CHECK(json.find("\"traceEvents\"") != std::string::npos);
  CHECK(count(json, "\"ph\":\"X\"") == 4);
  CHECK(json.find("\"name\":\"rtx3090/ddp rank 0\"") != std::string::npos);
  CHECK(json.find("\"name\":\"rtx3090/ddp rank 1\"") != std::string::npos);
  CHECK(json.find("\"name\":\"loader #2\"") != std::string::npos);
  CHECK(json.find("\"name\":\"communication\"") != std::string::npos);
  // microseconds, rounded to whole nanoseconds: 0.2 s -> 200000 us, 0.1 s long (not 99999.99999999997)
  CHECK(json.find("\"ts\":200000,\"dur\":100000,") != std::string::npos);
}

TEST_CASE("tee recorder: every target sees every event") {
  io::ChromeTraceRecorder a("a", {0, 10}), b("b", {0, 10});
  io::TeeRecorder tee;
  tee.add(a);
  tee.add(b);
  tee.record(ev(EventKind::forward, 0, 1, 0, 1));
  CHECK(a.run().events.size() == 1);
  CHECK(b.run().events.size() == 1);
}

TEST_CASE("chrome trace: written atomically") {
  test::TempDir dir;
  io::write_chrome_trace(dir.file("t.json"), {{"x", {ev(EventKind::h2d, 0, 0, 1, 2)}}});
  CHECK(dir.entries() == std::vector<std::string>{"t.json"});
  std::ifstream in(dir.file("t.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str().find("\"name\":\"h2d\"") != std::string::npos);
}
