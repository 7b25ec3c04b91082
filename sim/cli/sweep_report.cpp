#include "sim/cli/sweep_report.hpp"

#include <cmath>
#include <cstdint>
#include <sstream>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

Json cell(const io::ColumnValues& values, std::size_t row) {
  return std::visit(
      [&](const auto& v) -> Json {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, bool>) {
          return Json(static_cast<bool>(v[row]));
        } else {
          return Json(v[row]);
        }
      },
      values);
}

std::string text_cell(const io::ColumnValues& values, std::size_t row) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          return v[row];
        } else if constexpr (std::is_same_v<T, bool>) {
          return v[row] ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          return std::isnan(v[row]) ? "-" : format_double(v[row]);
        } else {
          return std::to_string(v[row]);
        }
      },
      values);
}

double number(const io::ColumnTable& t, const std::string& column, std::size_t row) {
  const io::Column* c = t.find(column);
  return c == nullptr ? std::nan("") : std::get<std::vector<double>>(c->values)[row];
}

std::string status_of(const io::ColumnTable& t, std::size_t row) {
  return std::get<std::vector<std::string>>(t.find("status")->values)[row];
}

std::string seconds(double s) {
  if (std::isnan(s)) return "-";
  if (s < 120) return fixed(s, 2) + " s";
  if (s < 7200) return fixed(s / 60, 1) + " min";
  return fixed(s / 3600, 2) + " h";
}

}  // namespace

Json sweep_json(const SweepRun& run, const io::ColumnTable& table) {
  Json j = Json::object();
  j["sweep_id"] = run.sweep_id;
  j["points"] = run.points_total;
  j["shard"] = std::to_string(run.shard_index) + "/" + std::to_string(run.shard_count);
  long long ok = 0;
  for (std::size_t r = 0; r < table.rows(); ++r) ok += status_of(table, r) == "ok" ? 1 : 0;
  j["ok"] = ok;
  j["failed"] = static_cast<long long>(table.rows()) - ok;
  j["resumed"] = run.resumed;
  j["wall_s"] = run.wall_s;
  Json rows = Json::array();
  for (std::size_t r = 0; r < table.rows(); ++r) {
    Json row = Json::object();
    for (const auto& c : table.columns()) row[c.name] = cell(c.values, r);
    rows.push_back(row);
  }
  j["rows"] = rows;
  return j;
}

std::string sweep_text(const SweepRun& run, const std::vector<std::string>& axes, const io::ColumnTable& table) {
  std::vector<std::string> header{"point"};
  std::vector<io::Table::Align> align{io::Table::Align::right};
  for (const auto& a : axes) {
    header.push_back(a);
    align.push_back(io::Table::Align::left);
  }
  const bool campaign = table.find("wall_hours") != nullptr;  // a sweep over a campaign
  const std::vector<std::string> metrics = campaign ? std::vector<std::string>{"status", "hours", "GPU-h", "cost", "kWh", "CO2 kg"}
                                                    : std::vector<std::string>{"status", "images/s", "epoch", "run"};
  for (const std::string& h : metrics) {
    header.push_back(h);
    align.push_back(h == "status" ? io::Table::Align::left : io::Table::Align::right);
  }
  io::Table t(header, align);
  std::ostringstream errors;
  long long ok = 0;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    std::vector<std::string> row{text_cell(table.find("point")->values, r)};
    for (const auto& a : axes) row.push_back(text_cell(table.find(a)->values, r));
    const std::string status = status_of(table, r);
    row.push_back(status);
    if (campaign) {
      const auto cell2 = [&](const char* column, int digits, const std::string& prefix) {
        const double v = number(table, column, r);
        return std::isnan(v) ? std::string("-") : prefix + fixed(v, digits);
      };
      row.push_back(cell2("wall_hours", 2, ""));
      row.push_back(cell2("gpu_hours", 2, ""));
      row.push_back(cell2("cost_usd", 2, "$"));
      row.push_back(cell2("energy_kwh", 2, ""));
      row.push_back(cell2("co2_kg", 2, ""));
      t.add(row);
      if (status == "ok") {
        ++ok;
      } else {
        errors << "  point " << text_cell(table.find("point")->values, r) << ": " << status << ": "
               << text_cell(table.find("error")->values, r) << "\n";
      }
      continue;
    }
    const double ips = number(table, "images_per_s", r);
    row.push_back(std::isnan(ips) ? "-" : fixed(ips, 1));
    const double run_ci = number(table, "run_ci_s", r);
    row.push_back(seconds(number(table, "epoch_s", r)));
    row.push_back(seconds(number(table, "run_s", r)) + (run_ci > 0 ? " +/- " + seconds(run_ci) : ""));
    t.add(row);
    if (status == "ok") {
      ++ok;
    } else {
      errors << "  point " << text_cell(table.find("point")->values, r) << ": " << status << ": "
             << text_cell(table.find("error")->values, r) << "\n";
    }
  }
  std::ostringstream o;
  o << "sweep " << run.sweep_id.substr(0, 12) << ": " << table.rows() << " of " << run.points_total << " points"
    << (run.shard_count > 1 ? " (shard " + std::to_string(run.shard_index) + "/" + std::to_string(run.shard_count) + ")" : "")
    << ", " << ok << " ok, " << static_cast<long long>(table.rows()) - ok << " not"
    << (run.resumed > 0 ? " (" + std::to_string(run.resumed) + " from the journal)" : std::string())
    << (run.wall_s > 0 ? ", in " + fixed(run.wall_s, 1) + " s" : std::string()) << "\n\n"
    << t.render("  ");
  if (!errors.str().empty()) o << "\n" << errors.str();
  return o.str();
}

}  // namespace trainsim::cli
