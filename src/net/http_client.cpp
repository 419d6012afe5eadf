#include "net/http_client.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cctype>
#include <memory>

namespace ssocli {
namespace {

constexpr size_t kMaxResponseBytes = 1 << 20;

// The libcurl entry points we use, resolved from libcurl.so.4 at first use.
struct CurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  std::string load_error;
};

template <typename F>
bool Resolve(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  return out != nullptr;
}

const CurlApi& Curl() {
  static const CurlApi api = [] {
    CurlApi a;
    void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      a.load_error = "cannot load libcurl.so.4 (install the libcurl4 package)";
      return a;
    }
    bool ok = Resolve(lib, "curl_global_init", a.global_init) &&
              Resolve(lib, "curl_easy_init", a.easy_init) &&
              Resolve(lib, "curl_easy_setopt", a.easy_setopt) &&
              Resolve(lib, "curl_easy_perform", a.easy_perform) &&
              Resolve(lib, "curl_easy_getinfo", a.easy_getinfo) &&
              Resolve(lib, "curl_easy_cleanup", a.easy_cleanup) &&
              Resolve(lib, "curl_easy_strerror", a.easy_strerror) &&
              Resolve(lib, "curl_slist_append", a.slist_append) &&
              Resolve(lib, "curl_slist_free_all", a.slist_free_all);
    if (!ok) {
      a.load_error = "libcurl.so.4 lacks a function ssocli needs";
    } else if (a.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      a.load_error = "libcurl failed to initialise";
    }
    return a;
  }();
  return api;
}

struct Sink {
  std::string body;
  bool too_large = false;
  std::string content_type;
  std::string retry_after;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->body.size() + n > kMaxResponseBytes) {
    sink->too_large = true;
    return 0;
  }
  sink->body.append(data, n);
  return n;
}

std::string HeaderValue(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return {};
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return {};
  }
  std::string_view v = line.substr(name.size() + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
  return std::string(v);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * count);
  // A new status line (e.g. after "100 Continue") starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    sink->content_type.clear();
    sink->retry_after.clear();
  }
  if (auto v = HeaderValue(line, "content-type"); !v.empty()) sink->content_type = v;
  if (auto v = HeaderValue(line, "retry-after"); !v.empty()) sink->retry_after = v;
  return size * count;
}

std::string ConnectionHint(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      return "if your network inspects TLS, pass its CA certificate with --cacert FILE";
    case CURLE_OPERATION_TIMEDOUT:
      return "the login server did not answer in time; try again, or check your network and proxy";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "check SSO_LOGIN_URL and your DNS or proxy settings (https_proxy, no_proxy)";
    default:
      return "check SSO_LOGIN_URL, your network and your proxy settings (https_proxy, no_proxy)";
  }
}

}  // namespace

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  const CurlApi& curl = Curl();
  if (!curl.load_error.empty()) return Status::Error(ErrorKind::kConnection, curl.load_error);

  std::unique_ptr<CURL, decltype(curl.easy_cleanup)> handle(curl.easy_init(), curl.easy_cleanup);
  if (!handle) return Status::Error(ErrorKind::kConnection, "libcurl could not create a handle");
  CURL* h = handle.get();

  curl_slist* raw_headers = nullptr;
  for (const auto& header : request.headers) raw_headers = curl.slist_append(raw_headers, header.c_str());
  std::unique_ptr<curl_slist, decltype(curl.slist_free_all)> headers(raw_headers, curl.slist_free_all);

  Sink sink;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl.easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl.easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  curl.easy_setopt(h, CURLOPT_TIMEOUT, options_.timeout_seconds);
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_seconds);
  if (!options_.user_agent.empty()) curl.easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (options_.insecure) {
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.ca_file.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (request.method == "POST") {
    curl.easy_setopt(h, CURLOPT_POST, 1L);
    curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
  } else if (request.method != "GET") {
    curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  CURLcode code = curl.easy_perform(h);
  if (code != CURLE_OK) {
    if (sink.too_large) {
      return Status::Error(ErrorKind::kNoToken,
                           "the login server's reply is larger than 1 MiB: it is not a token");
    }
    std::string detail = error_buffer[0] ? error_buffer : curl.easy_strerror(code);
    return Status::Error(ErrorKind::kConnection,
                         "no usable connection to " + request.url.substr(0, request.url.find('?')) +
                             ": " + detail,
                         ConnectionHint(code));
  }
  HttpResponse response;
  curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(sink.body);
  response.content_type = std::move(sink.content_type);
  response.retry_after = std::move(sink.retry_after);
  return response;
}

}  // namespace ssocli
