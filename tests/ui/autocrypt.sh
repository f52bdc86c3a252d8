# Autocrypt Level 1 between two tern users on the real servers of the
# "hooks" instance (bob and dave), each with an empty GnuPG keyring of their
# own, so every key used is one Autocrypt made or harvested: bob's mail
# carries his Autocrypt header, dave's sync harvests it into the index
# database, dave's compose screen (tmux) recommends encryption and
# `tern send --autocrypt` encrypts to the harvested key; what bob's sync
# brings back, `tern render` decrypts with bob's Autocrypt key, and gpg
# itself (not tern) names the keys it is encrypted to.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/hooks
# shellcheck disable=SC1090
. "$SRV/ports"
CA=$SRV/tls/ca.pem
SPOOL=$SRV/spool
W=$T/autocrypt
stop_agents() { for h in "$W"/*/autocrypt/ "$W"/gpg-*/; do [ -d "$h" ] && gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done; }
stop_agents  # an earlier run's
rm -rf "$W"; mkdir -p "$W"
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"
trap 'cleanup_tmux; stop_agents; report' EXIT

for who in bob dave; do
  mkdir -p "$W/gpg-$who"; chmod 700 "$W/gpg-$who"  # the user's own keyring: empty
  cat > "$W/config-$who" <<EOF2
set check_interval = 600
set autocrypt = yes
set autocrypt_prefer_encrypt = yes
account $who {
    from = "${who^} <$who@example.org>"
    receive = imaps://$who@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtp://$who@127.0.0.1:$SAVED_SUBMISSION_PORT
    password_command = "printf %s ${who}pass"
    ca_file = $CA
    maildir = $W/mail-$who
}
EOF2
done
as() {  # as WHO ARGS...: tern as that user (own config, data and keyring)
  local who=$1; shift
  XDG_DATA_HOME=$W/data-$who GNUPGHOME=$W/gpg-$who HOME=$W run_tern -F "$W/config-$who" "$@"
}
spooled() { ls "$SPOOL"/*.eml 2>/dev/null | wc -l; }
last_spooled() { ls "$SPOOL"/*.eml | sort | tail -1; }
armored() { sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$1" | tr -d '\r'; }
TAG="autocrypt $$"
refused() {  # refused TO ERROR: dave's tern send --autocrypt to TO exits 1 saying ERROR, and sends nothing
  local before
  before=$(spooled)
  printf 'From: Dave <dave@example.org>\nTo: %s\nSubject: to %s\n\nx\n' "$1" "$1" > "$W/refused.eml"
  as dave send -a dave --autocrypt "$1" < "$W/refused.eml"
  expect_rc 1
  expect_err "$2"
  expect_err "nothing was sent"
  [ "$(spooled)" = "$before" ] || bad "something was sent to $1"
}

begin "mail from an account with autocrypt = yes carries its Autocrypt header and key (made on first use, in tern's own keyring)"
before=$(spooled)
printf 'From: Bob <bob@example.org>\nTo: dave@example.org\nSubject: hello %s\n\nHi Dave.\n' "$TAG" > "$W/hello.eml"
as bob send -a bob dave@example.org < "$W/hello.eml"
expect_rc 0
[ "$(spooled)" -gt "$before" ] || bad "nothing was sent: $ERR"
hello=$(last_spooled)
grep -q '^Autocrypt: addr=bob@example.org; prefer-encrypt=mutual; keydata=' "$hello" || bad "no Autocrypt header: $(head -5 "$hello")"
awk 'length($0) > 79 { bad = 1 } END { exit bad }' "$hello" || bad "a header line over 78 characters"
# the keydata, as another program reads it: an OpenPGP key for bob's address
python3 - "$hello" > "$W/bob-key.bin" <<'PY'
import base64, email, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'))
attrs = dict(a.strip().split('=', 1) for a in msg['Autocrypt'].split(';'))
sys.stdout.buffer.write(base64.b64decode(''.join(attrs['keydata'].split())))
PY
keys=$(gpg --homedir "$W/gpg-dave" --batch --with-colons --show-keys "$W/bob-key.bin" 2>/dev/null)
case "$keys" in *"<bob@example.org>"*) ;; *) bad "the keydata is not bob's key: $keys" ;; esac
case "$keys" in *"sub:"*":18:"*) ;; *) bad "the key has no Curve25519 encryption subkey: $keys" ;; esac
BOB_FPR=$(printf '%s\n' "$keys" | awk -F: '$1 == "fpr" { print $10; exit }')
BOB_SUB=$(printf '%s\n' "$keys" | awk -F: '$1 == "sub" { print $5; exit }')
[ -n "$BOB_SUB" ] || bad "bob's key has no subkey id"
gpg --homedir "$W/gpg-bob" --batch --list-keys 2>/dev/null | grep -q . && bad "the key went into the user's own keyring"
end

begin "dave's sync harvests bob's key; compose recommends encryption (both prefer it) and names the Autocrypt key"
as dave sync
expect_rc 0
printf '#!/bin/sh\nprintf "A reply.\\n" >> "$1"\n' > "$W/editor.sh"; chmod 755 "$W/editor.sh"
TM new-session -d -s ui -x 120 -y 30 "XDG_DATA_HOME=$W/data-dave GNUPGHOME=$W/gpg-dave HOME=$W TERM=xterm-256color EDITOR=$W/editor.sh $TERN -F $W/config-dave; sleep 600"
wait_for "dave/INBOX" 30
keys m; wait_for "To:"; keys "bob@example.org" Enter
wait_for "Subject:"; keys "re $TAG" Enter
wait_for "compose (y sends" 10
wait_for "Autocrypt: encrypt" 10
expect_screen "Security: Sign, Encrypt (PGP/MIME, Autocrypt keys)"
expect_screen "Key of: bob@example.org = ${BOB_FPR: -16}, trust autocrypt"
keys c; keys "carol@example.org" Enter   # nobody Autocrypt knows: the recommendation falls to disable
wait_for "Autocrypt: disable" 10
keys p; wait_for "a(u)tocrypt" 5
keys u
wait_for "Problem: no Autocrypt key for carol@example.org" 10
keys q; wait_for "Abort" 5; keys y
end

begin "tern send --autocrypt: encrypted to bob's harvested key and dave's own, signed, with dave's header outside; no key, nothing sent"
printf 'From: Dave <dave@example.org>\nTo: bob@example.org\nSubject: secret %s\n\nThe autocrypt plan.\n' "$TAG" > "$W/secret.eml"
before=$(spooled)
as dave send -a dave --autocrypt bob@example.org < "$W/secret.eml"
expect_rc 0
[ "$(spooled)" -gt "$before" ] || bad "nothing was sent: $ERR"
secret=$(last_spooled)
grep -q 'multipart/encrypted; protocol="application/pgp-encrypted"' "$secret" || bad "not PGP/MIME encrypted"
grep -q 'The autocrypt plan' "$secret" && bad "plaintext went out"
grep -q '^Autocrypt: addr=dave@example.org' "$secret" || bad "no Autocrypt header of dave's"
ids=$(armored "$secret" | gpg --homedir "$W/gpg-dave" --batch --list-packets 2>&1 | sed -n 's/.*pubkey enc packet.*keyid \([0-9A-F]*\).*/\1/p' | sort -u)
[ "$(printf '%s\n' "$ids" | grep -c .)" = 2 ] || bad "encrypted to these keys, not two (bob's and dave's): $ids"
case "$ids" in *"$BOB_SUB"*) ;; *) bad "not encrypted to bob's Autocrypt subkey $BOB_SUB: $ids" ;; esac
refused "carol@example.org" "no Autocrypt key for carol@example.org"
end

