#include "zone/login_pages.h"

namespace ssocli {

using nlohmann::ordered_json;

HttpReply LoginJsonReply(const LoginPageInfo& info) {
  std::string passcode_prompt = "Temporary Authentication Code ( Get one at " + info.base_url + "/passcode )";
  ordered_json body;
  body["app"] = {{"version", "4.30.0"}};
  ordered_json links;
  links["uaa"] = info.base_url;
  links["passwd"] = "/forgot_password";
  links["login"] = info.base_url;
  links["register"] = "/create_account";
  body["links"] = links;
  body["zone_name"] = info.zone_name;
  ordered_json prompts;
  prompts["username"] = {"text", "Email"};
  prompts["password"] = {"password", "Password"};
  if (info.saml_zone) prompts["passcode"] = {"password", passcode_prompt};
  body["prompts"] = prompts;
  body["timestamp"] = info.timestamp;
  return JsonReply(200, body);
}

HttpReply VersionReply() {
  return JsonReply(200, ordered_json{{"cliVersion", "2.3.0"}});
}

HttpReply TokenKeysReply(const JwtSigner& signer) {
  ordered_json body;
  body["keys"] = ordered_json::array({signer.Jwk()});
  return JsonReply(200, body);
}

HttpReply TokenKeyReply(const JwtSigner& signer) {
  return JsonReply(200, signer.Jwk());
}

}  // namespace ssocli
