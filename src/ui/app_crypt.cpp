// Signing and encrypting in the compose screen: mutt's p (OpenPGP) and S
// (S/MIME) menus, the crypt_* options, and the key check shown before y
// sends: a recipient without a usable key is named on the screen, and mail
// the user asked to encrypt is never sent in the clear.
#include "ui/app.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

const char* protocol_word(CryptoProtocol p) { return p == CryptoProtocol::Smime ? "S/MIME" : "PGP/MIME"; }

}  // namespace

void App::init_security(ComposeState& s, bool answers_encrypted) {
    const CryptSettings c = crypt_settings(config_.options, *s.account);
    s.security.protocol = c.smime_is_default ? CryptoProtocol::Smime : CryptoProtocol::OpenPgp;
    s.security.sign_as = c.smime_is_default ? c.smime_default_key : c.pgp_default_key;
    s.security.sign = c.autosign;
    s.security.encrypt = c.autoencrypt || (answers_encrypted && c.replyencrypt);
    s.opportunistic = c.opportunistic_encrypt;
}

const KeyCheck& App::key_check(ComposeState& s, const Security& security) {
    // looked up again only when the addresses or the choices change: each lookup runs gpg
    const std::string what = s.from + "\n" + s.to + "\n" + s.cc + "\n" + s.bcc + "\n" + (security.sign ? "s" : "") +
                             (security.encrypt ? "e" : "") + (security.protocol == CryptoProtocol::Smime ? "m" : "p") + security.sign_as;
    if (what != s.checked_for) {
        std::string problem;
        const auto draft = draft_from(s, problem);
        s.key_check = draft ? check_keys(*draft, security, *crypto_) : KeyCheck{};
        if (!draft && security.any()) s.key_check.problems = {problem};
        s.checked_for = what;
    }
    return s.key_check;
}

Security App::effective_security(ComposeState& s) {
    Security sec = s.security;
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
    if (sec.any()) what += std::string(" (") + protocol_word(sec.protocol) + ")";
    if (sec.encrypt && !s.security.encrypt) what += ", because every recipient has a key (opportunistic)";
    else if (s.opportunistic && !s.security_chosen && !sec.encrypt) what += " (opportunistic: not every recipient has a key)";
    else if (!sec.any()) what += " (p: PGP, S: S/MIME)";
    lines.push_back("Security: " + what);
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
        s.security.sign_as = protocol == CryptoProtocol::Smime ? c.smime_default_key : c.pgp_default_key;
    }
    const bool smime = protocol == CryptoProtocol::Smime;
    const std::string prompt = std::string(smime ? "S/MIME" : "PGP") + " (e)ncrypt, (s)ign, sign (a)s, (b)oth, " +
                               (smime ? "(p)gp" : "s/(m)ime") + (s.opportunistic ? ", (o)ppenc mode" : "") + " or (c)lear? ";
    for (;;) {
        const int k = ask_key(prompt);
        Security& sec = s.security;
        switch (k) {
            case 'e': sec.encrypt = true, sec.sign = false; break;
            case 's': sec.sign = true, sec.encrypt = false; break;
            case 'b': sec.sign = sec.encrypt = true; break;
            case 'c': sec.sign = sec.encrypt = false; break;
            case 'a': {
                auto key = ask("Sign as (key id or fingerprint): ", sec.sign_as);
                if (!key) return;
                sec.sign_as = std::string(trim(*key));
                sec.sign = true;
                break;
            }
            case 'm':
            case 'p':
                if ((k == 'm') != smime) return security_menu(k == 'm' ? CryptoProtocol::Smime : CryptoProtocol::OpenPgp);
                continue;
            case 'o':
                if (!s.opportunistic) continue;
                s.security_chosen = false;  // back to: encrypted when every recipient has a key
                sec.encrypt = false;
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
