// Small string helpers used by every layer: edit distance for "did you mean" suggestions,
// joining, number formatting that round-trips.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trainsim {

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates closest to `word` (at most `max` of them, within a distance that scales with
// the word's length), best first. Empty when nothing is close.
[[nodiscard]] std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates,
                                               std::size_t max = 3);

// "one of: a, b, c" or "one of: a, b, c (did you mean 'b'?)" when `word` is near a candidate.
[[nodiscard]] std::string one_of(std::string_view word, const std::vector<std::string>& candidates);

[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Shortest decimal text that reads back to the same double (std::to_chars).
[[nodiscard]] std::string format_double(double v);

// Fixed notation with `digits` decimals.
[[nodiscard]] std::string fixed(double v, int digits);

[[nodiscard]] bool starts_with(std::string_view s, std::string_view prefix);
[[nodiscard]] bool ends_with(std::string_view s, std::string_view suffix);
[[nodiscard]] std::string trim(std::string_view s);
[[nodiscard]] std::vector<std::string> split(std::string_view s, char sep);

}  // namespace trainsim
