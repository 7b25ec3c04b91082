// Command-line parsing for the trainsim subcommands: declared options, --help text generated from
// the declarations, and one clear error (exit status 2) for anything unknown or malformed.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace trainsim::cli {

// A bad command line. The CLI prints it and exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  Args(std::string command, std::string summary);
  // "trainsim CMD: what (see 'trainsim CMD --help')", for a command's own checks of its options.
  [[nodiscard]] UsageError error(const std::string& what) const;

  Args& flag(const std::string& name, const std::string& help, const std::string& alias = "");
  Args& option(const std::string& name, const std::string& metavar, const std::string& help,
               std::optional<std::string> default_value = std::nullopt, const std::string& alias = "");
  Args& multi(const std::string& name, const std::string& metavar, const std::string& help, const std::string& alias = "");
  Args& positional(const std::string& name, const std::string& help, bool required = true);
  // The last positional: one or more values, all the arguments left (read them with all()).
  Args& rest(const std::string& name, const std::string& help);
  Args& epilog(const std::string& text);

  // Parses argv[first..argc). Returns false when --help was asked (the help is printed).
  [[nodiscard]] bool parse(int argc, char** argv, int first);

  [[nodiscard]] bool has(const std::string& name) const;
  [[nodiscard]] std::string get(const std::string& name) const;  // value, default, or "" when absent
  [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
  [[nodiscard]] double get_double(const std::string& name, double min, double max) const;
  [[nodiscard]] long long get_int(const std::string& name, long long min, long long max) const;
  // A byte count with an optional K/M/G suffix (powers of 1024), as nccl-tests reads them.
  [[nodiscard]] double get_bytes(const std::string& name) const;

  [[nodiscard]] std::string help() const;
  [[nodiscard]] const std::string& command() const { return command_; }

 private:
  struct Spec {
    std::string name;
    std::string alias;
    std::string metavar;  // empty for flags
    std::string help;
    std::optional<std::string> default_value;
    bool repeated = false;
    bool positional = false;
    bool required = false;
  };
  [[nodiscard]] const Spec* find(const std::string& token) const;

  std::string command_;
  std::string summary_;
  std::string epilog_;
  std::vector<Spec> specs_;
  std::vector<std::pair<std::string, std::string>> values_;  // name -> value, in order
};

}  // namespace trainsim::cli
