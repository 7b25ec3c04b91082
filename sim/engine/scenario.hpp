// A training scenario as plain data: the node, the workload, how long to run, and jitter. io reads
// it from YAML (docs/scenarios.md); the engine replays it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "sim/hw/precision.hpp"
#include "sim/hw/units.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim {

struct DatasetSpec {
  long long images = 0;
  bool synthetic = false;          // batches made on the GPU: no loading, no host-to-device copy
  double mean_megapixels = 1.0;    // of the stored images (decode cost)
  Bytes mean_bytes = 300000;       // of one stored image (read cost)
};

struct DataloaderSpec {
  int workers_per_gpu = 4;
  int prefetch_factor = 2;
};

struct DdpSpec {
  double bucket_mb = 25;            // torch DDP bucket_cap_mb
  double first_bucket_mb = 1;       // torch DDP's first bucket (dist._DEFAULT_FIRST_BUCKET_BYTES)
  bool overlap = true;              // all-reduce buckets during the backward pass
  std::string algorithm = "auto";   // ring | tree | direct | nvls | auto
  std::optional<double> overlap_slowdown;  // compute slowdown while NCCL kernels run; default from SM share
};

struct ValidationSpec {
  long long images = 0;
  int every_epochs = 1;
};

struct CheckpointSpec {
  bool enabled = false;
  int every_epochs = 1;
};

struct WorkloadSpec {
  std::string model;
  int height_px = 224;
  int width_px = 224;
  Precision precision = Precision::amp;
  int batch_per_gpu = 0;  // 0: auto, the largest batch that fits
  Optimizer optimizer = Optimizer::sgd;
  DatasetSpec dataset;
  DataloaderSpec dataloader;
  DdpSpec ddp;
  std::optional<ValidationSpec> validation;
  CheckpointSpec checkpoint;
  double calibration = 1.0;  // multiplier on every kernel time (from `trainsim model --calibrate`)
  bool channels_last = false;  // torch.channels_last (NHWC) instead of PyTorch's default NCHW
  bool uint8_input = false;    // images cross PCIe as uint8 and are normalised on the GPU (DLE, DALI)
};

struct RunSpec {
  std::optional<int> epochs;
  std::optional<long long> iterations;
};

struct JitterSpec {
  double compute_cv = 0.02;  // lognormal, per kernel sequence of one rank and iteration
  double loader_cv = 0.10;   // lognormal, per batch of one loader worker
};

struct Scenario {
  long long seed = 1;
  std::string platform_ref;  // preset name, file path, or "inline"
  NodeSpec platform;
  WorkloadSpec workload;
  RunSpec run;
  JitterSpec jitter;
  std::string file;          // where it came from
  std::string text;          // the YAML as given
  std::map<std::string, SourceLocation> locations;  // key path -> where it was written

  // Where `key` was written, or the file alone when it was not (a default).
  [[nodiscard]] SourceLocation where(const std::string& key) const {
    const auto it = locations.find(key);
    return it != locations.end() ? it->second : SourceLocation{file, 0, 0};
  }
};

// The same scenario on the first GPU of its node alone (other GPUs and their links removed): the
// 1-GPU baseline of a scaling efficiency.
[[nodiscard]] Scenario one_gpu(const Scenario& s);

}  // namespace trainsim
