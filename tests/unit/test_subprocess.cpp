#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "sim/util/subprocess.hpp"

using namespace trainsim;

TEST_CASE("children started from several threads at once each see only their own stdin") {
  // `cat` ends at EOF on its stdin: if one child inherited another's pipe, one would never end.
  std::vector<ChildResult> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] { results[i] = run_child({"/bin/cat"}, "input " + std::to_string(i), 20); });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].ok());
    CHECK(results[i].out == "input " + std::to_string(i));
  }
}

TEST_CASE("a child's exit status, stderr and a timeout") {
  const ChildResult r = run_child({"/bin/sh", "-c", "echo oops >&2; exit 3"});
  CHECK(r.exit_code == 3);
  CHECK(r.describe() == "exit 3: oops");
  const ChildResult slow = run_child({"/bin/sleep", "5"}, {}, 0.2);
  CHECK_FALSE(slow.ok());
  CHECK(slow.signal == 9);
}
