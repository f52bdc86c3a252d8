#include "config/providers.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

ServerGuess s(const char* scheme, const char* host, int port) { return {scheme, host, port}; }

}  // namespace

std::string ServerGuess::url(std::string_view user) const {
    return scheme + "://" + std::string(user) + (user.empty() ? "" : "@") + host + ":" + std::to_string(port);
}

const std::vector<Provider>& known_providers() {
    static const std::vector<Provider> kProviders = {
        {"Gmail", {"gmail.com", "googlemail.com"}, s("imaps", "imap.gmail.com", 993), s("pop3s", "pop.gmail.com", 995),
         s("smtps", "smtp.gmail.com", 465), false, false,
         "an app password (Google account > Security > App passwords; needs 2-step verification), or OAuth2"},
        {"Outlook.com / Microsoft 365", {"outlook.com", "hotmail.com", "live.com", "msn.com", "outlook.de", "hotmail.de", "hotmail.co.uk"},
         s("imaps", "outlook.office365.com", 993), s("pop3s", "outlook.office365.com", 995), s("smtp", "smtp.office365.com", 587), false,
         true, "OAuth2 only: Microsoft refuses passwords for IMAP, POP3 and SMTP"},
        {"Yahoo Mail", {"yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr"},
         s("imaps", "imap.mail.yahoo.com", 993), s("pop3s", "pop.mail.yahoo.com", 995), s("smtps", "smtp.mail.yahoo.com", 465), false,
         false, "an app password (Account security > Generate app password)"},
        {"AOL Mail", {"aol.com"}, s("imaps", "imap.aol.com", 993), s("pop3s", "pop.aol.com", 995), s("smtps", "smtp.aol.com", 465), false,
         false, "an app password (Account security > Generate app password)"},
        {"iCloud Mail", {"icloud.com", "me.com", "mac.com"}, s("imaps", "imap.mail.me.com", 993), std::nullopt,
         s("smtp", "smtp.mail.me.com", 587), false, false,
         "an app-specific password (appleid.apple.com > Sign-In and Security); iCloud has no POP3"},
        {"Fastmail", {"fastmail.com", "fastmail.fm", "messagingengine.com"}, s("imaps", "imap.fastmail.com", 993),
         s("pop3s", "pop.fastmail.com", 995), s("smtps", "smtp.fastmail.com", 465), false, false,
         "an app password (Settings > Privacy & Security > App passwords)"},
        {"QQ Mail", {"qq.com", "foxmail.com"}, s("imaps", "imap.qq.com", 993), s("pop3s", "pop.qq.com", 995), s("smtps", "smtp.qq.com", 465),
         false, false, "the authorization code from QQ Mail's settings (not your QQ password); enable IMAP/SMTP there first"},
        {"NetEase 163 Mail", {"163.com"}, s("imaps", "imap.163.com", 993), s("pop3s", "pop.163.com", 995), s("smtps", "smtp.163.com", 465),
         false, false, "the authorization code from 163 Mail's settings (not your password); enable IMAP/SMTP there first"},
        {"NetEase 126 Mail", {"126.com"}, s("imaps", "imap.126.com", 993), s("pop3s", "pop.126.com", 995), s("smtps", "smtp.126.com", 465),
         false, false, "the authorization code from 126 Mail's settings (not your password); enable IMAP/SMTP there first"},
        {"GMX", {"gmx.net", "gmx.de", "gmx.at", "gmx.ch"}, s("imaps", "imap.gmx.net", 993), s("pop3s", "pop.gmx.net", 995),
         s("smtp", "mail.gmx.net", 587), false, false, "your GMX password; enable POP3/IMAP access in GMX's settings first"},
        {"GMX (international)", {"gmx.com", "gmx.us", "gmx.co.uk"}, s("imaps", "imap.gmx.com", 993), s("pop3s", "pop.gmx.com", 995),
         s("smtp", "mail.gmx.com", 587), false, false, "your GMX password; enable POP3/IMAP access in GMX's settings first"},
        {"Zoho Mail", {"zoho.com", "zohomail.com"}, s("imaps", "imap.zoho.com", 993), s("pop3s", "pop.zoho.com", 995),
         s("smtps", "smtp.zoho.com", 465), false, false, "your password, or an app password with two-factor sign-in; enable IMAP in Zoho first"},
        {"Yandex Mail", {"yandex.ru", "yandex.com", "ya.ru"}, s("imaps", "imap.yandex.com", 993), s("pop3s", "pop.yandex.com", 995),
         s("smtps", "smtp.yandex.com", 465), false, false, "an app password (Yandex ID > Security > App passwords)"},
        {"mailbox.org", {"mailbox.org"}, s("imaps", "imap.mailbox.org", 993), s("pop3s", "pop3.mailbox.org", 995),
         s("smtps", "smtp.mailbox.org", 465), false, false, "your mailbox.org password"},
        {"Posteo", {"posteo.de", "posteo.net"}, s("imaps", "posteo.de", 993), s("pop3s", "posteo.de", 995), s("smtps", "posteo.de", 465),
         false, false, "your Posteo password"},
    };
    return kProviders;
}

std::string address_domain(std::string_view address) {
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || at + 1 >= address.size()) return "";
    return to_lower(trim(address.substr(at + 1)));
}

const Provider* provider_for(std::string_view address) {
    const std::string domain = address_domain(address);
    if (domain.empty()) return nullptr;
    for (const auto& p : known_providers())
        for (const auto& d : p.domains)
            if (d == domain) return &p;
    return nullptr;
}

std::vector<std::string> probe_hosts(std::string_view domain, std::string_view service) {
    const std::string d(domain);
    if (service == "send") return {"smtp." + d, "mail." + d, d};
    if (service == "pop3") return {"pop." + d, "pop3." + d, "mail." + d, d};
    return {"imap." + d, "mail." + d, d};
}

}  // namespace tern
