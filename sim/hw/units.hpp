// Units carried in names: every quantity in trainsim is SI (seconds, bytes, bytes/s, FLOP, W)
// inside the code; GB, GB/s, TFLOPS and microseconds appear only in data files and output.
#pragma once

namespace trainsim {

using Seconds = double;
using Bytes = double;
using BytesPerSecond = double;
using Flops = double;           // a count of floating-point operations
using FlopsPerSecond = double;  // a rate
using Watts = double;

inline constexpr double kGB = 1e9;      // data files use decimal GB, as NVIDIA's spec sheets do
inline constexpr double kGiB = 1073741824.0;
inline constexpr double kTera = 1e12;
inline constexpr double kMicro = 1e-6;

[[nodiscard]] constexpr BytesPerSecond gbps(double gigabytes_per_s) { return gigabytes_per_s * kGB; }
[[nodiscard]] constexpr FlopsPerSecond tflops(double teraflops) { return teraflops * kTera; }
[[nodiscard]] constexpr Seconds microseconds(double us) { return us * kMicro; }

}  // namespace trainsim
