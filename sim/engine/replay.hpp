// The iteration replay on SimGrid (engine-internal: includes SimGrid through simulation.hpp).
//
// Per rank r and iteration k, with W loader workers and prefetch factor P:
//   read(r,k) storage -> host, load(r,k) one worker's core-seconds for the batch; worker k mod W
//     does its batches in order, and batch k is issued when batch k - W P is taken (PyTorch's
//     DataLoader keeps W P batches in flight), or at the start of its epoch;
//   take(r,k): the training loop gets the batch, after load(r,k) and the previous iteration (an
//     empty queue is a data stall);
//   h2d(r,k) host -> GPU over the rank's PCIe path; forward; backward in bucket-sized chunks;
//   all-reduce of bucket c once chunk c is done and bucket c-1's all-reduce is done on that rank
//     (NCCL runs a communicator's collectives in order); while one is in flight the rank's compute
//     runs at 1/(1+s); with overlap off, every all-reduce waits for the whole backward;
//   optimizer after the last bucket; the next iteration after the optimizer.
// Epoch ends add validation (forward only) on every rank and a checkpoint written by rank 0; the
// next epoch's loaders start after them. The graph is built two iterations ahead, from the
// completion of rank 0's forward, so that no activity is created after its predecessors finished.
#pragma once

#include "sim/engine/run.hpp"
#include "sim/engine/simulation.hpp"

namespace trainsim::engine {

[[nodiscard]] RunResult replay(Simulation& sim, const PreparedRun& run, const RunOptions& options);

}  // namespace trainsim::engine
