// Validation of the compute model: predicted single-GPU ResNet-50 training throughput beside the
// published gpus = 1 rows of training-throughput.csv, and the OCR campaign's own measurement
// (DBNet HRNet-W44, 1024 px, batch 4, amp on one RTX 3090: ~450 ms per iteration). Pure: the CLI
// prints what these return.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/input/throughput_reference.hpp"
#include "sim/validation/leave_one_out.hpp"
#include "sim/validation/source_range.hpp"
#include "sim/workload/compute_profile.hpp"

namespace trainsim::validation {

// ocr-campaign.md: "HRNet-W44 DBNet at 1024 px, batch 4: about 450 ms per iteration, 8.9 images/s"
// on one RTX 3090 with amp. The report does not name its optimizer or memory format; DB's own
// configuration trains with SGD and PyTorch's default NCHW.
struct OcrCase {
  const char* model = "dbnet-hrnet-w44";
  int image_px = 1024;
  int batch = 4;
  Precision precision = Precision::amp;
  const char* gpu = "rtx3090";
  double measured_s = 0.450;
};

struct SingleGpuRow {
  io::ThroughputRow row;
  ComputeProfile profile;
  double predicted = 0;  // images/s
  double error = 0;      // (predicted - published) / published
  bool fits = true;
};

struct SingleGpuValidation {
  std::vector<SingleGpuRow> rows;
  bool setups_known = true;  // every row has a training-setups.csv entry
  double median_abs_error = 0, worst_abs_error = 0;
  // Leave-one-GPU-out (leave_one_out.hpp): a throughput factor fitted on the other GPUs' rows.
  LogoSummary logo;
  // Rows that measure one thing and disagree, read as a range (source_range.hpp).
  RangeSummary ranges;
  OcrCase ocr;
  ComputeProfile ocr_profile;
  double ocr_error = 0;  // (predicted - measured) / measured iteration time
};

// What a row measures: the model, size, precision, GPU, GPU count, memory format and optimizer.
// Not its source, system, batch or data: the model predicts each row at its own batch, and what
// else differs between rows of one key (the system, the software of the day, the input pipeline
// where it does not bind) is what makes sources disagree.
[[nodiscard]] std::string range_key(const io::ThroughputRow& row);

// One gpus = 1 row on its own GPU; a GPU the catalog does not hold is an InputError at the row.
[[nodiscard]] SingleGpuRow predict_single_gpu(const io::ThroughputRow& row, const Catalog& catalog);

// Every gpus = 1 row of DIR/training-throughput.csv, and the OCR case.
[[nodiscard]] SingleGpuValidation validate_single_gpu(const std::string& reference_dir, const Catalog& catalog);

}  // namespace trainsim::validation
