#include "sim/input/campaign_io.hpp"

#include <algorithm>
#include <cctype>

#include "sim/campaign/stage_graph.hpp"
#include "sim/input/economics_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/yaml.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr long long kMaxRuns = 10000;

const std::vector<std::string>& stage_keys() {
  static const std::vector<std::string> keys{"name", "description", "after", "runs", "placement", "batch_by_gpu",
                                             "seed", "workload", "run", "jitter"};
  return keys;
}

// Stage names become parts of HDF5 group names and run names: keep them plain.
std::string stage_name(const YNode& n) {
  const std::string s = n.as_string("a stage name");
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!plain) throw n.error("a stage name of letters, digits, '-', '_' and '.'");
  return s;
}

void check_scenario_part(const YNode& n, const std::string& what) {
  n.expect_map(what);
  n.allow_only(campaign_scenario_keys());
}

campaign::StageSpec parse_stage(const YNode& n, const Catalog& catalog) {
  n.expect_map("a stage: a map with name, after, runs, placement and scenario keys (workload, run, ...)");
  n.allow_only(stage_keys());
  campaign::StageSpec s;
  s.name = stage_name(n.require("name", "a stage name"));
  s.where = n.get("name").where();
  if (const YNode a = n.get("after"); a.defined()) {
    for (const YNode& item : a.items("a list of stage names, e.g. [baseline]")) {
      s.after.push_back({item.as_string("a stage name"), item.where()});
    }
  }
  if (const YNode r = n.get("runs"); r.defined()) {
    const std::string expected = "a number of runs from 1 to 10000, or a list of per-run overrides";
    if (r.is_seq()) {
      if (r.size() == 0 || r.size() > static_cast<std::size_t>(kMaxRuns)) throw r.error(expected);
      for (const YNode& item : r.items(expected)) check_scenario_part(item, "a per-run override: a map of seed, workload, run, jitter");
      s.runs = static_cast<int>(r.size());
    } else {
      s.runs = static_cast<int>(r.as_int(1, kMaxRuns, expected));
    }
  }
  if (const YNode p = n.get("placement"); p.defined()) s.placement = *campaign::parse_placement(p.as_enum({"ddp", "packed"}));
  if (const YNode b = n.get("batch_by_gpu"); b.defined()) {
    b.expect_map("a map of GPU catalog names to per-GPU batches, e.g. {rtx3090: 2, h100-sxm5-80gb: 12}");
    for (const std::string& gpu : b.keys()) {
      if (catalog.find_gpu(gpu) == nullptr) {
        throw InputError(b.get(gpu).where(), b.path() + "." + gpu, gpu, "a GPU of the catalog, " + one_of(gpu, catalog.gpu_names()));
      }
      (void)b.get(gpu).as_int(1, 1'000'000, "a batch per GPU from 1");
    }
  }
  if (n.get("description").defined()) (void)n.get("description").as_string();
  for (const char* key : {"workload", "run", "jitter"}) {
    if (n.get(key).defined()) n.get(key).expect_map(std::string("a map of scenario keys under ") + key);
  }
  return s;
}

