#include "sso/loopback_listener.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <net/if.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sso_test_util.h"

namespace ssocli::sso {
namespace {

using testing::ConnectTo;
using testing::Contains;
using testing::RawHttp;
using testing::StatusOf;

using Ms = std::chrono::milliseconds;

// A listener that echoes what it was asked, with a /form route.
class SsoListener : public ::testing::Test {
 protected:
  void SetUp() override {
    LoopbackOptions options;
    options.form_routes["/form"] = 1024;
    options.error_page = [](int status, std::string_view title, std::string_view what) {
      return "<p>page " + std::to_string(status) + " " + std::string(title) + ": " + std::string(what) +
             "</p>";
    };
    auto listener = LoopbackListener::Start(options, [this](const LoopbackRequest& r) { return Handle(r); });
    ASSERT_TRUE(listener.ok()) << listener.status().message();
    listener_ = std::move(listener.value());
    port_ = listener_->port();
  }

  LoopbackReply Handle(const LoopbackRequest& r) {
    ++requests_;
    if (r.path == "/slow") std::this_thread::sleep_for(Ms(300));
    if (r.path == "/missing") return LoopbackReply::Page(404, "<p>not here</p>");
    if (r.path == "/go") return LoopbackReply::Redirect("https://idp.test/sso?x=1");
    std::string echo = r.method + " " + r.path;
    for (const auto& [k, v] : r.query) echo += " q[" + k + "=" + v + "]";
    for (const auto& [k, v] : r.form) echo += " f[" + k + "=" + v + "]";
    return LoopbackReply::Page(200, echo);
  }

  std::string Get(const std::string& host_line, const std::string& target = "/") {
    return RawHttp(port_, "GET " + target + " HTTP/1.1\r\n" + host_line + "Connection: close\r\n\r\n");
  }

