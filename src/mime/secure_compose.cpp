#include "mime/secure_compose.hpp"

#include <algorithm>

#include "mime/headers.hpp"
#include "mime/message.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

std::vector<std::string> unique_addresses(std::initializer_list<const std::vector<Address>*> lists) {
    std::vector<std::string> out;
    for (const auto* list : lists)
        for (const auto& a : *list)
            if (std::none_of(out.begin(), out.end(), [&a](const std::string& e) { return iequals(e, a.email); })) out.push_back(a.email);
    return out;
}

std::string ended(std::string s) {
    s = lf_to_crlf(s);
    if (s.size() < 2 || s.compare(s.size() - 2, 2, "\r\n") != 0) s += "\r\n";
    return s;
}

// multipart/signed around `entity`: the signed bytes are exactly those between
// the first delimiter line and the CRLF before the second (RFC 1847).
std::string signed_entity(CryptoProtocol p, const std::string& entity, const CryptoOutput& sig) {
    const std::string b = make_boundary();
    std::string m;
    if (p == CryptoProtocol::OpenPgp) {
        m = "Content-Type: multipart/signed; micalg=" + sig.micalg + ";\r\n protocol=\"application/pgp-signature\"; boundary=\"" + b + "\"\r\n\r\n";
        m += "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\r\n";
        m += "--" + b + "\r\n" + entity + "\r\n--" + b + "\r\n";
        m += "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
             "Content-Description: OpenPGP digital signature\r\n"
             "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n";
        m += ended(sig.data);
    } else {
        m = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n micalg=" + sig.micalg + "; boundary=\"" + b + "\"\r\n\r\n";
        m += "This is an S/MIME signed message (RFC 8551)\r\n";
        m += "--" + b + "\r\n" + entity + "\r\n--" + b + "\r\n";
        m += "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
             "Content-Transfer-Encoding: base64\r\n"
             "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
             "Content-Description: S/MIME cryptographic signature\r\n\r\n";
        m += ended(encode_base64(sig.data, 76));
    }
    m += "--" + b + "--\r\n";
    return m;
}

std::string encrypted_entity(CryptoProtocol p, const std::string& cipher) {
    if (p == CryptoProtocol::Smime)
        return "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n"
               "Content-Transfer-Encoding: base64\r\n"
               "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
               "Content-Description: S/MIME encrypted message\r\n\r\n" +
               ended(encode_base64(cipher, 76));
    const std::string b = make_boundary();
    return "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n boundary=\"" + b + "\"\r\n\r\n" +
           "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n" +
           "--" + b + "\r\n" +
           "Content-Type: application/pgp-encrypted\r\n"
           "Content-Description: PGP/MIME version identification\r\n\r\n"
           "Version: 1\r\n\r\n" +
           "--" + b + "\r\n" +
           "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
           "Content-Description: OpenPGP encrypted message\r\n"
           "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n" +
           ended(cipher) + "--" + b + "--\r\n";
}

}  // namespace

std::string security_header(const Security& s) {
    std::string v = s.sign && s.encrypt ? "sign, encrypt" : s.sign ? "sign" : s.encrypt ? "encrypt" : "none";
    v += s.protocol == CryptoProtocol::Smime ? "; smime" : "; pgp";
    if (!s.sign_as.empty()) v += "; as " + s.sign_as;
    if (s.autocrypt) v += "; autocrypt";
    return v;
}

Security parse_security_header(std::string_view value, Security base) {
    base.sign = base.encrypt = base.autocrypt = false;
    for (const auto& piece : split(value, ';')) {
        const std::string p = to_lower(trim(piece));
        if (p == "pgp") base.protocol = CryptoProtocol::OpenPgp;
        else if (p == "smime") base.protocol = CryptoProtocol::Smime;
        else if (p == "autocrypt") base.autocrypt = true;
        else if (p.rfind("as ", 0) == 0) base.sign_as = std::string(trim(std::string_view(piece).substr(std::string_view(piece).find("as ") + 3)));
        else
            for (const auto& w : split(p, ',')) {
                if (trim(w) == "sign") base.sign = true;
                if (trim(w) == "encrypt") base.encrypt = true;
            }
    }
    return base;
}

