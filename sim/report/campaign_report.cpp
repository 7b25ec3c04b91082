#include "sim/report/campaign_report.hpp"

#include <algorithm>
#include <sstream>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr double kSecondsPerHour = 3600;

// About three significant figures, so that a campaign of minutes still shows its stages.
std::string amount(double v) { return fixed(v, v >= 100 ? 1 : v >= 1 ? 2 : 3); }
std::string hours(Seconds s) { return amount(s / kSecondsPerHour); }
std::string money(const std::optional<double>& usd) { return usd ? amount(*usd) : std::string("-"); }

std::string stage_path(const PlatformView& p) {
  std::vector<std::string> names;
  for (int s : p.timeline.critical_path.stages) names.push_back(p.stages.at(static_cast<std::size_t>(s)).name);
  return join(names, " -> ");
}

// The most runs of `stage` going at one instant within [from, to): the count is highest at some
// run's start (or at `from`).
int most_at_once(const std::vector<campaign::RunTotals>& runs, int stage, Seconds from, Seconds to) {
  int most = 0;
  for (const auto& a : runs) {
    if (a.stage != stage || a.placed.start >= to || a.placed.end <= from) continue;
    const Seconds at = std::max(from, a.placed.start);
    int going = 0;
    for (const auto& b : runs) {
      if (b.stage == stage && b.placed.start <= at && b.placed.end > at) ++going;
    }
    most = std::max(most, going);
  }
  return most;
}

std::string platform_section(const CampaignView& v, const PlatformView& p) {
  std::ostringstream o;
  const campaign::Timeline& t = p.timeline;
  o << "platform " << p.name << ": " << p.gpus << " x " << p.gpu << " (" << p.gpu_display << ")";
  if (p.price) {
    o << ", $" << fixed(p.price->usd_per_gpu_hour, 2) << "/GPU-h (" << p.price->source << ")\n";
  } else {
    o << ", no price known for " << p.gpu << " (set economics.prices." << p.gpu << "): costs not shown\n";
  }
  o << "  " << p.runs << (p.runs == 1 ? " run, " : " runs, ") << p.simulated << " simulated"
    << (p.simulated < p.runs ? " (runs with identical scenarios are simulated once and reused)" : "") << "\n\n";
  using A = Table::Align;
  Table table({"stage", "runs", "simulated", "placement", "GPUs/run", "batch/GPU", "images/s", "start h", "end h",
               "wall h", "GPU h", "cost $", "kWh", "CO2 kg"},
              {A::left, A::right, A::right, A::left, A::right, A::right, A::right, A::right, A::right, A::right, A::right,
               A::right, A::right, A::right});
  for (std::size_t s = 0; s < p.stages.size(); ++s) {
    const StageView& sv = p.stages[s];
    const campaign::StageTotals& st = t.stages[s];
    table.add({sv.name + (sv.runs_differ ? " *" : ""), std::to_string(sv.runs), std::to_string(sv.simulated), sv.placement,
               std::to_string(sv.gpus_per_run),
               std::to_string(sv.batch_per_gpu), fixed(sv.images_per_s, 1), hours(st.start), hours(st.end),
               hours(st.end - st.start), amount(st.gpu_hours), money(st.cost_usd), amount(st.energy_kwh),
               amount(st.co2_kg)});
  }
  table.rule();
  if (t.idle_gpu_hours > 1e-9) {
    table.add({"(GPUs idle)", "", "", "", "", "", "", "", "", "", amount(t.idle_gpu_hours), "", amount(t.idle_energy_kwh),
               amount(campaign::kwh_to_co2_kg(t.idle_energy_kwh, v.economics.carbon_kg_per_kwh))});
  }
  table.add({"total", std::to_string(p.runs), std::to_string(p.simulated), "", "", "", "", hours(0), hours(t.makespan), hours(t.makespan),
             amount(t.gpu_hours), money(t.cost_usd), amount(t.energy_kwh), amount(t.co2_kg)});
  o << table.render("  ");
  bool differ = false;
  for (const auto& sv : p.stages) differ = differ || sv.runs_differ;
  if (differ) o << "  * the stage's runs differ (per-run overrides): batch and images/s of its first run\n";
  o << "\n  critical path: " << stage_path(p) << ", " << hours(t.critical_path.length) << " h (makespan "
    << hours(t.makespan) << " h)\n";
  o << "  researcher waiting: " << hours(t.makespan) << " h x $" << fixed(v.economics.researcher_usd_per_hour, 2)
    << "/h = $" << fixed(t.researcher_cost_usd, 2) << "\n";
  o << "  power: each GPU " << fixed(p.gpu_idle_w, 0) << " W idle + busy share x " << fixed(p.gpu_tdp_w - p.gpu_idle_w, 0)
    << " W; host " << fixed(p.host_w, 0) << " W (" << p.cores << " cores x " << format_double(v.economics.host_w_per_core)
    << " W + " << p.sockets << (p.sockets == 1 ? " socket" : " sockets") << " x "
    << format_double(v.economics.host_w_per_socket) << " W)\n";
  for (const auto& n : p.notes) o << "  note: " << n << "\n";
  o << "\n" << gantt_text(p);
  return o.str();
}

}  // namespace

