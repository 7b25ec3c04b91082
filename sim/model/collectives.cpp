#include "sim/model/collectives.hpp"

#include <algorithm>
#include <cmath>

namespace trainsim {

Seconds ring_allreduce_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept {
  if (n < 2) return 0.0;
  return 2.0 * (n - 1) * (alpha + S / (n * bw));
}

Seconds ring_reduce_scatter_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept {
  if (n < 2) return 0.0;
  return (n - 1) * (alpha + S / (n * bw));
}

Seconds ring_all_gather_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept {
  return ring_reduce_scatter_time(n, S, alpha, bw);
}

Seconds ring_broadcast_time(int n, Bytes S, int chunks, Seconds alpha, BytesPerSecond bw) noexcept {
  if (n < 2) return 0.0;
  return (n - 2 + chunks) * (alpha + S / (chunks * bw));
}

Seconds tree_allreduce_time(int height, Bytes S_tree, int chunks, Seconds alpha, BytesPerSecond bw) noexcept {
  if (height < 1) return 0.0;
  return (2 * height + chunks - 1) * (alpha + S_tree / (chunks * bw));
}

Seconds direct_allreduce_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw_gpu) noexcept {
  if (n < 2) return 0.0;
  return alpha + (n - 1) * S / bw_gpu;
}

Seconds nvls_allreduce_time(int n, Bytes S, int chunks, Seconds alpha, BytesPerSecond bw_gpu) noexcept {
  if (n < 2) return 0.0;
  return (chunks + 1) * (alpha + S * (n + 1) / (static_cast<double>(n) * chunks * bw_gpu));
}

int pipeline_chunks(Bytes S, Bytes chunk_bytes, int max_chunks) noexcept {
  if (S <= 0 || chunk_bytes <= 0) return 1;
  const double k = std::ceil(S / chunk_bytes);
  return static_cast<int>(std::clamp(k, 1.0, static_cast<double>(std::max(1, max_chunks))));
}

double allreduce_busbw_factor(int n) noexcept { return n < 2 ? 0.0 : 2.0 * (n - 1) / n; }
double gather_scatter_busbw_factor(int n) noexcept { return n < 2 ? 0.0 : static_cast<double>(n - 1) / n; }

}  // namespace trainsim
