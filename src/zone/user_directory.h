// The zone's users and OAuth clients: the built-in demo set or a JSON users file
// (format in docs/zone-server.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli {

inline constexpr char kGrantPassword[] = "password";
inline constexpr char kGrantRefreshToken[] = "refresh_token";
inline constexpr char kGrantSaml2Bearer[] = "urn:ietf:params:oauth:grant-type:saml2-bearer";

// Who a token is for, as its claims name them.
struct UserIdentity {
  std::string user_name;  // lowercased
  std::string user_id;    // a UUID derived from user_name, stable across runs
  std::string origin;     // "uaa" for local users, the IdP's origin key for external ones
  std::string email;
  std::vector<std::string> scopes;
};

struct ZoneUser {
  std::string username;                 // lowercased
  std::optional<std::string> password;  // absent: the password grant always fails for this user
  std::string email;
  std::string origin = "uaa";
  std::string mfa_code;     // a fixed 6-digit code; empty: none
  std::string totp_secret;  // decoded TOTP key; empty: none
  bool locked = false;
  std::vector<std::string> scopes;

  bool has_mfa() const { return !mfa_code.empty() || !totp_secret.empty(); }
};

struct OAuthClient {
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> grants;

  bool Allows(std::string_view grant) const;
};

// The scopes users get when the users file names none.
std::vector<std::string> DefaultScopes();

// "a1b2...-...": a name-based UUID (SHA-256 of the user name), so a user keeps its id across runs.
std::string UserIdFor(std::string_view user_name);

std::string LowerAscii(std::string_view text);

class UserDirectory {
 public:
  // demo@example.com / demo-password; mfa@example.com / mfa-password with MFA code 123456;
  // client edgecli:edgeclisecret with the password, refresh_token and saml2-bearer grants.
  static UserDirectory Defaults();

  // Parses a users file. Unknown keys and malformed values are errors (kUsage) naming the place,
  // so that a typo never silently changes what the server does. Never echoes a password.
  static Result<UserDirectory> FromJson(std::string_view text);
  static Result<UserDirectory> LoadFile(const std::string& path);

  // Case-insensitive. nullptr when unknown.
  const ZoneUser* FindUser(std::string_view username) const;
  const OAuthClient* FindClient(std::string_view client_id) const;
  const std::vector<OAuthClient>& clients() const { return clients_; }

  // The identity of a local user.
  static UserIdentity IdentityOf(const ZoneUser& user);
  // The identity of a user the zone does not know, e.g. one signed in at an external IdP.
  static UserIdentity ExternalIdentity(std::string_view user_name, std::string_view origin);

 private:
  std::vector<ZoneUser> users_;
  std::vector<OAuthClient> clients_;
};

// Compares secrets without leaking through timing where the mismatch is.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace ssocli
