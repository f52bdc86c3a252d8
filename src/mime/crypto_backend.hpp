// What rendering needs from cryptography, as an interface: mime/ finds the
// signed and encrypted parts (RFC 3156 PGP/MIME) and crypto/ (GPGME) checks
// and opens them, so the MIME side stays testable and fuzzable alone.
// Decrypted text lives in memory only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct SignatureInfo {
    enum class Status { Good, Bad, NoKey, Expired, Revoked, Error };
    Status status = Status::Error;
    std::string name, address;  // the signer's user id, when the key is known
    std::string key_id;         // the fingerprint (or key id when that is all there is)
    std::string trust;          // "ultimate", "full", "marginal", "unknown", "never"
    std::string detail;         // GPGME's words for an error
};

struct DecryptResult {
    bool ok = false;
    std::string plaintext;                  // the decrypted MIME entity
    std::vector<std::string> recipients;    // the key ids it was encrypted for
    std::vector<SignatureInfo> signatures;  // when it was signed inside the encryption
    std::string problem;                    // why not, when !ok
};

class CryptoBackend {
public:
    virtual ~CryptoBackend() = default;
    // A detached OpenPGP signature over `data` (already canonical: CRLF line ends).
    virtual std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view signature) = 0;
    // An OpenPGP message (armored or not), decrypted and its signatures checked.
    virtual DecryptResult decrypt(std::string_view ciphertext) = 0;
    // An inline clear-signed block ("-----BEGIN PGP SIGNED MESSAGE-----" to
    // its signature's end): `plaintext` is the signed text, `ok` false only
    // when the block could not be read at all.
    virtual DecryptResult verify_clearsigned(std::string_view block) = 0;
};

}  // namespace tern
