#include "sim/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/report/html_charts.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#1d2330;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
.sub{color:#5a6475;margin:0 0 12px}.rec{background:#eef6ee;border-left:4px solid #2e8b57;padding:10px 14px;margin:12px 0}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #e6e9ef;text-align:right}
th{background:#f3f5f9}td.l,th.l{text-align:left}tr.front td{background:#fff8e1}tr.err td{color:#a33}
.yes{color:#2e8b57}.no{color:#b03a2e}svg{display:block;margin:8px 0}svg text{font-size:11px;fill:#1d2330}
.small{font-size:12px;color:#5a6475}ul{padding-left:20px}li{margin:4px 0}
)";

std::string cell(const std::string& text, bool left = false) {
  return std::string(left ? "<td class=\"l\">" : "<td>") + html_escape(text) + "</td>";
}

std::string short_fixed(double v) { return fixed(v, v < 10 ? 2 : 1); }

std::string yes_no(bool set, bool yes) {
  if (!set) return "<td></td>";
  return yes ? "<td class=\"yes\">yes</td>" : "<td class=\"no\">no</td>";
}

std::string ranked_table(const AdviceView& v) {
  std::ostringstream o;
  o << "<table><tr><th>#</th><th class=\"l\">platform</th><th>GPUs</th><th>wall h</th><th>cost</th><th>total</th>"
       "<th>kWh</th><th>CO2 kg</th><th class=\"l\">bottleneck</th><th>frontier</th><th>deadline</th><th>budget</th></tr>\n";
  for (const auto& x : v.options) {
    const std::string name = x.acquisition == "buy" ? x.name + " (bought)" : x.name;
    if (!x.ok()) {
      o << "<tr class=\"err\">" << cell(std::to_string(x.rank)) << cell(name, true) << cell(std::to_string(x.gpus))
        << "<td colspan=\"9\" class=\"l\">error: " << html_escape(x.error) << "</td></tr>\n";
      continue;
    }
    o << "<tr" << (x.pareto ? " class=\"front\"" : "") << ">" << cell(std::to_string(x.rank)) << cell(name, true)
      << cell(std::to_string(x.gpus)) << cell(short_fixed(x.wall_hours)) << cell(usd_text(x.cost_usd)) << cell(usd_text(x.total_cost_usd))
      << cell(short_fixed(x.kwh)) << cell(short_fixed(x.co2_kg)) << cell(std::string(campaign::to_string(x.bottleneck)), true)
      << cell(x.pareto ? "*" : "") << yes_no(v.constraints.deadline_hours.has_value(), x.meets_deadline)
      << yes_no(v.constraints.budget_usd.has_value(), x.meets_budget) << "</tr>\n";
  }
  o << "</table>\n";
  return o.str();
}

std::string buy_rent_html(const AdviceView& v) {
  if (!v.buy_rent) return "<p>" + html_escape(v.buy_rent_note) + "</p>\n";
  const campaign::BuyRent& b = *v.buy_rent;
  std::ostringstream o;
  o << "<p>" << html_escape(b.node) << ": " << b.gpus << " x " << html_escape(b.gpu) << ", purchase " << html_escape(usd_text(b.purchase_usd))
    << "; this campaign " << html_escape(hours_text(b.wall_hours)) << ", electricity and cooling "
    << html_escape(usd_text(b.electricity_usd)) << "; break-even "
    << html_escape(b.break_even_per_year ? fixed(*b.break_even_per_year, 1) + " campaigns a year" : std::string("never")) << ".</p>\n";
  o << "<table><tr><th>campaigns a year</th><th>owned, per campaign</th><th>rented on demand</th><th>rented spot</th>"
       "<th>fits in a year</th></tr>\n";
  for (const auto& r : b.rows) {
    o << "<tr>" << cell(std::to_string(r.campaigns_per_year)) << cell(usd_text(r.owned_usd)) << cell(usd_text(r.rented_usd))
      << cell(usd_text(r.rented_spot_usd)) << cell(r.fits_in_a_year ? "yes" : "no") << "</tr>\n";
  }
  o << "</table>\n";
  return o.str();
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string advice_html(const AdviceView& v) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << html_escape(v.title) << "</title>\n<style>"
    << kStyle << "</style></head><body>\n";
  o << "<h1>" << html_escape(v.title) << "</h1>\n<p class=\"sub\">" << html_escape(v.file) << ": " << v.options.size()
    << " candidates (" << html_escape(v.acquisition) << "), " << v.simulations << " simulations, " << html_escape(v.replay)
    << " replay";
  if (v.constraints.deadline_hours) o << "; deadline " << html_escape(hours_text(*v.constraints.deadline_hours));
  if (v.constraints.budget_usd) o << "; budget " << html_escape(usd_text(*v.constraints.budget_usd));
  if (v.ranked) o << "; objective " << html_escape(std::string(campaign::to_string(v.constraints.objective)));
  o << "</p>\n";
  if (v.ranked) o << "<div class=\"rec\"><b>Recommendation.</b> " << html_escape(recommendation_text(v)) << "</div>\n";
  o << "<h2>Wall time against total cost</h2>\n" << pareto_svg(v)
    << "<p class=\"small\">Each point a candidate (log scales); filled: on the Pareto frontier (no other candidate both faster "
       "and cheaper in total, researcher time included).</p>\n";
  o << "<h2>" << (v.ranked ? "Ranked candidates" : "Platforms") << "</h2>\n" << ranked_table(v);
  o << "<h2>Stages of the leading options</h2>\n";
  for (const auto& p : v.leading) o << gantt_svg(p);
  o << "<h2>Cost, energy and CO2</h2>\n" << bars_svg(v);
  if (v.ranked) {
    o << "<h2>The seed report's questions</h2>\n<ul>\n";
    for (const auto& a : seed_answers(v)) o << "<li><b>" << html_escape(a.question) << "</b> " << html_escape(a.answer) << "</li>\n";
    o << "</ul>\n<h2>Buy or rent</h2>\n" << buy_rent_html(v);
  }
  o << "<h2>Assumptions and sources</h2>\n<ul>\n";
  for (const auto& [what, source] : v.sources) o << "<li><b>" << html_escape(what) << ":</b> " << html_escape(source) << "</li>\n";
  o << "</ul>\n<p class=\"small\">Written by trainsim. Times are simulated (" << html_escape(v.replay)
    << " replay); numbers move with the models (docs/advise.md).</p>\n</body></html>\n";
  return o.str();
}

}  // namespace trainsim::io
