// Apigee answers 429 once a user asks for more than about 30 new tokens an hour; this models it
// with a sliding one-hour window per user. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace ssocli {

class RateLimiter {
 public:
  // `per_hour` <= 0: unlimited.
  explicit RateLimiter(int per_hour) : per_hour_(per_hour) {}

  // Counts one new token for `user` at `now` and returns 0, or, when the user's budget is spent,
  // counts nothing and returns the seconds until the next token may be had (>= 1).
  int64_t Acquire(const std::string& user, int64_t now);

 private:
  static constexpr int64_t kWindow = 3600;
  const int per_hour_;
  std::mutex mu_;
  std::map<std::string, std::deque<int64_t>> issued_;  // guarded by mu_
};

}  // namespace ssocli
