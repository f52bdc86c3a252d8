# S/MIME (RFC 8551) in tern render through gpgsm, with a throwaway CA made by
# openssl and gpgsm homes made here: a detached signature (multipart/signed,
# as Thunderbird writes it, and with Outlook's older x-pkcs7 names), the same
# with its text changed, an opaque-signed message (signed-data holding the
# text), an encrypted one (enveloped-data) with an attachment inside, and one
# encrypted for someone else. gpgsm makes every message; tern only reads.
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/keys.sh
. "$(dirname "$0")/../keys.sh"

W=$TERN_TEST_TMP/smime-work
for h in "$W"/*/; do [ -d "$h" ] && gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done  # an earlier run's
rm -rf "$W"; mkdir -p "$W/tmp"
export TMPDIR=$W/tmp
stop_agents() { for h in "$W"/alice "$W"/bob; do gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done; }
trap 'stop_agents; report' EXIT

smime_ca "$W/ca"
smime_home "$W/alice" "$W/ca" "Alice Example" alice@example.org
smime_home "$W/bob" "$W/ca" "Bob Other" bob@example.org
gpgsm --homedir "$W/alice" --batch --import "$W/bob/cert.pem" >/dev/null 2>&1   # alice can encrypt to bob
gpgsm --homedir "$W/alice" --with-colons --list-secret-keys 2>/dev/null | grep -q '^sec\|^crs' || echo "FAIL making alice's S/MIME key"

b64() { base64 -w 76 "$1"; }
# detached FROM TYPE FILE: multipart/signed with a pkcs7-signature (TYPE: pkcs7 or x-pkcs7) over a text part
detached() {
  printf 'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nSigned with S/MIME.\r\nSecond line.' > "$W/part.txt"
  rm -f "$W/part.sig"
  gpgsm --homedir "$W/alice" --batch -u alice@example.org --detach-sign -o "$W/part.sig" "$W/part.txt" 2>/dev/null
  {
    printf 'From: %s\nTo: bob@example.org\nSubject: smime signed\nMIME-Version: 1.0\n' "$1"
    printf 'Content-Type: multipart/signed; protocol="application/%s-signature"; micalg=sha-256; boundary=sig\n\n' "$2"
    printf -- '--sig\n'; tr -d '\r' < "$W/part.txt"
    printf '\n--sig\nContent-Type: application/%s-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n' "$2"
    printf 'Content-Disposition: attachment; filename=smime.p7s\n\n'
    b64 "$W/part.sig"; printf -- '--sig--\n'
  } > "$3"
}
# pkcs7 KIND FILE: an application/pkcs7-mime message of smime-type KIND made from $W/inner.txt
pkcs7() {
  {
    printf 'From: Alice Example <alice@example.org>\nTo: bob@example.org\nSubject: smime %s\nMIME-Version: 1.0\n' "$1"
    printf 'Content-Type: application/pkcs7-mime; smime-type=%s; name=smime.p7m\nContent-Transfer-Encoding: base64\n' "$1"
    printf 'Content-Disposition: attachment; filename=smime.p7m\n\n'
    b64 "$W/inner.p7m"
  } > "$2"
}
render_as() { GNUPGHOME=$W/$1 run_tern render "$2" < /dev/null; }

begin "a detached S/MIME signature: Good signature from the certificate's name and address; only the signed part is inside the block"
detached "Alice Example <alice@example.org>" pkcs7 "$W/signed.eml"
render_as alice "$W/signed.eml"
expect_rc 0
[ -z "$ERR" ] || bad "gpgsm wrote to stderr: $ERR"
expect_out "[-- Good signature from "
expect_out "alice@example.org"
printf '%s\n' "$OUT" | awk '/Begin signed data/ { b = NR } /Signed with S\/MIME/ { t = NR } /End of signed data/ { e = NR } END { exit !(b && b < t && t < e) }' ||
  bad "the text is not inside the signed block: $OUT"
end

begin "Outlook's older names (application/x-pkcs7-signature): verified the same way"
detached "Alice Example <alice@example.org>" x-pkcs7 "$W/outlook.eml"
render_as bob "$W/outlook.eml"   # bob trusts the same CA; the signer's certificate travels in the signature
expect_out "[-- Good signature from "
end

begin "the signed text changed: BAD signature"
sed 's/Signed with S\/MIME/Signed with S\/MIMe/' "$W/signed.eml" > "$W/bad.eml"
render_as alice "$W/bad.eml"
expect_out "[-- BAD signature"
expect_out_not "Good signature"
end

begin "a signer who is not the From address: said under the good signature"
detached "Mallory <mallory@example.org>" pkcs7 "$W/mallory.eml"
render_as alice "$W/mallory.eml"
expect_out "[-- Signer alice@example.org does not match the From address mallory@example.org --]"
end

begin "opaque-signed (signed-data holding the text): Good signature, the text shown inside the block"
printf 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nOpaque signed, caf\303\251.\r\n' > "$W/inner.txt"
gpgsm --homedir "$W/alice" --batch -u alice@example.org --sign -o "$W/inner.p7m" "$W/inner.txt" 2>/dev/null
pkcs7 signed-data "$W/opaque.eml"
render_as bob "$W/opaque.eml"
expect_out "[-- Good signature from "
expect_out "Opaque signed, café."
printf '%s\n' "$OUT" | awk '/Begin signed data/ { b = NR } /Opaque signed/ { t = NR } /End of signed data/ { e = NR } END { exit !(b && b < t && t < e) }' ||
  bad "the text is not inside the signed block: $OUT"
end

begin "enveloped-data to us, an attachment inside: Decrypted, the text and the attachment shown as a MIME tree; nothing written to TMPDIR"
{
  printf 'Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe S/MIME secret.\r\n'
  printf -- '--in\r\nContent-Type: application/pdf; name=plan.pdf\r\nContent-Disposition: attachment; filename=plan.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--in--\r\n'
} > "$W/inner.txt"
gpgsm --homedir "$W/alice" --batch -r bob@example.org --encrypt -o "$W/inner.p7m" "$W/inner.txt" 2>/dev/null
pkcs7 enveloped-data "$W/enveloped.eml"
render_as bob "$W/enveloped.eml"
expect_out "[-- Decrypted (encrypted for "
expect_out "The S/MIME secret."
expect_out "plan.pdf"
expect_out "[-- End of decrypted data --]"
[ -z "$(ls -A "$W/tmp")" ] || bad "files left in TMPDIR: $(ls -A "$W/tmp")"
end

begin "enveloped-data for someone else: Cannot decrypt: no secret key"
render_as alice "$W/enveloped.eml"
expect_out "[-- Cannot decrypt: no secret key for "
expect_out_not "The S/MIME secret"
end
