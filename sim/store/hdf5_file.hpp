// The trainsim HDF5 file (docs/hdf5-schema.md): written to a temporary file beside the target and
// renamed at commit(), so that an interrupted write never leaves a partial file at the target.
//
// How a command writes one (the CLI wraps this in io::TraceOutput, sim/report/trace_output.hpp):
//   io::TraceFile file("out.h5");                        // creates out.h5.tmp.<pid>
//   io::write_root_attributes(file, scenario_yaml, seed);
//   auto events = io::event_writer(file, io::run_group("", "main"));   // at --trace events
//   ... the engine records into *events ...
//   io::write_run(file, io::run_group("", "main"), result);
//   file.commit();                                        // renames to out.h5
// A TraceFile destroyed without commit() (an exception, a failed run) removes its temporary file.
//
// The serial HDF5 library is not thread safe: every function here takes one process-wide lock, so
// runs on several threads may write (to one file or several) without corrupting anything.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace trainsim::io {

// What a run writes (--trace): `none` keeps the summary and the epochs, `iterations` adds one row
// per iteration, `events` adds every activity of the engine.
enum class TraceLevel { none, iterations, events };

[[nodiscard]] const char* to_string(TraceLevel level);
// "none", "iterations" or "events"; anything else is an InputError naming `option`.
[[nodiscard]] TraceLevel parse_trace_level(const std::string& text, const std::string& option = "--trace");

// The group of one run: "/runs/<run>" for a single run, "/platforms/<platform>/runs/<run>" when a
// command runs several platforms (compare, campaign). A name with '/' or an empty name is an
// InputError (names come from scenarios).
[[nodiscard]] std::string run_group(const std::string& platform, const std::string& run);
// The group of a platform's campaign tables: "/campaign" or "/platforms/<platform>/campaign".
[[nodiscard]] std::string campaign_group(const std::string& platform);

class TraceFile {
 public:
  // Creates `path`.tmp.<pid>. A folder that does not exist, or a file that cannot be created, is an
  // InputError naming the path (as the value of -o).
  explicit TraceFile(std::string path);
  ~TraceFile();  // without commit(): closes and removes the temporary file; never throws
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  // Flushes the event writers still open, closes the file and renames it to path(). Throws
  // RuntimeError (and removes the temporary file) when anything written before failed.
  void commit();

  [[nodiscard]] const std::string& path() const;
  [[nodiscard]] const std::string& temp_path() const;
  // The temporary file TraceFile(path) writes: register it for removal on a signal before creating it.
  [[nodiscard]] static std::string temp_path_for(const std::string& path);
  [[nodiscard]] bool committed() const;

  struct Impl;  // sim/store/hdf5_detail.hpp: the writers of sim/store reach the HDF5 ids through it
  [[nodiscard]] Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Root attributes: schema_version, trainsim_version, scenario (the resolved YAML), seed, created
// (the UTC time now: the only attribute that differs between two identical runs).
void write_root_attributes(TraceFile& file, const std::string& scenario_yaml, long long seed);

}  // namespace trainsim::io
