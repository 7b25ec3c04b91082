// List scheduling of campaign runs on a GPU pool: a case worked by hand, then invariants over
// random stage graphs (fixed seed): no run before its dependencies, no GPU held twice at once,
// makespan >= critical path, makespan <= the runs one after another.
#include <catch2/catch.hpp>

#include <random>

#include "sim/campaign/schedule.hpp"

using namespace trainsim;
using namespace trainsim::campaign;

namespace {

StageSpec stage(const std::string& name, std::vector<std::string> after = {}) {
  StageSpec s;
  s.name = name;
  for (auto& a : after) s.after.push_back({a, {"c.yaml", 1, 1}});
  return s;
}

}  // namespace

TEST_CASE("a DDP stage, then packed runs filling the pool") {
  // train: one run on all 4 GPUs for 10 s. sweep (after train): 5 one-GPU runs of 3 s.
  // t = 10: four sweep runs start on GPUs 0-3; t = 13: the fifth on GPU 0; makespan 16 s.
  const std::vector<StageSpec> stages{stage("train"), stage("sweep", {"train"})};
  const StageGraph g(stages);
  std::vector<RunJob> jobs{{0, 0, 4, 10}};
  for (int k = 0; k < 5; ++k) jobs.push_back({1, k, 1, 3});
  const Schedule s = list_schedule(g, jobs, 4);
  CHECK(s.runs[0].start == 0);
  CHECK(s.runs[0].gpu_ids == std::vector<int>{0, 1, 2, 3});
  for (int k = 1; k <= 4; ++k) {
    CHECK(s.runs[static_cast<std::size_t>(k)].start == 10);
    CHECK(s.runs[static_cast<std::size_t>(k)].gpu_ids == std::vector<int>{k - 1});
  }
  CHECK(s.runs[5].start == 13);
  CHECK(s.runs[5].gpu_ids == std::vector<int>{0});
  CHECK(s.makespan == 16);
  // Critical path: train 10 s + sweep at least max(3 s, 5 x 3 GPU-s / 4 GPUs = 3.75 s) = 13.75 s.
  const CriticalPath cp = longest_path(g, stage_lower_bounds(2, jobs, 4));
  CHECK(cp.length == Approx(13.75));
  CHECK(cp.stages == std::vector<int>{0, 1});
}

TEST_CASE("independent stages share the pool - the longer remaining path goes first") {
  // a (3 GPUs, 5 s) -> c (1 GPU, 20 s); b (1 GPU, 4 s) alone. Pool 3.
  // a has the longest path (25 s), so it starts first on GPUs 0-2; b waits for a free GPU (t = 5),
  // c starts at 5 too; makespan 25 s.
  const std::vector<StageSpec> stages{stage("a"), stage("b"), stage("c", {"a"})};
  const StageGraph g(stages);
  const std::vector<RunJob> jobs{{0, 0, 3, 5}, {1, 0, 1, 4}, {2, 0, 1, 20}};
  const Schedule s = list_schedule(g, jobs, 3);
  CHECK(s.runs[0].start == 0);
  CHECK(s.runs[1].start == 5);
  CHECK(s.runs[2].start == 5);
  CHECK(s.makespan == 25);
  CHECK_THROWS_AS(list_schedule(g, {{0, 0, 4, 1}}, 3), InputError);
}

TEST_CASE("schedule invariants over random stage graphs") {
  std::mt19937_64 rng(20260213);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 300; ++trial) {
    const int pool = 1 + static_cast<int>(rng() % 8);
    const int n = 1 + static_cast<int>(rng() % 10);
    std::vector<StageSpec> stages;
    std::vector<RunJob> jobs;
    for (int s = 0; s < n; ++s) {
      std::vector<std::string> after;
      for (int p = 0; p < s; ++p) {
        if (unit(rng) < 0.3) after.push_back("s" + std::to_string(p));
      }
      stages.push_back(stage("s" + std::to_string(s), after));
      const bool packed = unit(rng) < 0.5;
      const int runs = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < runs; ++k) {
        // durations on a coarse grid too, so that runs often end at the same instant
        const double d = unit(rng) < 0.5 ? 1 + static_cast<double>(rng() % 4) : 0.1 + 10 * unit(rng);
        jobs.push_back({s, k, packed ? 1 : pool, d});
      }
    }
    const StageGraph g(stages);
    const Schedule sched = list_schedule(g, jobs, pool);
    double serial = 0, last_end = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const PlacedRun& r = sched.runs[i];
      serial += jobs[i].duration;
      last_end = std::max(last_end, r.end);
      REQUIRE(r.end - r.start == Approx(jobs[i].duration));
      REQUIRE(static_cast<int>(r.gpu_ids.size()) == jobs[i].gpus);
      // no run before every run of the stages it comes after has ended
      for (int p : g.predecessors(jobs[i].stage)) {
        for (std::size_t k = 0; k < jobs.size(); ++k) {
          if (jobs[k].stage == p) REQUIRE(r.start >= sched.runs[k].end);
        }
      }
      // no GPU held by two runs at once
      for (std::size_t k = i + 1; k < jobs.size(); ++k) {
        const PlacedRun& o = sched.runs[k];
        const bool overlap = r.start < o.end && o.start < r.end;
        if (!overlap) continue;
        for (int gpu : r.gpu_ids) REQUIRE(std::find(o.gpu_ids.begin(), o.gpu_ids.end(), gpu) == o.gpu_ids.end());
      }
    }
    REQUIRE(sched.makespan == last_end);
    const CriticalPath cp = longest_path(g, stage_lower_bounds(n, jobs, pool));
    REQUIRE(sched.makespan >= cp.length * (1 - 1e-12));
    REQUIRE(sched.makespan <= serial * (1 + 1e-12));
    // the critical path follows the graph's edges
    for (std::size_t k = 1; k < cp.stages.size(); ++k) {
      const auto& preds = g.predecessors(cp.stages[k]);
      REQUIRE(std::find(preds.begin(), preds.end(), cp.stages[k - 1]) != preds.end());
    }
  }
}

TEST_CASE("stage graph errors name the after: entry") {
  SECTION("unknown stage, with the nearest name") {
    std::vector<StageSpec> s{stage("baseline"), stage("backbone")};
    s[1].after.push_back({"baselin", {"c.yaml", 7, 13}});
    try {
      (void)StageGraph(s);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().line == 7);
      CHECK(e.where().column == 13);
      CHECK(std::string(e.what()).find("did you mean 'baseline'") != std::string::npos);
    }
  }
  SECTION("a cycle, named from end to end") {
    std::vector<StageSpec> s{stage("a", {"c"}), stage("b", {"a"}), stage("c", {"b"})};
    s[0].after[0].where = {"c.yaml", 3, 12};
    try {
      (void)StageGraph(s);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().line == 3);
      CHECK(std::string(e.what()).find("a -> b -> c -> a") != std::string::npos);
    }
  }
  SECTION("itself, twice, duplicate names") {
    CHECK_THROWS_AS(StageGraph({stage("a", {"a"})}), InputError);
    CHECK_THROWS_AS(StageGraph({stage("a"), stage("b", {"a", "a"})}), InputError);
    CHECK_THROWS_AS(StageGraph({stage("a"), stage("a")}), InputError);
  }
  SECTION("order: predecessors first, file order among the free") {
    const StageGraph g({stage("late", {"early"}), stage("early"), stage("free")});
    CHECK(g.order() == std::vector<int>{1, 0, 2});
  }
}
