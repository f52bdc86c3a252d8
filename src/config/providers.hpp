// Well-known mail providers: their servers, ports and TLS modes, the form
// of the login name, and whether they want an app password or OAuth2. The
// first source `tern setup` asks; then the domain's SRV records (RFC 6186),
// then the usual host names. Pure data and lookups.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct ServerGuess {
    std::string scheme;  // "imaps", "imap", "pop3s", "pop3", "smtps", "smtp"
    std::string host;
    int port = 0;
    std::string url(std::string_view user) const;  // "imaps://user@host:993"
};

struct Provider {
    std::string name;                    // "Gmail"
    std::vector<std::string> domains;    // "gmail.com", "googlemail.com"
    std::optional<ServerGuess> imap, pop3, smtp;
    bool login_is_local_part = false;    // else the whole address
    bool oauth2_required = false;        // passwords are refused (Microsoft)
    std::string password_note;           // what password the provider wants
};

const std::vector<Provider>& known_providers();

// The provider serving the domain of `address` ("Alice@GMAIL.com"), if any.
const Provider* provider_for(std::string_view address);

// "example.com" from "alice@example.com" (lower case); empty when there is no '@'.
std::string address_domain(std::string_view address);

// The host names worth probing for a service of a domain without a known
// provider or SRV records, most likely first: imap.D, mail.D, D (receive);
// smtp.D, mail.D, D (send).
std::vector<std::string> probe_hosts(std::string_view domain, std::string_view service);

}  // namespace tern
