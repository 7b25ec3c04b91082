#include "sim/sweep/shard.hpp"

#include <cerrno>
#include <cstdlib>

#include "sim/util/error.hpp"

namespace trainsim::sweep {

namespace {

std::optional<long long> to_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return v;
}

std::optional<long long> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  const auto n = to_int(v);
  if (!n) throw InputError({"environment"}, name, v, "an integer (Slurm sets it for job arrays)");
  return n;
}

}  // namespace

Shard parse_shard(const std::string& text, const std::string& option) {
  const auto slash = text.find('/');
  const std::string expected = "K/N: shard K (0 to N-1) of N, e.g. 0/4";
  if (slash == std::string::npos) throw InputError({"command line"}, option, text, expected);
  const auto k = to_int(text.substr(0, slash));
  const auto n = to_int(text.substr(slash + 1));
  if (!k || !n || *n < 1 || *k < 0 || *k >= *n) throw InputError({"command line"}, option, text, expected);
  return {*k, *n};
}

std::optional<Shard> shard_from_slurm() {
  const auto id = env_int("SLURM_ARRAY_TASK_ID");
  const auto count = env_int("SLURM_ARRAY_TASK_COUNT");
  if (!id || !count) return std::nullopt;
  const long long min = env_int("SLURM_ARRAY_TASK_MIN").value_or(0);
  const long long step = env_int("SLURM_ARRAY_TASK_STEP").value_or(1);
  if (step < 1 || *count < 1 || *id < min || (*id - min) % step != 0 || (*id - min) / step >= *count) {
    throw InputError({"environment"}, "SLURM_ARRAY_TASK_ID", std::to_string(*id),
                     "a task of the array MIN + STEP * K, K from 0 to SLURM_ARRAY_TASK_COUNT - 1 (" +
                         std::to_string(*count) + " tasks from " + std::to_string(min) + " by " + std::to_string(step) + ")");
  }
  return Shard{(*id - min) / step, *count};
}

std::vector<long long> shard_points(long long total, const Shard& shard) {
  std::vector<long long> out;
  for (long long i = shard.index; i < total; i += shard.count) out.push_back(i);
  return out;
}

}  // namespace trainsim::sweep
