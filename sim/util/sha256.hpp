// SHA-256 (FIPS 180-4), for identities that must not collide by accident: a sweep's id names the
// resolved sweep, so that shards of different sweeps are never merged.
#pragma once

#include <string>
#include <string_view>

namespace trainsim {

// The digest of `data` as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace trainsim
