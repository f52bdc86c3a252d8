#!/usr/bin/env bash
# How the signed and encrypted corpus was made (run once; the files are kept,
# with their reviewed renderings, so a new run makes other signatures and the
# .txt files must be reviewed again). Throwaway identities only: the secret
# keys in keys/ protect nothing. tests/integration/crypto-corpus.sh renders
# every NAME.eml here with the keys of keys/ and compares it with NAME.txt.
#
#   bash tests/corpus/crypto/make.sh        (writes into tests/corpus/crypto)
set -eu
OUT=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d)
trap 'for h in "$W"/*/; do gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done; rm -rf "$W"' EXIT
mkdir -p "$OUT/keys"

home() { mkdir -m 700 "$W/$1"; }
key() {  # key HOME "User <addr>" [EXPIRY]
  gpg --homedir "$W/$1" --batch --pinentry-mode loopback --passphrase '' --quick-gen-key "$2" default default "${3:-never}" >/dev/null 2>&1
}
for h in alice mallory expired revoked; do home $h; done
key alice "Alice Example <alice@example.org>"
key mallory "Mallory Unknown <mallory@example.org>"
key expired "Eve Expired <eve@example.org>" seconds=3
key revoked "Rex Revoked <rex@example.org>"
g() { local h=$1; shift; gpg --homedir "$W/$h" --batch --pinentry-mode loopback --passphrase '' "$@"; }

# sigpart HOME PART OUT: a detached armored signature (SHA256) over PART's CRLF form
sigpart() {
  python3 -c 'import sys; d = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"); open(sys.argv[2], "wb").write(d)' "$2" "$W/canon"
  g "$1" --armor --digest-algo SHA256 --detach-sign -o "$3" --yes "$W/canon"
}
# signed FROM HOME PART FOOTER: PGP/MIME signed PART, in a multipart/mixed with an unsigned FOOTER when given
signed() {
  local b=sig-$RANDOM
  sigpart "$2" "$3" "$W/sig.asc"
  printf 'From: %s\nTo: list@example.org\nSubject: %s\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <%s@corpus.example>\nMIME-Version: 1.0\n' \
    "$1" "$5" "$RANDOM"
  if [ -n "$4" ]; then printf 'Content-Type: multipart/mixed; boundary=outer\n\n--outer\n'; fi
  printf 'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="%s"\n\n' "$b"
  printf 'This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\n--%s\n' "$b"
  cat "$3"; printf '\n--%s\nContent-Type: application/pgp-signature; name="signature.asc"\nContent-Description: OpenPGP digital signature\n\n' "$b"
  cat "$W/sig.asc"; printf -- '--%s--\n' "$b"
  if [ -n "$4" ]; then printf '\n--outer\nContent-Type: text/plain; charset=us-ascii\n\n%s\n--outer--\n' "$4"; fi
}
printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nThe meeting is at noon, caf=C3=A9 on the corner.\n=46rom there we walk.' > "$W/part.txt"

signed "Alice Example <alice@example.org>" alice "$W/part.txt" "-- list footer, added by the list, not signed" "PGP/MIME signed, a list footer outside" > "$OUT/pgp-good.eml"
sed 's/at noon/at nine/' "$OUT/pgp-good.eml" > "$OUT/pgp-tampered.eml"
sed -i 's/^Subject: .*/Subject: PGP\/MIME signed, its text changed afterwards/' "$OUT/pgp-tampered.eml"
signed "Mallory Unknown <mallory@example.org>" mallory "$W/part.txt" "" "signed by a key we do not have" > "$OUT/pgp-unknown-key.eml"
signed "Bob Pretender <bob@example.org>" alice "$W/part.txt" "" "signed by alice, From says bob" > "$OUT/pgp-signer-mismatch.eml"
signed "Eve Expired <eve@example.org>" expired "$W/part.txt" "" "signed by a key that has expired since" > "$OUT/pgp-expired-key.eml"
signed "Rex Revoked <rex@example.org>" revoked "$W/part.txt" "" "signed by a key revoked since" > "$OUT/pgp-revoked-key.eml"
# a relay that turned the quoted-printable part into 8bit: the signature no longer holds
python3 - "$OUT/pgp-good.eml" > "$OUT/pgp-relay-8bit.eml" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t.replace("Content-Transfer-Encoding: quoted-printable\n\nThe meeting is at noon, caf=C3=A9 on the corner.\n=46rom there we walk.",
              "Content-Transfer-Encoding: 8bit\n\nThe meeting is at noon, caf\u00e9 on the corner.\nFrom there we walk.")
