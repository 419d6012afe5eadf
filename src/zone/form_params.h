// Request parameters as UAA sees them: query string and form body merged, the first value of a
// name winning; and the client credentials of a Basic Authorization header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/url.h"

namespace ssocli {

// "a=1&b=%20x+y" -> {{"a","1"},{"b"," x y"}}. A field without '=' has an empty value; empty
// fields ("a=1&&b=2") are skipped. Never fails: malformed escapes are kept literally.
FormFields ParseUrlEncoded(std::string_view text);

class RequestParams {
 public:
  RequestParams() = default;
  explicit RequestParams(FormFields fields) : fields_(std::move(fields)) {}

  // The query string of `target` ("/p?x=1"), then the body when `content_type` is
  // application/x-www-form-urlencoded (any case, any parameters).
  static RequestParams FromRequest(std::string_view target, std::string_view content_type,
                                   std::string_view body);

  // The first value of `name`, nullptr when absent.
  const std::string* Find(std::string_view name) const;
  // The first value, or "" when absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

 private:
  FormFields fields_;
};

struct BasicCredentials {
  std::string id;
  std::string secret;
};

// "Basic base64(id:secret)" (scheme case-insensitive). nullopt for any other scheme or a value that
// does not decode to "id:secret".
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header);

// The token of "Bearer <token>" (scheme case-insensitive); nullopt otherwise.
std::optional<std::string> ParseBearerAuthorization(std::string_view header);

}  // namespace ssocli
