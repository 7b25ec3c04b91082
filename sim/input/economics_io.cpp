#include "sim/input/economics_io.hpp"

#include "sim/input/catalog_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

campaign::Economics parse_economics_defaults(const std::string& text, const std::string& file) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a map with carbon, host, researcher_usd_per_hour");
  root.allow_only({"carbon", "host", "researcher_usd_per_hour"});
  campaign::Economics e;
  const YNode carbon = root.require("carbon", "{kg_per_kwh, source}");
  carbon.expect_map("{kg_per_kwh, source}");
  carbon.allow_only({"kg_per_kwh", "source"});
  e.carbon_kg_per_kwh = carbon.require("kg_per_kwh", "kg CO2 per kWh").as_double(0, 5, "kg CO2 per kWh, 0 to 5");
  e.carbon_source = carbon.require("source", "where the figure comes from").as_string();
  const YNode host = root.require("host", "{w_per_core, w_per_socket, rationale}");
  host.expect_map("{w_per_core, w_per_socket, rationale}");
  host.allow_only({"w_per_core", "w_per_socket", "rationale"});
  e.host_w_per_core = host.require("w_per_core", "watts per core").as_double(0, 100, "watts per core, 0 to 100");
  e.host_w_per_socket = host.require("w_per_socket", "watts per socket").as_double(0, 2000, "watts per socket, 0 to 2000");
  e.host_source = host.require("rationale", "why these figures").as_string();
  e.researcher_usd_per_hour =
      root.require("researcher_usd_per_hour", "USD per hour").as_double(0, 1e6, "USD per hour, 0 or more");
  return e;
}

const campaign::Economics& default_economics() {
  static const campaign::Economics e = [] {
    const std::string path = data_dir() + "/platforms/economics.yaml";
    return parse_economics_defaults(read_text_file(path, "the economics defaults"), path);
  }();
  return e;
}

}  // namespace trainsim::io
