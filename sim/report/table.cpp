#include "sim/report/table.hpp"

#include <algorithm>

namespace trainsim::io {

namespace {
// Display width: count UTF-8 code points, not bytes (box and Hangul characters).
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (const unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++w;
  }
  return w;
}
}  // namespace

Table::Table(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  if (align_.empty() && !header_.empty()) {
    align_.assign(header_.size(), Align::right);
    align_.front() = Align::left;  // a label column, then numbers
  }
  align_.resize(header_.size(), Align::right);
}

void Table::add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void Table::rule() { rows_.emplace_back(); }

std::string Table::render(const std::string& indent) const {
  std::vector<std::size_t> w(header_.size(), 0);
  for (std::size_t c = 0; c < header_.size(); ++c) w[c] = width(header_[c]);
  for (const auto& r : rows_) {
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], width(r[c]));
  }
  const auto line = [&](const std::vector<std::string>& r) {
    std::string out = indent;
    for (std::size_t c = 0; c < header_.size(); ++c) {
      const std::string& cell = r[c];
      const std::string pad(w[c] - width(cell), ' ');
      if (c > 0) out += "  ";
      out += align_[c] == Align::left ? cell + (c + 1 == header_.size() ? "" : pad) : pad + cell;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::size_t total = 0;
  for (std::size_t c = 0; c < w.size(); ++c) total += w[c] + (c > 0 ? 2 : 0);
  const std::string sep = indent + std::string(total, '-') + "\n";
  std::string out = line(header_) + sep;
  for (const auto& r : rows_) out += r.empty() ? sep : line(r);
  return out;
}

}  // namespace trainsim::io
