// Training precisions and the arithmetic data types whose dense peaks the catalog lists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainsim {

// The data type of a tensor-core (or CUDA-core, for fp32) peak in the catalog.
enum class DataType { fp32, tf32, fp16, bf16, fp8 };

// How a model trains. amp = fp16 mixed precision (autocast): convolutions and matmuls on fp16
// tensor cores, normalisations and element-wise layers memory bound in fp16, fp32 master weights.
// bf16 likewise with bf16. fp8: matmuls on fp8 tensor cores, the rest in bf16 (Transformer Engine).
enum class Precision { fp32, tf32, amp, bf16, fp8 };

[[nodiscard]] std::string_view to_string(DataType t);
[[nodiscard]] std::string_view to_string(Precision p);
[[nodiscard]] std::optional<Precision> parse_precision(std::string_view s);
[[nodiscard]] std::optional<DataType> parse_data_type(std::string_view s);
[[nodiscard]] const std::vector<std::string>& precision_names();
[[nodiscard]] const std::vector<DataType>& all_data_types();

// The data type whose peak the matmul-class layers (conv, linear) use.
[[nodiscard]] DataType matmul_type(Precision p);
// Bytes per element of activations for memory-bound layers (norm, activation, add, upsample).
[[nodiscard]] int activation_bytes(Precision p);
// True when the optimizer keeps fp32 master weights next to low-precision ones.
[[nodiscard]] bool mixed(Precision p);

}  // namespace trainsim
