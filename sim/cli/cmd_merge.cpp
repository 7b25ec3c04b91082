// trainsim merge: the shard files of one sweep (trainsim sweep --shard K/N -o PART.h5) joined into
// one file, after checking that they belong to the same sweep and hold every point once.
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/cli/sweep_report.hpp"
#include "sim/report/csv_write.hpp"
#include "sim/store/hdf5_sweep.hpp"
#include "sim/sweep/merge.hpp"
#include "sim/util/files.hpp"

namespace trainsim::cli {

int cmd_merge(int argc, char** argv) {
  Args args("merge", "Join the shard files of one sweep into one file. Every part must carry the same sweep id (the\n"
                     "resolved sweep file and replay settings) and together they must hold each point exactly once.");
  args.positional("OUT.h5", "the merged file")
      .rest("PART.h5", "the shard files (trainsim sweep --shard K/N -o PART.h5), all of them")
      .option("csv", "FILE", "also write the merged table as CSV")
      .flag("json", "print JSON: sweep_id, points, ok, failed and the rows");
  if (!args.parse(argc, argv, 2)) return 0;
  const std::vector<std::string> parts = args.all("PART.h5");
  const std::string out_path = args.get("OUT.h5");
  io::check_output_path(out_path, "OUT.h5");
  if (args.has("csv")) io::check_output_path(args.get("csv"), "--csv");
  std::vector<io::SweepPart> read;
  for (const auto& p : parts) read.push_back(io::read_sweep_part(p));
  const sweep::Merged m = sweep::merge_parts(read);

  const RemoveOnSignal guard(io::TraceFile::temp_path_for(out_path));  // Ctrl-C while writing leaves no temporary file
  io::TraceFile out(out_path);
  io::write_root_attributes(out, m.scenario, m.seed);
  io::write_points(out, "/sweep", m.points);
  io::write_sweep_attributes(out, "/sweep", m.attributes);
  out.commit();
  if (args.has("csv")) io::write_csv(args.get("csv"), m.points);

  const SweepRun run{m.attributes.sweep_id, m.attributes.points_total, 0, 1, 0};
  if (args.has("json")) {
    std::cout << sweep_json(run, m.points).dump() << "\n";
    return 0;
  }
  // The axis columns sit between error and the first metric (gpu).
  std::vector<std::string> axes;
  for (std::size_t c = 3; c < m.points.columns().size() && m.points.columns()[c].name != "gpu"; ++c) {
    axes.push_back(m.points.columns()[c].name);
  }
  std::cout << "merged " << parts.size() << " parts into " << out_path << "\n" << sweep_text(run, axes, m.points);
  return 0;
}

}  // namespace trainsim::cli
