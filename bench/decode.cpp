// Measures the data-loader costs that platforms/dataloader.yaml records: JPEG decode (libjpeg-turbo
// through the libjpeg API, as Pillow and OpenCV use it) and the augmentation a text-detection
// loader does (resize with bilinear filtering, a small rotation, normalisation to float32 CHW), per
// megapixel on one core. The image is synthetic but document-like: a light page with dark strokes
// and sensor noise, encoded at quality 90, so that its compressed size per megapixel is near real
// receipt photos (~270 kB/MP).
//
// Build and run:  make bench-decode   (prints YAML to paste into platforms/dataloader.yaml)
#include <algorithm>
#include <cstddef>
#include <cstdio>

#include <jpeglib.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

std::vector<unsigned char> synthetic_page(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 6.f);
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // paper with uneven lighting, and rows of glyph-like strokes
      float v = 225.f - 25.f * static_cast<float>(x + y) / static_cast<float>(w + h);
      const int line = y % 48;
      if (line > 12 && line < 34 && ((x / 7) * 2654435761u >> 29) % 3 != 0 && (x % 7) < 4) v = 40.f;
      v += noise(rng);
      for (int c = 0; c < 3; ++c) {
        const float tint = c == 0 ? 1.0f : (c == 1 ? 0.98f : 0.94f);
        px[(static_cast<std::size_t>(y) * w + x) * 3 + c] = static_cast<unsigned char>(std::clamp(v * tint, 0.f, 255.f));
      }
    }
  }
  return px;
}

std::vector<unsigned char> encode(const std::vector<unsigned char>& px, int w, int h) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = static_cast<JDIMENSION>(w);
  cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(&px[static_cast<std::size_t>(cinfo.next_scanline) * w * 3]);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::vector<unsigned char> v(out, out + size);
  std::free(out);
  jpeg_destroy_compress(&cinfo);
  return v;
}

std::vector<unsigned char> decode(const std::vector<unsigned char>& jpg, int& w, int& h) {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, jpg.data(), jpg.size());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  w = static_cast<int>(cinfo.output_width);
  h = static_cast<int>(cinfo.output_height);
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = &px[static_cast<std::size_t>(cinfo.output_scanline) * w * 3];
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return px;
}

// Rotate by `deg` about the centre and resize to ow x oh with bilinear sampling, then normalise to
// float32 CHW with ImageNet mean/std: one pass over the output, as cv2.warpAffine + normalize do.
void augment(const std::vector<unsigned char>& px, int w, int h, int ow, int oh, float deg, std::vector<float>& out) {
  out.resize(static_cast<std::size_t>(ow) * oh * 3);
  const float a = deg * 3.14159265f / 180.f, ca = std::cos(a), sa = std::sin(a);
  const float sx = static_cast<float>(w) / ow, sy = static_cast<float>(h) / oh;
  const float mean[3] = {123.675f, 116.28f, 103.53f}, inv_std[3] = {1 / 58.395f, 1 / 57.12f, 1 / 57.375f};
  const std::size_t plane = static_cast<std::size_t>(ow) * oh;
  for (int y = 0; y < oh; ++y) {
    for (int x = 0; x < ow; ++x) {
      const float cx = (x - ow / 2.f) * sx, cy = (y - oh / 2.f) * sy;
      float u = ca * cx - sa * cy + w / 2.f, v = sa * cx + ca * cy + h / 2.f;
      u = std::clamp(u, 0.f, w - 2.f);
      v = std::clamp(v, 0.f, h - 2.f);
      const int x0 = static_cast<int>(u), y0 = static_cast<int>(v);
      const float fx = u - x0, fy = v - y0;
      for (int c = 0; c < 3; ++c) {
        const auto p = [&](int xx, int yy) { return static_cast<float>(px[(static_cast<std::size_t>(yy) * w + xx) * 3 + c]); };
        const float val = (1 - fy) * ((1 - fx) * p(x0, y0) + fx * p(x0 + 1, y0)) + fy * ((1 - fx) * p(x0, y0 + 1) + fx * p(x0 + 1, y0 + 1));
        out[c * plane + static_cast<std::size_t>(y) * ow + x] = (val - mean[c]) * inv_std[c];
      }
    }
  }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
  const int w = 1500, h = 1000;  // 1.5 MP, the OCR dataset's mean image
  const auto page = synthetic_page(w, h, 1);
  const auto jpg = encode(page, w, h);
  const double mp = w * h / 1e6;
  int dw = 0, dh = 0;
  // decode: repeat for >= 1 s
  int n = 0;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<unsigned char> px;
  while (seconds_since(t0) < 1.5) {
    px = decode(jpg, dw, dh);
    ++n;
  }
  const double decode_s_per_mp = seconds_since(t0) / n / mp;
  // augment to 1024 x 1024 output
  std::vector<float> out;
  const int ow = 1024, oh = 1024;
  n = 0;
  t0 = std::chrono::steady_clock::now();
  while (seconds_since(t0) < 1.5) {
    augment(px, dw, dh, ow, oh, 7.5f, out);
    ++n;
  }
  const double augment_s_per_out_mp = seconds_since(t0) / n / (ow * oh / 1e6);
  // copying a batch's tensors into shared memory for the main process (DataLoader IPC)
  std::vector<char> src(64u << 20, 1), dst(64u << 20);
  n = 0;
  t0 = std::chrono::steady_clock::now();
  while (seconds_since(t0) < 1.0) {
    std::memcpy(dst.data(), src.data(), src.size());
    src[static_cast<std::size_t>(n) % src.size()] = static_cast<char>(dst[7] + 1);
    ++n;
  }
  const double copy_bytes_per_s = static_cast<double>(src.size()) * n / seconds_since(t0);
  std::printf("# measured by bench/decode.cpp on one core\n");
  std::printf("image: {width: %d, height: %d, jpeg_bytes: %zu, bytes_per_megapixel: %.0f}\n", w, h, jpg.size(), jpg.size() / mp);
  std::printf("decode_s_per_megapixel: %.6f\n", decode_s_per_mp);
  std::printf("augment_s_per_output_megapixel: %.6f\n", augment_s_per_out_mp);
  std::printf("copy_gbps: %.2f\n", copy_bytes_per_s / 1e9);
  return 0;
}
