# tern setup against the real servers of the "main" instance: probing finds
# them on loopback (TERN_SETUP_HOSTS / TERN_SETUP_PORTS replace the usual
# host names and ports), the account block is written (0600, no password),
# an existing config is kept, and tern check runs on the new account.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
# shellcheck disable=SC1090
. "$T/main/ports"
CA=$T/main/tls/ca.pem
W=$T/setup-work
rm -rf "$W"; mkdir -p "$W"
export HOME=$W XDG_CONFIG_HOME=$W/config
export TERN_SETUP_HOSTS=127.0.0.1
export TERN_SETUP_PORTS="imaps=$SAVED_IMAPS_PORT imap=$SAVED_IMAP_PORT pop3s=$SAVED_POP3S_PORT pop3=$SAVED_POP3_PORT smtps=$SAVED_SMTPS_PORT smtp=$SAVED_SUBMISSION_PORT"
CFG=$W/config/tern/config
setup() { run_tern setup --address testuser@localhost --name "Test User" --user testuser --ca-file "$CA" "$@"; }

begin "setup --address: servers found by probing, the block written 0600 in a new 0700 folder, and checked"
setup --password-command "printf %s testpass"
expect_rc 0
expect_out "probed 127.0.0.1:$SAVED_IMAPS_PORT (imaps): open"
expect_out "receive          = imaps://testuser@127.0.0.1:$SAVED_IMAPS_PORT"
expect_out "send             = smtps://testuser@127.0.0.1:$SAVED_SMTPS_PORT"
expect_out "all checks passed"
[ "$(stat -c %a "$CFG")" = 600 ] || bad "config mode $(stat -c %a "$CFG")"
[ "$(stat -c %a "$W/config/tern")" = 700 ] || bad "folder mode $(stat -c %a "$W/config/tern")"
grep -q '^    password_command = "printf %s testpass"' "$CFG" || bad "no password_command line"
grep -qi '^ *password *=' "$CFG" && bad "a password was written"
run_tern check localhost
expect_rc 0
end

begin "a second account is appended, the first kept; a name taken is refused and nothing changes"
before=$(cat "$CFG")
setup --account pop --protocol pop3 --password-command "printf %s testpass" --no-check
expect_rc 0
expect_out "receive          = pop3s://testuser@127.0.0.1:$SAVED_POP3S_PORT"
case "$(cat "$CFG")" in "$before"*) ;; *) bad "the first account's lines changed" ;; esac
run_tern check
expect_rc 0
expect_out "account pop"
before=$(cat "$CFG")
setup --account pop --password-command "printf %s testpass"
expect_rc 2
expect_err "already has an account 'pop'"
[ "$(cat "$CFG")" = "$before" ] || bad "the config changed"
end

begin "a wrong password: the block is written, the check fails and says what to fix"
setup --account wrong --password-command "printf %s nope"
expect_rc 1
expect_out "FAIL  login"
expect_out "fix what failed above in $CFG"
end

begin "no server answers: a clear error, nothing written"
before=$(cat "$CFG")
TERN_SETUP_PORTS="imaps=1 imap=1 smtps=1 smtp=1" setup --account none --password-command x
expect_rc 1
expect_err "no IMAP server found for localhost"
[ "$(cat "$CFG")" = "$before" ] || bad "the config changed"
end

begin "not an address, or a bad protocol: usage errors"
run_tern setup --address nobody
expect_rc 2
expect_err "'nobody' is not a mail address"
run_tern setup --address a@b.example --protocol smoke
expect_rc 2
expect_err "(valid: imap, pop3)"
end

begin "a provider that wants OAuth2 gets an oauth2_token_command, never a password_command"
unset TERN_SETUP_HOSTS
run_tern -F "$W/ms.config" setup --address alice@outlook.com --oauth2-token-command "oauth2-helper alice" --no-check
expect_rc 0
expect_out "known provider: Outlook.com / Microsoft 365"
grep -q 'oauth2_token_command = "oauth2-helper alice"' "$W/ms.config" || bad "no oauth2_token_command"
grep -q 'password_command' "$W/ms.config" && bad "a password_command for OAuth2"
grep -q 'receive          = imaps://alice@outlook.com@outlook.office365.com:993' "$W/ms.config" || bad "receive: $(grep receive "$W/ms.config")"
end
