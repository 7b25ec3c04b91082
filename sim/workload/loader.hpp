// The cost of preparing one training sample on one CPU core (platforms/dataloader.yaml), and of
// evaluating a text detector's output on the CPU.
#pragma once

#include <string>

#include "sim/hw/units.hpp"

namespace trainsim {

// DBNet's input pipeline and evaluation, measured in Python by bench/db_pipeline.py: core-seconds
// per image, linear in the stored and training megapixels and the text instances of the image.
struct DetectionCosts {
  bool measured = false;
  double decode_s_per_stored_megapixel = 0;
  double augment_s_per_stored_megapixel = 0;   // flip, rotation and random scale of the whole image
  double augment_s_per_output_megapixel = 0;   // the crop into the training size, normalisation
  Seconds augment_s_per_sample = 0;
  double label_maps_s_per_output_megapixel = 0;  // shrink and threshold maps
  Seconds label_maps_s_per_instance = 0;
  double label_maps_s_per_instance_output_megapixel = 0;  // a threshold map costs per pixel of its text
  double collate_s_per_output_megapixel = 0;
  double postprocess_s_per_output_megapixel = 0;  // binarise, contours, boxes, unclip
  Seconds postprocess_s_per_instance = 0;
  double postprocess_s_per_instance_output_megapixel = 0;
  Seconds hmean_s_per_instance = 0;               // IoU matching against the ground truth
  Seconds hmean_s_per_instance_squared = 0;
  std::string measured_on;
};

struct LoaderCosts {
  double decode_s_per_megapixel = 0;          // of the stored image
  double augment_s_per_output_megapixel = 0;  // of the training image
  double copy_gbps = 10;                      // handing tensors to the training process
  Seconds per_sample_s = 0;                   // fixed per-sample overhead
  std::string measured_on;
  DetectionCosts detection;                   // text detectors (dbnet-*)
};

// Core-seconds to read nothing, decode, augment and hand over one sample:
//   t = decode x stored_MP + augment x (h x w / 1e6) + input_bytes / copy_rate + per_sample
[[nodiscard]] Seconds sample_load_seconds(const LoaderCosts& c, double stored_megapixels, int height_px, int width_px,
                                          Bytes input_bytes) noexcept;

// Where one detection sample's core-seconds go (DBNet's training pipeline).
struct DetectionSample {
  Seconds decode = 0, augment = 0, label_maps = 0, collate = 0;
  [[nodiscard]] Seconds total() const noexcept { return decode + augment + label_maps + collate; }
};
[[nodiscard]] DetectionSample detection_sample_seconds(const DetectionCosts& c, double stored_megapixels, int height_px,
                                                       int width_px, double text_instances) noexcept;

// Evaluation of one image: loading it (decode, resize to the training size, collate), the
// post-processing of the model's output, and the matching that the H-mean counts.
[[nodiscard]] Seconds detection_eval_load_seconds(const DetectionCosts& c, double stored_megapixels, int height_px,
                                                  int width_px) noexcept;
[[nodiscard]] Seconds detection_postprocess_seconds(const DetectionCosts& c, int height_px, int width_px,
                                                    double text_instances) noexcept;
[[nodiscard]] Seconds detection_hmean_seconds(const DetectionCosts& c, double text_instances) noexcept;

// Whether a zoo model is a text detector whose loader makes DBNet's label maps.
[[nodiscard]] bool is_text_detector(const std::string& model) noexcept;

}  // namespace trainsim
