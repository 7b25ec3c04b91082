// trainsim bench trace: how long reading a large Kineto trace takes. A trace smaller than
// --mb is grown in memory by repeating its events (a real trace's mix of kernels, runtime
// calls and operators) until it has that size; the gunzip of the file is timed apart.
#include <chrono>
#include <ctime>
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/bench.hpp"
#include "sim/import/compressed.hpp"
#include "sim/import/kineto_reader.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/trace_summary.hpp"

namespace trainsim::cli {

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The end (one past) of the outermost JSON value that ends at or after `from` in a list of
// values, skipping strings; npos when none does.
std::size_t value_end_after(const std::string& list, std::size_t from) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0 && i + 1 >= from) {
      return i + 1;
    }
  }
  return std::string::npos;
}

// The text with the events of its traceEvents array repeated until it holds `bytes` (to the
// nearest event).
std::string grown(const std::string& text, double bytes) {
  const std::size_t key = text.find("\"traceEvents\"");
  const std::size_t open = key == std::string::npos ? std::string::npos : text.find('[', key);
  if (open == std::string::npos) return text;
  const std::size_t close = open + value_end_after(text.substr(open), 0) - 1;  // the matching ']'
  const std::string events = text.substr(open + 1, close - open - 1);
  if (events.find('{') == std::string::npos) return text;  // nothing to repeat
  std::string out = text.substr(0, close);
  const auto want = static_cast<std::size_t>(bytes);
  while (out.size() + events.size() + 1 < want) out += "," + events;
  if (out.size() < want) {
    const std::size_t cut = value_end_after(events, want - out.size());
    out += "," + events.substr(0, cut == std::string::npos ? events.size() : cut);
  }
  return out + text.substr(close);
}

}  // namespace

int bench_trace(int argc, char** argv) {
  Args args("bench trace", "Time to read a Kineto trace of --mb megabytes (RapidJSON DOM) and summarise its steps.");
  args.positional("TRACE", "a trace (.json or .json.gz); grown in memory to --mb by repeating its events")
      .option("mb", "N", "the size to read, in MB of JSON", "35")
      .flag("json", "print one JSON object");
  if (!args.parse(argc, argv, 3)) return 0;
  auto t0 = std::chrono::steady_clock::now();
  const std::string text = io::read_maybe_gzip(args.get("TRACE"));
  const double read_s = since(t0);
  const std::string big = grown(text, args.get_double("mb", 0.001, 2000) * 1e6);
  t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const KernelTrace t = io::parse_kineto_trace(big, args.get("TRACE"));
  const double parse_s = since(t0);
  // CPU time as well: on a loaded machine the wall time says more about the neighbours.
  const double parse_cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  t0 = std::chrono::steady_clock::now();
  const TraceSummary s = summarise(t, measured_timeline(t));
  const double summary_s = since(t0);
  if (args.has("json")) {
    Json j = Json::object();
    j["mb"] = static_cast<double>(big.size()) / 1e6;
    j["kernels"] = static_cast<long long>(t.kernels.size());
    j["read_gunzip_s"] = read_s;
    j["parse_s"] = parse_s;
    j["parse_cpu_s"] = parse_cpu_s;
    j["summary_s"] = summary_s;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "trace " << args.get("TRACE") << ": " << fixed(static_cast<double>(text.size()) / 1e6, 1) << " MB of JSON, read and gunzipped in "
            << fixed(read_s, 3) << " s\n"
            << "grown to " << fixed(static_cast<double>(big.size()) / 1e6, 1) << " MB (" << t.kernels.size()
            << " GPU activities, " << s.steps.size() << " steps): parsed in " << fixed(parse_s, 3) << " s ("
            << fixed(parse_cpu_s, 3) << " s of CPU), summarised in "
            << fixed(summary_s, 3) << " s\n";
  return 0;
}

}  // namespace trainsim::cli
