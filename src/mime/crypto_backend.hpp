// What reading and writing need from cryptography, as an interface: mime/
// finds and builds the signed and encrypted parts (RFC 3156 PGP/MIME, RFC
// 8551 S/MIME) and crypto/ (GPGME) checks, opens, signs and encrypts them,
// so the MIME side stays testable and fuzzable alone. Decrypted text lives
// in memory only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tern {

enum class CryptoProtocol { OpenPgp, Smime };
inline const char* protocol_name(CryptoProtocol p) { return p == CryptoProtocol::Smime ? "S/MIME" : "OpenPGP"; }

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

// The key chosen for an address (or a key named in the config).
struct KeyChoice {
    std::string fingerprint;  // empty: none usable; `problem` says why
    std::string user_id;      // "Name <addr>"
    std::string validity;     // "ultimate", "full", "marginal", "unknown"
    std::string problem;      // "no OpenPGP key", "its key is expired", ...
};

// A detached signature (ASCII-armored for OpenPGP, DER for S/MIME), or an
// encrypted body (armored / DER).
struct CryptoOutput {
    bool ok = false;
    std::string data;
    std::string micalg;   // the hash of a signature, as RFC 3156 / 8551 name it ("pgp-sha256", "sha-256")
    std::string problem;  // why not, when !ok
};

class CryptoBackend {
public:
    virtual ~CryptoBackend() = default;
    // A detached signature over `data` (already canonical: CRLF line ends).
    virtual std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view signature, CryptoProtocol protocol) = 0;
    // An encrypted message (OpenPGP armored or not; S/MIME DER enveloped-data),
    // decrypted and its signatures checked.
    virtual DecryptResult decrypt(std::string_view ciphertext, CryptoProtocol protocol) = 0;
    // A signature that holds its text: an inline clear-signed block ("-----BEGIN
    // PGP SIGNED MESSAGE-----" to its signature's end) or S/MIME signed-data
    // (DER): `plaintext` is the signed text, `ok` false only when the block
    // could not be read at all.
    virtual DecryptResult verify_clearsigned(std::string_view block, CryptoProtocol protocol) = 0;
};

class CryptoWriter {
public:
    virtual ~CryptoWriter() = default;
    // The key that encrypts to `address` (`secret`: that signs as it);
    // `name` a key id or fingerprint instead, when the config names one.
    virtual KeyChoice find_key(CryptoProtocol protocol, std::string_view address, bool secret) = 0;
    virtual CryptoOutput sign_detached(CryptoProtocol protocol, std::string_view data, const std::string& signer) = 0;
    // Encrypted to every fingerprint in `recipients`; signed inside as well
    // when `signer` is not empty (OpenPGP only).
    virtual CryptoOutput encrypt(CryptoProtocol protocol, std::string_view data, const std::vector<std::string>& recipients,
                                 const std::string& signer) = 0;
};

}  // namespace tern
