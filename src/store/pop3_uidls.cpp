#include "store/pop3_uidls.hpp"

namespace tern {

std::unordered_map<std::string, std::int64_t> Pop3Uidls::all() {
    Statement s = db_.prepare("SELECT uidl, downloaded FROM pop3_uidls WHERE account = ?1");
    s.bind(1, account_);
    std::unordered_map<std::string, std::int64_t> out;
    while (s.step()) out.emplace(s.text(0), s.int64(1));
    return out;
}

void Pop3Uidls::add(std::string_view uidl, std::string_view maildir_key, std::int64_t downloaded) {
    Statement s = db_.prepare("INSERT OR REPLACE INTO pop3_uidls(account, uidl, maildir_key, downloaded) VALUES(?1, ?2, ?3, ?4)");
    s.bind(1, account_).bind(2, uidl).bind(3, maildir_key).bind(4, downloaded);
    s.run();
}

void Pop3Uidls::forget(std::string_view uidl) {
    Statement s = db_.prepare("DELETE FROM pop3_uidls WHERE account = ?1 AND uidl = ?2");
    s.bind(1, account_).bind(2, uidl);
    s.run();
}

// A UIDL is 1-70 printable ASCII characters (RFC 1939), '/' and ':' among
// them, which a file name cannot hold: hex keeps every one exact.
std::string uidl_key_suffix(std::string_view uidl) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = ",P=";
    for (const unsigned char c : uidl) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string uidl_in_key(std::string_view key) {
    const auto pos = key.rfind(",P=");
    if (pos == std::string_view::npos) return "";
    const std::string_view hex = key.substr(pos + 3);
    if (hex.empty() || hex.size() % 2) return "";
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int v = 0;
        for (const char c : hex.substr(i, 2)) {
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else return "";
        }
        out += static_cast<char>(v);
    }
    return out;
}

}  // namespace tern
