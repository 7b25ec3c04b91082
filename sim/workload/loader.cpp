#include "sim/workload/loader.hpp"

namespace trainsim {

Seconds sample_load_seconds(const LoaderCosts& c, double stored_megapixels, int height_px, int width_px,
                            Bytes input_bytes) noexcept {
  const double out_mp = static_cast<double>(height_px) * width_px / 1e6;
  return c.decode_s_per_megapixel * stored_megapixels + c.augment_s_per_output_megapixel * out_mp +
         input_bytes / (c.copy_gbps * kGB) + c.per_sample_s;
}

}  // namespace trainsim
