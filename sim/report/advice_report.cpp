#include "sim/report/advice_report.hpp"

#include <cmath>
#include <sstream>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr double kOneWeekHours = 7 * 24;

std::string label(const campaign::Option& o) { return o.acquisition == "buy" ? o.name + " (bought)" : o.name; }

std::string brief(const campaign::Option& o) {
  return label(o) + " (" + hours_text(o.wall_hours) + ", " + usd_text(o.cost_usd) + ")";
}

std::string constraints_text(const campaign::Constraints& c) {
  std::vector<std::string> parts;
  if (c.deadline_hours) parts.push_back("deadline " + hours_text(*c.deadline_hours));
  if (c.budget_usd) parts.push_back("budget " + usd_text(*c.budget_usd));
  parts.push_back("objective " + std::string(campaign::to_string(c.objective)));
  return join(parts, ", ");
}

Json option_json(const campaign::Option& o) {
  Json j = Json::object();
  j["rank"] = o.rank;
  j["platform"] = o.name;
  j["gpu"] = o.gpu;
  j["gpus"] = o.gpus;
  j["acquisition"] = o.acquisition;
  j["usd_per_gpu_hour"] = o.usd_per_gpu_hour;
  j["price_source"] = o.price_source;
  const bool ran = o.ok();
  j["wall_hours"] = ran ? Json(o.wall_hours) : Json();
  j["gpu_hours"] = ran ? Json(o.gpu_hours) : Json();
  j["cost_usd"] = ran ? Json(o.cost_usd) : Json();
  j["researcher_cost_usd"] = ran ? Json(o.researcher_usd) : Json();
  j["total_cost_usd"] = ran ? Json(o.total_cost_usd) : Json();
  j["kwh"] = ran ? Json(o.kwh) : Json();
  j["co2_kg"] = ran ? Json(o.co2_kg) : Json();
  j["pareto"] = o.pareto;
  j["meets_deadline"] = o.meets_deadline;
  j["meets_budget"] = o.meets_budget;
  j["bottleneck"] = ran ? Json(std::string(campaign::json_name(o.bottleneck))) : Json();
  Json split = Json::object();
  split["compute_gpu_hours"] = o.split.compute_gpu_h;
  split["exposed_comm_gpu_hours"] = o.split.exposed_comm_gpu_h;
  split["data_stall_gpu_hours"] = o.split.data_stall_gpu_h;
  split["memory_limited_gpu_hours"] = o.split.memory_limited_gpu_h;
  j["split"] = ran ? split : Json();
  Json stages = Json::array();
  for (const auto& s : o.stages) {
    Json st = Json::object();
    st["name"] = s.name;
    st["wall_hours"] = s.hours;
    st["cost_usd"] = s.cost_usd;
    stages.push_back(st);
  }
  j["stages"] = stages;
  j["error"] = ran ? Json() : Json(o.error);
  return j;
}

}  // namespace

std::string usd_text(const std::optional<double>& usd) {
  if (!usd) return "-";
  const double v = *usd;
  if (std::fabs(v) >= 1e6) return "$" + fixed(v / 1e6, 2) + "M";
  if (std::fabs(v) >= 100) {
    std::string digits = fixed(v, 0), out;
    const std::size_t start = digits.front() == '-' ? 1 : 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > start && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return "$" + out;
  }
  return "$" + fixed(v, 2);
}

std::string hours_text(double h) { return fixed(h, h < 10 ? 2 : 1) + " h"; }

std::string recommendation_text(const AdviceView& v) {
  if (v.options.empty() || !v.options.front().ok()) return "No candidate could be simulated.";
  const campaign::Option& best = v.options.front();
  if (best.meets_deadline && best.meets_budget) {
    return label(best) + ": " + hours_text(best.wall_hours) + ", " + usd_text(best.cost_usd) + " (" +
           usd_text(best.total_cost_usd) + " with researcher time), the best by " +
           std::string(campaign::to_string(v.constraints.objective)) + " of those that meet " +
           (v.constraints.deadline_hours || v.constraints.budget_usd ? "the deadline and the budget" : "no constraint set") + ".";
  }
  std::string out = "No candidate meets both the deadline and the budget.";
  if (const auto* f = campaign::fastest_within(v.options, v.constraints.budget_usd)) out += " Fastest within the budget: " + brief(*f) + ".";
  if (const auto* c = campaign::cheapest_within(v.options, v.constraints.deadline_hours)) out += " Cheapest within the deadline: " + brief(*c) + ".";
  return out;
}

