// Autocrypt Level 1 (autocrypt.org/level1.html), the parts that are pure
// logic: the Autocrypt: and Autocrypt-Gossip: header fields read and
// written, a peer's state brought up to date by one incoming message, and
// the recommendation the compose screen shows. The keys themselves live in
// a GnuPG home of tern's own (crypto/), the peer table in the index
// database (store/autocrypt_peers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/headers.hpp"

namespace tern {

inline constexpr const char* kAutocryptHeader = "Autocrypt";
inline constexpr const char* kGossipHeader = "Autocrypt-Gossip";

struct AutocryptHeader {
    std::string addr;            // lower case
    bool prefer_mutual = false;  // prefer-encrypt=mutual
    std::string keydata;         // the OpenPGP key, binary (base64-decoded)
};

// One field's value: nullopt when it is not valid (no addr or keydata, a
// type other than 1, an unknown attribute that does not start with '_').
std::optional<AutocryptHeader> parse_autocrypt(std::string_view value);

// The Autocrypt header of a message from `from` (its one From address):
// the one valid field whose addr is that address; more than one, or none,
// is none (Level 1, "the Autocrypt header").
std::optional<AutocryptHeader> autocrypt_of(const Headers& headers, std::string_view from);

// The field's value as sent: "addr=...; [prefer-encrypt=mutual; ]keydata=
// B64 B64 ...": the base64 in words of 72 characters, so the header folds
// between them (a reader drops the blanks). Autocrypt-Gossip has the same form.
std::string format_autocrypt(const AutocryptHeader& header);

// What tern knows of one peer (Level 1's peers[addr]).
struct AutocryptPeer {
    std::string addr;
    std::int64_t last_seen = 0;            // the newest message from it
    std::int64_t autocrypt_timestamp = 0;  // the newest one with a valid header
    std::string keydata;                   // from that header; empty: none yet
    bool prefer_mutual = false;
    std::int64_t gossip_timestamp = 0;
    std::string gossip_keydata;
};

// A peer after a message from it: its Date (`date`, clamped to `now`, the
// "effective date"), and its Autocrypt header if valid. An older message
// changes nothing; a newer one without a header only moves last_seen
// (which later makes its key "stale"). Returns whether anything changed.
bool update_peer(AutocryptPeer& peer, std::int64_t date, std::int64_t now, const std::optional<AutocryptHeader>& header);

// The sender (lower case) of a message that takes part at all: a
// multipart/report (a bounce, a read receipt) does not, nor mail without
// exactly one From address.
std::optional<std::string> autocrypt_sender(const Headers& headers);

enum class AutocryptRecommendation { Disable, Discourage, Available, Encrypt };
const char* recommendation_word(AutocryptRecommendation r);  // "disable", "discourage", "available", "encrypt"

// One recipient's preliminary recommendation (none known: Disable; a key
// only gossiped, or one not seen in a message for 35 days while mail kept
// coming: Discourage; else Available).
AutocryptRecommendation peer_recommendation(const std::optional<AutocryptPeer>& peer);
// The message's: the worst of its recipients', raised to Encrypt when the
// user and every recipient prefer mutual encryption or it answers an
// encrypted message. No recipients: Disable.
AutocryptRecommendation message_recommendation(const std::vector<std::optional<AutocryptPeer>>& recipients, bool own_prefer_mutual,
                                               bool answers_encrypted);

}  // namespace tern
