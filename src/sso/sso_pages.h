// The pages the browser sees during a sign-in: the passcode start page, success, and errors that say
// what went wrong and what to do next. Self-contained HTML (inline CSS, no scripts, no external
// resources); every value from outside is escaped.
#pragma once

#include <string>
#include <string_view>

namespace ssocli::sso {

// Passcode mode's start page: a link to `passcode_url` (the login server's /passcode, opened in a new
// tab) and <form method="post" action="/passcode"> with inputs `passcode` and hidden `state`, submitted
// by <button id="submit-passcode">. `notice`, when not empty, is an error shown above the form (a
// passcode that was refused, so the user can try again).
std::string PasscodeStartPage(std::string_view program, std::string_view passcode_url, std::string_view state,
                              std::string_view notice = {});

// The sign-in worked: `program` has the token; the tab can be closed.
std::string SuccessPage(std::string_view program);

// Something went wrong: `title` names the error, `what` says what happened, `next_step` (may be empty)
// what to do now.
std::string ErrorPage(std::string_view program, std::string_view title, std::string_view what,
                      std::string_view next_step);

}  // namespace ssocli::sso
