// Errors that trainsim raises on bad input. Library code throws; only sim/cli turns an error
// into a message and an exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace trainsim {

// Where a value came from. line/column are 1-based; 0 means unknown (e.g. a CLI flag).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  [[nodiscard]] std::string to_string() const;
};

// Bad user input: names the file, line and column, the key path, the value and what was expected.
// what() is one line: "file:line:column: key 'a.b': value 'x': expected ...".
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key, std::string value, std::string expected);

  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& key() const noexcept { return key_; }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  [[nodiscard]] const std::string& expected() const noexcept { return expected_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string value_;
  std::string expected_;
};

// A failure that is not the user's input: a simulation that could not complete, a child process
// that crashed, an I/O error on an output file.
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace trainsim
