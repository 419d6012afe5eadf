#include "zone/zone_config.h"

#include <fstream>
#include <string_view>

namespace ssocli {

Status ValidateZoneConfig(const ZoneConfig& config) {
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Status::Error(ErrorKind::kUsage, "--tls-cert and --tls-key go together");
  }
  if (config.port < 0 || config.port > 65535) {
    return Status::Error(ErrorKind::kUsage, "--port must be between 0 and 65535");
  }
  if (config.host.empty()) return Status::Error(ErrorKind::kUsage, "--host must not be empty");
  if (config.access_token_validity <= 0) {
    return Status::Error(ErrorKind::kUsage, "--access-token-validity must be positive");
  }
  if (config.refresh_token_validity <= 0) {
    return Status::Error(ErrorKind::kUsage, "--refresh-token-validity must be positive");
  }
  if (config.rate_limit_per_hour < 0) {
    return Status::Error(ErrorKind::kUsage, "--rate-limit must not be negative");
  }
  if (config.zone_name.empty()) return Status::Error(ErrorKind::kUsage, "--zone-name must not be empty");
  if (config.idp_key_file.empty() != config.idp_cert_file.empty()) {
    return Status::Error(ErrorKind::kUsage, "--idp-key and --idp-cert go together");
  }
  // Entity IDs go into XML, URLs and paths: one printable word each.
  auto word = [](std::string_view text) {
    for (unsigned char c : text) {
      if (c <= 0x20 || c == 0x7f) return false;
    }
    return true;
  };
  if (!word(config.idp_entity_id)) {
    return Status::Error(ErrorKind::kUsage, "--idp-entity-id must not hold blanks or control characters");
  }
  if (!word(SpEntityIdOf(config))) {
    return Status::Error(ErrorKind::kUsage,
                         "the SP entity ID (--sp-entity-id, default <zone name>.apigee-saml-login) must not "
                         "hold blanks or control characters");
  }
  return Status::Ok();
}

std::string SpEntityIdOf(const ZoneConfig& config) {
  return config.sp_entity_id.empty() ? config.zone_name + ".apigee-saml-login" : config.sp_entity_id;
}

Result<std::string> ReadOptionFile(const std::string& option, const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(ErrorKind::kUsage, option + " " + path + ": cannot read the file");
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      return Status::Error(ErrorKind::kUsage,
                           option + " " + path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  if (in.bad()) return Status::Error(ErrorKind::kUsage, option + " " + path + ": cannot read the file");
  return text;
}

const char* BadCredentialsErrorName(BadCredentialsError e) {
  return e == BadCredentialsError::kInvalidClient ? "invalid_client" : "unauthorized";
}

std::string ZoneBaseUrl(bool tls, const std::string& host, int port) {
  std::string url = tls ? "https://" : "http://";
  if (host.find(':') != std::string::npos && host.front() != '[') {
    url += "[" + host + "]";
  } else {
    url += host;
  }
  return url + ":" + std::to_string(port);
}

}  // namespace ssocli
