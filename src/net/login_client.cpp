#include "net/login_client.h"

#include <nlohmann/json.hpp>

#include "core/secret.h"
#include "core/url.h"

namespace ssocli {
namespace {

constexpr char kFormType[] = "Content-Type: application/x-www-form-urlencoded;charset=utf-8";
constexpr char kAcceptJson[] = "Accept: application/json;charset=utf-8";

std::string HintFor(GrantKind kind, const std::string& passcode_url) {
  switch (kind) {
    case GrantKind::kPassword:
      return "check the username, the password and the MFA code, then try again";
    case GrantKind::kPasscode:
      return "get a new passcode at " + passcode_url +
             " (each passcode works once and expires after 5 minutes)";
    case GrantKind::kRefresh:
      return "sign in again";
    case GrantKind::kSamlBearer:
      return "the login server did not accept the IdP's assertion: check that the zone trusts this IdP "
             "and that the IdP sends the token alias URL as Recipient (docs/sso.md)";
  }
  return {};
}

const char* GrantVerb(GrantKind kind) {
  switch (kind) {
    case GrantKind::kPassword:
    case GrantKind::kPasscode:
    case GrantKind::kSamlBearer:
      return "the sign-in";
    case GrantKind::kRefresh:
      return "the token refresh";
  }
  return "the request";
}

bool LooksLikeHtml(std::string_view body, std::string_view content_type) {
  if (content_type.find("html") != std::string_view::npos) return true;
  size_t i = body.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && body[i] == '<';
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string SanitizeForTerminal(std::string_view text, size_t max_len) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max_len) {
      out += "...";
      break;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string LoginClient::Endpoint(std::string_view path) const {
  std::string base = config_.login_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

bool LoginClient::IsRejection(const Status& status) {
  return status.kind() == ErrorKind::kNoToken &&
         (status.http_status() == 400 || status.http_status() == 401) && !status.oauth_error().empty();
}

Result<ZoneInfo> LoginClient::FetchZoneInfo() {
  HttpRequest req;
  req.url = Endpoint("/login");
  req.headers = {"Accept: application/json"};
  log_.Debug("GET " + req.url);
  auto resp = http_.Send(req);
  if (!resp.ok()) return resp.status();
  log_.Debug("HTTP " + std::to_string(resp->status) + " from /login");
  auto j = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
  if (resp->status != 200 || !j.is_object()) {
    return Status::Error(ErrorKind::kNoToken, "the login server's /login page did not answer with its "
                                              "JSON description (HTTP " +
                                                  std::to_string(resp->status) + ")")
        .WithHttp(static_cast<int>(resp->status));
  }
  ZoneInfo info;
  auto prompts = j.find("prompts");
  info.passcode = prompts != j.end() && prompts->is_object() && prompts->contains("passcode");
  return info;
}

Result<TokenGrant> LoginClient::PasswordGrant(std::string_view username, std::string_view password,
                                              std::string_view mfa_code) {
  std::string body = FormEncode({{"grant_type", "password"},
                                 {"username", AsciiLower(username)},
                                 {"password", std::string(password)}});
  std::string loggable = "grant_type=password&username=" + PercentEncode(AsciiLower(username)) +
                         "&password=<redacted>";
  return RequestToken(GrantKind::kPassword,
                      Endpoint("/oauth/token") + "?mfa_token=" + PercentEncode(mfa_code),
                      std::move(body), loggable);
}

Result<TokenGrant> LoginClient::PasscodeGrant(std::string_view passcode) {
  std::string body = FormEncode(
      {{"grant_type", "password"}, {"passcode", std::string(passcode)}, {"response_type", "token"}});
  return RequestToken(GrantKind::kPasscode, Endpoint("/oauth/token") + "?mfa_token=", std::move(body),
                      "grant_type=password&passcode=<redacted>&response_type=token");
}

Result<TokenGrant> LoginClient::RefreshGrant(std::string_view refresh_token) {
  std::string body =
      FormEncode({{"grant_type", "refresh_token"}, {"refresh_token", std::string(refresh_token)}});
  return RequestToken(GrantKind::kRefresh, Endpoint("/oauth/token"), std::move(body),
                      "grant_type=refresh_token&refresh_token=<redacted>");
}

std::string LoginClient::TokenAliasUrl(std::string_view sp_entity_id) const {
  return Endpoint("/oauth/token/alias/") + std::string(sp_entity_id);
}

Result<TokenGrant> LoginClient::SamlBearerGrant(std::string_view sp_entity_id, std::string_view assertion) {
  std::string body = FormEncode({{"grant_type", "urn:ietf:params:oauth:grant-type:saml2-bearer"},
                                 {"assertion", std::string(assertion)}});
  return RequestToken(GrantKind::kSamlBearer, TokenAliasUrl(sp_entity_id), std::move(body),
                      "grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer&assertion=<redacted>");
}

Result<TokenGrant> LoginClient::RequestToken(GrantKind kind, std::string url, std::string body,
                                             std::string_view loggable_body) {
  HttpRequest req;
  req.method = "POST";
  req.url = std::move(url);
  req.headers = {kFormType, kAcceptJson, "Authorization: Basic " + config_.client_auth};
  req.body = std::move(body);
  std::string loggable_url = req.url;
  if (size_t q = loggable_url.find("?mfa_token="); q != std::string::npos &&
                                                    q + 11 < loggable_url.size()) {
    loggable_url = loggable_url.substr(0, q) + "?mfa_token=<redacted>";
  }
  log_.Debug("POST " + loggable_url + " with " + std::string(loggable_body));

  auto resp = http_.Send(req);
  // The request body holds a password, passcode or refresh token: do not keep it around.
  WipeString(req.body);
  if (!resp.ok()) return resp.status();

  const long status = resp->status;
  log_.Debug("HTTP " + std::to_string(status) + " from the token endpoint (" +
             std::to_string(resp->body.size()) + " bytes)");
  auto j = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
  const std::string passcode_url = Endpoint("/passcode");
  const std::string http = "HTTP " + std::to_string(status);

  if (status == 200 && j.is_object()) {
    auto at = j.find("access_token");
    if (at != j.end() && at->is_string() && !at->get<std::string>().empty()) {
      TokenGrant grant;
      grant.body = resp->body;
      grant.access_token = at->get<std::string>();
      if (auto rt = j.find("refresh_token"); rt != j.end() && rt->is_string()) {
        grant.refresh_token = rt->get<std::string>();
      }
      return grant;
    }
  }
  if (status == 429) {
    std::string wait = resp->retry_after.empty() ? "a while" : SanitizeForTerminal(resp->retry_after, 40) + " s";
    return Status::Error(ErrorKind::kNoToken,
                         "the login server refused " + std::string(GrantVerb(kind)) +
                             ": too many requests (HTTP 429)",
                         "wait " + wait + " and try again (Apigee allows about 30 new tokens per hour "
                                          "per user; reuse the cached token instead of signing in anew)")
        .WithHttp(429);
  }
  if (j.is_object() && j.contains("error")) {
    std::string error = j["error"].is_string() ? j["error"].get<std::string>() : "error";
    std::string description;
    if (auto d = j.find("error_description"); d != j.end() && d->is_string()) {
      description = d->get<std::string>();
    }
    std::string what = SanitizeForTerminal(description.empty() ? error : description);
    return Status::Error(ErrorKind::kNoToken,
                         "the login server refused " + std::string(GrantVerb(kind)) + ": " + what +
                             " (" + http + ", " + SanitizeForTerminal(error, 60) + ")",
                         HintFor(kind, passcode_url))
        .WithHttp(static_cast<int>(status), error);
  }
  std::string what;
  if (LooksLikeHtml(resp->body, resp->content_type)) {
    what = "answered " + http + " with an HTML page instead of a token";
  } else if (resp->body.empty()) {
    what = "answered " + http + " with an empty body instead of a token";
  } else if (j.is_discarded()) {
    what = "answered " + http + " with malformed or truncated JSON instead of a token";
  } else {
    what = "answered " + http + " with JSON that holds no access token";
  }
  return Status::Error(ErrorKind::kNoToken,
                       "the login server (or a proxy in front of it) " + what,
                       status >= 500 || status == 200
                           ? "try again in a minute; if it persists, check https_proxy/no_proxy and "
                             "the zone's status"
                           : "check SSO_LOGIN_URL: it must be the zone's login server")
      .WithHttp(static_cast<int>(status));
}

}  // namespace ssocli