std::vector<Answer> seed_answers(const AdviceView& v) {
  std::vector<Answer> out;
  std::vector<std::string> phases;
  for (const auto& stage : v.stages) {
    const auto* fast = campaign::fastest_stage(v.options, stage);
    const auto* cheap = campaign::cheapest_stage(v.options, stage);
    if (fast == nullptr) continue;
    std::string line = stage + ": fastest " + label(*fast);
    for (const auto& s : fast->stages) {
      if (s.name == stage) line += " (" + hours_text(s.hours) + ")";
    }
    if (cheap != nullptr) {
      for (const auto& s : cheap->stages) {
        if (s.name == stage) line += ", cheapest " + label(*cheap) + " (" + usd_text(s.cost_usd) + ", " + hours_text(s.hours) + ")";
      }
    }
    phases.push_back(line);
  }
  out.push_back({"Which GPU for each research phase (5.1)?", join(phases, "; ")});
  std::vector<std::string> budgets;
  for (double b : {500.0, 1000.0}) {
    const auto* f = campaign::fastest_within(v.options, b);
    int fit = 0;
    for (const auto& o : v.options) fit += o.ok() && o.cost_usd && *o.cost_usd <= b ? 1 : 0;
    budgets.push_back("under " + usd_text(b) + " (" + std::to_string(fit) + " candidates): " +
                      (f != nullptr ? brief(*f) : std::string("none")));
  }
  if (const auto* f = campaign::fastest_within(v.options, std::nullopt)) budgets.push_back("any budget: " + brief(*f));
  out.push_back({"Which GPU for each budget (5.2)?", "the fastest candidate whose compute cost fits: " + join(budgets, "; ")});
  int in_week = 0;
  for (const auto& o : v.options) in_week += o.ok() && o.wall_hours <= kOneWeekHours ? 1 : 0;
  const auto* cheap_week = campaign::cheapest_within(v.options, kOneWeekHours);
  out.push_back({"A competition with a one-week deadline (5.3)?",
                 std::to_string(in_week) + " candidates finish the campaign within 168 h" +
                     (cheap_week != nullptr ? "; the cheapest of them is " + brief(*cheap_week) : std::string()) +
                     (campaign::fastest_within(v.options, std::nullopt) != nullptr
                          ? "; the fastest is " + brief(*campaign::fastest_within(v.options, std::nullopt))
                          : std::string())});
  if (v.buy_rent) {
    const campaign::BuyRent& b = *v.buy_rent;
    std::string a = "owning " + b.node + " costs " + usd_text(b.purchase_usd) + " up front and " + usd_text(b.electricity_usd) +
                    " of electricity per campaign; renting the same GPUs costs " +
                    usd_text(b.rows.empty() ? std::nullopt : std::optional<double>(b.rows.front().rented_usd)) + " per campaign";
    a += b.break_even_per_year ? "; owning is cheaper from " + fixed(*b.break_even_per_year, 1) + " campaigns a year on"
                               : "; renting stays cheaper than the electricity alone";
    out.push_back({"Buy or rent?", a});
  }
  return out;
}