campaign::Price parse_price(const YNode& n, const std::string& key) {
  const std::string expected = "a price in USD per GPU-hour, {usd_per_gpu_hour, source} or {on_premises: {...}, source}";
  campaign::Price p;
  if (n.is_scalar()) {
    p.usd_per_gpu_hour = n.as_double(0, 1e5, expected);
    p.source = "campaign file " + n.where().to_string();
    return p;
  }
  n.expect_map(expected);
  n.allow_only({"usd_per_gpu_hour", "on_premises", "source"});
  p.source = n.get("source").defined() ? n.get("source").as_string() : "campaign file " + n.where().to_string();
  if (n.get("usd_per_gpu_hour").defined() == n.get("on_premises").defined()) {
    throw n.error("exactly one of usd_per_gpu_hour or on_premises for " + key);
  }
  if (n.get("usd_per_gpu_hour").defined()) {
    p.usd_per_gpu_hour = n.get("usd_per_gpu_hour").as_double(0, 1e5, "USD per GPU-hour, 0 to 100000");
    return p;
  }
  const YNode o = n.get("on_premises");
  o.expect_map("{purchase_usd, lifetime_years, utilisation}");
  o.allow_only({"purchase_usd", "lifetime_years", "utilisation"});
  campaign::OnPremises op;
  op.purchase_usd = o.require("purchase_usd", "the purchase price in USD").as_double(0, 1e8, "a price in USD, 0 to 10^8");
  op.lifetime_years = o.require("lifetime_years", "years of use").as_double(0.01, 100, "years, 0.01 to 100");
  op.utilisation = o.require("utilisation", "a fraction of its life in use").as_double(0.001, 1, "a fraction, 0.001 to 1");
  p.usd_per_gpu_hour = campaign::amortised_usd_per_gpu_hour(op);
  p.source += " (on premises: $" + format_double(op.purchase_usd) + " over " + format_double(op.lifetime_years) +
              " years at " + format_double(op.utilisation * 100) + " % use)";
  return p;
}

void parse_economics(const YNode& n, const Catalog& catalog, CampaignFile& c) {
  n.expect_map("a map: researcher_usd_per_hour, carbon_kg_per_kwh, carbon_source, host_w_per_core, host_w_per_socket, prices");
  n.allow_only({"researcher_usd_per_hour", "carbon_kg_per_kwh", "carbon_source", "host_w_per_core", "host_w_per_socket",
                "prices"});
  campaign::Economics& e = c.economics;
  if (const YNode v = n.get("researcher_usd_per_hour"); v.defined()) e.researcher_usd_per_hour = v.as_double(0, 1e6, "USD per hour, 0 or more");
  if (const YNode v = n.get("carbon_kg_per_kwh"); v.defined()) {
    e.carbon_kg_per_kwh = v.as_double(0, 5, "kg CO2 per kWh, 0 to 5");
    e.carbon_source = n.get("carbon_source").defined() ? n.get("carbon_source").as_string() : "campaign file " + v.where().to_string();
  } else if (n.get("carbon_source").defined()) {
    throw n.get("carbon_source").error("carbon_source only beside carbon_kg_per_kwh");
  }
  if (const YNode v = n.get("host_w_per_core"); v.defined()) e.host_w_per_core = v.as_double(0, 100, "watts per core, 0 to 100");
  if (const YNode v = n.get("host_w_per_socket"); v.defined()) e.host_w_per_socket = v.as_double(0, 2000, "watts per socket, 0 to 2000");
  if (const YNode prices = n.get("prices"); prices.defined()) {
    prices.expect_map("a map of GPU catalog names or node presets to prices");
    std::vector<std::string> known = catalog.gpu_names();
    for (const auto& p : preset_names()) known.push_back(p);
    for (const std::string& key : prices.keys()) {
      const YNode v = prices.get(key);
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        throw InputError(v.where(), v.path(), key, "a GPU of the catalog or a node preset, " + one_of(key, known));
      }
      c.prices.push_back({key, parse_price(v, key), v.where()});
    }
  }
}

