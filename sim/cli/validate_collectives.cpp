// trainsim validate --collectives: all-reduce bus bandwidth predicted by the engine beside the
// published nccl-tests figures of reference/allreduce.csv, row by row, with the error. Each row
// runs `trainsim collective` on the matching preset in a child process (one simulation per
// process).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <regex>

#include "sim/cli/validate.hpp"
#include "sim/cli/validate_multinode.hpp"
#include "sim/util/stats.hpp"
#include "sim/io/catalog_io.hpp"
#include "sim/io/node_io.hpp"
#include "sim/io/reference_io.hpp"
#include "sim/io/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

// The bound the test suite holds the table to (tests/cli/test_validate_collectives.py).
constexpr double kMedianBound = 0.15;

struct Outcome {
  io::AllreduceReference ref;
  std::string node;
  std::string algorithm;  // what ran (auto resolved)
  double busbw_gbps = 0;
  double error = 0;  // (predicted - reference) / reference
};

// A field of the child's `trainsim collective --json` output.
std::string field(const std::string& json, const std::string& key, const std::string& value_pattern) {
  const std::regex re("\"" + key + "\"\\s*:\\s*" + value_pattern);
  std::smatch m;
  if (!std::regex_search(json, m, re)) throw RuntimeError("trainsim collective --json printed no '" + key + "'");
  return m[1].str();
}

Outcome run_row(const io::AllreduceReference& ref) {
  Outcome o;
  o.ref = ref;
  o.node = io::find_preset(ref.gpu, ref.gpus, ref.interconnect, ref.where);
  const std::string bytes = format_double(ref.bytes);
  const ChildResult r = run_child({self_executable(), "collective", o.node, "--op", "all_reduce", "--min-bytes", bytes,
                                   "--max-bytes", bytes, "--algo", std::string(to_string(ref.algorithm)), "--json"});
  if (!r.ok()) throw RuntimeError("trainsim collective " + o.node + " failed: " + r.describe());
  o.busbw_gbps = std::stod(field(r.out, "busbw_gbps", "([-+0-9.eE]+)"));
  o.algorithm = field(r.out, "algorithm", "\"([a-z_]+)\"");
  o.error = (o.busbw_gbps - ref.busbw_gbps) / ref.busbw_gbps;
  return o;
}

double median_abs(const std::vector<Outcome>& rows) {
  std::vector<double> e;
  for (const auto& r : rows) e.push_back(std::fabs(r.error));
  return trainsim::median(e);
}

}  // namespace

int validate_collectives(const ValidateOptions& opt) {
  const auto refs = io::load_allreduce_reference(opt.reference_dir + "/allreduce.csv", io::default_catalog());
  std::vector<Outcome> rows;
  for (const auto& ref : refs) rows.push_back(run_row(ref));
  const double median = median_abs(rows);
  const auto multinode = run_multinode(opt.reference_dir);
  if (opt.json) {
    Json j = Json::object();
    Json list = Json::array();
    for (const auto& r : rows) {
      Json row = Json::object();
      row["gpu"] = r.ref.gpu;
      row["gpus"] = r.ref.gpus;
      row["interconnect"] = std::string(to_string(r.ref.interconnect));
      row["node"] = r.node;
      row["bytes"] = r.ref.bytes;
      row["algorithm"] = std::string(to_string(r.ref.algorithm));
      row["algorithm_run"] = r.algorithm;
      row["kind"] = r.ref.kind;
      row["reference_busbw_gbps"] = r.ref.busbw_gbps;
      row["predicted_busbw_gbps"] = r.busbw_gbps;
      row["error"] = r.error;
      list.push_back(row);
    }
    j["rows"] = list;
    j["median_abs_error"] = median;
    j["bound"] = kMedianBound;
    j["multinode_rows"] = multinode_json(multinode);
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::string file = opt.reference_dir + "/allreduce.csv";
  if (starts_with(file, io::data_dir() + "/")) file = file.substr(io::data_dir().size() + 1);  // as the docs show it
  std::cout << "all-reduce bus bandwidth, nccl-tests definitions (busbw = algbw x 2(n-1)/n), reference: " << file
            << "\n\n";
  io::Table t({"gpu", "gpus", "interconnect", "node", "size", "algorithm", "reference GB/s", "predicted GB/s", "error",
               "reference kind"},
              {io::Table::Align::left, io::Table::Align::right, io::Table::Align::left, io::Table::Align::left,
               io::Table::Align::right, io::Table::Align::left, io::Table::Align::right, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::left});
  for (const auto& r : rows) {
    const std::string algo = r.ref.algorithm == Algorithm::auto_ ? "auto -> " + r.algorithm : r.algorithm;
    const std::string size = r.ref.bytes_text == "large" ? "large (8 GiB)" : format_double(r.ref.bytes);
    t.add({r.ref.gpu, std::to_string(r.ref.gpus), std::string(to_string(r.ref.interconnect)), r.node, size, algo,
           fixed(r.ref.busbw_gbps, 1), fixed(r.busbw_gbps, 1), (r.error >= 0 ? "+" : "") + fixed(100 * r.error, 1) + " %",
           r.ref.kind});
  }
  std::cout << t.render("  ") << "\nmedian |error|: " << fixed(100 * median, 1) << " % (the tests hold it within "
            << fixed(100 * kMedianBound, 0) << " %)\n"
            << multinode_text(multinode);
  return 0;
}

}  // namespace trainsim::cli
