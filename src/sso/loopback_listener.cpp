#include "sso/loopback_listener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/secret.h"

namespace ssocli::sso {
namespace {

constexpr char kLoopbackAddress[] = "127.0.0.1";
constexpr char kHtml[] = "text/html; charset=utf-8";
// Requests that are not form posts carry no body worth reading.
constexpr size_t kOtherBodyLimit = 16 * 1024;

// Every response: never cached (the pages carry the state, and outcomes must not be replayed from a
// cache), never framed, never leaking the URL (with its state) as a Referer, no script, no resource
// from elsewhere; forms post only back here.
httplib::Headers SecurityHeaders() {
  return {
      {"Cache-Control", "no-store"},
      {"Pragma", "no-cache"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'"},
  };
}

// Request paths come from the network: keep log lines one line of printable text.
std::string Printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 200)) out += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// "application/x-www-form-urlencoded", any case, parameters (e.g. a charset) allowed.
bool IsFormContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  return EqualsNoCase(media, "application/x-www-form-urlencoded");
}

const char* StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 404:
      return "Page not found";
    case 405:
      return "Method not allowed";
    case 411:
      return "Length required";
    case 413:
      return "Request too large";
    case 414:
      return "Address too long";
    case 415:
      return "Unsupported form";
    default:
      return status >= 500 ? "Internal error" : "Request refused";
  }
}

}  // namespace

FormFields ParseFormBody(std::string_view body) {
  FormFields fields;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view piece = body.substr(pos, end - pos);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view name = piece.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      fields.emplace_back(PercentDecode(name, true), PercentDecode(value, true));
    }
    pos = end + 1;
  }
  return fields;
}

struct LoopbackListener::Impl {
  LoopbackOptions options;
  Handler handler;
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::atomic<bool> listen_returned{false};
  std::mutex stop_mu;
  bool stopped = false;

  size_t BodyLimit(const std::string& path) const {
    auto it = options.form_routes.find(path);
    return it == options.form_routes.end() ? kOtherBodyLimit : it->second;
  }

  // Only "127.0.0.1:PORT" and "localhost:PORT": a page of another site whose name resolves to
  // 127.0.0.1 (DNS rebinding) sends its own name.
  bool HostAllowed(const httplib::Request& req) const {
    if (req.get_header_value_count("Host") != 1) return false;
    const std::string host = req.get_header_value("Host");
    const std::string suffix = ":" + std::to_string(port);
    return host == kLoopbackAddress + suffix || EqualsNoCase(host, "localhost" + suffix);
  }

  void Refuse(httplib::Response& res, int status, std::string_view title, std::string_view what) const {
    res.status = status;
    if (options.error_page) {
      res.set_content(options.error_page(status, title, what), kHtml);
    } else {
      res.set_content(std::string(title) + ": " + std::string(what) + "\n", "text/plain; charset=utf-8");
    }
  }

  void Apply(const LoopbackReply& reply, httplib::Response& res) const {
    res.status = reply.status;
    if (!reply.location.empty()) res.set_header("Location", reply.location);
    if (!reply.allow.empty()) res.set_header("Allow", reply.allow);
    if (!reply.html.empty()) res.set_content(reply.html, kHtml);
  }

