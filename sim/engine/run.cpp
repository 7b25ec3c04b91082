#include "sim/engine/run.hpp"

#include <algorithm>

#include "sim/engine/coll_planner.hpp"
#include "sim/engine/epoch_plan.hpp"
#include "sim/engine/replay.hpp"
#include "sim/engine/sampled_estimate.hpp"
#include "sim/topo/platform.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/model_zoo.hpp"
#include "sim/workload/trace_workload.hpp"

namespace trainsim {

namespace {

std::string gb(Bytes b) { return fixed(b / kGB, 2) + " GB"; }

// NCCL runs one CTA per channel, each on its own SM: the share of the GPU it takes from compute.
double nccl_sm_share(const Topology& topo, const GpuSpec& gpu) {
  if (topo.gpu_count() <= 1) return 0.0;
  const CollectivePlanner planner(topo);
  return std::min(0.5, static_cast<double>(planner.channels(all_gpus(topo))) / gpu.sm_count);
}

// `workload: {profile: FILE}`: the trace's representative step scaled to the node's GPU.
PreparedRun prepare_profile_run(const Scenario& s, const Catalog& catalog, const LoaderCosts& loader, Topology topo,
                                const RunOptions& options) {
  const WorkloadSpec& w = s.workload;
  const GpuSpec& gpu = topo.gpu_spec(0);
  const GpuSpec& source = match_trace_gpu(*w.trace, catalog, w.profile_source_gpu);
  const GpuPair pair{source, catalog.generation_of(source), gpu, catalog.generation_of(gpu)};
  // The batch crosses PCIe as float32 images (3 channels); the trace's own copies are left out.
  const Bytes sample = 3.0 * w.height_px * w.width_px * 4;
  ComputeProfile profile = profile_from_trace(*w.trace, pair, w.batch_per_gpu, sample);
  profile.precision = w.precision;
  profile.optimizer = w.optimizer;
  ReplayPlan plan = make_plan(s, topo, profile, loader, nccl_sm_share(topo, gpu));
  if (options.iterations) plan.total_iterations = std::min(plan.total_iterations, *options.iterations);
  return PreparedRun{std::move(topo), std::move(profile), std::move(plan)};
}

}  // namespace

const char* to_string(ReplayMode mode) { return mode == ReplayMode::sampled ? "sampled" : "full"; }

ReplayMode parse_replay_mode(const std::string& text, const std::string& option) {
  if (text == "full") return ReplayMode::full;
  if (text == "sampled") return ReplayMode::sampled;
  throw InputError({"command line"}, option, text, "full or sampled");
}

PreparedRun prepare_run(const Scenario& s, const Catalog& catalog, const LoaderCosts& loader, const RunOptions& options) {
  Topology topo = Topology::build(s.platform, catalog);
  const GpuSpec& gpu = topo.gpu_spec(0);
  for (int g = 1; g < topo.gpu_count(); ++g) {
    if (topo.gpu_spec(g).name != gpu.name) {
      throw InputError(s.where("platform"), "platform", topo.gpu_spec(g).name,
                       "one GPU model per node (" + gpu.name + " and " + topo.gpu_spec(g).name + " are mixed)");
    }
  }
  const WorkloadSpec& w = s.workload;
  if (w.trace) return prepare_profile_run(s, catalog, loader, std::move(topo), options);
  // Errors of the workload layer name the key; give them the scenario's file and line.
  // The workload layer names its own keys (model, image_px.height, ...); place them under
  // "workload." and at the line where the scenario wrote that key (or `key` when it did not).
  const auto located = [&](const std::string& key, const auto& f) {
    try {
      return f();
    } catch (const InputError& e) {
      if (!e.where().file.empty()) throw;
      const std::string inner = e.key().empty() ? key : "workload." + e.key();
      const std::string top = inner.substr(0, inner.find('.', std::string("workload.").size()));
      const SourceLocation at = s.locations.count(top) != 0 ? s.where(top) : s.where(key);
      throw InputError(at, inner, e.value(), e.expected());
    }
  };
  const ModelGraph model = w.graph ? *w.graph : located("workload.model", [&] { return build_model(w.model, w.height_px, w.width_px); });
  const Optimizer opt = w.optimizer;
  located("workload.precision", [&] {
    require_precision(gpu, w.precision);
    return 0;
  });
  // With more than one GPU, DDP keeps its gradient buckets beside the gradients (torch DDP's
  // default gradient_as_bucket_view=False): one more fp32 copy of the gradients.
  const auto needed = [&](int b) {
    MemoryBreakdown m = training_memory(model, w.precision, opt, b);
    return std::make_pair(m, m.total() + (topo.gpu_count() > 1 ? m.grads : 0.0));
  };
  const Bytes capacity = memory_capacity(gpu);
  int batch = w.batch_per_gpu;
  const int largest = [&] {
    int b = max_batch(model, gpu, w.precision, opt);
    while (b > 0 && needed(b).second > capacity) --b;
    return b;
  }();
  if (batch == 0) {
    batch = largest;
    if (batch < 1) {
      throw InputError(s.where("workload.batch_per_gpu"), "workload.batch_per_gpu", "auto",
                       "a model that fits: even batch 1 of " + w.model + " needs " + gb(needed(1).second) + " on " +
                           gpu.name + " (" + gb(capacity) + ")");
    }
  }
  if (const auto [m, total] = needed(batch); total > capacity) {
    throw InputError(s.where("workload.batch_per_gpu"), "workload.batch_per_gpu", std::to_string(batch),
                     "a batch that fits " + gpu.name + "'s " + gb(capacity) + "; it needs " + gb(total) + " (params " +
                         gb(m.params) + ", grads " + gb(m.grads) + (topo.gpu_count() > 1 ? ", DDP buckets " + gb(m.grads) : "") +
                         ", optimizer " + gb(m.optimizer) + ", activations " + gb(m.activations) + ", workspace " +
                         gb(m.workspace) + ", context " + gb(m.context) + "); the largest that fits is " +
                         std::to_string(largest));
  }
  // DistributedSampler gives each rank ceil(images / GPUs) samples; a DataLoader whose batch is larger
  // (drop_last=False) yields one batch of that many, and the GPUs train on it.
  const long long per_rank = (w.dataset.images + topo.gpu_count() - 1) / std::max(1, topo.gpu_count());
  if (per_rank >= 1 && per_rank < batch) batch = static_cast<int>(per_rank);
  ComputeProfile profile = profile_model(model, gpu, catalog.generation_of(gpu), w.precision, batch, opt, w.calibration,
                                         ProfileOptions{w.channels_last, false});
  ReplayPlan plan = make_plan(s, topo, profile, loader, nccl_sm_share(topo, gpu));
  if (options.iterations) plan.total_iterations = std::min(plan.total_iterations, *options.iterations);
  return PreparedRun{std::move(topo), std::move(profile), std::move(plan)};
}

RunResult simulate(const PreparedRun& run, const RunOptions& options) {
  engine::Simulation sim(describe_platform(run.topo));
  sim.set_recorder(options.recorder);
  RunResult r = engine::replay(sim, run, options);
  RunSummary& s = r.summary;
  s.model = run.profile.model;
  s.sequences = run.profile.tokens > 0;
  s.gpu = run.profile.gpu;
  s.node = run.topo.name();
  s.gpus = run.plan.gpus;
  s.batch_per_gpu = run.plan.batch;
  s.precision = std::string(to_string(run.profile.precision));
  s.buckets = static_cast<int>(run.plan.buckets.size());
  s.iterations_per_epoch = run.plan.iterations_per_epoch;
  s.overlap_slowdown = run.plan.overlap_slowdown;
  summarise(r);
  if (options.replay == ReplayMode::sampled) {
    // The same epochs as the replay planned (replay.cpp).
    const long long total = options.iterations ? std::min(*options.iterations, run.plan.total_iterations)
                                               : run.plan.total_iterations;
    extrapolate_sampled(r, plan_epochs(run.plan, total, true, sample_from(options.sampling)), options.sampling);
  }
  return r;
}

}  // namespace trainsim
