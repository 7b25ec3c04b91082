#include "sim/cli/model_report.hpp"

#include <algorithm>

#include "sim/report/table.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

using Align = io::Table::Align;

std::string ms(Seconds s) { return fixed(1000 * s, 1); }
std::string gb(Bytes b) { return fixed(b / kGB, 2); }

double activation_bytes_per_sample(const ModelReport& r) {
  return r.profile.memory.activations / r.profile.batch;
}

std::vector<const LayerCost*> top_layers(const ComputeProfile& p, int top) {
  std::vector<const LayerCost*> out;
  for (const auto& l : p.layers) out.push_back(&l);
  std::stable_sort(out.begin(), out.end(), [](const LayerCost* a, const LayerCost* b) {
    return a->forward + a->backward > b->forward + b->backward;
  });
  if (out.size() > static_cast<std::size_t>(top)) out.resize(static_cast<std::size_t>(top));
  return out;
}

// Shares of the layer time: matmul layers (conv, deconv, linear) and, among them, compute-bound ones.
std::pair<double, double> matmul_shares(const ComputeProfile& p) {
  double all = 0, matmul = 0, compute = 0;
  for (const auto& l : p.layers) {
    const double t = l.forward + l.backward;
    all += t;
    if (is_matmul(l.kind)) matmul += t;
    if (is_matmul(l.kind) && l.compute_bound) compute += t;
  }
  return all > 0 ? std::pair{matmul / all, compute / all} : std::pair{0.0, 0.0};
}

std::string bound(const LayerCost& l) {
  if (!is_matmul(l.kind)) return "memory";
  return l.compute_bound ? "compute" : "memory";
}

}  // namespace

std::string render_text(const ModelReport& r, const std::optional<Calibration>& cal, int top) {
  const ComputeProfile& p = r.profile;
  const ModelGraph& g = *r.graph;
  std::string out = g.name + " at " + g.input_size() + " on " + p.gpu + " (" +
                    r.gpu_display + "), " + std::string(to_string(p.precision)) + ", " +
                    std::string(to_string(p.optimizer)) + ", " + (p.channels_last ? "NHWC" : "NCHW") + ", batch " +
                    std::to_string(p.batch) + "\n\n";
  io::Table t({"", "value"}, {Align::left, Align::left});
  t.add({"parameters", fixed(g.params() / 1e6, 2) + " M"});
  t.add({"GFLOPs per image", "forward " + fixed(g.forward_flops() / 1e9, 2) + ", training (fwd + bwd) " +
                                 fixed(g.training_flops() / 1e9, 2)});
  t.add({"activation memory", gb(activation_bytes_per_sample(r)) + " GB per image, " + gb(p.memory.activations) +
                                  " GB at batch " + std::to_string(p.batch)});
  t.add({"memory", describe(p.memory, p.memory_capacity)});
  t.add({"max batch", std::to_string(r.max_batch)});
  t.add({"iteration", "forward " + ms(p.forward_s()) + " ms + backward " + ms(p.backward_s()) + " ms + optimizer " +
                          ms(p.optimizer_s) + " ms = " + ms(p.iteration_s()) + " ms"});
  t.add({"throughput", fixed(p.images_per_s(), 1) + (g.tokens > 0 ? " sequences/s" : " images/s") + " on one GPU"});
  const auto [matmul, compute] = matmul_shares(p);
  t.add({"time split", fixed(100 * matmul, 1) + " % in conv/linear layers (" + fixed(100 * compute, 1) +
                           " % compute bound), " + fixed(100 * (1 - matmul), 1) + " % in memory-bound layers"});
  if (p.host_bound()) {
    t.add({"host bound", "the CPU's eager dispatch (" + ms(p.host_forward_s) + " ms each way for " +
                             std::to_string(p.layers.size()) + " operators) outruns the GPU: a faster GPU will not help"});
  }
  out += t.render();
  if (cal && r.calibrated) {
    const ComputeProfile& c = *r.calibrated;
    out += "\ncalibrated: x" + fixed(cal->factor, 3) + " from " + fixed(1000 * cal->measured_s, 1) + " ms per iteration on " +
           cal->gpu + " at batch " + std::to_string(cal->batch) + "\n";
    io::Table ct({"", "uncalibrated", "calibrated"});
    ct.add({"forward ms", ms(p.forward_s()), ms(c.forward_s())});
    ct.add({"backward ms", ms(p.backward_s()), ms(c.backward_s())});
    ct.add({"optimizer ms", ms(p.optimizer_s), ms(c.optimizer_s)});
    ct.add({"iteration ms", ms(p.iteration_s()), ms(c.iteration_s())});
    ct.add({"images/s", fixed(p.images_per_s(), 1), fixed(c.images_per_s(), 1)});
    out += ct.render();
  }
  out += "\ntop " + std::to_string(top) + " layers by time (uncalibrated):\n";
  io::Table lt({"layer", "kind", "forward ms", "backward ms", "share", "bound", "fwd GFLOP/batch"},
               {Align::left, Align::left, Align::right, Align::right, Align::right, Align::left, Align::right});
  const double total = p.forward_s() + p.backward_s();
  for (const LayerCost* l : top_layers(p, top)) {
    lt.add({l->name, std::string(to_string(l->kind)), ms(l->forward), ms(l->backward),
            fixed(100 * (l->forward + l->backward) / total, 1) + " %", bound(*l), fixed(l->forward_flops / 1e9, 1)});
  }
  out += lt.render();
  return out;
}