std::string campaign_text(const CampaignView& v) {
  std::ostringstream o;
  int runs = 0;
  for (const auto& s : v.platforms.empty() ? std::vector<StageView>{} : v.platforms.front().stages) runs += s.runs;
  o << "campaign " << (v.name.empty() ? v.file : v.name) << ": "
    << (v.platforms.empty() ? 0 : v.platforms.front().stages.size()) << " stages, " << runs << " runs, on "
    << v.platforms.size() << (v.platforms.size() == 1 ? " platform\n" : " platforms\n");
  if (v.calibration) {
    const auto& c = *v.calibration;
    o << "calibration: " << c.point.model << " x" << fixed(c.factor, 3) << " = " << fixed(c.point.measured * 1e3, 1)
      << " ms measured / " << fixed(c.predicted * 1e3, 1) << " ms predicted (" << c.point.gpu << ", " << c.point.height_px
      << " px, batch " << c.point.batch << ", " << to_string(c.point.precision) << ")"
      << (c.point.source.empty() ? "" : "; " + c.point.source) << "\n";
  }
  o << "economics: researcher $" << fixed(v.economics.researcher_usd_per_hour, 2) << "/h; grid "
    << format_double(v.economics.carbon_kg_per_kwh) << " kg CO2/kWh (" << v.economics.carbon_source << ")\n";
  for (const auto& p : v.platforms) o << "\n" << platform_section(v, p);
  return o.str();
}

std::string side_by_side_text(const CampaignView& v) {
  std::vector<std::string> header{"hours and totals"};
  for (const auto& p : v.platforms) header.push_back(p.name);
  Table t(header);
  if (v.platforms.empty()) return "";
  const auto row = [&](const std::string& label, const auto& cell) {
    std::vector<std::string> r{label};
    for (const auto& p : v.platforms) r.push_back(cell(p));
    t.add(r);
  };
  for (std::size_t s = 0; s < v.platforms.front().stages.size(); ++s) {
    row(v.platforms.front().stages[s].name + " h", [&](const PlatformView& p) {
      const auto& st = p.timeline.stages[s];
      return hours(st.end - st.start);
    });
  }
  t.rule();
  const Seconds first = v.platforms.front().timeline.makespan;
  row("total wall h", [](const PlatformView& p) { return hours(p.timeline.makespan); });
  row("GPU h", [](const PlatformView& p) { return amount(p.timeline.gpu_hours); });
  row("cost $", [](const PlatformView& p) { return money(p.timeline.cost_usd); });
  row("researcher $", [](const PlatformView& p) { return amount(p.timeline.researcher_cost_usd); });
  row("cost + researcher $", [](const PlatformView& p) {
    return p.timeline.cost_usd ? amount(*p.timeline.cost_usd + p.timeline.researcher_cost_usd) : std::string("-");
  });
  row("kWh", [](const PlatformView& p) { return amount(p.timeline.energy_kwh); });
  row("CO2 kg", [](const PlatformView& p) { return amount(p.timeline.co2_kg); });
  row("speed-up", [&](const PlatformView& p) { return fixed(first / p.timeline.makespan, 2) + "x"; });
  return "side by side (speed-up: total wall time against " + v.platforms.front().name + ")\n" + t.render("  ");
}

