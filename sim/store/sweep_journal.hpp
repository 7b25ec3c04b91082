// A sweep's journal: one line per finished point, appended as each point ends, so that a sweep
// that was interrupted (Ctrl-C, a lost Slurm allocation) resumes without redoing them
// (`trainsim sweep --resume`, docs/sweeps.md). It lives beside the output, FILE.journal, and is
// removed once the output is written.
//
// Format (JSON lines): a header {"trainsim_sweep_journal": 1, "sweep_id": ..., "shard": "K/N"},
// then {"point": i, "status": ..., "error": ..., "run": "<the point's `trainsim run --json` text>"}
// per point. Each line goes out in one write(2) and is flushed; a torn last line (the process was
// killed while writing it) is ignored when reading.
#pragma once

#include <cstdio>
#include <map>
#include <mutex>
#include <string>

namespace trainsim::io {

struct JournalEntry {
  std::string status;  // ok | failed | crashed | timeout
  std::string error;
  std::string run_json;  // the child's stdout when ok
};

// The journal path for a sweep's outputs: FILE.journal beside the HDF5 output, else the CSV one.
[[nodiscard]] std::string journal_path(const std::string& h5, const std::string& csv);

// Reads `path` as the journal of sweep `sweep_id`, shard `shard` ("K/N"). A journal of another
// sweep or shard is an InputError (its header line and what was expected); a missing file gives
// no entries. Later lines for the same point replace earlier ones.
[[nodiscard]] std::map<long long, JournalEntry> read_journal(const std::string& path, const std::string& sweep_id,
                                                             const std::string& shard);

class SweepJournal {
 public:
  // Creates (truncates) `path` and writes the header; with `keep` true, appends to an existing
  // journal that read_journal accepted instead.
  SweepJournal(std::string path, const std::string& sweep_id, const std::string& shard, bool keep);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // Thread-safe.
  void append(long long point, const JournalEntry& entry);
  // Closes and deletes the journal (the sweep's outputs are written).
  void remove();

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace trainsim::io
