// Signed and encrypted mail as it is sent: PGP/MIME (RFC 3156) and S/MIME
// (RFC 8551) built around the body entity compose_body() makes, through a
// CryptoWriter for the cryptography. Encrypted mail is encrypted to every
// recipient and to the sender's own key (so the Sent copy stays readable);
// Bcc recipients get a copy of their own, encrypted to them alone (and the
// sender), because the key ids in one encrypted part would name them to
// everyone else. Nothing here ever falls back to sending in the clear.
#pragma once

#include <string>
#include <vector>

#include "mime/compose.hpp"
#include "mime/crypto_backend.hpp"

namespace tern {

struct Security {
    bool sign = false, encrypt = false;
    CryptoProtocol protocol = CryptoProtocol::OpenPgp;
    std::string sign_as;  // a key id or fingerprint; empty: the From address's key
    bool autocrypt = false;  // OpenPGP with Autocrypt's keys (store/autocrypt_keys), not the user's keyring
    bool any() const { return sign || encrypt; }
};

// A draft remembers what was chosen for it (as mutt's X-Mutt-PGP does):
// "X-Tern-Security: sign, encrypt; pgp" (or smime, or "none"; "; as KEY";
// "; autocrypt").
inline constexpr const char* kSecurityHeader = "X-Tern-Security";
std::string security_header(const Security& security);
// Its value read back over `base` (what the config would choose); unknown words are ignored.
Security parse_security_header(std::string_view value, Security base);

// What a user sees before sending: each key that would be used, or why one
// is missing.
struct KeyCheck {
    std::string signer;                 // fingerprint ("" when not signing or missing)
    std::vector<std::string> problems;  // one line each: "no OpenPGP key for bob@example.org"
    std::vector<std::pair<std::string, KeyChoice>> recipients;  // address, its key
    bool ok() const { return problems.empty(); }
};
KeyCheck check_keys(const Draft& draft, const Security& security, CryptoWriter& crypto);

// One message to hand to the outbox.
struct OutgoingCopy {
    std::string bytes;                    // CRLF line ends
    std::vector<std::string> recipients;  // its envelope
    bool keep_sent_copy = true;           // the copy kept in Sent (one per message written)
};

struct SecuredMail {
    std::vector<OutgoingCopy> copies;  // empty: `problem` says why nothing can be sent
    std::string problem;
};

// The draft as sent: unchanged (one copy to everyone) when `security` asks
// for nothing, else signed and/or encrypted.
SecuredMail secure_mail(const Draft& draft, const Security& security, CryptoWriter& crypto);

// A draft kept for later (postponed) with its body encrypted to the sender's
// own key alone, so that Drafts holds no plaintext of mail to be encrypted.
SecuredMail encrypt_to_self(const Draft& draft, const Security& security, CryptoWriter& crypto);

// The same for a finished message (`tern send`): its Content-* fields and
// body become the entity signed or encrypted (a single part made relay-safe
// first; a multipart must be already), the other fields stay outside, From
// signs; `envelope` recipients not shown in To or Cc are blind and get a copy
// each.
SecuredMail secure_message(std::string_view message, const std::vector<std::string>& envelope, const Security& security, CryptoWriter& crypto);

}  // namespace tern