KeyCheck check_keys(const Draft& draft, const Security& security, CryptoWriter& crypto) {
    KeyCheck check;
    if (!security.any()) return check;
    const std::string me = security.sign_as.empty() ? draft.from.email : security.sign_as;
    const KeyChoice own = crypto.find_key(security.protocol, me, true);
    if (own.fingerprint.empty()) {
        check.problems.push_back(own.problem + (security.encrypt && !security.sign ? " (encrypted mail is encrypted to you too)" : ""));
    } else {
        check.signer = own.fingerprint;
        if (security.encrypt) {  // the Sent copy is encrypted to this key too
            const KeyChoice self = crypto.find_key(security.protocol, own.fingerprint, false);
            if (self.fingerprint.empty()) check.problems.push_back("your " + std::string(protocol_name(security.protocol)) + " key " + own.fingerprint + " cannot encrypt");
        }
    }
    if (security.encrypt)
        for (const auto& address : unique_addresses({&draft.to, &draft.cc, &draft.bcc})) {
            KeyChoice k = crypto.find_key(security.protocol, address, false);
            if (k.fingerprint.empty()) check.problems.push_back(k.problem);
            check.recipients.emplace_back(address, std::move(k));
        }
    return check;
}

namespace {

// The draft's header and body entity, signed and/or encrypted (`draft`
// names who: From signs, To and Cc share one copy, each Bcc gets one).
SecuredMail secure_parts(const Draft& draft, const std::string& headers, std::string entity, const Security& security, CryptoWriter& crypto) {
    SecuredMail out;
    const auto everyone = unique_addresses({&draft.to, &draft.cc, &draft.bcc});
    const KeyCheck check = check_keys(draft, security, crypto);
    const std::string verb = security.encrypt ? "encrypt" : "sign";
    if (!check.ok()) {
        out.problem = "Cannot " + verb + ": " + join(check.problems, "; ");
        return out;
    }
    // OpenPGP signs inside the encryption in one pass (RFC 3156 section 6.2);
    // S/MIME signs first and encrypts the signed entity
    if (security.sign && (!security.encrypt || security.protocol == CryptoProtocol::Smime)) {
        const CryptoOutput sig = crypto.sign_detached(security.protocol, entity, check.signer);
        if (!sig.ok) {
            out.problem = "Cannot sign: " + sig.problem;
            return out;
        }
        entity = signed_entity(security.protocol, entity, sig);
    }
    if (!security.encrypt) {
        out.copies.push_back({headers + entity, everyone, true});
        return out;
    }
    const auto key_of = [&check](const std::string& address) {
        for (const auto& [a, k] : check.recipients)
            if (iequals(a, address)) return k.fingerprint;
        return std::string();
    };
    const std::string inner_signer = security.sign && security.protocol == CryptoProtocol::OpenPgp ? check.signer : "";
    const auto encrypted_copy = [&](const std::vector<std::string>& to, bool keep) {
        std::vector<std::string> keys{check.signer};
        for (const auto& a : to)
            if (const std::string k = key_of(a); std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        const CryptoOutput c = crypto.encrypt(security.protocol, entity, keys, inner_signer);
        if (!c.ok) {
            out.problem = "Cannot encrypt: " + c.problem;
            return false;
        }
        out.copies.push_back({headers + encrypted_entity(security.protocol, c.data), to, keep});
        return true;
    };
    const auto visible = unique_addresses({&draft.to, &draft.cc});
    if (!visible.empty() && !encrypted_copy(visible, true)) return {{}, out.problem};
    for (const auto& a : unique_addresses({&draft.bcc})) {
        if (std::any_of(visible.begin(), visible.end(), [&a](const std::string& v) { return iequals(v, a); })) continue;
        const bool first = out.copies.empty();  // with only Bcc recipients, the first copy is the one kept in Sent
        if (!encrypted_copy({a}, first)) return {{}, out.problem};
    }
    return out;
}

bool starts_with_nocase(std::string_view line, std::string_view prefix) {
    return line.size() >= prefix.size() && iequals(line.substr(0, prefix.size()), prefix);
}

// A body no relay changes: 7-bit, lines under 998 octets, none ending in a
// blank or starting "From " (RFC 3156 section 3).
bool relay_safe(std::string_view body) {
    for (const auto& line : split(body, '\n')) {
        std::string_view l = line;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.size() > 998 || l.rfind("From ", 0) == 0 || (!l.empty() && (l.back() == ' ' || l.back() == '\t'))) return false;
        if (!is_ascii(l)) return false;
    }
    return true;
}

}  // namespace

