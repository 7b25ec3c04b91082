#include "sim/store/hdf5_run.hpp"

#include <cstdint>

#include "sim/store/hdf5_detail.hpp"
#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

namespace {

ColumnTable iterations_table(const std::vector<IterationRow>& rows) {
  std::vector<std::int32_t> epoch;
  std::vector<std::int64_t> iteration;
  std::vector<double> start, end, compute, comm, stall;
  for (const auto& r : rows) {
    epoch.push_back(r.epoch);
    iteration.push_back(r.iteration);
    start.push_back(r.start);
    end.push_back(r.end);
    compute.push_back(r.compute);
    comm.push_back(r.exposed_comm);
    stall.push_back(r.data_stall);
  }
  ColumnTable t;
  t.add("epoch", std::move(epoch)).add("iteration", std::move(iteration)).add("start", std::move(start));
  t.add("end", std::move(end)).add("compute", std::move(compute)).add("exposed_comm", std::move(comm));
  t.add("data_stall", std::move(stall));
  return t;
}

ColumnTable epochs_table(const std::vector<EpochRow>& rows) {
  std::vector<std::int32_t> epoch;
  std::vector<std::int64_t> iterations;
  std::vector<double> start, end, validation, checkpoint;
  for (const auto& r : rows) {
    epoch.push_back(r.epoch);
    start.push_back(r.start);
    end.push_back(r.end);
    iterations.push_back(r.iterations);
    validation.push_back(r.validation_s);
    checkpoint.push_back(r.checkpoint_s);
  }
  ColumnTable t;
  t.add("epoch", std::move(epoch)).add("start", std::move(start)).add("end", std::move(end));
  t.add("iterations", std::move(iterations)).add("validation_s", std::move(validation));
  t.add("checkpoint_s", std::move(checkpoint));
  return t;
}

void write_summary(hid_t group, const RunSummary& s, TraceLevel level) {
  using h5::write_attribute;
  write_attribute(group, "model", s.model);
  write_attribute(group, "gpu", s.gpu);
  write_attribute(group, "node", s.node);
  write_attribute(group, "gpus", static_cast<long long>(s.gpus));
  write_attribute(group, "batch_per_gpu", static_cast<long long>(s.batch_per_gpu));
  write_attribute(group, "precision", s.precision);
  write_attribute(group, "algorithm", s.algorithm);
  write_attribute(group, "buckets", static_cast<long long>(s.buckets));
  write_attribute(group, "images_per_s", s.images_per_s);
  write_attribute(group, "iteration_mean_s", s.iteration_mean);
  write_attribute(group, "iteration_p50_s", s.iteration_p50);
  write_attribute(group, "iteration_p99_s", s.iteration_p99);
  write_attribute(group, "compute_s", s.compute);
  write_attribute(group, "exposed_comm_s", s.exposed_comm);
  write_attribute(group, "data_stall_s", s.data_stall);
  write_attribute(group, "epoch_s", s.epoch_s);
  write_attribute(group, "run_s", s.run_s);
  write_attribute(group, "iterations", s.iterations);
  write_attribute(group, "epochs", static_cast<long long>(s.epochs));
  write_attribute(group, "iterations_per_epoch", s.iterations_per_epoch);
  write_attribute(group, "gpu_busy_s", s.gpu_busy_s);
  write_attribute(group, "overlap_slowdown", s.overlap_slowdown);
  write_attribute(group, "activities", s.activities);
  write_attribute(group, "replay", s.replay);
  write_attribute(group, "iterations_replayed", s.iterations_replayed);
  write_attribute(group, "iteration_mean_ci_s", s.iteration_mean_ci);
  write_attribute(group, "epoch_ci_s", s.epoch_ci);
  write_attribute(group, "run_ci_s", s.run_ci);
  write_attribute(group, "trace_level", std::string(to_string(level)));
}

}  // namespace

void write_run(TraceFile& file, const std::string& group, const RunResult& result, TraceLevel level) {
  std::lock_guard lock(h5::library_mutex());
  h5::Handle g = h5::ensure_group(file.impl().id(), h5::split_path(group));
  write_summary(g.get(), result.summary, level);
  g.close("close " + group);
  write_table(file, group + "/epochs", epochs_table(result.epochs));
  if (level != TraceLevel::none) write_table(file, group + "/iterations", iterations_table(result.iterations));
}

}  // namespace trainsim::io
