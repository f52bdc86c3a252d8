#include "crypto/gpgme_backend.hpp"

#include <gpgme.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

struct DataFree {
    void operator()(gpgme_data_t d) const { gpgme_data_release(d); }
};
using Data = std::unique_ptr<gpgme_data, DataFree>;

struct KeyFree {
    void operator()(gpgme_key_t k) const { gpgme_key_unref(k); }
};
using Key = std::unique_ptr<_gpgme_key, KeyFree>;

// A GPGME data object over `bytes` (not copied: it lives as long as the call).
Data data_over(std::string_view bytes) {
    gpgme_data_t d = nullptr;
    if (gpgme_data_new_from_mem(&d, bytes.data(), bytes.size(), 0) != 0) throw Failure(ErrorKind::Io, "GPGME: cannot make a data buffer");
    return Data(d);
}

Data empty_data() {
    gpgme_data_t d = nullptr;
    if (gpgme_data_new(&d) != 0) throw Failure(ErrorKind::Io, "GPGME: cannot make a data buffer");
    return Data(d);
}

std::string contents(gpgme_data_t d) {
    std::string out;
    gpgme_data_seek(d, 0, SEEK_SET);
    char buf[8192];
    for (ssize_t n; (n = gpgme_data_read(d, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    return out;
}

const char* trust_word(gpgme_validity_t v) {
    switch (v) {
        case GPGME_VALIDITY_ULTIMATE: return "ultimate";
        case GPGME_VALIDITY_FULL: return "full";
        case GPGME_VALIDITY_MARGINAL: return "marginal";
        case GPGME_VALIDITY_NEVER: return "never";
        default: return "unknown";
    }
}

gpgme_protocol_t gpgme_protocol(CryptoProtocol p) { return p == CryptoProtocol::Smime ? GPGME_PROTOCOL_CMS : GPGME_PROTOCOL_OpenPGP; }

bool needs_passphrase(gpgme_error_t err) {
    const gpgme_err_code_t code = gpgme_err_code(err);
    return code == GPG_ERR_CANCELED || code == GPG_ERR_NO_PIN_ENTRY || code == GPG_ERR_BAD_PASSPHRASE || code == GPG_ERR_FULLY_CANCELED;
}

// A key id or fingerprint (what pgp_default_key usually holds), not an address.
bool looks_like_key_id(std::string_view s) {
    if (s.substr(0, 2) == "0x" || s.substr(0, 2) == "0X") s.remove_prefix(2);
    return s.size() >= 8 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// micalg as RFC 3156 (OpenPGP: "pgp-sha256") and RFC 8551 (S/MIME: "sha-256") spell it.
std::string micalg(CryptoProtocol p, gpgme_hash_algo_t algo) {
    const char* name = gpgme_hash_algo_name(algo);
    std::string n = to_lower(name ? name : "sha256");
    if (p == CryptoProtocol::OpenPgp) return "pgp-" + n;
    if (n.rfind("sha", 0) == 0 && n.size() > 3 && n[3] != '-') n.insert(3, "-");
    return n;
}

// gpgsm gives an address as "<alice@example.org>"; gpg without the brackets.
std::string bare_email(const char* email) {
    std::string e = email ? email : "";
    if (e.size() >= 2 && e.front() == '<' && e.back() == '>') e = e.substr(1, e.size() - 2);
    return e;
}

// An X.509 subject's common name ("CN=Alice Example,O=..." gives "Alice Example").
std::string common_name(std::string_view dn) {
    for (std::size_t at = 0; (at = dn.find("CN=", at)) != std::string_view::npos; at += 3) {
        if (at != 0 && dn[at - 1] != ',' && dn[at - 1] != '/') continue;
        const std::size_t end = dn.find(',', at);
        return std::string(dn.substr(at + 3, end == std::string_view::npos ? std::string_view::npos : end - at - 3));
    }
    return std::string(dn);
}

// A user id of `key` for `address` that is neither revoked nor invalid.
gpgme_user_id_t uid_for(gpgme_key_t key, std::string_view address) {
    for (gpgme_user_id_t u = key->uids; u; u = u->next)
        if (!u->revoked && !u->invalid && iequals(bare_email(u->email), address)) return u;
    // S/MIME certificates may carry the address only in a subject's E= or as an alt name without angle brackets
    for (gpgme_user_id_t u = key->uids; u; u = u->next)
        if (!u->revoked && !u->invalid && u->uid && to_lower(u->uid).find(to_lower(address)) != std::string::npos) return u;
    return nullptr;
}

}  // namespace

void GpgmeBackend::ContextFree::operator()(gpgme_context* c) const { gpgme_release(c); }

GpgmeBackend::~GpgmeBackend() = default;

gpgme_context* GpgmeBackend::context(CryptoProtocol protocol, std::string& why) {
    Engine& e = engines_[protocol == CryptoProtocol::Smime ? 1 : 0];
    if (e.ctx) return e.ctx.get();
    if (e.unusable.empty()) {
        gpgme_ctx_t c = nullptr;
        if (!gpgme_check_version(nullptr)) e.unusable = "GPGME is too old or missing";
        else if (gpgme_engine_check_version(gpgme_protocol(protocol)) != 0)
            e.unusable = protocol == CryptoProtocol::Smime ? "no usable gpgsm for S/MIME (install gpgsm)" : "no usable gpg for OpenPGP (install gnupg)";
        else if (gpgme_new(&c) != 0) e.unusable = "GPGME cannot make a context";
        if (e.unusable.empty()) {
            e.ctx.reset(c);
            gpgme_set_protocol(c, gpgme_protocol(protocol));
            if (!home_.empty() && gpgme_ctx_set_engine_info(c, gpgme_protocol(protocol), nullptr, home_.c_str()) != 0) {
                e.ctx.reset();
                e.unusable = "GPGME cannot use the GnuPG home " + home_;
                why = e.unusable;
                return nullptr;
            }
            // asking is tried first without pinentry when the screen must be handed over for it
            if (!prompting_.allowed || prompting_.release) gpgme_set_pinentry_mode(c, GPGME_PINENTRY_MODE_CANCEL);
            return c;
        }
    }
    why = e.unusable;
    return nullptr;
}

unsigned GpgmeBackend::run(gpgme_context* ctx, const std::function<unsigned()>& op) {
    gpgme_error_t err = op();
    if (needs_passphrase(err) && prompting_.allowed && prompting_.release) {
        prompting_.release();
        gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_ASK);
        err = op();
        gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_CANCEL);
        if (prompting_.reclaim) prompting_.reclaim();
    }
    return err;
}

std::vector<SignatureInfo> GpgmeBackend::signatures(gpgme_context* ctx) {
    std::vector<SignatureInfo> out;
    gpgme_verify_result_t result = gpgme_op_verify_result(ctx);
    if (!result) return out;
    for (gpgme_signature_t s = result->signatures; s; s = s->next) {
        SignatureInfo info;
        info.key_id = s->fpr ? s->fpr : "";
        info.trust = trust_word(s->validity);
        const gpgme_err_code_t code = gpgme_err_code(s->status);
        if (code == GPG_ERR_BAD_SIGNATURE || (s->summary & GPGME_SIGSUM_RED)) info.status = SignatureInfo::Status::Bad;
        else if (code == GPG_ERR_NO_PUBKEY || (s->summary & GPGME_SIGSUM_KEY_MISSING)) info.status = SignatureInfo::Status::NoKey;
        else if (s->summary & GPGME_SIGSUM_KEY_REVOKED || code == GPG_ERR_CERT_REVOKED) info.status = SignatureInfo::Status::Revoked;
        else if (s->summary & (GPGME_SIGSUM_KEY_EXPIRED | GPGME_SIGSUM_SIG_EXPIRED) || code == GPG_ERR_KEY_EXPIRED || code == GPG_ERR_SIG_EXPIRED ||
                 code == GPG_ERR_CERT_EXPIRED)
            info.status = SignatureInfo::Status::Expired;
        else if (code == GPG_ERR_NO_ERROR) info.status = SignatureInfo::Status::Good;
        else info.detail = gpgme_strerror(s->status);
        if (s->fpr && info.status != SignatureInfo::Status::NoKey) {
            gpgme_key_t key = nullptr;
            if (gpgme_get_key(ctx, s->fpr, &key, 0) == 0 && key) {
                Key owned(key);
                // S/MIME: the first user id is the subject's DN, the address comes later
                for (gpgme_user_id_t u = key->uids; u; u = u->next) {
                    if (info.name.empty() && u->name && *u->name) info.name = u->name;
                    if (info.address.empty()) info.address = bare_email(u->email);
                }
                if (info.name.empty() && key->uids && key->uids->uid) info.name = common_name(key->uids->uid);
                if (key->subkeys && key->subkeys->fpr) info.key_id = key->subkeys->fpr;
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<SignatureInfo> GpgmeBackend::verify_detached(std::string_view data, std::string_view signature, CryptoProtocol protocol) {
    std::string why;
    gpgme_context* ctx = context(protocol, why);
    if (!ctx) {
        SignatureInfo info;
        info.detail = why;
        return {info};
    }
    Data sig = data_over(signature), text = data_over(data);
    const gpgme_error_t err = gpgme_op_verify(ctx, sig.get(), text.get(), nullptr);
    if (err != 0 && gpgme_err_code(err) != GPG_ERR_BAD_SIGNATURE) {
        SignatureInfo info;
        info.detail = gpgme_strerror(err);
        return {info};
    }
    return signatures(ctx);
}

DecryptResult GpgmeBackend::verify_clearsigned(std::string_view block, CryptoProtocol protocol) {
    DecryptResult r;
    gpgme_context* ctx = context(protocol, r.problem);
    if (!ctx) return r;
    Data sig = data_over(block), plain = empty_data();
    const gpgme_error_t err = gpgme_op_verify(ctx, sig.get(), nullptr, plain.get());
    r.signatures = signatures(ctx);
    if (err != 0 && gpgme_err_code(err) != GPG_ERR_BAD_SIGNATURE) {
        r.problem = gpgme_strerror(err);
        return r;
    }
    r.ok = true;
    r.plaintext = contents(plain.get());
    return r;
}

DecryptResult GpgmeBackend::decrypt(std::string_view ciphertext, CryptoProtocol protocol) {
    DecryptResult r;
    gpgme_context* ctx = context(protocol, r.problem);
    if (!ctx) return r;
    Data plain;
    const gpgme_error_t err = run(ctx, [&] {
        Data cipher = data_over(ciphertext);
        plain = empty_data();
        // gpgsm cannot verify while it decrypts: a signature inside S/MIME is a part of its own
        return protocol == CryptoProtocol::Smime ? gpgme_op_decrypt(ctx, cipher.get(), plain.get()) : gpgme_op_decrypt_verify(ctx, cipher.get(), plain.get());
    });
    if (gpgme_decrypt_result_t d = gpgme_op_decrypt_result(ctx))
        for (gpgme_recipient_t rec = d->recipients; rec; rec = rec->next) r.recipients.push_back(rec->keyid ? rec->keyid : "?");
    if (err != 0) {
        const gpgme_err_code_t code = gpgme_err_code(err);
        std::string ids;
        for (const auto& k : r.recipients) ids += (ids.empty() ? "" : ", ") + k;
        if (needs_passphrase(err))
            r.problem = "the secret key for " + (ids.empty() ? std::string("it") : ids) + " needs its passphrase, and none could be asked for here";
        else if (code == GPG_ERR_NO_SECKEY || code == GPG_ERR_DECRYPT_FAILED)
            r.problem = "no secret key for " + (ids.empty() ? std::string("its recipients") : ids);
        else
            r.problem = gpgme_strerror(err);
        return r;
    }
    r.ok = true;
    r.plaintext = contents(plain.get());
    if (protocol == CryptoProtocol::OpenPgp) r.signatures = signatures(ctx);
    return r;
}

KeyChoice GpgmeBackend::find_key(CryptoProtocol protocol, std::string_view address, bool secret) {
    KeyChoice choice;
    gpgme_context* ctx = context(protocol, choice.problem);
    if (!ctx) return choice;
    const std::string what = protocol_name(protocol);
    const bool by_id = looks_like_key_id(address);
    std::vector<Key> found;
    if (by_id) {
        gpgme_key_t key = nullptr;
        if (gpgme_get_key(ctx, std::string(address).c_str(), &key, secret) == 0 && key) found.emplace_back(key);
    } else {
        const std::string pattern = "<" + std::string(address) + ">";
        if (gpgme_op_keylist_start(ctx, pattern.c_str(), secret) == 0) {
            for (gpgme_key_t key = nullptr; gpgme_op_keylist_next(ctx, &key) == 0 && key; key = nullptr) found.emplace_back(key);
            gpgme_op_keylist_end(ctx);
        }
    }
    std::string why = by_id ? "no " + what + " key " + std::string(address) + (secret ? " with its secret key" : "")
                            : "no " + what + (secret ? " secret key for " : " key for ") + std::string(address);
    int best = -1;
    for (const Key& k : found) {
        gpgme_key_t key = k.get();
        const gpgme_user_id_t uid = by_id ? key->uids : uid_for(key, address);
        if (!uid) continue;
        if (key->revoked) { why = "the " + what + " key of " + std::string(address) + " is revoked"; continue; }
        if (key->expired) { why = "the " + what + " key of " + std::string(address) + " is expired"; continue; }
        if (key->disabled || key->invalid) { why = "the " + what + " key of " + std::string(address) + " is disabled"; continue; }
        if (secret ? !key->can_sign : !key->can_encrypt) {
            why = "the " + what + " key of " + std::string(address) + (secret ? " cannot sign" : " cannot encrypt");
            continue;
        }
        const int validity = static_cast<int>(uid->validity);
        if (validity <= best) continue;
        best = validity;
        choice.fingerprint = key->subkeys && key->subkeys->fpr ? key->subkeys->fpr : "";
        // S/MIME: the subject's name with the address that matched
        choice.user_id = protocol == CryptoProtocol::Smime && key->uids && key->uids->uid
                             ? common_name(key->uids->uid) + " <" + bare_email(uid->email) + ">"
                             : uid->uid ? uid->uid : "";
        choice.validity = trust_word(uid->validity);
    }
    if (choice.fingerprint.empty()) choice.problem = why;
    return choice;
}

CryptoOutput GpgmeBackend::sign_detached(CryptoProtocol protocol, std::string_view data, const std::string& signer) {
    CryptoOutput out;
    gpgme_context* ctx = context(protocol, out.problem);
    if (!ctx) return out;
    gpgme_key_t key = nullptr;
    if (gpgme_get_key(ctx, signer.c_str(), &key, 1) != 0 || !key) {
        out.problem = std::string("no ") + protocol_name(protocol) + " secret key " + signer + " to sign with";
        return out;
    }
    Key owned(key);
    gpgme_signers_clear(ctx);
    gpgme_signers_add(ctx, key);
    gpgme_set_armor(ctx, protocol == CryptoProtocol::OpenPgp);
    Data sig;
    const gpgme_error_t err = run(ctx, [&] {
        Data text = data_over(data);
        sig = empty_data();
        return gpgme_op_sign(ctx, text.get(), sig.get(), GPGME_SIG_MODE_DETACH);
    });
    gpgme_signers_clear(ctx);
    if (err != 0) {
        out.problem = needs_passphrase(err) ? "the secret key " + signer + " needs its passphrase, and none could be asked for here"
                                            : std::string("signing failed: ") + gpgme_strerror(err);
        return out;
    }
    gpgme_sign_result_t result = gpgme_op_sign_result(ctx);
    out.micalg = micalg(protocol, result && result->signatures ? result->signatures->hash_algo : GPGME_MD_SHA256);
    out.data = contents(sig.get());
    out.ok = !out.data.empty();
    if (!out.ok) out.problem = "signing gave no signature";
    return out;
}

CryptoOutput GpgmeBackend::encrypt(CryptoProtocol protocol, std::string_view data, const std::vector<std::string>& recipients, const std::string& signer) {
    CryptoOutput out;
    gpgme_context* ctx = context(protocol, out.problem);
    if (!ctx) return out;
    std::vector<Key> keys;
    for (const auto& fpr : recipients) {
        gpgme_key_t key = nullptr;
        if (gpgme_get_key(ctx, fpr.c_str(), &key, 0) != 0 || !key) {
            out.problem = std::string("no ") + protocol_name(protocol) + " key " + fpr + " to encrypt to";
            return out;
        }
        keys.emplace_back(key);
    }
    std::vector<gpgme_key_t> list;
    for (const auto& k : keys) list.push_back(k.get());
    list.push_back(nullptr);
    Key signer_key;
    gpgme_signers_clear(ctx);
    if (!signer.empty()) {
        gpgme_key_t key = nullptr;
        if (gpgme_get_key(ctx, signer.c_str(), &key, 1) != 0 || !key) {
            out.problem = std::string("no ") + protocol_name(protocol) + " secret key " + signer + " to sign with";
            return out;
        }
        signer_key.reset(key);
        gpgme_signers_add(ctx, key);
    }
    gpgme_set_armor(ctx, protocol == CryptoProtocol::OpenPgp);
    Data cipher;
    // the keys were chosen by their addresses (find_key), whatever their owner trust
    const auto flags = static_cast<gpgme_encrypt_flags_t>(GPGME_ENCRYPT_ALWAYS_TRUST);
    const gpgme_error_t err = run(ctx, [&] {
        Data plain = data_over(data);
        cipher = empty_data();
        return signer.empty() ? gpgme_op_encrypt(ctx, list.data(), flags, plain.get(), cipher.get())
                              : gpgme_op_encrypt_sign(ctx, list.data(), flags, plain.get(), cipher.get());
    });
    gpgme_signers_clear(ctx);
    if (err != 0) {
        std::string bad;
        if (gpgme_encrypt_result_t r = gpgme_op_encrypt_result(ctx))
            for (gpgme_invalid_key_t k = r->invalid_recipients; k; k = k->next)
                bad += (bad.empty() ? "" : ", ") + std::string(k->fpr ? k->fpr : "?") + " (" + gpgme_strerror(k->reason) + ")";
        out.problem = needs_passphrase(err) ? "the secret key " + signer + " needs its passphrase, and none could be asked for here"
                      : bad.empty()         ? std::string("encryption failed: ") + gpgme_strerror(err)
                                            : "these keys cannot be encrypted to: " + bad;
        return out;
    }
    out.data = contents(cipher.get());
    out.ok = !out.data.empty();
    if (!out.ok) out.problem = "encryption gave nothing";
    return out;
}

std::string GpgmeBackend::create_key(const std::string& address, std::string& problem) {
    gpgme_context* ctx = context(CryptoProtocol::OpenPgp, problem);
    if (!ctx) return {};
    // "future-default": an Ed25519 primary key that signs and a Curve25519 subkey that encrypts
    const auto flags = GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE | GPGME_CREATE_FORCE;
    if (const gpgme_error_t err = gpgme_op_createkey(ctx, ("<" + address + ">").c_str(), "future-default", 0, 0, nullptr, flags); err != 0) {
        problem = std::string("cannot make an Autocrypt key: ") + gpgme_strerror(err);
        return {};
    }
    gpgme_genkey_result_t r = gpgme_op_genkey_result(ctx);
    if (!r || !r->fpr) {
        problem = "cannot make an Autocrypt key: GPGME gave no fingerprint";
        return {};
    }
    const std::string fpr = r->fpr;
    gpgme_key_t key = nullptr;
    if (gpgme_get_key(ctx, fpr.c_str(), &key, 1) != 0 || !key) {
        problem = "cannot make an Autocrypt key: the new key is not in the keyring";
        return {};
    }
    Key primary(key);
    // gpg 2.2 makes only the primary key: the encryption subkey is added to it
    if (!primary->can_encrypt) {
        if (const gpgme_error_t err = gpgme_op_createsubkey(ctx, key, "cv25519", 0, 0, GPGME_CREATE_ENCR | GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE);
            err != 0) {
            problem = std::string("cannot make the Autocrypt key's encryption subkey: ") + gpgme_strerror(err);
            return {};
        }
    }
    return fpr;
}

std::string GpgmeBackend::import_key(std::string_view keydata, std::string& problem) {
    gpgme_context* ctx = context(CryptoProtocol::OpenPgp, problem);
    if (!ctx) return {};
    Data data = data_over(keydata);
    if (const gpgme_error_t err = gpgme_op_import(ctx, data.get()); err != 0) {
        problem = std::string("cannot import the key: ") + gpgme_strerror(err);
        return {};
    }
    gpgme_import_result_t r = gpgme_op_import_result(ctx);
    for (gpgme_import_status_t i = r ? r->imports : nullptr; i; i = i->next)
        if (i->result == 0 && i->fpr) return i->fpr;
    problem = "the key data holds no usable OpenPGP key";
    return {};
}

std::string GpgmeBackend::export_key(const std::string& fingerprint, std::string& problem) {
    gpgme_context* ctx = context(CryptoProtocol::OpenPgp, problem);
    if (!ctx) return {};
    Data out = empty_data();
    gpgme_set_armor(ctx, 0);
    if (const gpgme_error_t err = gpgme_op_export(ctx, fingerprint.c_str(), GPGME_EXPORT_MODE_MINIMAL, out.get()); err != 0) {
        problem = std::string("cannot export the key: ") + gpgme_strerror(err);
        return {};
    }
    std::string bytes = contents(out.get());
    if (bytes.empty()) problem = "no key " + fingerprint + " to export";
    return bytes;
}

std::unique_ptr<CryptoBackend> index_decryptor(const Account& account) {
    if (!account.index_decrypted) return nullptr;
    return std::make_unique<GpgmeBackend>(false);
}

}  // namespace tern
