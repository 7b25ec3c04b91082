#include "sim/campaign/report_check.hpp"

#include <cmath>

#include "sim/util/strings.hpp"

namespace trainsim::campaign {

namespace {

constexpr double kSpecTolerance = 0.03;   // rounding in a spec table
constexpr double kSparseRatio = 2.0;      // 2:4 structured sparsity doubles the tensor peak
constexpr double kSumTolerance_h = 1.0;   // the report rounds stage hours to about an hour
constexpr double kSpeedupMismatch = 1.5;  // per-epoch vs total speed-up: more than this apart is a contradiction
constexpr double kCostTolerance = 0.02;

std::string line_ref(const Figure& f) { return "line " + std::to_string(f.line); }

std::optional<double> catalog_value(const GpuSpec& g, const std::string& field) {
  if (field == "fp16_tflops") return g.dense_tflops_of(DataType::fp16);
  if (field == "fp32_tflops") return g.dense_tflops_of(DataType::fp32);
  if (field == "memory_gb") return g.memory_gb;
  if (field == "memory_bandwidth_gbps") return g.memory_bandwidth_gbps;
  if (field == "tdp_w") return g.tdp_w;
  return std::nullopt;
}

std::string field_name(const std::string& field) {
  if (field == "fp16_tflops") return "FP16 tensor TFLOPS";
  if (field == "fp32_tflops") return "FP32 TFLOPS";
  if (field == "memory_gb") return "GB of memory";
  if (field == "memory_bandwidth_gbps") return "GB/s of memory bandwidth";
  if (field == "tdp_w") return "W TDP";
  return field;
}

void check_specs(const ReportData& r, const Catalog& catalog, std::vector<Finding>& out) {
  for (const auto& p : r.platforms) {
    if (p.gpus != 1 || p.specs.empty()) continue;
    const GpuSpec* g = catalog.find_gpu(p.gpu);
    if (g == nullptr) continue;
    std::vector<std::string> wrong;
    for (const auto& c : p.specs) {
      const auto truth = catalog_value(*g, c.field);
      if (!truth || *truth <= 0) continue;
      const double ratio = c.figure.value / *truth;
      if (std::abs(ratio - 1) <= kSpecTolerance) continue;
      std::string w = short_number(c.figure.value) + " " + field_name(c.field) + " (" + line_ref(c.figure) + ") where the catalog has " +
                      short_number(*truth) + " (" + short_number(ratio) + "x)";
      if (c.field == "fp16_tflops" && std::abs(ratio - kSparseRatio) <= kSpecTolerance * kSparseRatio) {
        w += ": the 2:4 sparse peak taken as dense";
      }
      wrong.push_back(w);
    }
    if (wrong.empty()) continue;
    std::string text = p.label + ": " + join(wrong, "; ");
    if (!p.spec_note.empty()) text += ". " + p.spec_note;
    out.push_back({"spec", text});
  }
}

void check_sums(const ReportData& r, std::vector<Finding>& out) {
  for (const auto& p : r.platforms) {
    if (!p.total_hours) continue;
    double sum = 0;
    int n = 0;
    for (const auto& h : p.stage_hours) {
      if (h) {
        sum += h->value;
        ++n;
      }
    }
    if (n != static_cast<int>(r.stages.size()) || n == 0) continue;
    if (std::abs(sum - p.total_hours->value) > kSumTolerance_h) {
      out.push_back({"sum", p.label + ": the stages add up to " + short_number(sum, 1) + " h (lines " +
                                std::to_string(p.stage_hours.front()->line) + "-" + std::to_string(p.stage_hours.back()->line) +
                                "), the total says " + short_number(p.total_hours->value) + " h (" + line_ref(*p.total_hours) + ")"});
    }
  }
}

void check_speedups(const ReportData& r, std::vector<Finding>& out) {
  if (r.platforms.empty()) return;
  const ReportPlatform& base = r.platforms.front();
  if (!base.images_per_s || !base.total_hours) return;
  // The stage with the most hours on the baseline: the one a faster epoch shortens most.
  int big = -1;
  for (std::size_t s = 0; s < base.stage_hours.size(); ++s) {
    if (base.stage_hours[s] && (big < 0 || base.stage_hours[s]->value > base.stage_hours[static_cast<std::size_t>(big)]->value)) {
      big = static_cast<int>(s);
    }
  }
  for (std::size_t i = 1; i < r.platforms.size(); ++i) {
    const ReportPlatform& p = r.platforms[i];
    if (!p.images_per_s || !p.total_hours || p.gpus != base.gpus) continue;
    const double per_epoch = p.images_per_s->value / base.images_per_s->value;
    const double total = base.total_hours->value / p.total_hours->value;
    if (per_epoch / total < kSpeedupMismatch) continue;
    std::string text = p.label + ": " + short_number(p.images_per_s->value) + " images/s against " +
                       short_number(base.images_per_s->value) + " on the " + base.label + " (" + line_ref(*p.images_per_s) +
                       ") is " + short_number(per_epoch, 1) + "x per epoch, but the campaign is only " + short_number(total, 1) +
                       "x shorter (" + short_number(base.total_hours->value) + " h -> " + short_number(p.total_hours->value) +
                       " h, lines " + std::to_string(base.total_hours->line) + ", " + std::to_string(p.total_hours->line) + ")";
    if (big >= 0 && p.stage_hours.size() > static_cast<std::size_t>(big) && p.stage_hours[static_cast<std::size_t>(big)]) {
      const Figure& b = *base.stage_hours[static_cast<std::size_t>(big)];
      const Figure& q = *p.stage_hours[static_cast<std::size_t>(big)];
      text += "; at " + short_number(per_epoch, 1) + "x the " + short_number(b.value) + " h " + r.stages[static_cast<std::size_t>(big)] +
              " stage would take " + short_number(b.value / per_epoch, 1) + " h, not " + short_number(q.value) + " h (" +
              line_ref(q) + ")";
    }
    out.push_back({"speed-up", text});
  }
}

void check_epochs(const ReportData& r, std::vector<Finding>& out) {
  for (const auto& e : r.epochs) {
    const double seconds = e.iteration_ms.value / 1000 * e.iterations.value;
    const double minutes = seconds / 60;
    if (std::abs(e.stated_minutes.value / minutes - 1) <= kSpecTolerance) continue;
    std::string text = e.label + ": " + short_number(e.iteration_ms.value) + " ms x " + short_number(e.iterations.value) +
                       " iterations = " + short_number(seconds, 0) + " s = " + short_number(minutes, 1) + " min, not " +
                       short_number(e.stated_minutes.value) + " min (" + line_ref(e.stated_minutes) + ")";
    if (std::abs(e.stated_minutes.value / seconds - 1) <= kSpecTolerance) text += ": seconds written as minutes";
    out.push_back({"arithmetic", text});
  }
}

void check_costs(const ReportData& r, std::vector<Finding>& out) {
  for (const auto& p : r.platforms) {
    if (p.price_is_depreciation && p.purchase_usd && p.usd_per_gpu_hour && p.usd_per_gpu_hour->value > 0) {
      const double hours = p.purchase_usd->value / p.usd_per_gpu_hour->value;
      out.push_back({"cost", p.label + ": $" + short_number(p.usd_per_gpu_hour->value) + "/GPU-h of depreciation (" +
                                 line_ref(*p.usd_per_gpu_hour) + ") writes the $" + short_number(p.purchase_usd->value) +
                                 " card (" + line_ref(*p.purchase_usd) + ") off in " + short_number(hours, 0) +
                                 " hours of use (" + short_number(hours / 24, 0) + " days around the clock)"});
    }
    if (!p.total_hours || !p.cost_usd) continue;
    const ReportPlatform* one = nullptr;  // the same GPU alone: its price and its campaign cost
    for (const auto& q : r.platforms) {
      if (q.gpu == p.gpu && q.gpus == 1) one = &q;
    }
    const std::optional<Figure> price = p.usd_per_gpu_hour ? p.usd_per_gpu_hour : (one ? one->usd_per_gpu_hour : std::nullopt);
    if (!price) continue;
    const double right = p.total_hours->value * p.gpus * price->value;
    if (std::abs(p.cost_usd->value / right - 1) <= kCostTolerance) continue;
    std::string text = p.label + ": $" + short_number(p.cost_usd->value) + " (" + line_ref(*p.cost_usd) + ")";
    if (p.gpus > 1 && one && one->cost_usd && std::abs(p.cost_usd->value / (p.gpus * one->cost_usd->value) - 1) <= kCostTolerance) {
      text += " is " + std::to_string(p.gpus) + " x the one-GPU campaign's $" + short_number(one->cost_usd->value) +
              ", as if " + std::to_string(p.gpus) + " GPUs were paid for the one-GPU hours";
    }
    text += "; " + short_number(p.total_hours->value) + " h x " + std::to_string(p.gpus) + " GPU x $" + short_number(price->value) +
            "/GPU-h = $" + short_number(right);
    out.push_back({"cost", text});
  }
}

void check_energy(const ReportData& r, const Catalog& catalog, std::vector<Finding>& out) {
  for (const auto& p : r.platforms) {
    if (!p.total_hours || !p.energy_kwh) continue;
    const GpuSpec* g = catalog.find_gpu(p.gpu);
    if (g == nullptr) continue;
    const double tdp_kwh = p.total_hours->value * p.gpus * g->tdp_w / 1000;
    std::string text;
    if (std::abs(p.energy_kwh->value / tdp_kwh - 1) <= kCostTolerance) {
      text = p.label + ": " + short_number(p.energy_kwh->value) + " kWh (" + line_ref(*p.energy_kwh) + ") is TDP x hours (" +
             short_number(g->tdp_w, 0) + " W x " + short_number(p.total_hours->value) +
             " h): every GPU at full power for the whole campaign, and no host";
    } else {
      text = p.label + ": " + short_number(p.energy_kwh->value) + " kWh (" + line_ref(*p.energy_kwh) + ") against TDP x hours = " +
             short_number(tdp_kwh) + " kWh";
    }
    if (p.co2_kg) {
      const double co2 = p.energy_kwh->value * r.carbon_kg_per_kwh.value;
      text += "; CO2 " + short_number(p.co2_kg->value) + " kg (" + line_ref(*p.co2_kg) + ")";
      text += std::abs(p.co2_kg->value / co2 - 1) <= kCostTolerance
                  ? " = kWh x " + short_number(r.carbon_kg_per_kwh.value) + " kg/kWh (" + line_ref(r.carbon_kg_per_kwh) + ")"
                  : " where kWh x " + short_number(r.carbon_kg_per_kwh.value) + " gives " + short_number(co2) + " kg";
    }
    out.push_back({"energy", text});
  }
}

}  // namespace

std::string short_number(double v, int digits) {
  std::string s = fixed(v, digits);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::vector<Finding> check_report(const ReportData& report, const Catalog& catalog) {
  std::vector<Finding> out;
  check_specs(report, catalog, out);
  check_speedups(report, out);
  check_epochs(report, out);
  check_sums(report, out);
  check_costs(report, out);
  check_energy(report, catalog, out);
  return out;
}

std::optional<double> StageCheck::ratio() const {
  if (!report_hours || trainsim_hours <= 0) return std::nullopt;
  return report_hours->value / trainsim_hours;
}

std::optional<double> StageCheck::report_s_per_iteration() const {
  if (!report_hours || iterations <= 0) return std::nullopt;
  return report_hours->value * 3600 / static_cast<double>(iterations);
}

double StageCheck::trainsim_s_per_iteration() const {
  return iterations > 0 ? trainsim_hours * 3600 / static_cast<double>(iterations) : 0.0;
}

}  // namespace trainsim::campaign
