#include "sim/import/compressed.hpp"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

std::string inflate_gzip(const std::string& in, const std::string& path) {
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header; concatenated members are read one after another.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw RuntimeError("zlib: inflateInit2 failed");
  std::string out;
  out.reserve(in.size() * 8);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK) break;
    if (z.avail_in == 0 && z.avail_out != 0) break;  // input ended inside the stream
  }
  const std::string msg = z.msg != nullptr ? z.msg : "";
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    throw InputError({path}, "gzip", msg.empty() ? "truncated stream" : msg, "a complete gzip file");
  }
  return out;
}

long long octal(const char* p, std::size_t n) {
  long long v = 0;
  for (std::size_t i = 0; i < n && p[i] != '\0' && p[i] != ' '; ++i) {
    if (p[i] < '0' || p[i] > '7') return -1;
    v = v * 8 + (p[i] - '0');
  }
  return v;
}

}  // namespace

std::string read_maybe_gzip(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError({path}, "file", path, "a readable file");
  std::ostringstream ss;
  ss << f.rdbuf();
  std::string bytes = std::move(ss).str();
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
    return inflate_gzip(bytes, path);
  }
  return bytes;
}

bool is_tar(const std::string& bytes) { return bytes.size() >= 512 && std::memcmp(bytes.data() + 257, "ustar", 5) == 0; }

std::vector<TarMember> tar_members(const std::string& bytes, const std::string& file) {
  std::vector<TarMember> out;
  std::size_t pos = 0;
  while (pos + 512 <= bytes.size()) {
    const char* h = bytes.data() + pos;
    if (h[0] == '\0') break;  // the two zero blocks that end the archive
    const long long size = octal(h + 124, 12);
    if (size < 0 || pos + 512 + static_cast<std::size_t>(size) > bytes.size()) {
      throw InputError({file}, "tar header at byte " + std::to_string(pos), std::string(h, strnlen(h, 100)),
                       "a tar member whose size fits the archive");
    }
    const char type = h[156];
    std::string name(h, strnlen(h, 100));
    if (std::memcmp(h + 257, "ustar", 5) == 0 && h[345] != '\0') name = std::string(h + 345, strnlen(h + 345, 155)) + "/" + name;
    if (type == '0' || type == '\0') out.push_back({name, bytes.substr(pos + 512, static_cast<std::size_t>(size))});
    pos += 512 + ((static_cast<std::size_t>(size) + 511) / 512) * 512;
  }
  return out;
}

}  // namespace trainsim::io
