#include "mime/secure_compose.hpp"

#include <algorithm>

#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

const char* engine(CryptoProtocol p) { return p == CryptoProtocol::Smime ? "S/MIME" : "OpenPGP"; }

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
            if (self.fingerprint.empty()) check.problems.push_back("your " + std::string(engine(security.protocol)) + " key " + own.fingerprint + " cannot encrypt");
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

SecuredMail secure_mail(const Draft& original, const Security& security, CryptoWriter& crypto) {
    SecuredMail out;
    Draft draft = original;
    if (draft.message_id.empty()) draft.message_id = make_message_id(draft.date, draft.from.email);  // one id for every copy
    const auto everyone = unique_addresses({&draft.to, &draft.cc, &draft.bcc});
    if (!security.any()) {
        out.copies.push_back({compose_message(draft), everyone, true});
        return out;
    }
    const KeyCheck check = check_keys(draft, security, crypto);
    const std::string verb = security.encrypt ? "encrypt" : "sign";
    if (!check.ok()) {
        out.problem = "Cannot " + verb + ": " + join(check.problems, "; ");
        return out;
    }
    const std::string headers = compose_headers(draft);
    std::string entity = compose_body(draft, security.sign);
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

}  // namespace tern
