#include "sim/engine/run.hpp"

#include <algorithm>

#include "sim/engine/collective.hpp"
#include "sim/engine/replay.hpp"
#include "sim/topo/platform.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim {

namespace {

Optimizer optimizer_of(OptimizerKind k) { return k == OptimizerKind::sgd ? Optimizer::sgd : Optimizer::adamw; }

std::string gb(Bytes b) { return fixed(b / kGB, 2) + " GB"; }

}  // namespace

PreparedRun prepare_run(const Scenario& s, const Catalog& catalog, const LoaderCosts& loader, const RunOptions& options) {
  Topology topo = Topology::build(s.platform, catalog);
  const GpuSpec& gpu = topo.gpu_spec(0);
  for (int g = 1; g < topo.gpu_count(); ++g) {
    if (topo.gpu_spec(g).name != gpu.name) {
      throw InputError(s.platform.where, "platform", topo.gpu_spec(g).name,
                       "one GPU model per node (" + gpu.name + " and " + topo.gpu_spec(g).name + " are mixed)");
    }
  }
  const WorkloadSpec& w = s.workload;
  const ModelGraph model = build_model(w.model, w.height_px, w.width_px);
  const Optimizer opt = optimizer_of(w.optimizer);
  int batch = w.batch_per_gpu;
  if (batch == 0) {
    batch = max_batch(model, gpu, w.precision, opt);
    if (batch < 1) {
      const ComputeProfile one = profile_model(model, gpu, catalog.generation_of(gpu), w.precision, 1, opt, w.calibration);
      throw InputError({s.file, 0, 0}, "workload.batch_per_gpu", "auto",
                       "a model that fits: even batch 1 of " + w.model + " needs " + gb(one.memory.total()) + " on " +
                           gpu.name + " (" + fixed(gpu.memory_gb, 0) + " GB)");
    }
  }
  ComputeProfile profile = profile_model(model, gpu, catalog.generation_of(gpu), w.precision, batch, opt, w.calibration);
  if (profile.memory.total() > gpu.memory_bytes()) {
    const MemoryBreakdown& m = profile.memory;
    throw InputError({s.file, 0, 0}, "workload.batch_per_gpu", std::to_string(batch),
                     "a batch that fits " + gpu.name + "'s " + fixed(gpu.memory_gb, 0) + " GB; it needs " + gb(m.total()) +
                         " (params " + gb(m.params) + ", grads " + gb(m.grads) + ", optimizer " + gb(m.optimizer) +
                         ", activations " + gb(m.activations) + ", workspace " + gb(m.workspace) + ", context " +
                         gb(m.context) + "); the largest that fits is " +
                         std::to_string(max_batch(model, gpu, w.precision, opt)));
  }
  const double share = topo.gpu_count() > 1 ? nccl_sm_share(topo) : 0.0;
  ReplayPlan plan = make_plan(s, topo, profile, loader, share);
  if (options.iterations) plan.total_iterations = std::min(plan.total_iterations, *options.iterations);
  return PreparedRun{std::move(topo), std::move(profile), std::move(plan)};
}

RunResult simulate(const PreparedRun& run, const RunOptions& options) {
  engine::Simulation sim(describe_platform(run.topo));
  sim.set_recorder(options.recorder);
  RunResult r = engine::replay(sim, run, options);
  RunSummary& s = r.summary;
  s.model = run.profile.model;
  s.gpu = run.profile.gpu;
  s.node = run.topo.name();
  s.gpus = run.plan.gpus;
  s.batch_per_gpu = run.plan.batch;
  s.precision = std::string(to_string(run.profile.precision));
  s.buckets = static_cast<int>(run.plan.buckets.size());
  s.iterations_per_epoch = run.plan.iterations_per_epoch;
  s.overlap_slowdown = run.plan.overlap_slowdown;
  summarise(r);
  return r;
}

}  // namespace trainsim
