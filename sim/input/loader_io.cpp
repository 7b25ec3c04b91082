#include "sim/input/loader_io.hpp"

#include "sim/input/catalog_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

namespace {

// The block bench/db_pipeline.py writes: fitted coefficients and the grid they were fitted to.
DetectionCosts parse_detection_costs(const YNode& d) {
  d.expect_map("a map of DBNet pipeline costs (bench/db_pipeline.py writes it)");
  const std::vector<std::pair<const char*, double DetectionCosts::*>> keys = {
      {"decode_s_per_stored_megapixel", &DetectionCosts::decode_s_per_stored_megapixel},
      {"augment_s_per_stored_megapixel", &DetectionCosts::augment_s_per_stored_megapixel},
      {"augment_s_per_output_megapixel", &DetectionCosts::augment_s_per_output_megapixel},
      {"augment_s_per_sample", &DetectionCosts::augment_s_per_sample},
      {"label_maps_s_per_output_megapixel", &DetectionCosts::label_maps_s_per_output_megapixel},
      {"label_maps_s_per_instance", &DetectionCosts::label_maps_s_per_instance},
      {"label_maps_s_per_instance_output_megapixel", &DetectionCosts::label_maps_s_per_instance_output_megapixel},
      {"collate_s_per_output_megapixel", &DetectionCosts::collate_s_per_output_megapixel},
      {"postprocess_s_per_output_megapixel", &DetectionCosts::postprocess_s_per_output_megapixel},
      {"postprocess_s_per_instance", &DetectionCosts::postprocess_s_per_instance},
      {"postprocess_s_per_instance_output_megapixel", &DetectionCosts::postprocess_s_per_instance_output_megapixel},
      {"hmean_s_per_instance", &DetectionCosts::hmean_s_per_instance},
      {"hmean_s_per_instance_squared", &DetectionCosts::hmean_s_per_instance_squared}};
  std::vector<std::string> allowed = {"measured_on", "grid"};
  for (const auto& k : keys) allowed.emplace_back(k.first);
  d.allow_only(allowed);
  DetectionCosts c;
  c.measured = true;
  c.measured_on = d.require("measured_on", "where and how it was measured").as_string();
  for (const auto& [key, field] : keys) c.*field = d.require(key, "seconds").as_double(0, 100, "seconds, 0 to 100");
  if (const YNode g = d.get("grid"); g.defined() && !g.is_seq()) throw g.error("a list of measured grid points");
  return c;
}

}  // namespace

LoaderCosts parse_loader_costs(const std::string& text, const std::string& file) {
  const YNode n = YNode::parse(text, file);
  n.expect_map("a map of data-loader costs");
  n.allow_only({"measured_on", "decode_s_per_megapixel", "augment_s_per_output_megapixel", "copy_gbps", "per_sample_s",
                "db_pipeline"});
  LoaderCosts c;
  c.measured_on = n.require("measured_on", "where and how it was measured").as_string();
  c.decode_s_per_megapixel = n.require("decode_s_per_megapixel", "seconds").as_double(0, 10, "seconds per MP, 0 to 10");
  c.augment_s_per_output_megapixel =
      n.require("augment_s_per_output_megapixel", "seconds").as_double(0, 10, "seconds per MP, 0 to 10");
  c.copy_gbps = n.require("copy_gbps", "GB/s").as_double(0.001, 1e4, "GB/s > 0");
  c.per_sample_s = n.require("per_sample_s", "seconds").as_double(0, 100, "seconds, 0 to 100");
  if (const YNode d = n.get("db_pipeline"); d.defined()) c.detection = parse_detection_costs(d);
  return c;
}

const LoaderCosts& default_loader_costs() {
  static const LoaderCosts c = [] {
    const std::string path = data_dir() + "/platforms/dataloader.yaml";
    return parse_loader_costs(read_text_file(path, "the data-loader cost file"), path);
  }();
  return c;
}

}  // namespace trainsim::io
