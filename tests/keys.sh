# Keys for tests, in throwaway GnuPG homes. Source it:
#   pgp_home HOME "User <addr>" [PASSPHRASE]   a new home with that OpenPGP key
#   pgp_id HOME fpr|sub                      its key's fingerprint, or its encryption subkey's id
# S/MIME: a throwaway CA made with openssl, and gpgsm homes whose key (no
# passphrase) gpgsm makes and the CA certifies:
#   smime_ca DIR                    the CA in DIR/ca.pem, DIR/ca.key
#   smime_home HOME CA_DIR "CN" EMAIL   a home trusting the CA, with that key and certificate
# The homes' gpg-agents are the caller's to stop (gpgconf --homedir HOME --kill gpg-agent).
# SMIME_DAYS: how long the CA and certificates are valid (default 30).

smime_ca() {
  mkdir -p "$1"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" -out "$1/ca.pem" -days "${SMIME_DAYS:-30}" -subj "/CN=Tern Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
}

smime_home() {
  local home=$1 ca=$2 cn=$3 email=$4 fpr
  mkdir -p -m 700 "$home"
  # no CRL or OCSP server here: the CA is trusted as it stands
  printf 'disable-crl-checks\ndisable-policy-checks\n' > "$home/gpgsm.conf"
  printf 'Key-Type: RSA\nKey-Length: 2048\nKey-Usage: sign, encrypt\nName-DN: CN=%s\nName-Email: %s\n' "$cn" "$email" > "$home/key.batch"
  # an empty passphrase through loopback: the key is left unprotected
  gpgsm --homedir "$home" --batch --armor --pinentry-mode loopback --passphrase-fd 3 --gen-key -o "$home/key.csr" "$home/key.batch" \
    3< <(printf '\n') >/dev/null 2>&1
  printf 'subjectAltName=email:%s\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nbasicConstraints=CA:FALSE\n' \
    "$email" > "$home/ext.cnf"
  openssl x509 -req -in "$home/key.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out "$home/cert.pem" -days "${SMIME_DAYS:-30}" \
    -extfile "$home/ext.cnf" >/dev/null 2>&1
  gpgsm --homedir "$home" --batch --import "$ca/ca.pem" "$home/cert.pem" >/dev/null 2>&1
  fpr=$(gpgsm --homedir "$home" --with-colons --list-keys "Tern Test CA" 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }')
  echo "$fpr S relax" > "$home/trustlist.txt"
}

pgp_home() {
  mkdir -m 700 "$1"
  gpg --homedir "$1" --batch --pinentry-mode loopback --passphrase "${3:-}" --quick-gen-key "$2" default default never >/dev/null 2>&1
}

pgp_id() {
  gpg --homedir "$1" --batch --with-colons --list-keys 2>/dev/null |
    awk -F: -v want="$2" 'want == "fpr" && /^fpr/ { print $10; exit } want == "sub" && /^sub/ { print $5; exit }'
}
