#include "zone/zone_config.h"

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
  return Status::Ok();
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