std::string gantt_text(const PlatformView& p, int columns) {
  const campaign::Timeline& t = p.timeline;
  if (t.makespan <= 0 || columns < 1) return "";
  const double per_column = t.makespan / columns;
  std::size_t label = 0;
  for (const auto& s : p.stages) label = std::max(label, s.name.size());
  std::ostringstream o;
  const std::string column = per_column < 60     ? fixed(per_column, 1) + " s"
                             : per_column < 3600 ? fixed(per_column / 60, 1) + " min"
                                                 : fixed(per_column / kSecondsPerHour, 2) + " h";
  o << "  Gantt, 0 to " << hours(t.makespan) << " h (one column = " << column << "):\n";
  for (std::size_t s = 0; s < p.stages.size(); ++s) {
    std::string bar(static_cast<std::size_t>(columns), ' ');
    for (int c = 0; c < columns; ++c) {
      const Seconds from = c * per_column, to = (c + 1) * per_column;
      const int going = most_at_once(t.runs, static_cast<int>(s), from, to);
      if (going == 0) continue;
      if (p.stages[s].placement != "packed") {
        bar[static_cast<std::size_t>(c)] = '#';
      } else {
        bar[static_cast<std::size_t>(c)] = going > 9 ? '+' : static_cast<char>('0' + going);
      }
    }
    o << "  " << p.stages[s].name << std::string(label - p.stages[s].name.size(), ' ') << " |" << bar << "|\n";
  }
  return o.str();
}

Json campaign_json(const CampaignView& v) {
  Json list = Json::array();
  const Seconds first = v.platforms.empty() ? 0 : v.platforms.front().timeline.makespan;
  for (const auto& p : v.platforms) {
    const campaign::Timeline& t = p.timeline;
    Json j = Json::object();
    j["platform"] = p.name;
    j["gpu"] = p.gpu;
    j["gpus"] = p.gpus;
    j["total_wall_hours"] = t.makespan / kSecondsPerHour;
    j["gpu_hours"] = t.gpu_hours;
    j["cost_usd"] = Json(t.cost_usd);
    j["researcher_cost_usd"] = t.researcher_cost_usd;
    j["energy_kwh"] = t.energy_kwh;
    j["co2_kg"] = t.co2_kg;
    j["usd_per_gpu_hour"] = p.price ? Json(p.price->usd_per_gpu_hour) : Json();
    j["price_source"] = p.price ? Json(p.price->source) : Json();
    j["idle_gpu_hours"] = t.idle_gpu_hours;
    j["speedup"] = first / t.makespan;
    j["runs"] = p.runs;
    j["simulated"] = p.simulated;
    Json cp = Json::object();
    Json names = Json::array();
    for (int s : t.critical_path.stages) names.push_back(p.stages.at(static_cast<std::size_t>(s)).name);
    cp["stages"] = names;
    cp["hours"] = t.critical_path.length / kSecondsPerHour;
    j["critical_path"] = cp;
    Json notes = Json::array();
    for (const auto& n : p.notes) notes.push_back(n);
    j["notes"] = notes;
    Json stages = Json::array();
    for (std::size_t s = 0; s < p.stages.size(); ++s) {
      const StageView& sv = p.stages[s];
      const campaign::StageTotals& st = t.stages[s];
      Json o = Json::object();
      o["name"] = sv.name;
      o["start_hours"] = st.start / kSecondsPerHour;
      o["end_hours"] = st.end / kSecondsPerHour;
      o["wall_hours"] = (st.end - st.start) / kSecondsPerHour;
      o["gpu_hours"] = st.gpu_hours;
      o["cost_usd"] = Json(st.cost_usd);
      o["energy_kwh"] = st.energy_kwh;
      o["co2_kg"] = st.co2_kg;
      o["runs"] = sv.runs;
      o["simulated"] = sv.simulated;
      o["placement"] = sv.placement;
      o["gpus_per_run"] = sv.gpus_per_run;
      o["batch_per_gpu"] = sv.batch_per_gpu;
      o["images_per_s"] = sv.images_per_s;
      o["iterations"] = sv.iterations_all_runs;
      stages.push_back(o);
    }
    j["stages"] = stages;
    list.push_back(j);
  }
  return list;
}

}  // namespace trainsim::io
