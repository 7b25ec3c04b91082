#include "sim/store/hdf5_campaign.hpp"

#include <cstdint>

#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

namespace {

template <typename Row, typename T>
std::vector<T> column(const std::vector<Row>& rows, T Row::*field) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.*field);
  return out;
}

ColumnTable stages_table(const std::vector<StageRow>& rows) {
  ColumnTable t;
  t.add("name", column(rows, &StageRow::name));
  t.add("start_hours", column(rows, &StageRow::start_hours)).add("end_hours", column(rows, &StageRow::end_hours));
  t.add("wall_hours", column(rows, &StageRow::wall_hours)).add("gpu_hours", column(rows, &StageRow::gpu_hours));
  t.add("cost_usd", column(rows, &StageRow::cost_usd)).add("energy_kwh", column(rows, &StageRow::energy_kwh));
  t.add("co2_kg", column(rows, &StageRow::co2_kg));
  return t;
}

ColumnTable runs_table(const std::vector<RunRow>& rows) {
  std::vector<std::int32_t> gpus;
  std::vector<bool> reused;
  for (const auto& r : rows) {
    gpus.push_back(r.gpus);
    reused.push_back(r.reused);
  }
  ColumnTable t;
  t.add("stage", column(rows, &RunRow::stage)).add("run", column(rows, &RunRow::run));
  t.add("platform", column(rows, &RunRow::platform));
  t.add("start_hours", column(rows, &RunRow::start_hours)).add("end_hours", column(rows, &RunRow::end_hours));
  t.add("gpus", std::move(gpus)).add("gpu_hours", column(rows, &RunRow::gpu_hours));
  t.add("cost_usd", column(rows, &RunRow::cost_usd)).add("energy_kwh", column(rows, &RunRow::energy_kwh));
  t.add("co2_kg", column(rows, &RunRow::co2_kg)).add("reused", std::move(reused));
  return t;
}

}  // namespace

void write_campaign(TraceFile& file, const std::string& group, const std::vector<StageRow>& stages,
                    const std::vector<RunRow>& runs) {
  write_table(file, group + "/stages", stages_table(stages));
  write_table(file, group + "/runs", runs_table(runs));
}

}  // namespace trainsim::io
