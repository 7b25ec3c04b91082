#include "sim/validation/collectives.hpp"

#include <cmath>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/util/stats.hpp"

namespace trainsim::validation {

std::vector<CollectiveRow> plan_collectives(const std::string& reference_dir) {
  std::vector<CollectiveRow> rows;
  for (const auto& ref : io::load_allreduce_reference(reference_dir + "/allreduce.csv", io::default_catalog())) {
    CollectiveRow r;
    r.ref = ref;
    r.node = io::find_preset(ref.gpu, ref.gpus, ref.interconnect, ref.where);
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
