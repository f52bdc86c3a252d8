// tern send [-a ACCOUNT] [-t] [--sign] [--encrypt] [--smime] [RECIPIENT...] < MESSAGE: sendmail for scripts
// and other programs. The message is stored in the account's outbox first
// (so nothing is lost whatever happens next), then sent at once. When the
// server cannot be reached it stays queued, exit 0 after saying so; `tern
// sync` sends it later. A refusal for good (every recipient, the message,
// its size) exits 1 and leaves it with the caller; a recipient refused
// among others is named, the others still get it. --sign, --encrypt
// (--smime, --sign-as KEY) sign and encrypt it first through GPGME, as the
// compose screen does; a missing key stops it before anything is queued.
// An account with autocrypt = yes puts its Autocrypt header on the message;
// --autocrypt signs and encrypts it with Autocrypt's keys instead.
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "crypto/gpgme_backend.hpp"
#include "mime/secure_compose.hpp"
#include "mime/envelope.hpp"
#include "mime/header_encode.hpp"
#include "store/autocrypt_keys.hpp"
#include "store/index_db.hpp"
#include "sync/outbox.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr const char* kUsage = "usage: tern send [-a ACCOUNT] [-t] [--sign] [--encrypt] [--smime] [--sign-as KEY] [--autocrypt] [RECIPIENT...] < MESSAGE";
constexpr std::size_t kMaxMessage = 256u << 20;

}  // namespace

int cmd_send(const CliContext& ctx) {
    std::string account_name;
    bool from_headers = false;
    std::vector<std::string> recipients;
    Security security;
    bool sign_as_given = false;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "-a" && i + 1 < ctx.args.size()) account_name = ctx.args[++i];
        else if (a == "-t") from_headers = true;
        else if (a == "--sign") security.sign = true;
        else if (a == "--encrypt") security.encrypt = true;
        else if (a == "--smime") security.protocol = CryptoProtocol::Smime;
        else if (a == "--autocrypt") security.autocrypt = security.sign = security.encrypt = true;
        else if (a == "--sign-as" && i + 1 < ctx.args.size()) security.sign_as = ctx.args[++i], sign_as_given = true;
        else if (a == "-i" || a == "-oi" || a == "-oem" || a == "--") continue;  // sendmail's, as mutt passes them: nothing to change here
        else if (!a.empty() && a[0] != '-' && a.find('@') != std::string::npos) recipients.push_back(a);
        else {
            std::cerr << "tern send: unexpected '" << a << "' (" << kUsage << ")\n";
            return kExitUsage;
        }
    }
    const Config config = load_config(ctx.config_path, ctx.env);
    const Account* account = chosen_account(config, account_name, "send");
    if (!account) return kExitUsage;
    if (!account->send) {
        std::cerr << "tern send: account " << account->name << " has no send server: add send = smtp://... to it (" << account->defined_at << ")\n";
        return kExitUsage;
    }
    std::string message;
    if (!read_fd(STDIN_FILENO, message, kMaxMessage + 1) ) {
        std::cerr << "tern send: cannot read the message from standard input\n";
        return kExitFailure;
    }
    if (message.size() > kMaxMessage) {
        std::cerr << "tern send: the message is larger than 256 MB; no server takes that\n";
        return kExitFailure;
    }
    if (trim(message).empty()) {
        std::cerr << "tern send: the message on standard input is empty\n";
        return kExitUsage;
    }
    if (from_headers)
        for (const auto& r : header_recipients(message)) recipients.push_back(r);
    // each address once, whether given twice or both as an argument and in a header
    std::vector<std::string> unique;
    for (const auto& r : recipients)
        if (std::none_of(unique.begin(), unique.end(), [&r](const std::string& u) { return iequals(u, r); })) unique.push_back(r);
    recipients = std::move(unique);
    if (recipients.empty()) {
        std::cerr << "tern send: no recipients: give their addresses, or -t to take them from To, Cc and Bcc (" << kUsage << ")\n";
        return kExitUsage;
    }
    const CryptSettings crypt = crypt_settings(config.options, *account);
    if (security.autocrypt && (!crypt.autocrypt || security.protocol == CryptoProtocol::Smime || sign_as_given)) {
        std::cerr << "tern send: --autocrypt needs autocrypt = yes for account " << account->name << " (" << account->defined_at
                  << ") and no --smime or --sign-as\n";
        return kExitUsage;
    }
    IndexDb index(IndexDb::path_for(ctx.env, account->name));
    std::optional<GpgmeBackend> autocrypt_keyring;
    std::optional<AutocryptKeys> autocrypt;
    if (crypt.autocrypt) {
        autocrypt_keyring.emplace(false, autocrypt_home(ctx.env));
        autocrypt.emplace(*autocrypt_keyring, index.autocrypt(account->name));
        const HeaderBlock block = parse_headers(message);
        const std::string* from = block.headers.get("From");
        const auto from_addr = from ? parse_address_list(*from) : std::vector<Address>{};
        if (!block.headers.get(kAutocryptHeader) && from_addr.size() == 1) {
            std::string problem;
            const std::string value = autocrypt->header_value(from_addr[0].email, crypt.autocrypt_prefer_encrypt, problem);
            if (value.empty()) {
                std::cerr << "tern send: " << problem << "; nothing was sent\n";
                return kExitFailure;
            }
            const std::string field = encode_header(kAutocryptHeader, value) + "\r\n";
            message.insert(0, message.find("\r\n") == std::string::npos ? crlf_to_lf(field) : field);
        }
    }
    std::vector<OutgoingCopy> copies{{message, recipients, true}};
    if (security.autocrypt) {
        SecuredMail mail = secure_message(message, recipients, security, *autocrypt);
        if (mail.copies.empty()) {
            std::cerr << "tern send: " << mail.problem << "; nothing was sent\n";
            return kExitFailure;
        }
        copies = std::move(mail.copies);
    } else if (security.any()) {
        if (!sign_as_given) {
            const CryptSettings c = crypt_settings(config.options, *account);
            security.sign_as = security.protocol == CryptoProtocol::Smime ? c.smime_default_key : c.pgp_default_key;
        }
        // no terminal to hand over (the message is on stdin): a key that needs a passphrase
        // works only when gpg-agent has it already
        GpgmeBackend crypto(false);
        SecuredMail mail = secure_message(message, recipients, security, crypto);
        if (mail.copies.empty()) {
            std::cerr << "tern send: " << mail.problem << "; nothing was sent\n";
            return kExitFailure;
        }
        copies = std::move(mail.copies);
    }
    std::vector<std::int64_t> ids;  // the message and its Bcc recipients' copies: one login for all
    for (const auto& queued : queue_messages(*account, index, copies)) ids.push_back(queued.id);
    const OutboxReport report = drain_outbox(*account, ctx.env, index, OnRefusal::Drop, ids);
    for (const auto& note : report.notes) std::cerr << "tern send: " << note << "\n";
    if (report.unreachable) {
        const ErrorKind kind = report.unreachable->kind;
        const bool offline = kind == ErrorKind::Network || kind == ErrorKind::Timeout || kind == ErrorKind::Resolve;
        std::cerr << "tern send: queued in the outbox of " << account->name << ": " << report.unreachable->summary
                  << (offline ? "; 'tern sync' sends it when the server can be reached\n" : "; fix that, then 'tern sync' sends it\n");
        return offline ? kExitOk : kExitFailure;
    }
    if (report.refused) return kExitFailure;
    // sent, but some recipients refused (for good: named above) or still owed (queued)
    return report.notes.empty() ? kExitOk : kExitFailure;
}

}  // namespace tern
