#include "zone/user_directory.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "zone/totp.h"

namespace ssocli {
namespace {

using nlohmann::json;

Status FileError(const std::string& where, const std::string& what) {
  return Status::Error(ErrorKind::kUsage, where + ": " + what);
}

// The grants a client entry may name; the server implements only some of them, the others are
// answered with unsupported_grant_type like a UAA that does not offer them.
bool IsKnownGrant(const std::string& grant) {
  static const std::set<std::string> kKnown = {kGrantPassword,
                                               kGrantRefreshToken,
                                               kGrantSaml2Bearer,
                                               "authorization_code",
                                               "client_credentials",
                                               "implicit",
                                               "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                               "user_token"};
  return kKnown.count(grant) != 0;
}

Status CheckKeys(const json& object, const std::string& where, const std::set<std::string>& allowed) {
  if (!object.is_object()) return FileError(where, "must be an object");
  for (const auto& item : object.items()) {
    if (allowed.count(item.key()) == 0) return FileError(where, "unknown key \"" + item.key() + "\"");
  }
  return Status::Ok();
}

Result<std::string> GetString(const json& object, const std::string& where, const char* key, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return FileError(where, std::string("\"") + key + "\" is required");
    return std::string();
  }
  if (!it->is_string()) return FileError(where + "." + key, "must be a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> GetStringArray(const json& object, const std::string& where,
                                                const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) return FileError(where + "." + key, "must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      return FileError(where + "." + key, "must be an array of non-empty strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<ZoneUser> ParseUser(const json& entry, const std::string& where) {
  Status keys =
      CheckKeys(entry, where,
                {"username", "password", "email", "origin", "mfa_code", "totp_secret", "locked", "scopes"});
  if (!keys.ok()) return keys;
  ZoneUser user;
  auto username = GetString(entry, where, "username", true);
  if (!username.ok()) return username.status();
  if (username->empty()) return FileError(where + ".username", "must not be empty");
  user.username = LowerAscii(*username);
  if (entry.contains("password")) {
    auto password = GetString(entry, where, "password", true);
    if (!password.ok()) return password.status();
    user.password = *password;
  }
  auto email = GetString(entry, where, "email", false);
  if (!email.ok()) return email.status();
  user.email = email->empty() ? user.username : *email;
  if (entry.contains("origin")) {
    auto origin = GetString(entry, where, "origin", true);
    if (!origin.ok()) return origin.status();
    if (origin->empty()) return FileError(where + ".origin", "must not be empty");
    user.origin = *origin;
  }
  auto mfa = GetString(entry, where, "mfa_code", false);
  if (!mfa.ok()) return mfa.status();
  if (!mfa->empty() && (mfa->size() != 6 || !std::all_of(mfa->begin(), mfa->end(),
                                                         [](char c) { return c >= '0' && c <= '9'; }))) {
    return FileError(where + ".mfa_code", "must be 6 digits");
  }
  user.mfa_code = *mfa;
  auto totp = GetString(entry, where, "totp_secret", false);
  if (!totp.ok()) return totp.status();
  if (!totp->empty()) {
    auto key = Base32Decode(*totp);
    if (!key) return FileError(where + ".totp_secret", "must be base32 (A-Z, 2-7)");
    user.totp_secret = *key;
  }
  if (auto it = entry.find("locked"); it != entry.end()) {
    if (!it->is_boolean()) return FileError(where + ".locked", "must be true or false");
    user.locked = it->get<bool>();
  }
  if (entry.contains("scopes")) {
    auto scopes = GetStringArray(entry, where, "scopes");
    if (!scopes.ok()) return scopes.status();
    user.scopes = *scopes;
  } else {
    user.scopes = DefaultScopes();
  }
  return user;
}

Result<OAuthClient> ParseClient(const json& entry, const std::string& where) {
  Status keys = CheckKeys(entry, where, {"client_id", "client_secret", "grants"});
  if (!keys.ok()) return keys;
  OAuthClient client;
  auto id = GetString(entry, where, "client_id", true);
  if (!id.ok()) return id.status();
  if (id->empty() || id->find(':') != std::string::npos) {
    return FileError(where + ".client_id", "must be non-empty and without ':'");
  }
  client.client_id = *id;
  auto secret = GetString(entry, where, "client_secret", true);
  if (!secret.ok()) return secret.status();
  client.client_secret = *secret;
  if (!entry.contains("grants")) return FileError(where, "\"grants\" is required");
  auto grants = GetStringArray(entry, where, "grants");
  if (!grants.ok()) return grants.status();
  for (const auto& g : *grants) {
    if (!IsKnownGrant(g)) return FileError(where + ".grants", "unknown grant \"" + g + "\"");
  }
  client.grants = *grants;
  return client;
}

OAuthClient DefaultClient() {
  return OAuthClient{"edgecli", "edgeclisecret", {kGrantPassword, kGrantRefreshToken, kGrantSaml2Bearer}};
}

}  // namespace

bool OAuthClient::Allows(std::string_view grant) const {
  return std::find(grants.begin(), grants.end(), grant) != grants.end();
}

std::vector<std::string> DefaultScopes() {
  return {"scim.me", "openid", "password.write"};
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string UserIdFor(std::string_view user_name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string input = "ssocli-zone-user:" + std::string(user_name);
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5 (name-based)
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

bool SecretEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

UserDirectory UserDirectory::Defaults() {
  UserDirectory dir;
  ZoneUser demo;
  demo.username = "demo@example.com";
  demo.password = "demo-password";
  demo.email = demo.username;
  demo.scopes = DefaultScopes();
  ZoneUser mfa = demo;
  mfa.username = "mfa@example.com";
  mfa.password = "mfa-password";
  mfa.email = mfa.username;
  mfa.mfa_code = "123456";
  dir.users_ = {demo, mfa};
  dir.clients_ = {DefaultClient()};
  return dir;
}

Result<UserDirectory> UserDirectory::FromJson(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Error(ErrorKind::kUsage, "not valid JSON");
  Status keys = CheckKeys(doc, "top level", {"users", "clients"});
  if (!keys.ok()) return keys;

  UserDirectory dir;
  if (auto it = doc.find("users"); it != doc.end()) {
    if (!it->is_array()) return FileError("users", "must be an array");
    std::set<std::string> seen;
    for (size_t i = 0; i < it->size(); ++i) {
      std::string where = "users[" + std::to_string(i) + "]";
      auto user = ParseUser((*it)[i], where);
      if (!user.ok()) return user.status();
      if (!seen.insert(user->username).second) {
        return FileError(where, "duplicate username \"" + user->username + "\"");
      }
      dir.users_.push_back(std::move(user).value());
    }
  }
  if (auto it = doc.find("clients"); it != doc.end()) {
    if (!it->is_array()) return FileError("clients", "must be an array");
    std::set<std::string> seen;
    for (size_t i = 0; i < it->size(); ++i) {
      std::string where = "clients[" + std::to_string(i) + "]";
      auto client = ParseClient((*it)[i], where);
      if (!client.ok()) return client.status();
      if (!seen.insert(client->client_id).second) {
        return FileError(where, "duplicate client_id \"" + client->client_id + "\"");
      }
      dir.clients_.push_back(std::move(client).value());
    }
  } else {
    // A file that only lists users keeps the client every Apigee tool uses.
    dir.clients_.push_back(DefaultClient());
  }
  return dir;
}

Result<UserDirectory> UserDirectory::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kUsage, "cannot read users file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Error(ErrorKind::kUsage, "cannot read users file " + path);
  auto dir = FromJson(text.str());
  if (!dir.ok()) {
    return Status::Error(ErrorKind::kUsage, "users file " + path + ": " + dir.status().message());
  }
  return dir;
}

const ZoneUser* UserDirectory::FindUser(std::string_view username) const {
  std::string key = LowerAscii(username);
  for (const auto& user : users_) {
    if (user.username == key) return &user;
  }
  return nullptr;
}

const OAuthClient* UserDirectory::FindClient(std::string_view client_id) const {
  for (const auto& client : clients_) {
    if (client.client_id == client_id) return &client;
  }
  return nullptr;
}

UserIdentity UserDirectory::IdentityOf(const ZoneUser& user) {
  return UserIdentity{user.username, UserIdFor(user.username), user.origin, user.email, user.scopes};
}

UserIdentity UserDirectory::ExternalIdentity(std::string_view user_name, std::string_view origin) {
  std::string name = LowerAscii(user_name);
  return UserIdentity{name, UserIdFor(name), std::string(origin), name, DefaultScopes()};
}

}  // namespace ssocli
