#include "sim/hw/precision.hpp"

namespace trainsim {

std::string_view to_string(DataType t) {
  switch (t) {
    case DataType::fp32: return "fp32";
    case DataType::tf32: return "tf32";
    case DataType::fp16: return "fp16";
    case DataType::bf16: return "bf16";
    case DataType::fp8: return "fp8";
  }
  return "?";
}

std::string_view to_string(Precision p) {
  switch (p) {
    case Precision::fp32: return "fp32";
    case Precision::tf32: return "tf32";
    case Precision::amp: return "amp";
    case Precision::bf16: return "bf16";
    case Precision::fp8: return "fp8";
  }
  return "?";
}

std::optional<Precision> parse_precision(std::string_view s) {
  if (s == "fp32") return Precision::fp32;
  if (s == "tf32") return Precision::tf32;
  if (s == "amp" || s == "fp16") return Precision::amp;
  if (s == "bf16") return Precision::bf16;
  if (s == "fp8") return Precision::fp8;
  return std::nullopt;
}

std::optional<DataType> parse_data_type(std::string_view s) {
  for (DataType t : all_data_types()) {
    if (to_string(t) == s) return t;
  }
  return std::nullopt;
}

const std::vector<std::string>& precision_names() {
  static const std::vector<std::string> names{"fp32", "tf32", "amp", "bf16", "fp8"};
  return names;
}

const std::vector<DataType>& all_data_types() {
  static const std::vector<DataType> types{DataType::fp32, DataType::tf32, DataType::fp16, DataType::bf16,
                                           DataType::fp8};
  return types;
}

DataType matmul_type(Precision p) {
  switch (p) {
    case Precision::fp32: return DataType::fp32;
    case Precision::tf32: return DataType::tf32;
    case Precision::amp: return DataType::fp16;
    case Precision::bf16: return DataType::bf16;
    case Precision::fp8: return DataType::fp8;
  }
  return DataType::fp32;
}

int activation_bytes(Precision p) {
  return p == Precision::fp32 || p == Precision::tf32 ? 4 : 2;
}

bool mixed(Precision p) { return p == Precision::amp || p == Precision::bf16 || p == Precision::fp8; }

}  // namespace trainsim
