#include "zone/zone_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

#include "saml/idp_metadata.h"
#include "zone/browser_login.h"
#include "zone/fault_injector.h"
#include "zone/form_params.h"
#include "zone/http_reply.h"
#include "zone/login_pages.h"
#include "zone/management_api.h"
#include "zone/rate_limiter.h"
#include "zone/request_log.h"
#include "zone/session_store.h"
#include "zone/test_hooks.h"
#include "zone/test_idp.h"
#include "zone/tls_credentials.h"
#include "zone/token_endpoint.h"
#include "zone/token_issuer.h"
#include "zone/token_store.h"

namespace ssocli {
namespace {

// httplib adds these pseudo-headers to every request; they were not sent by the client.
bool IsPseudoHeader(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(text[i + j])) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

std::optional<std::string> Header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Request paths come from the network: keep log lines one line of printable text.
std::string Printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 200)) out += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

std::string UaaTimestamp(int64_t unix_time) {
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S+0000", &tm);
  return buf;
}

void Apply(const HttpReply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (!reply.body.empty() || !reply.content_type.empty()) {
    res.set_content(reply.body, reply.content_type.empty() ? "text/plain" : reply.content_type);
  }
}

HttpReply NotFound() {
  nlohmann::ordered_json body;
  body["error"] = "not_found";
  body["error_description"] = "Not Found";
  return JsonReply(404, body);
}

HttpReply MethodNotAllowed(const std::string& method) {
  nlohmann::ordered_json body;
  body["error"] = "method_not_allowed";
  body["error_description"] = "Request method '" + method + "' not supported";
  return JsonReply(405, body);
}

}  // namespace

struct ZoneServer::Impl {
  Impl(ZoneConfig c, UserDirectory u, std::shared_ptr<const JwtSigner> s, const Clock* clk)
      : config(std::move(c)),
        users(std::move(u)),
        signer(std::move(s)),
        clock(clk),
        limiter(config.rate_limit_per_hour) {}

  void Dispatch(const httplib::Request& req, httplib::Response& res);
  HttpReply Route(const httplib::Request& req);
  // The IdP key and the trusted IdPs' metadata from their files: kUsage naming the option otherwise.
  Status LoadSamlFiles();

  const ZoneConfig config;
  const UserDirectory users;
  const std::shared_ptr<const JwtSigner> signer;
  const Clock* const clock;
  LogSink log;

  TokenStore store;
  RateLimiter limiter;
  RequestLog requests;
  FaultInjector faults;
  SessionStore sessions;
  std::unique_ptr<SamlBearerValidator> saml;  // set_saml_bearer_validator's, or the real one
  std::optional<saml::SigningKey> idp_key;    // from --idp-key/--idp-cert
  std::vector<TrustedSamlIdp> trusted_idps;   // from --trust-idp-metadata
  // Built by Start() once the base URL is known, before the first request can arrive.
  std::unique_ptr<TokenIssuer> issuer;
  std::unique_ptr<TokenEndpoint> token_endpoint;
  std::unique_ptr<ManagementApi> management;
  std::unique_ptr<TestHooks> hooks;
  std::unique_ptr<TestIdp> idp;
  std::unique_ptr<BrowserLogin> browser;
  LoginPageInfo login_info;

  std::unique_ptr<httplib::Server> http;
  std::thread thread;
  std::string base_url;
  int port = 0;
  bool started = false;
  bool stopped = false;
  std::atomic<bool> listen_returned{false};
};

void ZoneServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res) {
  bool is_hook = StartsWith(req.path, kTestHookPrefix);
  if (config.test_hooks && !is_hook) {
    RecordedRequest record;
    record.method = req.method;
    record.path = req.target;
    for (const auto& [name, value] : req.headers) {
      if (!IsPseudoHeader(name)) record.headers.emplace_back(name, value);
    }
    if (!req.body.empty()) record.body = req.body;
    requests.Add(std::move(record));

    if (auto fault = faults.Take(req.path)) {
      faults.Delay(fault->delay_seconds);
      if (fault->status) {
        HttpReply canned{*fault->status, fault->content_type, fault->body, {}};
        if (!fault->retry_after.empty()) canned.WithHeader("Retry-After", fault->retry_after);
        if (canned.content_type.empty() && !canned.body.empty()) canned.content_type = "text/plain";
        Apply(canned, res);
        return;
      }
    }
  }
  Apply(Route(req), res);
}

