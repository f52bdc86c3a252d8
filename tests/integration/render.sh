# tern render: a message file or stdin printed as the pager shows it.
. "$(dirname "$0")/../lib.sh"

begin "render FILE prints the reviewed rendering"
run_tern render tests/corpus/forwarded.eml
expect_rc 0
[ "$OUT" = "$(cat tests/corpus/forwarded.txt)" ] || bad "output differs from tests/corpus/forwarded.txt"
end

begin "render - reads standard input"
OUT=$(timeout 20 "$TERN" render - < tests/corpus/charset-koi8-r.eml); RC=$?
expect_rc 0
expect_out "Привет, мир!"
end

begin "render never prints an escape byte, even from a hostile message"
run_tern render tests/corpus/hostile-escapes.eml
expect_rc 0
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\033')"; then bad "an ESC byte reached stdout"; fi
expect_out "Subject: clear screen ^[[2J here"
end

begin "render of a missing file: exit 1 and the reason"
run_tern render /nonexistent/x.eml
expect_rc 1
expect_err "tern render: cannot read /nonexistent/x.eml: No such file or directory"
end

begin "render without a file: exit 2"
run_tern render
expect_rc 2
expect_err "usage: tern render FILE.eml"
end

begin "render follows the config: header_display and alternative_order"
CFG=$TERN_TEST_TMP/render.config
cat > "$CFG" <<CONF
set header_display = "Subject From"
set alternative_order = "text/html text/plain"
account a {
    receive = imaps://u@localhost
}
CONF
run_tern -F "$CFG" render tests/corpus/alternative.eml
expect_rc 0
[ "$(printf '%s\n' "$OUT" | head -2)" = "$(printf 'Subject: alt\nFrom: a@example.org')" ] || bad "headers not in the configured order"
expect_out "the html version"
expect_out_not "plain version"
end

begin "text/html goes through a mailcap copiousoutput entry when there is one"
MC=$TERN_TEST_TMP/mailcap
cat > "$MC" <<'CAP'
# not for the pager: needs a terminal
text/html; w3m-does-not-exist %s; needsterminal
# a test that fails: skipped
text/html; echo WRONG; test=false; copiousoutput
text/html; printf 'VIEWER(%%s) ' %{charset} && sed 's/<[^>]*>//g' %s; copiousoutput; nametemplate=%s.html
CAP
MAILCAPS=$MC run_tern render tests/corpus/html-only.eml
expect_rc 0
expect_out "VIEWER(utf-8)"
expect_out "Thanks &amp; welcome"
expect_out_not "WRONG"
ls "${TMPDIR:-/tmp}"/tern-view-* >/dev/null 2>&1 && bad "a temporary file was left behind"
end

begin "a hostile charset parameter cannot run commands through mailcap"
printf 'From: a@x\nSubject: x\nContent-Type: text/html; charset="x'"'"'; touch %s/pwned; '"'"'"\n\n<p>hi</p>\n' "$TERN_TEST_TMP" > "$TERN_TEST_TMP/evil.eml"
MAILCAPS=$MC run_tern render "$TERN_TEST_TMP/evil.eml"
expect_rc 0
[ -e "$TERN_TEST_TMP/pwned" ] && bad "the charset parameter ran a command"
expect_out "hi"
end

begin "without a mailcap entry the built-in converter renders HTML"
run_tern render tests/corpus/html-only.eml
expect_rc 0
[ "$OUT" = "$(cat tests/corpus/html-only.txt)" ] || bad "differs from tests/corpus/html-only.txt"
end
