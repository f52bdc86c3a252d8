#include "mime/reply.hpp"

#include <algorithm>

#include "mime/encoded_words.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

// Length of one leading prefix such as "Re:", "RE[3]:", "Aw: " (with blanks), or 0.
std::size_t prefix_length(std::string_view s, std::initializer_list<std::string_view> words) {
    for (const auto w : words) {
        if (s.size() < w.size() || !iequals(s.substr(0, w.size()), w)) continue;
        std::size_t i = w.size();
        if (i < s.size() && s[i] == '[') {  // RE[2]:
            const auto close = s.find(']', i);
            if (close == std::string_view::npos) continue;
            i = close + 1;
        }
        if (i < s.size() && s[i] == ':') {
            ++i;
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
            return i;
        }
    }
    return 0;
}

std::string strip_prefixes(std::string_view s, std::initializer_list<std::string_view> words) {
    s = trim(s);
    while (const auto n = prefix_length(s, words)) s = s.substr(n);
    return std::string(s);
}

std::vector<Address> addresses(const Headers& h, std::string_view name) {
    std::vector<Address> out;
    for (const std::string* v : h.all(name))
        for (auto& a : parse_address_list(*v)) out.push_back(std::move(a));
    return out;
}

bool is_me(const Address& a, const AddressSet& me) { return me.contains(a.email); }

// Appends `from` to `to`, without the user's addresses and without duplicates.
void merge(std::vector<Address>& to, const std::vector<Address>& from, const AddressSet& me,
           const std::vector<Address>& also_exclude = {}) {
    for (const auto& a : from) {
        if (a.email.empty() || is_me(a, me)) continue;
        auto same = [&](const Address& b) { return iequals(a.email, b.email); };
        if (std::any_of(to.begin(), to.end(), same) || std::any_of(also_exclude.begin(), also_exclude.end(), same)) continue;
        to.push_back(a);
    }
}

std::string author_of(const Headers& h) {
    const std::string* from = h.get("From");
    if (!from) return "someone";
    const auto list = parse_address_list(*from);
    if (list.empty()) return decode_header_text(*from);
    return list[0].name.empty() ? list[0].email : list[0].name;
}

}  // namespace

std::string reply_subject(std::string_view subject) {
    const std::string rest = strip_prefixes(decode_header_text(subject), {"re", "aw", "sv", "antw"});
    return "Re: " + rest;
}

std::string forward_subject(std::string_view subject) {
    const std::string rest = strip_prefixes(decode_header_text(subject), {"fwd", "fw"});
    return "Fwd: " + rest;
}

ReplyRecipients reply_recipients(const Headers& h, ReplyMode mode, const AddressSet& me, const AddressSet& lists) {
    ReplyRecipients r;
    const auto from = addresses(h, "From");
    const auto reply_to = addresses(h, "Reply-To");
    const auto to = addresses(h, "To");
    const auto cc = addresses(h, "Cc");
    const bool from_me = !from.empty() && is_me(from[0], me);

    if (mode == ReplyMode::List) {
        const std::string* post = h.get("List-Post");
        if (!post) {
            for (const auto* field : {&to, &cc})
                for (const auto& a : *field)
                    if (lists.contains(a.email)) merge(r.to, {a}, me);
            if (!r.to.empty()) return r;
            r.ok = false;
            r.problem = "this message names no mailing list (no List-Post header, and no address in To or Cc is in lists or subscribe)";
            return r;
        }
        const auto start = post->find("<mailto:");
        if (start == std::string::npos) {
            r.ok = false;
            r.problem = "the list does not accept posts by mail (List-Post: " + first_line(*post) + ")";
            return r;
        }
        const auto end = post->find_first_of("?>", start + 8);
        r.to.push_back({"", post->substr(start + 8, end == std::string::npos ? std::string::npos : end - start - 8)});
        return r;
    }
    if (from_me) {  // answering one's own message: continue to its recipients
        merge(r.to, to, {});
        if (mode == ReplyMode::Group) merge(r.cc, cc, {}, r.to);
        return r;
    }
    merge(r.to, reply_to.empty() ? from : reply_to, me);
    if (mode == ReplyMode::Group) {
        merge(r.to, to, me);
        merge(r.cc, cc, me, r.to);
    }
    return r;
}

ThreadHeaders reply_thread_headers(const Headers& h) {
    ThreadHeaders t;
    const std::string* id = h.get("Message-ID");
    std::vector<std::string> refs;
    if (const std::string* r = h.get("References")) refs = split_words(*r);
    else if (const std::string* irt = h.get("In-Reply-To")) refs = split_words(*irt);
    refs.erase(std::remove_if(refs.begin(), refs.end(), [](const std::string& x) { return x.size() < 3 || x.front() != '<' || x.back() != '>'; }),
               refs.end());
    if (id) {
        t.in_reply_to = std::string(trim(*id));
        refs.push_back(t.in_reply_to);
    }
    // keep the root and the most recent ancestors (RFC 5322 allows trimming the middle)
    if (refs.size() > 20) {
        std::vector<std::string> kept{refs.front()};
        kept.insert(kept.end(), refs.end() - 19, refs.end());
        refs = std::move(kept);
    }
    t.references = std::move(refs);
    return t;
}

std::string format_about_message(std::string_view format, const Headers& h) {
    const std::string* from = h.get("From");
    const auto list = from ? parse_address_list(*from) : std::vector<Address>{};
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out += format[i];
            continue;
        }
        const char c = format[++i];
        if (c == '%') out += '%';
        else if (c == 'n') out += author_of(h);
        else if (c == 'a') out += list.empty() ? author_of(h) : list[0].email;
        else if (c == 'v') {
            const std::string name = author_of(h);
            out += name.substr(0, name.find_first_of(" @"));
        } else if (c == 'd') {
            const std::string* date = h.get("Date");
            out += date ? std::string(trim(*date)) : std::string("an earlier day");
        } else if (c == 's') {
            const std::string* subject = h.get("Subject");
            out += subject ? decode_header_text(*subject) : std::string();
        } else {
            out += '%';
            out += c;
        }
    }
    std::replace(out.begin(), out.end(), '\n', ' ');  // one line, whatever a header held
    std::replace(out.begin(), out.end(), '\r', ' ');
    return out;
}

std::string quote_for_reply(const Headers& h, std::string_view text, std::string_view attribution) {
    std::string out;
    if (!attribution.empty()) out += format_about_message(attribution, h) + "\n";
    std::string body(text);
    while (!body.empty() && body.back() == '\n') body.pop_back();
    for (const auto& line : split(body, '\n')) {
        if (line == "-- ") break;  // the signature is not quoted
        out += line.empty() ? ">" : (line[0] == '>' ? ">" : "> ");
        out += line;
        out += '\n';
    }
    return out;
}

std::string forward_inline(const Headers& h, std::string_view text) {
    std::string out = "----- Forwarded message from " + author_of(h) + " -----\n\n";
    for (const char* name : {"Date", "From", "To", "Cc", "Subject"})
        if (const std::string* v = h.get(name)) out += std::string(name) + ": " + decode_header_text(*v) + "\n";
    out += "\n";
    out += text;
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "\n----- End forwarded message -----\n";
    return out;
}

}  // namespace tern