SecuredMail secure_mail(const Draft& original, const Security& security, CryptoWriter& crypto) {
    Draft draft = original;
    if (draft.message_id.empty()) draft.message_id = make_message_id(draft.date, draft.from.email);  // one id for every copy
    if (!security.any()) return {{{compose_message(draft), unique_addresses({&draft.to, &draft.cc, &draft.bcc}), true}}, ""};
    return secure_parts(draft, compose_headers(draft), compose_body(draft, security.sign), security, crypto);
}

SecuredMail encrypt_to_self(const Draft& draft, const Security& security, CryptoWriter& crypto) {
    const std::string me = security.sign_as.empty() ? draft.from.email : security.sign_as;
    const KeyChoice own = crypto.find_key(security.protocol, me, true);
    if (own.fingerprint.empty()) return {{}, "Cannot encrypt the draft: " + own.problem};
    const CryptoOutput c = crypto.encrypt(security.protocol, compose_body(draft, false), {own.fingerprint}, "");
    if (!c.ok) return {{}, "Cannot encrypt the draft: " + c.problem};
    return {{{compose_headers(draft) + encrypted_entity(security.protocol, c.data), {}, false}}, ""};
}

SecuredMail secure_message(std::string_view message, const std::vector<std::string>& envelope, const Security& security, CryptoWriter& crypto) {
    const std::string m = lf_to_crlf(crlf_to_lf(message));
    if (!security.any()) return {{{m, envelope, true}}, ""};
    const HeaderBlock block = parse_headers(m);
    // the header split: Content-* lines go with the body into the entity that is signed or encrypted
    std::string outer, content;
    bool in_content = false, keep = true;
    std::string_view head = std::string_view(m).substr(0, block.body_offset);
    for (std::size_t pos = 0; pos < head.size();) {
        std::size_t eol = head.find('\n', pos);
        eol = eol == std::string_view::npos ? head.size() : eol + 1;
        const std::string_view line = head.substr(pos, eol - pos);
        pos = eol;
        if (line == "\r\n") break;
        if (line[0] != ' ' && line[0] != '\t') {
            in_content = starts_with_nocase(line, "Content-");
            keep = !starts_with_nocase(line, "MIME-Version:") && !starts_with_nocase(line, "Bcc:");
        }
        if (!keep) continue;
        (in_content ? content : outer) += line;
    }
    Draft who;
    if (const std::string* f = block.headers.get("From"))
        if (auto a = parse_address_list(*f); !a.empty()) who.from = a[0];
    if (who.from.email.empty()) return {{}, "Cannot " + std::string(security.encrypt ? "encrypt" : "sign") + ": the message has no From address"};
    std::vector<std::string> shown;
    for (const char* field : {"To", "Cc"})
        for (const auto* v : block.headers.all(field))
            for (const auto& a : parse_address_list(*v)) shown.push_back(a.email);
    // envelope recipients the headers do not show are blind: each gets a copy of their own
    for (const auto& r : envelope) {
        const bool visible = std::any_of(shown.begin(), shown.end(), [&r](const std::string& s) { return iequals(s, r); });
        (visible ? who.to : who.bcc).push_back({"", r});
    }
    std::string body(m.substr(block.body_offset));
    if (content.empty()) content = "Content-Type: text/plain; charset=" + std::string(is_ascii(body) ? "us-ascii" : "utf-8") + "\r\n";
    if (security.sign && !relay_safe(body)) {
        // a single part is encoded again; a multipart cannot be without rewriting its parts
        const Message part(content + "\r\n" + body);
        if (part.root().type.type == "multipart")
            return {{}, "Cannot sign: a part of the message is 8-bit or has lines a relay may change; encode its parts quoted-printable or base64"};
        std::string kept;  // the Content-* fields but the old transfer encoding (with its folded lines)
        bool drop = false;
        for (const auto& line : split(content, '\n')) {
            if (line.empty()) continue;
            if (line[0] != ' ' && line[0] != '\t') drop = starts_with_nocase(line, "Content-Transfer-Encoding:");
            if (!drop) kept += line + "\n";
        }
        const bool text = part.root().type.type == "text";
        const std::string decoded = part.root().decoded_body();
        content = kept + "Content-Transfer-Encoding: " + (text ? "quoted-printable" : "base64") + "\r\n";
        body = text ? lf_to_crlf(encode_quoted_printable(crlf_to_lf(decoded))) : encode_base64(decoded, 76) + "\r\n";
    }
    return secure_parts(who, outer + "MIME-Version: 1.0\r\n", content + "\r\n" + body, security, crypto);
}

}  // namespace tern
