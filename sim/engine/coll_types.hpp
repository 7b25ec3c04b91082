// The vocabulary of collectives shared by the engine, io and the CLI. No SimGrid here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainsim {

enum class CollOp { all_reduce, all_gather, reduce_scatter, broadcast };

// auto_: the algorithm that the alpha-beta formulas predict fastest for the size on this node,
// as NCCL's tuner picks one. hierarchical: all-reduce across the machines of a cluster as an
// intra-machine reduce-scatter, one ring per rail across machines, an intra-machine all-gather,
// moving on every link the bytes of NCCL's flat ring (coll_hier.cpp).
enum class Algorithm { ring, tree, direct, nvls, hierarchical, auto_ };

[[nodiscard]] std::string_view to_string(CollOp op);
[[nodiscard]] std::string_view to_string(Algorithm a);  // "auto" for auto_
[[nodiscard]] std::optional<CollOp> parse_coll_op(std::string_view s);
[[nodiscard]] std::optional<Algorithm> parse_algorithm(std::string_view s);
[[nodiscard]] const std::vector<std::string>& coll_op_names();
[[nodiscard]] const std::vector<std::string>& algorithm_names();

// nccl-tests bus bandwidth factor (busbw = algbw x factor) of `op` on n ranks: 2(n-1)/n for
// all-reduce, (n-1)/n for all-gather and reduce-scatter, 1 for broadcast.
[[nodiscard]] double busbw_factor(CollOp op, int n);

}  // namespace trainsim
