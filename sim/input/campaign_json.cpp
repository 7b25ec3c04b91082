#include "sim/input/campaign_json.hpp"

#include <yaml-cpp/yaml.h>

#include <limits>

#include "sim/util/error.hpp"

namespace trainsim::io {

CampaignTotals parse_campaign_json(const std::string& text) {
  try {
    const YAML::Node list = YAML::Load(text);
    if (!list.IsSequence() || list.size() == 0 || !list[0].IsMap()) throw RuntimeError("not a list of platforms");
    const YAML::Node p = list[0];
    const auto real = [&](const char* key) {
      const YAML::Node v = p[key];
      if (!v.IsDefined()) throw RuntimeError(std::string("no ") + key);
      return v.IsNull() ? std::numeric_limits<double>::quiet_NaN() : v.as<double>();
    };
    CampaignTotals t;
    t.platform = p["platform"].as<std::string>();
    t.gpu = p["gpu"].as<std::string>();
    t.gpus = p["gpus"].as<long long>();
    t.wall_hours = real("total_wall_hours");
    t.gpu_hours = real("gpu_hours");
    t.cost_usd = real("cost_usd");
    t.researcher_cost_usd = real("researcher_cost_usd");
    t.energy_kwh = real("energy_kwh");
    t.co2_kg = real("co2_kg");
    t.idle_gpu_hours = real("idle_gpu_hours");
    t.runs = p["runs"].as<long long>();
    t.simulated = p["simulated"].as<long long>();
    return t;
  } catch (const YAML::Exception& e) {
    throw RuntimeError(std::string("not the output of trainsim campaign --json: ") + e.what());
  } catch (const RuntimeError& e) {
    throw RuntimeError(std::string("not the output of trainsim campaign --json: ") + e.what());
  }
}

}  // namespace trainsim::io
