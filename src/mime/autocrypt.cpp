#include "mime/autocrypt.hpp"

#include <algorithm>

#include "mime/address.hpp"
#include "mime/content_type.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {

std::optional<AutocryptHeader> parse_autocrypt(std::string_view value) {
    AutocryptHeader h;
    bool have_keydata = false;
    for (const std::string& item : split(value, ';')) {
        const std::string_view attr = trim(item);
        if (attr.empty()) continue;
        const auto eq = attr.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string name = to_lower(trim(attr.substr(0, eq)));
        const std::string_view val = trim(attr.substr(eq + 1));
        if (name == "addr") {
            h.addr = to_lower(val);
        } else if (name == "prefer-encrypt") {
            h.prefer_mutual = iequals(val, "mutual");  // any other value: no preference
        } else if (name == "type") {
            if (val != "1") return std::nullopt;
        } else if (name == "keydata") {
            h.keydata = decode_base64(val);  // skips the blanks that unfolding left
            have_keydata = !h.keydata.empty();
        } else if (name.empty() || name[0] != '_') {
            return std::nullopt;  // a critical attribute Level 1 does not know
        }
    }
    if (h.addr.empty() || !have_keydata) return std::nullopt;
    return h;
}

std::optional<AutocryptHeader> autocrypt_of(const Headers& headers, std::string_view from) {
    std::optional<AutocryptHeader> found;
    for (const std::string* value : headers.all(kAutocryptHeader)) {
        auto h = parse_autocrypt(*value);
        if (!h || !iequals(h->addr, from)) continue;
        if (found) return std::nullopt;  // two: neither is trusted
        found = std::move(h);
    }
    return found;
}

std::string format_autocrypt(const AutocryptHeader& header) {
    std::string out = "addr=" + header.addr + ";" + (header.prefer_mutual ? " prefer-encrypt=mutual;" : "") + " keydata=";
    const std::string b64 = encode_base64(header.keydata, 0);
    for (std::size_t i = 0; i < b64.size(); i += 72) out += " " + b64.substr(i, 72);
    return out;
}

bool update_peer(AutocryptPeer& peer, std::int64_t date, std::int64_t now, const std::optional<AutocryptHeader>& header) {
    const std::int64_t effective = std::min(date, now);
    if (!header) {
        if (effective <= peer.last_seen) return false;
        peer.last_seen = effective;
        return true;
    }
    if (effective <= peer.autocrypt_timestamp) return false;
    peer.autocrypt_timestamp = effective;
    peer.last_seen = std::max(peer.last_seen, effective);
    peer.keydata = header->keydata;
    peer.prefer_mutual = header->prefer_mutual;
    return true;
}

std::optional<std::string> autocrypt_sender(const Headers& headers) {
    const std::string* from = headers.get("From");
    if (!from) return std::nullopt;
    const auto senders = parse_address_list(*from);
    if (senders.size() != 1) return std::nullopt;
    if (const std::string* type = headers.get("Content-Type"))
        if (iequals(parse_content_type(*type).full(), "multipart/report")) return std::nullopt;
    return to_lower(senders[0].email);
}

const char* recommendation_word(AutocryptRecommendation r) {
    switch (r) {
        case AutocryptRecommendation::Disable: return "disable";
        case AutocryptRecommendation::Discourage: return "discourage";
        case AutocryptRecommendation::Available: return "available";
        case AutocryptRecommendation::Encrypt: return "encrypt";
    }
    return "disable";
}

AutocryptRecommendation peer_recommendation(const std::optional<AutocryptPeer>& peer) {
    if (!peer || (peer->keydata.empty() && peer->gossip_keydata.empty())) return AutocryptRecommendation::Disable;
    if (peer->keydata.empty()) return AutocryptRecommendation::Discourage;  // gossip only
    constexpr std::int64_t kStale = 35 * 86400;
    if (peer->last_seen - peer->autocrypt_timestamp > kStale) return AutocryptRecommendation::Discourage;
    return AutocryptRecommendation::Available;
}

AutocryptRecommendation message_recommendation(const std::vector<std::optional<AutocryptPeer>>& recipients, bool own_prefer_mutual,
                                               bool answers_encrypted) {
    if (recipients.empty()) return AutocryptRecommendation::Disable;
    AutocryptRecommendation worst = AutocryptRecommendation::Available;
    bool all_mutual = own_prefer_mutual;
    for (const auto& peer : recipients) {
        worst = std::min(worst, peer_recommendation(peer));
        all_mutual = all_mutual && peer && peer->prefer_mutual;
    }
    if (worst == AutocryptRecommendation::Disable) return worst;
    if (answers_encrypted) return AutocryptRecommendation::Encrypt;
    if (worst == AutocryptRecommendation::Available && all_mutual) return AutocryptRecommendation::Encrypt;
    return worst;
}

}  // namespace tern
