// `trainsim compare --against-report`: trainsim's predictions beside a report's own estimates, the
// baseline platform stage by stage (what the report's hours mean per iteration), and the findings
// of campaign::check_report.
#pragma once

#include <string>
#include <vector>

#include "sim/campaign/report_check.hpp"
#include "sim/report/campaign_report.hpp"

namespace trainsim::io {

// The report's platform for a simulated one (matched by node name), or null.
[[nodiscard]] const campaign::ReportPlatform* report_platform(const campaign::ReportData& r, const PlatformView& p);

// The baseline's stages (the report's first platform) as simulated; empty when it was not.
[[nodiscard]] std::vector<campaign::StageCheck> baseline_checks(const campaign::ReportData& r, const CampaignView& v);

[[nodiscard]] std::string against_report_text(const campaign::ReportData& r, const std::vector<campaign::Finding>& findings,
                                              const CampaignView& v);

// Adds a "report" object (the report's figures for that platform) to each platform of `list`.
void add_report_json(Json& list, const campaign::ReportData& r, const CampaignView& v);

}  // namespace trainsim::io
