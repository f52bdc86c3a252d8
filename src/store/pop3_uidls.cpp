#include "store/pop3_uidls.hpp"

namespace tern {

Pop3Uidls::Records Pop3Uidls::all() {
    Statement s = db_.prepare("SELECT uidl, size, downloaded FROM pop3_seen WHERE account = ?1");
    s.bind(1, account_);
    Records out;
    while (s.step()) out.emplace(std::make_pair(s.text(0), static_cast<std::uint64_t>(s.int64(1))), s.int64(2));
    return out;
}

void Pop3Uidls::add(std::string_view uidl, std::uint64_t size, std::string_view maildir_key, std::int64_t downloaded) {
    Statement s = db_.prepare("INSERT OR REPLACE INTO pop3_seen(account, uidl, size, maildir_key, downloaded) VALUES(?1, ?2, ?3, ?4, ?5)");
    s.bind(1, account_).bind(2, uidl).bind(3, static_cast<std::int64_t>(size)).bind(4, maildir_key).bind(5, downloaded);
    s.run();
}

void Pop3Uidls::forget(std::string_view uidl) {
    Statement s = db_.prepare("DELETE FROM pop3_seen WHERE account = ?1 AND uidl = ?2");
    s.bind(1, account_).bind(2, uidl);
    s.run();
}

const std::int64_t* find_record(const Pop3Uidls::Records& records, const std::string& uidl, std::uint64_t size) {
    if (const auto it = records.find({uidl, size}); it != records.end()) return &it->second;
    if (const auto it = records.find({uidl, 0}); it != records.end()) return &it->second;
    return nullptr;
}

// A UIDL is 1-70 printable ASCII characters (RFC 1939), '/' and ':' among
// them, which a file name cannot hold: hex keeps every one exact.
std::string uidl_key_suffix(std::string_view uidl, std::uint64_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = ",P=";
    for (const unsigned char c : uidl) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out + "~" + std::to_string(size);
}

KeyUidl uidl_in_key(std::string_view key) {
    const auto pos = key.rfind(",P=");
    if (pos == std::string_view::npos) return {};
    std::string_view hex = key.substr(pos + 3);
    KeyUidl out;
    if (const auto tilde = hex.find('~'); tilde != std::string_view::npos) {
        const std::string_view digits = hex.substr(tilde + 1);
        if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string_view::npos) return {};
        out.size = std::stoull(std::string(digits));
        hex = hex.substr(0, tilde);
    }
    if (hex.empty() || hex.size() % 2) return {};
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int v = 0;
        for (const char c : hex.substr(i, 2)) {
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else return {};
        }
        out.uidl += static_cast<char>(v);
    }
    return out;
}

}  // namespace tern
