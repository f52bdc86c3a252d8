#include "crypto/gpgme_backend.hpp"

#include <gpgme.h>

#include "core/error.hpp"

namespace tern {
namespace {

struct DataFree {
    void operator()(gpgme_data_t d) const { gpgme_data_release(d); }
};
using Data = std::unique_ptr<gpgme_data, DataFree>;

struct KeyFree {
    void operator()(gpgme_key_t k) const { gpgme_key_unref(k); }
};

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

}  // namespace

void GpgmeBackend::ContextFree::operator()(gpgme_context* c) const { gpgme_release(c); }

bool GpgmeBackend::ready() {
    if (ctx_) return true;
    if (!unusable_.empty()) return false;
    gpgme_ctx_t c = nullptr;
    if (!gpgme_check_version(nullptr)) unusable_ = "GPGME is too old or missing";
    else if (gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) != 0) unusable_ = "no usable gpg for OpenPGP (install gnupg)";
    else if (gpgme_new(&c) != 0) unusable_ = "GPGME cannot make a context";
    if (!unusable_.empty()) return false;
    ctx_.reset(c);
    gpgme_set_protocol(c, GPGME_PROTOCOL_OpenPGP);
    if (!may_prompt_) gpgme_set_pinentry_mode(c, GPGME_PINENTRY_MODE_CANCEL);
    return true;
}

GpgmeBackend::~GpgmeBackend() = default;

std::vector<SignatureInfo> GpgmeBackend::signatures() {
    std::vector<SignatureInfo> out;
    gpgme_verify_result_t result = gpgme_op_verify_result(ctx_.get());
    if (!result) return out;
    for (gpgme_signature_t s = result->signatures; s; s = s->next) {
        SignatureInfo info;
        info.key_id = s->fpr ? s->fpr : "";
        info.trust = trust_word(s->validity);
        const gpgme_err_code_t code = gpgme_err_code(s->status);
        if (code == GPG_ERR_BAD_SIGNATURE || (s->summary & GPGME_SIGSUM_RED)) info.status = SignatureInfo::Status::Bad;
        else if (code == GPG_ERR_NO_PUBKEY || (s->summary & GPGME_SIGSUM_KEY_MISSING)) info.status = SignatureInfo::Status::NoKey;
        else if (s->summary & GPGME_SIGSUM_KEY_REVOKED || code == GPG_ERR_CERT_REVOKED) info.status = SignatureInfo::Status::Revoked;
        else if (s->summary & (GPGME_SIGSUM_KEY_EXPIRED | GPGME_SIGSUM_SIG_EXPIRED) || code == GPG_ERR_KEY_EXPIRED || code == GPG_ERR_SIG_EXPIRED)
            info.status = SignatureInfo::Status::Expired;
        else if (code == GPG_ERR_NO_ERROR) info.status = SignatureInfo::Status::Good;
        else info.detail = gpgme_strerror(s->status);
        if (s->fpr && info.status != SignatureInfo::Status::NoKey) {
            gpgme_key_t key = nullptr;
            if (gpgme_get_key(ctx_.get(), s->fpr, &key, 0) == 0 && key) {
                std::unique_ptr<_gpgme_key, KeyFree> owned(key);
                if (key->uids) {
                    info.name = key->uids->name ? key->uids->name : "";
                    info.address = key->uids->email ? key->uids->email : "";
                }
                if (key->subkeys && key->subkeys->fpr) info.key_id = key->subkeys->fpr;
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<SignatureInfo> GpgmeBackend::verify_detached(std::string_view data, std::string_view signature) {
    if (!ready()) {
        SignatureInfo info;
        info.detail = unusable_;
        return {info};
    }
    Data sig = data_over(signature), text = data_over(data);
    const gpgme_error_t err = gpgme_op_verify(ctx_.get(), sig.get(), text.get(), nullptr);
    if (err != 0 && gpgme_err_code(err) != GPG_ERR_BAD_SIGNATURE) {
        SignatureInfo info;
        info.detail = gpgme_strerror(err);
        return {info};
    }
    return signatures();
}

DecryptResult GpgmeBackend::verify_clearsigned(std::string_view block) {
    DecryptResult r;
    if (!ready()) {
        r.problem = unusable_;
        return r;
    }
    Data sig = data_over(block), plain = empty_data();
    const gpgme_error_t err = gpgme_op_verify(ctx_.get(), sig.get(), nullptr, plain.get());
    r.signatures = signatures();
    if (err != 0 && gpgme_err_code(err) != GPG_ERR_BAD_SIGNATURE) {
        r.problem = gpgme_strerror(err);
        return r;
    }
    r.ok = true;
    r.plaintext = contents(plain.get());
    return r;
}

DecryptResult GpgmeBackend::decrypt(std::string_view ciphertext) {
    DecryptResult r;
    if (!ready()) {
        r.problem = unusable_;
        return r;
    }
    Data cipher = data_over(ciphertext), plain = empty_data();
    const gpgme_error_t err = gpgme_op_decrypt_verify(ctx_.get(), cipher.get(), plain.get());
    if (gpgme_decrypt_result_t d = gpgme_op_decrypt_result(ctx_.get()))
        for (gpgme_recipient_t rec = d->recipients; rec; rec = rec->next) r.recipients.push_back(rec->keyid ? rec->keyid : "?");
    if (err != 0) {
        const gpgme_err_code_t code = gpgme_err_code(err);
        std::string ids;
        for (const auto& k : r.recipients) ids += (ids.empty() ? "" : ", ") + k;
        if (code == GPG_ERR_NO_SECKEY || code == GPG_ERR_DECRYPT_FAILED)
            r.problem = "no secret key for " + (ids.empty() ? std::string("its recipients") : ids);
        else if (code == GPG_ERR_CANCELED || code == GPG_ERR_NO_PIN_ENTRY || code == GPG_ERR_BAD_PASSPHRASE)
            r.problem = "the secret key for " + ids + " needs its passphrase, and none could be asked for here";
        else
            r.problem = gpgme_strerror(err);
        return r;
    }
    r.ok = true;
    r.plaintext = contents(plain.get());
    r.signatures = signatures();
    return r;
}

}  // namespace tern
