// Answering and forwarding: subjects without stacked prefixes, the
// recipients of reply, group reply and list reply, the quoted body with its
// attribution line, and the threading headers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mime/address.hpp"
#include "mime/headers.hpp"

namespace tern {

// "Re: x" from "x", "Re: x", "RE[2]: x", "Re: Re: x", "AW: x", "SV: x".
std::string reply_subject(std::string_view subject);
// "Fwd: x" from "x", "Fwd: x", "Fw: x", "FW: Fwd: x".
std::string forward_subject(std::string_view subject);

enum class ReplyMode { Sender, Group, List };

struct ReplyRecipients {
    std::vector<Address> to, cc;
    bool ok = true;       // false: List mode and the message names no list
    std::string problem;  // why not
};

// Who a reply goes to. `me` are the user's own addresses (never replied to,
// except when the original came from the user: then to its recipients).
// A list reply goes to the List-Post address, else to the addresses in To
// and Cc that are among `lists` (mutt's lists and subscribe).
ReplyRecipients reply_recipients(const Headers& original, ReplyMode mode, const AddressSet& me, const AddressSet& lists = {});

// In-Reply-To and References for a reply to `original`.
struct ThreadHeaders {
    std::string in_reply_to;
    std::vector<std::string> references;
};
ThreadHeaders reply_thread_headers(const Headers& original);

// mutt's attribution and forward_format: `format` with %n the author's name
// (else address), %a the address, %v the first name, %d the Date header,
// %s the subject (decoded), %% a percent sign; other %x stay as written.
std::string format_about_message(std::string_view format, const Headers& original);

// The attribution line (mutt's default "On %d, %n wrote:", expanded as
// above) then every line of `text` with "> " in front ("> > " stays compact
// as ">> "); the signature is left out.
std::string quote_for_reply(const Headers& original, std::string_view text, std::string_view attribution = "On %d, %n wrote:");

// mutt's inline forward: "----- Forwarded message from X -----", the main
// headers, the text, "----- End forwarded message -----".
std::string forward_inline(const Headers& original, std::string_view text);

}  // namespace tern
