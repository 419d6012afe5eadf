// A small HTTP client interface, and its libcurl implementation.
//
// CurlHttpClient loads libcurl.so.4 with dlopen() on its first request, not at program start: a
// cached token must come back in about the time of starting a process, and loading libcurl with
// its ~40 dependencies costs several times that (docs/performance.md).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace ssocli {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;
};

struct HttpOptions {
  bool insecure = false;      // no TLS verification (--insecure)
  std::string ca_file;        // replaces the default CA bundle, as curl's --cacert
  long timeout_seconds = 30;  // whole request
  long connect_timeout_seconds = 10;
  std::string user_agent;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request`; any HTTP status is a response. Errors: kConnection when no usable reply came
  // (DNS, connect, TLS, timeout, reset), kNoToken when the reply is larger than a token reply can be.
  // The error message never contains the request body.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options) : options_(std::move(options)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpOptions options_;
};

}  // namespace ssocli
