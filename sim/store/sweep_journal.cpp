#include "sim/store/sweep_journal.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/util/error.hpp"
#include "sim/util/json.hpp"

namespace trainsim::io {

namespace {

constexpr const char* kMagic = "trainsim_sweep_journal";

std::string header_line(const std::string& sweep_id, const std::string& shard) {
  Json h = Json::object();
  h[kMagic] = 1;
  h["sweep_id"] = sweep_id;
  h["shard"] = shard;
  return h.dump(-1) + "\n";
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw RuntimeError("cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(w);
  }
}

}  // namespace

std::string journal_path(const std::string& h5, const std::string& csv) {
  if (!h5.empty()) return h5 + ".journal";
  if (!csv.empty()) return csv + ".journal";
  return {};
}

std::map<long long, JournalEntry> read_journal(const std::string& path, const std::string& sweep_id,
                                               const std::string& shard) {
  std::map<long long, JournalEntry> out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    const bool last = in.peek() == std::char_traits<char>::eof();
    YAML::Node node;
    try {
      node = YAML::Load(line);
    } catch (const YAML::Exception&) {
      if (last) break;  // torn by an interrupt while it was being written
      throw InputError({path, number, 1}, "journal line", line.substr(0, 60),
                       "a JSON object written by trainsim sweep (the journal is damaged: delete it to start over)");
    }
    if (!header) {
      if (!node.IsMap() || !node[kMagic] || !node["sweep_id"] || !node["shard"]) {
        throw InputError({path, number, 1}, "journal header", line.substr(0, 60),
                         "a trainsim sweep journal (delete it to start over)");
      }
      const auto id = node["sweep_id"].as<std::string>();
      const auto sh = node["shard"].as<std::string>();
      if (id != sweep_id || sh != shard) {
        throw InputError({path, number, 1}, "sweep_id", id.substr(0, 12) + " shard " + sh,
                         "the journal of this sweep, " + sweep_id.substr(0, 12) + " shard " + shard +
                             " (the sweep file, its base or the replay options changed since: delete the "
                             "journal, or run without --resume, to start over)");
      }
      header = true;
      continue;
    }
    if (!node.IsMap() || !node["point"] || !node["status"]) {
      if (last) break;
      throw InputError({path, number, 1}, "journal line", line.substr(0, 60), "{\"point\": ..., \"status\": ...}");
    }
    JournalEntry e;
    e.status = node["status"].as<std::string>();
    if (node["error"]) e.error = node["error"].as<std::string>();
    if (node["run"]) e.run_json = node["run"].as<std::string>();
    out[node["point"].as<long long>()] = std::move(e);
  }
  return out;
}

SweepJournal::SweepJournal(std::string path, const std::string& sweep_id, const std::string& shard, bool keep)
    : path_(std::move(path)) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (keep ? O_APPEND : O_TRUNC);
  fd_ = ::open(path_.c_str(), flags, 0644);
  if (fd_ < 0) throw RuntimeError("cannot write the sweep journal " + path_ + ": " + std::strerror(errno));
  if (!keep || ::lseek(fd_, 0, SEEK_END) == 0) write_all(fd_, header_line(sweep_id, shard), path_);
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::append(long long point, const JournalEntry& entry) {
  Json j = Json::object();
  j["point"] = point;
  j["status"] = entry.status;
  j["error"] = entry.error;
  j["run"] = entry.run_json;
  const std::string line = j.dump(-1) + "\n";
  const std::lock_guard lock(mutex_);
  if (fd_ < 0) return;
  write_all(fd_, line, path_);
}

void SweepJournal::remove() {
  const std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
}

}  // namespace trainsim::io
