#include "sim/engine/plan.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/error.hpp"

namespace trainsim {

std::vector<Bucket> make_buckets(const ComputeProfile& p, Bytes first_cap, Bytes cap) {
  std::vector<Bucket> out;
  Bucket cur;
  Bytes limit = first_cap;
  for (auto it = p.layers.rbegin(); it != p.layers.rend(); ++it) {
    cur.backward_s += it->backward;
    cur.backward_flops += it->backward_flops;
    cur.bytes += it->grad_bytes;
    if (cur.bytes >= limit) {
      out.push_back(cur);
      cur = Bucket{};
      limit = cap;
    }
  }
  if (cur.bytes > 0 || out.empty()) {
    out.push_back(cur);
  } else {
    // Trailing layers without parameters: the last bucket waits for them too.
    out.back().backward_s += cur.backward_s;
    out.back().backward_flops += cur.backward_flops;
  }
  return out;
}

ReplayPlan make_plan(const Scenario& s, const Topology& topo, const ComputeProfile& profile, const LoaderCosts& loader,
                     double nccl_sm_share) {
  const WorkloadSpec& w = s.workload;
  ReplayPlan p;
  p.gpus = topo.gpu_count();
  p.batch = profile.batch;
  p.seed = static_cast<std::uint64_t>(s.seed);
  const long long per_rank = (w.dataset.images + p.gpus - 1) / p.gpus;  // DistributedSampler pads
  p.iterations_per_epoch = std::max<long long>(1, (per_rank + p.batch - 1) / p.batch);
  p.images_per_epoch = w.dataset.images;
  if (s.run.epochs) {
    p.epochs = *s.run.epochs;
    p.total_iterations = p.iterations_per_epoch * p.epochs;
  } else {
    p.total_iterations = *s.run.iterations;
    p.epochs = static_cast<int>((p.total_iterations + p.iterations_per_epoch - 1) / p.iterations_per_epoch);
  }
  p.forward_s = profile.forward_s();
  for (const auto& l : profile.layers) p.forward_flops += l.forward_flops;
  p.optimizer_s = profile.optimizer_s;
  constexpr double mb = 1024.0 * 1024.0;  // torch's bucket_cap_mb is MiB
  if (p.gpus > 1) {
    p.buckets = make_buckets(profile, w.ddp.first_bucket_mb * mb, w.ddp.bucket_mb * mb);
  } else {
    Bucket all;  // one GPU: no DDP, the backward is one piece
    for (const auto& l : profile.layers) {
      all.backward_s += l.backward;
      all.backward_flops += l.backward_flops;
      all.bytes += l.grad_bytes;
    }
    p.buckets = {all};
  }
  p.overlap = w.ddp.overlap;
  p.overlap_slowdown = w.ddp.overlap_slowdown.value_or(nccl_sm_share / std::max(1e-9, 1.0 - nccl_sm_share));
  p.algorithm = w.ddp.algorithm;
  p.synthetic = w.dataset.synthetic;
  // The model's sample holds the image as float32 (3 x h x w x 4 bytes); as uint8 it is a quarter.
  Bytes sample = profile.input_bytes_per_sample;
  if (w.uint8_input) sample -= 3.0 * w.height_px * w.width_px * (4 - 1);
  p.h2d_bytes_per_batch = sample * p.batch;
  p.read_bytes_per_batch = w.dataset.mean_bytes * p.batch;
  const bool detector = is_text_detector(w.model) && loader.detection.measured;
  if (detector) {
    // DBNet's pipeline, measured in Python (bench/db_pipeline.py); its collate is the hand-over.
    p.load_s_per_batch = p.batch * detection_sample_seconds(loader.detection, w.dataset.mean_megapixels, w.height_px,
                                                            w.width_px, w.dataset.mean_text_instances).total();
  } else if (w.graph && w.graph->tokens > 0) {
    p.load_s_per_batch = 0;  // a token model's samples are tokenized ahead, held in memory (DLE's TensorDataset)
  } else {
    p.load_s_per_batch = p.batch * sample_load_seconds(loader, w.dataset.mean_megapixels, w.height_px, w.width_px, sample);
  }
  p.workers = w.dataloader.workers_per_gpu;
  p.prefetch_factor = w.dataloader.prefetch_factor;
  if (w.validation) {
    const long long val_per_rank = (w.validation->images + p.gpus - 1) / p.gpus;
    p.validation_s = static_cast<double>((val_per_rank + p.batch - 1) / p.batch) * p.forward_s;
    p.validation_every = w.validation->every_epochs;
    if (w.validation->db_postprocess) {
      if (!is_text_detector(w.model)) {
        throw InputError(s.where("workload.validation"), "workload.validation.postprocess", "db",
                         "a text detector (dbnet-*) for DBNet's post-processing; " + w.model + " is not one");
      }
      if (!loader.detection.measured) {
        throw InputError(s.where("workload.validation"), "workload.validation.postprocess", "db",
                         "DBNet's measured costs in platforms/dataloader.yaml (make bench-loader)");
      }
      const double n = w.dataset.mean_text_instances;
      p.validation_load_s = static_cast<double>(val_per_rank) *
                            detection_eval_load_seconds(loader.detection, w.dataset.mean_megapixels, w.height_px, w.width_px);
      p.validation_postprocess_s =
          static_cast<double>(val_per_rank) * detection_postprocess_seconds(loader.detection, w.height_px, w.width_px, n);
      p.validation_hmean_s = static_cast<double>(w.validation->images) * detection_hmean_seconds(loader.detection, n);
    }
  }
  if (w.checkpoint.enabled) {
    p.checkpoint_bytes = profile.memory.params + profile.memory.optimizer;
    p.checkpoint_every = w.checkpoint.every_epochs;
  }
  p.compute_cv = s.jitter.compute_cv;
  p.loader_cv = s.jitter.loader_cv;
  return p;
}

}  // namespace trainsim
