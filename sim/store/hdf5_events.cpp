#include "sim/store/hdf5_events.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/store/hdf5_detail.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

constexpr auto kLastKind = static_cast<unsigned>(EventKind::other);  // the kinds are 0..other

// The packed row: 55 bytes. Offsets follow the documented column order.
enum Field { rank, epoch, iteration, kind, start, end, bytes, flops, bucket, link, field_count };
constexpr std::array<const char*, field_count> kNames{"rank", "epoch", "iteration", "kind", "start",
                                                      "end",  "bytes", "flops",     "bucket", "link"};
constexpr std::array<std::size_t, field_count> kSizes{2, 4, 8, 1, 8, 8, 8, 8, 4, 4};

constexpr std::array<std::size_t, field_count> offsets() {
  std::array<std::size_t, field_count> o{};
  for (std::size_t i = 1; i < field_count; ++i) o[i] = o[i - 1] + kSizes[i - 1];
  return o;
}
constexpr auto kOffsets = offsets();
constexpr std::size_t kRowSize = kOffsets[field_count - 1] + kSizes[field_count - 1];

h5::Handle kind_type(hid_t base) {
  h5::Handle t = h5::type_handle(H5Tenum_create(base), "event kind enum");
  for (unsigned v = 0; v <= kLastKind; ++v) {
    const auto value = static_cast<std::uint8_t>(v);
    const std::string name(to_string(static_cast<EventKind>(value)));
    h5::check_ok(H5Tenum_insert(t.get(), name.c_str(), &value), "event kind enum");
  }
  return t;
}

// `little_endian`: the file's types; otherwise the host's, for the memory buffer.
h5::Handle row_type(bool little_endian) {
  const std::array<hid_t, field_count> le{H5T_STD_I16LE, H5T_STD_I32LE,  H5T_STD_I64LE,  H5T_STD_U8LE,  H5T_IEEE_F64LE,
                                          H5T_IEEE_F64LE, H5T_IEEE_F64LE, H5T_IEEE_F64LE, H5T_STD_I32LE, H5T_STD_I32LE};
  const std::array<hid_t, field_count> native{H5T_NATIVE_INT16,  H5T_NATIVE_INT32,  H5T_NATIVE_INT64,
                                              H5T_NATIVE_UINT8,  H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE,
                                              H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, H5T_NATIVE_INT32,
                                              H5T_NATIVE_INT32};
  h5::Handle t = h5::type_handle(H5Tcreate(H5T_COMPOUND, kRowSize), "event row type");
  for (std::size_t i = 0; i < field_count; ++i) {
    const hid_t base = little_endian ? le[i] : native[i];
    if (i == Field::kind) {
      h5::Handle k = kind_type(base);
      h5::check_ok(H5Tinsert(t.get(), kNames[i], kOffsets[i], k.get()), "event row type");
    } else {
      h5::check_ok(H5Tinsert(t.get(), kNames[i], kOffsets[i], base), "event row type");
    }
  }
  return t;
}

template <typename T>
void put(unsigned char* row, Field f, T value) {
  static_assert(sizeof(T) <= 8);
  std::memcpy(row + kOffsets[f], &value, sizeof value);
}

void pack(const Event& e, unsigned char* row) {
  const auto k = static_cast<std::uint8_t>(e.kind);
  if (k > kLastKind) throw RuntimeError("event kind " + std::to_string(k) + " is not in the schema's enum");
  put(row, Field::rank, std::int16_t{e.rank});
  put(row, Field::epoch, std::int32_t{e.epoch});
  put(row, Field::iteration, std::int64_t{e.iteration});
  put(row, Field::kind, k);
  put(row, Field::start, double{e.start});
  put(row, Field::end, double{e.end});
  put(row, Field::bytes, double{e.bytes});
  put(row, Field::flops, double{e.flops});
  put(row, Field::bucket, std::int32_t{e.bucket});
  put(row, Field::link, std::int32_t{e.link});
}

}  // namespace

struct EventWriter::State final : h5::Appender {
  TraceFile::Impl* file = nullptr;  // null once finished or detached
  std::string path;
  EventWriterOptions options;
  h5::Handle dataset;
  h5::Handle mem_type;
  std::vector<Event> buffer;
  std::vector<unsigned char> packed;
  long long written = 0;

  void flush() {
    if (buffer.empty()) return;
    std::lock_guard lock(h5::library_mutex());
    packed.assign(buffer.size() * kRowSize, 0);
    for (std::size_t i = 0; i < buffer.size(); ++i) pack(buffer[i], packed.data() + i * kRowSize);
    h5::write_rows(dataset.get(), mem_type.get(), static_cast<hsize_t>(written), buffer.size(), packed.data(), path);
    written += static_cast<long long>(buffer.size());
    buffer.clear();
  }
  void finish() override {
    flush();
    dataset.close("close " + path);
    mem_type.reset();
    file = nullptr;
  }
  void detach() noexcept override {
    dataset.reset();
    mem_type.reset();
    buffer.clear();
    file = nullptr;
  }
};

EventWriter::EventWriter(TraceFile& file, const std::string& group, EventWriterOptions options)
    : state_(std::make_unique<State>()) {
  if (options.chunk_events == 0 || options.block_events < options.chunk_events) {
    throw RuntimeError("event writer: expected 0 < chunk_events <= block_events");
  }
  std::lock_guard lock(h5::library_mutex());
  State& s = *state_;
  s.path = group + "/events";
  s.options = options;
  h5::Handle g = h5::ensure_group(file.impl().id(), h5::split_path(group));
  h5::Handle file_type = row_type(true);
  s.mem_type = row_type(false);
  s.dataset = h5::create_table(g.get(), "events", file_type.get(), 0, {options.chunk_events, options.deflate_level});
  s.buffer.reserve(options.block_events);
  s.file = &file.impl();
  s.file->attach(state_.get());
}

EventWriter::~EventWriter() {
  std::lock_guard lock(h5::library_mutex());
  State& s = *state_;
  if (s.file == nullptr) return;
  TraceFile::Impl* file = s.file;
  try {
    s.finish();
  } catch (const std::exception& e) {
    file->defer_error(e.what());
    s.detach();
  }
  file->release(state_.get());
}

void EventWriter::record(const Event& e) {
  State& s = *state_;
  if (s.file == nullptr) throw RuntimeError(s.path + ": event recorded after the trace file was committed or discarded");
  s.buffer.push_back(e);
  if (s.buffer.size() >= s.options.block_events) s.flush();
}

void EventWriter::flush() {
  if (state_->file == nullptr) return;
  state_->flush();
}

long long EventWriter::recorded() const {
  return state_->written + static_cast<long long>(state_->buffer.size());
}

std::unique_ptr<Recorder> event_writer(TraceFile& file, const std::string& group, EventWriterOptions options) {
  return std::make_unique<EventWriter>(file, group, options);
}

}  // namespace trainsim::io