HttpReply ZoneServer::Impl::Route(const httplib::Request& req) {
  const std::string& path = req.path;
  const std::string& method = req.method;
  bool get = method == "GET" || method == "HEAD";
  bool wants_json = ContainsNoCase(req.get_header_value("Accept"), "json");

  if (path == "/oauth/token" || StartsWith(path, "/oauth/token/")) {
    if (method != "POST") return MethodNotAllowed(method);
    TokenRequest token_request;
    token_request.path = path;
    token_request.params =
        RequestParams::FromRequest(req.target, req.get_header_value("Content-Type"), req.body);
    token_request.authorization = Header(req, "Authorization");
    token_request.accept = Header(req, "Accept");
    return token_endpoint->Handle(token_request);
  }
  if (StartsWith(path, kTestHookPrefix)) {
    if (!config.test_hooks) return NotFound();
    return hooks->Handle(
        method, path, RequestParams::FromRequest(req.target, req.get_header_value("Content-Type"), req.body));
  }
  for (const char* prefix : {"/v1/o/", "/v1/organizations/"}) {
    if (!StartsWith(path, prefix)) continue;
    std::string org = path.substr(std::string_view(prefix).size());
    if (org.empty() || org.find('/') != std::string::npos) return NotFound();
    if (!get) return MethodNotAllowed(method);
    return management->GetOrganization(org, Header(req, "Authorization"));
  }
  if (path == "/idp/metadata" || path == "/idp/sso") {
    if (!get) return MethodNotAllowed(method);
    if (path == "/idp/metadata") return idp->Metadata();
    return idp->SsoPage(RequestParams::FromRequest(req.target, "", ""));
  }
  auto browser_request = [&req] {
    return BrowserRequest{
        RequestParams::FromRequest(req.target, req.get_header_value("Content-Type"), req.body),
        req.get_header_value("Cookie")};
  };
  if (path == "/idp/login" || path == "/login.do" || path == browser->acs_path()) {
    if (method != "POST") return MethodNotAllowed(method);
    if (path == "/idp/login") return idp->Login(browser_request().params);
    if (path == "/login.do") return browser->LoginForm(browser_request());
    return browser->Acs(browser_request());
  }
  if (path == "/login" || path == "/version" || path == "/token_keys" || path == "/token_key" ||
      path == "/passcode" || path == "/logout.do" || path == "/") {
    if (!get) return MethodNotAllowed(method);
    if (path == "/login")
      return wants_json ? LoginJsonReply(login_info) : browser->LoginPage(browser_request());
    if (path == "/version") return VersionReply();
    if (path == "/token_keys") return TokenKeysReply(*signer);
    if (path == "/token_key") return TokenKeyReply(*signer);
    if (path == "/passcode") return browser->Passcode(browser_request(), wants_json);
    if (path == "/logout.do") return browser->Logout(browser_request());
    HttpReply reply{302, "", "", {}};
    return reply.WithHeader("Location", base_url + "/login");
  }
  return NotFound();
}

Status ZoneServer::Impl::LoadSamlFiles() {
  if (!config.idp_key_file.empty()) {
    auto key_pem = ReadOptionFile("--idp-key", config.idp_key_file);
    if (!key_pem.ok()) return key_pem.status();
    auto cert_pem = ReadOptionFile("--idp-cert", config.idp_cert_file);
    if (!cert_pem.ok()) return cert_pem.status();
    auto key = saml::SigningKey::FromPem(*key_pem, *cert_pem);
    if (!key.ok()) {
      return Status::Error(ErrorKind::kUsage, "--idp-key " + config.idp_key_file + " / --idp-cert " +
                                                  config.idp_cert_file + ": " + key.status().message());
    }
    idp_key = std::move(key.value());
  }
  for (size_t i = 0; i < config.trust_idp_metadata_files.size(); ++i) {
    const std::string& file = config.trust_idp_metadata_files[i];
    auto xml = ReadOptionFile("--trust-idp-metadata", file);
    if (!xml.ok()) return xml.status();
    auto metadata = saml::ParseIdpMetadata(*xml);
    if (!metadata.ok()) {
      return Status::Error(ErrorKind::kUsage,
                           "--trust-idp-metadata " + file + ": " + metadata.status().message());
    }
    trusted_idps.push_back(TrustedSamlIdp{"trusted-idp-" + std::to_string(i + 1),
                                          {metadata->entity_id, metadata->signing_certificates}});
  }
  return Status::Ok();
}

ZoneServer::ZoneServer(ZoneConfig config, UserDirectory users, std::shared_ptr<const JwtSigner> signer,
                       const Clock* clock)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(users), std::move(signer), clock)) {}

ZoneServer::~ZoneServer() {
  Stop();
}

void ZoneServer::set_log_sink(LogSink sink) {
  impl_->log = std::move(sink);
}

void ZoneServer::set_saml_bearer_validator(std::unique_ptr<SamlBearerValidator> validator) {
  impl_->saml = std::move(validator);
}

