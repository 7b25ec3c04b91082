#include "sim/workload/loader.hpp"

namespace trainsim {

Seconds sample_load_seconds(const LoaderCosts& c, double stored_megapixels, int height_px, int width_px,
                            Bytes input_bytes) noexcept {
  const double out_mp = static_cast<double>(height_px) * width_px / 1e6;
  return c.decode_s_per_megapixel * stored_megapixels + c.augment_s_per_output_megapixel * out_mp +
         input_bytes / (c.copy_gbps * kGB) + c.per_sample_s;
}

DetectionSample detection_sample_seconds(const DetectionCosts& c, double stored_megapixels, int height_px, int width_px,
                                         double text_instances) noexcept {
  const double out_mp = static_cast<double>(height_px) * width_px / 1e6;
  DetectionSample s;
  s.decode = c.decode_s_per_stored_megapixel * stored_megapixels;
  s.augment = c.augment_s_per_stored_megapixel * stored_megapixels + c.augment_s_per_output_megapixel * out_mp +
              c.augment_s_per_sample;
  s.label_maps = c.label_maps_s_per_output_megapixel * out_mp + c.label_maps_s_per_instance * text_instances +
                 c.label_maps_s_per_instance_output_megapixel * text_instances * out_mp;
  s.collate = c.collate_s_per_output_megapixel * out_mp;
  return s;
}

Seconds detection_eval_load_seconds(const DetectionCosts& c, double stored_megapixels, int height_px, int width_px) noexcept {
  const double out_mp = static_cast<double>(height_px) * width_px / 1e6;
  return c.decode_s_per_stored_megapixel * stored_megapixels +
         (c.augment_s_per_output_megapixel + c.collate_s_per_output_megapixel) * out_mp;
}

Seconds detection_postprocess_seconds(const DetectionCosts& c, int height_px, int width_px, double text_instances) noexcept {
  const double out_mp = static_cast<double>(height_px) * width_px / 1e6;
  return c.postprocess_s_per_output_megapixel * out_mp + c.postprocess_s_per_instance * text_instances +
         c.postprocess_s_per_instance_output_megapixel * text_instances * out_mp;
}

Seconds detection_hmean_seconds(const DetectionCosts& c, double text_instances) noexcept {
  return c.hmean_s_per_instance * text_instances + c.hmean_s_per_instance_squared * text_instances * text_instances;
}

bool is_text_detector(const std::string& model) noexcept { return model.rfind("dbnet-", 0) == 0; }

}  // namespace trainsim
