#include "sim/input/loader_io.hpp"

#include "sim/input/catalog_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

LoaderCosts parse_loader_costs(const std::string& text, const std::string& file) {
  const YNode n = YNode::parse(text, file);
  n.expect_map("a map of data-loader costs");
  n.allow_only({"measured_on", "decode_s_per_megapixel", "augment_s_per_output_megapixel", "copy_gbps", "per_sample_s"});
  LoaderCosts c;
  c.measured_on = n.require("measured_on", "where and how it was measured").as_string();
  c.decode_s_per_megapixel = n.require("decode_s_per_megapixel", "seconds").as_double(0, 10, "seconds per MP, 0 to 10");
  c.augment_s_per_output_megapixel =
      n.require("augment_s_per_output_megapixel", "seconds").as_double(0, 10, "seconds per MP, 0 to 10");
  c.copy_gbps = n.require("copy_gbps", "GB/s").as_double(0.001, 1e4, "GB/s > 0");
  c.per_sample_s = n.require("per_sample_s", "seconds").as_double(0, 100, "seconds, 0 to 100");
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
