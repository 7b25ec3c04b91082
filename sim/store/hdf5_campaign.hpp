// A campaign's tables in the HDF5 file (docs/hdf5-schema.md): one row per stage and one per run
// of a stage. Plain rows, filled by the campaign layer; io only writes them.
#pragma once

#include <string>
#include <vector>

#include "sim/store/hdf5_file.hpp"

namespace trainsim::io {

struct StageRow {
  std::string name;
  double start_hours = 0;  // from the campaign's start
  double end_hours = 0;
  double wall_hours = 0;   // end - start
  double gpu_hours = 0;    // GPUs held x hours, over the stage's runs
  double cost_usd = 0;
  double energy_kwh = 0;
  double co2_kg = 0;
};

struct RunRow {
  std::string stage;
  std::string run;
  std::string platform;
  double start_hours = 0;
  double end_hours = 0;
  int gpus = 1;
  double gpu_hours = 0;
  double cost_usd = 0;
  double energy_kwh = 0;
  double co2_kg = 0;
  bool reused = false;  // the result of an identical run elsewhere in the campaign was reused
};

// Writes <group>/stages and <group>/runs; `group` is campaign_group(platform).
void write_campaign(TraceFile& file, const std::string& group, const std::vector<StageRow>& stages,
                    const std::vector<RunRow>& runs);

}  // namespace trainsim::io
