#include "config/config.hpp"

namespace tern {

const Account* Config::find_account(std::string_view name) const {
    for (const auto& a : accounts)
        if (a.name == name) return &a;
    return nullptr;
}

const Account* Config::default_account() const {
    if (!options.default_account.empty())
        if (const Account* a = find_account(options.default_account)) return a;
    return accounts.empty() ? nullptr : &accounts.front();
}

std::vector<std::string> Config::account_names() const {
    std::vector<std::string> names;
    for (const auto& a : accounts) names.push_back(a.name);
    return names;
}

CryptSettings crypt_settings(const GlobalOptions& options, const Account& account) {
    CryptSettings c = options.crypt;
    const CryptOverrides& o = account.crypt;
    if (o.autosign) c.autosign = *o.autosign;
    if (o.autoencrypt) c.autoencrypt = *o.autoencrypt;
    if (o.replyencrypt) c.replyencrypt = *o.replyencrypt;
    if (o.opportunistic_encrypt) c.opportunistic_encrypt = *o.opportunistic_encrypt;
    if (o.smime_is_default) c.smime_is_default = *o.smime_is_default;
    if (o.pgp_default_key) c.pgp_default_key = *o.pgp_default_key;
    if (o.smime_default_key) c.smime_default_key = *o.smime_default_key;
    if (o.autocrypt) c.autocrypt = *o.autocrypt;
    if (o.autocrypt_prefer_encrypt) c.autocrypt_prefer_encrypt = *o.autocrypt_prefer_encrypt;
    return c;
}

bool uses_autocrypt(const Config& config) {
    for (const auto& a : config.accounts)
        if (crypt_settings(config.options, a).autocrypt) return true;
    return false;
}

}  // namespace tern