  std::unique_ptr<LoopbackListener> listener_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

void ExpectSecurityHeaders(const httplib::Result& res) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(Contains(res->get_header_value("Content-Security-Policy"), "default-src 'none'"));
}

TEST_F(SsoListener, ServesOn127001WithItsPort) {
  EXPECT_GT(port_, 0);
  EXPECT_EQ(listener_->origin(), "http://127.0.0.1:" + std::to_string(port_));
  httplib::Client c("127.0.0.1", port_);
  std::string raw =
      RawHttp(port_, "GET /x/y?state=a%2Bb&state=c+d&e HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                         "\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 200);
  EXPECT_TRUE(Contains(raw, "\r\n\r\nGET /x/y q[state=a+b] q[state=c d] q[e=]")) << raw;
  auto res = c.Get("/x/y");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Connection"), "close");
  ExpectSecurityHeaders(res);
  auto redirect = c.Get("/go");
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 302);
  EXPECT_EQ(redirect->get_header_value("Location"), "https://idp.test/sso?x=1");
  ExpectSecurityHeaders(redirect);
  auto missing = c.Get("/missing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  ExpectSecurityHeaders(missing);
}

TEST_F(SsoListener, OnlyLoopbackHostHeadersAreServed) {
  const std::string p = std::to_string(port_);
  EXPECT_EQ(StatusOf(Get("Host: 127.0.0.1:" + p + "\r\n")), 200);
  EXPECT_EQ(StatusOf(Get("Host: localhost:" + p + "\r\n")), 200);
  EXPECT_EQ(StatusOf(Get("Host: LocalHost:" + p + "\r\n")), 200);
  int before = requests_;
  for (const std::string& bad : std::vector<std::string>{
           "Host: evil.com:" + p + "\r\n", "Host: evil.com\r\n", "Host: 127.0.0.1\r\n", "Host: localhost\r\n",
           "Host: 127.0.0.1:1" + p + "\r\n", "Host: 127.0.0.2:" + p + "\r\n", "Host: [::1]:" + p + "\r\n",
           "Host: 127.0.0.1:" + p + "\r\nHost: evil.com\r\n", std::string()}) {
    std::string answer = Get(bad);
    EXPECT_EQ(StatusOf(answer), 400) << bad;
    EXPECT_TRUE(Contains(answer, "page 400 Wrong address")) << bad;
    EXPECT_TRUE(Contains(answer, "Cache-Control: no-store")) << bad;
  }
  // HTTP/1.0 without a Host.
  EXPECT_EQ(StatusOf(RawHttp(port_, "GET / HTTP/1.0\r\n\r\n")), 400);
  EXPECT_EQ(requests_, before);  // none reached the handler
}

TEST_F(SsoListener, ReadsFormRoutesOnly) {
  httplib::Client c("127.0.0.1", port_);
  auto res = c.Post("/form?q=1", "a=1&b=x+y%26z&&c&a=2", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "POST /form q[q=1] f[a=1] f[b=x y&z] f[c=] f[a=2]");
  ExpectSecurityHeaders(res);
  auto charset = c.Post("/form", "a=%C3%A9", "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
  ASSERT_TRUE(charset);
  EXPECT_EQ(charset->body, "POST /form f[a=\xC3\xA9]");
  auto elsewhere = c.Post("/other", "a=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->body, "POST /other");  // body not read
}

TEST_F(SsoListener, RefusesBadBodies) {
  httplib::Client c("127.0.0.1", port_);
  auto json = c.Post("/form", "{\"a\":1}", "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 415);
  EXPECT_TRUE(Contains(json->body, "page 415"));
  ExpectSecurityHeaders(json);

  auto multipart = c.Post("/form", httplib::MultipartFormDataItems{{"a", "1", "", ""}});
  ASSERT_TRUE(multipart);
  EXPECT_EQ(multipart->status, 415);

  auto big = c.Post("/form", "a=" + std::string(2000, 'x'), "application/x-www-form-urlencoded");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_TRUE(Contains(big->body, "page 413"));

  // Chunked: no Content-Length to refuse up front; the reader stops at the bound.
  std::string chunk(1500, 'x');
  std::string raw = RawHttp(port_, "POST /form HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                                       "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n5dc\r\n" +
                                       chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 413);

  std::string no_length =
      RawHttp(port_, "POST /form HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                         "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1");
  EXPECT_EQ(StatusOf(no_length), 411);

  std::string bad_length = RawHttp(port_, "POST /form HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                                              "\r\nContent-Length: -1\r\n\r\n");
  EXPECT_EQ(StatusOf(bad_length), 400);

  // Other requests are small too.
  auto put = c.Put("/x", std::string(20000, 'x'), "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 413);
  EXPECT_EQ(requests_, 0);
}

TEST_F(SsoListener, MalformedRequestsGetAPage) {
  std::string answer = RawHttp(port_, "NONSENSE\r\n\r\n");
  EXPECT_EQ(StatusOf(answer), 400);
  EXPECT_TRUE(Contains(answer, "page 400"));
  EXPECT_TRUE(Contains(answer, "Cache-Control: no-store"));
  std::string long_uri = RawHttp(port_, "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                                            std::to_string(port_) + "\r\n\r\n");
  EXPECT_EQ(StatusOf(long_uri), 414);
}

TEST_F(SsoListener, PreConnectsDoNotStallOtherRequests) {
  // Browsers open sockets speculatively and may never use them; more of them than the pool has threads.
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) {
    int fd = ConnectTo("127.0.0.1", port_);
    ASSERT_GE(fd, 0);
    idle.push_back(fd);
  }
  auto t0 = std::chrono::steady_clock::now();
  httplib::Client c("127.0.0.1", port_);
  auto res = c.Get("/");
  auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(elapsed, Ms(500));

  for (int i = 0; i < 20; ++i) {
    int fd = ConnectTo("127.0.0.1", port_);
    if (fd >= 0) idle.push_back(fd);
  }
  t0 = std::chrono::steady_clock::now();
  res = c.Get("/");
  elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(elapsed, Ms(4000));  // the idle ones are dropped after a second

  // Stop() does not wait long for idle sockets either.
  int fresh = ConnectTo("127.0.0.1", port_);
  t0 = std::chrono::steady_clock::now();
  listener_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, Ms(2500));
  for (int fd : idle) ::close(fd);
  if (fresh >= 0) ::close(fresh);
}

TEST_F(SsoListener, StopWritesResponsesInFlightThenRefusesConnections) {
  std::thread slow([this] {
    httplib::Client c("127.0.0.1", port_);
    auto res = c.Get("/slow");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "GET /slow");
  });
  while (requests_ == 0) std::this_thread::sleep_for(Ms(1));
  listener_->Stop();
  slow.join();
  EXPECT_EQ(ConnectTo("127.0.0.1", port_), -1);
  EXPECT_EQ(errno, ECONNREFUSED);
  listener_->Stop();  // idempotent
}

TEST_F(SsoListener, ListensOnLoopbackOnly) {
  int fd = ConnectTo("127.0.0.2", port_);
  EXPECT_EQ(fd, -1) << "reachable at 127.0.0.2";
  if (fd >= 0) ::close(fd);
  // Not on any other address of this host either.
  struct ifaddrs* addrs = nullptr;
  ASSERT_EQ(::getifaddrs(&addrs), 0);
  for (struct ifaddrs* a = addrs; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof(text));
    if (std::string(text) == "127.0.0.1") continue;
    int other = ConnectTo(text, port_);
    EXPECT_EQ(other, -1) << "reachable at " << text;
    if (other >= 0) ::close(other);
  }
  ::freeifaddrs(addrs);
}

TEST(SsoLoopbackListener, BusyPortIsATimeoutClassError) {
  LoopbackOptions options;
  auto first =
      LoopbackListener::Start(options, [](const LoopbackRequest&) { return LoopbackReply::Page(200, "x"); });
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  auto second =
      LoopbackListener::Start(options, [](const LoopbackRequest&) { return LoopbackReply::Page(200, "x"); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), ErrorKind::kSsoTimeout);
  EXPECT_EQ(second.status().message(),
            "port " + std::to_string(options.port) + " is busy; pick another with --port");
  options.port = 70000;
  auto bad =
      LoopbackListener::Start(options, [](const LoopbackRequest&) { return LoopbackReply::Page(200, "x"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), ErrorKind::kUsage);
}

TEST(SsoLoopbackListener, FixedPortIsUsed) {
  LoopbackOptions options;
  auto probe =
      LoopbackListener::Start(options, [](const LoopbackRequest&) { return LoopbackReply::Page(200, "x"); });
  ASSERT_TRUE(probe.ok());
  int port = (*probe)->port();
  (*probe)->Stop();
  options.port = port;
  auto fixed =
      LoopbackListener::Start(options, [](const LoopbackRequest&) { return LoopbackReply::Page(200, "x"); });
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ((*fixed)->port(), port);
}

TEST(SsoFormBody, DecodesLikeBrowsersEncode) {
  EXPECT_EQ(ParseFormBody(""), FormFields{});
  EXPECT_EQ(ParseFormBody("a=1"), (FormFields{{"a", "1"}}));
  EXPECT_EQ(ParseFormBody("SAMLResponse=PD94bWw%2B%3D%3D&RelayState=x"),
            (FormFields{{"SAMLResponse", "PD94bWw+=="}, {"RelayState", "x"}}));
  EXPECT_EQ(ParseFormBody("v=a=b=="), (FormFields{{"v", "a=b=="}}));  // raw '=' in a value survives
  EXPECT_EQ(ParseFormBody("&&x&y=&=z"), (FormFields{{"x", ""}, {"y", ""}, {"", "z"}}));
  EXPECT_EQ(ParseFormBody("a+b=c+d%20e"), (FormFields{{"a b", "c d e"}}));
}

}  // namespace
}  // namespace ssocli::sso
