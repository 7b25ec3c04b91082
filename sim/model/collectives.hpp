// Alpha-beta costs of the collective algorithms that sim/engine replays. Each formula is the
// exact time of the engine's activity graph when nothing contends: every transfer of a step runs
// at `bytes_per_s` and pays `alpha` (the latency of its route) once.
//   n        ranks
//   S        bytes of the whole buffer (nccl-tests "size")
//   alpha    seconds of latency per transfer
//   bw       bytes/s one transfer gets (a hop's effective bandwidth, shared among its channels)
#pragma once

#include "sim/hw/units.hpp"

namespace trainsim {

// Ring all-reduce as NCCL runs it: reduce-scatter then all-gather, 2(n-1) steps, each moving a
// segment of S/n per rank (split over channels that share the hop):
//   T = 2(n-1) * (alpha + S / (n * bw))
[[nodiscard]] Seconds ring_allreduce_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept;

// Ring reduce-scatter or all-gather: T = (n-1) * (alpha + S / (n * bw))
[[nodiscard]] Seconds ring_reduce_scatter_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept;
[[nodiscard]] Seconds ring_all_gather_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw) noexcept;

// Pipelined chain broadcast from the root along the ring, S cut into k chunks:
//   T = (n - 2 + k) * (alpha + S / (k * bw))
[[nodiscard]] Seconds ring_broadcast_time(int n, Bytes S, int chunks, Seconds alpha, BytesPerSecond bw) noexcept;

// Pipelined tree all-reduce over a tree of height H (edges root to deepest leaf) carrying
// S_tree bytes in k chunks: reduce up, broadcast down, chunk j of the broadcast following
// chunk j of the reduction:
//   T = (2H + k - 1) * (alpha + S_tree / (k * bw))
// The double binary tree gives each tree S/2; its two trees run at once.
[[nodiscard]] Seconds tree_allreduce_time(int height, Bytes S_tree, int chunks, Seconds alpha,
                                          BytesPerSecond bw) noexcept;

// One-shot all-reduce: every rank sends its whole buffer to every other rank at once and reduces
// locally. With one link per GPU to a switch, n-1 flows share it in each direction:
//   T = alpha + (n-1) * S / bw_gpu          (bw_gpu: the GPU's link to the switch)
[[nodiscard]] Seconds direct_allreduce_time(int n, Bytes S, Seconds alpha, BytesPerSecond bw_gpu) noexcept;

// NVLink SHARP (NVLS) all-reduce: the switch reduces and multicasts. Per GPU, reduce-scatter
// reads S up and returns S/n down; all-gather writes S/n up and multicasts S down, so each
// direction carries S(n+1)/n. Pipelined in k chunks, up of chunk j beside down of chunk j-1:
//   T = (k + 1) * (alpha + S (n+1) / (n k bw_gpu))
[[nodiscard]] Seconds nvls_allreduce_time(int n, Bytes S, int chunks, Seconds alpha, BytesPerSecond bw_gpu) noexcept;

// How many pipeline chunks the engine cuts S into: ceil(S / chunk), at least 1, at most max.
[[nodiscard]] int pipeline_chunks(Bytes S, Bytes chunk_bytes, int max_chunks) noexcept;

// nccl-tests bus bandwidth factors: busbw = algbw * factor.
[[nodiscard]] double allreduce_busbw_factor(int n) noexcept;      // 2(n-1)/n
[[nodiscard]] double gather_scatter_busbw_factor(int n) noexcept;  // (n-1)/n
[[nodiscard]] constexpr double broadcast_busbw_factor() noexcept { return 1.0; }

}  // namespace trainsim