Json render_json(const ModelReport& r, const std::optional<Calibration>& cal, int top) {
  const ComputeProfile& p = r.profile;
  const ModelGraph& g = *r.graph;
  Json j = Json::object();
  j["model"] = g.name;
  j["height_px"] = g.height;
  j["width_px"] = g.width;
  if (g.tokens > 0) j["tokens"] = g.tokens;
  j["gpu"] = p.gpu;
  j["precision"] = std::string(to_string(p.precision));
  j["optimizer"] = std::string(to_string(p.optimizer));
  j["memory_format"] = p.channels_last ? "nhwc" : "nchw";
  j["params"] = g.params();
  j["gflops_forward_per_image"] = g.forward_flops() / 1e9;
  j["gflops_train_per_image"] = g.training_flops() / 1e9;
  j["activation_gb"] = p.memory.activations / kGB;
  j["activation_gb_per_image"] = activation_bytes_per_sample(r) / kGB;
  j["max_batch"] = r.max_batch;
  j["batch"] = p.batch;
  j["forward_s"] = p.forward_s();
  j["backward_s"] = p.backward_s();
  j["optimizer_s"] = p.optimizer_s;
  j["iteration_s"] = p.iteration_s();
  j["images_per_s"] = p.images_per_s();
  j["host_bound"] = p.host_bound();
  j["matmul_time_share"] = matmul_shares(p).first;
  j["compute_bound_time_share"] = matmul_shares(p).second;
  Json mem = Json::object();
  mem["params_gb"] = p.memory.params / kGB;
  mem["grads_gb"] = p.memory.grads / kGB;
  mem["optimizer_gb"] = p.memory.optimizer / kGB;
  mem["activations_gb"] = p.memory.activations / kGB;
  mem["workspace_gb"] = p.memory.workspace / kGB;
  mem["context_gb"] = p.memory.context / kGB;
  mem["total_gb"] = p.memory.total() / kGB;
  mem["capacity_gb"] = p.memory_capacity / kGB;
  j["memory"] = mem;
  j["gradient_bytes"] = p.gradient_bytes;
  j["input_bytes_per_sample"] = p.input_bytes_per_sample;
  if (cal && r.calibrated) {
    Json c = Json::object();
    c["factor"] = cal->factor;
    c["measured_iteration_s"] = cal->measured_s;
    c["gpu"] = cal->gpu;
    c["batch"] = cal->batch;
    c["iteration_s"] = r.calibrated->iteration_s();
    c["images_per_s"] = r.calibrated->images_per_s();
    j["calibrated"] = c;
  }
  Json layers = Json::array();
  for (const LayerCost* l : top_layers(p, top)) {
    Json lj = Json::object();
    lj["name"] = l->name;
    lj["kind"] = std::string(to_string(l->kind));
    lj["forward_s"] = l->forward;
    lj["backward_s"] = l->backward;
    lj["bound"] = bound(*l);
    lj["forward_flops"] = l->forward_flops;
    layers.push_back(lj);
  }
  j["top_layers"] = layers;
  return j;
}

std::string render_gpu_table(const std::vector<ModelReport>& reports, const std::optional<Calibration>& cal) {
  const bool sequences = !reports.empty() && reports.front().graph && reports.front().graph->tokens > 0;
  std::vector<std::string> header{"gpu", "batch", "max batch", "memory GB", "forward ms", "backward ms", "optimizer ms",
                                  "iteration ms", sequences ? "sequences/s" : "images/s"};
  if (cal) {
    header.push_back("calibrated ms");
    header.push_back(sequences ? "calibrated seq/s" : "calibrated img/s");
  }
  io::Table t(header);
  for (const auto& r : reports) {
    const ComputeProfile& p = r.profile;
    std::vector<std::string> row{p.gpu, std::to_string(p.batch), std::to_string(r.max_batch),
                                 fixed(p.memory.total() / kGB, 1) + "/" + fixed(p.memory_capacity / kGB, 1),
                                 ms(p.forward_s()), ms(p.backward_s()), ms(p.optimizer_s), ms(p.iteration_s()),
                                 fixed(p.images_per_s(), 1)};
    if (cal && r.calibrated) {
      row.push_back(ms(r.calibrated->iteration_s()));
      row.push_back(fixed(r.calibrated->images_per_s(), 1));
    }
    t.add(row);
  }
  return t.render();
}

}  // namespace trainsim::cli
