// The browser flow's HTTP listener (cpp-httplib): 127.0.0.1 only, the Host header checked (DNS
// rebinding), bounded requests, short-lived connections so that a browser's speculative pre-connects
// never hold the flow up, and headers that keep every page out of caches, frames and Referers.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/url.h"

namespace ssocli::sso {

struct LoopbackRequest {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string path;    // decoded, without the query
  FormFields query;    // the URL's query, decoded, in order (repeated names kept)
  FormFields form;     // a form route's application/x-www-form-urlencoded body, decoded, in order
};

struct LoopbackReply {
  int status = 200;
  std::string html;      // text/html; charset=utf-8
  std::string location;  // redirects: the Location
  std::string allow;     // 405: the Allow header

  static LoopbackReply Page(int status, std::string html) { return {status, std::move(html), {}, {}}; }
  static LoopbackReply Redirect(std::string location) { return {302, {}, std::move(location), {}}; }
};

struct LoopbackOptions {
  int port = 0;  // 0: any free port
  // POST paths whose application/x-www-form-urlencoded body is read, with the largest body accepted.
  // A POST elsewhere reaches the handler with its body unread.
  std::map<std::string, size_t> form_routes;
  // The page for a request the listener refuses itself (wrong Host, too large, malformed). Plain text
  // when not set.
  std::function<std::string(int status, std::string_view title, std::string_view what)> error_page;
  // One line per request ("GET / 302"), for -v. Never sees a query or a body.
  std::function<void(std::string_view line)> log;
};

class LoopbackListener {
 public:
  // Called on the listener's threads, concurrently; may block (e.g. until a sign-in is exchanged).
  using Handler = std::function<LoopbackReply(const LoopbackRequest&)>;

  // Binds 127.0.0.1:port (any free port when 0) and serves `handler` until Stop(). A busy or forbidden
  // port is kSsoTimeout ("port N is busy; pick another with --port").
  static Result<std::unique_ptr<LoopbackListener>> Start(const LoopbackOptions& options, Handler handler);

  ~LoopbackListener();  // Stop()
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  int port() const;
  // "http://127.0.0.1:PORT" (never localhost: the name may resolve elsewhere or to ::1).
  std::string origin() const;

  // Closes the listening socket (later connections are refused), then waits until the requests in
  // progress have had their responses written. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit LoopbackListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Decodes an application/x-www-form-urlencoded body ("a=1&b=x+y"): '+' is a space, %XX escapes,
// empty pieces skipped, a piece without '=' is a name with an empty value. Names and values as sent.
FormFields ParseFormBody(std::string_view body);

}  // namespace ssocli::sso
