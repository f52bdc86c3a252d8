# tern check against the real servers that tests/run-all started: every
# transport and login path that works, and every failure the issue names,
# each with its message, exit status and no password in any output.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
ports() {  # ports INSTANCE: sets IMAP IMAPS POP3 POP3S SUB SMTPS CA for that server
  # shellcheck disable=SC1090
  . "$T/$1/ports"
  IMAP=$SAVED_IMAP_PORT IMAPS=$SAVED_IMAPS_PORT POP3=$SAVED_POP3_PORT POP3S=$SAVED_POP3S_PORT
  SUB=$SAVED_SUBMISSION_PORT SMTPS=$SAVED_SMTPS_PORT CA=$T/$1/tls/ca.pem
}
ports main

# Each case gets its own HOME (for ~/.netrc) and config file.
HOME_DIR=$T/home
new_home() { rm -rf "$HOME_DIR"; mkdir -p "$HOME_DIR"; export HOME=$HOME_DIR; unset XDG_CONFIG_HOME XDG_DATA_HOME; }
CFG=$T/check.config
config() { cat > "$CFG"; }

WRONG=wrong-S3cret-pw   # a password that must never be printed
GOOD=testpass

begin "IMAPS + SMTP submission with STARTTLS: every step passes"
new_home
config <<CONF
account work {
    from = "Test User <testuser@localhost>"
    receive = imaps://testuser@127.0.0.1:$IMAPS
    send = smtp://testuser@127.0.0.1:$SUB
    password_command = "printf '%s\n' $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 0
expect_out "receive imaps://testuser@127.0.0.1:$IMAPS"
expect_out "ok    resolve  127.0.0.1"
expect_out "ok    connect  127.0.0.1:$IMAPS"
expect_out "ok    tls      TLSv1."
expect_out "certificate CN = localhost, issued by CN = mailtest CA, valid until 20"
expect_out "capabilities: IMAP4rev1"
expect_out "send smtp://testuser@127.0.0.1:$SUB"
expect_out "via STARTTLS"
expect_out "extensions: SIZE 35882577"
expect_out "AUTH "
expect_out "all checks passed"
expect_out_not "FAIL"
[ -z "$ERR" ] || bad "stderr not empty"
end

begin "IMAP with STARTTLS + SMTPS (implicit TLS) by host name"
config <<CONF
account work {
    from = "Test User <testuser@localhost>"
    receive = imap://testuser@localhost:$IMAP
    send = smtps://testuser@localhost:$SMTPS
    password_command = "echo $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 0
expect_out "ok    resolve  localhost -> 127.0.0.1"
expect_out "TLSv1."
expect_out "via STARTTLS"
expect_out "all checks passed"
end

begin "POP3S and POP3 with STARTTLS: capabilities and mailbox size"
config <<CONF
account a {
    receive = pop3s://testuser@localhost:$POP3S
    password_command = "echo $GOOD"
    ca_file = $CA
}
account b {
    receive = pop3://other@127.0.0.1:$POP3
    password_command = "echo otherpass"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 0
expect_out "receive pop3s://testuser@localhost:$POP3S"
expect_out "receive pop3://other@127.0.0.1:$POP3"
expect_out "capabilities: "
expect_out "UIDL"
expect_out "messages, "
expect_out "all checks passed"
end

begin "check ACCOUNT checks only the named account"
run_tern -F "$CFG" check b
expect_rc 0
expect_out "account b"
expect_out_not "account a"
end

begin "unknown account name: exit 2 and the valid names"
run_tern -F "$CFG" check nosuch
expect_rc 2
expect_err "unknown account 'nosuch' (valid: a, b)"
end

for proto in imaps pop3s smtps; do
  begin "wrong password over $proto: login fails, the password is never shown"
  case $proto in
    imaps) url="receive = imaps://testuser@127.0.0.1:$IMAPS" ;;
    pop3s) url="receive = pop3s://testuser@127.0.0.1:$POP3S" ;;
    smtps) url="receive = imaps://testuser@127.0.0.1:$IMAPS
    send = smtps://testuser@127.0.0.1:$SMTPS
    send_password_command = \"echo $WRONG\"
    from = t@localhost" ;;
  esac
  pw=$WRONG; [ "$proto" = smtps ] && pw=$GOOD
  config <<CONF
account work {
    $url
    password_command = "echo $pw"
    ca_file = $CA
}
CONF
  run_tern -F "$CFG" check
  expect_rc 1
  expect_out "FAIL  login"
  expect_out "refused the login of user 'testuser': check the user name and the password"
  expect_err "tern: account work: "
  expect_err "login failed:"
  expect_err_lines 1
  expect_out_not "$WRONG"; expect_err_not "$WRONG"
  expect_out_not "$GOOD"; expect_err_not "$GOOD"
  end
done

