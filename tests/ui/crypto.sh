# Signed and encrypted mail written in the reader (tmux) and carried by the
# real servers of the "hooks" instance, as the user "other" (hooks.sh reads
# testuser's mail): p in compose signs and encrypts (PGP/MIME), y sends
# through SMTP, the copy that arrives is read back over IMAP and verified and
# decrypted in tern's pager; gpg itself (not tern) decrypts what each
# recipient got with that recipient's key, and the Sent copy with the
# sender's. A Bcc recipient gets a copy of its own that names no one else's
# key. A recipient without a key is named before anything is sent, and
# nothing goes out. Throwaway GnuPG homes, their agents stopped at the end.
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/keys.sh
. "$(dirname "$0")/../keys.sh"

T=$TERN_TEST_TMP
SRV=$T/hooks
SAVED_IMAP_SERVER=dovecot
# shellcheck disable=SC1090
. "$SRV/ports"
CA=$SRV/tls/ca.pem
SPOOL=$SRV/spool
W=$T/crypto-ui
for h in "$W"/gpg-*/; do [ -d "$h" ] && gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done  # an earlier run's
rm -rf "$W"; mkdir -p "$W"
export XDG_DATA_HOME=$W/data HOME=$W
# shellcheck source=tests/tmux.sh
. "$(dirname "$0")/../tmux.sh"
stop_agents() { for h in "$W"/gpg-*/; do gpgconf --homedir "$h" --kill gpg-agent >/dev/null 2>&1; done; }
trap 'cleanup_tmux; stop_agents; report' EXIT

newhome() {  # newhome NAME "User <addr>": a home with a key (no passphrase); prints its encryption subkey's id
  pgp_home "$W/gpg-$1" "$2"
  pgp_id "$W/gpg-$1" sub
}
OTHER_SUB=$(newhome other "Other User <other@localhost>")
BOB_SUB=$(newhome bob "Bob Friend <bob@example.org>")
CAROL_SUB=$(newhome carol "Carol Hidden <carol@example.org>")
for who in bob carol; do
  gpg --homedir "$W/gpg-$who" --export --armor | gpg --homedir "$W/gpg-other" --batch --import >/dev/null 2>&1
done
[ -n "$OTHER_SUB" ] && [ -n "$BOB_SUB" ] && [ -n "$CAROL_SUB" ] || echo "FAIL making the GnuPG homes"
# S/MIME in the same homes (gpgsm's side of them), certified by a throwaway CA
smime_ca "$W/ca"
smime_home "$W/gpg-other" "$W/ca" "Other User" other@localhost
smime_home "$W/gpg-bob" "$W/ca" "Bob Friend" bob@example.org
gpgsm --homedir "$W/gpg-other" --batch --import "$W/gpg-bob/cert.pem" >/dev/null 2>&1

cat > "$W/config" <<EOF2
set check_interval = 600
account o {
    from = "Other User <other@localhost>"
    receive = imaps://other@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtp://other@127.0.0.1:$SAVED_SUBMISSION_PORT
    password_command = "printf %s otherpass"
    ca_file = $CA
    maildir = $W/mail
}
EOF2
# the editor writes a body a relay could change: a line starting "From ", one with a trailing blank
printf '#!/bin/sh\nprintf "The secret plan, caf\\303\\251.\\nFrom here on, trailing blank: \\n" >> "$1"\n' > "$W/editor.sh"
chmod 755 "$W/editor.sh"

start_tern() {
  cleanup_tmux
  TM new-session -d -s ui -x 120 -y 30 "GNUPGHOME=$W/gpg-other EDITOR=$W/editor.sh TERM=xterm-256color $TERN -F $1 2> $W/stderr; echo \$? > $W/exit; sleep 600"
}
spooled() { ls "$SPOOL"/*.eml 2>/dev/null | wc -l; }
wait_spooled() {  # wait_spooled COUNT: until that many messages are in the spool
  local i=0
  while [ "$(spooled)" -lt "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
}
# compose TO SUBJECT: m, the two prompts, the editor; the compose screen is up
compose() {
  keys m; wait_for "To:"; keys "$1" Enter
  wait_for "Subject:"; keys "$2" Enter
  wait_for "compose (y sends" 10
}
recipients_of() { python3 -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["rcpt_tos"]))' "${1%.eml}.json"; }
# decrypts_with HOME FILE: gpg (not tern) decrypts the armored part of a PGP/MIME message
decrypts_with() {
  sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$2" | tr -d '\r' |
    gpg --homedir "$W/gpg-$1" --batch --decrypt 2>/dev/null
}
keyids_of() {  # the key ids a PGP/MIME message is encrypted to
  sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$1" | tr -d '\r' |
    gpg --homedir "$W/gpg-bob" --batch --list-packets 2>&1 | sed -n 's/.*pubkey enc packet.*keyid \([0-9A-F]*\).*/\1/p' | tr '\n' ' '
}

