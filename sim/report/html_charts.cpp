#include "sim/report/html_charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "sim/report/html_report.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr std::array<const char*, 8> kPalette{"#4472c4", "#ed7d31", "#70ad47", "#ffc000", "#5b9bd5", "#a5a5a5", "#9e480e", "#264478"};

std::string num(double v) { return fixed(v, 1); }

// A log axis over [lo, hi] (padded to whole decades' halves) onto [a, b] pixels.
struct LogAxis {
  double lo = 1, hi = 10, a = 0, b = 1;
  [[nodiscard]] double at(double v) const { return a + (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * (b - a); }
};

LogAxis log_axis(double min, double max, double a, double b) {
  min = std::max(min, 1e-6);
  max = std::max(max, min * 1.01);
  return {std::pow(10, std::floor(std::log10(min))), std::pow(10, std::ceil(std::log10(max))), a, b};
}

std::string text_at(double x, double y, const std::string& s, const char* anchor = "start") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" + html_escape(s) + "</text>";
}

std::string decade_label(double v, bool usd) {
  std::string s = v >= 1 ? fixed(v, 0) : format_double(v);
  return usd ? "$" + s : s + " h";
}

}  // namespace

std::string pareto_svg(const AdviceView& v) {
  std::vector<const campaign::Option*> pts;
  for (const auto& o : v.options) {
    if (o.ok() && o.total_cost_usd && *o.total_cost_usd > 0 && o.wall_hours > 0) pts.push_back(&o);
  }
  const double w = 1000, h = 420, left = 70, right = 20, top = 20, bottom = 40;
  std::ostringstream s;
  s << "<svg width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " " << h
    << "\" role=\"img\" aria-label=\"Pareto chart\">\n";
  if (pts.empty()) return s.str() + text_at(left, top + 20, "no candidate with a cost to plot") + "</svg>\n";
  double xmin = pts[0]->wall_hours, xmax = xmin, ymin = *pts[0]->total_cost_usd, ymax = ymin;
  for (const auto* p : pts) {
    xmin = std::min(xmin, p->wall_hours);
    xmax = std::max(xmax, p->wall_hours);
    ymin = std::min(ymin, *p->total_cost_usd);
    ymax = std::max(ymax, *p->total_cost_usd);
  }
  if (v.constraints.deadline_hours) xmax = std::max(xmax, *v.constraints.deadline_hours);
  const LogAxis x = log_axis(xmin, xmax, left, w - right);
  const LogAxis y = log_axis(ymin, ymax, h - bottom, top);
  s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w - left - right << "\" height=\"" << h - top - bottom
    << "\" fill=\"#fbfcfe\" stroke=\"#c9cfda\"/>\n";
  for (double d = x.lo; d <= x.hi * 1.0001; d *= 10) {
    s << "<line x1=\"" << num(x.at(d)) << "\" x2=\"" << num(x.at(d)) << "\" y1=\"" << top << "\" y2=\"" << h - bottom
      << "\" stroke=\"#e3e7ee\"/>" << text_at(x.at(d), h - bottom + 15, decade_label(d, false), "middle") << "\n";
  }
  for (double d = y.lo; d <= y.hi * 1.0001; d *= 10) {
    s << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\"" << num(y.at(d)) << "\" y2=\"" << num(y.at(d))
      << "\" stroke=\"#e3e7ee\"/>" << text_at(left - 6, y.at(d) + 4, decade_label(d, true), "end") << "\n";
  }
  s << text_at((left + w - right) / 2, h - 6, "wall time of the campaign (hours)", "middle")
    << "<text transform=\"translate(14," << num((top + h - bottom) / 2) << ") rotate(-90)\" text-anchor=\"middle\">total cost (USD, with researcher time)</text>\n";
  if (v.constraints.deadline_hours) {
    const double dx = x.at(*v.constraints.deadline_hours);
    s << "<line x1=\"" << num(dx) << "\" x2=\"" << num(dx) << "\" y1=\"" << top << "\" y2=\"" << h - bottom
      << "\" stroke=\"#b03a2e\" stroke-dasharray=\"6 4\"/>" << text_at(dx + 4, top + 14, "deadline") << "\n";
  }
  std::vector<const campaign::Option*> front;
  for (const auto* p : pts) {
    if (p->pareto) front.push_back(p);
  }
  std::sort(front.begin(), front.end(), [](const auto* a, const auto* b) { return a->wall_hours < b->wall_hours; });
  if (front.size() > 1) {
    s << "<polyline fill=\"none\" stroke=\"#2e8b57\" stroke-width=\"1.5\" points=\"";
    for (const auto* p : front) s << num(x.at(p->wall_hours)) << "," << num(y.at(*p->total_cost_usd)) << " ";
    s << "\"/>\n";
  }
  for (const auto* p : pts) {
    s << "<circle cx=\"" << num(x.at(p->wall_hours)) << "\" cy=\"" << num(y.at(*p->total_cost_usd)) << "\" r=\""
      << (p->pareto ? 5 : 3.5) << "\" fill=\"" << (p->pareto ? "#2e8b57" : "#ffffff") << "\" stroke=\""
      << (p->pareto ? "#1f5f3b" : "#4472c4") << "\"><title>" << html_escape(p->name) << ": " << fixed(p->wall_hours, 1) << " h, "
      << html_escape(usd_text(p->total_cost_usd)) << "</title></circle>\n";
  }
  // Frontier points often crowd together: each label sits up and to the right of its point, one
  // line higher than the previous one, joined to its point by a thin line.
  for (std::size_t i = 0; i < front.size(); ++i) {
    const auto* p = front[i];
    const double px = x.at(p->wall_hours), py = y.at(*p->total_cost_usd);
    const double lx = px + 14, ly = std::max(top + 12, py - 16 - 15 * static_cast<double>(i));
    s << "<line x1=\"" << num(px) << "\" y1=\"" << num(py) << "\" x2=\"" << num(lx - 2) << "\" y2=\"" << num(ly - 4)
      << "\" stroke=\"#8a94a6\" stroke-width=\"0.6\"/>" << text_at(lx, ly, p->name) << "\n";
  }
  s << "</svg>\n";
  return s.str();
}

