// Signing and encrypting in the compose screen: mutt's p (OpenPGP) and S
// (S/MIME) menus, the crypt_* options, and the key check shown before y
// sends: a recipient without a usable key is named on the screen, and mail
// the user asked to encrypt is never sent in the clear.
#include "ui/app.hpp"

#include "core/error.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

// what Autocrypt's "encrypt" and p u choose: signed and encrypted, OpenPGP, with Autocrypt's keys
Security autocrypt_security() { return {.sign = true, .encrypt = true, .protocol = CryptoProtocol::OpenPgp, .sign_as = "", .autocrypt = true}; }

const char* protocol_word(CryptoProtocol p) { return p == CryptoProtocol::Smime ? "S/MIME" : "PGP/MIME"; }

}  // namespace

void App::init_security(ComposeState& s, bool answers_encrypted) {
    const CryptSettings c = crypt_settings(config_.options, *s.account);
    s.security.protocol = c.smime_is_default ? CryptoProtocol::Smime : CryptoProtocol::OpenPgp;
    s.security.sign_as = c.smime_is_default ? c.smime_default_key : c.pgp_default_key;
    s.security.sign = c.autosign;
    s.security.encrypt = c.autoencrypt || (answers_encrypted && c.replyencrypt);
    s.opportunistic = c.opportunistic_encrypt;
    s.answers_encrypted = answers_encrypted;
    s.autocrypt = c.autocrypt;
}

AutocryptKeys& App::autocrypt_keys(const Account& account) {
    if (!autocrypt_keyring_) throw Failure(ErrorKind::Io, "Autocrypt has no keyring: " + default_data_dir(env_) + "/autocrypt cannot be made");
    auto& keys = autocrypt_keys_[account.name];
    if (!keys) keys = std::make_unique<AutocryptKeys>(*autocrypt_keyring_, indexes_.of(account).autocrypt(account.name));
    return *keys;
}

void App::learn_autocrypt_sender(const Account& account, std::string_view from) {
    if (!autocrypt_keyring_ || from.empty() || !crypt_settings(config_.options, account).autocrypt) return;
    try {
        std::string problem;
        autocrypt_keys(account).import_peer(from, problem);  // none known: nothing to do
    } catch (const Failure&) {
        // no index for the account yet: nobody known
    }
}

CryptoWriter& App::writer_for(ComposeState& s, const Security& security) {
    if (!security.autocrypt || !s.autocrypt) return *crypto_;
    try {
        return autocrypt_keys(*s.account);
    } catch (const Failure&) {
        return *crypto_;  // the key check then names the user's keys; Autocrypt's line says why
    }
}

AutocryptRecommendation App::autocrypt_recommendation(ComposeState& s) {
    if (!s.autocrypt) return AutocryptRecommendation::Disable;
    const std::string what = s.to + "\n" + s.cc + "\n" + s.bcc;
    if (what != s.recommended_for) {
        s.recommended_for = what;
        s.recommendation = AutocryptRecommendation::Disable;
        std::string problem;
        if (const auto draft = draft_from(s, problem)) {
            std::vector<std::string> recipients;
            for (const auto* list : {&draft->to, &draft->cc, &draft->bcc})
                for (const auto& a : *list) recipients.push_back(a.email);
            try {
                const CryptSettings c = crypt_settings(config_.options, *s.account);
                s.recommendation = autocrypt_keys(*s.account).recommend(recipients, c.autocrypt_prefer_encrypt, s.answers_encrypted);
            } catch (const Failure&) {
                // no keyring, no index: nothing to recommend
            }
        }
    }
    return s.recommendation;
}

bool App::add_autocrypt_header(ComposeState& s, Draft& draft) {
    if (!s.autocrypt) return true;
    for (const auto& [name, value] : draft.extra_headers)
        if (iequals(name, kAutocryptHeader)) return true;  // my_hdr or the editor put one there
    std::string problem;
    try {
        const CryptSettings c = crypt_settings(config_.options, *s.account);
        const std::string value = autocrypt_keys(*s.account).header_value(draft.from.email, c.autocrypt_prefer_encrypt, problem);
        if (!value.empty()) {
            draft.extra_headers.emplace_back(kAutocryptHeader, value);
            return true;
        }
    } catch (const Failure& f) {
        problem = f.error().summary;
    }
    error("Autocrypt: " + problem + " (autocrypt = no sends without the header)");
    return false;
}

const KeyCheck& App::key_check(ComposeState& s, const Security& security) {
    // looked up again only when the addresses or the choices change: each lookup runs gpg
    const std::string what = s.from + "\n" + s.to + "\n" + s.cc + "\n" + s.bcc + "\n" + (security.sign ? "s" : "") +
                             (security.encrypt ? "e" : "") + (security.protocol == CryptoProtocol::Smime ? "m" : "p") + (security.autocrypt ? "u" : "") + security.sign_as;
    if (what != s.checked_for) {
        std::string problem;
        const auto draft = draft_from(s, problem);
        s.key_check = draft ? check_keys(*draft, security, writer_for(s, security)) : KeyCheck{};
        if (!draft && security.any()) s.key_check.problems = {problem};
        s.checked_for = what;
    }
    return s.key_check;
}