t = t.replace("Subject: PGP/MIME signed, a list footer outside", "Subject: a relay re-encoded the signed part to 8bit")
sys.stdout.write(t)
PY
# mutt's layout: the signed part inline, the signature described as mutt does
{
  printf 'Content-Type: text/plain; charset=us-ascii\nContent-Disposition: inline\n\nWritten in mutt.\n' > "$W/mutt.txt"
  sigpart alice "$W/mutt.txt" "$W/sig.asc"
  printf 'From: Alice Example <alice@example.org>\nTo: bob@example.org\nSubject: as mutt signs\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <mutt@corpus.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/signed; micalg=pgp-sha256;\n\tprotocol="application/pgp-signature"; boundary="Zm9vYmFy"\nContent-Disposition: inline\n\n\n--Zm9vYmFy\n'
  cat "$W/mutt.txt"; printf '\n--Zm9vYmFy\nContent-Type: application/pgp-signature; name="signature.asc"\nContent-Description: Digital signature\n\n'
  cat "$W/sig.asc"; printf -- '\n--Zm9vYmFy--\n'
} > "$OUT/mutt-signed.eml"
# Enigmail's inline clear-signing in ISO-8859-1 (Thunderbird before 78)
printf 'Gr\xfc\xdfe aus K\xf6ln.\nZweite Zeile.\n' > "$W/latin1.txt"
g alice --clearsign --digest-algo SHA256 -o "$W/latin1.asc" --yes "$W/latin1.txt"
{
  printf 'From: Alice Example <alice@example.org>\nTo: bob@example.org\nSubject: inline clear-signed, latin-1 (Enigmail)\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <enigmail@corpus.example>\n'
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\nX-Enigmail-Version: 2.0.12\n\nText before the block.\n'
  cat "$W/latin1.asc"; printf 'Text after the block, not signed.\n'
} > "$OUT/inline-latin1-enigmail.eml"
# encrypted (and signed inside) to alice, with an attachment in the encrypted tree
{
  printf 'Content-Type: multipart/mixed; boundary=inner\n\n--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nThe plan is attached, d\303\251j\303\240 vu.\n'
  printf -- '--inner\nContent-Type: application/pdf; name="plan.pdf"\nContent-Disposition: attachment; filename="plan.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCg==\n--inner--\n'
} > "$W/inner.txt"
g alice --export --armor > "$W/alice.pub"
g alice --trust-model always --armor --sign --encrypt -r alice@example.org -o "$W/enc.asc" --yes "$W/inner.txt"
g mallory --trust-model always --armor --encrypt -r mallory@example.org -o "$W/enc-m.asc" --yes "$W/inner.txt"
encrypted() {  # encrypted SUBJECT ARMOR
  printf 'From: Alice Example <alice@example.org>\nTo: alice@example.org\nSubject: %s\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <%s@corpus.example>\nMIME-Version: 1.0\n' "$1" "$RANDOM"
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"\n\nThis is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\n'
  printf -- '--enc\nContent-Type: application/pgp-encrypted\nContent-Description: PGP/MIME version identification\n\nVersion: 1\n\n'
  printf -- '--enc\nContent-Type: application/octet-stream; name="encrypted.asc"\nContent-Disposition: inline; filename="encrypted.asc"\n\n'
  cat "$2"; printf -- '--enc--\n'
}
encrypted "encrypted and signed, an attachment inside" "$W/enc.asc" > "$OUT/pgp-encrypted-attachment.eml"
encrypted "encrypted for a key we do not have" "$W/enc-m.asc" > "$OUT/pgp-no-secret-key.eml"

# the keys the renderings are made with: alice's secret key, the public keys of the expired and revoked ones
g alice --export-secret-keys --armor > "$OUT/keys/alice.sec.asc"
g expired --export --armor > "$OUT/keys/expired.pub.asc"
g revoked --export --armor > "$OUT/keys/revoked.pub.asc"
# gpg made a revocation certificate with the key; its first line is guarded with a ':'
fpr=$(g revoked --with-colons --list-keys | awk -F: '/^fpr/ { print $10; exit }')
sed 's/^:-----BEGIN/-----BEGIN/' "$W/revoked/openpgp-revocs.d/$fpr.rev" | g revoked --import >/dev/null 2>&1
g revoked --export --armor > "$OUT/keys/revoked.pub.asc"
sleep 4   # the expired key expires

# S/MIME: a CA (100 years) and alice's certificate; signed detached (Thunderbird) and opaque (Outlook's x- names)
. "$OUT/../../keys.sh"
export SMIME_DAYS=36500
smime_ca "$W/ca"
smime_home "$W/sm" "$W/ca" "Alice Example" alice@example.org
cp "$W/ca/ca.pem" "$OUT/keys/smime-ca.pem"
printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned with S/MIME, as Thunderbird does.\r\n' > "$W/sm.txt"
head -c -2 "$W/sm.txt" > "$W/sm.canon"
gpgsm --homedir "$W/sm" --batch -u alice@example.org --detach-sign -o "$W/sm.sig" "$W/sm.canon" 2>/dev/null
{
  printf 'From: Alice Example <alice@example.org>\nTo: bob@example.org\nSubject: S/MIME detached signature (Thunderbird)\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <smime-d@corpus.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;\n boundary="------------ms010203"\n\nThis is a cryptographically signed message in MIME format.\n\n--------------ms010203\n'
  tr -d '\r' < "$W/sm.canon"; printf '\n--------------ms010203\nContent-Type: application/pkcs7-signature; name="smime.p7s"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7s"\nContent-Description: S/MIME Cryptographic Signature\n\n'
  base64 -w 76 "$W/sm.sig"; printf '\n--------------ms010203--\n'
} > "$OUT/smime-detached-thunderbird.eml"
printf 'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nOpaque-signed, as Outlook does: caf=C3=A9.\r\n' > "$W/op.txt"
gpgsm --homedir "$W/sm" --batch -u alice@example.org --sign -o "$W/op.p7m" "$W/op.txt" 2>/dev/null
{
  printf 'From: Alice Example <alice@example.org>\nTo: bob@example.org\nSubject: S/MIME opaque-signed (Outlook)\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <smime-o@corpus.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: application/x-pkcs7-mime; smime-type=signed-data; name="smime.p7m"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7m"\n\n'
  base64 -w 76 "$W/op.p7m"
} > "$OUT/smime-opaque-outlook.eml"
echo "made $(ls "$OUT"/*.eml | wc -l) messages in $OUT; render them (tests/integration/crypto-corpus.sh UPDATE=1) and review the .txt files"
