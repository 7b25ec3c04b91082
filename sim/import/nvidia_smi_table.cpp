#include "sim/import/nvidia_smi_table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io::topo_text {

namespace {

// The affinity columns, as nvidia-smi names them; anything else in the header is a device.
const std::vector<std::string> kAffinity{"CPU Affinity", "NUMA Affinity", "GPU NUMA ID"};

// Drops ANSI escape sequences (nvidia-smi underlines the header even when not on a terminal) and a
// trailing CR.
std::string clean(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < line.size() && !std::isalpha(static_cast<unsigned char>(line[j]))) ++j;
      i = j;
      continue;
    }
    out += line[i];
  }
  return out;
}

// Fields between tabs, trimmed, with their columns (the raw output).
std::vector<Cell> split_tabs(const std::string& line) {
  std::vector<Cell> out;
  std::size_t start = 0;
  while (true) {
    const auto pos = line.find('\t', start);
    const std::string raw = line.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    const auto lead = raw.find_first_not_of(' ');
    out.push_back({trim(raw), static_cast<int>(start + (lead == std::string::npos ? 0 : lead)) + 1});
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

// Words between runs of blanks (a paste that lost its tabs).
std::vector<Cell> split_blanks(const std::string& line) {
  std::vector<Cell> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    const std::size_t j = line.find_first_of(" \t", i);
    const std::size_t end = j == std::string::npos ? line.size() : j;
    out.push_back({line.substr(i, end - i), static_cast<int>(i) + 1});
    i = end;
  }
  return out;
}

// The header's words with the affinity names joined back ("CPU" "Affinity" -> "CPU Affinity").
std::vector<Cell> header_columns(const std::string& line) {
  const bool tabs = line.find('\t') != std::string::npos;
  std::vector<Cell> words = tabs ? split_tabs(line) : split_blanks(line);
  if (tabs) {
    // A tab-separated header may still carry runs of spaces inside a field: split those words too,
    // keeping the affinity names whole.
    std::vector<Cell> out;
    for (const auto& w : words) {
      if (w.text.empty()) continue;
      if (std::find(kAffinity.begin(), kAffinity.end(), w.text) != kAffinity.end()) {
        out.push_back(w);
        continue;
      }
      for (auto part : split_blanks(w.text)) {
        part.column += w.column - 1;
        out.push_back(part);
      }
    }
    words = out;
  }
  std::vector<Cell> cols;
  for (std::size_t i = 0; i < words.size(); ++i) {
    bool joined = false;
    for (const std::string& name : kAffinity) {
      const auto parts = split_blanks(name);
      if (i + parts.size() > words.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < parts.size() && match; ++k) match = words[i + k].text == parts[k].text;
      if (match) {
        cols.push_back({name, words[i].column});
        i += parts.size() - 1;
        joined = true;
        break;
      }
    }
    if (!joined) cols.push_back(words[i]);
  }
  return cols;
}

bool is_affinity(const std::string& s) { return std::find(kAffinity.begin(), kAffinity.end(), s) != kAffinity.end(); }

}  // namespace

