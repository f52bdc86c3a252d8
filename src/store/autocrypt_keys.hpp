// Autocrypt's keys, kept apart from the user's own GnuPG keyring (as
// neomutt does): a GnuPG home of tern's own holds each account's Autocrypt
// key (made on first use, no passphrase) and the keys harvested from
// peers' headers, imported when a message to them is composed. As a
// CryptoWriter it answers for addresses with those keys only, so mail
// encrypted "with Autocrypt" never picks a key from the user's keyring.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/gpgme_backend.hpp"
#include "store/autocrypt_peers.hpp"
#include "util/paths.hpp"

namespace tern {

// $XDG_DATA_HOME/tern/autocrypt (made 0700; throws Failure(Io) when it cannot be).
std::string autocrypt_home(const EnvLookup& env);

class AutocryptKeys final : public CryptoWriter {
public:
    AutocryptKeys(GpgmeBackend& keyring, AutocryptPeers& peers) : keyring_(keyring), peers_(peers) {}

    // The account's key for `addr`, made and recorded on first use;
    // `prefer_mutual` (the config's, now) is recorded with it.
    std::optional<AutocryptOwn> own_key(const std::string& addr, bool prefer_mutual, std::string& problem);
    // The Autocrypt: header value for mail from `addr`; empty with `problem`.
    std::string header_value(const std::string& addr, bool prefer_mutual, std::string& problem);
    // The recommendation for a message to `recipients`.
    AutocryptRecommendation recommend(const std::vector<std::string>& recipients, bool own_prefer_mutual, bool answers_encrypted);

    // A peer's harvested key put into the keyring (once), so a signature
    // by it verifies; its fingerprint, or empty with `problem` set.
    std::string import_peer(std::string_view address, std::string& problem);

    // The own key for the account's address (secret or not), a peer's
    // harvested key for anyone else; a fingerprint is looked up as it is.
    KeyChoice find_key(CryptoProtocol protocol, std::string_view address, bool secret) override;
    CryptoOutput sign_detached(CryptoProtocol protocol, std::string_view data, const std::string& signer) override {
        return keyring_.sign_detached(protocol, data, signer);
    }
    CryptoOutput encrypt(CryptoProtocol protocol, std::string_view data, const std::vector<std::string>& recipients,
                         const std::string& signer) override {
        return keyring_.encrypt(protocol, data, recipients, signer);
    }

private:
    GpgmeBackend& keyring_;
    AutocryptPeers& peers_;
    std::map<std::string, std::string> imported_;  // keydata -> its fingerprint in the keyring
};

}  // namespace tern