begin "a header whose key data is no key: harvested as sent, then named when mail to it would be encrypted; nothing sent"
printf 'From: Eve <eve@example.org>\nTo: dave@example.org\nDate: %s\nSubject: bad key %s\nAutocrypt: addr=eve@example.org; keydata=bm90IGEga2V5IGF0IGFsbA==\n\nx\n' \
  "$(date -R)" "$TAG" > "$W/eve.eml"
IMAP_CLIENT_LOGIN=dave:davepass python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" append INBOX "$W/eve.eml" || bad "cannot append"
as dave sync
expect_rc 0
refused "eve@example.org" "the Autocrypt key of eve@example.org: the key data holds no usable OpenPGP key"
end

begin "bob's sync brings it back; tern render decrypts it with bob's Autocrypt key and verifies dave's signature with the key his header carried"
as bob sync
expect_rc 0
got=$(grep -rlsF "Subject: secret $TAG" "$W/mail-bob" | head -1)
[ -n "$got" ] || bad "the message did not arrive in bob's maildir"
as bob render "$got"
expect_rc 0
expect_out "Decrypted (encrypted for"
expect_out "The autocrypt plan."
expect_out "Good signature from <dave@example.org>"   # dave's key, from his header, verifies it
as bob render "$secret"
expect_out "The autocrypt plan."
# the user's own keyring alone cannot read it
XDG_DATA_HOME=$W/data-bob GNUPGHOME=$W/gpg-bob HOME=$W run_tern render "$got"
expect_out "Cannot decrypt"
end

begin "bob's reader: the pager decrypts it and verifies dave's signature the same way"
cleanup_tmux
TM new-session -d -s ui -x 100 -y 30 "XDG_DATA_HOME=$W/data-bob GNUPGHOME=$W/gpg-bob HOME=$W TERM=xterm-256color $TERN -F $W/config-bob; sleep 600"
wait_for "bob/INBOX" 30
keys l; keys C-u "~s \"secret $TAG\"" Enter
wait_for "Lim:1" 10
keys Enter
wait_for "Decrypted (encrypted for" 15
expect_screen "Good signature from <dave@example.org>"
expect_screen "The autocrypt plan."
keys q; keys q; keys y
end
