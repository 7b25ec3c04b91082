#include "sim/util/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace trainsim {

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { finish(); }

bool Progress::wanted(bool json) { return isatty(2) != 0 && (!json || isatty(1) != 0); }

void Progress::update(long long done, long long total, const std::string& note) {
  if (!enabled_ || total <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double frac = static_cast<double>(done) / static_cast<double>(total);
  const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  constexpr int width = 30;
  const int filled = static_cast<int>(frac * width);
  char bar[width + 1];
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
  bar[width] = '\0';
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %lld/%lld  elapsed %.0fs  ETA %.0fs %s   ", label_.c_str(), bar, frac * 100, done,
               total, elapsed, eta, note.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace trainsim
