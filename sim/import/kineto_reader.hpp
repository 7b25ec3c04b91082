// Reads PyTorch profiler (Kineto) traces: `.json`, `.json.gz`, or a `.tar.gz` of one file per
// rank. Both schemas: the current one (categories kernel, cuda_runtime, cpu_op, `External id`)
// and the 2021 one (Kernel, Runtime, Operator, `external id`). docs/profiles.md says what is read.
#pragma once

#include <optional>
#include <string>

#include "sim/workload/kernel_trace.hpp"

namespace trainsim::io {

struct TraceReadOptions {
  std::optional<int> rank;  // which member of a multi-rank archive; default: the lowest rank
};

// Throws InputError naming the file (and the member of an archive) for JSON that does not parse
// (with line:column), ROCm traces, traces without GPU activity, and archives without the rank.
[[nodiscard]] KernelTrace read_kineto_trace(const std::string& path, const TraceReadOptions& options = {});

// The same from bytes already in memory (`name` for messages); used by the fuzz target.
[[nodiscard]] KernelTrace parse_kineto_trace(const std::string& bytes, const std::string& name);

}  // namespace trainsim::io
