#include "zone/test_hooks.h"

#include <charconv>
#include <cmath>
#include <optional>

#include "zone/random_id.h"
#include "zone/token_endpoint.h"

namespace ssocli {
namespace {

constexpr char kTextPlain[] = "text/plain;charset=UTF-8";
constexpr char kExternalOrigin[] = "saml";

HttpReply Text(int status, std::string body) {
  return HttpReply{status, kTextPlain, std::move(body), {}};
}
HttpReply BadRequest(const std::string& why) {
  return Text(400, why + "\n");
}

std::optional<int64_t> ParseInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseSeconds(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

TestHooks::TestHooks(const UserDirectory* users, TokenIssuer* issuer, TokenStore* store, RequestLog* requests,
                     FaultInjector* faults, const Clock* clock)
    : users_(users), issuer_(issuer), store_(store), requests_(requests), faults_(faults), clock_(clock) {}

UserIdentity TestHooks::IdentityFor(const std::string& user_name) const {
  if (const ZoneUser* user = users_->FindUser(user_name)) return UserDirectory::IdentityOf(*user);
  return UserDirectory::ExternalIdentity(user_name, kExternalOrigin);
}

HttpReply TestHooks::Handle(const std::string& method, const std::string& path, const RequestParams& params) {
  std::string name = path.substr(sizeof(kTestHookPrefix) - 1);
  auto wrong_method = [] { return Text(405, "method not allowed\n"); };
  if (name == "passcode") return method == "POST" ? Passcode(params) : wrong_method();
  if (name == "token") return method == "POST" ? Token(params) : wrong_method();
  if (name == "revoke") return method == "POST" ? Revoke(params) : wrong_method();
  if (name == "requests") {
    if (method == "GET") return JsonReply(200, requests_->ToJson());
    if (method == "DELETE") {
      requests_->Clear();
      return Text(200, "");
    }
    return wrong_method();
  }
  if (name == "fault") {
    if (method == "POST") return AddFault(params);
    if (method == "DELETE") {
      faults_->Clear();
      return Text(200, "");
    }
    return wrong_method();
  }
  return Text(404, "no such test hook\n");
}

HttpReply TestHooks::Passcode(const RequestParams& params) {
  std::string user = params.Get("user");
  if (user.empty()) return BadRequest("user is required");
  std::string code = RandomAlphanumeric(32);
  int64_t now = clock_->Now();
  store_->PutPasscode(code, IdentityFor(user), now + kPasscodeValidity, now);
  return Text(200, code);
}

HttpReply TestHooks::Token(const RequestParams& params) {
  std::string user = params.Get("user");
  if (user.empty()) return BadRequest("user is required");
  int64_t now = clock_->Now();
  int64_t lifetime = issuer_->settings().access_validity;
  if (const std::string* text = params.Find("lifetime")) {
    auto value = ParseInt(*text);
    if (!value) return BadRequest("lifetime must be an integer (seconds)");
    lifetime = *value;
  }
  int64_t iat = now;
  if (const std::string* text = params.Find("iat")) {
    auto value = ParseInt(*text);
    if (!value) return BadRequest("iat must be an integer (seconds since the epoch)");
    iat = *value;
  }
  const OAuthClient* client = nullptr;
  if (const std::string* id = params.Find("client")) {
    client = users_->FindClient(*id);
    if (client == nullptr) return BadRequest("unknown client");
  } else {
    for (const auto& c : users_->clients()) {
      if (c.Allows(kGrantPassword)) {
        client = &c;
        break;
      }
    }
    if (client == nullptr && !users_->clients().empty()) client = &users_->clients().front();
    if (client == nullptr) return BadRequest("the zone has no client");
  }
  UserIdentity identity = IdentityFor(user);
  std::vector<std::string> scopes = identity.scopes;
  if (const std::string* text = params.Find("scope"); text && !text->empty()) {
    scopes.clear();
    for (size_t start = 0; start < text->size();) {
      size_t end = text->find(' ', start);
      if (end == std::string::npos) end = text->size();
      if (end > start) scopes.push_back(text->substr(start, end - start));
      start = end + 1;
    }
  }
  RefreshGrant grant{identity, client->client_id, scopes, kGrantPassword, iat, 0};
  return TokenSuccessReply(issuer_->Issue(grant, iat, lifetime, now));
}

HttpReply TestHooks::Revoke(const RequestParams& params) {
  std::string user = params.Get("user");
  if (user.empty()) return BadRequest("user is required");
  size_t count = store_->RevokeUser(LowerAscii(user));
  return Text(200, std::to_string(count) + "\n");
}

HttpReply TestHooks::AddFault(const RequestParams& params) {
  Fault fault;
  fault.path_prefix = params.Get("path");
  if (fault.path_prefix.empty() || fault.path_prefix[0] != '/') return BadRequest("path must start with /");
  if (fault.path_prefix.rfind(kTestHookPrefix, 0) == 0) return BadRequest("test hooks cannot be faulted");
  if (const std::string* text = params.Find("count")) {
    auto value = ParseInt(*text);
    if (!value || *value < 1 || *value > 1000000) return BadRequest("count must be a positive integer");
    fault.count = static_cast<int>(*value);
  }
  if (const std::string* text = params.Find("status")) {
    auto value = ParseInt(*text);
    if (!value || *value < 200 || *value > 599) return BadRequest("status must be between 200 and 599");
    fault.status = static_cast<int>(*value);
  }
  if (const std::string* text = params.Find("delay")) {
    auto value = ParseSeconds(*text);
    if (!value || *value < 0 || *value > 600) return BadRequest("delay must be between 0 and 600 seconds");
    fault.delay_seconds = *value;
  }
  fault.content_type = params.Get("content_type");
  fault.body = params.Get("body");
  fault.retry_after = params.Get("retry_after");
  for (const std::string* header : {&fault.content_type, &fault.retry_after}) {
    if (header->find_first_of("\r\n") != std::string::npos)
      return BadRequest("header values must be one line");
  }
  faults_->Add(std::move(fault));
  return Text(200, "");
}

}  // namespace ssocli