std::string advice_text(const AdviceView& v) {
  std::ostringstream out;
  out << v.title << " (" << v.file << ")\n";
  out << v.options.size() << " candidates (" << v.acquisition << "), " << v.simulations << " simulations, " << v.replay
      << " replay; " << constraints_text(v.constraints) << "\n\n";
  Table t({"rank", "platform", "GPUs", "wall h", "cost", "total", "kWh", "CO2 kg", "bottleneck", "frontier", "deadline",
           "budget"},
          {Table::Align::right, Table::Align::left, Table::Align::right, Table::Align::right, Table::Align::right,
           Table::Align::right, Table::Align::right, Table::Align::right, Table::Align::left, Table::Align::left,
           Table::Align::left, Table::Align::left});
  for (const auto& o : v.options) {
    if (!o.ok()) {
      t.add({std::to_string(o.rank), label(o), std::to_string(o.gpus), "-", "-", "-", "-", "-", "error: " + o.error, "", "", ""});
      continue;
    }
    const auto short_fixed = [](double x) { return fixed(x, x < 10 ? 2 : 1); };
    t.add({std::to_string(o.rank), label(o), std::to_string(o.gpus), short_fixed(o.wall_hours), usd_text(o.cost_usd),
           usd_text(o.total_cost_usd), short_fixed(o.kwh), short_fixed(o.co2_kg), std::string(campaign::to_string(o.bottleneck)),
           o.pareto ? "*" : "", v.constraints.deadline_hours ? (o.meets_deadline ? "yes" : "no") : "",
           v.constraints.budget_usd ? (o.meets_budget ? "yes" : "no") : ""});
  }
  out << t.render();
  out << "\ncost: GPU-hours x price (rent) or amortised purchase + electricity (bought); total: cost + researcher waiting time;\n"
         "frontier (*): no other candidate is both faster and cheaper in total.\n";
  out << "\nrecommendation: " << recommendation_text(v) << "\n";
  out << "\nThe seed report's questions (Part 5), from these numbers:\n";
  for (const auto& a : seed_answers(v)) out << "- " << a.question << " " << a.answer << "\n";
  out << "\nBuy or rent:\n";
  if (v.buy_rent) {
    const campaign::BuyRent& b = *v.buy_rent;
    out << "  " << b.node << ": " << b.gpus << " x " << b.gpu << ", purchase " << usd_text(b.purchase_usd) << ", this campaign "
        << hours_text(b.wall_hours) << ", " << fixed(b.gpu_hours, 1) << " GPU-h, electricity and cooling " << usd_text(b.electricity_usd)
        << "\n";
    Table bt({"campaigns a year", "owned per campaign", "rented (on demand)", "rented (spot)", "fits in a year"},
             {Table::Align::right, Table::Align::right, Table::Align::right, Table::Align::right, Table::Align::left});
    for (const auto& r : b.rows) {
      bt.add({std::to_string(r.campaigns_per_year), usd_text(r.owned_usd), usd_text(r.rented_usd), usd_text(r.rented_spot_usd),
              r.fits_in_a_year ? "yes" : "no"});
    }
    out << bt.render("  ");
    out << "  break-even: "
        << (b.break_even_per_year ? fixed(*b.break_even_per_year, 1) + " campaigns a year" : std::string("never")) << "\n";
  } else {
    out << "  " << v.buy_rent_note << "\n";
  }
  out << "\nSources:\n";
  for (const auto& [what, source] : v.sources) out << "- " << what << ": " << source << "\n";
  return out.str();
}

Json advice_json(const AdviceView& v) {
  Json j = Json::object();
  j["campaign"] = v.campaign;
  j["file"] = v.file;
  j["replay"] = v.replay;
  j["acquisition"] = v.acquisition;
  j["objective"] = std::string(campaign::to_string(v.constraints.objective));
  j["deadline_hours"] = v.constraints.deadline_hours;
  j["budget_usd"] = v.constraints.budget_usd;
  j["simulations"] = v.simulations;
  j["wall_s"] = v.wall_s;
  j["cpu_s"] = v.cpu_s;
  Json list = Json::array();
  for (const auto& o : v.options) list.push_back(option_json(o));
  j["candidates"] = list;
  Json rec = Json::object();
  const bool met = !v.options.empty() && v.options.front().ok() && v.options.front().meets_deadline && v.options.front().meets_budget;
  rec["platform"] = met ? Json(v.options.front().name) : Json();
  rec["acquisition"] = met ? Json(v.options.front().acquisition) : Json();
  rec["text"] = recommendation_text(v);
  j["recommendation"] = rec;
  Json answers = Json::array();
  for (const auto& a : seed_answers(v)) {
    Json x = Json::object();
    x["question"] = a.question;
    x["answer"] = a.answer;
    answers.push_back(x);
  }
  j["answers"] = answers;
  if (v.buy_rent) {
    const campaign::BuyRent& b = *v.buy_rent;
    Json br = Json::object();
    br["platform"] = b.node;
    br["purchase_usd"] = b.purchase_usd;
    br["electricity_usd"] = b.electricity_usd;
    br["break_even_campaigns_per_year"] = b.break_even_per_year;
    Json rows = Json::array();
    for (const auto& r : b.rows) {
      Json x = Json::object();
      x["campaigns_per_year"] = r.campaigns_per_year;
      x["owned_usd"] = r.owned_usd;
      x["rented_usd"] = r.rented_usd;
      x["rented_spot_usd"] = r.rented_spot_usd;
      x["fits_in_a_year"] = r.fits_in_a_year;
      rows.push_back(x);
    }
    br["per_year"] = rows;
    j["buy_or_rent"] = br;
  } else {
    j["buy_or_rent"] = Json();
  }
  Json sources = Json::array();
  for (const auto& [what, source] : v.sources) {
    Json x = Json::object();
    x["figure"] = what;
    x["source"] = source;
    sources.push_back(x);
  }
  j["sources"] = sources;
  return j;
}

}  // namespace trainsim::io
