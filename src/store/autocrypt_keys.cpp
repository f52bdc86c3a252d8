#include "store/autocrypt_keys.hpp"

#include <cstring>

#include "core/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

KeyChoice no_key(std::string problem) {
    KeyChoice k;
    k.problem = std::move(problem);
    return k;
}

}  // namespace

std::string autocrypt_home(const EnvLookup& env) {
    const std::string dir = default_data_dir(env) + "/autocrypt";
    if (const int err = make_private_dirs(dir)) throw Failure(ErrorKind::Io, "cannot create " + dir + ": " + std::strerror(err));
    return dir;
}

std::optional<AutocryptOwn> AutocryptKeys::own_key(const std::string& addr, bool prefer_mutual, std::string& problem) {
    if (auto own = peers_.own(addr)) {
        if (own->prefer_mutual != prefer_mutual) {
            own->prefer_mutual = prefer_mutual;
            peers_.save_own(*own);
        }
        return own;
    }
    AutocryptOwn own{to_lower(addr), "", "", prefer_mutual};
    own.fingerprint = keyring_.create_key(own.addr, problem);
    if (own.fingerprint.empty()) return std::nullopt;
    own.keydata = keyring_.export_key(own.fingerprint, problem);
    if (own.keydata.empty()) return std::nullopt;
    peers_.save_own(own);
    return own;
}

std::string AutocryptKeys::header_value(const std::string& addr, bool prefer_mutual, std::string& problem) {
    const auto own = own_key(addr, prefer_mutual, problem);
    if (!own) return {};
    return format_autocrypt({own->addr, own->prefer_mutual, own->keydata});
}

AutocryptRecommendation AutocryptKeys::recommend(const std::vector<std::string>& recipients, bool own_prefer_mutual, bool answers_encrypted) {
    std::vector<std::optional<AutocryptPeer>> peers;
    for (const auto& r : recipients) peers.push_back(peers_.peer(r));
    return message_recommendation(peers, own_prefer_mutual, answers_encrypted);
}

KeyChoice AutocryptKeys::find_key(CryptoProtocol protocol, std::string_view address, bool secret) {
    if (protocol != CryptoProtocol::OpenPgp) return no_key("Autocrypt is OpenPGP only");
    // no '@': a key id or fingerprint (check_keys asks for the own key by it), found as GpgmeBackend finds one
    if (address.find('@') == std::string_view::npos) return keyring_.find_key(protocol, address, secret);
    if (const auto own = peers_.own(address)) return keyring_.find_key(protocol, own->fingerprint, secret);
    if (secret) return no_key("no Autocrypt key of yours for " + std::string(address));
    std::string problem;
    const std::string fpr = import_peer(address, problem);
    if (fpr.empty()) return no_key(problem);
    KeyChoice k = keyring_.find_key(protocol, fpr, false);
    if (!k.fingerprint.empty()) k.validity = "autocrypt";
    return k;
}

std::string AutocryptKeys::import_peer(std::string_view address, std::string& problem) {
    const auto peer = peers_.peer(address);
    const std::string keydata = !peer ? std::string() : !peer->keydata.empty() ? peer->keydata : peer->gossip_keydata;
    if (keydata.empty()) {
        problem = "no Autocrypt key for " + std::string(address) + " (no mail from it carried one)";
        return {};
    }
    auto it = imported_.find(keydata);
    if (it == imported_.end()) {
        const std::string fpr = keyring_.import_key(keydata, problem);
        if (fpr.empty()) {
            problem = "the Autocrypt key of " + std::string(address) + ": " + problem;
            return {};
        }
        it = imported_.emplace(keydata, fpr).first;
    }
    return it->second;
}

}  // namespace tern
