// Time as a dependency, so expiry decisions can be tested at a fixed instant.
#pragma once

#include <cstdint>
#include <ctime>

namespace ssocli {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch.
  virtual int64_t Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t Now() const override { return static_cast<int64_t>(::time(nullptr)); }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now) : now_(now) {}
  int64_t Now() const override { return now_; }
  void Set(int64_t now) { now_ = now; }

 private:
  int64_t now_;
};

}  // namespace ssocli
