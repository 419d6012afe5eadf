// Test hook: every request the zone received, so tests can check what a client sent (the same
// shape as shared/fixtures/compat/*/requests.jsonl). Thread-safe.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssocli {

struct RecordedRequest {
  std::string method;
  std::string path;  // with the query string, as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;  // nullopt when there was none
};

class RequestLog {
 public:
  // Keeps the newest `capacity` requests, so a long-running server stays bounded.
  explicit RequestLog(size_t capacity = 10000) : capacity_(capacity) {}

  void Add(RecordedRequest request);
  void Clear();
  // [{"method","path","headers":{...},"body":string|null}, ...] in arrival order.
  nlohmann::ordered_json ToJson() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;  // guarded by mu_
};

}  // namespace ssocli