Status ZoneServer::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::Error(ErrorKind::kInternal, "zone server already started");
  s.started = true;
  const ZoneConfig& config = s.config;

  if (config.tls()) {
    auto creds = TlsCredentials::Load(config.tls_cert_file, config.tls_key_file);
    if (!creds.ok()) return creds.status();
    auto server =
        std::make_unique<httplib::SSLServer>([&creds](SSL_CTX& ctx) { return creds->Install(&ctx); });
    if (!server->is_valid()) {
      return Status::Error(ErrorKind::kUsage, "cannot use --tls-cert " + config.tls_cert_file +
                                                  " with --tls-key " + config.tls_key_file);
    }
    s.http = std::move(server);
  } else {
    s.http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *s.http;
  if (Status loaded = s.LoadSamlFiles(); !loaded.ok()) return loaded;

  // httplib's default also sets SO_REUSEPORT, which would let two zones share a port silently:
  // a busy port must be an error.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_payload_max_length(kZoneMaxBodyBytes);
  // Responses go out in several writes (TLS records): without TCP_NODELAY, Nagle's algorithm and the
  // client's delayed ACK stall every TLS response by ~40 ms.
  http.set_tcp_nodelay(true);
  // Bounds how long Stop() waits for an idle keep-alive connection.
  http.set_keep_alive_timeout(1);
  auto handler = [&s](const httplib::Request& req, httplib::Response& res) { s.Dispatch(req, res); };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Options(".*", handler);
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    // A bug must not tell the client more than that it happened.
    Apply(OAuthErrorReply(500, "server_error", "Internal Server Error"), res);
  });
  http.set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
    if (s.log) s.log(Printable(req.method) + " " + Printable(req.path) + " " + std::to_string(res.status));
  });

  int port = config.port;
  bool bound = false;
  if (port == 0) {
    port = http.bind_to_any_port(config.host);
    bound = port > 0;
  } else {
    bound = http.bind_to_port(config.host, port);
  }
  if (!bound) {
    return Status::Error(ErrorKind::kConnection, "cannot listen on " + config.host + ":" +
                                                     std::to_string(config.port) +
                                                     " (port in use, or not an address of this host)");
  }
  s.port = port;
  s.base_url = ZoneBaseUrl(config.tls(), config.host, port);

  int64_t now = s.clock->Now();
  TokenSettings settings;
  settings.access_validity = config.access_token_validity;
  settings.refresh_validity = config.refresh_token_validity;
  settings.rotate_refresh = config.refresh_rotation;
  settings.jwt_refresh = config.jwt_refresh_tokens;
  settings.issuer = config.issuer.empty() ? s.base_url + "/oauth/token" : config.issuer;
  settings.jku = s.base_url + "/token_keys";
  s.issuer = std::make_unique<TokenIssuer>(s.signer, &s.store, settings);

  const std::string sp_entity_id = SpEntityIdOf(config);
  TestIdpSettings idp_settings;
  idp_settings.base_url = s.base_url;
  idp_settings.entity_id = config.idp_entity_id.empty() ? s.base_url + "/idp" : config.idp_entity_id;
  idp_settings.zone_acs_url = s.base_url + "/saml/SSO/alias/" + sp_entity_id;  // BrowserLogin::acs_url()
  idp_settings.recipient = config.idp_recipient;
  BrowserLoginSettings browser_settings{s.base_url, config.zone_name, config.saml_zone, sp_entity_id,
                                        config.tls()};
  s.idp = std::make_unique<TestIdp>(idp_settings, std::move(s.idp_key), &s.users, s.clock);
  s.browser =
      std::make_unique<BrowserLogin>(browser_settings, &s.users, &s.store, &s.sessions, s.idp.get(), s.clock);
  if (!s.saml) {
    s.saml = std::make_unique<SamlAssertionBearerValidator>(s.idp.get(), kTestIdpOrigin, s.trusted_idps,
                                                            sp_entity_id);
  }
  s.token_endpoint =
      std::make_unique<TokenEndpoint>(&s.users, s.issuer.get(), &s.store, &s.limiter, s.saml.get(), s.clock,
                                      TokenEndpointSettings{config.bad_credentials_error, s.base_url});
  s.management = std::make_unique<ManagementApi>(s.signer, settings.issuer, s.clock, now * 1000);
  s.hooks = std::make_unique<TestHooks>(&s.users, s.issuer.get(), &s.store, &s.requests, &s.faults,
                                        s.idp.get(), sp_entity_id, s.clock);
  s.login_info = LoginPageInfo{s.base_url, config.zone_name, config.saml_zone, UaaTimestamp(now)};

  // The socket already listens (bind_to_port does both): clients may connect from here on.
  s.thread = std::thread([&s] {
    s.http->listen_after_bind();
    s.listen_returned = true;
  });
  // httplib's stop() is a no-op until its accept loop runs: wait for it, so that Stop() right
  // after Start() cannot miss it and hang.
  while (!http.is_running() && !s.listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void ZoneServer::Stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.faults.Shutdown();
  if (s.http) s.http->stop();
  if (s.thread.joinable()) s.thread.join();
}

const std::string& ZoneServer::base_url() const {
  return impl_->base_url;
}
int ZoneServer::port() const {
  return impl_->port;
}

}  // namespace ssocli
