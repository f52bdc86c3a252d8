# Certificate trust against the real servers: a server whose CA tern does
# not know is shown (subject, issuer, validity, SHA-256 fingerprint) and
# refused; tern check --trust pins its key into the account and it works;
# a server that later shows another key (the "badname" instance's) is an
# error that says so.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
# shellcheck disable=SC1090
. "$T/badname/ports"
OTHER_IMAPS=$SAVED_IMAPS_PORT
# shellcheck disable=SC1090
. "$T/main/ports"
W=$T/trust-work
rm -rf "$W"; mkdir -p "$W"
export HOME=$W
CFG=$W/config
cat > "$CFG" <<EOF2
# a self-hosted server with its own CA, and no ca_file
account self {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT
    send = smtps://testuser@127.0.0.1:$SAVED_SMTPS_PORT
    password_command = "printf %s testpass"
}
EOF2
chmod 600 "$CFG"
fingerprint=$(openssl x509 -in "$T/main/tls/server.pem" -noout -fingerprint -sha256 | sed 's/.*=//')

begin "an unknown CA: refused, and the certificate shown with its fingerprint and how to trust it"
run_tern -F "$CFG" check self
expect_rc 1
expect_out "FAIL  tls      the TLS certificate of 127.0.0.1:$SAVED_IMAPS_PORT is signed by an unknown authority"
expect_out "subject CN = localhost; issuer CN = mailtest CA"
expect_out "valid from "
expect_out "SHA-256 fingerprint $fingerprint"
expect_out "trust its key with: tern check --trust self"
grep -q pinned_key "$CFG" && bad "a key was pinned without being asked"
end

begin "tern check --trust pins both servers' keys into the account; the check then passes, and sync works"
run_tern -F "$CFG" check --trust self
expect_rc 0
expect_out "SHA-256      $fingerprint"
expect_out "its key is the one you trusted (pinned_key)"
expect_out "all checks passed"
grep -qF "    pinned_key = \"$(cat "$T/main/tls/server.pin")\"" "$CFG" || bad "pinned_key is not the server's key ($(cat "$T/main/tls/server.pin")): $(grep pinned_key "$CFG")"
grep -q '^    send_pinned_key = "sha256//' "$CFG" || bad "no send_pinned_key line"
grep -q '^# a self-hosted server' "$CFG" || bad "the rest of the file was not kept"
[ "$(stat -c %a "$CFG")" = 600 ] || bad "mode changed to $(stat -c %a "$CFG")"
XDG_DATA_HOME=$W/data run_tern -F "$CFG" sync --folder INBOX
expect_rc 0
end

begin "trusting again replaces the pins, it does not add lines"
run_tern -F "$CFG" check --trust self
expect_rc 0
[ "$(grep -c '^    pinned_key' "$CFG")" = 1 ] || bad "pinned_key lines: $(grep -c '^    pinned_key' "$CFG")"
end

begin "the server's key changes (another server on that address): an error that says so, with the new key"
sed -i "s/127.0.0.1:$SAVED_IMAPS_PORT/127.0.0.1:$OTHER_IMAPS/" "$CFG"
run_tern -F "$CFG" check self
expect_rc 1
expect_out "is not the one you trusted (pinned_key): the server changed its key, or this is not your server"
expect_out "its key now: sha256//"
end

begin "--trust needs one known account"
run_tern -F "$CFG" check --trust
expect_rc 2
run_tern -F "$CFG" check --trust nobody
expect_rc 2
expect_err "nobody"
end
