// Where the secret for a login comes from: a command's first line of output
// (password_command, send_password_command, oauth2_token_command) or the
// user's ~/.netrc. The secret stays in a Secret; it is never put in a child's
// argv or environment and never into a message.
#pragma once

#include <string>

#include "config/config.hpp"
#include "util/paths.hpp"
#include "util/secret.hpp"

namespace tern {

enum class Service { Receive, Send };

struct Credentials {
    std::string user;
    Secret password;     // empty when bearer is used
    Secret bearer;       // OAuth2 access token
    std::string source;  // "password_command", "~/.netrc", ... for reports
};

// Throws Failure(Auth) with what to do when no secret can be had.
Credentials obtain_credentials(const Account& account, Service service, const EnvLookup& env);

}  // namespace tern
