// Memory, optimizer, calibration and host-dispatch formulas, worked by hand.
#include <catch2/catch.hpp>

#include "sim/model/calibration.hpp"
#include "sim/model/host_dispatch.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/util/error.hpp"

using namespace trainsim;

TEST_CASE("training memory: weights + grads + optimizer state + b x activations + workspace + context") {
  // P = 10 M parameters, amp, AdamW, batch 8, A = 50 MB saved and T = 10 MB transient per sample:
  //   params      10e6 x (4 + 2)  =  60 MB   (fp32 master weights + the fp16 copy autocast caches)
  //   grads       10e6 x 4        =  40 MB
  //   optimizer   10e6 x 8        =  80 MB   (Adam's two moments)
  //   activations 8 x 50 MB       = 400 MB
  //   workspace   0.5 GB + 8 x 10 MB = 580 MB
  //   context     1 GB
  //   total       2.160 GB
  const MemoryInputs in{10e6, 50e6, 10e6};
  const MemoryBreakdown m = training_memory(in, 8, Precision::amp, Optimizer::adamw);
  CHECK(m.params == Approx(60e6));
  CHECK(m.grads == Approx(40e6));
  CHECK(m.optimizer == Approx(80e6));
  CHECK(m.activations == Approx(400e6));
  CHECK(m.workspace == Approx(580e6));
  CHECK(m.context == Approx(1e9));
  CHECK(m.total() == Approx(2.160e9));
  // fp32 keeps no low-precision copy; SGD one momentum buffer: 10e6 x (4 + 4 + 4) = 120 MB.
  const MemoryBreakdown f = training_memory(in, 8, Precision::fp32, Optimizer::sgd);
  CHECK(f.params + f.grads + f.optimizer == Approx(120e6));
}

TEST_CASE("largest batch: floor((capacity - fixed) / per sample)") {
  // fixed = 60 + 40 + 80 MB + 0.5 GB + 1 GB = 1.68 GB; per sample 60 MB.
  // capacity 3 GB: (3 - 1.68) / 0.06 = 22.0 -> 22; capacity 2.999 GB -> 21.98 -> 21.
  const MemoryInputs in{10e6, 50e6, 10e6};
  CHECK(largest_batch(in, 3.0e9, Precision::amp, Optimizer::adamw) == 22);
  CHECK(largest_batch(in, 2.999e9, Precision::amp, Optimizer::adamw) == 21);
  CHECK(training_memory(in, 22, Precision::amp, Optimizer::adamw).total() <= 3.0e9 * (1 + 1e-12));
  // Not even one sample: 1.68 + 0.06 > 1.7 GB.
  CHECK(largest_batch(in, 1.7e9, Precision::amp, Optimizer::adamw) == 0);
}

TEST_CASE("optimizer step traffic per parameter (foreach kernels, fp32 state)") {
  // SGD: 12 + 8 + 12 + 12 = 44; AdamW: 8 + 12 + 8 + 12 + 8 + 8 + 8 + 16 = 80; GradScaler + 8.
  CHECK(optimizer_step_bytes_per_param(Optimizer::sgd, Precision::fp32) == 44.0);
  CHECK(optimizer_step_bytes_per_param(Optimizer::adamw, Precision::tf32) == 80.0);
  CHECK(optimizer_step_bytes_per_param(Optimizer::sgd, Precision::amp) == 52.0);
  Optimizer o{};
  CHECK(parse_optimizer("adam", o));
  CHECK(o == Optimizer::adamw);
  CHECK_FALSE(parse_optimizer("lamb", o));
}

TEST_CASE("calibration: c = measured / predicted") {
  // 450 ms measured, 360 ms predicted: c = 1.25.
  CHECK(calibration_factor(0.450, 0.360) == Approx(1.25));
  CHECK_THROWS_AS(calibration_factor(0.0, 0.360), InputError);
  CHECK_THROWS_AS(calibration_factor(0.450, -1.0), InputError);
}

TEST_CASE("host dispatch: a phase takes max(kernel time, ops x dispatch)") {
  // 1000 operators x 10 us = 10 ms of host time against 4 ms of kernels: stretch 2.5.
  CHECK(eager_dispatch_per_op() == Approx(10e-6));
  CHECK(host_bound_stretch(4e-3, 1000 * eager_dispatch_per_op()) == Approx(2.5));
  CHECK(host_bound_stretch(40e-3, 10e-3) == 1.0);
  CHECK(host_bound_stretch(0.0, 10e-3) == 1.0);
}
