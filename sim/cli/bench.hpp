// The benchmarks behind `trainsim bench`; each in its own file. argv[2] is the benchmark's name.
#pragma once

namespace trainsim::cli {

int bench_collective(int argc, char** argv);  // bench_collective.cpp
int bench_run(int argc, char** argv);         // bench_run.cpp
int bench_sweep(int argc, char** argv);       // bench_sweep.cpp
int bench_trace(int argc, char** argv);       // bench_trace.cpp

}  // namespace trainsim::cli
