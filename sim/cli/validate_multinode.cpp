// The multi-node half of `trainsim validate --collectives`: ring all-reduce bus bandwidth across
// the nodes of a cluster beside the NCCL maintainers' figures of
// reference/allreduce-multinode.csv, each row within 15 % (tests/cli/test_validate_collectives.py);
// and what auto runs there (the hierarchical all-reduce on machines of several GPUs), likewise.
#include "sim/cli/validate_multinode.hpp"

#include <cmath>
#include <filesystem>
#include <regex>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

std::vector<MultinodeOutcome> run_multinode(const std::string& reference_dir) {
  const std::string path = reference_dir + "/allreduce-multinode.csv";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return {};  // a reference folder of nodes only
  std::vector<MultinodeOutcome> out;
  for (const auto& ref : io::load_multinode_reference(path)) {
    MultinodeOutcome o;
    o.ref = ref;
    const std::string bytes = format_double(ref.bytes);
    const auto busbw = [&](const std::string& algo, std::string* ran) {
      const ChildResult r = run_child({self_executable(), "collective", ref.platform, "--op", "all_reduce", "--min-bytes",
                                       bytes, "--max-bytes", bytes, "--algo", algo, "--json"});
      if (!r.ok()) throw RuntimeError("trainsim collective " + ref.platform + " failed: " + r.describe());
      const std::regex re("\"busbw_gbps\"\\s*:\\s*([-+0-9.eE]+)");
      std::smatch m;
      if (!std::regex_search(r.out, m, re)) throw RuntimeError("trainsim collective --json printed no 'busbw_gbps'");
      const double value = std::stod(m[1].str());
      const std::regex name("\"algorithm\"\\s*:\\s*\"([a-z_]+)\"");
      if (ran != nullptr && std::regex_search(r.out, m, name)) *ran = m[1].str();
      return value;
    };
    o.busbw_gbps = busbw("ring", nullptr);
    o.error = (o.busbw_gbps - ref.busbw_gbps) / ref.busbw_gbps;
    o.auto_busbw_gbps = busbw("auto", &o.auto_algorithm);
    o.auto_error = (o.auto_busbw_gbps - ref.busbw_gbps) / ref.busbw_gbps;
    out.push_back(o);
  }
  return out;
}

Json multinode_json(const std::vector<MultinodeOutcome>& rows) {
  Json list = Json::array();
  for (const auto& r : rows) {
    Json row = Json::object();
    row["platform"] = std::filesystem::path(r.ref.platform).stem().string();
    row["bytes"] = r.ref.bytes;
    row["algorithm"] = "ring";
    row["reference_busbw_gbps"] = r.ref.busbw_gbps;
    row["predicted_busbw_gbps"] = r.busbw_gbps;
    row["error"] = r.error;
    row["auto_algorithm"] = r.auto_algorithm;
    row["auto_busbw_gbps"] = r.auto_busbw_gbps;
    row["auto_error"] = r.auto_error;
    row["kind"] = r.ref.kind;
    row["source"] = r.ref.source;
    list.push_back(row);
  }
  return list;
}

std::string multinode_text(const std::vector<MultinodeOutcome>& rows) {
  if (rows.empty()) return {};
  io::Table t({"cluster", "size", "algorithm", "reference GB/s", "predicted GB/s", "error", "auto", "GB/s", "error",
               "source"},
              {io::Table::Align::left, io::Table::Align::right, io::Table::Align::left, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::left, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::left});
  double worst = 0;
  const auto percent = [](double e) { return (e >= 0 ? "+" : "") + fixed(100 * e, 1) + " %"; };
  for (const auto& r : rows) {
    const std::string size = r.ref.bytes_text == "large" ? "large (8 GiB)" : format_double(r.ref.bytes);
    t.add({std::filesystem::path(r.ref.platform).stem().string(), size, "ring", fixed(r.ref.busbw_gbps, 1),
           fixed(r.busbw_gbps, 1), percent(r.error), r.auto_algorithm, fixed(r.auto_busbw_gbps, 1), percent(r.auto_error),
           r.ref.source});
    worst = std::max({worst, std::fabs(r.error), std::fabs(r.auto_error)});
  }
  return "\nacross nodes (reference/allreduce-multinode.csv, NCCL maintainers' figures):\n\n" + t.render("  ") +
         "\nlargest |error| across nodes: " + fixed(100 * worst, 1) + " % (the tests hold every row within 15 %)\n";
}

}  // namespace trainsim::cli
