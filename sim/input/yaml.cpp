#include "sim/input/yaml.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <map>

#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

// Aliases share nodes, but code that walks a tree key by key (laying a campaign's stage over its
// base, sim/input/yaml_overlay.cpp) visits every node as if expanded: ten aliases of ten aliases... of
// a map is a "billion laughs" document of a few hundred bytes. Counts the nodes the aliases add,
// from the parser's events, and stops at the first alias past the limit.
constexpr long long kMaxAliasNodes = 1'000'000;

class AliasCounter : public YAML::EventHandler {
 public:
  explicit AliasCounter(std::string file) : file_(std::move(file)) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override { leaf(anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = size_.find(anchor);
    const long long n = it == size_.end() ? 1 : it->second;
    nodes_ += n;
    added_ += n;
    if (added_ > kMaxAliasNodes) {
      throw InputError({file_, mark.line + 1, mark.column + 1}, "", "an alias",
                       "YAML whose aliases expand to at most " + std::to_string(kMaxAliasNodes) + " nodes");
    }
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  void leaf(YAML::anchor_t anchor) {
    ++nodes_;
    if (anchor != YAML::NullAnchor) size_[anchor] = 1;
  }
  void open(YAML::anchor_t anchor) {
    open_.emplace_back(anchor, nodes_);
    ++nodes_;
  }
  void close() {
    if (open_.empty()) return;
    const auto [anchor, start] = open_.back();
    open_.pop_back();
    if (anchor != YAML::NullAnchor) size_[anchor] = nodes_ - start;
  }

  std::string file_;
  long long nodes_ = 0;  // with aliases expanded
  long long added_ = 0;  // by aliases
  std::map<YAML::anchor_t, long long> size_;
  std::vector<std::pair<YAML::anchor_t, long long>> open_;
};

void check_aliases(const std::string& text, const std::string& file) {
  if (text.find('*') == std::string::npos) return;  // no alias
  std::istringstream in(text);
  YAML::Parser parser(in);
  AliasCounter counter(file);
  parser.HandleNextDocument(counter);
}

}  // namespace

YNode::YNode(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {
  if (node_.IsDefined()) {
    line_ = node_.Mark().line + 1;
    column_ = node_.Mark().column + 1;
  }
}

YNode YNode::parse(const std::string& text, const std::string& file) {
  // yaml-cpp accepts a NUL or other binary junk silently in places; refuse it up front.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
      int line = 1, col = 1;
      for (std::size_t j = 0; j < i; ++j) {
        if (text[j] == '\n') {
          ++line;
          col = 1;
        } else {
          ++col;
        }
      }
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02x", c);
      throw InputError({file, line, col}, "", buf, "YAML text (a control character is not allowed)");
    }
  }
  try {
    YAML::Node root = YAML::Load(text);
    check_aliases(text, file);
    YNode n(root, file, "");
    if (!root.IsDefined() || root.IsNull()) {
      n.line_ = 1;
      n.column_ = 1;
    }
    return n;
  } catch (const YAML::Exception& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "", "", "valid YAML (" + e.msg + ")");
  }
}

SourceLocation YNode::where() const { return {file_, line_, column_}; }

std::string YNode::text() const {
  if (!node_.IsDefined() || node_.IsNull()) return "";
  if (node_.IsScalar()) return node_.Scalar();
  if (node_.IsSequence()) return "a list of " + std::to_string(node_.size());
  if (node_.IsMap()) return "a map";
  return "?";
}

InputError YNode::error(const std::string& expected) const { return InputError(where(), path_, text(), expected); }

InputError YNode::error(const std::string& value, const std::string& expected) const {
  return InputError(where(), path_, value, expected);
}

void YNode::expect_map(const std::string& expected) const {
  if (!node_.IsMap()) throw error(expected);
}

namespace {
std::string child_path(const std::string& base, const std::string& key) { return base.empty() ? key : base + "." + key; }
}  // namespace

bool YNode::has(const std::string& key) const {
  if (!node_.IsMap()) return false;
  for (const auto& kv : node_) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return true;
  }
  return false;
}

YNode YNode::get(const std::string& key) const {
  if (node_.IsMap()) {
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        YNode n(kv.second, file_, child_path(path_, key));
        if (!kv.second.IsDefined() || kv.second.IsNull()) {
          n.line_ = kv.first.Mark().line + 1;
          n.column_ = kv.first.Mark().column + 1;
        }
        return n;
      }
    }
  }
  YNode missing(YAML::Node(YAML::NodeType::Undefined), file_, child_path(path_, key));
  missing.line_ = line_;
  missing.column_ = column_;
  return missing;
}

YNode YNode::require(const std::string& key, const std::string& expected) const {
  YNode n = get(key);
  if (!n.defined()) throw InputError(n.where(), n.path(), "(missing)", expected);
  return n;
}

std::vector<std::string> YNode::keys() const {
  std::vector<std::string> out;
  if (!node_.IsMap()) return out;
  for (const auto& kv : node_) out.push_back(kv.first.IsScalar() ? kv.first.Scalar() : "?");
  return out;
}

void YNode::allow_only(const std::vector<std::string>& allowed) const {
  if (!node_.IsMap()) return;
  std::vector<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const SourceLocation at{file_, kv.first.Mark().line + 1, kv.first.Mark().column + 1};
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw InputError(at, child_path(path_, key), key, "a known key, " + one_of(key, allowed));
    }
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      throw InputError(at, child_path(path_, key), key, "each key once (duplicate key)");
    }
    seen.push_back(key);
  }
}

YNode YNode::at(std::size_t i) const {
  return YNode(node_[i], file_, path_ + "[" + std::to_string(i) + "]");
}

std::vector<YNode> YNode::items(const std::string& expected) const {
  if (!node_.IsSequence()) throw error(expected);
  std::vector<YNode> out;
  for (std::size_t i = 0; i < node_.size(); ++i) out.push_back(at(i));
  return out;
}

std::string YNode::as_string(const std::string& expected) const {
  if (!node_.IsScalar()) throw error(expected);
  return node_.Scalar();
}

double YNode::as_double(double min, double max, const std::string& expected) const {
  if (!node_.IsScalar()) throw error(expected);
  const std::string& s = node_.Scalar();
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (s.empty() || end == begin || *end != '\0' || errno == ERANGE || !std::isfinite(v)) {
    throw error(expected + " (a finite number)");
  }
  // strtod reads "nan", "inf", hex floats: accept only plain decimal numbers.
  for (const char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' ||
          c == '_')) {
      throw error(expected + " (a finite number)");
    }
  }
  if (v < min || v > max) throw error(expected);
  return v;
}

long long YNode::as_int(long long min, long long max, const std::string& expected) const {
  if (!node_.IsScalar()) throw error(expected);
  const std::string& s = node_.Scalar();
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(begin, &end, 10);
  if (s.empty() || end == begin || *end != '\0' || errno == ERANGE) throw error(expected + " (an integer)");
  if (v < min || v > max) throw error(expected);
  return v;
}

bool YNode::as_bool() const {
  if (node_.IsScalar()) {
    const std::string& s = node_.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  throw error("true or false");
}

std::string YNode::as_enum(const std::vector<std::string>& allowed) const {
  if (!node_.IsScalar()) throw error(join(allowed, ", "));
  const std::string& s = node_.Scalar();
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) throw error(one_of(s, allowed));
  return s;
}

}  // namespace trainsim::io
