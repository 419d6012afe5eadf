// Shared by the browser-flow tests: the flow run on a thread with a fake exchange, a captured stderr,
// and plain-socket HTTP for the requests httplib's client will not send (no Host, a wrong Host, nothing).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "sso/sso_flow.h"

namespace ssocli::sso::testing {

// A pipe whose read end collects what the flow says on "stderr".
class CapturedFd {
 public:
  CapturedFd() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) {
      read_ = fds[0];
      write_ = fds[1];
      ::fcntl(read_, F_SETFL, O_NONBLOCK);
    }
  }
  ~CapturedFd() {
    CloseWrite();
    if (read_ >= 0) ::close(read_);
  }
  CapturedFd(const CapturedFd&) = delete;
  CapturedFd& operator=(const CapturedFd&) = delete;
  int read_fd() const { return read_; }
  int write_fd() const { return write_; }
  void Write(const std::string& data) {
    ssize_t n = ::write(write_, data.data(), data.size());
    ASSERT_EQ(n, static_cast<ssize_t>(data.size()));
  }
  void CloseWrite() {
    if (write_ >= 0) ::close(write_);
    write_ = -1;
  }
  // Everything written so far (non-blocking).
  std::string Drain() {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(read_, buf, sizeof(buf))) > 0) text_.append(buf, static_cast<size_t>(n));
    return text_;
  }

 private:
  int read_ = -1;
  int write_ = -1;
  std::string text_;
};

struct ExchangeCall {
  CredentialKind kind;
  std::string credential;
};

// RunSsoFlow on a thread, driven by the test as a browser would.
class FlowHarness {
 public:
  FlowHarness() : clock_(1704110460) {  // 2024-01-01T12:01:00Z, the SAML test IdP's instant
    config.login_url = "https://login.test";
    config.no_browser = true;
    config.timeout = std::chrono::seconds(20);
    config.stderr_fd = err.write_fd();
    config.program = "get_token";
    deps.clock = &clock_;
  }
  ~FlowHarness() {
    ReleaseExchange();
    if (thread_.joinable()) thread_.join();
  }
  FlowHarness(const FlowHarness&) = delete;
  FlowHarness& operator=(const FlowHarness&) = delete;

  FixedClock& clock() { return clock_; }

  // Starts the flow; returns once it listens (true) or has already ended (false).
  bool Start() {
    std::promise<std::string> url;
    std::future<std::string> url_future = url.get_future();
    deps.on_listening = [&url](const std::string& u) { url.set_value(u); };
    result_future_ = result_.get_future();
    thread_ = std::thread([this] {
      Status s = RunSsoFlow(config, deps, [this](CredentialKind kind, const std::string& credential) {
        return Exchange(kind, credential);
      });
      result_.set_value(s);
    });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (url_future.wait_for(std::chrono::milliseconds(5)) == std::future_status::ready) {
        start_url = url_future.get();
        size_t colon = start_url.rfind(':');
        port = std::stoi(start_url.substr(colon + 1));
        state = start_url.substr(start_url.find("state=") + 6);
        return true;
      }
      if (result_future_.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) return false;
    }
    return false;
  }

  // Waits for the flow's result (joins its thread).
  Status Finish(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (result_future_.wait_for(timeout) != std::future_status::ready) {
      ADD_FAILURE() << "the flow did not end within " << timeout.count() << " ms";
      ReleaseExchange();
      return Status::Error(ErrorKind::kInternal, "flow still running");
    }
    Status s = result_future_.get();
    thread_.join();
    return s;
  }
  bool Finished() const {
    return result_future_.valid() &&
           result_future_.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready;
  }

  // The exchange answers this; with HoldExchange() it first waits for ReleaseExchange().
  Status exchange_result = Status::Ok();
  void HoldExchange() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = true;
  }
  void ReleaseExchange() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }
  bool WaitForExchangeEntered(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return entered_; });
  }
  std::vector<ExchangeCall> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }

  SsoFlowConfig config;
  SsoFlowDeps deps;
  CapturedFd err;
  std::string start_url;
  std::string state;
  int port = 0;

 private:
  Status Exchange(CredentialKind kind, const std::string& credential) {
    std::unique_lock<std::mutex> lock(mu_);
    calls_.push_back({kind, credential});
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !hold_; });
    return exchange_result;
  }

  FixedClock clock_;
  std::thread thread_;
  std::promise<Status> result_;
  std::future<Status> result_future_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold_ = false;
  bool entered_ = false;
  std::vector<ExchangeCall> calls_;
};

// A TCP connection to `address`:`port`; -1 (errno set) when refused.
inline int ConnectTo(const char* address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address, &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    int e = errno;
    ::close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

// Sends `request` verbatim on a new connection and returns everything the server answers (until it
// closes the connection, or `timeout_ms`).
inline std::string RawHttp(int port, const std::string& request, int timeout_ms = 5000) {
  int fd = ConnectTo("127.0.0.1", port);
  if (fd < 0) return "";
  ssize_t sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  (void)sent;
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    struct pollfd p = {fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

inline int StatusOf(const std::string& raw_response) {
  if (raw_response.size() < 12 || raw_response.compare(0, 5, "HTTP/") != 0) return -1;
  return std::stoi(raw_response.substr(9, 3));
}

inline bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace ssocli::sso::testing
