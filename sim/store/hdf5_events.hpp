// The streaming `events` table (docs/hdf5-schema.md): a Recorder that buffers events and appends
// them to the chunked dataset in blocks, so that a run of millions of events holds one block in
// memory, never the whole trace.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sim/engine/events.hpp"
#include "sim/store/hdf5_file.hpp"

namespace trainsim::io {

struct EventWriterOptions {
  std::size_t chunk_events = 16384;  // rows per HDF5 chunk (55 bytes each before compression)
  std::size_t block_events = 65536;  // rows buffered between writes: a whole number of chunks
  int deflate_level = 4;             // docs/hdf5-schema.md "Size and speed" for the measurements
};

class EventWriter final : public Recorder {
 public:
  // Creates <group>/events (empty). Events recorded after the file's commit() are an error.
  EventWriter(TraceFile& file, const std::string& group, EventWriterOptions options = {});
  // Writes what is still buffered; a failure here makes the file's commit() fail.
  ~EventWriter() override;
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  void record(const Event& e) override;  // RuntimeError when the file was committed or discarded
  void flush();                          // appends the buffered events now
  [[nodiscard]] long long recorded() const;

  struct State;  // HDF5 ids stay out of this header

 private:
  std::unique_ptr<State> state_;
};

// The recorder to give the engine at trace level `events`.
[[nodiscard]] std::unique_ptr<Recorder> event_writer(TraceFile& file, const std::string& group,
                                                     EventWriterOptions options = {});

}  // namespace trainsim::io
