#include "sim/engine/events.hpp"

namespace trainsim {

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::load: return "load";
    case EventKind::h2d: return "h2d";
    case EventKind::forward: return "forward";
    case EventKind::backward: return "backward";
    case EventKind::allreduce: return "allreduce";
    case EventKind::optimizer: return "optimizer";
    case EventKind::stall: return "stall";
    case EventKind::validation: return "validation";
    case EventKind::checkpoint: return "checkpoint";
    case EventKind::read: return "read";
    case EventKind::other: return "other";
  }
  return "other";
}

}  // namespace trainsim
