// The pieces of `trainsim advise` around the simulations: its input (a campaign, or a scenario as
// a one-stage campaign), its candidates, and the view its reports render.
#pragma once

#include <string>
#include <vector>

#include "sim/cli/advise_run.hpp"
#include "sim/report/advice_report.hpp"

namespace trainsim::cli {

// A campaign file as it is; a scenario becomes a campaign of one stage ("run") whose base is the
// scenario without its platform. The scenario is checked as `trainsim run` checks it first, so
// its errors name its own lines.
[[nodiscard]] io::CampaignFile load_advise_input(const std::string& path, const Catalog& catalog);

// --candidates values (each comma-separated): "all" (the default when none is given) or a node
// preset or node file.
[[nodiscard]] std::vector<campaign::Candidate> candidates_from(const std::vector<std::string>& values, const Catalog& catalog);

// "1,2,4" -> {1, 2, 4}; each 1 to 1,000.
[[nodiscard]] std::vector<int> parse_counts(const std::string& text, const std::string& option);

// Ranks the options, marks the frontier and the constraints, and gathers the leading options'
// timelines, the buy-or-rent comparison for `own` and the sources of every figure used.
[[nodiscard]] io::AdviceView advice_view(const io::CampaignFile& file, const AdviseResult& result,
                                         const campaign::Constraints& constraints, const campaign::BuyRentData& money,
                                         const std::string& own, const std::vector<int>& per_year);

}  // namespace trainsim::cli