std::string gantt_svg(const PlatformView& p) {
  const auto& t = p.timeline;
  const double w = 1000, row = 22, left = 130, right = 20, top = 24;
  const double h = top + row * static_cast<double>(t.stages.size()) + 30;
  const double span = std::max(t.makespan, 1.0);
  const auto px = [&](double sec) { return left + sec / span * (w - left - right); };
  std::ostringstream s;
  s << "<svg width=\"" << w << "\" height=\"" << num(h) << "\" viewBox=\"0 0 " << w << " "
    << num(h) << "\" role=\"img\" aria-label=\"stage Gantt chart\">\n";
  s << text_at(4, 15, p.name + ": " + hours_text(t.makespan / 3600) + " in all") << "\n";
  for (std::size_t i = 0; i < t.stages.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    s << text_at(left - 6, y + 15, t.stages[i].name, "end") << "<line x1=\"" << left << "\" x2=\"" << w - right << "\" y1=\""
      << num(y + row) << "\" y2=\"" << num(y + row) << "\" stroke=\"#eef0f4\"/>\n";
  }
  for (const auto& r : t.runs) {
    const double y = top + row * r.stage + 3;
    const double x0 = px(r.placed.start), x1 = std::max(px(r.placed.end), x0 + 1.0);
    s << "<rect x=\"" << num(x0) << "\" y=\"" << num(y) << "\" width=\"" << num(x1 - x0) << "\" height=\"" << row - 6
      << "\" fill=\"" << kPalette[static_cast<std::size_t>(r.stage) % kPalette.size()] << "\" fill-opacity=\"0.75\" stroke=\"#ffffff\""
      << " stroke-width=\"0.5\"/>\n";
  }
  const double axis_y = top + row * static_cast<double>(t.stages.size()) + 14;
  for (int k = 0; k <= 4; ++k) {
    const double sec = span * k / 4;
    s << text_at(px(sec), axis_y, fixed(sec / 3600, 1) + " h", "middle");
  }
  s << "\n</svg>\n";
  return s.str();
}

std::string bars_svg(const AdviceView& v, std::size_t max_options) {
  std::vector<const campaign::Option*> shown;
  for (const auto& o : v.options) {
    if (o.ok() && shown.size() < max_options) shown.push_back(&o);
  }
  const double w = 1000, row = 18, label_w = 190, top = 22;
  const double col = (w - label_w) / 3;
  const double h = top + row * static_cast<double>(shown.size()) + 10;
  std::ostringstream s;
  s << "<svg width=\"" << w << "\" height=\"" << num(h) << "\" viewBox=\"0 0 " << w << " "
    << num(h) << "\" role=\"img\" aria-label=\"cost, energy and CO2\">\n";
  const std::array<const char*, 3> titles{"cost (USD)", "energy (kWh)", "CO2 (kg)"};
  std::array<double, 3> maxima{1e-9, 1e-9, 1e-9};
  for (const auto* o : shown) {
    maxima[0] = std::max(maxima[0], o->cost_usd.value_or(0));
    maxima[1] = std::max(maxima[1], o->kwh);
    maxima[2] = std::max(maxima[2], o->co2_kg);
  }
  for (std::size_t c = 0; c < 3; ++c) s << text_at(label_w + col * static_cast<double>(c), 14, titles[c]);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto* o = shown[i];
    const double y = top + row * static_cast<double>(i);
    s << text_at(label_w - 8, y + 13, (o->acquisition == "buy" ? o->name + " (bought)" : o->name), "end");
    const std::array<std::optional<double>, 3> values{o->cost_usd, o->kwh, o->co2_kg};
    const std::array<std::string, 3> labels{usd_text(o->cost_usd), fixed(o->kwh, 1), fixed(o->co2_kg, 1)};
    for (std::size_t c = 0; c < 3; ++c) {
      const double x0 = label_w + col * static_cast<double>(c);
      const double len = values[c] ? *values[c] / maxima[c] * (col - 70) : 0;
      s << "<rect x=\"" << num(x0) << "\" y=\"" << num(y + 3) << "\" width=\"" << num(std::max(len, 0.5)) << "\" height=\"" << row - 6
        << "\" fill=\"" << kPalette[c] << "\"/>" << text_at(x0 + len + 4, y + 13, labels[c]) << "\n";
    }
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace trainsim::io
