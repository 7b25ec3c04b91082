#include "sim/input/report_io.hpp"

#include "sim/input/node_io.hpp"
#include "sim/input/yaml.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

const std::string kFigure = "[value, line]: a number and the line of the report it is on";

campaign::Figure figure(const YNode& n) {
  if (!n.is_seq() || n.size() != 2) throw n.error(kFigure);
  return {n.at(0).as_double(-1e12, 1e12, kFigure), static_cast<int>(n.at(1).as_int(1, 1'000'000, "a line number"))};
}

std::optional<campaign::Figure> optional_figure(const YNode& map, const std::string& key) {
  const YNode n = map.get(key);
  if (!n.defined()) return std::nullopt;
  return figure(n);
}

campaign::ReportPlatform parse_platform(const YNode& n, std::size_t stages, const Catalog& catalog) {
  n.expect_map("a platform of the report: node, label, gpu, gpus, figures");
  n.allow_only({"node", "label", "gpu", "gpus", "stage_hours", "total_hours", "usd_per_gpu_hour", "cost_usd", "energy_kwh",
                "co2_kg", "scaling", "batch", "images_per_s", "purchase_usd", "price_is_depreciation", "specs", "spec_note"});
  campaign::ReportPlatform p;
  p.node = n.require("node", "the node preset trainsim simulates for it").as_string();
  (void)node_file_path(p.node, n.get("node").where(), n.get("node").path());
  p.label = n.require("label", "the report's name for it").as_string();
  p.gpu = n.require("gpu", "a GPU of the catalog").as_string();
  (void)catalog.gpu(p.gpu, n.get("gpu").where(), n.get("gpu").path());
  if (n.get("gpus").defined()) p.gpus = static_cast<int>(n.get("gpus").as_int(1, 1024, "1 GPU or more"));
  if (const YNode h = n.get("stage_hours"); h.defined()) {
    if (!h.is_seq() || h.size() != stages) throw h.error("one [hours, line] per stage of `stages` (" + std::to_string(stages) + ")");
    for (const YNode& item : h.items(kFigure)) {
      p.stage_hours.push_back(item.raw().IsNull() ? std::nullopt : std::optional(figure(item)));
    }
  }
  p.total_hours = optional_figure(n, "total_hours");
  p.usd_per_gpu_hour = optional_figure(n, "usd_per_gpu_hour");
  p.cost_usd = optional_figure(n, "cost_usd");
  p.energy_kwh = optional_figure(n, "energy_kwh");
  p.co2_kg = optional_figure(n, "co2_kg");
  p.scaling = optional_figure(n, "scaling");
  p.batch = optional_figure(n, "batch");
  p.images_per_s = optional_figure(n, "images_per_s");
  p.purchase_usd = optional_figure(n, "purchase_usd");
  if (n.get("price_is_depreciation").defined()) p.price_is_depreciation = n.get("price_is_depreciation").as_bool();
  if (const YNode s = n.get("specs"); s.defined()) {
    s.expect_map("a map of fp16_tflops, memory_gb, memory_bandwidth_gbps, tdp_w to [value, line]");
    s.allow_only({"fp16_tflops", "fp32_tflops", "memory_gb", "memory_bandwidth_gbps", "tdp_w"});
    for (const std::string& field : s.keys()) p.specs.push_back({field, figure(s.get(field))});
  }
  if (n.get("spec_note").defined()) p.spec_note = n.get("spec_note").as_string();
  return p;
}

}  // namespace

campaign::ReportData parse_report_text(const std::string& text, const std::string& file, const Catalog& catalog) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a report's figures: report, stages, carbon_kg_per_kwh, researcher_usd_per_hour, platforms, epochs");
  root.allow_only({"report", "title", "stages", "carbon_kg_per_kwh", "researcher_usd_per_hour", "platforms", "epochs"});
  campaign::ReportData r;
  r.file = root.require("report", "the report's file").as_string();
  if (root.get("title").defined()) r.title = root.get("title").as_string();
  for (const YNode& s : root.require("stages", "the campaign's stage names in the report's order").items("a list of stage names")) {
    r.stages.push_back(s.as_string());
  }
  r.carbon_kg_per_kwh = figure(root.require("carbon_kg_per_kwh", kFigure));
  r.researcher_usd_per_hour = figure(root.require("researcher_usd_per_hour", kFigure));
  for (const YNode& p : root.require("platforms", "a list of platforms").items("a list of platforms")) {
    r.platforms.push_back(parse_platform(p, r.stages.size(), catalog));
  }
  if (r.platforms.empty()) throw root.get("platforms").error("one platform or more (the first is the baseline)");
  if (const YNode e = root.get("epochs"); e.defined()) {
    for (const YNode& item : e.items("a list of epoch claims")) {
      item.expect_map("{label, iteration_ms, iterations, stated_minutes}");
      item.allow_only({"label", "iteration_ms", "iterations", "stated_minutes"});
      r.epochs.push_back({item.require("label", "a label").as_string(), figure(item.require("iteration_ms", kFigure)),
                          figure(item.require("iterations", kFigure)), figure(item.require("stated_minutes", kFigure))});
    }
  }
  return r;
}

campaign::ReportData load_report(const std::string& path, const Catalog& catalog) {
  return parse_report_text(read_text_file(path, "a report data file"), path, catalog);
}

}  // namespace trainsim::io