bool is_gpu_column(const std::string& name) {
  return starts_with(name, "GPU") && name.size() > 3 &&
         std::all_of(name.begin() + 3, name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

Table read_table(const std::string& text, const std::string& file) {
  Table t;
  std::vector<Cell> affinity;  // the affinity columns of the header, in order
  bool header_tabs = false;
  std::istringstream in(text);
  std::string raw;
  int lineno = 0;
  int first_text_line = 0;
  while (std::getline(in, raw)) {
    ++lineno;
    const std::string line = clean(raw);
    const std::string trimmed = trim(line);
    if (t.header_line == 0) {
      if (trimmed.empty()) continue;
      if (first_text_line == 0) first_text_line = lineno;
      const std::vector<Cell> cols = header_columns(line);
      if (cols.empty() || cols.front().text != "GPU0") continue;  // text before the header
      t.header_line = lineno;
      header_tabs = line.find('\t') != std::string::npos;
      for (const auto& c : cols) {
        if (is_affinity(c.text)) affinity.push_back(c);
        else if (!affinity.empty()) {
          throw InputError({file, lineno, c.column}, "header", c.text,
                           "a device column (GPU#, NIC#, mlx5_0, ...) before CPU Affinity, NUMA Affinity, GPU NUMA ID");
        } else if (std::any_of(c.text.begin(), c.text.end(), [](char ch) { return std::iscntrl(static_cast<unsigned char>(ch)); })) {
          throw InputError({file, lineno, c.column}, "header", c.text, "a device column of printable characters");
        } else {
          t.devices.push_back(c);
        }
      }
      continue;
    }
    if (trimmed.empty() || starts_with(trimmed, "Legend") || starts_with(trimmed, "NIC Legend")) break;
    const bool tabs = line.find('\t') != std::string::npos;
    std::vector<Cell> fields = tabs ? split_tabs(line) : split_blanks(line);
    if (tabs && !fields.empty() && fields.front().text.empty()) fields.erase(fields.begin());  // an indented row
    if (fields.empty()) break;
    const std::string label = fields.front().text;
    const bool known = std::any_of(t.devices.begin(), t.devices.end(), [&](const Cell& d) { return d.text == label; });
    if (!known && t.rows.size() >= t.devices.size()) break;  // text after the matrix
    Row r{label, lineno, {}, {}, {}};
    // Device cells: the next fields that are not empty (a tab-separated cell is never empty).
    std::size_t k = 1;
    while (k < fields.size() && r.cells.size() < t.devices.size()) {
      if (!fields[k].text.empty() || !tabs) r.cells.push_back(fields[k]);
      ++k;
    }
    std::vector<Cell> rest(fields.begin() + static_cast<std::ptrdiff_t>(k), fields.end());
    if (header_tabs && tabs) {
      // The raw output: the fields after the matrix are the affinity columns in order (nvidia-smi
      // adds an empty field before GPU NUMA ID, which this leaves to that column).
      for (std::size_t a = 0; a < affinity.size() && a < rest.size(); ++a) {
        if (affinity[a].text == "CPU Affinity") r.cpu_affinity = rest[a];
        if (affinity[a].text == "NUMA Affinity") r.numa_affinity = rest[a];
      }
    } else {
      std::vector<Cell> words;
      for (const auto& c : rest) {
        if (!c.text.empty()) words.push_back(c);
      }
      std::vector<int> slot(words.size());
      if (words.size() >= affinity.size()) {
        for (std::size_t w = 0; w < words.size(); ++w) slot[w] = static_cast<int>(std::min(w, affinity.size() - 1));
      } else {
        // Fewer words than columns (an empty CPU Affinity, say): each word belongs to the column
        // it stands under; two words under one column cannot be placed.
        for (std::size_t w = 0; w < words.size(); ++w) {
          int best = 0;
          for (std::size_t a = 1; a < affinity.size(); ++a) {
            if (std::abs(affinity[a].column - words[w].column) < std::abs(affinity[static_cast<std::size_t>(best)].column - words[w].column)) {
              best = static_cast<int>(a);
            }
          }
          slot[w] = best;
          if (w > 0 && slot[w] <= slot[w - 1]) {
            throw InputError({file, lineno, words[w].column}, label + "/" + affinity[static_cast<std::size_t>(best)].text,
                             words[w].text,
                             "one value per affinity column (the tabs were lost and the columns do not line up: paste "
                             "the raw output)");
          }
        }
      }
      for (std::size_t w = 0; w < words.size() && !affinity.empty(); ++w) {
        const std::string& name = affinity[static_cast<std::size_t>(slot[w])].text;
        if (name == "CPU Affinity") r.cpu_affinity = words[w];
        if (name == "NUMA Affinity") r.numa_affinity = words[w];
      }
    }
    t.rows.push_back(std::move(r));
  }
  if (t.header_line == 0) {
    const int at = first_text_line == 0 ? 1 : first_text_line;
    throw InputError({file, at, 1}, "header", trim(text.substr(0, 40)),
                     "the output of `nvidia-smi topo -m` (a header row GPU0 GPU1 ... CPU Affinity)");
  }
  return t;
}

}  // namespace trainsim::io::topo_text
