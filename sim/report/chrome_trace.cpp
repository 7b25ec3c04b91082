#include "sim/report/chrome_trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

#include "sim/util/error.hpp"
#include "sim/util/files.hpp"
#include "sim/util/json.hpp"

namespace trainsim::io {

namespace {

bool parse_index(const std::string& s, long long& out) {
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && out >= 0;
}

// Process and thread ids: one process per (run, rank) in that order, from 1; host-side work
// (rank -1) is the first process of its run. Thread ids: 1 + 100 x stream + lane.
constexpr int kLanesPerStream = 100;

// Greedy interval partitioning: the first lane free at the event's start. Past 100 lanes (100
// loader workers overlapping) the rest share the last one, drawn overlapping.
std::vector<int> assign_lanes(const std::vector<const Event*>& sorted) {
  std::vector<double> lane_end;
  std::vector<int> lanes;
  for (const Event* e : sorted) {
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > e->start) ++lane;
    if (lane == lane_end.size()) lane_end.push_back(e->end);
    lane_end[lane] = e->end;
    lanes.push_back(static_cast<int>(std::min<std::size_t>(lane, kLanesPerStream - 1)));
  }
  return lanes;
}

Json metadata(const char* name, int pid, int tid, Json args) {
  Json::Object o{{"name", name}, {"ph", "M"}, {"pid", pid}};
  if (tid >= 0) o.emplace_back("tid", tid);
  o.emplace_back("args", std::move(args));
  return Json(std::move(o));
}

// Microseconds with up to three decimals, from whole nanoseconds: no exponent, no binary noise.
std::string micros(long long ns) {
  std::string out = ns < 0 ? "-" : "";
  const unsigned long long a = ns < 0 ? 0ULL - static_cast<unsigned long long>(ns) : static_cast<unsigned long long>(ns);
  out += std::to_string(a / 1000);
  if (unsigned long long frac = a % 1000; frac != 0) {
    std::string digits = std::to_string(frac + 1000).substr(1);  // three digits, leading zeros kept
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out;
}

// One complete event. Both ends are rounded to whole nanoseconds (Perfetto's resolution) first,
// so that slices that touch in the simulation touch in the viewer.
std::string slice(const Event& e, int pid, int tid) {
  Json::Object args{{"epoch", e.epoch}, {"iteration", e.iteration}};
  if (e.bytes > 0) args.emplace_back("bytes", e.bytes);
  if (e.flops > 0) args.emplace_back("flops", e.flops);
  if (e.bucket >= 0) args.emplace_back("bucket", e.bucket);
  if (e.link >= 0) args.emplace_back("link", e.link);
  const auto ns = [](double s) { return std::llround(s * 1e9); };
  return "{\"name\":" + json_escape(std::string(to_string(e.kind))) + ",\"cat\":\"" + to_string(stream_of(e.kind)) +
         "\",\"ph\":\"X\",\"ts\":" + micros(ns(e.start)) + ",\"dur\":" + micros(ns(e.end) - ns(e.start)) +
         ",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) + ",\"args\":" + Json(std::move(args)).dump(-1) +
         "}";
}

}  // namespace

IterationRange parse_iteration_range(const std::string& text, const std::string& option) {
  IterationRange r;
  const auto colon = text.find(':');
  const bool ok = colon == std::string::npos
                      ? parse_index(text, r.first) && (r.last = r.first, true)
                      : parse_index(text.substr(0, colon), r.first) && parse_index(text.substr(colon + 1), r.last);
  if (!ok || r.last < r.first) {
    throw InputError({"command line"}, option, text, "an iteration N or a range A:B with 0 <= A <= B (both included)");
  }
  return r;
}

Stream stream_of(EventKind kind) {
  switch (kind) {
    case EventKind::allreduce:
    case EventKind::h2d: return Stream::communication;
    case EventKind::load:
    case EventKind::read:
    case EventKind::checkpoint: return Stream::loader;
    case EventKind::forward:
    case EventKind::backward:
    case EventKind::optimizer:
    case EventKind::stall:
    case EventKind::validation:
    case EventKind::other: return Stream::compute;
  }
  return Stream::compute;
}

const char* to_string(Stream s) {
  switch (s) {
    case Stream::compute: return "compute";
    case Stream::communication: return "communication";
    case Stream::loader: return "loader";
  }
  return "compute";
}

std::string chrome_trace_json(const std::vector<TracedRun>& runs) {
  std::vector<std::string> meta;
  std::vector<std::string> slices;
  int next_pid = 1;
  for (const auto& run : runs) {
    // (rank, stream) -> its events in start order; ties keep the longer first (it encloses).
    std::map<std::pair<int, int>, std::vector<const Event*>> tracks;
    for (const auto& e : run.events) tracks[{e.rank, static_cast<int>(stream_of(e.kind))}].push_back(&e);
    std::map<int, int> pid_of_rank;
    for (const auto& [key, events] : tracks) {
      if (!pid_of_rank.contains(key.first)) {
        const int pid = next_pid++;
        pid_of_rank[key.first] = pid;
        const std::string who = key.first < 0 ? "host" : "rank " + std::to_string(key.first);
        meta.push_back(metadata("process_name", pid, -1, Json::Object{{"name", run.label + " " + who}}).dump(-1));
        meta.push_back(metadata("process_sort_index", pid, -1, Json::Object{{"sort_index", pid}}).dump(-1));
      }
    }
    for (auto& [key, events] : tracks) {
      std::stable_sort(events.begin(), events.end(), [](const Event* a, const Event* b) {
        return std::tie(a->start, b->end) < std::tie(b->start, a->end);
      });
      const int pid = pid_of_rank[key.first];
      const auto lanes = assign_lanes(events);
      const int used = lanes.empty() ? 0 : *std::max_element(lanes.begin(), lanes.end()) + 1;
      const char* stream = to_string(static_cast<Stream>(key.second));
      for (int lane = 0; lane < used; ++lane) {
        const int tid = 1 + kLanesPerStream * key.second + lane;
        const std::string name = lane == 0 ? stream : std::string(stream) + " #" + std::to_string(lane + 1);
        meta.push_back(metadata("thread_name", pid, tid, Json::Object{{"name", name}}).dump(-1));
        meta.push_back(metadata("thread_sort_index", pid, tid, Json::Object{{"sort_index", tid}}).dump(-1));
      }
      for (std::size_t i = 0; i < events.size(); ++i) {
        slices.push_back(slice(*events[i], pid, 1 + kLanesPerStream * key.second + lanes[i]));
      }
    }
  }
  // One event per line: the file stays readable and diffable, and loads anywhere.
  std::string out = "{\"displayTimeUnit\": \"ms\",\n\"otherData\": {\"generator\": \"trainsim\"},\n\"traceEvents\": [\n";
  bool first = true;
  for (const auto* list : {&meta, &slices}) {
    for (const auto& line : *list) {
      if (!first) out += ",\n";
      out += line;
      first = false;
    }
  }
  out += "\n]}\n";
  return out;
}

void write_chrome_trace(const std::string& path, const std::vector<TracedRun>& runs) {
  write_text_file_atomic(path, chrome_trace_json(runs));
}

ChromeTraceRecorder::ChromeTraceRecorder(std::string label, IterationRange range) : range_(range) {
  kept_.label = std::move(label);
}

void ChromeTraceRecorder::record(const Event& e) {
  if (range_.contains(e.iteration)) kept_.events.push_back(e);
}

}  // namespace trainsim::io