campaign::CalibrationPoint parse_calibration(const YNode& n) {
  n.expect_map("a map: gpu, model, image_px, batch, precision, optimizer, memory_format, iteration_ms, source");
  n.allow_only({"gpu", "model", "image_px", "batch", "precision", "optimizer", "memory_format", "iteration_ms", "source"});
  campaign::CalibrationPoint p;
  p.where = n.where();
  p.gpu = n.require("gpu", "the GPU it was measured on").as_string();
  p.model = n.require("model", "the model measured").as_string();
  const YNode px = n.require("image_px", "the image size measured");
  if (px.is_seq()) {
    if (px.size() != 2) throw px.error("an image size in pixels or [height, width]");
    p.height_px = static_cast<int>(px.at(0).as_int(32, 16384, "32 to 16384 px"));
    p.width_px = static_cast<int>(px.at(1).as_int(32, 16384, "32 to 16384 px"));
  } else {
    p.height_px = p.width_px = static_cast<int>(px.as_int(32, 16384, "an image size, 32 to 16384 px"));
  }
  p.batch = static_cast<int>(n.require("batch", "the batch measured").as_int(1, 1'000'000, "a batch from 1"));
  if (n.get("precision").defined()) p.precision = *parse_precision(n.get("precision").as_enum(precision_names()));
  if (n.get("optimizer").defined()) {
    p.optimizer = n.get("optimizer").as_enum({"sgd", "adamw"}) == "sgd" ? Optimizer::sgd : Optimizer::adamw;
  }
  if (n.get("memory_format").defined()) p.channels_last = n.get("memory_format").as_enum({"nchw", "nhwc"}) == "nhwc";
  p.measured = n.require("iteration_ms", "the measured iteration in ms").as_double(0.001, 1e7, "milliseconds > 0") / 1000;
  p.source = n.get("source").defined() ? n.get("source").as_string() : "";
  return p;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace

const std::vector<std::string>& campaign_scenario_keys() {
  static const std::vector<std::string> keys{"seed", "workload", "run", "jitter"};
  return keys;
}

CampaignFile parse_campaign_text(const std::string& text, const std::string& file, const Catalog& catalog) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a campaign: a map with base, stages, platforms, economics, calibration");
  // Keys starting with "x-" are the file's own (YAML anchors to share, as in docker-compose files).
  std::vector<std::string> allowed{"name", "description", "platforms", "base", "stages", "economics", "calibration", "report"};
  for (const auto& key : root.keys()) {
    if (starts_with(key, "x-")) allowed.push_back(key);
  }
  root.allow_only(allowed);
  CampaignFile c;
  c.file = file;
  c.text = text;
  c.economics = default_economics();
  if (root.get("name").defined()) c.name = root.get("name").as_string();
  if (root.get("description").defined()) c.description = root.get("description").as_string();
  if (const YNode p = root.get("platforms"); p.defined()) {
    for (const YNode& item : p.items("a list of node presets or node files")) {
      c.platforms.push_back({item.as_string("a node preset or node file"), item.where()});
      (void)load_node(c.platforms.back().node, catalog, item.where(), item.path());
    }
  }
  if (const YNode b = root.get("base"); b.defined()) {
    b.expect_map("a map of scenario keys: seed, workload, run, jitter");
    if (b.get("platform").defined()) {
      throw b.get("platform").error("no platform in base: platforms come from `platforms:` or --platform");
    }
    check_scenario_part(b, "a map of scenario keys");
  }
  const YNode stages = root.require("stages", "a list of stages");
  if (!stages.is_seq() || stages.size() == 0) throw stages.error("a list of one stage or more");
  for (const YNode& s : stages.items("a list of stages")) c.stages.push_back(parse_stage(s, catalog));
  (void)campaign::StageGraph(c.stages);  // unknown names and cycles: errors now, at their lines
  if (const YNode e = root.get("economics"); e.defined()) parse_economics(e, catalog, c);
  if (const YNode k = root.get("calibration"); k.defined()) c.calibration = parse_calibration(k);
  if (const YNode r = root.get("report"); r.defined()) {
    const std::string path = r.as_string("a report data file (e.g. ocr-report.yaml)");
    c.report = !path.empty() && path.front() == '/' ? path : folder_of(file) + path;
    c.report_where = r.where();
  }
  return c;
}

CampaignFile load_campaign(const std::string& path, const Catalog& catalog) {
  return parse_campaign_text(read_text_file(path, "a campaign file"), path, catalog);
}

}  // namespace trainsim::io
