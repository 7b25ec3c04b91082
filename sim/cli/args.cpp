#include "sim/cli/args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "sim/util/strings.hpp"

namespace trainsim::cli {

Args::Args(std::string command, std::string summary) : command_(std::move(command)), summary_(std::move(summary)) {}

Args& Args::flag(const std::string& name, const std::string& help, const std::string& alias) {
  specs_.push_back({name, alias, "", help, std::nullopt, false, false, false});
  return *this;
}

Args& Args::option(const std::string& name, const std::string& metavar, const std::string& help,
                   std::optional<std::string> default_value, const std::string& alias) {
  specs_.push_back({name, alias, metavar, help, std::move(default_value), false, false, false});
  return *this;
}

Args& Args::multi(const std::string& name, const std::string& metavar, const std::string& help, const std::string& alias) {
  specs_.push_back({name, alias, metavar, help, std::nullopt, true, false, false});
  return *this;
}

Args& Args::positional(const std::string& name, const std::string& help, bool required) {
  specs_.push_back({name, "", name, help, std::nullopt, false, true, required});
  return *this;
}

Args& Args::rest(const std::string& name, const std::string& help) {
  specs_.push_back({name, "", name, help, std::nullopt, true, true, true});
  return *this;
}

Args& Args::epilog(const std::string& text) {
  epilog_ = text;
  return *this;
}

const Args::Spec* Args::find(const std::string& token) const {
  for (const auto& s : specs_) {
    if (s.positional) continue;
    if (token == "--" + s.name || (!s.alias.empty() && token == s.alias)) return &s;
  }
  return nullptr;
}

UsageError Args::error(const std::string& what) const {
  return UsageError("trainsim " + command_ + ": " + what + " (see 'trainsim " + command_ + " --help')");
}

bool Args::parse(int argc, char** argv, int first) {
  std::vector<const Spec*> positionals;
  for (const auto& s : specs_) {
    if (s.positional) positionals.push_back(&s);
  }
  std::size_t next_positional = 0;
  for (int i = first; i < argc; ++i) {
    std::string token = argv[i];
    if (token == "--help" || token == "-h") {
      std::cout << help();
      return false;
    }
    if (token.size() > 1 && token[0] == '-' && !(token.size() > 1 && std::isdigit(static_cast<unsigned char>(token[1])))) {
      std::string value;
      bool inline_value = false;
      if (const auto eq = token.find('='); eq != std::string::npos && starts_with(token, "--")) {
        value = token.substr(eq + 1);
        token = token.substr(0, eq);
        inline_value = true;
      }
      const Spec* s = find(token);
      if (s == nullptr) {
        std::vector<std::string> names;
        for (const auto& sp : specs_) {
          if (!sp.positional) names.push_back("--" + sp.name);
        }
        names.push_back("--help");
        const auto near = nearest(token, names, 1);
        throw error("unknown option '" + token + "'" + (near.empty() ? "" : " (did you mean '" + near.front() + "'?)"));
      }
      if (s->metavar.empty()) {
        if (inline_value) throw error("option '" + token + "' takes no value");
        values_.emplace_back(s->name, "true");
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= argc) throw error("option '" + token + "' needs a value " + s->metavar);
        value = argv[++i];
      }
      if (!s->repeated) {
        for (const auto& [n, v] : values_) {
          if (n == s->name) throw error("option '--" + s->name + "' given twice");
        }
      }
      values_.emplace_back(s->name, value);
      continue;
    }
    if (next_positional >= positionals.size()) throw error("unexpected argument '" + token + "'");
    values_.emplace_back(positionals[next_positional]->name, token);
    if (!positionals[next_positional]->repeated) ++next_positional;
  }
  for (std::size_t p = next_positional; p < positionals.size(); ++p) {
    if (positionals[p]->required && !has(positionals[p]->name)) throw error("missing " + positionals[p]->name);
  }
  return true;
}

bool Args::has(const std::string& name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return true;
  }
  return false;
}

std::string Args::get(const std::string& name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  for (const auto& s : specs_) {
    if (s.name == name && s.default_value) return *s.default_value;
  }
  return "";
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : values_) {
    if (n == name) out.push_back(v);
  }
  return out;
}

double Args::get_double(const std::string& name, double min, double max) const {
  const std::string s = get(name);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v < min || v > max) {
    throw error("--" + name + " '" + s + "': expected a number from " + format_double(min) + " to " + format_double(max));
  }
  return v;
}

long long Args::get_int(const std::string& name, long long min, long long max) const {
  const std::string s = get(name);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE || v < min || v > max) {
    throw error("--" + name + " '" + s + "': expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

double Args::get_bytes(const std::string& name) const {
  std::string s = get(name);
  double scale = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'K': case 'k': scale = 1024.0; break;
      case 'M': case 'm': scale = 1024.0 * 1024; break;
      case 'G': case 'g': scale = 1024.0 * 1024 * 1024; break;
      default: break;
    }
    if (scale != 1) s.pop_back();
  }
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v <= 0 || v * scale > 1e15) {
    throw error("--" + name + " '" + get(name) + "': expected a byte count > 0 such as 8, 64K, 128M or 8G");
  }
  return v * scale;
}

std::string Args::help() const {
  std::string out = "usage: trainsim " + command_;
  for (const auto& s : specs_) {
    if (s.positional) out += (s.required ? " " + s.name : " [" + s.name + "]") + (s.repeated ? "..." : "");
  }
  out += " [options]\n\n" + summary_ + "\n";
  bool any = false;
  for (const auto& s : specs_) {
    if (!s.positional) continue;
    if (!any) out += "\narguments:\n";
    any = true;
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %-26s", s.name.c_str());
    out += buf + s.help + "\n";
  }
  out += "\noptions:\n";
  for (const auto& s : specs_) {
    if (s.positional) continue;
    std::string left = "--" + s.name + (s.metavar.empty() ? "" : " " + s.metavar);
    if (!s.alias.empty()) left = s.alias + ", " + left;
    char buf[128];
    std::snprintf(buf, sizeof buf, "  %-26s", left.c_str());
    out += buf;
    if (left.size() > 26) out += "\n" + std::string(28, ' ');
    out += s.help;
    if (s.default_value && !s.default_value->empty()) out += " (default: " + *s.default_value + ")";
    if (s.repeated) out += " (repeatable)";
    out += "\n";
  }
  out += "  -h, --help                show this help\n";
  if (!epilog_.empty()) out += "\n" + epilog_ + "\n";
  return out;
}

}  // namespace trainsim::cli