begin "p b: signed and encrypted to To, Cc and yourself; a Bcc recipient gets a copy encrypted to them alone; the keys are shown before y"
start_tern "$W/config"
wait_for "o/INBOX" 30
before=$(spooled)
PLAN="secret plan $$"   # the server keeps an earlier run's mail
compose "Other User <other@localhost>" "$PLAN"
keys c; keys "Bob Friend <bob@example.org>" Enter
keys b; keys "carol@example.org" Enter
keys p
wait_for "(e)ncrypt, (s)ign"
keys b
wait_for "Security: Sign, Encrypt (PGP/MIME)" 10
expect_screen "Key of: bob@example.org"
expect_screen "Key of: carol@example.org"
expect_screen "Sign as: "
keys y
wait_spooled $((before + 2))
main=$(ls "$SPOOL"/*.eml | sort | sed -n "$((before + 1))p")
bcc=$(ls "$SPOOL"/*.eml | sort | sed -n "$((before + 2))p")
[ -n "$main" ] && [ -n "$bcc" ] || bad "two messages were not sent: $(spooled) in the spool, $before before"
case "$(recipients_of "$main")" in "other@localhost bob@example.org") ;; *) bad "the main copy went to: $(recipients_of "$main")" ;; esac
[ "$(recipients_of "$bcc")" = carol@example.org ] || bad "the Bcc copy went to: $(recipients_of "$bcc")"
grep -q 'multipart/encrypted; protocol="application/pgp-encrypted"' "$main" || bad "the main copy is not PGP/MIME encrypted"
grep -qi '^bcc:\|carol' "$main" && bad "the main copy names the Bcc recipient"
grep -q 'secret plan, caf' "$main" "$bcc" && bad "plaintext went out"
ids=$(keyids_of "$main")
case "$ids" in *"$BOB_SUB"*"$OTHER_SUB"*|*"$OTHER_SUB"*"$BOB_SUB"*) ;; *) bad "the main copy is not encrypted to bob and the sender: $ids" ;; esac
case "$ids" in *"$CAROL_SUB"*) bad "the main copy names the Bcc recipient's key: $ids" ;; esac
case "$(keyids_of "$bcc")" in *"$BOB_SUB"*) bad "the Bcc copy is encrypted to bob too" ;; *"$CAROL_SUB"*) ;; *) bad "the Bcc copy is not encrypted to carol" ;; esac
decrypts_with bob "$main" | grep -q "The secret plan, caf" || bad "bob's key does not decrypt what bob got"
decrypts_with carol "$bcc" | grep -q "The secret plan, caf" || bad "carol's key does not decrypt her copy"
decrypts_with bob "$bcc" | grep -q "secret plan" && bad "bob's key decrypts carol's copy"
end

begin "the Sent copy (one, not one per Bcc copy) decrypts with the sender's key"
sent_files=$(grep -rlsF "Subject: $PLAN" "$W/mail/Sent" | wc -l)
[ "$sent_files" = 1 ] || bad "$sent_files copies in Sent (want 1)"
sent=$(grep -rlsF "Subject: $PLAN" "$W/mail/Sent" | head -1)
[ -n "$sent" ] && decrypts_with other "$sent" | grep -q "The secret plan, caf" || bad "the Sent copy does not decrypt with the sender's key"
end

begin "what arrived, read back over IMAP: decrypted and verified in the pager, with the trailing-blank and 'From ' lines intact"
keys '$'
wait_for "$PLAN" 30
keys l; keys C-u "~s \"$PLAN\"" Enter
wait_for "Lim:1" 10
keys Enter
wait_for "Decrypted (encrypted for" 15
expect_screen "Good signature from Other User <other@localhost>"
expect_screen "The secret plan, café."
expect_screen "From here on, trailing blank:"
keys q
# the index's full-text search holds no plaintext of encrypted mail
keys l; keys C-u "~b \"secret plan, caf\"" Enter
wait_for "Lim:0" 10
keys l; keys C-u "all" Enter
end

begin "index_decrypted = yes: ~b finds the plaintext of encrypted mail (tern sync, tern ls); off (the default) it finds nothing of it"
sed -e "s|maildir = $W/mail|maildir = $W/mail-indexed|" "$W/config" > "$W/config-indexed"
printf 'set index_decrypted = yes\n' >> "$W/config-indexed"
XDG_DATA_HOME=$W/data-indexed GNUPGHOME=$W/gpg-other run_tern -F "$W/config-indexed" sync
expect_rc 0
XDG_DATA_HOME=$W/data-indexed GNUPGHOME=$W/gpg-other run_tern -F "$W/config-indexed" ls INBOX -l '~b "secret plan, caf"'
expect_out "$PLAN"
GNUPGHOME=$W/gpg-other run_tern -F "$W/config" ls INBOX -l '~b "secret plan, caf"'
expect_out_not "$PLAN"
[ -e "$W/data/tern/index/o.sqlite-wal" ] || bad "tern ls beside the reader took the reader's WAL away"
end

begin "a recipient without a key: named on the compose screen, y refuses, nothing is sent"
before=$(spooled)
compose "dave@example.org" "no key for dave"
keys p; wait_for "(e)ncrypt, (s)ign"; keys e
wait_for "no OpenPGP key for dave@example.org" 10
keys y
wait_for "Cannot encrypt: no OpenPGP key for dave@example.org" 10
sleep 1
[ "$(spooled)" = "$before" ] || bad "something was sent"
expect_screen "compose (y sends"
end

begin "P keeps a message to be encrypted in Drafts encrypted to us alone (and its choice); R decrypts it back, body, Bcc and all"
keys b; keys "carol@example.org" Enter
keys P
wait_for "postponed to Drafts" 10
draft=$(grep -rlsF "Subject: no key for dave" "$W/mail/Drafts" | head -1)
[ -n "$draft" ] || bad "no draft in Drafts"
grep -q 'The secret plan' "$draft" && bad "the draft holds the plaintext"
grep -q '^X-Tern-Security: encrypt; pgp' "$draft" || bad "the draft does not say it is to be encrypted"
grep -q '^Bcc: carol@example.org' "$draft" || bad "the draft lost its Bcc"
case "$(keyids_of "$draft")" in "$OTHER_SUB ") ;; *) bad "the draft is not encrypted to us alone: $(keyids_of "$draft")" ;; esac
keys R
wait_for "Subject: no key for dave" 10
expect_screen "Security: Encrypt (PGP/MIME)"
expect_screen "Bcc: carol@example.org"
keys p; wait_for "(e)ncrypt, (s)ign"; keys c
wait_for "Security: None" 10
keys y
wait_spooled $((before + 1))
cleared=$(ls "$SPOOL"/*.eml | sort | sed -n "$((before + 1))p")
grep -q "The secret plan" "$cleared" || bad "the recalled body did not come back: $(cat "$cleared")"
[ "$(recipients_of "$cleared")" = "dave@example.org carol@example.org" ] || bad "sent to: $(recipients_of "$cleared")"
end

begin "S b: S/MIME signed and encrypted (enveloped-data around a multipart/signed); gpgsm with bob's key decrypts it, the Sent copy reads with ours"
before=$(spooled)
compose "Bob Friend <bob@example.org>" "smime plan $$"
keys S
wait_for "S/MIME (e)ncrypt, (s)ign"
keys b
wait_for "Security: Sign, Encrypt (S/MIME)" 10
expect_screen "Key of: bob@example.org"
keys y
wait_spooled $((before + 1))
got=$(ls "$SPOOL"/*.eml | sort | tail -1)
grep -q 'application/pkcs7-mime; smime-type=enveloped-data' "$got" || bad "not S/MIME enveloped-data"
grep -q 'secret plan' "$got" && bad "plaintext went out"
sed '1,/^\r\{0,1\}$/d' "$got" | tr -d '\r' | base64 -d > "$W/got.p7m" 2>/dev/null
inner=$(gpgsm --homedir "$W/gpg-bob" --batch --decrypt "$W/got.p7m" 2>/dev/null)
case "$inner" in *'application/pkcs7-signature'*) ;; *) bad "what bob decrypts is not S/MIME signed: $inner" ;; esac
GNUPGHOME=$W/gpg-bob run_tern render "$got" < /dev/null
expect_out "[-- Decrypted (encrypted for"
expect_out "[-- Good signature from Other User <other@localhost>"
expect_out "The secret plan, café."
sent=$(grep -rlsF "Subject: smime plan $$" "$W/mail/Sent" | head -1)
[ -n "$sent" ] || bad "no Sent copy"
GNUPGHOME=$W/gpg-other run_tern render "$sent" < /dev/null
expect_out "The secret plan, café."
end

begin "a key that needs its passphrase: the reader hands the screen to gpg-agent's pinentry (curses), then shows the decrypted text"
pgp_home "$W/gpg-locked" "Other Locked <other@localhost>" "open sesame"
printf 'pinentry-program /usr/bin/pinentry-curses\n' > "$W/gpg-locked/gpg-agent.conf"
gpgconf --homedir "$W/gpg-locked" --kill gpg-agent >/dev/null 2>&1   # forget the passphrase it was given
printf 'Content-Type: text/plain; charset=utf-8\n\nBehind a passphrase.\n' |
  gpg --homedir "$W/gpg-locked" --batch --trust-model always --armor --encrypt -r other@localhost > "$W/locked.asc" 2>/dev/null
{
  printf 'From: Bob Friend <bob@example.org>\nTo: other@localhost\nSubject: locked %s\nMessage-ID: <locked-%s@crypto.example>\nMIME-Version: 1.0\n' $$ $$
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=enc\n\n'
  printf -- '--enc\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--enc\nContent-Type: application/octet-stream\n\n'
  cat "$W/locked.asc"; printf -- '--enc--\n'
} > "$W/locked.eml"
IMAP_CLIENT_LOGIN=other:otherpass python3 tests/integration/imap_client.py "$SAVED_IMAPS_PORT" "$CA" append INBOX "$W/locked.eml" || bad "cannot append"
keys q; sleep 0.5
cleanup_tmux
TM new-session -d -s ui -x 100 -y 30 "GNUPGHOME=$W/gpg-locked TERM=xterm-256color $TERN -F $W/config 2> $W/stderr; sleep 600"
wait_for "o/INBOX" 30
keys '$'
wait_for "locked $$" 30
keys l; keys C-u "~s \"locked $$\"" Enter
wait_for "Lim:1" 10
keys Enter
wait_for "Passphrase:" 15
keys "open sesame" Enter
wait_for "Behind a passphrase." 15
expect_screen "Decrypted (encrypted for"
gpgconf --homedir "$W/gpg-locked" --kill gpg-agent >/dev/null 2>&1
end

begin "tern send --sign --encrypt -t: the same through the command line; the Bcc recipient's copy is their own; a missing key sends nothing"
cat > "$W/script.eml" <<'EOF2'
From: Other User <other@localhost>
To: Bob Friend <bob@example.org>
Bcc: carol@example.org
Subject: from a script

Scripted secret, 8-bit: café
From the script.
EOF2
before=$(spooled)
GNUPGHOME=$W/gpg-other run_tern -F "$W/config" send --sign --encrypt -t < "$W/script.eml"
expect_rc 0
wait_spooled $((before + 2))
main=$(ls "$SPOOL"/*.eml | sort | sed -n "$((before + 1))p")
bcc=$(ls "$SPOOL"/*.eml | sort | sed -n "$((before + 2))p")
[ "$(recipients_of "$main")" = bob@example.org ] || bad "the main copy went to: $(recipients_of "$main")"
[ "$(recipients_of "$bcc")" = carol@example.org ] || bad "the Bcc copy went to: $(recipients_of "$bcc")"
grep -qi '^bcc:\|carol' "$main" && bad "the main copy names the Bcc recipient"
decrypts_with bob "$main" | grep -q "Scripted secret, 8-bit: caf" || bad "bob cannot decrypt his copy"
decrypts_with carol "$bcc" | grep -q "Scripted secret" || bad "carol cannot decrypt hers"
before=$(spooled)
GNUPGHOME=$W/gpg-other run_tern -F "$W/config" send --encrypt dave@example.org < "$W/script.eml"
expect_rc 1
expect_err "tern send: Cannot encrypt: no OpenPGP key for dave@example.org; nothing was sent"
sleep 0.5
[ "$(spooled)" = "$before" ] || bad "something was sent"
# signing an 8-bit single part: encoded quoted-printable first, so the signature survives
GNUPGHOME=$W/gpg-other run_tern -F "$W/config" send --sign bob@example.org < "$W/script.eml"
expect_rc 0
wait_spooled $((before + 1))
signed=$(ls "$SPOOL"/*.eml | sort | tail -1)
grep -q '^=46rom the script' "$signed" || bad "the 'From ' line is not protected"
GNUPGHOME=$W/gpg-other run_tern render "$signed" < /dev/null
expect_out "[-- Good signature from Other User <other@localhost>"
expect_out "Scripted secret, 8-bit: café"
end

begin "a disk that fills between the copies of one message (the Bcc recipient's): none is queued, nothing sent, so sending again sends each once"
gcc -shared -fPIC -O2 -o "$W/enospc.so" tests/faults/enospc.c -ldl || bad "cannot build the shim"
sed -e "s|send = smtp://other@127.0.0.1:$SAVED_SUBMISSION_PORT|send = smtp://other@127.0.0.1:1|" "$W/config" > "$W/config-offline"
full() {  # full CONFIG BYTES [REPORT]: tern send --encrypt -t with BYTES of room in the outbox
  # the shim in tern alone (env after timeout): timeout's own exit would write the report again
  timeout 120 env XDG_DATA_HOME="$W/data-full" GNUPGHOME="$W/gpg-other" LD_PRELOAD="$W/enospc.so" ENOSPC_UNDER="$W/mail-full" ENOSPC_AFTER="$2" \
    ENOSPC_REPORT="${3:-}" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$TERN" -F "$1" send --encrypt -t < "$W/script.eml" > "$W/full.out" 2> "$W/full.err"
  RC=$? OUT=$(cat "$W/full.out") ERR=$(cat "$W/full.err")
}
sed -i "s|maildir = $W/mail\$|maildir = $W/mail-full|" "$W/config-offline"
sed -e "s|maildir = $W/mail\$|maildir = $W/mail-full|" "$W/config" > "$W/config-full"
full "$W/config-offline" 100000000 "$W/outbox-bytes"   # the size of both copies, measured (the server is not there: they wait)
total=$(cat "$W/outbox-bytes" 2>/dev/null || echo 0)
rm -rf "$W/mail-full" "$W/data-full"
[ "$total" -gt 1000 ] || bad "could not measure the copies: $total bytes"
before=$(spooled)
full "$W/config-full" $((total * 3 / 4))   # room for the first copy, not the second
expect_rc 1
expect_err "free some space"
[ -z "$(find "$W/mail-full/.outbox" -type f 2>/dev/null)" ] || bad "copies left in the outbox: $(find "$W/mail-full/.outbox" -type f)"
XDG_DATA_HOME=$W/data-full GNUPGHOME=$W/gpg-other run_tern -F "$W/config-full" sync
sleep 0.5
[ "$(spooled)" = "$before" ] || bad "a copy was sent: $(spooled) in the spool, $before before"
end

begin "crypt_autosign and crypt_opportunistic_encrypt: signed always, encrypted when every recipient has a key; a signed body in a relay-safe encoding"
cat >> "$W/config" <<'EOF2'
set crypt_autosign = yes
set crypt_opportunistic_encrypt = yes
EOF2
keys q; sleep 0.5
start_tern "$W/config"
wait_for "o/INBOX" 30
compose "bob@example.org" "opportunistic"
wait_for "Security: Sign, Encrypt (PGP/MIME), because every recipient has a key (opportunistic)" 10
keys t; keys C-u "dave@example.org" Enter
wait_for "Security: Sign (PGP/MIME) (opportunistic: not every recipient has a key)" 10
before=$(spooled)
keys y
wait_spooled $((before + 1))
signed=$(ls "$SPOOL"/*.eml | sort | tail -1)
# micalg names the hash the signature really used (gpg's digest algo 8, 9, 10: SHA256, 384, 512)
algo=$(sed -n '/-----BEGIN PGP SIGNATURE-----/,/-----END PGP SIGNATURE-----/p' "$signed" | tr -d '\r' |
  gpg --homedir "$W/gpg-other" --batch --list-packets 2>/dev/null | sed -n 's/.*digest algo \([0-9]*\).*/\1/p' | head -1)
case "$algo" in 8) want=pgp-sha256 ;; 9) want=pgp-sha384 ;; 10) want=pgp-sha512 ;; *) want="digest algo $algo" ;; esac
grep -q "multipart/signed; micalg=$want;" "$signed" || bad "not PGP/MIME signed with micalg $want: $(grep micalg "$signed")"
grep -q '^Content-Transfer-Encoding: quoted-printable' "$signed" || bad "the signed part is not quoted-printable"
grep -q '^=46rom here on' "$signed" || bad "the 'From ' line is not protected"
GNUPGHOME=$W/gpg-other run_tern render "$signed" < /dev/null
expect_out "[-- Good signature from Other User <other@localhost>"
expect_out "From here on, trailing blank:"
end
keys q
