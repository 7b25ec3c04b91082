#include "sim/validation/collectives.hpp"

#include <cmath>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/util/stats.hpp"

namespace trainsim::validation {

std::vector<CollectiveRow> plan_collectives(const std::string& reference_dir) {
  std::vector<CollectiveRow> rows;
  const Catalog& catalog = io::default_catalog();
  for (const auto& ref : io::load_allreduce_reference(reference_dir + "/allreduce.csv", catalog)) {
    CollectiveRow r;
    r.ref = ref;
    (void)catalog.gpu(ref.gpu, ref.where, "gpu");
    try {
      r.node = io::find_preset(ref.gpu, ref.gpus, ref.interconnect, ref.where);
    } catch (const InputError&) {
      CompactNodeSpec c;
      c.gpu = ref.gpu;
      c.count = ref.gpus;
      c.interconnect = ref.interconnect;
      c.where = ref.where;
      const std::string name = ref.gpu + "-x" + std::to_string(ref.gpus) + "-" + std::string(to_string(ref.interconnect));
      try {
        r.built = expand(c, catalog, name);
      } catch (const InputError& e) {
        throw InputError(ref.where, "gpu/gpus/interconnect",
                         ref.gpu + "/" + std::to_string(ref.gpus) + "/" + std::string(to_string(ref.interconnect)),
                         std::string("a node that can be built (") + e.what() + ")");
      }
      r.node = name;
    }
    rows.push_back(r);
  }
  return rows;
}

void set_prediction(CollectiveRow& row, double busbw_gbps, const std::string& algorithm) {
  row.busbw_gbps = busbw_gbps;
  row.algorithm = algorithm;
  row.error = (busbw_gbps - row.ref.busbw_gbps) / row.ref.busbw_gbps;
}

double median_abs_error(const std::vector<CollectiveRow>& rows) {
  std::vector<double> e;
  for (const auto& r : rows) e.push_back(std::fabs(r.error));
  return trainsim::median(e);
}

}  // namespace trainsim::validation
