# The signed and encrypted corpus (tests/corpus/crypto, made by its make.sh):
# each NAME.eml, rendered by tern render with the corpus keys (alice's secret
# key, trusted ultimately as one's own; the public keys of a key that has
# expired and one revoked; the S/MIME CA), prints exactly the reviewed
# NAME.txt. UPDATE=1 writes the .txt files instead (review them before
# committing).
. "$(dirname "$0")/../lib.sh"

C=tests/corpus/crypto
W=$TERN_TEST_TMP/crypto-corpus
[ -d "$W/gnupg" ] && gpgconf --homedir "$W/gnupg" --kill gpg-agent >/dev/null 2>&1
rm -rf "$W"; mkdir -p "$W/tmp"
mkdir -m 700 "$W/gnupg"
export TMPDIR=$W/tmp
trap 'gpgconf --homedir "$W/gnupg" --kill gpg-agent >/dev/null 2>&1; report' EXIT
G="gpg --homedir $W/gnupg --batch"
$G --import "$C/keys/alice.sec.asc" "$C/keys/expired.pub.asc" "$C/keys/revoked.pub.asc" >/dev/null 2>&1
alice=$($G --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }')
echo "$alice:6:" | $G --import-ownertrust >/dev/null 2>&1
printf 'disable-crl-checks\ndisable-policy-checks\n' > "$W/gnupg/gpgsm.conf"
gpgsm --homedir "$W/gnupg" --batch --import "$C/keys/smime-ca.pem" >/dev/null 2>&1
ca=$(gpgsm --homedir "$W/gnupg" --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }')
echo "$ca S relax" > "$W/gnupg/trustlist.txt"

for eml in "$C"/*.eml; do
  name=$(basename "$eml" .eml)
  begin "corpus $name renders as reviewed"
  GNUPGHOME=$W/gnupg run_tern render "$eml" < /dev/null
  expect_rc 0
  [ -z "$ERR" ] || bad "stderr: $ERR"
  if [ "${UPDATE:-}" = 1 ]; then
    printf '%s\n' "$OUT" > "$C/$name.txt"
  elif [ "$OUT" != "$(cat "$C/$name.txt" 2>/dev/null)" ]; then
    bad "differs from $C/$name.txt: $(diff <(printf '%s\n' "$OUT") "$C/$name.txt" | head -20)"
  fi
  end
done
[ -z "$(ls -A "$W/tmp")" ] || echo "FAIL files left in TMPDIR: $(ls -A "$W/tmp")"