begin "connection refused: the connect step fails with what to check"
FREE=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
config <<CONF
account work {
    receive = imaps://testuser@127.0.0.1:$FREE
    password_command = "echo $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "FAIL  connect  127.0.0.1:$FREE refused the connection: check the port, and that the server is running"
expect_err "tern: account work: receive connect failed: 127.0.0.1:$FREE refused the connection"
expect_err_lines 1
end

begin "certificate from an unknown CA (no ca_file): the TLS step fails"
config <<CONF
account work {
    receive = imaps://testuser@localhost:$IMAPS
    password_command = "echo $GOOD"
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "ok    connect"
expect_out "FAIL  tls      the TLS certificate of localhost:$IMAPS is signed by an unknown authority"
expect_out "set ca_file to that CA's certificate"
expect_out_not "login"
expect_err "receive tls failed"
expect_out_not "$GOOD"; expect_err_not "$GOOD"
end

begin "certificate from another CA than ca_file: refused the same way"
ports badname; OTHER_CA=$CA; ports main
config <<CONF
account work {
    receive = imap://testuser@localhost:$IMAP
    password_command = "echo $GOOD"
    ca_file = $OTHER_CA
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "FAIL  tls      the TLS certificate of localhost:$IMAP is signed by an unknown authority"
end

begin "host name mismatch: the certificate names another host"
ports badname
config <<CONF
account work {
    from = t@localhost
    receive = imaps://testuser@127.0.0.1:$IMAPS
    send = smtps://testuser@localhost:$SMTPS
    password_command = "echo $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "FAIL  tls      the TLS certificate of 127.0.0.1:$IMAPS is not valid for the name '127.0.0.1'"
expect_out "FAIL  tls      the TLS certificate of localhost:$SMTPS is not valid for the name 'localhost'"
expect_err_lines 1
ports main
end

begin "STARTTLS required but not offered: IMAP, POP3 and SMTP refuse to go on"
ports notls
NOTLS_LOG=$T/notls/log/dovecot.log
logins_before=$(grep -c 'Login: user=<testuser>' "$NOTLS_LOG" 2>/dev/null)
config <<CONF
account imap {
    from = t@localhost
    receive = imap://testuser@127.0.0.1:$IMAP
    send = smtp://testuser@127.0.0.1:$SUB
    password_command = "echo $GOOD"
}
account pop {
    receive = pop3://testuser@127.0.0.1:$POP3
    password_command = "echo $GOOD"
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "FAIL  tls      127.0.0.1:$IMAP does not offer STARTTLS, and imap:// requires it: tern never logs in without TLS"
expect_out "FAIL  tls      127.0.0.1:$POP3 does not offer STARTTLS, and pop3:// requires it"
expect_out "FAIL  tls      127.0.0.1:$SUB does not offer STARTTLS, and smtp:// requires it"
expect_err_lines 2
logins_after=$(grep -c 'Login: user=<testuser>' "$NOTLS_LOG" 2>/dev/null)
[ "$logins_before" = "$logins_after" ] || bad "the server saw a clear-text login"
ports main
end

begin "implicit TLS against a plain-text port: a hint to use STARTTLS"
config <<CONF
account work {
    receive = imaps://testuser@127.0.0.1:$IMAP
    password_command = "echo $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "is this a plain-text port? for STARTTLS use imap://"
end

begin "a failing password_command: its status and message, not a login attempt"
config <<CONF
account work {
    receive = imaps://testuser@127.0.0.1:$IMAPS
    password_command = "echo 'gpg: decryption failed: No secret key' >&2; exit 2"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 1
expect_out "FAIL  login    account work: password_command failed (exit status 2): gpg: decryption failed: No secret key"
end

begin "~/.netrc supplies the password when no command is set"
new_home
printf 'machine 127.0.0.1\n  login testuser\n  password %s\n' "$GOOD" > "$HOME/.netrc"
chmod 600 "$HOME/.netrc"
config <<CONF
account work {
    receive = imaps://testuser@127.0.0.1:$IMAPS
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 0
expect_out "testuser (secret from ~/.netrc)"
end

begin "~/.netrc readable by others is refused"
chmod 644 "$HOME/.netrc"
run_tern -F "$CFG" check
expect_rc 1
expect_out "can be read by other users; protect it with: chmod 600"
end

begin "no password anywhere: says where to put one"
rm -f "$HOME/.netrc"
run_tern -F "$CFG" check
expect_rc 1
expect_out "no password for testuser@127.0.0.1: set password_command, or add 'machine 127.0.0.1 login testuser password ...' to ~/.netrc"
end

begin "OAuth2: oauth2_token_command's token logs in over IMAP and SMTP"
config <<CONF
account work {
    from = t@localhost
    receive = imaps://testuser@127.0.0.1:$IMAPS
    send = smtps://testuser@127.0.0.1:$SMTPS
    oauth2_token_command = "echo $GOOD"
    ca_file = $CA
}
CONF
run_tern -F "$CFG" check
expect_rc 0
expect_out "testuser (secret from oauth2_token_command)"
expect_out "all checks passed"
end

begin "a bad config line: exit 2 with file:line"
config <<CONF
account work {
    receive = imaps://testuser@127.0.0.1:$IMAPS
    pasword_command = x
}
CONF
run_tern -F "$CFG" check
expect_rc 2
expect_err "$CFG:3: unknown account key 'pasword_command', did you mean 'password_command'?"
end

begin "a missing config file: exit 2 and how to make one"
run_tern -F "$T/nonexistent" check
expect_rc 2
expect_err "$T/nonexistent: cannot read the config file: No such file or directory (create it from config.example"
end

begin "the default config path is \$XDG_CONFIG_HOME/tern/config"
mkdir -p "$T/xdg/tern"
cp "$CFG" "$T/xdg/tern/config"
XDG_CONFIG_HOME=$T/xdg run_tern check
expect_rc 2
expect_err "$T/xdg/tern/config:3:"
end

begin "usage errors: exit 2"
run_tern frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"
run_tern --help
expect_rc 0
expect_out "tern [-F CONFIG] check [ACCOUNT...]"
run_tern --version
expect_rc 0
expect_out "tern 0."
end
