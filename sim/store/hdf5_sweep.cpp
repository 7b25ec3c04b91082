#include "sim/store/hdf5_sweep.hpp"

#include "sim/store/hdf5_detail.hpp"
#include "sim/store/hdf5_read.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

void write_sweep_attributes(TraceFile& file, const std::string& group, const SweepAttributes& a) {
  std::lock_guard lock(h5::library_mutex());
  h5::Handle g = h5::ensure_group(file.impl().id(), h5::split_path(group));
  h5::write_attribute(g.get(), "sweep_id", a.sweep_id);
  h5::write_attribute(g.get(), "sweep", a.sweep);
  h5::write_attribute(g.get(), "replay", a.replay);
  h5::write_attribute(g.get(), "points_total", a.points_total);
  h5::write_attribute(g.get(), "shard_index", a.shard_index);
  h5::write_attribute(g.get(), "shard_count", a.shard_count);
}

SweepPart read_sweep_part(const std::string& path) {
  const std::string what = "a sweep file written by trainsim sweep -o";
  const H5Input in(path, what);
  SweepPart p;
  p.path = path;
  const auto need_string = [&](const std::string& object, const std::string& name) {
    auto v = in.string_attribute(object, name);
    if (!v) throw InputError({path}, object + "@" + name, "(missing)", what);
    return *v;
  };
  const auto need_int = [&](const std::string& object, const std::string& name) {
    auto v = in.int_attribute(object, name);
    if (!v) throw InputError({path}, object + "@" + name, "(missing)", what);
    return *v;
  };
  p.scenario = need_string("/", "scenario");
  p.seed = need_int("/", "seed");
  p.attributes.sweep_id = need_string("/sweep", "sweep_id");
  p.attributes.sweep = need_string("/sweep", "sweep");
  p.attributes.replay = need_string("/sweep", "replay");
  p.attributes.points_total = need_int("/sweep", "points_total");
  p.attributes.shard_index = need_int("/sweep", "shard_index");
  p.attributes.shard_count = need_int("/sweep", "shard_count");
  p.points = in.table("/sweep/points");
  return p;
}

}  // namespace trainsim::io
