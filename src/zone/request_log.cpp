#include "zone/request_log.h"

namespace ssocli {

void RequestLog::Add(RecordedRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (requests_.size() >= capacity_) requests_.erase(requests_.begin());
  requests_.push_back(std::move(request));
}

void RequestLog::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
}

nlohmann::ordered_json RequestLog::ToJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : requests_) {
    nlohmann::ordered_json entry;
    entry["method"] = r.method;
    entry["path"] = r.path;
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    for (const auto& [name, value] : r.headers) {
      // A repeated header is rare in practice; keep all its values like a proxy would fold them.
      if (headers.contains(name)) {
        headers[name] = headers[name].get<std::string>() + ", " + value;
      } else {
        headers[name] = value;
      }
    }
    entry["headers"] = std::move(headers);
    entry["body"] = r.body ? nlohmann::ordered_json(*r.body) : nlohmann::ordered_json(nullptr);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace ssocli
