// trainsim advise: which platform for a campaign (or one scenario)? Every candidate simulated
// (sampled replay by default, forked children in parallel), ranked by an objective, the Pareto
// frontier of wall time against total cost, deadline and budget, each one's bottleneck, short
// answers to the seed report's Part 5 questions, owning against renting; text, JSON, HTML.
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <thread>

#include "sim/cli/advise_run.hpp"
#include "sim/cli/advise_setup.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/input/buy_rent_io.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/report/advice_report.hpp"
#include "sim/report/html_report.hpp"
#include "sim/util/files.hpp"
#include "sim/util/progress.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

double cpu_seconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    getrusage(who, &u);
    total += static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  }
  return total;
}

}  // namespace

int cmd_advise(int argc, char** argv) {
  Args args("advise", "Which platform for a campaign (docs/advise.md)? Every candidate node is simulated (sampled replay,\n"
                      "in parallel); the candidates are ranked, the Pareto frontier of wall time against total cost is\n"
                      "marked, with deadline, budget and each one's bottleneck, short answers to the seed report's\n"
                      "questions, and owning a node against renting it.");
  args.positional("INPUT", "a campaign file (docs/campaigns.md) or a scenario (one run), or - for stdin")
      .option("deadline", "HOURS", "the campaign must end within this many hours")
      .option("budget", "USD", "the compute cost must stay within this (researcher time not counted)")
      .option("objective", "O", "rank by time, cost, cost+researcher or energy", "cost+researcher")
      .multi("candidates", "LIST", "node presets, node files or 'all' (comma-separated, repeatable); default all: every\n"
                                   "catalog GPU at 1, 2, 4 and 8 per node with its usual interconnect, plus the presets")
      .flag("rent", "price candidates as rented (cloud on-demand price per GPU-hour; the default)")
      .flag("buy", "price candidates as bought (purchase over lifetime and utilisation, plus electricity and cooling);\n"
                   "with --rent, both")
      .option("own", "NODE", "the node of the buy-or-rent comparison", "4x-rtx3090-pcie")
      .option("campaigns-per-year", "LIST", "campaigns a year in the buy-or-rent table (comma-separated)", "1,2,4,8,12")
      .option("replay", "MODE", "sampled (default) or full (trainsim run --help)", "sampled")
      .option("replay-ci", "REL", "sampled: target half-width of the 95 % CI of the mean iteration time, relative", "0.005")
      .option("jobs", "N", "simulations at once, each in its own process (default: the number of cores)", std::nullopt, "-j")
      .flag("check", "plan the campaign on every candidate (batches fitted to memory), run nothing: how many\n"
                     "candidates and simulations, and which candidates cannot run it")
      .option("html", "FILE", "write the decision report: one self-contained HTML page (no network needed)")
      .flag("json", "print JSON: candidates (platform, gpus, wall_hours, cost_usd, total_cost_usd, kwh, pareto,\n"
                    "meets_deadline, meets_budget, bottleneck, error, ...), recommendation, answers, buy_or_rent");
  if (!args.parse(argc, argv, 2)) return 0;
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  const Catalog& catalog = io::default_catalog();
  const std::string html = args.get("html");
  if (!html.empty()) io::check_output_path(html, "--html");
  campaign::Constraints constraints;
  if (args.has("deadline")) constraints.deadline_hours = args.get_double("deadline", 1e-3, 1e7);
  if (args.has("budget")) constraints.budget_usd = args.get_double("budget", 0, 1e12);
  const auto objective = campaign::parse_objective(args.get("objective"));
  if (!objective) throw args.error("--objective: '" + args.get("objective") + "': expected time, cost, cost+researcher or energy");
  constraints.objective = *objective;
  const bool buy = args.has("buy");
  const bool rent = args.has("rent") || !buy;
  const std::vector<int> per_year = parse_counts(args.get("campaigns-per-year"), "--campaigns-per-year");
  const int jobs = args.has("jobs") ? static_cast<int>(args.get_int("jobs", 1, 256))
                                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  const io::CampaignFile file = load_advise_input(args.get("INPUT"), catalog);
  const campaign::StageGraph graph(file.stages);
  const campaign::BuyRentData& money = io::default_buy_rent(catalog);
  AdviseSetup setup;
  setup.file = &file;
  setup.graph = &graph;
  std::optional<campaign::Calibration> calibration;
  if (file.calibration) calibration = campaign::calibrate(*file.calibration, catalog);
  if (calibration) setup.calibration = io::CalibrationUse{calibration->point.model, calibration->factor};
  setup.candidates = candidates_from(args.all("candidates"), catalog);
  setup.jobs = jobs;
  setup.replay = parse_replay_mode(args.get("replay"));
  setup.sampling.rel_half_width = args.get_double("replay-ci", 1e-6, 0.5);
  setup.rent = rent;
  setup.buy = buy;
  setup.buy_rent = &money;
  setup.check = args.has("check");
  const bool json = args.has("json");
  if (setup.check) {
    const AdviseResult planned = run_candidates(setup, catalog);
    if (json) {
      Json j = Json::object();
      j["candidates"] = static_cast<long long>(setup.candidates.size());
      j["planned"] = planned.planned;
      j["simulations"] = planned.simulations;
      Json failed = Json::array();
      for (const auto& o : planned.options) {
        Json f = Json::object();
        f["platform"] = o.option.name;
        f["error"] = o.option.error;
        failed.push_back(f);
      }
      j["failed"] = failed;
      std::cout << j.dump() << "\n";
    } else {
      std::cout << setup.candidates.size() << " candidates, " << planned.planned << " planned, " << planned.simulations
                << " simulations to run; nothing run\n";
      for (const auto& o : planned.options) std::cout << "  " << o.option.name << ": " << o.option.error << "\n";
    }
    return 0;
  }
  Progress progress("advise", Progress::wanted(json));
  setup.progress = [&](std::size_t done, std::size_t total) {
    progress.update(static_cast<long long>(done), static_cast<long long>(total), "simulations");
  };
  AdviseResult result = run_candidates(setup, catalog);
  progress.finish();

  io::AdviceView view = advice_view(file, result, constraints, money, args.get("own"), per_year);
  view.replay = to_string(setup.replay);
  view.acquisition = rent && buy ? "rent+buy" : (buy ? "buy" : "rent");
  view.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  view.cpu_s = cpu_seconds() - cpu0;
  if (!html.empty()) io::write_text_file_atomic(html, io::advice_html(view));
  std::cout << (json ? io::advice_json(view).dump() + "\n" : io::advice_text(view));
  if (!json) {
    std::cout << "\n" << view.options.size() << " candidates in " << fixed(view.wall_s, 1) << " s (" << fixed(view.cpu_s, 1)
              << " CPU s)" << (html.empty() ? std::string() : "; report: " + html) << "\n";
  }
  return 0;
}

}  // namespace trainsim::cli
