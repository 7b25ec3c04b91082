#include "sim/sweep/merge.hpp"

#include <algorithm>
#include <cstdint>
#include <map>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::sweep {

namespace {

std::string short_id(const std::string& id) { return id.substr(0, 12); }

std::string column_signature(const io::ColumnTable& t) {
  std::string sig;
  for (const auto& c : t.columns()) sig += c.name + ":" + std::to_string(c.values.index()) + " ";
  return sig;
}

struct RowRef {
  std::size_t part;
  std::size_t row;
};

}  // namespace

Merged merge_parts(const std::vector<io::SweepPart>& parts) {
  if (parts.empty()) throw InputError({"command line"}, "PART.h5", "", "at least one shard file to merge");
  const io::SweepPart& first = parts.front();
  const long long total = first.attributes.points_total;
  std::map<long long, RowRef> rows;
  std::map<long long, std::size_t> owner;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const io::SweepPart& part = parts[p];
    if (part.attributes.sweep_id != first.attributes.sweep_id || part.attributes.points_total != total) {
      throw InputError({part.path}, "sweep_id", short_id(part.attributes.sweep_id),
                       "a shard of the same sweep as " + first.path + " (sweep id " + short_id(first.attributes.sweep_id) +
                           ", " + std::to_string(total) + " points)");
    }
    if (column_signature(part.points) != column_signature(first.points)) {
      throw InputError({part.path}, "/sweep/points", "", "the same columns as " + first.path);
    }
    const io::Column* point = part.points.find("point");
    if (point == nullptr || !std::holds_alternative<std::vector<std::int64_t>>(point->values)) {
      throw InputError({part.path}, "/sweep/points", "", "a point column (int64)");
    }
    const auto& ids = std::get<std::vector<std::int64_t>>(point->values);
    for (std::size_t r = 0; r < ids.size(); ++r) {
      const long long i = ids[r];
      if (i < 0 || i >= total) {
        throw InputError({part.path}, "point", std::to_string(i), "a point of the sweep, 0 to " + std::to_string(total - 1));
      }
      if (const auto seen = owner.find(i); seen != owner.end()) {
        throw InputError({part.path}, "point", std::to_string(i),
                         "each point in one shard only; it is also in " + parts[seen->second].path + " (overlapping shards)");
      }
      owner[i] = p;
      rows[i] = {p, r};
    }
  }
  if (static_cast<long long>(rows.size()) != total) {
    std::vector<std::string> missing;
    for (long long i = 0; i < total && missing.size() < 10; ++i) {
      if (!rows.count(i)) missing.push_back(std::to_string(i));
    }
    throw InputError({first.path}, "point", join(missing, ", ") + (total - static_cast<long long>(rows.size()) > 10 ? ", ..." : ""),
                     "every point of the sweep in some part: " + std::to_string(total - static_cast<long long>(rows.size())) +
                         " of " + std::to_string(total) + " are in none (a shard is missing)");
  }
  Merged m;
  m.attributes = first.attributes;
  m.attributes.shard_index = 0;
  m.attributes.shard_count = 1;
  m.scenario = first.scenario;
  m.seed = first.seed;
  for (std::size_t c = 0; c < first.points.columns().size(); ++c) {
    io::ColumnValues out = first.points.columns()[c].values;
    std::visit([](auto& v) { v.clear(); }, out);
    for (const auto& row : rows) {
      // not a structured binding: clang 14 (the asan preset) cannot capture one in a lambda
      const auto& ref = row.second;
      std::visit(
          [&](auto& v) {
            using V = std::decay_t<decltype(v)>;
            v.push_back(std::get<V>(parts[ref.part].points.columns()[c].values)[ref.row]);
          },
          out);
    }
    m.points.add(first.points.columns()[c].name, std::move(out));
  }
  return m;
}

}  // namespace trainsim::sweep
