#include "sim/input/reference_io.hpp"

#include <filesystem>

#include "sim/input/csv.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

std::vector<AllreduceReference> load_allreduce_reference(const std::string& path, const Catalog& catalog) {
  const CsvTable t = CsvTable::load(path);
  std::vector<AllreduceReference> out;
  for (const CsvRecord& r : t.records()) {
    AllreduceReference ref;
    ref.where = t.where(r, "gpu");
    ref.gpu = catalog.gpu(t.get(r, "gpu"), ref.where, "gpu").name;
    ref.gpus = static_cast<int>(t.get_int(r, "gpus", 1, 8));
    const std::string& ic = t.get(r, "interconnect");
    const auto parsed_ic = parse_interconnect(ic);
    if (!parsed_ic) throw InputError(t.where(r, "interconnect"), "interconnect", ic, one_of(ic, interconnect_names()));
    ref.interconnect = *parsed_ic;
    ref.bytes_text = t.get(r, "bytes");
    ref.bytes = ref.bytes_text == "large" ? kLargeReferenceBytes
                                          : t.get_double(r, "bytes", 1, 1e13);
    const std::string& algo = t.get(r, "algorithm");
    const auto parsed_algo = parse_algorithm(algo);
    if (!parsed_algo) throw InputError(t.where(r, "algorithm"), "algorithm", algo, one_of(algo, algorithm_names()));
    ref.algorithm = *parsed_algo;
    ref.busbw_gbps = t.get_double(r, "busbw_gbps", 1e-6, 1e5);
    ref.kind = t.get(r, "kind");
    out.push_back(ref);
  }
  return out;
}

std::vector<MultinodeReference> load_multinode_reference(const std::string& path) {
  const CsvTable t = CsvTable::load(path);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  std::vector<MultinodeReference> out;
  for (const CsvRecord& r : t.records()) {
    MultinodeReference ref;
    ref.where = t.where(r, "platform");
    ref.platform = t.get(r, "platform");
    if (ref.platform.empty()) throw InputError(ref.where, "platform", "", "a cluster preset or a cluster file");
    if (ref.platform.find('/') != std::string::npos) ref.platform = (std::filesystem::path(dir) / ref.platform).string();
    ref.bytes_text = t.get(r, "bytes");
    ref.bytes = ref.bytes_text == "large" ? kLargeReferenceBytes : t.get_double(r, "bytes", 1, 1e13);
    ref.busbw_gbps = t.get_double(r, "busbw_gbps", 1e-6, 1e5);
    ref.kind = t.get(r, "kind");
    ref.source = t.get(r, "source");
    out.push_back(ref);
  }
  return out;
}

}  // namespace trainsim::io
