#include "sim/input/dataset_io.hpp"

#include "sim/input/catalog_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

std::map<std::string, DatasetSpec> parse_dataset_presets(const std::string& text, const std::string& file) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a map of datasets by name");
  std::map<std::string, DatasetSpec> out;
  for (const auto& name : root.keys()) {
    const YNode n = root.get(name);
    n.expect_map("a dataset: images, mean_megapixels, mean_bytes, mean_text_instances");
    n.allow_only({"description", "images", "mean_megapixels", "mean_bytes", "mean_text_instances", "style"});
    DatasetSpec d;
    d.name = name;
    d.images = n.require("images", "a number of images").as_int(1, 10'000'000'000LL, "1 to 10^10 images");
    d.mean_megapixels = n.require("mean_megapixels", "megapixels").as_double(0.001, 1000, "megapixels per image, 0.001 to 1000");
    d.mean_bytes = n.require("mean_bytes", "bytes").as_double(1, 1e10, "bytes per stored image, 1 to 10^10");
    d.mean_text_instances = n.require("mean_text_instances", "text instances").as_double(0, 1e5, "0 to 10^5 instances");
    if (n.get("style").defined()) (void)n.get("style").as_enum({"scene", "document"});
    out[name] = d;
  }
  return out;
}

const std::map<std::string, DatasetSpec>& dataset_presets() {
  static const std::map<std::string, DatasetSpec> presets = [] {
    const std::string path = data_dir() + "/platforms/datasets.yaml";
    return parse_dataset_presets(read_text_file(path, "the dataset file"), path);
  }();
  return presets;
}

}  // namespace trainsim::io
