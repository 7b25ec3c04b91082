#include "sim/report/report_text.hpp"

#include <sstream>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

using campaign::short_number;

constexpr double kSecondsPerHour = 3600;

std::string fig(const std::optional<campaign::Figure>& f, int digits = 2) {
  return f ? short_number(f->value, digits) + " (l." + std::to_string(f->line) + ")" : std::string("-");
}

const PlatformView* simulated(const CampaignView& v, const std::string& node) {
  for (const auto& p : v.platforms) {
    if (p.name == node) return &p;
  }
  return nullptr;
}

}  // namespace

const campaign::ReportPlatform* report_platform(const campaign::ReportData& r, const PlatformView& p) {
  return r.find(p.name);
}

std::vector<campaign::StageCheck> baseline_checks(const campaign::ReportData& r, const CampaignView& v) {
  std::vector<campaign::StageCheck> out;
  const PlatformView* base = simulated(v, r.platforms.front().node);
  if (base == nullptr) return out;
  const campaign::ReportPlatform& rp = r.platforms.front();
  for (std::size_t s = 0; s < base->stages.size(); ++s) {
    campaign::StageCheck c;
    c.stage = base->stages[s].name;
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
      if (r.stages[k] == c.stage && k < rp.stage_hours.size()) c.report_hours = rp.stage_hours[k];
    }
    const auto& st = base->timeline.stages[s];
    c.trainsim_hours = (st.end - st.start) / kSecondsPerHour;
    c.iterations = base->stages[s].iterations_all_runs;
    out.push_back(c);
  }
  return out;
}

std::string against_report_text(const campaign::ReportData& r, const std::vector<campaign::Finding>& findings,
                                const CampaignView& v) {
  std::ostringstream o;
  o << "against the report (" << r.file << (r.title.empty() ? "" : ": " + r.title)
    << "); (l.N) is the report's line\n\n";
  const campaign::ReportPlatform& base = r.platforms.front();
  const PlatformView* sim_base = simulated(v, base.node);
  Table t({"platform", "report h", "trainsim h", "report/trainsim", "report speed-up", "trainsim speed-up", "report $",
           "trainsim $", "report kWh", "trainsim kWh"});
  for (const auto& p : v.platforms) {
    const campaign::ReportPlatform* rp = report_platform(r, p);
    if (rp == nullptr) continue;
    const double h = p.timeline.makespan / kSecondsPerHour;
    std::string ratio = "-", rs = "-", ts = "-";
    if (rp->total_hours) ratio = short_number(rp->total_hours->value / h, 1) + "x";
    if (rp->total_hours && base.total_hours) rs = short_number(base.total_hours->value / rp->total_hours->value, 1) + "x";
    if (sim_base != nullptr) ts = short_number(sim_base->timeline.makespan / p.timeline.makespan, 1) + "x";
    t.add({rp->label + " (" + p.name + ")", fig(rp->total_hours), fixed(h, 2), ratio, rs, ts, fig(rp->cost_usd),
           p.timeline.cost_usd ? fixed(*p.timeline.cost_usd, 2) : "-", fig(rp->energy_kwh), fixed(p.timeline.energy_kwh, 2)});
  }
  o << t.render("  ");
  o << "  speed-ups are against " << base.label << " (" << base.node << "); trainsim's costs use "
    << "its own prices (above), the report's its assumed ones\n";

  const auto checks = baseline_checks(r, v);
  if (!checks.empty()) {
    o << "\n" << base.label << " stage by stage: the report's hours against the replay, and what they mean per iteration\n";
    Table s({"stage", "report h", "trainsim h", "report/trainsim", "iterations", "report s/it", "trainsim s/it"});
    for (const auto& c : checks) {
      s.add({c.stage, fig(c.report_hours), fixed(c.trainsim_hours, 2), c.ratio() ? short_number(*c.ratio(), 1) + "x" : "-",
             std::to_string(c.iterations), c.report_s_per_iteration() ? fixed(*c.report_s_per_iteration(), 3) : "-",
             fixed(c.trainsim_s_per_iteration(), 3)});
    }
    o << s.render("  ");
  }
  if (!findings.empty()) {
    o << "\nwhere the report's own figures break physics or arithmetic:\n";
    for (const auto& f : findings) o << "  [" << f.topic << "] " << f.text << "\n";
  }
  return o.str();
}

void add_report_json(Json& list, const campaign::ReportData& r, const CampaignView& v) {
  Json out = Json::array();
  for (std::size_t i = 0; i < v.platforms.size(); ++i) {
    Json j = list.as_array().at(i);
    const campaign::ReportPlatform* rp = report_platform(r, v.platforms[i]);
    if (rp != nullptr) {
      Json o = Json::object();
      o["label"] = rp->label;
      o["total_hours"] = rp->total_hours ? Json(rp->total_hours->value) : Json();
      o["cost_usd"] = rp->cost_usd ? Json(rp->cost_usd->value) : Json();
      o["energy_kwh"] = rp->energy_kwh ? Json(rp->energy_kwh->value) : Json();
      Json stages = Json::object();
      for (std::size_t k = 0; k < r.stages.size() && k < rp->stage_hours.size(); ++k) {
        stages[r.stages[k]] = rp->stage_hours[k] ? Json(rp->stage_hours[k]->value) : Json();
      }
      o["stage_hours"] = stages;
      j["report"] = o;
    }
    out.push_back(j);
  }
  list = out;
}

}  // namespace trainsim::io
