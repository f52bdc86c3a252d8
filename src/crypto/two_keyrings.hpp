// Reading with two keyrings: the user's own GnuPG keyring first, then
// Autocrypt's (store/autocrypt_keys), for mail encrypted to an Autocrypt
// key or signed by a key known only from a peer's Autocrypt header.
#pragma once

#include "mime/crypto_backend.hpp"

namespace tern {

class TwoKeyrings final : public CryptoBackend {
public:
    TwoKeyrings(CryptoBackend& first, CryptoBackend& second) : first_(first), second_(second) {}
    std::vector<SignatureInfo> verify_detached(std::string_view data, std::string_view signature, CryptoProtocol protocol) override;
    DecryptResult decrypt(std::string_view ciphertext, CryptoProtocol protocol) override;
    DecryptResult verify_clearsigned(std::string_view block, CryptoProtocol protocol) override;

private:
    CryptoBackend& first_;
    CryptoBackend& second_;
};

}  // namespace tern
