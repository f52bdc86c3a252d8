# tern import-muttrc as a user runs it: finds ~/.muttrc, writes the config
# to stdout or to a new 0600 file (never over one), lists on stderr each
# line not carried over with its file:line, and what it writes is a config
# tern reads. No servers: nothing is connected to.
. "$(dirname "$0")/../lib.sh"

W=$TERN_TEST_TMP/import-work
rm -rf "$W"; mkdir -p "$W/.mutt"
export HOME=$W XDG_CONFIG_HOME=$W/.config XDG_DATA_HOME=$W/data
cp tests/corpus/muttrc/gmail.muttrc "$W/.muttrc"
cp -r tests/corpus/muttrc/multi "$W/.mutt/"

begin "import-muttrc without a file reads ~/.muttrc: the config on stdout, the lines left behind on stderr with file:line"
run_tern import-muttrc
expect_rc 0
expect_out "account gmail {"
expect_out 'receive = imaps://imap.gmail.com:993'
expect_out '# password_command = "pass show mail/gmail"'
expect_err "$W/.muttrc:22: tern has no option 'pager_index_lines': set pager_index_lines = 10"
expect_err "$W/.muttrc:3: imap_pass: the password is not copied"
expect_err "tern import-muttrc: 22 line(s) carried over, 11 not (listed above)"
case "$OUT$ERR" in *"correct horse"*) bad "the password is in the output" ;; esac
end

begin "import-muttrc FILE -o CONFIG writes a 0600 config that tern reads; an existing CONFIG is never overwritten"
run_tern import-muttrc tests/corpus/muttrc/multi.muttrc -o "$W/config"
expect_rc 0
[ "$(stat -c %a "$W/config")" = 600 ] || bad "mode $(stat -c %a "$W/config")"
expect_err "and at the end of $W/config"
grep -q "^account work {" "$W/config" || bad "no work account in the file"
run_tern ls -F "$W/config" -a work
expect_rc 1   # the config is read; only the mail is not there yet
expect_err "no cached folder 'INBOX' for account work"
cp "$W/config" "$W/config.before"
run_tern import-muttrc tests/corpus/muttrc/gmail.muttrc -o "$W/config"
expect_rc 1
expect_err "$W/config exists; it is not overwritten"
cmp -s "$W/config" "$W/config.before" || bad "the existing file changed"
end

begin "import-muttrc of a muttrc without a server says an account is still needed"
run_tern import-muttrc tests/corpus/muttrc/sidebar.muttrc
expect_rc 0
expect_err "no account came from the muttrc"
expect_out "set sidebar_visible = yes"
end

begin "import-muttrc with nothing to read: exit 1 and where it looked; bad usage: exit 2"
run_tern import-muttrc "$W/nothing"
expect_rc 1
expect_err "cannot read $W/nothing"
rm "$W/.muttrc"
run_tern import-muttrc
expect_rc 1
expect_err "no muttrc found (looked for ~/.muttrc, ~/.mutt/muttrc"
run_tern import-muttrc a b
expect_rc 2
end
