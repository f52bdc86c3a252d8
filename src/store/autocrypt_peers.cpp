#include "store/autocrypt_peers.hpp"

#include "mime/date.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {

std::optional<AutocryptPeer> AutocryptPeers::peer(std::string_view addr) {
    Statement s = db_.prepare(
        "SELECT addr, last_seen, autocrypt_timestamp, keydata, prefer_mutual, gossip_timestamp, gossip_keydata FROM autocrypt_peers "
        "WHERE account = ?1 AND addr = ?2");
    s.bind(1, account_).bind(2, to_lower(addr));
    if (!s.step()) return std::nullopt;
    AutocryptPeer p;
    p.addr = s.text(0);
    p.last_seen = s.int64(1);
    p.autocrypt_timestamp = s.int64(2);
    p.keydata = decode_base64(s.text_view(3));
    p.prefer_mutual = s.int64(4) != 0;
    p.gossip_timestamp = s.int64(5);
    p.gossip_keydata = decode_base64(s.text_view(6));
    return p;
}

void AutocryptPeers::save(const AutocryptPeer& p) {
    Statement s = db_.prepare(
        "INSERT OR REPLACE INTO autocrypt_peers(account, addr, last_seen, autocrypt_timestamp, keydata, prefer_mutual, gossip_timestamp, "
        "gossip_keydata) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.bind(1, account_).bind(2, to_lower(p.addr)).bind(3, p.last_seen).bind(4, p.autocrypt_timestamp);
    s.bind(5, encode_base64(p.keydata, 0)).bind(6, std::int64_t{p.prefer_mutual}).bind(7, p.gossip_timestamp);
    s.bind(8, encode_base64(p.gossip_keydata, 0));
    s.run();
    if (known_) known_->insert(to_lower(p.addr));
}

std::optional<AutocryptOwn> AutocryptPeers::own(std::string_view addr) {
    Statement s = db_.prepare("SELECT addr, fingerprint, keydata, prefer_mutual FROM autocrypt_own WHERE account = ?1 AND addr = ?2");
    s.bind(1, account_).bind(2, to_lower(addr));
    if (!s.step()) return std::nullopt;
    return AutocryptOwn{s.text(0), s.text(1), decode_base64(s.text_view(2)), s.int64(3) != 0};
}

void AutocryptPeers::save_own(const AutocryptOwn& own) {
    Statement s = db_.prepare("INSERT OR REPLACE INTO autocrypt_own(account, addr, fingerprint, keydata, prefer_mutual) VALUES(?1, ?2, ?3, ?4, ?5)");
    s.bind(1, account_).bind(2, to_lower(own.addr)).bind(3, own.fingerprint).bind(4, encode_base64(own.keydata, 0));
    s.bind(5, std::int64_t{own.prefer_mutual});
    s.run();
}

bool AutocryptPeers::harvest(const Headers& headers, std::int64_t now) {
    const bool has_header = headers.get(kAutocryptHeader) != nullptr;
    if (!has_header) {
        // the usual case: a message without the header matters only for a peer already known
        if (!known_) {
            known_.emplace();
            Statement s = db_.prepare("SELECT addr FROM autocrypt_peers WHERE account = ?1");
            s.bind(1, account_);
            while (s.step()) known_->insert(s.text(0));
        }
        if (known_->empty()) return false;
    }
    const auto sender = autocrypt_sender(headers);
    if (!sender) return false;
    const std::string& from = *sender;
    if (!has_header && !known_->count(from)) return false;
    const std::string* date_field = headers.get("Date");
    const std::optional<std::int64_t> date = date_field ? parse_date(*date_field) : std::nullopt;
    if (!date) return false;  // no effective date to order it by
    const auto header = has_header ? autocrypt_of(headers, from) : std::nullopt;
    AutocryptPeer p;
    if (auto known = peer(from)) p = std::move(*known);
    else p.addr = from;
    // a first message without a valid header makes no peer
    if (!header && p.keydata.empty() && p.gossip_keydata.empty() && p.last_seen == 0) return false;
    if (!update_peer(p, *date, now, header)) return false;
    save(p);
    return true;
}

}  // namespace tern
