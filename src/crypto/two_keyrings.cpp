#include "crypto/two_keyrings.hpp"

#include <algorithm>

namespace tern {
namespace {

bool no_key(const std::vector<SignatureInfo>& sigs) {
    return !sigs.empty() && std::all_of(sigs.begin(), sigs.end(), [](const SignatureInfo& s) { return s.status == SignatureInfo::Status::NoKey; });
}

}  // namespace

std::vector<SignatureInfo> TwoKeyrings::verify_detached(std::string_view data, std::string_view signature, CryptoProtocol protocol) {
    auto sigs = first_.verify_detached(data, signature, protocol);
    if (protocol != CryptoProtocol::OpenPgp || !no_key(sigs)) return sigs;
    auto other = second_.verify_detached(data, signature, protocol);
    return no_key(other) || other.empty() ? sigs : other;
}

DecryptResult TwoKeyrings::decrypt(std::string_view ciphertext, CryptoProtocol protocol) {
    DecryptResult r = first_.decrypt(ciphertext, protocol);
    if (r.ok || protocol != CryptoProtocol::OpenPgp || r.problem.rfind("no secret key", 0) != 0) {
        // opened with the user's keys, but signed by a key known only from Autocrypt
        if (r.ok && no_key(r.signatures)) {
            DecryptResult other = second_.decrypt(ciphertext, protocol);
            if (other.ok && !no_key(other.signatures)) return other;
        }
        return r;
    }
    DecryptResult other = second_.decrypt(ciphertext, protocol);
    return other.ok ? other : r;
}

DecryptResult TwoKeyrings::verify_clearsigned(std::string_view block, CryptoProtocol protocol) {
    DecryptResult r = first_.verify_clearsigned(block, protocol);
    if (protocol != CryptoProtocol::OpenPgp || !r.ok || !no_key(r.signatures)) return r;
    DecryptResult other = second_.verify_clearsigned(block, protocol);
    return other.ok && !no_key(other.signatures) ? other : r;
}

}  // namespace tern
