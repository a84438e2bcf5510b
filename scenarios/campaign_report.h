// What a campaign reports (campaign.h): the summary table (points tried, passed, failed, by
// phase of the update), a JUnit file with one test case per point, a JSON file that is also how
// shards are merged (`hilsim campaign --merge`), and for each failure a one-line reproducer.
// Nothing here depends on wall time except the summary's rate line, so the JUnit and JSON of
// a campaign are the same for any -j and any sharding once merged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/campaign.h"

namespace hilsim::scen {

nlohmann::json point_json(const CampaignPoint& p);
std::optional<CampaignPoint> point_from(const nlohmann::json& j);
nlohmann::json result_json(const PointResult& r);
std::optional<PointResult> result_from(const nlohmann::json& j);

// "hilsim campaign <file> --point N"
std::string reproducer(const CampaignResult& c, const PointResult& r);

std::string campaign_summary(const CampaignResult& c);  // the table, failures, totals
std::string campaign_junit(const CampaignResult& c);
std::string campaign_json(const CampaignResult& c);

// Reads shard reports (campaign_json) back and merges them into one result. "" or an error
// naming the file (not a campaign report, another campaign, a point reported twice).
std::string merge_campaign_reports(const std::vector<std::string>& files, CampaignResult& out);

}  // namespace hilsim::scen
