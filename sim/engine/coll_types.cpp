#include "sim/engine/coll_types.hpp"

#include "sim/model/collectives.hpp"

namespace trainsim {

std::string_view to_string(CollOp op) {
  switch (op) {
    case CollOp::all_reduce: return "all_reduce";
    case CollOp::all_gather: return "all_gather";
    case CollOp::reduce_scatter: return "reduce_scatter";
    case CollOp::broadcast: return "broadcast";
  }
  return "?";
}

std::string_view to_string(Algorithm a) {
  switch (a) {
    case Algorithm::ring: return "ring";
    case Algorithm::tree: return "tree";
    case Algorithm::direct: return "direct";
    case Algorithm::nvls: return "nvls";
    case Algorithm::hierarchical: return "hierarchical";
    case Algorithm::auto_: return "auto";
  }
  return "?";
}

const std::vector<std::string>& coll_op_names() {
  static const std::vector<std::string> names{"all_reduce", "all_gather", "reduce_scatter", "broadcast"};
  return names;
}

const std::vector<std::string>& algorithm_names() {
  static const std::vector<std::string> names{"ring", "tree", "direct", "nvls", "hierarchical", "auto"};
  return names;
}

std::optional<CollOp> parse_coll_op(std::string_view s) {
  for (const CollOp op : {CollOp::all_reduce, CollOp::all_gather, CollOp::reduce_scatter, CollOp::broadcast}) {
    if (s == to_string(op)) return op;
  }
  return std::nullopt;
}

std::optional<Algorithm> parse_algorithm(std::string_view s) {
  for (const Algorithm a : {Algorithm::ring, Algorithm::tree, Algorithm::direct, Algorithm::nvls, Algorithm::hierarchical,
                              Algorithm::auto_}) {
    if (s == to_string(a)) return a;
  }
  return std::nullopt;
}

double busbw_factor(CollOp op, int n) {
  switch (op) {
    case CollOp::all_reduce: return allreduce_busbw_factor(n);
    case CollOp::all_gather:
    case CollOp::reduce_scatter: return gather_scatter_busbw_factor(n);
    case CollOp::broadcast: return broadcast_busbw_factor();
  }
  return 0.0;
}

}  // namespace trainsim