  LoopbackRequest Convert(const httplib::Request& req) const {
    LoopbackRequest r;
    r.method = req.method;
    r.path = req.path;
    size_t q = req.target.find('?');
    if (q != std::string::npos) r.query = ParseFormBody(std::string_view(req.target).substr(q + 1));
    return r;
  }

  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res) const {
    if (!HostAllowed(req)) {
      Refuse(res, 400, "Wrong address",
             "This sign-in page answers only at http://127.0.0.1:" + std::to_string(port) +
                 "/ (a request naming another host is refused: it may come from a site that resolves "
                 "its name to this computer). Open the URL printed in the terminal.");
      return httplib::Server::HandlerResponse::Handled;
    }
    const size_t limit = BodyLimit(req.path);
    if (req.has_header("Content-Length")) {
      const std::string text = req.get_header_value("Content-Length");
      char* end = nullptr;
      errno = 0;
      unsigned long long length = std::strtoull(text.c_str(), &end, 10);
      if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || !std::isdigit(text[0])) {
        Refuse(res, 400, "Bad request", "The request's Content-Length is not a number.");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (length > limit) {
        Refuse(res, 413, "Request too large",
               "The request body has " + text + " bytes; at most " + std::to_string(limit) +
                   " are accepted here.");
        return httplib::Server::HandlerResponse::Handled;
      }
    } else if (req.method == "POST" && options.form_routes.count(req.path) != 0 &&
               req.get_header_value("Transfer-Encoding").empty()) {
      Refuse(res, 411, "Length required", "The form was posted without a Content-Length.");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void Post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) const {
    LoopbackRequest r = Convert(req);
    auto route = options.form_routes.find(req.path);
    if (route != options.form_routes.end()) {
      if (!IsFormContentType(req.get_header_value("Content-Type"))) {
        Refuse(res, 415, "Unsupported form",
               "The form must be posted as application/x-www-form-urlencoded, as browsers do.");
        return;
      }
      std::string body;
      bool too_large = false;
      bool complete = reader([&](const char* data, size_t n) {
        if (body.size() + n > route->second) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
      if (too_large || !complete) {
        WipeString(body);
        if (too_large) {
          Refuse(res, 413, "Request too large",
                 "The form is larger than " + std::to_string(route->second) + " bytes.");
        } else {
          Refuse(res, 400, "Bad request", "The form did not arrive completely.");
        }
        return;
      }
      r.form = ParseFormBody(body);
      WipeString(body);
    }
    Apply(handler(r), res);
  }
};

LoopbackListener::LoopbackListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LoopbackListener::~LoopbackListener() {
  Stop();
}

Result<std::unique_ptr<LoopbackListener>> LoopbackListener::Start(const LoopbackOptions& options,
                                                                  Handler handler) {
  if (options.port < 0 || options.port > 65535) {
    return Status::Error(ErrorKind::kUsage, "port " + std::to_string(options.port) + " is not a TCP port",
                         "give --port a number from 1 to 65535, or 0 for any free port");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  Impl* s = impl.get();
  httplib::Server& http = s->http;

  http.set_address_family(AF_INET);
  // httplib's default also sets SO_REUSEPORT, which would let two listeners share a port silently:
  // a busy port must be an error.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_tcp_nodelay(true);
  // One request per connection, and an idle connection (a browser's speculative pre-connect) is
  // dropped after a second: it holds one worker of the pool, never the flow, and Stop() never waits
  // long for it. Browsers open a new connection when a pre-connected one was closed.
  http.set_keep_alive_max_count(1);
  http.set_keep_alive_timeout(1);
  http.set_read_timeout(3, 0);
  http.set_write_timeout(3, 0);
  size_t max_body = kOtherBodyLimit;
  for (const auto& [path, limit] : options.form_routes) max_body = std::max(max_body, limit);
  http.set_payload_max_length(max_body);
  http.set_default_headers(SecurityHeaders());

  http.set_pre_routing_handler(
      [s](const httplib::Request& req, httplib::Response& res) { return s->PreRoute(req, res); });
  auto plain = [s](const httplib::Request& req, httplib::Response& res) {
    s->Apply(s->handler(s->Convert(req)), res);
  };
  http.Get(".*", plain);
  http.Put(".*", plain);
  http.Patch(".*", plain);
  http.Delete(".*", plain);
  http.Options(".*", plain);
  http.Post(".*", [s](const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& reader) { s->Post(req, res, reader); });
  // Errors httplib finds itself (a malformed request line, an oversized URL, ...) get a page too.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([s](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        s->Refuse(
            res, res.status, StatusTitle(res.status),
            "The browser sent a request this sign-in page cannot use. Open the URL printed in the terminal.");
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler([s](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    s->Refuse(res, 500, "Internal error", "The sign-in page failed; the terminal may say more.");
  });
  if (options.log) {
    http.set_logger([s](const httplib::Request& req, const httplib::Response& res) {
      s->options.log(Printable(req.method) + " " + Printable(req.path) + " " + std::to_string(res.status));
    });
  }

  if (options.port == 0) {
    s->port = http.bind_to_any_port(kLoopbackAddress);
  } else {
    s->port = http.bind_to_port(kLoopbackAddress, options.port) ? options.port : -1;
  }
  if (s->port <= 0) {
    if (options.port == 0) {
      return Status::Error(ErrorKind::kSsoTimeout, "cannot listen on 127.0.0.1: no free port",
                           "pick one with --port");
    }
    return Status::Error(ErrorKind::kSsoTimeout,
                         "port " + std::to_string(options.port) + " is busy; pick another with --port",
                         options.port < 1024 ? "ports below 1024 need privileges; use a higher one" : "");
  }

  // The socket already listens (bind_to_port does both): connections queue from here on.
  s->thread = std::thread([s] {
    s->http.listen_after_bind();
    s->listen_returned = true;
  });
  // httplib's stop() is a no-op until its accept loop runs: wait for it, so that Stop() right after
  // Start() cannot miss it and hang.
  while (!http.is_running() && !s->listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<LoopbackListener>(new LoopbackListener(std::move(impl)));
}

int LoopbackListener::port() const {
  return impl_->port;
}

std::string LoopbackListener::origin() const {
  return std::string("http://") + kLoopbackAddress + ":" + std::to_string(impl_->port);
}

void LoopbackListener::Stop() {
  if (!impl_) return;
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace ssocli::sso
