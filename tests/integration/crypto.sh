# OpenPGP in tern render (PGP/MIME, RFC 3156) with throwaway GnuPG homes made
# here: a good signature (only the signed part inside the status block), a
# tampered body, an unknown key, a signer who is not the From address, a
# message encrypted to us, one for someone else, and one whose key needs a
# passphrase while nothing may ask. The gpg-agents these homes start are
# stopped at the end (gpgconf --kill, per home).
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/keys.sh
. "$(dirname "$0")/../keys.sh"

W=$TERN_TEST_TMP/crypto-work
for h in "$W"/*/; do [ -d "$h" ] && gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done  # an earlier run's
rm -rf "$W"; mkdir -p "$W/tmp"
export TMPDIR=$W/tmp
homes="$W/alice $W/bob $W/carol"
stop_agents() { for h in $homes; do gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done; }
trap 'stop_agents; report' EXIT

newhome() {  # newhome NAME "User <addr>" [PASSPHRASE]: a home with a key; prints its fingerprint
  pgp_home "$W/$1" "$2" "${3:-}"
  pgp_id "$W/$1" fpr
}
ALICE=$(newhome alice "Alice Example <alice@example.org>")
BOB=$(newhome bob "Bob Other <bob@example.org>")
CAROL=$(newhome carol "Carol Locked <carol@example.org>" "carol's passphrase")
gpgconf --homedir "$W/carol" --kill gpg-agent >/dev/null 2>&1   # forget the passphrase it was given
# alice knows bob's and carol's public keys (to encrypt to them), not the other way round
gpg --homedir "$W/bob" --export --armor | gpg --homedir "$W/alice" --batch --import >/dev/null 2>&1
gpg --homedir "$W/carol" --export --armor | gpg --homedir "$W/alice" --batch --import >/dev/null 2>&1
[ -n "$ALICE" ] && [ -n "$BOB" ] && [ -n "$CAROL" ] || echo "FAIL making the GnuPG homes"

# signed FROM HOME FILE: a multipart/mixed with a PGP/MIME signed part and an unsigned list footer
signed() {
  local part=$W/part.txt
  printf 'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nThe signed text.\r\nSecond line.' > "$part"
  rm -f "$part.asc"
  gpg --homedir "$W/$2" --batch --armor --detach-sign --digest-algo SHA256 -o "$part.asc" "$part" 2>/dev/null
  {
    printf 'From: %s\nTo: list@example.org\nSubject: signed\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n' "$1"
    printf -- '--outer\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary=sig\n\n'
    printf -- '--sig\n'; tr -d '\r' < "$part"; printf '\n--sig\nContent-Type: application/pgp-signature; name=signature.asc\n\n'
    cat "$part.asc"; printf -- '--sig--\n\n--outer\nContent-Type: text/plain\n\nA list footer, not signed.\n--outer--\n'
  } > "$3"
}
# encrypted RECIPIENT FILE: PGP/MIME encrypted (by alice's home) to RECIPIENT's key
encrypted() {
  printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nThe secret text, caf\303\251.\n' > "$W/inner.txt"
  rm -f "$W/inner.asc"
  gpg --homedir "$W/alice" --batch --trust-model always --armor --encrypt -r "$1" -o "$W/inner.asc" "$W/inner.txt" 2>/dev/null
  {
    printf 'From: Alice Example <alice@example.org>\nTo: x@example.org\nSubject: encrypted\nMIME-Version: 1.0\n'
    printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=enc\n\n'
    printf -- '--enc\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--enc\nContent-Type: application/octet-stream; name=encrypted.asc\n\n'
    cat "$W/inner.asc"; printf -- '--enc--\n'
  } > "$2"
}
render_as() { GNUPGHOME=$W/$1 run_tern render "$2" < /dev/null; }

begin "a good PGP/MIME signature: 'Good signature from NAME <ADDR>' with key and trust (full: our own key); only the signed part is inside the block"
signed "Alice Example <alice@example.org>" alice "$W/good.eml"
render_as alice "$W/good.eml"
expect_rc 0
[ -z "$ERR" ] || bad "gpg wrote to stderr (it would land on the reader's screen): $ERR"
expect_out "[-- Good signature from Alice Example <alice@example.org> (key $ALICE, trust full) --]"
printf '%s\n' "$OUT" | awk '/Begin signed data/ { b = NR } /The signed text/ { t = NR } /End of signed data/ { e = NR } /A list footer/ { f = NR }
  END { exit !(b && b < t && t < e && e < f) }' || bad "the footer is not outside the signed block: $OUT"
end

begin "a changed body: BAD signature"
sed 's/The signed text/The signed tExt/' "$W/good.eml" > "$W/bad.eml"
render_as alice "$W/bad.eml"
expect_out "[-- BAD signature from Alice Example <alice@example.org> (key $ALICE): the signed text was changed --]"
expect_out_not "Good signature"
end

begin "a key we do not have: Signature not verified: no public key KEYID"
signed "Bob Other <bob@example.org>" bob "$W/unknown.eml"
render_as carol "$W/unknown.eml"
expect_out "[-- Signature not verified: no public key $BOB --]"
end

begin "a signer who is not the From address is named"
signed "Mallory <mallory@example.org>" alice "$W/mallory.eml"
render_as alice "$W/mallory.eml"
expect_out "[-- Good signature from Alice Example <alice@example.org>"
expect_out "[-- Signer alice@example.org does not match the From address mallory@example.org --]"
end

begin "encrypted to a key we hold: decrypted in memory and rendered; nothing left in TMPDIR"
encrypted bob "$W/to-bob.eml"
render_as bob "$W/to-bob.eml"
expect_rc 0
expect_out "[-- Decrypted (encrypted for "
expect_out "The secret text, café."
expect_out "[-- End of decrypted data --]"
[ -z "$(ls -A "$W/tmp")" ] || bad "files left in TMPDIR: $(ls -A "$W/tmp")"
end

begin "encrypted for someone else: Cannot decrypt: no secret key for KEYID"
render_as alice "$W/to-bob.eml"
expect_rc 0
expect_out "[-- Cannot decrypt: no secret key for "
expect_out_not "The secret text"
end

begin "a key that needs its passphrase, stdin not a terminal: no prompt, Cannot decrypt"
encrypted carol "$W/to-carol.eml"
render_as carol "$W/to-carol.eml"
expect_rc 0
expect_out "[-- Cannot decrypt: "
expect_out_not "The secret text"
end

# inline OpenPGP in a latin-1 text/plain part, as Enigmail and older mutts send it
inline_signed() {  # inline_signed FILE
  printf 'Caf\351 at noon, signed inline.\n' > "$W/inline.txt"
  rm -f "$W/inline.txt.asc"
  gpg --homedir "$W/alice" --batch --clearsign --digest-algo SHA256 -o "$W/inline.txt.asc" "$W/inline.txt" 2>/dev/null
  { printf 'From: Alice Example <alice@example.org>\nSubject: inline\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n'
    printf 'Content-Transfer-Encoding: 8bit\n\nHello,\n'; cat "$W/inline.txt.asc"; printf -- '-- \nA footer outside.\n'; } > "$1"
}

begin "inline clear-signed text in latin-1: checked, shown in UTF-8, the text around it outside the block"
inline_signed "$W/inline.eml"
render_as alice "$W/inline.eml"
expect_rc 0
expect_out "Hello,
[-- Good signature from Alice Example <alice@example.org> (key $ALICE, trust full) --]
[-- Begin signed data --]
Café at noon, signed inline.
[-- End of signed data --]"
expect_out "A footer outside."
end

begin "inline clear-signed text changed on the way: BAD signature"
sed 's/at noon/at nine/' "$W/inline.eml" > "$W/inline-bad.eml"
render_as alice "$W/inline-bad.eml"
expect_out "[-- BAD signature from Alice Example <alice@example.org>"
end

begin "an inline encrypted block: decrypted in memory; for someone else: Cannot decrypt"
printf 'Inline secret.\n' | gpg --homedir "$W/alice" --batch --trust-model always --armor --encrypt -r "$BOB" 2>/dev/null > "$W/inline.asc"
{ printf 'From: Alice Example <alice@example.org>\nSubject: inline encrypted\n\nSee below.\n'; cat "$W/inline.asc"; } > "$W/inline-enc.eml"
render_as bob "$W/inline-enc.eml"
expect_out "See below.
[-- Decrypted (encrypted for "
expect_out "Inline secret.
[-- End of decrypted data --]"
render_as alice "$W/inline-enc.eml"
expect_out "[-- Cannot decrypt: no secret key for "
expect_out_not "Inline secret."
end
