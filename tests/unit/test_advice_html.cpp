// The decision report's HTML: names are escaped, charts are inline SVG, nothing is fetched.
#include <catch2/catch.hpp>

#include "sim/report/html_report.hpp"

using namespace trainsim;

namespace {

campaign::Option option(const std::string& name, double hours, double cost, bool pareto) {
  campaign::Option o;
  o.name = name;
  o.gpu = "rtx3090";
  o.gpus = 1;
  o.wall_hours = hours;
  o.cost_usd = cost;
  o.total_cost_usd = cost + 50 * hours;
  o.kwh = hours;
  o.pareto = pareto;
  o.stages = {{"train", hours, cost}};
  return o;
}

}  // namespace

TEST_CASE("html_escape: the five characters HTML gives meaning to") {
  CHECK(io::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(io::html_escape("plain") == "plain");
}

TEST_CASE("the decision report escapes every name and fetches nothing") {
  io::AdviceView v;
  v.title = "trainsim advise: <script>alert(1)</script>";
  v.file = "x.yaml";
  v.options = {option("fast&dear", 1, 10, true), option("<b>slow</b>", 10, 2, true)};
  v.options[1].rank = 2;
  v.options.push_back(option("broken", 0, 0, false));
  v.options.back().error = "a \"quoted\" error";
  v.stages = {"train"};
  v.sources = {{"price", "somewhere <i>"}};
  const std::string html = io::advice_html(v);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("fast&amp;dear") != std::string::npos);
  CHECK(html.find("<b>slow</b>") == std::string::npos);
  CHECK(html.find("a &quot;quoted&quot; error") != std::string::npos);
  for (const char* external : {"src=", "href=", "url(", "@import", "<link", "http:", "https:"}) {
    CHECK(html.find(external) == std::string::npos);
  }
  // The Pareto chart draws the two priced options that ran, filled (on the frontier).
  CHECK(html.find("<svg") != std::string::npos);
  std::size_t filled = 0;
  for (std::size_t at = html.find("fill=\"#2e8b57\""); at != std::string::npos; at = html.find("fill=\"#2e8b57\"", at + 1)) ++filled;
  CHECK(filled == 2);
}
