#include "sim/input/throughput_reference.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "sim/input/yaml.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

struct CsvRecord {
  std::map<std::string, std::string> cells;
  int line = 0;
};

struct Csv {
  std::string file;
  std::vector<CsvRecord> records;
};

// A comma-separated table without quoting (the reference files need none); `path` names it in errors.
Csv parse_csv(const std::string& text, const std::string& path, const std::vector<std::string>& required) {
  Csv csv{path, {}};
  const std::vector<std::string> lines = split(text, '\n');
  std::vector<std::string> header;
  int line_no = 0;
  for (const auto& raw : lines) {
    ++line_no;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells = split(line, ',');
    for (auto& c : cells) c = trim(c);
    if (header.empty()) {
      header = cells;
      for (const auto& r : required) {
        bool found = false;
        for (const auto& h : header) found = found || h == r;
        if (!found) throw InputError({path, line_no, 1}, "header", line, "a column named '" + r + "'");
      }
      continue;
    }
    if (cells.size() != header.size()) {
      throw InputError({path, line_no, 1}, "row", line,
                       std::to_string(header.size()) + " comma-separated cells like the header");
    }
    CsvRecord rec;
    rec.line = line_no;
    for (std::size_t i = 0; i < header.size(); ++i) rec.cells[header[i]] = cells[i];
    csv.records.push_back(std::move(rec));
  }
  if (header.empty()) throw InputError({path}, "header", "", "a header line naming the columns");
  return csv;
}

const std::string& cell(const Csv& csv, const CsvRecord& r, const std::string& key) {
  const auto it = r.cells.find(key);
  if (it == r.cells.end()) throw InputError({csv.file, r.line, 1}, key, "", "a value");
  return it->second;
}

double number(const Csv& csv, const CsvRecord& r, const std::string& key, double min, double max) {
  const std::string& s = cell(csv, r, key);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v < min || v > max) {
    throw InputError({csv.file, r.line, 1}, key, s, "a number from " + format_double(min) + " to " + format_double(max));
  }
  return v;
}

int integer(const Csv& csv, const CsvRecord& r, const std::string& key, int min, int max) {
  const double v = number(csv, r, key, min, max);
  if (v != std::floor(v)) throw InputError({csv.file, r.line, 1}, key, cell(csv, r, key), "a whole number");
  return static_cast<int>(v);
}

Precision precision(const Csv& csv, const CsvRecord& r) {
  const auto p = parse_precision(cell(csv, r, "precision"));
  if (!p) throw InputError({csv.file, r.line, 1}, "precision", cell(csv, r, "precision"), one_of(cell(csv, r, "precision"), precision_names()));
  return *p;
}

// YYYY-MM with a month from 01 to 12, or empty.
std::string month(const Csv& csv, const CsvRecord& r, const std::string& key) {
  const auto it = r.cells.find(key);
  if (it == r.cells.end() || it->second.empty()) return "";
  const std::string& s = it->second;
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  const bool ok = s.size() == 7 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12";
  if (!ok) throw InputError({csv.file, r.line, 1}, key, s, "a month as YYYY-MM, or nothing");
  return s;
}

struct Setup {
  std::string source;
  Precision precision;
  bool channels_last;
  Optimizer optimizer;
};

std::vector<Setup> parse_setups(const std::string& text, const std::string& path) {
  std::vector<Setup> out;
  const Csv csv = parse_csv(text, path, {"source", "precision", "memory_format", "optimizer"});
  for (const auto& r : csv.records) {
    const std::string& format = cell(csv, r, "memory_format");
    if (format != "nchw" && format != "nhwc") {
      throw InputError({csv.file, r.line, 1}, "memory_format", format, "nchw or nhwc");
    }
    Optimizer opt{};
    if (!parse_optimizer(cell(csv, r, "optimizer"), opt)) {
      throw InputError({csv.file, r.line, 1}, "optimizer", cell(csv, r, "optimizer"), one_of(cell(csv, r, "optimizer"), optimizer_names()));
    }
    out.push_back({cell(csv, r, "source"), precision(csv, r), format == "nhwc", opt});
  }
  return out;
}

}  // namespace

std::vector<ThroughputRow> load_training_throughput(const std::string& dir) {
  const std::string rows = dir + "/training-throughput.csv", setups = dir + "/training-setups.csv";
  const bool has_setups = std::filesystem::exists(setups);
  return parse_training_throughput(read_text_file(rows, "a reference CSV file"), rows,
                                   has_setups ? std::optional<std::string>(read_text_file(setups, "a reference CSV file"))
                                              : std::nullopt,
                                   setups);
}

std::vector<ThroughputRow> parse_training_throughput(const std::string& text, const std::string& file,
                                                     const std::optional<std::string>& setups_text,
                                                     const std::string& setups_file) {
  const Csv csv = parse_csv(text, file, {"source", "model", "image_px", "precision", "gpu", "gpus", "batch_per_gpu", "data",
                                         "images_per_s"});
  const std::vector<Setup> setups = setups_text ? parse_setups(*setups_text, setups_file) : std::vector<Setup>{};
  std::vector<ThroughputRow> rows;
  for (const auto& r : csv.records) {
    ThroughputRow row;
    row.where = {csv.file, r.line, 1};
    row.source = cell(csv, r, "source");
    row.model = cell(csv, r, "model");
    row.gpu = cell(csv, r, "gpu");
    row.data = cell(csv, r, "data");
    row.image_px = integer(csv, r, "image_px", 16, 16384);
    row.precision = precision(csv, r);
    row.gpus = integer(csv, r, "gpus", 1, 1 << 16);
    row.batch_per_gpu = integer(csv, r, "batch_per_gpu", 1, 1 << 20);
    row.images_per_s = number(csv, r, "images_per_s", 1e-9, 1e12);
    row.measured = month(csv, r, "measured");
    for (const auto& s : setups) {
      if (s.source == row.source && s.precision == row.precision) {
        row.channels_last = s.channels_last;
        row.optimizer = s.optimizer;
        row.setup_known = true;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace trainsim::io
