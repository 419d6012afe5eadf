// Test hook: make the next requests to a path slow or answer them with a canned reply (an HTML 502
// page, truncated JSON, a 429), so clients' error handling can be tested. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ssocli {

struct Fault {
  std::string path_prefix;    // applies to requests whose path starts with this
  int count = 1;              // how many requests it still applies to
  double delay_seconds = 0;   // wait this long first
  std::optional<int> status;  // then answer this instead of the normal reply; none: normal reply
  std::string content_type;
  std::string body;
  std::string retry_after;  // Retry-After header of the canned reply, when not empty
};

class FaultInjector {
 public:
  void Add(Fault fault);
  void Clear();
  // The first fault matching `path`, counting one use of it; nullopt when none applies.
  std::optional<Fault> Take(std::string_view path);

  // Sleeps `seconds`, returning early once Shutdown() was called (a stopping server must not wait
  // out a long injected delay).
  void Delay(double seconds);
  void Shutdown();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Fault> faults_;  // guarded by mu_
  bool shutdown_ = false;      // guarded by mu_
};

}  // namespace ssocli
