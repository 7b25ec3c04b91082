// The output of `trainsim advise` (docs/advise.md): the ranked candidates with their frontier,
// constraints and bottlenecks, the recommendation, short answers to the seed report's Part 5
// questions from the numbers, and owning against renting; as text and as JSON. The HTML report
// (html_report.hpp) renders the same view.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/campaign/advice.hpp"
#include "sim/campaign/ownership.hpp"
#include "sim/report/campaign_report.hpp"
#include "sim/util/json.hpp"

namespace trainsim::io {

struct AdviceView {
  std::string title;  // "trainsim advise: ocr-campaign"
  std::string campaign;
  std::string file;
  campaign::Constraints constraints;
  std::string replay = "sampled";
  std::string acquisition = "rent";  // rent | buy | rent+buy
  std::vector<campaign::Option> options;  // ranked
  std::vector<PlatformView> leading;      // the stage Gantt charts of the leading options
  std::vector<std::string> stages;        // the campaign's stage names, in order
  std::optional<campaign::BuyRent> buy_rent;
  std::string buy_rent_note;  // why there is no comparison, when there is none
  double carbon_kg_per_kwh = 0;
  std::vector<std::pair<std::string, std::string>> sources;  // (figure, where it comes from)
  int simulations = 0;
  double wall_s = 0;
  double cpu_s = 0;  // this process and its children
  bool ranked = true;  // false for compare's report: platforms in the order given
};

struct Answer {
  std::string question;
  std::string answer;
};

// The recommendation: the first-ranked option meeting the deadline and the budget, else what comes
// closest (the fastest within the budget, the cheapest within the deadline); one or two sentences.
[[nodiscard]] std::string recommendation_text(const AdviceView& v);
// The seed report's Part 5 questions (research phases, budgets, the one-week competition, buy or
// rent), each answered from the options' numbers.
[[nodiscard]] std::vector<Answer> seed_answers(const AdviceView& v);

[[nodiscard]] std::string advice_text(const AdviceView& v);
[[nodiscard]] Json advice_json(const AdviceView& v);

// Shared by the text and HTML reports.
[[nodiscard]] std::string usd_text(const std::optional<double>& usd);
[[nodiscard]] std::string hours_text(double h);

}  // namespace trainsim::io