Security App::effective_security(ComposeState& s) {
    Security sec = s.security;
    // Autocrypt's recommendation "encrypt" (both sides prefer it, or a reply to encrypted mail) is the default
    if (s.autocrypt && !s.security_chosen && !sec.encrypt && autocrypt_recommendation(s) == AutocryptRecommendation::Encrypt) {
        return autocrypt_security();
    }
    if (s.opportunistic && !s.security_chosen && !sec.encrypt && !(trim(s.to).empty() && trim(s.cc).empty() && trim(s.bcc).empty())) {
        Security trial = sec;
        trial.encrypt = true;
        if (key_check(s, trial).ok()) sec.encrypt = true;
    }
    return sec;
}

std::vector<std::string> App::security_lines(ComposeState& s) {
    const Security sec = effective_security(s);
    std::vector<std::string> lines;
    std::string what = sec.sign && sec.encrypt ? "Sign, Encrypt" : sec.sign ? "Sign" : sec.encrypt ? "Encrypt" : "None";
    if (sec.any()) what += std::string(" (") + protocol_word(sec.protocol) + (sec.autocrypt ? ", Autocrypt keys" : "") + ")";
    if (sec.autocrypt && !s.security.autocrypt) what += ", as Autocrypt recommends";
    else if (sec.encrypt && !s.security.encrypt) what += ", because every recipient has a key (opportunistic)";
    else if (s.opportunistic && !s.security_chosen && !sec.encrypt) what += " (opportunistic: not every recipient has a key)";
    else if (!sec.any()) what += " (p: PGP, S: S/MIME)";
    lines.push_back("Security: " + what);
    if (s.autocrypt)
        lines.push_back("Autocrypt: " + std::string(recommendation_word(autocrypt_recommendation(s))) +
                        (sec.autocrypt ? "" : " (p u: encrypt with Autocrypt)"));
    if (!sec.any()) return lines;
    const KeyCheck& check = key_check(s, sec);
    if (sec.sign) lines.push_back(" Sign as: " + (check.signer.empty() ? std::string("(no key)") : check.signer));
    // the short key id first, so the user id is what an 80-column screen cuts
    for (const auto& [address, key] : check.recipients)
        if (!key.fingerprint.empty())
            lines.push_back("  Key of: " + address + " = " + key.fingerprint.substr(key.fingerprint.size() > 16 ? key.fingerprint.size() - 16 : 0) +
                            ", trust " + key.validity + " (" + key.user_id + ")");
    for (const auto& p : check.problems) lines.push_back(" Problem: " + p);
    return lines;
}

void App::security_menu(CryptoProtocol protocol) {
    if (!compose_) return;
    ComposeState& s = *compose_;
    const CryptSettings c = crypt_settings(config_.options, *s.account);
    // a menu for the other protocol switches to it, keeping what was chosen
    if (s.security.protocol != protocol) {
        s.security.protocol = protocol;
        s.security.autocrypt = false;
        s.security.sign_as = protocol == CryptoProtocol::Smime ? c.smime_default_key : c.pgp_default_key;
    }
    const bool smime = protocol == CryptoProtocol::Smime;
    const bool autocrypt = !smime && s.autocrypt;
    const std::string prompt = std::string(smime ? "S/MIME" : "PGP") + " (e)ncrypt, (s)ign, sign (a)s, (b)oth, " +
                               (smime ? "(p)gp" : "s/(m)ime") + (s.opportunistic ? ", (o)ppenc mode" : "") +
                               (autocrypt ? ", a(u)tocrypt" : "") + " or (c)lear? ";
    for (;;) {
        const int k = ask_key(prompt);
        Security& sec = s.security;
        switch (k) {
            case 'u':
                if (!autocrypt) continue;
                sec = autocrypt_security();
                break;
            // every choice but u means the user's own keys
            case 'e': sec.encrypt = true, sec.sign = false, sec.autocrypt = false; break;
            case 's': sec.sign = true, sec.encrypt = false, sec.autocrypt = false; break;
            case 'b': sec.sign = sec.encrypt = true, sec.autocrypt = false; break;
            case 'c': sec.sign = sec.encrypt = false, sec.autocrypt = false; break;
            case 'a': {
                auto key = ask("Sign as (key id or fingerprint): ", sec.sign_as);
                if (!key) return;
                sec.sign_as = std::string(trim(*key));
                sec.sign = true, sec.autocrypt = false;
                break;
            }
            case 'm':
            case 'p':
                if ((k == 'm') != smime) return security_menu(k == 'm' ? CryptoProtocol::Smime : CryptoProtocol::OpenPgp);
                continue;
            case 'o':
                if (!s.opportunistic) continue;
                s.security_chosen = false;  // back to: encrypted when every recipient has a key
                sec.encrypt = sec.autocrypt = false;
                return;
            case 0x07: case 0x1b: case 0x03: return;
            default: continue;
        }
        s.security_chosen = true;
        return;
    }
}

void App::pgp_menu() { security_menu(CryptoProtocol::OpenPgp); }
void App::smime_menu() { security_menu(CryptoProtocol::Smime); }

}  // namespace tern
