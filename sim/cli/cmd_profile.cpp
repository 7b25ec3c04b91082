// trainsim profile TRACE: what a PyTorch profiler trace says per iteration, and with --gpu the
// same iteration predicted on another GPU of the catalog (docs/profiles.md).
#include <algorithm>
#include <array>
#include <iostream>
#include <map>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/model_args.hpp"
#include "sim/engine/collective_run.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/import/kineto_reader.hpp"
#include "sim/input/node_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/trace_predict.hpp"

namespace trainsim::cli {

namespace {

std::string ms(Seconds s) { return fixed(s * 1e3, 2); }

Json step_json(const TraceSummary& s) {
  std::vector<Seconds> steps;
  for (const auto& st : s.steps) steps.push_back(st.step);
  const Spread sp = spread(steps);
  const StepStats m = mean_step(s);
  Json j = Json::object();
  j["steps"] = static_cast<int>(s.steps.size());
  j["step_s"] = Json(Json::Object{{"mean", sp.mean}, {"p50", sp.p50}, {"max", sp.max}});
  j["gpu_busy_s"] = m.busy;
  j["gpu_idle_s"] = m.idle();
  j["gpu_busy_fraction"] = m.step > 0 ? m.busy / m.step : 0.0;
  j["loader_wait_s"] = m.loader_wait;
  j["host_bound_s"] = m.host_bound;
  Json by = Json::object();
  for (int c = 0; c < kKernelClasses; ++c) by[to_string(static_cast<KernelClass>(c))] = m.by_class[static_cast<std::size_t>(c)];
  j["by_class_s"] = by;
  Json top = Json::array();
  for (const auto& k : s.top) {
    top.push_back(Json(Json::Object{{"name", k.name}, {"class", to_string(k.cls)}, {"count", k.count},
                                    {"total_s", k.total / static_cast<double>(s.steps.size())}}));
  }
  j["top_kernels"] = top;
  Json stretches = Json::array();
  for (const auto& h : s.host_bound) {
    stretches.push_back(Json(Json::Object{{"start_s", h.start}, {"length_s", h.length}, {"loader", h.loader}}));
  }
  j["idle_stretches"] = stretches;
  return j;
}

std::string verdict(const StepStats& m) {
  if (m.step <= 0) return "empty";
  if (m.loader_wait > 0.25 * m.step) return "loader-bound: the GPU waits for the DataLoader " + fixed(100 * m.loader_wait / m.step, 0) + " % of the step";
  if (m.host_bound > 0.25 * m.step) return "host-bound: the GPU waits for kernel launches " + fixed(100 * m.host_bound / m.step, 0) + " % of the step";
  return "GPU-bound: the GPU is busy " + fixed(100 * m.busy / m.step, 0) + " % of the step";
}

// NCCL all-reduce kernels with recorded sizes, re-simulated on `node` in one collective sweep.
NcclTime nccl_on_node(const KernelTrace& t, const std::string& node, const Catalog& catalog, std::string& note) {
  if (node.empty()) {
    note = "NCCL kernels kept as measured (--node NODE re-simulates the all-reduces)";
    return {};
  }
  const Topology topo = Topology::build(io::load_node(node, catalog, {"command line"}, "--node"), catalog);
  std::vector<Bytes> sizes;
  for (const auto& k : t.kernels) {
    if (k.cls == KernelClass::nccl && k.collective == "allreduce" && k.coll_bytes > 0) sizes.push_back(k.coll_bytes);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  if (sizes.empty()) {
    note = "NCCL kernels kept as measured (the trace records no all-reduce sizes)";
    return {};
  }
  CollectiveSweep sweep;
  sweep.sizes = sizes;
  const int ranks = std::min(topo.gpu_count(), std::max(2, t.world_size));
  for (int r = 0; r < ranks; ++r) sweep.ranks.push_back(r);
  std::map<Bytes, Seconds> times;
  for (const auto& row : run_collective_sweep(topo, sweep)) times[row.bytes] = row.time;
  note = "NCCL all-reduces re-simulated on " + topo.name() + " (" + std::to_string(ranks) + " GPUs); other collectives kept";
  return [times](const TraceKernel& k) -> std::optional<Seconds> {
    if (k.collective != "allreduce") return std::nullopt;
    const auto it = times.find(k.coll_bytes);
    return it == times.end() ? std::nullopt : std::optional<Seconds>(it->second);
  };
}

// The compute model's prediction of the traced work, per kernel class: matmul kernels, memory
// kernels (what the trace calls norm_elementwise: batch norm, activations, layout transposes,
// casts) and the optimizer step.
struct ModelCheck {
  std::string description;
  Seconds matmul = 0, memory = 0, optimizer = 0;
  [[nodiscard]] Seconds total() const { return matmul + memory + optimizer; }
};

ModelCheck model_check(const Args& args, const GpuSpec& gpu, const Catalog& catalog) {
  std::optional<io::ImportedModel> onnx;
  const std::string model = args.get("model");
  const ModelGraph g = model_from_args(args, "profile", model, "--model", onnx);
  const Precision p = precision_of(args);
  const Optimizer o = optimizer_of(args);
  const int batch = static_cast<int>(args.get_int("batch", 1, 1'000'000));
  ProfileOptions po;
  po.channels_last = args.has("channels-last");
  po.check_memory = false;  // the trace ran it: the memory model's verdict is not the question here
  ComputeProfile prof;
  try {
    prof = profile_model(g, gpu, catalog.generation_of(gpu), p, batch, o, 1.0, po);
  } catch (const InputError& e) {
    if (e.key() != "precision") throw;
    throw InputError(SourceLocation{"command line"}, "--precision", e.value(), e.expected());  // name the flag
  }
  ModelCheck c;
  for (const auto& l : prof.layers) {
    c.matmul += l.matmul_forward + l.matmul_backward;
    c.memory += l.forward + l.backward - l.matmul_forward - l.matmul_backward;
  }
  c.optimizer = prof.optimizer_s;
  c.description = g.name + " at " + g.input_size() + ", " +
                  std::string(to_string(p)) + ", " + (po.channels_last ? "NHWC" : "NCHW") + ", batch " +
                  std::to_string(batch) + ", " + std::string(to_string(o)) + " on " + gpu.name;
  return c;
}

}  // namespace

int cmd_profile(int argc, char** argv) {
  Args args("profile", "What a PyTorch profiler (Kineto) trace says per iteration: step time, GPU busy and idle,\n"
                       "DataLoader waits, kernel time by class, top kernels; with --gpu, the iteration predicted\n"
                       "on another GPU of the catalog, each kernel scaled by its own bound (docs/profiles.md).");
  args.positional("TRACE", "a trace: .json, .json.gz, or a .tar.gz of one trace per rank")
      .flag("json", "print one JSON object")
      .option("gpu", "NAME", "predict the iteration on this catalog GPU")
      .option("source-gpu", "NAME", "the catalog GPU that recorded the trace, where its device string is ambiguous")
      .option("rank", "N", "the rank to read from a multi-rank archive (default: the lowest)")
      .option("node", "NODE", "with --gpu: re-simulate the NCCL all-reduces on this node (preset or file)")
      .option("top", "N", "top kernels listed", "10")
      .option("model", "MODEL", "check the compute model: predict this model (zoo name or ONNX file) on the trace's GPU, per kernel class")
      .option("batch", "N", "with --model: samples per GPU in the traced steps")
      .option("precision", "P", "with --model: fp32, tf32, amp, bf16 or fp8", "amp")
      .option("optimizer", "OPT", "with --model: sgd or adamw", "sgd")
      .option("image-px", "PX", "with --model: input side, or height,width (zoo models; default 224, DBNet 640)")
      .flag("channels-last", "with --model: NHWC tensors (torch.channels_last)");
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.has("model") != args.has("batch")) {
    throw UsageError("trainsim profile: --model and --batch go together (the model and the batch per GPU the trace ran)");
  }
  io::TraceReadOptions ro;
  if (args.has("rank")) ro.rank = static_cast<int>(args.get_int("rank", 0, 1'000'000));
  const KernelTrace t = io::read_kineto_trace(args.get("TRACE"), ro);
  const Catalog& catalog = io::default_catalog();
  const int top = static_cast<int>(args.get_int("top", 1, 1000));
  const TraceSummary measured = summarise(t, measured_timeline(t), top);
  const StepStats m = mean_step(measured);
  const GpuSpec* source = nullptr;
  std::string unmatched;
  try {
    source = &match_trace_gpu(t, catalog, args.get("source-gpu"));
  } catch (const InputError& e) {
    if (args.has("gpu") || args.has("source-gpu") || args.has("model")) throw;
    unmatched = e.expected();
  }
  std::optional<TraceSummary> predicted;
  std::array<long long, 4> bounds{};  // kernels by Bound
  std::string nccl_note;
  const GpuSpec* target = nullptr;
  if (args.has("gpu")) {
    target = &catalog.gpu(args.get("gpu"), {"command line"}, "--gpu");
    const GpuPair pair{*source, catalog.generation_of(*source), *target, catalog.generation_of(*target)};
    const NcclTime nccl = nccl_on_node(t, args.get("node"), catalog, nccl_note);
    const TracePrediction pred = predict_trace(t, pair, nccl);
    for (Bound b : pred.bounds) ++bounds[static_cast<std::size_t>(b)];
    predicted = summarise(t, pred.timeline, top);
  }
  std::optional<ModelCheck> check;
  if (args.has("model")) check = model_check(args, *source, catalog);
  const Seconds measured_compute = m.by_class[static_cast<std::size_t>(KernelClass::matmul)] +
                                   m.by_class[static_cast<std::size_t>(KernelClass::norm_elementwise)] +
                                   m.by_class[static_cast<std::size_t>(KernelClass::optimizer)];
  if (args.has("json")) {
    Json j = Json::object();
    j["trace"] = args.get("TRACE");
    j["gpu"] = t.device;
    j["catalog_gpu"] = source != nullptr ? Json(source->name) : Json();
    j["rank"] = t.rank;
    j["world_size"] = t.world_size;
    j["step_marker"] = t.step_marker;
    j["kernels"] = static_cast<long long>(t.kernels.size());
    j["shapes"] = t.shapes;
    const Json step = step_json(measured);
    for (const auto& [k, v] : step.as_object()) j[k] = v;
    if (predicted) {
      j["target_gpu"] = target->name;
      j["predicted"] = step_json(*predicted);
      j["kernels_by_bound"] = Json(Json::Object{{"compute", bounds[0]}, {"memory", bounds[1]}, {"host_copy", bounds[2]},
                                                {"unscaled", bounds[3]}});
      j["nccl"] = nccl_note;
    }
    if (check) {
      j["model_check"] = Json(Json::Object{
          {"setup", check->description},
          {"predicted_s", Json(Json::Object{{"matmul", check->matmul}, {"norm_elementwise", check->memory},
                                            {"optimizer", check->optimizer}, {"compute", check->total()}})},
          {"measured_compute_s", measured_compute},
          {"ratio", measured_compute > 0 ? Json(check->total() / measured_compute) : Json()}});
    }
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "trace " << args.get("TRACE") << ": rank " << t.rank << " of " << t.world_size << ", " << t.kernels.size()
            << " GPU activities" << (t.shapes ? ", shapes recorded" : "") << "\n";
  std::cout << "GPU: " << (t.device.empty() ? "(not listed)" : t.device) << ", " << t.sm_count << " SMs"
            << (source != nullptr ? " = " + source->name : "; not matched in the catalog: " + unmatched) << "\n";
  std::vector<Seconds> steps;
  for (const auto& st : measured.steps) steps.push_back(st.step);
  const Spread sp = spread(steps);
  std::cout << measured.steps.size() << " iterations (from " << t.step_marker << "): step mean " << ms(sp.mean) << " ms, p50 "
            << ms(sp.p50) << " ms, max " << ms(sp.max) << " ms\n";
  std::cout << "per step: GPU busy " << ms(m.busy) << " ms (" << fixed(m.step > 0 ? 100 * m.busy / m.step : 0, 1)
            << " %), idle " << ms(m.idle()) << " ms: waiting for the DataLoader " << ms(m.loader_wait)
            << " ms, for kernel launches " << ms(m.host_bound) << " ms\n";
  std::cout << "verdict: " << verdict(m) << "\n\n";
  std::vector<std::string> head{"kernel time per step (ms)", "measured"};
  StepStats p;
  if (predicted) {
    p = mean_step(*predicted);
    head.insert(head.end(), {target->name, "ratio"});
  }
  io::Table cls(head);
  const auto row = [&](const std::string& name, Seconds a, Seconds b) {
    std::vector<std::string> r{name, ms(a)};
    if (predicted) r.insert(r.end(), {ms(b), a > 0 ? fixed(b / a, 2) : "-"});
    cls.add(r);
  };
  for (int c = 0; c < kKernelClasses; ++c) {
    row(to_string(static_cast<KernelClass>(c)), m.by_class[static_cast<std::size_t>(c)], p.by_class[static_cast<std::size_t>(c)]);
  }
  cls.rule();
  row("GPU busy", m.busy, p.busy);
  row("step", m.step, p.step);
  std::cout << cls.render();
  if (predicted) std::cout << "predicted on " << target->name << ": " << verdict(p) << "; " << nccl_note << "\n";
  if (check) {
    std::cout << "\ncompute model (docs/compute-model.md): " << check->description << "\n";
    io::Table mc({"kernel time per step (ms)", "measured", "model", "model/measured"});
    const auto add = [&](const std::string& name, Seconds a, Seconds b) {
      mc.add({name, ms(a), ms(b), a > 0 ? fixed(b / a, 2) : "-"});
    };
    add("matmul", m.by_class[static_cast<std::size_t>(KernelClass::matmul)], check->matmul);
    add("norm_elementwise", m.by_class[static_cast<std::size_t>(KernelClass::norm_elementwise)], check->memory);
    add("optimizer", m.by_class[static_cast<std::size_t>(KernelClass::optimizer)], check->optimizer);
    mc.rule();
    add("compute kernels", measured_compute, check->total());
    std::cout << mc.render();
    std::cout << "the model's memory kernels (batch norm, activations, layout transposes, casts) are compared with the\n"
                 "trace's norm_elementwise class; NCCL, copies and host gaps are not part of the compute model\n";
  }
  io::Table tk({"top kernels", "class", "calls/step", "ms/step"});
  const double n = static_cast<double>(measured.steps.size());
  for (const auto& k : measured.top) {
    tk.add({k.name.size() > 70 ? k.name.substr(0, 67) + "..." : k.name, to_string(k.cls), fixed(k.count / n, 1), ms(k.total / n)});
  }
  std::cout << "\n" << tk.render();
  if (!measured.host_bound.empty()) {
    std::cout << "\nlongest GPU idle stretches (host-bound or loader):\n";
    for (const auto& h : measured.host_bound) {
      std::cout << "  at " << fixed(h.start, 4) << " s: " << ms(h.length) << " ms" << (h.loader ? " (DataLoader)" : "") << "\n";
    }
  }
  return 0;
}

}  // namespace trainsim::cli
