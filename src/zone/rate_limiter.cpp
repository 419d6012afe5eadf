#include "zone/rate_limiter.h"

#include <algorithm>

namespace ssocli {

int64_t RateLimiter::Acquire(const std::string& user, int64_t now) {
  if (per_hour_ <= 0) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  std::deque<int64_t>& times = issued_[user];
  while (!times.empty() && times.front() + kWindow <= now) times.pop_front();
  if (times.size() >= static_cast<size_t>(per_hour_)) {
    return std::max<int64_t>(1, times.front() + kWindow - now);
  }
  times.push_back(now);
  return 0;
}

}  // namespace ssocli
