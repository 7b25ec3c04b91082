// trainsim validate --collectives: all-reduce bus bandwidth predicted by the engine beside the
// published nccl-tests figures of reference/allreduce.csv, row by row, with the error. Each row
// (sim/validation/collectives.hpp) runs `trainsim collective` on its preset in a child process (one
// simulation per process).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>

#include "sim/cli/validate.hpp"
#include "sim/cli/validate_multinode.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"
#include "sim/validation/collectives.hpp"

namespace trainsim::cli {

namespace {

using validation::CollectiveRow;
using validation::kCollectivesMedianBound;

// A field of the child's `trainsim collective --json` output.
std::string field(const std::string& json, const std::string& key, const std::string& value_pattern) {
  const std::regex re("\"" + key + "\"\\s*:\\s*" + value_pattern);
  std::smatch m;
  if (!std::regex_search(json, m, re)) throw RuntimeError("trainsim collective --json printed no '" + key + "'");
  return m[1].str();
}

// A row's built node, as a node file for the child; removed when the row is done.
class NodeFile {
 public:
  explicit NodeFile(const CollectiveRow& row) {
    if (!row.built) return;
    path_ = (std::filesystem::temp_directory_path() /
             ("trainsim-validate-" + std::to_string(::getpid()) + "-" + row.node + ".yaml"))
                .string();
    io::write_text_file_atomic(path_, io::node_to_yaml(*row.built));
  }
  ~NodeFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  NodeFile(const NodeFile&) = delete;
  NodeFile& operator=(const NodeFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void run_row(CollectiveRow& o) {
  const std::string bytes = format_double(o.ref.bytes);
  const NodeFile node_file(o);
  const std::string node = o.built ? node_file.path() : o.node;
  const ChildResult r = run_child({self_executable(), "collective", node, "--op", "all_reduce", "--min-bytes", bytes,
                                   "--max-bytes", bytes, "--algo", std::string(to_string(o.ref.algorithm)), "--json"});
  if (!r.ok()) throw RuntimeError("trainsim collective " + o.node + " failed: " + r.describe());
  validation::set_prediction(o, std::stod(field(r.out, "busbw_gbps", "([-+0-9.eE]+)")),
                             field(r.out, "algorithm", "\"([a-z_]+)\""));
}

}  // namespace

int validate_collectives(const ValidateOptions& opt) {
  std::vector<CollectiveRow> rows = validation::plan_collectives(opt.reference_dir);
  for (auto& row : rows) run_row(row);
  const double median = validation::median_abs_error(rows);
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
    j["bound"] = kCollectivesMedianBound;
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
            << fixed(100 * kCollectivesMedianBound, 0) << " %)\n"
            << multinode_text(multinode);
  return 0;
}

}  // namespace trainsim::cli
