// trainsim sweep: many scenarios from one base and a grid of assumptions (docs/sweeps.md), each
// point in its own child process, N at a time; one table in point order, in HDF5 and CSV.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <iostream>
#include <thread>

#include "sim/cli/args.hpp"
#include "sim/cli/child_run.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/cli/sweep_report.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/input/sweep_io.hpp"
#include "sim/input/yaml_edit.hpp"
#include "sim/report/csv_write.hpp"
#include "sim/report/run_report.hpp"
#include "sim/store/hdf5_merge.hpp"
#include "sim/store/hdf5_sweep.hpp"
#include "sim/store/sweep_journal.hpp"
#include "sim/sweep/expand.hpp"
#include "sim/sweep/identity.hpp"
#include "sim/sweep/points_table.hpp"
#include "sim/sweep/pool.hpp"
#include "sim/sweep/shard.hpp"
#include "sim/util/files.hpp"
#include "sim/util/progress.hpp"

namespace trainsim::cli {

int cmd_sweep(int argc, char** argv) {
  Args args("sweep", "Run every point of a sweep (docs/sweeps.md): a base scenario or campaign with values set at\n"
                     "key paths, as a grid of axes and/or a list of points. Each point runs in its own child process;\n"
                     "a point that fails, crashes or times out is recorded with its error and the others go on. One\n"
                     "table, in point order.");
  args.positional("FILE", "a sweep file")
      .option("jobs", "N", "points run at once (child processes)", std::to_string(std::max(1U, std::thread::hardware_concurrency())), "-j")
      .option("output", "FILE.h5", "write the table to /sweep/points of an HDF5 file (docs/hdf5-schema.md)", std::nullopt, "-o")
      .option("csv", "FILE", "write the table as CSV")
      .option("shard", "K/N", "run only the points i with i mod N == K (K from 0); default: $SLURM_ARRAY_TASK_ID of\n"
                              "$SLURM_ARRAY_TASK_COUNT when set, else all")
      .option("replay", "MODE", "full or sampled (trainsim run --help)", "full")
      .option("replay-ci", "REL", "sampled: target half-width of the 95 % CI of the mean iteration time, relative", "0.005")
      .flag("resume", "continue an interrupted sweep: points already in the journal (FILE.journal beside -o,\n"
                      "else --csv) are not run again; crashed and timed-out points are")
      .option("trace", "LEVEL", "with -o, each point's run too: none, iterations or events, under /sweep/runs/point-<i>\n"
                                "(docs/hdf5-schema.md)", "none")
      .option("timeout", "S", "kill a point that runs longer than S seconds (status timeout); default none")
      .flag("check", "expand and check every point as a run would (a Slurm job array's file, say), run nothing")
      .flag("json", "print JSON: sweep_id, points, shard, ok, failed, resumed, wall_s and the rows");
  if (!args.parse(argc, argv, 2)) return 0;
  const auto t0 = std::chrono::steady_clock::now();
  // Everything that can be wrong is found before any point runs.
  const std::string h5 = args.get("output"), csv = args.get("csv");
  if (!h5.empty()) io::check_output_path(h5, "-o");
  if (!csv.empty()) io::check_output_path(csv, "--csv");
  sweep::PoolOptions pool;
  pool.jobs = static_cast<int>(args.get_int("jobs", 1, 4096));
  pool.replay = parse_replay_mode(args.get("replay"));
  pool.sampling.rel_half_width = args.get_double("replay-ci", 1e-6, 0.5);
  if (args.has("timeout")) pool.timeout_s = args.get_double("timeout", 0.001, 1e9);
  const sweep::Shard shard = args.has("shard") ? sweep::parse_shard(args.get("shard"))
                                               : sweep::shard_from_slurm().value_or(sweep::Shard{});
  const Catalog& catalog = io::default_catalog();
  const io::SweepFile file = io::load_sweep(args.get("FILE"));
  const bool over_campaign = file.campaign;
  if (over_campaign && (args.has("replay") || args.has("replay-ci"))) {
    throw args.error("--replay and --replay-ci apply to a sweep over a scenario; a campaign's runs replay as `trainsim campaign` replays them");
  }
  const io::TraceLevel trace_level = io::parse_trace_level(args.get("trace"), "--trace");
  const bool trace_runs = trace_level != io::TraceLevel::none;
  if (trace_runs && h5.empty()) throw args.error("--trace needs -o FILE.h5");
  if (trace_runs && over_campaign) {
    throw args.error("--trace applies to a sweep over a scenario (trace one campaign point with `trainsim campaign -o`)");
  }
  if (trace_runs) {
    pool.trace_level = io::to_string(trace_level);
    pool.part_prefix = h5 + ".part.";
  }
  std::optional<Scenario> base;
  if (over_campaign) {
    sweep::check_campaign_base(file, catalog);
  } else {
    base = sweep::resolve_base(file, catalog);
  }
  const std::vector<sweep::SweepPoint> all = sweep::expand(file);
  std::vector<Scenario> scenarios;
  std::vector<std::string> campaigns;
  if (over_campaign) {
    campaigns = sweep::resolve_campaign_points(file, all, catalog);
  } else {
    scenarios = sweep::resolve_points(file, all, catalog);
  }
  const std::vector<std::string> columns = sweep::axis_columns(file);
  const std::string id = over_campaign ? sweep::campaign_sweep_id(campaigns, columns)
                                       : sweep::sweep_id(scenarios, columns, pool.replay, pool.sampling);

  std::vector<long long> indices = sweep::shard_points(static_cast<long long>(all.size()), shard);
  const std::string shard_text = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  if (args.has("check")) {  // everything above threw if anything was wrong; the table's columns too
    std::vector<sweep::SweepPoint> mine;
    for (long long i : indices) mine.push_back(all[static_cast<std::size_t>(i)]);
    const std::vector<sweep::PointOutcome> none(mine.size());
    (void)(over_campaign ? sweep::campaign_points_table(columns, mine, none) : sweep::points_table(columns, mine, none));
    if (args.has("json")) {
      Json j = Json::object();
      j["sweep_id"] = id;
      j["points"] = static_cast<long long>(all.size());
      j["shard"] = shard_text;
      j["shard_points"] = static_cast<long long>(indices.size());
      j["base"] = over_campaign ? "campaign" : "scenario";
      j["checked"] = true;
      std::cout << j.dump() << "\n";
    } else {
      std::cout << "sweep " << id.substr(0, 12) << ": " << all.size() << " points over a "
                << (over_campaign ? "campaign" : "scenario")
                << (shard.count > 1 ? ", shard " + shard_text + ": " + std::to_string(indices.size()) + " points" : std::string())
                << ", every one checked; nothing run\n";
    }
    return 0;
  }

  // The journal: a line per finished point, so that an interrupted sweep resumes (--resume).
  const std::string journal_file = io::journal_path(h5, csv);
  const bool resume = args.has("resume");
  if (resume && journal_file.empty()) throw args.error("--resume needs -o or --csv (the journal lives beside the output)");
  std::map<long long, io::JournalEntry> journaled;
  if (resume) journaled = io::read_journal(journal_file, id, shard_text);
  std::vector<sweep::SweepPoint> points;
  std::vector<sweep::PointOutcome> outcomes;
  std::vector<Scenario> to_run;
  std::vector<std::string> to_run_campaigns;
  std::vector<long long> to_run_indices;
  std::vector<std::size_t> to_run_rows;
  for (long long i : indices) {
    points.push_back(all[static_cast<std::size_t>(i)]);
    outcomes.emplace_back();
    const auto j = journaled.find(i);
    // ok and failed are what the point is; a crash or a timeout may be the interrupt itself.
    const bool part_missing = trace_runs && j != journaled.end() && j->second.status == "ok" &&
                              !std::filesystem::exists(pool.part_prefix + std::to_string(i));
    if (j != journaled.end() && (j->second.status == "ok" || j->second.status == "failed") && !part_missing) {
      sweep::PointOutcome& o = outcomes.back();
      o.status = j->second.status;
      o.error = j->second.error;
      o.run_json = j->second.run_json;
      if (o.ok()) sweep::parse_point_json(o, over_campaign);
      continue;
    }
    if (over_campaign) {
      to_run_campaigns.push_back(campaigns[static_cast<std::size_t>(i)]);
    } else {
      to_run.push_back(scenarios[static_cast<std::size_t>(i)]);
    }
    to_run_indices.push_back(i);
    to_run_rows.push_back(points.size() - 1);
  }
  const long long resumed = static_cast<long long>(points.size() - to_run_rows.size());
  const bool json = args.has("json");
  std::cerr << "sweep " << id.substr(0, 12) << ": " << all.size() << " points"
            << (shard.count > 1 ? ", shard " + shard_text + ": " + std::to_string(points.size()) + " points" : std::string())
            << ", " << pool.jobs << " at a time, " << (over_campaign ? std::string("each a campaign") : std::string(to_string(pool.replay)) + " replay")
            << (resume ? ", " + std::to_string(resumed) + " done before (" + journal_file + ")" : std::string()) << "\n";
  if (!resume && !journal_file.empty() && std::filesystem::exists(journal_file)) {
    std::cerr << "note: " << journal_file << " (an interrupted sweep) is replaced: --resume continues it instead\n";
  }
  std::optional<io::SweepJournal> journal;
  if (!journal_file.empty()) journal.emplace(journal_file, id, shard_text, resume && std::filesystem::exists(journal_file));
  pool.finished = [&](long long point, const sweep::PointOutcome& o) {
    if (journal) journal->append(point, {o.status, o.error, o.run_json});
  };
  // Each point is a forked copy of this process running `trainsim <argv[1..]>`: the same code as
  // the command, without loading the executable, its libraries and the catalogs again.
  // TRAINSIM_SWEEP_EXEC=1: start the executable for each point instead (bench sweep compares them).
  const char* exec_env = std::getenv("TRAINSIM_SWEEP_EXEC");
  if (exec_env == nullptr || std::string(exec_env) != "1") pool.runner = run_command_forked;
  Progress progress("sweep", Progress::wanted(json));
  pool.progress = [&](std::size_t done, std::size_t) {
    progress.update(resumed + static_cast<long long>(done), static_cast<long long>(points.size()), "points");
  };
  const auto make_table = [&](const std::vector<sweep::PointOutcome>& o) {
    return over_campaign ? sweep::campaign_points_table(columns, points, o) : sweep::points_table(columns, points, o);
  };
  (void)make_table(std::vector<sweep::PointOutcome>(points.size()));  // a column named twice fails now, not after the run
  std::vector<sweep::PointOutcome> ran = over_campaign ? sweep::run_campaign_points(to_run_campaigns, to_run_indices, pool)
                                                      : sweep::run_points(to_run, to_run_indices, pool);
  progress.finish();
  for (std::size_t k = 0; k < ran.size(); ++k) outcomes[to_run_rows[k]] = std::move(ran[k]);

  const io::ColumnTable table = make_table(outcomes);
  if (!h5.empty()) {
    const RemoveOnSignal guard(io::TraceFile::temp_path_for(h5));  // Ctrl-C while writing leaves no temporary file
    io::TraceFile out(h5);
    if (over_campaign) {
      io::write_root_attributes(out, io::to_text(file.base), 0);
    } else {
      io::write_root_attributes(out, io::scenario_to_yaml(*base), base->seed);
    }
    io::write_points(out, "/sweep", table);
    if (trace_runs) {  // each point's run, from the file its child wrote; then the part goes
      for (std::size_t r = 0; r < points.size(); ++r) {
        if (!outcomes[r].ok()) continue;
        io::merge_run(out, pool.part_prefix + std::to_string(points[r].index), "/runs/main",
                      "/sweep/runs/point-" + std::to_string(points[r].index));
      }
    }
    io::write_sweep_attributes(out, "/sweep",
                               {id, file.text, over_campaign ? "campaign" : to_string(pool.replay), static_cast<long long>(all.size()), shard.index, shard.count});
    out.commit();
  }
  if (!csv.empty()) io::write_csv(csv, table);
  if (journal) journal->remove();  // the outputs hold every point now
  if (trace_runs) {
    for (const auto& p : points) {
      std::error_code ec;
      std::filesystem::remove(pool.part_prefix + std::to_string(p.index), ec);
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const SweepRun run{id, static_cast<long long>(all.size()), shard.index, shard.count, wall, resumed};
  std::cout << (json ? sweep_json(run, table).dump() + "\n" : sweep_text(run, columns, table));
  return 0;
}

}  // namespace trainsim::cli
