#include "sim/store/hdf5_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "sim/store/hdf5_detail.hpp"
#include "sim/util/error.hpp"
#include "sim/util/files.hpp"

#ifndef TRAINSIM_VERSION
#error "TRAINSIM_VERSION must be defined by the build (sim/CMakeLists.txt)"
#endif

namespace trainsim::io {

namespace {
constexpr long long kSchemaVersion = 1;

void check_name(const std::string& name, const std::string& what) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    throw InputError({}, what, name, "a name without '/' (it becomes an HDF5 group name)");
  }
}

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

const char* to_string(TraceLevel level) {
  switch (level) {
    case TraceLevel::none: return "none";
    case TraceLevel::iterations: return "iterations";
    case TraceLevel::events: return "events";
  }
  return "none";
}

TraceLevel parse_trace_level(const std::string& text, const std::string& option) {
  if (text == "none") return TraceLevel::none;
  if (text == "iterations") return TraceLevel::iterations;
  if (text == "events") return TraceLevel::events;
  throw InputError({"command line"}, option, text, "one of: none, iterations, events");
}

std::string run_group(const std::string& platform, const std::string& run) {
  check_name(run, "run name");
  if (platform.empty()) return "/runs/" + run;
  check_name(platform, "platform name");
  return "/platforms/" + platform + "/runs/" + run;
}

std::string campaign_group(const std::string& platform) {
  if (platform.empty()) return "/campaign";
  check_name(platform, "platform name");
  return "/platforms/" + platform + "/campaign";
}

hid_t TraceFile::Impl::id() const {
  if (closed || !file.valid()) throw RuntimeError(path + ": the trace file is already committed or closed");
  return file.get();
}

void TraceFile::Impl::release(h5::Appender* a) noexcept { std::erase(appenders, a); }

void TraceFile::Impl::defer_error(const std::string& message) noexcept {
  if (deferred_error.empty()) deferred_error = message;
}

std::string TraceFile::temp_path_for(const std::string& path) { return path + ".tmp." + std::to_string(::getpid()); }

TraceFile::TraceFile(std::string path) : impl_(std::make_unique<Impl>()) {
  std::lock_guard lock(h5::library_mutex());
  check_output_path(path, "-o");
  impl_->path = std::move(path);
  impl_->temp_path = temp_path_for(impl_->path);
  // The file creation list is also the root group's: no modification time there either.
  h5::Handle fcpl = h5::plist_handle(H5Pcreate(H5P_FILE_CREATE), "file creation properties");
  h5::check_ok(H5Pset_obj_track_times(fcpl.get(), false), "file creation properties");
  // H5Fclose with objects still open would silently leave the file open (and unflushed) while it
  // is renamed; "semi" makes that an error instead.
  h5::Handle fapl = h5::plist_handle(H5Pcreate(H5P_FILE_ACCESS), "file access properties");
  h5::check_ok(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "file access properties");
  const hid_t id = H5Fcreate(impl_->temp_path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
  if (id < 0) {
    throw InputError({impl_->path}, "-o", impl_->path, "a writable file (cannot create " + impl_->temp_path + ": " + h5::last_error() + ")");
  }
  impl_->file = h5::Handle(id, H5Fclose);
}

TraceFile::~TraceFile() {
  std::lock_guard lock(h5::library_mutex());
  for (h5::Appender* a : std::vector<h5::Appender*>(impl_->appenders)) a->detach();
  impl_->appenders.clear();
  impl_->file.reset();
  if (!impl_->committed) std::remove(impl_->temp_path.c_str());
}

void TraceFile::commit() {
  std::lock_guard lock(h5::library_mutex());
  Impl& im = *impl_;
  (void)im.id();  // throws when committed twice
  try {
    // release() edits the list: iterate over a copy.
    for (h5::Appender* a : std::vector<h5::Appender*>(im.appenders)) {
      a->finish();
      im.release(a);
    }
    if (!im.deferred_error.empty()) throw RuntimeError(im.deferred_error);
    im.file.close("close " + im.temp_path);
  } catch (...) {
    for (h5::Appender* a : std::vector<h5::Appender*>(im.appenders)) a->detach();
    im.appenders.clear();
    im.file.reset();
    im.closed = true;
    std::remove(im.temp_path.c_str());
    throw;
  }
  im.closed = true;
  if (std::rename(im.temp_path.c_str(), im.path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    std::remove(im.temp_path.c_str());
    throw RuntimeError("cannot rename " + im.temp_path + " to " + im.path + ": " + err);
  }
  im.committed = true;
}

const std::string& TraceFile::path() const { return impl_->path; }
const std::string& TraceFile::temp_path() const { return impl_->temp_path; }
bool TraceFile::committed() const { return impl_->committed; }

void write_root_attributes(TraceFile& file, const std::string& scenario_yaml, long long seed) {
  std::lock_guard lock(h5::library_mutex());
  h5::Handle root(h5::check_id(H5Gopen2(file.impl().id(), "/", H5P_DEFAULT), "open the root group"), H5Gclose);
  h5::write_attribute(root.get(), "schema_version", kSchemaVersion);
  h5::write_attribute(root.get(), "trainsim_version", std::string(TRAINSIM_VERSION));
  h5::write_attribute(root.get(), "scenario", scenario_yaml);
  h5::write_attribute(root.get(), "seed", seed);
  h5::write_attribute(root.get(), "created", utc_now_iso());
}

}  // namespace trainsim::io
