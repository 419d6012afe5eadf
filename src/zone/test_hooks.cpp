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
                     FaultInjector* faults, TestIdp* idp, std::string sp_entity_id, const Clock* clock)
    : users_(users),
      issuer_(issuer),
      store_(store),
      requests_(requests),
      faults_(faults),
      idp_(idp),
      sp_entity_id_(std::move(sp_entity_id)),
      clock_(clock) {}

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
  if (name == "saml-response") return method == "POST" ? SamlResponse(params) : wrong_method();
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

// A Response from the test IdP without a browser, good or broken on purpose, for tests of what
// receives it (get_token's loopback listener, the zone's own ACS).
HttpReply TestHooks::SamlResponse(const RequestParams& params) {
  MintRequest mint;
  mint.acs_url = params.Get("acs");
  mint.user = params.Get("user");
  if (mint.acs_url.empty() || mint.user.empty()) return BadRequest("acs and user are required");
  mint.in_response_to = params.Get("in_response_to");
  mint.audience = params.Find("audience") ? params.Get("audience") : sp_entity_id_;
  if (mint.audience.empty()) return BadRequest("audience must not be empty");
  mint.email = mint.user;
  if (const std::string* v = params.Find("recipient")) mint.recipient = *v;
  if (const std::string* v = params.Find("destination")) mint.destination = *v;
  if (const std::string* v = params.Find("issuer")) {
    if (v->empty()) return BadRequest("issuer must not be empty");
    mint.issuer = *v;
  }
  if (const std::string* text = params.Find("lifetime")) {
    auto value = ParseInt(*text);
    if (!value || *value < -int64_t{10} * 366 * 86400 || *value > int64_t{10} * 366 * 86400) {
      return BadRequest("lifetime must be an integer (seconds, negative for an expired response)");
    }
    mint.lifetime_seconds = *value;
  }
  std::string sign = params.Find("sign") ? params.Get("sign") : "assertion";
  if (sign == "assertion") {
    mint.sign = saml::SignedParts::kAssertion;
  } else if (sign == "both") {
    mint.sign = saml::SignedParts::kAssertionAndResponse;
  } else if (sign == "none") {
    mint.sign = saml::SignedParts::kNone;
  } else {
    return BadRequest("sign must be assertion, both or none");
  }
  std::string key = params.Find("key") ? params.Get("key") : "idp";
  if (key != "idp" && key != "attacker") return BadRequest("key must be idp or attacker");
  mint.attacker_key = key == "attacker";

  auto response = idp_->MintResponse(mint);
  if (!response.ok()) {
    if (response.status().kind() == ErrorKind::kUsage) return BadRequest(response.status().message());
    return Text(500, response.status().message() + "\n");
  }
  HttpReply reply = Text(200, std::move(response.value()));
  std::string relay_state = params.Get("relay_state");
  if (!relay_state.empty() && relay_state.find_first_of("\r\n") == std::string::npos) {
    reply.WithHeader("X-RelayState", relay_state);
  }
  return reply;
}

}  // namespace ssocli
